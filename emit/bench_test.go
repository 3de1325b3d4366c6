package emit_test

import (
	"fmt"
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/golden/fleets"
)

// synthetic builds a fleet of n machines (one in ten darwin) with shared features, users,
// generators and a zerotier network over all of them.
func synthetic(n int) *dsl.Fleet {
	f := dsl.New("synthetic", dsl.Domain("synthetic.lan"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.Channel(dsl.LinuxStableChannel, "github:NixOS/nixpkgs/nixos-25.11")
	f.Channel(dsl.DarwinStableChannel, "github:NixOS/nixpkgs/nixpkgs-25.11-darwin")
	f.Cache("https://cache.nixos.org", "cache.nixos.org-1:6NCHdD59X431o0gWypbMrAURkbJ16ZPMQFGspcDShjY=")
	ca := f.Generator("ca", dsl.Shared(), dsl.SecretFile("key", dsl.NotDeployed()), dsl.PublicFile("pub"), dsl.Script("touch $out/key $out/pub"))
	cert := f.Generator("cert", dsl.DependsOn(ca), dsl.SecretFile("key"), dsl.Script("touch $out/key"))
	base := f.Feature("base", "base",
		dsl.NixOSPart(dsl.Set("services.openssh.enable", true), dsl.Packages("git", "htop"), dsl.Generators(cert)),
		dsl.DarwinPart(dsl.Set("programs.zsh.enable", true), dsl.Casks("iterm2")),
		dsl.HomePart(dsl.Set("programs.git.enable", true), dsl.Packages("ripgrep")))
	admin := f.User("admin", dsl.UID(1000), dsl.LoginShell("zsh"), dsl.Administrator(), dsl.HomeFeatures(base))
	tags := []dsl.Tag{f.Tag("rack-a"), f.Tag("rack-b"), f.Tag("rack-c")}
	var controller *dsl.Machine
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("m%05d", i)
		tag := tags[i%len(tags)]
		if i%10 == 9 {
			f.Darwin(name, dsl.Tags(tag), dsl.StateVersion("6"), dsl.WithFeatures(base), dsl.WithUsers(admin),
				dsl.ZerotierIdentity(dsl.ZerotierMember{IP: fmt.Sprintf("fd00::%x", i)}))
			continue
		}
		m := f.NixOS(name, dsl.Tags(tag), dsl.StateVersion("25.11"), dsl.AlwaysOn(), dsl.DeployTo("root@"+name+".synthetic.lan"),
			dsl.WithFeatures(base), dsl.WithUsers(admin),
			dsl.NixOSConfig(dsl.Set("networking.firewall.allowedTCPPorts", []int{22, 80 + i%100})))
		if controller == nil {
			controller = m
		}
	}
	f.Zerotier("zt", controller, dsl.Peers(dsl.All), dsl.DarwinViaHomebrew())
	f.SSHD("sshd", dsl.Servers(dsl.NixOSTag), dsl.Clients(dsl.NixOSTag))
	f.EmergencyAccess("emergency", dsl.NixOSTag)
	return f
}

func syntheticModel(b *testing.B, n int) *compiler.Model {
	m, ds := compiler.Compile(synthetic(n), compiler.Today(fleets.Today))
	if ds.HasErrors() {
		b.Fatal(ds.Err())
	}
	return m
}

// BenchmarkEmit10000 emits a 10,000-machine fleet to a tree in memory.
func BenchmarkEmit10000(b *testing.B) {
	m := syntheticModel(b, 10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		tree, err := emit.Emit(m, emit.Today(fleets.Today))
		if err != nil {
			b.Fatal(err)
		}
		if len(tree) < 10000 {
			b.Fatalf("only %d files", len(tree))
		}
	}
}

// BenchmarkEmitWrite10000 is what `go run ./fleet` does for a 10,000-machine fleet:
// compile, emit, and write the tree with package filetree's atomic writer into an empty
// directory (the first generation, every file new).
func BenchmarkEmitWrite10000(b *testing.B) {
	f := synthetic(10000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, ds := compiler.Compile(f, compiler.Today(fleets.Today))
		if ds.HasErrors() {
			b.Fatal(ds.Err())
		}
		tree, err := emit.Emit(m, emit.Today(fleets.Today))
		if err != nil {
			b.Fatal(err)
		}
		res, err := filetree.Write(b.TempDir(), tree)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Written) < 10000 {
			b.Fatalf("wrote only %d files", len(res.Written))
		}
	}
}
