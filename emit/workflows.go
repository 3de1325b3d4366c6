package emit

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/nixfleet/fleet/compiler"
	"github.com/nixfleet/fleet/dsl"
)

// The GitHub Actions workflows the emitter writes.
const (
	CIWorkflow     = ".github/workflows/ci.yaml"
	UpdateWorkflow = ".github/workflows/update-flake-inputs.yaml"
)

// The actions the workflows use, pinned to major versions.
const (
	actionCheckout   = "actions/checkout@v5"
	actionSetupGo    = "actions/setup-go@v5"
	actionInstallNix = "cachix/install-nix-action@v31"
	actionCachix     = "cachix/cachix-action@v16"
	actionUpdateLock = "DeterminateSystems/update-flake-lock@v25"
)

// Job names of ci.yaml other than the per-machine builds.
const (
	jobFleetCheck = "fleet-check"
	jobFlakeCheck = "flake-check"
)

// Runner is the GitHub-hosted runner label that builds a system natively, and ok=false for
// a system no hosted runner builds.
func Runner(s dsl.System) (label string, ok bool) {
	switch s {
	case dsl.X86_64Linux:
		return "ubuntu-latest", true
	case dsl.AArch64Linux:
		return "ubuntu-24.04-arm", true
	case dsl.AArch64Darwin:
		return "macos-15", true // arm64
	case "x86_64-darwin":
		return "macos-15-intel", true
	}
	return "", false
}

// BuildJob is the ci.yaml job that builds machine name.
func BuildJob(name string) string { return "build-" + jobIDUnsafe.ReplaceAllString(name, "-") }

// jobIDUnsafe matches what a GitHub job ID may not contain.
var jobIDUnsafe = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// cachixName is a Cachix cache name.
var cachixName = regexp.MustCompile(`^[a-z0-9][-a-z0-9]*$`)

// BuildAttr is the flake attribute that builds machine m: the darwin system or the NixOS
// toplevel.
func BuildAttr(m *compiler.Machine) string {
	if m.Class == dsl.Darwin {
		return "darwinConfigurations." + nixAttrName(m.Name) + ".system"
	}
	return "nixosConfigurations." + nixAttrName(m.Name) + ".config.system.build.toplevel"
}

// nixAttrName quotes an attribute name on the command line when it is not an identifier.
func nixAttrName(s string) string {
	for i, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || i > 0 && (r == '-' || r == '\'' || r >= '0' && r <= '9')) {
			return `"` + s + `"`
		}
	}
	return s
}

