package emit

import (
	"bytes"
	"fmt"
	"regexp"

	"github.com/nixfleet/fleet/dsl"
	"go.yaml.in/yaml/v3"
)

// SopsSecretsDir is where the secrets kept by hand with sops live: home-manager user
// secrets under SopsSecretsDir/<user>/*.yaml. clan's own vars (sops/, vars/) need no
// .sops.yaml: clan passes its recipients to sops itself.
const SopsSecretsDir = "secrets/home-manager/users"

// sopsYAML writes .sops.yaml at the root: the age public keys of the users (dsl.AgeKey) as
// anchors, and one creation rule per user whose secrets have a recipient, matching
// SopsSecretsDir/<user>/*.yaml and encrypting to the user's keys and every administrator's.
// Without any age key in the fleet there is nothing to encrypt to and no file.
func (e *emitter) sopsYAML() {
	var anchors []*yaml.Node // the keys: sequence, in user order
	keyNodes := map[*dsl.User][]*yaml.Node{}
	var admins []*yaml.Node
	for _, u := range e.m.Users {
		for i, k := range u.AgeKeys {
			name := sopsAnchor(u.Name)
			if i > 0 {
				name = fmt.Sprintf("%s_%d", name, i+1)
			}
			n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: k, Anchor: name}
			anchors = append(anchors, n)
			keyNodes[u] = append(keyNodes[u], n)
			if u.Admin {
				admins = append(admins, n)
			}
		}
	}
	if len(anchors) == 0 {
		return
	}
	var rules []*yaml.Node
	for _, u := range e.m.Users {
		var recipients []*yaml.Node
		seen := map[*yaml.Node]bool{}
		for _, n := range append(append([]*yaml.Node{}, keyNodes[u]...), admins...) {
			if !seen[n] {
				seen[n] = true
				recipients = append(recipients, &yaml.Node{Kind: yaml.AliasNode, Alias: n, Value: n.Anchor})
			}
		}
		if len(recipients) == 0 {
			continue
		}
		rules = append(rules, yamlMap(
			"path_regex", yamlStr(SopsSecretsDir+"/"+regexp.QuoteMeta(u.Name)+`/[^/]+\.yaml$`),
			"key_groups", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{
				yamlMap("age", &yaml.Node{Kind: yaml.SequenceNode, Content: recipients}),
			}},
		))
	}
	doc := yamlMap(
		"keys", &yaml.Node{Kind: yaml.SequenceNode, Content: anchors},
		"creation_rules", &yaml.Node{Kind: yaml.SequenceNode, Content: rules},
	)
	var buf bytes.Buffer
	buf.WriteString("# " + Header + "\n")
	buf.WriteString("# sops creation rules for the secrets kept by hand: " + SopsSecretsDir + "/<user>/*.yaml,\n")
	buf.WriteString("# encrypted to the user's age keys and the administrators' (dsl.AgeKey). clan's vars\n")
	buf.WriteString("# (sops/, vars/) do not use this file.\n")
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{doc}}); err != nil {
		e.errorf(".sops.yaml: %v", err)
		return
	}
	if err := enc.Close(); err != nil {
		e.errorf(".sops.yaml: %v", err)
		return
	}
	if _, dup := e.tree[".sops.yaml"]; dup {
		e.errorf(".sops.yaml: generated twice")
		return
	}
	e.tree[".sops.yaml"] = buf.Bytes()
}

// sopsAnchor makes a YAML anchor name of a user name: letters, digits, '_' and '-' stay,
// anything else becomes '_'.
func sopsAnchor(user string) string {
	b := []byte(user)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '_'
		}
	}
	return string(b)
}

func yamlStr(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }

// yamlMap builds a mapping from alternating keys and values.
func yamlMap(kv ...any) *yaml.Node {
	m := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i < len(kv); i += 2 {
		m.Content = append(m.Content, yamlStr(kv[i].(string)), kv[i+1].(*yaml.Node))
	}
	return m
}
