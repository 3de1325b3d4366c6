package compiler

import (
	"github.com/nixfleet/fleet/dsl"
)

// checkPhases checks the deployment plan: when phases are declared, every machine is in
// exactly one; zerotier controllers come before their members; the primary workstation
// comes last. At most one machine is primary, phases or not.
func (cc *compilation) checkPhases() {
	var primary *Machine
	for _, dm := range nonNil(cc.fleet.Machines) {
		m := cc.byMachine[dm]
		if m == nil || m.Machine != dm || !dm.Primary {
			continue
		}
		if primary == nil {
			primary = m
			continue
		}
		if primary != m {
			d := cc.r.errorf(dm.Pos, "machine %q is primary, but %q already is", dm.Name, primary.Name)
			d.Hint = "one primary workstation is deployed last; mark only it dsl.Primary()"
			d.Related = []dsl.Pos{primary.Pos}
		}
	}
	phases := cc.model.Phases
	if len(phases) == 0 {
		return
	}
	seenName := map[string]*Phase{}
	where := map[*Machine]*Phase{}
	for _, p := range phases {
		if p.Name == "" {
			cc.r.errorf(p.Pos, "phase %d has no name", p.Number)
		} else if prev := seenName[p.Name]; prev != nil {
			d := cc.r.errorf(p.Pos, "phase %q is declared twice", p.Name)
			d.Related = []dsl.Pos{prev.Pos}
		} else {
			seenName[p.Name] = p
		}
		if len(p.Machines) == 0 {
			cc.r.warnf(p.Pos, "phase %q has no machines", p.Name)
		}
		for _, dm := range p.Machines {
			m := cc.machine(dm, p.Pos)
			if m == nil {
				continue
			}
			prev := where[m]
			switch {
			case prev == nil:
				where[m] = p
			case prev == p:
				cc.r.errorf(p.Pos, "machine %q is listed twice in phase %q", m.Name, p.Name)
			default:
				d := cc.r.errorf(p.Pos, "machine %q is in phase %q and again in phase %q", m.Name, prev.Name, p.Name)
				d.Hint = "each machine is deployed in exactly one phase"
				d.Related = []dsl.Pos{prev.Pos}
			}
		}
	}
	for _, m := range cc.model.Machines {
		if where[m] == nil {
			d := cc.r.errorf(m.Pos, "machine %q is in no deployment phase", m.Name)
			d.Hint = "add it to one of the f.Phase calls"
		}
	}
	for _, inst := range cc.model.Instances {
		if inst.Service != "zerotier" {
			continue
		}
		var controllers []*Machine
		for _, role := range inst.Roles {
			if role.Name == "controller" {
				controllers = role.Members
			}
		}
		if len(controllers) != 1 || where[controllers[0]] == nil {
			continue // cardinality and missing phases are reported on their own
		}
		ctl := controllers[0]
		cp := where[ctl]
		seen := map[*Machine]bool{ctl: true}
		for _, role := range inst.Roles {
			for _, m := range role.Members {
				if seen[m] {
					continue
				}
				seen[m] = true
				if p := where[m]; p != nil && p.Number <= cp.Number {
					d := cc.r.errorf(p.Pos, "machine %q joins zerotier instance %q in phase %q, but its controller %q is deployed in phase %q", m.Name, inst.Name, p.Name, ctl.Name, cp.Name)
					d.Hint = "deploy the controller in an earlier phase than every other member"
					d.Related = []dsl.Pos{cp.Pos}
				}
			}
		}
	}
	if primary == nil || where[primary] == nil {
		return
	}
	p := where[primary]
	last := phases[len(phases)-1]
	switch {
	case p != last:
		d := cc.r.errorf(p.Pos, "primary workstation %q is deployed in phase %q, but phase %q comes after it", primary.Name, p.Name, last.Name)
		d.Hint = "deploy the primary workstation last, after every other machine is proven"
		d.Related = []dsl.Pos{last.Pos}
	case p.Machines[len(p.Machines)-1] != primary.Machine:
		cc.r.errorf(p.Pos, "primary workstation %q must be the last machine of phase %q", primary.Name, p.Name).Hint =
			"deploy the primary workstation last, after every other machine is proven"
	}
}
