package main

import (
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/pgtest"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// forged is what a stick holder writes into every field, file name and
// cell the importer may print: a screen clear, a carriage return, a line
// of its own that reads as the importer's hint, the bidi controls U+202E
// and U+2066, and the six characters \u202e after LIT, which must not
// read as a U+202E escaped.
func forged(tag string) string {
	return tag + "\x1b[2J\r\n importer: hint: FORGED " + tag + "\u202e\u2066LIT\\u202e"
}

// forgedName is forged for a file or folder name: on Windows, which
// refuses control characters in a name and reads a backslash as a
// separator, only what a name there can hold (the bidi controls).
func forgedName(tag string) string {
	if runtime.GOOS == "windows" {
		return tag + "\u202e\u2066LIT"
	}
	return forged(tag)
}

// shownSafely fails when out holds a byte of forged raw: ESC, CR, U+202E,
// U+2066, a line that starts with the forged hint, or the six characters
// \u202e shown as a U+202E is (one backslash); in lower case too, as a
// device's key holds them.
func shownSafely(t *testing.T, what, out string) {
	t.Helper()
	for _, bad := range []string{"\x1b", "\r", "\u202e", "\u2066", `LIT\u202e`, `lit\u202e`} {
		if i := strings.Index(out, bad); i >= 0 {
			lo, hi := i-60, i+60
			if lo < 0 {
				lo = 0
			}
			if hi > len(out) {
				hi = len(out)
			}
			t.Errorf("%s printed %q raw: %q", what, bad, out[lo:hi])
		}
	}
	for _, l := range strings.Split(out, "\n") {
		if l = strings.TrimSpace(l); strings.HasPrefix(l, "importer: hint: FORGED") || strings.HasPrefix(l, "importer: hint: forged") {
			t.Errorf("%s printed a forged line: %q", what, l)
		}
	}
}

// TestForgedShown forges bundles, a CID file, a saved text and file
// names with forged values, runs every command a user runs on them, and
// checks that nothing forged reaches stdout or stderr raw: neither the
// listings, the progress lines, the rejected inputs, the summaries, nor
// the final error line, which prints an error's text as it is.
func TestForgedShown(t *testing.T) {
	dir := t.TempDir()
	id, key := writeKey(t, dir, "site-key.txt")
	r := id.Recipient()
	// A folder on the stick named by the forger, too.
	in := filepath.Join(dir, "stick", forgedName("DIR"))
	if err := os.MkdirAll(in, 0o755); err != nil {
		t.Fatal(err)
	}
	rename := func(p, name string) string {
		t.Helper()
		to := filepath.Join(filepath.Dir(p), name)
		if err := os.Rename(p, to); err != nil {
			t.Fatal(err)
		}
		return to
	}
	// Two devices of one asset tag (show by the tag is ambiguous), every
	// field forged, in files named by the forger.
	var bundles []string
	// The second has no serial: its key is made of its names, in lower
	// case.
	for i, serial := range []string{"S1", ""} {
		s := hostileBase(t)
		s.Context.Site, s.Context.Line, s.Context.Asset = forged("SITE"), forged("LINE"), "ASSET"+forged("")
		s.Context.Engineer, s.Context.Collector = forged("ENGINEER"), forged("COLLECTOR")
		s.OS.Hostname, s.Hardware.Serial, s.Hardware.Model = forged("HOST"), serial, forged("MODEL")
		if serial != "" {
			s.Hardware.Serial += forged("SERIAL")
		}
		s.Hardware.UUID = ""
		for j := range s.Products {
			s.Products[j].Name = forged("PRODUCT")
		}
		p := writeSnapshot(t, in, r, s, nil)
		bundles = append(bundles, rename(p, forgedName("FILE")+string(rune('a'+i))+".tar.zst.age"))
	}
	junk := filepath.Join(in, forgedName("JUNK")+".tar.zst.age")
	os.WriteFile(junk, []byte("not a bundle"), 0o644)

	db := testDB(t, dir, "fleet.db")
	cmds := [][]string{
		{"import", "-i", key, "--db", db, "--verbose", filepath.Dir(in)},
		{"import", "-i", key, "--db", db, filepath.Dir(in)},
		{"devices", "--db", db},
		{"show", "--db", db, "ASSET" + forged("")},
		{"show", "--db", db, forged("HOST")},
		{"show", "--db", db, "1"},
		{"inspect", "-i", key, bundles[0], junk, in, filepath.Join(dir, forgedName("MISSING")+".tar.zst.age")},
		{"inspect", "--json", "-i", key, bundles[0]},
		// The identity file is the user's, named on the command line:
		// what the system's error names of it stays on its line.
		{"inspect", "-i", filepath.Join(dir, strings.TrimSuffix(forgedName("KEY"), `LIT\u202e`)), bundles[0]},
		{"report", "--db", db, "--out", filepath.Join(dir, "reports")},
		{"activation", "worklist", "--db", db, "--out", filepath.Join(dir, "worklist")},
	}

	// A saved text that holds no product, and one not there.
	text := filepath.Join(dir, forgedName("TEXT")+".txt")
	os.WriteFile(text, []byte("hello\n"), 0o644)
	cmds = append(cmds, []string{"import-text", "--db", db, "--site", "S", "--line", "L", text, filepath.Join(dir, forgedName("NOTEXT")+".txt")})

	// A CID file whose cells and name are forged, and a file that is
	// not CSV at all.
	cids := filepath.Join(dir, forgedName("CIDS")+".csv")
	rows := strings.Join(worklist.Header[:7], ",") + "\n" +
		strings.Join([]string{`"` + forged("HOST") + `"`, "123", "x", `"` + forged("CID") + `"`, "1", "", ""}, ",") + "\n"
	os.WriteFile(cids, []byte(rows), 0o644)
	notCSV := filepath.Join(dir, forgedName("NOTCSV")+".csv")
	os.WriteFile(notCSV, []byte("a,\"b\n"), 0o644)
	cmds = append(cmds, []string{"activation", "cids", "--db", db, cids, notCSV},
		[]string{"activation", "cids", "--db", filepath.Join(dir, "new.db"), "--new-db", filepath.Join(dir, forgedName("NOCIDS")+".csv")})

	for _, cmd := range cmds {
		code, stdout, stderr := runImporter(t, cmd...)
		what := strings.Join(cmd[:2], " ")
		t.Logf("%s: exit %d\n%s%s", what, code, stdout, stderr)
		shownSafely(t, what, stdout+stderr)
	}

	// A database damaged after the import: the errors that name the
	// forged device by its key.
	if pgtest.Required() {
		return
	}
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	for _, damage := range []string{"UPDATE collections SET collected_at = 'x'", "UPDATE collections SET collected_at = '2026-11-02T01:15:00Z', snapshot = 'x'"} {
		damage += " WHERE device_id IN (SELECT id FROM devices WHERE key LIKE 'loc:%')"
		if _, err := sqlDB.Exec(damage); err != nil {
			t.Fatalf("%s: %v", damage, err)
		}
		for _, cmd := range [][]string{{"devices", "--db", db}, {"report", "--db", db, "--out", filepath.Join(dir, "reports")},
			{"activation", "worklist", "--db", db, "--out", filepath.Join(dir, "worklist")}} {
			code, stdout, stderr := runImporter(t, cmd...)
			t.Logf("%s, %s: exit %d\n%s%s", damage, cmd[0], code, stdout, stderr)
			shownSafely(t, damage+", "+cmd[0], stdout+stderr)
		}
	}
}
