package compiler

import (
	"path"
	"regexp"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

var (
	nixosStateVersionRE  = regexp.MustCompile(`^\d{2}\.\d{2}$`)
	darwinStateVersionRE = regexp.MustCompile(`^[0-9]+$`)
)

// checkMachines checks each machine's class and system, state version, disk and hosting,
// and its references to features and users.
func (cc *compilation) checkMachines() {
	for _, m := range cc.model.Machines {
		cc.checkClassSystem(m.Machine)
		cc.checkStateVersion(m.Machine)
		cc.checkDisk(m.Machine)
		if m.Hosting != nil && m.Class != dsl.NixOS {
			cc.r.errorf(m.Pos, "%s machine %q has hosting, which only NixOS machines can have", m.Class, m.Name)
		}
		for i, u := range m.Machine.Users {
			switch {
			case u == nil:
				cc.r.errorf(m.Pos, "machine %q: user %d is nil", m.Name, i+1)
			case !cc.decl.users[u]:
				cc.r.errorf(m.Pos, "machine %q has user %q, which is not declared in fleet %q", m.Name, u.Name, cc.fleet.Name).Hint =
					"declare users with f.User on the same fleet"
			}
		}
	}
}

func (cc *compilation) checkClassSystem(m *dsl.Machine) {
	switch m.Class {
	case dsl.NixOS:
		switch {
		case m.System.IsLinux():
		case m.System == "":
			cc.r.errorf(m.Pos, "nixos machine %q has no system", m.Name).Hint = "x86_64-linux or aarch64-linux"
		case m.System.IsDarwin():
			cc.r.errorf(m.Pos, "nixos machine %q cannot have the darwin system %q", m.Name, m.System).Hint = "declare it with f.Darwin"
		default:
			d := cc.r.errorf(m.Pos, "nixos machine %q has unknown system %q", m.Name, m.System)
			d.Hint = didYouMean(string(m.System), []string{string(dsl.X86_64Linux), string(dsl.AArch64Linux)})
			if d.Hint == "" {
				d.Hint = "use x86_64-linux or aarch64-linux"
			}
		}
	case dsl.Darwin:
		switch {
		case m.System == dsl.AArch64Darwin:
		case m.System == "x86_64-darwin":
			cc.r.errorf(m.Pos, "darwin machine %q is x86_64-darwin, which clan no longer supports", m.Name).Hint = "only aarch64-darwin is supported (x86_64-darwin was dropped in 26.05)"
		case m.System == "":
			cc.r.errorf(m.Pos, "darwin machine %q has no system", m.Name).Hint = "aarch64-darwin"
		default:
			cc.r.errorf(m.Pos, "darwin machine %q has system %q; darwin machines are aarch64-darwin", m.Name, m.System)
		}
	case "":
		cc.r.errorf(m.Pos, "machine %q has no class", m.Name).Hint = "declare it with f.NixOS or f.Darwin"
	default:
		d := cc.r.errorf(m.Pos, "machine %q has unknown class %q", m.Name, m.Class)
		d.Hint = didYouMean(string(m.Class), []string{string(dsl.NixOS), string(dsl.Darwin)})
		if d.Hint == "" {
			d.Hint = "a machine is nixos or darwin"
		}
	}
}

func (cc *compilation) checkStateVersion(m *dsl.Machine) {
	switch {
	case m.StateVersion == "":
		d := cc.r.warnf(m.Pos, "machine %q has no state version", m.Name)
		if m.Class == dsl.Darwin {
			d.Hint = `set it once with dsl.StateVersion("6") (the nix-darwin release it was installed with) and never change it`
		} else {
			d.Hint = `set it once with dsl.StateVersion("25.05") (the NixOS release it was installed with) and never change it`
		}
	case m.Class == dsl.NixOS && !nixosStateVersionRE.MatchString(m.StateVersion):
		cc.r.errorf(m.Pos, "nixos machine %q has state version %q; NixOS state versions look like \"25.05\"", m.Name, m.StateVersion)
	case m.Class == dsl.Darwin && !darwinStateVersionRE.MatchString(m.StateVersion):
		cc.r.errorf(m.Pos, "darwin machine %q has state version %q; nix-darwin state versions are integers such as \"6\"", m.Name, m.StateVersion)
	}
}

func (cc *compilation) checkDisk(m *dsl.Machine) {
	d := m.Disk
	if d == nil {
		return
	}
	if m.Class != dsl.NixOS {
		cc.r.errorf(m.Pos, "%s machine %q has a disk layout, which only NixOS machines can have", m.Class, m.Name)
	}
	if !strings.HasPrefix(d.Device, "/dev/") || path.Clean(d.Device) != d.Device {
		cc.r.errorf(m.Pos, "machine %q: disk device %q is not an absolute /dev path", m.Name, d.Device).Hint = `for example "/dev/sda" or "/dev/disk/by-id/…"`
	}
	switch d.Boot {
	case "", "uefi", "bios":
	default:
		cc.r.errorf(m.Pos, "machine %q: unknown boot mode %q", m.Name, d.Boot).Hint = "use uefi or bios"
	}
	switch d.Format {
	case "", "ext4", "zfs":
	default:
		cc.r.errorf(m.Pos, "machine %q: unknown root file system format %q", m.Name, d.Format).Hint = "use ext4 or zfs"
	}
	switch {
	case d.LUKS == nil && d.LUKSFile != "":
		cc.r.errorf(m.Pos, "machine %q: disk names LUKS file %q but no LUKS generator", m.Name, d.LUKSFile)
	case d.LUKS != nil && d.LUKSFile == "":
		cc.r.errorf(m.Pos, "machine %q: disk encryption with generator %q names no key file", m.Name, d.LUKS.Name).Hint = "set Disk.LUKSFile"
	case d.LUKS != nil:
		file := genFile(d.LUKS, d.LUKSFile)
		switch {
		case file == nil:
			dd := cc.r.errorf(m.Pos, "machine %q: LUKS generator %q has no file %q", m.Name, d.LUKS.Name, d.LUKSFile)
			dd.Hint = didYouMean(d.LUKSFile, fileNames(d.LUKS))
			dd.Related = []dsl.Pos{d.LUKS.Pos}
		case !file.Secret:
			dd := cc.r.errorf(m.Pos, "machine %q: LUKS key file %q of generator %q is public", m.Name, d.LUKSFile, d.LUKS.Name)
			dd.Hint = "declare it with dsl.SecretFile"
			dd.Related = []dsl.Pos{file.Pos}
		case file.NeededFor != dsl.ForPartitioning:
			dd := cc.r.errorf(m.Pos, "machine %q: LUKS key file %q of generator %q is needed for %s, but disko needs it for partitioning", m.Name, d.LUKSFile, d.LUKS.Name, file.NeededFor)
			dd.Hint = "dsl.Needed(dsl.ForPartitioning)"
			dd.Related = []dsl.Pos{file.Pos}
		}
		if !cc.decl.generators[d.LUKS] {
			cc.r.errorf(m.Pos, "machine %q: LUKS generator %q is not declared with f.Generator", m.Name, d.LUKS.Name)
		}
	}
}

func fileNames(g *dsl.Generator) []string {
	var out []string
	for _, f := range g.Files {
		if f != nil {
			out = append(out, f.Name)
		}
	}
	return out
}

// genFile is g.File without trusting Files to hold no nil.
func genFile(g *dsl.Generator, name string) *dsl.GenFile {
	for _, f := range g.Files {
		if f != nil && f.Name == name {
			return f
		}
	}
	return nil
}
