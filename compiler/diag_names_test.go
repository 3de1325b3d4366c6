package compiler_test

import (
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

func nameTests() []diagTest {
	return []diagTest{{
		name:   "machine name with upper case",
		reason: "a machine name becomes a host name; clan's rule is lower case",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("Web", sv) // @upper
			return f
		},
		want: []string{`@upper:4: error: invalid machine name "Web": it becomes a host name, use lower case (hint: use "web")`},
	}, {
		name:   "machine name too long",
		reason: "clan allows at most 63 characters (a DNS label)",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS(strings.Repeat("a", 64), sv) // @long
			return f
		},
		want: []string{`@long:4: error: machine name "` + strings.Repeat("a", 64) + `" is 64 characters long; clan allows at most 63`},
	}, {
		name:   "machine name with an underscore and a trailing dash",
		reason: "only letters, digits and inner dashes are allowed",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web_1-", sv) // @under
			return f
		},
		want: []string{`@under:4: error: invalid machine name "web_1-": use lower-case letters, digits and '-' (not at either end)`},
	}, {
		name:   "duplicate machine",
		reason: "machine names are clan inventory keys and must be unique",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", sv)
			f.Darwin("web", dv) // @dupm
			return f
		},
		want: []string{`@dupm:4: error: machine "web" is declared twice`},
	}, {
		name:   "invalid fleet name",
		reason: "clan's meta.name allows [a-zA-Z0-9_-]",
		build: func() *dsl.Fleet {
			f := dsl.New("my fleet") // @fname
			return f
		},
		want: []string{`@fname:9: error: invalid fleet name "my fleet": clan's meta.name allows only letters, digits, '_' and '-'`},
	}, {
		name:   "upper-case domain",
		reason: "clan's meta.domain is a lower-case DNS name",
		build: func() *dsl.Fleet {
			f := dsl.New("t", dsl.Domain("Example.COM")) // @dom
			return f
		},
		want: []string{`@dom:9: error: invalid domain "Example.COM": clan's meta.domain must be a lower-case DNS name (hint: use "example.com")`},
	}, {
		name:   "invalid user name",
		reason: "user names are lower case ([a-z_][a-z0-9_-]*)",
		build: func() *dsl.Fleet {
			f := fleet()
			f.User("Alice") // @uname
			return f
		},
		want: []string{`@uname:4: error: invalid user name "Alice": start with a lower-case letter or '_', then lower-case letters, digits, '_' or '-' (hint: use "alice")`},
	}, {
		name:   "duplicate user",
		reason: "two users with one name would be one account",
		build: func() *dsl.Fleet {
			f := fleet()
			f.User("alice")
			f.User("alice", dsl.UID(1001)) // @dupu
			return f
		},
		want: []string{`@dupu:4: error: user "alice" is declared twice`},
	}, {
		name:   "duplicate generator",
		reason: "generator names are keys of clan.core.vars.generators",
		build: func() *dsl.Fleet {
			f := fleet()
			a := f.Generator("ssh")
			b := f.Generator("ssh") // @dupg
			server(f, "web", dsl.NixOSConfig(dsl.Generators(a, b)))
			return f
		},
		want: []string{`@dupg:9: error: generator "ssh" is declared twice`},
	}, {
		name:   "generator and file names that are not path components",
		reason: "generator and file names become directories and files under vars/",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("wifi/home", // @gname
				dsl.SecretFile("psk key"), // @gfile
				dsl.Script(`echo x > "$out/psk key"`))
			server(f, "web", dsl.NixOSConfig(dsl.Generators(g)))
			return f
		},
		want: []string{
			`@gname:9: error: invalid generator name "wifi/home": it becomes a path component; use only letters, digits, '.', '_' and '-'`,
			`@gfile:5: error: invalid file name "psk key" in generator "wifi/home": it becomes a path component; use only letters, digits, '.', '_' and '-'`,
		},
	}, {
		name:   "duplicate feature",
		reason: "a feature is flake.modules.<class>.<name>; two with one name clash",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Feature("shell", "", dsl.NixOSPart(dsl.Set("programs.zsh.enable", true)))
			f.Feature("shell", "", dsl.HomePart(dsl.Set("programs.zsh.enable", true))) // @dupf
			return f
		},
		want: []string{`@dupf:4: error: feature "shell" is declared twice`},
	}, {
		name:   "invalid instance name",
		reason: "instance names are inventory keys; zerotier networks are keyed by them",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Zerotier("zt net", server(f, "ctl")) // @iname
			return f
		},
		want: []string{`@iname:4: error: invalid instance name "zt net": use letters, digits, '_' and '-' (hint: zerotier networks are keyed by instance name: choose it once, renaming creates a new network)`},
	}, {
		name:   "duplicate instance",
		reason: "two instances with one name are one inventory entry",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.SSHD("sshd", dsl.Servers(web))
			f.SSHD("sshd", dsl.Clients(web)) // @dupi
			return f
		},
		want: []string{`@dupi:4: error: instance "sshd" is declared twice`},
	}, {
		name:   "undeclared tag literal on a machine",
		reason: "a Tag{} literal bypasses f.Tag; its name must still be declared",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Tag("laptop")
			f.Darwin("mac", dv, dsl.Tags(dsl.Tag{Name: "lapotp"})) // @utag
			return f
		},
		want: []string{`@utag:4: error: machine "mac" uses undeclared tag "lapotp" (hint: did you mean "laptop"?)`},
	}, {
		name:   "undeclared tag in a role",
		reason: "a role's tag must be declared or computed",
		build: func() *dsl.Fleet {
			f := fleet()
			srv := f.Tag("server")
			server(f, "web", dsl.Tags(srv))
			f.SSHD("sshd",
				dsl.Servers(dsl.Tag{Name: "sever"})) // @rtag
			return f
		},
		want: []string{`@rtag:5: error: role server of instance "sshd" uses undeclared tag "sever" (hint: did you mean "server"?)`},
	}, {
		name:   "invalid and duplicate tag declarations",
		reason: "tags follow the machine name rule and are declared once",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Tag("Web_Servers") // @btag
			f.Tag("vps")
			f.Tag("vps") // @dtag
			f.Tag("all") // @ctagdecl
			return f
		},
		want: []string{
			`@btag:4: error: invalid tag name "Web_Servers": use lower-case letters, digits and '-' (not at either end)`,
			`@dtag:4: error: tag "vps" is declared twice`,
			`@ctagdecl:4: error: tag "all" is computed by clan and cannot be declared (hint: use dsl.All, dsl.NixOSTag or dsl.DarwinTag)`,
		},
	}, {
		name:   "computed tag of the other class",
		reason: "the darwin tag on a NixOS machine would put it in darwin roles",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", sv, dsl.Tags(dsl.DarwinTag)) // @ctag
			return f
		},
		want: []string{`@ctag:4: error: nixos machine "web" cannot carry the computed tag "darwin" (hint: clan sets the nixos and darwin tags from the machine's class)`},
	}}
}
