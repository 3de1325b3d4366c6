package emit

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// scope records which module arguments a function body uses, so that each function takes
// exactly the formals it needs. There are two levels: the outer flake-parts module and
// the inner nixos/darwin/homeManager module it defines.
type scope struct {
	used  map[string]bool
	outer *scope // nil for the outer scope itself
	class dsl.Class
}

func newScope(outer *scope, class dsl.Class) *scope {
	return &scope{used: map[string]bool{}, outer: outer, class: class}
}

// id references a module argument, recording its use.
func (s *scope) id(name string) nix.Expr {
	s.used[name] = true
	return nix.Id(name)
}

// formals returns the pattern { a, b, ... } for the arguments used, sorted.
func (s *scope) formals() nix.FormalsParam {
	names := make([]string, 0, len(s.used))
	for n, ok := range s.used {
		if ok {
			names = append(names, n)
		}
	}
	slices.Sort(names)
	return nix.Formals(names...).Ellipsis()
}

// fn wraps body in a module function taking the used arguments, or returns body itself
// when it uses none.
func (s *scope) fn(body nix.Expr) nix.Expr {
	if len(s.used) == 0 {
		return body
	}
	return nix.Lambda(s.formals(), body)
}

// valueExpr converts a fleet value into Nix in a module of scope s.
func (e *emitter) valueExpr(v dsl.Value, s *scope, where string) nix.Expr {
	switch x := v.Underlying().(type) {
	case nil:
		return nix.Null()
	case bool:
		return nix.Bool(x)
	case int64:
		return nix.Int(x)
	case float64:
		return nix.Float(x)
	case string:
		return strExpr(x)
	case []dsl.Value:
		items := make([]nix.Expr, len(x))
		for i, it := range x {
			items[i] = e.valueExpr(it, s, fmt.Sprintf("%s[%d]", where, i))
		}
		return nix.List(items...)
	case *dsl.Object:
		bs := make([]nix.Binding, 0, x.Len())
		for _, k := range x.Keys {
			bs = append(bs, nix.Bind([]string{k}, e.valueExpr(x.Values[k], s, where+"."+k)))
		}
		return nix.Attrs(bs...)
	case dsl.PkgRef:
		if s.class == classOverlay {
			return pkgExpr(nix.Id("final"), x)
		}
		return pkgExpr(s.id("pkgs"), x)
	case dsl.SecretRef:
		if s.class == classOverlay {
			e.errorf("%s: a secret cannot be used in an overlay", where)
			return nix.Null()
		}
		if x.Generator == nil {
			e.errorf("%s: secret reference without a generator", where)
			return nix.Null()
		}
		field := "path"
		if x.Public {
			field = "value"
		}
		root := "config"
		if s.class == dsl.HomeManager {
			root = "osConfig" // the system's config, as home-manager passes it to its modules
		}
		return nix.Select(s.id(root), "clan", "core", "vars", "generators", x.Generator.Name, "files", x.File, field)
	case dsl.InputRef:
		if x.Input == nil {
			e.errorf("%s: input reference without an input", where)
			return nix.Null()
		}
		return nix.Select(s.outer.id("inputs"), append([]string{x.Input.Name}, x.Path...)...)
	case dsl.RawNix:
		// Raw Nix may name any module argument; give it the usual ones.
		if s.class == classOverlay { // final, prev and old are in scope already
			s.outer.id("lib")
			s.outer.id("inputs")
			return nix.Raw(x.Source)
		}
		s.id("config")
		s.id("lib")
		s.id("pkgs")
		if s.outer != nil {
			s.outer.id("inputs")
		}
		return nix.Raw(x.Source)
	}
	e.errorf("%s: unsupported value %T", where, v.Underlying())
	return nix.Null()
}

// dataExpr converts a value that must be plain, JSON-like data (inventory settings,
// generator validation): packages, secrets, inputs and raw Nix are errors.
func (e *emitter) dataExpr(v dsl.Value, where string) nix.Expr {
	switch x := v.Underlying().(type) {
	case nil, bool, int64, float64, string:
		return e.valueExpr(v, nil, where)
	case []dsl.Value:
		items := make([]nix.Expr, len(x))
		for i, it := range x {
			items[i] = e.dataExpr(it, fmt.Sprintf("%s[%d]", where, i))
		}
		return nix.List(items...)
	case *dsl.Object:
		bs := make([]nix.Binding, 0, x.Len())
		for _, k := range x.Keys {
			bs = append(bs, nix.Bind([]string{k}, e.dataExpr(x.Values[k], where+"."+k)))
		}
		return nix.Attrs(bs...)
	}
	e.errorf("%s: %T is not plain data (only null, bools, numbers, strings, lists and attribute sets are allowed here)", where, v.Underlying())
	return nix.Null()
}

