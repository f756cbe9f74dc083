package main

import (
	"os"
	"unsafe"

	"golang.org/x/sys/windows"
)

var procGetConsoleProcessList = windows.NewLazySystemDLL("kernel32.dll").NewProc("GetConsoleProcessList")

// ownConsole reports whether the collector was started by a
// double-click: then it is the only process on its console, and the
// window would close before the engineer could read the summary
// (closeWindow).
func ownConsole() bool {
	var pids [4]uint32
	n, _, _ := procGetConsoleProcessList.Call(uintptr(unsafe.Pointer(&pids[0])), uintptr(len(pids)))
	return n == 1
}

// echoOff stops the console from showing what is typed, until restore:
// a passphrase is typed without echo. (x/term does the same with more
// code; the 32-bit collector stays small.)
func echoOff() (restore func()) {
	h := windows.Handle(os.Stdin.Fd())
	var mode uint32
	if windows.GetConsoleMode(h, &mode) != nil || windows.SetConsoleMode(h, mode&^windows.ENABLE_ECHO_INPUT) != nil {
		return func() {}
	}
	return func() { windows.SetConsoleMode(h, mode) }
}

// consoleWidth is the width in columns of the console f shows, its
// screen buffer's (which the console folds lines at, also when the
// window is narrower and scrolls sideways), or 0 when f is not a
// console: output redirected to a file.
func consoleWidth(f *os.File) int {
	var info windows.ConsoleScreenBufferInfo
	if windows.GetConsoleScreenBufferInfo(windows.Handle(f.Fd()), &info) != nil {
		return 0
	}
	return int(info.Size.X)
}
