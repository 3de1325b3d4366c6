package vars

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/nixfleet/fleet/internal/nixtest"
	"github.com/nixfleet/fleet/sops"
)

type fixture struct {
	dir   string
	alice *age.X25519Identity
	bob   *age.X25519Identity
	store *Store
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	alice, _ := age.GenerateX25519Identity()
	bob, _ := age.GenerateX25519Identity()
	dir := t.TempDir()
	s := New(dir, "alice", []age.Identity{alice})
	if err := s.AddUser("alice", alice.Recipient().String()); err != nil {
		t.Fatal(err)
	}
	if err := s.AddUser("bob", bob.Recipient().String()); err != nil {
		t.Fatal(err)
	}
	return &fixture{dir: dir, alice: alice, bob: bob, store: s}
}

var (
	openssh = Generator{Machine: "m1", Name: "openssh", Files: []File{
		{Name: "ssh.id_ed25519", Secret: true, Deploy: true},
		{Name: "ssh.id_ed25519.pub"},
	}}
	wgShared = Generator{Machine: "m1", Name: "wg-net", Share: true, Files: []File{
		{Name: "psk", Secret: true, Deploy: true},
	}}
	caShared = Generator{Machine: "m1", Name: "openssh-ca", Share: true, ValidationHash: "abc123", Files: []File{
		{Name: "id_ed25519", Secret: true, Deploy: false},
		{Name: "id_ed25519.pub"},
	}}
)

