package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// TestWriteMode: a file for other accounts (0666) gets the mode
// os.Create gives, one for the user alone 0600; no temporary file is
// left.
func TestWriteMode(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no such mode bits")
	}
	dir := t.TempDir()
	probe, err := os.Create(filepath.Join(dir, "probe"))
	if err != nil {
		t.Fatal(err)
	}
	probe.Close()
	fi, _ := os.Stat(probe.Name())
	for _, tc := range []struct {
		name string
		perm os.FileMode
		want os.FileMode
	}{
		{"shared", 0o666, fi.Mode().Perm()},
		{"atomic", 0o600, 0o600},
	} {
		name := filepath.Join(dir, tc.name)
		if err := Write(name, tc.perm, func(f *os.File) error { _, err := f.WriteString("x"); return err }); err != nil {
			t.Fatal(err)
		}
		if got, err := os.Stat(name); err != nil || got.Mode().Perm() != tc.want {
			t.Errorf("%s: mode %v, %v; want %v", tc.name, got.Mode().Perm(), err, tc.want)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("%d files in the folder, want 3: no temporary file left", len(entries))
	}
}

// TestWriteFails: when write fails, the name keeps what it held and no
// temporary file is left.
func TestWriteFails(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "f")
	if err := os.WriteFile(name, []byte("before"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("boom")
	if err := Write(name, 0o666, func(f *os.File) error { f.WriteString("part"); return boom }); !errors.Is(err, boom) {
		t.Fatalf("got %v, want boom", err)
	}
	if b, _ := os.ReadFile(name); string(b) != "before" {
		t.Errorf("%s holds %q", name, b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1", len(entries))
	}
}
