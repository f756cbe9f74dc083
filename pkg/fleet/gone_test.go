package fleet_test

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestImportRemovedAfterListing: a bundle file removed between the
// listing of its folder and its open (a stick pulled, another program
// moving it) is one rejected input, named once, as the progress line
// and the summary show it, with a reason that says it went away since
// the listing and what to do; the other bundles are imported. Before,
// each line named the file twice ("x.age: open x.age: no such file")
// and told the user to check the name they never typed.
func TestImportRemovedAfterListing(t *testing.T) {
	id := key(t)
	dir := t.TempDir()
	files := archetypes(t, dir, id.Recipient())
	gone := files[0]
	fleet.SetListedHook(t, func(p string) {
		if p == gone {
			if err := os.Remove(p); err != nil {
				t.Error(err)
			}
		}
	})
	var lines []string
	sum, err := fleet.Import(ctx, newStore(t), bundlesOf(t, []string{dir}), fleet.ImportOptions{Identities: []age.Identity{id}, Now: asOf}, func(o fleet.Outcome) {
		if line, note := o.Line(false); note {
			lines = append(lines, line)
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := len(files) - 1; sum.Imported != want {
		t.Errorf("imported %d, want %d", sum.Imported, want)
	}
	if len(sum.Rejected) != 1 || sum.Rejected[0].File != gone {
		t.Fatalf("rejected %v, want %s alone", sum.Rejected, gone)
	}
	r := sum.Rejected[0]
	if !errors.Is(r.Err, fleet.ErrGone) || !errors.Is(r.Err, fs.ErrNotExist) {
		t.Errorf("got %v, want ErrGone and fs.ErrNotExist", r.Err)
	}
	var stdout, stderr bytes.Buffer
	if err := sum.Print(&stdout, &stderr, "fleet.db", false); err != nil {
		t.Fatal(err)
	}
	name := filepath.Base(gone)
	if len(lines) != 1 || strings.Count(lines[0], name) != 1 {
		t.Errorf("progress lines %q, want one that names %s once", lines, name)
	}
	want := "  " + gone + "\n    error: gone since its folder was listed: "
	if got := stderr.String(); strings.Count(got, name) != 1 || !strings.Contains(got, want) || !strings.Contains(got, "hint: the file was deleted or moved") {
		t.Errorf("summary:\n%s\nwant %s named once, as %q, with what to do", got, name, want)
	}
}

// TestImportTextNamedOnce: a text file that is not there is named once
// in the summary, with the system's words for why ("x.txt: stat x.txt:
// no such file" said it twice).
func TestImportTextNamedOnce(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "NG-L1-404.txt")
	opts := fleet.TextOptions{Context: licensing.Context{Site: "S", Line: "L"}, Collected: asOf, Generator: "test"}
	sum, err := fleet.ImportText(ctx, newStore(t), []string{missing}, opts, nil)
	if err != nil || len(sum.Rejected) != 1 || !errors.Is(sum.Rejected[0].Err, fs.ErrNotExist) {
		t.Fatalf("summary %+v, %v; want the file rejected as not there", sum, err)
	}
	var stdout, stderr bytes.Buffer
	if err := sum.Print(&stdout, &stderr, "fleet.db", false); err != nil {
		t.Fatal(err)
	}
	if got := stderr.String(); strings.Count(got, filepath.Base(missing)) != 1 || !strings.Contains(got, "error: no such file") {
		t.Errorf("summary:\n%s\nwant %s named once, then no such file", got, missing)
	}
}
