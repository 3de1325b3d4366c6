package dsl

// Class is the kind of system a machine runs, and the class of a module.
type Class string

// The classes of machines and modules.
const (
	NixOS       Class = "nixos"
	Darwin      Class = "darwin"
	HomeManager Class = "homeManager"
)

// System is a Nix system double.
type System string

// The systems a fleet's machines can have.
const (
	X86_64Linux   System = "x86_64-linux"
	AArch64Linux  System = "aarch64-linux"
	AArch64Darwin System = "aarch64-darwin"
)

// IsDarwin reports whether s is a macOS system.
func (s System) IsDarwin() bool { return s == AArch64Darwin || s == "x86_64-darwin" }

// IsLinux reports whether s is a Linux system.
func (s System) IsLinux() bool { return s == X86_64Linux || s == AArch64Linux }

// Machine is one host of the fleet.
type Machine struct {
	Name         string
	Class        Class
	System       System
	Tags         []Tag
	Description  string
	DeployTarget string // ssh destination, e.g. root@cinnabar.zt
	StateVersion string // system.stateVersion ("25.05" on NixOS, an integer on darwin)
	AlwaysOn     bool
	Primary      bool // the primary workstation: deployed last
	Hosting      *Hosting
	Disk         *Disk
	Features     []*Feature
	Users        []*User
	Config       []Item // this machine's own settings, in its machine module
	Zerotier     ZerotierMember
	HostKey      string // the machine's SSH host public key, for known_hosts across the fleet
	Pos          Pos
}

// ZerotierMember is how a machine that clan's zerotier module does not manage (a darwin
// machine) is known to the controller: its node ID and/or its address in the network.
type ZerotierMember struct {
	NodeID string // 10 hex digits
	IP     string // the member's IPv6 address in the network
}

// Hosting says where a machine runs and on what.
type Hosting struct {
	Provider   string // "hetzner"
	ServerType string // "cx53"
	Location   string // "fsn1"
	Image      string // "ubuntu-24.04"
}

// Disk is a machine's disk layout, rendered with disko.
type Disk struct {
	Device string // /dev/sda
	// Boot is how the machine boots: "uefi" (the default: an ESP at /boot and systemd-boot)
	// or "bios" (a BIOS boot partition, an ext4 /boot and GRUB, as on Hetzner Cloud's x86
	// servers).
	Boot    string
	ESPSize string // "512M"
	Swap    string // "" for none, else a size
	// Encrypt with LUKS; the key comes from this generator's file.
	LUKS     *Generator
	LUKSFile string
	// Root file system: "ext4" (default) or "zfs". Datasets imply "zfs"; Volumes put the
	// root partition into LVM instead, where each volume has its own format.
	Format string

	// ZFS: the pool on the root partition ("zroot" unless set), its root file system
	// properties (compression=lz4, mountpoint=none, com.sun:auto-snapshot=false unless set)
	// and its datasets (unless set: root, nix and home at /, /nix and /home, with legacy
	// mountpoints).
	Pool        string
	PoolOptions map[string]string
	Datasets    []Dataset

	// LVM: the volume group on the root partition ("pool" unless set) and its logical
	// volumes. LVM and ZFS are exclusive.
	VolumeGroup string
	Volumes     []Volume
}

// Dataset is a ZFS file system in the disk's pool.
type Dataset struct {
	Name       string // "root/nixos": a path below the pool
	Mountpoint string // where NixOS mounts it ("/home"); "" for a dataset that is not mounted
	// Options are ZFS properties. options.mountpoint defaults to Mountpoint, or to "none"
	// for a dataset that is not mounted; set it to "legacy" for fstab-style mounting.
	Options map[string]string
}

// Volume is an LVM logical volume in the disk's volume group.
type Volume struct {
	Name       string // "root"
	Size       string // "20G", or a share of the free space such as "100%"
	Format     string // "ext4" (default), "xfs", "btrfs", "vfat" or "swap"
	Mountpoint string // "/", "/home"; none for swap
}

// MachineOption configures a machine of any class.
type MachineOption interface {
	NixOSOption
	DarwinOption
}

// NixOSOption configures a NixOS machine.
type NixOSOption interface{ applyNixOS(*Machine) }

// DarwinOption configures a darwin machine.
type DarwinOption interface{ applyDarwin(*Machine) }

