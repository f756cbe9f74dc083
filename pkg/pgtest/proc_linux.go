package pgtest

import "syscall"

// procAttr ends the server with us: should a test binary be killed, its
// server gets SIGQUIT (an immediate shutdown) rather than living on.
func procAttr() *syscall.SysProcAttr { return &syscall.SysProcAttr{Pdeathsig: syscall.SIGQUIT} }
