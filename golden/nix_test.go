package golden_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/golden/fleets"
	"github.com/nixfleet/fleet/internal/nixtest"
)

// writeTree writes the tree under a fresh temporary directory and returns it.
func writeTree(t *testing.T, tree filetree.Tree) string {
	t.Helper()
	dir := t.TempDir()
	for _, p := range tree.Paths() {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, tree[p], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestNixParses parses every emitted .nix file of every golden fleet with the real Nix
// parser (nix-instantiate --parse).
func TestNixParses(t *testing.T) {
	nixtest.Require(t)
	for _, fl := range fleets.All {
		t.Run(fl.Name, func(t *testing.T) {
			_, tree := build(t, fl)
			nixtest.ParseFiles(t, writeTree(t, tree))
		})
	}
}

// TestInventoryEvaluates evaluates the pure-data inventory files with nix-instantiate
// --eval --strict --json and compares them with what the model says.
func TestInventoryEvaluates(t *testing.T) {
	nix := nixtest.Require(t)
	for _, fl := range fleets.All {
		t.Run(fl.Name, func(t *testing.T) {
			m, tree := build(t, fl)
			got := evalFile(t, nix, tree, "generated/modules/clan/inventory/machines.nix")
			want := map[string]any{"clan": map[string]any{"inventory": map[string]any{"machines": wantMachines(m)}}}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("inventory machines (-model +nix):\n%s", d)
			}
			for _, inst := range m.Instances {
				path := "generated/modules/clan/inventory/instances/" + inst.Name + ".nix"
				got := evalFile(t, nix, tree, path)
				want := map[string]any{"clan": map[string]any{"inventory": map[string]any{"instances": map[string]any{inst.Name: wantInstance(inst)}}}}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("%s (-model +nix):\n%s", path, d)
				}
			}
			// Every instance file belongs to an instance of the model.
			for _, p := range tree.Paths() {
				if dir, name := filepath.Split(p); dir == "generated/modules/clan/inventory/instances/" &&
					!slices.ContainsFunc(m.Instances, func(i *compiler.Instance) bool { return i.Name+".nix" == name }) {
					t.Errorf("%s: no such instance in the model", p)
				}
			}
		})
	}
}

func evalFile(t *testing.T, nix string, tree filetree.Tree, path string) any {
	t.Helper()
	src, ok := tree[path]
	if !ok {
		t.Fatalf("%s: not emitted", path)
	}
	out, err := nixtest.Eval(nix, src)
	if err != nil {
		t.Fatalf("%s does not evaluate as pure data: %v", path, err)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return v
}

func wantMachines(m *compiler.Model) map[string]any {
	out := map[string]any{}
	for _, mc := range m.Machines {
		tags := []any{}
		for _, tg := range mc.Tags { // the model's tags include the ones clan computes
			if tg != "all" && tg != "nixos" && tg != "darwin" {
				tags = append(tags, tg)
			}
		}
		e := map[string]any{"machineClass": string(mc.Class), "tags": tags}
		if mc.Description != "" {
			e["description"] = mc.Description
		}
		if mc.DeployTarget != "" {
			e["deploy"] = map[string]any{"targetHost": mc.DeployTarget}
		}
		out[mc.Name] = e
	}
	return out
}

func wantInstance(inst *compiler.Instance) map[string]any {
	input := inst.Input
	if input == "" {
		input = "clan-core"
	}
	roles := map[string]any{}
	for _, r := range inst.Roles {
		role := map[string]any{}
		if len(r.Machines) > 0 {
			ms := map[string]any{}
			for _, rm := range r.Machines {
				e := map[string]any{}
				if !rm.Settings.IsNull() {
					e["settings"] = jsonValue(rm.Settings)
				}
				ms[rm.Machine.Name] = e
			}
			role["machines"] = ms
		}
		if len(r.Tags) > 0 {
			ts := map[string]any{}
			for _, tg := range r.Tags {
				ts[tg] = map[string]any{}
			}
			role["tags"] = ts
		}
		if !r.Settings.IsNull() {
			role["settings"] = jsonValue(r.Settings)
		}
		roles[r.Name] = role
	}
	return map[string]any{
		"module": map[string]any{"name": inst.Service, "input": input},
		"roles":  roles,
	}
}

// jsonValue is a plain-data value as encoding/json decodes it.
func jsonValue(v dsl.Value) any {
	switch x := v.Underlying().(type) {
	case int64:
		return float64(x)
	case []dsl.Value:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case *dsl.Object:
		out := map[string]any{}
		for _, k := range x.Keys {
			out[k] = jsonValue(x.Values[k])
		}
		return out
	}
	return v.Underlying()
}
