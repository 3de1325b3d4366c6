package compiler_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestNoCompile checks the guarantees the DSL makes through Go's types: each fleet in
// testdata/nocompile/*.go.txt must fail to build with the message its first line names
// ("// want: text"); valid.go.txt, whose want is empty, must build. Each file is built as
// package main in testdata/nocompile through a go build overlay, so the source tree is never
// written to and `go build ./...` never sees the files.
func TestNoCompile(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command on PATH")
	}
	if testing.Short() {
		t.Skip("builds one program per case")
	}
	files, err := filepath.Glob("testdata/nocompile/*.go.txt")
	if err != nil || len(files) < 6 {
		t.Fatalf("want at least 6 cases, found %d (%v)", len(files), err)
	}
	dir, err := filepath.Abs("testdata/nocompile")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".go.txt")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			first, _, _ := strings.Cut(string(src), "\n")
			want, ok := strings.CutPrefix(first, "// want:")
			if !ok {
				t.Fatalf("%s: first line must be // want: <compiler message>", file)
			}
			want = strings.TrimSpace(want)
			tmp := t.TempDir()
			main := filepath.Join(tmp, "main.go")
			if err := os.WriteFile(main, src, 0o644); err != nil {
				t.Fatal(err)
			}
			overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(dir, "main.go"): main}})
			ov := filepath.Join(tmp, "overlay.json")
			if err := os.WriteFile(ov, overlay, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(goCmd, "build", "-overlay="+ov, "-o", os.DevNull, ".")
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			switch {
			case want == "" && err != nil:
				t.Fatalf("the valid fleet does not build: %v\n%s", err, out)
			case want == "":
			case err == nil:
				t.Fatalf("built, but must fail with %q", want)
			case !strings.Contains(string(out), want):
				t.Fatalf("the compiler's message does not contain %q:\n%s", want, out)
			}
		})
	}
}
