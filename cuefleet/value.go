package cuefleet

import (
	"fmt"
	"slices"
	"strings"

	"cuelang.org/go/cue"

	"github.com/nixfleet/fleet/dsl"
)

// The special values a setting may hold, as structs with one $-field naming the kind:
//
//	{$pkg: "numpy", $from?: "stable"}       a package (dsl.PkgFrom)
//	{$secret: "gen", $file: "f"}            a secret file's path (dsl.SecretPath)
//	{$public: "gen", $file: "f"}            a public file's value (dsl.PublicValue)
//	{$input: "srvos", $path: ["a", "b"]}    an attribute of a flake input (Input.Module)
//	{$nix: "lib.mkForce true"}              raw Nix (dsl.Raw)
//
// Every other struct is an attribute set.
var specialKeys = map[string][]string{
	"$pkg":    {"$pkg", "$from"},
	"$secret": {"$secret", "$file"},
	"$public": {"$public", "$file"},
	"$input":  {"$input", "$path"},
	"$nix":    {"$nix"},
}

// value decodes a concrete CUE value into a dsl.Value; a missing value is null.
func (d *decoder) value(v cue.Value) dsl.Value {
	if !v.Exists() {
		return dsl.Value{}
	}
	if dv, ok := v.Default(); ok {
		v = dv
	}
	switch v.Kind() {
	case cue.NullKind:
		return dsl.Value{}
	case cue.BoolKind:
		b, _ := v.Bool()
		return dsl.ValueOf(b)
	case cue.IntKind:
		n, err := v.Int64()
		if err != nil {
			d.errorf(d.pos(v), "%v", err)
		}
		return dsl.ValueOf(n)
	case cue.FloatKind, cue.NumberKind:
		x, _ := v.Float64()
		return dsl.ValueOf(x)
	case cue.StringKind:
		s, _ := v.String()
		return dsl.ValueOf(s)
	case cue.ListKind:
		var out []dsl.Value
		it, _ := v.List()
		for it.Next() {
			out = append(out, d.value(it.Value()))
		}
		return dsl.List(out...)
	case cue.StructKind:
		return d.object(v)
	}
	d.errorf(d.pos(v), "cannot use %v as a setting value", v.Kind())
	return dsl.Value{}
}

func (d *decoder) object(v cue.Value) dsl.Value {
	o := &dsl.Object{}
	var keys []string
	it, _ := v.Fields()
	for it.Next() {
		k := it.Selector().Unquoted()
		keys = append(keys, k)
		o.Set(k, d.value(it.Value()))
	}
	for _, k := range keys {
		if allowed, ok := specialKeys[k]; ok {
			return d.special(v, k, allowed, keys)
		}
	}
	for _, k := range keys {
		if strings.HasPrefix(k, "$") {
			d.errorf(d.pos(it.Value()), "unknown special value %s (want one of $pkg, $secret, $public, $input, $nix)", k)
		}
	}
	return dsl.ObjectValue(o)
}

func (d *decoder) special(v cue.Value, kind string, allowed, keys []string) dsl.Value {
	pos := d.pos(v)
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			d.errorf(pos, "%s value: field %s not allowed (allowed: %s)", kind, k, strings.Join(allowed, ", "))
			return dsl.Value{}
		}
	}
	s := str(v, kind)
	switch kind {
	case "$pkg":
		return dsl.PkgRef{Set: dsl.PkgSet(str(v, "$from")), Path: splitDots(s), Pos: pos}.Value()
	case "$nix":
		return dsl.RawNix{Source: s, Pos: pos}.Value()
	case "$secret", "$public":
		g, ok := d.generators[s]
		if !ok {
			d.errorf(pos, "%s: no generator %q (have: %s)", kind, s, names(d.generators))
			return dsl.Value{}
		}
		file := str(v, "$file")
		if g.File(file) == nil {
			d.errorf(pos, "%s: generator %q has no file %q", kind, s, file)
			return dsl.Value{}
		}
		return dsl.SecretRef{Generator: g, File: file, Public: kind == "$public", Pos: pos}.Value()
	case "$input":
		in, ok := d.inputs[s]
		if !ok {
			d.errorf(pos, "$input: no input %q (have: %s)", s, names(d.inputs))
			return dsl.Value{}
		}
		return dsl.InputRef{Input: in, Path: strings_(v, "$path"), Pos: pos}.Value()
	}
	return dsl.Value{}
}

func names[T any](m map[string]*T) string {
	var ns []string
	for n := range m {
		ns = append(ns, fmt.Sprintf("%q", n))
	}
	if len(ns) == 0 {
		return "none"
	}
	slices.Sort(ns)
	return strings.Join(ns, ", ")
}

// splitDots splits an attribute path at its dots, as dsl.Set and dsl.Packages do.
func splitDots(s string) []string { return strings.Split(s, ".") }

// splitOptionPath splits a settings key into its option path: at dots, except inside
// double quotes, as Nix writes a key that contains dots (a."b.c".d).
func splitOptionPath(key string) ([]string, error) {
	if !strings.Contains(key, `"`) {
		return splitDots(key), nil
	}
	var path []string
	var cur strings.Builder
	quoted, wasQuoted := false, false
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '"':
			quoted = !quoted
			wasQuoted = true
		case c == '.' && !quoted:
			if cur.Len() == 0 && !wasQuoted {
				return nil, fmt.Errorf("option path %q has an empty segment", key)
			}
			path = append(path, cur.String())
			cur.Reset()
			wasQuoted = false
		default:
			cur.WriteByte(c)
		}
	}
	if quoted {
		return nil, fmt.Errorf("option path %q has an unterminated quote", key)
	}
	return append(path, cur.String()), nil
}
