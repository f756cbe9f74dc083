package report

import (
	"os"

	"golang.org/x/sys/windows"
)

func openLockFile(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
}

// lockFile locks the first byte of f (beyond its end: the file stays
// empty and readable) with LockFileEx, without waiting: errLocked when
// another handle holds it (another process, or another report of this
// one).
func lockFile(f *os.File) error {
	err := withFd(f, func(fd uintptr) error {
		return windows.LockFileEx(windows.Handle(fd), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, new(windows.Overlapped))
	})
	if err == windows.ERROR_LOCK_VIOLATION || err == windows.ERROR_IO_PENDING {
		return errLocked
	}
	return err
}
