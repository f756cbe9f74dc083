//go:build !windows

package main

import (
	"os"
	"os/exec"
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
