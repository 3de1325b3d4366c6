package filetree

import (
	"errors"
	"os"
)

// renameAside replaces directory b by directory a in two renames: b to aside, a to b. A
// crash between them leaves b missing and a in place; the journal's swap step, replayed,
// finishes with the second rename (see [step.apply]). If the second rename fails, the first
// is undone.
func renameAside(a, b, aside string) error {
	if err := os.Rename(b, aside); err != nil {
		return err
	}
	err := hook("renamed-aside")
	if err == nil {
		err = os.Rename(a, b)
	}
	if err != nil {
		if uerr := os.Rename(aside, b); uerr != nil {
			return errors.Join(err, uerr)
		}
	}
	return err
}
