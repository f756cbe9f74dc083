package bundle

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"filippo.io/age"
)

// WriteFile writes a bundle with the given members into dir as
// <id>.tar.zst.age and returns its path and manifest.
//
// The bundle is streamed into a temporary file beside the target, synced,
// closed and only then renamed to its final name, and the directory is
// synced. On any error (disk full, write-protected stick, stick pulled) the
// temporary file is removed and the error returned: no partial bundle ever
// carries the final name. The temporary name starts with a dot and holds the
// bundle ID only, so it reveals nothing about the device either.
func WriteFile(dir string, hdr Header, members []Member, recipients ...age.Recipient) (path string, m Manifest, err error) {
	return writeFile(dir, hdr, members, recipients, osCreate)
}

// tempFile is what writeFile needs of the temporary file it writes. The
// fault drills in file_test.go give it one that fails after N bytes, as a
// pulled or full stick does; WriteFile's guarantees hold whatever the file
// does.
type tempFile interface {
	io.Writer
	Sync() error
	Close() error
	Name() string
}

func osCreate(dir, pattern string) (tempFile, error) { return os.CreateTemp(dir, pattern) }

func writeFile(dir string, hdr Header, members []Member, recipients []age.Recipient,
	create func(dir, pattern string) (tempFile, error)) (path string, m Manifest, err error) {
	if len(recipients) == 0 {
		return "", Manifest{}, ErrNoRecipient
	}
	if hdr.ID == "" {
		if hdr.ID, err = NewID(); err != nil {
			return "", Manifest{}, err
		}
	}
	final := filepath.Join(dir, FileName(hdr.ID))
	if _, err := os.Lstat(final); err == nil {
		return "", Manifest{}, fmt.Errorf("bundle: %s already exists", final)
	}

	f, err := create(dir, "."+hdr.ID+".*.tmp")
	if err != nil {
		return "", Manifest{}, fmt.Errorf("bundle: create file in %s: %w", dir, err)
	}
	tmp := f.Name()
	closed := false
	defer func() {
		if err != nil {
			if !closed {
				f.Close()
			}
			os.Remove(tmp)
		}
	}()

	// age reports a failed write without wrapping it; keep the cause so
	// callers can tell a full stick (ENOSPC) from a pulled one.
	tw := &trackWriter{w: f}
	if m, err = Encode(tw, hdr, members, recipients...); err != nil {
		if tw.err != nil {
			err = tw.err
		}
		return "", Manifest{}, tempError("write", tmp, err)
	}
	if err = f.Sync(); err != nil {
		return "", Manifest{}, tempError("sync", tmp, err)
	}
	// Close, then rename: Windows does not rename open files.
	closed = true
	if err = f.Close(); err != nil {
		return "", Manifest{}, tempError("close", tmp, err)
	}
	if err = os.Rename(tmp, final); err != nil {
		return "", Manifest{}, tempError("rename", tmp, err)
	}
	syncDir(dir)
	return final, m, nil
}

// tempError wraps the error of step on the temporary file tmp. An error of
// the os package names the step and the file already ("write
// .<id>.123.tmp: no space left on device"): it is wrapped as it is, so
// that a message says the name once; any other gets both.
func tempError(step, tmp string, err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	if errors.As(err, &pe) && pe.Path == tmp || errors.As(err, &le) && le.Old == tmp {
		return fmt.Errorf("bundle: %w", err)
	}
	return fmt.Errorf("bundle: %s %s: %w", step, tmp, err)
}

// syncDir makes the rename durable where the system allows it. It is best
// effort: the bundle's bytes are already synced, and a failure here can at
// worst lose the new name on power loss, never expose a partial bundle.
// Windows cannot open a directory for syncing at all.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}

// trackWriter remembers the first error of its writer.
type trackWriter struct {
	w   io.Writer
	err error
}

func (t *trackWriter) Write(p []byte) (int, error) {
	n, err := t.w.Write(p)
	if err != nil && t.err == nil {
		t.err = err
	}
	return n, err
}
