package compiler

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/nixfleet/fleet/dsl"
)

// describeValue renders a value briefly for a message: JSON-like, cut after 60 bytes.
func describeValue(v dsl.Value) string {
	var b strings.Builder
	writeValue(&b, v, 0)
	s := b.String()
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

func writeValue(b *strings.Builder, v dsl.Value, depth int) {
	if depth > 4 || b.Len() > 80 {
		b.WriteString("...")
		return
	}
	switch x := v.Underlying().(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(x, 'g', -1, 64))
	case string:
		b.WriteString(strconv.Quote(x))
	case []dsl.Value:
		b.WriteByte('[')
		for i, e := range x {
			if i > 0 {
				b.WriteString(", ")
			}
			writeValue(b, e, depth+1)
		}
		b.WriteByte(']')
	case *dsl.Object:
		b.WriteByte('{')
		if x != nil {
			for i, k := range x.Keys {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(b, "%s: ", k)
				writeValue(b, x.Values[k], depth+1)
			}
		}
		b.WriteByte('}')
	case dsl.PkgRef:
		b.WriteString("pkgs.")
		if x.Set != dsl.Default {
			b.WriteString(string(x.Set) + ".")
		}
		b.WriteString(strings.Join(x.Path, "."))
	case dsl.SecretRef:
		fmt.Fprintf(b, "secret %s/%s", generatorName(x.Generator), x.File)
	case dsl.InputRef:
		name := "<nil>"
		if x.Input != nil {
			name = x.Input.Name
		}
		fmt.Fprintf(b, "inputs.%s.%s", name, strings.Join(x.Path, "."))
	case dsl.RawNix:
		b.WriteString("raw Nix")
	default:
		fmt.Fprintf(b, "%T", x)
	}
}

// kindOf names a value's kind for a type error: "a string", "a list", ...
func kindOf(v dsl.Value) string {
	switch x := v.Underlying().(type) {
	case nil:
		return "null"
	case bool:
		return "a bool"
	case int64:
		return "an integer"
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "a non-finite float"
		}
		return "a float"
	case string:
		return "a string"
	case []dsl.Value:
		return "a list"
	case *dsl.Object:
		return "an attribute set"
	case dsl.PkgRef:
		return "a package reference"
	case dsl.SecretRef:
		return "a secret reference"
	case dsl.InputRef:
		return "a flake input reference"
	case dsl.RawNix:
		return "raw Nix"
	}
	return fmt.Sprintf("a %T", v.Underlying())
}

func generatorName(g *dsl.Generator) string {
	if g == nil {
		return "<nil>"
	}
	return g.Name
}

// plural formats n with a noun, "1 day" or "57 days".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// quoteList renders names as "a", "b", "c", at most max of them and "and N more".
func quoteList(names []string, max int) string {
	var parts []string
	for i, n := range names {
		if i == max {
			parts = append(parts, fmt.Sprintf("and %d more", len(names)-max))
			break
		}
		parts = append(parts, strconv.Quote(n))
	}
	return strings.Join(parts, ", ")
}
