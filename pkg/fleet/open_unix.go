//go:build unix

package fleet

import (
	"io/fs"
	"os"
	"syscall"
)

// openFile opens a bundle file for reading. os.Open would set the file
// non-blocking, try to add it to the runtime's poller, which refuses
// regular files, and set it blocking again: five system calls more than
// the open, for every bundle, about 3 % of an import's CPU time.
// os.NewFile of a blocking descriptor asks for its flags once (one call
// more than the open) and leaves it out of the poller, as os.Open ends
// up doing.
func openFile(path string) (*os.File, error) {
	fd, err := openRead(path, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openRegular opens a file to read without waiting, and refuses anything
// but a regular file (ErrNotFile): a name on a stick that was a file
// when it was looked at may be a named pipe by the time it is opened,
// whose open waits for a writer. O_NONBLOCK makes that open return at
// once; fstat of the descriptor opened (not of the name, which may
// change again) tells what it is. A file is set blocking again, so that
// os.NewFile leaves it out of the runtime's poller, as openFile does.
func openRegular(path string) (*os.File, error) {
	fd, err := openRead(path, syscall.O_NONBLOCK)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	var st syscall.Stat_t
	err = fstat(fd, &st)
	if err == nil && st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		err = ErrNotFile
	}
	if err == nil {
		err = syscall.SetNonblock(fd, false)
	}
	if err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openRead is open(2) for reading with flags besides, again when a
// signal interrupted it.
func openRead(path string, flags int) (int, error) {
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|flags, 0)
		if err != syscall.EINTR {
			return fd, err
		}
	}
}

// fstat is fstat(2), again when a signal interrupted it.
func fstat(fd int, st *syscall.Stat_t) error {
	for {
		if err := syscall.Fstat(fd, st); err != syscall.EINTR {
			return err
		}
	}
}
