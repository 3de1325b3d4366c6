// Command fleet compiles the owner's fleet (package fleet/owner) into the Nix flake at the
// root of this repository. Run "go run ./fleet -h" for its commands; the logic is in
// internal/cli.
package main

import (
	"os"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/cuefleet"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/fleet/owner"
	"github.com/nixfleet/fleet/internal/cli"
)

func main() {
	os.Exit(cli.Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, owner.Fleet, emitFlake,
		cli.CUELoader(cuefleet.Load)))
}

func emitFlake(m *compiler.Model) (filetree.Tree, error) { return emit.Emit(m) }
