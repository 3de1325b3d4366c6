package nix

// This file holds the syntax tree: the sealed node interfaces, one
// unexported struct per node kind and the constructors. Nothing here prints;
// see tokens.go and layout.go.

// Expr is a Nix expression. It is sealed: values are made only by the
// constructors of this package.
type Expr interface{ isExpr() }

// Binding is one entry of an attribute set or let: `a.b = v;`,
// `inherit a;`, `inherit (s) a;`, possibly preceded by comment lines.
type Binding interface{ isBinding() }

// Param is the parameter of a [Lambda]: [Arg] or [Formals].
type Param interface{ isParam() }

// Part is a piece of an interpolated string: [Text] or [Splice].
type Part interface{ isPart() }

type (
	strLit struct {
		parts    []Part // Text and Splice parts
		indented bool   // ''...'' instead of "..."
	}
	intLit   struct{ v int64 }
	floatLit struct{ v float64 }
	boolLit  struct{ v bool }
	nullLit  struct{}
	pathLit  struct{ p string }
	ident    struct{ name string }
	selectX  struct {
		e    Expr
		keys []string
		def  Expr // nil without `or`
	}
	apply struct {
		fn   Expr
		args []Expr
	}
	list  struct{ items []Expr }
	attrs struct {
		rec bool
		bs  []Binding
	}
	letX struct {
		bs   []Binding
		body Expr
	}
	ifX    struct{ cond, then, els Expr }
	binary struct {
		op   binOp
		a, b Expr
	}
	notX   struct{ e Expr }
	paren  struct{ e Expr }
	lambda struct {
		p    Param
		body Expr
	}
	commentItem struct {
		lines []string
		e     Expr
	}
	raw struct{ src string }
)

type binOp uint8

const (
	opUpdate binOp = iota // //
	opConcat              // ++
	opEq                  // ==
	opAnd                 // &&
	opOr                  // ||
)

func (strLit) isExpr()      {}
func (intLit) isExpr()      {}
func (floatLit) isExpr()    {}
func (boolLit) isExpr()     {}
func (nullLit) isExpr()     {}
func (pathLit) isExpr()     {}
func (ident) isExpr()       {}
func (selectX) isExpr()     {}
func (apply) isExpr()       {}
func (list) isExpr()        {}
func (attrs) isExpr()       {}
func (letX) isExpr()        {}
func (ifX) isExpr()         {}
func (binary) isExpr()      {}
func (notX) isExpr()        {}
func (paren) isExpr()       {}
func (lambda) isExpr()      {}
func (commentItem) isExpr() {}
func (raw) isExpr()         {}

type (
	bind struct {
		path []string
		v    Expr
	}
	inherit struct {
		from  Expr // nil for plain inherit
		names []string
	}
	commented struct {
		lines []string
		b     Binding
	}
)

func (bind) isBinding()      {}
func (inherit) isBinding()   {}
func (commented) isBinding() {}

type (
	textPart   struct{ s string }
	splicePart struct{ e Expr }
)

func (textPart) isPart()   {}
func (splicePart) isPart() {}

// Str is a "..." string holding exactly s. It is always printed in the
// double-quoted form, on one line (newlines are written as \n).
func Str(s string) Expr { return strLit{parts: []Part{textPart{s}}} }

// IndentedStr is a ”...” string holding exactly s, printed as `”`, a
// newline, the lines of s indented one level deeper, and the closing `”`
// (on its own line when s ends with a newline).
func IndentedStr(s string) Expr { return strLit{parts: []Part{textPart{s}}, indented: true} }

// Interp is a "..." string with interpolations.
func Interp(parts ...Part) Expr { return strLit{parts: parts} }

// IndentedInterp is a ”...” string with interpolations.
func IndentedInterp(parts ...Part) Expr { return strLit{parts: parts, indented: true} }

// Text is literal text inside [Interp] or [IndentedInterp]; it is escaped.
func Text(s string) Part { return textPart{s} }

// Splice is an interpolation ${e}.
func Splice(e Expr) Part { return splicePart{e} }

// Int is an integer literal; negative values are parenthesised where the
// grammar needs it.
func Int(i int64) Expr { return intLit{i} }

// Float is a float literal printed so that Nix parses it back to exactly f.
// NaN, infinities, negative zero and subnormal numbers have no Nix literal
// and are print errors.
func Float(f float64) Expr { return floatLit{f} }

// Bool is true or false.
func Bool(b bool) Expr { return boolLit{b} }

// Null is null.
func Null() Expr { return nullLit{} }

// Path is a relative path literal such as ./modules or ../x/y.nix. It must
// start with ./ or ../ and consist of non-empty segments of
// [A-Za-z0-9._+-]; anything else is a print error.
func Path(p string) Expr { return pathLit{p} }

