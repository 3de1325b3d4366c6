package emit

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// classOverlay is the pseudo-class of values inside an overlay, where packages are
// final.<name> rather than pkgs.<name>.
const classOverlay dsl.Class = "overlay"

// nixpkgs writes the overlays (channels, hotfixes, overrides), their one composition and
// the per-system package set.
func (e *emitter) nixpkgs() {
	e.channelsOverlay()
	e.hotfixesOverlay()
	e.overridesOverlay()

	outer := newScope(nil, "")
	ov := func(name string) nix.Expr { return nix.Select(outer.id("config"), "flake", "overlays", name) }
	compose := newBody(e, "nixpkgs/compose.nix")
	compose.bind([]string{"flake", "overlays", "default"}, libCall(outer, "composeManyExtensions", nix.List(
		ov("channels"), ov("hotfixes"), ov("overrides"),
	)), nil, "The one composition order: channels first (pkgs.stable, pkgs.unstable and pkgs.patched",
		"exist for what follows), then hotfixes, then overrides.")
	e.module("nixpkgs/compose.nix", outer.fn(compose.attrs()))

	// perSystem's pkgs: nixpkgs (unstable) with the composed overlay. It is deliberately not
	// exported as legacyPackages: `nix eval .#<attr>` looks there first, so a package set
	// there would shadow the clan outputs (.#clan.inventory.machines). It is taken through legacyPackages.<system>.path so that a nixpkgs
	// without a package set (an offline lib-only stand-in) fails as "unavailable".
	po := newScope(nil, "")
	inner := newScope(po, "")
	nixpkgsFor := nix.Apply(nix.Select(nix.Id("builtins"), "getAttr"), inner.id("system"),
		nix.Select(po.id("inputs"), "nixpkgs", "legacyPackages"))
	ps := newBody(e, "nixpkgs/per-system.nix")
	ps.bind([]string{"_module", "args", "pkgs"}, nix.Apply(nix.Id("import"), nix.Select(nix.Paren(nixpkgsFor), "path"), nix.Attrs(
		nix.Inherit("system"),
		nix.Bind([]string{"overlays"}, nix.List(nix.Select(po.id("config"), "flake", "overlays", "default"))),
		nix.Bind([]string{"config", "allowUnfree"}, nix.Bool(true)),
	)), nil, "nixpkgs (unstable) with the fleet's overlays. Its source is reached through",
		"legacyPackages.<system>.path, which fails as unavailable (not as a missing file) with a",
		"lib-only stand-in for nixpkgs, as in offline evaluation.")
	top := nix.Attrs(nix.Bind([]string{"perSystem"}, inner.fn(ps.attrs())))
	e.module("nixpkgs/per-system.nix", po.fn(top))
}