// workflows writes the CI workflow (fleet and flake checks, one build job per machine
// pushing to the fleet's Cachix cache) and the weekly flake-input update.
func (e *emitter) workflows() {
	f := e.m.Fleet
	if f.Cachix != "" && !cachixName.MatchString(f.Cachix) {
		e.errorf("%s: Cachix cache name %q: want lower-case letters, digits and hyphens", CIWorkflow, f.Cachix)
		return
	}
	nixSteps := func() []*yaml.Node {
		steps := []*yaml.Node{
			ymap("uses", actionCheckout),
			ymap("uses", actionInstallNix),
		}
		if f.Cachix != "" {
			steps = append(steps, ymap("uses", actionCachix, "with", ymap(
				"name", f.Cachix,
				"authToken", "${{ secrets.CACHIX_AUTH_TOKEN }}")))
		}
		return steps
	}
	jobs := ymap(
		jobFleetCheck, ymap(
			"name", "generated files are up to date",
			"runs-on", "ubuntu-latest",
			"steps", yseq(
				ymap("uses", actionCheckout),
				ymap("uses", actionSetupGo, "with", ymap("go-version-file", "go.mod")),
				ymap("run", "go run ./fleet check"),
			)),
		jobFlakeCheck, ymap(
			"name", "nix flake check",
			"needs", yseq(jobFleetCheck),
			"runs-on", "ubuntu-latest",
			"steps", yseq(append(nixSteps(),
				ymap("run", "nix flake check --accept-flake-config --print-build-logs"))...),
		),
	)
	seen := map[string]string{jobFleetCheck: "", jobFlakeCheck: ""}
	for _, m := range e.m.Machines {
		runner, ok := Runner(m.System)
		if !ok {
			e.errorf("%s: machine %s: no GitHub-hosted runner builds %s", CIWorkflow, m.Name, m.System)
			continue
		}
		id := BuildJob(m.Name)
		if other, dup := seen[id]; dup {
			e.errorf("%s: machines %s and %s would both be built by job %s", CIWorkflow, other, m.Name, id)
			continue
		}
		seen[id] = m.Name
		yadd(jobs, id, ymap(
			"name", fmt.Sprintf("build %s (%s)", m.Name, m.System),
			"needs", yseq(jobFlakeCheck),
			"runs-on", runner,
			"steps", yseq(append(nixSteps(),
				ymap("run", "nix build --accept-flake-config --print-build-logs '.#"+BuildAttr(m)+"'"))...),
		))
	}
	e.yamlFile(CIWorkflow, ymap(
		"name", "CI",
		"on", ymap(
			"push", ymap("branches", yseq("main")),
			"pull_request", yempty(),
			"workflow_dispatch", yempty(),
		),
		"permissions", ymap("contents", "read"),
		"concurrency", ymap(
			"group", "ci-${{ github.ref }}",
			"cancel-in-progress", ybool(true),
		),
		"jobs", jobs,
	))

	token := yscalar("${{ secrets.FLAKE_UPDATE_TOKEN || github.token }}")
	token.LineComment = "pull requests opened with github.token do not start CI; a FLAKE_UPDATE_TOKEN secret (a PAT) does"
	update := ymap(
		"uses", actionUpdateLock,
		"with", ymap(
			"pr-title", "flake.lock: update inputs",
			"pr-labels", "dependencies",
			"commit-msg", "flake.lock: update inputs",
			"token", token,
		))
	e.yamlFile(UpdateWorkflow, ymap(
		"name", "Update flake inputs",
		"on", ymap(
			"schedule", yseq(ymap("cron", "0 4 * * 1")), // Mondays 04:00 UTC
			"workflow_dispatch", yempty(),
		),
		"permissions", ymap("contents", "write", "pull-requests", "write"),
		"jobs", ymap("update-flake-lock", ymap(
			"runs-on", "ubuntu-latest",
			"steps", yseq(
				ymap("uses", actionCheckout),
				ymap("uses", actionInstallNix),
				update,
			),
		)),
	))
}

// yamlFile adds a YAML file to the tree: the generated header, then doc.
func (e *emitter) yamlFile(path string, doc *yaml.Node) {
	if _, dup := e.tree[path]; dup {
		e.errorf("%s: generated twice", path)
		return
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n", Header)
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(doc); err != nil {
		e.errorf("%s: %v", path, err)
		return
	}
	if err := enc.Close(); err != nil {
		e.errorf("%s: %v", path, err)
		return
	}
	e.tree[path] = b.Bytes()
}

// ymap is a block mapping of key, value pairs; a value is a string (a scalar) or a node.
func ymap(kv ...any) *yaml.Node {
	n := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(kv); i += 2 {
		yadd(n, kv[i].(string), kv[i+1])
	}
	return n
}

// yadd appends key: value to mapping n.
func yadd(n *yaml.Node, key string, v any) {
	n.Content = append(n.Content, yscalar(key), ynode(v))
}

// yseq is a block sequence.
func yseq[T any](items ...T) *yaml.Node {
	n := &yaml.Node{Kind: yaml.SequenceNode}
	for _, it := range items {
		n.Content = append(n.Content, ynode(it))
	}
	return n
}

func ynode(v any) *yaml.Node {
	switch v := v.(type) {
	case *yaml.Node:
		return v
	case string:
		return yscalar(v)
	}
	panic(fmt.Sprintf("ynode: %T", v))
}

// yscalar is a string scalar; the encoder quotes it when plain style would read otherwise.
func yscalar(s string) *yaml.Node {
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	return n
}

func ybool(b bool) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(b)}
}

// yempty is an empty flow mapping, {}: an event with no filters.
func yempty() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode, Style: yaml.FlowStyle} }
