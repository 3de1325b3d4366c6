// Package cli is the fleet command: it compiles the fleet, prints diagnostics, emits the
// flake and writes it (generate), compares it with the disk (check), and installs the git
// pre-commit hook (install-hooks). fleet/main.go only calls [Run].
//
// It does not compile, emit or write by itself: it wires package compiler, an [Emitter]
// (package emit's Emit) and package filetree together, and turns their results into output
// and exit codes.
package cli
