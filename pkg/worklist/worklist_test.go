package worklist

import (
	"bytes"
	"encoding/csv"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/terminal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/worklist -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test ./pkg/worklist -update and review the diff", name)
	}
}

var collected = time.Date(2026, 11, 2, 1, 15, 0, 0, time.UTC)

func testRows() []Row {
	iid := strings.Repeat("0123456", 9)
	return []Row{
		{Host: "FA-NG-L2-011", IID: iid, ExtendedPID: "00371-00170-000-000000-03-1041-7601.0000-0902012", Site: "Nagoya", Line: "L2", Asset: "NG-L2-011",
			DeviceKey: "hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC", Product: "Windows 7 Professional", ApplicationID: "55c92734-d682-4d71-983e-d6ec3f16059f",
			ActivationID: "68531fb9-5511-4989-97be-d11a0f55633f", Class: "SPP", Channel: "Volume:MAK", Status: "notification", State: NeedsCID, Collected: collected},
		{Host: "FA-NG-L2-011", IID: strings.Repeat("765432", 9), Site: "Nagoya", Line: "L2", Asset: "NG-L2-011", DeviceKey: "hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC",
			Product: "Office 2010 Professional Plus", Class: "OSPP", Status: "notification", State: CIDOnFile, CID: strings.Repeat("123456", 8),
			Obtained: collected.Add(48 * time.Hour), Collected: collected},
		{Host: "=cmd|' /C calc'!A0", IID: strings.Repeat("1", 63), Site: "Nagoya", Line: "L3", Asset: "-NG-L3-001", DeviceKey: "loc:nagoya/l3/-ng-l3-001/x",
			Product: "Windows 7 Professional", State: Failed, Detail: "0xC004F031 the Installation ID and the Confirmation ID do not match",
			Note: Note{Code: NoteHRESULT, HRESULT: 0xC004F031}, Collected: collected},
		{Host: "NG-L3-002", Site: "Nagoya", Line: "L3", Asset: "NG-L3-002", Product: "Windows 7 Professional", State: NoIID, Collected: collected},
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, testRows()); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if !strings.HasPrefix(out, "\ufeffHost,InstallationId,ExtendedProductId,ConfirmationId,RequestCount,CreatedAtUtc,LastRequestedAtUtc,Site,") {
		t.Errorf("no BOM or not ActivationWs's columns first:\n%s", out[:120])
	}
	if strings.Count(out, "\r\n") != 5 || strings.Contains(strings.ReplaceAll(out, "\r\n", ""), "\n") {
		t.Error("lines do not end in CRLF")
	}
	for _, want := range []string{"\r\n'=cmd|' /C calc'!A0,", ",'-NG-L3-001,"} {
		if !strings.Contains(out, want) {
			t.Errorf("formula not neutralized: want %s in\n%s", want, out)
		}
	}
	golden(t, "worklist.csv", b.Bytes())
}

