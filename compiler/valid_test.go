package compiler_test

import (
	"os"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// everything is a valid fleet that uses every construct of the vocabulary.
func everything() *dsl.Fleet {
	f := dsl.New("demo", dsl.Domain("demo.lan"), dsl.About("every construct once"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.05-darwin")
	f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-25.05")
	srvos := f.Input("srvos", "github:nix-community/srvos", "nixpkgs", "nixpkgs")
	f.Cache("https://cache.nixos.org", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=")
	vps := f.Tag("vps")
	lt := f.Tag("laptop")

	luks := f.Generator("luks", dsl.SecretFile("key", dsl.Needed(dsl.ForPartitioning)),
		dsl.RuntimeInputs("coreutils"), dsl.Script(`head -c 32 /dev/urandom > "$out/key"`))
	ca := f.Generator("ssh-ca", dsl.Shared(),
		dsl.SecretFile("id_ed25519", dsl.NotDeployed()), dsl.PublicFile("id_ed25519.pub"),
		dsl.RuntimeInputs("openssh"), dsl.Script(`ssh-keygen -t ed25519 -N "" -C "" -f "$out/id_ed25519"`))
	wifi := f.Generator("wifi",
		dsl.AskPersist("psk", "the Wi-Fi password", dsl.Hidden),
		dsl.Ask("ssid", "the network", dsl.Line),
		dsl.SecretFile("env", dsl.Owned("root", "root"), dsl.Mode("0440"), dsl.Needed(dsl.ForServices), dsl.RestartUnits("wpa_supplicant.service")),
		dsl.DependsOn(),
		dsl.Validation(dsl.Attrs(dsl.Field("version", 2), dsl.KV{Key: "net", Value: dsl.Attrs(dsl.Field("band", "5GHz"))})),
		dsl.Script(`
set -eu
printf 'PSK=%s\nSSID=%s\n' "$(cat "$prompts/psk")" "$(cat "$prompts/ssid")" > "$out/env"
`))
	known := f.Generator("known-hosts", dsl.Shared(), dsl.DependsOn(ca), dsl.PublicFile("known_hosts"),
		dsl.Script(`echo "@cert-authority * $(cat "$in/ssh-ca/id_ed25519.pub")" > "$out/known_hosts"`))

	shell := f.Feature("shell", "zsh everywhere",
		dsl.NixOSPart(dsl.Set("programs.zsh.enable", true), dsl.Packages("git", "python3Packages.numpy")),
		dsl.DarwinPart(dsl.Set("programs.zsh.enable", true), dsl.Casks("iterm2"),
			dsl.PackageValues(dsl.PkgFrom(dsl.Stable, "micromamba"), dsl.PkgFrom(dsl.Unstable, "jq"), dsl.PkgFrom(dsl.Patched, "hello"))),
		dsl.HomePart(dsl.Set("programs.git.enable", true), dsl.Packages("ripgrep"),
			dsl.SetPath([]string{"xdg", "configFile", "a.b"}, map[string]string{"text": "x"})),
	)
	server := f.Feature("server", "hardened server",
		dsl.NixOSPart(
			dsl.Imports(srvos.Module("nixosModules", "server"), dsl.Raw("{ ... }: { }")),
			dsl.Set("programs.ssh.knownHostsFiles", dsl.List(dsl.PublicValue(known, "known_hosts"))),
			dsl.Set("networking.wireless.environmentFile", dsl.SecretPath(wifi, "env")),
			dsl.Generators(known),
			dsl.Set("services.openssh.settings", map[string]dsl.Value{"PasswordAuthentication": dsl.ValueOf(false), "Ciphers": dsl.ValueOf([]string{"aes256-gcm@openssh.com"})}),
			dsl.Set("boot.kernel.sysctl.\"vm.swappiness\"", 10),
			dsl.Set("x.cores", []int{0}),
			dsl.Set("x.ratio", 0.5),
			dsl.Set("x.flags", []bool{true}),
			dsl.Set("x.counts", map[string]int{"a": 1}),
			dsl.Set("x.enabled", map[string]bool{"a": true}),
			dsl.Set("x.list", []dsl.Value{dsl.Pkg("git")}),
		))
	sshdDarwin := f.Feature("sshd-darwin", "sshd on macOS", dsl.DarwinPart(dsl.Set("services.openssh.enable", true)))
	usersDarwin := f.Feature("users-darwin", "accounts on macOS", dsl.DarwinPart(dsl.Set("users.knownUsers", []string{"alice"})))

	alice := f.User("alice", dsl.UID(1000), dsl.LoginShell("zsh"), dsl.Administrator(), dsl.InGroups("wheel"),
		dsl.AuthorizedKeys(sshKey), dsl.HomeFeatures(shell), dsl.Identity("Alice", "alice@demo.lan"))
	root := f.User("root", dsl.AuthorizedKeys(sshKey))

	cinnabar := f.NixOS("cinnabar", dsl.Tags(vps), // @cinnabar
		dsl.AlwaysOn(), dsl.StateVersion("25.05"), dsl.Describe("the VPS"),
		dsl.DeployTo("root@cinnabar.demo.lan"), dsl.OnSystem(dsl.X86_64Linux),
		dsl.HostedOn(dsl.Hosting{Provider: "hetzner", ServerType: "cx53", Location: "fsn1", Image: "ubuntu-24.04"}),
		dsl.DiskLayout(dsl.Disk{Device: "/dev/sda", ESPSize: "512M", Swap: "4G", LUKS: luks, LUKSFile: "key", Format: "zfs"}),
		dsl.WithFeatures(shell, server), dsl.WithUsers(alice, root),
		dsl.NixOSConfig(dsl.Set("networking.firewall.allowedTCPPorts", []int{22, 443})))
	arm := f.NixOS("arm", dsl.OnSystem(dsl.AArch64Linux), dsl.AlwaysOn(), dsl.StateVersion("25.11"), dsl.WithFeatures(server))
	blackphos := f.Darwin("blackphos", dsl.Tags(lt), dsl.StateVersion("6"), dsl.WithFeatures(shell), dsl.WithUsers(alice),
		dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "0123456789", IP: "fd00::1"}),
		dsl.DarwinConfig(dsl.Casks("firefox"), dsl.Generators(ca)))
	stibnite := f.Darwin("stibnite", dsl.Tags(lt), dsl.StateVersion("6"), dsl.Primary(), dsl.WithUsers(alice),
		dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "abcdef0123"}))

	f.Zerotier("zt", cinnabar, dsl.Peers(lt, arm), dsl.Moon(arm, "203.0.113.7"), dsl.PublicNetwork(), dsl.DarwinViaHomebrew())
	f.SSHD("sshd", dsl.Servers(dsl.All), dsl.Clients(dsl.All), dsl.RootKeys(map[string]string{"alice": sshKey}),
		dsl.SearchDomains("demo.lan"), dsl.SSHDOnDarwinVia(sshdDarwin))
	f.UsersService("user-alice", alice, []dsl.Member{dsl.All}, dsl.NoPrompt(), dsl.SharePassword(), dsl.UserGroups("wheel"),
		dsl.UsersOnDarwinVia(usersDarwin))
	f.EmergencyAccess("emergency", dsl.NixOSTag)
	f.TrustedNixCaches("caches", dsl.NixOSTag)
	f.Internet("internet", dsl.InternetHost{Machine: cinnabar, Host: "203.0.113.1"}, dsl.InternetHost{Machine: stibnite, Host: "stibnite.demo.lan"})
	f.Service("borgbackup", "backup",
		dsl.WithRole("server", dsl.Members(cinnabar)),
		dsl.WithRole("client", dsl.Members(vps), dsl.ForMachine(arm, dsl.Attrs(dsl.Field("startAt", "daily")))))
	f.Service("hello", "hello", dsl.FromInput("srvos"), dsl.WithRole("default", dsl.Members(arm)))
	f.Service("wifi", "wifi", dsl.WithRole("default", dsl.Members(dsl.NixOSTag), dsl.RoleSettings(dsl.Attrs(dsl.Field("networks", map[string]string{"home": "x"})))))

	f.Hotfix(dsl.Hotfix{Package: "micromamba", From: dsl.Stable, Platforms: []dsl.Platform{dsl.DarwinOS},
		Reason: "fmt 11 breaks the build", Tracking: []string{"https://github.com/NixOS/nixpkgs/issues/1"},
		Added: dsl.Day(2025, time.September, 28), RemoveWhen: "fmt 11 support lands", RemoveBy: dsl.Day(2026, time.March, 1)})
	f.Hotfix(dsl.Hotfix{Package: "micromamba", From: dsl.Unstable, Platforms: []dsl.Platform{dsl.SystemPlatform(dsl.X86_64Linux)},
		Reason: "same, on Linux", Added: dsl.Day(2025, time.September, 28)})
	f.Hotfix(dsl.Hotfix{Package: "hello", From: dsl.Patched, Platforms: []dsl.Platform{dsl.AllPlatforms}, Reason: "patched", Added: dsl.Day(2025, time.October, 1)})
	f.Patch("https://github.com/NixOS/nixpkgs/pull/123456.patch", "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "fix hello")
	f.Override(dsl.Override{Package: "git", Platforms: []dsl.Platform{dsl.LinuxOS}, Attrs: dsl.Attrs(dsl.Field("doCheck", false)),
		Reason: "flaky tests", Added: dsl.Day(2025, time.October, 2)})

	f.Phase("controller", cinnabar)
	f.Phase("servers", arm)
	f.Phase("laptops", blackphos, stibnite)
	return f
}

func TestValidFleetHasNoDiagnostics(t *testing.T) {
	m, got := compile(t, everything())
	if len(got) > 0 {
		t.Fatalf("a valid fleet produced diagnostics:\n%s", joinLines(got))
	}
	// The checks saw what they needed to see: everything resolved.
	if len(m.Machines) != 4 || len(m.Instances) != 9 || len(m.Generators) != 4 || len(m.Phases) != 3 {
		t.Fatalf("model: %d machines, %d instances, %d generators, %d phases", len(m.Machines), len(m.Instances), len(m.Generators), len(m.Phases))
	}
}

func joinLines(xs []string) string {
	out := ""
	for _, x := range xs {
		out += x + "\n"
	}
	return out
}

// TestAllAtOnce checks that one compilation reports every problem, sorted by position.
func TestAllAtOnce(t *testing.T) {
	f := everything()
	f.NixOS("Bad", sv)                                   // @allbad
	f.Zerotier("zt2", f.Machines[0], dsl.Peers(dsl.All)) // @allzt
	f.Generator("loop", dsl.DependsOn(f.Generators[0]))  // @allloop
	f.Cache("http://example.org", "k:AAAA")              // @allcache
	f.Machines[0].StateVersion = ""
	wd, _ := os.Getwd()
	_, ds := compiler.Compile(f, compiler.Today(today))
	if !ds.HasErrors() || ds.Err() == nil {
		t.Fatal("no errors")
	}
	sorted := slices.IsSortedFunc(ds, func(a, b compiler.Diagnostic) int {
		if a.Pos.File != b.Pos.File {
			return cmpStr(a.Pos.File, b.Pos.File)
		}
		if a.Pos.Line != b.Pos.Line {
			return a.Pos.Line - b.Pos.Line
		}
		return a.Pos.Col - b.Pos.Col
	})
	if !sorted {
		t.Errorf("diagnostics are not sorted:\n%v", ds)
	}
	var got []string
	for _, d := range ds.Relative(wd) {
		got = append(got, d.String())
	}
	var want []string
	for _, w := range []string{
		`@cinnabar:14: warning: machine "cinnabar" has no state version (hint: set it once with dsl.StateVersion("25.05") (the NixOS release it was installed with) and never change it)`,
		`@allbad:2: error: invalid machine name "Bad": it becomes a host name, use lower case (hint: use "bad")`,
		`@allbad:2: error: machine "Bad" is in no deployment phase (hint: add it to one of the f.Phase calls)`,
		`@allzt:35: error: clan's zerotier service does nothing on darwin, but role peer of instance "zt2" includes darwin machines "blackphos", "stibnite" through tag "all" (hint: join darwin members with dsl.DarwinViaHomebrew(), or use dsl.NixOSTag instead of a tag with darwin machines)`,
		`@allloop:2: warning: generator "loop" is not used by any machine (hint: attach it with dsl.Generators or dsl.SecretPath in a feature or machine, or delete it)`,
		`@allcache:2: error: cache URL "http://example.org" is not https (hint: substituters are fetched over the network: use https (http only for localhost))`,
		`@allcache:2: error: cache http://example.org has an invalid public key "k:AAAA": the key is 3 bytes, an ed25519 public key is 32 (hint: the key the cache prints, such as cache.example.org-1:<44 base64 characters>)`,
	} {
		want = append(want, expand(t, w))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	// Compiling again gives the same diagnostics.
	_, again := compiler.Compile(f, compiler.Today(today))
	if len(again) != len(ds) {
		t.Fatalf("second compilation: %d diagnostics, first %d", len(again), len(ds))
	}
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
