package sops

import (
	"crypto/rand"
	"testing"
)

// richYAML exercises value types, nesting, lists, comments, multi-line and
// empty strings, null and a clear (_unencrypted) key.
const richYAML = `# top comment
name: hello ünïcode
count: 42
ratio: 3.25
on: true
off: false
"n": no
empty: ""
nothing: null
list:
    - a
    - 7
    # list comment
    - nested: map
      deep:
        - true
map:
    inner: value # inline comment
    more:
        x: 1
block: |
    line one
    line two
pw_unencrypted: clear text
# trailing comment
`

const richJSON = `{
	"name": "hello <ünïcode> & more",
	"count": 42,
	"big": 12345678901234,
	"ratio": 3.25,
	"yes": true,
	"no": false,
	"empty": "",
	"nothing": null,
	"list": [
		"a",
		7,
		{
			"nested": "map",
			"deep": [
				true
			]
		}
	],
	"map": {
		"inner": "value\nwith newline",
		"more": {
			"x": 1
		}
	},
	"emptymap": {},
	"emptylist": [],
	"pw_unencrypted": "clear text"
}
`

func randomBytes(t testing.TB, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

// TestInteropSameShapeAsSops encrypts one plaintext with the real sops and
// with this package and requires the two files to be byte-identical once
// ciphertexts, age stanzas and lastmodified are replaced by placeholders.
func TestInteropSameShapeAsSops(t *testing.T) {
	key := newTestKey(t)
	cases := []struct {
		name   string
		format Format
		file   string
		plain  []byte
	}{
		{"binary", Binary, "secret", randomBytes(t, 300)},
		{"binary-text", Binary, "secret", []byte("AGE-SECRET-KEY-1QQQ")},
		{"json", JSON, "s.json", []byte(richJSON)},
		{"yaml", YAML, "s.yaml", []byte(richYAML)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := writeTemp(t, c.file, c.plain)
			theirs, err := sopsRun(t, key.file, nil, "encrypt", "--age", key.recipient(), in)
			if err != nil {
				t.Fatal(err)
			}
			ours, err := Encrypt(c.plain, c.format, []string{key.recipient()})
			if err != nil {
				t.Fatal(err)
			}
			if n1, n2 := normalize(theirs), normalize(ours); n1 != n2 {
				t.Errorf("shape differs from sops\n--- sops:\n%s\n--- ours:\n%s", n1, n2)
			}
		})
	}
}
