package cli

import (
	"flag"
	"os"
	"testing"
	"time"

	"github.com/nixfleet/fleet/compiler"
	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the testscript files' cmp golden parts from the actual output")

var today = compiler.Today(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"fleet": func() {
			os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr, testFleet, fakeEmit, CompileOptions(today)))
		},
	})
}

// TestScripts runs the command end to end: testdata/script/*.txtar. -update rewrites
// the files that cmp compares the output with.
func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{Dir: "testdata/script", UpdateScripts: *update})
}
