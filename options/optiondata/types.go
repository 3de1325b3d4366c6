package optiondata

import (
	"strings"
)

// Kind is the shape of a Nix option type, as far as Go can follow it.
type Kind int

// The kinds. Any is every type Go cannot type (either, coercedTo, anything, JSON values ...):
// such an option takes a dsl.Value.
const (
	Any Kind = iota
	Bool
	Int
	Float
	String
	Path
	Package
	Enum
	List
	Attrs
	Submodule
)

// Type is a parsed Nix option type description (the "type" field of options.json).
type Type struct {
	Kind     Kind
	Nullable bool     // "null or X"
	Elem     *Type    // List, Attrs
	Values   []string // Enum
	Open     bool     // Submodule with a freeformType ("open submodule of ...")
	Text     string   // the description it was parsed from
}

// ParseType parses a type description as lib's types render it (optionDescriptionPhrase):
// "boolean", "null or (list of string)", "attribute set of (submodule)", `one of "a", "b"`.
// Anything it does not recognise is Any.
func ParseType(s string) *Type {
	t := parse(strings.TrimSpace(s))
	t.Text = s
	return t
}

func parse(s string) *Type {
	t := parseInner(s)
	if t.Text == "" {
		t.Text = unparen(s)
	}
	return t
}

func parseInner(s string) *Type {
	s = unparen(s)
	if parts := splitTop(s, " or "); len(parts) > 1 {
		if parts[0] == "null" {
			t := parse(strings.Join(parts[1:], " or "))
			t.Nullable = true
			t.Text = s
			return t
		}
		return &Type{Kind: Any}
	}
	for _, p := range []struct {
		prefix string
		kind   Kind
	}{{"list of ", List}, {"attribute set of ", Attrs}, {"lazy attribute set of ", Attrs}} {
		if rest, ok := strings.CutPrefix(s, p.prefix); ok {
			return &Type{Kind: p.kind, Elem: parse(rest)}
		}
	}
	for _, wrapper := range []string{"unique ", "non-empty "} {
		if rest, ok := strings.CutPrefix(s, wrapper); ok && strings.HasPrefix(rest, "(") {
			return parse(rest)
		}
	}
	if rest, ok := strings.CutPrefix(s, "open submodule of "); ok {
		_ = rest
		return &Type{Kind: Submodule, Open: true}
	}
	if rest, ok := strings.CutPrefix(s, "one of "); ok {
		if vs, ok := quotedList(rest); ok {
			return &Type{Kind: Enum, Values: vs}
		}
		return &Type{Kind: Any}
	}
	if rest, ok := strings.CutPrefix(s, "value "); ok && strings.HasSuffix(rest, " (singular enum)") {
		if vs, ok := quotedList(strings.TrimSuffix(rest, " (singular enum)")); ok {
			return &Type{Kind: Enum, Values: vs}
		}
	}
	switch {
	case s == "boolean":
		return &Type{Kind: Bool}
	case s == "submodule":
		return &Type{Kind: Submodule}
	case s == "package":
		return &Type{Kind: Package}
	case s == "floating point number":
		return &Type{Kind: Float}
	case s == "attribute set":
		return &Type{Kind: Attrs, Elem: &Type{Kind: Any}}
	case s == "absolute path" || s == "path" || strings.HasPrefix(s, "path in the Nix store"):
		return &Type{Kind: Path}
	case isInt(s):
		return &Type{Kind: Int}
	case isString(s):
		return &Type{Kind: String}
	}
	return &Type{Kind: Any}
}

func isInt(s string) bool {
	for _, p := range []string{"signed integer", "unsigned integer", "positive integer", "integer between ",
		"8 bit ", "16 bit ", "32 bit ", "64 bit "} {
		if strings.HasPrefix(s, p) && strings.Contains(s, "integer") {
			return true
		}
	}
	return s == "integer"
}

func isString(s string) bool {
	return s == "string" || strings.HasPrefix(s, "strings concatenated with ") ||
		s == "non-empty string" || strings.HasPrefix(s, "string matching the pattern ") ||
		strings.HasSuffix(s, "single-line string") || strings.HasPrefix(s, "string, not containing newlines") ||
		s == "string (with check: non-empty)"
}

// unparen drops parentheses around the whole of s.
func unparen(s string) string {
	for len(s) >= 2 && s[0] == '(' && closing(s, 0) == len(s)-1 {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// closing returns the index of the parenthesis closing the one at i, or -1.
func closing(s string, i int) int {
	depth, inQuote := 0, false
	for j := i; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"' && (j == 0 || s[j-1] != '\\'):
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			depth--
			if depth == 0 {
				return j
			}
		}
	}
	return -1
}

// splitTop splits s at sep outside parentheses and quotes.
func splitTop(s, sep string) []string {
	var parts []string
	depth, inQuote, start := 0, false, 0
	for j := 0; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"' && (j == 0 || s[j-1] != '\\'):
			inQuote = !inQuote
		case inQuote:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case depth == 0 && strings.HasPrefix(s[j:], sep):
			parts = append(parts, s[start:j])
			start = j + len(sep)
			j += len(sep) - 1
		}
	}
	return append(parts, s[start:])
}

// quotedList parses `"a", "b"` (Nix string literals as lib.generators.toPretty writes them).
func quotedList(s string) ([]string, bool) {
	var out []string
	for _, p := range splitTop(s, ", ") {
		p = strings.TrimSpace(p)
		if len(p) < 2 || p[0] != '"' || p[len(p)-1] != '"' {
			return nil, false
		}
		out = append(out, strings.NewReplacer(`\"`, `"`, `\\`, `\`, `\$`, `$`).Replace(p[1:len(p)-1]))
	}
	return out, len(out) > 0
}

// String renders the type back as its description.
func (t *Type) String() string { return t.Text }
