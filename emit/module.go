package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// moduleBuilder assembles one nixos/darwin/homeManager module: its imports, generated
// bindings, the fleet's items (settings, packages, imports, casks) in order.
type moduleBuilder struct {
	e       *emitter
	s       *scope
	class   dsl.Class
	where   string
	imports []nix.Expr
	b       *body
	pkgs    []nix.Expr
	casks   []string
	shared  []sharedValue // values the feature's file binds once in a let
}

func (e *emitter) newModule(outer *scope, class dsl.Class, where string) *moduleBuilder {
	return &moduleBuilder{e: e, s: newScope(outer, class), class: class, where: where, b: newBody(e, where)}
}

// addItems renders the fleet's items. Generator attachments ([dsl.GeneratorList]) render
// nothing here: the compiler resolves which machines run which generators, and each machine
// module imports its generators' vars modules exactly once.
func (mb *moduleBuilder) addItems(items []dsl.Item) {
	for i, it := range items {
		where := fmt.Sprintf("%s item %d", mb.where, i+1)
		switch x := it.(type) {
		case dsl.Setting:
			if len(x.Path) == 0 {
				mb.e.errorf("%s (%s): setting with an empty option path", where, x.Pos)
				continue
			}
			v := x.Value
			if name, ok := mb.sharedName(v); ok {
				mb.b.bind(x.Path, nix.Id(name), &v)
				continue
			}
			mb.b.bind(x.Path, mb.e.valueExpr(v, mb.s, where), &v)
		case dsl.PackageList:
			for j, p := range x.Packages {
				mb.pkgs = append(mb.pkgs, mb.e.valueExpr(p, mb.s, fmt.Sprintf("%s package %d", where, j+1)))
			}
		case dsl.ImportList:
			for j, p := range x.Modules {
				mb.imports = append(mb.imports, mb.e.valueExpr(p, mb.s, fmt.Sprintf("%s import %d", where, j+1)))
			}
		case dsl.CaskList:
			mb.casks = append(mb.casks, x.Casks...)
		case dsl.GeneratorList:
			// see above
		default:
			if pos, ok := dsl.DuplicatePartPos(it); ok {
				mb.e.errorf("%s: a second %s part (%s)", mb.where, mb.class, pos)
				continue
			}
			mb.e.errorf("%s: unsupported item %T", where, it)
		}
	}
}

// expr returns the module: a function of the arguments it uses, or a plain attribute set.
func (mb *moduleBuilder) expr() nix.Expr {
	if len(mb.pkgs) > 0 {
		path := []string{"environment", "systemPackages"}
		if mb.class == dsl.HomeManager {
			path = []string{"home", "packages"}
		}
		mb.b.bind(path, nix.List(mb.pkgs...), nil)
	}
	if len(mb.casks) > 0 {
		if !mb.b.has([]string{"homebrew", "enable"}) {
			mb.b.bind([]string{"homebrew", "enable"}, nix.Bool(true), nil)
		}
		mb.b.bind([]string{"homebrew", "casks"}, strList(mb.casks), nil)
	}
	bs := mb.b.bindings
	if len(mb.imports) > 0 {
		if mb.b.has([]string{"imports"}) {
			mb.e.errorf("%s: imports is set twice", mb.where)
		}
		bs = append([]nix.Binding{nix.Bind([]string{"imports"}, nix.List(mb.imports...))}, bs...)
	}
	return mb.s.fn(nix.Attrs(bs...))
}

// features writes one file per feature with a module per class it has.
func (e *emitter) features() {
	for _, ft := range e.m.Features {
		if ft == nil || dsl.IsGenerated(ft) {
			continue
		}
		rel := "features/" + ft.Name + ".nix"
		outer := newScope(nil, "")
		b := newBody(e, rel)
		shared := sharedValues(ft)
		var lets []nix.Binding
		for _, sv := range shared {
			lets = append(lets, nix.Bind([]string{sv.name}, e.valueExpr(sv.value, outer, rel)))
		}
		for _, p := range ft.Parts() {
			mb := e.newModule(outer, p.Class, rel+" "+string(p.Class)+" part")
			mb.shared = shared
			mb.addItems(p.Items)
			var comment []string
			if ft.Description != "" && len(b.bindings) == 0 {
				comment = []string{ft.Description}
			}
			b.bind([]string{"flake", "modules", string(p.Class), ft.Name}, mb.expr(), nil, comment...)
		}
		var top nix.Expr = b.attrs()
		if len(lets) > 0 {
			top = nix.Let(lets, top)
		}
		e.module(rel, outer.fn(top))
	}
}

// sharedValue is a setting's value that several parts of one feature set identically: the
// feature's file binds it once (let <name> = …; in) and each part refers to it, so the
// value is written, and reviewed, once.
type sharedValue struct {
	name  string
	value dsl.Value
}

// sharedValues finds the attribute sets and lists (of plain data: no packages, secrets,
// inputs or raw Nix, which depend on the module they are in) that more than one part of ft
// sets, in first-use order, named after the option they set.
func sharedValues(ft *dsl.Feature) []sharedValue {
	type candidate struct {
		sharedValue
		parts int
		last  *dsl.Part
	}
	var cands []*candidate
	for _, p := range ft.Parts() {
		for _, it := range p.Items {
			st, ok := it.(dsl.Setting)
			if !ok || len(st.Path) == 0 || !isPlainCollection(st.Value) {
				continue
			}
			i := slices.IndexFunc(cands, func(c *candidate) bool { return compiler.Equal(c.value, st.Value) })
			if i < 0 {
				cands = append(cands, &candidate{sharedValue: sharedValue{name: st.Path[len(st.Path)-1], value: st.Value}, parts: 1, last: p})
				continue
			}
			if cands[i].last != p {
				cands[i].parts++
				cands[i].last = p
			}
		}
	}
	var out []sharedValue
	used := map[string]bool{}
	for _, c := range cands {
		if c.parts < 2 {
			continue
		}
		name := c.name
		if _, err := nix.AttrName(name); err != nil || strings.HasPrefix(name, "\"") || reservedNames[name] || used[name] {
			name = fmt.Sprintf("shared%d", len(out)+1)
		}
		used[name] = true
		out = append(out, sharedValue{name: name, value: c.value})
	}
	return out
}

// reservedNames are the module arguments a feature's file may refer to: a let binding
// must not shadow them.
var reservedNames = map[string]bool{"config": true, "lib": true, "pkgs": true, "inputs": true, "osConfig": true, "modules": true, "overlays": true, "builtins": true}

// isPlainCollection reports whether v is a non-empty attribute set or list of plain data.
func isPlainCollection(v dsl.Value) bool {
	switch x := v.Underlying().(type) {
	case *dsl.Object:
		if x.Len() == 0 {
			return false
		}
	case []dsl.Value:
		if len(x) == 0 {
			return false
		}
	default:
		return false
	}
	plain := true
	compiler.WalkValue(v, func(e dsl.Value) {
		switch e.Underlying().(type) {
		case dsl.PkgRef, dsl.SecretRef, dsl.InputRef, dsl.RawNix:
			plain = false
		}
	})
	return plain
}

// sharedName returns the let-bound name of v when the feature binds it once.
func (mb *moduleBuilder) sharedName(v dsl.Value) (string, bool) {
	for _, sv := range mb.shared {
		if compiler.Equal(sv.value, v) {
			return sv.name, true
		}
	}
	return "", false
}
