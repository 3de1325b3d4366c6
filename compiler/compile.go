package compiler

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/nixfleet/fleet/dsl"
)

// Option changes how [Compile] runs.
type Option interface{ apply(*config) }

type config struct {
	today time.Time
}

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

// Today sets the date hotfix ages are measured against (default: the current day). Tests
// and reproducible builds fix it.
func Today(t time.Time) Option { return optionFunc(func(c *config) { c.today = t }) }

// Compile checks f and resolves it into a [Model]. The diagnostics are sorted; when any is an
// error, the model must not be emitted (it is still returned, as far as it could be built,
// for tools that want to show it).
func Compile(f *dsl.Fleet, opts ...Option) (*Model, Diagnostics) {
	c := config{today: time.Now().UTC()}
	for _, o := range opts {
		o.apply(&c)
	}
	if f == nil {
		return &Model{}, Diagnostics{{Severity: Error, Message: "no fleet: dsl.New was never called"}}
	}
	cc := &compilation{
		cfg: c, fleet: f, model: &Model{Fleet: f},
		byMachine:     map[*dsl.Machine]*Machine{},
		roleDecls:     map[*Role][]*dsl.Role{},
		memberIndex:   map[*Role]map[*Machine]int{},
		settingsPos:   map[*Role]dsl.Pos{},
		perMachinePos: map[roleMachineKey]dsl.Pos{},
	}
	cc.resolve()
	cc.check()
	return cc.model, cc.r.ds.Sort()
}

// compilation is the state of one Compile call.
type compilation struct {
	cfg       config
	fleet     *dsl.Fleet
	model     *Model
	r         reporter
	byMachine map[*dsl.Machine]*Machine
	byTag     map[string][]*Machine
	// roleDecls are the declarations merged into each role, in declaration order.
	roleDecls map[*Role][]*dsl.Role
	// memberIndex finds an explicit member's index in Role.Machines without a scan.
	memberIndex map[*Role]map[*Machine]int
	// settingsPos and perMachinePos are where a role's settings were last set, for the
	// related position of a conflict.
	settingsPos   map[*Role]dsl.Pos
	perMachinePos map[roleMachineKey]dsl.Pos
	decl          declared
	declPos       map[*Role]map[*dsl.Machine]dsl.Pos // see declFor
	sources       map[string][]byte                  // see source
	ordinal       map[*Machine]int                   // index in model.Machines
}

// byOrdinal orders machines as model.Machines does: by name, ties in declaration order, so
// sets built from maps come out the same every time.
func (cc *compilation) byOrdinal(a, b *Machine) int { return cmp.Compare(cc.ordinal[a], cc.ordinal[b]) }

type roleMachineKey struct {
	role    *Role
	machine *Machine
}

func (cc *compilation) resolve() {
	cc.resolveMachines()
	cc.resolveInstances()
	cc.resolveFeatures()
	cc.resolveGenerators()
	cc.resolvePhases()
	m := cc.model
	f := cc.fleet
	m.Users = sortedBy(nonNil(f.Users), func(u *dsl.User) string { return u.Name })
	m.Inputs = sortedBy(nonNil(f.Inputs), func(in *dsl.Input) string { return in.Name })
	m.Caches = nonNil(f.Caches)
	order := map[dsl.ChannelRole]int{dsl.UnstableChannel: 0, dsl.DarwinStableChannel: 1, dsl.LinuxStableChannel: 2}
	m.Channels = nonNil(f.Channels)
	slices.SortStableFunc(m.Channels, func(a, b *dsl.Channel) int { return cmp.Compare(order[a.Role], order[b.Role]) })
	m.Overlays = Overlays{Hotfixes: nonNil(f.Hotfixes), Patches: nonNil(f.Patches), Overrides: nonNil(f.Overrides)}
}

