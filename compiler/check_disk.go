package compiler

import (
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

var (
	// partitionSizeRE is an sgdisk size as disko's gpt type accepts it, without "100%"
	// (the root partition takes the rest of the disk).
	partitionSizeRE = regexp.MustCompile(`^[1-9][0-9]*[KMGTP]?$`)
	// volumeSizeRE is an LVM size: an amount, or a percentage of the free space.
	volumeSizeRE  = regexp.MustCompile(`^(?:[1-9][0-9]*[KMGTP]?|[1-9][0-9]?%|100%)$`)
	lvmNameRE     = regexp.MustCompile(`^[A-Za-z0-9+_.][A-Za-z0-9+_.-]*$`)
	zfsNameRE     = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.:-]*(?:/[A-Za-z0-9][A-Za-z0-9_.:-]*)*$`)
	zfsPropertyRE = regexp.MustCompile(`^(?:[a-z][a-z0-9_]*|[A-Za-z0-9_.-]+:[A-Za-z0-9_.:-]+)$`) // native, or module:property
)

// volumeFormats are the file systems a logical volume can hold.
var volumeFormats = []string{"ext4", "xfs", "btrfs", "vfat", "swap"}

// checkDiskLayouts checks the partitions, LVM volumes and ZFS datasets of each machine's
// disk: sizes disko accepts, absolute and distinct mountpoints with exactly one "/", names
// LVM and ZFS accept, and LVM and ZFS not both. (Device, boot mode, format and LUKS are
// checked with the machine, in check_machines.go.)
func (cc *compilation) checkDiskLayouts() {
	for _, m := range cc.model.Machines {
		if m.Disk != nil {
			cc.checkDiskLayout(m.Machine)
		}
	}
}

func (cc *compilation) checkDiskLayout(m *dsl.Machine) {
	d := m.Disk
	errorf := func(format string, args ...any) *Diagnostic {
		return cc.r.errorf(m.Pos, "machine %q: "+format, append([]any{m.Name}, args...)...)
	}
	for _, p := range []struct{ what, size string }{{"ESP size", d.ESPSize}, {"swap size", d.Swap}} {
		if p.size != "" && !partitionSizeRE.MatchString(p.size) {
			errorf("disk %s %q is not a size", p.what, p.size).Hint = `a number with an optional K, M, G, T or P suffix, such as "512M" or "4G"`
		}
	}
	if d.Boot == "bios" && d.ESPSize != "" {
		errorf("disk boots BIOS but sets an ESP size").Hint = "BIOS machines have a 1M BIOS boot partition and a 1G /boot instead of an ESP"
	}
	lvm := len(d.Volumes) > 0
	zfs := d.Format == "zfs" || len(d.Datasets) > 0
	switch {
	case lvm && zfs:
		errorf("disk has both LVM volumes and ZFS (format %q, %d datasets); LVM and ZFS are exclusive", d.Format, len(d.Datasets)).Hint =
			"put the root partition either into an LVM volume group (Volumes) or a ZFS pool (Datasets)"
	case lvm && d.Format != "":
		errorf("disk has LVM volumes and root format %q; each volume has its own format", d.Format).Hint = "leave Disk.Format empty and set Volume.Format"
	case len(d.Datasets) > 0 && d.Format != "" && d.Format != "zfs":
		errorf("disk has ZFS datasets but root format %q", d.Format).Hint = `datasets need Format "zfs" (or empty)`
	}
	if !zfs && (d.Pool != "" || len(d.PoolOptions) > 0) {
		errorf("disk sets a ZFS pool but is not ZFS").Hint = `set Format "zfs" or Datasets`
	}
	if !lvm && d.VolumeGroup != "" {
		errorf("disk names volume group %q but has no volumes", d.VolumeGroup).Hint = "declare the logical volumes in Disk.Volumes"
	}
	if d.Pool != "" && (!zfsNameRE.MatchString(d.Pool) || strings.Contains(d.Pool, "/")) {
		errorf("ZFS pool name %q is not valid", d.Pool).Hint = "letters, digits, _ . : -, starting with a letter or digit"
	}
	for k := range d.PoolOptions {
		if !zfsPropertyRE.MatchString(k) {
			errorf("ZFS pool option %q is not a property name", k)
		}
	}
	if d.VolumeGroup != "" && !lvmNameRE.MatchString(d.VolumeGroup) {
		errorf("volume group name %q is not valid", d.VolumeGroup).Hint = "letters, digits and + _ . -, not starting with -"
	}

	// Every mountpoint the layout creates: /boot always (the ESP or the BIOS machines'
	// ext4 /boot), then the root file system(s).
	mounts := map[string]string{"/boot": "the boot partition"}
	mount := func(mp, what string) {
		switch {
		case !path.IsAbs(mp) || path.Clean(mp) != mp:
			errorf("%s has mountpoint %q, which is not a clean absolute path", what, mp)
		case mounts[mp] != "":
			errorf("%s and %s are both mounted at %s", mounts[mp], what, mp)
		default:
			mounts[mp] = what
		}
	}
	switch {
	case lvm:
		seen := map[string]bool{}
		for i, v := range d.Volumes {
			what := "volume " + strconv.Quote(v.Name)
			switch {
			case v.Name == "":
				errorf("volume %d has no name", i+1)
				what = "volume " + strconv.Itoa(i+1)
			case !lvmNameRE.MatchString(v.Name):
				errorf("volume name %q is not valid", v.Name).Hint = "letters, digits and + _ . -, not starting with -"
			case seen[v.Name]:
				errorf("volume %q is declared twice", v.Name)
			}
			seen[v.Name] = true
			if !volumeSizeRE.MatchString(v.Size) {
				errorf("%s has size %q", what, v.Size).Hint = `an amount such as "20G" or a share of the free space such as "100%"`
			}
			switch {
			case v.Format != "" && !slices.Contains(volumeFormats, v.Format):
				errorf("%s has unknown format %q", what, v.Format).Hint = "one of " + strings.Join(volumeFormats, ", ")
			case v.Format == "swap" && v.Mountpoint != "":
				errorf("%s is swap but has mountpoint %q", what, v.Mountpoint)
			case v.Format != "swap" && v.Mountpoint == "":
				errorf("%s has no mountpoint", what).Hint = `mount it ("/", "/home", …) or make it swap`
			case v.Mountpoint != "":
				mount(v.Mountpoint, what)
			}
		}
	case len(d.Datasets) > 0:
		seen := map[string]bool{}
		for i, ds := range d.Datasets {
			what := "dataset " + strconv.Quote(ds.Name)
			switch {
			case ds.Name == "":
				errorf("dataset %d has no name", i+1)
				what = "dataset " + strconv.Itoa(i+1)
			case !zfsNameRE.MatchString(ds.Name):
				errorf("dataset name %q is not valid", ds.Name).Hint = `a path below the pool such as "root/home": letters, digits, _ . : -`
			case seen[ds.Name]:
				errorf("dataset %q is declared twice", ds.Name)
			}
			seen[ds.Name] = true
			for k := range ds.Options {
				if !zfsPropertyRE.MatchString(k) {
					errorf("%s option %q is not a property name", what, k)
				}
			}
			if ds.Mountpoint != "" {
				mount(ds.Mountpoint, what)
			}
			if omp, ok := ds.Options["mountpoint"]; ok && ds.Mountpoint != "" && omp != "legacy" && omp != ds.Mountpoint {
				errorf("%s is mounted at %s but its mountpoint property is %q", what, ds.Mountpoint, omp).Hint =
					`leave options.mountpoint unset (it defaults to the mountpoint) or set it to "legacy"`
			}
		}
	default:
		return // the plain ext4 root or the default datasets: / is there
	}
	if mounts["/"] == "" {
		what := "volume"
		if !lvm {
			what = "dataset"
		}
		errorf("disk layout mounts nothing at /").Hint = "give one " + what + ` the mountpoint "/"`
	}
}
