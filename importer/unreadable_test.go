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

	"github.com/actcourier/actcourier/pkg/worklist"
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

// TestUnreadableBundle: a bundle this user may not read (mode 000, a
// file of another user on a share) is one rejected input, named once
// on each line that names it, with what happened and what to do; the
// others are imported and the exit code is 1. Before, every line named
// it twice ("x.age: open x.age: permission denied") and the hint was
// to check that it is readable.
func TestUnreadableBundle(t *testing.T) {
	dir := unprivilegedDir(t)
	id, key := writeKey(t, dir, "site-key.txt")
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	good := archetypeBundles(t, in, id.Recipient())
	locked := good["win7-pro-retail"]
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runUnprivileged(t, dir, "import", "-i", key, "--db", filepath.Join(dir, "fleet.db"), in)
	if code != exitPartial {
		t.Fatalf("exit %d, want %d\n%s%s", code, exitPartial, stdout, stderr)
	}
	if want := "imported " + strconv.Itoa(len(good)-1) + ", already imported 0, rejected 1"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	want := "  " + locked + "\n    error: permission denied\n    hint: this user may not open it"
	if !strings.Contains(stderr, want) || !strings.Contains(stderr, "importer: rejected "+locked+": permission denied\n") {
		t.Errorf("stderr lacks %q and the progress line:\n%s", want, stderr)
	}
	for _, line := range strings.Split(stdout+stderr, "\n") {
		if strings.Count(line, filepath.Base(locked)) > 1 {
			t.Errorf("a line names the file more than once: %q", line)
		}
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

// TestDatabaseFileReadOnly: a SQLite fleet whose file this user may not
// write (mode 0444, a read-only attribute, a copy from a read-only
// medium) is refused by every command that writes the fleet before it
// reads or asks for anything, as a setup error (exit 2) naming the file
// and what to do; before, import read every bundle, failed at the first
// batch and exited 1 as if the database had failed part way, and the
// others said to use a PostgreSQL role. The commands that only read it
// still do.
func TestDatabaseFileReadOnly(t *testing.T) {
	dir := unprivilegedDir(t)
	id, key := writeKey(t, dir, "site-key.txt")
	in, more := filepath.Join(dir, "in"), filepath.Join(dir, "more")
	for _, d := range []string{in, more} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		archetypeBundles(t, d, id.Recipient())
	}
	db := filepath.Join(dir, "fleet.db")
	if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in); code != 0 {
		t.Fatal(stderr)
	}
	// A CID waiting, so that activation stick gets as far as writing.
	storeSnapshot(t, db, "../testdata/activation/win7-mak-office2010.json")
	rows, err := requests(db)
	iid := ""
	for _, r := range rows {
		if r.State == worklist.NeedsCID && iid == "" {
			iid = r.IID
		}
	}
	if err != nil || iid == "" {
		t.Fatal(rows, err)
	}
	cids := filepath.Join(dir, "cids.csv")
	if err := os.WriteFile(cids, []byte("InstallationId,ConfirmationId\r\n"+iid+","+strings.Repeat("222222", 8)+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runImporter(t, "activation", "cids", "--db", db, cids); code != 0 {
		t.Fatal(stderr)
	}
	pass := filepath.Join(dir, "pass.txt")
	if err := os.WriteFile(pass, []byte("told by phone, never on the stick\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	text := filepath.Join(dir, "NG-L9-001.txt")
	if err := os.WriteFile(text, []byte("Name: Windows(R) 7, Professional edition\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	stick := filepath.Join(dir, "stick")
	for _, args := range [][]string{
		{"import", "-q", "-i", key, more},
		{"import-text", "--site", "Nagoya", "--line", "L9", text},
		{"activation", "cids", cids},
		{"activation", "stick", stick, "--passphrase-file", pass},
		{"migrate", "--from", filepath.Join(dir, "other.db"), "--to", db},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			if args[0] != "migrate" {
				args = append(args, "--db", db)
			} else {
				copyFile(t, db, args[2])
				os.Chmod(args[2], 0o644)
			}
			code, stdout, stderr := runUnprivileged(t, dir, args...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, "error: database "+db+": ") ||
				!strings.Contains(stderr, "may not write the database file") || !strings.Contains(stderr, "hint: ") ||
				!strings.Contains(stderr, "write permission") || strings.Contains(stderr, "nothing more was stored") {
				t.Errorf("exit %d, want 2 naming the file with what to do:\n%s%s", code, stdout, stderr)
			}
		})
	}
	if _, err := os.Stat(stick); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("activation stick wrote onto the stick: %v", err)
	}
	if after, _ := os.ReadFile(db); !bytes.Equal(before, after) {
		t.Error("the read-only database changed")
	}
	if code, stdout, stderr := runUnprivileged(t, dir, "devices", "--db", db); code != 0 {
		t.Errorf("devices of a read-only file: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestOutFolderReadOnly: a worklist or report into a folder this user
// may not write says so with what to do (another --out); before, the
// worklist's hint was to check that "the file is readable", and the
// report gave none.
func TestOutFolderReadOnly(t *testing.T) {
	dir := unprivilegedDir(t)
	id, key := writeKey(t, dir, "site-key.txt")
	in, locked := filepath.Join(dir, "in"), filepath.Join(dir, "locked")
	for _, d := range []string{in, locked} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	archetypeBundles(t, in, id.Recipient())
	db := filepath.Join(dir, "fleet.db")
	if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in); code != 0 {
		t.Fatal(stderr)
	}
	if err := os.Chmod(locked, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"activation", "worklist"}, {"report"}} {
		t.Run(args[0], func(t *testing.T) {
			code, stdout, stderr := runUnprivileged(t, dir, append(args, "--db", db, "--out", filepath.Join(locked, "out"))...)
			if code != exitUsage || !strings.Contains(stderr, "permission denied") || !strings.Contains(stderr, "hint: give --out a folder this user may write") {
				t.Errorf("exit %d, want 2 with a hint to give --out a folder one may write:\n%s%s", code, stdout, stderr)
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
