package emit

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"slices"
	"strconv"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// machineHasHome reports whether any of the machine's users has home-manager features.
func machineHasHome(m *compiler.Machine) bool {
	return slices.ContainsFunc(m.Users, userHasHome)
}

func userHasHome(u *dsl.User) bool {
	return u != nil && slices.ContainsFunc(u.Home, func(ft *dsl.Feature) bool { return ft != nil && ft.Home != nil })
}

// machineImports are the names of the flake.modules.<class> modules a machine imports, in
// import order. The invariants check that each exists.
func (e *emitter) machineImports(m *compiler.Machine) []string {
	names := []string{"fleet-caches"}
	for _, ft := range m.Features {
		if ft != nil && ft.Part(m.Class) != nil && !dsl.IsGenerated(ft) {
			names = append(names, ft.Name)
		}
	}
	for _, u := range m.Users {
		if u != nil {
			names = append(names, "users/"+u.Name)
		}
	}
	for _, g := range m.Generators {
		names = append(names, "vars/"+g.Name)
	}
	for _, inst := range darwinServiceInstances(m) {
		names = append(names, "services/"+inst.Name)
	}
	return names
}

// darwinServiceInstances are the instances whose generated darwin implementation the
// machine imports (zerotier through Homebrew), by name.
func darwinServiceInstances(m *compiler.Machine) []*compiler.Instance {
	if m.Class != dsl.Darwin {
		return nil
	}
	var out []*compiler.Instance
	for _, r := range m.Roles {
		if dsl.IsZerotierHomebrew(r.Instance.DarwinImpl) && !slices.Contains(out, r.Instance) {
			out = append(out, r.Instance)
		}
	}
	return out
}

// primaryUser is the first administrator among the machine's users.
func primaryUser(m *compiler.Machine) string {
	for _, u := range m.Users {
		if u != nil && u.Admin {
			return u.Name
		}
	}
	return ""
}

func (e *emitter) machines() {
	for _, m := range e.m.Machines {
		e.machine(m)
		if m.Disk != nil {
			e.disk(m)
		}
	}
}

// machine writes flake.modules.<class>."machines/<class>/<name>".
func (e *emitter) machine(m *compiler.Machine) {
	class := string(m.Class)
	rel := "machines/" + class + "/" + m.Name + ".nix"
	outer := newScope(nil, "")
	outer.id("config")
	mb := e.newModule(outer, m.Class, rel)
	for _, name := range e.machineImports(m) {
		mb.imports = append(mb.imports, sel("modules", class, name))
	}
	b := mb.b
	if machineHasHome(m) {
		hmModules := "nixosModules"
		if m.Class == dsl.Darwin {
			hmModules = "darwinModules"
		}
		mb.imports = append(mb.imports, nix.Select(outer.id("inputs"), "home-manager", hmModules, "home-manager"))
		b.bind([]string{"home-manager", "useGlobalPkgs"}, nix.Bool(true), nil)
		b.bind([]string{"home-manager", "useUserPackages"}, nix.Bool(true), nil)
	}
	b.bind([]string{"nixpkgs", "hostPlatform"}, nix.Str(string(m.System)), nil)
	b.bind([]string{"nixpkgs", "overlays"}, nix.List(sel("overlays", "default")), nil)
	b.bind([]string{"nixpkgs", "config", "allowUnfree"}, nix.Bool(true), nil)
	b.bind([]string{"networking", "hostName"}, nix.Str(m.Name), nil)
	if m.Class == dsl.Darwin {
		b.bind([]string{"networking", "computerName"}, nix.Str(m.Name), nil)
	}
	if m.StateVersion != "" {
		if m.Class == dsl.Darwin {
			n, err := strconv.Atoi(m.StateVersion)
			if err != nil {
				e.errorf("%s: darwin state version %q is not an integer", rel, m.StateVersion)
			}
			b.bind([]string{"system", "stateVersion"}, nix.Int(int64(n)), nil)
		} else {
			b.bind([]string{"system", "stateVersion"}, nix.Str(m.StateVersion), nil)
		}
	}
	if m.Class == dsl.Darwin {
		if pu := primaryUser(m); pu != "" {
			b.bind([]string{"system", "primaryUser"}, nix.Str(pu), nil)
		}
	}
	if m.DeployTarget != "" {
		b.bind([]string{"clan", "core", "networking", "targetHost"}, nix.Str(m.DeployTarget), nil)
	}
	mb.addItems(m.Config)
	mod := mb.expr()
	top := nix.Attrs(nix.Bind([]string{"flake", "modules", class, machineModuleName(m)}, mod))
	body := nix.Let([]nix.Binding{
		nix.Bind([]string{"modules"}, nix.Select(nix.Id("config"), "flake", "modules")),
		nix.Bind([]string{"overlays"}, nix.Select(nix.Id("config"), "flake", "overlays")),
	}, top)
	e.module(rel, outer.fn(body))
}

