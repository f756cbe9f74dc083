//go:build unix

package pgtest

import (
	"os/exec"
	"os/user"
	"strconv"
	"syscall"
)

// asUser makes cmd run as u: runuser's effect, without a runuser process
// between us and the server.
func asUser(cmd *exec.Cmd, u *user.User) {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	attr := procAttr()
	attr.Credential = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	cmd.SysProcAttr = attr
}

// signalFast asks the postmaster for a fast shutdown (SIGINT).
func signalFast(cmd *exec.Cmd) { cmd.Process.Signal(syscall.SIGINT) }