// strExpr is a string literal, an indented one when it spans lines.
func strExpr(s string) nix.Expr {
	if strings.Contains(s, "\n") {
		return nix.IndentedStr(s)
	}
	return nix.Str(s)
}

func strList(ss []string) nix.Expr {
	items := make([]nix.Expr, len(ss))
	for i, s := range ss {
		items[i] = nix.Str(s)
	}
	return nix.List(items...)
}

// pkgExpr is pkgs.<set>.<path>.
func pkgExpr(pkgs nix.Expr, r dsl.PkgRef) nix.Expr {
	keys := slices.Clone(r.Path)
	if r.Set != dsl.Default {
		keys = append([]string{string(r.Set)}, keys...)
	}
	return nix.Select(pkgs, keys...)
}

// body collects the bindings of one attribute set and reports option paths bound twice
// (Nix rejects `a.b = 1; a.b = 2;`, and a module may define an option once per file).
type body struct {
	where    string
	bindings []nix.Binding
	bound    pathTrie // every bound leaf path, for conflict checks
	e        *emitter
}

func newBody(e *emitter, where string) *body { return &body{e: e, where: where} }

// bind adds path = x; v is the fleet value x came from (its attribute-set keys count as
// bound paths too), or nil for generated values.
func (b *body) bind(path []string, x nix.Expr, v *dsl.Value, comment ...string) {
	var leaves [][]string
	if v != nil {
		leaves = valueLeaves(path, *v)
	} else {
		leaves = [][]string{path}
	}
	for _, l := range leaves {
		if old := b.bound.conflict(l); old != nil {
			b.e.errorf("%s: %s is set twice (also as %s)", b.where, strings.Join(l, "."), strings.Join(old, "."))
			return
		}
	}
	for _, l := range leaves {
		b.bound.insert(l)
	}
	var bd nix.Binding = nix.Bind(path, x)
	if len(comment) > 0 {
		bd = nix.Comment(bd, comment...)
	}
	b.bindings = append(b.bindings, bd)
}

// has reports whether path (or a path under it) is bound.
func (b *body) has(path []string) bool { return b.bound.find(path) != nil }

func (b *body) attrs() nix.Expr { return nix.Attrs(b.bindings...) }

// pathTrie is a set of attribute paths in which no path is a prefix of another.
type pathTrie struct {
	leaf     bool
	children map[string]*pathTrie
}

func (t *pathTrie) find(path []string) *pathTrie {
	for _, k := range path {
		if t = t.children[k]; t == nil {
			return nil
		}
	}
	return t
}

// conflict returns a bound path that equals path, is a prefix of it or extends it, or nil.
func (t *pathTrie) conflict(path []string) []string {
	for i, k := range path {
		if t.leaf {
			return path[:i]
		}
		if t = t.children[k]; t == nil {
			return nil
		}
	}
	if !t.leaf && len(t.children) == 0 {
		return nil
	}
	out := slices.Clone(path)
	for !t.leaf { // the smallest path under it, for a deterministic message
		k := slices.Min(slices.Collect(maps.Keys(t.children)))
		out = append(out, k)
		t = t.children[k]
	}
	return out
}

func (t *pathTrie) insert(path []string) {
	for _, k := range path {
		if t.children == nil {
			t.children = map[string]*pathTrie{}
		}
		c := t.children[k]
		if c == nil {
			c = &pathTrie{}
			t.children[k] = c
		}
		t = c
	}
	t.leaf = true
}

func valueLeaves(path []string, v dsl.Value) [][]string {
	o, ok := v.Underlying().(*dsl.Object)
	if !ok || o.Len() == 0 {
		return [][]string{path}
	}
	var out [][]string
	for _, k := range o.Keys {
		out = append(out, valueLeaves(append(slices.Clip(path), k), o.Values[k])...)
	}
	return out
}

// sel is a.b.c on an identifier.
func sel(id string, keys ...string) nix.Expr { return nix.Select(nix.Id(id), keys...) }

// lib is lib.<name> applied to args, with lib taken from scope s.
func libCall(s *scope, name string, args ...nix.Expr) nix.Expr {
	return nix.Apply(nix.Select(s.id("lib"), name), args...)
}
