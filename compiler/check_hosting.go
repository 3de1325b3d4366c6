package compiler

import "regexp"

// hetznerNameRE is the shape of Hetzner Cloud server types ("cx43"), locations ("fsn1")
// and image names ("debian-12").
var hetznerNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// checkHosting checks each hosted machine's declaration, which becomes a Hetzner Cloud
// server in the terranix configuration: the provider is one the emitter knows (hetzner) and
// the server type, location and image are all given.
func (cc *compilation) checkHosting() {
	for _, m := range cc.model.Machines {
		h := m.Hosting
		if h == nil {
			continue
		}
		if h.Provider != "hetzner" {
			d := cc.r.errorf(m.Pos, "machine %q: unknown hosting provider %q", m.Name, h.Provider)
			d.Hint = didYouMean(h.Provider, []string{"hetzner"})
			if d.Hint == "" {
				d.Hint = `the only provider is "hetzner" (Hetzner Cloud, through terranix)`
			}
		}
		for _, f := range []struct{ name, v, eg string }{
			{"server type", h.ServerType, "cx43"}, {"location", h.Location, "fsn1"}, {"image", h.Image, "debian-12"},
		} {
			switch {
			case f.v == "":
				cc.r.errorf(m.Pos, "machine %q: hosting has no %s", m.Name, f.name).Hint = "for example " + `"` + f.eg + `"`
			case !hetznerNameRE.MatchString(f.v):
				cc.r.errorf(m.Pos, "machine %q: hosting %s %q is not a Hetzner Cloud name", m.Name, f.name, f.v).Hint = "lower-case letters, digits, . and -, such as " + `"` + f.eg + `"`
			}
		}
	}
}
