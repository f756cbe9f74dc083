package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/pgtest"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// collectedAs writes a bundle of an archetype as if it had been collected
// at another time, with another asset tag and engineer.
func collectedAs(t *testing.T, dir string, r age.Recipient, archetype, asset, engineer string, at time.Time) {
	t.Helper()
	data, err := os.ReadFile("../testdata/snapshots/" + archetype + ".json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := licensing.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	s.Context.Asset, s.Context.Engineer, s.Context.Collected = asset, engineer, at
	s.Context.TimeZone, _ = at.Zone()
	if data, err = licensing.Marshal(s); err != nil {
		t.Fatal(err)
	}
	if _, _, err := bundle.WriteFile(dir, bundle.Header{Generator: "test", CreatedAt: at}, []bundle.Member{{Name: licensing.MemberName, Data: data}}, r); err != nil {
		t.Fatal(err)
	}
}

// history imports one machine collected twice, under two asset tags: on
// 2026-10-01 as NG-L2-099 with no engineer, on 2026-11-02 as NG-L2-011;
// and another machine first collected on 2026-11-20.
func history(t *testing.T) (db string) {
	t.Helper()
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	jst := time.FixedZone("JST", 9*3600)
	collectedAs(t, in, id.Recipient(), "win7-office2010-retail-notification", "NG-L2-099", "", time.Date(2026, 10, 1, 9, 30, 0, 0, jst))
	collectedAs(t, in, id.Recipient(), "win7-office2010-retail-notification", "NG-L2-011", "E-1042", time.Date(2026, 11, 2, 10, 15, 0, 0, jst))
	collectedAs(t, in, id.Recipient(), "win10-pro-mak", "NG-L1-002", "E-7", time.Date(2026, 11, 20, 8, 0, 0, 0, jst))
	db = testDB(t, dir, "fleet.db")
	if code, stdout, stderr := runImporter(t, "import", "-i", key, "--db", db, in); code != 0 || !strings.Contains(stdout, "(2 new devices)") {
		t.Fatalf("import: exit %d\n%s\n%s", code, stdout, stderr)
	}
	return db
}

// TestShowHistory: a device is found by any asset tag it has had; its
// history names asset, line and engineer of each collection, at the
// machine's time with its zone.
func TestShowHistory(t *testing.T) {
	db := history(t)
	code, stdout, stderr := runImporter(t, "show", "--db", db, "NG-L2-099")
	if code != 0 {
		t.Fatalf("show by an earlier asset tag: exit %d\n%s", code, stderr)
	}
	for _, want := range []string{"asset NG-L2-011", "earlier: NG-L2-099", "History (2 collections, newest first):",
		"COLLECTED", "ASSET", "LINE", "ENGINEER", "2026-11-02 10:15 JST", "2026-10-01 09:30 JST"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("show lacks %q:\n%s", want, stdout)
		}
	}
	row := regexp.MustCompile(`(?m)^  2026-10-01 09:30 JST +urgent +Nagoya +L2 +NG-L2-099 +FA-NG-L2-011 +- +bundle`)
	if !row.MatchString(stdout) {
		t.Errorf("the earlier collection's row is not asset, line and engineer (-):\n%s", stdout)
	}
	if strings.Contains(stdout, "by  ") {
		t.Errorf("an empty engineer shows as a gap:\n%s", stdout)
	}
	code, stdout, _ = runImporter(t, "show", "--db", db, "--lang", "ja", "NG-L2-011")
	for _, want := range []string{"端末", "判定 (基準日", "緊急 (urgent)", "製品:", "履歴 (収集 2 回、新しい順):", "収集日時", "資産番号", "以前の名前: NG-L2-099"} {
		if code != 0 || !strings.Contains(stdout, want) {
			t.Errorf("show --lang ja lacks %q:\n%s", want, stdout)
		}
	}
	for _, en := range []string{"Verdict", "Products:", "History", "site Nagoya"} {
		if strings.Contains(stdout, en) {
			t.Errorf("show --lang ja says %q in English:\n%s", en, stdout)
		}
	}
}

