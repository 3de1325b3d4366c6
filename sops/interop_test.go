package sops

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/nixfleet/fleet/internal/nixtest"
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

// storeCases are plaintexts for every store, with the file names that make
// sops pick the store by itself.
func storeCases(t *testing.T) []struct {
	name   string
	format Format
	file   string
	plain  []byte
} {
	return []struct {
		name   string
		format Format
		file   string
		plain  []byte
	}{
		{"binary-random", Binary, "secret", randomBytes(t, 300)},
		{"binary-key", Binary, "secret", []byte("AGE-SECRET-KEY-1EXAMPLEWITHOUTNEWLINE")},
		{"binary-multiline", Binary, "secret", []byte("line one\nline two\n")},
		{"json", JSON, "s.json", []byte(richJSON)},
		{"yaml", YAML, "s.yaml", []byte(richYAML)},
		{"yaml-multidoc", YAML, "s.yaml", []byte("a: 1\n---\nb: two\nc:\n    - x\n")},
	}
}

// TestInteropSopsDecryptsOurs: the real sops decrypts every store we write,
// and prints exactly what our Decrypt returns (the input itself for binary).
func TestInteropSopsDecryptsOurs(t *testing.T) {
	key := newTestKey(t)
	for _, c := range storeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			enc, err := Encrypt(c.plain, c.format, []string{newTestKey(t).recipient(), key.recipient()})
			if err != nil {
				t.Fatal(err)
			}
			ours, err := Decrypt(enc, c.format, []age.Identity{key.id})
			if err != nil {
				t.Fatal(err)
			}
			// By file name, and with explicit --input-type/--output-type.
			path := writeTemp(t, c.file, enc)
			theirs, err := sopsRun(t, key.file, nil, "decrypt", path)
			if err != nil {
				t.Fatal(err)
			}
			typ := c.format.String()
			typed, err := sopsRun(t, key.file, nil, "decrypt", "--input-type", typ, "--output-type", typ, writeTemp(t, "noext", enc))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(theirs, ours) || !bytes.Equal(typed, ours) {
				t.Errorf("sops decrypt output differs from ours\n--- sops:\n%s\n--- ours:\n%s", theirs, ours)
			}
			if c.format == Binary && !bytes.Equal(ours, c.plain) {
				t.Errorf("binary round trip changed the data")
			}
		})
	}
}

// TestInteropWeDecryptSops: we decrypt what the real sops encrypts, in every
// store, and print what sops itself prints when decrypting.
func TestInteropWeDecryptSops(t *testing.T) {
	key := newTestKey(t)
	for _, c := range storeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			typ := c.format.String()
			var enc []byte
			var err error
			if c.format == Binary {
				// A file without extension, as clan does it, and with an
				// explicit --input-type binary.
				enc, err = sopsRun(t, key.file, nil, "encrypt", "--age", key.recipient(), writeTemp(t, c.file, c.plain))
				if err != nil {
					t.Fatal(err)
				}
				typed, err := sopsRun(t, key.file, nil, "encrypt", "--input-type", "binary", "--output-type", "binary", "--age", key.recipient(), writeTemp(t, "plain.txt.json", c.plain))
				if err != nil {
					t.Fatal(err)
				}
				if got, err := Decrypt(typed, Binary, []age.Identity{key.id}); err != nil || !bytes.Equal(got, c.plain) {
					t.Errorf("--input-type binary: got %q, %v", got, err)
				}
			} else {
				enc, err = sopsRun(t, key.file, nil, "encrypt", "--input-type", typ, "--output-type", typ, "--age", key.recipient(), writeTemp(t, "plain", c.plain))
			}
			if err != nil {
				t.Fatal(err)
			}
			ours, err := Decrypt(enc, c.format, []age.Identity{key.id})
			if err != nil {
				t.Fatalf("decrypting sops output: %v\n%s", err, enc)
			}
			theirs, err := sopsRun(t, key.file, nil, "decrypt", "--input-type", typ, "--output-type", typ, writeTemp(t, "enc", enc))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(ours, theirs) {
				t.Errorf("our decryption differs from sops's\n--- sops:\n%s\n--- ours:\n%s", theirs, ours)
			}
			if c.format == Binary && !bytes.Equal(ours, c.plain) {
				t.Errorf("binary data changed")
			}
		})
	}
}

