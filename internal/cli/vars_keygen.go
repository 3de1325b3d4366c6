package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/nixfleet/fleet/sops"
	"github.com/nixfleet/fleet/sops/vars"
)

var varsKeygen = &varsSub{
	name:     "keygen",
	synopsis: "[--user NAME] [--existing]",
	summary: `Creates the admin's age key where sops looks for it: $SOPS_AGE_KEY_FILE, else
sops/age/keys.txt in the user configuration directory ($XDG_CONFIG_HOME or ~/.config;
~/Library/Application Support on macOS), mode 0600 in a 0700 directory. An existing key
file is never overwritten: keygen refuses, or with --existing registers the key it holds.
Then registers the public key as sops/users/<user>/key.json at the vars root (user from
--user, else $USER), keeping keys already listed there.`,
	maxArgs: 0,
	setup: func(fs *flag.FlagSet, o *varsOpts) func(*varsRun, []string) int {
		existing := fs.Bool("existing", false, "register the key in an existing key file instead of refusing")
		return func(v *varsRun, _ []string) int { return v.keygen(*existing) }
	},
}

// ageKeyFile is where sops reads the admin's key: $SOPS_AGE_KEY_FILE, else
// <config dir>/sops/age/keys.txt as sops (and package sops) computes it.
func ageKeyFile(lookup func(string) (string, bool)) (string, error) {
	if p, ok := lookup("SOPS_AGE_KEY_FILE"); ok && p != "" {
		return p, nil
	}
	dir := ""
	if x, ok := lookup("XDG_CONFIG_HOME"); ok && x != "" && runtime.GOOS != "windows" {
		dir = x
	} else if home, _ := lookup("HOME"); home != "" {
		dir = filepath.Join(home, ".config")
		if runtime.GOOS == "darwin" {
			dir = filepath.Join(home, "Library", "Application Support")
		}
	}
	if dir == "" {
		return "", errors.New("neither SOPS_AGE_KEY_FILE nor HOME is set: nowhere to put the key")
	}
	return filepath.Join(dir, "sops", "age", "keys.txt"), nil
}

func (v *varsRun) keygen(existing bool) int {
	user := v.user
	if user == "" {
		user, _ = v.lookup("USER")
	}
	if user == "" {
		return v.failf("keygen: no user name: pass --user NAME or set $USER")
	}
	path, err := ageKeyFile(v.lookup)
	if err != nil {
		return v.failf("keygen: %v", err)
	}
	var pub string
	_, statErr := os.Stat(path)
	switch {
	case statErr == nil && !existing:
		return v.failf("keygen: %s already exists; not overwriting it (pass --existing to register the key it holds)", path)
	case statErr == nil:
		data, err := os.ReadFile(path)
		if err != nil {
			return v.failf("keygen: %v", err)
		}
		ids, err := sops.ParseIdentities(strings.NewReader(string(data)))
		if err != nil {
			return v.failf("keygen: %s: %v", path, err)
		}
		pubs := recipientsOf(ids)
		if len(pubs) == 0 {
			return v.failf("keygen: %s holds no age key", path)
		}
		pub = pubs[0]
		fmt.Fprintf(v.stdout, "fleet vars: using the existing key in %s (%s)\n", path, pub)
	case errors.Is(statErr, fs.ErrNotExist):
		if existing {
			return v.failf("keygen: --existing: %s does not exist", path)
		}
		if pub, err = writeAgeKey(path); err != nil {
			return v.failf("keygen: %v", err)
		}
		fmt.Fprintf(v.stdout, "fleet vars: created %s (mode 0600), public key %s\n", path, pub)
	default:
		return v.failf("keygen: %v", statErr)
	}

	keyJSON := filepath.Join(v.root, "sops", "users", user, "key.json")
	recipients := []string{pub}
	if old, err := vars.ReadKeys(keyJSON); err == nil {
		for _, k := range old {
			if k.PublicKey == pub {
				fmt.Fprintf(v.stdout, "fleet vars: %s already lists it\n", v.rel(keyJSON))
				return exitOK
			}
			if k.Type != "age" {
				return v.failf("keygen: %s holds a %s key, which fleet does not rewrite; add %s by hand", v.rel(keyJSON), k.Type, pub)
			}
			recipients = append(recipients, k.PublicKey)
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return v.failf("keygen: %v", err)
	}
	if err := vars.New(v.root, user, nil).AddUser(user, recipients...); err != nil {
		return v.failf("keygen: %v", err)
	}
	fmt.Fprintf(v.stdout, "fleet vars: registered it as %s\n", v.rel(keyJSON))
	return exitOK
}

// writeAgeKey creates an age key file as age-keygen writes it, refusing to replace one:
// the directory is created 0700, the file 0600 (O_EXCL).
func writeAgeKey(path string) (string, error) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	pub := id.Recipient().String()
	_, err = fmt.Fprintf(f, "# created: %s\n# public key: %s\n%s\n", time.Now().Format(time.RFC3339), pub, id)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return "", err
	}
	return pub, nil
}
