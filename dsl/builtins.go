package dsl

// This file holds typed constructors for clan-core's built-in services. Each returns an
// ordinary [Instance]; the types only make the common cases impossible to misspell.

// ZerotierOption configures a zerotier instance.
type ZerotierOption interface{ applyZerotier(*Instance) }

type zerotierFunc func(*Instance)

func (f zerotierFunc) applyZerotier(i *Instance) { f(i) }

// Peers adds peers to the network.
func Peers(ms ...Member) ZerotierOption {
	pos := caller(1, "Peers")
	return zerotierFunc(func(i *Instance) { i.Roles = append(i.Roles, newRole("peer", pos, []RoleOption{Members(ms...)})...) })
}

// Moon adds a moon (a relay with stable endpoints) to the network.
func Moon(m *Machine, stableEndpoints ...string) ZerotierOption {
	pos := caller(1, "Moon")
	return zerotierFunc(func(i *Instance) {
		i.Roles = append(i.Roles, newRole("moon", pos, []RoleOption{
			forMachine(m, Attrs(Field("stableEndpoints", stableEndpoints)), pos),
		})...)
	})
}

// PublicNetwork makes the controller's network public (any node may join).
func PublicNetwork() ZerotierOption {
	pos := caller(1, "PublicNetwork")
	return zerotierFunc(func(i *Instance) {
		i.Roles = append(i.Roles, newRole("controller", pos, []RoleOption{RoleSettings(Attrs(Field("public", true)))})...)
	})
}

// DarwinViaHomebrew joins darwin members to the network with the Homebrew zerotier-one cask;
// the controller allows them by the identity each declares with [ZerotierIdentity].
func DarwinViaHomebrew() ZerotierOption {
	return zerotierFunc(func(i *Instance) { i.DarwinImpl = zerotierHomebrew })
}

// zerotierHomebrew marks the generated darwin implementation of zerotier; the emitter writes
// its module (cask and network join) from the instance.
var zerotierHomebrew = &Feature{Name: "zerotier-homebrew", Description: "zerotier on darwin through the Homebrew zerotier-one cask"}

// IsZerotierHomebrew reports whether ft is the implementation chosen by [DarwinViaHomebrew].
func IsZerotierHomebrew(ft *Feature) bool { return ft == zerotierHomebrew }

// usersAccounts marks the darwin implementation of a users instance: the account module the
// emitter generates for every user a darwin machine lists with [WithUsers].
var usersAccounts = &Feature{Name: "users-accounts", Description: "darwin accounts from the fleet's user declarations"}

// IsUsersAccounts reports whether ft is the darwin implementation [Fleet.UsersService] sets.
func IsUsersAccounts(ft *Feature) bool { return ft == usersAccounts }

// IsGenerated reports whether ft is a darwin implementation the emitter writes itself
// rather than a feature the fleet declared.
func IsGenerated(ft *Feature) bool { return IsZerotierHomebrew(ft) || IsUsersAccounts(ft) }

// Zerotier declares a zerotier overlay network with its controller.
func (f *Fleet) Zerotier(name string, controller *Machine, opts ...ZerotierOption) *Instance {
	i := &Instance{Name: name, Service: "zerotier", Pos: caller(1, "Zerotier")}
	i.Roles = append(i.Roles, newRole("controller", i.Pos, []RoleOption{Members(controller)})...)
	for _, o := range opts {
		o.applyZerotier(i)
	}
	f.Instances = append(f.Instances, i)
	return i
}

// SSHDOption configures an sshd instance.
type SSHDOption interface{ applySSHD(*Instance) }

type sshdFunc func(*Instance)

func (f sshdFunc) applySSHD(i *Instance) { f(i) }

// Servers adds members to the server role.
func Servers(ms ...Member) SSHDOption {
	pos := caller(1, "Servers")
	return sshdFunc(func(i *Instance) { i.Roles = append(i.Roles, newRole("server", pos, []RoleOption{Members(ms...)})...) })
}

// Clients adds members to the client role.
func Clients(ms ...Member) SSHDOption {
	pos := caller(1, "Clients")
	return sshdFunc(func(i *Instance) { i.Roles = append(i.Roles, newRole("client", pos, []RoleOption{Members(ms...)})...) })
}

// RootKeys authorises SSH public keys for root on every server (name -> key).
func RootKeys(keys map[string]string) SSHDOption {
	pos := caller(1, "RootKeys")
	return sshdFunc(func(i *Instance) {
		i.Roles = append(i.Roles, newRole("server", pos, []RoleOption{RoleSettings(Attrs(Field("authorizedKeys", keys)))})...)
	})
}

