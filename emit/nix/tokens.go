package nix

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file turns a tree into the token stream that layout.go lays out: one
// method per node kind. It decides which groups exist and where lines may
// break, never whether they do.

// Precedences, loosest first (Nix manual, "Operators").
const (
	precLowest = iota // lambda, let, if, non-trivial Raw
	precOr
	precAnd
	precEq
	precUpdate
	precNot
	precConcat
	precNeg
	precApply
	precSelect
	precAtom
)

type tokens struct {
	errs []error
	path []pathSeg // where the node being printed is, for errors
	buf  []byte    // scratch for escaping
	lay  layouter  // where the tokens go
}

// pathSeg is an attribute name (key), a list index or a formal name.
type pathSeg struct {
	s    string
	i    int
	kind uint8
}

const (
	segKey = iota
	segIndex
	segFormal
)

func (p *tokens) errorf(err error) {
	var b strings.Builder
	for i, seg := range p.path {
		switch seg.kind {
		case segKey:
			if i > 0 {
				b.WriteByte('.')
			}
			name, qerr := AttrName(seg.s)
			if qerr != nil {
				name = strconv.QuoteToASCII(seg.s)
			}
			b.WriteString(name)
		case segIndex:
			b.WriteString("[" + strconv.Itoa(seg.i) + "]")
		case segFormal:
			if i > 0 {
				b.WriteByte('.')
			}
			b.WriteString("?" + seg.s)
		}
	}
	if b.Len() == 0 {
		b.WriteString("(top)")
	}
	p.errs = append(p.errs, &Error{Path: b.String(), Err: err})
}

func (p *tokens) add(k tokKind) { p.lay.put(tok{kind: k}) }
func (p *tokens) op(s string)   { p.lay.text(s, len(s)) } // s is ASCII
func (p *tokens) text(s string) { p.lay.text(s, textWidth(s)) }

// textBytes is text for escaped text in p.buf, which is reused.
func (p *tokens) textBytes(b []byte) { p.lay.bytes(b, bytesWidth(b)) }
func (p *tokens) ifBreak(s string) {
	p.lay.put(tok{kind: kIfBreak, s: s, w: int32(len(s))})
}

// textWidth is the number of columns s takes, counted as runes.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return utf8.RuneCountInString(s)
		}
	}
	return len(s)
}

func bytesWidth(b []byte) int {
	for i := 0; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return utf8.RuneCount(b)
		}
	}
	return len(b)
}

func prec(e Expr) int {
	switch e := e.(type) {
	case intLit:
		if e.v < 0 && e.v != math.MinInt64 {
			return precNeg
		}
	case floatLit:
		if e.v < 0 {
			return precNeg
		}
	case selectX:
		return precSelect
	case apply:
		return precApply
	case binary:
		switch e.op {
		case opUpdate:
			return precUpdate
		case opConcat:
			return precConcat
		case opEq:
			return precEq
		case opAnd:
			return precAnd
		case opOr:
			return precOr
		}
	case notX:
		return precNot
	case lambda, letX, ifX:
		return precLowest
	case raw:
		if !simpleRaw(e.src) {
			return precLowest
		}
	case commentItem:
		return prec(e.e)
	}
	return precAtom
}

// simpleRaw reports whether s is a dotted identifier path like pkgs.hello.
func simpleRaw(s string) bool {
	for _, part := range strings.Split(s, ".") {
		if !isIdent(part) {
			return false
		}
	}
	return true
}

// operand prints e, in parentheses when its precedence is below min.
func (p *tokens) operand(e Expr, min int) {
	if prec(e) < min {
		p.paren(e)
		return
	}
	p.expr(e)
}

// absorbable reports whether e, as the last argument or operand, may start
// on the line of what precedes it and spread over the following lines.
func absorbable(e Expr, min int) bool {
	switch e := e.(type) {
	case attrs:
		return len(e.bs) > 0
	case list:
		return len(e.items) > 0
	case paren:
		return true
	case strLit:
		return e.indented
	}
	return prec(e) < min
}

