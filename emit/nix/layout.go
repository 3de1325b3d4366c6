package nix

import "strings"

// maxWidth is the soft line width, not counting indentation (RFC 166).
const maxWidth = 100

// inf is the width of anything that cannot be flat (it holds a hard line
// break); widths saturate at inf.
const inf = 1 << 29

type tokKind uint8

const (
	kText        tokKind = iota // s, without line breaks
	kVerbatim                   // s printed as is; may contain line breaks (Raw)
	kLine                       // a space when flat, a line break when broken
	kSoftline                   // nothing when flat, a line break when broken
	kHardline                   // always a line break
	kIfBreak                    // s only when the group is broken
	kBegin                      // start of a group: flat if it fits, else broken
	kBeginAbsorb                // start of a group whose last part may hang off its first line
	kSep                        // in a kBeginAbsorb group: the line before the last part
	kEnd                        // end of a group
	kIndent                     // one level deeper from the next line break on
	kIndentB                    // one level deeper, only when the group is broken
	kDedent                     // undo the innermost kIndent/kIndentB
)

// tok is one element of the stream built by tokens.go.
type tok struct {
	s     string
	kind  tokKind
	w     int32 // kText, kVerbatim, kIfBreak: width of s; kBegin*: flat width of the group
	trail int32 // kBegin*: width of the text after the group up to the next possible break
	pre   int32 // kBeginAbsorb: flat width of the group up to its kSep
}

// Group modes.
const (
	mBreak    = iota // lines break
	mFlat            // lines are spaces
	mPrefix          // absorbing: the part before kSep is flat
	mAbsorbed        // absorbing: after kSep, the last part lays itself out
)

// layouter holds the state of the layout between chunks of the token
// stream (see [tokens.flush]): the mode of every open group, the
// indentation added by every open kIndent*, and the position on the line.
type layouter struct {
	modes     []uint8
	steps     []int // indentation added by each open kIndent*
	indent    int   // indentation for the next line, in levels
	col       int   // current column
	lineStart int   // column where the text of the current line starts
	pending   bool  // at the start of a line, indentation not yet written
}

func (l *layouter) reset() {
	l.modes = append(l.modes[:0], mBreak)
	l.steps = l.steps[:0]
	l.indent, l.col, l.lineStart, l.pending = 0, 0, 0, true
}

// layout appends the text of toks to out and returns it. It is the only
// layout decision in the package and it changes only whitespace: it
// decides for every group whether its lines are spaces or line breaks
// (a group is flat when it fits in maxWidth columns after the indentation
// of the line it starts on, counting the text that follows it up to the
// next possible break; an absorbing group that does not fit keeps all but
// its last part on the line when that prefix fits), and how many spaces
// start each line. Every token's text is written unchanged and in order.
// Indentation is written lazily before the first text of a line, so empty
// lines stay empty and no line ends in a space written by layout.
//
// toks may be one chunk of a longer stream: every chunk but the last ends
// in a kHardline, and the state in l carries over to the next chunk. A
// group that is still open at the end of a chunk holds a hard line break,
// so its width is inf whatever follows, and its decision needs nothing
// from later chunks.
func (l *layouter) layout(toks []tok, out []byte) []byte {
	measure(toks)
	modes := l.modes
	steps := l.steps
	indent, col, lineStart, pending := l.indent, l.col, l.lineStart, l.pending
	startText := func() {
		if pending {
			n := 2 * indent
			for n > len(spaces) {
				out = append(out, spaces...)
				n -= len(spaces)
			}
			out = append(out, spaces[:n]...)
			col, lineStart, pending = 2*indent, 2*indent, false
		}
	}
	newline := func() {
		out = append(out, '\n')
		pending = true
	}
	for i := range toks {
		t := &toks[i]
		m := modes[len(modes)-1]
		switch t.kind {
		case kText:
			startText()
			out = append(out, t.s...)
			col += int(t.w)
		case kVerbatim:
			startText()
			out = append(out, t.s...)
			if j := strings.LastIndexByte(t.s, '\n'); j >= 0 {
				col, lineStart = textWidth(t.s[j+1:]), 0
			} else {
				col += int(t.w)
			}
		case kIfBreak:
			if m == mBreak {
				startText()
				out = append(out, t.s...)
				col += int(t.w)
			}
		case kLine, kSep:
			if m == mFlat || m == mPrefix || (t.kind == kSep && m == mAbsorbed) {
				startText()
				out = append(out, ' ')
				col++
			} else {
				newline()
			}
			if t.kind == kSep && m == mPrefix {
				modes[len(modes)-1] = mAbsorbed
			}
		case kSoftline:
			if m == mBreak || m == mAbsorbed {
				newline()
			}
		case kHardline:
			newline()
		case kBegin, kBeginAbsorb:
			nm := uint8(mFlat)
			if m == mBreak || m == mAbsorbed {
				c, ls := col, lineStart
				if pending {
					c, ls = 2*indent, 2*indent
				}
				switch {
				case c+int(t.w)+int(t.trail) <= ls+maxWidth:
				case t.kind == kBeginAbsorb && c+int(t.pre)+2 <= ls+maxWidth:
					nm = mPrefix
				default:
					nm = mBreak
				}
			}
			modes = append(modes, nm)
		case kEnd:
			modes = modes[:len(modes)-1]
		case kIndent, kIndentB:
			step := 0
			if t.kind == kIndent || m == mBreak {
				step = 1
			}
			steps = append(steps, step)
			indent += step
		case kDedent:
			indent -= steps[len(steps)-1]
			steps = steps[:len(steps)-1]
		}
	}
	l.modes, l.steps = modes, steps
	l.indent, l.col, l.lineStart, l.pending = indent, col, lineStart, pending
	return out
}

