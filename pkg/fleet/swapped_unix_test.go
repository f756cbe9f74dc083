//go:build unix

package fleet_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/fleet"
)

// TestImportSwappedForPipe: a bundle file of a folder that becomes a
// named pipe or a device after the folder was listed (a hostile stick
// or share) is rejected as not a file, named, without waiting: its
// open or read would wait for ever for a writer. The other bundles
// are imported.
func TestImportSwappedForPipe(t *testing.T) {
	id := key(t)
	dir := t.TempDir()
	files := archetypes(t, dir, id.Recipient())
	swaps := map[string]func(path string) error{
		files[0]: func(p string) error { return syscall.Mkfifo(p, 0o600) },
		// A pipe whose writer is there and writes nothing: an open
		// would not wait, a read would.
		files[1]: func(p string) error {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				return err
			}
			w, err := os.OpenFile(p, os.O_RDWR, 0)
			if err == nil {
				t.Cleanup(func() { w.Close() })
			}
			return err
		},
		files[2]: func(p string) error { return os.Symlink(os.DevNull, p) },
		files[3]: func(p string) error { return os.Mkdir(p, 0o700) },
	}
	fleet.SetListedHook(t, func(p string) {
		swap, ok := swaps[p]
		if !ok {
			return
		}
		if err := os.Remove(p); err != nil {
			t.Error(err)
		}
		if err := swap(p); err != nil {
			t.Error(err)
		}
	})
	db := newStore(t)
	type result struct {
		sum fleet.Summary
		err error
	}
	finished := make(chan result, 1)
	go func() {
		sum, err := fleet.Import(ctx, db, bundlesOf(t, []string{dir}), fleet.ImportOptions{Identities: []age.Identity{id}, Now: asOf}, nil)
		finished <- result{sum, err}
	}()
	var r result
	select {
	case r = <-finished:
	case <-time.After(20 * time.Second):
		t.Fatal("the import waits on a bundle swapped for a pipe")
	}
	if r.err != nil {
		t.Fatal(r.err)
	}
	if want := len(files) - len(swaps); r.sum.Imported != want {
		t.Errorf("imported %d, want %d", r.sum.Imported, want)
	}
	if len(r.sum.Rejected) != len(swaps) {
		t.Errorf("rejected %d, want %d: %v", len(r.sum.Rejected), len(swaps), r.sum.Rejected)
	}
	for _, o := range r.sum.Rejected {
		if _, ok := swaps[o.File]; !ok {
			t.Errorf("rejected %s: %v, want only the swapped files", o.File, o.Err)
			continue
		}
		if !errors.Is(o.Err, fleet.ErrNotFile) {
			t.Errorf("%s: got %v, want ErrNotFile", o.File, o.Err)
		}
		if reason, _ := fleet.Explain(o.Err); !strings.Contains(reason, "not a file") || !strings.Contains(reason, filepath.Base(o.File)) {
			t.Errorf("%s: reason %q, want one that says not a file and names it", o.File, reason)
		}
	}
}
