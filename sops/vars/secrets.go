package vars

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/nixfleet/fleet/sops"
)

// AddUser writes sops/users/<name>/key.json with the given age recipients.
func (s *Store) AddUser(name string, recipients ...string) error {
	if err := checkName("user", name); err != nil {
		return err
	}
	if len(recipients) == 0 {
		return fmt.Errorf("vars: user %s: no keys", name)
	}
	keys := make([]Key, len(recipients))
	for i, r := range recipients {
		keys[i] = Key{PublicKey: r, Type: "age"}
	}
	return writeFile(filepath.Join(s.userDir(name), "key.json"), MarshalKeys(keys), 0o644)
}

// AddGroup creates sops/groups/<name> with relative symlinks to the given
// machines and users, which must exist.
func (s *Store) AddGroup(name string, machines, users []string) error {
	if err := checkName("group", name); err != nil {
		return err
	}
	for kind, members := range map[string][]string{"machines": machines, "users": users} {
		for _, m := range members {
			if err := checkName(strings.TrimSuffix(kind, "s"), m); err != nil {
				return err
			}
			target := s.path("sops", kind, m)
			if _, err := os.Stat(filepath.Join(target, "key.json")); err != nil {
				return fmt.Errorf("vars: group %s: %s %s has no key: %w", name, strings.TrimSuffix(kind, "s"), m, err)
			}
			if err := link(filepath.Join(s.groupDir(name), kind), m, target); err != nil {
				return err
			}
		}
	}
	return nil
}

// MachineKey returns the age recipient of a machine, creating its key pair
// on first need as clan does: the private key (the bare AGE-SECRET-KEY-1...
// line, no newline) goes to sops/secrets/<m>-age.key/secret, encrypted to
// the admin (linked under users/), and the public key to
// sops/machines/<m>/key.json. An existing key.json is used as is.
func (s *Store) MachineKey(machine string) (string, error) {
	return s.machineKey(machine, nil)
}

// machineKey is MachineKey, also linking the default groups to a new key.
func (s *Store) machineKey(machine string, groups []string) (string, error) {
	if err := checkName("machine", machine); err != nil {
		return "", err
	}
	keyFile := filepath.Join(s.machineDir(machine), "key.json")
	if keys, err := ReadKeys(keyFile); err == nil {
		for _, k := range keys {
			if k.Type == "age" {
				return k.PublicKey, nil
			}
		}
		return "", fmt.Errorf("vars: %s has no age key", keyFile)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return "", fmt.Errorf("vars: generating the key of machine %s: %w", machine, err)
	}
	dir := s.machineKeyDir(machine)
	if err := s.linkAdmin(dir); err != nil {
		return "", err
	}
	if _, err := s.linkGroups(dir, groups); err != nil {
		return "", err
	}
	if err := s.encryptTo(dir, []byte(id.String())); err != nil {
		return "", err
	}
	pub := id.Recipient().String()
	if err := writeFile(keyFile, MarshalKeys([]Key{{PublicKey: pub, Type: "age"}}), 0o644); err != nil {
		return "", err
	}
	return pub, nil
}

// MachineIdentity decrypts a machine's private key with the admin's
// identities (what clan uploads to the machine as key.txt).
func (s *Store) MachineIdentity(machine string) (*age.X25519Identity, error) {
	if err := checkName("machine", machine); err != nil {
		return nil, err
	}
	data, err := s.decrypt(s.machineKeyDir(machine))
	if err != nil {
		return nil, err
	}
	id, err := age.ParseX25519Identity(strings.TrimSpace(string(data)))
	if err != nil {
		return nil, fmt.Errorf("vars: machine key of %s: %w", machine, err)
	}
	return id, nil
}

// linkGroups links each group, which must exist, under dir/groups, as
// clan's allow_member does; it reports whether a link was made.
func (s *Store) linkGroups(dir string, groups []string) (bool, error) {
	made := false
	for _, g := range groups {
		if err := checkName("group", g); err != nil {
			return made, err
		}
		if _, err := os.Stat(s.groupDir(g)); err != nil {
			return made, fmt.Errorf("vars: group %s does not exist: %w", g, err)
		}
		m, err := relink(filepath.Join(dir, "groups"), g, s.groupDir(g))
		if err != nil {
			return made, err
		}
		made = made || m
	}
	return made, nil
}

