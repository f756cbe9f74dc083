//go:build unix

package fleet

import (
	"io"
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
// up doing. A name given by the user may be a pipe (importer inspect
// <(age -d …)): its open waits for a writer, as the user meant.
func openFile(path string) (io.ReadCloser, error) {
	fd, err := openRead(path, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return os.NewFile(uintptr(fd), path), nil
}

// openRegular opens a file to read without waiting, and refuses anything
// but a regular file (ErrNotFile): a name on a stick that was a file
// when it was listed or looked at may be a named pipe or a device by
// the time it is opened, whose open or read waits for a writer that
// never comes. O_NONBLOCK makes that open return at once; fstat of the
// descriptor opened (not of the name, which may change again) tells
// what it is. A link is followed: it opens the files the user names
// (import-text, --strings) and a stick's settings. The file it returns
// is read with read(2) itself, two system calls per file fewer than
// through os.NewFile (regularFile).
func openRegular(path string) (io.ReadCloser, error) {
	fd, err := openRead(path, syscall.O_NONBLOCK)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return regular(path, fd)
}

// openListed is openRegular for a file found in a folder, which opens
// every bundle an import finds there: a symbolic link put in the file's
// place is not followed (O_NOFOLLOW, in the same open: no call more), as
// the walk that listed the file follows none. The open fails then
// (ELOOP on Linux and macOS, EMLINK on FreeBSD, EFTYPE on NetBSD), and
// an lstat tells why (listedOpenError: ErrLink; a file gone is ErrGone).
func openListed(path string) (io.ReadCloser, error) {
	fd, err := openRead(path, syscall.O_NONBLOCK|syscall.O_NOFOLLOW)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: listedOpenError(path, err)}
	}
	return regular(path, fd)
}

// regular is fd, opened from path, to read as a regularFile; when it is
// no regular file, ErrNotFile, and fd is closed.
func regular(path string, fd int) (io.ReadCloser, error) {
	var st syscall.Stat_t
	err := fstat(fd, &st)
	if err == nil && st.Mode&syscall.S_IFMT != syscall.S_IFREG {
		err = ErrNotFile
	}
	if err != nil {
		syscall.Close(fd)
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return &regularFile{fd: fd, name: path}, nil
}

// regularFile reads a regular file opened by openRegular, with its
// O_NONBLOCK still set: read(2) of a regular file ignores the flag (a
// regular file is always ready; open(2): "no effect for regular files
// and block devices"), so clearing it would be two fcntl calls for
// nothing. It is not an *os.File because os.NewFile costs calls too:
// it asks for the flags (fcntl) and, the descriptor being non-blocking,
// offers it to the runtime's poller (epoll_ctl, which Linux refuses for
// a regular file; macOS's kqueue would take it, which os.Open itself
// avoids for regular files). Its errors are os.File's: *fs.PathError
// with the errno, io.EOF at the end. A file system that does honour
// the flag fails a read with EAGAIN: the file is then set blocking, once,
// and read again.
type regularFile struct {
	fd       int
	name     string
	blocking bool // O_NONBLOCK cleared, after a read that said EAGAIN
}

// readFD is read(2); a test makes it say EAGAIN.
var readFD = syscall.Read

// maxRead bounds one read(2), as os.File does: macOS refuses a count
// of 2 GiB or more.
const maxRead = 1 << 30

func (f *regularFile) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(p) > maxRead {
		p = p[:maxRead]
	}
	for {
		n, err := readFD(f.fd, p)
		switch {
		case err == syscall.EINTR:
			continue
		case err == syscall.EAGAIN && !f.blocking:
			// A file system that honours O_NONBLOCK for a regular
			// file (a FUSE daemon, some network file systems) has no
			// data yet: wait for it, as os.Open's file would. The
			// descriptor is a regular file's (fstat), no pipe's.
			if err := syscall.SetNonblock(f.fd, false); err != nil {
				return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
			}
			f.blocking = true
			continue
		case err != nil:
			return 0, &fs.PathError{Op: "read", Path: f.name, Err: err}
		case n == 0:
			return 0, io.EOF
		}
		return n, nil
	}
}

// Close closes the descriptor; a second Close is os.ErrClosed, as
// os.File's.
func (f *regularFile) Close() error {
	if f.fd < 0 {
		return &fs.PathError{Op: "close", Path: f.name, Err: os.ErrClosed}
	}
	err := syscall.Close(f.fd)
	f.fd = -1
	if err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
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
