package sops

import (
	"bytes"
	"encoding/base64"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/cryptotest"
	"time"

	"filippo.io/age"
	"github.com/sebdah/goldie/v2"
)

// Test-only identities, committed on purpose: they protect nothing.
const (
	aliceKey = "AGE-SECRET-KEY-1HR6SVM8Y9KFJ0FMGLP2GGMGDY465E03ZN4ANSKT4HH9J092KPTKQHU48EZ"
	aliceRcp = "age1cen6ywu24vw5eq8nujy09vknt4y9cy068a66vgg7xr7z5vm7334s8pavt5"
	bobKey   = "AGE-SECRET-KEY-1PXX7PMHS4HNCKZYFEGGP3NNSCVKWN886U9P65TVRVLAA4K9UDJDSWLPEGJ"
	bobRcp   = "age1qeykm68e9rv6h0glvsc7qr25wrcxmazp7wsscj8snhf4nmzyldfsy77htk"
)

func identity(t testing.TB, s string) age.Identity {
	t.Helper()
	id, err := age.ParseX25519Identity(s)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

var fixedTime = time.Date(2026, 11, 25, 22, 19, 28, 123456789, time.UTC)

// fixed returns options that make Encrypt repeatable: seeded randomness for
// the data key and IVs, a fixed clock; crypto/rand (used by age) is pinned
// with cryptotest.SetGlobalRandom.
func fixed(t *testing.T) []Option {
	cryptotest.SetGlobalRandom(t, 1)
	return []Option{WithRand(rand.NewChaCha8([32]byte{1})), WithClock(func() time.Time { return fixedTime })}
}

func TestGolden(t *testing.T) {
	cases := []struct {
		name   string
		format Format
		plain  string
	}{
		{"binary", Binary, "AGE-SECRET-KEY-1EXAMPLE"},
		{"json", JSON, richJSON},
		{"yaml", YAML, richYAML},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			enc, err := Encrypt([]byte(c.plain), c.format, []string{aliceRcp, bobRcp}, fixed(t)...)
			if err != nil {
				t.Fatal(err)
			}
			goldie.New(t).Assert(t, c.name, enc)
			again, err := Encrypt([]byte(c.plain), c.format, []string{aliceRcp, bobRcp}, fixed(t)...)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(enc, again) {
				t.Error("two encryptions with the same seed differ")
			}
			for _, k := range []string{aliceKey, bobKey} {
				got, err := Decrypt(enc, c.format, []age.Identity{identity(t, k)})
				if err != nil {
					t.Fatal(err)
				}
				if c.format != YAML && c.format != JSON && string(got) != c.plain {
					t.Errorf("round trip: got %q", got)
				}
				goldie.New(t).Assert(t, c.name+".plain", got)
			}
		})
	}
}

func TestLastModifiedWholeSecondsUTC(t *testing.T) {
	local := time.FixedZone("X", 2*3600)
	enc, err := Encrypt([]byte("x"), Binary, []string{aliceRcp}, WithClock(func() time.Time { return fixedTime.In(local) }))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(enc, []byte(`"lastmodified": "2026-11-25T22:19:28Z"`)) {
		t.Errorf("lastmodified not whole-second UTC:\n%s", enc)
	}
}

