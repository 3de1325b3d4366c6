package emit

import (
	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/emit/nix"
)

// TerraformWorkdir is where the OpenTofu wrapper keeps its state (encrypted) and working
// files, relative to the repository root.
const TerraformWorkdir = "terraform"

// terranixInput is the flake input the infrastructure modules need.
func terranixInput() flakeInput {
	return flakeInput{name: "terranix", url: "github:terranix/terranix", follows: [][2]string{
		{"nixpkgs", "nixpkgs"}, {"flake-parts", "flake-parts"},
	}}
}

// hostedMachines are the machines the terranix configuration creates servers for, in
// fleet order: every machine hosted on Hetzner Cloud (the compiler admits no other
// provider).
func (e *emitter) hostedMachines() []*compiler.Machine {
	var out []*compiler.Machine
	for _, m := range e.m.Machines {
		if m.Hosting != nil && m.Hosting.Provider == "hetzner" {
			out = append(out, m)
		}
	}
	return out
}

// terranix writes the infrastructure: terranix's flake module, the terranix modules
// flake.modules.terranix.base (providers and the API token) and .hetzner (one server per
// hosted machine, installed with clan), and the OpenTofu wrapper with encrypted state,
// exported as packages.<system>.terraform and devShells.<system>.terraform. Nothing is
// written for a fleet without hosted machines.
func (e *emitter) terranix() {
	hosted := e.hostedMachines()
	if len(hosted) == 0 {
		return
	}
	e.terranixFlakeModule()
	e.terranixBase()
	e.terranixHetzner(hosted)
	e.terranixConfig()
}

func (e *emitter) terranixFlakeModule() {
	outer := newScope(nil, "")
	b := newBody(e, "terranix/flake-module.nix")
	b.bind([]string{"imports"}, nix.List(nix.Select(outer.id("inputs"), "terranix", "flakeModule")), nil)
	e.module("terranix/flake-module.nix", outer.fn(b.attrs()))
}

// terranixBase: the providers (no version constraints: the versions are the ones of the
// nixpkgs plugins the wrapper is built with) and the Hetzner API token, read by a data
// source at plan/apply time with `clan secrets get`, so it is never in the Nix store.
func (e *emitter) terranixBase() {
	const rel = "terranix/base.nix"
	tf := newScope(nil, "") // the terranix module's arguments
	pkgs, lib, config := tf.id("pkgs"), tf.id("lib"), tf.id("config")
	providers := []nix.Binding{}
	for _, p := range [][2]string{
		{"hcloud", "hetznercloud/hcloud"},
		{"external", "hashicorp/external"},
		{"local", "hashicorp/local"},
		{"null", "hashicorp/null"},
		{"tls", "hashicorp/tls"},
	} {
		providers = append(providers, nix.Bind([]string{p[0], "source"}, nix.Str(p[1])))
	}
	getToken := nix.Apply(nix.Select(pkgs, "writeShellApplication"), nix.Attrs(
		strBind("name", "get-hetzner-api-token"),
		nix.Bind([]string{"runtimeInputs"}, nix.List(nix.Select(pkgs, "jq"))),
		// the clan CLI comes from the wrapper's PATH (terraformWrapper.extraRuntimeInputs)
		nix.Bind([]string{"text"}, nix.IndentedStr(
			`jq -n --arg secret "$(clan secrets get hetzner-api-token)" '{"secret":$secret}'`+"\n")),
	))
	b := newBody(e, rel)
	b.bind([]string{"terraform", "required_providers"}, nix.Attrs(providers...), nil)
	b.bind([]string{"variable", "passphrase"}, nix.Attrs(
		strBind("description", "State encryption passphrase; the wrapper sets it from `clan secrets get tf-passphrase`."),
	), nil)
	b.bind([]string{"data", "external", "hetzner-api-token", "program"},
		nix.List(nix.Apply(nix.Select(lib, "getExe"), getToken)), nil,
		"The token is read when OpenTofu runs, from clan's secrets, and never enters the Nix store.")
	b.bind([]string{"provider", "hcloud", "token"},
		nix.Apply(nix.Select(config, "data", "external", "hetzner-api-token"), nix.Str("result.secret")), nil)
	top := newBody(e, rel)
	top.bind([]string{"flake", "modules", "terranix", "base"}, tf.fn(b.attrs()), nil)
	e.module(rel, top.attrs())
}

