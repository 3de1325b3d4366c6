package compiler

import (
	"regexp"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

// The name rules of clan and of the things names become (host names, path components).
var (
	machineNameRE  = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`)
	fleetNameRE    = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	domainRE       = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$`)
	userNameRE     = regexp.MustCompile(`^[a-z_][a-z0-9_-]*$`)
	pathNameRE     = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
	instanceNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
)

const maxMachineName = 63 // clan_lib/machines/machine_name.py; also a DNS label
const maxUserName = 32    // sops user names and Linux account names

// checkNames checks the name of everything that has one, and that names are unique where
// they must be.
func (cc *compilation) checkNames() {
	f := cc.fleet
	switch {
	case f.Name == "":
		cc.r.errorf(f.Pos, "the fleet has no name").Hint = "clan's meta.name is required: dsl.New(\"name\")"
	case !fleetNameRE.MatchString(f.Name):
		cc.r.errorf(f.Pos, "invalid fleet name %q: clan's meta.name allows only letters, digits, '_' and '-'", f.Name)
	}
	if f.Domain != "" && !domainRE.MatchString(f.Domain) {
		d := cc.r.errorf(f.Pos, "invalid domain %q: clan's meta.domain must be a lower-case DNS name", f.Domain)
		if l := strings.ToLower(f.Domain); l != f.Domain && domainRE.MatchString(l) {
			d.Hint = sprintf("use %q", l)
		}
	}

	for _, m := range nonNil(f.Machines) {
		if msg, hint := machineNameProblem(m.Name); msg != "" {
			cc.r.errorf(m.Pos, "%s", msg).Hint = hint
		}
	}
	firstDup(cc, f.Machines, "machine", func(m *dsl.Machine) string { return m.Name }, func(m *dsl.Machine) dsl.Pos { return m.Pos })

	for _, u := range nonNil(f.Users) {
		switch {
		case u.Name == "":
			cc.r.errorf(u.Pos, "user has no name")
		case len(u.Name) > maxUserName:
			cc.r.errorf(u.Pos, "user name %q is %d characters long; at most %d are allowed", u.Name, len(u.Name), maxUserName)
		case !userNameRE.MatchString(u.Name):
			d := cc.r.errorf(u.Pos, "invalid user name %q: start with a lower-case letter or '_', then lower-case letters, digits, '_' or '-'", u.Name)
			if l := strings.ToLower(u.Name); userNameRE.MatchString(l) {
				d.Hint = sprintf("use %q", l)
			}
		}
	}
	firstDup(cc, f.Users, "user", func(u *dsl.User) string { return u.Name }, func(u *dsl.User) dsl.Pos { return u.Pos })

	for _, ft := range nonNil(f.Features) {
		if problem := pathNameProblem(ft.Name); problem != "" {
			cc.r.errorf(ft.Pos, "invalid feature name %q: %s", ft.Name, problem)
		}
	}
	firstDup(cc, f.Features, "feature", func(ft *dsl.Feature) string { return ft.Name }, func(ft *dsl.Feature) dsl.Pos { return ft.Pos })

	for _, in := range nonNil(f.Instances) {
		if in.Name == "" {
			cc.r.errorf(in.Pos, "%s instance has no name", in.Service)
		} else if !instanceNameRE.MatchString(in.Name) {
			d := cc.r.errorf(in.Pos, "invalid instance name %q: use letters, digits, '_' and '-'", in.Name)
			if in.Service == "zerotier" {
				d.Hint = "zerotier networks are keyed by instance name: choose it once, renaming creates a new network"
			}
		}
	}
	firstDup(cc, f.Instances, "instance", func(i *dsl.Instance) string { return i.Name }, func(i *dsl.Instance) dsl.Pos { return i.Pos })

	for _, g := range nonNil(f.Generators) {
		if problem := pathNameProblem(g.Name); problem != "" {
			cc.r.errorf(g.Pos, "invalid generator name %q: %s", g.Name, problem)
		}
	}
	firstDup(cc, f.Generators, "generator", func(g *dsl.Generator) string { return g.Name }, func(g *dsl.Generator) dsl.Pos { return g.Pos })
}

