package dsl

import "time"

// ChannelRole is what a nixpkgs channel is for in the channels overlay.
type ChannelRole string

// The channel roles. The input of the [UnstableChannel] is named "nixpkgs" (clan-core
// requires that name); pkgs.stable is the [DarwinStableChannel] on darwin and the
// [LinuxStableChannel] on Linux.
const (
	UnstableChannel     ChannelRole = "unstable"
	DarwinStableChannel ChannelRole = "darwin-stable"
	LinuxStableChannel  ChannelRole = "linux-stable"
)

// Channel is a nixpkgs flake input.
type Channel struct {
	Role ChannelRole
	URL  string
	Pos  Pos
}

// InputName is the flake input's name: nixpkgs, nixpkgs-darwin-stable or nixpkgs-linux-stable.
func (c *Channel) InputName() string {
	if c.Role == UnstableChannel {
		return "nixpkgs"
	}
	return "nixpkgs-" + string(c.Role)
}

// Channel declares a nixpkgs channel.
func (f *Fleet) Channel(role ChannelRole, url string) *Channel {
	c := &Channel{Role: role, URL: url, Pos: caller(1, "Channel")}
	f.Channels = append(f.Channels, c)
	return c
}

// Platform is where a hotfix applies: every platform, an OS, or one system.
type Platform string

// The platforms a hotfix can name besides a [System].
const (
	AllPlatforms Platform = "all"
	DarwinOS     Platform = "darwin"
	LinuxOS      Platform = "linux"
)

// SystemPlatform is one system as a platform.
func SystemPlatform(s System) Platform { return Platform(s) }

// Date is a calendar day.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// Day builds a Date.
func Day(year int, month time.Month, day int) Date { return Date{year, month, day} }

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.Year == 0 }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return d.Time().Format(time.DateOnly) }

// Hotfix takes one package from another package set on some platforms, with the record of why.
// Removing a hotfix is deleting its record.
type Hotfix struct {
	Package    string // attribute name in pkgs
	From       PkgSet // Stable, Unstable or Patched
	Platforms  []Platform
	Reason     string
	Tracking   []string // issue, PR or hydra links
	Added      Date
	RemoveWhen string // the condition for removing it
	RemoveBy   Date   // when it should be gone; past this the compiler warns
	Pos        Pos
}

// Hotfix records a hotfix.
func (f *Fleet) Hotfix(h Hotfix) *Hotfix {
	h.Pos = caller(1, "Hotfix")
	hh := &h
	f.Hotfixes = append(f.Hotfixes, hh)
	return hh
}

// Patch is an upstream nixpkgs patch applied to the patched package set.
type Patch struct {
	URL    string
	Hash   string // SRI hash, e.g. sha256-…
	Reason string
	Pos    Pos
}

// Patch records a patch for pkgs.patched.
func (f *Fleet) Patch(url, hash, reason string) *Patch {
	p := &Patch{URL: url, Hash: hash, Reason: reason, Pos: caller(1, "Patch")}
	f.Patches = append(f.Patches, p)
	return p
}

// Override changes how one package builds (overrideAttrs).
type Override struct {
	Package   string
	Platforms []Platform
	Attrs     Value // the attributes overrideAttrs sets, e.g. Attrs(Field("doCheck", false))
	Reason    string
	Tracking  []string
	Added     Date
	Pos       Pos
}

// Override records an override.
func (f *Fleet) Override(o Override) *Override {
	o.Pos = caller(1, "Override")
	oo := &o
	f.Overrides = append(f.Overrides, oo)
	return oo
}
