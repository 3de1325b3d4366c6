package compiler

import (
	"bytes"
	"errors"
	"os"
	"regexp"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
	"mvdan.cc/sh/v3/syntax"
)

var fileModeRE = regexp.MustCompile(`^[0-7]{4}$`)

var neededForNames = []string{"partitioning", "activation", "users", "services"}
var promptTypeNames = []string{"line", "hidden", "multiline", "multiline-hidden"}

// checkGenerators checks the vars generators: dependencies declared and acyclic, shared ones
// not depending on per-machine ones, scripts that parse as bash, files and prompts, the
// validation value, generators no machine uses, and restartUnits on darwin.
func (cc *compilation) checkGenerators() {
	parser := syntax.NewParser(syntax.Variant(syntax.LangBash))
	for _, g := range nonNil(cc.fleet.Generators) {
		cc.checkGeneratorDeps(g)
		cc.checkGeneratorFiles(g)
		cc.checkPrompts(g)
		cc.checkScript(parser, g)
		cc.checkValidation(g)
		scope := itemScope{owner: sprintf("generator %q", g.Name), darwin: cc.decl.hasDarwin, linux: cc.decl.hasLinux, fallbackPos: g.Pos}
		for _, v := range g.RuntimeInputs {
			switch v.Underlying().(type) {
			case dsl.PkgRef, dsl.RawNix:
				cc.checkValue(v, g.Pos, scope)
			default:
				cc.r.errorf(g.Pos, "generator %q: a runtime input is %s, not a package", g.Name, kindOf(v))
			}
		}
	}
	cc.checkGeneratorCycles()
	for _, g := range cc.model.Generators {
		if !cc.decl.generators[g.Generator] {
			continue // reported where it is used
		}
		if len(g.Machines) == 0 {
			cc.r.warnf(g.Pos, "generator %q is not used by any machine", g.Name).Hint =
				"attach it with dsl.Generators or dsl.SecretPath in a feature or machine, or delete it"
			continue
		}
		var darwin *Machine
		for _, m := range g.Machines {
			if m.Class == dsl.Darwin {
				darwin = m
				break
			}
		}
		if darwin == nil {
			continue
		}
		for _, f := range g.Files {
			if f != nil && len(f.RestartUnits) > 0 {
				d := cc.r.errorf(posOr(f.Pos, g.Pos), "file %q of generator %q restarts systemd units, but darwin machine %q uses the generator", f.Name, g.Name, darwin.Name)
				d.Hint = "clan throws on restartUnits on darwin: move the file to a NixOS-only generator or drop dsl.RestartUnits"
			}
		}
	}
}

func (cc *compilation) checkGeneratorDeps(g *dsl.Generator) {
	for i, d := range g.Dependencies {
		switch {
		case d == nil:
			cc.r.errorf(g.Pos, "generator %q: dependency %d is nil", g.Name, i+1)
		case !cc.decl.generators[d]:
			dd := cc.r.errorf(g.Pos, "generator %q depends on generator %q, which is not declared with f.Generator", g.Name, d.Name)
			dd.Related = []dsl.Pos{d.Pos}
		case g.Share && !d.Share:
			dd := cc.r.errorf(g.Pos, "shared generator %q depends on per-machine generator %q", g.Name, d.Name)
			dd.Hint = "a shared value cannot come from one machine's value: share the dependency too, or make this generator per-machine"
			dd.Related = []dsl.Pos{d.Pos}
		}
	}
}

