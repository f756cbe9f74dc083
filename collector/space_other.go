//go:build !windows

package main

import "errors"

// diskFree is not asked outside Windows, where the collector only
// replays (tests and demos): the room is not checked there.
func diskFree(string) (uint64, error) { return 0, errors.New("free space not known on this OS") }