func (e *emitter) channelsOverlay() {
	outer := newScope(nil, "")
	byRole := map[dsl.ChannelRole]*dsl.Channel{}
	for _, c := range e.m.Channels {
		byRole[c.Role] = c
	}
	host := sel("prev", "stdenv", "hostPlatform")
	importChannel := func(input string) nix.Expr {
		return nix.Apply(nix.Id("import"), nix.Select(outer.id("inputs"), input), nix.Id("args"))
	}
	lets := []nix.Binding{
		nix.Bind([]string{"args"}, nix.Attrs(
			nix.Bind([]string{"system"}, nix.Select(host, "system")),
			nix.Bind([]string{"config", "allowUnfree"}, nix.Bool(true)),
		)),
		nix.Bind([]string{"unstable"}, importChannel("nixpkgs")),
	}
	stableFor := func(role dsl.ChannelRole) nix.Expr {
		if c := byRole[role]; c != nil {
			return importChannel(c.InputName())
		}
		if c := byRole[dsl.LinuxStableChannel]; c != nil && role == dsl.DarwinStableChannel {
			return importChannel(c.InputName())
		}
		if c := byRole[dsl.DarwinStableChannel]; c != nil && role == dsl.LinuxStableChannel {
			return importChannel(c.InputName())
		}
		return nix.Id("unstable")
	}
	var stable nix.Expr = nix.If(nix.Select(host, "isDarwin"), stableFor(dsl.DarwinStableChannel), stableFor(dsl.LinuxStableChannel))
	stableComment := "The OS's stable channel."
	if len(byRole) == 0 || (byRole[dsl.DarwinStableChannel] == nil && byRole[dsl.LinuxStableChannel] == nil) {
		stable = nix.Id("unstable")
		stableComment = "The fleet declares no stable channel: stable is unstable."
	}
	var patched nix.Expr = nix.Id("unstable")
	if len(e.m.Overlays.Patches) > 0 {
		var patches []nix.Expr
		for _, p := range e.m.Overlays.Patches {
			fp := nix.Apply(sel("prev", "fetchpatch"), nix.Attrs(
				nix.Bind([]string{"url"}, nix.Str(p.URL)),
				nix.Bind([]string{"hash"}, nix.Str(p.Hash)),
			))
			if p.Reason != "" {
				fp = nix.CommentItem(fp, p.Reason)
			}
			patches = append(patches, fp)
		}
		lets = append(lets, nix.Comment(nix.Bind([]string{"patchedSource"}, nix.Apply(sel("prev", "applyPatches"), nix.Attrs(
			nix.Bind([]string{"name"}, nix.Str("nixpkgs-patched")),
			nix.Bind([]string{"src"}, nix.Select(outer.id("inputs"), "nixpkgs")),
			nix.Bind([]string{"patches"}, nix.List(patches...)),
		))), "Unstable with the fleet's patches; building it is import-from-derivation."))
		patched = nix.Apply(nix.Id("import"), nix.Id("patchedSource"), nix.Id("args"))
	}
	overlay := nix.Lambda(nix.Arg("final"), nix.Lambda(nix.Arg("prev"), nix.Let(lets, nix.Attrs(
		nix.Inherit("unstable"),
		nix.Comment(nix.Bind([]string{"stable"}, stable), stableComment),
		nix.Bind([]string{"patched"}, patched),
	))))
	b := newBody(e, "nixpkgs/channels.nix")
	b.bind([]string{"flake", "overlays", "channels"}, overlay, nil)
	e.module("nixpkgs/channels.nix", outer.fn(b.attrs()))
}

// bucket is one platform group of an overlay: all platforms, darwin, linux or one system.
type bucket struct {
	key      string
	bindings []nix.Binding
}

// bucketOrder sorts platforms: all, darwin, linux, then systems by name.
func bucketOrder(p dsl.Platform) string {
	switch p {
	case dsl.AllPlatforms, "":
		return "0"
	case dsl.DarwinOS:
		return "1"
	case dsl.LinuxOS:
		return "2"
	}
	return "3" + string(p)
}

func addToBuckets(bs map[string]*bucket, platforms []dsl.Platform, b nix.Binding) {
	if len(platforms) == 0 {
		platforms = []dsl.Platform{dsl.AllPlatforms}
	}
	seen := map[string]bool{}
	for _, p := range platforms {
		k := bucketOrder(p)
		if seen[k] {
			continue
		}
		seen[k] = true
		if bs[k] == nil {
			bs[k] = &bucket{key: k}
		}
		bs[k].bindings = append(bs[k].bindings, b)
	}
}

// bucketsExpr merges the buckets with //, each guarded by its platform.
func bucketsExpr(s *scope, bs map[string]*bucket) nix.Expr {
	keys := make([]string, 0, len(bs))
	for k := range bs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	host := sel("prev", "stdenv", "hostPlatform")
	var parts []nix.Expr
	for _, k := range keys {
		set := nix.Attrs(bs[k].bindings...)
		var cond nix.Expr
		switch {
		case k == "0":
			parts = append(parts, set)
			continue
		case k == "1":
			cond = nix.Select(host, "isDarwin")
		case k == "2":
			cond = nix.Select(host, "isLinux")
		default:
			cond = nix.Paren(nix.Eq(nix.Select(host, "system"), nix.Str(k[1:])))
		}
		parts = append(parts, libCall(s, "optionalAttrs", cond, set))
	}
	if len(parts) == 0 {
		return nix.Attrs()
	}
	out := parts[len(parts)-1]
	for i := len(parts) - 2; i >= 0; i-- {
		out = nix.Update(parts[i], out)
	}
	return out
}

