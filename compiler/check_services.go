package compiler

import (
	"math"
	"net/netip"
	"regexp"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
	"golang.org/x/crypto/ssh"
)

var zerotierNodeIDRE = regexp.MustCompile(`^[0-9a-f]{10}$`)

// checkServices checks every service instance: the service exists, its roles are the
// service's, settings are JSON and fit the role's interface, role cardinality, members of a
// class the service supports, tags that match machines, and zerotier's own rules.
func (cc *compilation) checkServices() {
	for _, inst := range cc.model.Instances {
		cc.checkInstance(inst)
	}
}

func (cc *compilation) checkInstance(inst *Instance) {
	di := inst.Instance
	for i, r := range di.Roles {
		if r == nil {
			cc.r.errorf(di.Pos, "instance %q: role %d is nil", di.Name, i+1)
		}
	}
	for _, role := range inst.Roles {
		for _, dr := range cc.roleDecls[role] {
			cc.checkSerialisable(dr, di)
		}
	}
	cc.checkEmptyTags(inst)
	if di.Service == "" {
		cc.r.errorf(di.Pos, "instance %q names no service", di.Name)
		return
	}
	builtin := di.Input == "" || di.Input == "clan-core"
	if !builtin && di.Input != "self" && cc.decl.inputs[di.Input] == nil {
		d := cc.r.errorf(di.Pos, "instance %q takes service %q from flake input %q, which is not declared", di.Name, di.Service, di.Input)
		names := []string{"self", "clan-core"}
		for _, in := range nonNil(cc.fleet.Inputs) {
			names = append(names, in.Name)
		}
		d.Hint = didYouMean(di.Input, names)
		if d.Hint == "" {
			d.Hint = sprintf("declare it with f.Input(%q, url)", di.Input)
		}
	}
	if !builtin {
		cc.checkNoMembers(inst, nil)
		return // a service we do not know the interface of
	}
	spec := builtinServices[di.Service]
	if spec == nil {
		d := cc.r.errorf(di.Pos, "unknown clan-core service %q", di.Service)
		d.Hint = didYouMean(di.Service, builtinNames)
		if d.Hint == "" {
			d.Hint = "for a service of another flake, add dsl.FromInput(name)"
		}
		return
	}
	if spec.removed != "" {
		cc.r.errorf(di.Pos, "clan-core no longer has the %s service", di.Service).Hint = spec.removed
		return
	}
	if spec.deprecated != "" {
		cc.r.warnf(di.Pos, "clan-core's %s service is deprecated", di.Service).Hint = spec.deprecated
	}
	ctxOf := func(role string) string { return sprintf("role %s of %s instance %q", role, di.Service, di.Name) }
	for _, role := range inst.Roles {
		rs := spec.roles[role.Name]
		decls := cc.roleDecls[role]
		if rs == nil {
			d := cc.r.errorf(decls[0].Pos, "%s service has no role %q", di.Service, role.Name)
			d.Hint = didYouMean(role.Name, spec.roleNames())
			if d.Hint == "" {
				d.Hint = "its roles are " + strings.Join(spec.roleNames(), ", ")
			}
			continue
		}
		if rs.settings != nil {
			for _, dr := range decls {
				cc.checkRoleSettings(rs.settings, dr.Settings, dr.Pos, ctxOf(role.Name))
				for _, ms := range dr.PerMachine {
					cc.checkRoleSettings(rs.settings, ms.Settings, posOr(ms.Pos, dr.Pos), ctxOf(role.Name))
				}
			}
		}
		cc.checkCardinality(inst, role, rs)
	}
	for _, name := range spec.roleNames() {
		rs := spec.roles[name]
		if rs.min > 0 && !slices.ContainsFunc(inst.Roles, func(r *Role) bool { return r.Name == name }) {
			cc.checkCardinality(inst, &Role{Name: name}, rs)
		}
	}
	cc.checkNoMembers(inst, spec)
	if !spec.darwin && di.DarwinImpl == nil {
		cc.checkDarwinMembers(inst)
	}
	if di.Service == "zerotier" {
		cc.checkZerotier(inst)
	}
}

