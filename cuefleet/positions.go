package cuefleet

import (
	"strconv"
	"strings"

	"cuelang.org/go/cue/ast"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/nixfleet/fleet/dsl"
)

// posIndex maps a field's path (labels from the package root; list elements by index) to
// where the author wrote its label, so a decoded thing's Pos is the line that declares it.
// Fields that only a comprehension or a reference produce are not in it; their position is
// the nearest ancestor's.
type posIndex struct {
	at    map[string]token.Pos
	files map[string]bool // the author's files
}

func newPosIndex(files []*ast.File) *posIndex {
	x := &posIndex{at: map[string]token.Pos{}, files: map[string]bool{}}
	for _, f := range files {
		x.files[f.Filename] = true
		x.decls(nil, f.Decls)
	}
	return x
}

func pathKey(path []string) string { return strings.Join(path, "\x00") }

func (x *posIndex) record(path []string, p token.Pos) {
	k := pathKey(path)
	if _, ok := x.at[k]; !ok && p.IsValid() {
		x.at[k] = p
	}
}

func (x *posIndex) decls(path []string, decls []ast.Decl) {
	for _, d := range decls {
		switch d := d.(type) {
		case *ast.Field:
			name, ok := labelName(d.Label)
			if !ok {
				continue
			}
			p := append(path[:len(path):len(path)], name)
			x.record(p, d.Label.Pos())
			x.expr(p, d.Value)
		case *ast.EmbedDecl:
			x.expr(path, d.Expr)
		}
	}
}

func (x *posIndex) expr(path []string, e ast.Expr) {
	switch e := e.(type) {
	case *ast.StructLit:
		x.decls(path, e.Elts)
	case *ast.ListLit:
		for i, el := range e.Elts {
			p := append(path[:len(path):len(path)], strconv.Itoa(i))
			x.record(p, el.Pos())
			if lit, ok := el.(*ast.BasicLit); ok && lit.Kind == token.STRING {
				if v, err := literal.Unquote(lit.Value); err == nil {
					x.record(append(path[:len(path):len(path)], "="+v), el.Pos())
				}
			}
			x.expr(p, el)
		}
	case *ast.BinaryExpr:
		if e.Op == token.AND {
			x.expr(path, e.X)
			x.expr(path, e.Y)
		}
	case *ast.ParenExpr:
		x.expr(path, e.X)
	}
}

// labelName returns a field label's name when it is a plain identifier or string.
func labelName(l ast.Label) (string, bool) {
	switch l := l.(type) {
	case *ast.Ident:
		return l.Name, true
	case *ast.BasicLit:
		if l.Kind != token.STRING {
			return "", false
		}
		s, err := literal.Unquote(l.Value)
		if err != nil {
			return "", false
		}
		return s, true
	}
	return "", false
}

// element returns where the list at path holds the string value v.
func (x *posIndex) element(path []string, v string) (token.Pos, bool) {
	p, ok := x.at[pathKey(append(path[:len(path):len(path)], "="+v))]
	return p, ok
}

// lookup returns the position of path or of its nearest recorded ancestor.
func (x *posIndex) lookup(path []string) (token.Pos, bool) {
	for n := len(path); n > 0; n-- {
		if p, ok := x.at[pathKey(path[:n])]; ok {
			return p, true
		}
	}
	return token.NoPos, false
}

func toPos(p token.Pos) dsl.Pos {
	if !p.IsValid() {
		return dsl.Pos{}
	}
	return dsl.Pos{File: p.Filename(), Line: p.Line(), Col: p.Column()}
}