// TestInteropAgeOpensStanza: the age CLI opens the armored stanza of every
// recipient and finds exactly our 32-byte data key.
func TestInteropAgeOpensStanza(t *testing.T) {
	ageBin := nixtest.Tool(t, "age")
	k1, k2 := newTestKey(t), newTestKey(t)
	enc, err := Encrypt([]byte("payload"), Binary, []string{k1.recipient(), k2.recipient()})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(enc, Binary, []age.Identity{k2.id})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.meta.age) != 2 {
		t.Fatalf("want 2 age stanzas, got %d", len(f.meta.age))
	}
	for i, k := range []testKey{k1, k2} {
		if f.meta.age[i].recipient != k.recipient() {
			t.Errorf("stanza %d is for %s, want %s", i, f.meta.age[i].recipient, k.recipient())
		}
		cmd := exec.Command(ageBin, "--decrypt", "-i", k.file)
		cmd.Stdin = strings.NewReader(f.meta.age[i].enc)
		cmd.Env = []string{"HOME=" + t.TempDir()}
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("age --decrypt stanza %d: %v", i, err)
		}
		if !bytes.Equal(out, f.key) {
			t.Errorf("stanza %d: age gives %x, data key is %x", i, out, f.key)
		}
	}
}

// TestInteropUpdateKeys: after UpdateKeys the real sops decrypts with the
// added recipient and fails with the removed one; and the file equals what
// "sops updatekeys" writes, up to the age stanzas.
func TestInteropUpdateKeys(t *testing.T) {
	oldKey, newKey, stay := newTestKey(t), newTestKey(t), newTestKey(t)
	for _, c := range storeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			enc, err := Encrypt(c.plain, c.format, []string{oldKey.recipient(), stay.recipient()})
			if err != nil {
				t.Fatal(err)
			}
			want := []string{stay.recipient(), newKey.recipient()}
			upd, err := UpdateKeys(enc, c.format, []age.Identity{oldKey.id}, want)
			if err != nil {
				t.Fatal(err)
			}
			typ := c.format.String()
			path := writeTemp(t, "file", upd)
			if _, err := sopsRun(t, newKey.file, nil, "decrypt", "--input-type", typ, "--output-type", typ, path); err != nil {
				t.Errorf("sops cannot decrypt with the added recipient: %v", err)
			}
			if _, err := sopsRun(t, oldKey.file, nil, "decrypt", "--input-type", typ, "--output-type", typ, path); err == nil {
				t.Errorf("sops still decrypts with the removed recipient")
			}
			// The real updatekeys, with a clan-style --config.
			cfg := writeTemp(t, "sops.json", []byte(`{"creation_rules":[{"key_groups":[{"age":["`+want[0]+`","`+want[1]+`"]}]}]}`))
			theirsPath := writeTemp(t, "file", enc)
			if _, err := sopsRun(t, oldKey.file, nil, "--config", cfg, "updatekeys", "--yes", "--input-type", typ, theirsPath); err != nil {
				t.Fatal(err)
			}
			theirs, err := os.ReadFile(theirsPath)
			if err != nil {
				t.Fatal(err)
			}
			if n1, n2 := armorBlock.ReplaceAllString(string(theirs), "ARMOR"), armorBlock.ReplaceAllString(string(upd), "ARMOR"); n1 != n2 {
				t.Errorf("differs from sops updatekeys\n--- sops:\n%s\n--- ours:\n%s", n1, n2)
			}
		})
	}
}

