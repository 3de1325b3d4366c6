package nix

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// This file holds the escapers: one per string form, each total and rune by
// rune. Neither knows about layout; the ''...'' escaper only relies on the
// printer putting the same indentation before every non-empty line.

var (
	errNUL     = errors.New("string contains NUL byte (Nix strings cannot hold it)")
	errBadUTF8 = errors.New("string is not valid UTF-8")
)

// checkString reports whether Nix can hold s unchanged.
func checkString(s string) error {
	if strings.IndexByte(s, 0) >= 0 {
		return errNUL
	}
	if !utf8.ValidString(s) {
		return errBadUTF8
	}
	return nil
}

// dqSpecial marks the bytes that plainDQ rejects: non-ASCII, NUL and
// what appendDQ may escape.
var dqSpecial = func() (t [256]bool) {
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	for _, c := range []byte{0, '"', '\\', '$', '\n', '\r', '\t'} {
		t[c] = true
	}
	return t
}()

// plainDQ reports whether s can go between double quotes unchanged. It is
// the fast path of appendDQ and also requires s to be valid (ASCII).
func plainDQ(s string) bool {
	for i := 0; i < len(s); i++ {
		if dqSpecial[s[i]] {
			return false
		}
	}
	return true
}

// appendDQ appends the escaped body of a "..." string holding s (without
// the quotes). spliceNext says that an interpolation ${ follows directly.
// s must have passed checkString.
//
// Escapes: \ " newline CR tab as \\ \" \n \r \t (a literal CR would be
// read back as a newline), and $ as \$ when a { or an interpolation follows
// it. Everything else is written as is.
func appendDQ(dst []byte, s string, spliceNext bool) []byte {
	for i := 0; i < len(s); i++ {
		// Copy the run of bytes written as is in one go.
		j := i
		for j < len(s) && (!dqSpecial[s[j]] || s[j] >= utf8.RuneSelf) {
			j++
		}
		if j > i {
			dst = append(dst, s[i:j]...)
			if i = j; i == len(s) {
				break
			}
		}
		switch c := s[i]; c {
		case '\\':
			dst = append(dst, `\\`...)
		case '"':
			dst = append(dst, `\"`...)
		case '\n':
			dst = append(dst, `\n`...)
		case '\r':
			dst = append(dst, `\r`...)
		case '\t':
			dst = append(dst, `\t`...)
		case '$':
			if (i+1 < len(s) && s[i+1] == '{') || (i+1 == len(s) && spliceNext) {
				dst = append(dst, `\$`...)
			} else {
				dst = append(dst, '$')
			}
		default:
			dst = append(dst, c) // multi-byte runes are copied byte by byte
		}
	}
	return dst
}

// QuoteString returns s as a "..." Nix string literal that evaluates to
// exactly s.
func QuoteString(s string) (string, error) {
	if err := checkString(s); err != nil {
		return "", err
	}
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = appendDQ(b, s, false)
	b = append(b, '"')
	return string(b), nil
}

// identByte classifies bytes for isIdent: identStart for [A-Za-z_],
// identRest for what may follow ([A-Za-z0-9_'-]).
const (
	identRest  = 1
	identStart = 2
)

var identByte = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c == '_':
			t[c] = identStart | identRest
		case c >= '0' && c <= '9', c == '\'', c == '-':
			t[c] = identRest
		}
	}
	return t
}()

// isIdent reports whether s matches [A-Za-z_][A-Za-z0-9_'-]* and is not a
// keyword.
func isIdent(s string) bool {
	if s == "" || identByte[s[0]]&identStart == 0 {
		return false
	}
	for i := 1; i < len(s); i++ {
		if identByte[s[i]]&identRest == 0 {
			return false
		}
	}
	return !isKeyword(s)
}

func isKeyword(s string) bool {
	if len(s) < 2 || len(s) > 7 {
		return false
	}
	switch s {
	case "if", "then", "else", "assert", "with", "let", "in", "rec", "inherit", "or":
		return true
	}
	return false
}

