// Package plan turns a checked fleet into its deployment plan: the phases in order and, for
// every machine, the commands that dry-run, build, switch and roll it back.
//
// Within a phase, controllers (members of any instance's "controller" role, such as the
// zerotier controller) come first, the primary workstation last, the other machines in the
// order the phase lists them. The compiler already checks that controllers are deployed in
// an earlier phase than their peers and that the primary workstation is the last machine of
// the last phase.
//
// NixOS machines are built and switched with clan (clan machines build, clan machines
// update, which also uploads the machine's secrets) from a checkout of the flake, and
// rolled back with nixos-rebuild on the machine. Darwin machines use darwin-rebuild on the
// Mac itself, over ssh when it has a deploy target; darwin-rebuild needs root for check,
// switch and rollback.
package plan

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// Plan is a fleet's deployment plan.
type Plan struct {
	Fleet string `json:"fleet"`
	// Flake is the flake reference the commands build from: "." (a checkout, the default)
	// or a URL. Darwin commands read it on the Mac they run on.
	Flake  string  `json:"flake"`
	Phases []Phase `json:"phases"`
}

// Phase is one deployment phase. Number is 1-based; a fleet without phases has one phase
// numbered 0 holding every machine.
type Phase struct {
	Number   int       `json:"number"`
	Name     string    `json:"name"`
	Machines []Machine `json:"machines"`
}

// Machine is one machine's place in the plan and its commands.
type Machine struct {
	Name         string   `json:"name"`
	Class        string   `json:"class"`
	System       string   `json:"system"`
	DeployTarget string   `json:"deployTarget,omitempty"`
	Roles        []string `json:"roles,omitempty"` // instance/role
	Controller   bool     `json:"controller,omitempty"`
	Primary      bool     `json:"primary,omitempty"`
	DryRun       Command  `json:"dryRun"`
	Build        Command  `json:"build"`
	Switch       Command  `json:"switch"`
	Rollback     Command  `json:"rollback"`
}

// Command is one command line and where it runs.
type Command struct {
	// On is the machine the command runs on; empty for the machine you deploy from, in a
	// checkout of the flake.
	On string `json:"on,omitempty"`
	// SSH is the ssh destination (user@host) that reaches On; empty when On is empty or
	// the machine has no deploy target (then run the command on it directly).
	SSH  string   `json:"ssh,omitempty"`
	Port string   `json:"port,omitempty"` // ssh port, when the deploy target names one
	Argv []string `json:"argv"`
}

// Option changes how [Build] plans.
type Option func(*Plan)

// Flake sets the flake reference the commands build from (default ".").
func Flake(ref string) Option { return func(p *Plan) { p.Flake = ref } }

// Build plans the deployment of m.
func Build(m *compiler.Model, opts ...Option) Plan {
	p := Plan{Fleet: m.Fleet.Name, Flake: "."}
	for _, o := range opts {
		o(&p)
	}
	if len(m.Phases) == 0 {
		p.Phases = []Phase{{Number: 0, Name: "all machines", Machines: p.machines(m.Machines)}}
		return p
	}
	for _, ph := range m.Phases {
		var ms []*compiler.Machine
		for _, dm := range ph.Machines {
			if cm := find(m, dm); cm != nil && !slices.Contains(ms, cm) {
				ms = append(ms, cm)
			}
		}
		p.Phases = append(p.Phases, Phase{Number: ph.Number, Name: ph.Name, Machines: p.machines(ms)})
	}
	return p
}

func find(m *compiler.Model, dm *dsl.Machine) *compiler.Machine {
	for _, x := range m.Machines {
		if x.Machine == dm {
			return x
		}
	}
	return nil
}

// rank orders machines within a phase: controllers, then the others, the primary last.
func rank(m *compiler.Machine) int {
	switch {
	case m.Primary:
		return 2
	case isController(m):
		return 0
	}
	return 1
}

func isController(m *compiler.Machine) bool {
	for _, r := range m.Roles {
		if r.Role == "controller" {
			return true
		}
	}
	return false
}

func (p *Plan) machines(ms []*compiler.Machine) []Machine {
	ms = slices.Clone(ms)
	slices.SortStableFunc(ms, func(a, b *compiler.Machine) int { return rank(a) - rank(b) })
	out := make([]Machine, 0, len(ms))
	for _, m := range ms {
		out = append(out, p.machine(m))
	}
	return out
}

func (p *Plan) machine(m *compiler.Machine) Machine {
	pm := Machine{
		Name:         m.Name,
		Class:        string(m.Class),
		System:       string(m.System),
		DeployTarget: m.DeployTarget,
		Controller:   isController(m),
		Primary:      m.Primary,
	}
	for _, r := range m.Roles {
		pm.Roles = append(pm.Roles, r.Instance.Name+"/"+r.Role)
	}
	ssh, port, user := splitTarget(m.DeployTarget)
	onHost := func(argv ...string) Command {
		return Command{On: m.Name, SSH: ssh, Port: port, Argv: argv}
	}
	// sudo when the commands run as someone else than root: over ssh as user@, or on the
	// machine itself (the user is unknown).
	sudo := func(argv ...string) []string {
		if user == "root" {
			return argv
		}
		return append([]string{"sudo"}, argv...)
	}
	if m.Class == dsl.Darwin {
		ref := p.Flake + "#" + m.Name
		pm.DryRun = onHost(sudo("darwin-rebuild", "check", "--flake", ref)...)
		pm.Build = onHost("darwin-rebuild", "build", "--flake", ref)
		pm.Switch = onHost(sudo("darwin-rebuild", "switch", "--flake", ref)...)
		pm.Rollback = onHost(sudo("darwin-rebuild", "--rollback")...)
		return pm
	}
	clan := func(args ...string) []string {
		argv := append([]string{"clan", "machines"}, args...)
		if p.Flake != "." {
			argv = append(argv, "--flake", p.Flake)
		}
		return argv
	}
	pm.DryRun = Command{Argv: clan("build", m.Name, "--dry-run")}
	pm.Build = Command{Argv: clan("build", m.Name)}
	update := []string{"update", m.Name}
	if m.DeployTarget != "" {
		update = append(update, "--target-host", m.DeployTarget)
	}
	pm.Switch = Command{Argv: clan(update...)}
	pm.Rollback = onHost(sudo("nixos-rebuild", "switch", "--rollback")...)
	return pm
}

