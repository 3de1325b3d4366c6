package owner

import (
	"github.com/nixfleet/fleet/dsl"
)

// baseFeature is what every machine shares: nix settings, trusted users, the binary
// caches and garbage collection.
func baseFeature(f *dsl.Fleet, caches []*dsl.Cache) *dsl.Feature {
	var urls, keys []string
	for _, c := range caches {
		urls = append(urls, c.URL)
		keys = append(keys, c.PublicKey)
	}
	common := func() []dsl.Setting {
		return []dsl.Setting{
			dsl.Set("nix.settings.experimental-features", []string{"nix-command", "flakes"}),
			dsl.Set("nix.settings.substituters", urls),
			dsl.Set("nix.settings.trusted-public-keys", keys),
			dsl.Set("nix.gc.automatic", true),
			dsl.Set("nix.gc.options", "--delete-older-than 14d"),
			dsl.Set("nix.optimise.automatic", true),
		}
	}
	var nixos []dsl.NixOSItem
	for _, s := range common() {
		nixos = append(nixos, s)
	}
	nixos = append(nixos,
		dsl.Set("nix.settings.trusted-users", []string{"root", "@wheel"}),
		dsl.Set("nix.gc.dates", "weekly"),
		dsl.Packages("vim", "git"),
	)
	var darwin []dsl.DarwinItem
	for _, s := range common() {
		darwin = append(darwin, s)
	}
	darwin = append(darwin,
		dsl.Set("nix.settings.trusted-users", []string{"root", "@admin"}),
		dsl.Set("nix.gc.interval", map[string]int{"Weekday": 5, "Hour": 21, "Minute": 0}),
		dsl.Set("time.timeZone", "America/New_York"),
		dsl.Packages("vim", "git"),
	)
	return f.Feature("base", "nix settings, trusted users, binary caches and garbage collection",
		dsl.NixOSPart(nixos...), dsl.DarwinPart(darwin...))
}

func shellFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("shell", "zsh with starship on every machine",
		dsl.NixOSPart(dsl.Set("programs.zsh.enable", true)),
		dsl.DarwinPart(dsl.Set("programs.zsh.enable", true)),
		dsl.HomePart(
			dsl.Set("programs.zsh.enable", true),
			dsl.Set("programs.zsh.autosuggestion.enable", true),
			dsl.Set("programs.zsh.syntaxHighlighting.enable", true),
			dsl.Set("programs.starship.enable", true),
			dsl.Set("programs.starship.settings", dsl.Attrs(
				dsl.Field("command_timeout", 2000),
				dsl.KV{Key: "aws", Value: dsl.Attrs(dsl.Field("disabled", true))},
				dsl.KV{Key: "gcloud", Value: dsl.Attrs(dsl.Field("disabled", true))},
			)),
		))
}

func gitFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("git", "git with the owner's identity",
		dsl.HomePart(
			dsl.Set("programs.git.enable", true),
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
			dsl.Set("programs.direnv.enable", true),
			dsl.Set("programs.direnv.nix-direnv.enable", true),
			dsl.Set("programs.direnv.config.global.warn_timeout", "10m"),
			dsl.Packages("just", "gh", "jq", "ripgrep", "fd", "age", "sops", "ssh-to-age", "micromamba"),
		))
}

// macosFeature holds the darwin system defaults and Homebrew casks of every workstation.
func macosFeature(f *dsl.Fleet) *dsl.Feature {
	return f.Feature("macos", "macOS defaults and Homebrew casks",
		dsl.DarwinPart(
			dsl.Set("security.pam.services.sudo_local.touchIdAuth", true),
			dsl.Set("system.defaults.dock.autohide", true),
			dsl.Set("system.defaults.dock.mru-spaces", false),
			dsl.Set("system.defaults.dock.show-recents", true),
			dsl.Set("system.defaults.dock.tilesize", 48),
			dsl.Set("system.defaults.finder.AppleShowAllExtensions", true),
			dsl.Set("system.defaults.finder.FXPreferredViewStyle", "Nlsv"),
			dsl.Set("system.defaults.finder.ShowPathbar", true),
			dsl.Set("system.defaults.NSGlobalDomain.AppleInterfaceStyle", "Dark"),
			dsl.Set("system.defaults.NSGlobalDomain.ApplePressAndHoldEnabled", false),
			dsl.Set("system.defaults.NSGlobalDomain.InitialKeyRepeat", 15),
			dsl.Set("system.defaults.NSGlobalDomain.KeyRepeat", 2),
			dsl.Set("system.defaults.trackpad.Clicking", true),
			dsl.Set("system.defaults.trackpad.TrackpadRightClick", true),
			dsl.Set("system.defaults.screencapture.location", "~/Downloads"),
			dsl.Set("homebrew.enable", true),
			dsl.Set("homebrew.onActivation.cleanup", "uninstall"),
			dsl.Casks("alt-tab", "betterdisplay", "ghostty", "raycast", "stats", "visual-studio-code", "zed",
				"font-jetbrains-mono-nerd-font"),
		))
}

// serverFeature is what the VPS needs beyond the base: srvos' server profile for Hetzner,
// the firewall, the systemd-networkd uplink, and SSH in the initrd for unlocking and rescue.
func serverFeature(f *dsl.Fleet, srvos *dsl.Input, initrdSSH *dsl.Generator) *dsl.Feature {
	return f.Feature("server", "NixOS server essentials for the VPS",
		dsl.NixOSPart(
			dsl.Imports(srvos.Module("nixosModules", "server"), srvos.Module("nixosModules", "hardware-hetzner-cloud")),
			dsl.Set("networking.firewall.enable", true),
			dsl.Set("networking.useNetworkd", true),
			dsl.SetPath([]string{"systemd", "network", "networks", "10-uplink"}, dsl.Attrs(
				dsl.KV{Key: "matchConfig", Value: dsl.Attrs(dsl.Field("Name", "en*"))},
				dsl.KV{Key: "networkConfig", Value: dsl.Attrs(dsl.Field("DHCP", "yes"), dsl.Field("IPv6AcceptRA", true))},
			)),
			dsl.Set("services.openssh.settings.MaxAuthTries", 20),
			dsl.Set("security.sudo.wheelNeedsPassword", false),
			dsl.Set("boot.zfs.devNodes", "/dev/disk/by-path"),
			dsl.Set("boot.initrd.systemd.enable", true),
			dsl.Set("boot.initrd.network.enable", true),
			dsl.Set("boot.initrd.network.ssh.enable", true),
			dsl.Set("boot.initrd.network.ssh.port", 2222),
			dsl.Set("boot.initrd.network.ssh.hostKeys", []dsl.Value{dsl.SecretPath(initrdSSH, "id_ed25519")}),
			dsl.Set("boot.initrd.network.ssh.authorizedKeys", []string{crs58Key}),
			dsl.Set("boot.initrd.availableKernelModules", []string{"virtio_pci", "virtio_net"}),
		))
}

// knownHostsFeature trusts every machine's host key under its zerotier name on every
// machine, computed from the machines themselves.
func knownHostsFeature(f *dsl.Fleet, machines ...*dsl.Machine) *dsl.Feature {
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
		dsl.NixOSPart(dsl.Set("programs.ssh.knownHosts", v)),
		dsl.DarwinPart(dsl.Set("programs.ssh.knownHosts", v)))
	for _, m := range machines {
		m.Features = append(m.Features, ft)
	}
	return ft
}
