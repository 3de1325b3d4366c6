package vars

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
)

// Key is one entry of a clan key.json file.
type Key struct {
	// PublicKey is the age recipient (or pgp fingerprint).
	PublicKey string `json:"publickey"`
	// Type is "age" or "pgp".
	Type string `json:"type"`
}

// ReadKeys reads a key.json file in either form clan accepts: the current
// array of keys or the legacy single object.
func ReadKeys(path string) ([]Key, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseKeys(data, path)
}

func parseKeys(data []byte, path string) ([]Key, error) {
	trimmed := bytes.TrimSpace(data)
	var keys []Key
	if bytes.HasPrefix(trimmed, []byte("[")) {
		if err := json.Unmarshal(trimmed, &keys); err != nil {
			return nil, fmt.Errorf("vars: %s: %w", path, err)
		}
	} else {
		var k Key
		if err := json.Unmarshal(trimmed, &k); err != nil {
			return nil, fmt.Errorf("vars: %s: %w", path, err)
		}
		keys = []Key{k}
	}
	for i, k := range keys {
		if k.PublicKey == "" {
			return nil, fmt.Errorf("vars: %s: key %d has no publickey", path, i)
		}
		if k.Type == "" {
			keys[i].Type = "age"
		}
	}
	return keys, nil
}

// MarshalKeys renders keys as clan's write_keys does: a JSON array sorted by
// public key, 2-space indent, no trailing newline.
func MarshalKeys(keys []Key) []byte {
	sorted := slices.Clone(keys)
	slices.SortFunc(sorted, func(a, b Key) int {
		if c := strings.Compare(a.PublicKey, b.PublicKey); c != 0 {
			return c
		}
		return strings.Compare(a.Type, b.Type)
	})
	sorted = slices.Compact(sorted)
	var b bytes.Buffer
	b.WriteString("[")
	for i, k := range sorted {
		if i > 0 {
			b.WriteString(",")
		}
		pk, _ := json.Marshal(k.PublicKey)
		ty, _ := json.Marshal(k.Type)
		fmt.Fprintf(&b, "\n  {\n    \"publickey\": %s,\n    \"type\": %s\n  }", pk, ty)
	}
	if len(sorted) > 0 {
		b.WriteString("\n")
	}
	b.WriteString("]")
	return b.Bytes()
}