// Id is an identifier reference. A name that is not an identifier, or is a
// keyword, is a print error.
func Id(name string) Expr { return ident{name} }

// Select is e.k1.k2...; keys are quoted when they are not identifiers.
func Select(e Expr, keys ...string) Expr { return selectX{e: e, keys: keys} }

// SelectOr is e.k1.k2 or def.
func SelectOr(e Expr, def Expr, keys ...string) Expr { return selectX{e: e, keys: keys, def: def} }

// Apply is the application fn a1 a2 ...; arguments are parenthesised as
// needed.
func Apply(fn Expr, args ...Expr) Expr { return apply{fn: fn, args: args} }

// List is [ items ].
func List(items ...Expr) Expr { return list{items} }

// Attrs is { bindings }.
func Attrs(bs ...Binding) Expr { return attrs{bs: bs} }

// RecAttrs is rec { bindings }.
func RecAttrs(bs ...Binding) Expr { return attrs{rec: true, bs: bs} }

// Let is let bindings in body.
func Let(bs []Binding, body Expr) Expr { return letX{bs: bs, body: body} }

// If is if cond then a else b.
func If(cond, then, els Expr) Expr { return ifX{cond, then, els} }

// Update is a // b.
func Update(a, b Expr) Expr { return binary{opUpdate, a, b} }

// Concat is a ++ b.
func Concat(a, b Expr) Expr { return binary{opConcat, a, b} }

// Eq is a == b.
func Eq(a, b Expr) Expr { return binary{opEq, a, b} }

// And is a && b.
func And(a, b Expr) Expr { return binary{opAnd, a, b} }

// Or is a || b.
func Or(a, b Expr) Expr { return binary{opOr, a, b} }

// Not is !a.
func Not(a Expr) Expr { return notX{a} }

// Paren forces parentheses around e. The printer adds the parentheses the
// grammar needs by itself; use Paren only where they are wanted anyway.
func Paren(e Expr) Expr { return paren{e} }

// Lambda is a function p: body.
func Lambda(p Param, body Expr) Expr { return lambda{p, body} }

type argParam struct{ name string }

func (argParam) isParam() {}

// Arg is a plain parameter: `name: body`.
func Arg(name string) Param { return argParam{name} }

type formal struct {
	name string
	def  Expr // nil without default
}

// FormalsParam is a set pattern { a, b ? d, ... }. Its methods return
// modified copies; the receiver is never changed.
type FormalsParam struct {
	formals  []formal
	ellipsis bool
	at       string
}

func (FormalsParam) isParam() {}

// Formals is the set pattern { names }.
func Formals(names ...string) FormalsParam {
	f := FormalsParam{formals: make([]formal, len(names))}
	for i, n := range names {
		f.formals[i].name = n
	}
	return f
}

// Ellipsis adds `...`.
func (f FormalsParam) Ellipsis() FormalsParam {
	f.ellipsis = true
	return f
}

// Default gives name the default e (`name ? e`), adding name at the end if
// it is not yet a formal.
func (f FormalsParam) Default(name string, e Expr) FormalsParam {
	fs := make([]formal, len(f.formals), len(f.formals)+1)
	copy(fs, f.formals)
	for i := range fs {
		if fs[i].name == name {
			fs[i].def = e
			f.formals = fs
			return f
		}
	}
	f.formals = append(fs, formal{name, e})
	return f
}

// At binds the whole argument set to name: `name@{ ... }:`.
func (f FormalsParam) At(name string) FormalsParam {
	f.at = name
	return f
}

// Bind is `k1.k2... = v;`; each key is quoted when it is not an identifier.
func Bind(path []string, v Expr) Binding { return bind{path: path, v: v} }

// Inherit is `inherit names;`.
func Inherit(names ...string) Binding { return inherit{names: names} }

// InheritFrom is `inherit (src) names;`.
func InheritFrom(src Expr, names ...string) Binding { return inherit{from: src, names: names} }

// Comment puts `# line` comment lines before b. A line must not contain a
// line break; trailing blanks are dropped.
func Comment(b Binding, lines ...string) Binding { return commented{lines: lines, b: b} }

// CommentItem puts `# line` comment lines before a list item. It is only
// valid as an item of [List]; anywhere else it is a print error.
func CommentItem(e Expr, lines ...string) Expr { return commentItem{lines: lines, e: e} }

// Raw is Nix source printed verbatim. It is the only way text becomes code
// without being checked; the printer cannot validate it. It is
// parenthesised in operand positions unless it is a plain dotted
// identifier path such as pkgs.hello. Continuation lines are not
// re-indented.
func Raw(src string) Expr { return raw{src} }

// File is a whole .nix file: optional header comment lines, a blank line,
// and the body.
type File struct {
	Header []string // comment lines, printed as "# ..."
	Body   Expr
}