// TestInteropTamperRejectedBySops: the tampering our Decrypt refuses is
// refused by the real sops too, so the checks agree.
func TestInteropTamperRejectedBySops(t *testing.T) {
	key := newTestKey(t)
	enc, err := Encrypt([]byte("a: hello\nb: world\n"), YAML, []string{key.recipient()})
	if err != nil {
		t.Fatal(err)
	}
	a := encOf(t, string(enc), "a")
	lm := lastMod.FindString(string(enc))
	for name, bad := range map[string]string{
		"changed value":        strings.Replace(string(enc), a, flipData(t, a), 1),
		"changed lastmodified": strings.Replace(string(enc), lm, "2001-01-01T00:00:00Z", 1),
	} {
		t.Run(name, func(t *testing.T) {
			if _, err := Decrypt([]byte(bad), YAML, []age.Identity{key.id}); err == nil {
				t.Error("our Decrypt accepted the tampered file")
			}
			if _, err := sopsRun(t, key.file, nil, "decrypt", writeTemp(t, "f.yaml", []byte(bad))); err == nil {
				t.Error("sops accepted the tampered file")
			}
		})
	}
}

// TestInteropSeal: we re-encrypt a file the real sops wrote with changed
// plaintext (keeping its data key), and sops decrypts the result.
func TestInteropSeal(t *testing.T) {
	key := newTestKey(t)
	for _, c := range storeCases(t) {
		t.Run(c.name, func(t *testing.T) {
			typ := c.format.String()
			enc, err := sopsRun(t, key.file, nil, "encrypt", "--input-type", typ, "--output-type", typ, "--age", key.recipient(), writeTemp(t, "plain", c.plain))
			if err != nil {
				t.Fatal(err)
			}
			f, err := Open(enc, c.format, []age.Identity{key.id})
			if err != nil {
				t.Fatal(err)
			}
			changed := append(f.Plaintext(), "extra: value\n"...)
			if c.format == JSON {
				changed = []byte(strings.Replace(string(f.Plaintext()), `"count": 42`, `"count": 43`, 1))
			}
			next, err := f.Seal(changed)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sopsRun(t, key.file, nil, "decrypt", "--input-type", typ, "--output-type", typ, writeTemp(t, "enc", next))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, changed) {
				t.Errorf("sops decrypts the sealed file to\n%s\nwant\n%s", got, changed)
			}
		})
	}
}

// TestInteropMACOnlyEncrypted: a file sops wrote with --mac-only-encrypted
// decrypts here, its clear values are outside the MAC (as in sops), and our
// re-encryption keeps the setting and decrypts with sops.
func TestInteropMACOnlyEncrypted(t *testing.T) {
	key := newTestKey(t)
	plain := []byte("a: secret\nb_unencrypted: clear\n")
	cfg := writeTemp(t, "sops.yaml", []byte("creation_rules:\n  - age: "+key.recipient()+"\n    mac_only_encrypted: true\n"))
	enc, err := sopsRun(t, key.file, nil, "--config", cfg, "encrypt", writeTemp(t, "f.yaml", plain))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(enc, []byte("mac_only_encrypted: true")) {
		t.Fatalf("sops did not write mac_only_encrypted:\n%s", enc)
	}
	ids := []age.Identity{key.id}
	if got, err := Decrypt(enc, YAML, ids); err != nil || !bytes.Equal(got, plain) {
		t.Fatalf("got %q, %v", got, err)
	}
	changedClear := bytes.Replace(enc, []byte("b_unencrypted: clear"), []byte("b_unencrypted: other"), 1)
	if _, err := Decrypt(changedClear, YAML, ids); err != nil {
		t.Errorf("a clear value is outside the MAC with mac_only_encrypted, but: %v", err)
	}
	if _, err := sopsRun(t, key.file, nil, "decrypt", writeTemp(t, "f.yaml", changedClear)); err != nil {
		t.Errorf("sops disagrees: %v", err)
	}
	f, err := Open(enc, YAML, ids)
	if err != nil {
		t.Fatal(err)
	}
	next, err := f.Seal([]byte("a: new secret\nb_unencrypted: clear\n"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(next, []byte("mac_only_encrypted: true")) {
		t.Errorf("Seal dropped mac_only_encrypted:\n%s", next)
	}
	if got, err := sopsRun(t, key.file, nil, "decrypt", writeTemp(t, "f.yaml", next)); err != nil || string(got) != "a: new secret\nb_unencrypted: clear\n" {
		t.Errorf("sops on sealed file: %q, %v", got, err)
	}
}
