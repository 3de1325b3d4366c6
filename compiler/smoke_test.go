package compiler_test

import (
	"testing"
	"time"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

func TestResolveSmallFleet(t *testing.T) {
	f := dsl.New("demo")
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	ws := f.Tag("workstation")
	srv := f.NixOS("srv", dsl.AlwaysOn())
	mac := f.Darwin("mac", dsl.Tags(ws), dsl.ZerotierIdentity(dsl.ZerotierMember{IP: "fd00::1"}))
	f.Zerotier("zt", srv, dsl.Peers(ws), dsl.DarwinViaHomebrew())
	m, ds := compiler.Compile(f, compiler.Today(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if ds.HasErrors() {
		t.Fatal(ds.Err())
	}
	if got := len(m.Machines); got != 2 || m.Machines[0].Name != "mac" {
		t.Fatalf("machines: %v", m.Machines)
	}
	inst := m.Instances[0]
	if len(inst.DarwinMembers) != 1 || inst.DarwinMembers[0].Machine != mac {
		t.Fatalf("darwin members: %v", inst.DarwinMembers)
	}
	ctl := inst.Roles[0]
	if ctl.Name != "controller" || len(ctl.Machines) != 1 || ctl.Machines[0].Machine.Machine != srv {
		t.Fatalf("controller role: %+v", ctl)
	}
	o := ctl.Machines[0].Settings.Underlying().(*dsl.Object)
	ips, _ := o.Get("allowedIps")
	if !compiler.Equal(ips, dsl.ValueOf([]string{"fd00::1"})) {
		t.Fatalf("allowedIps = %v", ips)
	}
}