func TestWritePage(t *testing.T) {
	var b bytes.Buffer
	if err := WritePage(&b, testRows(), PageOptions{Title: "Nagoya", Generated: collected, Generator: "test"}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"0123456</span><span>0123456", "123456</span><span>123456", `<span class="box"></span>`,
		"Needs a CID / 確認 ID が必要: <b>1</b>", "=cmd|&#39; /C calc&#39;!A0", "Content-Security-Policy"} {
		if !strings.Contains(out, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	// The CIDs written in the boxes are typed into the workbook, whose ID
	// columns are text: Excel opening the CSV makes numbers of them
	// (docs/activation.md, step 4).
	for _, hint := range []string{"ConfirmationId column of the workbook, activation-worklist.xlsx", "ブック activation-worklist.xlsx の ConfirmationId 列"} {
		if !strings.Contains(out, hint) {
			t.Errorf("page does not send the CIDs to the workbook: lacks %q", hint)
		}
	}
	if strings.Contains(out, "column of the CSV") || strings.Contains(out, "CSV の ConfirmationId") {
		t.Error("page tells staff to type the CIDs into the CSV, which Excel turns into numbers")
	}
	if strings.Count(out, `<span class="box"></span>`) != 8 {
		t.Errorf("want 8 boxes for the one CID needed, got %d", strings.Count(out, `<span class="box"></span>`))
	}
	golden(t, "worklist.html", b.Bytes())
}

// TestReadActivationWs reads records.csv as ActivationWs exports it: BOM,
// CRLF, quoted fields, a ' before a formula, times with seven fractional
// digits; a CID of 47 digits refuses its row alone.
func TestReadActivationWs(t *testing.T) {
	f, err := os.Open("testdata/activationws-records.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, rowErrs, blank, kind, err := Read(f)
	if err != nil || kind != KindActivationWs || blank != 0 {
		t.Fatalf("kind %q, blank %d, err %v", kind, blank, err)
	}
	if len(recs) != 3 || len(rowErrs) != 1 {
		t.Fatalf("%d records, %d row errors: %v", len(recs), len(rowErrs), rowErrs)
	}
	if recs[1].Host != "FA, line 3" || len(recs[1].CID) != 48 || recs[1].IID != strings.Repeat("765432", 9) {
		t.Errorf("quoted row: %+v", recs[1])
	}
	if recs[2].Host != `=HYPERLINK("x")` {
		t.Errorf("the ' before a formula stays: %q", recs[2].Host)
	}
	if want := time.Date(2026, 11, 20, 1, 2, 3, 123456700, time.UTC); !recs[0].Obtained.Equal(want) {
		t.Errorf("CreatedAtUtc %v, want %v", recs[0].Obtained, want)
	}
	var re *RowError
	if !errors.As(rowErrs[0], &re) || re.Row != 4 || !errors.Is(rowErrs[0], ErrRow) || !errors.Is(rowErrs[0], activation.ErrCIDShape) {
		t.Errorf("row error %v", rowErrs[0])
	}
}

// TestReadWorklist reads our worklist back with ConfirmationId filled in
// (as a person or a spreadsheet saves it: no BOM, LF), and refuses files
// that are not CID files.
func TestReadWorklist(t *testing.T) {
	rows := testRows()
	rows[0].CID = strings.Join(activation.Groups(strings.Repeat("987654", 8)), " ")
	var b bytes.Buffer
	WriteCSV(&b, rows)
	saved := strings.ReplaceAll(strings.TrimPrefix(b.String(), "\ufeff"), "\r\n", "\n")
	recs, rowErrs, blank, kind, err := Read(strings.NewReader(saved))
	if err != nil || kind != KindWorklist || len(rowErrs) != 0 || blank != 2 || len(recs) != 2 {
		t.Fatalf("kind %q, %d records, blank %d, %v, %v", kind, len(recs), blank, rowErrs, err)
	}
	if recs[0].CID != strings.Repeat("987654", 8) || recs[0].DeviceKey != rows[0].DeviceKey || recs[0].ActivationID != rows[0].ActivationID {
		t.Errorf("record %+v", recs[0])
	}
	tests := []struct {
		name, data string
		want       error
	}{
		{"empty", "", ErrNotCSV},
		{"no CID column", "Host,InstallationId\r\nx,1\r\n", ErrColumns},
		// Which of two is the CID? One may be a hidden column of a
		// workbook, or one a sender added before the one shown.
		{"two CID columns", "InstallationId,confirmationid,ConfirmationId\r\n1,2,3\r\n", ErrColumns},
		{"two IID columns", "InstallationId,ConfirmationId, InstallationId\r\n1,2,3\r\n", ErrColumns},
		{"a bare quote", "InstallationId,ConfirmationId\r\n1,12\"3\r\n", ErrNotCSV},
		{"over 16 MiB", strings.Repeat("x", MaxFile+1), ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, _, _, _, err := Read(strings.NewReader(tc.data)); !errors.Is(err, tc.want) {
				t.Errorf("got %v, want %v", err, tc.want)
			}
		})
	}
	// A field over 1 KiB costs its row, not the file.
	cid := strings.Repeat("222222", 8)
	data := "Host,InstallationId,ConfirmationId\r\nH," + strings.Repeat("0123456", 9) + "," + cid + "\r\n" +
		strings.Repeat("h", MaxField+1) + "," + strings.Repeat("1234567", 9) + "," + cid + "\r\n"
	recs, rowErrs, _, _, err = Read(strings.NewReader(data))
	if err != nil || len(recs) != 1 || len(rowErrs) != 1 || !errors.Is(rowErrs[0], ErrRow) || !errors.Is(rowErrs[0], ErrTooLarge) {
		t.Errorf("a field over 1 KiB: %d records, %v, %v", len(recs), rowErrs, err)
	}
}

// TestReadBackLongCell: a stored host, site, line or product name may be
// licensing.MaxString (1,024) bytes, and one starting with '=' is written
// with a ' before it. Staff fill in the CIDs of the work list and import
// it back: what WriteCSV wrote is read whole.
func TestReadBackLongCell(t *testing.T) {
	iid := strings.Repeat("0123456", 9)
	cid := strings.Repeat("222222", 8)
	rows := []Row{
		{Host: "GENUINE", IID: iid, CID: cid, State: NeedsCID},
		{Host: "=" + strings.Repeat("h", 1023), Product: strings.Repeat("製", 400), IID: strings.Repeat("1234567", 9), CID: cid, State: NeedsCID},
	}
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	recs, rowErrs, _, _, err := Read(&b)
	if err != nil || len(rowErrs) != 0 || len(recs) != 2 {
		t.Fatalf("the work list as written does not read back: %d records, %v, %v", len(recs), rowErrs, err)
	}
	if h := recs[1].Host; len(h) != MaxField-1 || !strings.HasPrefix(h, "=hhh") {
		t.Errorf("host read back as %d bytes %.10q", len(h), h)
	}
}

// FuzzRead: whatever the file, Read returns records that write back and
// read again the same, or file and row errors that are the sentinels.
//
// The seeds are the CSV files of testdata, those LibreOffice Calc saved
// and those Japanese Excel saves (Shift_JIS, UTF-8 with a BOM, UTF-16LE
// with tabs), and files in each encoding damaged: a surrogate alone, a
// byte left over, a lead byte without its trail, rows in two encodings.
func FuzzRead(f *testing.F) {
	var files []string
	for _, glob := range []string{"*.csv", "libreoffice/*.csv", "excel-ja/*"} {
		found, _ := filepath.Glob(filepath.Join("testdata", glob))
		if len(found) == 0 {
			f.Fatalf("no seed in testdata/%s", glob)
		}
		files = append(files, found...)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	const row = "InstallationId,ConfirmationId,DeviceKey\r\n0123456,222222222222222222222222222222222222222222222222,"
	for _, seed := range []string{
		"\xff\xfeI\x00D\x00\t\x00C\x00I\x00D\x00\r\x00\n\x00\x00\xd8,\x00",                         // UTF-16LE, a surrogate alone
		"\xfe\xff\x00I\x00n\x00,\xdc\x00\xd8\x00\x00",                                              // UTF-16BE, reversed pair, a byte left over
		row + "loc:\x96\xbc\x8c\xc3\x89\xae\x83\r\n",                                               // Shift_JIS, a lead byte without its trail
		row + "loc:\x96\xbc\x8c\xc3\x89\xae\r\n" + row[strings.Index(row, "\n")+1:] + "loc:組立\r\n", // Shift_JIS and UTF-8
		row + "loc:名古屋工場\r\n",                                                                      // UTF-8 that Shift_JIS reads too
		"\xef\xbb\xbf" + row + "loc:\xff\r\n",                                                      // UTF-8 BOM, a byte that is not
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		writesBack(t, data, Read, WriteCSV, ErrNotCSV)
	})
}

// writesBack is the fuzz targets' check of a CID file reader: data is
// refused with a sentinel (notFile, ErrColumns, ErrTooLarge), each row
// refused is an ErrRow, and what is read, written again with write,
// reads back the same.
func writesBack(t *testing.T, data []byte, read func(io.Reader) ([]Record, []error, int, string, error),
	write func(io.Writer, []Row) error, notFile error) {
	recs, rowErrs, _, _, err := read(bytes.NewReader(data))
	if err != nil {
		if !errors.Is(err, notFile) && !errors.Is(err, ErrColumns) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrEncoding) {
			t.Fatalf("not a sentinel: %v", err)
		}
		return
	}
	for _, re := range rowErrs {
		if !errors.Is(re, ErrRow) {
			t.Fatalf("row error without ErrRow: %v", re)
		}
	}
	var rows []Row
	for _, r := range recs {
		rows = append(rows, Row{Host: r.Host, IID: r.IID, CID: r.CID, ExtendedPID: r.ExtendedPID, DeviceKey: r.DeviceKey, ActivationID: r.ActivationID})
	}
	var b bytes.Buffer
	if err := write(&b, rows); err != nil {
		t.Fatal(err)
	}
	again, rowErrs, _, _, err := read(&b)
	if err != nil || len(rowErrs) != 0 || len(again) != len(recs) {
		t.Fatalf("does not write back: %v %v", err, rowErrs)
	}
	for i := range again {
		a, r := again[i], recs[i]
		// What WriteXLSX writes hides nothing.
		if a.IID != r.IID || a.CID != r.CID || a.Host != r.Host || a.DeviceKey != r.DeviceKey || a.ExtendedPID != r.ExtendedPID || a.ActivationID != r.ActivationID ||
			a.Hidden != "" {
			t.Fatalf("row %d: %+v, want %+v", i, a, r)
		}
	}
}

// TestReadObtained: the time a CID was obtained is kept when plausible and
// read as unknown otherwise (a store writes it as UTC text).
func TestReadObtained(t *testing.T) {
	cid := strings.Repeat("222222", 8)
	iid := strings.Repeat("0123456", 9)
	for _, tc := range []struct {
		created string
		want    time.Time
	}{
		{"2026-11-20T01:02:03.1234567+00:00", time.Date(2026, 11, 20, 1, 2, 3, 123456700, time.UTC)},
		{"0000-01-01T00:00:00+01:00", time.Time{}},
		{"9999-12-31T23:59:59-01:00", time.Time{}},
		{"1999-12-31T23:59:59Z", time.Time{}},
		{"not a time", time.Time{}},
	} {
		data := "Host,InstallationId,ExtendedProductId,ConfirmationId,RequestCount,CreatedAtUtc,LastRequestedAtUtc\r\n" +
			"H," + iid + ",," + cid + ",1," + tc.created + ",\r\n"
		recs, rowErrs, _, _, err := Read(strings.NewReader(data))
		if err != nil || len(rowErrs) > 0 || len(recs) != 1 {
			t.Fatalf("%s: %v %v %d records", tc.created, err, rowErrs, len(recs))
		}
		if !recs[0].Obtained.Equal(tc.want) {
			t.Errorf("%s: obtained %v, want %v", tc.created, recs[0].Obtained, tc.want)
		}
	}
}

// TestHiddenAndSeparators: the worklist CSV follows the reports' rules.
// A field holding ';' or a tab is quoted (Excel's separator in some
// regions), and a character that reorders or hides text is shown as
// \uXXXX in the columns that are only shown and on the page, while the
// columns Read takes back keep the value as stored: the CSV filled in
// and read back names the same host and device key, so that the CID
// goes to the device it was requested for.
func TestHiddenAndSeparators(t *testing.T) {
	iid := strings.Repeat("0123456", 9)
	row := Row{Host: "FA-\u202e110-2L;+1", IID: iid, ExtendedPID: "00371-00170-000-000000-03-1041-7601.0000-0902012",
		Site: "Nagoya\u200b", Line: "L2;L3", Asset: "NG\u202e;011;=2", DeviceKey: "loc:nagoya\u200b/l2;l3/ng\u202e;011;=2/x",
		Product: "Windows\t7 Professional", ActivationID: "68531fb9-5511-4989-97be-d11a0f55633f", State: NeedsCID,
		Detail: "=1+1; \u2066x\u2069", Collected: collected}
	var b bytes.Buffer
	if err := WriteCSV(&b, []Row{row}); err != nil {
		t.Fatal(err)
	}
	quoted := false
	for _, c := range b.Bytes() {
		switch {
		case c == '"':
			quoted = !quoted
		case !quoted && (c == ';' || c == '\t'):
			t.Fatalf("%q has %q outside quotes", b.String(), c)
		}
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	got := map[string]string{}
	for i, h := range recs[0] {
		got[h] = recs[1][i]
	}
	for col, want := range map[string]string{
		"Host": "FA-\u202e110-2L;'+1", "DeviceKey": "loc:nagoya\u200b/l2;l3/ng\u202e;011;'=2/x", "ActivationId": row.ActivationID, "InstallationId": iid, "ExtendedProductId": row.ExtendedPID,
		"Site": `Nagoya\u200b`, "Line": "L2;L3", "Asset": `NG\u202e;011;'=2`, "Product": "Windows\t7 Professional", "Detail": `'=1+1; \u2066x\u2069`,
	} {
		if got[col] != want {
			t.Errorf("%s: got %q, want %q", col, got[col], want)
		}
	}
	// Filled in and read back: the host and device key as stored.
	cid := strings.Repeat("222222", 8)
	filled := strings.Replace(b.String(), iid+","+row.ExtendedPID+",,", iid+","+row.ExtendedPID+","+cid+",", 1)
	back, rowErrs, _, _, err := Read(strings.NewReader(filled))
	if err != nil || len(rowErrs) != 0 || len(back) != 1 {
		t.Fatalf("read back: %d records, %v, %v", len(back), rowErrs, err)
	}
	if r := back[0]; r.Host != row.Host || r.DeviceKey != row.DeviceKey || r.IID != iid || r.CID != cid || r.ActivationID != row.ActivationID {
		t.Errorf("read back %+v, want host %q, device key %q", r, row.Host, row.DeviceKey)
	}
	var page bytes.Buffer
	if err := WritePage(&page, []Row{row}, PageOptions{Title: "Nagoya\u202e", Generated: collected, Generator: "test\u200b"}); err != nil {
		t.Fatal(err)
	}
	if i := strings.IndexFunc(page.String(), terminal.Hidden); i >= 0 {
		t.Errorf("the page holds %q raw at %d", []rune(page.String()[i:])[0], i)
	}
	for _, want := range []string{`FA-\u202e110-2L;&#43;1`, `NG\u202e;011;=2`, `Nagoya\u200b / L2;L3`, `<title>Activation worklist / ライセンス認証の作業リスト: Nagoya\u202e</title>`} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// TestReadBackFormulas: a column Read takes back (Host, DeviceKey, ...)
// starts no formula where Excel splits the file at ';' (Germany, France)
// or ',': a host "x;=1+1;" was written "x;=1+1;" in quotes, which Excel
// there splits into "x, =1+1 and ", a formula. Filled in and read back,
// each value is the one stored, a host "'=x" too, which was read as "=x".
func TestReadBackFormulas(t *testing.T) {
	iid := strings.Repeat("0123456", 9)
	cid := strings.Repeat("222222", 8)
	for _, host := range []string{"x;=1+1;", "x\t+1", "two\n-lines", "x;\"=1+1", "'=x", "''+1", "'", "x;'=1", "x;''@1", "x;;=1", "plain"} {
		t.Run(host, func(t *testing.T) {
			row := Row{Host: host, IID: iid, DeviceKey: "loc:s/" + host + "/a", ActivationID: host, CID: cid, State: CIDOnFile, Collected: collected}
			var b bytes.Buffer
			if err := WriteCSV(&b, []Row{row}); err != nil {
				t.Fatal(err)
			}
			for _, sep := range []string{",", ";"} {
				for _, piece := range strings.FieldsFunc(b.String(), func(r rune) bool { return strings.ContainsRune(sep+"\r\n", r) }) {
					// A quote opens a quoted field only where a field
					// starts; every line end is taken to end a row, which
					// is stricter than Excel at ','.
					if v := strings.TrimPrefix(piece, `"`); v != "" && strings.IndexByte("=+-@", v[0]) >= 0 {
						t.Errorf("split at %q, %q has the cell %q, a formula", sep, b.String(), piece)
					}
				}
			}
			back, rowErrs, _, _, err := Read(&b)
			if err != nil || len(rowErrs) != 0 || len(back) != 1 {
				t.Fatalf("read back: %d records, %v, %v", len(back), rowErrs, err)
			}
			if r := back[0]; r.Host != row.Host || r.DeviceKey != row.DeviceKey || r.ActivationID != row.ActivationID {
				t.Errorf("read back host %q, device key %q, activation ID %q, want %q, %q, %q", r.Host, r.DeviceKey, r.ActivationID, row.Host, row.DeviceKey, row.ActivationID)
			}
		})
	}
}

// TestReadSemicolons: the worklist filled in and saved by Excel where the
// list separator is ';' (German, French, Dutch Windows: "CSV" there means
// semicolons) is read as the same records, and so is records.csv saved
// so; before, its header was one column and the file was refused.
func TestReadSemicolons(t *testing.T) {
	rows := testRows()
	rows[0].CID = strings.Join(activation.Groups(strings.Repeat("987654", 8)), "-")
	rows[0].Host = "FA; line 3" // quoted as it holds the separator
	var b bytes.Buffer
	if err := WriteCSV(&b, rows); err != nil {
		t.Fatal(err)
	}
	want, _, wantBlank, wantKind, err := Read(bytes.NewReader(b.Bytes()))
	if err != nil || len(want) == 0 {
		t.Fatalf("%d records, %v", len(want), err)
	}
	records, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var saved bytes.Buffer
	saved.WriteString("\ufeff")
	w := csv.NewWriter(&saved)
	w.Comma, w.UseCRLF = ';', true
	w.WriteAll(records)
	got, rowErrs, blank, kind, err := Read(&saved)
	if err != nil || len(rowErrs) != 0 || kind != wantKind || blank != wantBlank || !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, kind %q, blank %d, %v, %v; want %+v, kind %q, blank %d", got, kind, blank, rowErrs, err, want, wantKind, wantBlank)
	}
}

// TestReadExcelNumbers: Excel opens the worklist's 63-digit IIDs as
// numbers and saves them as 1.23457E+62, and does the same to a CID
// typed as 48 digits in one: the digits are lost. The row says that this
// is what happened and how to keep them, not only that the ID is not
// digits.
func TestReadExcelNumbers(t *testing.T) {
	cid := strings.Repeat("987654", 8)
	iid := strings.Repeat("1234567", 9)
	for _, tc := range []struct {
		name, iid, cid string
		field          string // named in the row's error
		err            error
	}{
		{"IID", "1.23457E+62", cid, "InstallationId", activation.ErrIIDShape},
		{"IID, lower case", "1.23457e+62", cid, "InstallationId", activation.ErrIIDShape},
		{"CID", iid, "9.87654E+47", "ConfirmationId", activation.ErrCIDShape},
		{"CID without a fraction", iid, "9E+47", "ConfirmationId", activation.ErrCIDShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := "InstallationId,ConfirmationId\r\n" + tc.iid + "," + tc.cid + "\r\n"
			got, rowErrs, _, _, err := Read(strings.NewReader(in))
			if err != nil || len(got) != 0 || len(rowErrs) != 1 {
				t.Fatalf("%d records, %v, %v; want one row refused", len(got), rowErrs, err)
			}
			msg := rowErrs[0].Error()
			if !errors.Is(rowErrs[0], ErrRow) || !errors.Is(rowErrs[0], tc.err) || !strings.Contains(msg, tc.field) ||
				!strings.Contains(msg, "Excel") || !strings.Contains(msg, "as text") {
				t.Errorf("row error %q: want %s named as a number Excel made, and how to keep it as text", msg, tc.field)
			}
		})
	}
}
