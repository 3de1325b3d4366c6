package compiler_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// diagTest is one fleet and the exact diagnostics it must produce. A want string starts
// with @label (optionally @label+N for N lines below), which stands for file:line of the
// line marked "// @label" in this package's test files; then :col: and the rest of the
// rendered diagnostic.
type diagTest struct {
	name   string
	reason string // why the fleet is wrong; must not be empty
	build  func() *dsl.Fleet
	want   []string
}

// today is the day tests measure hotfix ages against.
var today = time.Date(2025, time.November, 27, 0, 0, 0, 0, time.UTC)

// Options every test machine gets, so the fleets have no incidental warnings.
var (
	sv = dsl.StateVersion("25.05")
	dv = dsl.StateVersion("6")
)

// sshKey is a valid OpenSSH public key.
const sshKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBR+FiCyIRm3mSb4thg7oXSfz7qJjy+imLGuKvnY/qb/ alice@laptop"

// fleet starts a valid empty fleet: a name, a domain and the unstable channel.
func fleet() *dsl.Fleet {
	f := dsl.New("t", dsl.Domain("t.lan"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	return f
}

// server declares a valid always-on NixOS machine.
func server(f *dsl.Fleet, name string, opts ...dsl.NixOSOption) *dsl.Machine {
	return f.NixOS(name, append([]dsl.NixOSOption{dsl.AlwaysOn(), sv}, opts...)...)
}

// laptop declares a valid darwin machine.
func laptop(f *dsl.Fleet, name string, opts ...dsl.DarwinOption) *dsl.Machine {
	return f.Darwin(name, append([]dsl.DarwinOption{dv}, opts...)...)
}

var (
	labelsOnce sync.Once
	labels     map[string]string // label -> file:line
	labelsErr  error
)

var labelRE = regexp.MustCompile(`(?:^|\s)// @([A-Za-z0-9_-]+)\s*$`)

// loadLabels indexes the "// @label" markers of this package's test files.
func loadLabels() (map[string]string, error) {
	labelsOnce.Do(func() {
		labels = map[string]string{}
		files, err := filepath.Glob("*_test.go")
		if err != nil {
			labelsErr = err
			return
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				labelsErr = err
				return
			}
			for i, line := range strings.Split(string(data), "\n") {
				for _, m := range labelRE.FindAllStringSubmatch(line, -1) {
					if prev, dup := labels[m[1]]; dup {
						labelsErr = &labelError{m[1], prev}
						return
					}
					labels[m[1]] = file + ":" + strconv.Itoa(i+1)
				}
			}
		}
	})
	return labels, labelsErr
}

type labelError struct{ label, first string }

func (e *labelError) Error() string {
	return "label @" + e.label + " is used twice (first at " + e.first + ")"
}

var wantRE = regexp.MustCompile(`^@([A-Za-z0-9_-]+)(\+(\d+))?:`)

// expand replaces the leading @label[+N] of a want string by file:line.
func expand(t *testing.T, want string) string {
	t.Helper()
	ls, err := loadLabels()
	if err != nil {
		t.Fatal(err)
	}
	m := wantRE.FindStringSubmatch(want)
	if m == nil {
		return want
	}
	at, ok := ls[m[1]]
	if !ok {
		t.Fatalf("want %q: no line is marked // @%s", want, m[1])
	}
	if m[3] != "" {
		file, line, _ := strings.Cut(at, ":")
		n, _ := strconv.Atoi(line)
		k, _ := strconv.Atoi(m[3])
		at = file + ":" + strconv.Itoa(n+k)
	}
	return at + ":" + want[len(m[0]):]
}

// compile compiles f and renders its diagnostics relative to the package directory.
func compile(t *testing.T, f *dsl.Fleet) (*compiler.Model, []string) {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	m, ds := compiler.Compile(f, compiler.Today(today))
	var out []string
	for _, d := range ds.Relative(wd) {
		out = append(out, d.String())
	}
	return m, out
}

func TestDiagnostics(t *testing.T) {
	groups := []struct {
		name  string
		tests []diagTest
	}{
		{"names", nameTests()},
		{"machines", machineTests()},
		{"features", featureTests()},
		{"items", itemTests()},
		{"services", serviceTests()},
		{"channels", channelTests()},
		{"generators", generatorTests()},
		{"users", userTests()},
		{"caches", cacheTests()},
		{"phases", phaseTests()},
		{"references", referenceTests()},
	}
	total := 0
	seen := map[string]bool{}
	for _, g := range groups {
		for _, tc := range g.tests {
			total++
			t.Run(g.name+"/"+tc.name, func(t *testing.T) {
				if tc.reason == "" {
					t.Fatal("the test has no reason")
				}
				if seen[g.name+"/"+tc.name] {
					t.Fatal("two tests have this name")
				}
				seen[g.name+"/"+tc.name] = true
				if len(tc.want) == 0 {
					t.Fatal("an invalid fleet must produce diagnostics")
				}
				var want []string
				for _, w := range tc.want {
					want = append(want, expand(t, w))
				}
				_, got := compile(t, tc.build())
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s\ndiagnostics (-want +got):\n%s", tc.reason, diff)
				}
			})
		}
	}
	if total < 40 {
		t.Errorf("only %d invalid fleets; the table should hold at least 40", total)
	}
}
