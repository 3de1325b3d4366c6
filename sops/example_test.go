package sops_test

import (
	"errors"
	"fmt"
	"strings"

	"filippo.io/age"
	"github.com/nixfleet/fleet/sops"
)

func Example() {
	// An identity file as age-keygen writes it; in real use it comes from
	// sops.IdentitiesFromEnv(os.LookupEnv).
	keys := `# created: 2026-11-25T22:58:40Z
# public key: age1cen6ywu24vw5eq8nujy09vknt4y9cy068a66vgg7xr7z5vm7334s8pavt5
AGE-SECRET-KEY-1HR6SVM8Y9KFJ0FMGLP2GGMGDY465E03ZN4ANSKT4HH9J092KPTKQHU48EZ
`
	ids, err := sops.ParseIdentities(strings.NewReader(keys))
	if err != nil {
		panic(err)
	}
	admin := "age1cen6ywu24vw5eq8nujy09vknt4y9cy068a66vgg7xr7z5vm7334s8pavt5"

	// A sops-nix user secret file.
	enc, err := sops.Encrypt([]byte("db:\n    password: hunter2\n"), sops.YAML, []string{admin})
	if err != nil {
		panic(err)
	}
	plain, err := sops.Decrypt(enc, sops.YAML, ids)
	if err != nil {
		panic(err)
	}
	fmt.Print(string(plain))

	// Tampering is refused, naming the check that failed.
	moved := strings.Replace(string(enc), "password:", "username:", 1)
	_, err = sops.Decrypt([]byte(moved), sops.YAML, ids)
	var ve *sops.ValueError
	fmt.Println(errors.As(err, &ve), ve.Path)

	// Recipients are read without decrypting.
	r, _ := sops.Recipients(enc, sops.YAML)
	fmt.Println(r[0] == admin)
	// Output:
	// db:
	//     password: hunter2
	// true db:username:
	// true
}

func ExampleFile_Seal() {
	id, _ := age.GenerateX25519Identity()
	enc, _ := sops.Encrypt([]byte(`{"a": "one", "b": "two"}`), sops.JSON, []string{id.Recipient().String()})
	f, err := sops.Open(enc, sops.JSON, []age.Identity{id})
	if err != nil {
		panic(err)
	}
	next, err := f.Seal([]byte(`{"a": "one", "b": "changed"}`))
	if err != nil {
		panic(err)
	}
	// The unchanged value "a" keeps its ciphertext.
	lineA := func(b []byte) string { return strings.Split(string(b), "\n")[1] }
	fmt.Println(lineA(enc) == lineA(next))
	// Output: true
}
