package dsl

import (
	"maps"
	"slices"
)

// Value is an option value: a Go value, or one of the few Nix-side values a fleet can name
// (a package, a secret's path, a flake input's module, raw Nix). Build it with [Set]'s type
// parameter, or with [Pkg], [SecretPath], [PublicValue], [Input.Module], [List], [Attrs] and
// [Raw]. The zero Value is null.
type Value struct {
	v any // nil, bool, int64, float64, string, []Value, *Object, PkgRef, SecretRef, InputRef, RawNix
}

// Settable lists the Go types [Set] accepts. Anything else does not compile.
type Settable interface {
	bool | int | int64 | float64 | string | []string | []int | []bool |
		map[string]string | map[string]bool | map[string]int | map[string]Value | []Value | Value
}

// ValueOf converts a [Settable] Go value into a Value.
func ValueOf[V Settable](v V) Value {
	switch x := any(v).(type) {
	case bool:
		return Value{x}
	case int:
		return Value{int64(x)}
	case int64:
		return Value{x}
	case float64:
		return Value{x}
	case string:
		return Value{x}
	case []string:
		return listOf(x)
	case []int:
		out := make([]Value, len(x))
		for i, n := range x {
			out[i] = Value{int64(n)}
		}
		return Value{out}
	case []bool:
		return listOf(x)
	case map[string]string:
		return objectOf(x)
	case map[string]bool:
		return objectOf(x)
	case map[string]int:
		o := &Object{}
		for _, k := range slices.Sorted(maps.Keys(x)) {
			o.Set(k, Value{int64(x[k])})
		}
		return Value{o}
	case map[string]Value:
		return objectOf(x)
	case []Value:
		return Value{slices.Clone(x)}
	case Value:
		return x
	}
	panic("unreachable: Settable is closed")
}

func listOf[T bool | string](xs []T) Value {
	out := make([]Value, len(xs))
	for i, x := range xs {
		out[i] = Value{x}
	}
	return Value{out}
}

func objectOf[T bool | string | Value](m map[string]T) Value {
	o := &Object{}
	for _, k := range slices.Sorted(maps.Keys(m)) {
		var v Value
		switch x := any(m[k]).(type) {
		case Value:
			v = x
		default:
			v = Value{x}
		}
		o.Set(k, v)
	}
	return Value{o}
}

// Underlying returns the value's content: nil, bool, int64, float64, string, []Value,
// *Object, PkgRef, SecretRef, InputRef or RawNix. Consumers switch on it.
func (v Value) Underlying() any { return v.v }

// IsNull reports whether v is null.
func (v Value) IsNull() bool { return v.v == nil }

// Object is an attribute set with its keys in insertion order.
type Object struct {
	Keys   []string
	Values map[string]Value
}

// Set adds or replaces key.
func (o *Object) Set(key string, v Value) {
	if o.Values == nil {
		o.Values = map[string]Value{}
	}
	if _, ok := o.Values[key]; !ok {
		o.Keys = append(o.Keys, key)
	}
	o.Values[key] = v
}

// Get returns the value at key.
func (o *Object) Get(key string) (Value, bool) {
	v, ok := o.Values[key]
	return v, ok
}

// Len returns the number of keys.
func (o *Object) Len() int { return len(o.Keys) }

// KV is one key and value of [Attrs].
type KV struct {
	Key   string
	Value Value
}

// Attrs builds an attribute set value in the order given.
func Attrs(kvs ...KV) Value {
	o := &Object{}
	for _, kv := range kvs {
		o.Set(kv.Key, kv.Value)
	}
	return Value{o}
}

// Field pairs a key with a Go value, for [Attrs].
func Field[V Settable](key string, v V) KV { return KV{key, ValueOf(v)} }

// List builds a list value.
func List(items ...Value) Value { return Value{slices.Clone(items)} }

// PkgSet names the package set a [PkgRef] is taken from.
type PkgSet string

// The package sets a fleet can name. They exist in every machine's pkgs through the
// channels overlay (see [Fleet.Channel]).
const (
	Default  PkgSet = ""         // pkgs.<name>: the machine's own nixpkgs, with overlays
	Stable   PkgSet = "stable"   // pkgs.stable.<name>: the OS's stable channel
	Unstable PkgSet = "unstable" // pkgs.unstable.<name>
	Patched  PkgSet = "patched"  // pkgs.patched.<name>: unstable with the fleet's patches
)

// PkgRef is a package of a package set, by attribute path (for example "python3Packages.numpy").
type PkgRef struct {
	Set  PkgSet
	Path []string
	Pos  Pos
}

// Pkg names a package of the machine's default package set.
func Pkg(attrPath ...string) Value {
	return Value{PkgRef{Path: attrPath, Pos: caller(1, "Pkg")}}
}

// PkgFrom names a package of a given package set.
func PkgFrom(set PkgSet, attrPath ...string) Value {
	return Value{PkgRef{Set: set, Path: attrPath, Pos: caller(1, "PkgFrom")}}
}

// SecretRef is the deployed path (or, for public files, the value) of a generator's file.
type SecretRef struct {
	Generator *Generator
	File      string
	Public    bool // the file's value rather than its path
	Pos       Pos
}

// SecretPath is the runtime path of a generator's file on the machine
// (config.clan.core.vars.generators.<gen>.files.<file>.path). Using it attaches the generator
// to the part or machine that uses it.
func SecretPath(g *Generator, file string) Value {
	return Value{SecretRef{Generator: g, File: file, Pos: caller(1, "SecretPath")}}
}

// PublicValue is the content of a generator's public file (….files.<file>.value).
func PublicValue(g *Generator, file string) Value {
	return Value{SecretRef{Generator: g, File: file, Public: true, Pos: caller(1, "PublicValue")}}
}

// InputRef is an attribute of a flake input, such as inputs.srvos.nixosModules.server.
type InputRef struct {
	Input *Input
	Path  []string
	Pos   Pos
}

// RawNix is Nix source text pasted verbatim. See [Raw].
type RawNix struct {
	Source string
	Pos    Pos
}

// Raw is the fleet's one escape hatch to Nix: src is pasted into the generated file as an
// expression, unchecked by the compiler (but parsed by the tests). Prefer every other value.
func Raw(src string) Value {
	return Value{RawNix{Source: src, Pos: caller(1, "Raw")}}
}

// ObjectValue wraps an attribute set as a Value.
func ObjectValue(o *Object) Value { return Value{o} }