func readLink(t *testing.T, p string) string {
	t.Helper()
	l, err := os.Readlink(p)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (fx *fixture) populate(t *testing.T) {
	t.Helper()
	s := fx.store
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(s.SetSecret(openssh, "ssh.id_ed25519", []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n")))
	must(s.SetPublic(openssh, "ssh.id_ed25519.pub", []byte("ssh-ed25519 AAAA")))
	must(s.SetSecret(wgShared, "psk", []byte{0xff, 0x00, 0xfe, 0x80}))
	must(s.SetSecret(caShared, "id_ed25519", []byte("ca key")))
	must(s.SetPublic(caShared, "id_ed25519.pub", []byte("ssh-ed25519 CA")))
	must(s.SetValidationHash(caShared))
}

func TestLayout(t *testing.T) {
	fx := newFixture(t)
	fx.populate(t)
	d := fx.dir
	wantKey := "[\n  {\n    \"publickey\": \"" + fx.alice.Recipient().String() + "\",\n    \"type\": \"age\"\n  }\n]"
	if got, _ := os.ReadFile(filepath.Join(d, "sops/users/alice/key.json")); string(got) != wantKey {
		t.Errorf("users/alice/key.json:\n%s\nwant\n%s", got, wantKey)
	}
	links := map[string]string{
		"sops/secrets/m1-age.key/users/alice":                    "../../../users/alice",
		"vars/per-machine/m1/openssh/ssh.id_ed25519/machines/m1": "../../../../../../sops/machines/m1",
		"vars/per-machine/m1/openssh/ssh.id_ed25519/users/alice": "../../../../../../sops/users/alice",
		"vars/shared/wg-net/psk/machines/m1":                     "../../../../../sops/machines/m1",
		"vars/shared/wg-net/psk/users/alice":                     "../../../../../sops/users/alice",
		"vars/shared/openssh-ca/id_ed25519/users/alice":          "../../../../../sops/users/alice",
	}
	for p, want := range links {
		if got := readLink(t, filepath.Join(d, p)); got != want {
			t.Errorf("%s -> %s, want %s", p, got, want)
		}
	}
	if _, err := os.Lstat(filepath.Join(d, "vars/shared/openssh-ca/id_ed25519/machines/m1")); err == nil {
		t.Error("a secret that is not deployed has a machine link")
	}
	if got, _ := os.ReadFile(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519.pub/value")); string(got) != "ssh-ed25519 AAAA" {
		t.Errorf("public value: %q", got)
	}
	if got, _ := os.ReadFile(filepath.Join(d, "vars/shared/openssh-ca/.validation-hash")); string(got) != "abc123" {
		t.Errorf("validation hash: %q", got)
	}
	// The machine key: 74 bytes, no newline, encrypted to the admin only.
	id, err := fx.store.MachineIdentity("m1")
	if err != nil {
		t.Fatal(err)
	}
	raw, err := fx.store.decrypt(filepath.Join(d, "sops/secrets/m1-age.key"))
	if err != nil || len(raw) != 74 || !bytes.HasPrefix(raw, []byte("AGE-SECRET-KEY-1")) {
		t.Errorf("machine key secret: %q, %v", raw, err)
	}
	mk, err := ReadKeys(filepath.Join(d, "sops/machines/m1/key.json"))
	if err != nil || len(mk) != 1 || mk[0].PublicKey != id.Recipient().String() {
		t.Errorf("machines/m1/key.json: %v, %v", mk, err)
	}
	// Recipients: sorted, the machine and the admin.
	data, _ := os.ReadFile(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/secret"))
	got, _ := sops.Recipients(data, sops.Binary)
	want := []string{fx.alice.Recipient().String(), id.Recipient().String()}
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("recipients %v, want %v", got, want)
	}
	fi, _ := os.Stat(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/secret"))
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("secret mode %v", fi.Mode())
	}
	// Machine decrypts the deployed var; the admin reads it back.
	mach := New(d, "alice", []age.Identity{id})
	if v, err := mach.Secret(wgShared, "psk"); err != nil || !bytes.Equal(v, []byte{0xff, 0x00, 0xfe, 0x80}) {
		t.Errorf("machine reading psk: %q, %v", v, err)
	}
	if _, err := mach.Secret(caShared, "id_ed25519"); err == nil {
		t.Error("the machine opens a secret that is not deployed")
	}
	// No temporary files left behind.
	filepath.WalkDir(d, func(p string, e os.DirEntry, err error) error {
		if strings.Contains(e.Name(), ".tmp") {
			t.Errorf("leftover temporary file %s", p)
		}
		return nil
	})
	r, err := fx.store.Check([]Generator{openssh, wgShared, caShared})
	if err != nil || !r.OK() {
		t.Errorf("Check after populate: %v, %v", r, err)
	}
}

func TestReadKeysLegacyAndArray(t *testing.T) {
	dir := t.TempDir()
	legacy := filepath.Join(dir, "legacy.json")
	os.WriteFile(legacy, []byte(`{"publickey": "age1xyz", "type": "age"}`), 0o644)
	k, err := ReadKeys(legacy)
	if err != nil || len(k) != 1 || k[0].PublicKey != "age1xyz" {
		t.Fatalf("legacy: %v, %v", k, err)
	}
	out := MarshalKeys([]Key{{"age1b", "age"}, {"age1a", "age"}, {"age1b", "age"}})
	want := "[\n  {\n    \"publickey\": \"age1a\",\n    \"type\": \"age\"\n  },\n  {\n    \"publickey\": \"age1b\",\n    \"type\": \"age\"\n  }\n]"
	if string(out) != want {
		t.Errorf("MarshalKeys:\n%s", out)
	}
	if string(MarshalKeys(nil)) != "[]" {
		t.Errorf("empty: %s", MarshalKeys(nil))
	}
}

func TestCheckCategories(t *testing.T) {
	fx := newFixture(t)
	fx.populate(t)
	s, d := fx.store, fx.dir
	// unfixed: bob linked after encryption
	if err := link(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/users"), "bob", filepath.Join(d, "sops/users/bob")); err != nil {
		t.Fatal(err)
	}
	// missing public
	os.Remove(filepath.Join(d, "vars/shared/openssh-ca/id_ed25519.pub/value"))
	// stale validation hash
	ca := caShared
	ca.ValidationHash = "def456"
	// missing secret: a new file; and a shared deployed secret m2 cannot open
	gen := openssh
	gen.Files = append(slices.Clone(gen.Files), File{Name: "new", Secret: true, Deploy: true})
	if _, err := s.MachineKey("m2"); err != nil {
		t.Fatal(err)
	}
	wg2 := wgShared
	wg2.Machine = "m2"
	// a generator with a stored hash but none expected, and one expecting a hash with none stored
	noHash := Generator{Machine: "m1", Name: "openssh-ca", Share: true, Files: caShared.Files}
	wantHash := openssh
	wantHash.ValidationHash = "x"
	wantHash.Files = nil

	r, err := s.Check([]Generator{gen, wgShared, wg2, ca, noHash, wantHash})
	if err != nil {
		t.Fatal(err)
	}
	str := func(vs []Var) []string {
		var out []string
		for _, v := range vs {
			out = append(out, v.String())
		}
		return out
	}
	checks := []struct {
		name      string
		got, want []string
	}{
		{"missing secret", str(r.MissingSecret), []string{"per-machine/m1/openssh/new", "shared/wg-net/psk"}},
		{"unfixed", str(r.UnfixedSecret), []string{"per-machine/m1/openssh/ssh.id_ed25519"}},
		{"missing public", str(r.MissingPublic), []string{"shared/openssh-ca/id_ed25519.pub", "shared/openssh-ca/id_ed25519.pub"}},
		{"invalid", str(r.InvalidGenerators), []string{"shared/openssh-ca", "shared/openssh-ca", "per-machine/m1/openssh"}},
	}
	for _, c := range checks {
		if !slices.Equal(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}
	if r.OK() || !strings.Contains(r.String(), "Unfixed secret vars:\n  - per-machine/m1/openssh/ssh.id_ed25519\n") {
		t.Errorf("report text:\n%s", r)
	}
}

func TestFix(t *testing.T) {
	fx := newFixture(t)
	fx.populate(t)
	s, d := fx.store, fx.dir
	secretPath := filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/secret")
	before, _ := os.ReadFile(secretPath)
	// bob joins through a group; the CA secret got a stray machine link.
	if err := s.AddGroup("admins", nil, []string{"bob"}); err != nil {
		t.Fatal(err)
	}
	if got := readLink(t, filepath.Join(d, "sops/groups/admins/users/bob")); got != "../../../users/bob" {
		t.Errorf("group link -> %s", got)
	}
	if err := link(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/groups"), "admins", filepath.Join(d, "sops/groups/admins")); err != nil {
		t.Fatal(err)
	}
	if err := link(filepath.Join(d, "vars/shared/openssh-ca/id_ed25519/machines"), "m1", filepath.Join(d, "sops/machines/m1")); err != nil {
		t.Fatal(err)
	}
	gens := []Generator{openssh, wgShared, caShared}
	r, _ := s.Check(gens)
	if len(r.UnfixedSecret) != 2 {
		t.Fatalf("before fix: %v", r)
	}
	changed, err := s.Fix(gens)
	if err != nil {
		t.Fatal(err)
	}
	wantChanged := []string{secretPath, filepath.Join(d, "vars/shared/openssh-ca/id_ed25519/machines/m1")}
	if !slices.Equal(changed, wantChanged) {
		t.Errorf("changed %v, want %v", changed, wantChanged)
	}
	if r, err := s.Check(gens); err != nil || !r.OK() {
		t.Fatalf("after fix: %v, %v", r, err)
	}
	bobStore := New(d, "bob", []age.Identity{fx.bob})
	if v, err := bobStore.Secret(openssh, "ssh.id_ed25519"); err != nil || !strings.HasPrefix(string(v), "-----BEGIN") {
		t.Errorf("bob after fix: %q, %v", v, err)
	}
	after, _ := os.ReadFile(secretPath)
	if dataLine(before) != dataLine(after) {
		t.Error("Fix re-encrypted the value instead of re-wrapping the data key")
	}
	if again, err := s.Fix(gens); err != nil || len(again) != 0 {
		t.Errorf("second Fix changed %v (%v)", again, err)
	}
}

func dataLine(b []byte) string {
	for _, l := range strings.Split(string(b), "\n") {
		if strings.Contains(l, `"data":`) {
			return l
		}
	}
	return ""
}

func TestSetSecretTwiceIsStable(t *testing.T) {
	fx := newFixture(t)
	fx.populate(t)
	p := filepath.Join(fx.dir, "vars/per-machine/m1/openssh/ssh.id_ed25519/secret")
	before, _ := os.ReadFile(p)
	if err := fx.store.SetSecret(openssh, "ssh.id_ed25519", []byte("-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n")); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(p)
	if !bytes.Equal(before, after) {
		t.Error("writing the same value again changed the file")
	}
	if err := fx.store.SetSecret(openssh, "ssh.id_ed25519", []byte("new")); err != nil {
		t.Fatal(err)
	}
	changed, _ := os.ReadFile(p)
	if dataLine(changed) == dataLine(before) {
		t.Error("new value kept the old ciphertext")
	}
	if v, err := fx.store.Secret(openssh, "ssh.id_ed25519"); err != nil || string(v) != "new" {
		t.Errorf("got %q, %v", v, err)
	}
}

func TestErrors(t *testing.T) {
	fx := newFixture(t)
	bad := Generator{Machine: "../etc", Name: "g", Files: []File{{Name: "f", Secret: true}}}
	if err := fx.store.SetSecret(bad, "f", []byte("x")); err == nil {
		t.Error("path traversal in a machine name accepted")
	}
	if err := fx.store.SetPublic(openssh, "ssh.id_ed25519", []byte("x")); err == nil {
		t.Error("SetPublic on a secret file accepted")
	}
	noAdmin := New(fx.dir, "carol", nil)
	if err := noAdmin.SetSecret(openssh, "ssh.id_ed25519", []byte("x")); err == nil || !strings.Contains(err.Error(), "carol") {
		t.Errorf("admin without key.json: %v", err)
	}
}

// TestInteropClanChain runs the deploy chain with the real sops: the admin
// key opens sops/secrets/<m>-age.key/secret, which yields the machine key,
// which opens the machine's var.
func TestInteropClanChain(t *testing.T) {
	bin := nixtest.Tool(t, "sops")
	fx := newFixture(t)
	fx.populate(t)
	home := t.TempDir()
	adminKey := filepath.Join(home, "admin.txt")
	os.WriteFile(adminKey, []byte(fx.alice.String()+"\n"), 0o600)
	run := func(keyFile, path string) []byte {
		t.Helper()
		cmd := exec.Command(bin, "decrypt", path)
		cmd.Dir = t.TempDir()
		cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "SOPS_AGE_KEY_FILE=" + keyFile}
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("sops decrypt %s: %v: %s", path, err, stderr.String())
		}
		return out
	}
	machineKey := run(adminKey, filepath.Join(fx.dir, "sops/secrets/m1-age.key/secret"))
	if len(machineKey) != 74 {
		t.Fatalf("machine key is %d bytes", len(machineKey))
	}
	mk := filepath.Join(home, "key.txt") // what clan uploads to /var/lib/sops-nix/key.txt
	os.WriteFile(mk, machineKey, 0o600)
	got := run(mk, filepath.Join(fx.dir, "vars/per-machine/m1/openssh/ssh.id_ed25519/secret"))
	if string(got) != "-----BEGIN OPENSSH PRIVATE KEY-----\nxyz\n" {
		t.Errorf("machine decrypted %q", got)
	}
	if got := run(mk, filepath.Join(fx.dir, "vars/shared/wg-net/psk/secret")); !bytes.Equal(got, []byte{0xff, 0x00, 0xfe, 0x80}) {
		t.Errorf("shared psk: %x", got)
	}
}

func TestWantedIgnoresBrokenAndForeignLinks(t *testing.T) {
	fx := newFixture(t)
	fx.populate(t)
	dir := filepath.Join(fx.dir, "vars/per-machine/m1/openssh/ssh.id_ed25519")
	before, err := fx.store.Recipients(openssh, "ssh.id_ed25519")
	if err != nil {
		t.Fatal(err)
	}
	// A link to a user that does not exist, and a machines/ link that points
	// into users/: clan ignores both.
	os.Symlink("../../../../../../sops/users/ghost", filepath.Join(dir, "users", "ghost"))
	os.Symlink("../../../../../../sops/users/bob", filepath.Join(dir, "machines", "bob"))
	after, err := fx.store.Recipients(openssh, "ssh.id_ed25519")
	if err != nil || !slices.Equal(before, after) {
		t.Errorf("recipients changed: %v -> %v (%v)", before, after, err)
	}
	if r, err := fx.store.Check([]Generator{openssh}); err != nil || !r.OK() {
		t.Errorf("check: %v, %v", r, err)
	}
}

func TestDefaultGroups(t *testing.T) {
	fx := newFixture(t)
	s, d := fx.store, fx.dir
	if err := s.AddGroup("admins", nil, []string{"bob"}); err != nil {
		t.Fatal(err)
	}
	g := openssh
	g.Groups = []string{"admins"}
	if err := s.SetSecret(g, "ssh.id_ed25519", []byte("k")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]string{
		"vars/per-machine/m1/openssh/ssh.id_ed25519/groups/admins": "../../../../../../sops/groups/admins",
		"sops/secrets/m1-age.key/groups/admins":                    "../../../groups/admins",
	} {
		if got := readLink(t, filepath.Join(d, p)); got != want {
			t.Errorf("%s -> %s, want %s", p, got, want)
		}
	}
	bob := New(d, "bob", []age.Identity{fx.bob})
	if v, err := bob.Secret(g, "ssh.id_ed25519"); err != nil || string(v) != "k" {
		t.Errorf("bob via the group: %q, %v", v, err)
	}
	if _, err := bob.MachineIdentity("m1"); err != nil {
		t.Errorf("bob cannot open the machine key: %v", err)
	}
	g.Files = g.Files[:1]
	// The default group counts even when its link is gone; Fix restores it.
	os.Remove(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/groups/admins"))
	if r, err := s.Check([]Generator{g}); err != nil || !r.OK() {
		t.Errorf("check: %v, %v", r, err)
	}
	changed, err := s.Fix([]Generator{g})
	if err != nil || len(changed) != 1 {
		t.Errorf("fix: %v, %v", changed, err)
	}
	if _, err := os.Lstat(filepath.Join(d, "vars/per-machine/m1/openssh/ssh.id_ed25519/groups/admins")); err != nil {
		t.Error("Fix did not relink the default group")
	}
	g.Groups = []string{"nope"}
	if err := s.SetSecret(g, "ssh.id_ed25519", []byte("k")); err == nil {
		t.Error("a missing default group was accepted")
	}
}
