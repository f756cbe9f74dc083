//go:build !windows

package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"
)

// console is needed on Windows only (interrupt_windows_test.go).
func console(t *testing.T) {}

// interrupt sends SIGINT, as Ctrl-C in a terminal does.
func interrupt(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatalf("SIGINT: %v", err)
	}
}

// endedByInterrupt reports whether a program ended, by Wait's err, as
// SIGINT ends one that does not handle it.
func endedByInterrupt(err error) bool {
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		return false
	}
	ws, ok := ee.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
}
