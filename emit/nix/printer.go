package nix

import (
	"errors"
	"io"
)

// Error is one problem found while printing: a value that Nix cannot
// represent, at the attribute path where it occurs ("(top)" for the file
// body itself; list items appear as [i], formal defaults as ?name).
type Error struct {
	Path string
	Err  error
}

func (e *Error) Error() string { return e.Path + ": " + e.Err.Error() }

func (e *Error) Unwrap() error { return e.Err }

// Format prints f canonically: the header comment lines, a blank line, the
// body and a final newline. It returns all problems found, joined with
// errors.Join, and no output when there are any.
func Format(f File) ([]byte, error) {
	p := &tokens{toks: make([]tok, 0, 256)}
	if len(f.Header) > 0 {
		p.comments(f.Header)
		p.add(kHardline)
	}
	if l, ok := f.Body.(lambda); ok {
		p.topLambda(l)
	} else {
		p.expr(f.Body)
	}
	p.add(kHardline)
	return p.finish()
}

// FormatExpr prints e canonically, without header and final newline.
func FormatExpr(e Expr) ([]byte, error) {
	p := &tokens{toks: make([]tok, 0, 64)}
	p.expr(e)
	return p.finish()
}

func (p *tokens) finish() ([]byte, error) {
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	size := 0
	for i := range p.toks {
		size += len(p.toks[i].s) + 1
	}
	return layout(p.toks, make([]byte, 0, size+size/2)), nil
}

// WriteTo writes the formatted file to w. It writes nothing when the file
// cannot be formatted, and returns the first write error otherwise.
func (f File) WriteTo(w io.Writer) (int64, error) {
	b, err := Format(f)
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	if err == nil && n != len(b) {
		err = io.ErrShortWrite
	}
	return int64(n), err
}
