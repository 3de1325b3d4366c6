//go:build unix && !linux

package filetree

import "golang.org/x/sys/unix"

// exchange swaps the directories at a and b. Without Linux's renameat2(RENAME_EXCHANGE) it
// renames b aside and a into place ([renameAside]): between the two renames b does not
// exist. The journal makes the pair crash-safe; see the package doc.
func exchange(a, b, aside string) error { return renameAside(a, b, aside) }

// syncAll flushes every file system (sync(2)); there is no syncfs here.
func syncAll(string) error {
	unix.Sync()
	return nil
}
