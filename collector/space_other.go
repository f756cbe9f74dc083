//go:build !windows

package main

import (
	"errors"
	"syscall"
)

// diskFree is not asked outside Windows, where the collector only
// replays (tests and demos): the room is not checked there.
func diskFree(string) (uint64, error) { return 0, errors.New("free space not known on this OS") }

// diskFull reports whether err says the volume has no room left.
func diskFull(err error) bool {
	return errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EDQUOT)
}

// writeProtected reports whether err says the volume takes no writes.
func writeProtected(err error) bool { return errors.Is(err, syscall.EROFS) }
