package compiler_test

import (
	"strings"
	"testing"

	"github.com/nixfleet/fleet/dsl"
)

func TestAgeKeys(t *testing.T) {
	const good = "age1vn8fpkmkzkjttcuc3prq3jrp7t5fsrdqey74ydu5p88keqmcupvs8jtmv8"
	for _, tc := range []struct {
		name string
		keys []string
		want []string // substrings of the diagnostics, in order; none for a valid key
	}{
		{"valid", []string{good}, nil},
		{"two valid", []string{good, "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p"}, nil},
		{"bad checksum", []string{good[:len(good)-1] + "9"}, []string{`error: user "alice": age key "` + good[:len(good)-1] + `9" is not an age public key`}},
		{"ssh key", []string{"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINdO9rInDa9HvdtZZxmkgeEdAlTupCy3BgA/sqSGyUH+"}, []string{`is not an age public key`}},
		{"private key", []string{"AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"}, []string{`dsl.AgeKey holds an age private key`}},
		{"twice", []string{good, good}, []string{`warning: user "alice" lists age key ` + good + ` twice`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := fleet()
			u := f.User("alice", dsl.AgeKey(tc.keys...))
			f.NixOS("web", sv, dsl.WithUsers(u))
			_, got := compile(t, f)
			var mine []string
			for _, d := range got {
				if strings.Contains(d, "age key") || strings.Contains(d, "AgeKey") {
					mine = append(mine, d)
				}
			}
			if len(mine) != len(tc.want) {
				t.Fatalf("diagnostics %q, want %d about age keys: %q", got, len(tc.want), tc.want)
			}
			for i, w := range tc.want {
				if !strings.Contains(mine[i], w) {
					t.Errorf("diagnostic %q does not contain %q", mine[i], w)
				}
				if !strings.HasPrefix(mine[i], "check_agekeys_test.go:") {
					t.Errorf("diagnostic %q is not at the user's declaration", mine[i])
				}
			}
		})
	}
}