func (p *tokens) expr(e Expr) {
	switch e := e.(type) {
	case strLit:
		if e.indented {
			p.indentedString(e.parts)
		} else {
			p.quotedString(e.parts)
		}
	case intLit:
		p.intLit(e.v)
	case floatLit:
		p.floatLit(e.v)
	case boolLit:
		if e.v {
			p.op("true")
		} else {
			p.op("false")
		}
	case nullLit:
		p.op("null")
	case pathLit:
		p.pathLit(e.p)
	case ident:
		p.ident(e.name)
	case selectX:
		p.selectX(e)
	case apply:
		if applyAbsorbs(e) {
			p.add(kBeginAbsorb)
		} else {
			p.add(kBegin)
		}
		p.applyBody(e)
		p.add(kEnd)
	case list:
		p.list(e)
	case attrs:
		p.attrs(e, false)
	case letX:
		p.let(e)
	case ifX:
		p.ifX(e)
	case binary:
		p.binary(e)
	case notX:
		p.op("!")
		p.operand(e.e, precNot)
	case paren:
		p.paren(e.e)
	case lambda:
		p.lambda(e)
	case commentItem:
		p.errorf(errors.New("CommentItem outside a list"))
		p.expr(e.e)
	case raw:
		p.raw(e.src)
	case nil:
		p.errorf(errors.New("nil expression"))
	}
}

func (p *tokens) quotedString(parts []Part) {
	if len(parts) == 1 {
		if t, ok := parts[0].(textPart); ok && plainDQ(t.s) {
			p.plainQuoted(t.s)
			return
		}
	}
	b := append(p.buf[:0], '"')
	for i, part := range parts {
		switch part := part.(type) {
		case textPart:
			if err := checkString(part.s); err != nil {
				p.errorf(err)
				continue
			}
			_, splice := nextPart(parts, i).(splicePart)
			b = appendDQ(b, part.s, splice)
		case splicePart:
			p.buf = b
			b = p.splice(part.e, b)
		default:
			p.errorf(errors.New("nil string part"))
		}
	}
	b = append(b, '"')
	p.textBytes(b)
	p.buf = b
}

// plainQuoted prints "s" for an s that passed plainDQ (so is ASCII).
func (p *tokens) plainQuoted(s string) {
	b := append(p.buf[:0], '"')
	b = append(b, s...)
	b = append(b, '"')
	p.lay.bytes(b, len(b))
	p.buf = b
}

func nextPart(parts []Part, i int) Part {
	if i+1 < len(parts) {
		return parts[i+1]
	}
	return nil
}

// splice flushes the string text in b, prints ${e} and returns b emptied. The
// interpolated expression is always laid out flat: a line break inside ${…} would split
// the string's text across lines (strings may exceed the width, RFC 166).
func (p *tokens) splice(e Expr, b []byte) []byte {
	b = append(b, "${"...)
	p.textBytes(b)
	p.add(kBeginFlat)
	p.expr(e)
	p.add(kEnd)
	p.op("}")
	return b[:0]
}

func (p *tokens) indentedString(parts []Part) {
	p.op("''")
	p.add(kIndent)
	p.add(kHardline)
	lineStart := true
	endsInNewline := false
	for i, part := range parts {
		switch part := part.(type) {
		case textPart:
			if part.s == "" {
				continue
			}
			if err := checkString(part.s); err != nil {
				p.errorf(err)
				continue
			}
			end := endClose
			if _, ok := nextPart(parts, i).(splicePart); ok {
				end = endSplice
			}
			for j, line := range escapeIndented(part.s, lineStart, end) {
				if j > 0 {
					p.add(kHardline)
				}
				if line != "" {
					p.text(line)
				}
			}
			lineStart = part.s[len(part.s)-1] == '\n'
			endsInNewline = lineStart
		case splicePart:
			p.op("${")
			p.expr(part.e)
			p.op("}")
			lineStart, endsInNewline = false, false
		default:
			p.errorf(errors.New("nil string part"))
		}
	}
	if endsInNewline || len(parts) == 0 || (len(parts) == 1 && parts[0] == Part(textPart{})) {
		p.add(kDedent)
		p.op("''")
		return
	}
	p.op("''")
	p.add(kDedent)
}