func (cc *compilation) resolveMachines() {
	cc.byTag = map[string][]*Machine{}
	systems := map[dsl.System]bool{}
	for _, dm := range nonNil(cc.fleet.Machines) {
		if _, dup := cc.byMachine[dm]; dup {
			continue
		}
		m := &Machine{Machine: dm}
		tags := []string{"all", string(dm.Class)}
		for _, t := range dm.Tags {
			tags = append(tags, t.Name)
		}
		slices.Sort(tags)
		m.Tags = slices.Compact(tags)
		for _, t := range m.Tags {
			cc.byTag[t] = append(cc.byTag[t], m)
		}
		m.Users = nonNil(dm.Users)
		cc.byMachine[dm] = m
		cc.model.Machines = append(cc.model.Machines, m)
		systems[dm.System] = true
	}
	slices.SortStableFunc(cc.model.Machines, func(a, b *Machine) int { return cmp.Compare(a.Name, b.Name) })
	cc.ordinal = make(map[*Machine]int, len(cc.model.Machines))
	for i, m := range cc.model.Machines {
		cc.ordinal[m] = i // name order, ties in declaration order
	}
	for _, ms := range cc.byTag {
		slices.SortStableFunc(ms, func(a, b *Machine) int { return cmp.Compare(a.Name, b.Name) })
	}
	for s := range systems {
		if s != "" {
			cc.model.Systems = append(cc.model.Systems, s)
		}
	}
	slices.Sort(cc.model.Systems)
}

// machine returns the model's machine for a DSL machine; a machine that was never declared
// in this fleet (built by another dsl.New, say) is reported and nil.
func (cc *compilation) machine(dm *dsl.Machine, at dsl.Pos) *Machine {
	if dm == nil {
		cc.r.errorf(at, "nil machine reference")
		return nil
	}
	m, ok := cc.byMachine[dm]
	if !ok {
		cc.r.errorf(at, "machine %q is not declared in fleet %q", dm.Name, cc.fleet.Name).Hint =
			"declare it with f.NixOS or f.Darwin on the same fleet"
		return nil
	}
	return m
}

func (cc *compilation) resolveInstances() {
	for _, di := range nonNil(cc.fleet.Instances) {
		inst := &Instance{Instance: di}
		byName := map[string]*Role{}
		members := map[*Machine]bool{}
		for _, dr := range nonNil(di.Roles) {
			role := byName[dr.Name]
			if role == nil {
				role = &Role{Name: dr.Name}
				byName[dr.Name] = role
				inst.Roles = append(inst.Roles, role)
			}
			cc.mergeRole(inst, role, dr)
		}
		for _, role := range inst.Roles {
			slices.SortStableFunc(role.Machines, func(a, b RoleMachine) int { return cmp.Compare(a.Machine.Name, b.Machine.Name) })
			index := cc.memberIndex[role]
			for i, rm := range role.Machines {
				index[rm.Machine] = i
			}
			slices.Sort(role.Tags)
			role.Tags = slices.Compact(role.Tags)
			set := map[*Machine]bool{}
			for _, rm := range role.Machines {
				set[rm.Machine] = true
			}
			for _, t := range role.Tags {
				for _, m := range cc.byTag[t] {
					set[m] = true
				}
			}
			for m := range set {
				role.Members = append(role.Members, m)
				members[m] = true
				m.Roles = append(m.Roles, MemberOf{Instance: inst, Role: role.Name})
			}
			slices.SortFunc(role.Members, cc.byOrdinal)
		}
		slices.SortStableFunc(inst.Roles, func(a, b *Role) int { return cmp.Compare(a.Name, b.Name) })
		for m := range members {
			if m.Class == dsl.Darwin {
				inst.DarwinMembers = append(inst.DarwinMembers, m)
			}
		}
		slices.SortFunc(inst.DarwinMembers, cc.byOrdinal)
		cc.model.Instances = append(cc.model.Instances, inst)
	}
	slices.SortStableFunc(cc.model.Instances, func(a, b *Instance) int { return cmp.Compare(a.Name, b.Name) })
	for _, m := range cc.model.Machines {
		slices.SortStableFunc(m.Roles, func(a, b MemberOf) int {
			return cmp.Or(cmp.Compare(a.Instance.Name, b.Instance.Name), cmp.Compare(a.Role, b.Role))
		})
	}
	cc.fillZerotierControllers()
}

