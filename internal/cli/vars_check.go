package cli

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"filippo.io/age"
	"github.com/nixfleet/fleet/sops"
	"github.com/nixfleet/fleet/sops/vars"
)

var varsCheck = &varsSub{
	name:     "check",
	synopsis: "[--deep] [machine...]",
	summary: `Reports, in "clan vars check"'s categories, the vars of the machines (all when none
are named) that are missing (no secret, or a shared deployed secret the machine cannot
open; no public value), unfixed (the recipients recorded in a secret differ from the
ones its symlinks ask for: run "vars fix") or invalid (a stale .validation-hash). Exits 1
when it finds any.

Like clan's, this check reads only the sops metadata: it does not notice a secret whose
value, key path or lastmodified was tampered with. --deep also decrypts every secret and
machine key with the admin's key and reports which check failed (the MAC, or a value's
authentication at its key path), a secret no admin key opens (naming the recipients it
is encrypted to), and a deployed secret the machine's own key cannot open.`,
	maxArgs: -1,
	setup: func(fs *flag.FlagSet, o *varsOpts) func(*varsRun, []string) int {
		deep := fs.Bool("deep", false, "also decrypt every secret with the admin's key and the machines' keys")
		return func(v *varsRun, machines []string) int { return v.check(machines, *deep) }
	},
}

func (v *varsRun) check(machines []string, deep bool) int {
	m, ok := v.model()
	if !ok {
		return exitFail
	}
	js, err := jobs(m, machines)
	if err != nil {
		return v.failf("check: %v", err)
	}
	// Check reads only public keys: no identity is needed unless --deep.
	var ids []age.Identity
	admin := ""
	if deep {
		if ids, admin, err = v.admin(); err != nil {
			return v.failf("check --deep: %v", err)
		}
	}
	store := vars.New(v.root, admin, ids)
	gens := allGens(js)
	rep, err := store.Check(gens)
	if err != nil {
		return v.failf("check: %v", err)
	}
	var problems []string
	if deep {
		problems = v.deepCheck(store, ids, gens)
	}
	if rep.OK() && len(problems) == 0 {
		fmt.Fprintf(v.stdout, "fleet vars check: %s of %s: all vars are present and valid\n", plural(len(js), "generator run"), plural(countMachines(js), "machine"))
		return exitOK
	}
	if !rep.OK() {
		fmt.Fprint(v.stdout, renderReport(rep))
	}
	if len(problems) > 0 {
		fmt.Fprintln(v.stdout, "Secrets that do not decrypt (--deep):")
		for _, p := range problems {
			fmt.Fprintf(v.stdout, "  - %s\n", p)
		}
	}
	hint := ""
	if len(rep.MissingSecret)+len(rep.MissingPublic)+len(rep.InvalidGenerators) > 0 {
		hint += "; run go run ./fleet vars generate"
	}
	if len(rep.UnfixedSecret) > 0 {
		hint += "; run go run ./fleet vars fix"
	}
	if len(problems) > 0 {
		hint += "; regenerate tampered secrets with go run ./fleet vars generate --regenerate"
	}
	fmt.Fprintf(v.stderr, "fleet vars check: problems found%s\n", hint)
	return exitFail
}

func countMachines(js []job) int {
	seen := map[string]bool{}
	for _, j := range js {
		for _, m := range j.machines {
			seen[m.Name] = true
		}
	}
	return len(seen)
}

// renderReport prints clan's categories, each var once (a shared var is checked for
// every machine using it).
func renderReport(r *vars.Report) string {
	var b strings.Builder
	for _, sec := range []struct {
		title string
		vars  []vars.Var
	}{
		{"Missing secret vars", r.MissingSecret},
		{"Missing public vars", r.MissingPublic},
		{"Unfixed secret vars (run vars fix)", r.UnfixedSecret},
		{"Invalid generators (outdated validation hash)", r.InvalidGenerators},
	} {
		if len(sec.vars) == 0 {
			continue
		}
		b.WriteString(sec.title + ":\n")
		seen := map[string]bool{}
		for _, x := range sec.vars {
			s := "vars/" + x.String()
			if x.Share && (sec.title[0] == 'M') {
				s += " (for " + x.Machine + ")"
			}
			if !seen[s] {
				seen[s] = true
				b.WriteString("  - " + s + "\n")
			}
		}
	}
	return b.String()
}

