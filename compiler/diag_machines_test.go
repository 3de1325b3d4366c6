package compiler_test

import (
	"github.com/nixfleet/fleet/dsl"
)

func machineTests() []diagTest {
	return []diagTest{{
		name:   "x86_64-darwin",
		reason: "clan dropped x86_64-darwin; a CUE front-end can still produce it",
		build: func() *dsl.Fleet {
			f := fleet()
			m := f.Darwin("old", dv) // @x86
			m.System = "x86_64-darwin"
			return f
		},
		want: []string{`@x86:9: error: darwin machine "old" is x86_64-darwin, which clan no longer supports (hint: only aarch64-darwin is supported (x86_64-darwin was dropped in 26.05))`},
	}, {
		name:   "unknown class",
		reason: "machineClass is nixos or darwin",
		build: func() *dsl.Fleet {
			f := fleet()
			m := f.NixOS("web", sv) // @cls
			m.Class = "nixso"
			return f
		},
		want: []string{`@cls:9: error: machine "web" has unknown class "nixso" (hint: did you mean "nixos"?)`},
	}, {
		name:   "NixOS machine on a darwin system",
		reason: "a NixOS machine runs Linux",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", sv, dsl.OnSystem(dsl.AArch64Darwin)) // @nixdarwin
			return f
		},
		want: []string{`@nixdarwin:4: error: nixos machine "web" cannot have the darwin system "aarch64-darwin" (hint: declare it with f.Darwin)`},
	}, {
		name:   "unknown system",
		reason: "a misspelt system would build for nothing",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", sv, dsl.OnSystem("x86-64-linux")) // @sys
			return f
		},
		want: []string{`@sys:4: error: nixos machine "web" has unknown system "x86-64-linux" (hint: did you mean "x86_64-linux"?)`},
	}, {
		name:   "NixOS state version without a leading zero",
		reason: "NixOS state versions are YY.MM",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", dsl.StateVersion("25.5"))   // @svbad
			f.Darwin("mac", dsl.StateVersion("25.05")) // @svbaddarwin
			return f
		},
		want: []string{
			`@svbad:4: error: nixos machine "web" has state version "25.5"; NixOS state versions look like "25.05"`,
			`@svbaddarwin:4: error: darwin machine "mac" has state version "25.05"; nix-darwin state versions are integers such as "6"`,
		},
	}, {
		name:   "missing state version",
		reason: "a machine without a state version gets whatever the module defaults to",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web") // @svnone
			return f
		},
		want: []string{`@svnone:4: warning: machine "web" has no state version (hint: set it once with dsl.StateVersion("25.05") (the NixOS release it was installed with) and never change it)`},
	}, {
		name:   "relative disk device and public LUKS key",
		reason: "disko needs a /dev path; a LUKS key in a public file is in the Nix store",
		build: func() *dsl.Fleet {
			f := fleet()
			key := f.Generator("luks", dsl.PublicFile("key", dsl.Needed(dsl.ForPartitioning)), dsl.Script(`head -c 32 /dev/urandom > "$out/key"`))
			f.NixOS("web", sv, dsl.DiskLayout(dsl.Disk{Device: "sda", LUKS: key, LUKSFile: "key", Format: "btrfs"})) // @disk
			return f
		},
		want: []string{
			`@disk:4: error: machine "web": LUKS key file "key" of generator "luks" is public (hint: declare it with dsl.SecretFile)`,
			`@disk:4: error: machine "web": disk device "sda" is not an absolute /dev path (hint: for example "/dev/sda" or "/dev/disk/by-id/…")`,
			`@disk:4: error: machine "web": unknown root file system format "btrfs" (hint: use ext4 or zfs)`,
		},
	}, {
		name:   "LUKS file the generator does not have",
		reason: "the key file must be one of the LUKS generator's files",
		build: func() *dsl.Fleet {
			f := fleet()
			key := f.Generator("luks", dsl.SecretFile("key", dsl.Needed(dsl.ForPartitioning)), dsl.Script(`head -c 32 /dev/urandom > "$out/key"`))
			f.NixOS("web", sv, dsl.DiskLayout(dsl.Disk{Device: "/dev/sda", LUKS: key, LUKSFile: "kye"})) // @luksfile
			return f
		},
		want: []string{`@luksfile:4: error: machine "web": LUKS generator "luks" has no file "kye" (hint: did you mean "key"?)`},
	}, {
		name:   "LUKS key not needed for partitioning",
		reason: "disko unlocks the disk before activation, so the key must be deployed for partitioning",
		build: func() *dsl.Fleet {
			f := fleet()
			key := f.Generator("luks", dsl.SecretFile("key"), dsl.Script(`head -c 32 /dev/urandom > "$out/key"`))
			f.NixOS("web", sv, dsl.DiskLayout(dsl.Disk{Device: "/dev/sda", LUKS: key, LUKSFile: "key"})) // @luksneeded
			return f
		},
		want: []string{`@luksneeded:4: error: machine "web": LUKS key file "key" of generator "luks" is needed for services, but disko needs it for partitioning (hint: dsl.Needed(dsl.ForPartitioning))`},
	}}
}

