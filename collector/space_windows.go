package main

import (
	"errors"

	"golang.org/x/sys/windows"
)

// diskFree is the room (bytes) left for this user on the volume of dir.
func diskFree(dir string) (uint64, error) {
	p, err := windows.UTF16PtrFromString(dir)
	if err != nil {
		return 0, err
	}
	var free uint64
	err = windows.GetDiskFreeSpaceEx(p, &free, nil, nil)
	return free, err
}

// diskFull reports whether err says the volume has no room left: a
// full stick fails a write with ERROR_DISK_FULL (so does Wine, for
// ENOSPC), or ERROR_HANDLE_DISK_FULL on some drivers.
func diskFull(err error) bool {
	return errors.Is(err, windows.ERROR_DISK_FULL) || errors.Is(err, windows.ERROR_HANDLE_DISK_FULL)
}

// writeProtected reports whether err says the volume takes no writes: a
// stick whose switch is on LOCK fails with ERROR_WRITE_PROTECT. (Wine
// says ERROR_ACCESS_DENIED of a read-only mount: stickFault's hint for
// a refusal names the switch too.)
func writeProtected(err error) bool { return errors.Is(err, windows.ERROR_WRITE_PROTECT) }
