package nix

import (
	"errors"
	"io"
	"sync"
)

// tokPool keeps the layout's buffers between calls.
var tokPool = sync.Pool{New: func() any { return new(tokens) }}

func newTokens() *tokens {
	p := tokPool.Get().(*tokens)
	p.errs, p.path = nil, p.path[:0]
	p.lay.reset()
	return p
}

func (p *tokens) release() {
	p.errs = nil
	p.lay.reset()
	tokPool.Put(p)
}

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
	p := newTokens()
	defer p.release()
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
	p := newTokens()
	defer p.release()
	p.expr(e)
	return p.finish()
}

func (p *tokens) finish() ([]byte, error) {
	p.lay.finish()
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	// The layout's buffer stays in the pool; the caller gets a copy of
	// exactly its size, so a large file costs one allocation of its size.
	return append([]byte(nil), p.lay.out...), nil
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