func platformsText(ps []dsl.Platform) string {
	if len(ps) == 0 {
		return "all"
	}
	ss := make([]string, len(ps))
	for i, p := range ps {
		ss[i] = string(p)
	}
	return strings.Join(ss, ", ")
}

func (e *emitter) hotfixesOverlay() {
	outer := newScope(nil, "")
	bs := map[string]*bucket{}
	for _, h := range e.m.Overlays.Hotfixes {
		if h.From == dsl.Default {
			e.errorf("hotfix %s (%s): no package set to take it from", h.Package, h.Pos)
			continue
		}
		lines := []string{
			fmt.Sprintf("%s from %s on %s", h.Package, h.From, platformsText(h.Platforms)),
		}
		if h.Reason != "" {
			lines = append(lines, "Reason: "+h.Reason)
		}
		for _, t := range h.Tracking {
			lines = append(lines, "Tracking: "+t)
		}
		if !h.Added.IsZero() {
			lines = append(lines, "Added: "+h.Added.String())
		}
		if h.RemoveWhen != "" {
			lines = append(lines, "Remove when: "+h.RemoveWhen)
		}
		if !h.RemoveBy.IsZero() {
			lines = append(lines, "Remove by: "+h.RemoveBy.String())
		}
		addToBuckets(bs, h.Platforms, nix.Comment(nix.InheritFrom(sel("final", string(h.From)), h.Package), lines...))
	}
	b := newBody(e, "nixpkgs/hotfixes.nix")
	b.bind([]string{"flake", "overlays", "hotfixes"}, nix.Lambda(nix.Arg("final"), nix.Lambda(nix.Arg("prev"), bucketsExpr(outer, bs))), nil,
		"Packages taken from another channel, each with the record of why; deleting a record deletes its lines.")
	e.module("nixpkgs/hotfixes.nix", outer.fn(b.attrs()))
}

func (e *emitter) overridesOverlay() {
	outer := newScope(nil, "")
	bs := map[string]*bucket{}
	for _, o := range e.m.Overlays.Overrides {
		s := newScope(outer, classOverlay)
		where := "override " + o.Package
		attrs := e.valueExpr(o.Attrs, s, where)
		if _, ok := o.Attrs.Underlying().(*dsl.Object); !ok {
			e.errorf("%s (%s): the attributes to override must be an attribute set", where, o.Pos)
		}
		lines := []string{fmt.Sprintf("%s on %s", o.Package, platformsText(o.Platforms))}
		if o.Reason != "" {
			lines = append(lines, "Reason: "+o.Reason)
		}
		for _, t := range o.Tracking {
			lines = append(lines, "Tracking: "+t)
		}
		if !o.Added.IsZero() {
			lines = append(lines, "Added: "+o.Added.String())
		}
		v := nix.Apply(nix.Select(sel("prev", o.Package), "overrideAttrs"), nix.Paren(nix.Lambda(nix.Arg("old"), attrs)))
		addToBuckets(bs, o.Platforms, nix.Comment(nix.Bind([]string{o.Package}, v), lines...))
	}
	b := newBody(e, "nixpkgs/overrides.nix")
	b.bind([]string{"flake", "overlays", "overrides"}, nix.Lambda(nix.Arg("final"), nix.Lambda(nix.Arg("prev"), bucketsExpr(outer, bs))), nil)
	e.module("nixpkgs/overrides.nix", outer.fn(b.attrs()))
}
