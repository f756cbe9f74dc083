//go:build !windows

package main

import "os"

// ownConsole is false outside Windows: there is no window that closes on
// exit.
func ownConsole() bool { return false }

// echoOff does nothing outside Windows, where the collector only replays
// (tests and demos).
func echoOff() (restore func()) { return func() {} }

// consoleWidth is 80 for a terminal, the columns of the Windows 7
// console the screens are made for, and 0 for anything else (a file):
// outside Windows the collector only replays, and its terminal is the
// test of a screen.
func consoleWidth(f *os.File) int {
	if isTerminal(f) {
		return 80
	}
	return 0
}
