//go:build !windows

package main

import "io"

// pauseIfOwnConsole does nothing outside Windows: there is no window that
// closes on exit.
func pauseIfOwnConsole(io.Reader, io.Writer) {}
