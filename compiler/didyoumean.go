package compiler

import (
	"fmt"
	"strings"
)

// levenshtein is the edit distance between a and b (bytes; names are ASCII), counting a
// swap of two neighbouring bytes as one edit (optimal string alignment), the commonest typo.
func levenshtein(a, b string) int {
	rows := make([][]int, len(a)+1)
	for i := range rows {
		rows[i] = make([]int, len(b)+1)
		rows[i][0] = i
	}
	for j := range rows[0] {
		rows[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(rows[i-1][j]+1, rows[i][j-1]+1, rows[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, rows[i-2][j-2]+1)
			}
			rows[i][j] = d
		}
	}
	return rows[len(a)][len(b)]
}

// suggest returns the candidate closest to name when it is close enough to be a likely typo
// (at most a third of the name's length, at least 1, edits; case differences are free), or "".
// Ties go to the earlier candidate, so callers pass candidates in a fixed order.
func suggest(name string, candidates []string) string {
	if name == "" {
		return ""
	}
	best, bestD := "", -1
	limit := max(1, len(name)/3)
	for _, c := range candidates {
		if c == name {
			continue
		}
		d := levenshtein(strings.ToLower(name), strings.ToLower(c))
		if d <= limit && (bestD < 0 || d < bestD) {
			best, bestD = c, d
		}
	}
	return best
}

// didYouMean is the hint for an unknown name: `did you mean "x"?`, or "" when nothing is close.
func didYouMean(name string, candidates []string) string {
	if s := suggest(name, candidates); s != "" {
		return fmt.Sprintf("did you mean %q?", s)
	}
	return ""
}
