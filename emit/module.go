package emit

import (
	"fmt"

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
		for _, p := range ft.Parts() {
			mb := e.newModule(outer, p.Class, rel+" "+string(p.Class)+" part")
			mb.addItems(p.Items)
			var comment []string
			if ft.Description != "" && len(b.bindings) == 0 {
				comment = []string{ft.Description}
			}
			b.bind([]string{"flake", "modules", string(p.Class), ft.Name}, mb.expr(), nil, comment...)
		}
		e.module(rel, outer.fn(b.attrs()))
	}
}
