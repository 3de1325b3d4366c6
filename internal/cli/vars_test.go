package cli

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/fleet/owner"
	"github.com/nixfleet/fleet/internal/nixtest"
)

// varsFleet is the fleet the vars tests run, chosen by $FLEET_VARS_FLEET: "owner" (the
// owner's fleet), "gens" (prompts, a shared generator, dependencies, validation), and gens
// plus, on web, a failing generator ("fail"), one that does not write a file
// ("incomplete") or one that sleeps ("slow").
func varsFleet() *dsl.Fleet {
	if os.Getenv("FLEET_VARS_FLEET") == "owner" {
		return owner.Fleet()
	}
	f := dsl.New("vars-test", dsl.Domain("t.lan"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	token := f.Generator("api-token",
		dsl.Ask("token", "the API token", dsl.Hidden),
		dsl.SecretFile("token"),
		dsl.Shared(),
		dsl.Script(`cat "$prompts/token" > "$out/token"`))
	derived := f.Generator("derived",
		dsl.DependsOn(token),
		dsl.PublicFile("fingerprint"),
		dsl.SecretFile("key", dsl.NotDeployed()),
		dsl.RuntimeInputs("coreutils"),
		dsl.Validation(dsl.Attrs(dsl.Field("version", 2))),
		dsl.Script(`sha256sum "$in/api-token/token" | cut -c1-16 > "$out/fingerprint"
head -c 24 /dev/urandom | base64 > "$out/key"`))
	gens := []*dsl.Generator{token, derived}
	switch os.Getenv("FLEET_VARS_FLEET") {
	case "fail":
		gens = append(gens, f.Generator("broken", dsl.SecretFile("s"), dsl.DependsOn(derived),
			dsl.Script(`echo half > "$out/s"; echo "broken on purpose" >&2; exit 3`)))
	case "incomplete":
		gens = append(gens, f.Generator("incomplete", dsl.SecretFile("a"), dsl.PublicFile("b"),
			dsl.Script(`echo a > "$out/a"`)))
	case "slow":
		gens = append(gens, f.Generator("slow", dsl.SecretFile("s"),
			dsl.Script(`echo started > "$MARKER"; sleep 30; echo x > "$out/s"`)))
	}
	f.NixOS("web", dsl.StateVersion("25.05"), dsl.NixOSConfig(dsl.Generators(gens...)))
	f.NixOS("db", dsl.StateVersion("25.05"), dsl.NixOSConfig(dsl.Generators(token, derived)))
	return f
}

// TestVarsHelperProcess is the command in a subprocess (see runVarsProcess).
func TestVarsHelperProcess(t *testing.T) {
	if os.Getenv("FLEET_VARS_HELPER") != "1" {
		t.Skip("run by the vars tests")
	}
	args := os.Args
	for i, a := range args {
		if a == "--" {
			args = args[i+1:]
			break
		}
	}
	os.Exit(Run(args, os.Stdin, os.Stdout, os.Stderr, varsFleet, fakeEmit, CompileOptions(today)))
}

// varsEnv is a vars root and a home with nothing of the caller's in them.
type varsEnv struct {
	root, home, tmp string
}

func newVarsEnv(t *testing.T, fleet string) *varsEnv {
	base := t.TempDir()
	e := &varsEnv{root: filepath.Join(base, "repo"), home: filepath.Join(base, "home"), tmp: filepath.Join(base, "tmp")}
	for _, d := range []string{e.root, e.home, e.tmp} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(e.root, "go.mod"), []byte("module example.com/fleet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"SOPS_AGE_KEY", "SOPS_AGE_KEY_FILE", "XDG_CONFIG_HOME"} {
		if old, ok := os.LookupEnv(k); ok {
			os.Unsetenv(k)
			t.Cleanup(func() { os.Setenv(k, old) })
		}
	}
	t.Setenv("HOME", e.home)
	t.Setenv("USER", "crs58")
	t.Setenv("TMPDIR", e.tmp)
	t.Setenv("FLEET_VARS_FLEET", fleet)
	return e
}

// run runs the command in-process in the vars root.
func (e *varsEnv) run(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(args, strings.NewReader(""), &out, &errb, varsFleet, fakeEmit, CompileOptions(today), Dir(e.root))
	return out.String(), errb.String(), code
}

func (e *varsEnv) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errs, code := e.run(t, args...)
	if code != 0 {
		t.Fatalf("fleet %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

// treeHash hashes every path, mode, link target and content under root.
func treeHash(t *testing.T, root string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		info, err := d.Info()
		if err != nil {
			return err
		}
		line := fmt.Sprintf("%s %v", rel, info.Mode())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			line += " -> " + target
		case d.Type().IsRegular():
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			line += fmt.Sprintf(" %x", sha256.Sum256(data))
		}
		lines = append(lines, line)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// grepTree lists the files under root that contain needle.
func grepTree(t *testing.T, root string, needle []byte) []string {
	t.Helper()
	var hits []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if data, err := os.ReadFile(p); err == nil && bytes.Contains(data, needle) {
				hits = append(hits, p)
			}
		}
		return nil
	})
	return hits
}

func emptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "testscript-main") {
			continue // the test binary's own (testscript.Main), not the command's
		}
		t.Errorf("left behind in %s: %s", dir, e.Name())
	}
}

