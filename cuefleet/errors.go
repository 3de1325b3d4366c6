package cuefleet

import (
	"fmt"
	"strings"

	"cuelang.org/go/cue/errors"
	"cuelang.org/go/cue/token"

	"github.com/nixfleet/fleet/compiler"
)

// diagnostics turns every CUE error in err into a compiler diagnostic: positioned in the
// author's files where CUE names a position there (else at the nearest field the author
// wrote, else in the schema), with the CUE path relative to `fleet` before the message.
func diagnostics(err error, idx *posIndex) compiler.Diagnostics {
	var ds compiler.Diagnostics
	for _, e := range errors.Errors(err) {
		format, args := e.Msg()
		msg := fmt.Sprintf(format, args...)
		if p := displayPath(e.Path()); p != "" {
			msg = p + ": " + msg
		}
		ds = append(ds, compiler.Diagnostic{Severity: compiler.Error, Pos: toPos(errorPos(e, idx)), Message: msg})
	}
	return ds
}

func errorPos(e errors.Error, idx *posIndex) token.Pos {
	positions := errors.Positions(e)
	if idx != nil {
		for _, p := range positions {
			if idx.files[p.Filename()] {
				return p
			}
		}
		if p, ok := idx.lookup(e.Path()); ok {
			return p
		}
	}
	if len(positions) > 0 {
		return positions[0]
	}
	return e.Position()
}

// displayPath is the error's CUE path without the leading "fleet", which every path has.
func displayPath(path []string) string {
	if len(path) > 0 && path[0] == "fleet" {
		path = path[1:]
	}
	return strings.Join(path, ".")
}
