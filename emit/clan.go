package emit

import (
	"slices"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/emit/nix"
)

// machineModuleName is the flake.modules key of a machine's own module.
func machineModuleName(m *compiler.Machine) string {
	return "machines/" + string(m.Class) + "/" + m.Name
}

// clan writes the clan meta, the machines' entry points and the inventory. The inventory
// files are pure data (no function, no lib), so they evaluate with nix-instantiate alone.
func (e *emitter) clan() {
	f := e.m.Fleet
	meta := newBody(e, "clan/meta.nix")
	meta.bind([]string{"clan", "meta", "name"}, nix.Str(f.Name), nil)
	if f.Domain != "" {
		meta.bind([]string{"clan", "meta", "domain"}, nix.Str(f.Domain), nil)
	}
	if f.Description != "" {
		meta.bind([]string{"clan", "meta", "description"}, nix.Str(f.Description), nil)
	}
	e.module("clan/meta.nix", meta.attrs())

	// clan.machines.<m>.imports = [ config.flake.modules.<class>."machines/<class>/<m>" ];
	outer := newScope(nil, "")
	mb := newBody(e, "clan/machines.nix")
	for _, m := range e.m.Machines {
		mb.bind([]string{"clan", "machines", m.Name, "imports"}, nix.List(
			nix.Select(outer.id("config"), "flake", "modules", string(m.Class), machineModuleName(m)),
		), nil)
	}
	e.module("clan/machines.nix", outer.fn(mb.attrs()))

	inv := newBody(e, "clan/inventory/machines.nix")
	for _, m := range e.m.Machines {
		bs := []nix.Binding{
			nix.Bind([]string{"machineClass"}, nix.Str(string(m.Class))),
			nix.Bind([]string{"tags"}, strList(declaredTags(m))),
		}
		if m.Description != "" {
			bs = append(bs, nix.Bind([]string{"description"}, nix.Str(m.Description)))
		}
		if m.DeployTarget != "" {
			bs = append(bs, nix.Bind([]string{"deploy", "targetHost"}, nix.Str(m.DeployTarget)))
		}
		inv.bind([]string{"clan", "inventory", "machines", m.Name}, nix.Attrs(bs...), nil)
	}
	e.module("clan/inventory/machines.nix", inv.attrs())

	for _, inst := range e.m.Instances {
		e.instance(inst)
	}
}

// declaredTags are the machine's own tags, sorted, without the ones clan computes.
func declaredTags(m *compiler.Machine) []string {
	tags := []string{}
	for _, t := range m.Machine.Tags {
		if t.Name == "all" || t.Name == "nixos" || t.Name == "darwin" {
			continue
		}
		tags = append(tags, t.Name)
	}
	slices.Sort(tags)
	return slices.Compact(tags)
}

// instanceInput is the flake input providing an instance's service module.
func instanceInput(inst *compiler.Instance) string {
	if inst.Input == "" {
		return "clan-core"
	}
	return inst.Input
}

// instance writes one service instance, each settings node exactly once (the compiler
// merged every declaration of a role).
func (e *emitter) instance(inst *compiler.Instance) {
	rel := "clan/inventory/instances/" + inst.Name + ".nix"
	where := "instance " + inst.Name
	bs := []nix.Binding{
		nix.Bind([]string{"module"}, nix.Attrs(
			nix.Bind([]string{"name"}, nix.Str(inst.Service)),
			nix.Bind([]string{"input"}, nix.Str(instanceInput(inst))),
		)),
	}
	for _, r := range inst.Roles {
		var rbs []nix.Binding
		if len(r.Machines) > 0 {
			var ms []nix.Binding
			for _, rm := range r.Machines {
				v := nix.Attrs()
				if !rm.Settings.IsNull() {
					v = nix.Attrs(nix.Bind([]string{"settings"}, e.dataExpr(rm.Settings, where+".roles."+r.Name+".machines."+rm.Machine.Name+".settings")))
				}
				ms = append(ms, nix.Bind([]string{rm.Machine.Name}, v))
			}
			rbs = append(rbs, nix.Bind([]string{"machines"}, nix.Attrs(ms...)))
		}
		if len(r.Tags) > 0 {
			var ts []nix.Binding
			for _, t := range r.Tags {
				ts = append(ts, nix.Bind([]string{t}, nix.Attrs()))
			}
			rbs = append(rbs, nix.Bind([]string{"tags"}, nix.Attrs(ts...)))
		}
		if !r.Settings.IsNull() {
			rbs = append(rbs, nix.Bind([]string{"settings"}, e.dataExpr(r.Settings, where+".roles."+r.Name+".settings")))
		}
		bs = append(bs, nix.Bind([]string{"roles", r.Name}, nix.Attrs(rbs...)))
	}
	b := newBody(e, rel)
	b.bind([]string{"clan", "inventory", "instances", inst.Name}, nix.Attrs(bs...), nil)
	e.module(rel, b.attrs())
}
