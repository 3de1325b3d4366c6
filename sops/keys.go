package sops

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"filippo.io/age"
	"filippo.io/age/armor"
)

// parseRecipient parses an age X25519 ("age1...") or hybrid post-quantum
// ("age1pq1...") recipient.
func parseRecipient(s string) (age.Recipient, error) {
	switch {
	case strings.HasPrefix(s, "age1pq1"):
		return age.ParseHybridRecipient(s)
	case strings.HasPrefix(s, "age1") && len(s) == 62:
		return age.ParseX25519Recipient(s)
	case strings.HasPrefix(s, "age1"):
		return nil, unsupported("age plugin recipient %q", s)
	}
	return nil, unsupported("recipient %q (only age1... recipients are)", s)
}

// wrapKey encrypts the data key for one recipient as sops does: a separate,
// armored age file per recipient.
func wrapKey(dataKey []byte, recipient string) (string, error) {
	r, err := parseRecipient(recipient)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return "", fmt.Errorf("sops: encrypting the data key for %s: %w", recipient, err)
	}
	if _, err := w.Write(dataKey); err != nil {
		return "", fmt.Errorf("sops: encrypting the data key for %s: %w", recipient, err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("sops: encrypting the data key for %s: %w", recipient, err)
	}
	if err := aw.Close(); err != nil {
		return "", fmt.Errorf("sops: armoring the data key for %s: %w", recipient, err)
	}
	return buf.String(), nil
}

// unwrapKey tries the age entries in file order and returns the data key
// from the first one an identity opens.
func unwrapKey(m *metadata, ids []age.Identity) ([]byte, error) {
	if len(ids) > 0 {
		for _, k := range m.age {
			r, err := age.Decrypt(armor.NewReader(strings.NewReader(k.enc)), ids...)
			if err != nil {
				continue
			}
			key, err := io.ReadAll(r)
			if err != nil {
				return nil, fmt.Errorf("sops: reading the data key of %s: %w", k.recipient, err)
			}
			if len(key) != 32 {
				return nil, fmt.Errorf("sops: the data key of %s is %d bytes, want 32", k.recipient, len(key))
			}
			return key, nil
		}
	}
	return nil, &NoKeyError{Recipients: m.recipients(), Others: m.others}
}

// ParseIdentities reads an age identity file: one AGE-SECRET-KEY-1... (or
// AGE-SECRET-KEY-PQ-1...) per line; empty lines and lines starting with
// '#' are skipped, as sops and age-keygen files have them.
func ParseIdentities(r io.Reader) ([]age.Identity, error) {
	return parseIdentities(r, false)
}

func parseIdentities(r io.Reader, manyPerLine bool) ([]age.Identity, error) {
	var ids []age.Identity
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		words := []string{line}
		if manyPerLine {
			words = strings.Fields(line)
		}
		for _, w := range words {
			id, err := parseIdentity(w)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w", n, err)
			}
			ids = append(ids, id)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return ids, nil
}

func parseIdentity(s string) (age.Identity, error) {
	switch {
	case strings.HasPrefix(s, "AGE-SECRET-KEY-PQ-1"):
		return age.ParseHybridIdentity(s)
	case strings.HasPrefix(s, "AGE-SECRET-KEY-1"):
		return age.ParseX25519Identity(s)
	case strings.HasPrefix(s, "AGE-PLUGIN-"):
		return nil, unsupported("age plugin identities")
	}
	return nil, errors.New("not an age identity (want AGE-SECRET-KEY-1...)")
}

// IdentitiesFromEnv gathers age identities the way sops does: from
// SOPS_AGE_KEY (several keys, separated by white space or lines), from the
// file named by SOPS_AGE_KEY_FILE, and from sops/age/keys.txt in the user
// configuration directory ($XDG_CONFIG_HOME, else $HOME/.config on Linux).
// All sources that exist are used. lookup is usually os.LookupEnv.
// SOPS_AGE_KEY_CMD and SSH keys are not read.
func IdentitiesFromEnv(lookup func(string) (string, bool)) ([]age.Identity, error) {
	var ids []age.Identity
	var tried []string
	if v, ok := lookup("SOPS_AGE_KEY"); ok {
		got, err := parseIdentities(strings.NewReader(v), true)
		if err != nil {
			return nil, fmt.Errorf("sops: SOPS_AGE_KEY: %w", err)
		}
		ids = append(ids, got...)
	}
	tried = append(tried, "SOPS_AGE_KEY")
	if p, ok := lookup("SOPS_AGE_KEY_FILE"); ok {
		got, err := readIdentityFile(p)
		if err != nil {
			return nil, fmt.Errorf("sops: SOPS_AGE_KEY_FILE: %w", err)
		}
		ids = append(ids, got...)
	}
	tried = append(tried, "SOPS_AGE_KEY_FILE")
	if dir := userConfigDir(lookup); dir != "" {
		p := filepath.Join(dir, "sops", "age", "keys.txt")
		got, err := readIdentityFile(p)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("sops: %w", err)
		}
		ids = append(ids, got...)
		tried = append(tried, p)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("sops: no age identities found (looked at %s)", strings.Join(tried, ", "))
	}
	return ids, nil
}

func readIdentityFile(path string) ([]age.Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ids, err := ParseIdentities(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ids, nil
}

// userConfigDir follows os.UserConfigDir, but through lookup.
func userConfigDir(lookup func(string) (string, bool)) string {
	if v, ok := lookup("XDG_CONFIG_HOME"); ok && v != "" && runtime.GOOS != "windows" {
		return v
	}
	home, _ := lookup("HOME")
	switch {
	case home == "":
		return ""
	case runtime.GOOS == "darwin":
		return filepath.Join(home, "Library", "Application Support")
	default:
		return filepath.Join(home, ".config")
	}
}
