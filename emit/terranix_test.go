package emit_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/emit"
	"github.com/nixfleet/fleet/filetree"
	"github.com/nixfleet/fleet/golden/fleets"
	"github.com/nixfleet/fleet/internal/nixtest"
)

const (
	hetznerNix = emit.ModulesDir + "/terranix/hetzner.nix"
	baseNix    = emit.ModulesDir + "/terranix/base.nix"
)

// upstreamTrees returns the terranix and nixpkgs-lib source trees when the environment
// names them (TERRANIX or NIXEVAL_INPUTS's terranix=…, and NIXPKGS_LIB, as
// /work/fleet-inputs.env sets them), else "".
func upstreamTrees() (terranix, lib string) {
	terranix = os.Getenv("TERRANIX")
	for _, kv := range strings.Fields(os.Getenv("NIXEVAL_INPUTS")) {
		if v, ok := strings.CutPrefix(kv, "terranix="); ok && terranix == "" {
			terranix = v
		}
	}
	lib = os.Getenv("NIXPKGS_LIB")
	for _, p := range []string{filepath.Join(terranix, "core", "default.nix"), filepath.Join(lib, "lib", "default.nix")} {
		if _, err := os.Stat(p); err != nil {
			return "", ""
		}
	}
	return terranix, lib
}

