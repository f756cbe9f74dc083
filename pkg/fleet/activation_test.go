package fleet_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/store"
	"github.com/actcourier/actcourier/pkg/worklist"
)

const testPassphrase = "told by phone, never on the stick"

// waiting is the activation archetype: Windows 7 MAK and Office 2010
// retail, both waiting for a CID, with their IIDs.
func waiting(t *testing.T) *licensing.Snapshot {
	t.Helper()
	data, err := os.ReadFile("../../testdata/activation/win7-mak-office2010.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := licensing.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// store1 stores s as a collection made at, with extra raw members.
func store1(t *testing.T, db *store.DB, id string, s *licensing.Snapshot, at time.Time, raw ...fleet.Raw) {
	t.Helper()
	s.Context.Collected = at
	c, err := fleet.NewCollection(fleet.Meta{BundleID: id, SHA256: "sum-" + id, FileName: id, Origin: fleet.OriginBundle}, s, nil, raw, at.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, errs, err := db.ImportBatch(ctx, []*fleet.Collection{c}); err != nil || errs[0] != nil {
		t.Fatal(err, errs)
	}
}

func states(rows []worklist.Row) string {
	var s []string
	for _, r := range rows {
		s = append(s, string(r.State))
	}
	return strings.Join(s, " ")
}

// TestRequests walks one machine through the return path as the store
// sees it: IIDs waiting, CIDs imported, a return file written, the
// machine's proof imported (one applied, one refused), a corrected CID.
func TestRequests(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	s := waiting(t)
	store1(t, db, "b1", s, t0)
	rows, err := fleet.Requests(ctx, db, fleet.Filter{})
	if err != nil || states(rows) != "needs-cid needs-cid" {
		t.Fatalf("%s %v", states(rows), err)
	}
	if !strings.Contains(rows[1].Detail, "54 digits: ActivationWs takes only 63") || rows[0].Detail != "" {
		t.Errorf("IID length notes: %q, %q", rows[0].Detail, rows[1].Detail)
	}
	if _, err := fleet.WriteReturn(ctx, db, dir, fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2}); !errors.Is(err, fleet.ErrNothingToReturn) {
		t.Errorf("nothing to return: %v", err)
	}

	// CIDs come back from ActivationWs; importing them twice changes nothing.
	wrongCID, cid := strings.Repeat("111111", 8), strings.Repeat("222222", 8)
	csv := writeCIDs(t, dir, "records.csv", [][2]string{{rows[0].IID, cid}, {rows[1].IID, wrongCID}, {strings.Repeat("9", 63), cid}})
	sum, err := fleet.ImportCIDs(ctx, db, []string{csv}, fleet.CIDOptions{By: "staff", Now: t0.Add(24 * time.Hour)})
	if err != nil || sum.Added != 3 || sum.Matched != 2 || sum.Unmatched != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	if sum, _ = fleet.ImportCIDs(ctx, db, []string{csv}, fleet.CIDOptions{By: "staff", Now: t0.Add(25 * time.Hour)}); sum.Added != 0 || sum.Known != 3 {
		t.Errorf("again: %+v", sum)
	}
	if rows, _ = fleet.Requests(ctx, db, fleet.Filter{}); states(rows) != "cid-on-file cid-on-file" || rows[0].CID != cid {
		t.Fatalf("%s %+v", states(rows), rows)
	}
	cids, _ := db.CIDs(ctx)
	if len(cids) != 3 || cids[0].By != "staff" || !cids[0].Imported.Equal(t0.Add(24*time.Hour)) || cids[0].Source != worklist.KindActivationWs {
		t.Errorf("archive %+v", cids[0])
	}

	// A return file for the site.
	ret, err := fleet.WriteReturn(ctx, db, dir, fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2, By: "staff", Now: t0.Add(26 * time.Hour)})
	if err != nil || ret.Items != 2 || ret.Devices != 1 || ret.WithCID != 2 {
		t.Fatalf("%+v %v", ret, err)
	}
	f, _ := os.Open(ret.File)
	r, err := activation.OpenReturn(f, testPassphrase)
	f.Close()
	if err != nil || len(r.For(licensing.DeviceKey(s))) != 2 {
		t.Fatalf("return file: %v", err)
	}
	if rows, _ = fleet.Requests(ctx, db, fleet.Filter{}); states(rows) != "sent sent" {
		t.Errorf("after the return file: %s", states(rows))
	}

	// The machine's proof: Windows applied, Office refused.
	items := r.For(licensing.DeviceKey(s))
	out := activation.Apply(&scripted{results: map[string]error{items[1].ActivationID: &activation.HRESULTError{Code: 0xC004F031}}, s: s}, items,
		func() time.Time { return t0.Add(48 * time.Hour) })
	forged := out[0]
	forged.ItemID = strings.Repeat("e", 32)
	proof, _ := activation.MarshalProof(append(out, forged))
	store1(t, db, "b2", s, t0.Add(48*time.Hour), fleet.Raw{Member: activation.ProofMember, Data: proof})
	rows, _ = fleet.Requests(ctx, db, fleet.Filter{})
	if states(rows) != "applied failed" || !strings.Contains(rows[1].Detail, "0xC004F031 the Installation ID and the Confirmation ID do not match") {
		t.Fatalf("after the proof: %s %+v", states(rows), rows)
	}
	// A corrected CID for Office: on file again, for the next stick.
	csv = writeCIDs(t, dir, "corrected.csv", [][2]string{{rows[1].IID, cid}})
	fleet.ImportCIDs(ctx, db, []string{csv}, fleet.CIDOptions{By: "staff", Now: time.Now().Add(time.Second)}) // after the proof was stored
	if rows, _ = fleet.Requests(ctx, db, fleet.Filter{}); states(rows) != "applied cid-on-file" || rows[1].CID != cid {
		t.Errorf("after a corrected CID: %s", states(rows))
	}
}

// TestReturnKeys: a product key goes only to the devices named, for the
// products that wait without a CID, and never into the database.
func TestReturnKeys(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	store1(t, db, "b1", waiting(t), t0)
	other := waiting(t)
	other.Hardware.UUID, other.Hardware.Serial, other.Context.Asset = "OTHER-UUID", "OTHER", "NG-L2-099"
	store1(t, db, "b2", other, t0)
	key := "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY"
	opts := fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2, Devices: []string{"NG-L2-012"},
		Keys: map[licensing.Kind]string{licensing.KindWindows: key}, Now: t0}
	sum, err := fleet.WriteReturn(ctx, db, dir, opts)
	if err != nil || sum.Items != 1 || sum.WithKey != 1 || sum.Devices != 1 {
		t.Fatalf("%+v %v", sum, err)
	}
	items, _ := db.ReturnItems(ctx)
	if len(items) != 1 || items[0].KeyPartial != "VW7XY" || items[0].CID != "" {
		t.Errorf("items %+v", items)
	}
	if data, _ := os.ReadFile(sum.File); bytes.Contains(data, []byte("PQ6RT")) || len(data) == 0 {
		t.Error("the return file holds the key in plaintext")
	}
	opts.Devices = []string{"NO-SUCH-ASSET"}
	if _, err := fleet.WriteReturn(ctx, db, dir, opts); !errors.Is(err, fleet.ErrNotFound) {
		t.Errorf("unknown device: %v", err)
	}
}

