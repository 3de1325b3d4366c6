package dsl

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"sync"
)

// Pos is a position in a fleet author's source: a file, a 1-based line and a 1-based byte
// column. The zero Pos means "unknown".
type Pos struct {
	File string
	Line int
	Col  int
}

// IsValid reports whether p names a place.
func (p Pos) IsValid() bool { return p.File != "" && p.Line > 0 }

// String formats p as file:line:col.
func (p Pos) String() string {
	if !p.IsValid() {
		return "-"
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// caller returns the position of the call to the exported constructor named fn, skip frames
// above the function that calls caller. The column is where fn's name starts on that line
// (the start of the call as the author wrote it), or the first non-blank byte.
func caller(skip int, fn string) Pos {
	_, file, line, ok := runtime.Caller(skip + 1)
	if !ok {
		return Pos{}
	}
	return Pos{File: file, Line: line, Col: column(file, line, fn)}
}

var sources sync.Map // file -> []string (lines), read once per file

func column(file string, line int, fn string) int {
	v, ok := sources.Load(file)
	if !ok {
		data, err := os.ReadFile(file)
		if err != nil {
			sources.Store(file, []string(nil))
			return 1
		}
		v, _ = sources.LoadOrStore(file, strings.Split(string(data), "\n"))
	}
	lines := v.([]string)
	if line < 1 || line > len(lines) {
		return 1
	}
	text := lines[line-1]
	if i := strings.Index(text, fn+"("); i >= 0 {
		// Point at the qualifier too (dsl.Machine, f.NixOS) when there is one.
		for i > 0 && (isIdentByte(text[i-1]) || text[i-1] == '.') {
			i--
		}
		return i + 1
	}
	return len(text) - len(strings.TrimLeft(text, " \t")) + 1
}

func isIdentByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}
