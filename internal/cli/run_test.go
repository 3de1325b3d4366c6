package cli

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/filetree"
)

// run runs the command in dir and returns its exit code and output.
func run(t *testing.T, dir string, emit Emitter, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errb, testFleet, emit, Dir(dir), CompileOptions(today))
	return code, out.String(), errb.String()
}

func module(t *testing.T) string {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestExitCodes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		fleet string // $FLEET_TEST
		args  []string
		want  int
	}{
		{"generate", "", nil, 0},
		{"generate by name", "", []string{"generate"}, 0},
		{"check after generate", "", []string{"check"}, 0},
		{"check out of date", "smaller", []string{"check"}, 1},
		{"warnings only", "warn", nil, 0},
		{"fleet errors", "broken", nil, 1},
		{"fleet errors, check", "broken", []string{"check"}, 1},
		{"help", "", []string{"-h"}, 0},
		{"help flag", "", []string{"--help"}, 0},
		{"help command", "", []string{"help", "generate"}, 0},
		{"command help", "", []string{"check", "-h"}, 0},
		{"unknown command", "", []string{"deploy"}, 2},
		{"unknown flag", "", []string{"--frobnicate"}, 2},
		{"unknown command flag", "", []string{"check", "--force"}, 2},
		{"extra argument", "", []string{"generate", "now"}, 2},
		{"help for unknown command", "", []string{"help", "deploy"}, 2},
		{"bad flag value", "", []string{"install-hooks", "--force=maybe"}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := module(t)
			if code, _, stderr := run(t, dir, fakeEmit); code != 0 {
				t.Fatalf("setup: generate exited %d: %s", code, stderr)
			}
			t.Setenv("FLEET_TEST", tc.fleet)
			if code, stdout, stderr := run(t, dir, fakeEmit, tc.args...); code != tc.want {
				t.Errorf("fleet %s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", strings.Join(tc.args, " "), code, tc.want, stdout, stderr)
			}
		})
	}
}

// Diagnostics name files relative to the working directory: run from this package's
// directory, the test fleet's positions are plain "fleet_test.go:line:col".
func TestDiagnosticsRelativeToWorkingDirectory(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	t.Setenv("FLEET_TEST", "broken")
	code, stdout, stderr := run(t, wd, fakeEmit, "--out", out)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d, stdout %q", code, stdout)
	}
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	pos := regexp.MustCompile(`^fleet_test\.go:\d+:\d+: (error|warning): `)
	for _, l := range lines[:len(lines)-1] {
		if !pos.MatchString(l) && !strings.HasPrefix(l, "\tfleet_test.go:") {
			t.Errorf("not a relative, positioned diagnostic: %q", l)
		}
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a fleet with errors wrote %s: %v", out, err)
	}
}

func TestEmitFailureWritesNothing(t *testing.T) {
	dir := module(t)
	failing := func(*compiler.Model) (filetree.Tree, error) { return nil, errors.New("cannot represent 1e400") }
	code, _, stderr := run(t, dir, failing)
	if code != 1 || stderr != "fleet: emit: cannot represent 1e400; nothing written\n" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("files written after an emit failure: %v", entries)
	}
}

func TestNoModuleRoot(t *testing.T) {
	dir := t.TempDir() // no go.mod here or (normally) above
	if _, err := moduleRoot(dir); err == nil {
		t.Skip("a go.mod above the temporary directory")
	}
	code, _, stderr := run(t, dir, fakeEmit)
	if code != 1 || !strings.Contains(stderr, "no go.mod in") || !strings.Contains(stderr, "--out") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestCommandsHaveUsage(t *testing.T) {
	var b bytes.Buffer
	writeUsage(&b)
	for _, c := range commands {
		if c.summary == "" || c.help == "" {
			t.Errorf("command %s has no summary or help", c.name)
		}
		if !strings.Contains(b.String(), "\n  "+c.name+" ") {
			t.Errorf("usage does not list %s:\n%s", c.name, b.String())
		}
	}
}
