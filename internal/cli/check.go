package cli

import (
	"flag"
	"fmt"
	"io"

	"github.com/nixfleet/fleet/filetree"
)

var checkCommand = &command{
	name:     "check",
	synopsis: "[--cue PATH] [--out DIR] [-v]",
	summary:  "report whether the written flake is up to date with the fleet",
	help: `
Compiles the fleet and compares what generate would write with the files on disk,
without writing them. When they differ, prints a unified diff (disk a/, generated b/) to
stdout and a summary to stderr, and exits 1; run "go run ./fleet" to update. When they
agree, prints nothing (or one line with -v) and exits 0. The pre-commit hook runs this.`,
	setup: func(fs *flag.FlagSet) func(*runner) int {
		cue := cueFlag(fs)
		out := fs.String("out", "", "compare with `DIR` instead of the module root")
		verbose := fs.Bool("v", false, "say so when the flake is up to date")
		return func(r *runner) int { r.cuePath = *cue; return r.check(*out, *verbose) }
	},
}

func (r *runner) check(out string, verbose bool) int {
	tree, ok := r.build("not compared")
	if !ok {
		return exitFail
	}
	root, err := r.root(out)
	if err != nil {
		return r.failf("%v", err)
	}
	d, err := filetree.Check(root, tree)
	if err != nil {
		return r.failf("%v", err)
	}
	if d.Empty() {
		if verbose {
			fmt.Fprintf(r.stdout, "fleet check: %s up to date\n", plural(len(tree), "file"))
		}
		return exitOK
	}
	if _, err := io.WriteString(r.stdout, d.Unified()); err != nil {
		return r.failf("%v", err)
	}
	fmt.Fprintf(r.stderr, "fleet check: the flake is out of date (%s); run go run ./fleet to update it\n", d.Summary())
	return exitFail
}
