//go:build !windows

package main

import "io"

// pauseIfOwnConsole does nothing outside Windows: there is no window that
// closes on exit.
func pauseIfOwnConsole(io.Reader, io.Writer) {}

// echoOff does nothing outside Windows, where the collector only replays
// (tests and demos).
func echoOff() (restore func()) { return func() {} }
