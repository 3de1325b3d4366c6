package dsl

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
)

// This file holds the class-specific settings the generated option bindings (packages
// options/nixos, options/darwin and options/home) return. A [NixOSSetting] is a [NixOSItem]
// and nothing else, so a darwin option given to a NixOS part does not compile. The part and
// machine constructors store them as plain [Setting]s, so everything after the DSL (compiler,
// emitter) sees one kind of setting.

// NixOSSetting is a [Setting] of a NixOS option, made by the generated bindings.
type NixOSSetting struct {
	Setting
	// These fields shadow the markers Setting promotes, so a NixOSSetting is neither a
	// DarwinItem nor a HomeItem.
	darwinItem, homeItem struct{}
}

// DarwinSetting is a [Setting] of a nix-darwin option, made by the generated bindings.
type DarwinSetting struct {
	Setting
	nixosItem, homeItem struct{} // see NixOSSetting
}

// HomeSetting is a [Setting] of a home-manager option, made by the generated bindings.
type HomeSetting struct {
	Setting
	nixosItem, darwinItem struct{} // see NixOSSetting
}

// NewNixOSSetting is what a generated binding's setter returns. It records the position of
// the setter's caller (the fleet author's line), so it must be called directly by the
// generated method.
func NewNixOSSetting(path []string, v Value, method string) NixOSSetting {
	return NixOSSetting{Setting: Setting{Path: path, Value: v, Pos: caller(2, method)}}
}

// NewDarwinSetting is [NewNixOSSetting] for nix-darwin options.
func NewDarwinSetting(path []string, v Value, method string) DarwinSetting {
	return DarwinSetting{Setting: Setting{Path: path, Value: v, Pos: caller(2, method)}}
}

// NewHomeSetting is [NewNixOSSetting] for home-manager options.
func NewHomeSetting(path []string, v Value, method string) HomeSetting {
	return HomeSetting{Setting: Setting{Path: path, Value: v, Pos: caller(2, method)}}
}

// AsSetting returns the plain setting. [Setting], [NixOSSetting], [DarwinSetting] and
// [HomeSetting] have it.
func (s Setting) AsSetting() Setting { return s }

// SettingOf returns the setting an item carries: a [Setting] or a class-specific setting.
// Code that fills [Part.Items] by hand may hold class-specific settings; use this rather
// than a type switch on Setting.
func SettingOf(it Item) (Setting, bool) {
	if s, ok := it.(interface{ AsSetting() Setting }); ok {
		return s.AsSetting(), true
	}
	return Setting{}, false
}

// plainItem turns a class-specific setting into the Setting it carries.
func plainItem(it Item) Item {
	if s, ok := SettingOf(it); ok {
		return s
	}
	return it
}

// ValueFrom converts the Go values the generated bindings take into a Value: bools,
// integers, floats, strings, generated enums ([Enum]), slices and
// string-keyed maps of those (map keys sorted), and Values. It panics on anything else; the
// bindings' signatures never pass anything else.
func ValueFrom(x any) Value {
	if v, ok := x.(Value); ok {
		return v
	}
	return valueFrom(reflect.ValueOf(x))
}

var valueType = reflect.TypeFor[Value]()

// Enum is implemented by the generated enum types.
type Enum interface{ NixEnum() string }

var enumType = reflect.TypeFor[Enum]()

func valueFrom(r reflect.Value) Value {
	if r.Type() == valueType {
		return r.Interface().(Value)
	}
	if r.Type().Implements(enumType) {
		return Value{r.Interface().(Enum).NixEnum()}
	}
	switch r.Kind() {
	case reflect.Bool:
		return Value{r.Bool()}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return Value{r.Int()}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32:
		return Value{int64(r.Uint())}
	case reflect.Float32, reflect.Float64:
		return Value{r.Float()}
	case reflect.String:
		return Value{r.String()}
	case reflect.Slice:
		out := make([]Value, r.Len())
		for i := range out {
			out[i] = valueFrom(r.Index(i))
		}
		return Value{out}
	case reflect.Map:
		if r.Type().Key().Kind() == reflect.String {
			keys := map[string]reflect.Value{}
			for _, k := range r.MapKeys() {
				keys[k.String()] = k
			}
			o := &Object{}
			for _, k := range slices.Sorted(maps.Keys(keys)) {
				o.Set(k, valueFrom(r.MapIndex(keys[k])))
			}
			return Value{o}
		}
	}
	panic(fmt.Sprintf("dsl.ValueFrom: unsupported %s", r.Type()))
}