// machineNameProblem explains why a machine name breaks clan's rule, or returns "".
func machineNameProblem(name string) (msg, hint string) {
	switch {
	case name == "":
		return "machine has no name", ""
	case len(name) > maxMachineName:
		return sprintf("machine name %q is %d characters long; clan allows at most %d", name, len(name), maxMachineName), ""
	case machineNameRE.MatchString(name):
		return "", ""
	case machineNameRE.MatchString(strings.ToLower(name)):
		return sprintf("invalid machine name %q: it becomes a host name, use lower case", name), sprintf("use %q", strings.ToLower(name))
	}
	return sprintf("invalid machine name %q: use lower-case letters, digits and '-' (not at either end)", name), ""
}

// pathNameProblem explains why a name cannot be a path component, or returns "".
func pathNameProblem(name string) string {
	switch {
	case name == "":
		return "it is empty"
	case name == "." || name == "..":
		return "it is a relative path component"
	case !pathNameRE.MatchString(name):
		return "it becomes a path component; use only letters, digits, '.', '_' and '-'"
	}
	return ""
}

func computedTag(name string) bool { return name == "all" || name == "nixos" || name == "darwin" }

// checkTags checks declared tags and every use of a tag by a machine or a role: the name must
// be declared with f.Tag or be one clan computes.
func (cc *compilation) checkTags() {
	f := cc.fleet
	seen := map[string]dsl.Tag{}
	for _, t := range f.Tags {
		switch {
		case computedTag(t.Name):
			cc.r.errorf(t.Pos, "tag %q is computed by clan and cannot be declared", t.Name).Hint = "use dsl.All, dsl.NixOSTag or dsl.DarwinTag"
			continue
		case t.Name == "":
			cc.r.errorf(posOr(t.Pos, f.Pos), "tag has no name")
			continue
		case !machineNameRE.MatchString(t.Name):
			cc.r.errorf(posOr(t.Pos, f.Pos), "invalid tag name %q: use lower-case letters, digits and '-' (not at either end)", t.Name)
		}
		if prev, ok := seen[t.Name]; ok {
			d := cc.r.errorf(posOr(t.Pos, f.Pos), "tag %q is declared twice", t.Name)
			d.Related = []dsl.Pos{prev.Pos}
			continue
		}
		seen[t.Name] = t
	}
	for _, m := range nonNil(f.Machines) {
		for _, t := range m.Tags {
			if computedTag(t.Name) {
				if t.Name != "all" && t.Name != string(m.Class) {
					cc.r.errorf(m.Pos, "%s machine %q cannot carry the computed tag %q", m.Class, m.Name, t.Name).Hint =
						"clan sets the nixos and darwin tags from the machine's class"
				}
				continue
			}
			cc.checkTagUse(t, m.Pos, sprintf("machine %q", m.Name))
		}
	}
	for _, in := range nonNil(f.Instances) {
		for _, r := range nonNil(in.Roles) {
			for _, t := range r.Tags {
				if !computedTag(t.Name) {
					cc.checkTagUse(t, r.Pos, sprintf("role %s of instance %q", r.Name, in.Name))
				}
			}
		}
	}
}

func (cc *compilation) checkTagUse(t dsl.Tag, at dsl.Pos, user string) {
	if _, ok := cc.decl.tags[t.Name]; ok {
		return
	}
	if t.Name == "" {
		cc.r.errorf(at, "%s uses a tag with no name", user)
		return
	}
	d := cc.r.errorf(at, "%s uses undeclared tag %q", user, t.Name)
	d.Hint = didYouMean(t.Name, cc.decl.tagNames)
	if d.Hint == "" {
		d.Hint = sprintf("declare it with f.Tag(%q)", t.Name)
	}
}
