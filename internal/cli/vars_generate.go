package cli

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"filippo.io/age"
	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/sops/vars"
)

var varsGenerate = &varsSub{
	name:     "generate",
	synopsis: "[--regenerate] [--prompt GEN.NAME=VALUE]... [--prompt-file GEN.NAME=PATH]... [machine...]",
	summary: `Runs the fleet's generators for the machines (all when none are named), in dependency
order: per machine, or once for a shared generator. A generator whose files all exist and
whose .validation-hash is current is skipped unless --regenerate.

Each script runs with bash (-eu -o pipefail) in a private temporary directory, with $in
(the dependencies' files as $in/<gen>/<file>, secrets decrypted), $out (where it must
write every declared file) and $prompts (the prompts' answers). It gets the host's PATH,
not its runtime inputs' Nix packages: generate checks that the main program of each
runtime input it knows (openssh: ssh-keygen, wireguard-tools: wg, ...) is on PATH, and
warns about the others.

Prompts are asked on the terminal (hidden ones without echo; multiline ones end with
Ctrl-D, multiline-hidden ones with an empty line), or given with --prompt or
--prompt-file; without a terminal a missing prompt is an error naming the flag to pass.

Machine age keys are created on first need. Secret files are encrypted to the admins
(sops/users/*) and, when deployed, to the machine; public files are written as value;
the .validation-hash is the sha256 of builtins.toJSON of the validation value. Each
generator's output is staged and moved into place at the end: a generator that fails
(or is interrupted) leaves sops/ and vars/ as they were.`,
	maxArgs: -1,
	setup: func(fs *flag.FlagSet, o *varsOpts) func(*varsRun, []string) int {
		regenerate := fs.Bool("regenerate", false, "run the generators even when their files exist")
		var prompts, promptFiles multiFlag
		fs.Var(&prompts, "prompt", "answer prompt `GEN.NAME=VALUE` (repeatable)")
		fs.Var(&promptFiles, "prompt-file", "answer prompt `GEN.NAME=PATH` with the content of a file (repeatable)")
		return func(v *varsRun, machines []string) int {
			return v.generate(machines, *regenerate, prompts, promptFiles)
		}
	},
}

// multiFlag is a repeatable string flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }

func (v *varsRun) generate(machines []string, regenerate bool, prompts, promptFiles []string) int {
	m, ok := v.model()
	if !ok {
		return exitFail
	}
	js, err := jobs(m, machines)
	if err != nil {
		return v.failf("generate: %v", err)
	}
	answers, err := parsePromptFlags(m, prompts, promptFiles)
	if err != nil {
		fmt.Fprintf(v.stderr, "fleet vars generate: %v\n", err)
		return exitUsage
	}
	store, ids, admin, err := v.store()
	if err != nil {
		return v.failf("generate: %v", err)
	}
	asker := newPrompter(v.ctx, v.stdin, v.stderr)
	done, skipped := 0, 0
	for i, j := range js {
		if err := v.ctx.Err(); err != nil {
			return v.failf("generate: interrupted; %d generated, nothing written for the rest", done)
		}
		prefix := fmt.Sprintf("[%d/%d] %s", i+1, len(js), j.label())
		if !regenerate {
			rep, err := store.Check(j.varsGens())
			if err != nil {
				return v.failf("generate: %s: %v", j.label(), err)
			}
			if len(rep.MissingSecret)+len(rep.MissingPublic)+len(rep.InvalidGenerators) == 0 {
				fmt.Fprintf(v.stderr, "%s … up to date\n", prefix)
				skipped++
				continue
			}
		}
		fmt.Fprintf(v.stderr, "%s …\n", prefix)
		if err := v.runJob(j, store, ids, admin, answers, asker); err != nil {
			fmt.Fprintf(v.stderr, "%s … failed\n", prefix)
			if v.ctx.Err() != nil {
				return v.failf("generate: %s: interrupted; nothing written for it, temporary files removed", j.label())
			}
			return v.failf("generate: %s: %v; nothing written for it", j.label(), err)
		}
		fmt.Fprintf(v.stderr, "%s … ok\n", prefix)
		done++
	}
	fmt.Fprintf(v.stdout, "fleet vars: generated %s, %d up to date\n", plural(done, "generator run"), skipped)
	return exitOK
}

