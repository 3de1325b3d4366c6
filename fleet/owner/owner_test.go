package owner_test

import (
	"slices"
	"testing"
	"time"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/fleet/owner"
)

// The owner's fleet must satisfy the compiler with no check switched off: no errors, and no
// warnings either, so a new warning is noticed.
func TestOwnerFleetCompilesClean(t *testing.T) {
	_, ds := compiler.Compile(owner.Fleet(), compiler.Today(time.Date(2026, time.November, 25, 0, 0, 0, 0, time.UTC)))
	for _, d := range ds {
		t.Error(d)
	}
}

func TestOwnerFleetShape(t *testing.T) {
	m, _ := compiler.Compile(owner.Fleet())
	var names []string
	for _, x := range m.Machines {
		names = append(names, string(x.Class)+":"+x.Name)
	}
	want := []string{"darwin:argentum", "darwin:blackphos", "nixos:cinnabar", "darwin:rosegold", "darwin:stibnite"}
	if !slices.Equal(names, want) {
		t.Fatalf("machines = %v, want %v", names, want)
	}
	var insts []string
	for _, i := range m.Instances {
		insts = append(insts, i.Name)
	}
	wantInst := []string{"emergency-access", "sshd-clan", "users-crs58", "users-root", "zerotier-local"}
	if !slices.Equal(insts, wantInst) {
		t.Fatalf("instances = %v, want %v", insts, wantInst)
	}
	if m.Machine("stibnite").Phase != 5 || m.Machine("cinnabar").Phase != 1 {
		t.Errorf("phases: cinnabar %d, stibnite %d", m.Machine("cinnabar").Phase, m.Machine("stibnite").Phase)
	}
}