func (p *tokens) intLit(v int64) {
	if v == math.MinInt64 {
		// -9223372036854775808 does not parse: the literal is negated
		// after it is read, and 9223372036854775808 overflows.
		p.op("(-9223372036854775807 - 1)")
		return
	}
	p.buf = strconv.AppendInt(p.buf[:0], v, 10)
	p.textBytes(p.buf)
}

func (p *tokens) floatLit(v float64) {
	s, err := formatFloat(v)
	if err != nil {
		p.errorf(err)
		s = "0.0"
	}
	p.op(s)
}

// formatFloat returns the shortest literal that Nix reads back as exactly v.
// Nix needs a dot in every float literal (1e3 is an application) and reads
// -x as 0 - x, so negative zero has no literal; Nix 2.8 rejects literals
// that underflow to subnormal numbers.
func formatFloat(v float64) (string, error) {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "", errors.New("float " + strconv.FormatFloat(v, 'g', -1, 64) + " has no Nix literal")
	case v == 0 && math.Signbit(v):
		return "", errors.New("float -0 has no Nix literal (Nix reads -0.0 as 0 - 0.0)")
	case v != 0 && math.Abs(v) < 0x1p-1022:
		return "", errors.New("subnormal float " + strconv.FormatFloat(v, 'g', -1, 64) + " is rejected by Nix's parser")
	}
	s := strconv.FormatFloat(v, 'g', -1, 64)
	if strings.IndexByte(s, '.') < 0 {
		if e := strings.IndexByte(s, 'e'); e >= 0 {
			s = s[:e] + ".0" + s[e:]
		} else {
			s += ".0"
		}
	}
	return s, nil
}

func (p *tokens) pathLit(s string) {
	if err := checkPath(s); err != nil {
		p.errorf(err)
	}
	p.op(s)
}

// checkPath accepts ./a/b and ../a/b with segments of [A-Za-z0-9._+-].
func checkPath(s string) error {
	rest, ok := strings.CutPrefix(s, "./")
	if !ok {
		rest, ok = strings.CutPrefix(s, "../")
	}
	if !ok {
		return errors.New("path " + strconv.Quote(s) + " does not start with ./ or ../")
	}
	for _, seg := range strings.Split(rest, "/") {
		if seg == "" {
			return errors.New("path " + strconv.Quote(s) + " has an empty segment or a trailing slash")
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '+' || c == '-') {
				return errors.New("path " + strconv.Quote(s) + " contains " + strconv.QuoteRune(rune(c)) + "; only [A-Za-z0-9._+-] may appear in a path literal")
			}
		}
	}
	return nil
}

func (p *tokens) ident(name string) {
	if !isIdent(name) {
		if isKeyword(name) {
			p.errorf(errors.New(strconv.Quote(name) + " is a keyword, not an identifier"))
		} else {
			p.errorf(errors.New(strconv.Quote(name) + " is not an identifier"))
		}
	}
	p.text(name)
}

// attrName prints one attribute name, quoted when needed.
func (p *tokens) attrName(s string) {
	if isIdent(s) {
		p.op(s) // identifiers are ASCII
		return
	}
	if err := checkString(s); err != nil {
		p.errorf(err)
		p.op(`""`)
		return
	}
	if plainDQ(s) {
		p.plainQuoted(s)
		return
	}
	b := append(p.buf[:0], '"')
	b = appendDQ(b, s, false)
	b = append(b, '"')
	p.textBytes(b)
	p.buf = b
}

func (p *tokens) attrPath(keys []string) {
	for i, k := range keys {
		if i > 0 {
			p.op(".")
		}
		p.attrName(k)
	}
}

func (p *tokens) selectX(e selectX) {
	if len(e.keys) == 0 {
		p.errorf(errors.New("selection without attribute names"))
	}
	if inner, ok := e.e.(selectX); ok && inner.def == nil {
		p.selectX(inner) // a.b.c is (a.b).c
	} else {
		p.operand(e.e, precAtom)
	}
	for _, k := range e.keys {
		p.op(".")
		p.attrName(k)
	}
	if e.def != nil {
		p.op(" or ")
		p.operand(e.def, precSelect)
	}
}

