package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestInterruptAtPassphrase: Ctrl-C at a passphrase prompt ends the
// importer (exit 130) with the terminal's echo back on and nothing
// written; it used to do nothing. The importer runs on a terminal of its
// own (a pseudo-terminal), where Ctrl-C is a byte the terminal turns
// into SIGINT.
func TestInterruptAtPassphrase(t *testing.T) {
	ptmx, pts := openPTY(t)
	out := filepath.Join(t.TempDir(), "site.key")
	cmd := exec.Command(os.Args[0], "keygen", "--passphrase", "--out", out)
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, passphraseEnv+"=") {
			cmd.Env = append(cmd.Env, e)
		}
	}
	cmd.Env = append(cmd.Env, "ACTCOURIER_TEST_MAIN=1")
	cmd.Stdin, cmd.Stdout, cmd.Stderr = pts, pts, pts
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true, Ctty: 0}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	var mu sync.Mutex
	var screen bytes.Buffer
	go func() {
		buf := make([]byte, 1024)
		for {
			n, err := ptmx.Read(buf)
			mu.Lock()
			screen.Write(buf[:n])
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	shown := func() string { mu.Lock(); defer mu.Unlock(); return screen.String() }
	for deadline := time.Now().Add(20 * time.Second); !strings.Contains(shown(), "New passphrase: "); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("no prompt: %q", shown())
		}
	}
	if _, err := ptmx.Write([]byte("\x03")); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if code := cmd.ProcessState.ExitCode(); code != exitStopped {
			t.Errorf("exit %d (%v), want %d\n%s", code, err, exitStopped, shown())
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("Ctrl-C at the passphrase prompt did not end the importer\n%s", shown())
	}
	tio, err := unix.IoctlGetTermios(int(pts.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	if tio.Lflag&unix.ECHO == 0 {
		t.Error("the terminal's echo is left off")
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s written after Ctrl-C: %v", out, err)
	}
}

// openPTY opens a pseudo-terminal: its master, and the terminal a child
// gets as its own.
func openPTY(t *testing.T) (ptmx, pts *os.File) {
	t.Helper()
	ptmx, err := os.OpenFile("/dev/ptmx", os.O_RDWR, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	t.Cleanup(func() { ptmx.Close() })
	if err := unix.IoctlSetPointerInt(int(ptmx.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(ptmx.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	pts, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pts.Close() })
	return ptmx, pts
}
