package cli

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/filetree"
)

// build compiles the fleet, prints its diagnostics and emits it. ok is false when the fleet
// has errors or emitting failed; both are reported on stderr, ending with "; " + outcome.
func (r *runner) build(outcome string) (tree filetree.Tree, ok bool) {
	f, ok := r.loadFleet(outcome)
	if !ok {
		return nil, false
	}
	m, ds := compiler.Compile(f, r.compileOpts...)
	r.printDiagnostics(ds, outcome)
	if ds.HasErrors() {
		return nil, false
	}
	tree, err := r.emit(m)
	if err != nil {
		r.failf("emit: %v; %s", err, outcome)
		return nil, false
	}
	return tree, true
}

// loadFleet returns the Go fleet, or with --cue the fleet read from CUE (whose errors are
// printed like the compiler's).
func (r *runner) loadFleet(outcome string) (*dsl.Fleet, bool) {
	if r.cuePath == "" {
		return r.fleet(), true
	}
	if r.loadCUE == nil {
		r.failf("--cue is not available in this build; %s", outcome)
		return nil, false
	}
	path := r.cuePath
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.dir, path)
	}
	f, ds := r.loadCUE(path)
	r.printDiagnostics(ds, outcome)
	if ds.HasErrors() || f == nil {
		return nil, false
	}
	return f, true
}

// cueFlag declares --cue on a command that compiles the fleet.
func cueFlag(fs *flag.FlagSet) *string {
	return fs.String("cue", "", "read the fleet from the CUE file or directory `PATH` instead of the Go fleet")
}

// printDiagnostics prints ds to stderr, file names relative to the working directory, and a
// count and the outcome when there is an error.
func (r *runner) printDiagnostics(ds compiler.Diagnostics, outcome string) {
	var errs, warns int
	for _, d := range ds.Relative(r.dir) {
		fmt.Fprintln(r.stderr, d)
		for _, rel := range d.Related {
			fmt.Fprintf(r.stderr, "\t%s: related declaration\n", rel)
		}
		switch d.Severity {
		case compiler.Error:
			errs++
		case compiler.Warning:
			warns++
		}
	}
	if errs > 0 {
		msg := plural(errs, "error")
		if warns > 0 {
			msg += ", " + plural(warns, "warning")
		}
		fmt.Fprintf(r.stderr, "fleet: %s in the fleet; %s\n", msg, outcome)
	}
}

// root is the directory to write to: out (relative to the working directory) when given,
// else the module root.
func (r *runner) root(out string) (string, error) {
	if out != "" {
		if !filepath.IsAbs(out) {
			out = filepath.Join(r.dir, out)
		}
		return out, nil
	}
	return moduleRoot(r.dir)
}

// moduleRoot is the nearest directory from dir upwards that holds go.mod, so that
// `go run ./fleet` writes to the repository root from any subdirectory.
func moduleRoot(dir string) (string, error) {
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", fmt.Errorf("no go.mod in %s or any parent directory: run fleet inside the repository, or pass --out", dir)
		}
		d = parent
	}
}

// plural formats n with a noun: "1 file", "3 files".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
