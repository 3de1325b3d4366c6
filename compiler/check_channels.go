package compiler

import (
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nix-community/go-nix/pkg/nixhash"
	"github.com/nixfleet/fleet/dsl"
)

// knownSystems are the systems a platform can stand for.
var knownSystems = []dsl.System{dsl.X86_64Linux, dsl.AArch64Linux, dsl.AArch64Darwin, "x86_64-darwin"}

var platformNames = []string{"all", "darwin", "linux", "x86_64-linux", "aarch64-linux", "aarch64-darwin", "x86_64-darwin"}

// platformSystems expands a platform to systems; false when the platform is unknown.
func platformSystems(p dsl.Platform) ([]dsl.System, bool) {
	switch p {
	case dsl.AllPlatforms:
		return knownSystems, true
	case dsl.DarwinOS:
		return []dsl.System{dsl.AArch64Darwin, "x86_64-darwin"}, true
	case dsl.LinuxOS:
		return []dsl.System{dsl.X86_64Linux, dsl.AArch64Linux}, true
	}
	if slices.Contains(knownSystems, dsl.System(p)) {
		return []dsl.System{dsl.System(p)}, true
	}
	return nil, false
}

// checkChannels checks the nixpkgs channels: known roles, one each, a URL, and the
// unstable channel clan needs as the nixpkgs input.
func (cc *compilation) checkChannels() {
	seen := map[dsl.ChannelRole]*dsl.Channel{}
	for _, c := range nonNil(cc.fleet.Channels) {
		switch c.Role {
		case dsl.UnstableChannel, dsl.DarwinStableChannel, dsl.LinuxStableChannel:
		default:
			d := cc.r.errorf(c.Pos, "unknown channel role %q", c.Role)
			d.Hint = didYouMean(string(c.Role), []string{"unstable", "darwin-stable", "linux-stable"})
			if d.Hint == "" {
				d.Hint = "use dsl.UnstableChannel, dsl.DarwinStableChannel or dsl.LinuxStableChannel"
			}
			continue
		}
		if prev := seen[c.Role]; prev != nil {
			d := cc.r.errorf(c.Pos, "the %s channel is already declared", c.Role)
			d.Hint = "declare each channel once"
			d.Related = []dsl.Pos{prev.Pos}
			continue
		}
		seen[c.Role] = c
		if strings.TrimSpace(c.URL) == "" {
			cc.r.errorf(c.Pos, "the %s channel has no URL", c.Role).Hint = `a flake reference such as "github:NixOS/nixpkgs/<branch>"`
		}
	}
	if len(cc.model.Machines) > 0 && seen[dsl.UnstableChannel] == nil {
		cc.r.errorf(cc.fleet.Pos, "the fleet has no unstable channel, which clan needs as its nixpkgs input").Hint =
			`f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")`
	}
}

// validDate reports whether d is a real calendar day.
func validDate(d dsl.Date) bool {
	t := d.Time()
	return t.Year() == d.Year && t.Month() == d.Month && t.Day() == d.Day
}

// checkPlatforms checks the platforms of a hotfix or override: known, and ones the fleet has.
// It returns the systems they cover.
func (cc *compilation) checkPlatforms(ps []dsl.Platform, at dsl.Pos, what string) map[dsl.System]bool {
	covered := map[dsl.System]bool{}
	if len(ps) == 0 {
		cc.r.errorf(at, "%s names no platform", what).Hint = "use dsl.AllPlatforms, dsl.DarwinOS, dsl.LinuxOS or a system"
		return covered
	}
	for _, p := range ps {
		systems, ok := platformSystems(p)
		if !ok {
			d := cc.r.errorf(at, "%s names unknown platform %q", what, p)
			d.Hint = didYouMean(string(p), platformNames)
			if d.Hint == "" {
				d.Hint = "platforms are all, darwin, linux or a system such as aarch64-darwin"
			}
			continue
		}
		has := p == dsl.AllPlatforms
		for _, s := range systems {
			covered[s] = true
			has = has || cc.decl.systems[s]
		}
		if !has {
			cc.r.errorf(at, "%s applies to %s, but no machine of the fleet runs on it", what, p)
		}
	}
	return covered
}

