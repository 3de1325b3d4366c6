package emit

import (
	"slices"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// userClasses are the classes of the machines a user is on.
func (e *emitter) userClasses(u *dsl.User) (nixos, darwin bool, nixosVersion string) {
	for _, m := range e.m.Machines {
		if !slices.Contains(m.Users, u) {
			continue
		}
		switch m.Class {
		case dsl.NixOS:
			nixos = true
			if m.StateVersion != "" && (nixosVersion == "" || m.StateVersion < nixosVersion) {
				nixosVersion = m.StateVersion
			}
		case dsl.Darwin:
			darwin = true
		}
	}
	return nixos, darwin, nixosVersion
}

// users writes one file per user: the account on NixOS and darwin (for the classes of the
// machines the user is on) and the user's home-manager module.
func (e *emitter) users() {
	for _, u := range e.m.Users {
		rel := "users/" + u.Name + ".nix"
		onNixOS, onDarwin, version := e.userClasses(u)
		if u.HomeStateVersion != "" {
			version = u.HomeStateVersion
		}
		home := userHasHome(u)
		outer := newScope(nil, "")
		b := newBody(e, rel)
		name := "users/" + u.Name
		if onNixOS {
			b.bind([]string{"flake", "modules", "nixos", name}, e.userModule(outer, u, dsl.NixOS, home), nil)
		}
		if onDarwin {
			b.bind([]string{"flake", "modules", "darwin", name}, e.userModule(outer, u, dsl.Darwin, home), nil)
		}
		if home {
			b.bind([]string{"flake", "modules", "homeManager", name}, e.homeModule(outer, u, version), nil)
		}
		if len(b.bindings) == 0 {
			continue // on no machine
		}
		var top nix.Expr = b.attrs()
		if home {
			// modules is the flake-level config.flake.modules, bound outside the inner
			// modules so that their own config is never shadowed.
			top = nix.Let([]nix.Binding{nix.Bind([]string{"modules"}, nix.Select(outer.id("config"), "flake", "modules"))}, top)
		}
		e.module(rel, outer.fn(top))
	}
}

func (e *emitter) userModule(outer *scope, u *dsl.User, class dsl.Class, home bool) nix.Expr {
	mb := e.newModule(outer, class, "users/"+u.Name+" "+string(class))
	var acct []nix.Binding
	if class == dsl.NixOS && u.Name != "root" {
		acct = append(acct, nix.Bind([]string{"isNormalUser"}, nix.Bool(true)))
	}
	if u.UID != 0 {
		acct = append(acct, nix.Bind([]string{"uid"}, nix.Int(int64(u.UID))))
	}
	if class == dsl.Darwin {
		dir := "/Users/" + u.Name
		if u.Name == "root" {
			dir = "/var/root"
		}
		acct = append(acct, nix.Bind([]string{"home"}, nix.Str(dir)))
	}
	if u.Shell != "" {
		acct = append(acct, nix.Bind([]string{"shell"}, nix.Select(mb.s.id("pkgs"), u.Shell)))
	}
	if class == dsl.NixOS {
		groups := slices.Clone(u.Groups)
		if u.Admin && !slices.Contains(groups, "wheel") {
			groups = append(groups, "wheel")
		}
		if len(groups) > 0 {
			acct = append(acct, nix.Bind([]string{"extraGroups"}, strList(groups)))
		}
	}
	if len(u.SSHKeys) > 0 {
		acct = append(acct, nix.Bind([]string{"openssh", "authorizedKeys", "keys"}, strList(u.SSHKeys)))
	}
	mb.b.bind([]string{"users", "users", u.Name}, nix.Attrs(acct...), nil)
	if class == dsl.Darwin && u.UID != 0 {
		// nix-darwin manages only the users it knows; knownUsers requires a uid.
		mb.b.bind([]string{"users", "knownUsers"}, strList([]string{u.Name}), nil)
	}
	if u.Shell == "zsh" || u.Shell == "fish" {
		mb.b.bind([]string{"programs", u.Shell, "enable"}, nix.Bool(true), nil)
	}
	if u.Admin {
		mb.b.bind([]string{"nix", "settings", "trusted-users"}, strList([]string{u.Name}), nil)
	}
	if home {
		mb.b.bind([]string{"home-manager", "users", u.Name, "imports"}, nix.List(
			sel("modules", "homeManager", "users/"+u.Name),
		), nil)
	}
	return mb.expr()
}

// homeModule is flake.modules.homeManager."users/<u>": the user's home features and
// identity.
func (e *emitter) homeModule(outer *scope, u *dsl.User, stateVersion string) nix.Expr {
	mb := e.newModule(outer, dsl.HomeManager, "users/"+u.Name+" homeManager")
	for _, ft := range u.Home {
		if ft != nil && ft.Home != nil {
			mb.imports = append(mb.imports, sel("modules", "homeManager", ft.Name))
		}
	}
	mb.b.bind([]string{"home", "username"}, nix.Str(u.Name), nil)
	linuxHome, darwinHome := "/home/"+u.Name, "/Users/"+u.Name
	if u.Name == "root" {
		linuxHome, darwinHome = "/root", "/var/root"
	}
	mb.b.bind([]string{"home", "homeDirectory"}, libCall(mb.s, "mkDefault", nix.Paren(nix.If(
		nix.Select(mb.s.id("pkgs"), "stdenv", "isDarwin"), nix.Str(darwinHome), nix.Str(linuxHome)))), nil)
	if stateVersion != "" {
		// The oldest NixOS state version among the user's machines.
		mb.b.bind([]string{"home", "stateVersion"}, nix.Str(stateVersion), nil)
	}
	return mb.expr()
}