// disk writes the machine's disko layout into its machine module, in a file of its own:
// GPT with an ESP at /boot and systemd-boot (or, for BIOS machines, a BIOS boot partition,
// an ext4 /boot and GRUB), optional swap, and the root partition holding an ext4 /, a ZFS
// pool with datasets or an LVM volume group with logical volumes, optionally inside LUKS
// whose password file comes from the LUKS generator.
//
// The partition names become GPT labels (disk-main-<name>) that disko mounts by, so they
// must not change once a machine is installed; the BIOS layout's "boot", "grub" and "zfs"
// are the ones the seed fleet's installed Hetzner machine has.
func (e *emitter) disk(m *compiler.Machine) {
	d := m.Disk
	rel := "machines/nixos/" + m.Name + "/disko.nix"
	outer := newScope(nil, "")
	mb := e.newModule(outer, dsl.NixOS, rel)
	mb.imports = append(mb.imports, nix.Select(outer.id("inputs"), "disko", "nixosModules", "disko"))
	var partitions []nix.Binding
	if d.Boot == "bios" {
		// GRUB on GPT: disko adds the disk to boot.loader.grub.devices for the EF02 partition.
		partitions = append(partitions,
			nix.Bind([]string{"boot"}, nix.Attrs(strBind("size", "1M"), strBind("type", "EF02"))),
			nix.Bind([]string{"grub"}, nix.Attrs(
				strBind("size", "1G"),
				nix.Bind([]string{"content"}, fileSystem("ext4", "/boot")),
			)))
		mb.b.bind([]string{"boot", "loader", "grub", "enable"}, nix.Bool(true), nil)
	} else {
		esp := d.ESPSize
		if esp == "" {
			esp = "512M"
		}
		partitions = append(partitions, nix.Bind([]string{"ESP"}, nix.Attrs(
			strBind("size", esp),
			strBind("type", "EF00"),
			nix.Bind([]string{"content"}, fileSystem("vfat", "/boot", "umask=0077")),
		)))
		mb.b.bind([]string{"boot", "loader", "systemd-boot", "enable"}, nix.Bool(true), nil)
		mb.b.bind([]string{"boot", "loader", "efi", "canTouchEfiVariables"}, nix.Bool(true), nil)
	}
	if d.Swap != "" {
		partitions = append(partitions, nix.Bind([]string{"swap"}, nix.Attrs(
			strBind("size", d.Swap),
			nix.Bind([]string{"content"}, nix.Attrs(strBind("type", "swap"))),
		)))
	}
	// The root partition's content, and the pool or volume group it feeds.
	var rootFS nix.Expr
	rootName := "root"
	lvm := len(d.Volumes) > 0
	zfs := d.Format == "zfs" || len(d.Datasets) > 0
	pool := orDefault(d.Pool, "zroot")
	vg := orDefault(d.VolumeGroup, "pool")
	switch {
	case lvm && zfs:
		e.errorf("%s: LVM volumes and ZFS are exclusive", rel)
		rootFS = nix.Null()
	case lvm:
		rootFS = nix.Attrs(strBind("type", "lvm_pv"), strBind("vg", vg))
	case zfs:
		rootFS = nix.Attrs(strBind("type", "zfs"), strBind("pool", pool))
		rootName = "zfs"
	case d.Format == "" || d.Format == "ext4":
		rootFS = fileSystem("ext4", "/")
	default:
		e.errorf("%s: unsupported root file system %q (ext4 or zfs)", rel, d.Format)
		rootFS = nix.Null()
	}
	if d.LUKS != nil {
		file := d.LUKSFile
		if file == "" && len(d.LUKS.Files) == 1 {
			file = d.LUKS.Files[0].Name
		}
		if d.LUKS.File(file) == nil {
			e.errorf("%s: LUKS generator %q has no file %q", rel, d.LUKS.Name, file)
		}
		rootFS = nix.Attrs(
			strBind("type", "luks"),
			strBind("name", "cryptroot"),
			nix.Bind([]string{"passwordFile"}, nix.Select(mb.s.id("config"), "clan", "core", "vars", "generators", d.LUKS.Name, "files", file, "path")),
			nix.Bind([]string{"settings", "allowDiscards"}, nix.Bool(true)),
			nix.Bind([]string{"content"}, rootFS),
		)
	}
	partitions = append(partitions, nix.Bind([]string{rootName}, nix.Attrs(
		strBind("size", "100%"),
		nix.Bind([]string{"content"}, rootFS),
	)))
	device := d.Device
	if device == "" {
		e.errorf("%s: disk layout without a device", rel)
	}
	mb.b.bind([]string{"disko", "devices", "disk", "main"}, nix.Attrs(
		strBind("type", "disk"),
		strBind("device", device),
		nix.Bind([]string{"content"}, nix.Attrs(
			strBind("type", "gpt"),
			nix.Bind([]string{"partitions"}, nix.Attrs(partitions...)),
		)),
	), nil)
	switch {
	case lvm && !zfs:
		mb.b.bind([]string{"disko", "devices", "lvm_vg", vg}, lvmVolumeGroup(d.Volumes), nil)
	case zfs && !lvm:
		mb.b.bind([]string{"disko", "devices", "zpool", pool}, zfsPool(d), nil)
		// ZFS needs a stable host id; derive it from the machine name.
		sum := sha256.Sum256([]byte(m.Name))
		mb.b.bind([]string{"networking", "hostId"}, nix.Str(hex.EncodeToString(sum[:4])), nil)
	}
	top := nix.Attrs(nix.Bind([]string{"flake", "modules", "nixos", machineModuleName(m)}, mb.expr()))
	e.module(rel, outer.fn(top))
}