func featureTests() []diagTest {
	return []diagTest{{
		name:   "darwin machine with a NixOS-only feature",
		reason: "the feature has no darwin module to import",
		build: func() *dsl.Fleet {
			f := fleet()
			ft := f.Feature("server-base", "", dsl.NixOSPart(dsl.Set("services.openssh.enable", true)))
			f.Darwin("mac", dv, dsl.WithFeatures(ft)) // @fnop
			return f
		},
		want: []string{`@fnop:4: error: feature "server-base" has no darwin part, but darwin machine "mac" uses it (hint: add a dsl.DarwinPart to the feature, or take it off the machine)`},
	}, {
		name:   "home feature without a home part",
		reason: "a user's home features are home-manager modules",
		build: func() *dsl.Fleet {
			f := fleet()
			ft := f.Feature("server-base", "", dsl.NixOSPart(dsl.Set("services.openssh.enable", true)))
			f.User("alice", dsl.HomeFeatures(ft)) // @fhome
			return f
		},
		want: []string{`@fhome:4: error: feature "server-base" has no homeManager part, but user "alice" uses it as a home feature (hint: add a dsl.HomePart to the feature)`},
	}, {
		name:   "two parts of one class",
		reason: "a feature has one module per class",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Feature("shell", "",
				dsl.NixOSPart(dsl.Set("programs.zsh.enable", true)),
				dsl.NixOSPart(dsl.Set("programs.fish.enable", true))) // @fdup
			return f
		},
		want: []string{`@fdup:5: error: feature "shell" has a second nixos part (hint: put all of a class's items in one part)`},
	}, {
		name:   "empty feature",
		reason: "a feature with nothing in it is probably unfinished",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Feature("nothing", "", dsl.HomePart()) // @fempty
			return f
		},
		want: []string{`@fempty:4: warning: feature "nothing" is empty (hint: give it a dsl.NixOSPart, dsl.DarwinPart or dsl.HomePart with items, or delete it)`},
	}, {
		name:   "nil feature",
		reason: "a nil feature is a reference to nothing",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", sv, dsl.WithFeatures(nil)) // @fnil
			return f
		},
		want: []string{`@fnil:4: error: machine "web": feature 1 is nil`},
	}, {
		name:   "feature of another fleet",
		reason: "only the fleet's own features are emitted",
		build: func() *dsl.Fleet {
			f := fleet()
			other := dsl.New("o").Feature("x", "", dsl.NixOSPart(dsl.Set("a", 1)))
			f.NixOS("web", sv, dsl.WithFeatures(other)) // @fforeign
			return f
		},
		want: []string{`@fforeign:4: error: machine "web" uses feature "x", which is not declared in fleet "t" (hint: declare features with f.Feature on the same fleet)`},
	}, {
		name:   "darwin implementation without a darwin part",
		reason: "OnDarwinVia's feature is imported by darwin members as a darwin module",
		build: func() *dsl.Fleet {
			f := fleet()
			impl := f.Feature("sshd-darwin", "", dsl.NixOSPart(dsl.Set("services.openssh.enable", true)))
			f.SSHD("sshd", dsl.Servers(dsl.All), dsl.SSHDOnDarwinVia(impl)) // @implnop
			server(f, "web")
			return f
		},
		want: []string{`@implnop:4: error: feature "sshd-darwin" has no darwin part, but instance "sshd" uses it as its darwin implementation (hint: add a dsl.DarwinPart to the feature)`},
	}}
}

