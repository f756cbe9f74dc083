package fleet

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"filippo.io/age"
	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
)

// TestExplain: the reason is said once, before the error's own message
// when that does not say it, and a file that is not there is named as
// such, with a hint about the path.
func TestExplain(t *testing.T) {
	_, missing := os.Open(filepath.Join(t.TempDir(), "site-key.txt"))
	tests := []struct {
		err              error
		reason, hintPart string
	}{
		{fmt.Errorf("%w: %q", ErrNotFound, "nothere"), `no such device: "nothere"`, "importer devices"},
		{fmt.Errorf("b.tar.zst.age: %w", bundle.ErrWrongKey), "wrong key (b.tar.zst.age: " + bundle.ErrWrongKey.Error() + ")", "-i"},
		{ErrAmbiguous, "several devices match", "ID"},
		// A stick's settings refused for a site, line or engineer are not
		// a recipient's fault (importer stick --site $'Nagoya\r\n…').
		{fmt.Errorf("%w: site holds the control character '\\r'", stick.ErrSyntax), "settings refused (" + stick.ErrSyntax.Error() + ": site holds the control character '\\r')", "--site"},
		{stick.ErrPrivateKey, "not a recipient (" + stick.ErrPrivateKey.Error() + ")", "age1"},
		{missing, "", "check the name and its folder"},
		{fmt.Errorf("odd"), "odd", "readable"},
		// A file's name before the reason stays; the reason inside a
		// word or a name is not the reason said.
		{fmt.Errorf("b.age: %w", ErrNotFound), `b.age: fleet: no such device`, "importer devices"},
		{fmt.Errorf("no such devices.age: %w", ErrConflict), "conflict (no such devices.age: " + ErrConflict.Error() + ")", "both files"},
		{fmt.Errorf("conflicting.age: %w", bundle.ErrTampered), "truncated or tampered (conflicting.age: " + bundle.ErrTampered.Error() + ")", "copy it again"},
		// A bundle without a snapshot is none; a stored snapshot that
		// does not read is the database's copy, damaged.
		{fmt.Errorf("b.age: %w: not UTF-8 text", licensing.ErrNotSnapshot), "not a bundle (b.age: " + licensing.ErrNotSnapshot.Error() + ": not UTF-8 text)", "holds no device snapshot"},
		{&StoredError{Key: "hw:U1/S1", BundleID: "b1", Err: fmt.Errorf("%w: not UTF-8 text", licensing.ErrNotSnapshot)},
			"device hw:U1/S1 (bundle b1): stored snapshot unreadable: " + licensing.ErrNotSnapshot.Error() + ": not UTF-8 text", "the database's copy of this device's snapshot"},
	}
	for _, tt := range tests {
		reason, hint := Explain(tt.err)
		if tt.reason != "" && reason != tt.reason {
			t.Errorf("Explain(%v) = %q, want %q", tt.err, reason, tt.reason)
		}
		if tt.reason == "" && !strings.Contains(reason, "site-key.txt") {
			t.Errorf("Explain(%v) = %q, want the file named", tt.err, reason)
		}
		if strings.Count(reason, "no such device") > 1 {
			t.Errorf("Explain(%v) says it twice: %q", tt.err, reason)
		}
		if !strings.Contains(hint, tt.hintPart) {
			t.Errorf("Explain(%v) hint %q, want it to say %q", tt.err, hint, tt.hintPart)
		}
	}
}

// TestStoredErrorHint: a stored snapshot that does not read says what to
// do as Explain says it, in every command: a damaged copy is restored or
// collected again, but a snapshot of a newer schema (stored by a newer
// importer into a shared database) asks for this importer's update, not
// for a backup that would lose what the newer one stored.
func TestStoredErrorHint(t *testing.T) {
	for _, tc := range []struct {
		name, json, hint string
	}{
		{"damaged", "x", "the database's copy of this device's snapshot is damaged"},
		{"newer schema", `{"schema":"actcourier-device/2"}`, "update the importer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := Device{Key: "hw:U1/S1", Meta: Meta{BundleID: "0123456789abcdef0123456789abcdef"}, JSON: tc.json}
			_, err := d.Snapshot()
			var h interface{ Hint() string }
			if !errors.As(err, &h) || !errors.Is(err, ErrStoredSnapshot) {
				t.Fatalf("Snapshot() = %v, want a StoredError with a hint", err)
			}
			_, want := Explain(err)
			if got := h.Hint(); got != want || !strings.Contains(got, tc.hint) {
				t.Errorf("hint %q, want Explain's %q, saying %q", got, want, tc.hint)
			}
		})
	}
}

// TestReadBundleEmpty: an empty bundle file is bundle.ErrEmpty, and
// bundle.ErrNotBundle with it, and is told to be copied again, not left
// out; a file of one byte is not a bundle, to be left out.
func TestReadBundleEmpty(t *testing.T) {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		data  string
		empty bool
		hint  string
	}{
		{"empty", "", true, "the file is empty: copy it again from the stick"},
		{"one byte", "x", false, "leave it out"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "b.tar.zst.age")
			if err := os.WriteFile(path, []byte(tc.data), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := ReadBundle(path, bundle.Limits{}, []age.Identity{id})
			wantNotBundle(t, err, tc.empty, tc.hint)
		})
	}
}

// wantNotBundle checks ReadBundle's err for a file that is no bundle:
// bundle.ErrNotBundle, bundle.ErrEmpty exactly when the file was empty,
// and Explain's hint saying hint.
func wantNotBundle(t *testing.T, err error, empty bool, hint string) {
	t.Helper()
	if got := errors.Is(err, bundle.ErrEmpty); got != empty {
		t.Errorf("got %v, want bundle.ErrEmpty %v", err, empty)
	}
	if !errors.Is(err, bundle.ErrNotBundle) {
		t.Errorf("got %v, want bundle.ErrNotBundle", err)
	}
	if _, got := Explain(err); !strings.Contains(got, hint) {
		t.Errorf("hint %q, want it to say %q", got, hint)
	}
}
