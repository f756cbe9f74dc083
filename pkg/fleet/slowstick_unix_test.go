//go:build unix

package fleet_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/fleet"
)

// TestSlowStickCommitsPromptly: while a second bundle is still being read
// (a named pipe that gives nothing yet, as a slow stick would), the first
// is stored within a second: batches wait for company, but not long.
func TestSlowStickCommitsPromptly(t *testing.T) {
	id := key(t)
	dir := t.TempDir()
	files := archetypes(t, dir, id.Recipient())
	slow := filepath.Join(t.TempDir(), "slow"+".tar.zst.age")
	if err := syscall.Mkfifo(slow, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	stored := make(chan time.Time, 2)
	finished := make(chan error, 1)
	db := newStore(t) // before the clock starts: a new PostgreSQL database takes a while
	start := time.Now()
	go func() {
		_, err := fleet.Import(ctx, db, bundlesOf(t, []string{files[0], slow}), fleet.ImportOptions{Identities: []age.Identity{id}, Jobs: 2},
			func(o fleet.Outcome) {
				if o.Err == nil {
					stored <- time.Now()
				}
			})
		finished <- err
	}()
	select {
	case at := <-stored:
		if d := at.Sub(start); d > time.Second {
			t.Errorf("the first bundle was stored after %v", d)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the first bundle was not stored while the second was still being read")
	}
	// The slow bundle arrives at last.
	data, err := os.ReadFile(files[1])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(slow, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := <-finished; err != nil {
		t.Fatal(err)
	}
	if len(stored) != 1 {
		t.Errorf("the slow bundle was not stored")
	}
}
