package compiler_test

import (
	"strings"
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// Two RoleSettings in one role declaration are two definitions of the role's settings:
// different values for one key are reported, not silently overridden, and distinct keys
// merge.
func TestRoleSettingsGivenTwice(t *testing.T) {
	build := func(second dsl.Value) *dsl.Fleet {
		f := dsl.New("roles")
		f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
		web := f.NixOS("web", dsl.StateVersion("25.11"))
		f.Service("users", "alice", dsl.WithRole("default", dsl.Members(web),
			dsl.RoleSettings(dsl.Attrs(dsl.Field("user", "alice"), dsl.Field("prompt", false))),
			dsl.RoleSettings(second)))
		return f
	}
	_, ds := compiler.Compile(build(dsl.Attrs(dsl.Field("prompt", true))))
	if len(ds) != 1 || !strings.Contains(ds[0].Message, "conflicting settings for alice.roles.default.settings.prompt: true here, false before") {
		t.Fatalf("conflict not reported as one error: %v", ds)
	}
	m, ds := compiler.Compile(build(dsl.Attrs(dsl.Field("share", true))))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	o := m.Instances[0].Roles[0].Settings.Underlying().(*dsl.Object)
	if strings.Join(o.Keys, ",") != "user,prompt,share" {
		t.Fatalf("merged settings keys = %v", o.Keys)
	}
}
