package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"

	"filippo.io/age"
	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/sops"
	"github.com/nixfleet/fleet/sops/vars"
)

// varsCommand is "fleet vars <subcommand>": the clan vars (secrets and public values) of the
// fleet's own generators, in clan's on-disk layout (sops/ and vars/ at the vars root).
var varsCommand = &command{
	name:     "vars",
	synopsis: "<keygen|generate|check|fix|list|get> [flags] [args]",
	summary:  "create, check and read the fleet's clan vars (secrets)",
	args:     true,
	help: `
Manages the clan vars of the fleet's own generators (dsl.Generator) in clan's layout:
sops/users, sops/machines, sops/secrets/<machine>-age.key and vars/ at the vars root,
which is the module root (the directory holding go.mod) unless --root says otherwise.
Secrets are sops files encrypted with age, to the admins (sops/users/*) and, when
deployed, to the machine; "clan vars" and sops-nix read them as they read their own.

Subcommands (each takes --root; "go run ./fleet vars <subcommand> -h" for its flags):

	keygen                 create the admin's age key and register it in sops/users
	generate [machine...]  run the generators whose files are missing, in dependency order
	check [machine...]     report missing, unfixed and outdated vars (--deep also decrypts)
	fix [machine...]       relink and re-encrypt secrets to the recipients they should have
	list [machine]         the generators and files with their status
	get <machine> <gen>/<file>  print a public value, or decrypt a secret

The admin's age key is found as sops finds it: $SOPS_AGE_KEY, $SOPS_AGE_KEY_FILE, then
sops/age/keys.txt in the user configuration directory ($XDG_CONFIG_HOME or ~/.config;
~/Library/Application Support on macOS). The admin is the user under sops/users whose
key.json holds that key's public key (or --user).

Plaintext exists only in memory and in a private temporary directory (0700, files 0600)
that is removed when the command ends, fails or is interrupted. The generators of clan's
own services (zerotier, sshd, users, emergency-access) are declared in clan-core's Nix:
run "clan vars generate" for those.

Exit status: 0 success; 1 a failure, or check found a problem; 2 usage error.`,
	setup: func(fs *flag.FlagSet) func(*runner) int {
		return func(r *runner) int { return r.vars(fs.Args()) }
	},
}

// varsSub is one subcommand of vars.
type varsSub struct {
	name     string
	synopsis string
	summary  string
	// minArgs and maxArgs bound the positional arguments (maxArgs < 0: no bound).
	minArgs, maxArgs int
	setup            func(fs *flag.FlagSet, o *varsOpts) func(v *varsRun, args []string) int
}

var varsSubs = []*varsSub{varsKeygen, varsGenerate, varsCheck, varsFix, varsList, varsGet}

// varsOpts are the flags every subcommand has.
type varsOpts struct {
	root string
	user string
}

// varsRun is one run of a vars subcommand.
type varsRun struct {
	*runner
	ctx    context.Context
	root   string
	user   string // --user, or ""
	lookup func(string) (string, bool)
}

func (r *runner) vars(args []string) int {
	if len(args) == 0 {
		fmt.Fprintf(r.stderr, "fleet vars: missing subcommand\n\n")
		writeVarsList(r.stderr)
		return exitUsage
	}
	var sub *varsSub
	for _, s := range varsSubs {
		if s.name == args[0] {
			sub = s
		}
	}
	if sub == nil {
		fmt.Fprintf(r.stderr, "fleet vars: unknown subcommand %q\n\n", args[0])
		writeVarsList(r.stderr)
		return exitUsage
	}
	fs := flag.NewFlagSet("fleet vars "+sub.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	o := &varsOpts{}
	fs.StringVar(&o.root, "root", "", "the vars root `DIR` holding sops/ and vars/ (default: the module root)")
	fs.StringVar(&o.user, "user", "", "the admin `NAME` under sops/users (default: the one whose key.json holds your age key; keygen: $USER)")
	run := sub.setup(fs, o)
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			writeVarsUsage(r.stdout, sub)
			return exitOK
		}
		fmt.Fprintf(r.stderr, "fleet vars %s: %v\n\n", sub.name, err)
		writeVarsUsage(r.stderr, sub)
		return exitUsage
	}
	if len(pos) < sub.minArgs || (sub.maxArgs >= 0 && len(pos) > sub.maxArgs) {
		fmt.Fprintf(r.stderr, "fleet vars %s: wrong number of arguments\n\n", sub.name)
		writeVarsUsage(r.stderr, sub)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	v := &varsRun{runner: r, ctx: ctx, user: o.user, lookup: os.LookupEnv}
	if o.root != "" {
		v.root = o.root
		if !filepath.IsAbs(v.root) {
			v.root = filepath.Join(r.dir, v.root)
		}
	} else if v.root, err = moduleRoot(r.dir); err != nil {
		return r.failf("vars: %v (or pass --root)", err)
	}
	return run(v, pos)
}

