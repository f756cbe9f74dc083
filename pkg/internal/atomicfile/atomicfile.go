// Package atomicfile writes a file so that its name never stands for a
// part of it: through a new temporary file beside it, renamed once
// whole. A stick pulled out, a disk that fills up or a report that
// fails part way leaves the name as it was.
//
// Why not os.CreateTemp: it gives every file mode 0600, and some files
// are for other accounts to read (reports, the activation worklist,
// read by staff or auditors over a share), so the mode is the caller's.
package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
)

// CreateTemp creates a new file in dir named prefix, a random number and
// suffix, with perm less the umask. O_EXCL: never through a link or a
// file someone left of that name.
func CreateTemp(dir, prefix, suffix string, perm os.FileMode) (*os.File, error) {
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if errors.Is(err, fs.ErrExist) && try < 10000 {
			continue
		}
		return f, err
	}
}

// Write writes name with perm (less the umask) through a temporary file
// beside it (".name.N.tmp") that write fills; synced, closed, then
// renamed. On any error the temporary file is removed and name is left
// as it was.
func Write(name string, perm os.FileMode, write func(*os.File) error) error {
	f, err := CreateTemp(filepath.Dir(name), "."+filepath.Base(name)+".", ".tmp", perm)
	if err != nil {
		return err
	}
	err = write(f)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), name)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}
