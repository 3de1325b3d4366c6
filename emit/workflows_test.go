package emit_test

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/golden/fleets"
)

// workflow is the part of a GitHub Actions workflow the tests read.
type workflow struct {
	Name string         `yaml:"name"`
	On   map[string]any `yaml:"on"`
	Jobs map[string]struct {
		Needs  []string `yaml:"needs"`
		RunsOn string   `yaml:"runs-on"`
		Steps  []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// workflowFleets are the golden fleets plus one with an aarch64-linux machine and no Cachix
// cache, so every runner mapping and both cache cases are exercised.
func workflowFleets() []fleets.Fleet {
	return append(slices.Clone(fleets.All), fleets.Fleet{Name: "arm", Build: func() *dsl.Fleet {
		f := dsl.New("arm")
		f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
		f.NixOS("pi", dsl.OnSystem(dsl.AArch64Linux), dsl.StateVersion("25.11"))
		f.NixOS("box", dsl.StateVersion("25.11"))
		f.Darwin("mac", dsl.StateVersion("6"))
		return f
	}})
}

func parseWorkflows(t *testing.T, tree filetree.Tree) map[string]workflow {
	t.Helper()
	out := map[string]workflow{}
	for _, p := range tree.Paths() {
		if !strings.HasPrefix(p, ".github/workflows/") {
			continue
		}
		b := tree[p]
		if !filetree.IsGenerated(b) || !bytes.HasPrefix(b, []byte("# "+emit.Header+"\n")) {
			t.Errorf("%s: no generated header", p)
		}
		var w workflow
		dec := yaml.NewDecoder(bytes.NewReader(b))
		dec.KnownFields(false)
		if err := dec.Decode(&w); err != nil {
			t.Fatalf("%s: %v\n%s", p, err, b)
		}
		out[p] = w
	}
	return out
}

// The CI workflow has one build job per machine on a runner of the machine's system,
// building its configuration, and a job graph whose needs exist and have no cycle.
func TestWorkflows(t *testing.T) {
	for _, fl := range workflowFleets() {
		t.Run(fl.Name, func(t *testing.T) {
			m := compile(t, fl.Build())
			wfs := parseWorkflows(t, emitOK(t, m))
			if len(wfs) != 2 {
				t.Fatalf("workflows: %v, want ci and update-flake-inputs", keys(wfs))
			}
			for p, w := range wfs {
				checkGraph(t, p, w)
			}
			ci, ok := wfs[emit.CIWorkflow]
			if !ok {
				t.Fatalf("no %s", emit.CIWorkflow)
			}
			wantRunner := map[dsl.System]string{
				dsl.X86_64Linux: "ubuntu-latest", dsl.AArch64Linux: "ubuntu-24.04-arm", dsl.AArch64Darwin: "macos-15",
			}
			builds := map[string]int{} // machine -> jobs building it
			for id, j := range ci.Jobs {
				for _, s := range j.Steps {
					if !strings.HasPrefix(s.Run, "nix build ") {
						continue
					}
					for _, mm := range m.Machines {
						if strings.Contains(s.Run, "'.#"+emit.BuildAttr(mm)+"'") {
							builds[mm.Name]++
							if want := wantRunner[mm.System]; j.RunsOn != want {
								t.Errorf("job %s builds %s (%s) on %q, want %q", id, mm.Name, mm.System, j.RunsOn, want)
							}
							if !slices.Contains(j.Needs, "flake-check") {
								t.Errorf("job %s does not need flake-check: %v", id, j.Needs)
							}
							checkCachix(t, id, m.Fleet.Cachix, j.Steps)
						}
					}
				}
			}
			for _, mm := range m.Machines {
				if builds[mm.Name] != 1 {
					t.Errorf("machine %s is built by %d jobs, want 1", mm.Name, builds[mm.Name])
				}
				want := "nixosConfigurations." + mm.Name + ".config.system.build.toplevel"
				if mm.Class == dsl.Darwin {
					want = "darwinConfigurations." + mm.Name + ".system"
				}
				if got := emit.BuildAttr(mm); got != want {
					t.Errorf("BuildAttr(%s) = %s, want %s", mm.Name, got, want)
				}
			}
			if n := len(ci.Jobs) - len(m.Machines); n != 2 {
				t.Errorf("%d jobs besides the builds, want 2 (fleet-check, flake-check)", n)
			}
			hasRun := func(job, cmd string) {
				for _, s := range ci.Jobs[job].Steps {
					if strings.HasPrefix(s.Run, cmd) {
						return
					}
				}
				t.Errorf("job %s does not run %q", job, cmd)
			}
			hasRun("fleet-check", "go run ./fleet check")
			hasRun("flake-check", "nix flake check")
			if ci.Jobs["flake-check"].RunsOn != "ubuntu-latest" {
				t.Errorf("flake-check runs on %q", ci.Jobs["flake-check"].RunsOn)
			}
			checkCachix(t, "flake-check", m.Fleet.Cachix, ci.Jobs["flake-check"].Steps)

			up := wfs[emit.UpdateWorkflow]
			sched, _ := up.On["schedule"].([]any)
			if len(sched) != 1 {
				t.Fatalf("update workflow schedule: %v", up.On)
			}
			if cron, _ := sched[0].(map[string]any)["cron"].(string); len(strings.Fields(cron)) != 5 || strings.Fields(cron)[4] == "*" {
				t.Errorf("update workflow cron %q: want a weekly schedule", cron)
			}
		})
	}
}

// checkCachix checks that a job pushes to the fleet's cache with the auth token secret, or
// uses no Cachix action when the fleet has no cache.
func checkCachix(t *testing.T, job, cache string, steps []struct {
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
}) {
	t.Helper()
	n := 0
	for _, s := range steps {
		if !strings.HasPrefix(s.Uses, "cachix/cachix-action@") {
			continue
		}
		n++
		if s.With["name"] != cache || s.With["authToken"] != "${{ secrets.CACHIX_AUTH_TOKEN }}" {
			t.Errorf("job %s: cachix step with %v, want name %q and the CACHIX_AUTH_TOKEN secret", job, s.With, cache)
		}
	}
	if want := min(len(cache), 1); n != want {
		t.Errorf("job %s has %d cachix steps, want %d (cache %q)", job, n, want, cache)
	}
	for i, s := range steps {
		if strings.HasPrefix(s.Uses, "cachix/install-nix-action@") {
			return
		} else if s.Run != "" {
			t.Errorf("job %s: step %d runs before Nix is installed", job, i)
		}
	}
	t.Errorf("job %s does not install Nix", job)
}

// checkGraph checks that every need names a job of the workflow and that needs have no
// cycle, and that every action is pinned to a version.
func checkGraph(t *testing.T, path string, w workflow) {
	t.Helper()
	if w.Name == "" || len(w.On) == 0 || len(w.Jobs) == 0 {
		t.Errorf("%s: no name, trigger or jobs", path)
	}
	for id, j := range w.Jobs {
		if j.RunsOn == "" {
			t.Errorf("%s: job %s has no runner", path, id)
		}
		for _, n := range j.Needs {
			if _, ok := w.Jobs[n]; !ok {
				t.Errorf("%s: job %s needs %q, which is no job", path, id, n)
			}
		}
		for _, s := range j.Steps {
			if s.Uses != "" {
				if _, ver, ok := strings.Cut(s.Uses, "@"); !ok || ver == "" || ver == "main" || ver == "master" {
					t.Errorf("%s: job %s uses %s, not pinned to a version", path, id, s.Uses)
				}
			}
		}
	}
	// Kahn's algorithm: every job is eventually ready when there is no cycle.
	done := map[string]bool{}
	for progress := true; progress; {
		progress = false
		for id, j := range w.Jobs {
			if done[id] {
				continue
			}
			ready := true
			for _, n := range j.Needs {
				if _, exists := w.Jobs[n]; exists && !done[n] {
					ready = false
				}
			}
			if ready {
				done[id], progress = true, true
			}
		}
	}
	if len(done) != len(w.Jobs) {
		var stuck []string
		for id := range w.Jobs {
			if !done[id] {
				stuck = append(stuck, id)
			}
		}
		slices.Sort(stuck)
		t.Errorf("%s: needs form a cycle through %v", path, stuck)
	}
}

func TestCachixNameChecked(t *testing.T) {
	f := dsl.New("bad", dsl.CachixCache("Not A Name"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.NixOS("m", dsl.StateVersion("25.11"))
	m, ds := compiler.Compile(f, compiler.Today(fleets.Today))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	_, err := emit.Emit(m, emit.Today(fleets.Today))
	if err == nil || !strings.Contains(err.Error(), `Cachix cache name "Not A Name"`) {
		t.Fatalf("err = %v, want the bad Cachix name reported", err)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