// deepCheck decrypts each secret (once) with the admin's identities, and each deployed one
// with its machine's key, and each machine key; it returns one line per failure.
func (v *varsRun) deepCheck(store *vars.Store, ids []age.Identity, gens []vars.Generator) []string {
	var problems []string
	machineIDs := map[string][]age.Identity{}
	machineErr := map[string]error{}
	machineID := func(name string) ([]age.Identity, error) {
		if ids, ok := machineIDs[name]; ok || machineErr[name] != nil {
			return ids, machineErr[name]
		}
		id, err := store.MachineIdentity(name)
		if err != nil {
			machineErr[name] = err
			problems = append(problems, fmt.Sprintf("sops/secrets/%s-age.key/secret: %s", name, explainSops(err)))
			return nil, err
		}
		machineIDs[name] = []age.Identity{id}
		return machineIDs[name], nil
	}
	seen := map[string]bool{}
	for _, g := range gens {
		for _, f := range g.Files {
			if !f.Secret {
				continue
			}
			path := filepath.Join(v.root, "vars", relDir(g), f.Name, "secret")
			data, err := os.ReadFile(path)
			if err != nil {
				continue // reported as missing by Check
			}
			if !seen[path] {
				seen[path] = true
				if _, err := sops.Decrypt(data, sops.Binary, ids); err != nil {
					problems = append(problems, fmt.Sprintf("%s: %s", v.rel(path), explainSops(err)))
					continue
				}
			}
			if !f.Deploy {
				continue
			}
			mids, err := machineID(g.Machine)
			if err != nil {
				continue
			}
			if _, err := sops.Decrypt(data, sops.Binary, mids); err != nil {
				problems = append(problems, fmt.Sprintf("%s: machine %s cannot open it: %s", v.rel(path), g.Machine, explainSops(err)))
			}
		}
	}
	slices.Sort(problems)
	return slices.Compact(problems)
}

// explainSops says which sops check failed.
func explainSops(err error) string {
	var mac *sops.MACError
	var val *sops.ValueError
	var nokey *sops.NoKeyError
	switch {
	case errors.As(err, &mac):
		return "MAC mismatch: " + mac.Reason + " (the file was changed after encryption)"
	case errors.As(err, &val):
		return fmt.Sprintf("authentication failure of the value at key path %q: %v", val.Path, val.Err)
	case errors.As(err, &nokey):
		return fmt.Sprintf("none of your keys opens it; it would need one of: %s", strings.Join(nokey.Recipients, ", "))
	}
	return err.Error()
}

var varsFix = &varsSub{
	name:     "fix",
	synopsis: "[machine...]",
	summary: `Brings existing secrets in line with the fleet, as "clan vars fix" does: a deployed
secret gets its machines/<machine> link, one that is no longer deployed loses it, and a
secret whose recorded recipients differ from the wanted ones has its data key re-wrapped
(values untouched). Prints each path it changed. Missing vars are left to generate.`,
	maxArgs: -1,
	setup: func(fs *flag.FlagSet, o *varsOpts) func(*varsRun, []string) int {
		return func(v *varsRun, machines []string) int { return v.fix(machines) }
	},
}

func (v *varsRun) fix(machines []string) int {
	m, ok := v.model()
	if !ok {
		return exitFail
	}
	js, err := jobs(m, machines)
	if err != nil {
		return v.failf("fix: %v", err)
	}
	store, _, _, err := v.store()
	if err != nil {
		return v.failf("fix: %v", err)
	}
	changed, err := store.Fix(allGens(js))
	for _, c := range changed {
		fmt.Fprintf(v.stdout, "fixed %s\n", v.rel(c))
	}
	if err != nil {
		return v.failf("fix: %v", err)
	}
	fmt.Fprintf(v.stdout, "fleet vars fix: %s changed\n", plural(len(changed), "path"))
	return exitOK
}

