package compiler

import (
	"fmt"
	"slices"
	"strings"

	"github.com/nixfleet/fleet/dsl"
	"github.com/nixfleet/fleet/options/optiondata"
)

// checkOptionPaths checks every setting of the features and machine modules against the
// option data (package options/optiondata): a path the data does not declare is an error
// with a did-you-mean, and a value of the wrong type is an error naming the option's type.
// The data covers a subset of the options, so a path is flagged as unknown only where the
// data is authoritative for it (optiondata.Set.Authoritative: the class's meta file lists
// the prefixes whose options were all extracted — the whole class for nix-darwin and
// home-manager, which were evaluated from their full module lists; for NixOS, the prefixes
// options/optiondata/nixos.meta.json lists, or all of it after `just options-regen`). Below an option whose type takes arbitrary
// attributes (an open/freeform submodule, attribute set of ..., anything) a path is a value
// inside the option and is checked against the element type as far as it is known.
func (cc *compilation) checkOptionPaths() {
	for _, ft := range cc.model.Features {
		for _, p := range ft.Parts() {
			cc.checkItemOptions(p.Class, p.Items)
		}
	}
	for _, m := range cc.model.Machines {
		cc.checkItemOptions(m.Class, m.Config)
	}
}

func (cc *compilation) checkItemOptions(class dsl.Class, items []dsl.Item) {
	set, err := optiondata.Load(string(class))
	if err != nil {
		return // no data for the class: nothing to check against
	}
	for _, it := range items {
		if s, ok := dsl.SettingOf(it); ok {
			for _, p := range checkOptionSetting(set, s.Path, s.Value) {
				d := cc.r.errorf(s.Pos, "%s", p.msg)
				d.Hint = p.hint
			}
		}
	}
}

// optionProblem is one finding of checkOptionSetting.
type optionProblem struct{ msg, hint string }

// checkOptionSetting checks one setting against a class's option data.
func checkOptionSetting(set *optiondata.Set, path []string, v dsl.Value) []optionProblem {
	var out []optionProblem
	class := set.Meta.Class
	node := set.Root
	for i, part := range path {
		if c, ok := node.Children[part]; ok {
			node = c
			continue
		}
		if node.Placeholder != nil {
			node = node.Placeholder
			continue
		}
		if node.Option != nil && node.Type != nil && opensBelow(node.Type) {
			// Not a declared sub-option: the rest of the path is a value inside this option.
			return checkValue(out, strings.Join(path, "."), elemBelow(node.Type, len(path)-i), v)
		}
		if !set.Authoritative(path[:i+1]) || node.Option != nil && node.Type == nil {
			return out
		}
		p := optionProblem{msg: fmt.Sprintf("unknown %s option %s", class, strings.Join(path, "."))}
		if s := suggest(part, node.ChildNames()); s != "" {
			fixed := slices.Clone(path[:i+1])
			fixed[i] = s
			p.hint = fmt.Sprintf("did you mean %q?", strings.Join(fixed, "."))
		} else if i > 0 {
			p.hint = fmt.Sprintf("%s has no attribute %q", strings.Join(path[:i], "."), part)
		}
		return append(out, p)
	}
	name := strings.Join(path, ".")
	if node.Option == nil {
		// A set of options given as one attribute set: check each attribute as a path.
		if o, ok := v.Underlying().(*dsl.Object); ok {
			for _, k := range o.Keys {
				out = append(out, checkOptionSetting(set, append(slices.Clone(path), k), o.Values[k])...)
			}
		}
		return out
	}
	if node.Option.ReadOnly {
		out = append(out, optionProblem{msg: fmt.Sprintf("%s option %s is read-only", class, name)})
	}
	return checkValue(out, name, node.Type, v)
}

// opensBelow reports whether paths may continue below an option of type t.
func opensBelow(t *optiondata.Type) bool {
	return t.Kind == optiondata.Any || t.Kind == optiondata.Attrs || t.Kind == optiondata.Submodule && t.Open
}

// elemBelow is the type of a value depth attributes below an option of type t.
func elemBelow(t *optiondata.Type, depth int) *optiondata.Type {
	for ; depth > 0; depth-- {
		if t.Kind != optiondata.Attrs || t.Elem == nil {
			return &optiondata.Type{Kind: optiondata.Any}
		}
		t = t.Elem
	}
	return t
}

// checkValue checks a value against an option type, as far as the type is known.
func checkValue(out []optionProblem, name string, t *optiondata.Type, v dsl.Value) []optionProblem {
	if t == nil || t.Kind == optiondata.Any {
		return out
	}
	bad := func(got string) []optionProblem {
		return append(out, optionProblem{
			msg:  fmt.Sprintf("option %s is of type %s, not %s", name, t.Text, got),
			hint: "",
		})
	}
	switch x := v.Underlying().(type) {
	case nil:
		if !t.Nullable {
			return bad("null")
		}
	case dsl.RawNix, dsl.InputRef:
		// Nix-side values: unchecked.
	case dsl.SecretRef:
		if t.Kind != optiondata.String && t.Kind != optiondata.Path {
			return bad("a secret's path")
		}
	case dsl.PkgRef:
		if t.Kind != optiondata.Package && t.Kind != optiondata.Path && t.Kind != optiondata.String {
			return bad("a package")
		}
	case bool:
		if t.Kind != optiondata.Bool {
			return bad("a boolean")
		}
	case int64:
		if t.Kind != optiondata.Int {
			return bad("an integer")
		}
	case float64:
		if t.Kind != optiondata.Float {
			return bad("a float")
		}
	case string:
		switch t.Kind {
		case optiondata.String, optiondata.Path:
		case optiondata.Enum:
			if !slices.Contains(t.Values, x) {
				p := optionProblem{msg: fmt.Sprintf("option %s is of type %s, not %q", name, t.Text, x)}
				if s := suggest(x, t.Values); s != "" {
					p.hint = fmt.Sprintf("did you mean %q?", s)
				}
				return append(out, p)
			}
		default:
			return bad("a string")
		}
	case []dsl.Value:
		if t.Kind != optiondata.List {
			return bad("a list")
		}
		for i, e := range x {
			out = checkValue(out, fmt.Sprintf("%s[%d]", name, i), t.Elem, e)
		}
	case *dsl.Object:
		switch {
		case t.Kind == optiondata.Attrs:
			for _, k := range x.Keys {
				out = checkValue(out, name+"."+k, t.Elem, x.Values[k])
			}
		case t.Kind == optiondata.Submodule:
			// Checked through the sub-options' paths by the caller where declared.
		default:
			return bad("an attribute set")
		}
	}
	return out
}
