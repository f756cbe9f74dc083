package main

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"

	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/pgtest"
	"github.com/actcourier/actcourier/pkg/store"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// TestActivationLoop runs the return path end to end, each program as
// the operator runs it: the collector (built for this system, replaying
// a Windows 7 machine whose Windows and Office wait for activation)
// writes a bundle with their IIDs; the importer imports it and writes the
// worklist; ActivationWs answers with records.csv (here, the CIDs the
// simulation accepts); the importer imports the CIDs and writes a return
// file to the stick; the collector finds it, applies it to the simulated
// machine and writes a proof bundle; the importer imports the proof and
// the worklist says applied.
func TestActivationLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds the collector")
	}
	if runtime.GOOS == "windows" {
		t.Skip("needs the go command to build the collector, which a Windows program under Wine cannot start")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "collector")
	if out, err := exec.Command("go", "build", "-o", exe, "../collector").CombinedOutput(); err != nil {
		t.Fatalf("building the collector: %v\n%s", err, out)
	}
	id, key := writeKey(t, dir, "site-key.txt")
	stick, db, out := filepath.Join(dir, "stick"), testDB(t, dir, "fleet.db"), filepath.Join(dir, "worklist")
	t.Setenv(fleet.ReturnPassphraseEnv, "told by phone, never on the stick")
	collector := func(what string, args ...string) string {
		t.Helper()
		cmd := exec.Command(exe, append([]string{"--no-prompt", "-r", id.Recipient().String(), "--out", filepath.Join(stick, "bundles"),
			"--snapshot", "../testdata/activation/win7-mak-office2010.json", "--return", filepath.Join(stick, "return")}, args...)...)
		o, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("collector, %s: %v\n%s", what, err, o)
		}
		return string(o)
	}
	importer := func(what string, args ...string) string {
		t.Helper()
		code, stdout, stderr := runImporter(t, append(args, "--db", db)...)
		if code != 0 {
			t.Fatalf("importer %s: exit %d\n%s%s", what, code, stdout, stderr)
		}
		return stdout
	}

	collector("first visit")
	importer("import", "import", "-i", key, stick)
	got := importer("worklist", "activation", "worklist", "--out", out)
	if !strings.Contains(got, "2 products: 2 needs-cid") {
		t.Fatalf("worklist: %s", got)
	}
	rows := readWorklist(t, filepath.Join(out, fleet.WorklistCSV))

	// ActivationWs answers: records.csv with the CIDs issued.
	var records [][]string
	records = append(records, worklist.Header[:7])
	for _, r := range rows {
		records = append(records, []string{r["Host"], r["InstallationId"], r["ExtendedProductId"], collect.SimulatedCID(r["InstallationId"]),
			"1", "2026-11-20T01:02:03.1234567+00:00", "2026-11-20T01:02:03.1234567+00:00"})
	}
	cids := filepath.Join(dir, "records.csv")
	f, _ := os.Create(cids)
	f.WriteString("\ufeff")
	w := csv.NewWriter(f)
	w.UseCRLF = true
	w.WriteAll(records)
	f.Close()
	got = importer("cids", "activation", "cids", "--by", "staff", cids)
	if !strings.Contains(got, "2 new in the archive") || !strings.Contains(got, "2 match an IID") {
		t.Fatalf("cids: %s", got)
	}
	if got = importer("worklist", "activation", "worklist", "--out", out); !strings.Contains(got, "2 cid-on-file") {
		t.Fatalf("worklist after the CIDs: %s", got)
	}
	got = importer("stick", "activation", "stick", stick, "--site", "Nagoya")
	if !strings.Contains(got, "2 items for 1 device") {
		t.Fatalf("stick: %s", got)
	}

	screen := collector("second visit", "--apply")
	if strings.Count(screen, "APPLIED: activated now") != 2 {
		t.Fatalf("the collector did not apply both:\n%s", screen)
	}
	got = importer("import the proof", "import", "-i", key, stick)
	if !strings.Contains(got, "imported 1,") {
		t.Fatalf("proof import: %s", got)
	}
	if got = importer("worklist", "activation", "worklist", "--out", out); !strings.Contains(got, "2 products: 2 applied") {
		t.Fatalf("worklist after the proof: %s", got)
	}
	for _, r := range readWorklist(t, filepath.Join(out, fleet.WorklistCSV)) {
		if r["State"] != "applied" || r["LicenseStatus"] != "licensed" {
			t.Errorf("row %v", r)
		}
	}
	// The line's report lists the requests, applied.
	reports := filepath.Join(dir, "reports")
	importer("report", "report", "--out", reports, "--format", "html,json")
	page, err := os.ReadFile(filepath.Join(reports, "Nagoya", "L2.html"))
	if err != nil || !strings.Contains(string(page), "Activation requests") || !strings.Contains(string(page), "pending 0 · applied 2 · failed 0") {
		t.Errorf("report of the line: %v\n%s", err, page)
	}
	// In Japanese, each request's detail too; the JSON keeps its English
	// words and gives its code.
	ja := filepath.Join(dir, "reports-ja")
	importer("report in Japanese", "report", "--out", ja, "--format", "html,json", "--lang", "ja")
	page, err = os.ReadFile(filepath.Join(ja, "Nagoya", "L2.html"))
	doc, _ := os.ReadFile(filepath.Join(ja, "Nagoya", "L2.json"))
	if err != nil || strings.Count(string(page), `<span class="kv">2026-`) != 2 || strings.Contains(string(page), ">on 20") ||
		strings.Count(string(doc), `","detail_code":"applied"}`) != 2 || !strings.Contains(string(doc), `"detail":"on 20`) {
		t.Errorf("Japanese report of the line: %v\n%s\n%s", err, page, doc)
	}
}