func TestTypesRoundTrip(t *testing.T) {
	in := "s: str\ni: -12\nf: 1.5e-07\nbt: true\nbf: false\nu: \"\"\nnl: null\nl:\n    - 1\n    - x\n"
	enc, err := Encrypt([]byte(in), YAML, []string{aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	for typ, n := range map[string]int{"str": 3 /* with the MAC */, "int": 2, "float": 1, "bool": 2} {
		if got := strings.Count(string(enc), ",type:"+typ+"]"); got != n {
			t.Errorf("type %s: %d values, want %d\n%s", typ, got, n, enc)
		}
	}
	out, err := Decrypt(enc, YAML, []age.Identity{identity(t, aliceKey)})
	if err != nil {
		t.Fatal(err)
	}
	want := "s: str\ni: -12\nf: 1.5e-07\nbt: true\nbf: false\nu: \"\"\nnl: null\nl:\n    - 1\n    - x\n"
	if string(out) != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
}

// encOf returns the ENC[...] string of key k on a YAML line "k: ENC[...]".
func encOf(t *testing.T, file, k string) string {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + k + `: (ENC\[[^\]]*\])$`).FindStringSubmatch(file)
	if m == nil {
		t.Fatalf("no encrypted value for %s in\n%s", k, file)
	}
	return m[1]
}

// flipData flips one bit of the ciphertext of an ENC[...] value.
func flipData(t *testing.T, enc string) string {
	t.Helper()
	m := encPattern.FindStringSubmatch(enc)
	data, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	data[0] ^= 1
	return strings.Replace(enc, "data:"+m[1], "data:"+base64.StdEncoding.EncodeToString(data), 1)
}

func TestTamper(t *testing.T) {
	ids := []age.Identity{identity(t, aliceKey)}
	enc, err := Encrypt([]byte("a: hello\nb: world\nc_unencrypted: clear\n"), YAML, []string{aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	file := string(enc)
	a, b := encOf(t, file, "a"), encOf(t, file, "b")
	lm := regexp.MustCompile(`lastmodified: "([^"]*)"`).FindStringSubmatch(file)[1]
	flipped := flipData(t, a)
	cases := []struct {
		name     string
		file     string
		wantPath string // ValueError path, or "" for a MAC error
		wantMAC  string
	}{
		{"changed value", strings.Replace(file, a, flipped, 1), "a:", ""},
		{"moved value", strings.Replace(strings.Replace(file, "a: "+a, "a: "+b, 1), "b: "+b, "b: "+a, 1), "a:", ""},
		{"changed lastmodified", strings.Replace(file, lm, "2001-01-01T00:00:00Z", 1), "", "cannot decrypt the MAC"},
		{"changed clear value", strings.Replace(file, "c_unencrypted: clear", "c_unencrypted: other", 1), "", "MAC mismatch"},
		{"added clear value", strings.Replace(file, "c_unencrypted: clear", "c_unencrypted: clear\nd_unencrypted: new", 1), "", "MAC mismatch"},
		{"removed value", strings.Replace(file, "b: "+b+"\n", "", 1), "", "MAC mismatch"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.file == file {
				t.Fatal("tampering did not change the file")
			}
			_, err := Decrypt([]byte(c.file), YAML, ids)
			var ve *ValueError
			var me *MACError
			switch {
			case c.wantPath != "":
				if !errors.As(err, &ve) || ve.Path != c.wantPath {
					t.Fatalf("want a ValueError at %q, got %v", c.wantPath, err)
				}
				if !strings.Contains(err.Error(), "authentication failed") {
					t.Errorf("error does not say authentication failed: %v", err)
				}
			default:
				if !errors.As(err, &me) || !strings.Contains(err.Error(), c.wantMAC) {
					t.Fatalf("want a MACError with %q, got %v", c.wantMAC, err)
				}
			}
		})
	}
}

func TestTamperBinaryLastModified(t *testing.T) {
	enc, err := Encrypt([]byte("data"), Binary, []string{aliceRcp}, WithClock(func() time.Time { return fixedTime }))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(enc, []byte("22:19:28Z"), []byte("22:19:29Z"), 1)
	var me *MACError
	if _, err := Decrypt(bad, Binary, []age.Identity{identity(t, aliceKey)}); !errors.As(err, &me) {
		t.Fatalf("want MACError, got %v", err)
	}
}

func TestNoKeyErrorNamesRecipients(t *testing.T) {
	enc, err := Encrypt([]byte("x"), Binary, []string{aliceRcp, bobRcp})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := age.GenerateX25519Identity()
	_, err = Decrypt(enc, Binary, []age.Identity{other})
	var nk *NoKeyError
	if !errors.As(err, &nk) {
		t.Fatalf("want NoKeyError, got %v", err)
	}
	if !strings.Contains(err.Error(), aliceRcp) || !strings.Contains(err.Error(), bobRcp) {
		t.Errorf("error does not name the recipients: %v", err)
	}
}

func TestUnsupported(t *testing.T) {
	enc, err := Encrypt([]byte(`{"a": "b"}`), JSON, []string{aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	ageEntry := regexp.MustCompile(`"age": \[[\s\S]*?\n\t\t\],`).FindString(string(enc))
	cases := map[string]string{
		"two key groups":   strings.Replace(string(enc), ageEntry, `"key_groups": [{"age": []}, {"age": []}],`, 1),
		"shamir threshold": strings.Replace(string(enc), `"version"`, `"shamir_threshold": 2, "version"`, 1),
		"pgp only":         strings.Replace(string(enc), ageEntry, `"pgp": [{"fp": "ABCD", "enc": "x", "created_at": "2020-01-01T00:00:00Z"}],`, 1),
		"encrypted_regex":  strings.Replace(string(enc), `"unencrypted_suffix": "_unencrypted"`, `"encrypted_regex": "^a$"`, 1),
		"encrypted_suffix": strings.Replace(string(enc), `"unencrypted_suffix": "_unencrypted"`, `"encrypted_suffix": "_enc"`, 1),
		"unencrypted_regex": strings.Replace(string(enc), `"unencrypted_suffix": "_unencrypted"`,
			`"unencrypted_regex": "^a$"`, 1),
	}
	for name, file := range cases {
		t.Run(name, func(t *testing.T) {
			if file == string(enc) {
				t.Fatal("edit did not apply")
			}
			_, err := Decrypt([]byte(file), JSON, []age.Identity{identity(t, aliceKey)})
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("want ErrUnsupported, got %v", err)
			}
		})
	}
	if _, err := Encrypt([]byte("x"), Binary, []string{"ssh-ed25519 AAAA"}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("ssh recipient: want ErrUnsupported, got %v", err)
	}
	if _, err := FormatOf("x.env"); !errors.Is(err, ErrUnsupported) {
		t.Errorf("dotenv: want ErrUnsupported, got %v", err)
	}
}

func TestLegacyBinaryFile(t *testing.T) {
	enc, err := Encrypt([]byte("legacy"), Binary, []string{aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	legacy := strings.Replace(string(enc), `"sops": {`, `"sops": {
		"kms": null, "gcp_kms": null, "azure_kv": null, "hc_vault": null, "pgp": null,
		"unencrypted_suffix": "_unencrypted",`, 1)
	got, err := Decrypt([]byte(legacy), Binary, []age.Identity{identity(t, aliceKey)})
	if err != nil || string(got) != "legacy" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestSealKeepsUnchangedCiphertext(t *testing.T) {
	ids := []age.Identity{identity(t, aliceKey)}
	enc, err := Encrypt([]byte("a: one\nb: two\nl:\n    - x\n    - y\n"), YAML, []string{aliceRcp, bobRcp})
	if err != nil {
		t.Fatal(err)
	}
	f, err := Open(enc, YAML, ids)
	if err != nil {
		t.Fatal(err)
	}
	same, err := f.Seal(f.Plaintext())
	if err != nil || !bytes.Equal(same, enc) {
		t.Fatalf("sealing unchanged plaintext changed the file (%v)", err)
	}
	later := WithClock(func() time.Time { return time.Now().Add(time.Hour) })
	next, err := f.Seal([]byte("a: one\nb: changed\nl:\n    - x\n    - y\n"), later)
	if err != nil {
		t.Fatal(err)
	}
	if encOf(t, string(next), "a") != encOf(t, string(enc), "a") {
		t.Error("unchanged value a got a new ciphertext")
	}
	if encOf(t, string(next), "b") == encOf(t, string(enc), "b") {
		t.Error("changed value b kept its ciphertext")
	}
	stanzas := regexp.MustCompile(`(?s)sops:\n    age:.*?lastmodified`)
	if stanzas.FindString(string(next)) != stanzas.FindString(string(enc)) {
		t.Error("age stanzas changed: the data key should be kept")
	}
	// A second Seal keeps the values the first one wrote.
	third, err := f.Seal([]byte("a: changed too\nb: changed\nl:\n    - x\n    - y\n"), later)
	if err != nil {
		t.Fatal(err)
	}
	if encOf(t, string(third), "b") != encOf(t, string(next), "b") {
		t.Error("value b written by the first Seal was re-encrypted by the second")
	}
	got, err := Decrypt(third, YAML, []age.Identity{identity(t, bobKey)})
	if err != nil || string(got) != "a: changed too\nb: changed\nl:\n    - x\n    - \"y\"\n" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestUpdateKeysKeepsValues(t *testing.T) {
	enc, err := Encrypt([]byte("a: one\n"), YAML, []string{aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	upd, err := UpdateKeys(enc, YAML, []age.Identity{identity(t, aliceKey)}, []string{bobRcp})
	if err != nil {
		t.Fatal(err)
	}
	if encOf(t, string(upd), "a") != encOf(t, string(enc), "a") {
		t.Error("UpdateKeys re-encrypted a value")
	}
	mac := regexp.MustCompile(`(?m)^    (mac|lastmodified): .*$`)
	if strings.Join(mac.FindAllString(string(upd), -1), "\n") != strings.Join(mac.FindAllString(string(enc), -1), "\n") {
		t.Error("UpdateKeys changed mac or lastmodified")
	}
	if r, _ := Recipients(upd, YAML); len(r) != 1 || r[0] != bobRcp {
		t.Errorf("recipients after update: %v", r)
	}
	if _, err := Decrypt(upd, YAML, []age.Identity{identity(t, aliceKey)}); err == nil {
		t.Error("removed recipient can still decrypt")
	}
	same, err := UpdateKeys(upd, YAML, []age.Identity{identity(t, bobKey)}, []string{bobRcp, bobRcp})
	if err != nil || !bytes.Equal(same, upd) {
		t.Errorf("UpdateKeys with the same set changed the file (%v)", err)
	}
}

func TestRecipientsReadsMetadataOnly(t *testing.T) {
	enc, err := Encrypt([]byte("x"), Binary, []string{bobRcp, aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	got, err := Recipients(enc, Binary)
	if err != nil || len(got) != 2 || got[0] != bobRcp || got[1] != aliceRcp {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestIdentities(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "k.txt")
	os.WriteFile(keyFile, []byte("# created: x\n# public key: "+aliceRcp+"\n"+aliceKey+"\n\n"), 0o600)
	xdg := filepath.Join(dir, "xdg")
	os.MkdirAll(filepath.Join(xdg, "sops", "age"), 0o700)
	os.WriteFile(filepath.Join(xdg, "sops", "age", "keys.txt"), []byte(bobKey+"\n"), 0o600)
	env := func(m map[string]string) func(string) (string, bool) {
		return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
	}
	cases := []struct {
		name string
		env  map[string]string
		want int
	}{
		{"key file", map[string]string{"SOPS_AGE_KEY_FILE": keyFile, "HOME": dir}, 1},
		{"several keys in SOPS_AGE_KEY", map[string]string{"SOPS_AGE_KEY": aliceKey + " " + bobKey + "\n# c\n" + aliceKey, "HOME": dir}, 3},
		{"all sources", map[string]string{"SOPS_AGE_KEY": bobKey, "SOPS_AGE_KEY_FILE": keyFile, "XDG_CONFIG_HOME": xdg}, 3},
		{"default keys.txt", map[string]string{"XDG_CONFIG_HOME": xdg}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ids, err := IdentitiesFromEnv(env(c.env))
			if err != nil || len(ids) != c.want {
				t.Fatalf("got %d identities, %v; want %d", len(ids), err, c.want)
			}
		})
	}
	if _, err := IdentitiesFromEnv(env(map[string]string{"HOME": dir})); err == nil {
		t.Error("no identities: want an error")
	}
	if _, err := IdentitiesFromEnv(env(map[string]string{"SOPS_AGE_KEY_FILE": filepath.Join(dir, "missing")})); err == nil {
		t.Error("missing SOPS_AGE_KEY_FILE: want an error")
	}
	if _, err := ParseIdentities(strings.NewReader("garbage\n")); err == nil {
		t.Error("garbage identity file: want an error")
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]Format{"a.yaml": YAML, "a.YML": YAML, "a.json": JSON, "secret": Binary, "key.txt": Binary} {
		if got, err := FormatOf(path); err != nil || got != want {
			t.Errorf("FormatOf(%q) = %v, %v; want %v", path, got, err, want)
		}
	}
}

// TestSopsMadeFiles decrypts files the real sops 3.13.3 wrote (checked in
// under testdata/sops-made, encrypted to the test identity alice), so the
// reading side is covered even where the binary is not installed.
func TestSopsMadeFiles(t *testing.T) {
	ids := []age.Identity{identity(t, aliceKey)}
	for name, f := range map[string]Format{"secret": Binary, "random": Binary, "rich.json": JSON, "rich.yaml": YAML} {
		t.Run(name, func(t *testing.T) {
			enc, err := os.ReadFile(filepath.Join("testdata", "sops-made", name))
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile(filepath.Join("testdata", "sops-made", name+".plain"))
			if err != nil {
				want, err = os.ReadFile(filepath.Join("testdata", "sops-made", name+".decrypted"))
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := Decrypt(enc, f, ids)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
			// Re-encrypting unchanged plaintext must give the file back.
			o, err := Open(enc, f, ids)
			if err != nil {
				t.Fatal(err)
			}
			if same, err := o.Seal(got); err != nil || !bytes.Equal(same, enc) {
				t.Errorf("Seal of unchanged plaintext changed the file (%v)", err)
			}
		})
	}
}

func TestHybridRecipient(t *testing.T) {
	id, err := age.GenerateHybridIdentity()
	if err != nil {
		t.Fatal(err)
	}
	enc, err := Encrypt([]byte("pq"), Binary, []string{id.Recipient().String(), aliceRcp})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := ParseIdentities(strings.NewReader(id.String() + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := Decrypt(enc, Binary, ids); err != nil || string(got) != "pq" {
		t.Fatalf("got %q, %v", got, err)
	}
}

func TestNewerVersion(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"3.13.3", "3.9.0", true}, {"3.13.3", "3.13.3", false}, {"3.13.3", "3.14.0", false}, {"3.13.3", "", true}, {"3.13.3", "x", true},
	} {
		if got := newerVersion(c.a, c.b); got != c.want {
			t.Errorf("newerVersion(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
