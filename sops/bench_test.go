package sops

import (
	"os/exec"
	"testing"

	"filippo.io/age"

	"github.com/nixfleet/fleet/internal/nixtest"
)

// BenchmarkEncrypt1000 encrypts 1,000 binary-store secrets, each for two
// recipients, in-process; one op is the whole batch.
func BenchmarkEncrypt1000(b *testing.B) {
	recipients := []string{aliceRcp, bobRcp}
	plain := []byte("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ")
	for b.Loop() {
		for i := range 1000 {
			if _, err := Encrypt(plain, Binary, recipients); err != nil {
				b.Fatal(i, err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/secret")
}

// BenchmarkSopsBinaryEncrypt is the comparison: 1,000 runs of the real
// "sops encrypt" on the same machine (same plaintext, two recipients),
// sequentially; one op is the whole batch. It is slow (tens of seconds) and
// only runs with -bench.
func BenchmarkSopsBinaryEncrypt(b *testing.B) {
	bin := nixtest.Tool(b, "sops")
	in := writeTemp(b, "secret", []byte("AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"))
	env := []string{"HOME=" + b.TempDir()}
	dir := b.TempDir()
	for b.Loop() {
		for i := range 1000 {
			cmd := exec.Command(bin, "encrypt", "--age", aliceRcp+","+bobRcp, in)
			cmd.Env, cmd.Dir = env, dir
			if out, err := cmd.CombinedOutput(); err != nil {
				b.Fatal(i, err, string(out))
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*1000), "ns/secret")
}

// BenchmarkDecrypt measures opening one binary-store secret in-process.
func BenchmarkDecrypt(b *testing.B) {
	enc, err := Encrypt([]byte("payload"), Binary, []string{aliceRcp, bobRcp})
	if err != nil {
		b.Fatal(err)
	}
	ids := ageIDs(b, bobKey)
	for b.Loop() {
		if _, err := Decrypt(enc, Binary, ids); err != nil {
			b.Fatal(err)
		}
	}
}

func ageIDs(b *testing.B, keys ...string) []age.Identity {
	var ids []age.Identity
	for _, k := range keys {
		ids = append(ids, identity(b, k))
	}
	return ids
}
