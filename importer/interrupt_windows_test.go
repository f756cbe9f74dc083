//go:build windows

package main

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
	"testing"

	"golang.org/x/sys/windows"

	"github.com/actcourier/actcourier/pkg/terminal"
)

var (
	kernel32              = windows.NewLazySystemDLL("kernel32.dll")
	procAllocConsole      = kernel32.NewProc("AllocConsole")
	procFreeConsole       = kernel32.NewProc("FreeConsole")
	procSetConsoleHandler = kernel32.NewProc("SetConsoleCtrlHandler")
)

// console gives the test a console of its own that the importers it
// starts next share, so that interrupt can press Ctrl-C in it. A test run
// with its output in a pipe (go test, Wine without a terminal) has none
// that can carry Ctrl-C. While the test runs, a handler keeps the test
// itself from being stopped by the Ctrl-C it sends.
func console(t *testing.T) {
	t.Helper()
	if !terminal.IsTerminal(os.Stdout) {
		procFreeConsole.Call()
		if r, _, err := procAllocConsole.Call(); r == 0 {
			t.Fatalf("AllocConsole: %v", err)
		}
	}
	swallow := syscall.NewCallback(func(event uint32) uintptr { return 1 })
	if r, _, err := procSetConsoleHandler.Call(swallow, 1); r == 0 {
		t.Fatalf("SetConsoleCtrlHandler: %v", err)
	}
	t.Cleanup(func() { procSetConsoleHandler.Call(swallow, 0) })
}

// interrupt presses Ctrl-C in the console cmd shares with the test (see
// console): Windows delivers CTRL_C_EVENT to every process on it, and Go
// turns it into os.Interrupt.
func interrupt(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := windows.GenerateConsoleCtrlEvent(windows.CTRL_C_EVENT, 0); err != nil {
		t.Fatalf("GenerateConsoleCtrlEvent: %v", err)
	}
}

// endedByInterrupt reports whether a program ended, by Wait's err, as
// Ctrl-C ends one that does not handle it: STATUS_CONTROL_C_EXIT on
// Windows, status 0 under Wine 8, whose default handler ends it so (the
// child would otherwise sleep a minute first).
func endedByInterrupt(err error) bool {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return uint32(ee.ExitCode()) == 0xC000013A
	}
	return err == nil
}
