package cuefleet_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixfleet/fleet/cuefleet"
)

var update = flag.Bool("update", false, "rewrite the .want files of testdata/invalid")

// Each testdata/invalid/NAME.cue breaks the fleet of testdata/valid/small.cue in one way,
// said on its first line; NAME.want holds every diagnostic Load must report, exactly.
func TestInvalidFleets(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.cue")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 12 {
		t.Fatalf("only %d invalid fleets", len(files))
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".cue")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(src), "// ") {
				t.Fatalf("%s: the first line must say what is wrong", file)
			}
			f, ds := cuefleet.Load(file)
			if f != nil {
				t.Errorf("Load returned a fleet despite errors")
			}
			var got strings.Builder
			for _, d := range ds {
				got.WriteString(d.String() + "\n")
			}
			wantFile := strings.TrimSuffix(file, ".cue") + ".want"
			if *update {
				if err := os.WriteFile(wantFile, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(wantFile)
			if err != nil {
				t.Fatal(err)
			}
			if got.String() == "" {
				t.Fatal("no diagnostics")
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestValidSmallFleet(t *testing.T) {
	f, ds := cuefleet.Load("testdata/valid/small.cue")
	for _, d := range ds {
		t.Error(d)
	}
	if f == nil || len(f.Machines) != 2 {
		t.Fatalf("fleet = %+v", f)
	}
}
