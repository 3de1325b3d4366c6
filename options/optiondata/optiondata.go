// Package optiondata holds the option declarations the fleet knows (nixos.json, darwin.json,
// home.json: nixosOptionsDoc's options.json shape) with how far each file is authoritative
// (<class>.meta.json), embedded so the compiler has them without files at run time. DATA.md
// says how each file was made. The bindings in options/nixos, options/darwin and
// options/home are generated from the same files.
package optiondata

import (
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
)

//go:embed nixos.json darwin.json home.json nixos.meta.json darwin.meta.json home.meta.json
var files embed.FS

// Decl is one option as options.json describes it.
type Decl struct {
	Loc          []string        `json:"loc"`
	Type         string          `json:"type"`
	Description  string          `json:"description"`
	Default      json.RawMessage `json:"default,omitempty"`
	Example      json.RawMessage `json:"example,omitempty"`
	Declarations []string        `json:"declarations"`
	ReadOnly     bool            `json:"readOnly"`
}

// Meta says where a data file comes from and for which option prefixes it is complete.
type Meta struct {
	Class  string `json:"class"`
	Source string `json:"source"`
	// Authoritative are the dotted prefixes every option under which is in the data ("" is
	// the whole class). NotAuthoritative are exceptions inside them.
	Authoritative    []string `json:"authoritative"`
	NotAuthoritative []string `json:"notAuthoritative"`
}

// Node is one attribute of the option tree: an option, a set of options, or both (a
// submodule option with declared sub-options).
type Node struct {
	Name     string
	Path     []string
	Option   *Decl
	Type     *Type // parsed Option.Type; nil without Option
	Children map[string]*Node
	// Placeholder is the child standing for any name ("<name>") of an attrsOf submodule.
	Placeholder *Node
}

// Set is the parsed data of one class.
type Set struct {
	Meta  Meta
	Root  *Node
	Count int
}

// ParseOptions reads an options.json document into a tree. Options inside list elements
// ("*" in loc) are left out: a list element is not a settable path.
func ParseOptions(data []byte) (*Node, int, error) {
	var m map[string]*Decl
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, 0, err
	}
	root := &Node{Children: map[string]*Node{}}
	n := 0
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		d := m[k]
		if d == nil {
			continue
		}
		if len(d.Loc) == 0 {
			return nil, 0, fmt.Errorf("option %q has no loc", k)
		}
		if slices.Contains(d.Loc, "*") || d.Loc[0] == "_module" {
			continue
		}
		node := root
		for i, part := range d.Loc {
			if IsPlaceholder(part) {
				if node.Placeholder == nil {
					node.Placeholder = &Node{Name: part, Path: slices.Clone(d.Loc[:i+1]), Children: map[string]*Node{}}
				}
				node = node.Placeholder
				continue
			}
			c := node.Children[part]
			if c == nil {
				c = &Node{Name: part, Path: slices.Clone(d.Loc[:i+1]), Children: map[string]*Node{}}
				node.Children[part] = c
			}
			node = c
		}
		node.Option = d
		node.Type = ParseType(d.Type)
		n++
	}
	return root, n, nil
}

// IsPlaceholder reports whether a loc element stands for any attribute name ("<name>").
func IsPlaceholder(part string) bool {
	return len(part) > 2 && part[0] == '<' && part[len(part)-1] == '>'
}

// ChildNames returns the node's children's names, sorted.
func (n *Node) ChildNames() []string {
	out := make([]string, 0, len(n.Children))
	for k := range n.Children {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var (
	once   sync.Once
	sets   map[string]*Set
	setErr error
)

// Classes maps the dsl class names to the data files' base names.
var Classes = map[string]string{"nixos": "nixos", "darwin": "darwin", "homeManager": "home"}

// Load returns the embedded data of a class ("nixos", "darwin", "homeManager"), parsed once.
func Load(class string) (*Set, error) {
	once.Do(func() {
		sets = map[string]*Set{}
		for c, base := range Classes {
			data, err := files.ReadFile(base + ".json")
			if err != nil {
				setErr = err
				return
			}
			root, n, err := ParseOptions(data)
			if err != nil {
				setErr = fmt.Errorf("%s.json: %w", base, err)
				return
			}
			s := &Set{Root: root, Count: n}
			meta, err := files.ReadFile(base + ".meta.json")
			if err != nil {
				setErr = err
				return
			}
			if err := json.Unmarshal(meta, &s.Meta); err != nil {
				setErr = fmt.Errorf("%s.meta.json: %w", base, err)
				return
			}
			sets[c] = s
		}
	})
	if setErr != nil {
		return nil, setErr
	}
	s, ok := sets[class]
	if !ok {
		return nil, fmt.Errorf("no option data for class %q", class)
	}
	return s, nil
}

// Authoritative reports whether the data declares every option under path, so a path it
// does not know is a mistake rather than an option the data leaves out.
func (s *Set) Authoritative(path []string) bool {
	under := func(prefix string) bool {
		if prefix == "" {
			return true
		}
		p := strings.Split(prefix, ".")
		return len(path) >= len(p) && slices.Equal(path[:len(p)], p)
	}
	if slices.ContainsFunc(s.Meta.NotAuthoritative, under) {
		return false
	}
	return slices.ContainsFunc(s.Meta.Authoritative, under)
}