// terranixHetzner: a deploy key made by OpenTofu (its private half in a 0600 file beside
// the state, for the installer), one hcloud_server per hosted machine and a null_resource
// per machine that installs NixOS on it with `clan machines install` once it exists.
func (e *emitter) terranixHetzner(hosted []*compiler.Machine) {
	const rel = "terranix/hetzner.nix"
	tf := newScope(nil, "")
	config := tf.id("config")
	res := func(keys ...string) nix.Expr { return nix.Select(config, append([]string{"resource"}, keys...)...) }
	// ref is a Terraform reference through terranix's resource functor: "${type.label.attr}".
	ref := func(typ, label, attr string) nix.Expr { return nix.Apply(res(typ, label), nix.Str(attr)) }
	b := newBody(e, rel)
	b.bind([]string{"resource", "tls_private_key", "ssh_deploy_key", "algorithm"}, nix.Str("ED25519"), nil)
	b.bind([]string{"resource", "local_sensitive_file", "ssh_deploy_key"}, nix.Attrs(
		strBind("filename", "${path.module}/.terraform-deploy-key"),
		strBind("file_permission", "0600"),
		nix.Bind([]string{"content"}, ref("tls_private_key", "ssh_deploy_key", "private_key_openssh")),
	), nil)
	b.bind([]string{"resource", "hcloud_ssh_key", "terraform"}, nix.Attrs(
		strBind("name", e.m.Fleet.Name+"-terraform-deploy"),
		nix.Bind([]string{"public_key"}, ref("tls_private_key", "ssh_deploy_key", "public_key_openssh")),
	), nil)
	var servers, installs []nix.Binding
	for _, m := range hosted {
		h := m.Hosting
		servers = append(servers, nix.Bind([]string{m.Name}, nix.Attrs(
			strBind("name", m.Name),
			strBind("server_type", h.ServerType),
			strBind("location", h.Location),
			strBind("image", h.Image),
			nix.Bind([]string{"ssh_keys"}, nix.List(ref("hcloud_ssh_key", "terraform", "id"))),
		)))
		cmd := nix.Interp(
			nix.Text("clan machines install "+m.Name+" --update-hardware-config nixos-facter --target-host root@"),
			nix.Splice(ref("hcloud_server", m.Name, "ipv4_address")),
			nix.Text(" -i '"),
			nix.Splice(ref("local_sensitive_file", "ssh_deploy_key", "filename")),
			nix.Text("' --yes"),
		)
		installs = append(installs, nix.Bind([]string{"install-" + m.Name, "provisioner", "local-exec", "command"}, cmd))
	}
	b.bind([]string{"resource", "hcloud_server"}, nix.Attrs(servers...), nil)
	b.bind([]string{"resource", "null_resource"}, nix.Attrs(installs...), nil,
		"Installs NixOS on the new server (kexec from its image) with the machine's disko layout.")
	top := newBody(e, rel)
	top.bind([]string{"flake", "modules", "terranix", "hetzner"}, tf.fn(b.attrs()), nil)
	e.module(rel, top.attrs())
}

// tfEncryption is OpenTofu's state encryption: a key derived from var.passphrase with
// PBKDF2, AES-GCM, and encryption enforced (an unencrypted state is an error).
// The HCL is not indented: leading blanks would only clutter the Nix string with escapes.
const tfEncryption = `key_provider "pbkdf2" "state_encryption_password" {
passphrase = var.passphrase
}
method "aes_gcm" "encryption_method" {
keys = key_provider.pbkdf2.state_encryption_password
}
state {
enforced = true
method = method.aes_gcm.encryption_method
}
`

// terranixConfig: the terranix configuration "terraform" run by an OpenTofu wrapper that
// fetches the state passphrase from clan's secrets. terranix's flake module exports it as
// packages.<system>.terraform (nix run .#terraform -- plan) and devShells.<system>.terraform.
func (e *emitter) terranixConfig() {
	const rel = "terranix/config.nix"
	outer := newScope(nil, "")
	inner := newScope(outer, "")
	pkgs := inner.id("pkgs")
	tfMods := nix.Select(outer.id("config"), "flake", "modules", "terranix")
	plugins := nix.Lambda(nix.Arg("p"), nix.List(
		sel("p", "hashicorp_external"), sel("p", "hashicorp_local"), sel("p", "hashicorp_null"),
		sel("p", "hashicorp_tls"), sel("p", "hetznercloud_hcloud"),
	))
	prefix := "TF_VAR_passphrase=$(clan secrets get tf-passphrase)\n" +
		"export TF_VAR_passphrase\n" +
		"TF_ENCRYPTION=$(cat <<'EOF'\n" + tfEncryption + "EOF\n)\n" +
		"# shellcheck disable=SC2090\n" +
		"export TF_ENCRYPTION\n"
	cfg := nix.Attrs(
		strBind("workdir", TerraformWorkdir),
		nix.Bind([]string{"modules"}, nix.List(nix.Select(tfMods, "base"), nix.Select(tfMods, "hetzner"))),
		nix.Bind([]string{"terraformWrapper", "package"}, nix.Apply(nix.Select(pkgs, "opentofu", "withPlugins"), plugins)),
		nix.Bind([]string{"terraformWrapper", "extraRuntimeInputs"}, nix.List(clanCLI(inner))),
		nix.Bind([]string{"terraformWrapper", "prefixText"}, nix.IndentedStr(prefix)),
	)
	b := newBody(e, rel)
	b.bind([]string{"perSystem"}, inner.fn(nix.Attrs(
		nix.Bind([]string{"terranix", "terranixConfigurations", "terraform"}, cfg),
		nix.Bind([]string{"terranix", "exportDevShells"}, nix.Bool(true)),
	)), nil)
	e.module(rel, outer.fn(b.attrs()))
}

// clanCLI is the clan command-line tool from the clan-core input, in a perSystem module.
func clanCLI(s *scope) nix.Expr {
	return nix.Select(s.id("inputs'"), "clan-core", "packages", "clan-cli")
}