// runJob runs one generator and moves its output into the store. Plaintext lives in a
// private temporary directory removed before runJob returns; the encrypted output is
// staged under the vars root and renamed into place only when everything succeeded.
func (v *varsRun) runJob(j job, store *vars.Store, ids []age.Identity, admin string, answers map[string][]byte, asker *prompter) (err error) {
	g := j.gen
	warnings, err := checkRuntimeInputs(g, defaultLookPath)
	for _, w := range warnings {
		fmt.Fprintf(v.stderr, "fleet vars: warning: generator %s: %s\n", g.Name, w)
	}
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "fleet-vars-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o700); err != nil {
		return err
	}
	in, out, promptDir, work := filepath.Join(tmp, "in"), filepath.Join(tmp, "out"), filepath.Join(tmp, "prompts"), filepath.Join(tmp, "work")
	for _, d := range []string{in, out, promptDir, work} {
		if err := os.Mkdir(d, 0o700); err != nil {
			return err
		}
	}

	// Prompts.
	for _, p := range g.Prompts {
		if p == nil {
			continue
		}
		val, ok := answers[g.Name+"."+p.Name]
		if !ok {
			if val, err = asker.ask(j, p); err != nil {
				return err
			}
		}
		if err := writePrivate(filepath.Join(promptDir, p.Name), val); err != nil {
			return err
		}
	}

	// Dependencies: $in/<dep>/<file>.
	machine := j.machines[0]
	for _, d := range g.Dependencies {
		if d == nil {
			continue
		}
		dg := vars.Generator{Machine: machine.Name, Name: d.Name, Share: d.Share,
			Files: genFiles(&compiler.Generator{Generator: d})}
		for _, f := range dg.Files {
			var val []byte
			if f.Secret {
				val, err = store.Secret(dg, f.Name)
			} else {
				val, err = os.ReadFile(filepath.Join(v.root, "vars", relDir(dg), f.Name, "value"))
			}
			if err != nil {
				return fmt.Errorf("dependency %s: %w (generate it first)", d.Name, err)
			}
			if err := os.MkdirAll(filepath.Join(in, d.Name), 0o700); err != nil {
				return err
			}
			if err := writePrivate(filepath.Join(in, d.Name, f.Name), val); err != nil {
				return err
			}
		}
	}

	// The script.
	cmd := exec.CommandContext(v.ctx, "bash", "--noprofile", "--norc", "-eu", "-o", "pipefail", "-c", g.Script)
	cmd.Dir = work
	cmd.Env = append(os.Environ(), "in="+in, "out="+out, "prompts="+promptDir)
	cmd.Stdout, cmd.Stderr = v.stderr, v.stderr
	setProcessGroup(cmd)
	if err := cmd.Run(); err != nil {
		if v.ctx.Err() != nil {
			return v.ctx.Err()
		}
		return fmt.Errorf("script failed: %w", err)
	}

	// Persisted prompts become files; every declared file must exist.
	for _, p := range g.Prompts {
		if p != nil && p.Persist {
			if _, err := os.Stat(filepath.Join(out, p.Name)); errors.Is(err, fs.ErrNotExist) {
				data, err := os.ReadFile(filepath.Join(promptDir, p.Name))
				if err != nil {
					return err
				}
				if err := writePrivate(filepath.Join(out, p.Name), data); err != nil {
					return err
				}
			}
		}
	}
	files := genFiles(g)
	values := make(map[string][]byte, len(files))
	for _, f := range files {
		data, err := os.ReadFile(filepath.Join(out, f.Name))
		if errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("did not generate a file for '%s' when executing script for generator '%s'", f.Name, g.Name)
		}
		if err != nil {
			return err
		}
		values[f.Name] = data
	}
	return v.commitJob(j, ids, admin, values)
}

// writePrivate writes a plaintext file, mode 0600.
func writePrivate(path string, data []byte) error {
	return os.WriteFile(path, data, 0o600)
}

// relDir is clan's rel_dir of a generator for a machine.
func relDir(g vars.Generator) string {
	if g.Share {
		return filepath.Join("shared", g.Name)
	}
	return filepath.Join("per-machine", g.Machine, g.Name)
}

