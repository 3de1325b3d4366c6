package vars

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"filippo.io/age"
	"github.com/nixfleet/fleet/sops"
)

// Generator describes one clan vars generator as a machine sees it: what
// Check expects on disk and what the write operations address. A shared
// generator is listed once per machine that uses it.
type Generator struct {
	// Machine is the machine the generator belongs to (or, when shared, one
	// of the machines using it).
	Machine string
	// Name is the generator name.
	Name string
	// Share puts the files under vars/shared/<Name> instead of
	// vars/per-machine/<Machine>/<Name>.
	Share bool
	// Files are the files the generator produces.
	Files []File
	// ValidationHash is the expected .validation-hash content, or "" when
	// the generator has no validation.
	ValidationHash string
	// Groups are the machine's clan.core.sops.defaultGroups: linked under
	// groups/ of every secret written for it (and of its machine key), and
	// their members count as wanted recipients.
	Groups []string
}

// File is one file of a generator.
type File struct {
	// Name is the file name.
	Name string
	// Secret files are sops-encrypted; others are public values.
	Secret bool
	// Deploy gives the machine access (a machines/<m> link) to a secret.
	Deploy bool
}

// relDir is clan's rel_dir for the generator.
func (g Generator) relDir() string {
	if g.Share {
		return filepath.Join("shared", g.Name)
	}
	return filepath.Join("per-machine", g.Machine, g.Name)
}

func (g Generator) file(name string) (File, error) {
	for _, f := range g.Files {
		if f.Name == name {
			return f, nil
		}
	}
	return File{}, fmt.Errorf("vars: generator %s has no file %q", g.Name, name)
}

// Store is a clan directory (the one holding sops/ and vars/), written on
// behalf of one admin.
type Store struct {
	dir   string
	admin string
	ids   []age.Identity
	opts  []sops.Option
}

// New returns the store rooted at dir. admin names the user under
// sops/users whose key is added to every secret, as clan adds the admin
// running the CLI; ids are the admin's identities, used to open machine keys
// and existing secrets. opts are passed to sops when encrypting.
func New(dir, admin string, ids []age.Identity, opts ...sops.Option) *Store {
	return &Store{dir: dir, admin: admin, ids: ids, opts: opts}
}

func (s *Store) path(parts ...string) string {
	return filepath.Join(append([]string{s.dir}, parts...)...)
}

func (s *Store) userDir(u string) string    { return s.path("sops", "users", u) }
func (s *Store) machineDir(m string) string { return s.path("sops", "machines", m) }
func (s *Store) groupDir(g string) string   { return s.path("sops", "groups", g) }
func (s *Store) machineKeyDir(m string) string {
	return s.path("sops", "secrets", m+"-age.key")
}

func (s *Store) varDir(g Generator, file string) string {
	return s.path("vars", g.relDir(), file)
}