var varsList = &varsSub{
	name:     "list",
	synopsis: "[machine]",
	summary: `Lists the generators of the machine (all machines when none is named) and their files:
secret or public, deployed or not, and their status (ok, missing, unfixed; a generator
with a stale .validation-hash is outdated). Needs no key.`,
	maxArgs: 1,
	setup: func(fs *flag.FlagSet, o *varsOpts) func(*varsRun, []string) int {
		return func(v *varsRun, machines []string) int { return v.list(machines) }
	},
}

func (v *varsRun) list(machines []string) int {
	m, ok := v.model()
	if !ok {
		return exitFail
	}
	js, err := jobs(m, machines)
	if err != nil {
		return v.failf("list: %v", err)
	}
	store := vars.New(v.root, "", nil)
	tw := newTabWriter(v.stdout)
	fmt.Fprintln(tw, "MACHINE\tGENERATOR\tFILE\tKIND\tSTATUS")
	for _, j := range js {
		rep, err := store.Check(j.varsGens())
		if err != nil {
			return v.failf("list: %v", err)
		}
		status := map[string]string{}
		for _, x := range append(rep.MissingSecret, rep.MissingPublic...) {
			status[x.File] = "missing"
		}
		for _, x := range rep.UnfixedSecret {
			if status[x.File] == "" {
				status[x.File] = "unfixed"
			}
		}
		who := j.machines[0].Name
		if j.gen.Share {
			who = "shared"
		}
		gen := j.gen.Name
		if len(rep.InvalidGenerators) > 0 {
			gen += " (outdated)"
		}
		for _, f := range genFiles(j.gen) {
			kind := "public"
			if f.Secret {
				kind = "secret"
				if !f.Deploy {
					kind += ", not deployed"
				}
			}
			st := status[f.Name]
			if st == "" {
				st = "ok"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", who, gen, f.Name, kind, st)
		}
	}
	tw.Flush()
	return exitOK
}

var varsGet = &varsSub{
	name:     "get",
	synopsis: "<machine> <generator>/<file>",
	summary: `Prints a var of a machine: a public file's value as stored, or a secret decrypted with
the admin's key (to stdout only; nothing is written).`,
	minArgs: 2,
	maxArgs: 2,
	setup: func(fs *flag.FlagSet, o *varsOpts) func(*varsRun, []string) int {
		return func(v *varsRun, args []string) int { return v.get(args[0], args[1]) }
	},
}

func (v *varsRun) get(machine, ref string) int {
	genName, file, ok := strings.Cut(ref, "/")
	if !ok {
		fmt.Fprintf(v.stderr, "fleet vars get: %q: want <generator>/<file>\n", ref)
		return exitUsage
	}
	m, ok := v.model()
	if !ok {
		return exitFail
	}
	js, err := jobs(m, []string{machine})
	if err != nil {
		return v.failf("get: %v", err)
	}
	var g *vars.Generator
	var names []string
	for _, j := range js {
		names = append(names, j.gen.Name)
		if j.gen.Name == genName {
			for _, x := range j.varsGens() {
				if x.Machine == machine {
					g = &x
				}
			}
		}
	}
	if g == nil {
		return v.failf("get: machine %s has no generator %q (it has: %s)", machine, genName, strings.Join(names, ", "))
	}
	var f *vars.File
	var files []string
	for i := range g.Files {
		files = append(files, g.Files[i].Name)
		if g.Files[i].Name == file {
			f = &g.Files[i]
		}
	}
	if f == nil {
		return v.failf("get: generator %s has no file %q (it has: %s)", genName, file, strings.Join(files, ", "))
	}
	var data []byte
	if f.Secret {
		store, _, _, err := v.store()
		if err != nil {
			return v.failf("get: %v", err)
		}
		if data, err = store.Secret(*g, file); err != nil {
			return v.failf("get: %s", explainSops(err))
		}
	} else if data, err = os.ReadFile(filepath.Join(v.root, "vars", relDir(*g), file, "value")); err != nil {
		return v.failf("get: %v (run go run ./fleet vars generate)", err)
	}
	if _, err := v.stdout.Write(data); err != nil {
		return v.failf("get: %v", err)
	}
	return exitOK
}