// applyBody prints fn a1 a2 ... without the enclosing group: the caller
// opens kBegin, or kBeginAbsorb when the last argument is absorbable.
func (p *tokens) applyBody(e apply) {
	fn, args := flattenApply(e)
	p.operand(fn, precApply)
	p.add(kIndentB)
	for i, a := range args {
		if i == len(args)-1 && absorbable(a, precSelect) {
			p.add(kSep)
		} else {
			p.add(kLine)
		}
		p.operand(a, precSelect)
	}
	p.add(kDedent)
}

func flattenApply(e apply) (Expr, []Expr) {
	if inner, ok := e.fn.(apply); ok {
		fn, args := flattenApply(inner)
		return fn, append(args[:len(args):len(args)], e.args...)
	}
	if len(e.args) == 0 {
		return e.fn, nil
	}
	return e.fn, e.args
}

func applyAbsorbs(e apply) bool {
	_, args := flattenApply(e)
	return len(args) > 0 && absorbable(args[len(args)-1], precSelect)
}

func (p *tokens) list(l list) {
	switch len(l.items) {
	case 0:
		p.op("[ ]")
	case 1:
		if _, ok := l.items[0].(commentItem); !ok {
			p.add(kBegin)
			p.op("[")
			p.add(kIndentB)
			p.add(kLine)
			p.listItem(l.items[0], 0)
			p.add(kDedent)
			p.add(kLine)
			p.op("]")
			p.add(kEnd)
			return
		}
		fallthrough
	default:
		p.op("[")
		p.add(kIndent)
		for i, it := range l.items {
			p.add(kHardline)
			p.listItem(it, i)
		}
		p.add(kDedent)
		p.add(kHardline)
		p.op("]")
	}
}

func (p *tokens) listItem(e Expr, i int) {
	p.path = append(p.path, pathSeg{i: i, kind: segIndex})
	if c, ok := e.(commentItem); ok {
		p.comments(c.lines)
		e = c.e
	}
	p.operand(e, precSelect)
	p.path = p.path[:len(p.path)-1]
}

func (p *tokens) comments(lines []string) {
	for _, l := range lines {
		if strings.ContainsAny(l, "\n\r") {
			p.errorf(errors.New("comment line contains a line break"))
			continue
		}
		if err := checkString(l); err != nil {
			p.errorf(errors.New("comment: " + err.Error()))
			continue
		}
		l = strings.TrimRight(l, " \t")
		if l == "" {
			p.op("#")
		} else {
			p.text("# " + l)
		}
		p.add(kHardline)
	}
}

// attrs prints { ... }; expand forces one binding per line.
func (p *tokens) attrs(a attrs, expand bool) {
	if a.rec {
		p.op("rec ")
	}
	if len(a.bs) == 0 {
		p.op("{ }")
		return
	}
	if len(a.bs) == 1 && !expand {
		p.add(kBegin)
		p.op("{")
		p.add(kIndentB)
		p.add(kLine)
		p.binding(a.bs[0])
		p.add(kDedent)
		p.add(kLine)
		p.op("}")
		p.add(kEnd)
		return
	}
	p.op("{")
	p.add(kIndent)
	for _, b := range a.bs {
		p.add(kHardline)
		p.binding(b)
	}
	p.add(kDedent)
	p.add(kHardline)
	p.op("}")
}

func (p *tokens) binding(b Binding) {
	switch b := b.(type) {
	case bind:
		if len(b.path) == 0 {
			p.errorf(errors.New("binding without attribute name"))
		}
		n := len(p.path)
		for _, k := range b.path {
			p.path = append(p.path, pathSeg{s: k, kind: segKey})
		}
		p.attrPath(b.path)
		p.bindValue(b.v)
		p.op(";")
		p.path = p.path[:n]
	case inherit:
		p.inherit(b)
	case commented:
		p.comments(b.lines)
		p.binding(b.b)
	default:
		p.errorf(errors.New("nil binding"))
	}
}