// writeCIDs writes an ActivationWs records.csv of IID, CID pairs.
func writeCIDs(t *testing.T, dir, name string, pairs [][2]string) string {
	t.Helper()
	var rows []worklist.Row
	for _, p := range pairs {
		rows = append(rows, worklist.Row{Host: "H", IID: p[0], CID: p[1]})
	}
	var b bytes.Buffer
	if err := worklist.WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	// As ActivationWs writes it: its seven columns only.
	var out []string
	for _, l := range strings.Split(b.String(), "\r\n") {
		if f := strings.Split(l, ","); len(f) > 7 {
			out = append(out, strings.Join(f[:7], ","))
		}
	}
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(strings.Join(out, "\r\n")+"\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// scripted is an activation.Machine whose deposits answer from a table
// and otherwise activate.
type scripted struct {
	results map[string]error
	s       *licensing.Snapshot
}

func (m *scripted) Products(licensing.Class) ([]licensing.Product, error) { return m.s.Products, nil }
func (m *scripted) InstallProductKey(licensing.Class, string) error       { return nil }
func (m *scripted) RefreshLicenseStatus(licensing.Class) error            { return nil }
func (m *scripted) DepositOfflineConfirmationID(c licensing.Class, id, iid, cid string) error {
	if err := m.results[id]; err != nil {
		return err
	}
	for i := range m.s.Products {
		if m.s.Products[i].SKUID == id {
			m.s.Products[i].Status = licensing.StatusLicensed
		}
	}
	return nil
}

// TestStoredAsText: what a stick's file names and a CID file hold need
// not be UTF-8 (a Shift-JIS CSV saved by Excel, a file name in another
// code page) nor free of NUL; PostgreSQL's text refuses both, SQLite's
// takes them: either store stores them alike, as U+FFFD.
func TestStoredAsText(t *testing.T) {
	stores := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return filepath.Join(t.TempDir(), "fleet.db") },
		"postgres": func(t *testing.T) string { return pg.DB(t) },
	}
	for name, dsn := range stores {
		t.Run(name, func(t *testing.T) {
			db, err := store.Open(dsn(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			dir := t.TempDir()
			sample, err := os.ReadFile("../slmgr/testdata/samples/slmgr/win10-pro-oemdm-dli-checkmk.txt")
			if err != nil {
				t.Fatal(err)
			}
			text := filepath.Join(dir, "pc\x83\x76.txt") // Shift-JIS bytes
			os.WriteFile(text, sample, 0o644)
			opts := fleet.TextOptions{Context: licensing.Context{Site: "S", Line: "L", Asset: "A"}, Collected: asOf, Generator: "test"}
			if sum, err := fleet.ImportText(ctx, db, []string{text}, opts, nil); err != nil || sum.Imported != 1 {
				t.Errorf("text named in Shift-JIS: %+v, %v", sum, err)
			}
			// 名古屋工 in Shift_JIS: 工's first byte is no Windows-1252,
			// which tells the code page (the fleet knows no such host).
			cids := filepath.Join(dir, "records\xff.csv")
			os.WriteFile(cids, []byte("Host,InstallationId,ExtendedProductId,ConfirmationId\n\x96\xbc\x8c\xc3\x89\xae\x8d\x48,123,pid\x00x,"+
				strings.Repeat("222222", 8)+"\n"), 0o644)
			if sum, err := fleet.ImportCIDs(ctx, db, []string{cids}, fleet.CIDOptions{By: "staff", Now: asOf}); err != nil || sum.Added != 1 {
				t.Errorf("a Shift-JIS CID file: %+v, %v", sum, err)
			}
		})
	}
}

// TestReturnForgedNames: items of a return file take site, line, asset,
// host and product from the stored snapshots, which may be four times as
// long as a return file allows or hold a tab or ESC. One forged device
// whose IID gets a CID must not make the site's return file invalid.
func TestReturnForgedNames(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	store1(t, db, "genuine", waiting(t), t0)
	forged := waiting(t)
	forged.Hardware.UUID, forged.Hardware.Serial, forged.Context.Asset = "FORGED-UUID", "FORGED", "X"
	forged.Context.Line = strings.Repeat("L", 300) + "\t\x1b"
	store1(t, db, "forged", forged, t0)

	rows := cidsForAll(t, db, dir, t0.Add(24*time.Hour))
	sum, err := fleet.WriteReturn(ctx, db, dir, fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2, Now: t0.Add(26 * time.Hour)})
	if err != nil {
		t.Fatalf("the site's return file is refused because of one forged device: %v", err)
	}
	if sum.WithCID != len(rows) || len(rows) < 2 {
		t.Errorf("%d items with a CID of %d requests", sum.WithCID, len(rows))
	}
}

// TestReturnForgedIDs: a forged device whose product has no class, an
// application ID that is no GUID, or two products with one SKU ID, and
// whose IID gets a CID, must not make the site's return file invalid:
// its items out of shape are left out and named, the others written.
func TestReturnForgedIDs(t *testing.T) {
	for name, forge := range map[string]func(s *licensing.Snapshot){
		"no class": func(s *licensing.Snapshot) {
			for i := range s.Products {
				s.Products[i].Class = ""
			}
		},
		"application id not a GUID": func(s *licensing.Snapshot) {
			for i := range s.Products {
				s.Products[i].ApplicationID = "not-a-guid"
			}
		},
		"one SKU ID twice": func(s *licensing.Snapshot) {
			p := s.Products[0]
			p.SKUID = strings.ToUpper(p.SKUID)
			s.Products = append(s.Products, p)
		},
	} {
		t.Run(name, func(t *testing.T) {
			db := newStore(t)
			dir := t.TempDir()
			t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
			store1(t, db, "genuine", waiting(t), t0)
			forged := waiting(t)
			forged.Hardware.UUID, forged.Hardware.Serial, forged.Context.Asset = "FORGED-UUID", "FORGED", "X"
			// The IIDs stay the genuine device's (they are on every
			// work list): the CIDs staff get for them are on file.
			forge(forged)
			store1(t, db, "forged", forged, t0)
			rows := cidsForAll(t, db, dir, t0.Add(24*time.Hour))
			sum, err := fleet.WriteReturn(ctx, db, dir, fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2, Now: t0.Add(26 * time.Hour)})
			if err != nil {
				t.Fatalf("the site's return file is refused because of one forged device: %v", err)
			}
			genuine := 0
			for _, r := range rows {
				if r.Asset != "X" {
					genuine++
				}
			}
			if len(sum.Skipped) == 0 || sum.Items < genuine || sum.Items+len(sum.Skipped) != len(rows) {
				t.Errorf("%d items written, %d left out, of %d requests (%d genuine)", sum.Items, len(sum.Skipped), len(rows), genuine)
			}
			for _, s := range sum.Skipped {
				if s.Asset != "X" || !errors.Is(s.Err, activation.ErrInvalid) {
					t.Errorf("left out: %+v", s)
				}
			}
		})
	}
}

