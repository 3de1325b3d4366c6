package compiler

import (
	"cmp"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

// Severity says whether a diagnostic stops generation. The zero value is invalid.
type Severity int

// The severities.
const (
	Error Severity = iota + 1
	Warning
)

func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	}
	return "invalid"
}

// Diagnostic is one problem in a fleet, at the position of the declaration that causes it.
type Diagnostic struct {
	Severity Severity
	Pos      dsl.Pos
	Message  string
	Hint     string    // how to fix it, when there is something useful to say
	Related  []dsl.Pos // other declarations involved (the first definition of a duplicate, ...)
}

// String renders d as file:line:col: severity: message (hint).
func (d Diagnostic) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: %s", d.Pos, d.Severity, d.Message)
	if d.Hint != "" {
		fmt.Fprintf(&b, " (hint: %s)", d.Hint)
	}
	return b.String()
}

// Diagnostics is every problem found in one compilation.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	return slices.ContainsFunc(ds, func(d Diagnostic) bool { return d.Severity == Error })
}

// Err returns the diagnostics as one error when there is at least one error, else nil.
func (ds Diagnostics) Err() error {
	if !ds.HasErrors() {
		return nil
	}
	errs := make([]error, 0, len(ds))
	for _, d := range ds {
		errs = append(errs, errors.New(d.String()))
	}
	return errors.Join(errs...)
}

// Sort orders diagnostics by position, then severity, then message, and drops duplicates,
// so output is deterministic.
func (ds Diagnostics) Sort() Diagnostics {
	slices.SortStableFunc(ds, func(a, b Diagnostic) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Message, b.Message),
		)
	})
	return slices.CompactFunc(ds, func(a, b Diagnostic) bool {
		return a.Pos == b.Pos && a.Severity == b.Severity && a.Message == b.Message
	})
}

// Relative returns a copy of ds with file names relative to dir (slash-separated) where
// they are inside it, for stable output in tests and terminals.
func (ds Diagnostics) Relative(dir string) Diagnostics {
	out := slices.Clone(ds)
	for i := range out {
		out[i].Pos.File = relPath(dir, out[i].Pos.File)
		for j := range out[i].Related {
			out[i].Related = slices.Clone(out[i].Related)
			out[i].Related[j].File = relPath(dir, out[i].Related[j].File)
		}
	}
	return out
}

func relPath(dir, file string) string {
	if file == "" || dir == "" {
		return file
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil || strings.HasPrefix(rel, "..") {
		return file
	}
	return filepath.ToSlash(rel)
}

// reporter collects diagnostics during one compilation.
type reporter struct{ ds Diagnostics }

func (r *reporter) errorf(pos dsl.Pos, format string, args ...any) *Diagnostic {
	return r.add(Error, pos, fmt.Sprintf(format, args...))
}

func (r *reporter) warnf(pos dsl.Pos, format string, args ...any) *Diagnostic {
	return r.add(Warning, pos, fmt.Sprintf(format, args...))
}

func (r *reporter) add(s Severity, pos dsl.Pos, msg string) *Diagnostic {
	r.ds = append(r.ds, Diagnostic{Severity: s, Pos: pos, Message: msg})
	return &r.ds[len(r.ds)-1]
}
