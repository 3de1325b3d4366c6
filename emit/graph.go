package emit

import "github.com/nixfleet/fleet/graph"

// SVGPath is the picture of the fleet FLEET.md shows.
const SVGPath = "fleet.svg"

// picture writes fleet.svg: the machines by phase, the service instances and the overlay
// network (package graph).
func (e *emitter) picture() {
	if _, dup := e.tree[SVGPath]; dup {
		e.errorf("%s: generated twice", SVGPath)
		return
	}
	e.tree[SVGPath] = graph.SVG(e.m, Header)
}
