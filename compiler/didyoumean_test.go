package compiler

import "testing"

func TestLevenshtein(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"a", "", 1}, {"", "abc", 3}, {"zerotier", "zerotier", 0},
		{"zerotear", "zerotier", 2}, {"nixso", "nixos", 1}, {"kitten", "sitting", 3}, {"peers", "peer", 1},
	} {
		if got := levenshtein(tc.a, tc.b); got != tc.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		if got := levenshtein(tc.b, tc.a); got != tc.want {
			t.Errorf("levenshtein(%q, %q) = %d, want %d (symmetry)", tc.b, tc.a, got, tc.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"controller", "moon", "peer"}
	for _, tc := range []struct{ name, want string }{
		{"peers", "peer"}, {"Peer", "peer"}, {"controler", "controller"}, {"relay", ""}, {"peer", ""}, {"", ""},
	} {
		if got := suggest(tc.name, cands); got != tc.want {
			t.Errorf("suggest(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
}
