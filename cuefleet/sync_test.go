package cuefleet_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"

	"cuelang.org/go/cue"
	"cuelang.org/go/cue/cuecontext"

	"github.com/nixfleet/fleet/cuefleet"
	"github.com/nixfleet/fleet/dsl"
)

// schemaMapping says where each dsl struct lives in the schema. A Go field's CUE name is
// its name in lowerCamel case (initialisms lowered whole: URL -> url, NodeID -> nodeID,
// ESPSize -> espSize) unless renamed says otherwise; Pos fields come from CUE positions
// and have no CUE field.
type schemaMapping struct {
	goType reflect.Type
	// cue are the schema values whose fields together are the type's: a definition, or one
	// unified with values that switch on its conditional fields (per class, per service).
	cue []string
	// renamed maps a Go field to the CUE fields that fill it; an empty list means the field
	// has no CUE field, and the comment in the table says why.
	renamed map[string][]string
	// extra are CUE fields that fill no Go field of their own, with the Go field they set.
	extra map[string]string
}

var mappings = []schemaMapping{
	{goType: reflect.TypeFor[dsl.Fleet](), cue: []string{"#Fleet"}},
	{goType: reflect.TypeFor[dsl.Machine](), cue: []string{`#Fleet.#Machine & {class: "nixos"}`, `#Fleet.#Machine & {class: "darwin"}`}},
	{goType: reflect.TypeFor[dsl.Hosting](), cue: []string{"#Fleet.#Hosting"}},
	{goType: reflect.TypeFor[dsl.Disk](), cue: []string{"#Fleet.#Disk"}},
	{goType: reflect.TypeFor[dsl.Dataset](), cue: []string{"#Fleet.#Dataset"}},
	{goType: reflect.TypeFor[dsl.Volume](), cue: []string{"#Fleet.#Volume"}},
	{goType: reflect.TypeFor[dsl.ZerotierMember](), cue: []string{"#Fleet.#ZerotierMember"}},
	{goType: reflect.TypeFor[dsl.User](), cue: []string{"#Fleet.#User"},
		renamed: map[string][]string{"Full": {"fullName"}}},
	{goType: reflect.TypeFor[dsl.Feature](), cue: []string{"#Fleet.#Feature"},
		renamed: map[string][]string{"NixOS": {"nixos"}, "Home": {"homeManager"}}},
	// A part's class is the field it is under (nixos, darwin, homeManager); its items are
	// one field per kind of item.
	{goType: reflect.TypeFor[dsl.Part](), cue: []string{"#Fleet.#DarwinItems"},
		renamed: map[string][]string{"Class": {}, "Items": {"imports", "settings", "packages", "generators", "casks"}}},
	{goType: reflect.TypeFor[dsl.Instance](), cue: []string{`#Fleet.#Instance & {name: "x", service: "zerotier"}`},
		extra: map[string]string{"darwinViaHomebrew": "DarwinImpl"}},
	// Per-machine settings are the settings of the role's machine entries
	// (roles.<role>.machines.<machine>.settings).
	// A role's name is its key in roles.
	{goType: reflect.TypeFor[dsl.Role](), cue: []string{"#Fleet.#Role"},
		renamed: map[string][]string{"Name": {}, "PerMachine": {"machines"}}},
	{goType: reflect.TypeFor[dsl.MachineSettings](), cue: []string{
		`((#Fleet & {name: "f", machines: x: {}}).#Role & {machines: x: {}}).machines.x`},
		renamed: map[string][]string{"Machine": {}}}, // the entry's key
	{goType: reflect.TypeFor[dsl.Input](), cue: []string{"#Fleet.#Input"}},
	{goType: reflect.TypeFor[dsl.Hotfix](), cue: []string{"#Hotfix"}},
	{goType: reflect.TypeFor[dsl.Patch](), cue: []string{"#Patch"}},
	{goType: reflect.TypeFor[dsl.Override](), cue: []string{"#Override"}},
	{goType: reflect.TypeFor[dsl.Generator](), cue: []string{"#Fleet.#Generator"}},
	{goType: reflect.TypeFor[dsl.GenFile](), cue: []string{"#Fleet.#GenFile"}},
	{goType: reflect.TypeFor[dsl.Prompt](), cue: []string{"#Fleet.#Prompt"}},
	{goType: reflect.TypeFor[dsl.Cache](), cue: []string{"#Cache"}},
	{goType: reflect.TypeFor[dsl.Phase](), cue: []string{"#Fleet.#Phase"}},
	// Channels are fleet.channels: {<role>: <url>}; tags are fleet.tags: [<name>]. Neither
	// has a definition with fields: TestSchemaShapes checks them.
}