// defaultDatasets are a ZFS pool's datasets when the disk declares none.
var defaultDatasets = []dsl.Dataset{
	{Name: "root", Mountpoint: "/", Options: map[string]string{"mountpoint": "legacy"}},
	{Name: "nix", Mountpoint: "/nix", Options: map[string]string{"mountpoint": "legacy"}},
	{Name: "home", Mountpoint: "/home", Options: map[string]string{"mountpoint": "legacy"}},
}

// defaultPoolOptions are a ZFS pool's root file system properties when the disk sets none.
var defaultPoolOptions = map[string]string{"compression": "lz4", "mountpoint": "none", "com.sun:auto-snapshot": "false"}

// zfsPool is disko's zpool: the root file system properties and the datasets, each with
// its mountpoint property defaulting to where it is mounted ("none" when it is not).
func zfsPool(d *dsl.Disk) nix.Expr {
	opts := d.PoolOptions
	if len(opts) == 0 {
		opts = defaultPoolOptions
	}
	datasets := d.Datasets
	if len(datasets) == 0 {
		datasets = defaultDatasets
	}
	var dbs []nix.Binding
	for _, ds := range datasets {
		props := maps.Clone(ds.Options)
		if props == nil {
			props = map[string]string{}
		}
		if _, ok := props["mountpoint"]; !ok {
			props["mountpoint"] = orDefault(ds.Mountpoint, "none")
		}
		bs := []nix.Binding{strBind("type", "zfs_fs")}
		if ds.Mountpoint != "" {
			bs = append(bs, strBind("mountpoint", ds.Mountpoint))
		}
		if len(props) == 1 {
			bs = append(bs, nix.Bind([]string{"options", "mountpoint"}, nix.Str(props["mountpoint"])))
		} else {
			bs = append(bs, nix.Bind([]string{"options"}, strAttrs(props)))
		}
		dbs = append(dbs, nix.Bind([]string{ds.Name}, nix.Attrs(bs...)))
	}
	return nix.Attrs(
		strBind("type", "zpool"),
		nix.Bind([]string{"rootFsOptions"}, strAttrs(opts)),
		nix.Bind([]string{"datasets"}, nix.Attrs(dbs...)),
	)
}

// lvmVolumeGroup is disko's lvm_vg with the logical volumes.
func lvmVolumeGroup(vols []dsl.Volume) nix.Expr {
	var lvs []nix.Binding
	for _, v := range vols {
		var content nix.Expr
		if v.Format == "swap" {
			content = nix.Attrs(strBind("type", "swap"))
		} else {
			content = fileSystem(orDefault(v.Format, "ext4"), v.Mountpoint)
		}
		lvs = append(lvs, nix.Bind([]string{v.Name}, nix.Attrs(
			strBind("size", v.Size),
			nix.Bind([]string{"content"}, content),
		)))
	}
	return nix.Attrs(strBind("type", "lvm_vg"), nix.Bind([]string{"lvs"}, nix.Attrs(lvs...)))
}

// fileSystem is disko's filesystem content.
func fileSystem(format, mountpoint string, mountOptions ...string) nix.Expr {
	bs := []nix.Binding{strBind("type", "filesystem"), strBind("format", format), strBind("mountpoint", mountpoint)}
	if len(mountOptions) > 0 {
		bs = append(bs, nix.Bind([]string{"mountOptions"}, strList(mountOptions)))
	}
	return nix.Attrs(bs...)
}

func strBind(k, v string) nix.Binding { return nix.Bind([]string{k}, nix.Str(v)) }

// strAttrs is an attribute set of strings, by sorted key.
func strAttrs(kv map[string]string) nix.Expr {
	var bs []nix.Binding
	for _, k := range slices.Sorted(maps.Keys(kv)) {
		bs = append(bs, strBind(k, kv[k]))
	}
	return nix.Attrs(bs...)
}
