package cuefleet_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// lineCol finds the first line of the owner's CUE file that starts with prefix and returns
// "line:col" of its first non-blank byte.
func lineCol(t *testing.T, prefix string) string {
	t.Helper()
	data, err := os.ReadFile(ownerCUE)
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, prefix) {
			return fmt.Sprintf("%d:%d", i+1, len(line)-len(strings.TrimLeft(line, "\t "))+1)
		}
	}
	t.Fatalf("no line starts with %q", prefix)
	return ""
}
