package compiler

import (
	"github.com/nixfleet/fleet/dsl"
)

// checkFeatures checks features themselves (parts, emptiness) and every use of one: by a
// machine (a part for its class), by a user (a home part) and as a darwin implementation.
func (cc *compilation) checkFeatures() {
	for _, ft := range nonNil(cc.fleet.Features) {
		parts := ft.Parts()
		items := 0
		for _, p := range parts {
			if p.Class != partClass(ft, p) {
				cc.r.errorf(posOr(p.Pos, ft.Pos), "feature %q has a %s part in its %s slot", ft.Name, p.Class, partClass(ft, p))
			}
			for _, it := range p.Items {
				if pos, ok := dsl.DuplicatePartPos(it); ok {
					d := cc.r.errorf(posOr(pos, ft.Pos), "feature %q has a second %s part", ft.Name, p.Class)
					d.Hint = "put all of a class's items in one part"
					d.Related = []dsl.Pos{p.Pos}
					continue
				}
				items++
			}
		}
		if items == 0 {
			cc.r.warnf(ft.Pos, "feature %q is empty", ft.Name).Hint = "give it a dsl.NixOSPart, dsl.DarwinPart or dsl.HomePart with items, or delete it"
		}
	}

	for _, m := range cc.model.Machines {
		for i, ft := range m.Machine.Features {
			if ft == nil {
				cc.r.errorf(m.Pos, "machine %q: feature %d is nil", m.Name, i+1)
				continue
			}
			cc.checkFeatureDeclared(ft, m.Pos, sprintf("machine %q", m.Name))
			if (m.Class == dsl.NixOS || m.Class == dsl.Darwin) && ft.Part(m.Class) == nil {
				d := cc.r.errorf(m.Pos, "feature %q has no %s part, but %s machine %q uses it", ft.Name, m.Class, m.Class, m.Name)
				d.Hint = sprintf("add a %s to the feature, or take it off the machine", partConstructor(m.Class))
				d.Related = []dsl.Pos{ft.Pos}
			}
		}
	}

	for _, u := range nonNil(cc.fleet.Users) {
		for i, ft := range u.Home {
			if ft == nil {
				cc.r.errorf(u.Pos, "user %q: home feature %d is nil", u.Name, i+1)
				continue
			}
			cc.checkFeatureDeclared(ft, u.Pos, sprintf("user %q", u.Name))
			if ft.Home == nil {
				d := cc.r.errorf(u.Pos, "feature %q has no homeManager part, but user %q uses it as a home feature", ft.Name, u.Name)
				d.Hint = "add a dsl.HomePart to the feature"
				d.Related = []dsl.Pos{ft.Pos}
			}
		}
	}

	for _, in := range nonNil(cc.fleet.Instances) {
		impl := in.DarwinImpl
		switch {
		case impl == nil:
		case dsl.IsZerotierHomebrew(impl):
			if in.Service != "zerotier" {
				cc.r.errorf(in.Pos, "%s instance %q uses the zerotier Homebrew implementation on darwin", in.Service, in.Name)
			}
		case dsl.IsUsersAccounts(impl):
			if in.Service != "users" {
				cc.r.errorf(in.Pos, "%s instance %q uses the users account implementation on darwin", in.Service, in.Name)
			}
		case dsl.IsGenerated(impl): // written by the emitter
		default:
			cc.checkFeatureDeclared(impl, in.Pos, sprintf("instance %q", in.Name))
			if impl.Darwin == nil {
				d := cc.r.errorf(in.Pos, "feature %q has no darwin part, but instance %q uses it as its darwin implementation", impl.Name, in.Name)
				d.Hint = "add a dsl.DarwinPart to the feature"
				d.Related = []dsl.Pos{impl.Pos}
			}
		}
	}
}

func (cc *compilation) checkFeatureDeclared(ft *dsl.Feature, at dsl.Pos, user string) {
	if !cc.decl.features[ft] {
		cc.r.errorf(at, "%s uses feature %q, which is not declared in fleet %q", user, ft.Name, cc.fleet.Name).Hint =
			"declare features with f.Feature on the same fleet"
	}
}

// partClass is the class of the slot p is in.
func partClass(ft *dsl.Feature, p *dsl.Part) dsl.Class {
	switch p {
	case ft.NixOS:
		return dsl.NixOS
	case ft.Darwin:
		return dsl.Darwin
	}
	return dsl.HomeManager
}

func partConstructor(c dsl.Class) string {
	switch c {
	case dsl.Darwin:
		return "dsl.DarwinPart"
	case dsl.HomeManager:
		return "dsl.HomePart"
	}
	return "dsl.NixOSPart"
}
