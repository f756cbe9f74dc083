//go:build unix

package fleet

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

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
