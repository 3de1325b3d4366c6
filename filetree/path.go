package filetree

import (
	"errors"
	"fmt"
	"path"
	"strings"
)

// Names in the root that the package reserves.
const (
	// GeneratedDir is the directory Write replaces as a whole.
	GeneratedDir = "generated"
	// ManifestPath lists every path of the tree last written, with its SHA-256.
	ManifestPath = GeneratedDir + "/.fleet-manifest"

	journalName    = ".fleet-journal"
	journalTemp    = ".fleet-journal.tmp"
	newDirPrefix   = "." + GeneratedDir + ".fleet-new-" // the new generated/ while it is built
	asideDirPrefix = "." + GeneratedDir + ".fleet-old-" // the old generated/ when swapping without renameat2
	tempMark       = ".fleet-new-"                      // in the names of root files' temporary files
)

// checkPath reports why p cannot be a path of a tree, or nil.
func checkPath(p string) error {
	if p == "" {
		return errors.New("empty path")
	}
	if strings.ContainsRune(p, 0) {
		return errors.New("contains NUL")
	}
	if strings.ContainsAny(p, "\n\r") {
		return errors.New("contains a line break")
	}
	if path.IsAbs(p) {
		return errors.New("absolute")
	}
	for _, c := range strings.Split(p, "/") {
		switch c {
		case "":
			return errors.New("empty component")
		case ".", "..":
			return fmt.Errorf("%q component", c)
		}
		if strings.Contains(c, tempMark) || strings.HasPrefix(c, asideDirPrefix) {
			return errors.New("reserved temporary name")
		}
	}
	switch p {
	case GeneratedDir:
		return fmt.Errorf("%s is the generated directory, not a file", GeneratedDir)
	case ManifestPath, journalName, journalTemp:
		return errors.New("reserved for the writer")
	}
	return nil
}

// validate checks every path of t, and that no path is a directory of another.
func validate(t Tree) error {
	var errs []error
	for _, p := range t.Paths() {
		if err := checkPath(p); err != nil {
			errs = append(errs, fmt.Errorf("invalid path %q: %w", p, err))
			continue
		}
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			if _, ok := t[d]; ok {
				errs = append(errs, fmt.Errorf("invalid path %q: %s is also a file", p, d))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// inGenerated reports whether p lies under generated/.
func inGenerated(p string) bool { return strings.HasPrefix(p, GeneratedDir+"/") }
