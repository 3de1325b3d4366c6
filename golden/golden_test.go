package golden_test

import (
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/sebdah/goldie/v2"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/golden/fleets"
)

// build compiles and emits a golden fleet; compiler errors fail the test.
func build(t testing.TB, fl fleets.Fleet) (*compiler.Model, filetree.Tree) {
	t.Helper()
	m, ds := compiler.Compile(fl.Build(), compiler.Today(fleets.Today))
	if ds.HasErrors() {
		t.Fatalf("fleet %s does not compile:\n%v", fl.Name, ds.Err())
	}
	tree, err := emit.Emit(m, emit.Today(fleets.Today))
	if err != nil {
		t.Fatalf("fleet %s does not emit:\n%v", fl.Name, err)
	}
	return m, tree
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// TestGolden compares the whole emitted tree of every golden fleet, file by file, with
// testdata/<fleet>/<path>.golden, plus the list of files (_files.golden), so a file that
// appears or disappears fails too. go test ./golden -update rewrites them.
func TestGolden(t *testing.T) {
	for _, fl := range fleets.All {
		t.Run(fl.Name, func(t *testing.T) {
			_, tree := build(t, fl)
			dir := filepath.Join("testdata", fl.Name)
			if updating() {
				if err := os.RemoveAll(dir); err != nil {
					t.Fatal(err)
				}
			}
			g := goldie.New(t, goldie.WithFixtureDir(dir), goldie.WithNameSuffix(".golden"))
			paths := tree.Paths()
			g.Assert(t, "_files", []byte(strings.Join(paths, "\n")+"\n"))
			for _, p := range paths {
				g.Assert(t, p, tree[p])
			}
			// No golden file may outlive the file it was for.
			err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, path)
				rel = strings.TrimSuffix(filepath.ToSlash(rel), ".golden")
				if rel != "_files" && !slices.Contains(paths, rel) {
					t.Errorf("stale golden file %s (run go test ./golden -update)", path)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}
