package plan_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/sebdah/goldie/v2"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/fleet/owner"
	"github.com/nixfleet/fleet/plan"
)

func compile(t testing.TB, f *dsl.Fleet) *compiler.Model {
	t.Helper()
	m, ds := compiler.Compile(f)
	if ds.HasErrors() {
		t.Fatalf("does not compile:\n%v", ds.Err())
	}
	return m
}

// The owner's plan, as text and JSON, whole and for one phase (go test ./plan -update
// rewrites testdata/).
func TestOwnerGolden(t *testing.T) {
	p := plan.Build(compile(t, owner.Fleet()))
	g := goldie.New(t, goldie.WithFixtureDir("testdata"), goldie.WithNameSuffix(".golden"))
	var text, js bytes.Buffer
	if err := p.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := p.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	g.Assert(t, "owner.txt", text.Bytes())
	g.Assert(t, "owner.json", js.Bytes())

	// JSON round-trips to the same plan.
	var back plan.Plan
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(back) != fmt.Sprint(p) {
		t.Errorf("JSON does not round-trip:\n%v\n%v", back, p)
	}

	one, err := p.Only("2")
	if err != nil {
		t.Fatal(err)
	}
	text.Reset()
	one.WriteText(&text)
	g.Assert(t, "owner-phase2.txt", text.Bytes())
}

func TestOnly(t *testing.T) {
	p := plan.Build(compile(t, owner.Fleet()))
	for _, tc := range []struct {
		phase string
		want  string // the one machine of the phase
	}{{"1", "cinnabar"}, {"foundation", "cinnabar"}, {"5", "stibnite"}, {"rosegold", "rosegold"}} {
		got, err := p.Only(tc.phase)
		if err != nil {
			t.Errorf("Only(%q): %v", tc.phase, err)
			continue
		}
		if len(got.Phases) != 1 || len(got.Phases[0].Machines) != 1 || got.Phases[0].Machines[0].Name != tc.want {
			t.Errorf("Only(%q) = %+v, want the phase of %s", tc.phase, got.Phases, tc.want)
		}
	}
	for _, bad := range []string{"0", "6", "nope", ""} {
		if _, err := p.Only(bad); err == nil || !strings.Contains(err.Error(), "1 (foundation)") {
			t.Errorf("Only(%q): err = %v, want the phases listed", bad, err)
		}
	}
	if len(p.Phases) != 5 {
		t.Errorf("Only changed the plan it was called on: %d phases", len(p.Phases))
	}
}

// The commands for each class, with the owner's deploy targets.
func TestCommands(t *testing.T) {
	p := plan.Build(compile(t, owner.Fleet()))
	got := map[string][4]string{}
	for _, ph := range p.Phases {
		for _, m := range ph.Machines {
			got[m.Name] = [4]string{m.DryRun.String(), m.Build.String(), m.Switch.String(), m.Rollback.String()}
		}
	}
	want := map[string][4]string{
		"cinnabar": {
			"clan machines build cinnabar --dry-run",
			"clan machines build cinnabar",
			"clan machines update cinnabar --target-host root@cinnabar.crs58.zt",
			"ssh -t root@cinnabar.crs58.zt -- nixos-rebuild switch --rollback",
		},
		"stibnite": {
			"ssh -t crs58@stibnite.crs58.zt -- sudo darwin-rebuild check --flake .#stibnite",
			"ssh -t crs58@stibnite.crs58.zt -- darwin-rebuild build --flake .#stibnite",
			"ssh -t crs58@stibnite.crs58.zt -- sudo darwin-rebuild switch --flake .#stibnite",
			"ssh -t crs58@stibnite.crs58.zt -- sudo darwin-rebuild --rollback",
		},
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s:\n got %q\nwant %q", name, got[name], w)
		}
	}
}

// Deploy targets with ports and IPv6 addresses, machines without one, and a flake URL that
// needs quoting twice over ssh.
func TestTargetsAndQuoting(t *testing.T) {
	f := dsl.New("t")
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.NixOS("a", dsl.StateVersion("25.11"), dsl.DeployTo("admin@a.lan:2222"))
	f.NixOS("b", dsl.StateVersion("25.11"), dsl.DeployTo("root@[fd00::1]:22"))
	f.NixOS("c", dsl.StateVersion("25.11"))
	f.Darwin("d", dsl.StateVersion("6"), dsl.DeployTo("me@d.lan"))
	m := compile(t, f)
	p := plan.Build(m, plan.Flake("github:o/r?dir=x y"))
	got := map[string]string{}
	for _, mm := range p.Phases[0].Machines {
		got[mm.Name+" rollback"] = mm.Rollback.String()
		got[mm.Name+" switch"] = mm.Switch.String()
	}
	want := map[string]string{
		"a rollback": "ssh -t -p 2222 admin@a.lan -- sudo nixos-rebuild switch --rollback",
		"b rollback": "ssh -t -p 22 root@fd00::1 -- nixos-rebuild switch --rollback",
		"c rollback": "sudo nixos-rebuild switch --rollback",
		"c switch":   "clan machines update c --flake 'github:o/r?dir=x y'",
		"a switch":   "clan machines update a --target-host admin@a.lan:2222 --flake 'github:o/r?dir=x y'",
		"d switch":   `ssh -t me@d.lan -- 'sudo darwin-rebuild switch --flake '\''github:o/r?dir=x y#d'\'''`,
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s:\n got %s\nwant %s", k, got[k], w)
		}
	}
	if p.Phases[0].Number != 0 || len(p.Phases) != 1 {
		t.Errorf("a fleet without phases: %d phases, first numbered %d; want one numbered 0", len(p.Phases), p.Phases[0].Number)
	}
}

