package cuefleet_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// cueCommand returns the path of the cue command, skipping the test without it unless
// FLEET_REQUIRE_NIX=1 (CI), where its absence fails.
func cueCommand(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("cue")
	if err != nil {
		if os.Getenv("FLEET_REQUIRE_NIX") == "1" {
			t.Fatalf("cue is not on PATH and FLEET_REQUIRE_NIX=1: go install cuelang.org/go/cmd/cue@v0.17.1")
		}
		t.Skip("cue is not on PATH")
	}
	return path
}

// The real cue command accepts the schema with the owner's fleet, and rejects an invalid
// fleet at the line Load names.
func TestCueVet(t *testing.T) {
	cueBin := cueCommand(t)
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
