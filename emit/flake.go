package emit

import (
	"maps"
	"slices"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// ClanCoreURL is the clan-core input's URL.
const ClanCoreURL = "https://git.clan.lol/clan/clan-core/archive/main.tar.gz"

// defaultUnstableURL is used when the fleet declares no unstable channel: clan-core needs
// an input named nixpkgs.
const defaultUnstableURL = "github:NixOS/nixpkgs/nixpkgs-unstable"

// flakeInput is one input of flake.nix.
type flakeInput struct {
	name    string
	url     string
	follows [][2]string // (their input, our input), in order
	noFlake bool
	comment string
}

// inputs derives flake.nix's inputs from the model, in a fixed order: channels, the
// framework, clan-core and the modules it uses, then the fleet's own inputs by name.
func (e *emitter) inputs() []flakeInput {
	var ins []flakeInput
	haveUnstable := false
	for _, c := range e.m.Channels {
		if c.Role == dsl.UnstableChannel {
			haveUnstable = true
		}
	}
	if !haveUnstable {
		ins = append(ins, flakeInput{name: "nixpkgs", url: defaultUnstableURL, comment: "no unstable channel declared: clan-core needs an input named nixpkgs"})
	}
	for _, c := range e.m.Channels {
		ins = append(ins, flakeInput{name: c.InputName(), url: c.URL})
	}
	ins = append(ins,
		flakeInput{name: "flake-parts", url: "github:hercules-ci/flake-parts", follows: [][2]string{{"nixpkgs-lib", "nixpkgs"}}},
		flakeInput{name: "import-tree", url: "github:vic/import-tree"},
	)
	// clan-core's own inputs that we also have: nixpkgs, flake-parts, sops-nix always;
	// nix-darwin and disko when the fleet needs them.
	clan := flakeInput{name: "clan-core", url: ClanCoreURL, follows: [][2]string{
		{"nixpkgs", "nixpkgs"}, {"flake-parts", "flake-parts"}, {"sops-nix", "sops-nix"},
	}}
	if e.hasDarwin {
		clan.follows = append(clan.follows, [2]string{"nix-darwin", "nix-darwin"})
	}
	if e.hasDisk {
		clan.follows = append(clan.follows, [2]string{"disko", "disko"})
	}
	ins = append(ins, clan)
	nixpkgsFollow := [][2]string{{"nixpkgs", "nixpkgs"}}
	if e.hasDarwin {
		ins = append(ins, flakeInput{name: "nix-darwin", url: "github:nix-darwin/nix-darwin", follows: nixpkgsFollow})
	}
	if e.hasHome {
		ins = append(ins, flakeInput{name: "home-manager", url: "github:nix-community/home-manager", follows: nixpkgsFollow})
	}
	ins = append(ins, flakeInput{name: "sops-nix", url: "github:Mic92/sops-nix", follows: nixpkgsFollow})
	if e.hasDisk {
		ins = append(ins, flakeInput{name: "disko", url: "github:nix-community/disko", follows: nixpkgsFollow})
	}
	if len(e.hostedMachines()) > 0 {
		ins = append(ins, terranixInput())
	}
	for _, in := range e.m.Inputs {
		fi := flakeInput{name: in.Name, url: in.URL, noFlake: !in.Flake}
		for _, k := range slices.Sorted(maps.Keys(in.Follows)) {
			fi.follows = append(fi.follows, [2]string{k, in.Follows[k]})
		}
		// A fleet input with a generated input's name replaces its URL (a fork, a pin)
		// and adds its follows.
		if i := slices.IndexFunc(ins, func(x flakeInput) bool { return x.name == in.Name }); i >= 0 {
			old := ins[i]
			old.url, old.noFlake, old.comment = fi.url, fi.noFlake, "url set by the fleet"
			for _, f := range fi.follows {
				if j := slices.IndexFunc(old.follows, func(x [2]string) bool { return x[0] == f[0] }); j >= 0 {
					old.follows[j] = f
				} else {
					old.follows = append(old.follows, f)
				}
			}
			ins[i] = old
			continue
		}
		ins = append(ins, fi)
	}
	return ins
}

func (e *emitter) flake() {
	f := e.m.Fleet
	top := newBody(e, "flake.nix")
	desc := f.Description
	if desc == "" {
		desc = "The " + f.Name + " fleet"
	}
	top.bind([]string{"description"}, nix.Str(desc), nil)
	if len(e.m.Caches) > 0 {
		var urls, keys []string
		for _, c := range e.m.Caches {
			urls = append(urls, c.URL)
			keys = append(keys, c.PublicKey)
		}
		top.bind([]string{"nixConfig"}, nix.Attrs(
			nix.Bind([]string{"extra-substituters"}, strList(urls)),
			nix.Bind([]string{"extra-trusted-public-keys"}, strList(keys)),
		), nil)
	}
	var ibs []nix.Binding
	for _, in := range e.inputs() {
		var b nix.Binding
		if len(in.follows) == 0 && !in.noFlake {
			b = nix.Bind([]string{in.name, "url"}, nix.Str(in.url))
		} else {
			bs := []nix.Binding{nix.Bind([]string{"url"}, nix.Str(in.url))}
			if in.noFlake {
				bs = append(bs, nix.Bind([]string{"flake"}, nix.Bool(false)))
			}
			for _, fl := range in.follows {
				bs = append(bs, nix.Bind([]string{"inputs", fl[0], "follows"}, nix.Str(fl[1])))
			}
			b = nix.Bind([]string{in.name}, nix.Attrs(bs...))
		}
		if in.comment != "" {
			b = nix.Comment(b, in.comment)
		}
		ibs = append(ibs, b)
	}
	top.bind([]string{"inputs"}, nix.Attrs(ibs...), nil)
	// outputs = inputs: inputs.flake-parts.lib.mkFlake { inherit inputs; } (inputs.import-tree ./generated/modules);
	top.bind([]string{"outputs"}, nix.Lambda(nix.Arg("inputs"),
		nix.Apply(sel("inputs", "flake-parts", "lib", "mkFlake"),
			nix.Attrs(nix.Inherit("inputs")),
			nix.Apply(sel("inputs", "import-tree"), nix.Path("./"+ModulesDir)),
		)), nil)
	e.file("flake.nix", top.attrs())
}

// flakeParts writes the framework module: flake-parts' modules option, clan-core's
// flake module and the systems.
func (e *emitter) flakeParts() {
	outer := newScope(nil, "")
	b := newBody(e, "flake-parts.nix")
	b.bind([]string{"imports"}, nix.List(
		nix.Select(outer.id("inputs"), "flake-parts", "flakeModules", "modules"),
		nix.Select(outer.id("inputs"), "clan-core", "flakeModules", "default"),
	), nil)
	var systems []string
	for _, s := range e.m.Systems {
		systems = append(systems, string(s))
	}
	if len(systems) == 0 {
		systems = []string{string(dsl.X86_64Linux)}
	}
	b.bind([]string{"systems"}, strList(systems), nil)
	e.module("flake-parts.nix", outer.fn(b.attrs()))
}

// fleetOptions declares the typed top-level options the fleet's modules share and sets
// them: today the binary caches, which every machine trusts (modules fleet-caches).
func (e *emitter) fleetOptions() {
	// options.fleet.caches = lib.mkOption { type = listOf (submodule { url; publicKey; }); ... };
	outer := newScope(nil, "")
	lib := outer.id("lib")
	types := func(keys ...string) nix.Expr { return nix.Select(lib, append([]string{"types"}, keys...)...) }
	str := types("str")
	mkOpt := func(bs ...nix.Binding) nix.Expr { return nix.Apply(nix.Select(lib, "mkOption"), nix.Attrs(bs...)) }
	cacheType := nix.Apply(types("submodule"), nix.Attrs(
		nix.Bind([]string{"options", "url"}, mkOpt(
			nix.Bind([]string{"type"}, str),
			nix.Bind([]string{"description"}, nix.Str("Substituter URL.")))),
		nix.Bind([]string{"options", "publicKey"}, mkOpt(
			nix.Bind([]string{"type"}, str),
			nix.Bind([]string{"description"}, nix.Str("The cache's public key, name:base64.")))),
	))
	b := newBody(e, "fleet/options.nix")
	b.bind([]string{"options", "fleet", "caches"}, mkOpt(
		nix.Bind([]string{"type"}, nix.Apply(types("listOf"), cacheType)),
		nix.Bind([]string{"default"}, nix.List()),
		nix.Bind([]string{"description"}, nix.Str("Binary caches every machine of the fleet trusts.")),
	), nil)
	e.module("fleet/options.nix", outer.fn(b.attrs()))

	// fleet.caches = [ ... ]; plus the system modules that apply them.
	cb := newBody(e, "fleet/caches.nix")
	var items []nix.Expr
	for _, c := range e.m.Caches {
		items = append(items, nix.Attrs(
			nix.Bind([]string{"url"}, nix.Str(c.URL)),
			nix.Bind([]string{"publicKey"}, nix.Str(c.PublicKey)),
		))
	}
	cb.bind([]string{"fleet", "caches"}, nix.List(items...), nil)
	couter := newScope(nil, "")
	caches := nix.Select(couter.id("config"), "fleet", "caches")
	field := func(name string) nix.Expr {
		return nix.Apply(nix.Id("map"), nix.Paren(nix.Lambda(nix.Arg("c"), sel("c", name))), caches)
	}
	for _, class := range []dsl.Class{dsl.NixOS, dsl.Darwin} {
		if !e.classUsed(class) {
			continue
		}
		cb.bind([]string{"flake", "modules", string(class), "fleet-caches"}, nix.Attrs(
			nix.Bind([]string{"nix", "settings", "substituters"}, field("url")),
			nix.Bind([]string{"nix", "settings", "trusted-public-keys"}, field("publicKey")),
		), nil)
	}
	e.module("fleet/caches.nix", couter.fn(cb.attrs()))
}

// classUsed reports whether any machine has class c.
func (e *emitter) classUsed(c dsl.Class) bool {
	for _, m := range e.m.Machines {
		if m.Class == c {
			return true
		}
	}
	return false
}
