package compiler

import (
	"fmt"

	"github.com/nixfleet/fleet/dsl"
)

// declared is what the fleet registered, for the checks' lookups.
type declared struct {
	features   map[*dsl.Feature]bool
	generators map[*dsl.Generator]bool
	users      map[*dsl.User]bool
	inputs     map[string]*dsl.Input
	tags       map[string]dsl.Tag // first declaration of each tag name
	tagNames   []string           // declared tags in declaration order, then the computed ones
	channels   map[dsl.ChannelRole]*dsl.Channel
	systems    map[dsl.System]bool
	hasDarwin  bool
	hasLinux   bool
}

// check runs every check on the resolved model. Each theme lives in its own file
// (check_<theme>.go); all of them run, so every problem is reported at once.
func (cc *compilation) check() {
	cc.collectDeclared()
	cc.checkNilEntries()
	cc.checkNames()
	cc.checkTags()
	cc.checkMachines()
	cc.checkDiskLayouts()
	cc.checkHosting()
	cc.checkFeatures()
	cc.checkItems()
	cc.checkServices()
	cc.checkChannels()
	cc.checkHotfixes()
	cc.checkPatches()
	cc.checkOverrides()
	cc.checkGenerators()
	cc.checkUsers()
	cc.checkAgeKeys()
	cc.checkCaches()
	cc.checkPhases()
	cc.checkInputs()
	cc.checkOptionPaths()
	cc.checkHotfixReview()
}

func (cc *compilation) collectDeclared() {
	f := cc.fleet
	d := declared{
		features:   map[*dsl.Feature]bool{},
		generators: map[*dsl.Generator]bool{},
		users:      map[*dsl.User]bool{},
		inputs:     map[string]*dsl.Input{},
		tags:       map[string]dsl.Tag{},
		channels:   map[dsl.ChannelRole]*dsl.Channel{},
		systems:    map[dsl.System]bool{},
	}
	for _, ft := range nonNil(f.Features) {
		d.features[ft] = true
	}
	for _, g := range nonNil(f.Generators) {
		d.generators[g] = true
	}
	for _, u := range nonNil(f.Users) {
		d.users[u] = true
	}
	for _, in := range nonNil(f.Inputs) {
		if _, ok := d.inputs[in.Name]; !ok {
			d.inputs[in.Name] = in
		}
	}
	for _, t := range f.Tags {
		if _, ok := d.tags[t.Name]; !ok && !computedTag(t.Name) {
			d.tags[t.Name] = t
			d.tagNames = append(d.tagNames, t.Name)
		}
	}
	d.tagNames = append(d.tagNames, "all", "nixos", "darwin")
	for _, c := range nonNil(f.Channels) {
		if _, ok := d.channels[c.Role]; !ok {
			d.channels[c.Role] = c
		}
	}
	for _, m := range cc.model.Machines {
		d.systems[m.System] = true
		d.hasDarwin = d.hasDarwin || m.System.IsDarwin()
		d.hasLinux = d.hasLinux || m.System.IsLinux()
	}
	cc.decl = d
}

// checkNilEntries reports nil entries of the fleet's lists (a front-end other than the Go
// constructors can produce them); resolution skips them.
func (cc *compilation) checkNilEntries() {
	f := cc.fleet
	report := func(list string, n int) {
		cc.r.errorf(f.Pos, "fleet.%s[%d] is nil", list, n)
	}
	nilAt(f.Machines, func(i int) { report("Machines", i) })
	nilAt(f.Users, func(i int) { report("Users", i) })
	nilAt(f.Features, func(i int) { report("Features", i) })
	nilAt(f.Instances, func(i int) { report("Instances", i) })
	nilAt(f.Inputs, func(i int) { report("Inputs", i) })
	nilAt(f.Channels, func(i int) { report("Channels", i) })
	nilAt(f.Hotfixes, func(i int) { report("Hotfixes", i) })
	nilAt(f.Patches, func(i int) { report("Patches", i) })
	nilAt(f.Overrides, func(i int) { report("Overrides", i) })
	nilAt(f.Generators, func(i int) { report("Generators", i) })
	nilAt(f.Caches, func(i int) { report("Caches", i) })
	nilAt(f.Phases, func(i int) { report("Phases", i) })
}

func nilAt[T any](xs []*T, fn func(int)) {
	for i, x := range xs {
		if x == nil {
			fn(i)
		}
	}
}

// posOr returns p when it is valid, else the fallback (a Tag{} literal has no position; the
// declaration using it does).
func posOr(p, fallback dsl.Pos) dsl.Pos {
	if p.IsValid() {
		return p
	}
	return fallback
}

// firstDup reports, for items sharing a name, each later one as a duplicate of the first.
// Identical pointers count once (resolution merges them).
func firstDup[T any](cc *compilation, xs []*T, kind string, name func(*T) string, pos func(*T) dsl.Pos) {
	first := map[string]*T{}
	for _, x := range xs {
		if x == nil {
			continue
		}
		n := name(x)
		prev, ok := first[n]
		if !ok {
			first[n] = x
			continue
		}
		if prev == x {
			continue
		}
		d := cc.r.errorf(pos(x), "%s %q is declared twice", kind, n)
		d.Related = []dsl.Pos{pos(prev)}
	}
}

// sprintf exists so messages built in pieces still go through go vet's printf check.
func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }
