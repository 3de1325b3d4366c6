package cli

import (
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// command is one subcommand. setup declares its flags on its own flag set and returns the
// function that runs it once they are parsed. To add a command, add it to commands.
type command struct {
	name     string
	synopsis string // the arguments, after "fleet <name>"
	summary  string // one line, for the command list
	help     string // paragraphs, for "fleet help <name>"
	setup    func(fs *flag.FlagSet) (run func(r *runner) int)
	args     bool // takes positional arguments: run reads them with fs.Args()
}

// commands is the command table, in the order of the usage text.
var commands = []*command{generateCommand, checkCommand, installHooksCommand, varsCommand, planCommand, graphCommand}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

const usageIntro = `fleet compiles the fleet (machines, users, services, features, channels, secrets)
defined in Go in fleet/owner (func Fleet, package github.com/nixfleet/fleet/fleet/owner)
into a Nix flake: generated/, flake.nix and FLEET.md at the root of this Go module (the
directory holding go.mod, found from the current directory upwards).

Usage:

	go run ./fleet [command] [flags]

Commands:

`

const usageOutro = `
Without a command, fleet runs generate. Run "go run ./fleet help <command>" (or
"<command> -h") for a command's flags.

Diagnostics are printed as file:line:col: error|warning: message, with paths relative to
the current directory. Any error stops before anything is written; warnings do not.

Exit status:

	0  success; for check: the flake is up to date
	1  the fleet has errors, the flake is out of date (check), or a write failed
	2  usage error: unknown command, flag or argument
`

func writeUsage(w io.Writer) {
	io.WriteString(w, usageIntro)
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	for _, c := range commands {
		fmt.Fprintf(tw, "\t%s\t%s\n", c.name, c.summary)
	}
	fmt.Fprintf(tw, "\t%s\t%s\n", "help [command]", "show this help, or a command's")
	tw.Flush()
	io.WriteString(w, usageOutro)
}

func writeCommandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage: go run ./fleet %s", c.name)
	if c.synopsis != "" {
		fmt.Fprintf(w, " %s", c.synopsis)
	}
	fmt.Fprintf(w, "\n\n%s\n", strings.TrimSpace(c.help))
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	c.setup(fs)
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	if n > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		fs.SetOutput(w)
		fs.PrintDefaults()
	}
}