const spaces = "                                                                " // 64

// measure sets the flat width, trailing width and absorb prefix width of
// every group. A group holding a hard line break has width inf. toks may be
// a chunk (see layout): a group still open at its end has width inf, and
// an absorbing one whose kSep is not in the chunk has prefix width inf (the
// chunk's final kHardline precedes that kSep); kEnd and kSep tokens of
// groups opened in an earlier chunk are already accounted for there.
func measure(toks []tok) {
	type open struct {
		i   int
		cum int
	}
	stack := make([]open, 0, 32)
	cum := 0       // flat width of everything so far
	lastHard := -1 // index of the last hard line break
	for i := range toks {
		t := &toks[i]
		switch t.kind {
		case kText:
			cum += int(t.w)
		case kVerbatim:
			if strings.IndexByte(t.s, '\n') >= 0 {
				lastHard = i
			}
			cum += int(t.w)
		case kLine, kSep:
			if t.kind == kSep && len(stack) > 0 {
				o := stack[len(stack)-1]
				pre := inf
				if lastHard < o.i {
					pre = sat(cum - o.cum)
				}
				toks[o.i].pre = int32(pre)
			}
			cum++
		case kHardline:
			lastHard = i
		case kBegin, kBeginAbsorb:
			t.pre = inf
			stack = append(stack, open{i, cum})
		case kEnd:
			if len(stack) == 0 {
				continue // opened in an earlier chunk
			}
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			w := inf
			if lastHard < o.i {
				w = sat(cum - o.cum)
			}
			toks[o.i].w = int32(w)
		}
	}
	for _, o := range stack { // still open: holds the chunk's final kHardline
		toks[o.i].w = inf
	}
	// Trailing widths, backwards.
	ends := stack[:0]
	trail := 0
	for i := len(toks) - 1; i >= 0; i-- {
		t := &toks[i]
		switch t.kind {
		case kText:
			trail = sat(trail + int(t.w))
		case kVerbatim:
			if j := strings.IndexByte(t.s, '\n'); j >= 0 {
				trail = textWidth(t.s[:j])
			} else {
				trail = sat(trail + int(t.w))
			}
		case kLine, kSep, kSoftline, kHardline:
			trail = 0
		case kEnd:
			ends = append(ends, open{cum: trail})
		case kBegin, kBeginAbsorb:
			if len(ends) == 0 { // still open at the end of the chunk
				t.trail = 0
				continue
			}
			t.trail = int32(ends[len(ends)-1].cum)
			ends = ends[:len(ends)-1]
		}
	}
}

func sat(n int) int {
	if n > inf {
		return inf
	}
	return n
}
