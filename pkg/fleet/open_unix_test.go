//go:build unix

package fleet

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"
)

// TestOpenRegularAgain: a file system that honours O_NONBLOCK for a
// regular file (a FUSE daemon) says EAGAIN while it has no data yet;
// openRegular's file is then set blocking and read again, not refused.
func TestOpenRegularAgain(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a.tar.zst.age")
	payload := strings.Repeat("payload ", 1<<10)
	if err := os.WriteFile(file, []byte(payload), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		again int // reads that would say EAGAIN while the file is non-blocking
	}{
		{"never", 0},
		{"once", 1},
		{"always", 1 << 20}, // the file is set blocking after the first
	} {
		t.Run(tc.name, func(t *testing.T) {
			said, blocking := 0, false
			readFD = func(fd int, p []byte) (int, error) {
				flags, err := fcntlFlags(fd)
				if err != nil {
					return 0, err
				}
				blocking = flags&syscall.O_NONBLOCK == 0
				if !blocking && said < tc.again {
					said++
					return -1, syscall.EAGAIN
				}
				return syscall.Read(fd, p)
			}
			defer func() { readFD = syscall.Read }()
			f, err := openRegular(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := io.ReadAll(f)
			if err != nil || string(got) != payload {
				t.Fatalf("read %d bytes, %v; want the %d bytes of the file", len(got), err, len(payload))
			}
			if want := tc.again > 0; blocking != want {
				t.Errorf("read with the file blocking: %v, want %v", blocking, want)
			}
			if tc.again > 0 && said != 1 {
				t.Errorf("EAGAIN said %d times before the file was set blocking, want 1", said)
			}
		})
	}
}

// fcntlFlags is fcntl(fd, F_GETFL).
func fcntlFlags(fd int) (int, error) {
	r, _, e := syscall.Syscall(syscall.SYS_FCNTL, uintptr(fd), syscall.F_GETFL, 0)
	if e != 0 {
		return 0, e
	}
	return int(r), nil
}

// TestInspectReadError: a bundle whose read fails after it opened (EIO
// from a stick pulled, said by read(2) itself) is named once on stderr,
// with the error, as the import's rejected list names it.
func TestInspectReadError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "x.tar.zst.age")
	if err := os.WriteFile(file, []byte(strings.Repeat("age-encryption.org/v1\n", 400)), 0o600); err != nil {
		t.Fatal(err)
	}
	reads := 0
	readFD = func(fd int, p []byte) (int, error) {
		if reads++; reads > 1 {
			return -1, syscall.EIO
		}
		return syscall.Read(fd, p)
	}
	defer func() { readFD = syscall.Read }()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	// Found in a folder: opened by openListed, read by regularFile.
	var stdout, stderr strings.Builder
	failed, err := Inspect(&stdout, &stderr, []string{filepath.Dir(file)}, []age.Identity{id}, false)
	if err != nil || failed != 1 {
		t.Fatalf("failed %d, %v", failed, err)
	}
	if got := stderr.String(); strings.Count(got, file) != 1 || !strings.Contains(got, syscall.EIO.Error()) {
		t.Errorf("stderr %q, want %s named once, with %q", got, file, syscall.EIO.Error())
	}
}
