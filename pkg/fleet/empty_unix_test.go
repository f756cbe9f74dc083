//go:build unix

package fleet

import (
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