// mergeRole adds one declaration of a role to the merged role, reporting settings that
// conflict with an earlier declaration.
func (cc *compilation) mergeRole(inst *Instance, role *Role, dr *dsl.Role) {
	cc.roleDecls[role] = append(cc.roleDecls[role], dr)
	index := cc.memberIndex[role]
	if index == nil {
		index = map[*Machine]int{}
		cc.memberIndex[role] = index
	}
	addMember := func(m *Machine) int {
		if i, ok := index[m]; ok {
			return i
		}
		role.Machines = append(role.Machines, RoleMachine{Machine: m})
		index[m] = len(role.Machines) - 1
		return len(role.Machines) - 1
	}
	for _, dm := range dr.Machines {
		if m := cc.machine(dm, dr.Pos); m != nil {
			addMember(m)
		}
	}
	for _, t := range dr.Tags {
		role.Tags = append(role.Tags, t.Name)
	}
	if !dr.Settings.IsNull() {
		where := inst.Name + ".roles." + role.Name + ".settings"
		prev, had := cc.settingsPos[role]
		role.Settings = cc.mergeSettings(role.Settings, dr.Settings, where, dr.Pos, prev, had)
		cc.settingsPos[role] = dr.Pos
	}
	for _, ms := range dr.PerMachine {
		m := cc.machine(ms.Machine, ms.Pos)
		if m == nil {
			continue
		}
		i := addMember(m)
		if ms.Settings.IsNull() {
			continue
		}
		at := inst.Name + ".roles." + role.Name + ".machines." + m.Name + ".settings"
		key := roleMachineKey{role, m}
		prev, had := cc.perMachinePos[key]
		role.Machines[i].Settings = cc.mergeSettings(role.Machines[i].Settings, ms.Settings, at, ms.Pos, prev, had)
		cc.perMachinePos[key] = ms.Pos
	}
}

// mergeSettings deep-merges two settings attribute sets; a key set to two different values
// is a conflict (clan accepts one definition per settings node), reported at pos (the later
// declaration) with prev (the earlier one) as related when known.
func (cc *compilation) mergeSettings(base, add dsl.Value, where string, pos, prev dsl.Pos, hasPrev bool) dsl.Value {
	if add.IsNull() {
		return base
	}
	if base.IsNull() {
		return add
	}
	bo, ok1 := base.Underlying().(*dsl.Object)
	ao, ok2 := add.Underlying().(*dsl.Object)
	if !ok1 || !ok2 {
		if !Equal(base, add) {
			d := cc.r.errorf(pos, "conflicting settings for %s: %s here, %s before", where, describeValue(add), describeValue(base))
			d.Hint = "set each setting of a role once"
			if hasPrev && prev != pos {
				d.Related = []dsl.Pos{prev}
			}
		}
		return base
	}
	out := &dsl.Object{}
	for _, k := range bo.Keys {
		out.Set(k, bo.Values[k])
	}
	for _, k := range ao.Keys {
		if old, ok := out.Get(k); ok {
			out.Set(k, cc.mergeSettings(old, ao.Values[k], where+"."+k, pos, prev, hasPrev))
			continue
		}
		out.Set(k, ao.Values[k])
	}
	return dsl.ObjectValue(out)
}

// fillZerotierControllers computes each zerotier controller's allowedIps and allowedIds
// from the darwin members that join through the fleet's own implementation, since clan's
// zerotier module cannot authorise machines it does not manage.
func (cc *compilation) fillZerotierControllers() {
	for _, inst := range cc.model.Instances {
		if inst.Service != "zerotier" || inst.DarwinImpl == nil {
			continue
		}
		var ips, ids []string
		for _, m := range inst.DarwinMembers {
			if m.Zerotier.IP != "" {
				ips = append(ips, m.Zerotier.IP)
			}
			if m.Zerotier.NodeID != "" {
				ids = append(ids, m.Zerotier.NodeID)
			}
		}
		if len(ips)+len(ids) == 0 {
			continue
		}
		for _, role := range inst.Roles {
			if role.Name != "controller" {
				continue
			}
			for i := range role.Machines {
				var kvs []dsl.KV
				if len(ips) > 0 {
					kvs = append(kvs, dsl.Field("allowedIps", ips))
				}
				if len(ids) > 0 {
					kvs = append(kvs, dsl.Field("allowedIds", ids))
				}
				at := inst.Name + ".roles.controller.machines." + role.Machines[i].Machine.Name + ".settings"
				role.Machines[i].Settings = cc.mergeSettings(role.Machines[i].Settings, dsl.Attrs(kvs...), at, inst.Pos, dsl.Pos{}, false)
			}
		}
	}
}

