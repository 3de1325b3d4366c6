package nix

import (
	"encoding/json"
	"testing"

	"github.com/nixfleet/fleet/internal/nixtest"
)

// FuzzStr checks Str and IndentedStr (also next to an interpolation)
// against the real evaluator: Nix must read back exactly s, and strings Nix
// cannot hold must be print errors.
func FuzzStr(f *testing.F) {
	for _, s := range trickyStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c := stringCase(s)
		src, err := FormatExpr(List(c.exprs...))
		if checkString(s) != nil {
			if err == nil {
				t.Fatalf("%q cannot be a Nix string but was printed", s)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		nix := nixtest.Require(t)
		out, err := nixtest.Eval(nix, src)
		if err != nil {
			t.Fatalf("%v\n--- source ---\n%s", err, src)
		}
		var got []string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		for i := range c.want {
			if i >= len(got) || got[i] != c.want[i] {
				single, _ := FormatExpr(c.exprs[i])
				t.Fatalf("form %d of %q: Nix reads\n%s\nas %q", i, s, single, got)
			}
		}
	})
}

// FuzzAttrName checks attribute names against the real evaluator: the name
// must come back from builtins.attrNames and be selectable, and AttrName
// must be bare exactly for identifiers.
func FuzzAttrName(f *testing.F) {
	for _, s := range append(trickyStrings, "or", "if", "inherit", "__curPos", "a'", "a-b", "1a", "-a", "'a", "a.b", "true", "null") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		name, err := AttrName(s)
		if checkString(s) != nil {
			if err == nil {
				t.Fatalf("%q cannot be an attribute name but AttrName returned %s", s, name)
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		if (name == s) != isIdent(s) {
			t.Fatalf("AttrName(%q) = %s; bare must mean identifier", s, name)
		}
		e := List(
			Apply(Select(Id("builtins"), "attrNames"), Attrs(Bind([]string{s}, Null()))),
			List(Select(Attrs(Bind([]string{s, s}, Str(s))), s, s)),
			List(SelectOr(Attrs(), Str(s), s)),
		)
		src, err := FormatExpr(e)
		if err != nil {
			t.Fatal(err)
		}
		nix := nixtest.Require(t)
		out, err := nixtest.Eval(nix, src)
		if err != nil {
			t.Fatalf("%v\n--- source ---\n%s", err, src)
		}
		var got [][]string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatal(err)
		}
		for i, g := range got {
			if len(g) != 1 || g[0] != s {
				t.Fatalf("form %d of %q: got %q from\n%s", i, s, g, src)
			}
		}
	})
}
