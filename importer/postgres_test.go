package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/store"
)

// The tests here need PostgreSQL: they compare the two stores, and drill
// what only a server has (several machines' importers at once, a server
// restarted under an import). Where the server binaries are missing they
// skip, saying why; make test installs them.

// mixedCorpus writes the archetypes and devices whose names sort
// differently byte for byte (SQLite) and in a linguistic collation (the
// test database's default is ICU's en-US): lower and upper case, accents,
// Japanese; and one machine collected three times, once with a forged
// future date and under another host name (trust warnings, aggregates).
func mixedCorpus(t *testing.T, dir string, r age.Recipient) {
	t.Helper()
	archetypeBundles(t, dir, r)
	now := time.Now()
	for i, site := range []string{"alpha", "Beta", "beta", "Ähren", "Zeta", "名古屋", "a"} {
		for j, line := range []string{"l1", "L2", "Ä"} {
			s := hostileBase(t)
			s.Context.Site, s.Context.Line, s.Context.Asset = site, line, fmt.Sprintf("M-%d-%d", i, j)
			s.Hardware.UUID, s.Hardware.Serial = "", ""
			s.OS.Hostname = fmt.Sprintf("h-%d-%d", i, j)
			s.Context.Collected = now.Add(-time.Duration(i*3+j) * time.Hour)
			writeSnapshot(t, dir, r, s, nil)
		}
	}
	for k, at := range []time.Time{now.Add(-72 * time.Hour), now.Add(-24 * time.Hour), time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)} {
		s := hostileBase(t)
		s.Context.Site, s.Context.Line, s.Context.Asset, s.Context.Collected = "Trust", "T1", "TWICE", at
		s.Hardware.UUID, s.Hardware.Serial = "4C4C4544-0042-1111-2222-333344445555", "GEN0001"
		s.OS.Hostname = []string{"PC-1", "PC-1", "IMPOSTOR"}[k]
		writeSnapshot(t, dir, r, s, nil, bundle.Member{Name: "raw/note.txt", Data: []byte(fmt.Sprint("collection ", k))})
	}
}

// TestStoresAgree: the same bundles imported into SQLite and into
// PostgreSQL, and a SQLite fleet moved into PostgreSQL with importer
// migrate, give byte-identical reports in every format and language,
// device lists and device pages: the SQLite output is the golden file
// of the PostgreSQL one.
func TestStoresAgree(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	mixedCorpus(t, in, id.Recipient())
	lite, direct, moved := filepath.Join(dir, "fleet.db"), pg.DB(t), pg.DB(t)
	for _, db := range []string{lite, direct} {
		if code, stdout, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in); code != 0 {
			t.Fatalf("import into %s: exit %d\n%s\n%s", store.Name(db), code, stdout, stderr)
		}
	}
	code, stdout, stderr := runImporter(t, "migrate", "--from", lite, "--to", moved)
	if code != 0 || !strings.Contains(stdout, "every table holds the same rows in both") {
		t.Fatalf("migrate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	// Again: nothing to write, verified again.
	if code, stdout, _ := runImporter(t, "migrate", "--from", lite, "--to", moved); code != 0 || strings.Count(stdout, " 0 written now") != strings.Count(stdout, " rows, ") {
		t.Fatalf("migrate again: exit %d\n%s", code, stdout)
	}
	asOf := time.Now().Format("2006-01-02")
	t.Setenv("SOURCE_DATE_EPOCH", fmt.Sprint(time.Now().Unix())) // the reports' "generated" stamp
	outputs := func(db string) map[string][]byte {
		out := map[string][]byte{}
		for _, lang := range []string{"en", "ja"} {
			rep := filepath.Join(dir, "reports", fmt.Sprint(len(out)))
			if code, _, stderr := runImporter(t, "report", "--db", db, "--out", rep, "--lang", lang, "--as-of", asOf); code != 0 {
				t.Fatalf("report from %s: %s", store.Name(db), stderr)
			}
			filepath.WalkDir(rep, func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					rel, _ := filepath.Rel(rep, p)
					out[lang+"/"+rel], _ = os.ReadFile(p)
				}
				return err
			})
			for _, args := range [][]string{{"devices"}, {"devices", "--as-of", "2026-11-02"}, {"show", "TWICE"}, {"show", "impostor"}, {"show", "m-3-2"}} {
				code, stdout, stderr := runImporter(t, append(args, "--db", db, "--lang", lang)...)
				out[lang+"/"+strings.Join(args, " ")] = []byte(fmt.Sprint(code, stdout, stderr))
			}
		}
		return out
	}
	// Device IDs are given in the order bundles reach the writer, which
	// differs from one import to the next: the fleet imported directly
	// is compared without them (its device list less the ID column);
	// the moved one keeps the IDs, and so its every output.
	golden, got := outputs(lite), map[string]map[string][]byte{direct: outputs(direct), moved: outputs(moved)}
	if len(golden) < 40 {
		t.Fatalf("only %d outputs", len(golden))
	}
	for db, out := range got {
		for name, want := range golden {
			if db == direct && strings.Contains(name, "/show ") {
				continue // its header names the ID
			}
			if db == direct && strings.Contains(name, "/devices") {
				want, out[name] = dropLast(want), dropLast(out[name])
			}
			if !bytes.Equal(out[name], want) {
				t.Errorf("%s: %s differs from SQLite's (%d bytes, want %d)", store.Name(db), name, len(out[name]), len(want))
			}
		}
		if len(out) != len(golden) {
			t.Errorf("%s: %d outputs, SQLite %d", store.Name(db), len(out), len(golden))
		}
	}
	if dumpDevices(t, direct) != dumpDevices(t, lite) {
		t.Error("the device lists differ")
	}
	t.Logf("%d report files and command outputs of each store compared with SQLite's", len(golden))
}

