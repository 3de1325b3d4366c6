// Package filetree holds a generated file tree in memory (slash-separated relative path to
// bytes) and writes it to disk safely: atomically, deleting only files it wrote before (a
// manifest), and leaving unchanged files untouched. It does not produce the tree (see
// package emit) and it does not know what the files mean.
//
// # Layout
//
// [Write] owns one directory under the root, [GeneratedDir] ("generated"), plus the tree's
// files outside it ("root files", such as flake.nix and FLEET.md). The manifest
// [ManifestPath] ("generated/.fleet-manifest") lists every path of the tree last written,
// sorted, with its SHA-256, in sha256sum(1) format ("<hex>  <path>"), so
// `sha256sum -c generated/.fleet-manifest` run in the root verifies the tree.
//
// # Rules
//
//   - Paths are slash-separated, relative, clean, without "." or ".." components, empty
//     components, NUL or newlines; a path cannot be both a file and a directory; the manifest,
//     the journal and the temporary names are reserved. A bad path is an error before anything
//     is written.
//   - Write deletes only files listed in the previous manifest that the new tree lacks.
//   - Files under generated/ that are not in the manifest were not written by this package;
//     they are kept (hard-linked into the new directory) and reported in [Result.Preserved].
//     Empty directories are not carried over.
//   - A file on disk that is not in the manifest is never overwritten unless its bytes already
//     match, it starts with the generated header ([IsGenerated]), or [Force] is given. This is
//     what lets a fresh checkout without a manifest adopt its committed generated files while a
//     user's own flake.nix is refused with a [*NotOursError].
//   - A file whose bytes are unchanged is not rewritten: a root file is skipped, a file under
//     generated/ is hard-linked from the old directory into the new one, so its inode and mtime
//     stay. (Where hard links are not supported, it is copied.)
//   - The result depends only on the tree: traversal is sorted, the output is the same bytes
//     whatever the map order or GOMAXPROCS.
//
// # Atomicity
//
// Write prepares everything before it changes anything: the complete new generated/ as a
// sibling temporary directory ".generated.fleet-new-*" (unchanged and preserved files
// hard-linked, changed files written, the new manifest inside), and every changed root file as
// a temporary file beside its target. It then flushes the file system (syncfs on Linux, sync
// elsewhere) and writes a journal, ".fleet-journal" in the root, atomically (temporary file,
// fsync, rename, fsync of the root). The journal's rename is the commit point. The journal
// lists the remaining steps, each idempotent:
//
//  1. swap the temporary directory with generated/ (one renameat2(RENAME_EXCHANGE) on Linux,
//     so generated/ is never missing or mixed; on other systems, or file systems without it,
//     generated/ is renamed aside and the new directory renamed in, a window in which
//     generated/ is absent); whether the swap happened is decided by the new directory's
//     inode, recorded in the journal;
//  2. rename each root file's temporary file over it;
//  3. delete the root files the new tree lacks;
//
// then the directories are fsynced, the journal is removed, and the old copy is deleted.
//
// The guarantee: if a Write is killed at any moment (or the machine loses power, on a file
// system that honours fsync), then once the next Write or [Check] on the same root has run
// its recovery (it first rolls an existing journal forward, then deletes temporary files
// left by a Write that died before its commit point), the managed files (generated/ with the
// manifest, and the root files of the old and new manifests) are exactly the old tree or
// exactly the new tree: the old one if the Write died before the journal was in place, the new
// one after. Until that recovery, generated/ alone is always entirely old or entirely new (on
// Linux) while the root files may be a mix. Directories created for root files' parents and
// temporary files may remain until recovery; files the package does not manage are never
// touched, apart from the ones under generated/ being carried into the new directory.
//
// A failure before the commit point (bad path, refusal, I/O error) removes the temporary
// files and leaves the old tree as it was. If the swap itself fails, the journal is withdrawn
// and the same holds. A failure after the swap (a root file cannot be renamed) is returned
// and the journal stays: the next Write or Check finishes the job once the cause is fixed.
//
// Writers on the same root are serialised with flock(2) on the root directory, so two
// concurrent runs cannot interleave. The package needs a Unix system (Linux, macOS, BSD).
package filetree
