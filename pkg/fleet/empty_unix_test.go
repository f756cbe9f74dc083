//go:build unix

package fleet

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
)

// TestReadBundlePipe: a bundle read from a pipe (importer inspect
// <(age -d …), /dev/stdin) is empty only when the pipe carried no byte.
// A pipe's size is 0 whatever it carries: told by the file's size, text
// through a pipe was "empty: copy it again" instead of not a bundle.
func TestReadBundlePipe(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		data  string
		empty bool
		hint  string
	}{
		{"text", "Name: Windows(R), Professional edition\r\n", false, "leave it out"},
		{"nothing", "", true, "copy it again"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "pipe")
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				w, err := os.OpenFile(path, os.O_WRONLY, 0)
				if err == nil {
					_, err = w.WriteString(tc.data)
					if cerr := w.Close(); err == nil {
						err = cerr
					}
				}
				done <- err
			}()
			_, err := ReadBundle(path, bundle.Limits{}, []age.Identity{id})
			if werr := <-done; werr != nil {
				t.Fatal(werr)
			}
			wantNotBundle(t, err, tc.empty, tc.hint)
		})
	}
}

// TestStickSettingsPipe: a pipe named actcourier.conf beside foreign
// bundles (a stick is not trusted) is not opened: a read of it would
// wait for a writer that never comes, and the import would never end.
func TestStickSettingsPipe(t *testing.T) {
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "actcourier.conf"), 0o600); err != nil {
		t.Fatal(err)
	}
	done := make(chan []Stick, 1)
	go func() { done <- (&Bundles{roots: []string{dir}}).sticks() }()
	select {
	case s := <-done:
		if len(s) != 0 {
			t.Errorf("got %v from a pipe, want nothing", s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("reading the stick's settings waits on a pipe")
	}
}

// TestReadAtMostPipe: readAtMost, which reads the stick's settings and
// saved text, opens what it is given without waiting and refuses all
// but a file: a name that was a file when readStick or ImportText looked
// at it may be a pipe by the time it is opened (the stick is not
// trusted), and an open that waited for a writer, or a read that waited
// for a byte from one that never writes, would never end.
func TestReadAtMostPipe(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "actcourier.conf")
	if err := os.WriteFile(file, []byte("site = Nagoya\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	pipe := func(t *testing.T) string {
		p := filepath.Join(t.TempDir(), "actcourier.conf")
		if err := syscall.Mkfifo(p, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name string
		path func(t *testing.T) string
		ok   bool
	}{
		{"file", func(*testing.T) string { return file }, true},
		{"pipe", pipe, false},
		{"pipe held open by a writer that writes nothing", func(t *testing.T) string {
			p := pipe(t)
			// O_RDWR opens a pipe at once on Linux and the BSDs,
			// and holds a writer as long as it is open.
			w, err := os.OpenFile(p, os.O_RDWR, 0)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { w.Close() })
			return p
		}, false},
		{"folder", func(*testing.T) string { return dir }, false},
		{"device", func(*testing.T) string { return os.DevNull }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := tc.path(t)
			done := make(chan error, 1)
			go func() {
				_, err := readAtMost(path, 1<<10)
				done <- err
			}()
			select {
			case err := <-done:
				if (err == nil) != tc.ok {
					t.Errorf("got %v, want ok %v", err, tc.ok)
				}
				if !tc.ok && !errors.Is(err, ErrNotFile) {
					t.Errorf("got %v, want ErrNotFile", err)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("readAtMost waits")
			}
		})
	}
}