// checkHotfixes checks each hotfix's record, its package set and platforms, duplicates, and
// its age against the remove-by date.
func (cc *compilation) checkHotfixes() {
	type seenFix struct {
		h       *dsl.Hotfix
		systems map[dsl.System]bool
	}
	byPkg := map[string][]seenFix{}
	today := cc.cfg.today.UTC().Truncate(24 * time.Hour)
	for _, h := range nonNil(cc.fleet.Hotfixes) {
		what := sprintf("hotfix for %s", h.Package)
		if h.Package == "" {
			cc.r.errorf(h.Pos, "hotfix names no package")
			what = "hotfix"
		}
		if strings.TrimSpace(h.Reason) == "" {
			cc.r.errorf(h.Pos, "%s has no reason", what).Hint = "a hotfix must carry its record: say why it exists"
		}
		switch {
		case h.Added.IsZero():
			cc.r.errorf(h.Pos, "%s has no date added", what).Hint = "a hotfix must carry its record: Added: dsl.Day(…)"
		case !validDate(h.Added):
			cc.r.errorf(h.Pos, "%s has an invalid date added %d-%02d-%02d", what, h.Added.Year, int(h.Added.Month), h.Added.Day)
		}
		if !h.RemoveBy.IsZero() && !validDate(h.RemoveBy) {
			cc.r.errorf(h.Pos, "%s has an invalid remove-by date %d-%02d-%02d", what, h.RemoveBy.Year, int(h.RemoveBy.Month), h.RemoveBy.Day)
		} else if !h.RemoveBy.IsZero() {
			if validDate(h.Added) && h.RemoveBy.Time().Before(h.Added.Time()) {
				cc.r.errorf(h.Pos, "%s must be removed by %s, before it was added (%s)", what, h.RemoveBy, h.Added)
			} else if days := int(today.Sub(h.RemoveBy.Time()).Hours() / 24); days > 0 {
				var d *Diagnostic
				if !h.Added.IsZero() && validDate(h.Added) {
					d = cc.r.warnf(h.Pos, "%s is %s past its remove-by date %s (added %s)", what, plural(days, "day"), h.RemoveBy, h.Added)
				} else {
					d = cc.r.warnf(h.Pos, "%s is %s past its remove-by date %s", what, plural(days, "day"), h.RemoveBy)
				}
				if h.RemoveWhen != "" {
					d.Hint = "remove it when " + h.RemoveWhen + "; check whether that happened"
				} else {
					d.Hint = "check whether it is still needed, then remove it or move its remove-by date"
				}
			}
		}
		systems := cc.checkPlatforms(h.Platforms, h.Pos, what)
		cc.checkHotfixSource(h, systems, what)
		if h.Package == "" {
			continue
		}
		for _, prev := range byPkg[h.Package] {
			if overlap := overlapping(prev.systems, systems); overlap != "" {
				d := cc.r.errorf(h.Pos, "%s is already declared for %s", what, overlap)
				d.Hint = "one hotfix per package and platform: merge them or split their platforms"
				d.Related = []dsl.Pos{prev.h.Pos}
				break
			}
		}
		byPkg[h.Package] = append(byPkg[h.Package], seenFix{h, systems})
	}
}

// overlapping names the first system (in knownSystems order) both sets hold, or "".
func overlapping(a, b map[dsl.System]bool) string {
	for _, s := range knownSystems {
		if a[s] && b[s] {
			return string(s)
		}
	}
	return ""
}

// checkHotfixSource checks that the package set a hotfix takes from exists on the fleet's
// systems it applies to.
func (cc *compilation) checkHotfixSource(h *dsl.Hotfix, systems map[dsl.System]bool, what string) {
	onDarwin, onLinux := false, false
	for s := range systems {
		if cc.decl.systems[s] {
			onDarwin = onDarwin || s.IsDarwin()
			onLinux = onLinux || s.IsLinux()
		}
	}
	need := func(role dsl.ChannelRole, why, example string) {
		if cc.decl.channels[role] == nil {
			cc.r.errorf(h.Pos, "%s takes it from %s, but the fleet has no %s channel", what, why, role).Hint =
				sprintf("f.Channel(%s, %q)", channelConst(role), example)
		}
	}
	switch h.From {
	case dsl.Stable:
		if onDarwin {
			need(dsl.DarwinStableChannel, "pkgs.stable on darwin", "github:NixOS/nixpkgs/nixpkgs-25.05-darwin")
		}
		if onLinux {
			need(dsl.LinuxStableChannel, "pkgs.stable on Linux", "github:NixOS/nixpkgs/nixos-25.05")
		}
	case dsl.Unstable:
		need(dsl.UnstableChannel, "pkgs.unstable", "github:NixOS/nixpkgs/nixos-unstable")
	case dsl.Patched:
		need(dsl.UnstableChannel, "pkgs.patched (unstable with the fleet's patches)", "github:NixOS/nixpkgs/nixos-unstable")
	case dsl.Default:
		cc.r.errorf(h.Pos, "%s names no package set to take it from", what).Hint = "From: dsl.Stable, dsl.Unstable or dsl.Patched"
	default:
		d := cc.r.errorf(h.Pos, "%s takes it from unknown package set %q", what, h.From)
		d.Hint = didYouMean(string(h.From), []string{"stable", "unstable", "patched"})
	}
}