// checkSerialisable reports values clan cannot serialise to JSON in a role's settings.
func (cc *compilation) checkSerialisable(dr *dsl.Role, di *dsl.Instance) {
	check := func(v dsl.Value, at dsl.Pos) {
		if v.IsNull() {
			return
		}
		if _, ok := v.Underlying().(*dsl.Object); !ok {
			cc.r.errorf(at, "settings of role %s of instance %q must be an attribute set, not %s", dr.Name, di.Name, kindOf(v))
			return
		}
		WalkValue(v, func(v dsl.Value) {
			var pos dsl.Pos
			switch x := v.Underlying().(type) {
			case dsl.PkgRef:
				pos = x.Pos
			case dsl.SecretRef:
				pos = x.Pos
			case dsl.InputRef:
				pos = x.Pos
			case dsl.RawNix:
				pos = x.Pos
			case float64:
				if !math.IsNaN(x) && !math.IsInf(x, 0) {
					return
				}
			default:
				return
			}
			d := cc.r.errorf(posOr(pos, at), "settings of role %s of instance %q must be JSON, but hold %s", dr.Name, di.Name, kindOf(v))
			d.Hint = "clan serialises service settings; put Nix values in a feature instead"
		})
	}
	check(dr.Settings, dr.Pos)
	for _, ms := range dr.PerMachine {
		check(ms.Settings, posOr(ms.Pos, dr.Pos))
	}
}

// checkRoleSettings checks a settings attribute set against a role's interface.
func (cc *compilation) checkRoleSettings(s *schema, v dsl.Value, at dsl.Pos, ctx string) {
	if _, ok := v.Underlying().(*dsl.Object); !ok {
		return // null, or reported by checkSerialisable
	}
	cc.checkSetting(s, v, "", at, ctx)
}

func (cc *compilation) checkSetting(s *schema, v dsl.Value, path string, at dsl.Pos, ctx string) {
	switch v.Underlying().(type) {
	case dsl.PkgRef, dsl.SecretRef, dsl.InputRef, dsl.RawNix:
		return // reported by checkSerialisable
	}
	wrong := func() {
		cc.r.errorf(at, "setting %s of %s must be %s, not %s", path, ctx, s.describe(), kindOf(v))
	}
	switch s.kind {
	case kAny:
	case kString:
		str, ok := v.Underlying().(string)
		if !ok {
			wrong()
		} else if s.sshKey {
			cc.checkSSHKey(str, at, sprintf("setting %s of %s", path, ctx))
		}
	case kBool:
		if _, ok := v.Underlying().(bool); !ok {
			wrong()
		}
	case kInt:
		if _, ok := v.Underlying().(int64); !ok {
			wrong()
		}
	case kPort:
		if n, ok := v.Underlying().(int64); !ok || n < 0 || n > 65535 {
			wrong()
		}
	case kNullOrString:
		if _, ok := v.Underlying().(string); !ok && !v.IsNull() {
			wrong()
		}
	case kStringList:
		list, ok := v.Underlying().([]dsl.Value)
		if !ok {
			wrong()
			return
		}
		for i, e := range list {
			switch x := e.Underlying().(type) {
			case string:
				if s.sshKey {
					cc.checkSSHKey(x, at, sprintf("setting %s[%d] of %s", path, i, ctx))
				}
			case dsl.PkgRef, dsl.SecretRef, dsl.InputRef, dsl.RawNix:
			default:
				cc.r.errorf(at, "setting %s[%d] of %s must be a string, not %s", path, i, ctx, kindOf(e))
			}
		}
	case kAttrsOf:
		o, ok := v.Underlying().(*dsl.Object)
		if !ok {
			wrong()
			return
		}
		for _, k := range o.Keys {
			cc.checkSetting(s.elem, o.Values[k], joinPath(path, k), at, ctx)
		}
	case kObject:
		o, ok := v.Underlying().(*dsl.Object)
		if !ok {
			wrong()
			return
		}
		for _, k := range o.Keys {
			field := s.fields[k]
			if field == nil {
				d := cc.r.errorf(at, "unknown setting %s of %s", joinPath(path, k), ctx)
				d.Hint = didYouMean(k, s.keys())
				if d.Hint == "" {
					if len(s.fields) == 0 {
						d.Hint = "the role takes no settings"
					} else {
						d.Hint = "known settings: " + strings.Join(s.keys(), ", ")
					}
				}
				continue
			}
			cc.checkSetting(field, o.Values[k], joinPath(path, k), at, ctx)
		}
	}
}

func joinPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func (cc *compilation) checkSSHKey(key string, at dsl.Pos, what string) {
	if _, _, _, _, err := ssh.ParseAuthorizedKey([]byte(key)); err != nil {
		cc.r.errorf(at, "%s is not an SSH public key: %v", what, err)
	}
}

