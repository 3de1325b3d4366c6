// Package emit turns a checked [compiler.Model] into the generated file tree: a root
// flake.nix, a dendritic tree of flake-parts modules under generated/modules (one concern
// per file, all auto-imported by import-tree) and a reader's summary, FLEET.md.
//
// All Nix is built as a syntax tree of package [nix] and printed by it; the only raw Nix in
// the output is the fleet's own [dsl.Raw] values. Output is byte-deterministic: every list is
// in model order or sorted, maps are never ranged unsorted. Values shared by several modules
// flow through typed top-level options (flake.modules, flake.overlays, options.fleet.*),
// never specialArgs.
//
// The package does not write to disk (see package filetree) and does not evaluate Nix.
package emit