// dropLast drops the last field (the device ID) of each line.
func dropLast(b []byte) []byte {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if f := strings.Fields(l); len(f) > 1 {
			l = strings.Join(f[:len(f)-1], " ")
		}
		out = append(out, l)
	}
	return []byte(strings.Join(out, "\n"))
}

// spreadCorpus writes n bundles of n/4 devices, each collected four
// times (days apart, in shuffled order), into four folders, each bundle
// into two of them: four importers share every device and every bundle.
func spreadCorpus(t *testing.T, dir string, r age.Recipient, n int) (all string, folders []string) {
	t.Helper()
	arch := archetypes(t)
	all = filepath.Join(dir, "all")
	os.MkdirAll(all, 0o755)
	for k := 0; k < 4; k++ {
		folders = append(folders, filepath.Join(dir, fmt.Sprint("importer-", k)))
		os.MkdirAll(folders[k], 0o755)
	}
	rng := rand.New(rand.NewSource(1))
	t0 := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	for j, i := range rng.Perm(n) {
		s := generated(arch, i%(n/4), 50)
		s.Context.Collected = t0.Add(time.Duration(i/(n/4))*24*time.Hour + time.Duration(i%7)*time.Minute)
		data, err := licensing.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		p, _, err := bundle.WriteFile(all, bundle.Header{Generator: "generated"}, []bundle.Member{{Name: licensing.MemberName, Data: data}}, r)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(p)
		for _, k := range []int{j % 4, (j + 1) % 4} {
			os.WriteFile(filepath.Join(folders[k], filepath.Base(p)), b, 0o644)
		}
	}
	return all, folders
}

// TestFourImporters: four importer processes, as at four sites, import
// into one PostgreSQL fleet at once, 1,000 bundles of 250 devices with
// every bundle in two importers' folders: all exit 0, each bundle is
// stored once, and every device's latest collection and count are those
// of all its collections (no update lost): the fleet equals one import
// of all the bundles into SQLite.
func TestFourImporters(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	const total = 1000
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	all, folders := spreadCorpus(t, dir, id.Recipient(), total)
	db := pg.DB(t)
	var wg sync.WaitGroup
	outs := make([]bytes.Buffer, len(folders))
	errs := make([]error, len(folders))
	for k, f := range folders {
		wg.Add(1)
		go func(k int, f string) {
			defer wg.Done()
			cmd := exec.Command(os.Args[0], "import", "-q", "-i", key, "--db", db, f)
			cmd.Env = append(os.Environ(), "ACTCOURIER_TEST_MAIN=1")
			cmd.Stdout, cmd.Stderr = &outs[k], &outs[k]
			errs[k] = cmd.Run()
		}(k, f)
	}
	wg.Wait()
	imported, dups := 0, 0
	for k := range folders {
		m := summaryLine.FindStringSubmatch(outs[k].String())
		if errs[k] != nil || m == nil {
			t.Fatalf("importer %d: %v\n%s", k, errs[k], outs[k].String())
		}
		var n, d int
		fmt.Sscan(m[1], &n)
		fmt.Sscan(m[2], &d)
		imported, dups = imported+n, dups+d
	}
	t.Logf("four importers: %d imported, %d found already imported", imported, dups)
	if imported != total || dups != total {
		t.Errorf("imported %d, already imported %d between them; want %d each", imported, dups, total)
	}
	sdb, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if s, err := sdb.Check(context.Background()); s != "ok" || err != nil {
		t.Fatalf("check: %s %v", s, err)
	}
	if devs, colls, _, _ := sdb.Counts(context.Background()); devs != total/4 || colls != total {
		t.Fatalf("%d devices, %d collections; want %d, %d", devs, colls, total/4, total)
	}
	one := filepath.Join(dir, "one.db")
	if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", one, all); code != 0 {
		t.Fatal(stderr)
	}
	if dumpDevices(t, db) != dumpDevices(t, one) {
		t.Error("the fleet of four importers at once differs from one import of all the bundles")
	}
}