func TestVarsOwnerEndToEnd(t *testing.T) {
	e := newVarsEnv(t, "owner")
	out := e.mustRun(t, "vars", "keygen")
	keyFile := filepath.Join(e.home, ".config", "sops", "age", "keys.txt")
	if !strings.Contains(out, keyFile) {
		t.Errorf("keygen does not name %s:\n%s", keyFile, out)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, %v; want mode 0600", fi, err)
	}
	key, _ := os.ReadFile(keyFile)
	if _, errs, code := e.run(t, "vars", "keygen"); code != 1 || !strings.Contains(errs, "not overwriting") {
		t.Errorf("second keygen: exit %d, %s", code, errs)
	}
	if again, _ := os.ReadFile(keyFile); !bytes.Equal(again, key) {
		t.Error("second keygen changed the key file")
	}
	if _, err := os.Stat(filepath.Join(e.root, "sops", "users", "crs58", "key.json")); err != nil {
		t.Fatal(err)
	}

	if _, _, code := e.run(t, "vars", "check"); code != 1 {
		t.Errorf("check before generate: exit %d, want 1", code)
	}
	_, errs, code := e.run(t, "vars", "generate")
	if code != 0 || !strings.Contains(errs, "[1/1] initrd-ssh (cinnabar) … ok") {
		t.Fatalf("generate: exit %d\n%s", code, errs)
	}
	e.mustRun(t, "vars", "check")
	e.mustRun(t, "vars", "check", "--deep")
	emptyDir(t, e.tmp)

	secretPath := filepath.Join(e.root, "vars", "per-machine", "cinnabar", "initrd-ssh", "id_ed25519", "secret")
	if fi, err := os.Stat(secretPath); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("secret: %v, %v; want mode 0600", fi, err)
	}
	plain := e.mustRun(t, "vars", "get", "cinnabar", "initrd-ssh/id_ed25519")
	if !strings.Contains(plain, "OPENSSH PRIVATE KEY") {
		t.Fatalf("get: %q", plain)
	}
	// No line of the private key's body is in any file of the repository.
	for _, line := range strings.Split(plain, "\n") {
		if len(line) >= 40 && !strings.HasPrefix(line, "-----") {
			if hits := grepTree(t, e.root, []byte(line)); len(hits) > 0 {
				t.Errorf("plaintext of the secret in %v", hits)
			}
		}
	}
	pub := e.mustRun(t, "vars", "get", "cinnabar", "initrd-ssh/id_ed25519.pub")
	if !strings.HasPrefix(pub, "ssh-ed25519 ") {
		t.Errorf("public value: %q", pub)
	}

	t.Run("sops decrypts it", func(t *testing.T) {
		bin := nixtest.Tool(t, "sops")
		cmd := exec.Command(bin, "decrypt", "--input-type", "binary", "--output-type", "binary", secretPath)
		cmd.Dir = e.tmp
		cmd.Env = []string{"HOME=" + e.home, "SOPS_AGE_KEY_FILE=" + keyFile, "PATH=" + os.Getenv("PATH")}
		got, err := cmd.Output()
		if err != nil {
			t.Fatalf("sops decrypt: %v", err)
		}
		if string(got) != plain {
			t.Errorf("sops decrypts to something else")
		}
	})

	orig, err := os.ReadFile(secretPath)
	if err != nil {
		t.Fatal(err)
	}
	tamper := func(t *testing.T, change func(map[string]any)) {
		var doc map[string]any
		if err := json.Unmarshal(orig, &doc); err != nil {
			t.Fatal(err)
		}
		change(doc)
		data, _ := json.Marshal(doc)
		if err := os.WriteFile(secretPath, data, 0o600); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.WriteFile(secretPath, orig, 0o600) })
	}
	t.Run("changed ciphertext byte", func(t *testing.T) {
		tamper(t, func(doc map[string]any) {
			s := doc["data"].(string) // ENC[AES256_GCM,data:<b64>,...
			i := strings.Index(s, "data:") + len("data:") + 3
			c := byte('A')
			if s[i] == 'A' {
				c = 'B'
			}
			doc["data"] = s[:i] + string(c) + s[i+1:]
		})
		// The plain check reads only metadata, as clan's does: it cannot see this.
		e.mustRun(t, "vars", "check")
		out, _, code := e.run(t, "vars", "check", "--deep")
		if code != 1 || !strings.Contains(out, "vars/per-machine/cinnabar/initrd-ssh/id_ed25519/secret: authentication failure of the value at key path \"data:\"") {
			t.Errorf("check --deep: exit %d\n%s", code, out)
		}
	})
	t.Run("changed lastmodified", func(t *testing.T) {
		tamper(t, func(doc map[string]any) {
			doc["sops"].(map[string]any)["lastmodified"] = "2020-01-01T00:00:00Z"
		})
		out, _, code := e.run(t, "vars", "check", "--deep")
		if code != 1 || !strings.Contains(out, "MAC mismatch") {
			t.Errorf("check --deep: exit %d\n%s", code, out)
		}
	})
	t.Run("removed public value", func(t *testing.T) {
		value := filepath.Join(e.root, "vars", "per-machine", "cinnabar", "initrd-ssh", "id_ed25519.pub", "value")
		data, _ := os.ReadFile(value)
		os.Remove(value)
		t.Cleanup(func() { os.WriteFile(value, data, 0o644) })
		out, _, code := e.run(t, "vars", "check")
		if code != 1 || !strings.Contains(out, "Missing public vars:\n  - vars/per-machine/cinnabar/initrd-ssh/id_ed25519.pub") {
			t.Errorf("check: exit %d\n%s", code, out)
		}
	})
	e.mustRun(t, "vars", "check", "--deep")
}

