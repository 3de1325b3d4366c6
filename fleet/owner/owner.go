// Package owner declares the owner's fleet: crs58's Hetzner VPS cinnabar (NixOS, zerotier
// controller) and the four aarch64 macOS workstations blackphos, rosegold, argentum and
// stibnite (the primary one), with the services, cross-platform features, nixpkgs channels
// and secrets of the system vision. `go run ./fleet` compiles it into generated/ and
// flake.nix.
//
// Every value here is public: SSH and cache public keys, zerotier addresses. Secrets are
// declared as vars generators and produced by `fleet vars generate`, never written here.
package owner

import (
	"time"

	"github.com/nixfleet/fleet/dsl"
)

// Fleet returns the owner's fleet.
func Fleet() *dsl.Fleet {
	f := dsl.New("crs58-fleet", dsl.Domain("crs58.zt"),
		dsl.About("crs58's fleet: one Hetzner VPS and four macOS workstations"),
		dsl.HotfixesReviewedOn(dsl.Day(2026, time.November, 25)), dsl.CachixCache("cameronraysmith"))

	binaryCaches(f)
	channels(f)
	srvos := f.Input("srvos", "github:nix-community/srvos", "nixpkgs", "nixpkgs")

	vps := f.Tag("vps")
	cloud := f.Tag("cloud")
	workstation := f.Tag("workstation")

	initrdSSH := f.Generator("initrd-ssh",
		dsl.SecretFile("id_ed25519", dsl.Needed(dsl.ForActivation)),
		dsl.PublicFile("id_ed25519.pub"),
		dsl.RuntimeInputs("coreutils", "openssh"),
		dsl.Script(`ssh-keygen -t ed25519 -N "" -C "initrd@cinnabar" -f "$out/id_ed25519"`),
	)

	base := baseFeature(f)
	shell := shellFeature(f)
	git := gitFeature(f)
	dev := devToolsFeature(f)
	macos := macosFeature(f)
	server := serverFeature(f, srvos, initrdSSH)
	macSSHD := f.Feature("macos-sshd", "macOS's own sshd, where clan's sshd service does nothing",
		dsl.DarwinPart(
			dsl.Set("services.openssh.enable", true),
			dsl.Set("services.openssh.extraConfig", "MaxAuthTries 20\n"),
		))

	crs58 := f.User("crs58", dsl.Administrator(), dsl.LoginShell("zsh"),
		dsl.AuthorizedKeys(crs58Key),
		dsl.AgeKey("age1vn8fpkmkzkjttcuc3prq3jrp7t5fsrdqey74ydu5p88keqmcupvs8jtmv8"),
		dsl.Identity("Cameron Smith", "cameron.ray.smith@gmail.com"),
		dsl.HomeStateVersion("23.11"),
		dsl.HomeFeatures(shell, git, dev))
	root := f.User("root", dsl.UID(0), dsl.AuthorizedKeys(crs58Key))

	cinnabar := f.NixOS("cinnabar",
		dsl.OnSystem(dsl.X86_64Linux),
		dsl.Tags(dsl.NixOSTag, vps, cloud),
		dsl.Describe("Hetzner Cloud VPS, zerotier controller, always on"),
		dsl.AlwaysOn(),
		dsl.StateVersion("25.05"),
		dsl.DeployTo("root@cinnabar.crs58.zt"),
		dsl.HostedOn(dsl.Hosting{Provider: "hetzner", ServerType: "cx53", Location: "fsn1", Image: "debian-12"}),
		dsl.DiskLayout(dsl.Disk{Device: "/dev/sda", Boot: "bios", Format: "zfs", Pool: "zroot",
			PoolOptions: map[string]string{"compression": "lz4", "com.sun:auto-snapshot": "true"},
			Datasets:    []dsl.Dataset{{Name: "root"}, {Name: "root/nixos", Mountpoint: "/"}, {Name: "root/home", Mountpoint: "/home"}, {Name: "root/nix", Mountpoint: "/nix"}}}),
		dsl.SSHHostKey("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnz3gueTi0vO58B5TDXPonU03Q00E4Hpo4W0gTOH3dy"),
		dsl.WithFeatures(base, shell, server),
		dsl.WithUsers(crs58, root),
	)
	laptop := []dsl.DarwinOption{dsl.Tags(dsl.DarwinTag, workstation), dsl.WithUsers(crs58),
		dsl.WithFeatures(base, shell, macos)}
	blackphos := workstationHost(f, workstationSpec{name: "blackphos", uid: 502,
		ztNode: "0ee971d9e0", ztIP: "fddb:4344:343b:14b9:399:930e:e971:d9e0",
		hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOWFgVKryKvWqDDsmUXKQYLFPQFfVXZj2S8E4TZsTtFc"}, laptop...)
	rosegold := workstationHost(f, workstationSpec{name: "rosegold", uid: 502,
		ztNode: "1534310ee8", ztIP: "fddb:4344:343b:14b9:399:9315:3431:ee8",
		hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAII6X063DuDUFScs6Za6nx3TnvG9dlJDrTthx7e2aX1XA"}, laptop...)
	argentum := workstationHost(f, workstationSpec{name: "argentum", uid: 502,
		ztNode: "f754d5ad7e", ztIP: "fddb:4344:343b:14b9:399:93f7:54d5:ad7e",
		hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJB6ZUkT5+4U0kcfdOUMHo6qRV9qPlzkkCKj0C7Rqh2m"}, laptop...)
	stibnite := workstationHost(f, workstationSpec{name: "stibnite", uid: 501,
		ztNode: "2419d93451", ztIP: "fddb:4344:343b:14b9:399:9324:19d9:3451",
		hostKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA7eyzXKTI0pjLl1hbU8UuM3VFWq2NqYdf7cBPCcC638"},
		append(laptop, dsl.Primary())...)

	knownHostsFeature(f)

	// Services (F-005, F-006): the overlay network with its controller on the VPS, sshd
	// everywhere, the admin on every machine, root on the VPS.
	f.Zerotier("zerotier-local", cinnabar, dsl.Peers(workstation), dsl.DarwinViaHomebrew())
	f.SSHD("sshd-clan", dsl.Servers(dsl.All), dsl.Clients(dsl.All), dsl.SSHDOnDarwinVia(macSSHD))
	f.EmergencyAccess("emergency-access", dsl.NixOSTag)
	f.UsersService("users-crs58", crs58, []dsl.Member{dsl.All}, dsl.NoPrompt(), dsl.SharePassword(),
		dsl.UserGroups("wheel"))
	f.UsersService("users-root", root, []dsl.Member{cinnabar}, dsl.NoPrompt())

	hotfixes(f)

	// Progressive deployment (F-010): the VPS first, then the laptops, the primary one last.
	f.Phase("foundation", cinnabar)
	f.Phase("blackphos", blackphos)
	f.Phase("rosegold", rosegold)
	f.Phase("argentum", argentum)
	f.Phase("stibnite", stibnite)
	return f
}

// crs58Key is the owner's public SSH key.
const crs58Key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdO9rInDa9HvdtZZxmkgeEdAlTupCy3BgA/sqSGyUH+"

// workstationSpec is what differs between the owner's laptops.
type workstationSpec struct {
	name    string
	uid     int    // crs58's uid on this Mac
	ztNode  string // the zerotier-one node ID of the Homebrew install
	ztIP    string // its address in the zerotier network
	hostKey string // /etc/ssh/ssh_host_ed25519_key.pub
}

// workstationHost declares one of the owner's macOS laptops: the same shape each time, so a
// new host is one spec.
func workstationHost(f *dsl.Fleet, w workstationSpec, opts ...dsl.DarwinOption) *dsl.Machine {
	return f.Darwin(w.name, append([]dsl.DarwinOption{
		dsl.Describe("macOS workstation"),
		// The laptops' nix-darwin installs date from stateVersion 4; raising it changes
		// defaults, so it follows nix-darwin's changelog, not the calendar.
		dsl.StateVersion("4"),
		dsl.DeployTo("crs58@" + w.name + ".crs58.zt"),
		dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: w.ztNode, IP: w.ztIP}),
		dsl.SSHHostKey(w.hostKey),
		dsl.DarwinConfig(dsl.Set("users.users.crs58.uid", w.uid)),
	}, opts...)...)
}

func binaryCaches(f *dsl.Fleet) {
	f.Cache("https://cache.nixos.org", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=")
	f.Cache("https://cache.clan.lol", "cache.clan.lol-1:3KztgSAB5R1M+Dz7vzkBGzXdodizbgLXGXKXlcQLA28=")
	f.Cache("https://nix-community.cachix.org", "nix-community.cachix.org-1:mB9FSh9qf2dCimDSUo8Zy7bkq5CX+/rkCWyvRCYg3Fs=")
	f.Cache("https://cameronraysmith.cachix.org", "cameronraysmith.cachix.org-1:aC8ZcRCVcQql77Qn//Q1jrKkiDGir+pIUjhUunN6aio=")
}

// channels declares the multi-channel inputs (F-002): unstable as the default package set,
// the current stable release per OS for fallbacks.
func channels(f *dsl.Fleet) {
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixpkgs-unstable")
	f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-26.05-darwin")
	f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-26.05")
}

// hotfixes are the surgical package fixes in force. Removing one is deleting its record.
func hotfixes(f *dsl.Fleet) {
	f.Hotfix(dsl.Hotfix{
		Package:   "micromamba",
		From:      dsl.Stable,
		Platforms: []dsl.Platform{dsl.AllPlatforms},
		Reason:    "fmt library: Formatter<fs::u8path> lacks a const format method; unstable fails since 2025-09-28",
		Tracking: []string{
			"https://hydra.nixos.org/job/nixpkgs/trunk/micromamba.aarch64-darwin",
			"https://hydra.nixos.org/job/nixpkgs/trunk/micromamba.x86_64-linux",
		},
		Added:      dsl.Day(2025, time.October, 13),
		RemoveWhen: "fmt compatibility is fixed upstream",
	})
	f.Hotfix(dsl.Hotfix{
		Package:    "google-cloud-sdk",
		From:       dsl.Stable,
		Platforms:  []dsl.Platform{dsl.LinuxOS},
		Reason:     "auto-patchelf lacks pyelftools, so withExtraComponents builds fail",
		Tracking:   []string{"https://hydra.nixos.org/job/nixpkgs/trunk/google-cloud-sdk.x86_64-linux"},
		Added:      dsl.Day(2025, time.November, 19),
		RemoveWhen: "the auto-patchelf fix lands upstream",
	})
	f.Override(dsl.Override{
		Package:   "ghc_filesystem",
		Platforms: []dsl.Platform{dsl.DarwinOS},
		Attrs:     dsl.Attrs(dsl.Field("doCheck", false)),
		Reason:    "tests fail to build with clang 21 on darwin",
		Tracking:  []string{"https://github.com/gulrak/filesystem/issues/29"},
		Added:     dsl.Day(2025, time.October, 13),
	})
}