// randomFleet is a valid fleet with phases: n machines of random classes, a zerotier
// network whose controller is deployed before its peers, maybe a primary workstation in
// the last phase, and unrelated machines sharing the controller's phase.
func randomFleet(r *rand.Rand) *dsl.Fleet {
	f := dsl.New("random")
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	n := 2 + r.IntN(10)
	nPhases := 1 + r.IntN(min(n, 5))
	var ms []*dsl.Machine
	for i := range n {
		name := fmt.Sprintf("m%02d", i)
		if r.IntN(2) == 0 {
			ms = append(ms, f.NixOS(name, dsl.StateVersion("25.11"), dsl.DeployTo("root@"+name+".lan"), dsl.AlwaysOn()))
		} else {
			ms = append(ms, f.Darwin(name, dsl.StateVersion("6"),
				dsl.ZerotierIdentity(dsl.ZerotierMember{NodeID: fmt.Sprintf("%010x", 0xa000000000+i)})))
		}
	}
	r.Shuffle(len(ms), func(i, j int) { ms[i], ms[j] = ms[j], ms[i] })
	phases := make([][]*dsl.Machine, nPhases)
	for i, m := range ms {
		k := i // the first nPhases machines open the phases, the others go anywhere
		if i >= nPhases {
			k = r.IntN(nPhases)
		}
		phases[k] = append(phases[k], m)
	}
	// The controller: a NixOS machine of the first phase, put anywhere in it; its peers are
	// the machines of later phases.
	if ctl := slices.IndexFunc(phases[0], func(m *dsl.Machine) bool { return m.Class == dsl.NixOS }); ctl >= 0 && len(phases) > 1 {
		var peers []dsl.Member
		for _, p := range phases[1:] {
			for _, m := range p {
				if r.IntN(3) > 0 {
					peers = append(peers, m)
				}
			}
		}
		f.Zerotier("zt", phases[0][ctl], dsl.Peers(peers...), dsl.DarwinViaHomebrew())
	}
	// Maybe a primary workstation: the last machine of the last phase, unless it is the
	// controller (which has to come before its peers).
	if last := phases[len(phases)-1]; r.IntN(2) == 0 {
		if pm := last[len(last)-1]; len(f.Instances) == 0 || f.Instances[0].Roles[0].Machines[0] != pm {
			pm.Primary = true
		}
	}
	for i, p := range phases {
		f.Phase(fmt.Sprintf("p%d", i+1), p...)
	}
	return f
}

func TestOrderProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 300 {
		f := randomFleet(r)
		m := compile(t, f)
		p := plan.Build(m)
		var order []plan.Machine
		for j, ph := range p.Phases {
			if ph.Number != j+1 || ph.Name != m.Phases[j].Name {
				t.Fatalf("fleet %d: phase %d is %d %s", i, j, ph.Number, ph.Name)
			}
			seenOther := false
			for k, pm := range ph.Machines {
				cm := m.Machine(pm.Name)
				if cm.Phase != ph.Number {
					t.Fatalf("fleet %d: %s in phase %d, model says %d", i, pm.Name, ph.Number, cm.Phase)
				}
				if pm.Controller && seenOther {
					t.Errorf("fleet %d: controller %s after a non-controller in phase %s", i, pm.Name, ph.Name)
				}
				if !pm.Controller {
					seenOther = true
				}
				if pm.Primary && (j != len(p.Phases)-1 || k != len(ph.Machines)-1) {
					t.Errorf("fleet %d: primary %s is not the last machine", i, pm.Name)
				}
				if darwin := strings.Contains(pm.Switch.String(), "darwin-rebuild switch"); darwin != (pm.Class == "darwin") {
					t.Errorf("fleet %d: %s (%s) switches with %s", i, pm.Name, pm.Class, pm.Switch)
				}
			}
			order = append(order, ph.Machines...)
		}
		// Every machine exactly once; every controller before every peer of its instance.
		pos := map[string]int{}
		for k, pm := range order {
			if _, dup := pos[pm.Name]; dup {
				t.Fatalf("fleet %d: %s planned twice", i, pm.Name)
			}
			pos[pm.Name] = k
		}
		if len(pos) != len(m.Machines) {
			t.Fatalf("fleet %d: %d machines planned, fleet has %d", i, len(pos), len(m.Machines))
		}
		for _, inst := range m.Instances {
			var ctl []*compiler.Machine
			for _, role := range inst.Roles {
				if role.Name == "controller" {
					ctl = role.Members
				}
			}
			for _, role := range inst.Roles {
				for _, mem := range role.Members {
					for _, c := range ctl {
						if mem != c && pos[c.Name] > pos[mem.Name] {
							t.Errorf("fleet %d: controller %s after its peer %s", i, c.Name, mem.Name)
						}
					}
				}
			}
		}
	}
}
