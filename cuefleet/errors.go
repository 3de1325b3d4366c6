package cuefleet

import (
	"fmt"
	"slices"
	"strings"

	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/literal"
	"cuelang.org/go/cue/token"

	"github.com/nixfleet/fleet/compiler"
)

// diagnostics turns every CUE error in err into a compiler diagnostic: positioned in the
// author's files where CUE names a position there (else at the nearest field the author
// wrote, else in the schema), with the CUE path relative to `fleet` before the message.
//
// CUE reports a value that matches no branch of a disjunction (an enum, a name that must be
// one of the machines) as a header plus one error per branch; those become one diagnostic:
// `"windows" is none of "darwin", "nixos"`, or the branch errors that say more than
// "conflicting values" when there are any (a bound, a pattern).
func diagnostics(err error, idx *posIndex) compiler.Diagnostics {
	errs := errors.Errors(err)
	var ds compiler.Diagnostics
	for i := 0; i < len(errs); i++ {
		e := errs[i]
		group := []errors.Error{e}
		if isDisjunctionHeader(e) {
			group = group[:0]
			for i+1 < len(errs) && slices.Equal(errs[i+1].Path(), e.Path()) && !isDisjunctionHeader(errs[i+1]) {
				i++
				group = append(group, errs[i])
			}
			if len(group) == 0 {
				group = []errors.Error{e}
			}
		}
		if d, ok := danglingMachine(e, idx); ok {
			ds = append(ds, d)
			continue
		}
		for _, m := range messages(group) {
			msg := m.text
			if p := displayPath(m.err.Path()); p != "" {
				msg = p + ": " + msg
			}
			ds = append(ds, compiler.Diagnostic{Severity: compiler.Error, Pos: toPos(errorPos(m.err, idx)), Message: msg})
		}
	}
	return ds
}

// danglingMachine recognises the schema's check of machine names (see #MachineSet): a
// field not allowed at <path>._machines.<name> is a reference to a machine that does not
// exist, written in <path>.machines (a list of names or a struct keyed by them).
func danglingMachine(e errors.Error, idx *posIndex) (compiler.Diagnostic, bool) {
	path := unquotePath(e.Path())
	n := len(path)
	if idx == nil || n < 2 || path[n-2] != "_machines" {
		return compiler.Diagnostic{}, false
	}
	if format, _ := e.Msg(); format != "field not allowed" {
		return compiler.Diagnostic{}, false
	}
	name := path[n-1]
	list := append(path[:n-2:n-2], "machines")
	pos, ok := idx.at[pathKey(append(list[:len(list):len(list)], name))]
	if !ok {
		pos, ok = idx.element(list, name)
	}
	if !ok {
		pos, _ = idx.lookup(list)
	}
	return compiler.Diagnostic{
		Severity: compiler.Error,
		Pos:      toPos(pos),
		Message:  fmt.Sprintf("%s: %q is not a machine of the fleet", displayPath(list), name),
	}, true
}

type message struct {
	err  errors.Error
	text string
}

func isDisjunctionHeader(e errors.Error) bool {
	format, _ := e.Msg()
	return format == "%d errors in empty disjunction:"
}

const conflict = "conflicting values %s and %s"

// messages renders one error, or the branch errors of one failed disjunction.
func messages(group []errors.Error) []message {
	if len(group) == 1 {
		return []message{{group[0], text(group[0])}}
	}
	var specific, mismatched []message
	count := map[string]int{}
	var values []string
	for _, e := range group {
		format, args := e.Msg()
		switch {
		case format == conflict && len(args) == 2:
			for _, a := range args {
				s := fmt.Sprint(a)
				if count[s] == 0 {
					values = append(values, s)
				}
				count[s]++
			}
		case strings.HasPrefix(format, conflict+" (mismatched types"):
			mismatched = append(mismatched, message{e, text(e)})
		default:
			specific = append(specific, message{e, text(e)})
		}
	}
	switch {
	case len(specific) > 0:
		return specific
	case len(mismatched) > 0 && len(values) == 0:
		return mismatched[:1]
	}
	// The value the author wrote is the one every branch conflicts with.
	var got string
	var allowed []string
	for _, v := range values {
		if count[v] == len(group)-len(mismatched) && got == "" {
			got = v
			continue
		}
		allowed = append(allowed, v)
	}
	if got == "" {
		var out []message
		for _, e := range group {
			out = append(out, message{e, text(e)})
		}
		return out
	}
	slices.Sort(allowed)
	return []message{{group[0], fmt.Sprintf("%s is none of %s", got, strings.Join(allowed, ", "))}}
}

func text(e errors.Error) string {
	format, args := e.Msg()
	return fmt.Sprintf(format, args...)
}

// errorPos prefers, among the error's positions, the field at the error's own path, then
// any position in the author's files, then the nearest field the author wrote.
func errorPos(e errors.Error, idx *posIndex) token.Pos {
	positions := errors.Positions(e)
	if idx != nil {
		path := unquotePath(e.Path())
		if p, ok := idx.at[pathKey(path)]; ok && slices.Contains(positions, p) {
			return p
		}
		for _, p := range positions {
			if idx.files[p.Filename()] {
				return p
			}
		}
		if p, ok := idx.lookup(path); ok {
			return p
		}
	}
	if len(positions) > 0 {
		return positions[0]
	}
	return e.Position()
}

// unquotePath turns the labels CUE quotes in an error's path ("ssh-key") back into names.
func unquotePath(path []string) []string {
	out := make([]string, len(path))
	for i, p := range path {
		out[i] = p
		if strings.HasPrefix(p, `"`) {
			if s, err := literal.Unquote(p); err == nil {
				out[i] = s
			}
		}
	}
	return out
}

// displayPath is the error's CUE path without the leading "fleet", which every path has.
func displayPath(path []string) string {
	if len(path) > 0 && path[0] == "fleet" {
		path = path[1:]
	}
	return strings.Join(path, ".")
}
