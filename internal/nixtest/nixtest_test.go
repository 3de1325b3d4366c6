package nixtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEvalJSON(t *testing.T) {
	got := string(EvalJSON(t, []byte(`[ "a" (1 + 2) { b = true; } ]`)))
	if want := `["a",3,{"b":true}]`; got != want {
		t.Fatalf("got %s, want %s", got, want)
	}
}

func TestParseErr(t *testing.T) {
	nix := Require(t)
	if err := ParseErr(nix, []byte("{ a = 1; }")); err != nil {
		t.Fatalf("valid source rejected: %v", err)
	}
	err := ParseErr(nix, []byte("[ -1 ]"))
	if err == nil || !strings.Contains(err.Error(), "syntax error") {
		t.Fatalf("want a syntax error for [ -1 ], got %v", err)
	}
}

// TestParseFiles checks that ParseFiles reports a bad file among good ones,
// using a sub-test recorder.
func TestParseFiles(t *testing.T) {
	Require(t)
	dir := t.TempDir()
	write := func(name, src string) {
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("a.nix", "{ }")
	write("sub/b.nix", "x: x")
	ParseFiles(t, dir) // must pass

	write("sub/c.nix", "{ a = ; }")
	rec := &recorder{TB: t}
	ParseFiles(rec, dir)
	if !rec.failed || !strings.Contains(rec.msg, "c.nix") {
		t.Fatalf("ParseFiles did not report c.nix: failed=%v msg=%q", rec.failed, rec.msg)
	}
}

type recorder struct {
	testing.TB
	failed bool
	msg    string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failed = true
	r.msg += format
	for _, a := range args {
		if e, ok := a.(error); ok {
			r.msg += e.Error()
		}
	}
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	r.TB.Fatalf(format, args...)
}

type gate struct {
	testing.TB
	skipped, fatal bool
}

func (g *gate) Helper()               {}
func (g *gate) Skipf(string, ...any)  { g.skipped = true }
func (g *gate) Fatalf(string, ...any) { g.fatal = true }

func TestRequireWithoutNix(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	t.Setenv(RequireEnv, "")
	g := &gate{TB: t}
	Require(g)
	if !g.skipped || g.fatal {
		t.Fatalf("without %s: skipped=%v fatal=%v, want a skip", RequireEnv, g.skipped, g.fatal)
	}
	t.Setenv(RequireEnv, "1")
	g = &gate{TB: t}
	Require(g)
	if g.skipped || !g.fatal {
		t.Fatalf("with %s=1: skipped=%v fatal=%v, want a failure", RequireEnv, g.skipped, g.fatal)
	}
}