func channelConst(r dsl.ChannelRole) string {
	switch r {
	case dsl.DarwinStableChannel:
		return "dsl.DarwinStableChannel"
	case dsl.LinuxStableChannel:
		return "dsl.LinuxStableChannel"
	}
	return "dsl.UnstableChannel"
}

// checkPatches checks each nixpkgs patch: an https URL, a valid SRI hash, a reason, and no
// patch twice.
func (cc *compilation) checkPatches() {
	seen := map[string]*dsl.Patch{}
	for _, p := range nonNil(cc.fleet.Patches) {
		u, err := url.Parse(p.URL)
		switch {
		case p.URL == "":
			cc.r.errorf(p.Pos, "patch has no URL")
		case err != nil:
			cc.r.errorf(p.Pos, "patch URL %q does not parse: %v", p.URL, err)
		case u.Scheme != "https" || u.Host == "":
			cc.r.errorf(p.Pos, "patch URL %q is not an https URL", p.URL).Hint = "fetchpatch needs a fixed https URL, such as https://github.com/NixOS/nixpkgs/pull/123456.patch"
		}
		if msg := sriProblem(p.Hash); msg != "" {
			cc.r.errorf(p.Pos, "patch %s has an invalid hash %q: %s", p.URL, p.Hash, msg).Hint = "use the SRI hash nix prints, such as sha256-…="
		}
		if strings.TrimSpace(p.Reason) == "" {
			cc.r.errorf(p.Pos, "patch %s has no reason", p.URL)
		}
		if prev := seen[p.URL]; prev != nil && p.URL != "" {
			d := cc.r.errorf(p.Pos, "patch %s is already declared", p.URL)
			d.Related = []dsl.Pos{prev.Pos}
			continue
		}
		seen[p.URL] = p
	}
}

// sriProblem explains why s is not an SRI hash (<algo>-<base64>), or returns "".
func sriProblem(s string) string {
	if s == "" {
		return "it is empty"
	}
	if i := strings.IndexByte(s, '-'); i <= 0 || strings.Contains(s[:i], ":") {
		return "not an SRI hash (<algorithm>-<base64>)"
	}
	if _, err := nixhash.ParseAny(s, nil); err != nil {
		return err.Error()
	}
	return ""
}

// checkOverrides checks each override's record, platforms and attributes.
func (cc *compilation) checkOverrides() {
	type seenOverride struct {
		o       *dsl.Override
		systems map[dsl.System]bool
	}
	byPkg := map[string][]seenOverride{}
	for _, o := range nonNil(cc.fleet.Overrides) {
		what := sprintf("override of %s", o.Package)
		if o.Package == "" {
			cc.r.errorf(o.Pos, "override names no package")
			what = "override"
		}
		if strings.TrimSpace(o.Reason) == "" {
			cc.r.errorf(o.Pos, "%s has no reason", what).Hint = "an override must carry its record: say why it exists"
		}
		switch {
		case o.Added.IsZero():
			cc.r.errorf(o.Pos, "%s has no date added", what).Hint = "an override must carry its record: Added: dsl.Day(…)"
		case !validDate(o.Added):
			cc.r.errorf(o.Pos, "%s has an invalid date added %d-%02d-%02d", what, o.Added.Year, int(o.Added.Month), o.Added.Day)
		}
		if obj, ok := o.Attrs.Underlying().(*dsl.Object); !ok || obj.Len() == 0 {
			cc.r.errorf(o.Pos, "%s sets no attributes", what).Hint = `Attrs: dsl.Attrs(dsl.Field("doCheck", false))`
		}
		systems := cc.checkPlatforms(o.Platforms, o.Pos, what)
		if o.Package == "" {
			continue
		}
		for _, prev := range byPkg[o.Package] {
			if overlap := overlapping(prev.systems, systems); overlap != "" {
				d := cc.r.errorf(o.Pos, "%s is already declared for %s", what, overlap)
				d.Hint = "one override per package and platform: merge their attributes"
				d.Related = []dsl.Pos{prev.o.Pos}
				break
			}
		}
		byPkg[o.Package] = append(byPkg[o.Package], seenOverride{o, systems})
	}
}