// SearchDomains sets the SSH certificate search domains for servers and clients.
func SearchDomains(domains ...string) SSHDOption {
	pos := caller(1, "SearchDomains")
	return sshdFunc(func(i *Instance) {
		v := Attrs(KV{"certificate", Attrs(Field("searchDomains", domains))})
		i.Roles = append(i.Roles, newRole("server", pos, []RoleOption{RoleSettings(v)})...)
		i.Roles = append(i.Roles, newRole("client", pos, []RoleOption{RoleSettings(v)})...)
	})
}

// SSHDOnDarwinVia gives darwin members the fleet's own sshd configuration.
func SSHDOnDarwinVia(ft *Feature) SSHDOption {
	return sshdFunc(func(i *Instance) { i.DarwinImpl = ft })
}

// SSHD declares an sshd instance.
func (f *Fleet) SSHD(name string, opts ...SSHDOption) *Instance {
	i := &Instance{Name: name, Service: "sshd", Pos: caller(1, "SSHD")}
	for _, o := range opts {
		o.applySSHD(i)
	}
	f.Instances = append(f.Instances, i)
	return i
}

// UsersOption configures a users instance.
type UsersOption interface{ applyUsers(*Instance) }

type usersFunc func(*Instance)

func (f usersFunc) applyUsers(i *Instance) { f(i) }

// NoPrompt generates the user's password instead of asking for it.
func NoPrompt() UsersOption {
	return usersFunc(func(i *Instance) { setDefaultRole(i, "prompt", Value{false}) })
}

// SharePassword uses one password for the user on every machine.
func SharePassword() UsersOption {
	return usersFunc(func(i *Instance) { setDefaultRole(i, "share", Value{true}) })
}

// UserGroups sets the user's extra groups.
func UserGroups(groups ...string) UsersOption {
	return usersFunc(func(i *Instance) { setDefaultRole(i, "groups", ValueOf(groups)) })
}

// UsersOnDarwinVia gives darwin members the fleet's own account configuration instead of
// the generated account module.
func UsersOnDarwinVia(ft *Feature) UsersOption {
	return usersFunc(func(i *Instance) { i.DarwinImpl = ft })
}

func setDefaultRole(i *Instance, key string, v Value) {
	r := i.Roles[0]
	r.Settings = mergeInto(r.Settings, Attrs(KV{key, v}))
}

// UsersService declares a users instance that creates user u on the members.
func (f *Fleet) UsersService(name string, u *User, members []Member, opts ...UsersOption) *Instance {
	// On darwin, clan's users service does nothing; the account comes from the user module
	// the emitter writes for machines that list the user (the compiler checks they do).
	i := &Instance{Name: name, Service: "users", DarwinImpl: usersAccounts, Pos: caller(1, "UsersService")}
	i.Roles = append(i.Roles, newRole("default", i.Pos, []RoleOption{Members(members...), RoleSettings(Attrs(Field("user", u.Name)))})...)
	for _, o := range opts {
		o.applyUsers(i)
	}
	f.Instances = append(f.Instances, i)
	return i
}

// EmergencyAccess declares an emergency-access instance (root password in the initrd's
// emergency shell). NixOS only.
func (f *Fleet) EmergencyAccess(name string, members ...Member) *Instance {
	i := &Instance{Name: name, Service: "emergency-access", Pos: caller(1, "EmergencyAccess")}
	i.Roles = append(i.Roles, newRole("default", i.Pos, []RoleOption{Members(members...)})...)
	f.Instances = append(f.Instances, i)
	return i
}

// TrustedNixCaches declares a trusted-nix-caches instance (clan's and nix-community's caches).
func (f *Fleet) TrustedNixCaches(name string, members ...Member) *Instance {
	i := &Instance{Name: name, Service: "trusted-nix-caches", Pos: caller(1, "TrustedNixCaches")}
	i.Roles = append(i.Roles, newRole("default", i.Pos, []RoleOption{Members(members...)})...)
	f.Instances = append(f.Instances, i)
	return i
}

// InternetHost is a machine reachable on the internet at an address.
type InternetHost struct {
	Machine *Machine
	Host    string
}

// Internet declares an internet instance: machines reachable at public addresses, used as
// deploy targets.
func (f *Fleet) Internet(name string, hosts ...InternetHost) *Instance {
	i := &Instance{Name: name, Service: "internet", Pos: caller(1, "Internet")}
	var opts []RoleOption
	for _, h := range hosts {
		opts = append(opts, forMachine(h.Machine, Attrs(Field("host", h.Host)), i.Pos))
	}
	i.Roles = append(i.Roles, newRole("default", i.Pos, opts)...)
	f.Instances = append(f.Instances, i)
	return i
}
