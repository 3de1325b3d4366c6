package dsl

import "strings"

// Feature is a cross-platform module written once: up to three parts, one per class. It
// becomes one generated file that writes flake.modules.<class>.<name> for each part.
type Feature struct {
	Name        string
	Description string
	NixOS       *Part
	Darwin      *Part
	Home        *Part
	Pos         Pos
}

// Part is one class's share of a feature: its items in order.
type Part struct {
	Class Class
	Items []Item
	Pos   Pos
}

// FeaturePart is a part for [Fleet.Feature]: [NixOSPart], [DarwinPart] or [HomePart].
type FeaturePart interface{ part() *Part }

func (p *Part) part() *Part { return p }

// NixOSPart is a feature's NixOS module.
func NixOSPart(items ...NixOSItem) FeaturePart {
	p := &Part{Class: NixOS, Pos: caller(1, "NixOSPart")}
	for _, it := range items {
		p.Items = append(p.Items, plainItem(it))
	}
	return p
}

// DarwinPart is a feature's nix-darwin module.
func DarwinPart(items ...DarwinItem) FeaturePart {
	p := &Part{Class: Darwin, Pos: caller(1, "DarwinPart")}
	for _, it := range items {
		p.Items = append(p.Items, plainItem(it))
	}
	return p
}

// HomePart is a feature's home-manager module.
func HomePart(items ...HomeItem) FeaturePart {
	p := &Part{Class: HomeManager, Pos: caller(1, "HomePart")}
	for _, it := range items {
		p.Items = append(p.Items, plainItem(it))
	}
	return p
}

// Feature declares a feature. A second part of the same class is reported by the compiler.
func (f *Fleet) Feature(name, description string, parts ...FeaturePart) *Feature {
	ft := &Feature{Name: name, Description: description, Pos: caller(1, "Feature")}
	for _, fp := range parts {
		p := fp.part()
		switch p.Class {
		case NixOS:
			if ft.NixOS != nil {
				ft.NixOS.Items = append(ft.NixOS.Items, duplicatePart{p})
				continue
			}
			ft.NixOS = p
		case Darwin:
			if ft.Darwin != nil {
				ft.Darwin.Items = append(ft.Darwin.Items, duplicatePart{p})
				continue
			}
			ft.Darwin = p
		case HomeManager:
			if ft.Home != nil {
				ft.Home.Items = append(ft.Home.Items, duplicatePart{p})
				continue
			}
			ft.Home = p
		}
	}
	f.Features = append(f.Features, ft)
	return ft
}

// Parts returns the feature's parts in class order (nixos, darwin, homeManager).
func (ft *Feature) Parts() []*Part {
	var ps []*Part
	for _, p := range []*Part{ft.NixOS, ft.Darwin, ft.Home} {
		if p != nil {
			ps = append(ps, p)
		}
	}
	return ps
}

// Part returns the feature's part for class c, or nil.
func (ft *Feature) Part(c Class) *Part {
	switch c {
	case NixOS:
		return ft.NixOS
	case Darwin:
		return ft.Darwin
	case HomeManager:
		return ft.Home
	}
	return nil
}

// Item is one entry of a module: a [Setting], a [PackageList], an [ImportList] or a
// [GeneratorList]. The class-specific interfaces below say where an item may go.
type Item interface{ item() }

// NixOSItem may appear in a NixOS module.
type NixOSItem interface {
	Item
	nixosItem()
}

// DarwinItem may appear in a nix-darwin module.
type DarwinItem interface {
	Item
	darwinItem()
}

// HomeItem may appear in a home-manager module.
type HomeItem interface {
	Item
	homeItem()
}

// AnyItem may appear in a module of any class.
type AnyItem interface {
	NixOSItem
	DarwinItem
	HomeItem
}

type everywhere struct{}

func (everywhere) item()       {}
func (everywhere) nixosItem()  {}
func (everywhere) darwinItem() {}
func (everywhere) homeItem()   {}

type darwinOnlyItem struct{}

func (darwinOnlyItem) item()       {}
func (darwinOnlyItem) darwinItem() {}

// Setting sets one option to a value.
type Setting struct {
	everywhere
	Path  []string // option path, e.g. ["services", "openssh", "enable"]
	Value Value
	Pos   Pos
}

// Set sets the option at a dotted path (quote a key containing dots with
// [SetPath]) to a Go value.
func Set[V Settable](path string, v V) Setting {
	return Setting{Path: strings.Split(path, "."), Value: ValueOf(v), Pos: caller(1, "Set")}
}

// SetPath sets the option at an explicit key path, for keys that contain dots.
func SetPath[V Settable](path []string, v V) Setting {
	return Setting{Path: path, Value: ValueOf(v), Pos: caller(1, "SetPath")}
}

// PackageList installs packages: environment.systemPackages in a system module,
// home.packages in a home-manager module.
type PackageList struct {
	everywhere
	Packages []Value // PkgRef or RawNix values
	Pos      Pos
}

// Packages installs packages of the machine's default package set by attribute path
// ("git", "python3Packages.numpy").
func Packages(names ...string) PackageList {
	pos := caller(1, "Packages")
	pl := PackageList{Pos: pos}
	for _, n := range names {
		pl.Packages = append(pl.Packages, Value{PkgRef{Path: strings.Split(n, "."), Pos: pos}})
	}
	return pl
}

// PackageValues installs packages given as values ([Pkg], [PkgFrom]).
func PackageValues(pkgs ...Value) PackageList {
	return PackageList{Packages: pkgs, Pos: caller(1, "PackageValues")}
}

// ImportList imports modules of flake inputs ([Input.Module]) or raw module expressions.
type ImportList struct {
	everywhere
	Modules []Value
	Pos     Pos
}

// Imports imports modules, such as srvos.Module("nixosModules", "server").
func Imports(mods ...Value) ImportList {
	return ImportList{Modules: mods, Pos: caller(1, "Imports")}
}

// GeneratorList attaches vars generators to the module, so the machines that import it
// generate and deploy them. [SecretPath] attaches its generator by itself.
type GeneratorList struct {
	everywhere
	Generators []*Generator
	Pos        Pos
}

// Generators attaches vars generators.
func Generators(gs ...*Generator) GeneratorList {
	return GeneratorList{Generators: gs, Pos: caller(1, "Generators")}
}

// CaskList installs Homebrew casks on a darwin machine (homebrew.casks).
type CaskList struct {
	darwinOnlyItem
	Casks []string
	Pos   Pos
}

// Casks installs Homebrew casks. Darwin only: attaching it to NixOS does not compile.
func Casks(names ...string) CaskList {
	return CaskList{Casks: names, Pos: caller(1, "Casks")}
}

// duplicatePart records a second part of one class in a feature, for the compiler to report.
type duplicatePart struct{ *Part }

func (duplicatePart) item() {}

// DuplicatePartPos reports whether it is a repeated part of a feature, and where.
func DuplicatePartPos(it Item) (Pos, bool) {
	if d, ok := it.(duplicatePart); ok {
		return d.Pos, true
	}
	return Pos{}, false
}
