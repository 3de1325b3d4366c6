// Package filetree holds a generated file tree in memory (slash-separated relative path to
// bytes) and writes it to disk safely: atomically, deleting only files it wrote before (a
// manifest), and leaving unchanged files untouched.
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
