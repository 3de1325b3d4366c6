//go:build !unix

package cli

import "os/exec"

// setProcessGroup leaves the default: cancelling kills the script's process only.
func setProcessGroup(cmd *exec.Cmd) {}