// readWorklist reads the worklist CSV as column → value maps.
func readWorklist(t *testing.T, name string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(string(data), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

// TestReturnLeavesOut: `activation stick` writes the items a return file
// can hold, names on stderr each product it left out (here a forged
// device's, with no licensing class), and exits 1.
func TestReturnLeavesOut(t *testing.T) {
	dir := t.TempDir()
	dsn := testDB(t, dir, "fleet.db")
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	for _, name := range []string{"genuine", "forged"} {
		s := readSnapshot(t, "../testdata/activation/win7-mak-office2010.json")
		s.Context.Collected = t0
		if name == "forged" {
			s.Hardware.UUID, s.Hardware.Serial, s.Context.Asset = "FORGED-UUID", "FORGED", "FORGED-1"
			for i := range s.Products {
				s.Products[i].Class = ""
			}
		}
		c, err := fleet.NewCollection(fleet.Meta{BundleID: name, SHA256: "sum-" + name, FileName: name, Origin: fleet.OriginBundle}, s, nil, nil, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if _, errs, err := db.ImportBatch(context.Background(), []*fleet.Collection{c}); err != nil || errs[0] != nil {
			t.Fatal(err, errs)
		}
	}
	rows, err := fleet.Requests(context.Background(), db, fleet.Filter{})
	db.Close()
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d requests, %v", len(rows), err)
	}
	cids := "InstallationId,ConfirmationId\r\n"
	for _, r := range rows {
		cids += r.IID + "," + strings.Repeat("222222", 8) + "\r\n"
	}
	file := filepath.Join(dir, "cids.csv")
	if err := os.WriteFile(file, []byte(cids), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, "--by", "staff", file); code != 0 {
		t.Fatalf("cids: exit %d\n%s%s", code, out, errOut)
	}
	t.Setenv(fleet.ReturnPassphraseEnv, "told by phone, never on the stick")
	code, out, errOut := runImporter(t, "activation", "stick", filepath.Join(dir, "stick"), "--db", dsn)
	if code != exitPartial || !strings.Contains(out, "2 items for 1 device") || strings.Count(errOut, "left out of the return file") != 2 ||
		!strings.Contains(errOut, "device FORGED-1") || !strings.Contains(errOut, "hint:") {
		t.Errorf("stick: exit %d\n%s%s", code, out, errOut)
	}
}

// TestStoredSnapshotDamaged: a worklist that meets a device whose stored
// snapshot does not read says that the database's copy is damaged and
// what to do, naming the device; before, it said "not a bundle" and to
// leave out a bundle that was fine when it was imported.
func TestStoredSnapshotDamaged(t *testing.T) {
	if pgtest.Required() {
		t.Skip("damages a SQLite file")
	}
	dir := t.TempDir()
	id, key := writeKey(t, dir, "site-key.txt")
	stick, db := filepath.Join(dir, "stick"), filepath.Join(dir, "fleet.db")
	os.Mkdir(stick, 0o755)
	archetypeBundles(t, stick, id.Recipient())
	if code, stdout, stderr := runImporter(t, "import", "-q", "-i", key, "--db", db, stick); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, stderr)
	}
	sqlDB, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqlDB.Close()
	var devKey string
	if err := sqlDB.QueryRow("SELECT key FROM devices ORDER BY id LIMIT 1").Scan(&devKey); err != nil {
		t.Fatal(err)
	}
	if _, err := sqlDB.Exec("UPDATE collections SET snapshot = 'x' WHERE device_id = (SELECT min(id) FROM devices)"); err != nil {
		t.Fatal(err)
	}
	// Every command that reads the snapshot says whose it is and what to
	// do, those that explain their errors (activation) and the others.
	for _, args := range [][]string{
		{"activation", "worklist", "--db", db, "--out", filepath.Join(dir, "worklist")},
		{"report", "--db", db, "--out", filepath.Join(dir, "report")},
		{"devices", "--db", db},
		{"show", "--db", db, devKey},
	} {
		code, _, stderr := runImporter(t, args...)
		for _, want := range []string{"importer: error: ", "device " + devKey + " (bundle ", ": stored snapshot unreadable: ",
			"importer: hint: the database's copy of this device's snapshot"} {
			if code != 2 || !strings.Contains(stderr, want) || strings.Contains(stderr, "not a bundle") {
				t.Errorf("%s: exit %d, stderr %q; want 2 with %q, not \"not a bundle\"", args[0], code, stderr, want)
			}
		}
	}
}