// TestCIDFileTimeOutOfRange: a records.csv is hostile; its CreatedAtUtc
// is a time any store must write and read back. One row whose time is
// year -1 or 10000 in UTC must not make the fleet's activation unreadable.
func TestCIDFileTimeOutOfRange(t *testing.T) {
	for _, created := range []string{"0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"} {
		t.Run(created, func(t *testing.T) {
			db := newStore(t)
			dir := t.TempDir()
			t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
			store1(t, db, "genuine", waiting(t), t0)
			rows, err := fleet.Requests(ctx, db, fleet.Filter{})
			if err != nil || len(rows) == 0 {
				t.Fatal(err, len(rows))
			}
			csv := "Host,InstallationId,ExtendedProductId,ConfirmationId,RequestCount,CreatedAtUtc,LastRequestedAtUtc\r\n" +
				"H," + rows[0].IID + ",," + strings.Repeat("222222", 8) + ",1," + created + ",\r\n"
			name := dir + "/records.csv"
			if err := os.WriteFile(name, []byte(csv), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := fleet.ImportCIDs(ctx, db, []string{name}, fleet.CIDOptions{By: "staff", Now: t0.Add(24 * time.Hour)}); err != nil {
				t.Fatalf("import: %v", err)
			}
			if _, err := fleet.Requests(ctx, db, fleet.Filter{}); err != nil {
				t.Fatalf("after one hostile row, the fleet's requests cannot be listed: %v", err)
			}
		})
	}
}

// TestReturnAllLeftOut: when products wait but none can go in a return
// file, WriteReturn says so (ErrAllLeftOut), not that nothing waits, and
// names each.
func TestReturnAllLeftOut(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	s := waiting(t)
	for i := range s.Products {
		s.Products[i].Class = "" // as read from slmgr text only
	}
	store1(t, db, "textonly", s, t0)
	rows := cidsForAll(t, db, dir, t0.Add(24*time.Hour))
	sum, err := fleet.WriteReturn(ctx, db, dir, fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2, Now: t0.Add(26 * time.Hour)})
	if !errors.Is(err, fleet.ErrAllLeftOut) || len(sum.Skipped) != len(rows) || sum.Skipped[0].Full() {
		t.Errorf("got %v, %d left out of %d", err, len(sum.Skipped), len(rows))
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, activation.ReturnDir)); len(entries) != 0 {
		t.Errorf("a return file was written: %v", entries)
	}
}

