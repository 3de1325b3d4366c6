package filetree

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/pmezard/go-difflib/difflib"
)

// Diff is how the files on disk differ from a tree: what [Write] would change.
type Diff struct {
	Stale   []string // on disk with other bytes (including the manifest)
	Missing []string // in the tree, not on disk
	Extra   []string // in the manifest, not in the tree: Write would delete them

	disk, want map[string][]byte // bytes on disk and in the tree, for Unified
}

// Empty reports whether disk and tree agree.
func (d Diff) Empty() bool { return len(d.Stale)+len(d.Missing)+len(d.Extra) == 0 }

// Summary counts the differences: "2 stale, 1 missing, 0 extra".
func (d Diff) Summary() string {
	return fmt.Sprintf("%d stale, %d missing, %d extra", len(d.Stale), len(d.Missing), len(d.Extra))
}

// Check compares t with the files under root without writing them. It first runs the same
// recovery as [Write] (finishing or cleaning up an interrupted write), so it may change the
// disk in that one way. The manifest is compared too: a tree whose files are all in place
// but whose manifest is missing or out of date is not in sync.
func Check(root string, t Tree) (Diff, error) {
	if err := validate(t); err != nil {
		return Diff{}, err
	}
	d := Diff{disk: map[string][]byte{}, want: map[string][]byte{}}
	unlock, err := lock(root)
	if err == nil {
		defer unlock()
		old, _, err := readManifest(root)
		if err == nil {
			err = recoverRoot(root, rootFileDirs(t, old))
		}
		if err != nil {
			return Diff{}, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return Diff{}, err
	}
	old, oldRaw, err := readManifest(root)
	if err != nil {
		return Diff{}, err
	}
	compare := func(rel string, want []byte) error {
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			d.Missing = append(d.Missing, rel)
		case errors.Is(err, syscall.EISDIR):
			d.Stale = append(d.Stale, rel)
		case err != nil:
			return err
		case !bytes.Equal(data, want):
			d.Stale = append(d.Stale, rel)
			d.disk[rel] = data
		default:
			return nil
		}
		d.want[rel] = want
		return nil
	}
	for _, rel := range t.Paths() {
		if err := compare(rel, t[rel]); err != nil {
			return Diff{}, err
		}
	}
	if m := newManifest(t).bytes(); len(t) > 0 || oldRaw != nil {
		if err := compare(ManifestPath, m); err != nil {
			return Diff{}, err
		}
		slices.Sort(d.Stale)
		slices.Sort(d.Missing)
	}
	for _, rel := range slices.Sorted(maps.Keys(old)) {
		if _, ok := t[rel]; ok {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
		if err == nil {
			d.Extra = append(d.Extra, rel)
			d.disk[rel] = data
		}
	}
	return d, nil
}

// Unified renders the differences as a unified diff from disk (a/) to tree (b/), file by
// file in path order, three lines of context, in the format of git diff.
func (d Diff) Unified() string {
	var b strings.Builder
	all := slices.Concat(d.Stale, d.Missing, d.Extra)
	slices.Sort(all)
	for _, rel := range all {
		from, to := "a/"+rel, "b/"+rel
		disk, onDisk := d.disk[rel]
		want, inTree := d.want[rel]
		switch {
		case !inTree:
			to = "/dev/null"
		case !onDisk && slices.Contains(d.Missing, rel):
			from = "/dev/null"
		case !onDisk:
			fmt.Fprintf(&b, "--- %s\n+++ %s\n(a/%s is not a regular file)\n", from, to, rel)
			continue
		}
		if isBinary(disk) || isBinary(want) {
			fmt.Fprintf(&b, "Binary files %s and %s differ\n", from, to)
			continue
		}
		text, err := difflib.GetUnifiedDiffString(difflib.UnifiedDiff{
			A: lines(disk), B: lines(want), FromFile: from, ToFile: to, Context: 3,
		})
		if err != nil { // only a failing writer could cause this; a strings.Builder does not fail
			panic(err)
		}
		b.WriteString(text)
	}
	return b.String()
}

// lines splits data into lines that keep their "\n". A last line without one is marked as
// git does, so a change of the final newline alone shows up in the diff.
func lines(data []byte) []string {
	if len(data) == 0 {
		return nil
	}
	ls := strings.SplitAfter(string(data), "\n")
	if ls[len(ls)-1] == "" {
		return ls[:len(ls)-1]
	}
	ls[len(ls)-1] += "\n\\ No newline at end of file\n"
	return ls
}

func isBinary(data []byte) bool { return bytes.IndexByte(data, 0) >= 0 }