// TestAsOf: devices, show and report agree on --as-of: the latest
// collection made on or before that day, and no device first collected
// later.
func TestAsOf(t *testing.T) {
	db := history(t)
	tests := []struct {
		asOf     string
		devices  []string // asset tags listed
		absent   []string
		count    string
		showSays string // show NG-L2-011 (found by the device's latest tag)
		report   string // what report says on stdout
		leftOut  int    // of the fleet, as its page says it; -1 for no note: the fleet as it is
	}{
		{"2026-10-15", []string{"NG-L2-099"}, []string{"NG-L2-011", "NG-L1-002"}, "1 device as of 2026-10-15", "History (1 collection, newest first)",
			"1 device as of 2026-10-15, the fleet as it was then (1 device first collected later left out): ", 1},
		{"2026-11-02", []string{"NG-L2-011"}, []string{"NG-L2-099", "NG-L1-002"}, "1 device as of 2026-11-02", "History (2 collections, newest first)",
			"1 device as of 2026-11-02, the fleet as it was then (1 device first collected later left out): ", 1},
		{"2026-11-20", []string{"NG-L2-011", "NG-L1-002"}, nil, "2 devices as of 2026-11-20", "History (2 collections",
			"2 devices as of 2026-11-20: ", -1},
	}
	for _, tc := range tests {
		t.Run(tc.asOf, func(t *testing.T) {
			code, stdout, stderr := runImporter(t, "devices", "--db", db, "--as-of", tc.asOf)
			if code != 0 || !strings.Contains(stdout, tc.count) {
				t.Fatalf("devices: exit %d, want %q\n%s%s", code, tc.count, stdout, stderr)
			}
			out := filepath.Join(t.TempDir(), "rep")
			code, rstdout, stderr := runImporter(t, "report", "--db", db, "--out", out, "--as-of", tc.asOf, "--format", "csv,html")
			if code != 0 || !strings.HasPrefix(rstdout, tc.report) {
				t.Fatalf("report: exit %d, want %q\n%s%s", code, tc.report, rstdout, stderr)
			}
			// The pages say what they leave out: NG-L1-002 (of Kumamoto,
			// which has no page then) from the fleet, none from the site
			// and line of NG-L2-011.
			for page, n := range map[string]int{"index.html": tc.leftOut, "Nagoya/index.html": 0, "Nagoya/L2.html": 0} {
				b, _ := os.ReadFile(filepath.Join(out, filepath.FromSlash(page)))
				note := fmt.Sprintf("As of %s: the fleet as it was at the end of that day, each device as its latest collection made by then shows it; "+
					"devices first collected later are not in this report (%d left out).", tc.asOf, n)
				if tc.leftOut < 0 {
					note = "the fleet as it was"
				}
				if got := strings.Contains(string(b), note); got != (tc.leftOut >= 0) {
					t.Errorf("%s: says %q: %v", page, note, got)
				}
			}
			csv, _ := os.ReadFile(filepath.Join(out, "devices.csv"))
			for _, a := range tc.devices {
				if !strings.Contains(stdout, "  "+a+"  ") || !strings.Contains(string(csv), ","+a+",") {
					t.Errorf("%s missing: devices\n%s\nreport\n%s", a, stdout, csv)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(stdout, "  "+a+"  ") || strings.Contains(string(csv), ","+a+",") {
					t.Errorf("%s listed: devices\n%s\nreport\n%s", a, stdout, csv)
				}
			}
			code, stdout, stderr = runImporter(t, "show", "--db", db, "--as-of", tc.asOf, "NG-L2-011")
			if code != 0 || !strings.Contains(stdout, tc.showSays) {
				t.Errorf("show: exit %d, want %q\n%s%s", code, tc.showSays, stdout, stderr)
			}
		})
	}
	// NG-L1-002 was collected on 2026-11-20 in Japan, 2026-11-19 or 20
	// where the importer runs.
	code, _, stderr := runImporter(t, "show", "--db", db, "--as-of", "2026-11-18", "NG-L1-002")
	if code != 2 || !strings.Contains(stderr, "first collected on 2026-11-19") && !strings.Contains(stderr, "first collected on 2026-11-20") {
		t.Errorf("show of a device collected after --as-of: exit %d\n%s", code, stderr)
	}
}

// TestNoDatabase: the commands that read the fleet refuse a missing
// database, say what to do, and create nothing.
func TestNoDatabase(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "nope.db")
	out := filepath.Join(dir, "reports")
	for _, args := range [][]string{{"devices"}, {"show", "X"}, {"report", "--out", out}} {
		code, stdout, stderr := runImporter(t, append(args, "--db", db)...)
		if code != 2 || !strings.Contains(stderr, "importer: error: no fleet database "+db) || !strings.Contains(stderr, "importer: hint: import bundles first") || stdout != "" {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q", args[0], code, stdout, stderr)
		}
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
}

// foreignBundles writes the site's identity file key into dir, and into
// dir/in the archetypes' bundles encrypted to another key: none of them
// opens with key.
func foreignBundles(t *testing.T, dir string) (key, in string, files map[string]string) {
	t.Helper()
	_, key = writeKey(t, dir, "key.txt")
	other, _ := writeKey(t, dir, "other.txt")
	in = filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	return key, in, archetypeBundles(t, in, other.Recipient())
}

// TestImportStoresNothing: an import or import-text that stores nothing
// leaves no new database (nor its -wal and -shm) behind, keeps one that
// was there, and exits as documented; a database in a folder that does
// not exist is refused before anything is read.
func TestImportStoresNothing(t *testing.T) {
	dir := t.TempDir()
	key, in, _ := foreignBundles(t, dir)
	text := filepath.Join(dir, "empty.txt")
	os.WriteFile(text, []byte("not slmgr output\n"), 0o644)
	existing := filepath.Join(dir, "existing")
	os.MkdirAll(existing, 0o755)
	if code, _, stderr := runImporter(t, "import-text", "--db", filepath.Join(existing, "fleet.db"), "--site", "S", "--line", "L",
		"../testdata/text/ja-win7-oemslp-notification-dlv.txt"); code != 0 {
		t.Fatalf("making a database: %s", stderr)
	}
	tests := []struct {
		name   string
		folder string // of the database, fleet.db
		args   []string
		code   int
		stderr string
		left   []string // in folder afterwards
	}{
		{"every bundle for another key", "new", []string{"import", "-q", "-i", key, in}, 2, "none of the 13 bundles found opens with the identity given", nil},
		{"no text readable", "new", []string{"import-text", "--site", "S", "--line", "L", text}, 1, "1 input was rejected", nil},
		{"a database that was there", "existing", []string{"import", "-q", "-i", key, in}, 2, "none of the 13 bundles found opens with the identity given", []string{"fleet.db"}},
		{"no such folder", "nope", []string{"import", "-q", "-i", key, in}, 2, "importer: error: database " + filepath.Join(dir, "nope", "fleet.db") + ": no folder", nil},
	}
	// The summary (or the error, when nothing was for this key) names
	// a database it did not create as not created, and one that was
	// there as it is.
	created := map[string]bool{"new": false, "existing": true}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			folder := filepath.Join(dir, tc.folder)
			if tc.folder == "new" {
				folder = t.TempDir()
			}
			code, stdout, stderr := runImporter(t, append(tc.args, "--db", filepath.Join(folder, "fleet.db"))...)
			if code != tc.code || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("exit %d, want %d with %q:\n%s", code, tc.code, tc.stderr, stderr)
			}
			if was, ok := created[tc.folder]; ok {
				note := " (no database was created: nothing to store)"
				into := "into " + filepath.Join(folder, "fleet.db")
				out := stdout
				if tc.args[0] == "import" {
					out = stderr
				}
				if !strings.Contains(out, into) || strings.Contains(out, note) == was {
					t.Errorf("summary, want %q with the note %q: %v:\n%s", into, note, !was, out)
				}
			}
			var left []string
			entries, _ := os.ReadDir(folder)
			for _, e := range entries {
				left = append(left, e.Name())
			}
			if strings.Join(left, " ") != strings.Join(tc.left, " ") {
				t.Errorf("left %q in the folder, want %q", left, tc.left)
			}
		})
	}
}

