package vars

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/sops"
)

// Var names one file of a generator, or the generator itself when File is
// empty (in Report.InvalidGenerators).
type Var struct {
	// Machine is the machine the generator was checked for.
	Machine string
	// Generator is the generator name.
	Generator string
	// Share is set for shared generators (vars/shared).
	Share bool
	// File is the file name, or "" for the generator itself.
	File string
}

// String returns the var's directory relative to vars/, e.g.
// "per-machine/web1/openssh/ssh.id_ed25519" or "shared/wg/psk".
func (v Var) String() string {
	g := Generator{Machine: v.Machine, Name: v.Generator, Share: v.Share}
	return filepath.ToSlash(filepath.Join(g.relDir(), v.File))
}

// Report holds the findings of Check, in clan's categories.
type Report struct {
	// MissingSecret: no secret file, or a shared deployed secret the
	// machine's key cannot open.
	MissingSecret []Var
	// UnfixedSecret: the recipients recorded in the file differ from the
	// ones its symlinks ask for ("clan vars fix" needed).
	UnfixedSecret []Var
	// MissingPublic: no value file.
	MissingPublic []Var
	// InvalidGenerators: the stored .validation-hash differs from the
	// expected one (File is empty).
	InvalidGenerators []Var
}

// OK reports whether Check found nothing.
func (r *Report) OK() bool {
	return len(r.MissingSecret)+len(r.UnfixedSecret)+len(r.MissingPublic)+len(r.InvalidGenerators) == 0
}

// String renders the report like "clan vars check".
func (r *Report) String() string {
	var b strings.Builder
	for _, sec := range []struct {
		title string
		vars  []Var
	}{
		{"Missing secret vars", r.MissingSecret},
		{"Missing public vars", r.MissingPublic},
		{"Unfixed secret vars", r.UnfixedSecret},
		{"Invalid generators (outdated invalidation hash)", r.InvalidGenerators},
	} {
		if len(sec.vars) == 0 {
			continue
		}
		b.WriteString(sec.title + ":\n")
		for _, v := range sec.vars {
			b.WriteString("  - " + v.String() + "\n")
		}
	}
	if b.Len() == 0 {
		return "All vars are present and valid."
	}
	return b.String()
}

// Check compares the store with the expected generators, as "clan vars
// check" does for each machine and generator. It decrypts nothing: the
// recorded recipients come from the sops metadata. Errors are for files
// that cannot be read or parsed, not for findings.
func (s *Store) Check(gens []Generator) (*Report, error) {
	r := &Report{}
	keys := keyCache{}
	for _, g := range gens {
		for _, f := range g.Files {
			if err := g.check(f.Name); err != nil {
				return nil, err
			}
			v := Var{Machine: g.Machine, Generator: g.Name, Share: g.Share, File: f.Name}
			dir := s.varDir(g, f.Name)
			if !f.Secret {
				if _, err := os.Stat(filepath.Join(dir, "value")); err != nil {
					r.MissingPublic = append(r.MissingPublic, v)
				}
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, "secret"))
			if errors.Is(err, fs.ErrNotExist) {
				r.MissingSecret = append(r.MissingSecret, v)
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("vars: %w", err)
			}
			recorded, err := sops.Recipients(data, sops.Binary)
			if err != nil {
				return nil, fmt.Errorf("vars: %s: %w", v, err)
			}
			if g.Share && f.Deploy {
				ok, err := s.machineCanOpen(keys, g.Machine, recorded)
				if err != nil {
					return nil, err
				}
				if !ok {
					r.MissingSecret = append(r.MissingSecret, v)
					continue
				}
			}
			want, err := s.wantedWithGroups(keys, dir, g.Groups)
			if err != nil {
				return nil, err
			}
			if !sameSet(recorded, want) {
				r.UnfixedSecret = append(r.UnfixedSecret, v)
			}
		}
		stored, err := os.ReadFile(s.path("vars", g.relDir(), ".validation-hash"))
		var valid bool
		switch {
		case errors.Is(err, fs.ErrNotExist):
			valid = g.ValidationHash == ""
		case err != nil:
			return nil, fmt.Errorf("vars: %w", err)
		default:
			valid = strings.TrimSpace(string(stored)) == g.ValidationHash
		}
		if !valid {
			r.InvalidGenerators = append(r.InvalidGenerators, Var{Machine: g.Machine, Generator: g.Name, Share: g.Share})
		}
	}
	return r, nil
}

