package sops

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// YAML store: each document must be a mapping; comments become comment
// items (head and foot comments as lines of their own, line comments marked
// inline) so they can be encrypted and put back where sops puts them.
// Output uses go.yaml.in/yaml/v3 with a 4-space indent, the library and
// setting sops uses, and scalars and keys are encoded through yaml.Node's
// Encode, which picks the same quoting and block styles sops gets.

const yamlIndent = 4

func loadYAML(in []byte) ([]branch, error) {
	if len(in) > 0 {
		// Decoding into a map is what rejects duplicate keys, as in sops.
		if err := yaml.NewDecoder(bytes.NewReader(in)).Decode(make(map[string]any)); err != nil && err != io.EOF {
			return nil, fmt.Errorf("sops: parsing YAML: %w", err)
		}
	}
	var docs []branch
	dec := yaml.NewDecoder(bytes.NewReader(in))
	for {
		var n yaml.Node
		err := dec.Decode(&n)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("sops: parsing YAML: %w", err)
		}
		b, err := yamlToBranch(&n, branch{}, false)
		if err != nil {
			return nil, fmt.Errorf("sops: parsing YAML: %w", err)
		}
		docs = append(docs, b)
	}
	return docs, nil
}

// commentLines splits a yaml.Node comment into lines without their '#'.
func commentLines(text string, inline bool) []comment {
	var out []comment
	for _, l := range strings.Split(text, "\n") {
		if l != "" {
			out = append(out, comment{text: l[1:], inline: inline})
		}
	}
	return out
}

func addComments(b branch, text string, inline bool) branch {
	for _, c := range commentLines(text, inline) {
		b = append(b, item{key: c})
	}
	return b
}

func addListComments(l []any, text string, inline bool) []any {
	for _, c := range commentLines(text, inline) {
		l = append(l, c)
	}
	return l
}

func yamlToBranch(n *yaml.Node, b branch, handled bool) (branch, error) {
	if !handled {
		b = addComments(b, n.HeadComment, false)
		b = addComments(b, n.LineComment, false)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			var err error
			if b, err = yamlToBranch(c, b, false); err != nil {
				return nil, err
			}
		}
	case yaml.SequenceNode:
		return nil, errors.New("YAML documents that are sequences are not supported")
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			b = addComments(b, k.HeadComment, false)
			b = addComments(b, k.LineComment, false)
			scalar := v.Kind == yaml.ScalarNode || v.Kind == yaml.AliasNode
			if scalar {
				b = addComments(b, v.HeadComment, false)
				b = addComments(b, v.LineComment, true)
			}
			var key any
			if err := k.Decode(&key); err != nil {
				return nil, err
			}
			ks, ok := key.(string)
			if !ok {
				return nil, fmt.Errorf("line %d: key %v is a %T; only string keys are supported", k.Line, key, key)
			}
			val, err := yamlToValue(v, scalar)
			if err != nil {
				return nil, err
			}
			b = append(b, item{key: ks, value: val})
			if scalar {
				b = addComments(b, v.FootComment, false)
			}
			b = addComments(b, k.FootComment, false)
		}
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return b, nil
		}
		return nil, errors.New("YAML documents that are values are not supported")
	case yaml.AliasNode:
		var err error
		if b, err = yamlToBranch(n.Alias, b, false); err != nil {
			return nil, err
		}
	}
	if !handled {
		b = addComments(b, n.FootComment, false)
	}
	return b, nil
}

func yamlToValue(n *yaml.Node, handled bool) (any, error) {
	switch n.Kind {
	case yaml.SequenceNode:
		l := []any{}
		if !handled {
			l = addListComments(l, n.HeadComment, false)
			l = addListComments(l, n.LineComment, false)
		}
		for _, e := range n.Content {
			l = addListComments(l, e.HeadComment, false)
			l = addListComments(l, e.LineComment, true)
			v, err := yamlToValue(e, true)
			if err != nil {
				return nil, err
			}
			l = append(l, v)
			l = addListComments(l, e.FootComment, false)
		}
		if !handled {
			l = addListComments(l, n.FootComment, false)
		}
		return l, nil
	case yaml.MappingNode:
		return yamlToBranch(n, branch{}, handled)
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return nil, err
		}
		return v, nil
	case yaml.AliasNode:
		return yamlToValue(n.Alias, false)
	}
	return nil, nil
}

