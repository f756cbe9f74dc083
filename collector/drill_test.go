package main

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
)

// failingFile fails every write after limit bytes, as a stick does when it
// is pulled (EIO) or full (ENOSPC).
type failingFile struct {
	*os.File
	left int
	err  error
}

func (f *failingFile) Write(p []byte) (int, error) {
	if len(p) > f.left {
		n, _ := f.File.Write(p[:f.left])
		f.left = 0
		return n, f.err
	}
	f.left -= len(p)
	return f.File.Write(p)
}

// TestPulledStick interrupts the collector's write at many points. No run
// may leave a file with a bundle's final name (or any file), and a rerun
// writes a bundle that opens. The number of cases is in
// docs/reliability.md.
func TestPulledStick(t *testing.T) {
	id := newKey(t)
	// How long is the bundle? Write one to find out.
	probe := t.TempDir()
	if code, _, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", probe); code != 0 {
		t.Fatal(stderr)
	}
	files, _ := filepath.Glob(filepath.Join(probe, "*"))
	fi, _ := os.Stat(files[0])
	size := int(fi.Size())
	// Bundles differ by a few bytes from run to run (random ID, time):
	// the last point stays clear of the end.
	end := size - 32
	var points []int
	for n := 0; n < end; n += 1 + n/10 {
		points = append(points, n)
	}
	points = append(points, end)
	defer func() { writeBundle = bundle.WriteFile }()
	cases := 0
	for _, errno := range []error{syscall.EIO, syscall.ENOSPC} {
		for _, n := range points {
			out := t.TempDir()
			limit, e := n, errno
			writeBundle = func(dir string, hdr bundle.Header, members []bundle.Member, r ...age.Recipient) (string, bundle.Manifest, error) {
				return bundle.WriteFileWith(func(dir, pattern string) (bundle.File, error) {
					f, err := os.CreateTemp(dir, pattern)
					if err != nil {
						return nil, err
					}
					return &failingFile{File: f, left: limit, err: e}, nil
				}, dir, hdr, members, r...)
			}
			code, _, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out)
			cases++
			if code != 1 || !strings.Contains(stderr, "writing the bundle") || !strings.Contains(stderr, "what to do") {
				t.Fatalf("fail after %d bytes (%v): exit %d, %s", n, e, code, stderr)
			}
			left, _ := os.ReadDir(out)
			if len(left) != 0 {
				t.Fatalf("fail after %d bytes (%v): left %v behind", n, e, left[0].Name())
			}
			// The stick is back: the rerun succeeds.
			writeBundle = bundle.WriteFile
			if code, _, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out); code != 0 {
				t.Fatalf("rerun after %d bytes: %s", n, stderr)
			}
			b := openOnly(t, out, id)
			if _, ok := b.Member("device.json"); !ok {
				t.Fatal("rerun bundle has no snapshot")
			}
		}
	}
	t.Logf("%d interruptions drilled on a %d-byte bundle, %d reruns succeeded", cases, size, cases)
}