// machineCanOpen reports whether the machine has a key that is among the
// recorded recipients (clan's machine_has_access).
func (s *Store) machineCanOpen(keys keyCache, machine string, recorded []string) (bool, error) {
	mk, err := keys.read(filepath.Join(s.machineDir(machine), "key.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	for _, k := range mk {
		if slices.Contains(recorded, k.PublicKey) {
			return true, nil
		}
	}
	return false, nil
}

// wantedWithGroups is the wanted set of dir plus the members of the
// machine's default groups, linked or not (clan's collect_keys_for_secret).
func (s *Store) wantedWithGroups(keys keyCache, dir string, groups []string) ([]string, error) {
	want, err := keys.wanted(dir)
	if err != nil || len(groups) == 0 {
		return want, err
	}
	extra := map[string]Key{}
	for _, g := range groups {
		for _, kind := range []string{"machines", "users"} {
			if err := keys.collect(s.groupDir(g), kind, extra); err != nil {
				return nil, err
			}
		}
	}
	for pk := range extra {
		if !slices.Contains(want, pk) {
			want = append(want, pk)
		}
	}
	slices.Sort(want)
	return want, nil
}

func sameSet(a, b []string) bool {
	return slices.Equal(slices.Compact(slices.Sorted(slices.Values(a))), slices.Compact(slices.Sorted(slices.Values(b))))
}

// Fix brings existing secret vars in line with the generators, as "clan vars
// fix" does: a deployed secret gets its machines/<m> link, one that is not
// deployed loses it, and each secret whose recorded recipients differ from
// the wanted ones has its data key re-wrapped (sops.UpdateKeys; the values
// and their ciphertext are kept). It returns the paths it changed.
// Missing secrets are left to the caller, which has to generate them.
func (s *Store) Fix(gens []Generator) ([]string, error) {
	var changed []string
	keys := keyCache{}
	for _, g := range gens {
		for _, f := range g.Files {
			if !f.Secret {
				continue
			}
			if err := g.check(f.Name); err != nil {
				return changed, err
			}
			dir := s.varDir(g, f.Name)
			path := filepath.Join(dir, "secret")
			data, err := os.ReadFile(path)
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			if err != nil {
				return changed, fmt.Errorf("vars: %w", err)
			}
			if made, err := s.linkGroups(dir, g.Groups); err != nil {
				return changed, err
			} else if made {
				changed = append(changed, filepath.Join(dir, "groups"))
			}
			machines := filepath.Join(dir, "machines")
			if f.Deploy {
				if _, err := s.MachineKey(g.Machine); err != nil {
					return changed, err
				}
				if made, err := relink(machines, g.Machine, s.machineDir(g.Machine)); err != nil {
					return changed, err
				} else if made {
					changed = append(changed, filepath.Join(machines, g.Machine))
				}
			} else if removed, err := unlink(machines, g.Machine); err != nil {
				return changed, err
			} else if removed {
				changed = append(changed, filepath.Join(machines, g.Machine))
			}
			want, err := keys.wanted(dir)
			if err != nil {
				return changed, err
			}
			recorded, err := sops.Recipients(data, sops.Binary)
			if err != nil {
				return changed, fmt.Errorf("vars: %s: %w", path, err)
			}
			if sameSet(recorded, want) {
				continue
			}
			out, err := sops.UpdateKeys(data, sops.Binary, s.ids, want)
			if err != nil {
				return changed, fmt.Errorf("vars: %s: %w", path, err)
			}
			if string(out) == string(data) {
				continue
			}
			if err := writeFile(path, out, 0o600); err != nil {
				return changed, err
			}
			changed = append(changed, path)
		}
	}
	return changed, nil
}