func TestVarsGenerators(t *testing.T) {
	e := newVarsEnv(t, "gens")
	e.mustRun(t, "vars", "keygen")
	const token = "tok-5f0b1d2e-very-secret"

	_, errs, code := e.run(t, "vars", "generate")
	if code != 1 || !strings.Contains(errs, "pass --prompt api-token.token=VALUE or --prompt-file api-token.token=PATH") {
		t.Fatalf("generate without the prompt: exit %d\n%s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(e.root, "vars")); err == nil {
		t.Error("a failed generate wrote vars/")
	}
	_, errs, code = e.run(t, "vars", "generate", "--prompt", "nope.x=1")
	if code != 2 || !strings.Contains(errs, "no prompt \"nope.x\" (prompts: api-token.token)") {
		t.Errorf("unknown prompt: exit %d\n%s", code, errs)
	}

	_, errs, code = e.run(t, "vars", "generate", "--prompt", "api-token.token="+token)
	if code != 0 {
		t.Fatalf("generate: exit %d\n%s", code, errs)
	}
	for _, want := range []string{"[1/3] api-token (shared) … ok", "[2/3] derived (db) … ok", "[3/3] derived (web) … ok"} {
		if !strings.Contains(errs, want) {
			t.Errorf("progress lacks %q:\n%s", want, errs)
		}
	}
	e.mustRun(t, "vars", "check", "--deep")
	emptyDir(t, e.tmp)
	if hits := grepTree(t, e.root, []byte(token)); len(hits) > 0 {
		t.Errorf("the prompt's plaintext is in %v", hits)
	}
	if got := e.mustRun(t, "vars", "get", "web", "api-token/token"); got != token {
		t.Errorf("get token: %q", got)
	}
	// The dependency reached the script through $in, the same for both machines.
	sum := sha256.Sum256([]byte(token))
	for _, m := range []string{"web", "db"} {
		if got := e.mustRun(t, "vars", "get", m, "derived/fingerprint"); got != fmt.Sprintf("%x\n", sum)[:16]+"\n" {
			t.Errorf("%s fingerprint %q", m, got)
		}
	}
	// The shared secret is linked to both machines; the undeployed one to none.
	for _, m := range []string{"web", "db"} {
		if _, err := os.Lstat(filepath.Join(e.root, "vars", "shared", "api-token", "token", "machines", m)); err != nil {
			t.Error(err)
		}
	}
	if _, err := os.Lstat(filepath.Join(e.root, "vars", "per-machine", "web", "derived", "key", "machines")); err == nil {
		t.Error("a secret that is not deployed has machine links")
	}
	h, _ := validationHash(dsl.Attrs(dsl.Field("version", 2)))
	if got, _ := os.ReadFile(filepath.Join(e.root, "vars", "per-machine", "web", "derived", ".validation-hash")); string(got) != h {
		t.Errorf(".validation-hash %q, want %q", got, h)
	}
	_, errs, _ = e.run(t, "vars", "generate")
	if !strings.Contains(errs, "[1/3] api-token (shared) … up to date") {
		t.Errorf("second generate did not skip:\n%s", errs)
	}
	list := e.mustRun(t, "vars", "list", "web")
	if !strings.Contains(list, "web      derived    key          secret, not deployed  ok") {
		t.Errorf("list:\n%s", list)
	}

	// A failing generator and one that forgets a file leave the store as it was.
	t.Setenv("FLEET_VARS_FLEET", "fail")
	before := treeHash(t, e.root)
	_, errs, code = e.run(t, "vars", "generate", "web")
	if code != 1 || !strings.Contains(errs, "broken on purpose") || !strings.Contains(errs, "broken (web): script failed: exit status 3; nothing written for it") {
		t.Errorf("failing generator: exit %d\n%s", code, errs)
	}
	if after := treeHash(t, e.root); after != before {
		t.Errorf("the failing generator changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	emptyDir(t, e.tmp)

	t.Setenv("FLEET_VARS_FLEET", "incomplete")
	_, errs, code = e.run(t, "vars", "generate", "web")
	if code != 1 || !strings.Contains(errs, "did not generate a file for 'b' when executing script for generator 'incomplete'") {
		t.Errorf("incomplete generator: exit %d\n%s", code, errs)
	}
	if after := treeHash(t, e.root); after != before {
		t.Errorf("the incomplete generator changed the store")
	}
	emptyDir(t, e.tmp)
}

// An interrupt while a script runs kills it, removes the plaintext and leaves the store.
func TestVarsInterrupt(t *testing.T) {
	e := newVarsEnv(t, "gens")
	e.mustRun(t, "vars", "keygen")
	e.mustRun(t, "vars", "generate", "--prompt", "api-token.token=x")
	// With "slow", only it is left to generate: run it in a subprocess.
	before := treeHash(t, e.root)
	marker := filepath.Join(t.TempDir(), "started")
	cmd := exec.Command(os.Args[0], "-test.run=^TestVarsHelperProcess$", "--", "vars", "generate", "web")
	cmd.Dir = e.root
	cmd.Env = append(os.Environ(), "FLEET_VARS_HELPER=1", "FLEET_VARS_FLEET=slow", "MARKER="+marker)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("the script did not start:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	start := time.Now()
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if time.Since(start) > 10*time.Second {
		t.Errorf("took %v to stop", time.Since(start))
	}
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Errorf("exit: %v, want status 1\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "slow (web): interrupted; nothing written for it, temporary files removed") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
	emptyDir(t, e.tmp)
	if after := treeHash(t, e.root); after != before {
		t.Errorf("the interrupted generator changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// BenchmarkVarsCheckOwner is "fleet vars check" on the owner's fleet after a generate.
func BenchmarkVarsCheckOwner(b *testing.B) {
	base := b.TempDir()
	root, home := filepath.Join(base, "repo"), filepath.Join(base, "home")
	os.MkdirAll(root, 0o755)
	os.WriteFile(filepath.Join(root, "go.mod"), []byte("module x\n"), 0o644)
	b.Setenv("HOME", home)
	b.Setenv("USER", "crs58")
	b.Setenv("FLEET_VARS_FLEET", "owner")
	os.Unsetenv("SOPS_AGE_KEY_FILE")
	os.Unsetenv("SOPS_AGE_KEY")
	os.Unsetenv("XDG_CONFIG_HOME")
	run := func(args ...string) {
		var out, errb bytes.Buffer
		if code := Run(args, strings.NewReader(""), &out, &errb, varsFleet, fakeEmit, CompileOptions(today), Dir(root)); code != 0 {
			b.Fatalf("%v: exit %d\n%s%s", args, code, out.String(), errb.String())
		}
	}
	run("vars", "keygen")
	run("vars", "generate")
	b.ResetTimer()
	for b.Loop() {
		run("vars", "check")
	}
}
