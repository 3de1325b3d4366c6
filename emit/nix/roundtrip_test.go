package nix

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/nixfleet/fleet/internal/nixtest"
)

// pieces are the fragments random strings are made of.
var pieces = []string{
	"${", "''", "''$", "'''", "''\\", "\\", "\"", "$", "$$", "$${", "\\${", "'", "{", "}",
	"\t", "\r", "\r\n", "\n", "\n", " ", "  ", " ", "a", "b", "é", "😀", "\ufeff", "\u2028",
	"\x01", "\x7f", "#", "/*", "x y", "or", "-", "_", "1",
}

func randomString(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(10); n > 0; n-- {
		b.WriteString(pieces[r.IntN(len(pieces))])
	}
	return b.String()
}

var namePieces = []string{"a", "Z", "_", "'", "-", "0", "9", "or", "if", "in", "rec", "inherit", " ", ".", "$", "${", "\"", "\\", "é", "\n", "__curPos", "x"}

func randomName(r *rand.Rand) string {
	var b strings.Builder
	for n := r.IntN(4); n > 0; n-- {
		b.WriteString(namePieces[r.IntN(len(namePieces))])
	}
	return b.String()
}

// roundTripCase is one string printed in every form, with the value each
// form must evaluate to.
type roundTripCase struct {
	exprs []Expr
	want  []string
}

func stringCase(s string) roundTripCase {
	// Interpolations next to the text exercise the escapes that depend on
	// what follows ($ before ${) and on line starts after a splice.
	return roundTripCase{
		exprs: []Expr{
			Str(s),
			IndentedStr(s),
			Interp(Text(s), Splice(Str("|")), Text(s)),
			IndentedInterp(Text(s), Splice(Str("|")), Text(s)),
			IndentedInterp(Splice(Str("|")), Text(s)),
			// A nested set puts the indented string deeper.
			Select(Attrs(Bind([]string{"v"}, Attrs(Bind([]string{"w"}, IndentedStr(s)), Bind([]string{"u"}, Null())))), "v", "w"),
			Apply(Select(Id("builtins"), "head"), Apply(Select(Id("builtins"), "attrNames"), Attrs(Bind([]string{s}, Null())))),
			Select(Attrs(Bind([]string{"n", s}, Str(s))), "n", s),
		},
		want: []string{s, s, s + "|" + s, s + "|" + s, "|" + s, s, s, s},
	}
}

// evalCases prints all cases as one list, evaluates it once and compares.
func evalCases(t *testing.T, cases []roundTripCase) {
	t.Helper()
	var items []Expr
	var want []string
	for _, c := range cases {
		items = append(items, c.exprs...)
		want = append(want, c.want...)
	}
	src, err := FormatExpr(List(items...))
	if err != nil {
		t.Fatal(err)
	}
	out := nixtest.EvalJSON(t, src)
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("decoding %s: %v", out, err)
	}
	if len(got) != len(want) {
		t.Fatalf("got %d values, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			single, _ := FormatExpr(items[i])
			t.Errorf("item %d: Nix evaluates\n%s\nto %q, want %q", i, single, got[i], want[i])
		}
	}
}

// TestRoundTripStrings checks with the real evaluator that every string
// form and attribute names evaluate to the Go string they came from.
func TestRoundTripStrings(t *testing.T) {
	nixtest.Require(t)
	var cases []roundTripCase
	for _, s := range trickyStrings {
		cases = append(cases, stringCase(s))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 600; i++ {
		cases = append(cases, stringCase(randomString(r)))
	}
	for i := 0; i < 300; i++ {
		s := randomName(r)
		cases = append(cases, roundTripCase{
			exprs: []Expr{Apply(Select(Id("builtins"), "attrNames"), Attrs(Bind([]string{s}, Null())))},
			want:  []string{"[" + s + "]"},
		})
	}
	// attrNames returns a list; compare those separately.
	var strCases, nameCases []roundTripCase
	for _, c := range cases {
		if strings.HasPrefix(c.want[0], "[") && len(c.exprs) == 1 {
			nameCases = append(nameCases, c)
		} else {
			strCases = append(strCases, c)
		}
	}
	evalCases(t, strCases)
	evalNames(t, nameCases)
}

func evalNames(t *testing.T, cases []roundTripCase) {
	var items []Expr
	for _, c := range cases {
		items = append(items, c.exprs[0])
	}
	src, err := FormatExpr(List(items...))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	if err := json.Unmarshal(nixtest.EvalJSON(t, src), &got); err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		want := []string{strings.TrimSuffix(strings.TrimPrefix(c.want[0], "["), "]")}
		if diff := cmp.Diff(want, got[i]); diff != "" {
			name, _ := AttrName(want[0])
			t.Errorf("attribute name %q printed as %s: (-want +got)\n%s", want[0], name, diff)
		}
	}
}

func TestUnrepresentableStrings(t *testing.T) {
	for _, s := range []string{"a\x00b", "\xff", "a\xc3", "\xed\xa0\x80"} {
		for _, e := range []Expr{Str(s), IndentedStr(s), Interp(Text(s)), IndentedInterp(Text(s))} {
			_, err := Format(File{Body: Attrs(Bind([]string{"services", "foo"}, e))})
			var perr *Error
			if !errors.As(err, &perr) || perr.Path != "services.foo" {
				t.Errorf("%q: got %v, want an error at services.foo", s, err)
				continue
			}
			if !errors.Is(err, errNUL) && !errors.Is(err, errBadUTF8) {
				t.Errorf("%q: unexpected error %v", s, err)
			}
		}
		if _, err := QuoteString(s); err == nil {
			t.Errorf("QuoteString(%q) succeeded", s)
		}
		if _, err := AttrName(s); err == nil {
			t.Errorf("AttrName(%q) succeeded", s)
		}
		if _, err := FormatExpr(Attrs(Bind([]string{s}, Null()))); err == nil {
			t.Errorf("attribute name %q accepted", s)
		}
	}
	_, err := FormatExpr(List(Str("\x00"), Str("ok"), Str("\xff")))
	if err == nil || !strings.Contains(err.Error(), "[0]: string contains NUL byte") || !strings.Contains(err.Error(), "[2]: string is not valid UTF-8") {
		t.Errorf("want both problems reported with their paths, got %v", err)
	}
}
