package cuefleet_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/cuefleet"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/fleet/owner"
)

const ownerCUE = "../fleet/owner/owner.cue"

var today = time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC)

// modelOptions compare two compiled models built by different front-ends: positions differ
// by construction (a Go line versus a CUE line) and are ignored; values compare by content;
// a reference to a machine, feature, generator, ... compares by the name it refers to, since
// each model has its own pointers (and following them would walk the model's cycles, from a
// machine to its roles' instances to their members, without end). Each thing is compared in
// full once, in its own list: see diffModels.
var modelOptions = cmp.Options{
	cmpopts.IgnoreTypes(dsl.Pos{}),
	cmpopts.IgnoreUnexported(dsl.Setting{}, dsl.PackageList{}, dsl.ImportList{}, dsl.GeneratorList{}, dsl.CaskList{}),
	cmpopts.EquateEmpty(),
	cmp.Comparer(sameValue),
	cmp.FilterPath(isReference, cmp.Options{
		cmp.Comparer(byName[compiler.Machine]),
		cmp.Comparer(byName[compiler.Instance]),
		cmp.Comparer(byName[compiler.Generator]),
		cmp.Comparer(byName[dsl.Machine]),
		cmp.Comparer(byName[dsl.Instance]),
		cmp.Comparer(byName[dsl.Feature]),
		cmp.Comparer(byName[dsl.Generator]),
		cmp.Comparer(byName[dsl.User]),
		cmp.Comparer(byName[dsl.Input]),
	}),
}

// isReference reports whether the value at p is a reference rather than the thing itself:
// anything but an element of the list being compared (and the dsl value a compiler type
// embeds).
func isReference(p cmp.Path) bool {
	switch len(p) {
	case 2:
		_, ok := p.Last().(cmp.SliceIndex)
		return !ok
	case 4:
		sf, ok := p.Last().(cmp.StructField)
		return !ok || sf.Type().Kind() != reflect.Pointer || sf.Name() != sf.Type().Elem().Name()
	}
	return true
}

func byName[T compiler.Machine | compiler.Instance | compiler.Generator | dsl.Machine | dsl.Instance |
	dsl.Feature | dsl.Generator | dsl.User | dsl.Input](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return nameOf(a) == nameOf(b)
}

func nameOf(x any) string {
	return reflect.ValueOf(x).Elem().FieldByName("Name").String()
}

// diffModels compares each list of the two models, and of the fleets they were compiled
// from (the declarations, in declaration order), element by element.
func diffModels(a, b *compiler.Model) string {
	var out strings.Builder
	diff := func(name string, x, y any) {
		if d := cmp.Diff(x, y, modelOptions); d != "" {
			fmt.Fprintf(&out, "%s (-go +cue):\n%s\n", name, d)
		}
	}
	diff("Machines", a.Machines, b.Machines)
	diff("Features", a.Features, b.Features)
	diff("Users", a.Users, b.Users)
	diff("Instances", a.Instances, b.Instances)
	diff("Channels", a.Channels, b.Channels)
	diff("Overlays.Hotfixes", a.Overlays.Hotfixes, b.Overlays.Hotfixes)
	diff("Overlays.Patches", a.Overlays.Patches, b.Overlays.Patches)
	diff("Overlays.Overrides", a.Overlays.Overrides, b.Overlays.Overrides)
	diff("Generators", a.Generators, b.Generators)
	diff("Caches", a.Caches, b.Caches)
	diff("Phases", a.Phases, b.Phases)
	diff("Inputs", a.Inputs, b.Inputs)
	diff("Systems", a.Systems, b.Systems)
	fa, fb := a.Fleet, b.Fleet
	diff("Fleet.Name", fa.Name, fb.Name)
	diff("Fleet.Domain", fa.Domain, fb.Domain)
	diff("Fleet.Description", fa.Description, fb.Description)
	diff("Fleet.Machines", fa.Machines, fb.Machines)
	diff("Fleet.Users", fa.Users, fb.Users)
	diff("Fleet.Tags", fa.Tags, fb.Tags)
	diff("Fleet.Features", fa.Features, fb.Features)
	diff("Fleet.Instances", fa.Instances, fb.Instances)
	diff("Fleet.Inputs", fa.Inputs, fb.Inputs)
	diff("Fleet.Channels", fa.Channels, fb.Channels)
	diff("Fleet.Hotfixes", fa.Hotfixes, fb.Hotfixes)
	diff("Fleet.Patches", fa.Patches, fb.Patches)
	diff("Fleet.Overrides", fa.Overrides, fb.Overrides)
	diff("Fleet.Generators", fa.Generators, fb.Generators)
	diff("Fleet.Caches", fa.Caches, fb.Caches)
	diff("Fleet.Phases", fa.Phases, fb.Phases)
	return out.String()
}

