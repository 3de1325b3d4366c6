package cli

import (
	"flag"
	"fmt"
)

// varsCommand is "fleet vars <subcommand>": the fleet's clan vars (secrets and public
// values of its generators) in clan's on-disk layout, sops/ and vars/ at the vars root.
var varsCommand = &command{
	name:     "vars",
	synopsis: "<keygen|generate|check|fix|list|get> [flags] [args]",
	summary:  "create, check and read the fleet's clan vars (secrets)",
	args:     true,
	help: `
Manages the clan vars of the fleet's own generators under sops/ and vars/ at the vars
root (the module root; --root overrides). Run "go run ./fleet vars <subcommand> -h" for
a subcommand's flags.`,
	setup: func(fs *flag.FlagSet) func(*runner) int {
		return func(r *runner) int { return r.vars(fs.Args()) }
	},
}

func (r *runner) vars(args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(r.stderr, "fleet vars: missing subcommand\n")
		return exitUsage
	}
	fmt.Fprintf(r.stderr, "fleet vars: unknown subcommand %q\n", args[0])
	return exitUsage
}
