package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/cuefleet"
)

// --cue reads the fleet from CUE instead of the Go fleet: a valid file generates, an
// invalid one fails with its positioned CUE errors and writes nothing.
func TestCUEFlag(t *testing.T) {
	src, err := filepath.Abs("../../cuefleet/testdata")
	if err != nil {
		t.Fatal(err)
	}
	runCUE := func(dir string, args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Run(args, strings.NewReader(""), &out, &errb, testFleet, fakeEmit, Dir(dir), CompileOptions(today),
			CUELoader(cuefleet.Load))
		return code, out.String(), errb.String()
	}

	owner, err := filepath.Abs("../../fleet/owner/owner.cue")
	if err != nil {
		t.Fatal(err)
	}
	dir := module(t)
	if code, _, stderr := runCUE(dir, "generate", "--cue", owner); code != 0 {
		t.Fatalf("generate --cue valid: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := runCUE(dir, "check", "--cue", owner); code != 0 {
		t.Fatalf("check --cue after generating from the same file: exit %d\n%s", code, stderr)
	}
	// The Go test fleet differs from the CUE one, so check without --cue sees a stale tree.
	if code, _, _ := runCUE(dir, "check"); code != 1 {
		t.Fatalf("check of the Go fleet against the CUE-generated tree: exit %d, want 1", code)
	}

	empty := module(t)
	code, _, stderr := runCUE(empty, "generate", "--cue", filepath.Join(src, "invalid", "bad_class.cue"))
	if code != 1 {
		t.Fatalf("generate --cue invalid: exit %d, want 1", code)
	}
	if !strings.Contains(stderr, `bad_class.cue:9:16: error: machines.mac.class: "windows" is none of "darwin", "nixos"`) {
		t.Errorf("stderr lacks the positioned CUE error:\n%s", stderr)
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 1 {
		t.Errorf("an invalid CUE fleet wrote files: %v", entries)
	}

	var out, errb bytes.Buffer
	if code := Run([]string{"generate", "--cue", "x.cue"}, strings.NewReader(""), &out, &errb, testFleet, fakeEmit, Dir(empty)); code != 1 ||
		!strings.Contains(errb.String(), "--cue is not available") {
		t.Errorf("--cue without a loader: exit %d, stderr %q", code, errb.String())
	}
}