// sameValue is value equality that, unlike compiler.Equal, also requires attribute sets
// to list their keys in the same order (the emitted files follow it), and compares
// references across models by name.
func sameValue(a, b dsl.Value) bool {
	switch x := a.Underlying().(type) {
	case []dsl.Value:
		y, ok := b.Underlying().([]dsl.Value)
		return ok && slices.EqualFunc(x, y, sameValue)
	case *dsl.Object:
		y, ok := b.Underlying().(*dsl.Object)
		if !ok || !slices.Equal(x.Keys, y.Keys) {
			return false
		}
		for _, k := range x.Keys {
			if !sameValue(x.Values[k], y.Values[k]) {
				return false
			}
		}
		return true
	case dsl.PkgRef:
		y, ok := b.Underlying().(dsl.PkgRef)
		return ok && x.Set == y.Set && slices.Equal(x.Path, y.Path)
	case dsl.SecretRef:
		y, ok := b.Underlying().(dsl.SecretRef)
		return ok && x.Generator.Name == y.Generator.Name && x.File == y.File && x.Public == y.Public
	case dsl.InputRef:
		y, ok := b.Underlying().(dsl.InputRef)
		return ok && x.Input.Name == y.Input.Name && slices.Equal(x.Path, y.Path)
	case dsl.RawNix:
		y, ok := b.Underlying().(dsl.RawNix)
		return ok && x.Source == y.Source
	}
	return a.Underlying() == b.Underlying()
}

func compileOwner(t *testing.T) (goModel, cueModel *compiler.Model) {
	t.Helper()
	gm, gds := compiler.Compile(owner.Fleet(), compiler.Today(today))
	if gds.HasErrors() {
		t.Fatalf("Go fleet: %v", gds.Err())
	}
	cf, lds := cuefleet.Load(ownerCUE)
	if len(lds) > 0 {
		t.Fatalf("loading %s:\n%v", ownerCUE, lds.Err())
	}
	cm, cds := compiler.Compile(cf, compiler.Today(today))
	if cds.HasErrors() {
		t.Fatalf("CUE fleet: %v", cds.Err())
	}
	for _, d := range cds {
		t.Errorf("CUE fleet: unexpected %v", d)
	}
	return gm, cm
}

// The owner's fleet written in CUE is the owner's fleet written in Go: the compiled models
// are the same, positions aside.
func TestOwnerGoAndCUEAgree(t *testing.T) {
	gm, cm := compileOwner(t)
	if diff := diffModels(gm, cm); diff != "" {
		t.Errorf("models differ:\n%s", diff)
	}
}

// And the files generated from them are byte for byte the same.
func TestOwnerGoAndCUEEmitTheSameTree(t *testing.T) {
	gm, cm := compileOwner(t)
	gt, err := emit.Emit(gm, emit.Today(today))
	if err != nil {
		t.Fatalf("emit Go model: %v", err)
	}
	ct, err := emit.Emit(cm, emit.Today(today))
	if err != nil {
		t.Fatalf("emit CUE model: %v", err)
	}
	if !slices.Equal(gt.Paths(), ct.Paths()) {
		t.Fatalf("paths differ:\n%s", cmp.Diff(gt.Paths(), ct.Paths()))
	}
	for _, p := range gt.Paths() {
		if string(gt[p]) != string(ct[p]) {
			t.Errorf("%s differs (-go +cue):\n%s", p, cmp.Diff(string(gt[p]), string(ct[p])))
		}
	}
}

// Positions come from the CUE file: the field that declares each thing.
func TestOwnerPositions(t *testing.T) {
	f, ds := cuefleet.Load(ownerCUE)
	if len(ds) > 0 {
		t.Fatal(ds.Err())
	}
	var cinnabar *dsl.Machine
	for _, m := range f.Machines {
		if m.Name == "cinnabar" {
			cinnabar = m
		}
	}
	if got, want := cinnabar.Pos.String(), ownerCUE+":"+lineCol(t, "\t\tcinnabar: {"); got != want {
		t.Errorf("cinnabar at %s, want %s", got, want)
	}
	if got, want := f.Pos.String(), ownerCUE+":"+lineCol(t, "fleet: {"); got != want {
		t.Errorf("fleet at %s, want %s", got, want)
	}
}

// A directory loads as one package, and a copy of the schema in it (for cue vet and
// editors) changes nothing.
func TestLoadDirectoryWithSchemaCopy(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(ownerCUE)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.cue"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "schema.cue"), cuefleet.Schema(), 0o644); err != nil {
		t.Fatal(err)
	}
	f, ds := cuefleet.Load(dir)
	if len(ds) > 0 {
		t.Fatal(ds.Err())
	}
	if len(f.Machines) != 5 || f.Machines[0].Pos.File != filepath.Join(dir, "owner.cue") {
		t.Errorf("machines %d, first at %v", len(f.Machines), f.Machines[0].Pos)
	}
}
