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
// bundles stopped at it: exit 2 and nothing imported.
func TestUnreadableFolder(t *testing.T) {
	dir := unprivilegedDir(t)
	id, key := writeKey(t, dir, "site-key.txt")
	in, locked := filepath.Join(dir, "stick", "bundles"), filepath.Join(dir, "stick", "locked")
	for _, d := range []string{in, locked} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	good := archetypeBundles(t, in, id.Recipient())
	archetypeBundles(t, locked, id.Recipient())
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runUnprivileged(t, dir, "import", "-q", "-i", key, "--db", filepath.Join(dir, "fleet.db"), filepath.Join(dir, "stick"))
	if code != exitPartial {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitPartial, stdout, stderr)
	}
	if want := "imported " + strconv.Itoa(len(good)) + ", already imported 0, rejected 1"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if !strings.Contains(stderr, "  "+locked+"\n") || !strings.Contains(stderr, "permission denied") {
		t.Errorf("the unreadable folder is not named with why:\n%s", stderr)
	}
}

// TestDatabaseFolderReadOnly: a SQLite fleet in a folder this user may
// not write (an auditor's account reading the importers' folder) is
// refused saying that it is the folder, where SQLite keeps its -wal and
// -shm files even to read, and what to do; before, every command said
// that the database may only be read, to use a file one may write, and
// that "nothing more was stored", of a file one may write and of a
// command that stores nothing.
func TestDatabaseFolderReadOnly(t *testing.T) {
	dir := unprivilegedDir(t)
	id, key := writeKey(t, dir, "site-key.txt")
	in, folder := filepath.Join(dir, "in"), filepath.Join(dir, "fleet")
	for _, d := range []string{in, folder} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	archetypeBundles(t, in, id.Recipient())
	db := filepath.Join(folder, "fleet.db")
	if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in); code != 0 {
		t.Fatal(stderr)
	}
	if err := os.Chmod(folder, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"devices"}, {"show", "NG-L2-011"}, {"import", "-q", "-i", key, in}} {
		t.Run(args[0], func(t *testing.T) {
			code, stdout, stderr := runUnprivileged(t, dir, append(args, "--db", db)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, "error: database "+db+": ") ||
				!strings.Contains(stderr, "may not write in the database's folder") || !strings.Contains(stderr, "hint: ") ||
				!strings.Contains(stderr, "copy the database") || strings.Contains(stderr, "nothing more was stored") {
				t.Errorf("exit %d, want 2 naming the folder with what to do:\n%s%s", code, stdout, stderr)
			}
		})
	}
}

// unprivilegedDir is a new folder for runUnprivileged's importer,
// removed when the test ends whatever modes it was left with.
func unprivilegedDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "unprivileged")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
			if err == nil && fi.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runUnprivileged runs the importer as a child (TestMain), copied into
// dir, with args; when the test runs as root, whom no mode stops, as
// nobody, to whom what dir holds is given, its modes kept.
func runUnprivileged(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	exe := filepath.Join(dir, "importer")
	if _, err := os.Stat(exe); err != nil {
		copyFile(t, os.Args[0], exe)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "ACTCOURIER_TEST_MAIN=1")
	if os.Geteuid() == 0 {
		const nobody = 65534
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Lchown(p, nobody, nobody) })
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		code = exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return code, o.String(), e.String()
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
