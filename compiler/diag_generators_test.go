package compiler_test

import (
	"github.com/nixfleet/fleet/dsl"
)

// uses attaches generators to a new always-on NixOS machine named web.
func uses(f *dsl.Fleet, gs ...*dsl.Generator) {
	server(f, "web", dsl.NixOSConfig(dsl.Generators(gs...)))
}

func generatorTests() []diagTest {
	return []diagTest{{
		name:   "dependency cycle",
		reason: "clan cannot order generators that need each other",
		build: func() *dsl.Fleet {
			f := fleet()
			a := f.Generator("a") // @cyca
			b := f.Generator("b", dsl.DependsOn(a))
			c := f.Generator("c", dsl.DependsOn(b))
			a.Dependencies = append(a.Dependencies, c)
			uses(f, a)
			return f
		},
		want: []string{`@cyca:9: error: generator dependency cycle: a -> c -> b -> a (hint: a generator cannot need its own files, directly or through others)`},
	}, {
		name:   "self dependency",
		reason: "the smallest cycle",
		build: func() *dsl.Fleet {
			f := fleet()
			a := f.Generator("a") // @cycself
			a.Dependencies = append(a.Dependencies, a)
			uses(f, a)
			return f
		},
		want: []string{`@cycself:9: error: generator dependency cycle: a -> a (hint: a generator cannot need its own files, directly or through others)`},
	}, {
		name:   "undeclared dependency",
		reason: "a dependency must be a generator of the fleet",
		build: func() *dsl.Fleet {
			f := fleet()
			other := dsl.New("o").Generator("x")
			g := f.Generator("g", dsl.DependsOn(other)) // @udep
			uses(f, g)
			return f
		},
		want: []string{`@udep:9: error: generator "g" depends on generator "x", which is not declared with f.Generator`},
	}, {
		name:   "script syntax error, mapped into the raw string",
		reason: "bash would fail at generation time; the error points at the script's line",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("token", // @scr
				dsl.SecretFile("token"),
				dsl.Script(`set -eu
head -c 32 /dev/urandom | base64 > "$out/token"
if [ -s "$out/token" ]; then
  echo generated
`))
			uses(f, g)
			return f
		},
		want: []string{"@scr+4:1: error: script of generator \"token\" is not valid bash: 3:1: `if` statement must end with `fi`"},
	}, {
		name:   "script syntax error on the script's first line",
		reason: "the first line's column is offset by the literal's start",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("token", dsl.SecretFile("token"), dsl.Script(`echo $(date > "$out/token"`)) // @scr1
			uses(f, g)
			return f
		},
		want: []string{"@scr1:72: error: script of generator \"token\" is not valid bash: 1:6: reached EOF without matching `$(` with `)`"},
	}, {
		name:   "script syntax error in an interpreted string",
		reason: "without a raw literal to map into, the error is at the generator",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("token", dsl.SecretFile("token"), dsl.Script("echo 'unterminated > \"$out/token\"")) // @scrq
			uses(f, g)
			return f
		},
		want: []string{"@scrq:9: error: script of generator \"token\" is not valid bash: 1:6: reached EOF without closing quote `'`"},
	}, {
		name:   "files but no script",
		reason: "nothing would write the files",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("k", dsl.SecretFile("k")) // @noscript
			uses(f, g)
			return f
		},
		want: []string{`@noscript:9: error: generator "k" declares files but has no script (hint: dsl.Script must write every file into $out)`},
	}, {
		name:   "bad file mode and neededFor",
		reason: "clan's mode is ^[0-7]{4}$ and neededFor an enum",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("k",
				dsl.SecretFile("k", dsl.Mode("644"), dsl.Needed("user")), // @fmode
				dsl.Script(`echo > "$out/k"`))
			uses(f, g)
			return f
		},
		want: []string{
			`@fmode:5: error: file "k" of generator "k" has mode "644"; a mode is four octal digits such as "0400"`,
			`@fmode:5: error: file "k" of generator "k" is needed for "user", which clan does not know (hint: did you mean "users"?)`,
		},
	}, {
		name:   "restartUnits on darwin",
		reason: "clan throws on a non-empty restartUnits on darwin",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("k",
				dsl.SecretFile("k", dsl.RestartUnits("foo.service")), // @ru
				dsl.Script(`echo > "$out/k"`))
			laptop(f, "mac", dsl.DarwinConfig(dsl.Generators(g)))
			return f
		},
		want: []string{`@ru:5: error: file "k" of generator "k" restarts systemd units, but darwin machine "mac" uses the generator (hint: clan throws on restartUnits on darwin: move the file to a NixOS-only generator or drop dsl.RestartUnits)`},
	}, {
		name:   "public file with owner and group",
		reason: "clan warns: public files are in the Nix store",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("k",
				dsl.PublicFile("pub", dsl.Owned("alice", "users")), // @pubown
				dsl.Script(`echo > "$out/pub"`))
			uses(f, g)
			return f
		},
		want: []string{`@pubown:5: warning: public file "pub" of generator "k" sets owner alice, group users, which has no effect (hint: public files go to the Nix store, readable by all; clan warns about this too)`},
	}, {
		name:   "prompt of an unknown type, declared twice",
		reason: "prompt types are an enum and prompt names keys",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("k",
				dsl.Ask("pw", "password", "secret"), // @p1
				dsl.Ask("pw", "again", dsl.Hidden),  // @p2
				dsl.SecretFile("k"), dsl.Script(`cat "$prompts/pw" > "$out/k"`))
			uses(f, g)
			return f
		},
		want: []string{
			`@p1:5: error: prompt "pw" of generator "k" has unknown type "secret" (hint: use dsl.Line, dsl.Hidden, dsl.Multiline or dsl.MultilineHidden)`,
			`@p2:5: error: generator "k" declares prompt "pw" twice`,
		},
	}, {
		name:   "generator no machine uses",
		reason: "it would never be generated",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Generator("orphan") // @orph
			return f
		},
		want: []string{`@orph:4: warning: generator "orphan" is not used by any machine (hint: attach it with dsl.Generators or dsl.SecretPath in a feature or machine, or delete it)`},
	}, {
		name:   "shared generator depending on a per-machine one",
		reason: "clan's CLI rejects it: which machine's value would it use?",
		build: func() *dsl.Fleet {
			f := fleet()
			a := f.Generator("host-key")
			s := f.Generator("ca", dsl.Shared(), dsl.DependsOn(a)) // @shr
			uses(f, s)
			return f
		},
		want: []string{`@shr:9: error: shared generator "ca" depends on per-machine generator "host-key" (hint: a shared value cannot come from one machine's value: share the dependency too, or make this generator per-machine)`},
	}, {
		name:   "validation with a list and with three levels",
		reason: "clan's validation allows no lists and two levels of attribute sets",
		build: func() *dsl.Fleet {
			f := fleet()
			a := f.Generator("a", dsl.Validation(dsl.Attrs(dsl.Field("domains", []string{"t.lan"}))))                                                   // @vlist
			b := f.Generator("b", dsl.Validation(dsl.Attrs(dsl.KV{Key: "x", Value: dsl.Attrs(dsl.KV{Key: "y", Value: dsl.Attrs(dsl.Field("z", 1))})}))) // @vdeep
			uses(f, a, b)
			return f
		},
		want: []string{
			`@vlist:9: error: validation of generator "a" holds a list (hint: clan's validation is null, a bool, an integer, a string, or attribute sets of those nested at most two levels (no lists))`,
			`@vdeep:9: error: validation of generator "b" holds attribute sets nested more than two levels (hint: clan's validation is null, a bool, an integer, a string, or attribute sets of those nested at most two levels (no lists))`,
		},
	}}
}

