package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/filetree"
)

// Exit codes.
const (
	exitOK    = 0 // done; check: in sync
	exitFail  = 1 // fleet errors, out of sync, or a failure
	exitUsage = 2 // unknown command or flag
)

// Emitter renders a checked model as a file tree: package emit's Emit.
type Emitter func(*compiler.Model) (filetree.Tree, error)

// Option changes how [Run] runs.
type Option interface{ apply(*runner) }

type optionFunc func(*runner)

func (f optionFunc) apply(r *runner) { f(r) }

// Dir sets the working directory: where relative --out paths and diagnostics' file names
// are relative to, and where the search for go.mod starts. Default: the process's.
func Dir(dir string) Option { return optionFunc(func(r *runner) { r.dir = dir }) }

// CompileOptions are passed to [compiler.Compile] (compiler.Today, for reproducible tests).
func CompileOptions(opts ...compiler.Option) Option {
	return optionFunc(func(r *runner) { r.compileOpts = append(r.compileOpts, opts...) })
}

// CUELoader lets --cue read a fleet from CUE: cuefleet.Load. Without it, --cue is an error.
func CUELoader(load func(path string) (*dsl.Fleet, compiler.Diagnostics)) Option {
	return optionFunc(func(r *runner) { r.loadCUE = load })
}

// runner is one invocation of the command.
type runner struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	dir            string
	fleet          func() *dsl.Fleet
	emit           Emitter
	compileOpts    []compiler.Option
	loadCUE        func(path string) (*dsl.Fleet, compiler.Diagnostics)
	cuePath        string // --cue: read the fleet from this CUE file or directory
}

// Run runs the fleet command with args (without the program name) and returns its exit
// code: 0 success, 1 fleet errors, an out-of-date flake or a failure, 2 a usage error.
// fleet builds the fleet to compile; emit renders it.
func Run(args []string, stdin io.Reader, stdout, stderr io.Writer, fleet func() *dsl.Fleet, emit Emitter, opts ...Option) int {
	r := &runner{stdin: stdin, stdout: stdout, stderr: stderr, fleet: fleet, emit: emit}
	for _, o := range opts {
		o.apply(r)
	}
	if r.dir == "" {
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintf(stderr, "fleet: %v\n", err)
			return exitFail
		}
		r.dir = wd
	}

	name, rest := "generate", args
	if len(args) > 0 {
		switch a := args[0]; {
		case a == "help" || isHelpFlag(a):
			return r.help(args[1:])
		case !strings.HasPrefix(a, "-"):
			name, rest = a, args[1:]
		}
	}
	cmd := lookup(name)
	if cmd == nil {
		fmt.Fprintf(stderr, "fleet: unknown command %q\n\n", name)
		writeUsage(stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet("fleet "+cmd.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	run := cmd.setup(fs)
	if err := fs.Parse(rest); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeCommandUsage(stdout, cmd)
			return exitOK
		}
		fmt.Fprintf(stderr, "fleet %s: %v\n\n", cmd.name, err)
		writeCommandUsage(stderr, cmd)
		return exitUsage
	}
	if fs.NArg() > 0 && !cmd.args {
		fmt.Fprintf(stderr, "fleet %s: unexpected argument %q\n\n", cmd.name, fs.Arg(0))
		writeCommandUsage(stderr, cmd)
		return exitUsage
	}
	return run(r)
}

func isHelpFlag(a string) bool { return a == "-h" || a == "-help" || a == "--help" }

// help prints the usage, or one command's usage.
func (r *runner) help(args []string) int {
	if len(args) == 0 {
		writeUsage(r.stdout)
		return exitOK
	}
	cmd := lookup(args[0])
	if cmd == nil || len(args) > 1 {
		fmt.Fprintf(r.stderr, "fleet help: unknown command %q\n\n", strings.Join(args, " "))
		writeUsage(r.stderr)
		return exitUsage
	}
	writeCommandUsage(r.stdout, cmd)
	return exitOK
}

// failf prints an error and returns exitFail.
func (r *runner) failf(format string, args ...any) int {
	fmt.Fprintf(r.stderr, "fleet: "+format+"\n", args...)
	return exitFail
}
