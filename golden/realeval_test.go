package golden_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/golden/fleets"
)

// TestRealEval runs the real upstream libraries (clan-core, flake-parts, import-tree,
// nixpkgs' lib, ...) on every golden fleet's tree with the project's real-eval.sh, when
// FLEET_REAL_EVAL names that script (its inputs come from the environment as it
// documents, e.g. `set -a; . /work/fleet-inputs.env`). Checks that need an input that is
// unavailable offline may be UNAVAILABLE; any FAIL fails the test.
func TestRealEval(t *testing.T) {
	script := os.Getenv("FLEET_REAL_EVAL")
	if script == "" {
		t.Skip("FLEET_REAL_EVAL (path to real-eval.sh) is not set")
	}
	for _, fl := range fleets.All {
		t.Run(fl.Name, func(t *testing.T) {
			_, tree := build(t, fl)
			dir := writeTree(t, tree)
			if err := os.MkdirAll(filepath.Join(dir, "vars"), 0o755); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(script, dir).CombinedOutput()
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			last := lines[len(lines)-1]
			for _, l := range lines {
				if strings.HasPrefix(strings.TrimSpace(l), "FAIL") {
					t.Errorf("real-eval: %s", l)
				}
			}
			if !strings.HasPrefix(last, "PASS") || t.Failed() {
				t.Fatalf("real-eval did not pass (%v):\n%s", err, out)
			}
			t.Logf("real-eval: %s", last)
		})
	}
}