// The schema and package dsl describe the same fleet: a field added to one and not the
// other fails here.
func TestSchemaMatchesDSL(t *testing.T) {
	ctx := cuecontext.New()
	schema := ctx.CompileBytes(cuefleet.Schema())
	if err := schema.Err(); err != nil {
		t.Fatal(err)
	}
	covered := map[reflect.Type]bool{}
	for _, m := range mappings {
		covered[m.goType] = true
		cueFields := map[string]bool{}
		for _, expr := range m.cue {
			v := ctx.CompileString(expr, cue.Scope(schema), cue.InferBuiltins(true))
			if err := v.Err(); err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			it, err := v.Fields(cue.Optional(true))
			if err != nil {
				t.Fatalf("%s: %v", expr, err)
			}
			for it.Next() {
				cueFields[it.Selector().Unquoted()] = true
			}
		}
		claimed := map[string]bool{}
		for f := range m.goType.Fields() {
			if !f.IsExported() || f.Name == "Pos" {
				continue
			}
			names, ok := m.renamed[f.Name]
			if !ok {
				names = []string{lowerCamel(f.Name)}
			}
			for _, n := range names {
				claimed[n] = true
				if !cueFields[n] {
					t.Errorf("dsl.%s.%s has no CUE field %q in %s", m.goType.Name(), f.Name, n, m.cue[0])
				}
			}
		}
		for n := range m.extra {
			claimed[n] = true
		}
		for n := range cueFields {
			if !claimed[n] {
				t.Errorf("CUE field %s.%s fills no field of dsl.%s", m.cue[0], n, m.goType.Name())
			}
		}
	}
	// Every struct the fleet holds is mapped, so a new one cannot go unnoticed.
	for _, ty := range fleetStructs(reflect.TypeFor[dsl.Fleet]()) {
		if !covered[ty] && ty != reflect.TypeFor[dsl.Channel]() && ty != reflect.TypeFor[dsl.Tag]() {
			t.Errorf("dsl.%s is reachable from dsl.Fleet but has no schema mapping", ty.Name())
		}
	}
}

// fleetStructs lists the dsl struct types reachable from t through exported fields
// (values, the things a part's items and a setting's value hold excepted: they are
// interfaces and opaque values, mapped by Part.Items and the $-values).
func fleetStructs(t reflect.Type) []reflect.Type {
	var out []reflect.Type
	var walk func(reflect.Type)
	walk = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t.PkgPath() != reflect.TypeFor[dsl.Fleet]().PkgPath() ||
			slices.Contains(out, t) || t == reflect.TypeFor[dsl.Pos]() || t == reflect.TypeFor[dsl.Value]() ||
			t == reflect.TypeFor[dsl.Date]() {
			return
		}
		out = append(out, t)
		for f := range t.Fields() {
			if f.IsExported() {
				walk(f.Type)
			}
		}
	}
	walk(t)
	return out
}

// The two fields without a definition of their own.
func TestSchemaShapes(t *testing.T) {
	ctx := cuecontext.New()
	schema := ctx.CompileBytes(cuefleet.Schema())
	ok := ctx.CompileString(`#Fleet & {name: "x", channels: {unstable: "u", "darwin-stable": "d", "linux-stable": "l"}, tags: ["a"]}`,
		cue.Scope(schema))
	if err := ok.Validate(cue.Concrete(true)); err != nil {
		t.Errorf("channels by role and tags by name: %v", err)
	}
	bad := ctx.CompileString(`#Fleet & {name: "x", channels: {stable: "s"}}`, cue.Scope(schema))
	if bad.Validate(cue.Concrete(true)) == nil {
		t.Errorf("channels accept a role dsl does not have")
	}
	// dsl.Channel is {Role, URL, Pos}: the key and the value.
	var fields []string
	for f := range reflect.TypeFor[dsl.Channel]().Fields() {
		fields = append(fields, f.Name)
	}
	if !slices.Equal(fields, []string{"Role", "URL", "Pos"}) {
		t.Errorf("dsl.Channel has fields %v; channels in the schema hold a role and a URL only", fields)
	}
	fields = nil
	for f := range reflect.TypeFor[dsl.Tag]().Fields() {
		fields = append(fields, f.Name)
	}
	if !slices.Equal(fields, []string{"Name", "Pos"}) {
		t.Errorf("dsl.Tag has fields %v; tags in the schema are names only", fields)
	}
}

// lowerCamel lowers a Go field name's leading capital, or its leading initialism.
func lowerCamel(s string) string {
	r := []rune(s)
	n := 0
	for n < len(r) && unicode.IsUpper(r[n]) {
		n++
	}
	switch {
	case n == 0:
		return s
	case n == 1 || n == len(r):
		return strings.ToLower(string(r[:n])) + string(r[n:])
	}
	return strings.ToLower(string(r[:n-1])) + string(r[n-1:])
}

func TestLowerCamel(t *testing.T) {
	for in, want := range map[string]string{"URL": "url", "NodeID": "nodeID", "ESPSize": "espSize",
		"SSHKeys": "sshKeys", "LUKSFile": "luksFile", "IP": "ip", "DarwinImpl": "darwinImpl"} {
		if got := lowerCamel(in); got != want {
			t.Errorf("lowerCamel(%q) = %q, want %q", in, got, want)
		}
	}
}