func (s *Store) linkAdmin(dir string) error {
	if err := checkName("user", s.admin); err != nil {
		return fmt.Errorf("vars: admin: %w", err)
	}
	target := s.userDir(s.admin)
	if _, err := os.Stat(filepath.Join(target, "key.json")); err != nil {
		return fmt.Errorf("vars: admin %s has no sops/users/%s/key.json: %w", s.admin, s.admin, err)
	}
	return link(filepath.Join(dir, "users"), s.admin, target)
}

// encryptTo writes dir/secret encrypted to the recipients dir's links ask
// for. An existing secret the admin can open keeps its data key and, where
// the value is unchanged, its ciphertext.
func (s *Store) encryptTo(dir string, value []byte) error {
	recipients, err := keyCache{}.wanted(dir)
	if err != nil {
		return err
	}
	if len(recipients) == 0 {
		return fmt.Errorf("vars: %s: no recipients", dir)
	}
	path := filepath.Join(dir, "secret")
	var out []byte
	if old, err := os.ReadFile(path); err == nil {
		if f, err := sops.Open(old, sops.Binary, s.ids); err == nil {
			sealed, err := f.Seal(value, s.opts...)
			if err != nil {
				return fmt.Errorf("vars: %s: %w", path, err)
			}
			if out, err = sops.UpdateKeys(sealed, sops.Binary, s.ids, recipients); err != nil {
				return fmt.Errorf("vars: %s: %w", path, err)
			}
		}
	}
	if out == nil {
		if out, err = sops.Encrypt(value, sops.Binary, recipients, s.opts...); err != nil {
			return fmt.Errorf("vars: %s: %w", path, err)
		}
	}
	return writeFile(path, out, 0o600)
}

func (s *Store) decrypt(dir string) ([]byte, error) {
	path := filepath.Join(dir, "secret")
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("vars: %w", err)
	}
	plain, err := sops.Decrypt(data, sops.Binary, s.ids)
	if err != nil {
		return nil, fmt.Errorf("vars: %s: %w", path, err)
	}
	return plain, nil
}

// SetSecret writes a secret var of generator g, as "clan vars generate"
// does: the machine key is created if needed, users/<admin> is linked, and
// machines/<m> too when the file is deployed; the value is then encrypted
// to the recipients the links give.
func (s *Store) SetSecret(g Generator, file string, value []byte) error {
	if err := g.check(file); err != nil {
		return err
	}
	f, err := g.file(file)
	if err != nil {
		return err
	}
	if !f.Secret {
		return fmt.Errorf("vars: %s/%s is public; use SetPublic", g.Name, file)
	}
	if _, err := s.machineKey(g.Machine, g.Groups); err != nil {
		return err
	}
	dir := s.varDir(g, file)
	if err := s.linkAdmin(dir); err != nil {
		return err
	}
	if _, err := s.linkGroups(dir, g.Groups); err != nil {
		return err
	}
	if f.Deploy {
		if err := link(filepath.Join(dir, "machines"), g.Machine, s.machineDir(g.Machine)); err != nil {
			return err
		}
	}
	return s.encryptTo(dir, value)
}

// Secret decrypts a secret var with the admin's identities.
func (s *Store) Secret(g Generator, file string) ([]byte, error) {
	if err := g.check(file); err != nil {
		return nil, err
	}
	return s.decrypt(s.varDir(g, file))
}

// SetPublic writes a public var: the raw bytes in <file>/value.
func (s *Store) SetPublic(g Generator, file string, value []byte) error {
	if err := g.check(file); err != nil {
		return err
	}
	f, err := g.file(file)
	if err != nil {
		return err
	}
	if f.Secret {
		return fmt.Errorf("vars: %s/%s is secret; use SetSecret", g.Name, file)
	}
	return writeFile(filepath.Join(s.varDir(g, file), "value"), value, 0o644)
}

// SetValidationHash writes the generator's .validation-hash (no newline,
// as clan writes it).
func (s *Store) SetValidationHash(g Generator) error {
	if err := g.check("x"); err != nil {
		return err
	}
	if g.ValidationHash == "" {
		return fmt.Errorf("vars: generator %s has no validation hash", g.Name)
	}
	return writeFile(s.path("vars", g.relDir(), ".validation-hash"), []byte(g.ValidationHash), 0o644)
}

// Recipients returns the recipients a var's symlinks ask for (machines,
// users and the members of linked groups), sorted.
func (s *Store) Recipients(g Generator, file string) ([]string, error) {
	if err := g.check(file); err != nil {
		return nil, err
	}
	return keyCache{}.wanted(s.varDir(g, file))
}
