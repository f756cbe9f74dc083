package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestMain lets the drill run this test binary as the collector itself,
// in a child process whose files may not grow past a limit.
func TestMain(m *testing.M) {
	if limit := os.Getenv("ACTCOURIER_DRILL_FSIZE"); limit != "" {
		n, _ := strconv.ParseUint(limit, 10, 64)
		// RLIMIT_FSIZE makes every write past n bytes fail with EFBIG, as
		// a full stick fails with ENOSPC; Go ignores the SIGXFSZ that
		// comes with it.
		if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: n, Max: n}); err != nil {
			panic(err)
		}
		con := console{in: os.Stdin, out: os.Stdout, err: os.Stderr}
		os.Exit(run(append([]string{"collector"}, os.Args[1:]...), con))
	}
	os.Exit(m.Run())
}

// TestFullStick stops the collector's write at many points: the real
// collector, in a child process, meets a real write error from the
// system (RLIMIT_FSIZE) part way through its bundle. No run may leave a
// file with a bundle's final name, or any file, and a rerun writes a
// bundle that opens. bundle's own tests drill the same guarantee with
// EIO and ENOSPC; the number of cases is in docs/reliability.md.
func TestFullStick(t *testing.T) {
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
	for n := 0; n < end; n += 1 + n/20 {
		points = append(points, n)
	}
	points = append(points, end)
	for _, n := range points {
		out := t.TempDir()
		cmd := exec.Command(os.Args[0], "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out)
		cmd.Env = append(os.Environ(), "ACTCOURIER_DRILL_FSIZE="+strconv.Itoa(n))
		stderr, err := cmd.CombinedOutput()
		code := cmd.ProcessState.ExitCode()
		if err != nil && code < 0 {
			t.Fatalf("child after %d bytes: %v", n, err)
		}
		// The screen says so in both languages, with no file name but
		// the folder's: no temporary name, said once or twice.
		for _, want := range []string{"the bundle could not be saved in " + out, "nothing half-written was left", "書きかけのファイルは残していません"} {
			if code != 1 || !strings.Contains(string(stderr), want) || strings.Contains(string(stderr), ".tmp") {
				t.Fatalf("fail after %d bytes: exit %d, %s; want 1 with %q and no .tmp", n, code, stderr, want)
			}
		}
		if left, _ := os.ReadDir(out); len(left) != 0 {
			t.Fatalf("fail after %d bytes: left %v behind", n, left[0].Name())
		}
		// The stick has room again: the rerun succeeds.
		if code, _, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out); code != 0 {
			t.Fatalf("rerun after %d bytes: %s", n, stderr)
		}
		if b := openOnly(t, out, id); len(member(t, b, "device.json")) == 0 {
			t.Fatal("rerun bundle has an empty snapshot")
		}
	}
	t.Logf("%d full-stick points drilled on a %d-byte bundle, %d reruns succeeded", len(points), size, len(points))
}

// TestLiveElsewhere: a build for another system than Windows (replays,
// the demo) run at a console without --snapshot says at once that it
// cannot collect here, in both languages without English in the Japanese: it asked
// the questions and showed the check screen first, then said so, the
// Japanese line with the English error in brackets.
func TestLiveElsewhere(t *testing.T) {
	id := newKey(t)
	var o, e bytes.Buffer
	code := run([]string{"collector", "-r", id.Recipient().String(), "--site", "Nagoya", "--out", t.TempDir()},
		console{in: newLineReader(strings.NewReader("L1\nA-1\n\n\n")), out: &o, err: &e, interactive: true, outWidth: 80, width: 80})
	stdout, stderr := o.String(), e.String()
	if code != 2 || !strings.Contains(stderr, "live collection runs on Windows only") || !strings.Contains(stderr, "収集は Windows でのみ動作します") {
		t.Fatalf("got exit %d, %s; want 2, and why in both languages", code, stderr)
	}
	if strings.Contains(stderr, "(live collection") || strings.Contains(stdout, "A-1") || strings.Contains(stdout+stderr, "Line / ライン") {
		t.Errorf("asked, showed the check screen, or English in the Japanese line:\n%s\n%s", stdout, stderr)
	}
}