type common func(*Machine)

func (c common) applyNixOS(m *Machine)  { c(m) }
func (c common) applyDarwin(m *Machine) { c(m) }

type nixosOnly func(*Machine)

func (c nixosOnly) applyNixOS(m *Machine) { c(m) }

type darwinOnly func(*Machine)

func (c darwinOnly) applyDarwin(m *Machine) { c(m) }

// Tags labels the machine.
func Tags(tags ...Tag) MachineOption {
	return common(func(m *Machine) { m.Tags = append(m.Tags, tags...) })
}

// Describe sets the machine's description.
func Describe(text string) MachineOption {
	return common(func(m *Machine) { m.Description = text })
}

// DeployTo sets the machine's deploy target (user@host[:port]).
func DeployTo(target string) MachineOption {
	return common(func(m *Machine) { m.DeployTarget = target })
}

// StateVersion sets system.stateVersion.
func StateVersion(v string) MachineOption {
	return common(func(m *Machine) { m.StateVersion = v })
}

// SSHHostKey records the machine's SSH host public key (a public value), so every machine
// of the fleet can trust it.
func SSHHostKey(key string) MachineOption {
	return common(func(m *Machine) { m.HostKey = key })
}

// AlwaysOn marks a machine that is expected to be reachable at all times (a server).
func AlwaysOn() MachineOption { return common(func(m *Machine) { m.AlwaysOn = true }) }

// Primary marks the primary workstation, deployed after every other machine.
func Primary() MachineOption { return common(func(m *Machine) { m.Primary = true }) }

// WithFeatures adds cross-platform features to the machine.
func WithFeatures(fs ...*Feature) MachineOption {
	return common(func(m *Machine) { m.Features = append(m.Features, fs...) })
}

// WithUsers puts users on the machine.
func WithUsers(us ...*User) MachineOption {
	return common(func(m *Machine) { m.Users = append(m.Users, us...) })
}

// System sets a NixOS machine's system (x86_64-linux by default).
func OnSystem(s System) NixOSOption {
	return nixosOnly(func(m *Machine) { m.System = s })
}

// HostedOn says where a NixOS machine runs.
func HostedOn(h Hosting) NixOSOption {
	return nixosOnly(func(m *Machine) { hh := h; m.Hosting = &hh })
}

// DiskLayout sets a NixOS machine's disk layout.
func DiskLayout(d Disk) NixOSOption {
	return nixosOnly(func(m *Machine) { dd := d; m.Disk = &dd })
}

// NixOSConfig adds settings to a NixOS machine's own module.
func NixOSConfig(items ...NixOSItem) NixOSOption {
	return nixosOnly(func(m *Machine) {
		for _, it := range items {
			m.Config = append(m.Config, plainItem(it))
		}
	})
}

// DarwinConfig adds settings to a darwin machine's own module.
func DarwinConfig(items ...DarwinItem) DarwinOption {
	return darwinOnly(func(m *Machine) {
		for _, it := range items {
			m.Config = append(m.Config, plainItem(it))
		}
	})
}

// ZerotierIdentity tells the controller how to recognise a darwin machine that joins the
// zerotier network on its own (clan's zerotier module does nothing on darwin).
func ZerotierIdentity(z ZerotierMember) DarwinOption {
	return darwinOnly(func(m *Machine) { m.Zerotier = z })
}

// NixOS declares a NixOS machine (x86_64-linux unless [OnSystem] says otherwise).
func (f *Fleet) NixOS(name string, opts ...NixOSOption) *Machine {
	m := &Machine{Name: name, Class: NixOS, System: X86_64Linux, Pos: caller(1, "NixOS")}
	for _, o := range opts {
		o.applyNixOS(m)
	}
	f.Machines = append(f.Machines, m)
	return m
}

// Darwin declares a nix-darwin machine (aarch64-darwin: clan supports no other).
func (f *Fleet) Darwin(name string, opts ...DarwinOption) *Machine {
	m := &Machine{Name: name, Class: Darwin, System: AArch64Darwin, Pos: caller(1, "Darwin")}
	for _, o := range opts {
		o.applyDarwin(m)
	}
	f.Machines = append(f.Machines, m)
	return m
}

// Member is what a service role can take: a [*Machine] or a [Tag].
type Member interface{ member() }

func (*Machine) member() {}
func (Tag) member()      {}
