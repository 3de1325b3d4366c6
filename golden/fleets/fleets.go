// Package fleets holds the example fleets the golden tests compile and emit. Adding a
// fleet to the golden tests is adding one entry to [All].
package fleets

import (
	"time"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/fleet/owner"
)

// Today is the fixed day the golden fleets are compiled and summarised against.
var Today = time.Date(2026, time.March, 1, 0, 0, 0, 0, time.UTC)

// Fleet is one named example fleet.
type Fleet struct {
	Name  string // the golden fixture directory, testdata/<Name>
	Build func() *dsl.Fleet
}

// All are the golden fleets.
var All = []Fleet{
	{"single", Single},
	{"mixed", Mixed},
	{"owner", owner.Fleet},
}

// Single is one NixOS machine and nothing else.
func Single() *dsl.Fleet {
	f := dsl.New("single")
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.NixOS("solo", dsl.StateVersion("25.11"))
	return f
}

// Mixed is two NixOS servers and two darwin laptops with every built-in service, features
// in all three classes, a generator chain with dependencies and prompts, a hotfix, a patch,
// an override, caches, phases and disk layouts.
func Mixed() *dsl.Fleet {
	f := dsl.New("mixed", dsl.Domain("mixed.lan"), dsl.About("Two servers and two laptops"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.11-darwin")
	f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-25.11")
	srvos := f.Input("srvos", "github:nix-community/srvos", "nixpkgs", "nixpkgs")
	f.Cache("https://cache.nixos.org", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=")
	f.Cache("https://mixed.cachix.org", "mixed.cachix.org-1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")

	vps := f.Tag("vps")
	workstation := f.Tag("workstation")

	// Secrets: a shared CA, a per-machine certificate signed by it, a prompted token and
	// the LUKS passphrase.
	ca := f.Generator("fleet-ca",
		dsl.Shared(),
		dsl.SecretFile("ca.key", dsl.NotDeployed()),
		dsl.PublicFile("ca.pub"),
		dsl.RuntimeInputs("openssh"),
		dsl.Script(`ssh-keygen -t ed25519 -N "" -C fleet-ca -f "$out/ca.key"
mv "$out/ca.key.pub" "$out/ca.pub"`),
	)
	cert := f.Generator("host-cert",
		dsl.DependsOn(ca),
		dsl.SecretFile("host.key", dsl.Owned("root", "root"), dsl.Mode("0400"), dsl.RestartUnits("sshd.service")),
		dsl.PublicFile("host-cert.pub"),
		dsl.RuntimeInputs("openssh"),
		dsl.Validation(dsl.Attrs(dsl.Field("domain", "mixed.lan"))),
		dsl.Script(`ssh-keygen -t ed25519 -N "" -f "$out/host.key"
ssh-keygen -s "$in/fleet-ca/ca.key" -I "$(hostname)" -h "$out/host.key.pub"
mv "$out/host.key-cert.pub" "$out/host-cert.pub"
rm "$out/host.key.pub"`),
	)
	token := f.Generator("api-token",
		dsl.AskPersist("token", "API token for the backup service", dsl.Hidden),
		dsl.SecretFile("token"),
		dsl.Script(`# the prompt is persisted as the file "token"
test -s "$prompts/token"`),
	)
	luks := f.Generator("luks",
		dsl.SecretFile("passphrase", dsl.Needed(dsl.ForPartitioning)),
		dsl.RuntimeInputs("xkcdpass"),
		dsl.Script(`xkcdpass --numwords 6 --delimiter - | tr -d '\n' > "$out/passphrase"`),
	)

	shell := f.Feature("shell", "zsh with the same prompt everywhere",
		dsl.NixOSPart(dsl.Set("programs.zsh.enable", true), dsl.Packages("git", "htop")),
		dsl.DarwinPart(dsl.Set("programs.zsh.enable", true), dsl.Casks("iterm2")),
		dsl.HomePart(
			dsl.Set("programs.zsh.enable", true),
			dsl.Set("programs.starship.settings", dsl.Attrs(
				dsl.Field("add_newline", false),
				dsl.Field("format", "$directory$git_branch\n$character"),
			)),
			dsl.Packages("ripgrep"),
			dsl.PackageValues(dsl.PkgFrom(dsl.Stable, "jq")),
		),
	)
	server := f.Feature("server-base", "hardening and backups for servers",
		dsl.NixOSPart(
			dsl.Imports(srvos.Module("nixosModules", "server")),
			dsl.Set("services.openssh.settings.PasswordAuthentication", false),
			dsl.Set("services.restic.backups.daily.environmentFile", dsl.SecretPath(token, "token")),
			dsl.Set("services.openssh.extraConfig", dsl.PublicValue(ca, "ca.pub")),
			dsl.Set("boot.kernelPackages", dsl.Raw("pkgs.linuxPackages_latest")),
			dsl.Generators(cert),
		),
	)
	sshDarwin := f.Feature("sshd-darwin", "macOS's sshd, as clan's sshd does nothing on darwin",
		dsl.DarwinPart(dsl.Set("services.openssh.enable", true)),
	)
	crs := f.User("crs", dsl.UID(1000), dsl.LoginShell("zsh"), dsl.Administrator(),
		dsl.AuthorizedKeys("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFT++2jPyQbv2IRb0SjfaI1VD/wd2P6tXH/KEoL5gvmb crs@mixed"),
		dsl.InGroups("networkmanager"), dsl.HomeFeatures(shell), dsl.Identity("C. R. S.", "crs@mixed.lan"))
	guest := f.User("guest", dsl.LoginShell("bash"))

	cinnabar := f.NixOS("cinnabar",
		dsl.Tags(vps), dsl.Describe("the VPS: zerotier controller"), dsl.AlwaysOn(),
		dsl.DeployTo("root@cinnabar.mixed.lan"), dsl.StateVersion("25.05"),
		dsl.HostedOn(dsl.Hosting{Provider: "hetzner", ServerType: "cx43", Location: "fsn1", Image: "ubuntu-24.04"}),
		dsl.DiskLayout(dsl.Disk{Device: "/dev/sda", ESPSize: "1G", Format: "zfs", LUKS: luks, LUKSFile: "passphrase"}),
		dsl.WithFeatures(shell, server), dsl.WithUsers(crs),
		dsl.NixOSConfig(dsl.Set("networking.firewall.allowedTCPPorts", []int{22, 443})),
	)
	electrum := f.NixOS("electrum",
		dsl.Tags(vps), dsl.Describe("second server, zerotier moon"), dsl.AlwaysOn(),
		dsl.DeployTo("root@electrum.mixed.lan"), dsl.StateVersion("25.11"), dsl.OnSystem(dsl.AArch64Linux),
		dsl.HostedOn(dsl.Hosting{Provider: "hetzner", ServerType: "cax21", Location: "nbg1", Image: "debian-12"}),
		dsl.DiskLayout(dsl.Disk{Device: "/dev/nvme0n1", Volumes: []dsl.Volume{
			{Name: "swap", Size: "4G", Format: "swap"}, {Name: "root", Size: "40G", Mountpoint: "/"}, {Name: "home", Size: "100%", Format: "xfs", Mountpoint: "/home"},
		}}),
		dsl.WithFeatures(shell, server), dsl.WithUsers(crs, guest),
	)
	blackphos := f.Darwin("blackphos",
		dsl.Tags(workstation), dsl.Describe("laptop"), dsl.StateVersion("6"),
		dsl.DeployTo("crs@blackphos.zt"),
		dsl.WithFeatures(shell), dsl.WithUsers(crs),
		dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "a1b2c3d4e5", IP: "fd00:1:2::1"}),
	)
	stibnite := f.Darwin("stibnite",
		dsl.Tags(workstation), dsl.Describe("primary workstation"), dsl.StateVersion("6"), dsl.Primary(),
		dsl.WithFeatures(shell), dsl.WithUsers(crs),
		dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "f6e5d4c3b2", IP: "fd00:1:2::2"}),
		dsl.DarwinConfig(dsl.Casks("firefox"), dsl.Set("system.defaults.dock.autohide", true)),
	)

	f.Zerotier("zt-mixed", cinnabar,
		dsl.Moon(electrum, "203.0.113.7"),
		dsl.Peers(workstation),
		dsl.DarwinViaHomebrew(),
	)
	f.SSHD("sshd",
		dsl.Servers(dsl.All), dsl.Clients(dsl.All),
		dsl.RootKeys(map[string]string{"crs": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFT++2jPyQbv2IRb0SjfaI1VD/wd2P6tXH/KEoL5gvmb crs@mixed"}),
		dsl.SearchDomains("mixed.lan"),
		dsl.SSHDOnDarwinVia(sshDarwin),
	)
	// The users service in its generic form. TODO: f.UsersService("user-crs", crs,
	// []dsl.Member{dsl.All}, dsl.NoPrompt(), ...) once the compiler accepts the generated
	// darwin account module it sets (check_features.go reports it as an undeclared feature).
	f.Service("users", "user-crs", dsl.WithRole("default", dsl.Members(dsl.NixOSTag), dsl.RoleSettings(dsl.Attrs(
		dsl.Field("user", crs.Name), dsl.Field("prompt", false), dsl.Field("groups", []string{"wheel", "networkmanager"}),
	))))
	f.EmergencyAccess("emergency-access", dsl.NixOSTag)
	f.TrustedNixCaches("trusted-nix-caches", dsl.NixOSTag)
	f.Internet("internet",
		dsl.InternetHost{Machine: cinnabar, Host: "198.51.100.10"},
		dsl.InternetHost{Machine: electrum, Host: "198.51.100.11"},
	)

	f.Hotfix(dsl.Hotfix{
		Package: "micromamba", From: dsl.Stable, Platforms: []dsl.Platform{dsl.AllPlatforms},
		Reason:   "fmt 11 breaks the build on unstable",
		Tracking: []string{"https://github.com/NixOS/nixpkgs/issues/400001", "https://hydra.nixos.org/job/nixpkgs/trunk/micromamba.x86_64-linux"},
		Added:    dsl.Day(2026, time.January, 10), RemoveWhen: "the fmt 11 fix reaches unstable",
		RemoveBy: dsl.Day(2026, time.April, 1),
	})
	f.Hotfix(dsl.Hotfix{
		Package: "ghostty", From: dsl.Unstable, Platforms: []dsl.Platform{dsl.DarwinOS, dsl.SystemPlatform(dsl.AArch64Linux)},
		Reason: "stable's build is broken", Added: dsl.Day(2026, time.February, 20), RemoveWhen: "25.11 gets the backport",
	})
	f.Patch("https://github.com/NixOS/nixpkgs/pull/400002.diff", "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", "zerotierone: fix the darwin build")
	f.Override(dsl.Override{
		Package: "hello", Platforms: []dsl.Platform{dsl.LinuxOS},
		Attrs:  dsl.Attrs(dsl.Field("doCheck", false)),
		Reason: "flaky test on aarch64", Tracking: []string{"https://github.com/NixOS/nixpkgs/issues/400003"},
		Added: dsl.Day(2026, time.February, 1),
	})

	f.Phase("controller", cinnabar)
	f.Phase("servers", electrum)
	f.Phase("laptops", blackphos)
	f.Phase("primary", stibnite)
	return f
}
