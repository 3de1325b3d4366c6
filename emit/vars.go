package emit

import (
	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// vars writes one file per generator with a module per class of the machines that run it:
// flake.modules.<class>."vars/<gen>" declaring clan.core.vars.generators.<gen>.
func (e *emitter) vars() {
	for _, g := range e.m.Generators {
		rel := "vars/" + g.Name + ".nix"
		outer := newScope(nil, "")
		b := newBody(e, rel)
		for _, class := range []dsl.Class{dsl.NixOS, dsl.Darwin} {
			used := false
			for _, m := range g.Machines {
				used = used || m.Class == class
			}
			if !used {
				continue
			}
			mb := e.newModule(outer, class, rel+" "+string(class))
			mb.b.bind([]string{"clan", "core", "vars", "generators", g.Name}, e.generator(g, mb.s, class, rel), nil)
			b.bind([]string{"flake", "modules", string(class), "vars/" + g.Name}, mb.expr(), nil)
		}
		if len(b.bindings) == 0 {
			continue // no machine runs it
		}
		e.module(rel, outer.fn(b.attrs()))
	}
}

func (e *emitter) generator(g *compiler.Generator, s *scope, class dsl.Class, where string) nix.Expr {
	bs := []nix.Binding{nix.Bind([]string{"share"}, nix.Bool(g.Share))}
	for _, f := range g.Files {
		fb := []nix.Binding{
			nix.Bind([]string{"secret"}, nix.Bool(f.Secret)),
			nix.Bind([]string{"deploy"}, nix.Bool(f.Deploy)),
		}
		if f.Owner != "" {
			fb = append(fb, nix.Bind([]string{"owner"}, nix.Str(f.Owner)))
		}
		// group is left to clan unless set: its default is root on NixOS, wheel on darwin.
		if f.Group != "" {
			fb = append(fb, nix.Bind([]string{"group"}, nix.Str(f.Group)))
		}
		if f.Mode != "" {
			fb = append(fb, nix.Bind([]string{"mode"}, nix.Str(f.Mode)))
		}
		if f.NeededFor != "" {
			fb = append(fb, nix.Bind([]string{"neededFor"}, nix.Str(string(f.NeededFor))))
		}
		// restartUnits are systemd units: NixOS only (clan throws on a non-empty list on darwin).
		if len(f.RestartUnits) > 0 && class == dsl.NixOS {
			fb = append(fb, nix.Bind([]string{"restartUnits"}, strList(f.RestartUnits)))
		}
		bs = append(bs, nix.Bind([]string{"files", f.Name}, nix.Attrs(fb...)))
	}
	for _, p := range g.Prompts {
		pt := p.Type
		if pt == "" {
			pt = dsl.Line
		}
		pb := []nix.Binding{}
		if p.Description != "" {
			pb = append(pb, nix.Bind([]string{"description"}, nix.Str(p.Description)))
		}
		pb = append(pb,
			nix.Bind([]string{"type"}, nix.Str(string(pt))),
			nix.Bind([]string{"persist"}, nix.Bool(p.Persist)))
		bs = append(bs, nix.Bind([]string{"prompts", p.Name}, nix.Attrs(pb...)))
	}
	if len(g.Dependencies) > 0 {
		var deps []string
		for _, d := range g.Dependencies {
			if d != nil {
				deps = append(deps, d.Name)
			}
		}
		bs = append(bs, nix.Bind([]string{"dependencies"}, strList(deps)))
	}
	if len(g.RuntimeInputs) > 0 {
		items := make([]nix.Expr, len(g.RuntimeInputs))
		for i, v := range g.RuntimeInputs {
			items[i] = e.valueExpr(v, s, where+" runtimeInputs")
		}
		bs = append(bs, nix.Bind([]string{"runtimeInputs"}, nix.List(items...)))
	}
	if g.Script != "" {
		bs = append(bs, nix.Bind([]string{"script"}, nix.IndentedStr(ensureNewline(g.Script))))
	}
	if !g.Validation.IsNull() {
		bs = append(bs, nix.Bind([]string{"validation"}, e.dataExpr(g.Validation, where+" validation")))
	}
	return nix.Attrs(bs...)
}

func ensureNewline(s string) string {
	if len(s) > 0 && s[len(s)-1] != '\n' {
		return s + "\n"
	}
	return s
}
