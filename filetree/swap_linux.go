package filetree

import (
	"errors"
	"os"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// exchange swaps the directories at a and b in one step with renameat2(RENAME_EXCHANGE):
// at every moment each name holds one complete directory. On a file system without
// RENAME_EXCHANGE it falls back to [renameAside].
func exchange(a, b, aside string) error {
	if noExchange {
		return renameAside(a, b, aside)
	}
	err := unix.Renameat2(unix.AT_FDCWD, a, unix.AT_FDCWD, b, unix.RENAME_EXCHANGE)
	if errors.Is(err, unix.EINVAL) || errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EOPNOTSUPP) {
		return renameAside(a, b, aside)
	}
	if err != nil {
		return &os.LinkError{Op: "renameat2 RENAME_EXCHANGE", Old: a, New: b, Err: err}
	}
	return nil
}

// noExchange makes exchange use the fallback, so tests can cover it on Linux.
var noExchange bool

// syncAll flushes the file system holding root (syncfs(2)): every file written for the new
// tree is on disk before the journal commits to it. One call instead of one fsync per file.
func syncAll(root string) error {
	f, err := os.Open(filepath.Clean(root))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := unix.Syncfs(int(f.Fd())); err != nil {
		return &os.PathError{Op: "syncfs", Path: root, Err: err}
	}
	return nil
}
