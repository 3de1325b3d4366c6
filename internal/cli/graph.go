package cli

import (
	"flag"
	"os"
	"path/filepath"

	"github.com/nixfleet/fleet/graph"
)

var graphCommand = &command{
	name:     "graph",
	synopsis: "[-o FILE]",
	summary:  "draw the fleet as an SVG picture",
	help: `
Compiles the fleet and draws it as SVG: the machines in deployment order, grouped by
phase and coloured by class; each service instance as a lane with its members' roles; the
zerotier overlay network as arcs from the controller to its members. Writes to stdout, or
to FILE with -o. (go run ./fleet writes the same picture as fleet.svg, which FLEET.md
shows.)`,
	setup: func(fs *flag.FlagSet) func(*runner) int {
		out := fs.String("o", "", "write the SVG to `FILE` instead of stdout")
		return func(r *runner) int { return r.graph(*out) }
	},
}

func (r *runner) graph(out string) int {
	m, ok := r.compile("no picture")
	if !ok {
		return exitFail
	}
	svg := graph.SVG(m, "")
	if out == "" {
		if _, err := r.stdout.Write(svg); err != nil {
			return r.failf("%v", err)
		}
		return exitOK
	}
	if !filepath.IsAbs(out) {
		out = filepath.Join(r.dir, out)
	}
	if err := os.WriteFile(out, svg, 0o644); err != nil {
		return r.failf("%v", err)
	}
	return exitOK
}
