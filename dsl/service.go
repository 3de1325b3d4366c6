package dsl

// Instance is a clan service instance: a service module, its roles with their members and
// settings, and the fleet's implementation for classes the service does not support.
type Instance struct {
	Name    string
	Service string // the clan service module, e.g. "zerotier"
	Input   string // the flake input providing it; "" for clan-core's built-ins
	Roles   []*Role
	// DarwinImpl is the fleet's own implementation of the service for darwin members
	// (clan's built-ins do nothing on darwin). Its darwin part is added to every darwin member.
	DarwinImpl *Feature
	Pos        Pos
}

// Role is one role of an instance: its members and settings.
type Role struct {
	Name     string
	Machines []*Machine
	Tags     []Tag
	Settings Value // role-wide settings (an attribute set), or null
	// PerMachine are settings for single members.
	PerMachine []MachineSettings
	Pos        Pos
}

// MachineSettings are a role's settings for one machine.
type MachineSettings struct {
	Machine  *Machine
	Settings Value
	Pos      Pos
}

// InstanceOption configures an [Instance].
type InstanceOption interface{ applyInstance(*Instance) }

type instanceFunc func(*Instance)

func (f instanceFunc) applyInstance(i *Instance) { f(i) }

// RoleOption configures a [Role].
type RoleOption interface{ applyRole(*roleDecl) }

// roleDecl is a role being declared: the role, and the further RoleSettings given to it,
// which become declarations of their own (see [RoleSettings]).
type roleDecl struct {
	*Role
	more []Value
}

type roleFunc func(*roleDecl)

func (f roleFunc) applyRole(r *roleDecl) { f(r) }

// Members adds machines and tags to a role.
func Members(ms ...Member) RoleOption {
	return roleFunc(func(r *roleDecl) { addMembers(r.Role, ms) })
}

func addMembers(r *Role, ms []Member) {
	for _, m := range ms {
		switch x := m.(type) {
		case *Machine:
			r.Machines = append(r.Machines, x)
		case Tag:
			r.Tags = append(r.Tags, x)
		}
	}
}

// RoleSettings sets a role's role-wide settings (an attribute set, e.g. from [Attrs]).
// Given twice in one role, the second becomes a declaration of its own, so the compiler
// merges the two and reports a key set to different values.
func RoleSettings(v Value) RoleOption {
	return roleFunc(func(r *roleDecl) {
		if r.Settings.IsNull() {
			r.Settings = v
			return
		}
		r.more = append(r.more, v)
	})
}

// ForMachine sets a role's settings for one member machine (which it also adds as a member).
func ForMachine(m *Machine, settings Value) RoleOption {
	return forMachine(m, settings, caller(1, "ForMachine"))
}

func forMachine(m *Machine, settings Value, pos Pos) RoleOption {
	return roleFunc(func(r *roleDecl) {
		if !containsMachine(r.Machines, m) {
			r.Machines = append(r.Machines, m)
		}
		r.PerMachine = append(r.PerMachine, MachineSettings{Machine: m, Settings: settings, Pos: pos})
	})
}

func containsMachine(ms []*Machine, m *Machine) bool {
	for _, x := range ms {
		if x == m {
			return true
		}
	}
	return false
}

// mergeInto adds v's keys to base, v's values winning; the built-in constructors use it
// only for keys they set once each.
func mergeInto(base, v Value) Value {
	if base.IsNull() {
		return v
	}
	bo, ok1 := base.v.(*Object)
	vo, ok2 := v.v.(*Object)
	if !ok1 || !ok2 {
		return v
	}
	out := &Object{}
	for _, k := range bo.Keys {
		out.Set(k, bo.Values[k])
	}
	for _, k := range vo.Keys {
		out.Set(k, vo.Values[k])
	}
	return Value{out}
}

// WithRole adds a role to an instance. Declaring the same role twice is allowed; the
// compiler merges the declarations and reports settings that conflict.
func WithRole(name string, opts ...RoleOption) InstanceOption {
	pos := caller(1, "WithRole")
	return instanceFunc(func(i *Instance) { i.Roles = append(i.Roles, newRole(name, pos, opts)...) })
}

// newRole builds one declaration of a role, and one more for each further RoleSettings.
func newRole(name string, pos Pos, opts []RoleOption) []*Role {
	r := &roleDecl{Role: &Role{Name: name, Pos: pos}}
	for _, o := range opts {
		o.applyRole(r)
	}
	rs := []*Role{r.Role}
	for _, v := range r.more {
		rs = append(rs, &Role{Name: name, Settings: v, Pos: pos})
	}
	return rs
}

// FromInput takes the service from a flake input's clan modules instead of clan-core's
// built-ins ("self" for this flake's own).
func FromInput(name string) InstanceOption {
	return instanceFunc(func(i *Instance) { i.Input = name })
}

// OnDarwinVia gives the instance the fleet's darwin implementation: the feature's darwin part
// is imported by every darwin member.
func OnDarwinVia(ft *Feature) InstanceOption {
	return instanceFunc(func(i *Instance) { i.DarwinImpl = ft })
}

// Service declares an instance of any clan service, built-in or not. Prefer the typed
// constructors ([Fleet.Zerotier], [Fleet.SSHD], [Fleet.UsersService], ...) for the built-ins.
func (f *Fleet) Service(service, name string, opts ...InstanceOption) *Instance {
	return f.addInstance(service, name, caller(1, "Service"), opts)
}

func (f *Fleet) addInstance(service, name string, pos Pos, opts []InstanceOption) *Instance {
	i := &Instance{Name: name, Service: service, Pos: pos}
	for _, o := range opts {
		o.applyInstance(i)
	}
	f.Instances = append(f.Instances, i)
	return i
}

// Role returns the instance's declarations of role name, merged in declaration order.
func (i *Instance) Role(name string) []*Role {
	var rs []*Role
	for _, r := range i.Roles {
		if r.Name == name {
			rs = append(rs, r)
		}
	}
	return rs
}
