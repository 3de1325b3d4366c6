package sops

import (
	"errors"
	"fmt"
	"strconv"
	"time"
)

// metaKey is the top-level key holding sops metadata.
const metaKey = "sops"

// defaultUnencryptedSuffix is the rule sops applies when a file states none.
const defaultUnencryptedSuffix = "_unencrypted"

// ageKey is one age recipient entry of the single key group.
type ageKey struct {
	recipient string
	enc       string // armored age file holding the 32-byte data key
}

// metadata is the part of the sops block this package understands.
type metadata struct {
	age          []ageKey
	others       int // pgp, kms, ... keys we cannot use but must not lose
	lastModified time.Time
	mac          string
	rules        rules
	suffixStated bool // unencrypted_suffix was present in the file
	version      string
}

// splitMetadata removes the sops entry from every document and parses the
// one in the first document, as sops does.
func splitMetadata(docs []branch) ([]branch, *metadata, error) {
	var raw any
	found := false
	for di, d := range docs {
		out := d[:0:0]
		for _, it := range d {
			if it.key == metaKey {
				if di == 0 {
					if found {
						return nil, nil, errors.New("sops: duplicate sops metadata entry")
					}
					found, raw = true, it.value
				}
				continue
			}
			out = append(out, it)
		}
		docs[di] = out
	}
	if !found {
		return nil, nil, errors.New("sops: no sops metadata found: the file is not encrypted")
	}
	mb, ok := raw.(branch)
	if !ok {
		return nil, nil, errors.New("sops: the sops metadata entry is not a mapping")
	}
	m, err := parseMetadata(mb)
	return docs, m, err
}

func field(b branch, name string) (any, bool) {
	for _, it := range b {
		if it.key == name {
			return it.value, true
		}
	}
	return nil, false
}

// str reads a scalar weakly, as sops's mapstructure decoding does.
func str(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	case time.Time:
		return v.Format(time.RFC3339)
	}
	return fmt.Sprint(v)
}

func parseMetadata(b branch) (*metadata, error) {
	m := &metadata{}
	if v, _ := field(b, "key_groups"); v != nil {
		groups, _ := v.([]any)
		if len(groups) > 1 {
			return nil, unsupported("%d key groups (Shamir secret sharing)", len(groups))
		}
		if len(groups) == 1 {
			g, ok := groups[0].(branch)
			if !ok {
				return nil, errors.New("sops: key_groups entry is not a mapping")
			}
			if err := m.readKeys(g); err != nil {
				return nil, err
			}
		}
	}
	if err := m.readKeys(b); err != nil {
		return nil, err
	}
	if v, _ := field(b, "shamir_threshold"); v != nil && str(v) != "0" {
		return nil, unsupported("shamir_threshold")
	}
	lm, ok := field(b, "lastmodified")
	if !ok {
		return nil, errors.New("sops: metadata has no lastmodified")
	}
	t, err := time.Parse(time.RFC3339, str(lm))
	if err != nil {
		return nil, fmt.Errorf("sops: metadata lastmodified: %w", err)
	}
	m.lastModified = t
	mac, _ := field(b, "mac")
	m.mac = str(mac)
	v, _ := field(b, "version")
	m.version = str(v)
	if v, _ := field(b, "mac_only_encrypted"); v != nil {
		on, err := strconv.ParseBool(str(v))
		if err != nil {
			return nil, fmt.Errorf("sops: metadata mac_only_encrypted: %w", err)
		}
		m.rules.macOnlyEncrypted = on
	}
	for _, rule := range []string{"encrypted_suffix", "unencrypted_regex", "encrypted_regex", "unencrypted_comment_regex", "encrypted_comment_regex"} {
		if v, _ := field(b, rule); str(v) != "" {
			return nil, unsupported("the %s rule", rule)
		}
	}
	if v, _ := field(b, "unencrypted_suffix"); str(v) != "" {
		m.rules.unencryptedSuffix, m.suffixStated = str(v), true
	} else {
		m.rules.unencryptedSuffix = defaultUnencryptedSuffix
	}
	if len(m.age) == 0 {
		if m.others > 0 {
			return nil, unsupported("file has only non-age keys (pgp, kms, ...)")
		}
		return nil, errors.New("sops: no keys found in file")
	}
	return m, nil
}

// readKeys collects the age entries of a key group and counts the others.
func (m *metadata) readKeys(g branch) error {
	for _, it := range g {
		name, _ := it.key.(string)
		list, _ := it.value.([]any)
		switch name {
		case "age":
			for _, e := range list {
				eb, ok := e.(branch)
				if !ok {
					return errors.New("sops: age entry is not a mapping")
				}
				r, _ := field(eb, "recipient")
				enc, _ := field(eb, "enc")
				m.age = append(m.age, ageKey{recipient: str(r), enc: str(enc)})
			}
		case "pgp", "kms", "gcp_kms", "azure_kv", "hc_vault", "hckms":
			m.others += len(list)
		}
	}
	return nil
}

// recipients lists the age recipients in file order.
func (m *metadata) recipients() []string {
	out := make([]string, len(m.age))
	for i, k := range m.age {
		out[i] = k.recipient
	}
	return out
}

// toBranch renders the metadata as sops writes it: keys in alphabetical
// order, empty optional fields left out. stateSuffix says whether to write
// unencrypted_suffix (sops leaves it out when encrypting a binary file).
func (m *metadata) toBranch(stateSuffix bool) branch {
	ages := make([]any, len(m.age))
	for i, k := range m.age {
		ages[i] = branch{{key: "enc", value: k.enc}, {key: "recipient", value: k.recipient}}
	}
	b := branch{
		{key: "age", value: ages},
		{key: "lastmodified", value: m.lastModified.Format(time.RFC3339)},
		{key: "mac", value: m.mac},
	}
	if m.rules.macOnlyEncrypted {
		b = append(b, item{key: "mac_only_encrypted", value: true})
	}
	if stateSuffix && m.rules.unencryptedSuffix != "" {
		b = append(b, item{key: "unencrypted_suffix", value: m.rules.unencryptedSuffix})
	}
	return append(b, item{key: "version", value: m.version})
}