// parseInterleaved parses flags that may come after positional arguments
// ("generate cinnabar --regenerate"); "--" ends the flags.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if len(args) > 0 && len(rest) < len(args) && args[len(args)-len(rest)-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// writeVarsList lists the subcommands (the vars command's help is in varsCommand; naming it
// here would be an initialization cycle).
func writeVarsList(w io.Writer) {
	fmt.Fprintf(w, "Usage: go run ./fleet vars <subcommand> [flags] [args]\n\nSubcommands:\n\n")
	tw := newTabWriter(w)
	for _, s := range varsSubs {
		fmt.Fprintf(tw, "\t%s %s\n", s.name, s.synopsis)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nRun \"go run ./fleet help vars\" for more, \"go run ./fleet vars <subcommand> -h\" for its flags.\n")
}

func writeVarsUsage(w io.Writer, s *varsSub) {
	fmt.Fprintf(w, "Usage: go run ./fleet vars %s", s.name)
	if s.synopsis != "" {
		fmt.Fprintf(w, " %s", s.synopsis)
	}
	fmt.Fprintf(w, "\n\n%s\n\nFlags:\n", strings.TrimSpace(s.summary))
	fs := flag.NewFlagSet(s.name, flag.ContinueOnError)
	fs.String("root", "", "the vars root `DIR` holding sops/ and vars/ (default: the module root)")
	fs.String("user", "", "the admin `NAME` under sops/users (default: the one whose key.json holds your age key; keygen: $USER)")
	s.setup(fs, &varsOpts{})
	fs.SetOutput(w)
	fs.PrintDefaults()
}

// failf prints "fleet vars: ..." and returns exitFail.
func (v *varsRun) failf(format string, args ...any) int {
	fmt.Fprintf(v.stderr, "fleet vars: "+format+"\n", args...)
	return exitFail
}

// model compiles the fleet; diagnostics go to stderr, and errors stop the command.
func (v *varsRun) model() (*compiler.Model, bool) {
	m, ds := compiler.Compile(v.fleet(), v.compileOpts...)
	v.printDiagnostics(ds, "nothing done")
	return m, !ds.HasErrors()
}

// rel shows path relative to the vars root.
func (v *varsRun) rel(path string) string {
	if r, err := filepath.Rel(v.root, path); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return path
}

