package sops

import (
	"errors"
	"fmt"
	"strings"
)

// ErrUnsupported is wrapped by every error about a sops feature this package
// does not implement (see the package documentation for the list).
var ErrUnsupported = errors.New("not supported")

// unsupported returns an error wrapping ErrUnsupported.
func unsupported(format string, args ...any) error {
	return fmt.Errorf("sops: %s: %w", fmt.Sprintf(format, args...), ErrUnsupported)
}

// A ValueError reports that one encrypted value could not be decrypted: its
// authentication failed (the ciphertext was changed, or the value was moved
// to another key, whose path is part of its additional data) or it is not a
// well-formed ENC[...] string.
type ValueError struct {
	// Path is the key path of the value as sops builds it, e.g. "a:b:".
	Path string
	// Err is the underlying failure.
	Err error
}

// Error names the key path and the failure.
func (e *ValueError) Error() string {
	return fmt.Sprintf("sops: value at key path %q: %v", e.Path, e.Err)
}

// Unwrap returns the underlying failure.
func (e *ValueError) Unwrap() error { return e.Err }

// errAuth is the ValueError cause when AES-GCM authentication fails.
var errAuth = errors.New("authentication failed (value changed or moved to another key)")

// A MACError reports that the file-wide message authentication code did not
// verify: either the MAC itself could not be decrypted (it or lastmodified
// was changed), or it decrypted but does not match the values.
type MACError struct {
	// Reason says which of the two checks failed.
	Reason string
}

// Error says which MAC check failed.
func (e *MACError) Error() string { return "sops: MAC check failed: " + e.Reason }

// A NoKeyError reports that none of the given identities opens the data key.
type NoKeyError struct {
	// Recipients lists the age recipients that could open the file.
	Recipients []string
	// Others counts the non-age keys (pgp, kms, ...) the file also has.
	Others int
}

// Error lists the recipients that could open the file.
func (e *NoKeyError) Error() string {
	var b strings.Builder
	b.WriteString("sops: no identity opens the data key; the file can be opened by ")
	if len(e.Recipients) == 0 {
		b.WriteString("no age recipient")
	} else {
		b.WriteString(strings.Join(e.Recipients, ", "))
	}
	if e.Others > 0 {
		fmt.Fprintf(&b, " (and %d non-age keys)", e.Others)
	}
	return b.String()
}
