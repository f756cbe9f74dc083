package bundle

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"
)

// failingFile is a real temporary file that fails every write after limit
// bytes with err, as a full or pulled stick does: wrapped in an
// *fs.PathError that names the file, as an *os.File's write error is.
type failingFile struct {
	*os.File
	limit int
	err   error
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n, _ := f.File.Write(p[:f.limit])
		f.limit = 0
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: f.err}
	}
	f.limit -= len(p)
	return f.File.Write(p)
}

func failAfter(limit int, err error) func(dir, pattern string) (tempFile, error) {
	return func(dir, pattern string) (tempFile, error) {
		f, err2 := os.CreateTemp(dir, pattern)
		if err2 != nil {
			return nil, err2
		}
		return &failingFile{f, limit, err}, nil
	}
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	id := newIdentity(t)
	path, m, err := WriteFile(dir, Header{}, testMembers, id.Recipient())
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(path) != m.ID+Ext || !ValidID(m.ID) {
		t.Fatalf("path %s, ID %s: want <id>%s", path, m.ID, Ext)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Fatalf("dir holds %v, want only the bundle", names)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte("Windows")) {
		t.Fatal("bundle file holds plaintext")
	}
	b, err := Open(bytes.NewReader(data), Limits{}, id)
	if err != nil {
		t.Fatal(err)
	}
	if b.Manifest.ID != m.ID {
		t.Fatalf("read ID %s, wrote %s", b.Manifest.ID, m.ID)
	}
	if _, _, err := WriteFile(dir, Header{ID: m.ID}, nil, id.Recipient()); err == nil {
		t.Fatal("WriteFile over an existing bundle succeeded")
	}
	if _, _, err := WriteFile(dir, Header{}, nil); !errors.Is(err, ErrNoRecipient) {
		t.Fatalf("no recipient: got %v, want ErrNoRecipient", err)
	}
	if names := dirNames(t, dir); len(names) != 1 {
		t.Fatalf("dir holds %v after refused writes", names)
	}
}

// TestWriteFileFailures drills a full stick, a write-protected one and a
// stick pulled mid-write at many points: each must return the cause and
// leave nothing behind.
func TestWriteFileFailures(t *testing.T) {
	id := newIdentity(t)
	size := len(encodeBundle(t, testMembers, id.Recipient()))
	causes := []error{syscall.ENOSPC, syscall.EROFS, syscall.EIO}
	cases := 0
	defer func() {
		t.Logf("%d failing writes (%v at many offsets of %d bytes) left nothing behind", cases, causes, size)
	}()
	for _, cause := range causes {
		for limit := 0; limit < size; limit += 1 + limit/3 {
			cases++
			dir := t.TempDir()
			_, _, err := writeFile(dir, Header{}, testMembers, []age.Recipient{id.Recipient()}, failAfter(limit, cause))
			if !errors.Is(err, cause) {
				t.Fatalf("%v after %d bytes: got %v", cause, limit, err)
			}
			// The temporary file is named once: the os package's
			// error names it already.
			if n := strings.Count(err.Error(), ".tmp"); n != 1 {
				t.Fatalf("%v after %d bytes: %q names the temporary file %d times, want 1", cause, limit, err, n)
			}
			if names := dirNames(t, dir); len(names) != 0 {
				t.Fatalf("%v after %d bytes left %v", cause, limit, names)
			}
		}
	}
	// The drill's point: after the failure, a rerun succeeds.
	dir := t.TempDir()
	writeFile(dir, Header{}, testMembers, []age.Recipient{id.Recipient()}, failAfter(100, syscall.EIO))
	if _, _, err := WriteFile(dir, Header{}, testMembers, id.Recipient()); err != nil {
		t.Fatalf("rerun: %v", err)
	}
	if names := dirNames(t, dir); len(names) != 1 || !strings.HasSuffix(names[0], Ext) {
		t.Fatalf("after rerun dir holds %v", names)
	}
}

func TestWriteFileMissingOrReadOnlyDir(t *testing.T) {
	id := newIdentity(t)
	if _, _, err := WriteFile(filepath.Join(t.TempDir(), "nope"), Header{}, testMembers, id.Recipient()); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing dir: got %v, want ErrNotExist", err)
	}
	if os.Geteuid() == 0 || runtime.GOOS == "windows" {
		// root writes to a 0555 folder, and on Windows the read-only
		// attribute of a folder does not stop files being made in it;
		// the EROFS drill above covers both.
		return
	}
	dir := t.TempDir()
	os.Chmod(dir, 0o555)
	defer os.Chmod(dir, 0o755)
	if _, _, err := WriteFile(dir, Header{}, testMembers, id.Recipient()); !errors.Is(err, os.ErrPermission) {
		t.Fatalf("read-only dir: got %v, want ErrPermission", err)
	}
	if names := dirNames(t, dir); len(names) != 0 {
		t.Fatalf("read-only dir holds %v", names)
	}
}
