package compiler

import (
	"strings"

	"filippo.io/age"
)

// checkAgeKeys checks the users' age public keys (dsl.AgeKey), which become recipients in
// the generated .sops.yaml: each must parse as an age X25519 recipient (age1…, bech32), be
// a public key and not a private one, and be listed once per user.
func (cc *compilation) checkAgeKeys() {
	for _, u := range nonNil(cc.fleet.Users) {
		seen := map[string]bool{}
		for _, k := range u.AgeKeys {
			if strings.HasPrefix(strings.ToUpper(k), "AGE-SECRET-KEY-") {
				d := cc.r.errorf(u.Pos, "user %q: dsl.AgeKey holds an age private key; the fleet is public", u.Name)
				d.Hint = "pass the public key (age-keygen -y keys.txt prints it), and replace this key: it is no longer secret once committed"
				continue
			}
			if _, err := age.ParseX25519Recipient(k); err != nil {
				d := cc.r.errorf(u.Pos, "user %q: age key %q is not an age public key: %v", u.Name, k, err)
				d.Hint = "an age X25519 recipient is \"age1\" and 58 more lower-case bech32 characters, as age-keygen -y prints it"
				continue
			}
			if seen[k] {
				cc.r.warnf(u.Pos, "user %q lists age key %s twice", u.Name, k)
			}
			seen[k] = true
		}
	}
}
