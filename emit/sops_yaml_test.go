package emit_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/internal/nixtest"
	"github.com/nixfleet/fleet/sops"
)

// sopsConfig is the part of .sops.yaml that sops reads here.
type sopsConfig struct {
	Keys          []string `yaml:"keys"`
	CreationRules []struct {
		PathRegex string `yaml:"path_regex"`
		KeyGroups []struct {
			Age []string `yaml:"age"`
		} `yaml:"key_groups"`
	} `yaml:"creation_rules"`
}

func newRecipient(t *testing.T) (string, *age.X25519Identity) {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id.Recipient().String(), id
}

// sopsFleet has an admin with two keys, a user with one and a user with none.
func sopsFleet(admin1, admin2, bob string) *dsl.Fleet {
	f := dsl.New("t", dsl.Domain("t.lan"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	alice := f.User("alice", dsl.Administrator(), dsl.AgeKey(admin1, admin2))
	b := f.User("bob", dsl.AgeKey(bob))
	carol := f.User("carol")
	f.NixOS("web", dsl.StateVersion("25.05"), dsl.WithUsers(alice, b, carol))
	return f
}

func TestSopsYAML(t *testing.T) {
	a1, _ := newRecipient(t)
	a2, _ := newRecipient(t)
	b, _ := newRecipient(t)
	tree := emitOK(t, compile(t, sopsFleet(a1, a2, b)))
	data, ok := tree[".sops.yaml"]
	if !ok {
		t.Fatal("no .sops.yaml")
	}
	if !strings.HasPrefix(string(data), "# "+emit.Header+"\n") {
		t.Errorf(".sops.yaml has no generated header:\n%s", data)
	}
	var cfg sopsConfig
	if err := yaml.Unmarshal(data, &cfg); err != nil {
		t.Fatalf(".sops.yaml is not valid YAML: %v\n%s", err, data)
	}
	if diff := cmp.Diff([]string{a1, a2, b}, cfg.Keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	want := map[string][]string{
		"alice": {a1, a2},
		"bob":   {b, a1, a2},
		"carol": {a1, a2}, // no key of her own: the admins'
	}
	if len(cfg.CreationRules) != len(want) {
		t.Fatalf("%d creation rules, want %d:\n%s", len(cfg.CreationRules), len(want), data)
	}
	for i, user := range []string{"alice", "bob", "carol"} {
		r := cfg.CreationRules[i]
		re, err := regexp.Compile(r.PathRegex)
		if err != nil {
			t.Fatalf("rule %d: %v", i, err)
		}
		if p := emit.SopsSecretsDir + "/" + user + "/secrets.yaml"; !re.MatchString(p) {
			t.Errorf("rule %d (%s) does not match %s", i, r.PathRegex, p)
		}
		for _, other := range []string{"alice", "bob", "carol"} {
			if p := emit.SopsSecretsDir + "/" + other + "/x.yaml"; other != user && re.MatchString(p) {
				t.Errorf("rule %d (%s) matches %s", i, r.PathRegex, p)
			}
		}
		if len(r.KeyGroups) != 1 {
			t.Fatalf("rule %d: %d key groups, want 1", i, len(r.KeyGroups))
		}
		if diff := cmp.Diff(want[user], r.KeyGroups[0].Age); diff != "" {
			t.Errorf("rule for %s: recipients (-want +got):\n%s", user, diff)
		}
	}
	// The recipients are aliases of the keys' anchors, not copies.
	if !strings.Contains(string(data), "&alice ") || !strings.Contains(string(data), "*alice") {
		t.Errorf("no anchors and aliases:\n%s", data)
	}
}

func TestSopsYAMLOnlyWithKeys(t *testing.T) {
	f := dsl.New("t", dsl.Domain("t.lan"))
	f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
	f.NixOS("web", dsl.StateVersion("25.05"), dsl.WithUsers(f.User("alice", dsl.Administrator())))
	if data, ok := emitOK(t, compile(t, f))[".sops.yaml"]; ok {
		t.Errorf("a fleet without age keys got a .sops.yaml:\n%s", data)
	}
}

// The real sops binary reads the generated .sops.yaml: a file under bob's directory is
// encrypted to bob and the admin, and the admin's key decrypts it.
func TestSopsYAMLWithSops(t *testing.T) {
	bin := nixtest.Tool(t, "sops")
	a1, adminID := newRecipient(t)
	a2, _ := newRecipient(t)
	b, _ := newRecipient(t)
	tree := emitOK(t, compile(t, sopsFleet(a1, a2, b)))
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, ".sops.yaml"), tree[".sops.yaml"], 0o644); err != nil {
		t.Fatal(err)
	}
	secretDir := filepath.Join(dir, emit.SopsSecretsDir, "bob")
	if err := os.MkdirAll(secretDir, 0o755); err != nil {
		t.Fatal(err)
	}
	plain := filepath.Join(secretDir, "secrets.yaml")
	if err := os.WriteFile(plain, []byte("token: s3cr3t\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "encrypt", "--in-place", filepath.Join(emit.SopsSecretsDir, "bob", "secrets.yaml"))
	cmd.Dir = dir
	cmd.Env = []string{"HOME=" + dir, "PATH=" + os.Getenv("PATH")}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("sops encrypt: %v\n%s", err, out)
	}
	enc, err := os.ReadFile(plain)
	if err != nil {
		t.Fatal(err)
	}
	got, err := sops.Recipients(enc, sops.YAML)
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	wantR := []string{a1, a2, b}
	slices.Sort(wantR)
	if diff := cmp.Diff(wantR, got); diff != "" {
		t.Errorf("recipients sops chose (-want +got):\n%s", diff)
	}
	dec, err := sops.Decrypt(enc, sops.YAML, []age.Identity{adminID})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(dec), "s3cr3t") {
		t.Errorf("decrypted: %s", dec)
	}
}
