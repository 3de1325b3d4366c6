package options_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// build copies a test fleet into a temporary package inside the module and runs go vet on
// it (type-checking like go build), returning the go command's output.
func build(t *testing.T, file string) (string, error) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(".", "zz-tmp-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.WriteFile(filepath.Join(dir, "x.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "vet", "./"+filepath.Base(dir))
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestMustNotCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	cases := map[string]string{
		// An option typo: no such field.
		"typo.go.txt": `darwin.System.Defaults.Dock.Autohid undefined \(type darwin.oSystemDefaultsDock has no field or method Autohid\)`,
		// A string for a bool.
		"string-for-bool.go.txt": `cannot use "yes" \(untyped string constant\) as bool value in argument to nixos.Services.Openssh.Enable.Set`,
		// An enum value not in the enum: enums are not strings.
		"enum.go.txt": `cannot use "uninstal" \(untyped string constant\) as darwin.HomebrewOnActivationCleanup value in argument to darwin.Homebrew.OnActivation.Cleanup.Set`,
		// A darwin option in a NixOS part.
		"darwin-on-nixos.go.txt": `cannot use darwin.Homebrew.Enable.Set\(true\) \(value of struct type dsl.DarwinSetting\) as dsl.NixOSItem value in argument to dsl.NixOSPart: dsl.DarwinSetting does not implement dsl.NixOSItem \(dsl.DarwinSetting.nixosItem is a field, not a method\)`,
	}
	for file, want := range cases {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			out, err := build(t, filepath.Join("testdata", "mustfail", file))
			if err == nil {
				t.Fatalf("compiled:\n%s", out)
			}
			if !regexp.MustCompile(want).MatchString(out) {
				t.Fatalf("go vet said:\n%s\nwant a match for %s", out, want)
			}
		})
	}
}

func TestMustCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	out, err := build(t, filepath.Join("testdata", "mustcompile", "ok.go.txt"))
	if err != nil || strings.TrimSpace(out) != "" {
		t.Fatalf("go vet: %v\n%s", err, out)
	}
}
