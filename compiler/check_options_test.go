package compiler

import (
	"strings"
	"testing"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/fleet/owner"
	"github.com/nixfleet/fleet/options/optiondata"
)

func optionProblems(t *testing.T, class string, s dsl.Setting) []optionProblem {
	t.Helper()
	set, err := optiondata.Load(class)
	if err != nil {
		t.Fatal(err)
	}
	return checkOptionSetting(set, s.Path, s.Value)
}

func TestCheckOptionSetting(t *testing.T) {
	cases := []struct {
		name, class string
		s           dsl.Setting
		want, hint  string // "" want: no problem
	}{
		{"typo", "darwin", dsl.Set("system.defaults.dock.autohid", true),
			"unknown darwin option system.defaults.dock.autohid", `did you mean "system.defaults.dock.autohide"?`},
		{"typo in the middle", "nixos", dsl.Set("services.openssh.setings.PermitRootLogin", "no"),
			"unknown nixos option services.openssh.setings.PermitRootLogin", `did you mean "services.openssh.settings"?`},
		{"string for a bool", "darwin", dsl.Set("system.defaults.dock.autohide", "yes"),
			"option system.defaults.dock.autohide is of type null or boolean, not a string", ""},
		{"int for a string", "homeManager", dsl.Set("programs.git.userName", 3), "", ""}, // see below
		{"enum value", "darwin", dsl.Set("homebrew.onActivation.cleanup", "uninstal"),
			`option homebrew.onActivation.cleanup is of type one of "none", "check", "uninstall", "zap", not "uninstal"`, `did you mean "uninstall"?`},
		{"list element", "nixos", dsl.Set("boot.initrd.network.ssh.authorizedKeys", []int{1}),
			"option boot.initrd.network.ssh.authorizedKeys[0] is of type string, not an integer", ""},
		{"null for a non-null", "nixos", dsl.Set("services.openssh.enable", dsl.Value{}),
			"option services.openssh.enable is of type boolean, not null", ""},
		{"freeform key", "nixos", dsl.Set("services.openssh.settings.MaxAuthTries", 20), "", ""},
		{"declared key of a freeform set", "nixos", dsl.Set("services.openssh.settings.PermitRootLogin", "nope"),
			`option services.openssh.settings.PermitRootLogin is of type one of "yes", "without-password", "prohibit-password", "forced-commands-only", "no", not "nope"`, ""},
		{"outside the NixOS data", "nixos", dsl.Set("networking.firewall.enabel", true), "", ""},
		{"attrs of submodule name", "darwin", dsl.Set("users.users.crs58.uid", 501), "", ""},
		{"attrs of submodule wrong type", "darwin", dsl.Set("users.users.crs58.uid", "501"),
			"option users.users.crs58.uid is of type signed integer, not a string", ""},
		{"option set as attrs", "homeManager", dsl.Set("programs.zsh", dsl.Attrs(dsl.Field("enable", "yes"))),
			"option programs.zsh.enable is of type boolean, not a string", ""},
		{"secret path", "nixos", dsl.Set("boot.initrd.network.ssh.hostKeys", []dsl.Value{dsl.SecretPath(&dsl.Generator{Name: "g"}, "k")}), "", ""},
		{"either type", "homeManager", dsl.Set("programs.git.settings.user.name", "x"), "", ""},
		{"package", "homeManager", dsl.Set("programs.git.package", dsl.Pkg("gitFull")), "", ""},
		{"not a package", "homeManager", dsl.Set("programs.git.package", true),
			"option programs.git.package is of type null or package, not a boolean", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ps := optionProblems(t, c.class, c.s)
			if c.name == "int for a string" {
				// programs.git.userName is gone from home-manager (renamed to settings.user.name):
				// an unknown path.
				if len(ps) != 1 || !strings.HasPrefix(ps[0].msg, "unknown homeManager option programs.git.userName") {
					t.Fatalf("got %+v", ps)
				}
				return
			}
			if c.want == "" {
				if len(ps) != 0 {
					t.Fatalf("want no problem, got %+v", ps)
				}
				return
			}
			if len(ps) != 1 || ps[0].msg != c.want || ps[0].hint != c.hint {
				t.Fatalf("got %+v\nwant [{%s %s}]", ps, c.want, c.hint)
			}
		})
	}
}

// The check runs over a compiled fleet's features and machine modules.
func TestCheckOptionPathsReportsAtTheSetting(t *testing.T) {
	f := dsl.New("demo")
	f.Feature("x", "x", dsl.DarwinPart(dsl.Set("system.defaults.dock.autohid", true)))
	mac := f.Darwin("mac", dsl.DarwinConfig(dsl.Set("homebrew.onActivation.cleanup", "zapp")))
	_ = mac
	cc := &compilation{fleet: f, model: &Model{Fleet: f}, byMachine: map[*dsl.Machine]*Machine{}}
	cc.resolveMachines()
	cc.resolveFeatures()
	cc.checkOptionPaths()
	if len(cc.r.ds) != 2 {
		t.Fatalf("diagnostics: %v", cc.r.ds)
	}
	for _, d := range cc.r.ds {
		if !strings.HasSuffix(d.Pos.File, "check_options_test.go") || d.Severity != Error {
			t.Errorf("diagnostic at %s: %s", d.Pos, d)
		}
	}
}

// The owner's fleet sets only options the data knows (or cannot judge), with values of the
// declared types.
func TestOwnerFleetOptionPaths(t *testing.T) {
	f := owner.Fleet()
	cc := &compilation{fleet: f, model: &Model{Fleet: f}, byMachine: map[*dsl.Machine]*Machine{}}
	cc.resolveMachines()
	cc.resolveFeatures()
	cc.checkOptionPaths()
	for _, d := range cc.r.ds {
		t.Error(d)
	}
}