// TestImportDBOpenFails: a new database that does not open at the first
// batch (its folder gone since the start) is the usage error it was when
// opened at once (exit 2), and it is not tried again for every batch.
func TestImportDBOpenFails(t *testing.T) {
	folder := filepath.Join(t.TempDir(), "gone")
	os.MkdirAll(folder, 0o755)
	db, err := openToImport(filepath.Join(folder, "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	os.RemoveAll(folder)
	for i := 0; i < 2; i++ {
		if _, _, err := db.ImportBatch(context.Background(), nil); err == nil || err != db.err {
			t.Fatalf("batch %d: got %v, want the open's error %v", i, err, db.err)
		}
	}
	var ue *cmdline.UsageError
	if err := db.openFailed(); !errors.As(err, &ue) || !strings.Contains(ue.Msg, "fleet.db") {
		t.Errorf("got %v, want a usage error naming the database", err)
	}
	if _, err := os.Stat(folder); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the folder came back: %v", err)
	}
}

// TestWrongKeySummary: bundles for another key beside bundles that
// opened are one line, not a screenful; --verbose names each.
func TestWrongKeySummary(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	other, _ := writeKey(t, dir, "other.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	files := archetypeBundles(t, in, other.Recipient())
	mine := filepath.Join(dir, "mine")
	os.MkdirAll(mine, 0o755)
	archetypeBundles(t, mine, id.Recipient())
	db := testDB(t, dir, "fleet.db")
	code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in, mine)
	want := "importer: 13 bundles are for another key: was this the right site's key?\n"
	if code != 1 || !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") > 2 {
		t.Fatalf("exit %d, stderr:\n%s\nwant 1 and two lines starting %q", code, stderr, want)
	}
	// -v is import's --verbose, also after the paths.
	for _, verbose := range []string{"--verbose", "-v"} {
		code, _, stderr = runImporter(t, "import", "-q", "-i", key, "--db", db, in, mine, verbose)
		for _, f := range files {
			if !strings.Contains(stderr, f+"\n    error: wrong key") {
				t.Errorf("%s does not name %s:\n%s", verbose, f, stderr)
			}
		}
		if code != 1 || !strings.Contains(stderr, want) {
			t.Errorf("%s: exit %d\n%s", verbose, code, stderr)
		}
	}
}

