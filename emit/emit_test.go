package emit_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/golden/fleets"
)

func compile(t testing.TB, f *dsl.Fleet) *compiler.Model {
	t.Helper()
	m, ds := compiler.Compile(f, compiler.Today(fleets.Today))
	if ds.HasErrors() {
		t.Fatalf("does not compile:\n%v", ds.Err())
	}
	return m
}

func emitOK(t testing.TB, m *compiler.Model) filetree.Tree {
	t.Helper()
	tree, err := emit.Emit(m, emit.Today(fleets.Today))
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// The same fleet, built afresh and emitted with different parallelism, gives the same bytes.
func TestDeterministic(t *testing.T) {
	for _, fl := range fleets.All {
		t.Run(fl.Name, func(t *testing.T) {
			prev := runtime.GOMAXPROCS(1)
			a := emitOK(t, compile(t, fl.Build()))
			runtime.GOMAXPROCS(8)
			b := emitOK(t, compile(t, fl.Build()))
			runtime.GOMAXPROCS(prev)
			for i := 0; i < 5; i++ {
				if d := cmp.Diff(a, emitOK(t, compile(t, fl.Build()))); d != "" {
					t.Fatalf("run %d differs:\n%s", i, d)
				}
			}
			if d := cmp.Diff(a, b); d != "" {
				t.Fatalf("GOMAXPROCS 1 vs 8 differ:\n%s", d)
			}
		})
	}
}

// Every file carries the DO-NOT-EDIT header, no file uses specialArgs, and every module
// lives where import-tree finds it.
func TestFileConventions(t *testing.T) {
	for _, fl := range fleets.All {
		tree := emitOK(t, compile(t, fl.Build()))
		for _, p := range tree.Paths() {
			b := tree[p]
			switch {
			case strings.HasSuffix(p, ".nix"):
				if !bytes.HasPrefix(b, []byte("# "+emit.Header+"\n")) {
					t.Errorf("%s: no header", p)
				}
				if p != "flake.nix" && (!strings.HasPrefix(p, emit.ModulesDir+"/") || strings.Contains(p, "/_")) {
					t.Errorf("%s: not a module import-tree imports", p)
				}
			case p == "FLEET.md" || p == "fleet.svg":
				if !bytes.HasPrefix(b, []byte("<!-- "+emit.Header+" -->")) {
					t.Errorf("%s: no header", p)
				}
			case p == ".sops.yaml":
				if !bytes.HasPrefix(b, []byte("# "+emit.Header+"\n")) {
					t.Errorf("%s: no header", p)
				}
			case strings.HasPrefix(p, ".github/workflows/") && strings.HasSuffix(p, ".yaml"):
				if !bytes.HasPrefix(b, []byte("# "+emit.Header+"\n")) {
					t.Errorf("%s: no header", p)
				}
			case p == ".envrc":
				if !bytes.HasPrefix(b, []byte("# "+emit.Header+"\n")) {
					t.Errorf("%s: no header", p)
				}
			default:
				t.Errorf("%s: unexpected file", p)
			}
			if bytes.Contains(b, []byte("specialArgs")) {
				t.Errorf("%s: uses specialArgs", p)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		fleet  func() *dsl.Fleet
		want   []string
	}{{
		name:   "setting-twice",
		reason: "Nix rejects an attribute path bound twice in one set",
		fleet: func() *dsl.Fleet {
			f := dsl.New("e")
			ft := f.Feature("x", "", dsl.NixOSPart(dsl.Set("a.b", true), dsl.Set("a", dsl.Attrs(dsl.Field("b", false)))))
			f.NixOS("m", dsl.WithFeatures(ft))
			return f
		},
		want: []string{"features/x.nix nixos part: a.b is set twice"},
	}, {
		name:   "packages-and-setting",
		reason: "a package list and an explicit environment.systemPackages would define it twice",
		fleet: func() *dsl.Fleet {
			f := dsl.New("e")
			ft := f.Feature("x", "", dsl.NixOSPart(dsl.Packages("git"), dsl.Set("environment.systemPackages", []string{"x"})))
			f.NixOS("m", dsl.WithFeatures(ft))
			return f
		},
		want: []string{"environment.systemPackages is set twice"},
	}, {
		name:   "machine-config-clashes-with-generated",
		reason: "the machine module sets networking.hostName itself",
		fleet: func() *dsl.Fleet {
			f := dsl.New("e")
			f.NixOS("m", dsl.NixOSConfig(dsl.Set("networking.hostName", "other")))
			return f
		},
		want: []string{"machines/nixos/m.nix: networking.hostName is set twice"},
	}, {
		name:   "raw-in-inventory",
		reason: "inventory settings must be plain data (clan serialises them)",
		fleet: func() *dsl.Fleet {
			f := dsl.New("e")
			m := f.NixOS("m")
			f.Service("hello-world", "hi", dsl.WithRole("default", dsl.ForMachine(m, dsl.Attrs(dsl.KV{Key: "x", Value: dsl.Raw("1 + 1")}))))
			return f
		},
		want: []string{"instance hi.roles.default.machines.m.settings.x: dsl.RawNix is not plain data"},
	}, {
		name:   "darwin-state-version",
		reason: "nix-darwin's stateVersion is an integer",
		fleet: func() *dsl.Fleet {
			f := dsl.New("e")
			f.Darwin("mac", dsl.StateVersion("25.05"))
			return f
		},
		want: []string{`darwin state version "25.05" is not an integer`},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.reason == "" {
				t.Fatal("missing reason")
			}
			// These fleets may be accepted by the compiler; the emitter must catch them.
			m, _ := compiler.Compile(tt.fleet(), compiler.Today(fleets.Today))
			tree, err := emit.Emit(m)
			if err == nil {
				t.Fatalf("no error; tree has %d files", len(tree))
			}
			if tree != nil {
				t.Errorf("a tree was returned with the error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}
