package compiler_test

import (
	"strings"
	"testing"

	"github.com/nixfleet/fleet/dsl"
)

// TestDiskLayoutChecks: each invalid disk produces exactly the listed errors (as
// substrings, one diagnostic each), and the valid layouts produce none.
func TestDiskLayoutChecks(t *testing.T) {
	root := dsl.Volume{Name: "root", Size: "100%", Mountpoint: "/"}
	tests := []struct {
		name string
		disk dsl.Disk
		want []string
	}{{
		name: "valid LVM",
		disk: dsl.Disk{Device: "/dev/sda", Swap: "8G", Volumes: []dsl.Volume{
			{Name: "swap", Size: "4G", Format: "swap"}, {Name: "home", Size: "50%", Format: "xfs", Mountpoint: "/home"}, root,
		}},
	}, {
		name: "valid ZFS datasets",
		disk: dsl.Disk{Device: "/dev/sda", Boot: "bios", PoolOptions: map[string]string{"compression": "zstd", "com.sun:auto-snapshot": "true"},
			Datasets: []dsl.Dataset{{Name: "root"}, {Name: "root/nixos", Mountpoint: "/"}, {Name: "root/nix", Mountpoint: "/nix", Options: map[string]string{"mountpoint": "legacy", "atime": "off"}}}},
	}, {
		name: "valid default ZFS",
		disk: dsl.Disk{Device: "/dev/sda", Format: "zfs", Pool: "tank"},
	}, {
		name: "LVM and ZFS",
		disk: dsl.Disk{Device: "/dev/sda", Volumes: []dsl.Volume{root}, Datasets: []dsl.Dataset{{Name: "root", Mountpoint: "/"}}},
		want: []string{"LVM and ZFS are exclusive"},
	}, {
		name: "LVM with a root format",
		disk: dsl.Disk{Device: "/dev/sda", Format: "ext4", Volumes: []dsl.Volume{root}},
		want: []string{`disk has LVM volumes and root format "ext4"`},
	}, {
		name: "sizes",
		disk: dsl.Disk{Device: "/dev/sda", ESPSize: "1GB", Swap: "100%", Volumes: []dsl.Volume{{Name: "root", Size: "101%", Mountpoint: "/"}, {Name: "x", Size: "", Mountpoint: "/x"}}},
		want: []string{`disk ESP size "1GB" is not a size`, `disk swap size "100%" is not a size`, `volume "root" has size "101%"`, `volume "x" has size ""`},
	}, {
		name: "mountpoints",
		disk: dsl.Disk{Device: "/dev/sda", Volumes: []dsl.Volume{
			{Name: "a", Size: "1G", Mountpoint: "home"}, {Name: "b", Size: "1G", Mountpoint: "/var/"}, {Name: "c", Size: "1G", Mountpoint: "/boot"},
			{Name: "d", Size: "1G", Mountpoint: "/srv"}, {Name: "e", Size: "1G", Mountpoint: "/srv"},
		}},
		want: []string{
			`volume "a" has mountpoint "home", which is not a clean absolute path`,
			`volume "b" has mountpoint "/var/", which is not a clean absolute path`,
			`the boot partition and volume "c" are both mounted at /boot`,
			`volume "d" and volume "e" are both mounted at /srv`,
			`disk layout mounts nothing at /`,
		},
	}, {
		name: "two roots",
		disk: dsl.Disk{Device: "/dev/sda", Datasets: []dsl.Dataset{{Name: "a", Mountpoint: "/"}, {Name: "b", Mountpoint: "/"}}},
		want: []string{`dataset "a" and dataset "b" are both mounted at /`},
	}, {
		name: "dataset names and options",
		disk: dsl.Disk{Device: "/dev/sda", Format: "zfs", Datasets: []dsl.Dataset{
			{Name: "root/", Mountpoint: "/"}, {Name: "x", Mountpoint: "/x"}, {Name: "x"}, {Name: "y", Mountpoint: "/y", Options: map[string]string{"mountpoint": "/z", "Bad Key": "1"}},
		}},
		want: []string{
			`dataset name "root/" is not valid`,
			`dataset "x" is declared twice`,
			`dataset "y" option "Bad Key" is not a property name`,
			`dataset "y" is mounted at /y but its mountpoint property is "/z"`,
		},
	}, {
		name: "volumes",
		disk: dsl.Disk{Device: "/dev/sda", VolumeGroup: "-vg", Volumes: []dsl.Volume{
			root, {Name: "root", Size: "1G", Mountpoint: "/r"}, {Size: "1G", Mountpoint: "/n"}, {Name: "s", Size: "1G", Format: "swap", Mountpoint: "/s"},
			{Name: "f", Size: "1G", Format: "zfs", Mountpoint: "/f"}, {Name: "m", Size: "1G"},
		}},
		want: []string{
			`volume group name "-vg" is not valid`,
			`volume "root" is declared twice`,
			`volume 3 has no name`,
			`volume "s" is swap but has mountpoint "/s"`,
			`volume "f" has unknown format "zfs"`,
			`volume "m" has no mountpoint`,
		},
	}, {
		name: "pool without ZFS, group without volumes, ESP on BIOS",
		disk: dsl.Disk{Device: "/dev/sda", Boot: "bios", ESPSize: "1G", Pool: "zroot", VolumeGroup: "pool"},
		want: []string{`disk boots BIOS but sets an ESP size`, `disk sets a ZFS pool but is not ZFS`, `disk names volume group "pool" but has no volumes`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fleet()
			server(f, "web", dsl.DiskLayout(tt.disk))
			_, got := compile(t, f)
			if len(got) != len(tt.want) {
				t.Errorf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for _, w := range tt.want {
				found := false
				for _, g := range got {
					found = found || strings.Contains(g, w)
				}
				if !found {
					t.Errorf("no diagnostic mentions %q:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}

func TestHostingChecks(t *testing.T) {
	tests := []struct {
		name    string
		hosting dsl.Hosting
		want    []string
	}{
		{"valid", dsl.Hosting{Provider: "hetzner", ServerType: "cx43", Location: "fsn1", Image: "debian-12"}, nil},
		{"unknown provider", dsl.Hosting{Provider: "hetzer", ServerType: "cx43", Location: "fsn1", Image: "debian-12"},
			[]string{`unknown hosting provider "hetzer" (hint: did you mean "hetzner"?)`}},
		{"missing and malformed", dsl.Hosting{Provider: "hetzner", ServerType: "CX 43", Image: "debian-12"},
			[]string{`hosting server type "CX 43" is not a Hetzner Cloud name`, `hosting has no location`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fleet()
			server(f, "web", dsl.HostedOn(tt.hosting))
			_, got := compile(t, f)
			if len(got) != len(tt.want) {
				t.Errorf("got %d diagnostics, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if i < len(got) && !strings.Contains(strings.Join(got, "\n"), w) {
					t.Errorf("no diagnostic mentions %q:\n%s", w, strings.Join(got, "\n"))
				}
			}
		})
	}
}