func emitYAML(docs []branch) ([]byte, error) {
	var buf bytes.Buffer
	e := yaml.NewEncoder(&buf)
	e.SetIndent(yamlIndent)
	for _, d := range docs {
		m := &yaml.Node{Kind: yaml.MappingNode}
		if err := branchToYAML(d, m); err != nil {
			return nil, err
		}
		doc := &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{m}}
		if err := e.Encode(doc); err != nil {
			return nil, fmt.Errorf("sops: writing YAML: %w", err)
		}
	}
	if err := e.Close(); err != nil {
		return nil, fmt.Errorf("sops: writing YAML: %w", err)
	}
	return buf.Bytes(), nil
}

// joinComments renders comment lines in yaml.Node form.
func joinComments(cs []string) string { return "#" + strings.Join(cs, "\n#") }

func prependHead(n *yaml.Node, cs []string) {
	if len(cs) == 0 {
		return
	}
	if n.HeadComment != "" {
		n.HeadComment = joinComments(cs) + "\n" + n.HeadComment
	} else {
		n.HeadComment = joinComments(cs)
	}
}

func appendFoot(n *yaml.Node, cs []string) {
	if len(cs) == 0 {
		return
	}
	if n.FootComment != "" {
		n.FootComment += "\n" + joinComments(cs)
	} else {
		n.FootComment = joinComments(cs)
	}
}

func appendLine(n *yaml.Node, cs []string) {
	if len(cs) == 0 {
		return
	}
	if n.LineComment != "" {
		n.LineComment += "\n" + joinComments(cs)
	} else {
		n.LineComment = joinComments(cs)
	}
}

// branchToYAML fills mapping m. Pending head comments go before the next
// key, pending inline comments after the next value; comments left at the
// end become the foot of the last key (or the head of an empty mapping).
func branchToYAML(b branch, m *yaml.Node) error {
	var head, inline []string
	first := true
	for _, it := range b {
		if c, ok := it.key.(comment); ok {
			if c.inline {
				inline = append(inline, c.text)
			} else {
				head = append(head, c.text)
			}
			continue
		}
		if first {
			prependHead(m, head)
			head, first = nil, false
		}
		k := &yaml.Node{}
		if err := k.Encode(it.key); err != nil {
			return fmt.Errorf("sops: writing YAML key %v: %w", it.key, err)
		}
		prependHead(k, head)
		head = nil
		v, err := valueToYAML(it.value)
		if err != nil {
			return err
		}
		appendLine(v, inline)
		inline = nil
		m.Content = append(m.Content, k, v)
	}
	head = append(head, inline...)
	if first {
		prependHead(m, head)
	} else {
		appendFoot(m.Content[len(m.Content)-2], head)
	}
	return nil
}

func listToYAML(l []any, s *yaml.Node) error {
	var head, inline []string
	first := true
	for _, e := range l {
		if c, ok := e.(comment); ok {
			if c.inline {
				inline = append(inline, c.text)
			} else {
				head = append(head, c.text)
			}
			continue
		}
		if first {
			prependHead(s, head)
			head, first = nil, false
		}
		n, err := valueToYAML(e)
		if err != nil {
			return err
		}
		prependHead(n, head)
		appendLine(n, inline)
		head, inline = nil, nil
		s.Content = append(s.Content, n)
	}
	head = append(head, inline...)
	if first {
		prependHead(s, head)
	} else {
		appendFoot(s.Content[len(s.Content)-1], head)
	}
	return nil
}

func valueToYAML(v any) (*yaml.Node, error) {
	switch v := v.(type) {
	case branch:
		m := &yaml.Node{Kind: yaml.MappingNode}
		return m, branchToYAML(v, m)
	case []any:
		s := &yaml.Node{Kind: yaml.SequenceNode}
		return s, listToYAML(v, s)
	}
	n := &yaml.Node{}
	if err := n.Encode(v); err != nil {
		return nil, fmt.Errorf("sops: writing YAML value: %w", err)
	}
	return n, nil
}