func itemTests() []diagTest {
	return []diagTest{{
		name:   "secret path of a file the generator does not have",
		reason: "the path would not exist on the machine",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("wifi", dsl.SecretFile("psk"), dsl.Script(`echo > "$out/psk"`))
			server(f, "web", dsl.NixOSConfig(
				dsl.Set("networking.wireless.secretsFile", dsl.SecretPath(g, "pks")))) // @sp
			return f
		},
		want: []string{`@sp:48: error: generator "wifi" has no file "pks" (hint: did you mean "psk"?)`},
	}, {
		name:   "public value of a secret file",
		reason: "reading value of a secret file throws in clan",
		build: func() *dsl.Fleet {
			f := fleet()
			g := f.Generator("wifi", dsl.SecretFile("psk"), dsl.Script(`echo > "$out/psk"`))
			server(f, "web", dsl.NixOSConfig(
				dsl.Set("environment.etc.psk.text", dsl.PublicValue(g, "psk")))) // @pv
			return f
		},
		want: []string{`@pv:41: error: file "psk" of generator "wifi" is secret; its value cannot be read into the configuration (hint: use dsl.SecretPath for its path on the machine, or make it a dsl.PublicFile)`},
	}, {
		name:   "pkgs.stable on darwin without a darwin-stable channel",
		reason: "pkgs.stable on darwin is the darwin-stable channel",
		build: func() *dsl.Fleet {
			f := fleet()
			ft := f.Feature("tools", "",
				dsl.DarwinPart(dsl.PackageValues(
					dsl.PkgFrom(dsl.Stable, "micromamba")))) // @pkgst
			laptop(f, "mac", dsl.WithFeatures(ft))
			return f
		},
		want: []string{`@pkgst:6: error: feature "tools" uses pkgs.stable on darwin, but the fleet has no darwin-stable channel (hint: f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.05-darwin"))`},
	}, {
		name:   "generator of another fleet",
		reason: "a generator must be declared with f.Generator to be emitted",
		build: func() *dsl.Fleet {
			f := fleet()
			other := dsl.New("o").Generator("x")
			server(f, "web", dsl.NixOSConfig(
				dsl.Generators(other))) // @gforeign
			return f
		},
		want: []string{`@gforeign:5: error: machine "web" uses generator "x", which is not declared with f.Generator`},
	}, {
		name:   "darwin-only item in a NixOS part",
		reason: "a front-end other than Go can build a part the types would reject",
		build: func() *dsl.Fleet {
			f := fleet()
			ft := f.Feature("apps", "", dsl.DarwinPart(dsl.Casks("iterm2"))) // @caskpart
			ft.NixOS, ft.Darwin = ft.Darwin, nil
			ft.NixOS.Class = dsl.NixOS
			return f
		},
		want: []string{`@caskpart:47: error: feature "apps": a Homebrew cask list cannot go in a nixos module`},
	}, {
		name:   "flake input of another fleet",
		reason: "the module's input must be one of the fleet's flake inputs",
		build: func() *dsl.Fleet {
			f := fleet()
			srvos := dsl.New("o").Input("srvos", "github:nix-community/srvos")
			server(f, "web", dsl.NixOSConfig(dsl.Imports(
				srvos.Module("nixosModules", "server")))) // @inforeign
			return f
		},
		want: []string{`@inforeign:5: error: machine "web" uses flake input "srvos", which is not declared with f.Input`},
	}}
}

func referenceTests() []diagTest {
	return []diagTest{{
		name:   "nil machine in a role",
		reason: "a nil *Machine compiles but names nothing",
		build: func() *dsl.Fleet {
			f := fleet()
			var ghost *dsl.Machine
			f.SSHD("sshd",
				dsl.Servers(ghost)) // @nilrole
			return f
		},
		want: []string{
			`@nilrole:5: error: nil machine reference`,
			`@nilrole:5: warning: role server of instance "sshd" has no members`,
		},
	}, {
		name:   "machine of another fleet in a role",
		reason: "clan builds nothing for a machine outside the inventory",
		build: func() *dsl.Fleet {
			f := fleet()
			ghost := dsl.New("o").NixOS("ghost")
			f.SSHD("sshd",
				dsl.Servers(ghost)) // @foreignrole
			return f
		},
		want: []string{
			`@foreignrole:5: error: machine "ghost" is not declared in fleet "t" (hint: declare it with f.NixOS or f.Darwin on the same fleet)`,
			`@foreignrole:5: warning: role server of instance "sshd" has no members`,
		},
	}, {
		name:   "nil zerotier controller",
		reason: "the controller argument is required",
		build: func() *dsl.Fleet {
			f := fleet()
			f.Zerotier("zt", nil) // @nilctl
			return f
		},
		want: []string{
			`@nilctl:4: error: nil machine reference`,
			`@nilctl:4: error: zerotier instance "zt" has no controller; it needs exactly 1`,
		},
	}, {
		name:   "nil entry in the machine list",
		reason: "a front-end can append nil; it must be reported, not crash",
		build: func() *dsl.Fleet {
			f := dsl.New("t") // @nilm
			f.Machines = append(f.Machines, nil)
			return f
		},
		want: []string{`@nilm:9: error: fleet.Machines[0] is nil`},
	}, {
		name:   "nil user on a machine",
		reason: "a nil *User names nobody",
		build: func() *dsl.Fleet {
			f := fleet()
			f.NixOS("web", sv, dsl.WithUsers(nil)) // @nilu
			return f
		},
		want: []string{`@nilu:4: error: machine "web": user 1 is nil`},
	}}
}
