package compiler_test

import (
	"fmt"
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// benchFleet is a valid fleet of n machines: a zerotier network whose peers come from a tag,
// sshd and users on every machine, four shared features of 20 settings per part, one
// generator per machine and a shared one.
func benchFleet(n int) *dsl.Fleet {
	f := dsl.New("bench", dsl.Domain("bench.lan"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	peer := f.Tag("peer")
	ca := f.Generator("ssh-ca", dsl.Shared(), dsl.SecretFile("id_ed25519", dsl.NotDeployed()), dsl.PublicFile("id_ed25519.pub"),
		dsl.Script(`ssh-keygen -t ed25519 -N "" -C "" -f "$out/id_ed25519"`))
	var features []*dsl.Feature
	for i := range 4 {
		var nixos []dsl.NixOSItem
		var home []dsl.HomeItem
		for j := range 20 {
			nixos = append(nixos, dsl.Set(fmt.Sprintf("services.s%d.option%d", i, j), j))
			home = append(home, dsl.Set(fmt.Sprintf("home.sessionVariables.P%d_O%d", i, j), fmt.Sprint(j)))
		}
		if i == 0 {
			nixos = append(nixos, dsl.Set("programs.ssh.knownHosts.ca.publicKey", dsl.PublicValue(ca, "id_ed25519.pub")))
		}
		features = append(features, f.Feature(fmt.Sprintf("feature%d", i), "", dsl.NixOSPart(nixos...), dsl.HomePart(home...)))
	}
	alice := f.User("alice", dsl.UID(1000), dsl.AuthorizedKeys(sshKey), dsl.HomeFeatures(features[1]))
	ctl := f.NixOS("ctl", dsl.AlwaysOn(), sv, dsl.WithFeatures(features...), dsl.WithUsers(alice))
	for i := range n - 1 {
		g := f.Generator(fmt.Sprintf("host-%05d", i), dsl.SecretFile("key"), dsl.DependsOn(ca),
			dsl.Script(`head -c 32 /dev/urandom > "$out/key"`))
		f.NixOS(fmt.Sprintf("m%05d", i), dsl.Tags(peer), sv, dsl.WithFeatures(features...), dsl.WithUsers(alice),
			dsl.NixOSConfig(dsl.Generators(g), dsl.Set("networking.hostId", fmt.Sprintf("%08x", i))))
	}
	f.Zerotier("zt", ctl, dsl.Peers(peer))
	f.SSHD("sshd", dsl.Servers(dsl.All), dsl.Clients(dsl.All), dsl.RootKeys(map[string]string{"alice": sshKey}))
	f.UsersService("user-alice", alice, []dsl.Member{dsl.All}, dsl.NoPrompt())
	return f
}

func benchCompile(b *testing.B, n int) {
	f := benchFleet(n)
	if _, ds := compiler.Compile(f, compiler.Today(today)); len(ds) > 0 {
		b.Fatalf("the benchmark fleet is not clean:\n%v", ds[:min(len(ds), 5)])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		compiler.Compile(f, compiler.Today(today))
	}
}

func BenchmarkCompile10(b *testing.B)    { benchCompile(b, 10) }
func BenchmarkCompile1000(b *testing.B)  { benchCompile(b, 1000) }
func BenchmarkCompile10000(b *testing.B) { benchCompile(b, 10000) }
