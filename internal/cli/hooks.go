package cli

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

var installHooksCommand = &command{
	name:     "install-hooks",
	synopsis: "[--force]",
	summary:  `install a git pre-commit hook that runs "go run ./fleet check"`,
	help: `
Writes the git pre-commit hook (.git/hooks/pre-commit, executable) of the repository
holding the module. It runs "go run ./fleet check" in the module root and so refuses a
commit whose generated flake is out of date with the fleet; "git commit --no-verify"
skips it once. An existing pre-commit hook that fleet did not install is not replaced
without --force. core.hooksPath is not consulted.`,
	setup: func(fs *flag.FlagSet) func(*runner) int {
		force := fs.Bool("force", false, "replace an existing pre-commit hook that fleet did not install")
		return func(r *runner) int { return r.installHooks(*force) }
	},
}

// hookMark is the second line of the hook: how install-hooks recognises its own hook.
const hookMark = `# Installed by "go run ./fleet install-hooks".`

func hookScript(moduleDir string) []byte {
	cd := `cd "$(git rev-parse --show-toplevel)" || exit 1`
	if moduleDir != "." {
		cd += "\ncd " + shellQuote(filepath.ToSlash(moduleDir)) + " || exit 1"
	}
	return []byte(`#!/bin/sh
` + hookMark + `
# Refuses a commit when the generated flake (generated/, flake.nix, FLEET.md) is out of date
# with the fleet definition. Update it with "go run ./fleet"; skip once with
# "git commit --no-verify". Reinstall with "go run ./fleet install-hooks --force".
` + cd + `
exec go run ./fleet check
`)
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func (r *runner) installHooks(force bool) int {
	module, err := moduleRoot(r.dir)
	if err != nil {
		return r.failf("install-hooks: %v", err)
	}
	top, hooks, err := gitHooksDir(module)
	if err != nil {
		return r.failf("install-hooks: %v", err)
	}
	rel, err := filepath.Rel(top, module)
	if err != nil {
		return r.failf("install-hooks: %v", err)
	}
	script := hookScript(rel)
	name := filepath.Join(hooks, "pre-commit")
	show := displayPath(r.dir, name)
	old, err := os.ReadFile(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return r.failf("install-hooks: %v", err)
	case bytes.Equal(old, script):
		if fi, err := os.Stat(name); err == nil && fi.Mode().Perm()&0o111 != 0 {
			fmt.Fprintf(r.stdout, "fleet: %s is already installed\n", show)
			return exitOK
		}
	case !force && !bytes.Contains(firstLines(old, 2), []byte(hookMark)):
		return r.failf("install-hooks: %s exists and was not installed by fleet; pass --force to replace it", show)
	}
	if err := writeExecutable(name, script); err != nil {
		return r.failf("install-hooks: %v", err)
	}
	fmt.Fprintf(r.stdout, "fleet: installed %s (runs go run ./fleet check)\n", show)
	return exitOK
}

func firstLines(data []byte, n int) []byte {
	end := 0
	for range n {
		i := bytes.IndexByte(data[end:], '\n')
		if i < 0 {
			return data
		}
		end += i + 1
	}
	return data[:end]
}

// gitHooksDir finds the git work tree holding dir and its hooks directory: .git/hooks, or
// for a linked work tree (.git is a file "gitdir: ...") the hooks of the common git
// directory.
func gitHooksDir(dir string) (top, hooks string, err error) {
	for top = dir; ; {
		dotgit := filepath.Join(top, ".git")
		fi, err := os.Stat(dotgit)
		if err == nil && fi.IsDir() {
			return top, filepath.Join(dotgit, "hooks"), nil
		}
		if err == nil {
			data, err := os.ReadFile(dotgit)
			if err != nil {
				return "", "", err
			}
			gitdir, ok := strings.CutPrefix(strings.TrimSpace(string(data)), "gitdir: ")
			if !ok {
				return "", "", fmt.Errorf("%s: not a gitdir file", dotgit)
			}
			if !filepath.IsAbs(gitdir) {
				gitdir = filepath.Join(top, gitdir)
			}
			if common, err := os.ReadFile(filepath.Join(gitdir, "commondir")); err == nil {
				c := strings.TrimSpace(string(common))
				if !filepath.IsAbs(c) {
					c = filepath.Join(gitdir, c)
				}
				gitdir = c
			}
			return top, filepath.Join(gitdir, "hooks"), nil
		}
		parent := filepath.Dir(top)
		if parent == top {
			return "", "", fmt.Errorf("%s is not inside a git repository", dir)
		}
		top = parent
	}
}

// writeExecutable replaces name with data, mode 0755, through a temporary file and a
// rename, so a failed write never leaves half a hook.
func writeExecutable(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(name), ".pre-commit.fleet-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o755)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// displayPath shows name relative to dir when it is inside it.
func displayPath(dir, name string) string {
	if rel, err := filepath.Rel(dir, name); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return name
}
