package filetree

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
)

// A journal lists the steps that turn a prepared write into the new tree. It is written
// atomically before the first step (the commit point) and removed after the last, so a
// crash in between leaves a journal that the next Write or Check replays. Every step is
// idempotent: replaying a journal whose steps were partly done finishes them.
//
// The format is line-based text, paths quoted as Go strings, relative to the root:
//
//	fleet-journal 1
//	swap ".generated.fleet-new-123" "generated" ".generated.fleet-old-123" 4242
//	rename ".flake.nix.fleet-new-456" "flake.nix"
//	remove "FLEET.md"
//	end
const journalMagic = "fleet-journal 1"

type stepKind string

const (
	// swap: put the directory prepared at from (inode ino) in place of to; the old to ends
	// up at from (renameat2) or at aside (fallback).
	swapStep stepKind = "swap"
	// rename: move a root file's temporary file from over to.
	renameStep stepKind = "rename"
	// remove: delete a root file the new tree lacks.
	removeStep stepKind = "remove"
)

type step struct {
	kind     stepKind
	from, to string // relative to the root, slash-separated
	aside    string // swap only
	ino      uint64 // swap only
}

func (s step) String() string {
	switch s.kind {
	case swapStep:
		return fmt.Sprintf("%s %q %q %q %d", s.kind, s.from, s.to, s.aside, s.ino)
	case renameStep:
		return fmt.Sprintf("%s %q %q", s.kind, s.from, s.to)
	default:
		return fmt.Sprintf("%s %q", s.kind, s.to)
	}
}

func renderJournal(steps []step) []byte {
	var b strings.Builder
	b.WriteString(journalMagic + "\n")
	for _, s := range steps {
		b.WriteString(s.String() + "\n")
	}
	b.WriteString("end\n")
	return []byte(b.String())
}

func parseJournal(data []byte) ([]step, error) {
	lines := strings.Split(string(data), "\n")
	if len(lines) < 3 || lines[0] != journalMagic || lines[len(lines)-2] != "end" || lines[len(lines)-1] != "" {
		return nil, errors.New("not a complete journal")
	}
	var steps []step
	for i, line := range lines[1 : len(lines)-2] {
		kind, rest, _ := strings.Cut(line, " ")
		var args []string
		for rest != "" {
			q, err := strconv.QuotedPrefix(rest)
			if err != nil {
				break
			}
			s, _ := strconv.Unquote(q)
			if s != path.Clean(s) || checkJournalPath(s) != nil {
				return nil, fmt.Errorf("line %d: bad path %q", i+2, s)
			}
			args = append(args, s)
			rest = strings.TrimPrefix(rest[len(q):], " ")
		}
		s := step{kind: stepKind(kind)}
		var ok bool
		switch s.kind {
		case swapStep:
			if ok = len(args) == 3; ok {
				s.from, s.to, s.aside = args[0], args[1], args[2]
				var err error
				s.ino, err = strconv.ParseUint(rest, 10, 64)
				ok = err == nil
			}
		case renameStep:
			if ok = len(args) == 2 && rest == ""; ok {
				s.from, s.to = args[0], args[1]
			}
		case removeStep:
			if ok = len(args) == 1 && rest == ""; ok {
				s.to = args[0]
			}
		}
		if !ok {
			return nil, fmt.Errorf("line %d: bad step %q", i+2, line)
		}
		steps = append(steps, s)
	}
	return steps, nil
}

// checkJournalPath accepts the paths a journal may name: tree paths and the temporary names.
func checkJournalPath(p string) error {
	if p == "" || path.IsAbs(p) || strings.ContainsRune(p, 0) {
		return errors.New("not a relative path")
	}
	for _, c := range strings.Split(p, "/") {
		if c == "" || c == "." || c == ".." {
			return errors.New("not a clean relative path")
		}
	}
	return nil
}

// writeJournal commits to steps: it writes the journal to a temporary file, syncs it and
// renames it into place. It returns committed = true once the rename has happened, even if
// syncing the root directory afterwards fails.
func writeJournal(root string, steps []step) (committed bool, err error) {
	tmp := filepath.Join(root, journalTemp)
	if err := writeFileSync(tmp, renderJournal(steps)); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("write %s: %w", journalName, err)
	}
	if err := os.Rename(tmp, filepath.Join(root, journalName)); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("write %s: %w", journalName, err)
	}
	return true, syncDir(root)
}

func writeFileSync(name string, data []byte) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// errHalfSwapped marks a swap that failed after renaming generated/ aside and could not
// undo it: only replaying the journal can finish it.
var errHalfSwapped = errors.New("generated directory renamed aside, new one not in place")

