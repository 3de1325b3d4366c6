package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/nixfleet/fleet/dsl"
)

// validationHash is clan's validationHash: the sha256 (hex) of builtins.toJSON validation,
// or "" when validation is null.
func validationHash(v dsl.Value) (string, error) {
	if v.IsNull() {
		return "", nil
	}
	var b strings.Builder
	if err := nixJSON(&b, v); err != nil {
		return "", fmt.Errorf("validation: %w", err)
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:]), nil
}

// nixJSON renders a validation value as builtins.toJSON does: Nix serializes with
// nlohmann::json's dump(): no white space, attribute names sorted bytewise (Nix attrsets are
// sorted), integers in decimal, strings as UTF-8 with only '"', '\\' and control
// characters escaped (Nix before nlohmann::json, 2.8 for one, wrote backspace and form feed as
// \u0008 and \u000c rather than \b and \f; nothing else differs). Validation values hold only null, bools, integers, strings and
// attribute sets of those (the compiler checks it).
func nixJSON(b *strings.Builder, v dsl.Value) error {
	switch x := v.Underlying().(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(x))
	case int64:
		b.WriteString(strconv.FormatInt(x, 10))
	case string:
		return nixJSONString(b, x)
	case *dsl.Object:
		b.WriteByte('{')
		for i, k := range slices.Sorted(slices.Values(x.Keys)) {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := nixJSONString(b, k); err != nil {
				return err
			}
			b.WriteByte(':')
			if err := nixJSON(b, x.Values[k]); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("a %T is not a validation value (null, bool, integer, string or attribute set)", x)
	}
	return nil
}

// nixJSONString writes s as nlohmann::json's dump (ensure_ascii off) does.
func nixJSONString(b *strings.Builder, s string) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("string %q is not valid UTF-8, which builtins.toJSON rejects", s)
	}
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if c < 0x20 {
				fmt.Fprintf(b, `\u%04x`, c)
			} else {
				b.WriteByte(c)
			}
		}
	}
	b.WriteByte('"')
	return nil
}