func (cc *compilation) resolveFeatures() {
	seen := map[*dsl.Feature]bool{}
	for _, ft := range nonNil(cc.fleet.Features) {
		if !seen[ft] {
			seen[ft] = true
			cc.model.Features = append(cc.model.Features, ft)
		}
	}
	slices.SortStableFunc(cc.model.Features, func(a, b *dsl.Feature) int { return cmp.Compare(a.Name, b.Name) })
	for _, m := range cc.model.Machines {
		var fs []*dsl.Feature
		add := func(ft *dsl.Feature) {
			if ft != nil && !slices.Contains(fs, ft) {
				fs = append(fs, ft)
			}
		}
		for _, ft := range m.Machine.Features {
			add(ft)
		}
		if m.Class == dsl.Darwin {
			for _, r := range m.Roles {
				if impl := r.Instance.DarwinImpl; impl != nil && !dsl.IsGenerated(impl) {
					add(impl)
				}
			}
		}
		m.Features = fs
	}
}

func (cc *compilation) resolveGenerators() {
	byGen := map[*dsl.Generator]*Generator{}
	var all []*Generator
	get := func(g *dsl.Generator) *Generator {
		if g == nil {
			return nil
		}
		if x, ok := byGen[g]; ok {
			return x
		}
		x := &Generator{Generator: g}
		byGen[g] = x
		all = append(all, x)
		return x
	}
	for _, g := range nonNil(cc.fleet.Generators) {
		get(g)
	}
	partGens := map[*dsl.Part][]*dsl.Generator{} // a feature's part is scanned once, not per machine
	itemGens := func(p *dsl.Part) []*dsl.Generator {
		gs, ok := partGens[p]
		if !ok {
			gs = ItemGenerators(p.Items)
			partGens[p] = gs
		}
		return gs
	}
	for _, m := range cc.model.Machines {
		var gens []*Generator
		use := func(g *dsl.Generator) {
			x := get(g)
			if x == nil || slices.Contains(gens, x) {
				return
			}
			gens = append(gens, x)
			// A machine that runs a generator also runs what it depends on.
		}
		for _, ft := range m.Features {
			if p := ft.Part(m.Class); p != nil {
				for _, g := range itemGens(p) {
					use(g)
				}
			}
		}
		for _, g := range ItemGenerators(m.Config) {
			use(g)
		}
		for _, u := range m.Users {
			for _, ft := range u.Home {
				if ft != nil && ft.Home != nil {
					for _, g := range itemGens(ft.Home) {
						use(g)
					}
				}
			}
		}
		if m.Disk != nil && m.Disk.LUKS != nil {
			use(m.Disk.LUKS)
		}
		for i := 0; i < len(gens); i++ { // dependencies, transitively
			for _, d := range gens[i].Dependencies {
				use(d)
			}
		}
		slices.SortFunc(gens, func(a, b *Generator) int { return cmp.Compare(a.Name, b.Name) })
		m.Generators = gens
		for _, g := range gens {
			g.Machines = append(g.Machines, m)
		}
	}
	cc.model.Generators = cc.orderGenerators(all)
}

// orderGenerators sorts generators so each comes after its dependencies, ties by name.
// Cycles are reported by the checks; here the members of a cycle keep name order.
func (cc *compilation) orderGenerators(all []*Generator) []*Generator {
	slices.SortStableFunc(all, func(a, b *Generator) int { return cmp.Compare(a.Name, b.Name) })
	placed := map[*dsl.Generator]bool{}
	visiting := map[*dsl.Generator]bool{}
	var out []*Generator
	index := map[*dsl.Generator]*Generator{}
	for _, g := range all {
		index[g.Generator] = g
	}
	var visit func(g *Generator)
	visit = func(g *Generator) {
		if placed[g.Generator] || visiting[g.Generator] {
			return
		}
		visiting[g.Generator] = true
		deps := slices.Clone(g.Dependencies)
		slices.SortStableFunc(deps, func(a, b *dsl.Generator) int { return cmp.Compare(nameOf(a), nameOf(b)) })
		for _, d := range deps {
			if x := index[d]; x != nil {
				visit(x)
			}
		}
		visiting[g.Generator] = false
		placed[g.Generator] = true
		out = append(out, g)
	}
	for _, g := range all {
		visit(g)
	}
	return out
}

