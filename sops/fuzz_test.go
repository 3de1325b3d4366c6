package sops

import (
	"os"
	"path/filepath"
	"testing"

	"filippo.io/age"
)

// FuzzDecrypt feeds mangled files to Decrypt, which must fail cleanly
// (never panic) and never accept a file whose MAC does not check.
func FuzzDecrypt(f *testing.F) {
	for _, name := range []string{"secret", "rich.json", "rich.yaml"} {
		b, err := os.ReadFile(filepath.Join("testdata", "sops-made", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
	}
	id, err := age.ParseX25519Identity(aliceKey)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte, format uint8) {
		fm := Format(format%3 + 1)
		plain, err := Decrypt(data, fm, []age.Identity{id})
		if err != nil {
			return
		}
		// Whatever decrypts must re-encrypt and decrypt to the same text.
		enc, err := Encrypt(plain, fm, []string{aliceRcp})
		if err != nil {
			t.Fatalf("re-encrypting decrypted output: %v", err)
		}
		again, err := Decrypt(enc, fm, []age.Identity{id})
		if err != nil {
			t.Fatalf("decrypting re-encrypted output: %v", err)
		}
		if fm == YAML {
			// As in sops, a comment that does not decrypt is kept with its
			// inline flag while decrypted comments become head comments, so
			// only a second cycle is a fixed point.
			enc, err := Encrypt(again, fm, []string{aliceRcp})
			if err != nil {
				t.Fatal(err)
			}
			if third, err := Decrypt(enc, fm, []age.Identity{id}); err != nil || string(third) != string(again) {
				t.Fatalf("second round trip: %q, %v", third, err)
			}
		} else if string(again) != string(plain) {
			t.Fatalf("round trip: %q, want %q", again, plain)
		}
	})
}
