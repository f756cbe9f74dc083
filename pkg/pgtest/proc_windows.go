package pgtest

import (
	"os/exec"
	"os/user"
)

// The tests run as Windows programs under Wine, which cannot start the
// Linux server binaries; findBin finds none there, so these are never
// reached.
func asUser(*exec.Cmd, *user.User) {}

func endWithUs(*exec.Cmd) {}

func signalFast(cmd *exec.Cmd) { cmd.Process.Kill() }
