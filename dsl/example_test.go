package dsl_test

import (
	"fmt"
	"time"

	"github.com/nixfleet/fleet/dsl"
)

// A small fleet: one server and one laptop on a zerotier network, a feature for both.
func Example() {
	f := dsl.New("demo", dsl.Domain("demo.lan"))
	vps := f.Tag("vps")
	laptop := f.Tag("laptop")

	shell := f.Feature("shell", "zsh everywhere",
		dsl.NixOSPart(dsl.Set("programs.zsh.enable", true)),
		dsl.DarwinPart(dsl.Set("programs.zsh.enable", true), dsl.Casks("iterm2")),
		dsl.HomePart(dsl.Set("programs.zsh.enable", true), dsl.Packages("ripgrep")),
	)
	alice := f.User("alice", dsl.UID(1000), dsl.Administrator(), dsl.HomeFeatures(shell))

	server := f.NixOS("server", dsl.Tags(vps), dsl.AlwaysOn(), dsl.StateVersion("25.05"),
		dsl.WithFeatures(shell), dsl.WithUsers(alice))
	mac := f.Darwin("mac", dsl.Tags(laptop), dsl.StateVersion("6"), dsl.Primary(),
		dsl.WithFeatures(shell), dsl.WithUsers(alice),
		dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: "0123456789"}))

	f.Zerotier("zt", server, dsl.Peers(laptop), dsl.DarwinViaHomebrew())
	f.Hotfix(dsl.Hotfix{Package: "micromamba", From: dsl.Stable, Platforms: []dsl.Platform{dsl.AllPlatforms},
		Reason: "fmt 11 breakage", Added: dsl.Day(2025, time.September, 28), RemoveWhen: "upstream fix lands"})
	f.Phase("servers", server)
	f.Phase("laptops", mac)

	fmt.Println(len(f.Machines), f.Machines[1].Class, f.Instances[0].Roles[1].Tags[0].Name)
	// Output: 2 darwin laptop
}
