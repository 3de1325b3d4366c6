package sops

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/nixfleet/fleet/internal/nixtest"
)

// testKey is an age identity with its key file on disk.
type testKey struct {
	id   *age.X25519Identity
	file string
}

func (k testKey) recipient() string { return k.id.Recipient().String() }

func newTestKey(t testing.TB) testKey {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "keys.txt")
	content := "# created: test\n# public key: " + id.Recipient().String() + "\n" + id.String() + "\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return testKey{id: id, file: file}
}

// sopsRun runs the real sops in a fresh working directory with a temporary
// HOME and an environment holding only PATH, HOME and SOPS_AGE_KEY_FILE, so
// no user configuration or .sops.yaml leaks in. It returns stdout, and an
// error carrying stderr.
func sopsRun(t testing.TB, keyFile string, stdin []byte, args ...string) ([]byte, error) {
	t.Helper()
	bin := nixtest.Tool(t, "sops")
	home := t.TempDir()
	cmd := exec.Command(bin, args...)
	cmd.Dir = t.TempDir()
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home}
	if keyFile != "" {
		cmd.Env = append(cmd.Env, "SOPS_AGE_KEY_FILE="+keyFile)
	}
	cmd.Stdin = bytes.NewReader(stdin)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, &sopsError{err: err, stderr: stderr.String()}
	}
	return out, nil
}

type sopsError struct {
	err    error
	stderr string
}

func (e *sopsError) Error() string { return e.err.Error() + ": " + strings.TrimSpace(e.stderr) }

// writeTemp writes data to a new file named name in a fresh directory.
func writeTemp(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

var (
	encValue   = regexp.MustCompile(`ENC\[AES256_GCM,data:[^,]*,iv:[^,]*,tag:[^,]*,type:([a-z]+)\]`)
	armorBlock = regexp.MustCompile(`-----BEGIN AGE ENCRYPTED FILE-----[\s\S]*?-----END AGE ENCRYPTED FILE-----(\\n|\n)`)
	lastMod    = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ`)
)

// normalize replaces everything random or time-dependent in an encrypted
// file (ciphertexts, age stanzas, lastmodified) by placeholders, keeping
// the value types, so two encryptions of one plaintext compare equal.
func normalize(b []byte) string {
	s := encValue.ReplaceAllString(string(b), "ENC[$1]")
	s = armorBlock.ReplaceAllString(s, "ARMOR$1")
	return lastMod.ReplaceAllString(s, "TIME")
}