// TestServerRestart: the PostgreSQL server is stopped under a running
// import (an administrator's fast shutdown) and started again. The
// importer says the connection was lost and that a rerun goes on, exits
// 1; what it stored is whole, and the rerun completes the fleet. Twice,
// at random points (seed logged; ACTCOURIER_DRILL_SEED repeats a run).
func TestServerRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("-short")
	}
	srv := pg.Server(t)
	const total, rounds = 1000, 2
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	writeGenerated(t, in, id.Recipient(), total)
	db := pg.DB(t)
	seed := time.Now().UnixNano()
	if s := os.Getenv("ACTCOURIER_DRILL_SEED"); s != "" {
		fmt.Sscan(s, &seed)
	}
	rng := rand.New(rand.NewSource(seed))
	t.Logf("seed %d", seed)
	stored := 0
	for r := 0; r < rounds; r++ {
		after := 1 + rng.Intn((total-stored)/(rounds-r+1))
		var stderr bytes.Buffer
		cmd, sc := startImport(t, &stderr, "-i", key, "--db", db, in)
		seen := waitImported(sc, after)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if err := srv.Down(ctx); err != nil {
			t.Fatal(err)
		}
		cancel()
		go func() { // the importer goes on printing until its next batch fails
			for sc.Scan() {
			}
		}()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		var err error
		select {
		case err = <-done:
		case <-time.After(2 * time.Minute):
			cmd.Process.Kill()
			t.Fatal("the importer did not stop within 2 minutes of the server")
		}
		if err := srv.Up(); err != nil {
			t.Fatal(err)
		}
		var ee *exec.ExitError
		if !errors.As(err, &ee) || ee.ExitCode() != 1 || !strings.Contains(stderr.String(), "the connection to it was lost") ||
			!strings.Contains(stderr.String(), "run the same import to go on") {
			t.Fatalf("round %d: importer after the server stopped: %v\n%s", r+1, err, stderr.String())
		}
		sdb, err := store.Open(db)
		if err != nil {
			t.Fatal(err)
		}
		if s, err := sdb.Check(context.Background()); s != "ok" || err != nil {
			t.Fatalf("round %d: check %q %v", r+1, s, err)
		}
		_, colls, raw, _ := sdb.Counts(context.Background())
		sdb.Close()
		if raw != colls {
			t.Fatalf("round %d: %d collections but %d raw outputs: a bundle stored in part", r+1, colls, raw)
		}
		t.Logf("round %d: server stopped after %d bundles reported; the importer exited 1; %d stored", r+1, seen, colls)
		stored = colls
	}
	code, stdout, stderr := runImporter(t, "import", "-i", key, "--db", db, in)
	if code != 0 || !strings.Contains(stdout, fmt.Sprintf("imported %d, already imported %d, rejected 0", total-stored, stored)) {
		t.Fatalf("rerun: exit %d\n%s\n%s", code, summaryLine.FindString(stdout), stderr)
	}
	sdb, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if devs, colls, raw, _ := sdb.Counts(context.Background()); devs != total || colls != total || raw != total {
		t.Fatalf("after the restarts and a rerun: %d devices, %d collections, %d raw; want %d each", devs, colls, raw, total)
	}
}

// TestRoleReadOnly: the auditors' role of docs/importer.md ("Setting up
// PostgreSQL") may read the fleet, not write it. A command that writes
// says so at once, as a setup error (exit 2) with what to do, before it
// reads a bundle or asks for a passphrase; before, an import decrypted
// every bundle and failed at the first batch, exit 1, "done in part".
func TestRoleReadOnly(t *testing.T) {
	srv := pg.Server(t)
	for _, q := range []string{"DROP DATABASE IF EXISTS ro_fleet", "DROP ROLE IF EXISTS ro_auditor", "CREATE ROLE ro_auditor LOGIN",
		"CREATE DATABASE ro_fleet ENCODING 'UTF8' TEMPLATE template0"} {
		if err := srv.Exec("postgres", q); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	id, key := writeKey(t, dir, "site-key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	archetypeBundles(t, in, id.Recipient())
	if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", srv.DSN("ro_fleet", "postgres"), in); code != 0 {
		t.Fatal(stderr)
	}
	if err := srv.Exec("ro_fleet", "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ro_auditor"); err != nil {
		t.Fatal(err)
	}
	ro := srv.DSN("ro_fleet", "ro_auditor")
	more := filepath.Join(dir, "more") // bundles not imported yet
	os.MkdirAll(more, 0o755)
	archetypeBundles(t, more, id.Recipient())
	pass := filepath.Join(dir, "pass.txt")
	os.WriteFile(pass, []byte("told by phone\n"), 0o600)
	stick := filepath.Join(dir, "stick")
	for _, args := range [][]string{
		{"import", "-q", "-i", key, more},
		{"activation", "stick", stick, "--passphrase-file", pass},
	} {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			code, stdout, stderr := runImporter(t, append(args, "--db", ro)...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, "this role may not write ") ||
				!strings.Contains(stderr, "hint: use a database user that may write the fleet") {
				t.Errorf("exit %d, want 2 saying the role may not write, with what to do:\n%s%s", code, stdout, stderr)
			}
		})
	}
	if _, err := os.Stat(stick); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("activation stick wrote onto the stick: %v", err)
	}
	if code, _, stderr := runImporter(t, "devices", "--db", ro); code != 0 {
		t.Errorf("the auditors' devices: exit %d\n%s", code, stderr)
	}
}