// bindValue prints " = value" (without the semicolon).
func (p *tokens) bindValue(v Expr) {
	switch v := v.(type) {
	case attrs:
		p.op(" = ")
		p.attrs(v, true)
	case list, strLit, pathLit, intLit, floatLit, boolLit, nullLit, raw, paren:
		p.op(" = ")
		p.expr(v)
	case apply:
		if applyAbsorbs(v) {
			// One group: either all on one line, or the last argument
			// hangs off the first line, or everything breaks:
			// `x =\n  f\n    a\n    b`.
			p.add(kBeginAbsorb)
			p.op(" =")
			p.add(kIndentB)
			p.add(kLine)
			p.applyBody(v)
			p.add(kDedent)
			p.add(kEnd)
			return
		}
		p.rhsGroup(v)
	case binary:
		if (v.op == opUpdate || v.op == opConcat) && absorbable(lastOperand(v), prec(v)+1) {
			p.add(kBeginAbsorb)
			p.op(" =")
			p.add(kIndentB)
			p.add(kLine)
			p.chainBody(v)
			p.add(kDedent)
			p.add(kEnd)
			return
		}
		p.rhsGroup(v)
	case lambda:
		if hangingLambda(v) {
			p.op(" = ")
			p.lambda(v)
			return
		}
		if _, ok := v.p.(FormalsParam); ok {
			// nixfmt: `name =\n  { a, ... }:\n  body`.
			p.op(" =")
			p.add(kIndent)
			p.add(kHardline)
			p.topLambda(v)
			p.add(kDedent)
			return
		}
		p.rhsGroup(v)
	default:
		p.rhsGroup(v)
	}
}

// rhsGroup prints " = v" on one line if it fits, else breaks after "=".
func (p *tokens) rhsGroup(v Expr) {
	p.add(kBegin)
	p.op(" =")
	p.add(kIndentB)
	p.add(kLine)
	p.expr(v)
	p.add(kDedent)
	p.add(kEnd)
}

// hangingLambda reports whether l is x: y: ... { ... }, which stays on the
// line of its binding.
func hangingLambda(l lambda) bool {
	for {
		if _, ok := l.p.(argParam); !ok {
			return false
		}
		switch b := l.body.(type) {
		case lambda:
			l = b
		case attrs:
			return len(b.bs) > 0
		case list:
			return len(b.items) > 0
		default:
			return false
		}
	}
}

func (p *tokens) inherit(b inherit) {
	p.add(kBegin)
	p.op("inherit")
	if b.from != nil {
		p.op(" (")
		p.expr(b.from)
		p.op(")")
	}
	p.add(kIndentB)
	for _, n := range b.names {
		p.add(kLine)
		p.attrName(n)
	}
	p.add(kSoftline)
	p.op(";")
	p.add(kDedent)
	p.add(kEnd)
}

func (p *tokens) let(l letX) {
	p.op("let")
	p.add(kIndent)
	for _, b := range l.bs {
		p.add(kHardline)
		p.binding(b)
	}
	p.add(kDedent)
	p.add(kHardline)
	p.op("in")
	p.add(kHardline)
	p.expr(l.body)
}

func (p *tokens) ifX(e ifX) {
	p.add(kBegin)
	for {
		p.op("if ")
		p.expr(e.cond)
		p.op(" then")
		p.add(kIndentB)
		p.add(kLine)
		p.expr(e.then)
		p.add(kDedent)
		p.add(kLine)
		p.op("else")
		next, ok := e.els.(ifX)
		if !ok {
			break
		}
		p.op(" ")
		e = next
	}
	p.add(kIndentB)
	p.add(kLine)
	p.expr(e.els)
	p.add(kDedent)
	p.add(kEnd)
}

var opText = [...]string{opUpdate: "// ", opConcat: "++ ", opEq: "== ", opAnd: "&& ", opOr: "|| "}

func (p *tokens) binary(e binary) {
	if (e.op == opUpdate || e.op == opConcat) && absorbable(lastOperand(e), prec(e)+1) {
		p.add(kBeginAbsorb)
	} else {
		p.add(kBegin)
	}
	p.chainBody(e)
	p.add(kEnd)
}