// admin returns the admin's identities and name: the user under sops/users whose key.json
// holds one of the identities' public keys (or --user, which must hold one).
func (v *varsRun) admin() ([]age.Identity, string, error) {
	ids, err := sops.IdentitiesFromEnv(v.lookup)
	if err != nil {
		return nil, "", fmt.Errorf("%v; create a key with: go run ./fleet vars keygen", err)
	}
	mine := recipientsOf(ids)
	users, err := os.ReadDir(filepath.Join(v.root, "sops", "users"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, "", err
	}
	for _, u := range users {
		if v.user != "" && u.Name() != v.user {
			continue
		}
		keys, err := vars.ReadKeys(filepath.Join(v.root, "sops", "users", u.Name(), "key.json"))
		if err != nil {
			continue
		}
		for _, k := range keys {
			if slices.Contains(mine, k.PublicKey) {
				return ids, u.Name(), nil
			}
		}
	}
	who := "any user under sops/users"
	if v.user != "" {
		who = "sops/users/" + v.user + "/key.json"
	}
	return nil, "", fmt.Errorf("your age key (%s) is not in %s; register it with: go run ./fleet vars keygen --existing", strings.Join(mine, ", "), who)
}

// recipientsOf lists the public keys of identities.
func recipientsOf(ids []age.Identity) []string {
	var out []string
	for _, id := range ids {
		switch x := id.(type) {
		case *age.X25519Identity:
			out = append(out, x.Recipient().String())
		case *age.HybridIdentity:
			out = append(out, x.Recipient().String())
		}
	}
	return out
}

// store opens the vars root for the admin.
func (v *varsRun) store() (*vars.Store, []age.Identity, string, error) {
	ids, admin, err := v.admin()
	if err != nil {
		return nil, nil, "", err
	}
	return vars.New(v.root, admin, ids), ids, admin, nil
}

// job is one run of a generator: per machine, or once for a shared one (for all the
// machines that use it).
type job struct {
	gen      *compiler.Generator
	machines []*compiler.Machine // one, or every machine using a shared generator
	hash     string              // the expected .validation-hash, "" without validation
}

// label is "initrd-ssh (cinnabar)" or "wifi (shared)".
func (j job) label() string {
	if j.gen.Share {
		return j.gen.Name + " (shared)"
	}
	return j.gen.Name + " (" + j.machines[0].Name + ")"
}

// files are the generator's files: the declared ones, then persisted prompts (secret
// files of the same name, as clan adds them).
func genFiles(g *compiler.Generator) []vars.File {
	var out []vars.File
	for _, f := range g.Files {
		if f != nil {
			out = append(out, vars.File{Name: f.Name, Secret: f.Secret, Deploy: f.Deploy})
		}
	}
	for _, p := range g.Prompts {
		if p != nil && p.Persist && g.File(p.Name) == nil {
			out = append(out, vars.File{Name: p.Name, Secret: true, Deploy: true})
		}
	}
	return out
}

// varsGens describes the job to package vars: one Generator per machine.
func (j job) varsGens() []vars.Generator {
	out := make([]vars.Generator, len(j.machines))
	for i, m := range j.machines {
		out[i] = vars.Generator{Machine: m.Name, Name: j.gen.Name, Share: j.gen.Share,
			Files: genFiles(j.gen), ValidationHash: j.hash}
	}
	return out
}

// jobs lists the generator runs for the named machines (all when none), in dependency
// order. A shared generator is one job linking every machine that uses it.
func jobs(m *compiler.Model, machines []string) ([]job, error) {
	for _, name := range machines {
		if m.Machine(name) == nil {
			var known []string
			for _, x := range m.Machines {
				known = append(known, x.Name)
			}
			return nil, fmt.Errorf("no machine %q in the fleet (machines: %s)", name, strings.Join(known, ", "))
		}
	}
	selected := func(x *compiler.Machine) bool { return len(machines) == 0 || slices.Contains(machines, x.Name) }
	var out []job
	for _, g := range m.Generators {
		hash, err := validationHash(g.Validation)
		if err != nil {
			return nil, fmt.Errorf("generator %s: %v", g.Name, err)
		}
		if g.Share {
			if slices.ContainsFunc(g.Machines, selected) {
				out = append(out, job{gen: g, machines: g.Machines, hash: hash})
			}
			continue
		}
		for _, x := range g.Machines {
			if selected(x) {
				out = append(out, job{gen: g, machines: []*compiler.Machine{x}, hash: hash})
			}
		}
	}
	return out, nil
}

// allGens flattens jobs for vars.Store.Check and Fix.
func allGens(js []job) []vars.Generator {
	var out []vars.Generator
	for _, j := range js {
		out = append(out, j.varsGens()...)
	}
	return out
}

func newTabWriter(w io.Writer) *tabwriter.Writer { return tabwriter.NewWriter(w, 0, 8, 2, ' ', 0) }
