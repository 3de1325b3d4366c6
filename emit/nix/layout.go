package nix

import "strings"

// maxWidth is the soft line width, not counting indentation (RFC 166).
const maxWidth = 100

type tokKind uint8

const (
	kText        tokKind = iota // s, without line breaks
	kBytes                      // like kText, for text held in layouter.qbuf[off:off+n]
	kVerbatim                   // s printed as is; may contain line breaks (Raw)
	kLine                       // a space when flat, a line break when broken
	kSoftline                   // nothing when flat, a line break when broken
	kHardline                   // always a line break
	kIfBreak                    // s only when the group is broken
	kBegin                      // start of a group: flat if it fits, else broken
	kBeginAbsorb                // start of a group whose last part may hang off its first line
	kBeginFlat                  // start of a group that is always flat (an interpolation)
	kSep                        // in a kBeginAbsorb group: the line before the last part
	kEnd                        // end of a group
	kIndent                     // one level deeper from the next line break on
	kIndentB                    // one level deeper, only when the group is broken
	kDedent                     // undo the innermost kIndent/kIndentB
)

// tok is one element of the stream built by tokens.go.
type tok struct {
	s      string
	kind   tokKind
	w      int32 // kText, kBytes, kVerbatim, kIfBreak: width of the text
	off, n int32 // kBytes: where the text is in layouter.qbuf
}

// Group modes.
const (
	mBreak    = iota // lines break
	mFlat            // lines are spaces
	mPrefix          // absorbing: the part before kSep is flat
	mAbsorbed        // absorbing: after kSep, the last part lays itself out
)

// layouter lays out the token stream as tokens.go produces it, token by
// token; it is the only layout decision in the package. It changes only
// whitespace: it decides for every group whether its lines are spaces or
// line breaks (a group is flat when it fits in maxWidth columns after the
// indentation of the line it starts on, counting the text that follows it
// up to the next possible break; an absorbing group that does not fit
// keeps all but its last part on the line when that prefix fits), and how
// many spaces start each line. Every token's text is written unchanged and
// in order. Indentation is written lazily before the first text of a line,
// so empty lines stay empty and no line ends in a space written by layout.
//
// A group that must be measured (one that starts where lines break) holds
// back the tokens from its start in q only until the decision is known:
// when its flat width, or that plus the text after it, exceeds what is
// left of the line, when it holds a hard line break, or when the next
// possible break after it arrives. Everything else is written at once, so
// the stream is never materialised and measuring costs at most a line's
// worth of tokens per group.
type layouter struct {
	out       []byte
	modes     []uint8
	steps     []int // indentation added by each open kIndent*
	indent    int   // indentation for the next line, in levels
	col       int   // current column
	lineStart int   // column where the text of the current line starts
	pending   bool  // at the start of a line, indentation not yet written

	// The group being measured: q[0] is its kBegin*, q[1:] the tokens
	// after it, of which q[1:scanned] are accounted for below.
	q       []tok
	qbuf    []byte // text of the kBytes tokens in q
	scanned int
	budget  int  // columns left on the line at its start: maxWidth + lineStart - col
	depth   int  // groups open since q[0], counting q[0] until its kEnd
	cum     int  // flat width since q[0]: of the group, then of the text after it
	width   int  // the group's flat width, once its kEnd is seen
	pre     int  // kBeginAbsorb: flat width up to its kSep, -1 before it
	hard    bool // a hard line break inside the group
	ended   bool // q[0]'s kEnd is seen: cum is now the trailing width
}

func (l *layouter) reset() {
	l.out = l.out[:0]
	l.modes = append(l.modes[:0], mBreak)
	l.steps = l.steps[:0]
	l.indent, l.col, l.lineStart, l.pending = 0, 0, 0, true
	clear(l.q) // drop references to the caller's strings
	l.q, l.qbuf = l.q[:0], l.qbuf[:0]
}

// put lays out the next token.
func (l *layouter) put(t tok) {
	if len(l.q) > 0 {
		l.q = append(l.q, t)
		l.scan()
		return
	}
	l.qbuf = l.qbuf[:0] // nothing held back refers to it
	l.step(t)
}

// text lays out a kText token of width w; it is put(tok{kind: kText, ...})
// without building the token when nothing is held back.
func (l *layouter) text(s string, w int) {
	if len(l.q) > 0 {
		l.put(tok{kind: kText, s: s, w: int32(w)})
		return
	}
	if l.pending {
		l.startText()
	}
	l.out = append(l.out, s...)
	l.col += w
}

// bytes is text for text held in a scratch buffer that the caller reuses:
// it is copied into qbuf when it must be held back.
func (l *layouter) bytes(b []byte, w int) {
	if len(l.q) > 0 {
		off := len(l.qbuf)
		l.qbuf = append(l.qbuf, b...)
		l.put(tok{kind: kBytes, w: int32(w), off: int32(off), n: int32(len(b))})
		return
	}
	if l.pending {
		l.startText()
	}
	l.out = append(l.out, b...)
	l.col += w
}

// finish lays out what is held back at the end of the stream: the text
// after a group ends there.
func (l *layouter) finish() {
	for len(l.q) > 0 {
		l.scan()
		if len(l.q) == 0 {
			break
		}
		// The stream ended after the group (it is balanced), so its
		// trailing text is complete.
		l.decide(l.width+l.cum <= l.budget)
	}
}

