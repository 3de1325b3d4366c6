package filetree

import (
	"maps"
	"slices"
)

// Tree is a generated file tree: slash-separated paths relative to the output root, to the
// files' bytes.
type Tree map[string][]byte

// Paths returns the tree's paths, sorted.
func (t Tree) Paths() []string { return slices.Sorted(maps.Keys(t)) }
