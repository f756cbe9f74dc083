//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package report

import (
	"os"
	"syscall"
)

// openLockFile opens (or creates) a lock file without following a link
// and without waiting (a FIFO would block a plain open).
func openLockFile(name string) (*os.File, error) {
	return os.OpenFile(name, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o644)
}

// lockFile takes an exclusive flock of f, without waiting: errLocked
// when another open file holds it (another process, or another report
// of this one).
func lockFile(f *os.File) error {
	err := withFd(f, func(fd uintptr) error {
		for {
			if err := syscall.Flock(int(fd), syscall.LOCK_EX|syscall.LOCK_NB); err != syscall.EINTR {
				return err
			}
		}
	})
	if err == syscall.EWOULDBLOCK {
		return errLocked
	}
	return err
}