// AttrName returns s as an attribute name: bare when it is an identifier
// and not a keyword, otherwise a quoted string.
func AttrName(s string) (string, error) {
	if isIdent(s) {
		return s, nil
	}
	return QuoteString(s)
}

// Where an indented-string text part ends.
const (
	endClose  = iota // the closing '' follows
	endSplice        // an interpolation ${ follows
)

// escapeIndented escapes the text s of a ”...” string, split into lines
// at each newline: the printer writes the returned lines separated by a
// newline plus the same indentation P (none for empty lines). lineStart
// says that s starts at the beginning of a line; end says what follows s.
// s must have passed checkString.
//
// Nix removes from every line the smallest indentation of the lines that
// contain more than spaces, counting only literal spaces before the first
// other character, escape or interpolation. The escaper makes that
// smallest indentation exactly P: a line-leading space is written as ”\
// and a line of only spaces that ends in a newline as an interpolation
// ${"   "} (which also avoids trailing whitespace). Trailing spaces before a
// newline are likewise written as ${"  "}. Otherwise: ” is ”', $ before {
// or an interpolation is ”$, tab is ”\t, CR is ”\r (a literal CR would
// be read back as a newline), and a single ' directly before anything the
// escaper writes starting with ' (or before the closing ”) is ”\'.
func escapeIndented(s string, lineStart bool, end int) []string {
	var lines []string
	var b []byte
	for {
		nl := strings.IndexByte(s, '\n')
		line, last := s, true
		if nl >= 0 {
			line, s, last = s[:nl], s[nl+1:], false
		}
		b = appendIndentedLine(b[:0], line, lineStart, !last, end)
		lines = append(lines, string(b))
		if last {
			return lines
		}
		lineStart = true
	}
}

// appendIndentedLine escapes one line (no newline inside). newline says a
// newline follows; otherwise next (endClose or endSplice) follows.
func appendIndentedLine(b []byte, line string, lineStart, newline bool, next int) []byte {
	// Trailing spaces before a newline, and lines of only spaces, become an
	// interpolated string so that no line ends in whitespace and no line
	// starts with a literal space.
	body, tail := line, ""
	if newline {
		t := len(line)
		for t > 0 && line[t-1] == ' ' {
			t--
		}
		body, tail = line[:t], line[t:]
	}
	// dollarEscaped says whether the $ at body[j] is written ''$: when a {
	// or an interpolation (ours or the caller's) follows it.
	dollarEscaped := func(j int) bool {
		if j+1 < len(body) {
			return body[j+1] == '{'
		}
		return tail != "" || (!newline && next == endSplice)
	}
	// quoteNext says whether what is written for body[j:] starts with '.
	quoteNext := func(j int) bool {
		if j == len(body) {
			return tail == "" && !newline && next == endClose
		}
		switch body[j] {
		case '\'', '\t', '\r':
			return true
		case '$':
			return dollarEscaped(j)
		case ' ':
			return j == 0 && lineStart
		}
		return false
	}
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == ' ' && i == 0 && lineStart:
			b = append(b, `''\ `...)
		case c == '\'' && i+1 < len(body) && body[i+1] == '\'':
			b = append(b, `'''`...)
			i++
		case c == '\'':
			if quoteNext(i + 1) {
				b = append(b, `''\'`...)
			} else {
				b = append(b, '\'')
			}
		case c == '$':
			if dollarEscaped(i) {
				b = append(b, `''$`...)
			} else {
				b = append(b, '$')
			}
		case c == '\t':
			b = append(b, `''\t`...)
		case c == '\r':
			b = append(b, `''\r`...)
		default:
			b = append(b, c) // multi-byte runes are copied byte by byte
		}
	}
	if tail != "" {
		b = append(b, `${"`...)
		b = append(b, tail...)
		b = append(b, `"}`...)
	}
	return b
}
