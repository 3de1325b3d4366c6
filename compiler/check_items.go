package compiler

import (
	"math"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

// itemScope says where a module's items end up: its class and the systems that may build it.
type itemScope struct {
	class       dsl.Class
	owner       string // "feature \"x\"" or "machine \"y\""
	darwin      bool   // evaluated on a darwin system
	linux       bool   // evaluated on a Linux system
	fallbackPos dsl.Pos
}

// checkItems checks every module item once: the parts of the declared features and each
// machine's own configuration. Items must fit their class; values must reference declared
// generators, files, inputs and channels.
func (cc *compilation) checkItems() {
	for _, ft := range nonNil(cc.fleet.Features) {
		for _, p := range ft.Parts() {
			s := itemScope{class: partClass(ft, p), owner: sprintf("feature %q", ft.Name), fallbackPos: posOr(p.Pos, ft.Pos)}
			switch s.class {
			case dsl.NixOS:
				s.linux = true
			case dsl.Darwin:
				s.darwin = true
			default:
				s.darwin, s.linux = cc.decl.hasDarwin, cc.decl.hasLinux
			}
			cc.checkItemList(p.Items, s)
		}
	}
	for _, m := range cc.model.Machines {
		s := itemScope{class: m.Class, owner: sprintf("machine %q", m.Name), darwin: m.System.IsDarwin(), linux: m.System.IsLinux(), fallbackPos: m.Pos}
		cc.checkItemList(m.Config, s)
	}
}

func (cc *compilation) checkItemList(items []dsl.Item, s itemScope) {
	for i, it := range items {
		if it == nil {
			cc.r.errorf(s.fallbackPos, "%s: item %d is nil", s.owner, i+1)
			continue
		}
		if _, dup := dsl.DuplicatePartPos(it); dup {
			continue // reported by checkFeatures
		}
		if !fitsClass(it, s.class) {
			cc.r.errorf(posOr(itemPos(it), s.fallbackPos), "%s: a %s cannot go in a %s module", s.owner, itemKind(it), s.class)
			continue
		}
		if x, ok := dsl.SettingOf(it); ok { // plain or class-specific (generated bindings)
			pos := posOr(x.Pos, s.fallbackPos)
			if len(x.Path) == 0 || containsEmpty(x.Path) {
				cc.r.errorf(pos, "%s: setting has an empty option path %q", s.owner, strings.Join(x.Path, "."))
			}
			cc.checkValue(x.Value, pos, s)
			continue
		}
		switch x := it.(type) {
		case dsl.Setting:
			pos := posOr(x.Pos, s.fallbackPos)
			if len(x.Path) == 0 || strings.Join(x.Path, "") == "" || containsEmpty(x.Path) {
				cc.r.errorf(pos, "%s: setting has an empty option path %q", s.owner, strings.Join(x.Path, "."))
			}
			cc.checkValue(x.Value, pos, s)
		case dsl.PackageList:
			pos := posOr(x.Pos, s.fallbackPos)
			for _, v := range x.Packages {
				switch v.Underlying().(type) {
				case dsl.PkgRef, dsl.RawNix:
					cc.checkValue(v, pos, s)
				default:
					cc.r.errorf(pos, "%s: a package list holds %s, not a package", s.owner, kindOf(v))
				}
			}
		case dsl.ImportList:
			pos := posOr(x.Pos, s.fallbackPos)
			for _, v := range x.Modules {
				switch v.Underlying().(type) {
				case dsl.InputRef, dsl.RawNix:
					cc.checkValue(v, pos, s)
				default:
					cc.r.errorf(pos, "%s: an import list holds %s, not a module", s.owner, kindOf(v))
				}
			}
		case dsl.GeneratorList:
			pos := posOr(x.Pos, s.fallbackPos)
			for _, g := range x.Generators {
				cc.checkGeneratorRef(g, pos, s.owner)
			}
		case dsl.CaskList:
			pos := posOr(x.Pos, s.fallbackPos)
			for _, c := range x.Casks {
				if c == "" {
					cc.r.errorf(pos, "%s: empty cask name", s.owner)
				}
			}
		}
	}
}

func containsEmpty(xs []string) bool {
	for _, x := range xs {
		if x == "" {
			return true
		}
	}
	return false
}

func fitsClass(it dsl.Item, c dsl.Class) bool {
	switch c {
	case dsl.NixOS:
		_, ok := it.(dsl.NixOSItem)
		return ok
	case dsl.Darwin:
		_, ok := it.(dsl.DarwinItem)
		return ok
	case dsl.HomeManager:
		_, ok := it.(dsl.HomeItem)
		return ok
	}
	return true // the machine's class is reported by itself
}

func itemPos(it dsl.Item) dsl.Pos {
	switch x := it.(type) {
	case dsl.Setting:
		return x.Pos
	case dsl.PackageList:
		return x.Pos
	case dsl.ImportList:
		return x.Pos
	case dsl.GeneratorList:
		return x.Pos
	case dsl.CaskList:
		return x.Pos
	}
	return dsl.Pos{}
}

func itemKind(it dsl.Item) string {
	switch it.(type) {
	case dsl.Setting:
		return "setting"
	case dsl.PackageList:
		return "package list"
	case dsl.ImportList:
		return "import list"
	case dsl.GeneratorList:
		return "generator list"
	case dsl.CaskList:
		return "Homebrew cask list"
	}
	return "item"
}

// checkGeneratorRef checks a reference to a generator from a module.
func (cc *compilation) checkGeneratorRef(g *dsl.Generator, at dsl.Pos, owner string) bool {
	switch {
	case g == nil:
		cc.r.errorf(at, "%s: nil generator reference", owner)
		return false
	case !cc.decl.generators[g]:
		d := cc.r.errorf(at, "%s uses generator %q, which is not declared with f.Generator", owner, g.Name)
		d.Related = []dsl.Pos{g.Pos}
		return false
	}
	return true
}

// checkValue checks the references inside an option value.
func (cc *compilation) checkValue(v dsl.Value, at dsl.Pos, s itemScope) {
	WalkValue(v, func(v dsl.Value) {
		switch x := v.Underlying().(type) {
		case float64:
			if math.IsNaN(x) || math.IsInf(x, 0) {
				cc.r.errorf(at, "%s: %v has no Nix representation", s.owner, x)
			}
		case dsl.SecretRef:
			pos := posOr(x.Pos, at)
			if !cc.checkGeneratorRef(x.Generator, pos, s.owner) {
				return
			}
			g := x.Generator
			f := genFile(g, x.File)
			switch {
			case f == nil:
				d := cc.r.errorf(pos, "generator %q has no file %q", g.Name, x.File)
				d.Hint = didYouMean(x.File, fileNames(g))
				d.Related = []dsl.Pos{g.Pos}
			case x.Public && f.Secret:
				d := cc.r.errorf(pos, "file %q of generator %q is secret; its value cannot be read into the configuration", x.File, g.Name)
				d.Hint = "use dsl.SecretPath for its path on the machine, or make it a dsl.PublicFile"
				d.Related = []dsl.Pos{f.Pos}
			case !x.Public && f.Secret && !f.Deploy:
				d := cc.r.errorf(pos, "file %q of generator %q is not deployed, so it has no path on the machine", x.File, g.Name)
				d.Related = []dsl.Pos{f.Pos}
			}
		case dsl.PkgRef:
			pos := posOr(x.Pos, at)
			if len(x.Path) == 0 || containsEmpty(x.Path) {
				cc.r.errorf(pos, "%s: package reference with an empty attribute path", s.owner)
			}
			cc.checkPkgSet(x.Set, pos, s)
		case dsl.InputRef:
			pos := posOr(x.Pos, at)
			switch {
			case x.Input == nil:
				cc.r.errorf(pos, "%s: module of a nil flake input", s.owner)
			case cc.decl.inputs[x.Input.Name] != x.Input:
				cc.r.errorf(pos, "%s uses flake input %q, which is not declared with f.Input", s.owner, x.Input.Name)
			}
		case dsl.RawNix:
			if strings.TrimSpace(x.Source) == "" {
				cc.r.errorf(posOr(x.Pos, at), "%s: empty raw Nix expression", s.owner)
			}
		}
	})
}

// checkPkgSet checks that the package set a reference names exists where the module is built.
func (cc *compilation) checkPkgSet(set dsl.PkgSet, at dsl.Pos, s itemScope) {
	switch set {
	case dsl.Default, dsl.Unstable, dsl.Patched:
	case dsl.Stable:
		if s.darwin && cc.decl.channels[dsl.DarwinStableChannel] == nil {
			cc.r.errorf(at, "%s uses pkgs.stable on darwin, but the fleet has no darwin-stable channel", s.owner).Hint =
				`f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.05-darwin")`
		}
		if s.linux && cc.decl.channels[dsl.LinuxStableChannel] == nil {
			cc.r.errorf(at, "%s uses pkgs.stable on Linux, but the fleet has no linux-stable channel", s.owner).Hint =
				`f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-25.05")`
		}
	default:
		d := cc.r.errorf(at, "%s: unknown package set %q", s.owner, set)
		d.Hint = didYouMean(string(set), []string{"stable", "unstable", "patched"})
	}
}
