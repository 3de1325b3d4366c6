package owner

import (
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/options/darwin"
	"github.com/nixfleet/fleet/options/home"
	"github.com/nixfleet/fleet/options/nixos"
)

// baseFeature is what every machine shares: nix settings, trusted users and garbage
// collection.
func baseFeature(f *dsl.Fleet) *dsl.Feature {
	// The binary caches are not repeated here: every machine imports the generated
	// fleet-caches module, which sets them from the fleet's caches (f.Cache).
	// Typed bindings where the option data declares the option; dsl.Set where it does not
	// (nix.settings.experimental-features is a freeform setting).
	nixosItems := []dsl.NixOSItem{
		dsl.Set("nix.settings.experimental-features", []string{"nix-command", "flakes"}),
		nixos.Nix.Gc.Automatic.Set(true),
		nixos.Nix.Gc.Options.Set("--delete-older-than 14d"),
		nixos.Nix.Optimise.Automatic.Set(true),
		nixos.Nix.Settings.TrustedUsers.Set([]string{"root", "@wheel"}),
		nixos.Nix.Gc.Dates.Set("weekly"),
		dsl.Packages("vim", "git"),
	}
	darwinItems := []dsl.DarwinItem{
		dsl.Set("nix.settings.experimental-features", []string{"nix-command", "flakes"}),
		darwin.Nix.Gc.Automatic.Set(true),
		darwin.Nix.Gc.Options.Set("--delete-older-than 14d"),
		darwin.Nix.Optimise.Automatic.Set(true),
		darwin.Nix.Settings.TrustedUsers.Set([]string{"root", "@admin"}),
		darwin.Nix.Gc.Interval.Set(dsl.ValueOf(map[string]int{"Weekday": 5, "Hour": 21, "Minute": 0})),
		darwin.Time.TimeZone.Set("America/New_York"),
		dsl.Packages("vim", "git"),
	}
	return f.Feature("base", "nix settings, trusted users and garbage collection",
		dsl.NixOSPart(nixosItems...), dsl.DarwinPart(darwinItems...))
}

func shellFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("shell", "zsh with starship on every machine",
		dsl.NixOSPart(nixos.Programs.Zsh.Enable.Set(true)),
		dsl.DarwinPart(darwin.Programs.Zsh.Enable.Set(true)),
		dsl.HomePart(
			home.Programs.Zsh.Enable.Set(true),
			home.Programs.Zsh.Autosuggestion.Enable.Set(true),
			home.Programs.Zsh.SyntaxHighlighting.Enable.Set(true),
			home.Programs.Starship.Enable.Set(true),
			home.Programs.Starship.Settings.Set(dsl.Attrs(
				dsl.Field("command_timeout", 2000),
				dsl.KV{Key: "aws", Value: dsl.Attrs(dsl.Field("disabled", true))},
				dsl.KV{Key: "gcloud", Value: dsl.Attrs(dsl.Field("disabled", true))},
			)),
		))
}

func gitFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("git", "git with the owner's identity",
		dsl.HomePart(
			home.Programs.Git.Enable.Set(true),
			// programs.git.settings is an either type: its keys have no bindings.
			dsl.Set("programs.git.settings.user.name", "Cameron Smith"),
			dsl.Set("programs.git.settings.user.email", "cameron.ray.smith@gmail.com"),
			dsl.Set("programs.git.settings.init.defaultBranch", "main"),
			dsl.Set("programs.git.settings.push.autoSetupRemote", true),
			dsl.Set("programs.git.settings.pull.rebase", true),
		))
}

func devToolsFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("dev-tools", "direnv with nix-direnv, just and everyday tools (F-004)",
		dsl.HomePart(
			home.Programs.Direnv.Enable.Set(true),
			home.Programs.Direnv.NixDirenv.Enable.Set(true),
			dsl.Set("programs.direnv.config.global.warn_timeout", "10m"),
			dsl.Packages("just", "gh", "jq", "ripgrep", "fd", "age", "sops", "ssh-to-age", "micromamba"),
		))
}

