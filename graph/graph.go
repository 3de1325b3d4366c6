// Package graph draws a fleet as an SVG picture: the machines in deployment order, grouped
// by phase and coloured by class; every service instance as a lane below them with its
// members' roles; and each zerotier overlay network as arcs from its controller to its
// peers. The layout is computed, not searched: the same model always gives the same bytes,
// and no tool is needed to render it.
package graph

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/plan"
)

// Layout constants, in SVG user units (pixels).
const (
	margin    = 20.0
	colGap    = 16.0
	boxH      = 64.0
	laneH     = 36.0
	pillH     = 20.0
	titleSize = 18.0
	textSize  = 13.0
	smallSize = 11.0
	fontStack = "DejaVu Sans, Verdana, Helvetica, Arial, sans-serif"
)

// Colours.
const (
	ink        = "#1f2933"
	muted      = "#52606d"
	guide      = "#b8c2cc"
	laneColour = "#627d98"
	overlay    = "#d9480f" // zerotier
)

// classStyle is how a class of machine is drawn: fill and stroke.
var classStyle = map[string][2]string{
	"nixos":  {"#dbeafe", "#3b6cb4"},
	"darwin": {"#fde7d3", "#b9722f"},
}

var otherClass = [2]string{"#e4e7eb", "#616e7c"}

// textWidth estimates the rendered width of s at a font size: a conservative average
// advance for the sans-serif fonts named in fontStack (DejaVu Sans is among the widest).
func textWidth(s string, size float64, bold bool) float64 {
	f := 0.64
	if bold {
		f = 0.72
	}
	return float64(len([]rune(s))) * size * f
}

// column is one machine's place in the picture.
type column struct {
	m  plan.Machine
	x  float64 // left edge of the column
	cx float64 // centre
}

