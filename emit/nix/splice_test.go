package nix

import (
	"strings"
	"testing"

	"github.com/nixfleet/fleet/internal/nixtest"
)

// An interpolated expression stays on the string's line however long the line gets:
// breaking inside ${…} would spread the string's text over lines.
func TestSpliceStaysFlat(t *testing.T) {
	long := Apply(Select(Id("config"), "resource", "hcloud_server", strings.Repeat("machine", 12)), Str("ipv4_address"))
	e := Let([]Binding{Bind([]string{"config"}, Attrs())}, Attrs(Bind([]string{"command"},
		Interp(Text("clan machines install --target-host root@"), Splice(long), Text(" --yes")))))
	out, err := FormatExpr(e)
	if err != nil {
		t.Fatal(err)
	}
	var line string
	for _, l := range strings.Split(string(out), "\n") {
		if strings.Contains(l, "command =") {
			line = l
		}
	}
	if !strings.Contains(line, `"ipv4_address"} --yes";`) {
		t.Fatalf("the interpolation was broken across lines:\n%s", out)
	}
	nixtest.Parse(t, out)
}
