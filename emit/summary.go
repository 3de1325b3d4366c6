package emit

import (
	"fmt"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// summary writes FLEET.md, a reader's summary of the fleet (no Nix).
func (e *emitter) summary() {
	var w strings.Builder
	f := e.m.Fleet
	fmt.Fprintf(&w, "<!-- %s -->\n\n# Fleet %s\n\n", Header, f.Name)
	if f.Description != "" {
		fmt.Fprintf(&w, "%s\n\n", f.Description)
	}
	if f.Domain != "" {
		fmt.Fprintf(&w, "Domain: `%s`\n\n", f.Domain)
	}

	fmt.Fprintf(&w, "![fleet](%s)\n\n", SVGPath)
	w.WriteString("## Machines\n\n")
	if len(e.m.Machines) == 0 {
		w.WriteString("None.\n\n")
	} else {
		w.WriteString("| Machine | Class | System | Tags | Phase | Deploy target | Description |\n")
		w.WriteString("|---|---|---|---|---|---|---|\n")
		for _, m := range e.m.Machines {
			phase := "-"
			if m.Phase > 0 {
				phase = fmt.Sprintf("%d (%s)", m.Phase, e.m.Phases[m.Phase-1].Name)
			}
			row(&w, m.Name, string(m.Class), string(m.System), strings.Join(m.Tags, ", "), phase, orDash(m.DeployTarget), orDash(m.Description))
		}
		w.WriteString("\n")
	}

	if len(e.m.Phases) > 0 {
		w.WriteString("## Deployment phases\n\n")
		for _, p := range e.m.Phases {
			var names []string
			for _, m := range p.Machines {
				if m != nil {
					names = append(names, m.Name)
				}
			}
			fmt.Fprintf(&w, "%d. %s: %s\n", p.Number, p.Name, strings.Join(names, ", "))
		}
		w.WriteString("\n")
	}

	w.WriteString("## Service instances\n\n")
	if len(e.m.Instances) == 0 {
		w.WriteString("None.\n\n")
	}
	for _, inst := range e.m.Instances {
		fmt.Fprintf(&w, "### %s (%s from %s)\n\n", inst.Name, inst.Service, instanceInput(inst))
		for _, r := range inst.Roles {
			fmt.Fprintf(&w, "- %s: %s", r.Name, orDash(machineNames(r.Members)))
			if len(r.Tags) > 0 {
				fmt.Fprintf(&w, " (tags: %s)", strings.Join(r.Tags, ", "))
			}
			w.WriteString("\n")
		}
		if len(inst.DarwinMembers) > 0 {
			impl := "none: clan's module does nothing there"
			if inst.DarwinImpl != nil {
				impl = "feature " + inst.DarwinImpl.Name
				switch {
				case dsl.IsZerotierHomebrew(inst.DarwinImpl):
					impl = "Homebrew zerotier-one cask (generated)"
				case dsl.IsUsersAccounts(inst.DarwinImpl):
					impl = "the user's generated darwin account module (users/<user>)"
				}
			}
			fmt.Fprintf(&w, "- darwin members: %s, via %s\n", machineNames(inst.DarwinMembers), impl)
		}
		w.WriteString("\n")
	}

	w.WriteString("## Hotfixes\n\n")
	if len(e.m.Overlays.Hotfixes) == 0 {
		w.WriteString("None.\n\n")
	} else {
		if e.cfg.today.IsZero() {
			w.WriteString("Ages are shown once the fleet records its last review (dsl.HotfixesReviewedOn).\n\n")
		} else {
			fmt.Fprintf(&w, "Ages as of %s.\n\n", e.cfg.today.Format("2006-01-02"))
		}
		w.WriteString("| Package | From | Platforms | Added | Age | Reason | Remove when | Remove by |\n")
		w.WriteString("|---|---|---|---|---|---|---|---|\n")
		for _, h := range e.m.Overlays.Hotfixes {
			added, age := "-", "-"
			if !h.Added.IsZero() {
				added = h.Added.String()
			}
			if !h.Added.IsZero() && !e.cfg.today.IsZero() {
				age = fmt.Sprintf("%d days", int(e.cfg.today.Sub(h.Added.Time()).Hours()/24))
			}
			by := "-"
			if !h.RemoveBy.IsZero() {
				by = h.RemoveBy.String()
				if !e.cfg.today.IsZero() && e.cfg.today.After(h.RemoveBy.Time()) {
					by += " (overdue)"
				}
			}
			row(&w, h.Package, string(h.From), platformsText(h.Platforms), added, age, orDash(h.Reason), orDash(h.RemoveWhen), by)
		}
		w.WriteString("\n")
	}
	if len(e.m.Overlays.Patches) > 0 {
		w.WriteString("## Patches (pkgs.patched)\n\n")
		for _, p := range e.m.Overlays.Patches {
			fmt.Fprintf(&w, "- <%s>: %s\n", p.URL, orDash(p.Reason))
		}
		w.WriteString("\n")
	}
	if len(e.m.Overlays.Overrides) > 0 {
		w.WriteString("## Overrides\n\n")
		for _, o := range e.m.Overlays.Overrides {
			fmt.Fprintf(&w, "- %s on %s: %s\n", o.Package, platformsText(o.Platforms), orDash(o.Reason))
		}
		w.WriteString("\n")
	}

	w.WriteString("## Generators\n\n")
	if len(e.m.Generators) == 0 {
		w.WriteString("None.\n")
	}
	for i, g := range e.m.Generators {
		if i > 0 {
			w.WriteString("\n")
		}
		share := "per machine"
		if g.Share {
			share = "shared"
		}
		fmt.Fprintf(&w, "### %s (%s)\n\n", g.Name, share)
		fmt.Fprintf(&w, "- machines: %s\n", orDash(machineNames(g.Machines)))
		if len(g.Dependencies) > 0 {
			var deps []string
			for _, d := range g.Dependencies {
				if d != nil {
					deps = append(deps, d.Name)
				}
			}
			fmt.Fprintf(&w, "- depends on: %s\n", strings.Join(deps, ", "))
		}
		for _, p := range g.Prompts {
			fmt.Fprintf(&w, "- prompt `%s` (%s): %s\n", p.Name, orDefault(string(p.Type), "line"), orDash(p.Description))
		}
		for _, fl := range g.Files {
			kind := "public"
			if fl.Secret {
				kind = "secret"
			}
			deploy := "deployed"
			if !fl.Deploy {
				deploy = "not deployed"
			}
			fmt.Fprintf(&w, "- file `%s`: %s, %s, needed for %s\n", fl.Name, kind, deploy, orDefault(string(fl.NeededFor), "services"))
		}
	}
	e.tree["FLEET.md"] = []byte(w.String())
}

func machineNames(ms []*compiler.Machine) string {
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

func row(w *strings.Builder, cells ...string) {
	w.WriteString("|")
	for _, c := range cells {
		c = strings.ReplaceAll(c, "|", `\|`)
		c = strings.ReplaceAll(c, "\n", " ")
		w.WriteString(" " + c + " |")
	}
	w.WriteString("\n")
}

func orDash(s string) string { return orDefault(s, "-") }

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
