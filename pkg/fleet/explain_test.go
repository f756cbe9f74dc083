package fleet

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
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
