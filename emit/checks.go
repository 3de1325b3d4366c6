package emit

import (
	"maps"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit/nix"
)

// checks writes the invariants the model implies, evaluated by Nix against what clan,
// flake-parts and import-tree really produce: flake.fleetInvariants (named booleans, each a
// lib.assertMsg, so forcing it fails with the message) and, per system,
// checks.fleet-invariants, a derivation that exists only if every invariant holds.
func (e *emitter) checks() {
	outer := newScope(nil, "")
	lets := []nix.Binding{nix.Bind([]string{"flake"}, nix.Select(outer.id("config"), "flake"))}
	names := func(path ...string) nix.Expr {
		return libCall(outer, "attrNames", nix.Select(nix.Id("flake"), path...))
	}
	exactly := func(what string, got nix.Expr, want []string) nix.Expr {
		msg := what + " must be exactly [ " + strings.Join(append(want[:len(want):len(want)], "]"), " ")
		return libCall(outer, "assertMsg", nix.Paren(nix.Eq(got, strList(want))), nix.Str("fleet invariant: "+msg))
	}
	var nixos, darwin []string
	mods := map[dsl.Class]map[string]bool{}
	addMod := func(c dsl.Class, n string) {
		if mods[c] == nil {
			mods[c] = map[string]bool{}
		}
		mods[c][n] = true
	}
	var machines, instances []string
	for _, m := range e.m.Machines {
		machines = append(machines, m.Name)
		if m.Class == dsl.Darwin {
			darwin = append(darwin, m.Name)
		} else {
			nixos = append(nixos, m.Name)
		}
		addMod(m.Class, machineModuleName(m))
		for _, n := range e.machineImports(m) {
			addMod(m.Class, n)
		}
		for _, u := range m.Users {
			if !userHasHome(u) {
				continue
			}
			addMod(dsl.HomeManager, "users/"+u.Name)
			for _, ft := range u.Home {
				if ft != nil && ft.Home != nil {
					addMod(dsl.HomeManager, ft.Name)
				}
			}
		}
	}
	for _, inst := range e.m.Instances {
		instances = append(instances, inst.Name)
	}
	inv := []nix.Binding{
		nix.Bind([]string{"nixosConfigurations"}, exactly("nixosConfigurations", names("nixosConfigurations"), nixos)),
		nix.Bind([]string{"darwinConfigurations"}, exactly("darwinConfigurations", names("darwinConfigurations"), darwin)),
		nix.Bind([]string{"inventoryMachines"}, exactly("clan.inventory.machines", names("clan", "inventory", "machines"), machines)),
		nix.Bind([]string{"inventoryInstances"}, exactly("clan.inventory.instances", names("clan", "inventory", "instances"), instances)),
	}
	for _, c := range []dsl.Class{dsl.NixOS, dsl.Darwin, dsl.HomeManager} {
		want := slices.Sorted(maps.Keys(mods[c]))
		if len(want) == 0 {
			continue
		}
		missing := libCall(outer, "subtractLists", nix.Paren(names("modules", string(c))), strList(want))
		inv = append(inv, nix.Bind([]string{string(c) + "ModulesExist"}, nix.Let(
			[]nix.Binding{
				nix.Bind([]string{"missing"}, missing),
				nix.Bind([]string{"names"}, libCall(outer, "concatStringsSep", nix.Str(", "), nix.Id("missing"))),
			},
			libCall(outer, "assertMsg", nix.Paren(nix.Eq(nix.Id("missing"), nix.List())),
				nix.Interp(nix.Text("fleet invariant: machines import flake.modules."+string(c)+" modules that do not exist: "),
					nix.Splice(nix.Id("names")))),
		)))
	}
	inner := newScope(outer, "")
	check := nix.Apply(nix.Select(nix.Id("builtins"), "deepSeq"), nix.Select(nix.Id("flake"), "fleetInvariants"),
		nix.Paren(nix.Apply(nix.Select(inner.id("pkgs"), "runCommand"), nix.Str("fleet-invariants"), nix.Attrs(), nix.Str("touch $out"))))
	b := newBody(e, "checks/invariants.nix")
	b.bind([]string{"flake", "fleetInvariants"}, nix.Attrs(inv...), nil)
	b.bind([]string{"perSystem"}, inner.fn(nix.Attrs(
		nix.Bind([]string{"checks", "fleet-invariants"}, check),
	)), nil)
	e.module("checks/invariants.nix", outer.fn(nix.Let(lets, b.attrs())))
}

// devShell writes the development shell direnv loads (.envrc) and the formatter: the Go
// toolchain for the fleet compiler, just for the recipes, the clan CLI and the secrets
// tools (sops, age, ssh-to-age), Nix tooling (nixfmt, nix-output-monitor), and, for a fleet
// with hosted machines, the OpenTofu wrapper of the terranix configuration (the `tofu`
// that reads its state passphrase from clan's secrets).
func (e *emitter) devShell() {
	inner := newScope(nil, "")
	pkgs := func(names ...string) []nix.Expr {
		var out []nix.Expr
		for _, n := range names {
			out = append(out, nix.Select(inner.id("pkgs"), n))
		}
		return out
	}
	tools := pkgs("go", "gopls", "just", "sops", "age", "ssh-to-age", "nixfmt", "nix-output-monitor")
	tools = append(tools, clanCLI(inner))
	if len(e.hostedMachines()) > 0 {
		tools = append(tools, nix.Select(inner.id("config"), "terranix", "terranixConfigurations", "terraform", "result", "terraformWrapper"))
	}
	b := newBody(e, "dev-shell.nix")
	b.bind([]string{"devShells", "default"}, nix.Apply(nix.Select(inner.id("pkgs"), "mkShell"), nix.Attrs(
		nix.Bind([]string{"packages"}, nix.List(tools...)),
	)), nil)
	b.bind([]string{"formatter"}, nix.Select(inner.id("pkgs"), "nixfmt"), nil)
	e.module("dev-shell.nix", nix.Attrs(nix.Bind([]string{"perSystem"}, inner.fn(b.attrs()))))
}