func (cc *compilation) checkGeneratorFiles(g *dsl.Generator) {
	seen := map[string]*dsl.GenFile{}
	for i, f := range g.Files {
		if f == nil {
			cc.r.errorf(g.Pos, "generator %q: file %d is nil", g.Name, i+1)
			continue
		}
		at := posOr(f.Pos, g.Pos)
		if problem := pathNameProblem(f.Name); problem != "" {
			cc.r.errorf(at, "invalid file name %q in generator %q: %s", f.Name, g.Name, problem)
		}
		if prev := seen[f.Name]; prev != nil {
			d := cc.r.errorf(at, "generator %q declares file %q twice", g.Name, f.Name)
			d.Related = []dsl.Pos{prev.Pos}
		} else {
			seen[f.Name] = f
		}
		if !fileModeRE.MatchString(f.Mode) {
			cc.r.errorf(at, "file %q of generator %q has mode %q; a mode is four octal digits such as \"0400\"", f.Name, g.Name, f.Mode)
		}
		if !slices.Contains(neededForNames, string(f.NeededFor)) {
			d := cc.r.errorf(at, "file %q of generator %q is needed for %q, which clan does not know", f.Name, g.Name, f.NeededFor)
			d.Hint = didYouMean(string(f.NeededFor), neededForNames)
			if d.Hint == "" {
				d.Hint = "use partitioning, activation, users or services"
			}
		}
		if !f.Secret {
			var set []string
			if f.Owner != "" && f.Owner != "root" {
				set = append(set, "owner "+f.Owner)
			}
			if f.Group != "" && f.Group != "root" && f.Group != "wheel" {
				set = append(set, "group "+f.Group)
			}
			if f.Mode != "" && f.Mode != "0400" {
				set = append(set, "mode "+f.Mode)
			}
			if len(set) > 0 {
				d := cc.r.warnf(at, "public file %q of generator %q sets %s, which has no effect", f.Name, g.Name, strings.Join(set, ", "))
				d.Hint = "public files go to the Nix store, readable by all; clan warns about this too"
			}
		}
	}
	if strings.TrimSpace(g.Script) == "" && len(g.Files) > 0 {
		cc.r.errorf(g.Pos, "generator %q declares files but has no script", g.Name).Hint = "dsl.Script must write every file into $out"
	}
}

func (cc *compilation) checkPrompts(g *dsl.Generator) {
	seen := map[string]*dsl.Prompt{}
	for i, p := range g.Prompts {
		if p == nil {
			cc.r.errorf(g.Pos, "generator %q: prompt %d is nil", g.Name, i+1)
			continue
		}
		at := posOr(p.Pos, g.Pos)
		if problem := pathNameProblem(p.Name); problem != "" {
			cc.r.errorf(at, "invalid prompt name %q in generator %q: %s", p.Name, g.Name, problem)
		}
		if prev := seen[p.Name]; prev != nil {
			d := cc.r.errorf(at, "generator %q declares prompt %q twice", g.Name, p.Name)
			d.Related = []dsl.Pos{prev.Pos}
		} else {
			seen[p.Name] = p
		}
		if !slices.Contains(promptTypeNames, string(p.Type)) {
			d := cc.r.errorf(at, "prompt %q of generator %q has unknown type %q", p.Name, g.Name, p.Type)
			d.Hint = didYouMean(string(p.Type), promptTypeNames)
			if d.Hint == "" {
				d.Hint = "use dsl.Line, dsl.Hidden, dsl.Multiline or dsl.MultilineHidden"
			}
		}
	}
}

// checkScript parses the generator's script as bash. The error is reported where the script
// is in the author's file when it is a raw string literal there, else at the generator.
func (cc *compilation) checkScript(parser *syntax.Parser, g *dsl.Generator) {
	if strings.TrimSpace(g.Script) == "" {
		return
	}
	_, err := parser.Parse(strings.NewReader(g.Script), g.Name)
	if err == nil {
		return
	}
	var line, col uint
	text := err.Error()
	var pe syntax.ParseError
	var le syntax.LangError
	switch {
	case errors.As(err, &pe):
		line, col, text = pe.Pos.Line(), pe.Pos.Col(), pe.Text
	case errors.As(err, &le):
		line, col, text = le.Pos.Line(), le.Pos.Col(), le.Error()
	}
	at := g.Pos
	if start, ok := cc.scriptStart(g); ok && line > 0 {
		at = dsl.Pos{File: g.Pos.File, Line: start.Line + int(line) - 1, Col: int(col)}
		if line == 1 {
			at.Col = start.Col + int(col) - 1
		}
	}
	d := cc.r.errorf(at, "script of generator %q is not valid bash: %d:%d: %s", g.Name, line, col, text)
	if at != g.Pos {
		d.Related = []dsl.Pos{g.Pos}
	}
}

