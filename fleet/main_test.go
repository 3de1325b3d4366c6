package main

import (
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/fleet/owner"
)

// The committed flake.nix, FLEET.md and generated/ must be exactly what the owner's fleet
// compiles to, so CI fails on a stale tree even without the pre-commit hook.
func TestCommittedTreeInSync(t *testing.T) {
	m, ds := compiler.Compile(owner.Fleet())
	if ds.HasErrors() {
		t.Fatalf("the owner's fleet does not compile:\n%v", ds.Err())
	}
	tree, err := emitFlake(m)
	if err != nil {
		t.Fatal(err)
	}
	diff, err := filetree.Check("..", tree)
	if err != nil {
		t.Fatal(err)
	}
	if !diff.Empty() {
		t.Fatalf("generated tree is stale (%s); run go run ./fleet and commit:\n%s", diff.Summary(), diff.Unified())
	}
}

// BenchmarkCheckOwner is `go run ./fleet check` in-process on the owner's fleet: compile,
// emit and compare with the committed tree.
func BenchmarkCheckOwner(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		m, ds := compiler.Compile(owner.Fleet())
		if ds.HasErrors() {
			b.Fatal(ds.Err())
		}
		tree, err := emitFlake(m)
		if err != nil {
			b.Fatal(err)
		}
		diff, err := filetree.Check("..", tree)
		if err != nil {
			b.Fatal(err)
		}
		if !diff.Empty() {
			b.Fatalf("stale: %s", diff.Summary())
		}
	}
}