// cidsForAll imports, as staff at now, a CID for every request the fleet
// holds, and returns the requests.
func cidsForAll(t *testing.T, db *store.DB, dir string, now time.Time) []worklist.Row {
	t.Helper()
	rows, err := fleet.Requests(ctx, db, fleet.Filter{})
	if err != nil || len(rows) == 0 {
		t.Fatal(err, len(rows))
	}
	var pairs [][2]string
	for _, r := range rows {
		pairs = append(pairs, [2]string{r.IID, strings.Repeat("222222", 8)})
	}
	if _, err := fleet.ImportCIDs(ctx, db, []string{writeCIDs(t, dir, "records.csv", pairs)}, fleet.CIDOptions{By: "staff", Now: now}); err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestSkippedShown: an item left out of a return file is named on one
// line, its names shown as every listing shows them: before, they were
// printed as stored, and a product named with the six characters \u202e
// read as one named with U+202E.
func TestSkippedShown(t *testing.T) {
	tests := []struct {
		name string
		item fleet.SkippedItem
		want string
	}{
		{"plain", fleet.SkippedItem{Site: "Nagoya", Line: "L2", Asset: "NG-L2-011", Product: "Office 14", Err: activation.ErrInvalid},
			"site Nagoya, line L2, device NG-L2-011, Office 14: " + activation.ErrInvalid.Error()},
		{"host when no asset", fleet.SkippedItem{Site: "S", Line: "L", Host: "H", Product: "P", Err: activation.ErrInvalid},
			"site S, line L, device H, P: " + activation.ErrInvalid.Error()},
		{"forged", fleet.SkippedItem{Site: "S\n importer: hint: x", Line: "L\u202e", Asset: `A\u202e`, Product: "P\x1b[2J", Err: activation.ErrInvalid},
			`site S\x0a importer: hint: x, line L\u202e, device A\\u202e, P\x1b[2J: ` + activation.ErrInvalid.Error()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.item.String(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestCIDSummaryLine: the line activation cids prints counts in words
// that agree with each number: "1 CID read from 1 file", not "1 CIDs
// read from 1 files".
func TestCIDSummaryLine(t *testing.T) {
	for _, tc := range []struct {
		s    fleet.CIDSummary
		want string
	}{
		{fleet.CIDSummary{Records: 1, Files: 1, Added: 1, Matched: 1, Blank: 1},
			"1 CID read from 1 file: 1 new in the archive, 0 already there; 1 matches an IID the fleet waits for, 0 kept for later (no device waits for their IID now); 1 row without a CID\n"},
		{fleet.CIDSummary{Records: 2, Files: 2, Added: 1, Known: 1, Matched: 2, Blank: 3},
			"2 CIDs read from 2 files: 1 new in the archive, 1 already there; 2 match an IID the fleet waits for, 0 kept for later (no device waits for their IID now); 3 rows without a CID\n"},
		// Refused CIDs (hidden, a replacement refused) are read and
		// neither new nor already there: counted, so that the numbers
		// add up.
		{fleet.CIDSummary{Records: 3, Files: 1, Added: 1, Known: 1, Refused: 1, Matched: 2},
			"3 CIDs read from 1 file: 1 new in the archive, 1 already there, 1 refused (named on stderr); 2 match an IID the fleet waits for, 0 kept for later (no device waits for their IID now); 0 rows without a CID\n"},
		// Rows refused before a CID was read of them (out of shape)
		// are counted and named: "0 CIDs read … 0 rows without a CID"
		// said nothing of the one row a file had.
		{fleet.CIDSummary{Files: 1, Unread: []fleet.CIDRow{{File: "records.csv", Row: 1}}},
			"0 CIDs read from 1 file: 0 new in the archive, 0 already there; 0 match an IID the fleet waits for, 0 kept for later (no device waits for their IID now); 0 rows without a CID; 1 row refused (records.csv row 1: why on stderr)\n"},
		{fleet.CIDSummary{Records: 1, Files: 2, Added: 1, Matched: 1, Unread: []fleet.CIDRow{{"a.csv", 3}, {"a.csv", 7}, {"b\x1b.csv", 2},
			{"b\x1b.csv", 4}, {"b\x1b.csv", 5}, {"b\x1b.csv", 6}, {"b\x1b.csv", 8}}},
			"1 CID read from 2 files: 1 new in the archive, 0 already there; 1 matches an IID the fleet waits for, 0 kept for later (no device waits for their IID now); 0 rows without a CID; " +
				"7 rows refused (a.csv rows 3, 7; b\\x1b.csv rows 2, 4, 5 and 2 more: why on stderr)\n"},
	} {
		var out, errs bytes.Buffer
		if err := tc.s.Print(&out, &errs, errors.New("partial")); err != nil || out.String() != tc.want {
			t.Errorf("got %q, %v\nwant %q", out.String(), err, tc.want)
		}
	}
}

// TestCIDSummaryHints: the hint after rows refused speaks of one row as
// one: "those rows' bytes" followed a single row refused for its
// encoding.
func TestCIDSummaryHints(t *testing.T) {
	rowErr := func(row int, err error) error {
		return fmt.Errorf("records.csv: %w", &worklist.RowError{Row: row, Err: err})
	}
	for _, tc := range []struct {
		name string
		errs []error
		want string // in stderr
		not  string // not in stderr
	}{
		{"one row's encoding", []error{rowErr(1, worklist.ErrEncoding)}, "hint: that row's bytes", "those rows"},
		{"two rows' encoding", []error{rowErr(1, worklist.ErrEncoding), rowErr(2, worklist.ErrEncoding)}, "hint: those rows' bytes", "that row"},
		{"one row out of shape", []error{rowErr(1, errors.New("ConfirmationId: 5 digits"))}, "correct that row and", "those rows"},
		{"two rows out of shape", []error{rowErr(1, errors.New("x")), rowErr(2, errors.New("y"))}, "correct those rows and", "that row"},
		{"one row hidden", []error{rowErr(1, fleet.ErrHiddenCID)}, "saw that row's CID: show it in Excel", "those rows"},
		{"two rows hidden", []error{rowErr(1, fleet.ErrHiddenCID), rowErr(2, fleet.ErrHiddenCID)}, "saw those rows' CIDs: show them in Excel", "that row"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errs bytes.Buffer
			s := fleet.CIDSummary{Files: 1, RowErrors: tc.errs}
			s.Print(&out, &errs, errors.New("partial"))
			if got := errs.String(); !strings.Contains(got, tc.want) || strings.Contains(got, tc.not) {
				t.Errorf("got stderr\n%s\nwant %q in it, not %q", got, tc.want, tc.not)
			}
		})
	}
}

// TestReturnAsksLast: the return file's passphrase is asked for only
// once there is something to return; before, the staff typed it twice
// to learn that no device had a CID waiting.
func TestReturnAsksLast(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	store1(t, db, "b1", waiting(t), t0)
	asked := 0
	ask := func(string) (string, error) { asked++; return testPassphrase, nil }
	os.Unsetenv(fleet.ReturnPassphraseEnv)
	opts, err := fleet.NewReturnOptions("", "", ask)
	if err != nil {
		t.Fatal(err)
	}
	opts.WorkFactor = 2
	if _, err := fleet.WriteReturn(ctx, db, dir, opts); !errors.Is(err, fleet.ErrNothingToReturn) || asked != 0 {
		t.Fatalf("nothing to return: %v, asked %d times; want ErrNothingToReturn, never asked", err, asked)
	}
	rows, err := fleet.Requests(ctx, db, fleet.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	csv := writeCIDs(t, dir, "records.csv", [][2]string{{rows[0].IID, strings.Repeat("222222", 8)}})
	if _, err := fleet.ImportCIDs(ctx, db, []string{csv}, fleet.CIDOptions{By: "staff", Now: t0.Add(24 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	sum, err := fleet.WriteReturn(ctx, db, dir, opts)
	if err != nil || sum.Items != 1 || asked != 2 {
		t.Fatalf("%+v, %v, asked %d times; want one item, the passphrase asked twice (typed and repeated)", sum, err, asked)
	}
}

// TestCIDReplaced: a second, different CID for an IID replaces the one on
// file (a corrected CID after 0xC004F031 is on file again), never
// silently: each replacement names the IID's device and product and
// what had become of the old CID (on file, sent on a stick, refused by
// the machine). A CID the machine applied is proven: a different one for
// its IID is refused, unless ReplaceApplied; and two different CIDs for
// one IID in one import are both refused, as nobody can tell which is
// right. Before, each was stored and the latest silently won.
func TestCIDReplaced(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	s := waiting(t)
	store1(t, db, "b1", s, t0)
	rows, err := fleet.Requests(ctx, db, fleet.Filter{})
	if err != nil || len(rows) != 2 {
		t.Fatal(rows, err)
	}
	win, office := rows[0].IID, rows[1].IID
	cid := func(d string) string { return strings.Repeat(d, 48) }
	at := t0.Add(24 * time.Hour)
	restore := false // the next import's CIDOptions.Restore
	imp := func(t *testing.T, name string, replaceApplied bool, pairs ...[2]string) (fleet.CIDSummary, string, error) {
		t.Helper()
		at = at.Add(time.Hour)
		sum, err := fleet.ImportCIDs(ctx, db, []string{writeCIDs(t, dir, name, pairs)}, fleet.CIDOptions{By: "staff", Now: at, ReplaceApplied: replaceApplied,
			Restore: restore})
		restore = false
		if err != nil {
			t.Fatal(err)
		}
		var stdout, stderr bytes.Buffer
		perr := sum.Print(&stdout, &stderr, errPartialTest)
		return sum, stderr.String(), perr
	}
	// check: one change per IID given, in that order, with what the old
	// CID had become, refused or not; the device named, the IID by its
	// tail only.
	check := func(t *testing.T, sum fleet.CIDSummary, stderr string, perr error, want ...string) {
		t.Helper()
		if len(sum.Changes) != len(want)/3 {
			t.Fatalf("%d changes, want %d:\n%s", len(sum.Changes), len(want)/3, stderr)
		}
		refused := false
		for i, c := range sum.Changes {
			iid, was, ref := want[3*i], want[3*i+1], want[3*i+2] == "refused"
			if c.IID != iid || string(c.Was) != was || c.Refused != ref {
				t.Errorf("change %d: IID %s, was %q, refused %v; want %s, %q, %v", i, c.IID, c.Was, c.Refused, iid, was, ref)
			}
			refused = refused || ref
		}
		for _, w := range []string{"site Nagoya, line L2, device NG-L2-012", "…" + win[len(win)-6:]} {
			if len(sum.Changes) > 0 && sum.Changes[0].IID == win && !strings.Contains(stderr, w) {
				t.Errorf("stderr lacks %q:\n%s", w, stderr)
			}
		}
		if strings.Contains(stderr, win) || strings.Contains(stderr, office) {
			t.Errorf("stderr prints a whole IID:\n%s", stderr)
		}
		if refused != (perr != nil) {
			t.Errorf("Print returned %v with refused %v", perr, refused)
		}
	}

	sum, stderr, perr := imp(t, "records.csv", false, [2]string{win, cid("1")}, [2]string{office, cid("2")})
	check(t, sum, stderr, perr)
	// Before any return file: the old CID was only on file.
	sum, stderr, perr = imp(t, "corrected.csv", false, [2]string{office, cid("3")})
	check(t, sum, stderr, perr, office, "cid-on-file", "replaced")
	if !strings.Contains(stderr, "replaced the CID on file") || !strings.Contains(stderr, "had not been sent") {
		t.Errorf("stderr:\n%s", stderr)
	}
	// The replaced CID again: the archive holds that pair already, so
	// the one on file stays, and the import says so rather than
	// "replaced".
	sum, stderr, perr = imp(t, "back.csv", false, [2]string{office, cid("2")})
	check(t, sum, stderr, perr, office, "cid-on-file", "refused")
	if !strings.Contains(stderr, "is not put back on file") || strings.Contains(stderr, "replaced the CID on file") || sum.Added != 0 ||
		!strings.Contains(stderr, "import the file again with --restore") {
		t.Errorf("added %d:\n%s", sum.Added, stderr)
	}
	if rows, _ := fleet.Requests(ctx, db, fleet.Filter{}); rows[1].CID != cid("3") {
		t.Errorf("Office's CID on file is %s, want the one imported last", rows[1].CID)
	}
	ret, err := fleet.WriteReturn(ctx, db, dir, fleet.ReturnOptions{Passphrase: testPassphrase, WorkFactor: 2, By: "staff", Now: at})
	if err != nil || ret.Items != 2 {
		t.Fatal(ret, err)
	}
	// Sent on a stick: replaced, and said so, with the return file.
	sum, stderr, perr = imp(t, "again.csv", false, [2]string{win, cid("4")})
	check(t, sum, stderr, perr, win, "sent", "replaced")
	if !strings.Contains(stderr, filepath.Base(ret.File)) || !strings.Contains(stderr, "write a new return file") {
		t.Errorf("stderr does not name the return file %s:\n%s", filepath.Base(ret.File), stderr)
	}

	// The machine applies Windows (the CID of the stick, 1) and refuses
	// Office's (3) with 0xC004F031.
	f, _ := os.Open(ret.File)
	r, err := activation.OpenReturn(f, testPassphrase)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	items := r.For(licensing.DeviceKey(s))
	out := activation.Apply(&scripted{results: map[string]error{items[1].ActivationID: &activation.HRESULTError{Code: 0xC004F031}}, s: s}, items,
		func() time.Time { return at })
	proof, _ := activation.MarshalProof(out)
	store1(t, db, "b2", s, at, fleet.Raw{Member: activation.ProofMember, Data: proof})
	at = time.Now() // imports after the proof was stored

	sum, stderr, perr = imp(t, "late.csv", false, [2]string{win, cid("5")}, [2]string{office, cid("6")})
	check(t, sum, stderr, perr, win, "applied", "refused", office, "failed", "replaced")
	if sum.Added != 1 || !strings.Contains(stderr, "--replace-applied") || !strings.Contains(stderr, "0xC004F031") {
		t.Errorf("added %d:\n%s", sum.Added, stderr)
	}
	if rows, _ = fleet.Requests(ctx, db, fleet.Filter{}); states(rows) != "applied cid-on-file" || rows[1].CID != cid("6") {
		t.Errorf("after the refusal: %s, Office's CID %s", states(rows), rows[1].CID)
	}
	archive, _ := db.CIDs(ctx)
	for _, c := range archive {
		if c.CID == cid("5") {
			t.Errorf("the refused CID is in the archive: %+v", c)
		}
	}
	// Forced: replaced, saying the applied one stays in the archive.
	sum, stderr, perr = imp(t, "forced.csv", true, [2]string{win, cid("5")})
	check(t, sum, stderr, perr, win, "applied", "replaced")
	if sum.Added != 1 {
		t.Errorf("forced: added %d:\n%s", sum.Added, stderr)
	}

	// Windows: applied 1, on file 5 (forced); 4 was replaced. Putting 4
	// back on file still takes --replace-applied, as a new CID would.
	restore = true
	sum, stderr, perr = imp(t, "restore4.csv", false, [2]string{win, cid("4")})
	check(t, sum, stderr, perr, win, "applied", "refused")
	if sum.Restored != 0 || !strings.Contains(stderr, "--replace-applied") {
		t.Errorf("restored %d:\n%s", sum.Restored, stderr)
	}
	// The CID the machine applied needs --restore alone; it is on file
	// again (the worklist shows the product applied: its latest
	// collection is activated), and the history has the restore.
	restore = true
	sum, stderr, perr = imp(t, "restore1.csv", false, [2]string{win, cid("1")})
	check(t, sum, stderr, perr, win, "cid-on-file", "replaced")
	if !sum.Changes[0].Restored || sum.Restored != 1 || sum.Added != 0 || !strings.Contains(stderr, "importer: warning: restore1.csv row 1: put back on file the earlier CID for IID …") ||
		!strings.Contains(stderr, "(imported on "+t0.Add(25*time.Hour).Format("2006-01-02")+" by staff from records.csv row 1)") {
		t.Errorf("restored %d, added %d:\n%s", sum.Restored, sum.Added, stderr)
	}
	hist, err := fleet.CIDHistory(ctx, db, win[len(win)-6:])
	var got []string
	for _, e := range hist {
		got = append(got, fmt.Sprintf("%s:%c:%v:%v", e.File, e.CID[0], e.Restored, e.OnFile))
	}
	if want := "records.csv:1:false:false again.csv:4:false:false forced.csv:5:false:false restore1.csv:1:true:true"; err != nil || strings.Join(got, " ") != want {
		t.Errorf("history: %v %v\nwant %s", got, err, want)
	}
	if got := fleet.WithoutCID(hist, []string{"…" + win[len(win)-6:], "424242", win}); len(got) != 1 || got[0] != "424242" {
		t.Errorf("without a CID: got %q, want [424242]", got)
	}

	// Two different CIDs for one IID in one import: neither; the same
	// one twice is one.
	other := strings.Repeat("9", 63)
	sum, stderr, perr = imp(t, "two.csv", false, [2]string{other, cid("7")}, [2]string{other, cid("8")}, [2]string{office, cid("6")}, [2]string{office, cid("6")})
	check(t, sum, stderr, perr, other, "", "refused")
	if sum.Added != 0 || !strings.Contains(stderr, "two.csv rows 1 and 2") || !strings.Contains(stderr, "no device") {
		t.Errorf("added %d:\n%s", sum.Added, stderr)
	}
}

var errPartialTest = errors.New("partial")

// TestCIDHidden: a worklist workbook filtered in Excel hides rows that
// hold the CIDs on file: importing it takes the rows shown and changes
// nothing for the hidden ones; a hidden row whose CID is not the one on
// file is refused (ErrHiddenCID), named by file and row, with what to
// do, and the CID on file stays.
func TestCIDHidden(t *testing.T) {
	db := newStore(t)
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
	store1(t, db, "b1", waiting(t), t0)
	rows, err := fleet.Requests(ctx, db, fleet.Filter{})
	if err != nil || len(rows) != 2 {
		t.Fatal(rows, err)
	}
	win, office := rows[0].IID, rows[1].IID
	cid := func(d string) string { return strings.Repeat(d, 48) }
	opts := fleet.CIDOptions{By: "staff", Now: t0.Add(time.Hour)}
	if _, err := fleet.ImportCIDs(ctx, db, []string{writeCIDs(t, dir, "records.csv", [][2]string{{win, cid("1")}})}, opts); err != nil {
		t.Fatal(err)
	}
	// The worklist, Windows' row (2, its CID on file) filtered out,
	// Office's CID typed into row 3; then, in the second case, Windows'
	// hidden CID changed too, or, in the third, shown in a white font,
	// or, in the last ones, read from a formula that shows the CID on
	// file, its value saved another (or the one on file).
	const hidden, white, formula = "hidden", "white", "formula"
	for _, tc := range []struct {
		name, hiddenCID string
		refused         bool
		how             string // how D2 is hidden: its row (hidden), a white font, a formula's value
		why             string
	}{
		{"the CID on file, filtered out", cid("1"), false, hidden, ""},
		{"another CID, hidden", cid("7"), true, hidden, "the row is hidden in Excel"},
		{"another CID, white", cid("7"), true, white, "cell D2 (ConfirmationId) is not seen in Excel: its font colour FFFFFF"},
		{"another CID, a formula's value", cid("7"), true, formula, "cell D2 (ConfirmationId) holds a formula"},
		{"the CID on file, a formula's value", cid("1"), false, formula, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := fleet.WriteWorklist(ctx, db, dir, fleet.Filter{}, worklist.PageOptions{}); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenFile(filepath.Join(dir, fleet.WorklistXLSX))
			if err != nil {
				t.Fatal(err)
			}
			for n, want := range map[int]string{2: win, 3: office} {
				if got, _ := f.GetCellValue(worklist.SheetName, fmt.Sprint("B", n)); got != want {
					t.Fatalf("row %d holds IID %s, want %s", n, got, want)
				}
			}
			f.SetCellValue(worklist.SheetName, "D2", tc.hiddenCID)
			switch tc.how {
			case formula:
				// Shows the CID on file once Excel computes it, its value
				// saved the one given: excelize keeps a cell's value
				// (as it is, of digits) as it sets a formula.
				f.SetCellDefault(worklist.SheetName, "D2", tc.hiddenCID)
				if err := f.SetCellFormula(worklist.SheetName, "D2", `"`+cid("1")+`"`); err != nil {
					t.Fatal(err)
				}
			case white:
				style, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Color: "FFFFFF"}})
				if err != nil {
					t.Fatal(err)
				}
				f.SetCellStyle(worklist.SheetName, "D2", "D2", style)
			case hidden:
				f.SetRowVisible(worklist.SheetName, 2, false)
			}
			f.SetCellValue(worklist.SheetName, "D3", cid("2"))
			name := filepath.Join(dir, tc.name+".xlsx")
			if err := f.SaveAs(name); err != nil {
				t.Fatal(err)
			}
			opts.Now = opts.Now.Add(time.Hour)
			sum, err := fleet.ImportCIDs(ctx, db, []string{name}, opts)
			if err != nil {
				t.Fatal(err)
			}
			var stdout, stderr bytes.Buffer
			perr := sum.Print(&stdout, &stderr, errPartialTest)
			refused := len(sum.RowErrors) == 1 && errors.Is(sum.RowErrors[0], fleet.ErrHiddenCID) && errors.Is(sum.RowErrors[0], worklist.ErrRow)
			if refused != tc.refused || (perr != nil) != tc.refused || sum.Records != 2 || sum.Records != sum.Added+sum.Known+sum.Refused {
				t.Errorf("%d records, row errors %v, Print %v; want refused %v\n%s", sum.Records, sum.RowErrors, perr, tc.refused, stderr.String())
			}
			if tc.refused && (!strings.Contains(stderr.String(), "importer: error: "+tc.name+".xlsx: row 2: ") ||
				!strings.Contains(stderr.String(), tc.why) || !strings.Contains(stderr.String(), "Unhide") ||
				!strings.Contains(stderr.String(), "Automatic font colour and No Fill") ||
				!strings.Contains(stderr.String(), "Paste Special > Values") ||
				strings.Contains(stderr.String(), "48 digits")) {
				t.Errorf("stderr:\n%s", stderr.String())
			}
			rows, _ := fleet.Requests(ctx, db, fleet.Filter{})
			if rows[0].CID != cid("1") || rows[1].CID != cid("2") {
				t.Errorf("on file: Windows %s, Office %s; want the one imported first, and the one typed in", rows[0].CID, rows[1].CID)
			}
		})
	}
}

// TestCIDChangeRows: a change names the rows that brought its CIDs by
// file and row, whatever the file's name holds (" row " in it too).
func TestCIDChangeRows(t *testing.T) {
	iid := strings.Repeat("1", 63)
	rec := func(file string, row int) fleet.CIDRecord { return fleet.CIDRecord{IID: iid, File: file, Row: row} }
	tests := []struct {
		name string
		new  []fleet.CIDRecord
		want string
	}{
		{"one row", []fleet.CIDRecord{rec("f.csv", 3)}, "f.csv row 3:"},
		{"two rows of a file", []fleet.CIDRecord{rec("f.csv", 3), rec("f.csv", 7)}, "f.csv rows 3 and 7:"},
		{"three rows of a file", []fleet.CIDRecord{rec("f.csv", 3), rec("f.csv", 7), rec("f.csv", 9)}, "f.csv rows 3 and 7 and 9:"},
		{"two files", []fleet.CIDRecord{rec("a.csv", 3), rec("b.csv", 2)}, "a.csv row 3 and b.csv row 2:"},
		{"a name with row in it", []fleet.CIDRecord{rec("my row list.csv", 3), rec("my row list.csv", 5)}, "my row list.csv rows 3 and 5:"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sum := fleet.CIDSummary{Changes: []fleet.CIDChange{{IID: iid, New: tc.new, Refused: len(tc.new) > 1}}}
			var stdout, stderr bytes.Buffer
			sum.Print(&stdout, &stderr, errPartialTest)
			if !strings.Contains(stderr.String(), "importer: error: "+tc.want) && !strings.Contains(stderr.String(), "importer: warning: "+tc.want) {
				t.Errorf("got %q, want it to name %q", stderr.String(), tc.want)
			}
		})
	}
}

// TestReturnPassphraseShort: a passphrase too short is refused saying
// where it came from, so that one read from --passphrase-file or the
// environment is not taken for two entries typed differently; and its
// hint says to type it the same twice only where it was typed twice.
func TestReturnPassphraseShort(t *testing.T) {
	file := filepath.Join(t.TempDir(), "pass.txt")
	if err := os.WriteFile(file, []byte("short\r\nthe rest is not read\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	never := func(string) (string, error) { t.Fatal("asked at the terminal"); return "", nil }
	typed := func(string) (string, error) { return "tiny", nil }
	n := 0
	differ := func(string) (string, error) { n++; return fmt.Sprintf("long enough %d", n), nil }
	for _, tc := range []struct {
		name, file, env string
		ask             func(string) (string, error)
		want            string
		twice           bool // the hint says to type it the same twice
	}{
		{"file", file, "", never, "the first line of " + file + " has 5 characters, fewer than 10", false},
		{"environment", "", "abc", never, fleet.ReturnPassphraseEnv + " has 3 characters, fewer than 10", false},
		{"typed", "", "", typed, "the one typed has 4 characters, fewer than 10", false},
		{"typed differently", "", "", differ, "the two entries differ", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.env != "" {
				t.Setenv(fleet.ReturnPassphraseEnv, tc.env)
			} else {
				t.Setenv(fleet.ReturnPassphraseEnv, "")
				os.Unsetenv(fleet.ReturnPassphraseEnv)
			}
			_, err := fleet.ReturnPassphrase(tc.file, tc.ask)
			if !errors.Is(err, fleet.ErrPassphrase) || !strings.HasSuffix(err.Error(), ": "+tc.want) {
				t.Errorf("got %v, want ErrPassphrase ending in %q", err, tc.want)
			}
			// As the importer prints it: the cause alone, not "or the
			// two entries differ" for a passphrase given once, nor the
			// package's name ("passphrase refused (fleet: the return
			// file's passphrase is shorter than 10 characters, or the
			// two entries differ: … has 5)").
			why, hint := fleet.Explain(err)
			if why != "passphrase refused: "+tc.want {
				t.Errorf("Explain: got %q, want %q", why, "passphrase refused: "+tc.want)
			}
			// "type it the same twice" to one who gave it in a file sent
			// them looking for a second entry there is none of.
			if twice := strings.Contains(hint, "twice"); twice != tc.twice {
				t.Errorf("Explain: got hint %q, want it to say twice: %v", hint, tc.twice)
			}
		})
	}
}

// asOfEvents replays a return path on one machine into db, day by day
// from t0 (each at 10:00 UTC unless said), leaving out the collections
// made at or after fleetUntil and the other records made at or after
// actUntil (zero: none left out): the machine collected (day 0), CIDs
// imported (day 2, Office's wrong), a return file (day 4), the proof
// collected late on day 6 (Windows applied, Office refused; imported
// when the test runs, by the store's clock, as a stick brought in
// weeks later is), a corrected CID for Office imported at midnight
// (day 8, 00:00), the wrong one put back on file (day 10), a
// second return file (day 12), and a third one dated day 20, as a
// workstation's clock ahead of time would date it.
func asOfEvents(t *testing.T, db *store.DB, fleetUntil, actUntil time.Time) {
	t.Helper()
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	day := func(d int) time.Time { return t0.AddDate(0, 0, d) }
	keep := func(at, until time.Time) bool { return until.IsZero() || at.Before(until) }
	s := waiting(t)
	dev := licensing.DeviceKey(s)
	var iid [2]string
	for i := range iid {
		var err error
		if iid[i], err = activation.NormalizeIID(s.Products[i].OfflineInstallationID); err != nil {
			t.Fatal(err)
		}
	}
	win, office := s.Products[0].SKUID, s.Products[1].SKUID
	cid, wrong := strings.Repeat("222222", 8), strings.Repeat("111111", 8)
	cids := func(at time.Time, rs ...CIDPair) {
		if !keep(at, actUntil) {
			return
		}
		var recs []fleet.CIDRecord
		for i, r := range rs {
			recs = append(recs, fleet.CIDRecord{IID: r.IID, CID: r.CID, Source: worklist.KindCSV, File: "cids.csv", Row: i + 1, Imported: at, By: "staff"})
		}
		if _, err := db.AddCIDs(ctx, recs); err != nil {
			t.Fatal(err)
		}
	}
	items := func(at time.Time, file string, its ...fleet.ReturnItem) {
		if !keep(at, actUntil) {
			return
		}
		for i := range its {
			its[i].ReturnID, its[i].DeviceKey, its[i].Written, its[i].By, its[i].File = file[:32], dev, at, "staff", file
		}
		if err := db.AddReturnItems(ctx, its); err != nil {
			t.Fatal(err)
		}
	}
	collect := func(id string, s *licensing.Snapshot, at time.Time, raw ...fleet.Raw) {
		if keep(at, fleetUntil) {
			store1(t, db, id, s, at, raw...)
		}
	}
	r1, r2, r3 := strings.Repeat("a", 32)+".return.age", strings.Repeat("b", 32)+".return.age", strings.Repeat("c", 32)+".return.age"
	item := func(n int) string { return fmt.Sprintf("%032x", n) }

	collect("b1", s, day(0))
	cids(day(2), CIDPair{iid[0], cid}, CIDPair{iid[1], wrong})
	items(day(4), r1, fleet.ReturnItem{ItemID: item(1), ActivationID: win, IID: iid[0], CID: cid},
		fleet.ReturnItem{ItemID: item(2), ActivationID: office, IID: iid[1], CID: wrong})
	proof, err := activation.MarshalProof([]activation.Outcome{
		{ItemID: item(1), ReturnID: r1[:32], ActivationID: win, IID: iid[0], Result: activation.Applied, At: day(6)},
		{ItemID: item(2), ReturnID: r1[:32], ActivationID: office, IID: iid[1], Result: activation.Refused, HRESULT: 0xC004F031, At: day(6)},
	})
	if err != nil {
		t.Fatal(err)
	}
	after := waiting(t)
	after.Products[0].Status = licensing.StatusLicensed
	collect("b2", after, day(6).Add(13*time.Hour+30*time.Minute), fleet.Raw{Member: activation.ProofMember, Data: proof})
	cids(day(8).Add(-10*time.Hour), CIDPair{iid[1], cid})
	if at := day(10); keep(at, actUntil) {
		if err := db.RestoreCIDs(ctx, []fleet.CIDRestore{{IID: iid[1], CID: wrong, File: "cids.csv", Row: 2, Restored: at, By: "staff"}}); err != nil {
			t.Fatal(err)
		}
	}
	items(day(12), r2, fleet.ReturnItem{ItemID: item(3), ActivationID: office, IID: iid[1], CID: wrong})
	items(day(20), r3, fleet.ReturnItem{ItemID: item(4), ActivationID: office, IID: iid[1], CID: wrong})
}

// CIDPair is an IID and its CID, as a CID file's row gives them.
type CIDPair struct{ IID, CID string }

// reportActivation writes the JSON report of db's fleet as of at (the
// fleet as it was before until, when not zero), made at generated, and
// returns each device's activation list as the file gives it.
func reportActivation(t *testing.T, db *store.DB, at, until, generated time.Time) string {
	t.Helper()
	dir := t.TempDir()
	if _, err := fleet.Report(ctx, db, dir, fleet.Filter{Until: until}, report.Options{AsOf: at, Formats: []string{report.JSON}, Generated: generated}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, "devices.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Devices []struct {
			Asset      string          `json:"asset"`
			Activation json.RawMessage `json:"activation"`
		} `json:"devices"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, d := range doc.Devices {
		fmt.Fprintf(&b, "%s: %s\n", d.Asset, d.Activation)
	}
	return b.String()
}

// TestReportAsOfActivation: a report as of a day past shows the
// activation requests as they stood at the end of that day, with the
// day boundary of the fleet as it was then (fleet.AsOf's until): CIDs
// imported, CIDs put back on file and return files written after it,
// and the outcomes of collections made after it, are not counted, as a
// fleet that holds only the records made before it, read as it is,
// shows them (the oracle). A report as of 2026-11-02 showed "applied
// 2026-11-08". As of today or later it is the state as it is, as
// without --as-of, records dated later by a clock ahead of time too.
func TestReportAsOfActivation(t *testing.T) {
	db := newStore(t)
	asOfEvents(t, db, time.Time{}, time.Time{})
	generated := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // every day below is past
	seen := map[string]bool{}
	for d := 0; d <= 13; d++ {
		date := time.Date(2026, 11, 2+d, 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		at, until, err := fleet.AsOf(date, generated, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		oracle := newStore(t)
		asOfEvents(t, oracle, until, until)
		got, want := reportActivation(t, db, at, until, generated), reportActivation(t, oracle, at, time.Time{}, generated)
		if got != want {
			t.Errorf("as of %s:\n%s\nwant, as a fleet of the records made by then shows it:\n%s", date, got, want)
		}
		seen[want] = true
	}
	// None, CIDs on file, sent, applied and failed, the second return
	// file: the CIDs of days 8 and 10 come before the proof was
	// imported (when the test runs) and leave Office failed.
	if len(seen) != 5 {
		t.Errorf("%d states over the days, want 5: the days do not show what the test is for", len(seen))
	}
	// As of today (and of a day later): the state as it is, the third
	// return file, dated day 20, in it.
	now := reportActivation(t, db, generated, time.Time{}, generated)
	if !strings.Contains(now, strings.Repeat("c", 32)) {
		t.Fatalf("without --as-of: %s, want the third return file", now)
	}
	for _, date := range []string{"2026-11-15", "2026-11-16"} {
		today := time.Date(2026, 11, 15, 18, 0, 0, 0, time.UTC)
		at, until, _ := fleet.AsOf(date, today, time.UTC)
		if got := reportActivation(t, db, at, until, today); got != now {
			t.Errorf("as of %s, made on 2026-11-15:\n%s\nwant as without --as-of:\n%s", date, got, now)
		}
	}
}

// TestCIDFileWindows1252: a worklist filled in and saved by a
// Western-European Excel as "CSV (Comma delimited)" (Windows-1252, no
// BOM) keeps its device keys: "loc:usine montréal/…" is a key the fleet
// knows, and the Shift_JIS reading of the same bytes
// ("loc:usine montr饌l/…") none. Before, the archive stored the
// Shift_JIS reading. A device the fleet does not know (its site renamed
// since) has its row refused, naming both readings.
func TestCIDFileWindows1252(t *testing.T) {
	for _, tc := range []struct {
		name  string
		site  string // of the device stored; the file's is Usine Montréal
		added int
	}{
		{"the device known", "Usine Montréal", 2},
		{"the device not known", "Usine Québec", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, dir := newStore(t), t.TempDir()
			s := waiting(t)
			s.Hardware.UUID, s.Hardware.Serial = "", ""
			s.Context.Site = "Usine Montréal"
			rows := func() []worklist.Row {
				store1(t, db, "b1", s, asOf)
				rows, err := fleet.Requests(ctx, db, fleet.Filter{})
				if err != nil || len(rows) != 2 {
					t.Fatalf("%+v %v", rows, err)
				}
				return rows
			}()
			for i := range rows {
				// Without the IID's note, whose "…" is no Shift_JIS and
				// would tell the code page: the keys known tell it.
				rows[i].CID, rows[i].Detail = strings.Repeat(fmt.Sprint(i+1), 48), ""
			}
			var b bytes.Buffer
			if err := worklist.WriteCSV(&b, rows); err != nil {
				t.Fatal(err)
			}
			data, err := charmap.Windows1252.NewEncoder().Bytes(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff")))
			if err != nil {
				t.Fatal(err)
			}
			if tc.site != s.Context.Site {
				// The same device collected again under another site
				// name: a new key, the file's no longer known.
				db2 := newStore(t)
				s.Context.Site = tc.site
				store1(t, db2, "b1", s, asOf)
				db = db2
			}
			name := filepath.Join(dir, "worklist.csv")
			os.WriteFile(name, data, 0o644)
			sum, err := fleet.ImportCIDs(ctx, db, []string{name}, fleet.CIDOptions{By: "staff", Now: asOf.Add(time.Hour)})
			if err != nil || sum.Added != tc.added {
				t.Fatalf("got %+v, %v; want %d added", sum, err, tc.added)
			}
			cids, _ := db.CIDs(ctx)
			for _, c := range cids {
				if c.DeviceKey != rows[0].DeviceKey {
					t.Errorf("got device key %q stored, want %q", c.DeviceKey, rows[0].DeviceKey)
				}
			}
			if tc.added > 0 {
				return
			}
			if len(sum.RowErrors) != 2 {
				t.Fatalf("got rows refused %v, want 2", sum.RowErrors)
			}
			for _, e := range sum.RowErrors {
				if !errors.Is(e, worklist.ErrEncoding) || !strings.Contains(e.Error(), "worklist.csv: row ") ||
					!strings.Contains(e.Error(), "usine montréal") || !strings.Contains(e.Error(), "CSV UTF-8") {
					t.Errorf("got %v, want the file, the row, both readings and CSV UTF-8 named", e)
				}
			}
		})
	}
}

// TestCIDFileKnownLoaded: activation cids loads the fleet's device keys
// and host names (a cost that grows with the fleet) only for a file that
// needs them to tell its code page: not for a workbook, a CSV file with
// a BOM, one UTF-8 throughout or one in ASCII; once for files in
// Windows-1252, however many. Where they cannot be read, the import
// of a file that needs them fails with the error. Before, they were
// loaded on every run.
func TestCIDFileKnownLoaded(t *testing.T) {
	errGone := errors.New("the fleet is gone")
	for _, tc := range []struct {
		name  string
		files []string // of workbook, bom, utf8, ascii, cp1252, cp1252b
		loads int
		err   error // loading's
	}{
		{"a workbook", []string{"workbook"}, 0, nil},
		{"a CSV file with a BOM", []string{"bom"}, 0, nil},
		{"a CSV file UTF-8 throughout", []string{"utf8"}, 0, nil},
		{"ActivationWs's records in ASCII", []string{"ascii"}, 0, nil},
		{"a CSV file in Windows-1252", []string{"cp1252"}, 1, nil},
		{"all, two in Windows-1252", []string{"workbook", "cp1252", "bom", "cp1252b", "utf8"}, 1, nil},
		{"a workbook, the fleet unreadable", []string{"workbook"}, 0, errGone},
		{"Windows-1252, the fleet unreadable", []string{"cp1252"}, 1, errGone},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, dir := newStore(t), t.TempDir()
			s := waiting(t)
			s.Hardware.UUID, s.Hardware.Serial = "", ""
			s.Context.Site = "Usine Montréal"
			store1(t, db, "b1", s, asOf)
			rows, err := fleet.Requests(ctx, db, fleet.Filter{})
			if err != nil || len(rows) != 2 {
				t.Fatalf("%+v %v", rows, err)
			}
			for i := range rows {
				// Without the note, whose "…" would tell the code page.
				rows[i].CID, rows[i].Detail = strings.Repeat(fmt.Sprint(i+1), 48), ""
			}
			var csv, xlsx bytes.Buffer
			if err := worklist.WriteCSV(&csv, rows); err != nil {
				t.Fatal(err)
			}
			if err := worklist.WriteXLSX(&xlsx, rows, "t"); err != nil {
				t.Fatal(err)
			}
			noBOM := bytes.TrimPrefix(csv.Bytes(), []byte("\ufeff"))
			cp1252, err := charmap.Windows1252.NewEncoder().Bytes(noBOM)
			if err != nil {
				t.Fatal(err)
			}
			files := map[string][]byte{"workbook": xlsx.Bytes(), "bom": csv.Bytes(), "utf8": noBOM, "cp1252": cp1252, "cp1252b": cp1252}
			var names []string
			for _, f := range tc.files {
				if f == "ascii" {
					names = append(names, writeCIDs(t, dir, "records.csv", [][2]string{{rows[0].IID, rows[0].CID}}))
					continue
				}
				name := filepath.Join(dir, f+".csv")
				if f == "workbook" {
					name = filepath.Join(dir, "worklist.xlsx")
				}
				if err := os.WriteFile(name, files[f], 0o644); err != nil {
					t.Fatal(err)
				}
				names = append(names, name)
			}
			loads := 0
			load := func(ctx context.Context, st fleet.Store) (worklist.Known, error) {
				loads++
				if tc.err != nil {
					return nil, tc.err
				}
				return fleet.KnownNames(ctx, st)
			}
			sum, err := fleet.ImportCIDsLoading(ctx, db, names, fleet.CIDOptions{By: "staff", Now: asOf.Add(time.Hour)}, load)
			if tc.err != nil && tc.loads > 0 {
				if !errors.Is(err, tc.err) || sum.Added != 0 {
					t.Errorf("got %+v, %v; want %v, nothing added", sum, err, tc.err)
				}
				return
			}
			if err != nil || len(sum.Rejected)+len(sum.RowErrors) > 0 || sum.Added == 0 {
				t.Fatalf("got %+v, %v; want the CIDs added", sum, err)
			}
			if loads != tc.loads {
				t.Errorf("got the known keys loaded %d times, want %d", loads, tc.loads)
			}
			cids, _ := db.CIDs(ctx)
			for _, c := range cids {
				if c.DeviceKey != "" && c.DeviceKey != rows[0].DeviceKey {
					t.Errorf("got device key %q stored, want %q", c.DeviceKey, rows[0].DeviceKey)
				}
			}
		})
	}
}
