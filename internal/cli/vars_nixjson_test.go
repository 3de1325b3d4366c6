package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/internal/nixtest"
)

var validationCases = []struct {
	v    dsl.Value
	json string
}{
	{dsl.ValueOf("v1"), `"v1"`},
	{dsl.ValueOf(42), `42`},
	{dsl.ValueOf(-3), `-3`},
	{dsl.ValueOf(true), `true`},
	{dsl.Attrs(dsl.Field("zeta", 1), dsl.Field("alpha", "x")), `{"alpha":"x","zeta":1}`},
	{dsl.Attrs(dsl.Field("b", dsl.Attrs(dsl.Field("d", "q\"\\\n\t\r\b\f\x01\x7fé/"), dsl.Field("c", false))), dsl.Field("a", -3)),
		`{"a":-3,"b":{"c":false,"d":"q\"\\\n\t\r\b\f\u0001` + "\x7f" + `é/"}}`},
	{dsl.Attrs(dsl.Field("B", 1), dsl.Field("a", 2), dsl.Field("_", 3)), `{"B":1,"_":3,"a":2}`},
	{dsl.ValueOf("\x1f${x}"), `"\u001f${x}"`},
	{dsl.Attrs(dsl.Field("k", "q\"\\\n\t\r\x01\x7fé/")), `{"k":"q\"\\\n\t\r\u0001` + "\x7f" + `é/"}`},
}

func TestValidationHash(t *testing.T) {
	for _, tc := range validationCases {
		got, err := validationHash(tc.v)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256([]byte(tc.json))
		if want := hex.EncodeToString(sum[:]); got != want {
			var b strings.Builder
			nixJSON(&b, tc.v)
			t.Errorf("hash of %s: rendered %s", tc.json, b.String())
		}
	}
	if h, err := validationHash(dsl.Value{}); err != nil || h != "" {
		t.Errorf("null validation: %q, %v; want no hash", h, err)
	}
	if _, err := validationHash(dsl.ValueOf("\xff")); err == nil {
		t.Error("invalid UTF-8: no error (builtins.toJSON rejects it)")
	}
}

// nixLiteral renders a validation value as a Nix expression.
func nixLiteral(v dsl.Value) string {
	switch x := v.Underlying().(type) {
	case bool:
		return fmt.Sprint(x)
	case int64:
		if x < 0 {
			return fmt.Sprintf("(%d)", x)
		}
		return fmt.Sprint(x)
	case string:
		r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "$", `\$`, "\n", `\n`, "\t", `\t`, "\r", `\r`)
		return `"` + r.Replace(x) + `"`
	case *dsl.Object:
		var b strings.Builder
		b.WriteString("{ ")
		for _, k := range slices.Sorted(slices.Values(x.Keys)) {
			fmt.Fprintf(&b, "%q = %s; ", k, nixLiteral(x.Values[k]))
		}
		b.WriteString("}")
		return b.String()
	}
	panic(fmt.Sprintf("%T", v.Underlying()))
}

// The hash agrees with Nix's own builtins.hashString "sha256" (builtins.toJSON v).
func TestValidationHashAgreesWithNix(t *testing.T) {
	bin := nixtest.Tool(t, "nix-instantiate")
	for _, tc := range validationCases {
		if strings.Contains(tc.json, `\b`) || strings.Contains(tc.json, `\f`) {
			continue // the Nix here may predate nlohmann::json
		}
		expr := `builtins.hashString "sha256" (builtins.toJSON ` + nixLiteral(tc.v) + `)`
		out, err := exec.Command(bin, "--eval", "--json", "--expr", expr).Output()
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		got, _ := validationHash(tc.v)
		if want := strings.Trim(strings.TrimSpace(string(out)), `"`); got != want {
			t.Errorf("%s: Nix says %s, we say %s", expr, want, got)
		}
	}
}
