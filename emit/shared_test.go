package emit_test

import (
	"strings"
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/golden/fleets"
	"github.com/nixfleet/fleet/internal/nixtest"
)

// A value two parts of one feature set identically is written once, in a let; a value that
// depends on its module (a package) is not.
func TestFeatureSharedValues(t *testing.T) {
	f := dsl.New("shared")
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	hosts := dsl.Attrs(dsl.KV{Key: "web", Value: dsl.Attrs(dsl.Field("publicKey", "ssh-ed25519 AAAA"))})
	ft := f.Feature("hosts", "known hosts",
		dsl.NixOSPart(dsl.Set("programs.ssh.knownHosts", hosts), dsl.Set("environment.etc.x.source", dsl.Pkg("hello"))),
		dsl.DarwinPart(dsl.Set("programs.ssh.knownHosts", hosts), dsl.Set("environment.etc.x.source", dsl.Pkg("hello"))))
	f.NixOS("web", dsl.StateVersion("25.11"), dsl.WithFeatures(ft))
	f.Darwin("mac", dsl.StateVersion("6"), dsl.WithFeatures(ft))
	m, ds := compiler.Compile(f, compiler.Today(fleets.Today))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	tree, err := emit.Emit(m, emit.Today(fleets.Today))
	if err != nil {
		t.Fatal(err)
	}
	src := string(tree["generated/modules/features/hosts.nix"])
	if got := strings.Count(src, `publicKey = "ssh-ed25519 AAAA";`); got != 1 {
		t.Errorf("the shared value is written %d times, want once:\n%s", got, src)
	}
	if got := strings.Count(src, "programs.ssh.knownHosts = knownHosts;"); got != 2 {
		t.Errorf("%d parts refer to the let binding, want 2:\n%s", got, src)
	}
	if got := strings.Count(src, "pkgs.hello"); got != 2 {
		t.Errorf("a package is written %d times, want once per part:\n%s", got, src)
	}
	nixtest.Parse(t, tree["generated/modules/features/hosts.nix"])
}
