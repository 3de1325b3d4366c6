package cli

import (
	"flag"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/plan"
)

var planCommand = &command{
	name:     "plan",
	synopsis: "[--phase N|NAME] [--json] [--flake REF]",
	summary:  "print the deployment plan: phases, and each machine's commands",
	help: `
Compiles the fleet and prints its deployment plan, without running anything: the phases
in order and, for each machine of a phase (controllers first, the primary workstation
last), the commands that dry-run, build, switch and roll it back.

NixOS machines are built and switched with clan from a checkout of the flake (clan
machines update also uploads their secrets) and rolled back with nixos-rebuild on the
machine. Darwin machines use darwin-rebuild on the Mac itself, over ssh when the machine
has a deploy target.

--phase prints one phase, by number or name. --json prints the plan as JSON for tools.`,
	setup: func(fs *flag.FlagSet) func(*runner) int {
		phase := fs.String("phase", "", "print only phase `N` (its number or name)")
		asJSON := fs.Bool("json", false, "print the plan as JSON")
		flake := fs.String("flake", ".", "the flake `REF` the commands build from: a checkout or a URL")
		return func(r *runner) int { return r.plan(*phase, *asJSON, *flake) }
	},
}

func (r *runner) plan(phase string, asJSON bool, flake string) int {
	m, ok := r.compile("no plan")
	if !ok {
		return exitFail
	}
	p := plan.Build(m, plan.Flake(flake))
	if phase != "" {
		var err error
		if p, err = p.Only(phase); err != nil {
			return r.failf("plan: %v", err)
		}
	}
	write := p.WriteText
	if asJSON {
		write = p.WriteJSON
	}
	if err := write(r.stdout); err != nil {
		return r.failf("%v", err)
	}
	return exitOK
}

// compile compiles the fleet and prints its diagnostics; ok is false when it has errors.
func (r *runner) compile(outcome string) (*compiler.Model, bool) {
	m, ds := compiler.Compile(r.fleet(), r.compileOpts...)
	r.printDiagnostics(ds, outcome)
	return m, !ds.HasErrors()
}