// operands flattens a chain of the same operator: a // (b // c) and, for
// left-associative operators, (a && b) && c.
func operands(e binary, out []Expr) []Expr {
	if l, ok := e.a.(binary); ok && l.op == e.op && (e.op == opAnd || e.op == opOr) {
		out = operands(l, out)
	} else {
		out = append(out, e.a)
	}
	if r, ok := e.b.(binary); ok && r.op == e.op && (e.op == opUpdate || e.op == opConcat) {
		return operands(r, out)
	}
	return append(out, e.b)
}

func lastOperand(e binary) Expr {
	ops := operands(e, nil)
	return ops[len(ops)-1]
}

// chainBody prints a chain broken before each operator, without the group.
func (p *tokens) chainBody(e binary) {
	ops := operands(e, nil)
	pr := prec(e)
	for i, o := range ops {
		// Right-associative // and ++ accept their own level on the right,
		// && and || on the left; == accepts neither.
		min := pr + 1
		if i > 0 {
			if i == len(ops)-1 && absorbable(o, pr+1) && (e.op == opUpdate || e.op == opConcat) {
				p.add(kSep)
			} else {
				p.add(kLine)
			}
			p.op(opText[e.op])
		}
		p.operand(o, min)
	}
}

func (p *tokens) paren(e Expr) {
	p.add(kBegin)
	p.op("(")
	p.add(kIndentB)
	p.add(kSoftline)
	p.expr(e)
	p.add(kDedent)
	p.add(kSoftline)
	p.op(")")
	p.add(kEnd)
}

// topLambda prints a lambda that is a file body or a binding value: after
// a set pattern the body starts on a new line, and a set body is expanded.
func (p *tokens) topLambda(l lambda) {
	f, ok := l.p.(FormalsParam)
	if !ok {
		p.lambda(l)
		return
	}
	p.formals(f)
	p.op(":")
	p.add(kHardline)
	if a, ok := l.body.(attrs); ok {
		p.attrs(a, true)
		return
	}
	p.expr(l.body)
}

func (p *tokens) lambda(l lambda) {
	switch par := l.p.(type) {
	case argParam:
		p.ident(par.name)
		p.op(":")
		switch b := l.body.(type) {
		case lambda:
			if _, ok := b.p.(argParam); ok {
				p.op(" ")
				p.lambda(b)
				return
			}
		case attrs, list:
			if absorbable(b, precAtom) {
				p.op(" ")
				p.expr(b)
				return
			}
		}
		p.add(kBegin)
		p.add(kLine)
		p.expr(l.body)
		p.add(kEnd)
	case FormalsParam:
		p.add(kBegin)
		p.formals(par)
		p.op(":")
		p.add(kLine)
		p.expr(l.body)
		p.add(kEnd)
	default:
		p.errorf(errors.New("nil lambda parameter"))
		p.expr(l.body)
	}
}

func (p *tokens) formals(f FormalsParam) {
	if f.at != "" {
		p.ident(f.at)
		p.op("@")
	}
	n := len(f.formals)
	if f.ellipsis {
		n++
	}
	if n == 0 {
		p.op("{ }")
		return
	}
	p.add(kBegin)
	p.op("{")
	p.add(kIndentB)
	for i, fm := range f.formals {
		p.add(kLine)
		p.ident(fm.name)
		if fm.def != nil {
			p.op(" ? ")
			p.path = append(p.path, pathSeg{s: fm.name, kind: segFormal})
			p.expr(fm.def)
			p.path = p.path[:len(p.path)-1]
		}
		if i < n-1 {
			p.op(",")
		} else {
			p.ifBreak(",")
		}
	}
	if f.ellipsis {
		p.add(kLine)
		p.op("...")
	}
	p.add(kDedent)
	p.add(kLine)
	p.op("}")
	p.add(kEnd)
}

func (p *tokens) raw(src string) {
	if strings.TrimSpace(src) == "" {
		p.errorf(errors.New("empty Raw expression"))
	}
	if strings.IndexByte(src, '\n') >= 0 {
		p.lay.put(tok{kind: kVerbatim, s: src, w: int32(textWidth(src))})
		return
	}
	p.text(src)
}