func userTests() []diagTest {
	return []diagTest{{
		name:   "two users with one uid on a machine",
		reason: "they would be one account",
		build: func() *dsl.Fleet {
			f := fleet()
			a := f.User("alice", dsl.UID(1000))
			b := f.User("bob", dsl.UID(1000)) // @ub
			server(f, "web", dsl.WithUsers(a, b))
			return f
		},
		want: []string{`@ub:9: error: users "alice" and "bob" both have uid 1000 on machine "web" (hint: give each user of a machine its own uid)`},
	}, {
		name:   "SSH key that does not parse",
		reason: "sshd would ignore it and lock the user out",
		build: func() *dsl.Fleet {
			f := fleet()
			f.User("alice", dsl.AuthorizedKeys(sshKey, "ssh-rsa notakey")) // @ukey
			return f
		},
		want: []string{`@ukey:4: error: SSH key 2 of user "alice" is not an SSH public key: ssh: no key found; last parsing error for ignored line: illegal base64 data at input byte 4`},
	}, {
		name:   "root with a uid",
		reason: "root's uid is 0",
		build: func() *dsl.Fleet {
			f := fleet()
			f.User("root", dsl.UID(1000)) // @uroot
			return f
		},
		want: []string{`@uroot:4: error: user root has uid 1000; root's uid is 0 (hint: drop dsl.UID for root)`},
	}, {
		name:   "user of another fleet on a machine",
		reason: "only the fleet's own users are emitted",
		build: func() *dsl.Fleet {
			f := fleet()
			bob := dsl.New("o").User("bob")
			f.NixOS("web", sv, dsl.WithUsers(bob)) // @uforeign
			return f
		},
		want: []string{`@uforeign:4: error: machine "web" has user "bob", which is not declared in fleet "t" (hint: declare users with f.User on the same fleet)`},
	}}
}

