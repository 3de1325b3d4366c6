package compiler

import "github.com/nixfleet/fleet/dsl"

// Model is a checked fleet, ready to emit. Every slice is in a deterministic order: machines,
// features, users, instances and roles by name; generators in dependency order (ties by
// name); overlays in the fleet's one composition order.
type Model struct {
	Fleet      *dsl.Fleet
	Machines   []*Machine
	Features   []*dsl.Feature
	Users      []*dsl.User
	Instances  []*Instance
	Channels   []*dsl.Channel // unstable, darwin-stable, linux-stable (those declared)
	Overlays   Overlays
	Generators []*Generator
	Caches     []*dsl.Cache
	Phases     []*Phase
	Inputs     []*dsl.Input // inputs the fleet declared, by name
	Systems    []dsl.System // the systems of the fleet's machines, sorted
}

// Machine is a machine with everything that applies to it resolved.
type Machine struct {
	*dsl.Machine
	// Tags are the declared tags plus the ones clan computes (all, nixos|darwin), sorted.
	Tags []string
	// Features are the features the machine imports: its own, then the darwin
	// implementations of the instances it is a darwin member of, without repeats.
	Features []*dsl.Feature
	// Generators are the vars generators the machine runs, by name.
	Generators []*Generator
	// Phase is the 1-based deployment phase, 0 when the fleet declares no phases.
	Phase int
	// Roles are the instance roles the machine belongs to.
	Roles []MemberOf
	// Users are the machine's users in declaration order, without nil entries. (It shadows
	// dsl.Machine.Users, which resolution leaves as the author wrote it.)
	Users []*dsl.User
}

// MemberOf names one role of one instance.
type MemberOf struct {
	Instance *Instance
	Role     string
}

// Instance is a service instance with its roles merged.
type Instance struct {
	*dsl.Instance
	Roles []*Role // one per role name, by name
	// DarwinMembers are the darwin machines in any role, served by DarwinImpl.
	DarwinMembers []*Machine
}

// Role is one role of an instance after merging every declaration of it.
type Role struct {
	Name     string
	Machines []RoleMachine // explicit members, by name
	Tags     []string      // member tags, by name
	Settings dsl.Value     // role-wide settings; null when none
	Members  []*Machine    // every machine in the role (explicit and through tags), by name
}

// RoleMachine is an explicit role member and its own settings (null when none).
type RoleMachine struct {
	Machine  *Machine
	Settings dsl.Value
}

// Overlays are the package-set changes in the order they are composed: channels first (so
// pkgs.stable exists), then hotfixes, then overrides. Patches feed pkgs.patched.
type Overlays struct {
	Hotfixes  []*dsl.Hotfix   // in declaration order
	Patches   []*dsl.Patch    // in declaration order
	Overrides []*dsl.Override // in declaration order
}

// Generator is a vars generator with the machines that run it.
type Generator struct {
	*dsl.Generator
	Machines []*Machine // by name
}

// Phase is one deployment phase with its 1-based number.
type Phase struct {
	*dsl.Phase
	Number int
}

// Machine returns the model's machine named name, or nil.
func (m *Model) Machine(name string) *Machine {
	for _, x := range m.Machines {
		if x.Name == name {
			return x
		}
	}
	return nil
}
