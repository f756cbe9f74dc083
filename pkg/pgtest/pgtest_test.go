package pgtest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestStopAfterFailedUp: a server that ends as Up starts it (here, a
// broken configuration) is stopped and removed by Stop, which used to
// wait for ever for an end it had already seen.
func TestStopAfterFailedUp(t *testing.T) {
	s, err := Start(Options{})
	if errors.Is(err, ErrNoServer) && !Required() {
		t.Skip(err.Error())
	}
	if err != nil {
		t.Fatal(err)
	}
	// Whatever fails below, no server is left running (kill, not Stop,
	// which this test finds hanging).
	t.Cleanup(func() { s.kill(); os.RemoveAll(s.dir) })
	if err := s.Down(context.Background()); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(s.data(), "postgresql.conf")
	if err := os.WriteFile(conf, []byte("shared_buffers = 'not a size'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.Up(); err == nil {
		t.Fatal("the server started with a broken configuration")
	}
	stopped := make(chan error, 1)
	go func() { stopped <- s.Stop() }()
	select {
	case err := <-stopped:
		if err != nil {
			t.Errorf("Stop: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Stop after a failed Up did not return")
	}
	if _, err := os.Stat(s.dir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the server's folder is left: %v", err)
	}
}