// splitTarget splits a clan deploy target, user@host[:port] (an IPv6 host in brackets when
// there is a port), into the ssh destination (user@host), the port and the user.
func splitTarget(t string) (dest, port, user string) {
	dest = t
	if u, _, ok := strings.Cut(t, "@"); ok {
		user = u
	}
	host := t[len(user)+min(1, len(user)):]
	if strings.HasPrefix(host, "[") {
		if addr, rest, ok := strings.Cut(host[1:], "]"); ok {
			dest = t[:len(t)-len(host)] + addr
			port = strings.TrimPrefix(rest, ":")
		}
	} else if h, p, ok := strings.Cut(host, ":"); ok && !strings.Contains(p, ":") {
		if _, err := strconv.Atoi(p); err == nil {
			dest, port = t[:len(t)-len(host)]+h, p
		}
	}
	return dest, port, user
}

// Only returns the plan for one phase, given by number or name.
func (p Plan) Only(phase string) (Plan, error) {
	for _, ph := range p.Phases {
		if strconv.Itoa(ph.Number) == phase || ph.Name == phase {
			p.Phases = []Phase{ph}
			return p, nil
		}
	}
	var names []string
	for _, ph := range p.Phases {
		names = append(names, fmt.Sprintf("%d (%s)", ph.Number, ph.Name))
	}
	if len(names) == 0 {
		return Plan{}, errors.New("the fleet has no machines to plan")
	}
	return Plan{}, fmt.Errorf("no phase %q; the phases are %s", phase, strings.Join(names, ", "))
}

// String renders the command as one shell line: over ssh (with a terminal, for sudo) when
// it runs on a machine with a deploy target.
func (c Command) String() string {
	var b strings.Builder
	if c.SSH != "" {
		b.WriteString("ssh -t ")
		if c.Port != "" {
			b.WriteString("-p " + c.Port + " ")
		}
		b.WriteString(shellQuote(c.SSH) + " -- ")
	}
	quoted := make([]string, len(c.Argv))
	for i, a := range c.Argv {
		quoted[i] = shellQuote(a)
	}
	line := strings.Join(quoted, " ")
	if c.SSH != "" && line != strings.Join(c.Argv, " ") {
		// ssh hands the words to the remote shell as one line: quote them for it, and the
		// line for the local shell.
		line = shellQuote(line)
	}
	b.WriteString(line)
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe characters.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@#=+,%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// WriteText writes the plan for people to read.
func (p Plan) WriteText(w io.Writer) error {
	var b strings.Builder
	n := 0
	for _, ph := range p.Phases {
		n += len(ph.Machines)
	}
	fmt.Fprintf(&b, "Deployment plan for %s: %s, %s.\n", p.Fleet, count(len(p.Phases), "phase"), count(n, "machine"))
	fmt.Fprintf(&b, "Run the phases in order and the machines of a phase in order; check each before the next.\n")
	fmt.Fprintf(&b, "Commands without ssh run where you deploy from, with the flake %q.\n", p.Flake)
	fmt.Fprintf(&b, "Darwin commands run on the Mac itself, over ssh when it has a deploy target, and read\n")
	if p.Flake == "." {
		fmt.Fprintf(&b, "the flake \".\" there: a checkout in the ssh login directory (or pass --flake URL).\n")
	} else {
		fmt.Fprintf(&b, "the flake %q there.\n", p.Flake)
	}
	for _, ph := range p.Phases {
		if ph.Number > 0 {
			fmt.Fprintf(&b, "\nPhase %d: %s\n", ph.Number, ph.Name)
		} else {
			fmt.Fprintf(&b, "\n%s (no phases declared)\n", ph.Name)
		}
		for _, m := range ph.Machines {
			fmt.Fprintf(&b, "  %s: %s %s", m.Name, m.Class, m.System)
			if m.DeployTarget != "" {
				fmt.Fprintf(&b, ", deployed to %s", m.DeployTarget)
			}
			switch {
			case m.Controller:
				b.WriteString(", controller: before its peers")
			case m.Primary:
				b.WriteString(", primary workstation: last")
			}
			b.WriteString("\n")
			if len(m.Roles) > 0 {
				fmt.Fprintf(&b, "    roles     %s\n", strings.Join(m.Roles, ", "))
			}
			for _, c := range []struct {
				stage string
				cmd   Command
			}{{"dry-run", m.DryRun}, {"build", m.Build}, {"switch", m.Switch}, {"rollback", m.Rollback}} {
				line := c.cmd.String()
				if c.cmd.On != "" && c.cmd.SSH == "" {
					line += "   (on " + c.cmd.On + ")"
				}
				fmt.Fprintf(&b, "    %-9s %s\n", c.stage, line)
			}
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteJSON writes the plan as indented JSON, for tools.
func (p Plan) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(p)
}

func count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