// SVG draws the fleet. comment, when not empty, is written as an XML comment before the
// root element (the generated-file header).
func SVG(m *compiler.Model, comment string) []byte {
	p := plan.Build(m)

	// Widths: the label column on the left holds the instance names; machine columns are
	// as wide as the widest machine text and wide enough for their phase's title.
	labelW := 0.0
	for _, inst := range m.Instances {
		labelW = max(labelW, textWidth(inst.Name, textSize, true), textWidth(inst.Service, smallSize, false))
	}
	if len(m.Instances) > 0 {
		labelW = max(labelW+24, 120)
	}
	colW := 130.0
	for _, ph := range p.Phases {
		for _, pm := range ph.Machines {
			colW = max(colW, textWidth(pm.Name, textSize, true)+24, textWidth(pm.System, smallSize, false)+24)
		}
		if n := len(ph.Machines); n > 0 {
			colW = max(colW, (textWidth(phaseTitle(ph), textSize, true)+20+colGap)/float64(n)-colGap)
		}
	}
	colW = math.Ceil(colW)

	var cols []*column
	x0 := margin + labelW
	for _, ph := range p.Phases {
		for _, pm := range ph.Machines {
			x := x0 + float64(len(cols))*(colW+colGap)
			cols = append(cols, &column{m: pm, x: x, cx: x + colW/2})
		}
	}
	byName := map[string]*column{}
	for _, c := range cols {
		byName[c.m.Name] = c
	}

	// Overlay arcs: controller -> every other member of each zerotier instance.
	type arc struct {
		from, to *column
		colour   string
		h        float64
	}
	var arcs []arc
	zerotier := map[string]bool{}
	for _, inst := range m.Instances {
		if inst.Service != "zerotier" {
			continue
		}
		zerotier[inst.Name] = true
		var ctl []*compiler.Machine
		for _, r := range inst.Roles {
			if r.Name == "controller" {
				ctl = r.Members
			}
		}
		for _, c := range ctl {
			seen := map[string]bool{c.Name: true}
			for _, r := range inst.Roles {
				for _, mem := range r.Members {
					if seen[mem.Name] || byName[c.Name] == nil || byName[mem.Name] == nil {
						continue
					}
					seen[mem.Name] = true
					from, to := byName[c.Name], byName[mem.Name]
					dx := math.Abs(to.cx - from.cx)
					arcs = append(arcs, arc{from, to, overlay, math.Round(24 + dx*0.22)})
				}
			}
		}
	}
	arcRegion := 0.0
	for _, a := range arcs {
		arcRegion = max(arcRegion, a.h*0.75+10) // a cubic Bézier peaks at 3/4 of its control height
	}

	width := math.Ceil(x0 + float64(len(cols))*(colW+colGap) - colGap + margin)
	if len(cols) == 0 {
		width = x0 + margin
	}
	title := fmt.Sprintf("Fleet %s: %s, %s", m.Fleet.Name, count(len(m.Machines), "machine"), count(len(m.Instances), "service instance"))
	width = max(width, math.Ceil(margin*2+textWidth(title, titleSize, true)), 560)

	panelTop := margin + titleSize + 14
	phaseTextY := panelTop + 20
	boxTop := panelTop + 32 + arcRegion
	panelBottom := boxTop + boxH + 12
	laneTop := panelBottom + 22
	lanesBottom := laneTop + float64(len(m.Instances))*laneH
	legendTop := lanesBottom + 18
	height := math.Ceil(legendTop + 44 + margin)

	w := &writer{}
	if comment != "" {
		w.printf("<!-- %s -->\n", strings.ReplaceAll(comment, "--", "- -"))
	}
	w.printf(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %s %s" font-family="%s" font-size="%s">`+"\n",
		num(width), num(height), num(width), num(height), fontStack, num(textSize))
	w.printf("<title>")
	w.text(title)
	w.printf("</title>\n")
	w.printf(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="%s"/></marker></defs>`+"\n", overlay)
	w.printf(`<rect width="100%%" height="100%%" fill="#ffffff"/>` + "\n")
	w.textAt(margin, margin+titleSize-2, title, `font-size="`+num(titleSize)+`" font-weight="bold" fill="`+ink+`"`, 0)

	// Phase panels with their titles.
	i := 0
	for k, ph := range p.Phases {
		if len(ph.Machines) == 0 {
			continue
		}
		first, last := cols[i], cols[i+len(ph.Machines)-1]
		i += len(ph.Machines)
		fill := "#f5f7fa"
		if k%2 == 1 {
			fill = "#eaeef3"
		}
		px, pw := first.x-colGap/2+2, last.x+colW-first.x+colGap-4
		w.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="8" fill="%s" stroke="#d3dae3"/>`+"\n",
			num(px), num(panelTop), num(pw), num(panelBottom-panelTop), fill)
		w.textAt(px+10, phaseTextY, phaseTitle(ph), `font-weight="bold" fill="`+muted+`"`, pw-20)
	}

	// Guides from each machine down through the lanes.
	for _, c := range cols {
		if len(m.Instances) > 0 {
			w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-dasharray="3 4"/>`+"\n",
				num(c.cx), num(boxTop+boxH), num(c.cx), num(lanesBottom-laneH/2), guide)
		}
	}

	// Overlay arcs above the machines.
	for _, a := range arcs {
		y := boxTop - 2
		w.printf(`<path d="M%s,%s C%s,%s %s,%s %s,%s" fill="none" stroke="%s" stroke-width="2.5" marker-end="url(#arrow)"/>`+"\n",
			num(a.from.cx), num(y), num(a.from.cx), num(y-a.h), num(a.to.cx), num(y-a.h), num(a.to.cx), num(y), a.colour)
	}

	// Machine boxes.
	for _, c := range cols {
		st, ok := classStyle[c.m.Class]
		if !ok {
			st = otherClass
		}
		strokeW := "1.5"
		if c.m.Controller {
			st[1], strokeW = overlay, "3"
		}
		w.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="6" fill="%s" stroke="%s" stroke-width="%s"/>`+"\n",
			num(c.x), num(boxTop), num(colW), num(boxH), st[0], st[1], strokeW)
		w.textMid(c.cx, boxTop+20, c.m.Name, `font-weight="bold" fill="`+ink+`"`, colW-12)
		w.textMid(c.cx, boxTop+37, c.m.Class+" · "+c.m.System, `font-size="`+num(smallSize)+`" fill="`+muted+`"`, colW-12)
		var notes []string
		if c.m.Controller {
			notes = append(notes, "controller")
		}
		if c.m.Primary {
			notes = append(notes, "primary, last")
		}
		if len(notes) > 0 {
			w.textMid(c.cx, boxTop+54, strings.Join(notes, ", "), `font-size="`+num(smallSize)+`" font-style="italic" fill="`+ink+`"`, colW-12)
		}
	}

	// Instance lanes: the instance on the left, a line to its members, each member's roles
	// in a pill under the machine.
	for k, inst := range m.Instances {
		y := laneTop + float64(k)*laneH
		mid := y + laneH/2
		colour, sw := laneColour, "1.5"
		if zerotier[inst.Name] {
			colour, sw = overlay, "2.5"
		}
		roles := map[*column][]string{}
		var members []*column
		for _, r := range inst.Roles {
			for _, mem := range r.Members {
				c := byName[mem.Name]
				if c == nil {
					continue
				}
				if !slices.Contains(members, c) {
					members = append(members, c)
				}
				roles[c] = append(roles[c], r.Name)
			}
		}
		right := margin + labelW - 8
		for _, c := range members {
			right = max(right, c.cx)
		}
		if len(members) > 0 {
			w.printf(`<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="%s"/>`+"\n",
				num(margin+labelW-8), num(mid), num(right), num(mid), colour, sw)
		}
		w.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="4" fill="#ffffff" stroke="%s" stroke-width="%s"/>`+"\n",
			num(margin), num(y+3), num(labelW-8), num(laneH-6), colour, sw)
		w.textAt(margin+8, y+17, inst.Name, `font-weight="bold" fill="`+ink+`"`, labelW-24)
		w.textAt(margin+8, y+29, inst.Service, `font-size="`+num(smallSize-1)+`" fill="`+muted+`"`, labelW-24)
		for _, c := range members {
			label := strings.Join(roles[c], ", ")
			pw := min(textWidth(label, smallSize, false)+14, colW-8)
			w.printf(`<rect x="%s" y="%s" width="%s" height="%s" rx="10" fill="#ffffff" stroke="%s" stroke-width="%s"/>`+"\n",
				num(c.cx-pw/2), num(mid-pillH/2), num(pw), num(pillH), colour, sw)
			w.textMid(c.cx, mid+4, label, `font-size="`+num(smallSize)+`" fill="`+ink+`"`, pw-10)
		}
	}

	// Legend.
	lx := margin
	ly := legendTop
	for _, cl := range []string{"nixos", "darwin"} {
		st := classStyle[cl]
		w.printf(`<rect x="%s" y="%s" width="22" height="14" rx="3" fill="%s" stroke="%s" stroke-width="1.5"/>`+"\n", num(lx), num(ly), st[0], st[1])
		w.textAt(lx+28, ly+12, cl+" machine", `fill="`+ink+`"`, 0)
		lx += 28 + textWidth(cl+" machine", textSize, false) + 18
	}
	w.printf(`<path d="M%s,%s L%s,%s" stroke="%s" stroke-width="2.5" marker-end="url(#arrow)"/>`+"\n", num(lx), num(ly+7), num(lx+30), num(ly+7), overlay)
	w.textAt(lx+38, ly+12, "zerotier overlay: controller → members", `fill="`+ink+`"`, 0)
	w.textAt(margin, ly+34, "Columns: deployment phases, left to right. Lanes: service instances, with each member's roles.",
		`font-size="`+num(smallSize)+`" fill="`+muted+`"`, width-2*margin)
	w.printf("</svg>\n")
	return w.b.Bytes()
}

func phaseTitle(ph plan.Phase) string {
	if ph.Number == 0 {
		return ph.Name
	}
	return fmt.Sprintf("%d · %s", ph.Number, ph.Name)
}

func count(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// num formats a coordinate: at most two decimals, no trailing zeros.
func num(f float64) string {
	s := fmt.Sprintf("%.2f", f)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "-0" {
		return "0"
	}
	return s
}

type writer struct{ b bytes.Buffer }

func (w *writer) printf(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// text writes s escaped for XML character data.
func (w *writer) text(s string) { xml.EscapeText(&w.b, []byte(s)) }

// textAt writes a left-aligned text element; when maxW > 0 and s would be wider, it is
// squeezed to maxW so it never runs out of its box.
func (w *writer) textAt(x, y float64, s, attrs string, maxW float64) {
	w.textElem(x, y, s, attrs, maxW, "")
}

// textMid writes a centred text element, squeezed like textAt.
func (w *writer) textMid(x, y float64, s, attrs string, maxW float64) {
	w.textElem(x, y, s, attrs, maxW, ` text-anchor="middle"`)
}

func (w *writer) textElem(x, y float64, s, attrs string, maxW float64, anchor string) {
	w.printf(`<text x="%s" y="%s"%s %s`, num(x), num(y), anchor, attrs)
	size := textSize
	if strings.Contains(attrs, `font-size="`+num(smallSize)+`"`) {
		size = smallSize
	}
	if maxW > 0 && textWidth(s, size, strings.Contains(attrs, "bold")) > maxW {
		w.printf(` textLength="%s" lengthAdjust="spacingAndGlyphs"`, num(maxW))
	}
	w.printf(">")
	w.text(s)
	w.printf("</text>\n")
}