// TestVerboseOrVersion: -v is import's --verbose; the importer's version
// is --version, and -v before a command, or alone, is a usage error
// saying where -v goes and what prints the version. Before, urfave's
// version flag took -v: "importer -v import E:\" printed the version,
// imported nothing and exited 0, and "importer -v" printed the version
// while "importer import -v" was verbose.
func TestVerboseOrVersion(t *testing.T) {
	for _, tc := range []struct {
		args           []string
		code           int
		stdout, stderr string // "" stdout: none
	}{
		{[]string{"--version"}, 0, "importer version ", ""},
		{[]string{"-v"}, 2, "", "importer: error: -v is no flag of importer itself: its version is --version, and -v is import's --verbose\n" +
			"importer: hint: importer --version prints the version; importer import -v PATH... names each bundle for another key"},
		{[]string{"-v", "import", "E:\\"}, 2, "", "importer: error: -v is a flag of import, given before it: a command's flags go after its name\n" +
			"importer: hint: importer import -v ..."},
		{[]string{"--verbose", "import", "E:\\"}, 2, "", "importer: error: --verbose is a flag of import, given before it"},
		{[]string{"-q", "import", "E:\\"}, 2, "", "importer import -q ..."},
		{[]string{"-vq", "import", "E:\\"}, 2, "", "importer import -vq ..."},
		{[]string{"-v", "report", "--out", "x"}, 2, "", "importer: error: -v is no flag of importer itself"},
		{[]string{"--version", "import", "E:\\"}, 2, "", "importer: error: --version takes no command"},
		// A flag that takes a value, with it, before the command, or
		// before a subcommand: the command is still found.
		{[]string{"-i", "key.txt", "import", "E:\\"}, 2, "", "importer: error: -i is a flag of import, given before it: a command's flags go after its name\n" +
			"importer: hint: importer import -i ..."},
		{[]string{"--db", "x", "report"}, 2, "", "importer: error: --db is a flag of report, given before it"},
		{[]string{"--site", "S", "activation", "stick", "E:\\"}, 2, "", "importer: error: --site is a flag of activation stick, given before it: a command's flags go after its name\n" +
			"importer: hint: importer activation stick --site ..."},
		{[]string{"--version", "x"}, 2, "", "importer: error: --version takes no command"},
		// Three dashes are no flag: the hint must not repeat them.
		{[]string{"---v", "import", "E:\\"}, 2, "", "importer: error: bad flag syntax: ---v"},
		{[]string{"--version=true", "import", "E:\\"}, 2, "", "importer: error: --version takes no command"},
		// --version=false asks for no version: the command is read
		// (and here is none).
		{[]string{"--version=false", "imprt", "E:\\"}, 2, "", "importer: error: unknown command \"imprt\""},
		// A flag of no command before one: named as typed (urfave
		// said "flag provided but not defined: -dbb").
		{[]string{"--dbb", "x", "report"}, 2, "", "importer: error: importer has no flag --dbb"},
		// --version after a command: where it goes (urfave said
		// "flag provided but not defined: -version").
		{[]string{"import", "--version", "E:\\"}, 2, "", "importer: error: importer import has no flag --version\n" +
			"importer: hint: the version is importer --version, given alone; importer import --help lists its flags"},
		{[]string{"--help"}, 0, "--version", ""},
		{[]string{"import", "--help"}, 0, "--verbose, -v", ""},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runImporter(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || tc.stdout == "" && stdout != "" || !strings.Contains(stderr, tc.stderr) {
				t.Errorf("got exit %d\nstdout:\n%s\nstderr:\n%s\nwant %d, %q, %q", code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
		})
	}
}

// TestImportForeign: an import in which every bundle found is for
// another key imported nothing because of the identity given: one
// message, what to give, exit 2. Where any bundle opened (imported, or
// imported by an earlier run), or a file failed for another reason, the
// bundles for another key are rejected inputs as any (exit 1): a rerun
// ends as the first run did.
func TestImportForeign(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	other, _ := writeKey(t, dir, "other.txt")
	// A stick whose settings give the other key, and one whose settings
	// give this key but whose bundles were written to the other.
	osaka := filepath.Join(dir, "osaka")
	os.MkdirAll(filepath.Join(osaka, "bundles"), 0o755)
	archetypeBundles(t, filepath.Join(osaka, "bundles"), other.Recipient())
	writeSettings(t, osaka, other.Recipient().String(), "Osaka")
	rekeyed := filepath.Join(dir, "rekeyed")
	os.MkdirAll(filepath.Join(rekeyed, "bundles"), 0o755)
	archetypeBundles(t, filepath.Join(rekeyed, "bundles"), other.Recipient())
	writeSettings(t, rekeyed, id.Recipient().String(), "Nagoya")
	bare := filepath.Join(dir, "bare")
	os.MkdirAll(bare, 0o755)
	one := archetypeBundles(t, bare, other.Recipient())["win10-home"]
	mine := filepath.Join(dir, "mine")
	os.MkdirAll(mine, 0o755)
	archetypeBundles(t, mine, id.Recipient())
	junk := filepath.Join(dir, "junk")
	os.MkdirAll(junk, 0o755)
	os.WriteFile(filepath.Join(junk, "notes.tar.zst.age"), []byte("line 3 PCs\n"), 0o644)
	mineFP, otherFP := stick.Fingerprint(id.Recipient().String()), stick.Fingerprint(other.Recipient().String())

	tests := []struct {
		name string
		args []string
		code int
		want []string // on stderr
	}{
		{"another site's stick", []string{osaka}, 2, []string{
			"importer: error: none of the 13 bundles found opens with the identity given (" + mineFP + "): all are for another key; nothing was imported into ",
			"importer: hint: the stick's settings give the key " + otherFP + " (" + filepath.Join(osaka, "actcourier.conf") + `, site "Osaka"): give the identity file of that key with --identity (-i)`}},
		{"its bundles folder", []string{filepath.Join(osaka, "bundles")}, 2, []string{"give the key " + otherFP}},
		{"the stick's key changed since", []string{filepath.Join(rekeyed, "bundles")}, 2, []string{
			"give a key that was tried, so these bundles were written to an earlier key or on another site's stick"}},
		{"one bundle, no settings", []string{one}, 2, []string{
			"importer: error: the bundle found does not open with the identity given (" + mineFP + "): it is for another key",
			"importer: hint: give the identity file of the key the collector's check screen named"}},
		{"some for this key", []string{bare, mine}, 1, []string{"importer: 13 bundles are for another key"}},
		{"another reason too", []string{bare, junk}, 1, []string{"importer: 13 bundles are for another key", "notes.tar.zst.age\n    error: not a bundle"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			db := testDB(t, t.TempDir(), "fleet.db")
			code, stdout, stderr := runImporter(t, append([]string{"import", "-q", "-i", key, "--db", db}, tc.args...)...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", code, tc.code, stdout, stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks %q:\n%s", w, stderr)
				}
			}
			if tc.code == 2 && (stdout != "" || strings.Count(stderr, "\n") != 2) {
				t.Errorf("want one error and its hint, nothing on stdout:\n%s\n%s", stdout, stderr)
			}
		})
	}
	// Bundles already imported beside bundles for another key: the key
	// opened some, so the others are rejected inputs, exit 1, as in the
	// run that imported them.
	db := testDB(t, dir, "fleet.db")
	for run := 1; run <= 2; run++ {
		if code, _, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, bare, mine); code != 1 {
			t.Errorf("run %d: exit %d, want 1\n%s", run, code, stderr)
		}
	}
}

// writeSettings writes a stick's settings file into dir.
func writeSettings(t *testing.T, dir, recipient, site string) {
	t.Helper()
	c, err := stick.NewConfig([]string{recipient}, site, "L1", "")
	if err != nil {
		t.Fatal(err)
	}
	b, err := stick.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, stick.FileName), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestQuietImport: --quiet prints no line for a bundle imported or
// already imported, and still names a rejected one on stderr as it comes
// and again in the summary's list.
func TestQuietImport(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	good := archetypeBundles(t, in, id.Recipient())
	one, _ := os.ReadFile(good["win10-home"])
	truncated := filepath.Join(in, "truncated.tar.zst.age")
	os.WriteFile(filepath.Join(in, "copy-of.tar.zst.age"), one, 0o644)
	os.WriteFile(truncated, one[:len(one)-40], 0o644)
	db := testDB(t, dir, "fleet.db")
	code, stdout, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, in)
	want := fmt.Sprintf("imported %d, already imported 1, rejected 1", len(good))
	if code != 1 || !strings.HasPrefix(stdout, want) || strings.Count(stdout, "\n") != 2 {
		t.Errorf("exit %d, stdout:\n%s\nwant 1 and the summary alone, starting %q", code, stdout, want)
	}
	if !strings.HasPrefix(stderr, "importer: rejected "+truncated+": ") || strings.Count(stderr, truncated) != 2 {
		t.Errorf("stderr:\n%s\nwant %s named first as it comes, then in the list", stderr, truncated)
	}
}