// apply performs one step if it has not been performed yet.
func (s step) apply(root string) error {
	abs := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	switch s.kind {
	case swapStep:
		from, to := abs(s.from), abs(s.to)
		if ino, err := inode(to); err == nil && ino == s.ino {
			return nil // done: the prepared directory is in place
		}
		if ino, err := inode(from); err != nil || ino != s.ino {
			return fmt.Errorf("swap %s: the prepared directory %s is gone", s.to, s.from)
		}
		if _, err := os.Lstat(to); errors.Is(err, fs.ErrNotExist) {
			return os.Rename(from, to) // first write, or a fallback swap cut between its renames
		}
		if err := exchange(from, to, abs(s.aside)); err != nil {
			if _, serr := os.Lstat(to); errors.Is(serr, fs.ErrNotExist) {
				return fmt.Errorf("%w: %w", errHalfSwapped, err)
			}
			return err
		}
		return nil
	case renameStep:
		if _, err := os.Lstat(abs(s.from)); errors.Is(err, fs.ErrNotExist) {
			return nil // done
		}
		return os.Rename(abs(s.from), abs(s.to))
	case removeStep:
		if err := os.Remove(abs(s.to)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return fmt.Errorf("unknown journal step %q", s.kind)
}

// afterStep names the test hook point reached after the last step of each kind.
var afterStep = map[stepKind]string{swapStep: "after-exchange", renameStep: "after-renames", removeStep: "after-removes"}

// finish performs the journal's steps, makes them durable, removes the journal and then
// the old copy of generated/.
func finish(root string, steps []step) error {
	dirs := map[string]bool{root: true}
	for i, s := range steps {
		if err := s.apply(root); err != nil {
			return fmt.Errorf("%s %s: %w", s.kind, s.to, err)
		}
		dirs[filepath.Dir(filepath.Join(root, filepath.FromSlash(s.to)))] = true
		if i+1 == len(steps) || steps[i+1].kind != s.kind {
			if err := hook(afterStep[s.kind]); err != nil {
				return err
			}
		}
	}
	for _, d := range slices.Sorted(maps.Keys(dirs)) {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	if err := os.Remove(filepath.Join(root, journalName)); err != nil {
		return fmt.Errorf("remove %s: %w", journalName, err)
	}
	if err := syncDir(root); err != nil {
		return err
	}
	if err := hook("journal-removed"); err != nil {
		return err
	}
	for _, s := range steps {
		if s.kind == swapStep {
			for _, old := range []string{s.from, s.aside} {
				if err := os.RemoveAll(filepath.Join(root, filepath.FromSlash(old))); err != nil {
					return fmt.Errorf("remove the previous %s: %w", GeneratedDir, err)
				}
			}
		}
	}
	return nil
}

// recoverRoot finishes a write that was interrupted after its commit point and removes the
// temporary files of one interrupted before it. dirs are the directories (relative to the
// root) where root files' temporary files may lie; the root itself is always swept.
func recoverRoot(root string, dirs []string) error {
	data, err := os.ReadFile(filepath.Join(root, journalName))
	switch {
	case err == nil:
		steps, err := parseJournal(data)
		if err != nil {
			return fmt.Errorf("%s: %w; check the state of %s and remove it by hand", filepath.Join(root, journalName), err, root)
		}
		if err := finish(root, steps); err != nil {
			return fmt.Errorf("finish the interrupted write recorded in %s: %w", journalName, err)
		}
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return sweep(root, dirs)
}

// sweep removes temporary files and directories left by a write that died before its
// commit point (or after removing its journal but before deleting the old copy).
func sweep(root string, dirs []string) error {
	seen := map[string]bool{}
	for _, d := range append([]string{"."}, dirs...) {
		if seen[d] {
			continue
		}
		seen[d] = true
		dir := filepath.Join(root, filepath.FromSlash(d))
		entries, err := os.ReadDir(dir)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR) {
			continue
		}
		if err != nil {
			return err
		}
		for _, e := range entries {
			name := e.Name()
			var err error
			switch {
			case d == "." && e.IsDir() && (strings.HasPrefix(name, newDirPrefix) || strings.HasPrefix(name, asideDirPrefix)):
				err = os.RemoveAll(filepath.Join(dir, name))
			case d == "." && name == journalTemp,
				e.Type().IsRegular() && strings.HasPrefix(name, ".") && strings.Contains(name, tempMark):
				err = os.Remove(filepath.Join(dir, name))
			}
			if err != nil {
				return fmt.Errorf("remove temporary file: %w", err)
			}
		}
	}
	return nil
}
