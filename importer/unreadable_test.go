//go:build !windows

package main

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestUnreadableFolder: a folder on the stick that the importer may not
// read (an NTFS stick's System Volume Information, a folder of another
// user) is one rejected input, named with why; the stick's other
// bundles are imported and the exit code is 1. Before, the count of the
// bundles stopped at it: exit 2 and nothing imported. The importer runs
// as a child, as nobody when the test runs as root, whom no mode stops.
func TestUnreadableFolder(t *testing.T) {
	dir, err := os.MkdirTemp("", "unreadable")
	if err != nil {
		t.Fatal(err)
	}
	locked := filepath.Join(dir, "stick", "locked")
	t.Cleanup(func() {
		os.Chmod(locked, 0o755)
		os.RemoveAll(dir)
	})
	id, key := writeKey(t, dir, "site-key.txt")
	in := filepath.Join(dir, "stick", "bundles")
	for _, d := range []string{in, locked} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	good := archetypeBundles(t, in, id.Recipient())
	archetypeBundles(t, locked, id.Recipient())
	exe := filepath.Join(dir, "importer")
	copyFile(t, os.Args[0], exe)
	cmd := exec.Command(exe, "import", "-q", "-i", key, "--db", filepath.Join(dir, "fleet.db"), filepath.Join(dir, "stick"))
	cmd.Env = append(os.Environ(), "ACTCOURIER_TEST_MAIN=1")
	if os.Geteuid() == 0 {
		const nobody = 65534
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chown(p, nobody, nobody) })
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err = cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitPartial {
		t.Fatalf("exit %v, want %d\n%s%s", err, exitPartial, &stdout, &stderr)
	}
	if want := "imported " + strconv.Itoa(len(good)) + ", already imported 0, rejected 1"; !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout lacks %q:\n%s", want, &stdout)
	}
	if !strings.Contains(stderr.String(), "  "+locked+"\n") || !strings.Contains(stderr.String(), "permission denied") {
		t.Errorf("the unreadable folder is not named with why:\n%s", &stderr)
	}
}

// copyFile copies the file from to a new executable file to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	in, err := os.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}
