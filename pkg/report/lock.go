package report

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// ErrBusy means another report is being written into the folder. Two
// reports in one folder at once would take each other's temporary files
// for a killed run's (removeStale) and remove each other's pages
// (finishFolder), and the folder would hold a mix of both; so a report
// holds the folder's LockFile locked while it writes, and a second one
// stops before it writes anything.
var ErrBusy = errors.New("another report is being written into this folder")

// LockFile is the file of a report folder that a report holds locked
// (an advisory lock of the operating system: flock on Unix, LockFileEx
// on Windows) from NewWriter to Close or Abort, and then removes. A
// lock ends with the process that held it: a report that was killed
// leaves the file, empty, and the next report takes it and removes it.
const LockFile = ".actcourier-report.lock"

// errLocked is what lockFile returns when another holds the lock.
var errLocked = errors.New("locked")

// folderLock is a report folder's LockFile, held locked.
type folderLock struct {
	f    *os.File
	name string
}

// lockFolder takes the lock of the report folder dir, or returns
// ErrBusy at once when another report holds it. The lock file must be a
// regular file: a folder others may write to could hold a link (not
// followed on Unix) or a FIFO (whose open would wait) in its place.
//
// A lock taken on a file that its holder removed as it finished is no
// lock: the file under the name is checked to be the one locked, or the
// lock is taken again on the new one.
func lockFolder(dir string) (*folderLock, error) {
	name := filepath.Join(dir, LockFile)
	for try := 0; ; try++ {
		f, err := openLockFile(name)
		if err != nil {
			return nil, fmt.Errorf("locking the report folder: %w", err)
		}
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			f.Close()
			return nil, fmt.Errorf("locking the report folder: %s is not a regular file; remove it", name)
		}
		switch err := lockFile(f); {
		case errors.Is(err, errLocked):
			f.Close()
			return nil, fmt.Errorf("%w (%s is locked)", ErrBusy, name)
		case err != nil:
			f.Close()
			return nil, fmt.Errorf("locking the report folder: %s: %w", name, err)
		}
		if now, err := os.Lstat(name); err == nil && os.SameFile(fi, now) {
			return &folderLock{f, name}, nil
		}
		f.Close()
		if try == 10 {
			return nil, fmt.Errorf("%w (%s keeps being replaced)", ErrBusy, name)
		}
	}
}

// withFd runs fn on the descriptor (the handle, on Windows) of f.
func withFd(f *os.File, fn func(fd uintptr) error) error {
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var ferr error
	if err := rc.Control(func(fd uintptr) { ferr = fn(fd) }); err != nil {
		return err
	}
	return ferr
}

// unlock removes the lock file and releases the lock. On Unix the file
// is removed while still locked, so whoever opens it next either waits
// for nothing (ErrBusy: we were still running) or finds it gone from
// its name (lockFolder takes a new one). Windows does not remove a file
// that is open: it is closed first, and left where another report has
// opened it since. A nil lock (none taken) is nothing to release.
func (l *folderLock) unlock() {
	if l == nil {
		return
	}
	if runtime.GOOS == "windows" {
		l.f.Close()
		os.Remove(l.name)
		return
	}
	os.Remove(l.name)
	l.f.Close()
}
