package main

import (
	"bufio"
	"bytes"
	"fmt"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/options/optiondata"
)

// ParsePrefixes reads a bindings prefix file: one dotted option prefix a line ("programs.git",
// "users.users.<name>.uid"), blank lines and "#" comments ignored. A prefix selects the
// option at that path and every option below it.
func ParsePrefixes(data []byte) ([][]string, error) {
	var out [][]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("line %d: %q is not one dotted prefix", n, line)
		}
		parts := strings.Split(line, ".")
		if slices.Contains(parts, "") {
			return nil, fmt.Errorf("line %d: %q has an empty component", n, line)
		}
		out = append(out, parts)
	}
	return out, sc.Err()
}

// Prune keeps the options under one of the prefixes (and the attribute sets leading to
// them) and drops the rest of the tree in place. It returns how many options it kept and
// the prefixes that selected no option, so a stale prefix file is noticed.
func Prune(root *optiondata.Node, prefixes [][]string) (kept int, unused []string) {
	used := make([]bool, len(prefixes))
	var walk func(n *optiondata.Node) bool
	walk = func(n *optiondata.Node) bool {
		keep := false
		if n.Option != nil {
			for i, p := range prefixes {
				if len(n.Path) >= len(p) && slices.Equal(n.Path[:len(p)], p) {
					used[i] = true
					keep = true
				}
			}
			if keep {
				kept++
			} else {
				// An attribute set on the way to kept options: structure only, no setters.
				n.Option, n.Type = nil, nil
			}
		}
		for name, c := range n.Children {
			if walk(c) {
				keep = true
			} else {
				delete(n.Children, name)
			}
		}
		if n.Placeholder != nil {
			if walk(n.Placeholder) {
				keep = true
			} else {
				n.Placeholder = nil
			}
		}
		return keep
	}
	walk(root)
	for i, u := range used {
		if !u {
			unused = append(unused, strings.Join(prefixes[i], "."))
		}
	}
	return kept, unused
}