// commitJob writes a generator's values into a staging copy of the store under the vars
// root, then renames them into place. Nothing in the store changes unless everything was
// written; a failed rename undoes the ones before it.
func (v *varsRun) commitJob(j job, ids []age.Identity, admin string, values map[string][]byte) error {
	stage, err := os.MkdirTemp(v.root, ".fleet-vars-staging-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage)
	// The public keys the staged store needs: every admin, and the machines' keys that exist.
	admins, err := os.ReadDir(filepath.Join(v.root, "sops", "users"))
	if err != nil {
		return err
	}
	var adminNames []string
	for _, u := range admins {
		src := filepath.Join(v.root, "sops", "users", u.Name(), "key.json")
		if data, err := os.ReadFile(src); err == nil {
			if err := writeStaged(filepath.Join(stage, "sops", "users", u.Name(), "key.json"), data, 0o644); err != nil {
				return err
			}
			adminNames = append(adminNames, u.Name())
		}
	}
	newKeys := map[string]bool{}
	for _, m := range j.machines {
		src := filepath.Join(v.root, "sops", "machines", m.Name, "key.json")
		data, err := os.ReadFile(src)
		switch {
		case err == nil:
			if err := writeStaged(filepath.Join(stage, "sops", "machines", m.Name, "key.json"), data, 0o644); err != nil {
				return err
			}
		case errors.Is(err, fs.ErrNotExist):
			newKeys[m.Name] = true
		default:
			return err
		}
	}
	staged := vars.New(stage, admin, ids)
	gens := j.varsGens()
	for _, f := range gens[0].Files {
		if !f.Secret {
			if err := staged.SetPublic(gens[0], f.Name, values[f.Name]); err != nil {
				return err
			}
			continue
		}
		dir := filepath.Join(stage, "vars", relDir(gens[0]), f.Name, "users")
		for _, u := range adminNames {
			if err := stageLink(dir, u, filepath.Join(stage, "sops", "users", u)); err != nil {
				return err
			}
		}
		for _, g := range gens { // a shared secret: each machine using it gets its link
			if err := staged.SetSecret(g, f.Name, values[f.Name]); err != nil {
				return err
			}
		}
	}
	if j.hash != "" {
		if err := staged.SetValidationHash(gens[0]); err != nil {
			return err
		}
	}

	// Move into place: new machine keys (the private key first, key.json last), each var
	// directory, the validation hash.
	var moves [][2]string // staged path (or "" to remove), final path
	for _, m := range j.machines {
		if newKeys[m.Name] {
			moves = append(moves,
				[2]string{filepath.Join(stage, "sops", "secrets", m.Name+"-age.key"), filepath.Join(v.root, "sops", "secrets", m.Name+"-age.key")},
				[2]string{filepath.Join(stage, "sops", "machines", m.Name, "key.json"), filepath.Join(v.root, "sops", "machines", m.Name, "key.json")})
		}
	}
	rel := relDir(gens[0])
	for _, f := range gens[0].Files {
		moves = append(moves, [2]string{filepath.Join(stage, "vars", rel, f.Name), filepath.Join(v.root, "vars", rel, f.Name)})
	}
	hashFrom := ""
	if j.hash != "" {
		hashFrom = filepath.Join(stage, "vars", rel, ".validation-hash")
	}
	moves = append(moves, [2]string{hashFrom, filepath.Join(v.root, "vars", rel, ".validation-hash")})
	return applyMoves(moves, filepath.Join(stage, ".old"))
}

// applyMoves renames each staged path over its final path, keeping what it replaces in
// old until all succeeded; on failure it puts everything back.
func applyMoves(moves [][2]string, old string) error {
	var undo []func() error
	rollback := func(err error) error {
		for i := len(undo) - 1; i >= 0; i-- {
			if uerr := undo[i](); uerr != nil {
				err = fmt.Errorf("%w; and undoing failed: %v", err, uerr)
			}
		}
		return err
	}
	if err := os.MkdirAll(old, 0o700); err != nil {
		return err
	}
	for i, mv := range moves {
		from, to := mv[0], mv[1]
		if _, err := os.Lstat(to); err == nil {
			backup := filepath.Join(old, fmt.Sprint(i))
			if err := os.Rename(to, backup); err != nil {
				return rollback(err)
			}
			undo = append(undo, func() error { return os.Rename(backup, to) })
		} else if !errors.Is(err, fs.ErrNotExist) {
			return rollback(err)
		}
		if from == "" {
			continue
		}
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return rollback(err)
		}
		if err := os.Rename(from, to); err != nil {
			return rollback(err)
		}
		undo = append(undo, func() error { return os.Rename(to, from) })
	}
	return nil
}

func writeStaged(path string, data []byte, perm fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, perm)
}

// stageLink makes dir/name a relative symlink to target, as clan links recipients.
func stageLink(dir, name, target string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rel, err := filepath.Rel(dir, target)
	if err != nil {
		return err
	}
	p := filepath.Join(dir, name)
	if cur, err := os.Readlink(p); err == nil && cur == rel {
		return nil
	}
	return os.Symlink(rel, p)
}
