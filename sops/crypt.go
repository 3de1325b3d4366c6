package sops

import (
	"crypto/sha256"
	"crypto/sha512"
	"errors"
	"fmt"
	"hash"
	"strings"
)

// rules says which values are left in clear, and what the MAC covers.
type rules struct {
	unencryptedSuffix string
	macOnlyEncrypted  bool
}

// encrypted reports whether the value at path is encrypted: unless some key
// on its path ends with the unencrypted suffix.
func (r rules) encrypted(path []string) bool {
	if r.unencryptedSuffix == "" {
		return true
	}
	for _, p := range path {
		if strings.HasSuffix(p, r.unencryptedSuffix) {
			return false
		}
	}
	return true
}

// newMAC starts the MAC hash; with mac_only_encrypted sops first feeds it
// sha256("sops"), so the two modes never produce the same MAC.
func (r rules) newMAC() hash.Hash {
	h := sha512.New()
	if r.macOnlyEncrypted {
		init := sha256.Sum256([]byte("sops"))
		h.Write(init[:])
	}
	return h
}

// macHex formats a MAC as sops does: uppercase hex.
func macHex(h hash.Hash) string { return fmt.Sprintf("%X", h.Sum(nil)) }

// encryptTree encrypts every document in place and returns the MAC over
// the plaintext values.
func encryptTree(docs []branch, r rules, c *valueCipher) (string, error) {
	h := r.newMAC()
	f := func(v any, path []string) (any, error) {
		_, isComment := v.(comment)
		enc := r.encrypted(path)
		if (!r.macOnlyEncrypted || enc) && !isComment {
			b, _, err := plainBytes(v)
			if err != nil {
				return nil, fmt.Errorf("sops: key path %q: %w", aad(path), err)
			}
			h.Write(b)
		}
		if !enc {
			return v, nil
		}
		s, err := c.encrypt(v, aad(path))
		if err != nil {
			return nil, fmt.Errorf("sops: encrypting key path %q: %w", aad(path), err)
		}
		return s, nil
	}
	for _, d := range docs {
		if err := walkBranch(d, nil, f); err != nil {
			return "", err
		}
	}
	return macHex(h), nil
}

// decryptTree decrypts every document in place and returns the MAC over
// the plaintext values. Encrypted comments that do not open are kept as
// they are (files from old sops versions have clear comments).
func decryptTree(docs []branch, r rules, c *valueCipher) (string, error) {
	h := r.newMAC()
	f := func(v any, path []string) (any, error) {
		enc := r.encrypted(path)
		out := v
		if enc {
			ad := aad(path)
			switch in := v.(type) {
			case comment:
				if d, err := c.decrypt(in.text, ad); err == nil {
					out = d
				}
			case string:
				d, err := c.decrypt(in, ad)
				if err != nil {
					return nil, &ValueError{Path: ad, Err: err}
				}
				out = d
			default:
				return nil, &ValueError{Path: ad, Err: fmt.Errorf("expected an encrypted string, found %T", v)}
			}
		}
		if !r.macOnlyEncrypted || enc {
			if _, isComment := out.(comment); !isComment {
				b, _, err := plainBytes(out)
				if err != nil {
					return nil, fmt.Errorf("sops: key path %q: %w", aad(path), err)
				}
				h.Write(b)
			}
		}
		return out, nil
	}
	for _, d := range docs {
		if err := walkBranch(d, nil, f); err != nil {
			return "", err
		}
	}
	return macHex(h), nil
}

// checkMAC verifies the stored MAC against the computed one; the stored MAC
// is encrypted with lastmodified (RFC 3339) as its additional data.
func checkMAC(stored, lastModified, computed string, c *valueCipher) error {
	if stored == "" {
		return &MACError{Reason: "the file has no MAC"}
	}
	v, err := c.decrypt(stored, lastModified)
	if err != nil {
		if errors.Is(err, errAuth) {
			return &MACError{Reason: "cannot decrypt the MAC: the mac or lastmodified field was changed"}
		}
		return &MACError{Reason: "cannot decrypt the MAC: " + err.Error()}
	}
	s, ok := v.(string)
	if !ok || s != computed {
		return &MACError{Reason: "MAC mismatch: the values do not match the MAC (a value was changed, added or removed)"}
	}
	return nil
}