// macosFeature holds the darwin system defaults and Homebrew casks of every workstation.
func macosFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("macos", "macOS defaults and Homebrew casks",
		dsl.DarwinPart(
			darwin.Security.Pam.Services.SudoLocal.TouchIdAuth.Set(true),
			darwin.System.Defaults.Dock.Autohide.Set(true),
			darwin.System.Defaults.Dock.MruSpaces.Set(false),
			darwin.System.Defaults.Dock.ShowRecents.Set(true),
			darwin.System.Defaults.Dock.Tilesize.Set(48),
			darwin.System.Defaults.Finder.AppleShowAllExtensions.Set(true),
			darwin.System.Defaults.Finder.FXPreferredViewStyle.Set("Nlsv"),
			darwin.System.Defaults.Finder.ShowPathbar.Set(true),
			darwin.System.Defaults.NSGlobalDomain.AppleInterfaceStyle.Set(darwin.SystemDefaultsNSGlobalDomainAppleInterfaceStyleDark),
			darwin.System.Defaults.NSGlobalDomain.ApplePressAndHoldEnabled.Set(false),
			darwin.System.Defaults.NSGlobalDomain.InitialKeyRepeat.Set(15),
			darwin.System.Defaults.NSGlobalDomain.KeyRepeat.Set(2),
			darwin.System.Defaults.Trackpad.Clicking.Set(true),
			darwin.System.Defaults.Trackpad.TrackpadRightClick.Set(true),
			darwin.System.Defaults.Screencapture.Location.Set("~/Downloads"),
			darwin.Homebrew.Enable.Set(true),
			darwin.Homebrew.OnActivation.Cleanup.Set(darwin.HomebrewOnActivationCleanupUninstall),
			dsl.Casks("alt-tab", "betterdisplay", "ghostty", "raycast", "stats", "visual-studio-code", "zed",
				"font-jetbrains-mono-nerd-font"),
		))
}

// serverFeature is what the VPS needs beyond the base: srvos' server profile, what a
// Hetzner Cloud guest needs (the QEMU guest agent, growing the root partition, virtio), the
// firewall, the systemd-networkd uplink, and SSH in the initrd for unlocking and rescue.
func serverFeature(f *dsl.Fleet, srvos *dsl.Input, initrdSSH *dsl.Generator) *dsl.Feature {
	return f.Feature("server", "NixOS server essentials for the VPS",
		dsl.NixOSPart(
			// Not srvos' hardware-hetzner-cloud: it imports from modulesPath, and it assumes an
			// ext4 /dev/sda1 root where this machine has its disko layout.
			dsl.Imports(srvos.Module("nixosModules", "server")),
			nixos.Services.QemuGuest.Enable.Set(true),
			nixos.Boot.GrowPartition.Set(true),
			nixos.Networking.Firewall.Enable.Set(true),
			nixos.Networking.UseNetworkd.Set(true),
			// One attribute set for the whole entry: a systemd.network.networks.<name> entry has no
			// Set of its own, and its MatchConfig and NetworkConfig bindings would render as two
			// assignments (the same configuration, a different file).
			dsl.SetPath([]string{"systemd", "network", "networks", "10-uplink"}, dsl.Attrs(
				dsl.KV{Key: "matchConfig", Value: dsl.Attrs(dsl.Field("Name", "en*"))},
				dsl.KV{Key: "networkConfig", Value: dsl.Attrs(dsl.Field("DHCP", "yes"), dsl.Field("IPv6AcceptRA", true))},
			)),
			// MaxAuthTries is a freeform sshd setting: no binding.
			dsl.Set("services.openssh.settings.MaxAuthTries", 20),
			nixos.Security.Sudo.WheelNeedsPassword.Set(false),
			nixos.Boot.Zfs.DevNodes.Set("/dev/disk/by-path"),
			nixos.Boot.Initrd.Systemd.Enable.Set(true),
			nixos.Boot.Initrd.Network.Enable.Set(true),
			nixos.Boot.Initrd.Network.Ssh.Enable.Set(true),
			nixos.Boot.Initrd.Network.Ssh.Port.Set(2222),
			// list of (string or path): an either type, so a list of values.
			nixos.Boot.Initrd.Network.Ssh.HostKeys.Set([]dsl.Value{dsl.SecretPath(initrdSSH, "id_ed25519")}),
			nixos.Boot.Initrd.Network.Ssh.AuthorizedKeys.Set([]string{crs58Key}),
			nixos.Boot.Initrd.AvailableKernelModules.Set([]string{"virtio_pci", "virtio_net", "virtio_scsi", "sd_mod"}),
		))
}

// knownHostsFeature trusts every machine's host key under its zerotier name on every
// machine of the fleet, computed from the machines declared so far (call it after the last
// one), so a new host is trusted everywhere without touching this list.
func knownHostsFeature(f *dsl.Fleet) *dsl.Feature {
	machines := f.Machines
	hosts := &dsl.Object{}
	for _, m := range machines {
		if m.HostKey == "" {
			continue
		}
		names := []string{m.Name + ".crs58.zt"}
		if m.Zerotier.IP != "" {
			names = append(names, m.Zerotier.IP)
		}
		hosts.Set(m.Name, dsl.Attrs(dsl.Field("hostNames", names), dsl.Field("publicKey", m.HostKey)))
	}
	v := dsl.ObjectValue(hosts)
	ft := f.Feature("ssh-known-hosts", "every machine's SSH host key, trusted fleet-wide",
		// Expr, not Set: Set takes a Go map, which renders its hosts sorted by name; the object
		// keeps them in declaration order.
		dsl.NixOSPart(nixos.Programs.Ssh.KnownHosts.Expr(v)),
		dsl.DarwinPart(dsl.Set("programs.ssh.knownHosts", v)))
	for _, m := range machines {
		m.Features = append(m.Features, ft)
	}
	return ft
}
