package nix

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/internal/nixtest"
)

type failWriter struct{ n int }

var errWrite = errors.New("disk full")

func (w *failWriter) Write(p []byte) (int, error) {
	if len(p) > w.n {
		return w.n, errWrite
	}
	w.n -= len(p)
	return len(p), nil
}

func TestWriteToError(t *testing.T) {
	f := corpus["flake"]
	want, err := Format(f)
	if err != nil {
		t.Fatal(err)
	}
	n, err := f.WriteTo(&failWriter{n: 10})
	if !errors.Is(err, errWrite) || n != 10 {
		t.Fatalf("WriteTo = %d, %v; want 10, %v", n, err, errWrite)
	}
	var buf bytes.Buffer
	n, err = f.WriteTo(&buf)
	if err != nil || n != int64(len(want)) || !bytes.Equal(buf.Bytes(), want) {
		t.Fatalf("WriteTo = %d, %v", n, err)
	}
	// A writer that reports a short write without an error.
	if _, err := f.WriteTo(shortWriter{}); !errors.Is(err, io.ErrShortWrite) {
		t.Fatalf("short write: got %v", err)
	}
	// Nothing is written for a tree with errors.
	buf.Reset()
	if _, err := (File{Body: Id("if")}).WriteTo(&buf); err == nil || buf.Len() != 0 {
		t.Fatalf("invalid tree: err %v, wrote %q", err, buf.String())
	}
}

type shortWriter struct{}

func (shortWriter) Write(p []byte) (int, error) { return len(p) / 2, nil }

func TestPrintErrors(t *testing.T) {
	tests := []struct {
		name string
		e    Expr
		want string
	}{
		{"keyword id", Id("or"), `(top): "or" is a keyword`},
		{"bad id", Id("a b"), `(top): "a b" is not an identifier`},
		{"empty id", Id(""), `is not an identifier`},
		{"absolute path", Path("/etc/nixos"), `does not start with ./ or ../`},
		{"bare path", Path("modules"), `does not start with ./ or ../`},
		{"trailing slash", Path("./a/"), `trailing slash`},
		{"space in path", Path("./a b"), `contains ' '`},
		{"dot only", Path("./"), `empty segment`},
		{"NaN", Float(math.NaN()), `float NaN has no Nix literal`},
		{"Inf", Float(math.Inf(-1)), `float -Inf has no Nix literal`},
		{"negative zero", Float(math.Copysign(0, -1)), `float -0 has no Nix literal`},
		{"subnormal", Float(5e-324), `subnormal`},
		{"select no keys", Select(Id("a")), `selection without attribute names`},
		{"empty bind", Attrs(Bind(nil, Int(1))), `binding without attribute name`},
		{"comment newline", Attrs(Comment(Inherit("a"), "x\ny")), `comment line contains a line break`},
		{"comment item outside list", CommentItem(Int(1), "x"), `CommentItem outside a list`},
		{"empty raw", Raw(" "), `empty Raw expression`},
		{"nil", List(nil), `[0]: nil expression`},
		{"formal default", Lambda(Formals().Default("a", Id("in")), Null()), `?a: "in" is a keyword`},
		{"lambda arg", Lambda(Arg("let"), Null()), `"let" is a keyword`},
		{"nested path", Attrs(Bind([]string{"a", "b c"}, List(Int(1), Attrs(Bind([]string{"d"}, Path("x")))))), `a."b c"`},
	}
	for _, tt := range tests {
		_, err := FormatExpr(tt.e)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: got %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
	_, err := FormatExpr(Attrs(Bind([]string{"a"}, Id("if")), Bind([]string{"b"}, Path("/x"))))
	if err == nil || strings.Count(err.Error(), "\n") != 1 {
		t.Errorf("want two errors, got %v", err)
	}
}

func TestFloatsRoundTrip(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.1, 1.0 / 3, 1e21, 1e-7, 123456789012345680, math.MaxFloat64, 0x1p-1022, -2.5e-300, 100, 1e100} {
		s, err := formatFloat(f)
		if err != nil {
			t.Fatal(err)
		}
		// Nix reads float literals with strtod, which rounds correctly as
		// ParseFloat does; it requires a dot.
		if !strings.Contains(strings.TrimPrefix(s, "-"), ".") {
			t.Errorf("%v printed as %s, which has no dot", f, s)
		}
		back, err := strconv.ParseFloat(s, 64)
		if err != nil || back != f {
			t.Errorf("%v printed as %s, read back as %v (%v)", f, s, back, err)
		}
	}
}

func TestIdentifiers(t *testing.T) {
	for s, want := range map[string]string{
		"a": "a", "a-b": "a-b", "a'": "a'", "_x": "_x", "__curPos": "__curPos", "A9": "A9",
		"": `""`, "or": `"or"`, "inherit": `"inherit"`, "1a": `"1a"`, "-a": `"-a"`, "'a": `"'a"`,
		"a.b": `"a.b"`, "a b": `"a b"`, "${x}": `"\${x}"`, "é": `"é"`, "true": "true",
	} {
		got, err := AttrName(s)
		if err != nil || got != want {
			t.Errorf("AttrName(%q) = %s, %v; want %s", s, got, err, want)
		}
	}
}

// TestParenthesisation prints operands that need parentheses and checks
// that Nix parses the result and evaluates it to the expected value.
func TestParenthesisation(t *testing.T) {
	add1 := Lambda(Arg("x"), Apply(Select(Id("builtins"), "add"), Id("x"), Int(1)))
	e := List(
		Apply(add1, Int(-3)),
		List(Int(-1), Float(-0.5), Int(math.MinInt64)),
		Apply(Select(Id("builtins"), "length"), Concat(List(Int(1)), Concat(List(Int(2)), List(Int(3))))),
		Select(Update(Attrs(Bind([]string{"a"}, Int(1))), Attrs(Bind([]string{"a"}, Int(2)))), "a"),
		Not(Eq(Int(1), Int(2))),
		Eq(Not(Bool(true)), Bool(false)),
		Or(And(Bool(true), Bool(false)), Bool(true)),
		And(Or(Bool(false), Bool(true)), Bool(true)),
		If(If(Bool(true), Bool(false), Bool(true)), Int(1), Int(2)),
		Apply(Let([]Binding{Bind([]string{"f"}, add1)}, Id("f")), Int(1)),
		SelectOr(Attrs(), Apply(add1, Int(1)), "missing"),
		Select(SelectOr(Attrs(), Attrs(Bind([]string{"b"}, Int(7))), "a"), "b"),
		Apply(Raw("builtins.add"), Int(1), Raw("2 + 3")),
		Update(Update(Attrs(Bind([]string{"a"}, Int(1))), Attrs(Bind([]string{"b"}, Int(2)))), Attrs(Bind([]string{"a"}, Int(3)))),
	)
	src, err := FormatExpr(e)
	if err != nil {
		t.Fatal(err)
	}
	got := string(nixtest.EvalJSON(t, src))
	want := `[-2,[-1,-0.5,-9223372036854775808],3,2,true,true,true,true,2,2,2,7,6,{"a":3,"b":2}]`
	if got != want {
		t.Errorf("got %s\nwant %s\nfrom\n%s", got, want, src)
	}
}