func nameOf(g *dsl.Generator) string {
	if g == nil {
		return ""
	}
	return g.Name
}

func (cc *compilation) resolvePhases() {
	for i, p := range nonNil(cc.fleet.Phases) {
		cc.model.Phases = append(cc.model.Phases, &Phase{Phase: p, Number: i + 1})
		for _, dm := range p.Machines {
			if m := cc.byMachine[dm]; m != nil && m.Phase == 0 {
				m.Phase = i + 1
			}
		}
	}
}

// ItemGenerators returns the generators a module's items use: those attached with
// dsl.Generators and those whose files the settings reference, in order of first use.
func ItemGenerators(items []dsl.Item) []*dsl.Generator {
	var out []*dsl.Generator
	add := func(g *dsl.Generator) {
		if g != nil && !slices.Contains(out, g) {
			out = append(out, g)
		}
	}
	for _, it := range items {
		if x, ok := dsl.SettingOf(it); ok { // plain or class-specific
			WalkValue(x.Value, func(v dsl.Value) {
				if r, ok := v.Underlying().(dsl.SecretRef); ok {
					add(r.Generator)
				}
			})
			continue
		}
		switch x := it.(type) {
		case dsl.GeneratorList:
			for _, g := range x.Generators {
				add(g)
			}
		case dsl.Setting:
			WalkValue(x.Value, func(v dsl.Value) {
				if r, ok := v.Underlying().(dsl.SecretRef); ok {
					add(r.Generator)
				}
			})
		}
	}
	return out
}

// WalkValue calls fn for v and every value inside it, depth first.
func WalkValue(v dsl.Value, fn func(dsl.Value)) {
	fn(v)
	switch x := v.Underlying().(type) {
	case []dsl.Value:
		for _, e := range x {
			WalkValue(e, fn)
		}
	case *dsl.Object:
		for _, k := range x.Keys {
			WalkValue(x.Values[k], fn)
		}
	}
}

// Equal reports whether two values are the same.
func Equal(a, b dsl.Value) bool {
	switch x := a.Underlying().(type) {
	case []dsl.Value:
		y, ok := b.Underlying().([]dsl.Value)
		return ok && slices.EqualFunc(x, y, Equal)
	case *dsl.Object:
		y, ok := b.Underlying().(*dsl.Object)
		if !ok || x.Len() != y.Len() {
			return false
		}
		for _, k := range x.Keys {
			yv, ok := y.Get(k)
			if !ok || !Equal(x.Values[k], yv) {
				return false
			}
		}
		return true
	case dsl.PkgRef:
		y, ok := b.Underlying().(dsl.PkgRef)
		return ok && x.Set == y.Set && slices.Equal(x.Path, y.Path)
	case dsl.SecretRef:
		y, ok := b.Underlying().(dsl.SecretRef)
		return ok && x.Generator == y.Generator && x.File == y.File && x.Public == y.Public
	case dsl.InputRef:
		y, ok := b.Underlying().(dsl.InputRef)
		return ok && x.Input == y.Input && slices.Equal(x.Path, y.Path)
	case dsl.RawNix:
		y, ok := b.Underlying().(dsl.RawNix)
		return ok && x.Source == y.Source
	}
	return a.Underlying() == b.Underlying()
}

func nonNil[T any](xs []*T) []*T {
	var out []*T
	for _, x := range xs {
		if x != nil {
			out = append(out, x)
		}
	}
	return out
}

func sortedBy[T any](xs []*T, key func(*T) string) []*T {
	out := slices.Clone(xs)
	slices.SortStableFunc(out, func(a, b *T) int { return strings.Compare(key(a), key(b)) })
	return out
}
