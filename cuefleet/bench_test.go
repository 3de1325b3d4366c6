package cuefleet_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/cuefleet"
	"github.com/nixfleet/fleet/dsl"
)

const benchMachines = 1000

// benchFleetCUE writes a fleet of n machines in CUE: one NixOS controller, the rest split
// between NixOS servers and darwin laptops, two features, a user, a generator, a zerotier
// network and an sshd instance over tags, and ten deployment phases.
func benchFleetCUE(n int) string {
	var b strings.Builder
	b.WriteString(`package fleet

fleet: {
	name: "bench"
	channels: unstable: "github:NixOS/nixpkgs/nixpkgs-unstable"
	tags: ["server", "laptop"]
	users: admin: {admin: true, sshKeys: ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdO9rInDa9HvdtZZxmkgeEdAlTupCy3BgA/sqSGyUH+"]}
	generators: "host-key": {
		files: {key: {}, "key.pub": secret: false}
		script: "ssh-keygen -t ed25519 -N '' -f $out/key"
	}
	features: base: {
		nixos: {settings: {"nix.gc.automatic": true, "services.example.keyFile": {$secret: "host-key", $file: "key"}}, packages: ["git", "vim"]}
		darwin: {settings: "nix.gc.automatic": true, packages: ["git"], casks: ["firefox"]}
	}
	features: shell: {
		nixos: settings: "programs.zsh.enable": true
		darwin: settings: "programs.zsh.enable": true
		homeManager: settings: "programs.zsh.enable": true
	}
	instances: zt: {service: "zerotier", roles: {controller: machines: m0000: {}, peer: tags: ["server", "laptop"]}, darwinViaHomebrew: true}
	instances: ssh: {service: "sshd", roles: {server: tags: ["nixos"], client: tags: ["nixos"]}}
	machines: {
`)
	for i := range n {
		name := fmt.Sprintf("m%04d", i)
		if i%2 == 1 {
			fmt.Fprintf(&b, "\t\t%s: {class: \"darwin\", tags: [\"laptop\"], stateVersion: \"6\", features: [\"base\", \"shell\"], users: [\"admin\"], zerotier: nodeID: \"%010x\"}\n", name, i)
			continue
		}
		fmt.Fprintf(&b, "\t\t%s: {tags: [\"server\"], stateVersion: \"25.05\", alwaysOn: %v, features: [\"base\", \"shell\"], users: [\"admin\"], deployTarget: \"root@%s\"}\n", name, i == 0, name)
	}
	b.WriteString("\t}\n\tphases: [\n")
	for p, ms := range phases(n) {
		fmt.Fprintf(&b, "\t\t{name: \"p%d\", machines: [", p)
		for _, i := range ms {
			fmt.Fprintf(&b, "\"m%04d\", ", i)
		}
		b.WriteString("]},\n")
	}
	b.WriteString("\t]\n}\n")
	return b.String()
}

// phases are the controller first, then the other machines in nine phases.
func phases(n int) [][]int {
	out := [][]int{{0}}
	per := (n - 1 + 8) / 9
	for start := 1; start < n; start += per {
		var ms []int
		for i := start; i < min(start+per, n); i++ {
			ms = append(ms, i)
		}
		out = append(out, ms)
	}
	return out
}

// benchFleetGo builds the same fleet with the Go constructors.
func benchFleetGo(n int) *dsl.Fleet {
	f := dsl.New("bench")
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixpkgs-unstable")
	server, laptop := f.Tag("server"), f.Tag("laptop")
	admin := f.User("admin", dsl.Administrator(), dsl.AuthorizedKeys("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdO9rInDa9HvdtZZxmkgeEdAlTupCy3BgA/sqSGyUH+"))
	hostKey := f.Generator("host-key", dsl.SecretFile("key"), dsl.PublicFile("key.pub"),
		dsl.Script("ssh-keygen -t ed25519 -N '' -f $out/key"))
	base := f.Feature("base", "",
		dsl.NixOSPart(dsl.Set("nix.gc.automatic", true),
			dsl.Set("services.example.keyFile", dsl.SecretPath(hostKey, "key")), dsl.Packages("git", "vim")),
		dsl.DarwinPart(dsl.Set("nix.gc.automatic", true), dsl.Packages("git"), dsl.Casks("firefox")))
	shell := f.Feature("shell", "",
		dsl.NixOSPart(dsl.Set("programs.zsh.enable", true)),
		dsl.DarwinPart(dsl.Set("programs.zsh.enable", true)),
		dsl.HomePart(dsl.Set("programs.zsh.enable", true)))
	machines := make([]*dsl.Machine, n)
	for i := range n {
		name := fmt.Sprintf("m%04d", i)
		if i%2 == 1 {
			machines[i] = f.Darwin(name, dsl.Tags(laptop), dsl.StateVersion("6"), dsl.WithFeatures(base, shell),
				dsl.WithUsers(admin), dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: fmt.Sprintf("%010x", i)}))
			continue
		}
		opts := []dsl.NixOSOption{dsl.Tags(server), dsl.StateVersion("25.05"), dsl.WithFeatures(base, shell),
			dsl.WithUsers(admin), dsl.DeployTo("root@" + name)}
		if i == 0 {
			opts = append(opts, dsl.AlwaysOn())
		}
		machines[i] = f.NixOS(name, opts...)
	}
	f.Zerotier("zt", machines[0], dsl.Peers(server, laptop), dsl.DarwinViaHomebrew())
	f.SSHD("ssh", dsl.Servers(dsl.NixOSTag), dsl.Clients(dsl.NixOSTag))
	for p, ms := range phases(n) {
		var in []*dsl.Machine
		for _, i := range ms {
			in = append(in, machines[i])
		}
		f.Phase(fmt.Sprintf("p%d", p), in...)
	}
	return f
}

var benchDay = compiler.Today(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))

// The generated fleets are valid and the same fleet in both languages.
func TestBenchFleetsAgree(t *testing.T) {
	file := filepath.Join(t.TempDir(), "fleet.cue")
	if err := os.WriteFile(file, []byte(benchFleetCUE(100)), 0o644); err != nil {
		t.Fatal(err)
	}
	cf, ds := cuefleet.Load(file)
	if len(ds) > 0 {
		t.Fatal(ds.Err())
	}
	cm, cds := compiler.Compile(cf, benchDay)
	gm, gds := compiler.Compile(benchFleetGo(100), benchDay)
	if cds.HasErrors() || gds.HasErrors() {
		t.Fatalf("cue: %v\ngo: %v", cds.Err(), gds.Err())
	}
	if diff := diffModels(gm, cm); diff != "" {
		t.Errorf("models differ:\n%s", diff)
	}
}

// BenchmarkCUE1000 loads and validates a 1,000-machine CUE fleet and compiles it.
func BenchmarkCUE1000(b *testing.B) {
	file := filepath.Join(b.TempDir(), "fleet.cue")
	if err := os.WriteFile(file, []byte(benchFleetCUE(benchMachines)), 0o644); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		f, ds := cuefleet.Load(file)
		if len(ds) > 0 {
			b.Fatal(ds.Err())
		}
		if _, ds := compiler.Compile(f, benchDay); ds.HasErrors() {
			b.Fatal(ds.Err())
		}
	}
}

// BenchmarkGoDSL1000 builds the same fleet with the Go constructors and compiles it.
func BenchmarkGoDSL1000(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ds := compiler.Compile(benchFleetGo(benchMachines), benchDay); ds.HasErrors() {
			b.Fatal(ds.Err())
		}
	}
}
