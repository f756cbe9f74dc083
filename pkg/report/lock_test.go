package report

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
)

func newTestWriter(dir string) (*Writer, error) {
	return NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test"})
}

// TestFolderBusy: while a report is written into a folder, a second one
// stops at once with ErrBusy and touches nothing there; once the first
// is closed or aborted, the next one runs.
func TestFolderBusy(t *testing.T) {
	dir := t.TempDir()
	writeSome(t, dir, all, "") // an earlier report
	before := tree(t, dir)

	first, err := newTestWriter(dir)
	if err != nil {
		t.Fatal(err)
	}
	during := tree(t, dir) // the first one's fleet files, begun
	second, err := newTestWriter(dir)
	if !errors.Is(err, ErrBusy) || second != nil {
		t.Fatalf("second report while the first is written: %v, want ErrBusy", err)
	}
	if !strings.Contains(err.Error(), LockFile) {
		t.Errorf("error %q does not name the lock file", err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, during) {
		t.Errorf("the refused report changed the folder:\n got %q\nwant %q", got, during)
	}
	fillLines(t, first, all)
	if _, err := first.Close(); err != nil {
		t.Fatal(err)
	}
	if got := tree(t, dir); !reflect.DeepEqual(got, before) {
		t.Errorf("after the first report:\n got %q\nwant %q", got, before)
	}

	third, err := newTestWriter(dir)
	if err != nil {
		t.Fatalf("after Close: %v", err)
	}
	if err := third.Abort(); err != nil {
		t.Fatal(err)
	}
	fourth, err := newTestWriter(dir)
	if err != nil {
		t.Fatalf("after Abort: %v", err)
	}
	fourth.Abort()
	fourth.Abort() // twice: nothing left to release
}

// TestHoldFolder is not a test: TestFolderLockEndsWithProcess runs the
// test binary on it to hold a folder from another process.
func TestHoldFolder(t *testing.T) {
	dir := os.Getenv("ACTCOURIER_TEST_HOLD_FOLDER")
	if dir == "" {
		t.Skip("run by TestFolderLockEndsWithProcess")
	}
	if _, err := newTestWriter(dir); err != nil {
		t.Fatal(err)
	}
	os.Stdout.WriteString("held\n")
	time.Sleep(time.Minute)
}

// TestFolderLockEndsWithProcess: another process's report holds the
// folder; killed, it holds it no more, and no lock file is left to
// remove by hand.
func TestFolderLockEndsWithProcess(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHoldFolder$", "-test.count=1")
	cmd.Env = append(os.Environ(), "ACTCOURIER_TEST_HOLD_FOLDER="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "held\n" {
		t.Fatalf("helper process: %q, %v", line, err)
	}
	if _, err := newTestWriter(dir); !errors.Is(err, ErrBusy) {
		t.Fatalf("while another process writes a report: %v, want ErrBusy", err)
	}
	cmd.Process.Kill()
	cmd.Wait()
	w, err := newTestWriter(dir)
	if err != nil {
		t.Fatalf("after the other process was killed: %v", err)
	}
	w.Abort()
}

// TestLockFileHostile: a folder others may write to can hold something
// else under the lock file's name; the report stops with an error that
// names it, without waiting and without following a link.
func TestLockFileHostile(t *testing.T) {
	cases := map[string]func(name string) error{
		"folder": func(name string) error { return os.Mkdir(name, 0o755) },
	}
	if runtime.GOOS != "windows" {
		outside := filepath.Join(t.TempDir(), "target")
		cases["link"] = func(name string) error { return os.Symlink(outside, name) }
		cases["fifo"] = mkfifo
	}
	for what, plant := range cases {
		t.Run(what, func(t *testing.T) {
			dir := t.TempDir()
			if err := plant(filepath.Join(dir, LockFile)); err != nil {
				t.Skip(err)
			}
			done := make(chan error, 1)
			go func() {
				w, err := newTestWriter(dir)
				if err == nil {
					w.Abort()
				}
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || errors.Is(err, ErrBusy) || !strings.Contains(err.Error(), LockFile) {
					t.Errorf("got %v, want an error naming %s", err, LockFile)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("NewWriter waits on the planted lock file")
			}
		})
	}
}