func cacheTests() []diagTest {
	return []diagTest{{
		name:   "plain http and a short key",
		reason: "substituters must be https; keys are ed25519 (32 bytes)",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Cache("http://cache.example.org", "cache.example.org-1:AAAA") // @k1
			return f
		},
		want: []string{
			`@k1:4: error: cache URL "http://cache.example.org" is not https (hint: substituters are fetched over the network: use https (http only for localhost))`,
			`@k1:4: error: cache http://cache.example.org has an invalid public key "cache.example.org-1:AAAA": the key is 3 bytes, an ed25519 public key is 32 (hint: the key the cache prints, such as cache.example.org-1:<44 base64 characters>)`,
		},
	}, {
		name:   "key without a name",
		reason: "a key is name:base64",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Cache("http://localhost:5000", "6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=") // @k2
			return f
		},
		want: []string{`@k2:4: error: cache http://localhost:5000 has an invalid public key "6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=": want name:base64 (hint: the key the cache prints, such as cache.example.org-1:<44 base64 characters>)`},
	}, {
		name:   "one cache twice",
		reason: "a duplicate substituter is a copy-paste slip",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Cache("https://cache.nixos.org", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=")
			f.Cache("https://cache.nixos.org/", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=") // @kdup
			return f
		},
		want: []string{`@kdup:4: error: cache https://cache.nixos.org/ is already declared`},
	}}
}

func phaseTests() []diagTest {
	return []diagTest{{
		name:   "machine in no phase",
		reason: "with phases declared, every machine must be deployed in one",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.NixOS("db", dsl.AlwaysOn(), sv) // @pmiss
			f.Phase("one", web)
			return f
		},
		want: []string{`@pmiss:4: error: machine "db" is in no deployment phase (hint: add it to one of the f.Phase calls)`},
	}, {
		name:   "machine in two phases",
		reason: "a machine is deployed once",
		build: func() *dsl.Fleet {
			f := fleet()
			web := server(f, "web")
			f.Phase("one", web)
			f.Phase("two", web) // @ptwice
			return f
		},
		want: []string{`@ptwice:4: error: machine "web" is in phase "one" and again in phase "two" (hint: each machine is deployed in exactly one phase)`},
	}, {
		name:   "zerotier controller after a peer",
		reason: "a peer deployed before its controller cannot join",
		build: func() *dsl.Fleet {
			f := fleet()
			ctl, web := server(f, "ctl"), server(f, "web")
			f.Zerotier("zt", ctl, dsl.Peers(web))
			f.Phase("peers", web) // @pp
			f.Phase("controller", ctl)
			return f
		},
		want: []string{`@pp:4: error: machine "web" joins zerotier instance "zt" in phase "peers", but its controller "ctl" is deployed in phase "controller" (hint: deploy the controller in an earlier phase than every other member)`},
	}, {
		name:   "primary workstation not last",
		reason: "the primary workstation is migrated after every other machine is proven",
		build: func() *dsl.Fleet {
			f := fleet()
			ws := f.Darwin("ws", dv, dsl.Primary())
			f.Phase("ws", ws) // @pprim
			f.Phase("servers", server(f, "web"))
			return f
		},
		want: []string{`@pprim:4: error: primary workstation "ws" is deployed in phase "ws", but phase "servers" comes after it (hint: deploy the primary workstation last, after every other machine is proven)`},
	}, {
		name:   "primary workstation not last in its phase",
		reason: "alone or last in the last phase",
		build: func() *dsl.Fleet {
			f := fleet()
			ws := f.Darwin("ws", dv, dsl.Primary())
			f.Phase("all", ws, laptop(f, "mac")) // @pprimlast
			return f
		},
		want: []string{`@pprimlast:4: error: primary workstation "ws" must be the last machine of phase "all" (hint: deploy the primary workstation last, after every other machine is proven)`},
	}, {
		name:   "two primary workstations",
		reason: "only one machine can be deployed last",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Darwin("a", dv, dsl.Primary())
			f.Darwin("b", dv, dsl.Primary()) // @prim2
			return f
		},
		want: []string{`@prim2:4: error: machine "b" is primary, but "a" already is (hint: one primary workstation is deployed last; mark only it dsl.Primary())`},
	}}
}
