package filetree

import (
	"os"
	"os/exec"
	"testing"
)

// readOnly makes dir unwritable for this process until the test ends. As root, permission
// bits do not stop anyone, so it uses the immutable attribute (chattr +i) instead.
func readOnly(t *testing.T, dir string) {
	t.Helper()
	if os.Geteuid() != 0 {
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o755) })
		return
	}
	readOnlyLinux(t, dir)
}

// readOnlyLinux sets the immutable attribute on dir: not even root can add, remove or rename
// entries in it, or rename it. It skips when that is impossible here.
func readOnlyLinux(t *testing.T, dir string) {
	t.Helper()
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make %s immutable: %v %s", dir, err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
}
