//go:build !unix

package fleet

import (
	"errors"
	"io"
	"io/fs"
	"os"
)

// openFile opens a bundle file for reading (see open_unix.go).
func openFile(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

// openRegular opens a file to read and refuses anything but a regular
// file (ErrNotFile), as on Unix (open_unix.go). Windows has no named
// pipe on a stick's file system (\\.\pipe\ names are refused here
// by their mode), so an open does not wait.
func openRegular(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			err = ErrNotFile
		}
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	return f, nil
}

// openListed is openRegular for a file found in a folder. A symbolic
// link put in the file's place after the listing is followed, unlike on
// Unix: os.Open has no O_NOFOLLOW here, and telling one after the open
// would cost a call more for every bundle. One that does not open is
// refused as there (listedOpenError).
func openListed(path string) (io.ReadCloser, error) {
	f, err := openRegular(path)
	if pe, ok := err.(*fs.PathError); ok && !errors.Is(err, ErrNotFile) {
		return nil, &fs.PathError{Op: pe.Op, Path: pe.Path, Err: listedOpenError(path, pe.Err)}
	}
	return f, err
}