// TestHelpAndErrors: help that tells the truth, the error before any
// help, a suggestion for a mistyped command or flag, plurals.
func TestHelpAndErrors(t *testing.T) {
	tests := []struct {
		args        []string
		code        int
		stdout      string // "" means stdout must be empty
		stderr      string
		notInStdout string
		notInStderr string
	}{
		{[]string{"improt"}, 2, "", `importer: error: unknown command "improt"` + "\nimporter: hint: did you mean \"import\"?", "", "No help topic"},
		{[]string{"version"}, 2, "", `importer: error: unknown command "version"` + "\nimporter: hint: the version is importer --version;", "", ""},
		{[]string{"report"}, 2, "", "importer: error: report: --out required\nimporter: hint: importer report --help", "", "USAGE"},
		{[]string{"keygen"}, 2, "", "importer: error: keygen: --out required", "", "OPTIONS"},
		{[]string{"import-text", "x.txt"}, 2, "", "--site and --line required", "", ""},
		{[]string{"devices", "--catgory", "ok"}, 2, "", "did you mean --category?", "", "Incorrect Usage"},
		{[]string{"keygen", "--help"}, 0, "0    the identity was written", "", "what was stored is whole", ""},
		// A group's help names the command to give and where its exit
		// codes are.
		{[]string{"activation", "--help"}, 0, "importer activation command [command options]", "", "", ""},
		{[]string{"activation", "--help"}, 0, "Each command's --help ends with", "", "", ""},
		{[]string{"devices", "--help"}, 0, "2    usage or configuration error", "", "   1    ", ""},
		{[]string{"import", "--help"}, 0, "(default: one more than the cores)", "", "(default: 0)", ""},
		// Each command's table holds the codes it gives, and only those:
		// a worklist refuses no input; Ctrl-C at a passphrase prompt is
		// 130 (TestInterruptAtPassphrase).
		{[]string{"activation", "worklist", "--help"}, 0, "2    usage or configuration error", "", "   1    ", ""},
		{[]string{"activation", "cids", "--help"}, 0, "1    done in part: each refused file, row or CID", "", "", ""},
		// Every refusal of a row is in the description: one hidden in
		// the workbook too (fleet.ErrHiddenCID).
		{[]string{"activation", "cids", "--help"}, 0, "hidden in the workbook", "", "", ""},
		{[]string{"activation", "stick", "--help"}, 0, "130  interrupted (Ctrl-C) at the passphrase prompt", "", "", ""},
		{[]string{"keygen", "--help"}, 0, "130  interrupted (Ctrl-C) at the passphrase prompt", "", "", ""},
		{[]string{"inspect", "--help"}, 0, "130  interrupted (Ctrl-C) at the passphrase prompt", "", "", ""},
		{[]string{"--help"}, 0, "EXIT STATUS", "", "help, h", ""},
		// A forgotten command is a usage error, its help on stderr.
		{nil, 2, "", "USAGE:", "", ""},
		{nil, 2, "", "importer: error: no command given\nimporter: hint: name one of the commands above; importer help COMMAND", "", ""},
		{[]string{"activation"}, 2, "", "importer: error: activation: no subcommand given", "", ""},
		// The word help is the help flag.
		{[]string{"help"}, 0, "EXIT STATUS", "", "help, h", ""},
		{[]string{"help", "import"}, 0, "(default: one more than the cores)", "", "", ""},
		{[]string{"help", "improt"}, 2, "", `importer: error: unknown command "improt"` + "\nimporter: hint: did you mean \"import\"?", "", "No help topic"},
		{[]string{"report", "help"}, 0, "--out DIR", "", "", ""}, // its Before does not refuse the missing --out
		{[]string{"activation", "help", "stick"}, 0, "importer activation stick -", "", "", ""},
		{[]string{"activation", "stick", "help"}, 0, "importer activation stick -", "", "", ""},
		{[]string{"import", "x.age", "--help"}, 0, "importer import -", "", "", ""},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			code, stdout, stderr := runImporter(t, tc.args...)
			if code != tc.code || !strings.Contains(stdout, tc.stdout) || (tc.stdout == "" && stdout != "") || !strings.Contains(stderr, tc.stderr) {
				t.Fatalf("got exit %d\nstdout:\n%s\nstderr:\n%s\nwant %d, %q, %q", code, stdout, stderr, tc.code, tc.stdout, tc.stderr)
			}
			if tc.notInStdout != "" && strings.Contains(stdout, tc.notInStdout) || tc.notInStderr != "" && strings.Contains(stderr, tc.notInStderr) {
				t.Errorf("got %q or %q:\n%s\n%s", tc.notInStdout, tc.notInStderr, stdout, stderr)
			}
		})
	}
}

// TestHelpDefaultsOnce: no flag of any command or subcommand says its
// default twice, in its usage and again as urfave's "(default: …)" (the
// collector's --timeout did); a default phrased by us is the flag's
// DefaultText, as --jobs has it. Nor is a flag's value called "value".
func TestHelpDefaultsOnce(t *testing.T) {
	seen := 0
	var check func(args []string)
	check = func(args []string) {
		code, stdout, stderr := runImporter(t, append(args, "--help")...)
		if code != 0 {
			t.Fatalf("%s --help: exit %d: %s", strings.Join(args, " "), code, stderr)
		}
		seen++
		for _, l := range strings.Split(stdout, "\n") {
			if strings.Count(l, "default") > 1 {
				t.Errorf("importer %s --help says a default twice: %q", strings.Join(args, " "), l)
			}
			// A flag's value is named (--site SITE), not urfave's
			// placeholder "value".
			if f := strings.Fields(l); len(f) > 1 && strings.HasPrefix(f[0], "--") && strings.TrimSuffix(f[1], ",") == "value" {
				t.Errorf("importer %s --help names a flag's value \"value\": %q", strings.Join(args, " "), l)
			}
		}
		// The commands are listed from "COMMANDS:" to a blank line, each
		// name first ("import, i" for one with an alias).
		_, cmds, ok := strings.Cut(stdout, "COMMANDS:\n")
		if !ok {
			return
		}
		cmds, _, _ = strings.Cut(cmds, "\n\n")
		for _, l := range strings.Split(cmds, "\n") {
			if f := strings.Fields(l); len(f) > 0 {
				check(append(append([]string(nil), args...), strings.TrimSuffix(f[0], ",")))
			}
		}
	}
	check(nil)
	if seen < 14 {
		t.Errorf("read the help of %d commands, want the importer, its 10 commands and activation's 3", seen)
	}
}

