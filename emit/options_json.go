package emit

import (
	"github.com/nixfleet/fleet/emit/nix"
)

// optionsJSON writes the flake outputs that document every NixOS option of the fleet's
// nixpkgs as nixosOptionsDoc's options.json (packages.<linux system>.options-json-nixos):
// the full data `just options-regen` turns into typed bindings. Only Linux systems get it,
// decided on the system name so that listing the packages never evaluates nixpkgs.
func (e *emitter) optionsJSON() {
	const rel = "options-json.nix"
	outer := newScope(nil, "")
	inner := newScope(outer, "")
	system := inner.id("system")
	nixosOptions := nix.Select(nix.Paren(nix.Apply(nix.Select(outer.id("inputs"), "nixpkgs", "lib", "nixosSystem"), nix.Attrs(
		nix.Inherit("system"),
		nix.Bind([]string{"modules"}, nix.List(nix.Attrs(nix.Bind([]string{"system", "stateVersion"}, nix.Str("25.05"))))),
	))), "options")
	doc := nix.Select(nix.Paren(nix.Apply(nix.Select(inner.id("pkgs"), "nixosOptionsDoc"), nix.Attrs(
		nix.Bind([]string{"options"}, nixosOptions),
		nix.Bind([]string{"warningsAreErrors"}, nix.Bool(false)),
	))), "optionsJSON")
	packages := libCall(outer, "optionalAttrs", nix.Paren(libCall(outer, "hasSuffix", nix.Str("-linux"), system)),
		nix.Attrs(nix.Bind([]string{"options-json-nixos"}, doc)))
	b := newBody(e, rel)
	b.bind([]string{"packages"}, packages, nil,
		"All NixOS options of this nixpkgs as options.json (nixosOptionsDoc), for the typed",
		"bindings: `just options-regen` regenerates options/nixos from it.")
	e.module(rel, outer.fn(nix.Attrs(nix.Bind([]string{"perSystem"}, inner.fn(b.attrs())))))
}
