//go:build unix

package cli

import (
	"os/exec"
	"syscall"
	"time"
)

// setProcessGroup runs the script in its own process group and, when the command is
// cancelled (interrupt), kills the whole group: the script and whatever it started.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 5 * time.Second
}
