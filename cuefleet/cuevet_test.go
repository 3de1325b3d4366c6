package cuefleet_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/internal/nixtest"
)

// The real cue command accepts the schema with the owner's fleet, and rejects an invalid
// fleet at the line Load names.
func TestCueVet(t *testing.T) {
	cueBin := nixtest.Tool(t, "cue")
	out, err := exec.Command(cueBin, "vet", "-c", "schema.cue", ownerCUE).CombinedOutput()
	if err != nil {
		t.Fatalf("cue vet -c schema.cue %s: %v\n%s", ownerCUE, err, out)
	}
	bad := filepath.Join("testdata", "invalid", "unknown_field.cue")
	out, err = exec.Command(cueBin, "vet", "-c", "schema.cue", bad).CombinedOutput()
	if err == nil {
		t.Fatalf("cue vet accepted %s", bad)
	}
	if !strings.Contains(string(out), "unknown_field.cue:9:44") || !strings.Contains(string(out), "field not allowed") {
		t.Errorf("cue vet on %s said:\n%s", bad, out)
	}
}