// evalTerranix evaluates the terranix module flake.modules.terranix.<name> defined by the
// emitted file and returns the Terraform JSON it produces. With the upstream trees it runs
// terranix's own core (its options and the resource functors that make references);
// without them it calls the module with a config whose resources are those functors, tied
// back to the module's own resource names.
func evalTerranix(t *testing.T, nix string, tree filetree.Tree, path, name string) map[string]any {
	t.Helper()
	src, ok := tree[path]
	if !ok {
		t.Fatalf("%s: not emitted", path)
	}
	mod := "(\n" + string(src) + "\n).flake.modules.terranix." + name
	// A stand-in for the two nixpkgs functions the base module uses.
	stubPkgs := `jq = { type = "derivation"; name = "jq"; outPath = "/nix/store/jq"; };
    writeShellApplication = a: { type = "derivation"; inherit (a) name; outPath = "/nix/store/x-" + a.name; meta.mainProgram = a.name; };`
	var expr string
	if terranix, lib := upstreamTrees(); terranix != "" {
		t.Logf("evaluating %s with terranix %s", path, terranix)
		expr = `let
  lib = import ` + lib + `/lib;
  pkgs = { inherit lib; ` + stubPkgs + ` };
in (import ` + terranix + `/core/default.nix { inherit pkgs; modules = [ ` + mod + ` ]; }).config`
	} else {
		expr = `let
  pkgs = { ` + stubPkgs + ` };
  lib.getExe = d: "${d.outPath}/bin/${d.meta.mainProgram}";
  out = ` + mod + ` { inherit config lib pkgs; };
  refs = prefix: builtins.mapAttrs (type: builtins.mapAttrs (label: _: attr: "\${${prefix}${type}.${label}.${attr}}"));
  config = { resource = refs "" (out.resource or { }); data = refs "data." (out.data or { }); };
in out`
	}
	out, err := nixtest.Eval(nix, []byte(expr))
	if err != nil {
		t.Fatalf("%s does not evaluate: %v", path, err)
	}
	var v map[string]any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func hosted(m *compiler.Model) []*compiler.Machine {
	var out []*compiler.Machine
	for _, mc := range m.Machines {
		if mc.Hosting != nil {
			out = append(out, mc)
		}
	}
	return out
}

// TestTerranixServers evaluates the emitted hetzner module of every golden fleet: its
// servers are exactly the fleet's hosted machines, with their type, location and image,
// each has an install step that targets that server's address with the deploy key, and
// the base module reads the API token through the data source.
func TestTerranixServers(t *testing.T) {
	nix := nixtest.Require(t)
	tested := 0
	for _, fl := range fleets.All {
		t.Run(fl.Name, func(t *testing.T) {
			m := compile(t, fl.Build())
			tree := emitOK(t, m)
			hs := hosted(m)
			if len(hs) == 0 {
				for _, p := range tree.Paths() {
					if strings.Contains(p, "/terranix/") {
						t.Errorf("%s emitted for a fleet without hosted machines", p)
					}
				}
				if strings.Contains(string(tree["flake.nix"]), "terranix") {
					t.Error("flake.nix has a terranix input but no machine is hosted")
				}
				return
			}
			tested++
			if !strings.Contains(string(tree["flake.nix"]), `url = "github:terranix/terranix"`) {
				t.Error("flake.nix has no terranix input")
			}
			res, _ := evalTerranix(t, nix, tree, hetznerNix, "hetzner")["resource"].(map[string]any)
			want := map[string]any{}
			wantInstall := map[string]any{}
			for _, h := range hs {
				want[h.Name] = map[string]any{
					"name": h.Name, "server_type": h.Hosting.ServerType, "location": h.Hosting.Location, "image": h.Hosting.Image,
					"ssh_keys": []any{"${hcloud_ssh_key.terraform.id}"},
				}
				wantInstall["install-"+h.Name] = map[string]any{"provisioner": map[string]any{"local-exec": map[string]any{
					"command": "clan machines install " + h.Name + " --update-hardware-config nixos-facter --target-host root@${hcloud_server." + h.Name +
						".ipv4_address} -i '${local_sensitive_file.ssh_deploy_key.filename}' --yes",
				}}}
			}
			if d := cmp.Diff(want, res["hcloud_server"]); d != "" {
				t.Errorf("hcloud_server (-fleet +nix):\n%s", d)
			}
			if d := cmp.Diff(wantInstall, res["null_resource"]); d != "" {
				t.Errorf("null_resource (-fleet +nix):\n%s", d)
			}
			key := map[string]any{"ssh_deploy_key": map[string]any{
				"content": "${tls_private_key.ssh_deploy_key.private_key_openssh}", "file_permission": "0600",
				"filename": "${path.module}/.terraform-deploy-key",
			}}
			if d := cmp.Diff(key, res["local_sensitive_file"]); d != "" {
				t.Errorf("local_sensitive_file (-want +nix):\n%s", d)
			}
			base := evalTerranix(t, nix, tree, baseNix, "base")
			if got := base["provider"]; !cmp.Equal(got, map[string]any{"hcloud": map[string]any{"token": "${data.external.hetzner-api-token.result.secret}"}}) {
				t.Errorf("provider = %v", got)
			}
			providers, _ := base["terraform"].(map[string]any)["required_providers"].(map[string]any)
			for _, p := range []string{"hcloud", "external", "local", "null", "tls"} {
				if _, ok := providers[p]; !ok {
					t.Errorf("required_providers has no %s: %v", p, providers)
				}
			}
		})
	}
	if tested == 0 {
		t.Error("no golden fleet has hosted machines")
	}
}

// A fleet's terranix output follows its hosting declarations: adding a second hosted
// machine adds its server, and a fleet with none gets no terranix at all (no input, no
// modules, no wrapper in the dev shell).
func TestTerranixFollowsHosting(t *testing.T) {
	build := func(hostedNames ...string) filetree.Tree {
		f := dsl.New("t")
		f.Channel(dsl.UnstableChannel, "github:NixOS/nixpkgs/nixos-unstable")
		for _, n := range []string{"a", "b", "c"} {
			var opts []dsl.NixOSOption
			if slices.Contains(hostedNames, n) {
				opts = append(opts, dsl.HostedOn(dsl.Hosting{Provider: "hetzner", ServerType: "cx22", Location: "nbg1", Image: "debian-12"}))
			}
			f.NixOS(n, append(opts, dsl.StateVersion("25.11"))...)
		}
		return emitOK(t, compile(t, f))
	}
	none := build()
	if strings.Contains(string(none["flake.nix"]), "terranix") || strings.Contains(string(none[emit.ModulesDir+"/dev-shell.nix"]), "terranix") {
		t.Error("a fleet without hosted machines mentions terranix")
	}
	two := string(build("a", "c")[hetznerNix])
	for _, s := range []string{`a = {`, `c = {`, `install-a.provisioner`, `install-c.provisioner`} {
		if !strings.Contains(two, s) {
			t.Errorf("hetzner.nix lacks %q:\n%s", s, two)
		}
	}
	if strings.Contains(two, `b = {`) || strings.Contains(two, "install-b") {
		t.Errorf("hetzner.nix has the unhosted machine b:\n%s", two)
	}
}
