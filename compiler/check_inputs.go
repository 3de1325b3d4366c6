package compiler

import (
	"regexp"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

var inputNameRE = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]*$`)

// generatedInputs are the flake inputs the emitter adds itself; the fleet cannot redeclare them.
var generatedInputs = []string{"clan-core", "flake-parts", "home-manager", "import-tree", "nix-darwin", "nixpkgs", "nixpkgs-darwin-stable", "nixpkgs-linux-stable", "self"}

// checkInputs checks the fleet's own flake inputs: names, URLs and follows.
func (cc *compilation) checkInputs() {
	inputs := nonNil(cc.fleet.Inputs)
	for _, in := range inputs {
		switch {
		case !inputNameRE.MatchString(in.Name):
			cc.r.errorf(in.Pos, "invalid flake input name %q: start with a letter, then letters, digits, '_' or '-'", in.Name)
		case slices.Contains(generatedInputs, in.Name):
			cc.r.errorf(in.Pos, "flake input %q is generated from the fleet and cannot be declared", in.Name).Hint =
				"nixpkgs inputs come from f.Channel; clan-core, nix-darwin, home-manager, flake-parts and import-tree are added by the emitter"
		}
		if strings.TrimSpace(in.URL) == "" {
			cc.r.errorf(in.Pos, "flake input %q has no URL", in.Name)
		}
		for _, theirs := range sortedKeys(in.Follows) {
			ours := in.Follows[theirs]
			if cc.decl.inputs[ours] == nil && !slices.Contains(generatedInputs, ours) || ours == "self" {
				d := cc.r.errorf(in.Pos, "flake input %q: %s follows %q, which is not an input of the fleet", in.Name, theirs, ours)
				d.Hint = didYouMean(ours, append(slices.Clone(generatedInputs), inputNames(inputs)...))
			}
		}
	}
	firstDup(cc, inputs, "flake input", func(in *dsl.Input) string { return in.Name }, func(in *dsl.Input) dsl.Pos { return in.Pos })
}

func inputNames(ins []*dsl.Input) []string {
	var out []string
	for _, in := range ins {
		out = append(out, in.Name)
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