// TestDevicesJapanese: devices --lang ja writes its header, categories
// and count in Japanese, aligned for a terminal.
func TestDevicesJapanese(t *testing.T) {
	db := history(t)
	code, stdout, stderr := runImporter(t, "devices", "--db", db, "--lang", "ja")
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, want := range []string{"拠点", "資産番号", "緊急", "問題なし", "2 台 (基準日"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("devices --lang ja lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "urgent") {
		t.Errorf("category not in Japanese:\n%s", stdout)
	}
	// The Windows column in the reports' words: no English head, no
	// channel codes (Volume:MAK, OEM:DM, Retail, Eval).
	if !strings.Contains(stdout, "Windows ライセンス") || !strings.Contains(stdout, " / ライセンス認証済み") {
		t.Errorf("the Windows column is not in Japanese:\n%s", stdout)
	}
	if c := regexp.MustCompile(`WINDOWS|Volume:|OEM:|Retail|Eval\b`).FindString(stdout); c != "" {
		t.Errorf("devices --lang ja shows %q:\n%s", c, stdout)
	}
	// On a terminal a Japanese character takes two columns: the
	// category column starts at the same column on every line.
	col := func(line, word string) int {
		n := 0
		for _, r := range line[:strings.Index(line, word)] {
			n++
			if r >= 0x1100 {
				n++
			}
		}
		return n
	}
	lines := strings.Split(stdout, "\n")
	if a, b, c := col(lines[0], "区分"), col(lines[1], "問題なし"), col(lines[2], "緊急"); a != b || b != c {
		t.Errorf("category at columns %d, %d, %d:\n%s", a, b, c, stdout)
	}
}

// TestFilterMatchesNothing: a --site or --line that selects no device is
// refused (exit 2) naming the sites the fleet has, before anything is
// written or a passphrase asked for, rather than giving an empty report
// an auditor could take for a site with nothing to do.
func TestFilterMatchesNothing(t *testing.T) {
	db := history(t)
	out := filepath.Join(t.TempDir(), "out")
	stick := t.TempDir()
	tests := []struct {
		name string
		args []string
		code int
		want string // in stderr
	}{
		{"site in another case", []string{"devices", "--db", db, "--site", "nagoya"}, 2, `sites: "Nagoya", "Kumamoto"`}, // the closest first
		{"no such line", []string{"devices", "--db", db, "--site", "Nagoya", "--line", "L9"}, 2, `no device in site "Nagoya", line "L9"`},
		// The category as the reports write it: said once, the name meant in the hint.
		{"category in another case", []string{"devices", "--db", db, "--category", "Urgent"}, 2,
			"importer: error: devices: unknown --category \"Urgent\"\nimporter: hint: did you mean \"urgent\"? use urgent, image-backup, volume-license or ok\n"},
		// The site is right: the hint names its lines, not the sites.
		{"no such line: its lines", []string{"report", "--db", db, "--site", "Nagoya", "--line", "L9", "--out", out}, 2,
			`names are matched exactly; lines of site "Nagoya": "L`},
		{"a line in another case", []string{"devices", "--db", db, "--site", "Nagoya", "--line", "l2"}, 2, `lines of site "Nagoya": "L2"`},
		{"before the first collection", []string{"devices", "--db", db, "--site", "Nagoya", "--as-of", "2026-09-01"}, 2,
			"the fleet has no device as of 2026-09-01; import bundles; a site or line collected later needs a later --as-of"},
		{"line of the site", []string{"devices", "--db", db, "--site", "Nagoya", "--line", "L2"}, 0, ""},
		{"report", []string{"report", "--db", db, "--site", "Osaka", "--out", out}, 2, `no device in site "Osaka"`},
		{"worklist", []string{"activation", "worklist", "--db", db, "--line", "L9", "--out", out}, 2, `no device in line "L9"`},
		{"return file", []string{"activation", "stick", "--db", db, "--site", "Osaka", stick}, 2, `no device in site "Osaka"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runImporter(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, want %d with %q:\n%s", code, tc.code, tc.want, stderr)
			}
		})
	}
	if _, err := os.Stat(out); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused filter wrote %s: %v", out, err)
	}
	if entries, _ := os.ReadDir(stick); len(entries) != 0 {
		t.Errorf("a refused filter wrote onto the stick: %v", entries)
	}
}

// TestReportFolderReplaced: a report of one site into the folder of the
// fleet's report leaves none of the other sites' pages, says how many
// it removed, and names the site on the fleet's page.
func TestReportFolderReplaced(t *testing.T) {
	db := history(t)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out, "--format", "html,csv"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "Kumamoto", "index.html")); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runImporter(t, "report", "--db", db, "--out", out, "--format", "html", "--site", "Nagoya")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "removed ") || !strings.Contains(stdout, "an earlier report had written in "+out) {
		t.Errorf("stdout does not say what was removed:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "Kumamoto")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Kumamoto's pages stay: %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "devices.csv")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the CSV of the earlier report stays: %v", err)
	}
	page, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if !strings.Contains(string(page), "<title>ActCourier: Fleet (Site Nagoya)</title>") {
		t.Error("the fleet page does not name the site it covers")
	}
}

// TestReportFolderBusy: a report into a folder another report is being
// written into stops at once, says so and what to do, and leaves the
// folder to the other.
func TestReportFolderBusy(t *testing.T) {
	db := history(t)
	out := filepath.Join(t.TempDir(), "out")
	other, err := report.NewWriter(out, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr := runImporter(t, "report", "--db", db, "--out", out)
	if code != 2 || !strings.Contains(stderr, "report into "+out+": another report is being written into this folder") ||
		!strings.Contains(stderr, "importer: hint: wait for that report to finish") {
		t.Fatalf("exit %d, want 2 saying the folder is busy:\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, "index.html")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the refused report wrote its index: %v", err)
	}
	other.Abort()
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out); code != 0 {
		t.Fatalf("once the other report is done: exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(out, report.LockFile)); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the lock file stays after the report: %v", err)
	}
}

// TestNewDatabaseFolder: a command that would create a SQLite fleet in a
// folder that is not there says so (not SQLite's "out of memory"), and
// one that refuses its arguments creates no database.
func TestNewDatabaseFolder(t *testing.T) {
	dir := t.TempDir()
	csv := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(csv, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	from := history(t)
	missing := filepath.Join(dir, "no such folder", "fleet.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"cids", []string{"activation", "cids", "--db", missing, "--new-db", csv}, "no folder " + filepath.Dir(missing) + " to create it in"},
		{"migrate", []string{"migrate", "--from", from, "--to", missing}, "no folder " + filepath.Dir(missing) + " to create it in"},
		{"cids without a file", []string{"activation", "cids", "--db", filepath.Join(dir, "new.db")}, "no file given"},
		{"cids of a missing file", []string{"activation", "cids", "--db", filepath.Join(dir, "new.db"), "--new-db", filepath.Join(dir, "gone.csv")},
			"gone.csv: "}, // the system's words, then "(no database was created)"
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runImporter(t, tc.args...)
			if code != 2 || !strings.Contains(stderr, tc.want) || strings.Contains(stderr, "out of memory") ||
				strings.HasPrefix(tc.name, "cids of") && !strings.Contains(stderr, "(no database was created)") {
				t.Fatalf("exit %d, want 2 with %q:\n%s", code, tc.want, stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only records.csv: %v", len(entries), entries)
	}
}

// TestCIDsNewDatabase: activation cids run in the wrong folder, or with
// a mistyped --db, refuses (exit 2, no file created) rather than keep the
// CIDs "for later" in a new empty database, exit 0; with --new-db it
// creates one only to store something, and says so on stderr with where.
func TestCIDsNewDatabase(t *testing.T) {
	if pgtest.Required() {
		t.Skip("a PostgreSQL database is never created")
	}
	good := "InstallationId,ConfirmationId\r\n" + strings.Repeat("1234567", 9) + "," + strings.Repeat("123456", 8) + "\r\n"
	for _, tc := range []struct {
		name    string
		newDB   bool
		file    string // its name: a .xlsx holds CSV
		code    int
		created bool
		want    string // in stderr
	}{
		{"no database, not asked", false, "records.csv", 2, false, "no fleet database "},
		{"no database, not asked, a file refused", false, "records.xlsx", 2, false, "add --new-db"},
		{"asked, every file refused", true, "records.xlsx", 1, false, "records.xlsx"},
		{"asked, CIDs stored", true, "records.csv", 0, true, "created a new fleet database "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, tc.file)
			if err := os.WriteFile(file, []byte(good), 0o644); err != nil {
				t.Fatal(err)
			}
			db := filepath.Join(dir, "fleet.db")
			args := []string{"activation", "cids", "--db", db, file}
			if tc.newDB {
				args = append(args, "--new-db")
			}
			code, _, stderr := runImporter(t, args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("got exit %d, want %d with %q:\n%s", code, tc.code, tc.want, stderr)
			}
			_, err := os.Stat(db)
			if created := err == nil; created != tc.created {
				t.Errorf("got database created %v, want %v:\n%s", created, tc.created, stderr)
			}
			// Where it is, and what it holds, is told: a database made by
			// mistake is found and removed.
			if tc.created && (!strings.Contains(stderr, terminal.Inline(db)) || !strings.Contains(stderr, "holds no device")) {
				t.Errorf("got stderr\n%s\nwant it to name %s and say it holds no device", stderr, db)
			}
		})
	}
}

// TestCIDsNoFleetPostgres: activation cids given a PostgreSQL database
// that holds no fleet (a mistyped name of a database that exists, such
// as the server's "postgres") refuses, as the commands that read the
// fleet do, rather than create the fleet's tables there and keep the
// CIDs "for later", exit 0; with --new-db it stores them there.
func TestCIDsNoFleetPostgres(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "records.csv")
	good := "InstallationId,ConfirmationId\r\n" + strings.Repeat("1234567", 9) + "," + strings.Repeat("123456", 8) + "\r\n"
	if err := os.WriteFile(file, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	dsn := pg.DB(t) // empty: no fleet
	code, stdout, stderr := runImporter(t, "activation", "cids", "--db", dsn, file)
	if code != 2 || !strings.Contains(stderr, "no fleet database ") || !strings.Contains(stderr, "--new-db") {
		t.Errorf("no fleet: got exit %d\n%s%s\nwant 2, no fleet database, and --new-db in the hint", code, stdout, stderr)
	}
	if code, _, stderr := runImporter(t, "devices", "--db", dsn); code != 2 || !strings.Contains(stderr, "no fleet database ") {
		t.Errorf("after the refusal: devices exit %d\n%s\nwant 2: no fleet created", code, stderr)
	}
	if code, stdout, stderr := runImporter(t, "activation", "cids", "--db", dsn, "--new-db", file); code != 0 {
		t.Errorf("--new-db: got exit %d\n%s%s\nwant 0", code, stdout, stderr)
	}
}

// TestReportFileMode: a report's files get the mode any new file of the
// user gets (0666 less the umask, as os.Create gives), so that auditors
// who read the folder under another account (a share, a web server) can
// open them; before, each kept its temporary file's 0600.
func TestReportFileMode(t *testing.T) {
	db := history(t)
	out := filepath.Join(t.TempDir(), "out")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	probe, err := os.Create(filepath.Join(t.TempDir(), "probe"))
	if err != nil {
		t.Fatal(err)
	}
	probe.Close()
	fi, err := os.Stat(probe.Name())
	if err != nil {
		t.Fatal(err)
	}
	want := fi.Mode().Perm()
	n := 0
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Name() == ".actcourier-report.lock" {
			return err
		}
		n++
		if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v as os.Create gives", p, fi.Mode().Perm(), err, want)
		}
		return nil
	})
	if n < 10 {
		t.Errorf("%d files in the report", n)
	}
}

// TestMigrateUsage: migrate names the fleet to move with --from, not
// --db as the other commands do: a --from that is missing, empty or
// names no fleet, a --db given in its place and the fleet given as an
// argument are usage errors (exit 2) that say --from is what is missing;
// no hint sends the user to a --db that migrate does not take.
func TestMigrateUsage(t *testing.T) {
	dir := t.TempDir()
	to, gone := filepath.Join(dir, "to.db"), filepath.Join(dir, "gone.db")
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no --from", []string{"migrate", "--to", to}, "--from"},
		{"empty --from", []string{"migrate", "--from=", "--to", to}, "--from"},
		{"--from names no fleet", []string{"migrate", "--from", gone, "--to", to}, gone},
		{"--db for --from", []string{"migrate", "--db", gone, "--to", to}, "--from"},
		{"the fleet as an argument", []string{"migrate", gone, "--to", to}, "--from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runImporter(t, tc.args...)
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, tc.want) || !strings.Contains(stderr, "hint: ") ||
				!strings.Contains(stderr, "--from") || strings.Contains(stderr[strings.Index(stderr, "hint: "):], "--db") {
				t.Errorf("exit %d, want 2 saying --from with %q, and no --db:\n%s%s", code, tc.want, stdout, stderr)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("a refused migrate left %v", entries)
	}
}

// TestReportKeepsOthersFiles: a report into a folder holding a file of a
// name it writes that no report wrote (a hand-made index.html) refuses
// with exit 2, naming the file and what to do, and writes nothing; the
// file stays as it was. A file of another name stays beside the report.
func TestReportKeepsOthersFiles(t *testing.T) {
	db := history(t)
	out := filepath.Join(t.TempDir(), "reports")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	mine := filepath.Join(out, "index.html")
	if err := os.WriteFile(mine, []byte("<p>our own start page</p>"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runImporter(t, "report", "--db", db, "--out", out)
	if code != exitUsage || stdout != "" || !strings.Contains(stderr, "error: report into "+out+": ") || !strings.Contains(stderr, ": index.html;") ||
		!strings.Contains(stderr, "hint: move those files") || !strings.Contains(stderr, "--out") {
		t.Errorf("exit %d, want 2 naming index.html with what to do:\n%s%s", code, stdout, stderr)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 1 {
		t.Errorf("the refused report left %v", entries)
	}
	if b, _ := os.ReadFile(mine); string(b) != "<p>our own start page</p>" {
		t.Errorf("index.html was replaced: %.60q", b)
	}
	if err := os.Rename(mine, filepath.Join(out, "start.html")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out); code != 0 {
		t.Fatalf("with the file moved aside: exit %d\n%s", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(out, "start.html")); string(b) != "<p>our own start page</p>" {
		t.Errorf("start.html was changed: %.60q", b)
	}
}

// TestOutIsAFile: report and activation worklist given an --out that is a
// file, or a folder under one, say which file is in the way and to give a
// folder (exit 2), and leave the file as it was. They said "report into
// L1.csv: mkdir L1.csv: not a directory" with no hint, and the worklist
// "mkdir L1.csv: not a directory" with "hint: check that the file is
// readable".
func TestOutIsAFile(t *testing.T) {
	db := history(t)
	file := filepath.Join(t.TempDir(), "L1.csv")
	if err := os.WriteFile(file, []byte("kept\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"report into a file", []string{"report", "--db", db, "--out", file}},
		{"report under a file", []string{"report", "--db", db, "--out", filepath.Join(file, "sub")}},
		{"worklist into a file", []string{"activation", "worklist", "--db", db, "--out", file}},
		{"worklist under a file", []string{"activation", "worklist", "--db", db, "--out", filepath.Join(file, "sub")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runImporter(t, tc.args...)
			want := file + " is a file, not a folder"
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, want) || !strings.Contains(stderr, "importer: hint: give --out a folder") {
				t.Errorf("got exit %d\n%s%s\nwant 2, %q and a hint to give --out a folder", code, stdout, stderr, want)
			}
			if b, err := os.ReadFile(file); err != nil || string(b) != "kept\n" {
				t.Errorf("the file is now %q (%v), want it kept", b, err)
			}
		})
	}
}

// TestImportNoBundle: an import of a stick that holds no bundle yet (as
// the README has it: importer import -i site-key.txt /media/E) says so,
// and where the collector put its bundles, not to "point at the stick's
// bundles folder", which told a user who named the stick itself to name
// a folder that was empty too.
func TestImportNoBundle(t *testing.T) {
	dir := t.TempDir()
	_, key := writeKey(t, dir, "key.txt")
	stick := filepath.Join(dir, "E")
	if err := os.MkdirAll(filepath.Join(stick, "bundles"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		path string
	}{
		{"the stick", stick},
		{"its bundles folder", filepath.Join(stick, "bundles")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runImporter(t, "import", "-i", key, "--db", filepath.Join(dir, "fleet.db"), tc.path)
			want := "importer: hint: bundles end in .tar.zst.age, in the folder the collector's screen named after \"Saved in / 保存先\""
			if code != exitUsage || stdout != "" || !strings.Contains(stderr, "no bundle found under "+tc.path) || !strings.Contains(stderr, want) {
				t.Errorf("got exit %d\n%s%s\nwant 2 and %q", code, stdout, stderr, want)
			}
		})
	}
}
