package graph_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/golden/fleets"
	"github.com/nixfleet/fleet/graph"
	"github.com/nixfleet/fleet/internal/nixtest"
)

// testFleets are the golden fleets plus one whose phase names and description need
// escaping and whose names are long.
func testFleets() []fleets.Fleet {
	return append(fleets.All[:len(fleets.All):len(fleets.All)], fleets.Fleet{Name: "awkward", Build: func() *dsl.Fleet {
		f := dsl.New("awkward")
		f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
		a := f.NixOS("a-very-long-machine-name-for-a-server", dsl.StateVersion("25.11"), dsl.AlwaysOn())
		b := f.NixOS("b", dsl.StateVersion("25.11"), dsl.OnSystem(dsl.AArch64Linux))
		c := f.NixOS("c", dsl.StateVersion("25.11"))
		f.Zerotier("net", a, dsl.Peers(b, c))
		f.SSHD("ssh-with-a-rather-long-instance-name", dsl.Servers(dsl.All), dsl.Clients(dsl.All))
		f.Phase(`<first> & "quoted"`, a)
		f.Phase("second, with a long name that is wider than one column", b, c)
		return f
	}})
}

type rect struct{ x, y, w, h float64 }

func (r rect) overlaps(o rect) bool {
	return r.x < o.x+o.w && o.x < r.x+r.w && r.y < o.y+o.h && o.y < r.y+r.h
}

// parsed is what the tests read back from the SVG.
type parsed struct {
	texts  []string
	boxes  []rect // machine boxes (rx 6)
	pills  []rect // role pills (rx 10)
	arrows int    // paths with an arrow marker
	width  float64
	height float64
	all    []rect // every rect but the background
}

func parse(t *testing.T, svg []byte) parsed {
	t.Helper()
	var p parsed
	d := xml.NewDecoder(bytes.NewReader(svg))
	var inText bool
	var cur strings.Builder
	roots := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			attr := map[string]string{}
			for _, a := range tok.Attr {
				attr[a.Name.Local] = a.Value
			}
			f := func(k string) float64 {
				v, err := strconv.ParseFloat(attr[k], 64)
				if err != nil && attr[k] != "100%" {
					t.Fatalf("<%s %s=%q>: %v", tok.Name.Local, k, attr[k], err)
				}
				return v
			}
			switch tok.Name.Local {
			case "svg":
				roots++
				p.width, p.height = f("width"), f("height")
			case "text":
				inText = true
				cur.Reset()
			case "rect":
				if attr["width"] == "100%" {
					continue
				}
				r := rect{f("x"), f("y"), f("width"), f("height")}
				p.all = append(p.all, r)
				switch attr["rx"] {
				case "6":
					p.boxes = append(p.boxes, r)
				case "10":
					p.pills = append(p.pills, r)
				}
			case "path":
				if attr["marker-end"] != "" {
					p.arrows++
				}
			}
		case xml.CharData:
			if inText {
				cur.Write(tok)
			}
		case xml.EndElement:
			if tok.Name.Local == "text" {
				inText = false
				p.texts = append(p.texts, cur.String())
			}
		}
	}
	if roots != 1 {
		t.Fatalf("%d svg elements", roots)
	}
	return p
}

func TestSVG(t *testing.T) {
	for _, fl := range testFleets() {
		t.Run(fl.Name, func(t *testing.T) {
			m, ds := compiler.Compile(fl.Build(), compiler.Today(fleets.Today))
			if ds.HasErrors() {
				t.Fatal(ds.Err())
			}
			svg := graph.SVG(m, "Generated -- by a test")
			if !bytes.Equal(svg, graph.SVG(m, "Generated -- by a test")) {
				t.Fatal("two drawings of the same model differ")
			}
			if !bytes.HasPrefix(svg, []byte("<!-- Generated - - by a test -->\n<svg ")) {
				t.Errorf("does not start with the comment and the svg element: %.80q", svg)
			}
			p := parse(t, svg)
			has := func(s string) bool {
				for _, x := range p.texts {
					if x == s {
						return true
					}
				}
				return false
			}
			for _, mm := range m.Machines {
				if !has(mm.Name) {
					t.Errorf("machine %s is not drawn", mm.Name)
				}
			}
			if len(p.boxes) != len(m.Machines) {
				t.Errorf("%d machine boxes for %d machines", len(p.boxes), len(m.Machines))
			}
			pills, arcs := 0, 0
			for _, inst := range m.Instances {
				if !has(inst.Name) {
					t.Errorf("instance %s is not drawn", inst.Name)
				}
				members := map[*compiler.Machine]bool{}
				for _, r := range inst.Roles {
					for _, mm := range r.Members {
						members[mm] = true
					}
				}
				pills += len(members)
				if inst.Service == "zerotier" {
					arcs += len(members) - 1 // from the controller to each other member
				}
			}
			for _, ph := range m.Phases {
				title := fmt.Sprintf("%d · %s", ph.Number, ph.Name)
				if !has(title) {
					t.Errorf("phase %q is not drawn", title)
				}
			}
			if len(p.pills) != pills {
				t.Errorf("%d role pills, want one per instance member: %d", len(p.pills), pills)
			}
			if p.arrows != arcs+1 { // and the legend's
				t.Errorf("%d arrows, want %d overlay arcs and the legend's", p.arrows, arcs)
			}
			// Layout: boxes and pills do not overlap each other, everything is inside the
			// picture.
			for _, group := range [][]rect{p.boxes, p.pills} {
				for i := range group {
					for j := range i {
						if group[i].overlaps(group[j]) {
							t.Errorf("overlap: %v and %v", group[i], group[j])
						}
					}
				}
			}
			for _, r := range p.all {
				if r.x < 0 || r.y < 0 || r.x+r.w > p.width || r.y+r.h > p.height {
					t.Errorf("%v lies outside the %gx%g picture", r, p.width, p.height)
				}
			}
			render(t, fl.Name, svg)
		})
	}
}

// render converts the SVG to PNG with rsvg-convert when it is installed (apt-get install
// librsvg2-bin); with FLEET_REQUIRE_NIX=1 (CI) it must be.
func render(t *testing.T, name string, svg []byte) {
	t.Helper()
	bin := nixtest.Tool(t, "rsvg-convert")
	dir := t.TempDir()
	in, out := filepath.Join(dir, name+".svg"), filepath.Join(dir, name+".png")
	if err := os.WriteFile(in, svg, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(bin, in, "-o", out).CombinedOutput(); err != nil || len(b) > 0 {
		t.Fatalf("rsvg-convert: %v\n%s", err, b)
	}
	png, err := os.ReadFile(out)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("rsvg-convert wrote no PNG: %v", err)
	}
}