// checkCardinality checks a role's member count against the service's constraints.
func (cc *compilation) checkCardinality(inst *Instance, role *Role, rs *roleSpec) {
	n := len(role.Members)
	di := inst.Instance
	names := make([]string, 0, min(n, 6))
	for _, m := range role.Members[:min(n, 6)] {
		names = append(names, m.Name)
	}
	switch {
	case rs.max > 0 && n > rs.max:
		var contributing []dsl.Pos
		for _, dr := range cc.roleDecls[role] {
			if len(dr.Machines)+len(dr.Tags)+len(dr.PerMachine) > 0 {
				contributing = append(contributing, dr.Pos)
			}
		}
		at := di.Pos
		if len(contributing) > 0 {
			at = contributing[len(contributing)-1]
		}
		var d *Diagnostic
		if rs.min == rs.max {
			d = cc.r.errorf(at, "%s instance %q has %d %ss (%s); it needs exactly %d", di.Service, di.Name, n, role.Name, quoteList(names, 5), rs.max)
		} else {
			d = cc.r.errorf(at, "%s instance %q has %d %ss (%s); at most %d are allowed", di.Service, di.Name, n, role.Name, quoteList(names, 5), rs.max)
		}
		if len(contributing) > 1 {
			d.Related = contributing[:len(contributing)-1]
		}
	case n < rs.min:
		if rs.min == rs.max {
			cc.r.errorf(di.Pos, "%s instance %q has %s; it needs exactly %d", di.Service, di.Name, countOf(n, role.Name), rs.min)
		} else {
			cc.r.errorf(di.Pos, "%s instance %q has %s; it needs at least %d", di.Service, di.Name, countOf(n, role.Name), rs.min)
		}
	}
}

func countOf(n int, noun string) string {
	if n == 0 {
		return "no " + noun
	}
	return plural(n, noun)
}

// checkNoMembers warns about roles without members (clan builds nothing for them). A role
// whose tags match no machine is reported by checkEmptyTags; a required role by
// checkCardinality.
func (cc *compilation) checkNoMembers(inst *Instance, spec *serviceSpec) {
	for _, role := range inst.Roles {
		if len(role.Members) > 0 || len(role.Tags) > 0 {
			continue
		}
		if spec != nil {
			if rs := spec.roles[role.Name]; rs == nil || rs.min > 0 {
				continue
			}
		}
		cc.r.warnf(cc.roleDecls[role][0].Pos, "role %s of instance %q has no members", role.Name, inst.Name)
	}
}

// checkEmptyTags warns about tags in roles that no machine carries (clan only warns too).
func (cc *compilation) checkEmptyTags(inst *Instance) {
	for _, role := range inst.Roles {
		for _, dr := range cc.roleDecls[role] {
			for _, t := range dr.Tags {
				_, declared := cc.decl.tags[t.Name]
				if len(cc.byTag[t.Name]) > 0 || !(declared || computedTag(t.Name)) {
					continue
				}
				d := cc.r.warnf(posOr(t.Pos, dr.Pos), "no machine has tag %q, which role %s of instance %q uses", t.Name, role.Name, inst.Name)
				if t.Pos.IsValid() && t.Pos != dr.Pos {
					d.Related = []dsl.Pos{dr.Pos}
				}
			}
		}
	}
}

// checkDarwinMembers reports darwin members of an instance of a service that does nothing
// on darwin and has no darwin implementation.
func (cc *compilation) checkDarwinMembers(inst *Instance) {
	if len(inst.DarwinMembers) == 0 {
		return
	}
	di := inst.Instance
	for _, role := range inst.Roles {
		for _, dr := range cc.roleDecls[role] {
			var explicit []string
			seen := map[*Machine]bool{}
			add := func(dm *dsl.Machine) {
				if m := cc.byMachine[dm]; m != nil && m.Class == dsl.Darwin && !seen[m] {
					seen[m] = true
					explicit = append(explicit, m.Name)
				}
			}
			for _, dm := range dr.Machines {
				add(dm)
			}
			for _, ms := range dr.PerMachine {
				add(ms.Machine)
			}
			for _, name := range explicit {
				d := cc.r.errorf(dr.Pos, "clan's %s service does nothing on darwin, but role %s of instance %q includes darwin machine %q", di.Service, role.Name, di.Name, name)
				d.Hint = darwinHint(di.Service)
			}
			for _, t := range dr.Tags {
				var darwins []string
				for _, m := range cc.byTag[t.Name] {
					if m.Class == dsl.Darwin {
						darwins = append(darwins, m.Name)
					}
				}
				if len(darwins) == 0 {
					continue
				}
				what := "darwin machine " + quoteList(darwins, 5)
				if len(darwins) > 1 {
					what = "darwin machines " + quoteList(darwins, 5)
				}
				d := cc.r.errorf(dr.Pos, "clan's %s service does nothing on darwin, but role %s of instance %q includes %s through tag %q", di.Service, role.Name, di.Name, what, t.Name)
				d.Hint = darwinHint(di.Service)
			}
		}
	}
}

