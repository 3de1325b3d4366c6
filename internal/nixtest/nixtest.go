// Package nixtest runs the real Nix evaluator from tests, and finds the other real tools
// the tests check the project against ([Tool]: sops, age, cue, rsvg-convert).
//
// Tests that need nix-instantiate call [Require] (or a helper that calls
// it). When nix-instantiate is not on PATH the test is skipped, unless the
// environment sets FLEET_REQUIRE_NIX=1, in which case it fails: CI sets it
// so that a missing Nix can never turn the oracle tests into silent skips.
//
// Every command runs with --store dummy:// and a private temporary HOME, so
// it needs neither a Nix daemon nor a writable /nix and works as any user.
// Consequently expressions must not need the store (no path values in
// --eval --strict output, no derivations).
package nixtest

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

// RequireEnv is the environment variable that turns skips into failures.
const RequireEnv = "FLEET_REQUIRE_NIX"

// Require returns the path of nix-instantiate, skipping the test when it is
// missing, or failing it when FLEET_REQUIRE_NIX=1.
func Require(t testing.TB) string {
	t.Helper()
	return Tool(t, "nix-instantiate")
}

// Tool returns the path of the command name, skipping the test when it is not on PATH, or
// failing it when FLEET_REQUIRE_NIX=1 (CI installs every tool the tests use; see .ci/run).
func Tool(t testing.TB, name string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv(RequireEnv) == "1" {
			t.Fatalf("%s=1 but %s is not available (.ci/run installs it): %v", RequireEnv, name, err)
		} else {
			t.Skipf("%s not on PATH (set %s=1 to make this a failure): %v", name, RequireEnv, err)
		}
	}
	return path
}

// Lookup returns the path of nix-instantiate, or an error when it is not on
// PATH.
func Lookup() (string, error) { return exec.LookPath("nix-instantiate") }

var (
	homeOnce sync.Once
	homeDir  string
	homeErr  error
)

// command builds a nix-instantiate command with a private HOME and the
// dummy store.
func command(nix string, args ...string) (*exec.Cmd, error) {
	homeOnce.Do(func() { homeDir, homeErr = os.MkdirTemp("", "nixtest-home-") })
	if homeErr != nil {
		return nil, homeErr
	}
	cmd := exec.Command(nix, append([]string{"--store", "dummy://"}, args...)...)
	cmd.Env = append(os.Environ(),
		"HOME="+homeDir,
		"XDG_CACHE_HOME="+filepath.Join(homeDir, "cache"),
		"NIX_STATE_DIR="+filepath.Join(homeDir, "state"),
		"NIX_PATH=",
	)
	return cmd, nil
}

func run(nix string, args ...string) ([]byte, error) {
	cmd, err := command(nix, args...)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s %s: %v\n%s", filepath.Base(nix), strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return stdout.Bytes(), nil
}

// writeTemp writes src to a fresh file name.nix in a temporary directory.
func writeTemp(src []byte) (string, func(), error) {
	dir, err := os.MkdirTemp("", "nixtest-")
	if err != nil {
		return "", nil, err
	}
	file := filepath.Join(dir, "expr.nix")
	if err := os.WriteFile(file, src, 0o644); err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	return file, func() { os.RemoveAll(dir) }, nil
}

// ParseErr parses src with nix-instantiate --parse and returns the
// parser's message when it is rejected. nix is the path from [Require] or
// [Lookup].
func ParseErr(nix string, src []byte) error {
	file, cleanup, err := writeTemp(src)
	if err != nil {
		return err
	}
	defer cleanup()
	_, err = run(nix, "--parse", file)
	return err
}

// Parse fails the test with the parser's message when Nix does not parse
// src.
func Parse(t testing.TB, src []byte) {
	t.Helper()
	nix := Require(t)
	if err := ParseErr(nix, src); err != nil {
		t.Fatalf("Nix does not parse the source: %v\n--- source ---\n%s", err, src)
	}
}

// Eval evaluates src with nix-instantiate --eval --strict --json and
// returns the JSON. nix is the path from [Require] or [Lookup].
func Eval(nix string, src []byte) ([]byte, error) {
	file, cleanup, err := writeTemp(src)
	if err != nil {
		return nil, err
	}
	defer cleanup()
	return run(nix, "--eval", "--strict", "--json", file)
}

// EvalJSON evaluates src with nix-instantiate --eval --strict --json and
// returns the JSON, failing the test on any error.
func EvalJSON(t testing.TB, src []byte) []byte {
	t.Helper()
	nix := Require(t)
	out, err := Eval(nix, src)
	if err != nil {
		t.Fatalf("evaluating: %v", err)
	}
	return out
}

// ParseFiles parses every .nix file under dir. All files go to one
// nix-instantiate --parse process; only if that fails (it stops at the
// first bad file) is each file parsed on its own, to report every failure.
// It fails the test when there is no .nix file at all.
func ParseFiles(t testing.TB, dir string) {
	t.Helper()
	nix := Require(t)
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(path, ".nix") {
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			files = append(files, abs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no .nix files under %s", dir)
	}
	sort.Strings(files)
	if _, err := run(nix, append([]string{"--parse"}, files...)...); err == nil {
		return
	}
	var errs []error
	for _, f := range files {
		if _, err := run(nix, "--parse", f); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 {
		t.Fatalf("nix-instantiate --parse failed on all of %s together but on no file alone", dir)
	}
	t.Errorf("Nix does not parse %d file(s):\n%v", len(errs), errors.Join(errs...))
}
