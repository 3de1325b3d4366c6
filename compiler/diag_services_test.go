package compiler_test

import (
	"github.com/nixfleet/fleet/dsl"
)

func serviceTests() []diagTest {
	return []diagTest{{
		name:   "two zerotier controllers",
		reason: "clan's zerotier needs exactly one controller per network",
		build: func() *dsl.Fleet {
			f := fleet()
			a, b := server(f, "a"), server(f, "b")
			f.Service("zerotier", "zt",
				dsl.WithRole("controller", dsl.Members(a)),
				dsl.WithRole("controller", dsl.Members(b))) // @ctl2
			return f
		},
		want: []string{`@ctl2:5: error: zerotier instance "zt" has 2 controllers ("a", "b"); it needs exactly 1`},
	}, {
		name:   "zerotier without a controller",
		reason: "clan's zerotier needs exactly one controller per network",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.Service("zerotier", "zt", // @noctl
				dsl.WithRole("peer", dsl.Members(web)))
			return f
		},
		want: []string{`@noctl:4: error: zerotier instance "zt" has no controller; it needs exactly 1`},
	}, {
		name:   "five moons",
		reason: "zerotier-idtool allows at most four roots per moon",
		build: func() *dsl.Fleet {
			f := fleet()
			var moons []dsl.ZerotierOption
			for _, n := range []string{"m1", "m2", "m3", "m4", "m5"} {
				moons = append(moons, dsl.Moon(server(f, n), "203.0.113.1")) // @moons
			}
			f.Zerotier("zt", server(f, "ctl"), moons...)
			return f
		},
		want: []string{`@moons:27: error: zerotier instance "zt" has 5 moons ("m1", "m2", "m3", "m4", "m5"); at most 4 are allowed`},
	}, {
		name:   "moon without stable endpoints",
		reason: "a moon's stableEndpoints has no default in clan",
		build: func() *dsl.Fleet {
			f := fleet()
			relay := server(f, "relay")
			f.Zerotier("zt", server(f, "ctl"),
				dsl.Moon(relay)) // @moon0
			return f
		},
		want: []string{`@moon0:5: error: zerotier moon "relay" of instance "zt" has no stableEndpoints (hint: a moon must be reachable: dsl.Moon(machine, "203.0.113.7"))`},
	}, {
		name:   "controller not always on",
		reason: "peers can only join while the controller runs",
		build: func() *dsl.Fleet {
			f := fleet()
			ctl := f.NixOS("ctl", sv)
			f.Zerotier("zt", ctl) // @ztnao
			return f
		},
		want: []string{`@ztnao:4: error: zerotier controller "ctl" of instance "zt" is not always on (hint: peers join only while the controller is reachable: run it on a server marked dsl.AlwaysOn())`},
	}, {
		name:   "darwin controller",
		reason: "the controller runs clan's NixOS zerotier module",
		build: func() *dsl.Fleet {
			f := fleet()
			mac := laptop(f, "mac", dsl.AlwaysOn(), dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "0123456789"}))
			f.Zerotier("zt", mac, dsl.DarwinViaHomebrew()) // @ztdarwinctl
			return f
		},
		want: []string{`@ztdarwinctl:4: error: zerotier controller "mac" of instance "zt" must be a NixOS machine`},
	}, {
		name:   "darwin peers through a tag, no darwin implementation",
		reason: "clan's zerotier does nothing on darwin; the laptops would silently stay off the network",
		build: func() *dsl.Fleet {
			f := fleet()
			lt := f.Tag("laptop")
			laptop(f, "mac", dsl.Tags(lt))
			laptop(f, "air", dsl.Tags(lt))
			f.Zerotier("zt", server(f, "ctl"),
				dsl.Peers(lt)) // @dpeer
			return f
		},
		want: []string{`@dpeer:5: error: clan's zerotier service does nothing on darwin, but role peer of instance "zt" includes darwin machines "air", "mac" through tag "laptop" (hint: join darwin members with dsl.DarwinViaHomebrew(), or use dsl.NixOSTag instead of a tag with darwin machines)`},
	}, {
		name:   "darwin sshd server named explicitly",
		reason: "clan's sshd does nothing on darwin",
		build: func() *dsl.Fleet {
			f := fleet()
			mac := laptop(f, "mac")
			f.SSHD("sshd",
				dsl.Servers(server(f, "web"), mac)) // @dsshd
			return f
		},
		want: []string{`@dsshd:5: error: clan's sshd service does nothing on darwin, but role server of instance "sshd" includes darwin machine "mac" (hint: give darwin members the fleet's sshd with dsl.SSHDOnDarwinVia(feature), or use dsl.NixOSTag)`},
	}, {
		name:   "Homebrew zerotier members without a usable identity",
		reason: "the controller can only authorise darwin members by node ID or IPv6 address",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Darwin("mac", dv)                                                                          // @noid
			f.Darwin("air", dv, dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "XYZ", IP: "10.0.0.1"})) // @badid
			f.Zerotier("zt", server(f, "ctl"), dsl.Peers(dsl.DarwinTag), dsl.DarwinViaHomebrew())
			return f
		},
		want: []string{
			`@noid:4: error: darwin machine "mac" joins zerotier instance "zt" through Homebrew but declares no zerotier identity (hint: the controller can only authorise members it knows: dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "<10 hex digits>"}))`,
			`@badid:4: error: darwin machine "air": zerotier IP "10.0.0.1" is not an IPv6 address`,
			"@badid:4: error: darwin machine \"air\": zerotier node ID \"XYZ\" is not 10 lower-case hex digits (hint: `zerotier-cli info` prints it)",
		},
	}, {
		name:   "unknown setting",
		reason: "clan's role interfaces reject unknown keys at evaluation",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.Service("sshd", "sshd",
				dsl.WithRole("server", dsl.Members(web), // @unk
					dsl.RoleSettings(dsl.Attrs(dsl.Field("authorizedKey", map[string]string{"alice": sshKey})))))
			return f
		},
		want: []string{`@unk:5: error: unknown setting authorizedKey of role server of sshd instance "sshd" (hint: did you mean "authorizedKeys"?)`},
	}, {
		name:   "setting of the wrong type and a nested unknown key",
		reason: "certificate.enable is a bool; certificate.searchDomains is the known key",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.Service("sshd", "sshd",
				dsl.WithRole("server", dsl.Members(web), // @wt
					dsl.RoleSettings(dsl.Attrs(dsl.KV{Key: "certificate", Value: dsl.Attrs(
						dsl.Field("enable", "yes"),
						dsl.Field("searchDomain", []string{"t.lan"}))}))))
			return f
		},
		want: []string{
			`@wt:5: error: setting certificate.enable of role server of sshd instance "sshd" must be a bool, not a string`,
			`@wt:5: error: unknown setting certificate.searchDomain of role server of sshd instance "sshd" (hint: did you mean "searchDomains"?)`,
		},
	}, {
		name:   "port out of range and per-machine settings position",
		reason: "internet's port is a port number; per-machine settings are reported where they are set",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.Service("internet", "net",
				dsl.WithRole("default",
					dsl.ForMachine(web, dsl.Attrs(dsl.Field("host", "web.example.org"), dsl.Field("port", 70000))))) // @port
			return f
		},
		want: []string{`@port:6: error: setting port of role default of internet instance "net" must be a port number, not an integer`},
	}, {
		name:   "unknown role",
		reason: "clan throws when an instance uses a role the service does not define",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("zerotier", "zt",
				dsl.WithRole("controller", dsl.Members(server(f, "ctl"))),
				dsl.WithRole("peers", dsl.Members(server(f, "web")))) // @urole
			return f
		},
		want: []string{`@urole:5: error: zerotier service has no role "peers" (hint: did you mean "peer"?)`},
	}, {
		name:   "unknown service",
		reason: "a misspelt built-in would be looked up and not found by clan",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("zerotear", "zt", dsl.WithRole("peer", dsl.Members(server(f, "web")))) // @usvc
			return f
		},
		want: []string{`@usvc:4: error: unknown clan-core service "zerotear" (hint: did you mean "zerotier"?)`},
	}, {
		name:   "deprecated admin service",
		reason: "clan's admin service is deprecated in favour of sshd and users",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("admin", "admin", dsl.WithRole("default", dsl.Members(server(f, "web")))) // @adm
			return f
		},
		want: []string{`@adm:4: warning: clan-core's admin service is deprecated (hint: use an sshd instance (f.SSHD with dsl.RootKeys) and a users instance with user root instead)`},
	}, {
		name:   "removed state-version service",
		reason: "clan dropped the state-version service",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("state-version", "sv", dsl.WithRole("default", dsl.Members(server(f, "web")))) // @rmsvc
			return f
		},
		want: []string{`@rmsvc:4: error: clan-core no longer has the state-version service (hint: clan removed the state-version service in August 2025: set clan.core.settings.state-version.enable on the machines instead)`},
	}, {
		name:   "raw Nix in settings",
		reason: "settings must be JSON-serialisable",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.Service("internet", "net",
				dsl.WithRole("default", dsl.Members(web),
					dsl.RoleSettings(dsl.Attrs(dsl.KV{Key: "host", Value: dsl.Raw("config.networking.fqdn")})))) // @raw
			return f
		},
		want: []string{`@raw:60: error: settings of role default of instance "net" must be JSON, but hold raw Nix (hint: clan serialises service settings; put Nix values in a feature instead)`},
	}, {
		name:   "conflicting settings",
		reason: "clan accepts one definition per settings node",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("zerotier", "zt",
				dsl.WithRole("controller", dsl.Members(server(f, "ctl")), dsl.RoleSettings(dsl.Attrs(dsl.Field("public", true)))),
				dsl.WithRole("controller", dsl.RoleSettings(dsl.Attrs(dsl.Field("public", false))))) // @conf2
			return f
		},
		want: []string{`@conf2:5: error: conflicting settings for zt.roles.controller.settings.public: false here, true before (hint: set each setting of a role once)`},
	}, {
		name:   "tag no machine carries",
		reason: "clan only warns about an empty tag; so do we, at the tag",
		build: func() *dsl.Fleet {
			f := fleet()
			lt := f.Tag("laptop") // @etag
			f.SSHD("sshd", dsl.Servers(server(f, "web")), dsl.Clients(lt))
			return f
		},
		want: []string{`@etag:10: warning: no machine has tag "laptop", which role client of instance "sshd" uses`},
	}, {
		name:   "role without members",
		reason: "a role nobody is in configures nothing",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("internet", "net",
				dsl.WithRole("default")) // @nom
			return f
		},
		want: []string{`@nom:5: warning: role default of instance "net" has no members`},
	}, {
		name:   "root key that is not an SSH key",
		reason: "a broken authorized key locks root out",
		build: func() *dsl.Fleet {
			f := fleet()
			f.SSHD("sshd", dsl.Servers(server(f, "web")),
				dsl.RootKeys(map[string]string{"alice": "ssh-ed25519 AAAA"})) // @badkey
			return f
		},
		want: []string{`@badkey:5: error: setting authorizedKeys.alice of role server of sshd instance "sshd" is not an SSH public key: ssh: no key found; last parsing error for ignored line: ssh: short read`},
	}, {
		name:   "service from an undeclared input",
		reason: "module.input must name a flake input",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Service("hello", "hi", dsl.FromInput("mysvc"), dsl.WithRole("default", dsl.Members(server(f, "web")))) // @inp
			return f
		},
		want: []string{`@inp:4: error: instance "hi" takes service "hello" from flake input "mysvc", which is not declared (hint: declare it with f.Input("mysvc", url))`},
	}}
}
