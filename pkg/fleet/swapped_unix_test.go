//go:build unix

package fleet_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestImportSwappedForPipe: a bundle file of a folder that becomes a
// named pipe, a device, a folder or a symbolic link after the folder was
// listed (a hostile stick or share) is rejected, named once with what it
// is, without waiting: a pipe's open or read would wait for ever for a
// writer, and a link is not followed, as the listing follows none (one
// to a genuine bundle elsewhere was imported). The other bundles are
// imported.
func TestImportSwappedForPipe(t *testing.T) {
	id := key(t)
	dir := t.TempDir()
	files := archetypes(t, dir, id.Recipient())
	elsewhere := archetypes(t, t.TempDir(), id.Recipient())[5]
	link := func(to string) func(string) error { return func(p string) error { return os.Symlink(to, p) } }
	swaps := map[string]struct {
		swap   func(path string) error
		want   error
		reason string
	}{
		files[0]: {func(p string) error { return syscall.Mkfifo(p, 0o600) }, fleet.ErrNotFile, "not a file"},
		// A pipe whose writer is there and writes nothing: an open
		// would not wait, a read would.
		files[1]: {func(p string) error {
			if err := syscall.Mkfifo(p, 0o600); err != nil {
				return err
			}
			w, err := os.OpenFile(p, os.O_RDWR, 0)
			if err == nil {
				t.Cleanup(func() { w.Close() })
			}
			return err
		}, fleet.ErrNotFile, "not a file"},
		files[2]: {link(os.DevNull), fleet.ErrLink, "a symbolic link, not followed"},
		files[3]: {func(p string) error { return os.Mkdir(p, 0o700) }, fleet.ErrNotFile, "not a file"},
		files[4]: {link(elsewhere), fleet.ErrLink, "a symbolic link, not followed"},
		files[6]: {link(filepath.Join(dir, "nowhere")), fleet.ErrLink, "a symbolic link, not followed"},
	}
	fleet.SetListedHook(t, func(p string) {
		s, ok := swaps[p]
		if !ok {
			return
		}
		if err := os.Remove(p); err != nil {
			t.Error(err)
		}
		if err := s.swap(p); err != nil {
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
	var stdout, stderr bytes.Buffer
	if err := r.sum.Print(&stdout, &stderr, "fleet.db", false); err != nil {
		t.Fatal(err)
	}
	for _, o := range r.sum.Rejected {
		s, ok := swaps[o.File]
		if !ok {
			t.Errorf("rejected %s: %v, want only the swapped files", o.File, o.Err)
			continue
		}
		if !errors.Is(o.Err, s.want) {
			t.Errorf("%s: got %v, want %v", o.File, o.Err, s.want)
		}
		// Named once, by the summary, then what it is and what to do.
		_, hint := fleet.Explain(o.Err)
		if want := "  " + o.File + "\n    error: " + s.reason + "\n    hint: " + hint + "\n"; !strings.Contains(stderr.String(), want) {
			t.Errorf("%s: the summary lacks %q", o.File, want)
		}
		if n := strings.Count(stderr.String(), filepath.Base(o.File)); n != 1 {
			t.Errorf("%s: named %d times in the summary, want once:\n%s", o.File, n, stderr.String())
		}
	}
}

// TestImportLinks: a symbolic link that is in a folder when it is
// listed is left out (not counted, not read, not rejected): the walk
// follows no link, and openListed agrees with it. A link the user
// names is followed, as any file named is read whatever it is.
func TestImportLinks(t *testing.T) {
	id := key(t)
	dir, other := t.TempDir(), t.TempDir()
	files := archetypes(t, dir, id.Recipient())
	targets := archetypes(t, other, id.Recipient())
	if err := os.Symlink(targets[0], filepath.Join(dir, "linked.tar.zst.age")); err != nil {
		t.Fatal(err)
	}
	named := filepath.Join(t.TempDir(), "named.tar.zst.age")
	if err := os.Symlink(targets[1], named); err != nil {
		t.Fatal(err)
	}
	found := bundlesOf(t, []string{dir, named})
	if want := len(files) + 1; found.Count != want {
		t.Errorf("counted %d, want %d: the files and the named link", found.Count, want)
	}
	sum, err := fleet.Import(ctx, newStore(t), found, fleet.ImportOptions{Identities: []age.Identity{id}, Now: asOf}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := len(files) + 1; sum.Imported != want || len(sum.Rejected) != 0 {
		t.Errorf("imported %d, rejected %v; want %d imported (the named link among them), none rejected", sum.Imported, sum.Rejected, want)
	}
}

// TestNamedTextLinks: files the user names for import-text and
// --strings are read through a link, as any file named is; one that is
// not there is no such file, not one gone since a listing (ErrGone).
// Only the bundles found in a folder are opened without following links.
func TestNamedTextLinks(t *testing.T) {
	dir := t.TempDir()
	sample, err := filepath.Abs("../slmgr/testdata/samples/slmgr/win10-pro-oemdm-dli-checkmk.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "NG-L1-001.txt")
	if err := os.Symlink(sample, text); err != nil {
		t.Fatal(err)
	}
	opts := fleet.TextOptions{Context: licensing.Context{Site: "S", Line: "L"}, Collected: asOf, Generator: "test"}
	sum, err := fleet.ImportText(ctx, newStore(t), []string{text}, opts, nil)
	if err != nil || sum.Imported != 1 {
		t.Errorf("import-text of a link named: %+v, %v; want it imported", sum, err)
	}
	_, err = fleet.ReadStrings([]string{filepath.Join(dir, "0411", "slmgr.ini")})
	if !errors.Is(err, fs.ErrNotExist) || errors.Is(err, fleet.ErrGone) {
		t.Errorf("--strings of a file not there: %v, want fs.ErrNotExist alone", err)
	}
}