// scriptStart finds the generator's script as a raw string literal in its source file (the
// first at or after the generator's line, else the first anywhere) and returns the position
// of its first byte.
func (cc *compilation) scriptStart(g *dsl.Generator) (dsl.Pos, bool) {
	if !g.Pos.IsValid() || strings.Contains(g.Script, "`") {
		return dsl.Pos{}, false
	}
	src := cc.source(g.Pos.File)
	if src == nil {
		return dsl.Pos{}, false
	}
	lit := []byte("`" + g.Script + "`")
	from := 0
	for l := 1; l < g.Pos.Line && from < len(src); l++ {
		i := bytes.IndexByte(src[from:], '\n')
		if i < 0 {
			break
		}
		from += i + 1
	}
	i := bytes.Index(src[from:], lit)
	if i >= 0 {
		i += from
	} else if i = bytes.Index(src, lit); i < 0 {
		return dsl.Pos{}, false
	}
	off := i + 1 // after the backquote
	line := 1 + bytes.Count(src[:off], []byte("\n"))
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return dsl.Pos{File: g.Pos.File, Line: line, Col: col}, true
}

// source returns a file's contents, read once per compilation; nil when unreadable.
func (cc *compilation) source(file string) []byte {
	if cc.sources == nil {
		cc.sources = map[string][]byte{}
	}
	if b, ok := cc.sources[file]; ok {
		return b
	}
	b, err := os.ReadFile(file)
	if err != nil {
		b = nil
	}
	cc.sources[file] = b
	return b
}

// checkValidation checks the validation value: null, a bool, an integer or a string, or an
// attribute set of those nested at most two levels; no lists.
func (cc *compilation) checkValidation(g *dsl.Generator) {
	var bad string
	var walk func(v dsl.Value, depth int)
	walk = func(v dsl.Value, depth int) {
		if bad != "" {
			return
		}
		switch x := v.Underlying().(type) {
		case nil, bool, int64, string:
		case *dsl.Object:
			if depth == 2 {
				bad = "attribute sets nested more than two levels"
				return
			}
			for _, k := range x.Keys {
				walk(x.Values[k], depth+1)
			}
		default:
			bad = kindOf(v)
		}
	}
	walk(g.Validation, 0)
	if bad != "" {
		d := cc.r.errorf(g.Pos, "validation of generator %q holds %s", g.Name, bad)
		d.Hint = "clan's validation is null, a bool, an integer, a string, or attribute sets of those nested at most two levels (no lists)"
	}
}

// checkGeneratorCycles reports each cycle of generator dependencies once, starting at the
// member with the smallest name.
func (cc *compilation) checkGeneratorCycles() {
	gens := nonNil(cc.fleet.Generators)
	slices.SortStableFunc(gens, func(a, b *dsl.Generator) int { return strings.Compare(a.Name, b.Name) })
	const (
		white = iota
		grey
		black
	)
	color := map[*dsl.Generator]int{}
	var stack []*dsl.Generator
	reported := map[string]bool{}
	var visit func(g *dsl.Generator)
	visit = func(g *dsl.Generator) {
		color[g] = grey
		stack = append(stack, g)
		for _, d := range g.Dependencies {
			if d == nil {
				continue
			}
			switch color[d] {
			case white:
				visit(d)
			case grey:
				i := slices.Index(stack, d)
				cycle := slices.Clone(stack[i:])
				first := 0
				for j, x := range cycle {
					if x.Name < cycle[first].Name {
						first = j
					}
				}
				cycle = append(cycle[first:], cycle[:first]...)
				names := make([]string, 0, len(cycle)+1)
				for _, x := range cycle {
					names = append(names, x.Name)
				}
				names = append(names, cycle[0].Name)
				msg := "generator dependency cycle: " + strings.Join(names, " -> ")
				if !reported[msg] {
					reported[msg] = true
					d := cc.r.errorf(cycle[0].Pos, "%s", msg)
					d.Hint = "a generator cannot need its own files, directly or through others"
					for _, x := range cycle[1:] {
						d.Related = append(d.Related, x.Pos)
					}
				}
			}
		}
		stack = stack[:len(stack)-1]
		color[g] = black
	}
	for _, g := range gens {
		if color[g] == white {
			visit(g)
		}
	}
}