// declFor is the position of the role declaration that makes m a member: the first that
// names it, else the first whose tag it carries, else fallback.
func (cc *compilation) declFor(role *Role, m *Machine, fallback dsl.Pos) dsl.Pos {
	if cc.declPos == nil {
		cc.declPos = map[*Role]map[*dsl.Machine]dsl.Pos{}
	}
	explicit, ok := cc.declPos[role]
	if !ok {
		explicit = map[*dsl.Machine]dsl.Pos{}
		for _, dr := range cc.roleDecls[role] {
			for _, ms := range dr.PerMachine {
				if _, seen := explicit[ms.Machine]; !seen {
					explicit[ms.Machine] = posOr(ms.Pos, dr.Pos)
				}
			}
			for _, dm := range dr.Machines {
				if _, seen := explicit[dm]; !seen {
					explicit[dm] = dr.Pos
				}
			}
		}
		cc.declPos[role] = explicit
	}
	if p, ok := explicit[m.Machine]; ok {
		return p
	}
	for _, dr := range cc.roleDecls[role] {
		for _, t := range dr.Tags {
			if _, found := slices.BinarySearch(m.Tags, t.Name); found {
				return dr.Pos
			}
		}
	}
	return fallback
}

// checkZerotier checks zerotier's own rules: an always-on NixOS controller, moons with stable
// endpoints, and darwin members joining through Homebrew with an identity the controller can
// authorise.
func (cc *compilation) checkZerotier(inst *Instance) {
	di := inst.Instance
	for _, role := range inst.Roles {
		switch role.Name {
		case "controller":
			for _, m := range role.Members {
				at := cc.declFor(role, m, di.Pos)
				if m.Class != dsl.NixOS {
					cc.r.errorf(at, "zerotier controller %q of instance %q must be a NixOS machine", m.Name, di.Name)
				}
				if !m.AlwaysOn {
					d := cc.r.errorf(at, "zerotier controller %q of instance %q is not always on", m.Name, di.Name)
					d.Hint = "peers join only while the controller is reachable: run it on a server marked dsl.AlwaysOn()"
					d.Related = []dsl.Pos{m.Pos}
				}
			}
		case "moon":
			for _, rm := range role.Members {
				at := cc.declFor(role, rm, di.Pos)
				if rm.Class != dsl.NixOS && di.DarwinImpl != nil {
					cc.r.errorf(at, "zerotier moon %q of instance %q must be a NixOS machine", rm.Name, di.Name)
				}
				eps, ok := cc.settingOf(role, rm, "stableEndpoints")
				list, isList := eps.Underlying().([]dsl.Value)
				if !ok || (isList && len(list) == 0) {
					d := cc.r.errorf(at, "zerotier moon %q of instance %q has no stableEndpoints", rm.Name, di.Name)
					d.Hint = `a moon must be reachable: dsl.Moon(machine, "203.0.113.7")`
				}
			}
		}
	}
	if !dsl.IsZerotierHomebrew(di.DarwinImpl) {
		return
	}
	for _, m := range inst.DarwinMembers {
		z := m.Zerotier
		if z.NodeID == "" && z.IP == "" {
			d := cc.r.errorf(m.Pos, "darwin machine %q joins zerotier instance %q through Homebrew but declares no zerotier identity", m.Name, di.Name)
			d.Hint = `the controller can only authorise members it knows: dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "<10 hex digits>"})`
			continue
		}
		if z.NodeID != "" && !zerotierNodeIDRE.MatchString(z.NodeID) {
			d := cc.r.errorf(m.Pos, "darwin machine %q: zerotier node ID %q is not 10 lower-case hex digits", m.Name, z.NodeID)
			d.Hint = "`zerotier-cli info` prints it"
		}
		if z.IP != "" {
			a, err := netip.ParseAddr(z.IP)
			if err != nil || !a.Is6() || a.Is4In6() || a.Zone() != "" {
				cc.r.errorf(m.Pos, "darwin machine %q: zerotier IP %q is not an IPv6 address", m.Name, z.IP)
			}
		}
	}
}

// settingOf returns a member's value of a top-level setting: its own, else the role's.
func (cc *compilation) settingOf(role *Role, m *Machine, key string) (dsl.Value, bool) {
	if i, ok := cc.memberIndex[role][m]; ok {
		if o, ok := role.Machines[i].Settings.Underlying().(*dsl.Object); ok {
			if v, ok := o.Get(key); ok {
				return v, true
			}
		}
	}
	if o, ok := role.Settings.Underlying().(*dsl.Object); ok {
		return o.Get(key)
	}
	return dsl.Value{}, false
}