// checkName refuses names that would escape their directory.
func checkName(kind, name string) error {
	if name == "" || name == "." || name == ".." || strings.ContainsAny(name, `/\`) || strings.ContainsRune(name, 0) {
		return fmt.Errorf("vars: invalid %s name %q", kind, name)
	}
	return nil
}

func (g Generator) check(file string) error {
	for kind, n := range map[string]string{"machine": g.Machine, "generator": g.Name, "file": file} {
		if err := checkName(kind, n); err != nil {
			return err
		}
	}
	for _, gr := range g.Groups {
		if err := checkName("group", gr); err != nil {
			return err
		}
	}
	return nil
}

// writeFile replaces path atomically: the data goes to a temporary file in
// the same directory, which is then renamed over path.
func writeFile(path string, data []byte, perm fs.FileMode) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("vars: %w", err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("vars: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("vars: writing %s: %w", path, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return fmt.Errorf("vars: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("vars: writing %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("vars: %w", err)
	}
	return nil
}

// link makes linkDir/name a relative symlink to target, as clan does with
// os.path.relpath; an existing symlink is replaced atomically, anything else
// in the way is an error.
func link(linkDir, name, target string) error {
	_, err := relink(linkDir, name, target)
	return err
}

// relink is link, also reporting whether anything changed.
func relink(linkDir, name, target string) (bool, error) {
	if err := os.MkdirAll(linkDir, 0o755); err != nil {
		return false, fmt.Errorf("vars: %w", err)
	}
	rel, err := filepath.Rel(linkDir, target)
	if err != nil {
		return false, fmt.Errorf("vars: %w", err)
	}
	p := filepath.Join(linkDir, name)
	if fi, err := os.Lstat(p); err == nil {
		if fi.Mode()&fs.ModeSymlink == 0 {
			return false, fmt.Errorf("vars: %s exists and is not a symlink", p)
		}
		if cur, err := os.Readlink(p); err == nil && cur == rel {
			return false, nil
		}
	}
	tmp := filepath.Join(linkDir, "."+name+".tmp-link")
	os.Remove(tmp)
	if err := os.Symlink(rel, tmp); err != nil {
		return false, fmt.Errorf("vars: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		os.Remove(tmp)
		return false, fmt.Errorf("vars: %w", err)
	}
	return true, nil
}

// unlink removes linkDir/name if it is a symlink.
func unlink(linkDir, name string) (bool, error) {
	p := filepath.Join(linkDir, name)
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("vars: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return false, fmt.Errorf("vars: %s is not a symlink", p)
	}
	if err := os.Remove(p); err != nil {
		return false, fmt.Errorf("vars: %w", err)
	}
	return true, nil
}

// keyCache memoizes key.json reads during one operation.
type keyCache map[string][]Key

func (c keyCache) read(path string) ([]Key, error) {
	if k, ok := c[path]; ok {
		return k, nil
	}
	k, err := ReadKeys(path)
	if err != nil {
		return nil, err
	}
	c[path] = k
	return k, nil
}

// collect adds the keys reached through the symlinks in dir/kind (kind is
// "machines" or "users"), like clan's collect_keys_for_type: broken links
// and links into the wrong kind of directory are ignored.
func (c keyCache) collect(dir, kind string, into map[string]Key) error {
	entries, err := os.ReadDir(filepath.Join(dir, kind))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("vars: %w", err)
	}
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink == 0 {
			continue
		}
		p := filepath.Join(dir, kind, e.Name())
		target, err := os.Readlink(p)
		if err != nil {
			return fmt.Errorf("vars: %w", err)
		}
		if !filepath.IsAbs(target) {
			target = filepath.Join(dir, kind, target)
		}
		if filepath.Base(filepath.Dir(target)) != kind {
			// Not a plain link into sops/<kind>: resolve it fully, as clan does.
			if target, err = filepath.EvalSymlinks(p); err != nil {
				continue // broken link
			}
			if filepath.Base(filepath.Dir(target)) != kind {
				continue
			}
		}
		keys, err := c.read(filepath.Join(target, "key.json"))
		if errors.Is(err, fs.ErrNotExist) {
			// The lexical guess missed (a symlink on the way): resolve.
			real, rerr := filepath.EvalSymlinks(p)
			if rerr != nil {
				continue // broken link
			}
			if filepath.Base(filepath.Dir(real)) != kind {
				continue
			}
			keys, err = c.read(filepath.Join(real, "key.json"))
		}
		if err != nil {
			return err
		}
		for _, k := range keys {
			into[k.PublicKey] = k
		}
	}
	return nil
}

// wanted computes the recipients a secret directory's symlinks ask for:
// its machines/* and users/*, and the machines and users of each group
// linked under groups/*, sorted by public key as clan passes them to sops.
func (c keyCache) wanted(dir string) ([]string, error) {
	keys := map[string]Key{}
	for _, kind := range []string{"machines", "users"} {
		if err := c.collect(dir, kind, keys); err != nil {
			return nil, err
		}
	}
	groups, err := os.ReadDir(filepath.Join(dir, "groups"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("vars: %w", err)
	}
	for _, g := range groups {
		gdir, err := filepath.EvalSymlinks(filepath.Join(dir, "groups", g.Name()))
		if err != nil {
			continue // broken link
		}
		for _, kind := range []string{"machines", "users"} {
			if err := c.collect(gdir, kind, keys); err != nil {
				return nil, err
			}
		}
	}
	out := make([]string, 0, len(keys))
	for pk, k := range keys {
		if k.Type != "age" {
			return nil, fmt.Errorf("vars: %s: key %s has type %q: %w", dir, pk, k.Type, sops.ErrUnsupported)
		}
		out = append(out, pk)
	}
	slices.Sort(out)
	return out, nil
}