// readSnapshot reads a snapshot file of testdata.
func readSnapshot(t *testing.T, file string) *licensing.Snapshot {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := licensing.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// storeSnapshot stores the snapshot file as one collection into the
// fleet at dsn, as an imported bundle would be.
func storeSnapshot(t *testing.T, dsn, file string) {
	t.Helper()
	s := readSnapshot(t, file)
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := fleet.NewCollection(fleet.Meta{BundleID: "stored", SHA256: "sum-stored", FileName: "stored", Origin: fleet.OriginBundle}, s, nil, nil, s.Context.Collected.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, errs, err := db.ImportBatch(context.Background(), []*fleet.Collection{c}); err != nil || errs[0] != nil {
		t.Fatal(err, errs)
	}
}

// TestCIDsReplaced: activation cids tells on stderr each CID that
// replaced another on file, naming the device and product as the
// worklist does and the IID by its last digits (exit 0: the corrected
// CID is wanted), and refuses two different CIDs for one IID in one file
// (exit 1), importing the file's other rows.
func TestCIDsReplaced(t *testing.T) {
	dir, dsn, rows := twoRequests(t)
	iid := rows[0].IID
	cids := func(name string, pairs ...string) string {
		body := "InstallationId,ConfirmationId\r\n"
		for i := 0; i < len(pairs); i += 2 {
			body += pairs[i] + "," + strings.Repeat(pairs[i+1], 48) + "\r\n"
		}
		file := filepath.Join(dir, name)
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return file
	}
	if code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, cids("first.csv", iid, "1")); code != 0 || errOut != "" {
		t.Fatalf("first: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, cids("corrected.csv", iid, "2"))
	if code != 0 || !strings.Contains(errOut, "importer: warning: corrected.csv row 1: replaced the CID on file for IID …"+iid[len(iid)-6:]+
		" (site Nagoya, line L2, device NG-L2-012, Windows 7 Professional): it had not been sent in a return file") || strings.Contains(errOut, iid) {
		t.Errorf("corrected: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runImporter(t, "activation", "cids", "--db", dsn, cids("two.csv", iid, "3", rows[1].IID, "4", iid, "5"))
	if code != exitPartial || !strings.Contains(errOut, "importer: error: two.csv rows 1 and 3: different CIDs for IID …") ||
		!strings.Contains(errOut, "none of them imported") || !strings.Contains(errOut, "importer: hint: ") || !strings.Contains(out, "1 new in the archive") {
		t.Errorf("two CIDs for one IID: exit %d\n%s%s", code, out, errOut)
	}
}

// TestCIDsRestored: a CID imported by mistake (B, from a typo'd file)
// replaced the good one (A); importing A again is refused, with a hint
// that names --restore (exit 1); with --restore A is on file again, told
// on stderr, and the return file carries A; activation history lists
// the three events, who and when, A's restore on file.
func TestCIDsRestored(t *testing.T) {
	dir, dsn, rows := twoRequests(t)
	win, office := rows[0].IID, rows[1].IID
	good, typo := strings.Repeat("1", 48), strings.Repeat("7", 48)
	file := func(name, cid string) string {
		f := filepath.Join(dir, name)
		if err := os.WriteFile(f, []byte("InstallationId,ConfirmationId\r\n"+win+","+cid+"\r\n"+office+","+strings.Repeat("2", 48)+"\r\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	if code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, "--by", "yamada", file("records.csv", good)); code != 0 || errOut != "" {
		t.Fatalf("A: exit %d\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, "--by", "sato", file("typo.csv", typo)); code != 0 ||
		!strings.Contains(errOut, "typo.csv row 1: replaced the CID on file") {
		t.Fatalf("B: exit %d\n%s%s", code, out, errOut)
	}
	records := filepath.Join(dir, "records.csv")
	code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, "--by", "lead", records)
	if code != exitPartial || !strings.Contains(errOut, "importer: error: records.csv row 1: the CID for IID …"+win[len(win)-6:]) ||
		!strings.Contains(errOut, "is not put back on file") || !strings.Contains(errOut, "import the file again with --restore") {
		t.Errorf("A again without --restore: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runImporter(t, "activation", "cids", "--db", dsn, "--by", "lead", "--restore", records)
	if code != 0 || !strings.Contains(errOut, "importer: warning: records.csv row 1: put back on file the earlier CID for IID …"+win[len(win)-6:]+
		" (site Nagoya, line L2, device NG-L2-012, Windows 7 Professional) (imported on ") || !strings.Contains(errOut, "by yamada from records.csv row 1)") ||
		!strings.Contains(out, "1 CID of the archive put back on file") || strings.Contains(errOut, win) {
		t.Errorf("A again with --restore: exit %d\n%s%s", code, out, errOut)
	}

	code, out, errOut = runImporter(t, "activation", "history", "--db", dsn, "…"+win[len(win)-6:])
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 4 {
		t.Fatalf("history: exit %d\n%s%s", code, out, errOut)
	}
	for i, want := range [][]string{{"IID", "WHEN", "WHAT", "CID", "BY", "FROM"}, {win, "imported", good, "yamada", "records.csv row 1"},
		{win, "imported", typo, "sato", "typo.csv row 1"}, {win, "restored", good, "lead", "records.csv row 1", "on file"}} {
		for _, w := range want {
			if !strings.Contains(lines[i], w) {
				t.Errorf("history line %d lacks %q: %s", i, w, lines[i])
			}
		}
	}
	if strings.Contains(lines[1]+lines[2], "on file") {
		t.Errorf("history marks an earlier event on file:\n%s", out)
	}
	// No line ends in the spaces of a column padded (the head has none
	// over "on file"; an earlier event's is empty).
	for i, l := range strings.Split(out, "\n") {
		if strings.TrimRight(l, " ") != l {
			t.Errorf("history line %d ends in spaces: %q", i, l)
		}
	}
	// When is the workstation's time with its zone named, as the
	// worklist's page gives it.
	zone, _ := time.Now().Zone()
	if when := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d ` + regexp.QuoteMeta(zone) + ` `); !when.MatchString(lines[1]) {
		t.Errorf("history line 1: want the time with its zone %s: %s", zone, lines[1])
	}

	// The return file carries A.
	const pass = "told by phone, never on the stick"
	t.Setenv(fleet.ReturnPassphraseEnv, pass)
	stick := filepath.Join(dir, "stick")
	if code, out, errOut := runImporter(t, "activation", "stick", stick, "--db", dsn); code != 0 || !strings.Contains(out, "2 items for 1 device") {
		t.Fatalf("stick: exit %d\n%s%s", code, out, errOut)
	}
	names, _ := filepath.Glob(filepath.Join(stick, activation.ReturnDir, "*"+activation.ReturnExt))
	if len(names) != 1 {
		t.Fatalf("return files %v", names)
	}
	f, err := os.Open(names[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ret, err := activation.OpenReturn(f, pass)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range ret.Items {
		if it.IID == win && it.CID != good {
			t.Errorf("the return file carries %s for Windows, want the CID put back on file, %s", it.CID, good)
		}
	}
}

// TestHistoryNothing: activation history says in one line when no CID
// is on file yet and which command puts one there (exit 0, as devices
// and worklist list nothing), and names each IID given that has no CID
// on file: with the others listed, exit 1 (done in part, as cids names
// a refused row); with none listed, exit 2 (as show names no device).
func TestHistoryNothing(t *testing.T) {
	dir, dsn, rows := twoRequests(t)
	win, office := rows[0].IID, rows[1].IID
	tail := func(iid string) string { return "…" + iid[len(iid)-6:] }

	code, out, errOut := runImporter(t, "activation", "history", "--db", dsn)
	if code != 0 || errOut != "" || strings.Count(out, "\n") != 1 || strings.Contains(out, "WHEN") ||
		!strings.Contains(out, "no CID on file yet") || !strings.Contains(out, "importer activation cids") {
		t.Errorf("history of no CID: exit %d, want 0 and one line naming activation cids\n%s%s", code, out, errOut)
	}
	code, out, errOut = runImporter(t, "activation", "history", "--db", dsn, tail(win), "424242")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "importer: error: activation history: no CID on file for IID "+tail(win)+", 424242\n") {
		t.Errorf("history of IIDs with none: exit %d, want 2 naming both\n%s%s", code, out, errOut)
	}

	records := filepath.Join(dir, "records.csv")
	if err := os.WriteFile(records, []byte("InstallationId,ConfirmationId\r\n"+win+","+strings.Repeat("1", 48)+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runImporter(t, "activation", "cids", "--db", dsn, records); code != 0 {
		t.Fatalf("cids: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runImporter(t, "activation", "history", "--db", dsn, tail(win), tail(office))
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != exitPartial || len(lines) != 2 || !strings.Contains(lines[1], win) ||
		!strings.Contains(errOut, "importer: error: activation history: no CID on file for IID "+tail(office)+"\n") || strings.Contains(errOut, tail(win)) {
		t.Errorf("history of one IID with a CID, one without: exit %d, want 1, the first listed, the other named\n%s%s", code, out, errOut)
	}
	if code, out, errOut := runImporter(t, "activation", "history", "--db", dsn); code != 0 || errOut != "" || strings.Count(out, "\n") != 2 {
		t.Errorf("history: exit %d\n%s%s", code, out, errOut)
	}
	// An IID is digits: an empty one, "…" alone or a word would end
	// every IID, or none, and is refused as a usage error (exit 2),
	// nothing listed.
	for _, arg := range []string{"", "…", "abc", tail(office) + "x"} {
		code, out, errOut := runImporter(t, "activation", "history", "--db", dsn, arg)
		if code != 2 || out != "" || !strings.Contains(errOut, "not an IID") {
			t.Errorf("history %q: exit %d, want 2 and nothing listed\n%s%s", arg, code, out, errOut)
		}
	}
}

// TestWorklistNext: the worklist's summary asks to fill in CIDs only
// where a row needs one; once every CID is on file it names the return
// file as the next step instead.
func TestWorklistNext(t *testing.T) {
	dir, dsn, rows := twoRequests(t)
	out := filepath.Join(dir, "worklist")
	code, stdout, stderr := runImporter(t, "activation", "worklist", "--db", dsn, "--out", out)
	if code != 0 || !strings.Contains(stdout, "2 needs-cid") || !strings.Contains(stdout, "(fill in the CIDs in "+filepath.Join(out, fleet.WorklistXLSX)) {
		t.Fatalf("worklist of two requests: exit %d\n%s%s", code, stdout, stderr)
	}
	records := filepath.Join(dir, "records.csv")
	body := "InstallationId,ConfirmationId\r\n" + rows[0].IID + "," + strings.Repeat("1", 48) + "\r\n" + rows[1].IID + "," + strings.Repeat("2", 48) + "\r\n"
	if err := os.WriteFile(records, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, stdout, stderr := runImporter(t, "activation", "cids", "--db", dsn, records); code != 0 {
		t.Fatalf("cids: exit %d\n%s%s", code, stdout, stderr)
	}
	code, stdout, stderr = runImporter(t, "activation", "worklist", "--db", dsn, "--out", out)
	if code != 0 || !strings.Contains(stdout, "2 cid-on-file") || strings.Contains(stdout, "fill in the CIDs") ||
		!strings.Contains(stdout, "no CID to fill in; importer activation stick writes the CIDs on file into a return file") {
		t.Errorf("worklist with every CID on file: exit %d, want it to name activation stick, not ask for CIDs\n%s%s", code, stdout, stderr)
	}
}

// TestActivationExitHelp: each activation command's help says what its
// exit codes mean for it: worklist refuses no file or row (it never
// exits 1), stick exits 1 when it left products out of the return file,
// and cids when it refused a file, a row or a CID, and 130 when
// interrupted.
func TestActivationExitHelp(t *testing.T) {
	for _, tc := range []struct {
		cmd, want, not string
	}{
		{"worklist", "2    usage or configuration error", "\n      1 "},
		{"stick", "1    done in part: each product left out of the return file is named on stderr", "refused file or row"},
		{"cids", "1    done in part: each refused file, row or CID is named on stderr", ""},
		// Ctrl-C ends cids with 130 as any command (its files are
		// read, and its CIDs stored, under the command's context).
		{"cids", "130  interrupted (Ctrl-C): what was stored is whole; run it again to go on", ""},
	} {
		t.Run(tc.cmd, func(t *testing.T) {
			code, stdout, stderr := runImporter(t, "activation", tc.cmd, "--help")
			exit := stdout[strings.Index(stdout, "EXIT STATUS:"):]
			if code != 0 || !strings.Contains(exit, tc.want) || tc.not != "" && strings.Contains(exit, tc.not) {
				t.Errorf("exit %d, want 0 with %q and without %q:\n%s%s", code, tc.want, tc.not, stdout, stderr)
			}
		})
	}
}

// TestWorklistWorkbook: `activation worklist` writes the workbook beside
// the CSV and the page, each readable by other accounts as a report's
// files are; staff fill in CIDs in Excel and `activation cids` reads
// the workbook back, matching each CID by its IID; a CID Excel made a
// number of is named with the row Excel shows. A file named .xlsx that
// is none says so; a workbook named .csv is read by its content.
func TestWorklistWorkbook(t *testing.T) {
	dir := t.TempDir()
	dsn, out := testDB(t, dir, "fleet.db"), filepath.Join(dir, "worklist")
	storeSnapshot(t, dsn, "../testdata/activation/win7-mak-office2010.json")
	code, stdout, stderr := runImporter(t, "activation", "worklist", "--db", dsn, "--out", out)
	if code != 0 || !strings.Contains(stdout, "2 products: 2 needs-cid") || !strings.Contains(stdout, fleet.WorklistXLSX) {
		t.Fatalf("worklist: exit %d\n%s%s", code, stdout, stderr)
	}
	probe, err := os.Create(filepath.Join(dir, "probe"))
	if err != nil {
		t.Fatal(err)
	}
	probe.Close()
	fi, _ := os.Stat(probe.Name())
	for _, name := range []string{fleet.WorklistCSV, fleet.WorklistXLSX, fleet.WorklistPage} {
		if got, err := os.Stat(filepath.Join(out, name)); err != nil || got.Mode().Perm() != fi.Mode().Perm() {
			t.Errorf("%s: %v, want mode %v as os.Create gives", name, err, fi.Mode().Perm())
		}
	}

	f, err := excelize.OpenFile(filepath.Join(out, fleet.WorklistXLSX))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows(worklist.SheetName)
	if err != nil || len(rows) != 3 || rows[0][3] != "ConfirmationId" {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	iid := rows[1][1]
	cid := collect.SimulatedCID(iid)
	f.SetCellValue(worklist.SheetName, "D2", strings.Join(activation.Groups(cid), "-")) // typed with dashes
	f.SetCellValue(worklist.SheetName, "D3", 9.87654987654988e47)                       // pasted into a General cell
	filled := filepath.Join(dir, "filled.xlsx")
	if err := f.SaveAs(filled); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, stdout, stderr = runImporter(t, "activation", "cids", "--db", dsn, "--by", "staff", filled)
	if code != exitPartial || !strings.Contains(stdout, "1 new in the archive") || !strings.Contains(stdout, "1 matches an IID") ||
		!strings.Contains(stderr, "filled.xlsx: row 3: ConfirmationId") || !strings.Contains(stderr, "9.87655E+47 is a number Excel made") {
		t.Fatalf("cids: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, stdout, stderr = runImporter(t, "activation", "worklist", "--db", dsn, "--out", out); code != 0 || !strings.Contains(stdout, "1 cid-on-file") {
		t.Fatalf("worklist after the CIDs: exit %d\n%s%s", code, stdout, stderr)
	}
	back, _, _, _, err := worklist.ReadXLSX(mustOpen(t, filepath.Join(out, fleet.WorklistXLSX)))
	if err != nil || len(back) != 1 || back[0].IID != iid || back[0].CID != cid {
		t.Errorf("the new workbook: %+v, %v; want the CID on file for %s", back, err, iid)
	}

	// A CSV file named .xlsx is no workbook; a workbook named .csv is one.
	notBook := filepath.Join(dir, "cids.xlsx")
	os.WriteFile(notBook, []byte("InstallationId,ConfirmationId\r\n"+iid+","+cid+"\r\n"), 0o644)
	code, _, stderr = runImporter(t, "activation", "cids", "--db", dsn, notBook)
	if code == 0 || !strings.Contains(stderr, "not a workbook") || !strings.Contains(stderr, "hint: ") {
		t.Errorf("a CSV file named .xlsx: exit %d\n%s", code, stderr)
	}
	book, _ := os.ReadFile(filled)
	named := filepath.Join(dir, "cids.csv")
	os.WriteFile(named, book, 0o644)
	code, stdout, stderr = runImporter(t, "activation", "cids", "--db", dsn, named)
	if code != exitPartial || !strings.Contains(stdout, "0 new in the archive, 1 already there") {
		t.Errorf("a workbook named .csv: exit %d\n%s%s", code, stdout, stderr)
	}
}

// TestCIDsRefusedRows: activation cids counts and names a row it refused
// in its summary (a file whose one row was refused said "0 CIDs read …
// 0 rows without a CID"), and names a file that is not there once, with
// what to do.
func TestCIDsRefusedRows(t *testing.T) {
	dir := t.TempDir()
	dsn := testDB(t, dir, "fleet.db")
	records := filepath.Join(dir, "records.csv")
	os.WriteFile(records, []byte("InstallationId,ConfirmationId\r\n"+strings.Repeat("1234567", 9)+",12345\r\n"), 0o644)
	code, stdout, stderr := runImporter(t, "activation", "cids", "--db", dsn, "--new-db", records)
	if want := "; 0 rows without a CID; 1 row refused (records.csv row 1: why on stderr)\n"; code != exitPartial || !strings.HasSuffix(stdout, want) ||
		!strings.Contains(stderr, "importer: error: records.csv: row 1: ConfirmationId") {
		t.Errorf("a file of one row refused: exit %d, want %q\n%s%s", code, want, stdout, stderr)
	}
	// With the fleet's database there, a file that is not there is
	// read with the others, and rejected alone.
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("InstallationId,ConfirmationId\r\n"+strings.Repeat("1234567", 9)+","+strings.Repeat("123456", 8)+"\r\n"), 0o644)
	if code, stdout, stderr := runImporter(t, "activation", "cids", "--db", dsn, "--new-db", good); code != 0 {
		t.Fatalf("a CID into a new database: exit %d\n%s%s", code, stdout, stderr)
	}
	missing := filepath.Join(dir, "nothere.csv")
	code, _, stderr = runImporter(t, "activation", "cids", "--db", dsn, missing)
	// The system's words follow the name: Windows says "no such file
	// (File not found.)".
	if code != exitPartial || strings.Count(stderr, "nothere.csv") != 1 ||
		!regexp.MustCompile(`importer: error: `+regexp.QuoteMeta(missing)+`: no such file[^\n]*\nimporter: hint: check the name and its folder`).MatchString(stderr) {
		t.Errorf("a file that is not there: exit %d\n%s", code, stderr)
	}
}

func mustOpen(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

// twoRequests is a new fleet in a test's folder holding one device of
// two products that need a CID (a Windows 7 MAK and Office 2010), and
// their worklist rows, Windows first.
func twoRequests(t *testing.T) (dir, dsn string, rows []worklist.Row) {
	t.Helper()
	dir = t.TempDir()
	dsn = testDB(t, dir, "fleet.db")
	storeSnapshot(t, dsn, "../testdata/activation/win7-mak-office2010.json")
	rows, err := requests(dsn)
	if err != nil || len(rows) != 2 {
		t.Fatal(rows, err)
	}
	return dir, dsn, rows
}

// requests is the worklist of the fleet at dsn.
func requests(dsn string) ([]worklist.Row, error) {
	db, err := store.OpenExisting(dsn)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return fleet.Requests(context.Background(), db, fleet.Filter{})
}

// TestCIDsJapaneseExcel: a fleet whose site and line are named in
// Japanese, its device without a hardware ID (its key is its place, in
// Japanese), gets its worklist CSV back from Japanese Excel, saved as
// "CSV (コンマ区切り)" (Shift_JIS, CRLF, no BOM) or "Unicode テキスト"
// (UTF-16LE, tabs): both CIDs are stored with the device's key as the
// worklist wrote it. Before, the Shift_JIS file's key was stored as
// U+FFFD where its Japanese was, and the Unicode text was refused as no
// CID file. A file whose rows no encoding decodes alone is refused, the
// hint saying to save it as CSV UTF-8.
func TestCIDsJapaneseExcel(t *testing.T) {
	s := readSnapshot(t, "../testdata/activation/win7-mak-office2010.json")
	s.Context.Site, s.Context.Line = "名古屋工場", "第2ライン"
	s.Hardware.UUID, s.Hardware.Serial = "", ""
	key := licensing.DeviceKey(s)
	if !strings.HasPrefix(key, "loc:名古屋工場/第2ライン/") {
		t.Fatalf("device key %q, want the place in Japanese", key)
	}
	data, err := licensing.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		encode func(string) []byte
		sep    string
	}{
		{"sjis.csv", func(s string) []byte {
			b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}, ","},
		{"unicode.txt", func(s string) []byte {
			u := utf16.Encode([]rune("\ufeff" + s))
			b := make([]byte, 2*len(u))
			for i, c := range u {
				binary.LittleEndian.PutUint16(b[2*i:], c)
			}
			return b
		}, "\t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			dsn, cells := worklistOf(t, dir, data)
			file := filepath.Join(dir, tc.name)
			saved := filledAsExcel(cells, tc.sep, false)
			if err := os.WriteFile(file, tc.encode(saved), 0o644); err != nil {
				t.Fatal(err)
			}
			importCIDs(t, dsn, file, key)
			// As LibreOffice Calc saves it, UTF-8 without a BOM: the
			// device key's UTF-8 decodes as Shift_JIS too, and UTF-8 it
			// is (it was refused as not told): the same CIDs, the same
			// device, nothing refused.
			os.WriteFile(file, []byte(saved), 0o644)
			code, _, stderr := runImporter(t, "activation", "cids", "--db", dsn, "--by", "staff", file)
			if code != 0 || strings.Contains(stderr, "error") {
				t.Errorf("UTF-8 without a BOM: exit %d, want 0, nothing refused\n%s", code, stderr)
			}
			// The file cut inside a character of its last row: that row
			// is refused, saying how to save the file.
			cut := tc.encode(saved)
			cut = cut[:len(cut)-len(tc.encode("\r\n"))+1] // the last row's end lost, a byte of UTF-16 left over
			if tc.sep == "," {
				cut = append(tc.encode(strings.TrimSuffix(saved, "\r\n")), 0x83) // a lead byte without its trail
			}
			os.WriteFile(file, cut, 0o644)
			code, _, stderr = runImporter(t, "activation", "cids", "--db", dsn, "--by", "staff", file)
			if code != exitPartial || !strings.Contains(stderr, "importer: error: "+tc.name+": row 2: ") || !strings.Contains(stderr, "CSV UTF-8") {
				t.Errorf("a row cut: exit %d, want %d naming row 2 and saying how to save as CSV UTF-8\n%s", code, exitPartial, stderr)
			}
		})
	}
}

// importCIDs reads file into the fleet dsn with activation cids: two new
// CIDs, both stored with the device key key.
func importCIDs(t *testing.T, dsn, file, key string) {
	t.Helper()
	if code, stdout, stderr := runImporter(t, "activation", "cids", "--db", dsn, "--by", "staff", file); code != 0 || stderr != "" ||
		!strings.Contains(stdout, "2 new in the archive") {
		t.Fatalf("cids: exit %d, want 0 and 2 new\n%s%s", code, stdout, stderr)
	}
	db, err := store.OpenExisting(dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.CIDs(context.Background())
	if err != nil || len(recs) != 2 {
		t.Fatalf("archive: %d CIDs, %v", len(recs), err)
	}
	for _, r := range recs {
		if r.DeviceKey != key {
			t.Errorf("stored device key %q, want %q", r.DeviceKey, key)
		}
	}
}

// filledAsExcel is a worklist's rows (cells, a header first) with each
// product's CID filled in as staff do, saved as Excel saves a CSV: its
// fields apart by sep, quoted only where they hold sep, a quote or a line
// end. dropNote empties each row's IID note.
func filledAsExcel(cells [][]string, sep string, dropNote bool) string {
	var saved strings.Builder
	for i, row := range cells {
		if i > 0 {
			row[3] = strings.Join(activation.Groups(collect.SimulatedCID(row[1])), "-")
			if dropNote {
				row[18] = ""
			}
		}
		for j, c := range row {
			if strings.ContainsAny(c, sep+"\"\r\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			if j > 0 {
				saved.WriteString(sep)
			}
			saved.WriteString(c)
		}
		saved.WriteString("\r\n")
	}
	return saved.String()
}

// worklistOf stores the snapshot data in a new fleet in dir and returns
// the fleet and its worklist CSV's rows (a header and two products).
func worklistOf(t *testing.T, dir string, data []byte) (string, [][]string) {
	t.Helper()
	dsn, snap, out := testDB(t, dir, "fleet.db"), filepath.Join(dir, "device.json"), filepath.Join(dir, "worklist")
	if err := os.WriteFile(snap, data, 0o644); err != nil {
		t.Fatal(err)
	}
	storeSnapshot(t, dsn, snap)
	if code, stdout, stderr := runImporter(t, "activation", "worklist", "--db", dsn, "--out", out); code != 0 {
		t.Fatalf("worklist: exit %d\n%s%s", code, stdout, stderr)
	}
	f := mustOpen(t, filepath.Join(out, fleet.WorklistCSV))
	f.Seek(3, 0) // the BOM
	cells, err := csv.NewReader(f).ReadAll()
	if err != nil || len(cells) != 3 {
		t.Fatalf("worklist CSV: %d rows, %v", len(cells), err)
	}
	return dsn, cells
}

// TestCIDsWesternExcel: a fleet whose site is named in French, its
// device without a hardware ID (its key is its place), gets its worklist
// CSV back from a French Excel, saved as "CSV (séparateur: point-virgule)"
// (Windows-1252, ';', no BOM): both CIDs are stored with the device's
// key as the worklist wrote it, "loc:usine montréal/…". Before, the
// bytes of "éa" were read as a Shift_JIS kanji and the archive held
// "loc:usine montr饌l/…", a key no device has.
func TestCIDsWesternExcel(t *testing.T) {
	s := readSnapshot(t, "../testdata/activation/win7-mak-office2010.json")
	s.Context.Site, s.Context.Line = "Usine Montréal", "Ligne 2"
	s.Hardware.UUID, s.Hardware.Serial = "", ""
	key := licensing.DeviceKey(s)
	data, err := licensing.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	dsn, cells := worklistOf(t, dir, data)
	// The IID's note is emptied: its "…" would tell the code page alone.
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(filledAsExcel(cells, ";", true)))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "worklist-fr.csv")
	os.WriteFile(file, b, 0o644)
	importCIDs(t, dsn, file, key)
}
