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
	for {
		fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: path, Err: err}
		}
		return os.NewFile(uintptr(fd), path), nil
	}
}