func (l *layouter) startText() {
	if l.pending {
		n := 2 * l.indent
		for n > len(spaces) {
			l.out = append(l.out, spaces...)
			n -= len(spaces)
		}
		l.out = append(l.out, spaces[:n]...)
		l.col, l.lineStart, l.pending = 2*l.indent, 2*l.indent, false
	}
}

// step lays out one token whose group's mode is known.
func (l *layouter) step(t tok) {
	m := l.modes[len(l.modes)-1]
	switch t.kind {
	case kText:
		l.startText()
		l.out = append(l.out, t.s...)
		l.col += int(t.w)
	case kBytes:
		l.startText()
		l.out = append(l.out, l.qbuf[t.off:t.off+t.n]...)
		l.col += int(t.w)
	case kVerbatim:
		l.startText()
		l.out = append(l.out, t.s...)
		if j := strings.LastIndexByte(t.s, '\n'); j >= 0 {
			l.col, l.lineStart = textWidth(t.s[j+1:]), 0
		} else {
			l.col += int(t.w)
		}
	case kIfBreak:
		if m == mBreak {
			l.startText()
			l.out = append(l.out, t.s...)
			l.col += int(t.w)
		}
	case kLine, kSep:
		if m == mFlat || m == mPrefix || (t.kind == kSep && m == mAbsorbed) {
			l.startText()
			l.out = append(l.out, ' ')
			l.col++
		} else {
			l.out = append(l.out, '\n')
			l.pending = true
		}
		if t.kind == kSep && m == mPrefix {
			l.modes[len(l.modes)-1] = mAbsorbed
		}
	case kSoftline:
		if m == mBreak || m == mAbsorbed {
			l.out = append(l.out, '\n')
			l.pending = true
		}
	case kHardline:
		l.out = append(l.out, '\n')
		l.pending = true
	case kBegin, kBeginAbsorb:
		if m == mBreak || m == mAbsorbed {
			// Measure: hold back the tokens until the decision.
			c, ls := l.col, l.lineStart
			if l.pending {
				c, ls = 2*l.indent, 2*l.indent
			}
			l.q = append(l.q[:0], t)
			l.scanned, l.budget, l.depth = 1, ls+maxWidth-c, 1
			l.cum, l.width, l.pre, l.hard, l.ended = 0, 0, -1, false, false
			return
		}
		l.modes = append(l.modes, mFlat)
	case kBeginFlat:
		l.modes = append(l.modes, mFlat)
	case kEnd:
		l.modes = l.modes[:len(l.modes)-1]
	case kIndent, kIndentB:
		step := 0
		if t.kind == kIndent || m == mBreak {
			step = 1
		}
		l.steps = append(l.steps, step)
		l.indent += step
	case kDedent:
		l.indent -= l.steps[len(l.steps)-1]
		l.steps = l.steps[:len(l.steps)-1]
	}
}

// scan accounts for the held-back tokens not yet seen and decides the
// group's mode as soon as that is possible.
func (l *layouter) scan() {
	for l.scanned < len(l.q) {
		t := &l.q[l.scanned]
		l.scanned++
		if l.ended {
			// The text after the group, up to the next possible break.
			switch t.kind {
			case kText, kBytes:
				l.cum += int(t.w)
			case kVerbatim:
				if j := strings.IndexByte(t.s, '\n'); j >= 0 {
					l.decide(l.width+l.cum+textWidth(t.s[:j]) <= l.budget)
					return
				}
				l.cum += int(t.w)
			case kLine, kSep, kSoftline, kHardline:
				l.decide(l.width+l.cum <= l.budget)
				return
			}
			if l.width+l.cum > l.budget {
				l.decide(false)
				return
			}
			continue
		}
		switch t.kind {
		case kText, kBytes:
			l.cum += int(t.w)
		case kVerbatim:
			if strings.IndexByte(t.s, '\n') >= 0 {
				l.hard = true
			}
			l.cum += int(t.w)
		case kLine:
			l.cum++
		case kSep: // a group has at most one kSep of its own
			if l.depth == 1 {
				l.pre = l.cum
			}
			l.cum++
		case kHardline:
			l.hard = true
		case kBegin, kBeginAbsorb, kBeginFlat:
			l.depth++
		case kEnd:
			l.depth--
			if l.depth == 0 {
				l.ended, l.width, l.cum = true, l.cum, 0
			}
		}
		switch {
		case l.hard:
			l.decide(false)
			return
		case l.ended:
			if l.width > l.budget {
				l.decide(false)
				return
			}
		case l.cum > l.budget:
			// Too wide to be flat; an absorbing group's prefix is
			// known, or too wide as well once past budget-2.
			if l.q[0].kind != kBeginAbsorb || l.pre >= 0 || l.cum+2 > l.budget {
				l.decide(false)
				return
			}
		}
	}
}

// decide sets the mode of the group held back in q (flat when it fits)
// and lays out the held-back tokens, which may start the next group to
// measure.
func (l *layouter) decide(flat bool) {
	nm := uint8(mFlat)
	if !flat {
		nm = mBreak
		if l.q[0].kind == kBeginAbsorb && l.pre >= 0 && l.pre+2 <= l.budget {
			nm = mPrefix
		}
	}
	l.modes = append(l.modes, nm)
	rest := l.q[1:]
	l.q = l.q[:0]
	for i := range rest {
		if len(l.q) > 0 {
			// A group started in rest: it is measured on what is left.
			n := copy(l.q[1:cap(l.q)], rest[i:])
			l.q = l.q[:1+n]
			l.scan()
			return
		}
		l.step(rest[i])
	}
}

const spaces = "                                                                " // 64
