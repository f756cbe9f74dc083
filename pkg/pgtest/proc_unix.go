//go:build unix

package pgtest

import (
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// endWithUs makes cmd end with the test binary (procAttr), whoever runs
// it.
func endWithUs(cmd *exec.Cmd) { cmd.SysProcAttr = procAttr() }

// asUser makes cmd run as u: runuser's effect, without a runuser process
// between us and the server. It keeps endWithUs.
func asUser(cmd *exec.Cmd, u *user.User) {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if cmd.SysProcAttr == nil {
		endWithUs(cmd)
	}
	cmd.SysProcAttr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

// signalFast asks the postmaster for a fast shutdown (SIGINT).
func signalFast(cmd *exec.Cmd) { cmd.Process.Signal(syscall.SIGINT) }
