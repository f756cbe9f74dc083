package worklist

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/internal/xlsxpart"
)

// workbook writes rows with WriteXLSX and opens the result as a person
// would in Excel (excelize).
func workbookOf(t testing.TB, rows []Row) *excelize.File {
	t.Helper()
	var b bytes.Buffer
	if err := WriteXLSX(&b, rows, "Nagoya L2"); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// saved is f as Excel saves it.
func saved(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// cellOf is the reference of the column named col in row (2 is the first
// after the header).
func cellOf(t testing.TB, col string, row int) string {
	t.Helper()
	for i, h := range Header {
		if h == col {
			ref, _ := excelize.CoordinatesToCellName(i+1, row)
			return ref
		}
	}
	t.Fatalf("no column %s", col)
	return ""
}

// TestWriteXLSX: the workbook has the CSV's columns and values, each
// cell a string in a column formatted as text, a bold frozen header
// with a filter; a value that looks like a formula is a string.
func TestWriteXLSX(t *testing.T) {
	rows := testRows()
	rows[1].Asset = "NG\u202e;011;=2" // shown as \u202e, as in the CSV
	f := workbookOf(t, rows)
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != SheetName {
		t.Fatalf("sheets %v, want [%s]", got, SheetName)
	}
	got, err := f.GetRows(SheetName)
	if err != nil || len(got) != len(rows)+1 {
		t.Fatalf("%d rows, %v", len(got), err)
	}
	if strings.Join(got[0], ",") != strings.Join(Header, ",") {
		t.Errorf("header %v", got[0])
	}
	for i, r := range rows {
		want := record(r)
		want[8], want[9] = r.Line, strings.ReplaceAll(r.Asset, "\u202e", `\u202e`)
		for j := range Header {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+2)
			v, _ := f.GetCellValue(SheetName, ref)
			if v != want[j] {
				t.Errorf("%s (%s): got %q, want %q", ref, Header[j], v, want[j])
			}
			typ, _ := f.GetCellType(SheetName, ref)
			if formula, _ := f.GetCellFormula(SheetName, ref); formula != "" || v != "" && typ != excelize.CellTypeInlineString {
				t.Errorf("%s: type %v, formula %q; want a string", ref, typ, formula)
			}
			style, _ := f.GetCellStyle(SheetName, ref)
			if s, err := f.GetStyle(style); err != nil || s.NumFmt != textFormat {
				t.Errorf("%s: number format %d, %v; want %d (text)", ref, s.NumFmt, err, textFormat)
			}
		}
	}
	if host, _ := f.GetCellValue(SheetName, "A4"); host != "=cmd|' /C calc'!A0" {
		t.Errorf("the formula-looking host is %q", host)
	}
	// Every column is text, for a CID typed below the rows too.
	for j := range Header {
		col, _ := excelize.ColumnNumberToName(j + 1)
		style, _ := f.GetColStyle(SheetName, col)
		if s, err := f.GetStyle(style); err != nil || s.NumFmt != textFormat {
			t.Errorf("column %s: number format %d, %v", col, s.NumFmt, err)
		}
		if w, _ := f.GetColWidth(SheetName, col); w < 6 {
			t.Errorf("column %s: width %v", col, w)
		}
	}
	style, _ := f.GetCellStyle(SheetName, "D1")
	if s, _ := f.GetStyle(style); s.Font == nil || !s.Font.Bold || s.NumFmt != textFormat {
		t.Errorf("header style %+v", s)
	}
	panes, err := f.GetPanes(SheetName)
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v, %v; want the header frozen", panes, err)
	}
	var filter []string
	for _, n := range f.GetDefinedName() {
		if n.Name == "_xlnm._FilterDatabase" {
			filter = append(filter, n.RefersTo)
		}
	}
	if len(filter) != 1 || filter[0] != "'Worklist'!$A$1:$T$5" {
		t.Errorf("filters %q, want one over A1:T5", filter)
	}
}

// writeXLSX is WriteXLSX of a worklist without a title.
func writeXLSX(w io.Writer, rows []Row) error { return WriteXLSX(w, rows, "") }

// TestWriteXLSXPrint: the worklist prints on A4 landscape at 100 % (one
// page wide, its 566 characters would print at about 26 %, 3 points),
// its header row on top of every page and its Host column on the left
// of every page across, a footer as the site workbook's (the report's
// checkFooter): on the left where the worklist is of (its title, the
// site and line; the fleet's, as its page names it, where none was
// given: the fleet's footer had an empty centre and no word of what it
// covers), in the centre what it is (the worklist, as its page names
// it), on the right the page of pages; a title's & is doubled (else &P
// in it would print a page number), a hidden character shown as in
// cells, a title too long for Excel's 255 characters cut. The workbook
// reads back as written.
func TestWriteXLSXPrint(t *testing.T) {
	const name = "Activation worklist / ライセンス認証の作業リスト"
	long := "Site & Co's " + strings.Repeat("工場", 150)
	for _, tc := range []struct {
		name, title, left string
	}{
		{"site and line", "Nagoya L2", "Nagoya L2"},
		{"no title", " ", "fleet / 全拠点"},
		{"hostile", "O'Brien & Sons &P&N && L\u202e1", "O'Brien && Sons &&P&&N &&&& L\\u202e1"},
		{"long", long, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rows := testRows()
			var b bytes.Buffer
			if err := WriteXLSX(&b, rows, tc.title); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			pl, err := f.GetPageLayout(SheetName)
			if err != nil || *pl.Size != 9 || *pl.Orientation != "landscape" || *pl.AdjustTo != 100 || pl.FitToWidth != nil {
				t.Errorf("page layout size %v, orientation %v, scale %v, fit to width %v, %v; want 9 (A4), landscape, 100, none",
					*pl.Size, *pl.Orientation, *pl.AdjustTo, pl.FitToWidth, err)
			}
			if props, err := f.GetSheetProps(SheetName); err != nil || props.FitToPage != nil && *props.FitToPage {
				t.Errorf("fitToPage %v, %v; want false", props.FitToPage, err)
			}
			var titles []string
			for _, n := range f.GetDefinedName() {
				if n.Name == "_xlnm.Print_Titles" && n.Scope == SheetName {
					titles = append(titles, n.RefersTo)
				}
			}
			if want := "'Worklist'!$A:$A,'Worklist'!$1:$1"; len(titles) != 1 || titles[0] != want {
				t.Errorf("print titles %q, want %q", titles, want)
			}
			hf, err := f.GetHeaderFooter(SheetName)
			if err != nil || hf == nil {
				t.Fatalf("header and footer %+v, %v", hf, err)
			}
			if n := len(utf16.Encode([]rune(hf.OddFooter))); n > 255 {
				t.Errorf("footer of %d UTF-16 units, Excel's most is 255", n)
			}
			left, rest, _ := strings.Cut(strings.TrimPrefix(hf.OddFooter, "&L"), "&C")
			centre, right, _ := strings.Cut(rest, "&R")
			if centre != name || right != "&P / &N" {
				t.Errorf("footer %q: centre %q, right %q; want %q and the page of pages", hf.OddFooter, centre, right, name)
			}
			if tc.name == "long" {
				if !strings.HasPrefix(long, strings.ReplaceAll(strings.TrimSuffix(left, "…"), "&&", "&")) || !strings.HasSuffix(left, "…") || len([]rune(left)) < 50 {
					t.Errorf("footer's left %q, want the title's first 50 characters or more, then …", left)
				}
			} else if left != tc.left {
				t.Errorf("footer's left %q, want %q", left, tc.left)
			}
			filled := 0 // the rows with a CID, which Read returns
			for _, r := range rows {
				if r.CID != "" {
					filled++
				}
			}
			recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(b.Bytes()))
			if err != nil || len(rowErrs) != 0 || len(recs) != filled || filled == 0 {
				t.Fatalf("read back: %d records of %d, %v, %v", len(recs), filled, rowErrs, err)
			}
			for _, r := range recs {
				if r.Hidden != "" {
					t.Errorf("row %d: hidden %q", r.Row, r.Hidden)
				}
			}
		})
	}
}

// TestWriteXLSXSameBytes: the same rows make the same workbook, byte for
// byte, run after run.
func TestWriteXLSXSameBytes(t *testing.T) {
	rows := testRows()
	var first []byte
	for i := 0; i < 5; i++ {
		var b bytes.Buffer
		if err := WriteXLSX(&b, rows, "Nagoya L2"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = b.Bytes()
			continue
		}
		if !bytes.Equal(b.Bytes(), first) {
			t.Fatalf("write %d differs from the first (%d bytes, %d)", i, b.Len(), len(first))
		}
	}
}

// BenchmarkWriteXLSX writes worklists of 1,000 and 100,000 rows. What a
// row costs is B/row, the bytes allocated a row beyond those of a
// worklist of no rows, and live-MB the most heap a write keeps, over the
// rows given: both should be the same for 1,000 rows and 100,000, a row
// being let go once it is written.
func BenchmarkWriteXLSX(b *testing.B) {
	base := testRows()
	for _, n := range []int{1000, 100000} {
		rows := make([]Row, n)
		for i := range rows {
			r := base[i%len(base)]
			r.Host, r.Asset = fmt.Sprintf("FA-NG-L2-%06d", i), fmt.Sprintf("NG-L2-%06d", i)
			r.DeviceKey = "loc:nagoya/l2/" + r.Asset
			rows[i] = r
		}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.ReportAllocs()
			none := allocated(b, func() {
				if err := WriteXLSX(io.Discard, nil, ""); err != nil {
					b.Fatal(err)
				}
			})
			b.ResetTimer()
			all := allocated(b, func() {
				for i := 0; i < b.N; i++ {
					if err := WriteXLSX(io.Discard, rows, ""); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.StopTimer()
			b.ReportMetric((float64(all)/float64(b.N)-float64(none))/float64(n), "B/row")
			w := &liveWriter{}
			start := liveHeap()
			if err := WriteXLSX(w, rows, ""); err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(float64(w.max-start)/(1<<20), "live-MB")
		})
	}
}

// allocated is the bytes f allocates.
func allocated(b *testing.B, f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// liveHeap is the heap in use once the garbage is collected (bytes).
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// liveWriter discards what is written to it, noting the heap in use
// after a collection (liveHeap) at its first write and every MiB on: the
// most of it is what the writer's writer keeps.
type liveWriter struct {
	written int
	max     uint64
}

func (w *liveWriter) Write(p []byte) (int, error) {
	if w.written%(1<<20)+len(p) >= 1<<20 || w.written == 0 {
		if h := liveHeap(); h > w.max {
			w.max = h
		}
	}
	w.written += len(p)
	return len(p), nil
}

// fill writes a CID into the ConfirmationId cell of row as a person
// does in Excel: typed into the text cell.
func fill(t testing.TB, f *excelize.File, row int, cid interface{}) {
	t.Helper()
	if err := f.SetCellValue(SheetName, cellOf(t, "ConfirmationId", row), cid); err != nil {
		t.Fatal(err)
	}
}

// TestReadXLSX: the workbook, its CIDs filled in as a person does in
// Excel (spaces or dashes between the groups, or none), reads back with
// the same records as the CSV so filled, each by its IID, with the row
// number Excel shows; Read tells a workbook by its content.
func TestReadXLSX(t *testing.T) {
	rows := testRows()
	f := workbookOf(t, rows)
	spaced := strings.Join(activation.Groups(strings.Repeat("987654", 8)), " ")
	fill(t, f, 2, spaced)
	dashed := strings.Join(activation.Groups(strings.Repeat("123123", 8)), "-")
	fill(t, f, 4, dashed) // the host that looks like a formula
	data := saved(t, f)

	rows[0].CID, rows[2].CID = spaced, dashed
	var csvFile bytes.Buffer
	WriteCSV(&csvFile, rows)
	want, _, wantBlank, wantKind, err := Read(&csvFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, read := range []func(io.Reader) ([]Record, []error, int, string, error){Read, ReadXLSX} {
		got, rowErrs, blank, kind, err := read(bytes.NewReader(data))
		if err != nil || len(rowErrs) != 0 || kind != wantKind || blank != wantBlank || len(got) != len(want) {
			t.Fatalf("%d records, %v, blank %d, kind %q, %v; want %d, blank %d, kind %q", len(got), rowErrs, blank, kind, err, len(want), wantBlank, wantKind)
		}
		// The rows Excel shows, one more than the CSV's, which count
		// from the first after the header.
		for i := range got {
			w := want[i]
			if w.Row++; got[i] != w {
				t.Errorf("record %d: got %+v, want %+v", i, got[i], w)
			}
		}
	}
	if got, _, _, _, _ := Read(bytes.NewReader(data)); got[0].IID != rows[0].IID || got[0].CID != strings.Repeat("987654", 8) ||
		got[2].Host != "=cmd|' /C calc'!A0" || got[2].CID != strings.Repeat("123123", 8) || got[2].Row != 4 {
		t.Errorf("records %+v", got)
	}
}

// TestReadXLSXHidden: the worklist, filled in, its rows and columns
// hidden as excelize (and Excel) saves them: a record of a row hidden,
// filtered out or grouped and collapsed, or whose ConfirmationId column
// is, says so; one hidden column that is not the pair's, and the rows
// shown, do not.
func TestReadXLSXHidden(t *testing.T) {
	cid := strings.Repeat("987654", 8)
	for _, tc := range []struct {
		name string
		hide func(f *excelize.File) error
		want []string // each record's Hidden, rows 2 to 4
	}{
		{"a row hidden", func(f *excelize.File) error { return f.SetRowVisible(SheetName, 3, false) }, []string{"", rowHidden, ""}},
		{"a row of no height", func(f *excelize.File) error { return f.SetRowHeight(SheetName, 4, 0) }, []string{"", "", rowFlat}},
		{"ConfirmationId hidden", func(f *excelize.File) error {
			col, _ := excelize.ColumnNumberToName(4)
			return f.SetColVisible(SheetName, col, false)
		}, []string{"column D (ConfirmationId) is hidden in Excel", "column D (ConfirmationId) is hidden in Excel", "column D (ConfirmationId) is hidden in Excel"}},
		{"Site and Line hidden", func(f *excelize.File) error { return f.SetColVisible(SheetName, "H:I", false) }, []string{"", "", ""}},
		{"rows 3 and 4 grouped", func(f *excelize.File) error {
			for n := 3; n <= 4; n++ {
				if err := f.SetRowOutlineLevel(SheetName, n, 1); err != nil {
					return err
				}
			}
			return nil
		}, []string{"", "", ""}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := workbookOf(t, testRows()[:3])
			for n := 2; n <= 4; n++ {
				fill(t, f, n, cid)
			}
			if err := tc.hide(f); err != nil {
				t.Fatal(err)
			}
			recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(saved(t, f)))
			if err != nil || len(rowErrs) != 0 || len(recs) != 3 {
				t.Fatalf("%d records, %v, %v", len(recs), rowErrs, err)
			}
			for i, r := range recs {
				if r.Hidden != tc.want[i] {
					t.Errorf("row %d: hidden %q, want %q", r.Row, r.Hidden, tc.want[i])
				}
			}
		})
	}
}

// TestReadXLSXStyled: the worklist, filled in, a CID's cell formatted
// in Excel (excelize) so that it shows nothing of the CID, a number
// format of empty sections or a font of the colour behind it, says so
// in its record's Hidden; the worklist as written, and formatting that
// shows the CID (hidden protection hides a formula only), do not.
func TestReadXLSXStyled(t *testing.T) {
	cid := strings.Repeat("987654", 8)
	white, lt1 := excelize.Font{Color: "FFFFFF"}, 0
	hides, one := ";;;", `"1"@`
	tiny, small := excelize.Font{Size: 1}, excelize.Font{Size: 8}
	// cf gives D3 a conditional format of the style given.
	cf := func(style *excelize.Style) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			dxf, err := f.NewConditionalStyle(style)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetConditionalFormat(SheetName, "D3", []excelize.ConditionalFormatOptions{{Type: "cell", Criteria: "!=", Value: `"x"`, Format: &dxf}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// whiteWhere gives the cells of sqref a conditional white font where
	// the rule given holds, as Excel writes it (excelize writes Excel's
	// formula for each kind).
	whiteWhere := func(sqref string, rule excelize.ConditionalFormatOptions) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			dxf, err := f.NewConditionalStyle(&excelize.Style{Font: &white})
			if err != nil {
				t.Fatal(err)
			}
			rule.Format = &dxf
			if err := f.SetConditionalFormat(SheetName, sqref, []excelize.ConditionalFormatOptions{rule}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// formula makes D3 a formula that computes another CID, cid its
	// value saved: excelize keeps a cell's value as it sets a formula,
	// and drops the formula as it sets a value.
	formula := func(t *testing.T, f *excelize.File) {
		if err := f.SetCellDefault(SheetName, "D3", cid); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellFormula(SheetName, "D3", `"`+strings.Repeat("111111", 8)+`"`); err != nil {
			t.Fatal(err)
		}
		if v, _ := f.GetCellValue(SheetName, "D3", excelize.Options{RawCellValue: true}); v != cid {
			t.Fatalf("D3 holds %q, want %s", v, cid)
		}
	}
	sheet := "A1:XFD1048576"
	// rich makes D3 a rich text of the runs given.
	rich := func(runs ...excelize.RichTextRun) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			if err := f.SetCellRichText(SheetName, "D3", runs); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name  string
		style *excelize.Style // row 3's ConfirmationId cell's; nil: as written
		set   func(t *testing.T, f *excelize.File)
		want  string // in row 3's Hidden
	}{
		{"as written", nil, nil, ""},
		{"format ;;;", &excelize.Style{CustomNumFmt: &hides}, nil, `number format ";;;"`},
		{"white font", &excelize.Style{NumFmt: textFormat, Font: &white}, nil, "font colour FFFFFF"},
		{"white font on white", &excelize.Style{NumFmt: textFormat, Font: &white, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFFFFF"}}}, nil, "font colour FFFFFF"},
		{"white font on grey", &excelize.Style{NumFmt: textFormat, Font: &white, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"808080"}}}, nil, ""},
		{"Background 1 font", &excelize.Style{NumFmt: textFormat, Font: &excelize.Font{ColorTheme: &lt1}}, nil, "font colour FFFFFF"},
		{"hidden protection", &excelize.Style{NumFmt: textFormat, Protection: &excelize.Protection{Hidden: true, Locked: true}}, nil, ""},
		{"a font of 1 point", &excelize.Style{NumFmt: textFormat, Font: &tiny}, nil, "font of 1 point"},
		{"a font of 8 points", &excelize.Style{NumFmt: textFormat, Font: &small}, nil, ""},
		{"a white run", nil, rich(excelize.RichTextRun{Text: cid[:24]}, excelize.RichTextRun{Text: cid[24:], Font: &white}), "font colour FFFFFF"},
		{"a run of 1 point", nil, rich(excelize.RichTextRun{Text: cid[:24]}, excelize.RichTextRun{Text: cid[24:], Font: &tiny}), "font of 1 point"},
		{"a font of 1 point, runs of 8", &excelize.Style{NumFmt: textFormat, Font: &tiny}, rich(excelize.RichTextRun{Text: cid[:24], Font: &small}, excelize.RichTextRun{Text: cid[24:], Font: &small}), ""},
		{"a font of 1 point, a run of 8", &excelize.Style{NumFmt: textFormat, Font: &tiny}, rich(excelize.RichTextRun{Text: cid[:24], Font: &small}, excelize.RichTextRun{Text: cid[24:]}), "font of 1 point"},
		{"runs readable", nil, rich(excelize.RichTextRun{Text: cid[:24], Font: &small}, excelize.RichTextRun{Text: cid[24:], Font: &excelize.Font{Color: "FF0000"}}), ""},
		// A formula shows what it computes, the value saved with it only
		// until Excel computes it again; a number format may show other
		// digits than the cell's.
		{"a formula, another CID cached", nil, formula, "holds a formula"},
		{"format \"1\"@", &excelize.Style{CustomNumFmt: &one}, nil, `number format "\"1\"@" shows`},
		{"a conditional white font", nil, cf(&excelize.Style{Font: &white}), "conditional format"},
		{"a conditional black fill", nil, cf(&excelize.Style{Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"000000"}}}), "conditional format"},
		{"a conditional format ;;;", nil, cf(&excelize.Style{CustomNumFmt: &hides}), "conditional format"},
		{"a conditional bold font", nil, cf(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FF0000"}}), ""},
		// Rules whose outcome for a text of digits is certain without
		// evaluating a formula: those that cannot hold for it give it
		// nothing; the others are taken as holding.
		{"errors painted white over the sheet", nil, whiteWhere(sheet, excelize.ConditionalFormatOptions{Type: "errors"}), ""},
		{"zero values painted white over the sheet", nil, whiteWhere(sheet, excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Value: "0"}), ""},
		{"values under 0 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "cell", Criteria: "<", Value: "0"}), ""},
		{"values between 0 and 9 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "cell", Criteria: "between", MinValue: "0", MaxValue: "9"}), ""},
		{"values over 0 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "cell", Criteria: ">", Value: "0"}), "conditional format"},
		{"values not 0 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "cell", Criteria: "!=", Value: "0"}), "conditional format"},
		{"a value equal to a text painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Value: `"x"`}), "conditional format"},
		{"a value equal to a cell painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "cell", Criteria: "==", Value: "$E$1"}), "conditional format"},
		{"blanks painted white", nil, whiteWhere(sheet, excelize.ConditionalFormatOptions{Type: "blanks"}), ""},
		{"no blanks painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "no_blanks"}), "conditional format"},
		{"no errors painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "no_errors"}), "conditional format"},
		{"the top 10 painted white", nil, whiteWhere("D:D", excelize.ConditionalFormatOptions{Type: "top", Criteria: "=", Value: "10"}), ""},
		{"values above average painted white", nil, whiteWhere("D:D", excelize.ConditionalFormatOptions{Type: "average", Criteria: "=", AboveAverage: true}), ""},
		{"today's dates painted white", nil, whiteWhere("D:D", excelize.ConditionalFormatOptions{Type: "time_period", Criteria: "today"}), ""},
		{"yesterday's dates painted white", nil, whiteWhere("D:D", excelize.ConditionalFormatOptions{Type: "time_period", Criteria: "yesterday"}), ""},
		{"duplicates painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "duplicate", Criteria: "="}), "conditional format"},
		{"a formula's cells painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "formula", Criteria: "ISERROR(D3)"}), "conditional format"},
		{"texts holding 1 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: "1"}), ""},
		{"texts holding 65 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: "65"}), "conditional format"},
		{"texts holding Error painted white", nil, whiteWhere(sheet, excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: "Error"}), ""},
		{"texts holding 済 painted white", nil, whiteWhere(sheet, excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: "済"}), ""},
		{"texts holding 6? painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: "6?"}), "conditional format"},
		{"texts holding ０ painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "containing", Value: "０"}), "conditional format"},
		{"texts without 9 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "not containing", Value: "9"}), ""},
		{"texts without x painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "not containing", Value: "x"}), "conditional format"},
		{"texts beginning 98 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "begins with", Value: "98"}), "conditional format"},
		{"texts beginning 87 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "begins with", Value: "87"}), ""},
		{"texts ending 54 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "ends with", Value: "54"}), "conditional format"},
		{"texts ending 45 painted white", nil, whiteWhere("D3", excelize.ConditionalFormatOptions{Type: "text", Criteria: "ends with", Value: "45"}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := workbookOf(t, testRows()[:3])
			for n := 2; n <= 4; n++ {
				fill(t, f, n, cid)
			}
			if tc.set != nil {
				tc.set(t, f)
			}
			if tc.style != nil {
				s, err := f.NewStyle(tc.style)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellStyle(SheetName, "D3", "D3", s); err != nil {
					t.Fatal(err)
				}
			}
			recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(saved(t, f)))
			if err != nil || len(rowErrs) != 0 || len(recs) != 3 {
				t.Fatalf("%d records, %v, %v", len(recs), rowErrs, err)
			}
			for i, r := range recs {
				want := ""
				if i == 1 {
					want = tc.want
				}
				if (want == "") != (r.Hidden == "") || !strings.Contains(r.Hidden, want) {
					t.Errorf("row %d: hidden %q, want %q", r.Row, r.Hidden, want)
				}
			}
			if tc.want != "" && !strings.Contains(recs[1].Hidden, "cell D3 (ConfirmationId)") {
				t.Errorf("hidden %q does not name the cell", recs[1].Hidden)
			}
			// A rule taken as holding (a formula, duplicates, a value
			// against a text) says what to do as the others do.
			if tc.want == "conditional format" && !strings.Contains(recs[1].Hidden, "clear the conditional formats of the ID columns in Excel (Home, Conditional Formatting, Clear Rules)") {
				t.Errorf("hidden %q does not say what to do", recs[1].Hidden)
			}
		})
	}
}

// TestReadXLSXDrawn: the worklist, filled in, row 3's CID drawn too
// small to read by its alignment (shrunk to fit a narrow column), its
// indent (pushed out of its column), its font's superscript or
// subscript, the sheet's zoom, or shown other than it holds (repeated
// by the Fill alignment, its groups reversed by a right-to-left reading
// order), says so in its record's Hidden; what Excel shows readably
// (a zoom of 85 % or 200 %, an indent that fits, a superscript of 11
// points, shrink to fit in the CID's own wide column) does not.
func TestReadXLSXDrawn(t *testing.T) {
	cid := strings.Repeat("987654", 8)
	spaced := strings.Join(activation.Groups(cid), " ")
	zoom := func(z float64) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			if err := f.SetSheetView(SheetName, 0, &excelize.ViewOptions{ZoomScale: &z}); err != nil {
				t.Fatal(err)
			}
		}
	}
	view := func(v string) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			if err := f.SetSheetView(SheetName, 0, &excelize.ViewOptions{View: &v}); err != nil {
				t.Fatal(err)
			}
		}
	}
	width := func(w float64) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			if err := f.SetColWidth(SheetName, "D", "D", w); err != nil {
				t.Fatal(err)
			}
		}
	}
	rich := func(runs ...excelize.RichTextRun) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) {
			if err := f.SetCellRichText(SheetName, "D3", runs); err != nil {
				t.Fatal(err)
			}
		}
	}
	both := func(a, b func(t *testing.T, f *excelize.File)) func(t *testing.T, f *excelize.File) {
		return func(t *testing.T, f *excelize.File) { a(t, f); b(t, f) }
	}
	groups := func(t *testing.T, f *excelize.File) { fill(t, f, 3, spaced) }
	size := func(pt float64, script string) *excelize.Font { return &excelize.Font{Size: pt, VertAlign: script} }
	for _, tc := range []struct {
		name  string
		style *excelize.Style // row 3's ConfirmationId cell's; nil: as written
		set   func(t *testing.T, f *excelize.File)
		want  string // in row 3's Hidden
	}{
		{"as written", nil, nil, ""},
		{"a zoom of 10 %", nil, zoom(10), "zoom of 10 %"},
		{"a zoom of 50 %", nil, zoom(50), "zoom of 50 %"},
		{"a zoom of 85 %", nil, zoom(85), ""},
		{"a zoom of 200 %", nil, zoom(200), ""},
		{"a font of 8 points at 60 %", &excelize.Style{NumFmt: textFormat, Font: size(8, "")}, zoom(60), "zoom of 60 %"},
		{"a font of 8 points at 85 %", &excelize.Style{NumFmt: textFormat, Font: size(8, "")}, zoom(85), ""},
		{"a zoom of 10 % in Page Layout view", nil, both(view("pageLayout"), zoom(10)), "in Page Layout view set the zoom to 100 %"},
		{"a zoom of 50 % in Page Break Preview", nil, both(view("pageBreakPreview"), zoom(50)), "in Page Break Preview set the zoom to 100 %"},
		{"a zoom of 85 % in Page Layout view", nil, both(view("pageLayout"), zoom(85)), ""},
		{"a font of 9 points in Page Break Preview at 60 %", &excelize.Style{NumFmt: textFormat, Font: size(9, "")}, both(view("pageBreakPreview"), zoom(60)),
			"drawn in 5.4 points at the sheet's zoom of 60 % in Page Break Preview"},
		{"shrink to fit a column of 5", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ShrinkToFit: true}}, width(5), "Shrink to fit"},
		{"shrink to fit a column of 30", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ShrinkToFit: true}}, width(30), ""},
		{"shrink to fit a column of 30 at 85 %", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ShrinkToFit: true}}, both(width(30), zoom(85)), "Shrink to fit"},
		{"shrink to fit its own column", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ShrinkToFit: true}}, nil, ""},
		{"shrink to fit, wrapped", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ShrinkToFit: true, WrapText: true}}, width(5), ""},
		{"an indent of 250", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Horizontal: "left", Indent: 250}}, nil, "indent of 250"},
		{"an indent of 5 in a column of 6", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Horizontal: "right", Indent: 5}}, width(6), "indent of 5"},
		{"an indent of 2", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Horizontal: "left", Indent: 2}}, nil, ""},
		{"an indent of 2, shrunk to fit", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Horizontal: "left", Indent: 2, ShrinkToFit: true}}, nil, ""},
		{"a superscript run of 8 points", nil, rich(excelize.RichTextRun{Text: cid[:24]}, excelize.RichTextRun{Text: cid[24:], Font: size(8, "superscript")}), "superscript"},
		{"a superscript run in a cell of 8 points", &excelize.Style{NumFmt: textFormat, Font: size(8, "")},
			rich(excelize.RichTextRun{Text: cid[:24]}, excelize.RichTextRun{Text: cid[24:], Font: &excelize.Font{VertAlign: "superscript"}}), "superscript"},
		{"a superscript run of 14 points", nil, rich(excelize.RichTextRun{Text: cid[:24]}, excelize.RichTextRun{Text: cid[24:], Font: size(14, "superscript")}), ""},
		{"the Fill alignment", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Horizontal: "fill"}}, nil, "Fill"},
		{"groups right to left", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ReadingOrder: 2}}, groups, "right-to-left"},
		{"digits right to left", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ReadingOrder: 2}}, nil, ""},
		{"groups left to right", &excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{ReadingOrder: 1}}, groups, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := workbookOf(t, testRows()[:3])
			for n := 2; n <= 4; n++ {
				fill(t, f, n, cid)
			}
			if tc.set != nil {
				tc.set(t, f)
			}
			if tc.style != nil {
				s, err := f.NewStyle(tc.style)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellStyle(SheetName, "D3", "D3", s); err != nil {
					t.Fatal(err)
				}
			}
			recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(saved(t, f)))
			if err != nil || len(rowErrs) != 0 || len(recs) != 3 {
				t.Fatalf("%d records, %v, %v", len(recs), rowErrs, err)
			}
			for i, r := range recs {
				want := ""
				if i == 1 || strings.HasPrefix(tc.name, "a zoom") {
					want = tc.want
				}
				if (want == "") != (r.Hidden == "") || !strings.Contains(r.Hidden, want) {
					t.Errorf("row %d: hidden %q, want %q", r.Row, r.Hidden, want)
				}
			}
			// A zoom draws the IID, checked first, too small too.
			if cell := "cell D3 (ConfirmationId)"; tc.want != "" && strings.HasPrefix(tc.name, "a zoom") && !strings.Contains(recs[1].Hidden, "cell B3 (InstallationId)") ||
				!strings.HasPrefix(tc.name, "a zoom") && tc.want != "" && !strings.Contains(recs[1].Hidden, cell) {
				t.Errorf("hidden %q does not name the cell", recs[1].Hidden)
			}
		})
	}
}

// TestReadXLSXDefaultStyles: a workbook written by excelize with its
// default styles, the IDs in columns of Excel's default width (the IID
// shown cut by the CID beside it, as Excel shows it), is read without
// a record hidden: only what makes an ID unreadable is refused.
func TestReadXLSXDefaultStyles(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	iid, cid := strings.Repeat("1234567", 9), strings.Repeat("222222", 8)
	for i, row := range [][]interface{}{{"InstallationId", "ConfirmationId", "Note"}, {iid, cid, "a"}, {iid, strings.Join(activation.Groups(cid), "-"), "b"}} {
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(i+1), &row); err != nil {
			t.Fatal(err)
		}
	}
	recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(saved(t, f)))
	if err != nil || len(rowErrs) != 0 || len(recs) != 2 {
		t.Fatalf("%d records, %v, %v", len(recs), rowErrs, err)
	}
	for _, r := range recs {
		if r.Hidden != "" {
			t.Errorf("row %d: hidden %q", r.Row, r.Hidden)
		}
	}
}

// TestReadXLSXMerged: a cell under a merged cell that is not its first
// (top left) is not shown: Excel shows the first cell's value across
// the merge, and the others' values, which a file may hold, stay
// unseen. A pair whose InstallationId or ConfirmationId is such a cell
// says so (Record.Hidden); merges that overlap on a record, which Excel
// does not save, are ErrNotWorkbook.
func TestReadXLSXMerged(t *testing.T) {
	iid, cid := strings.Repeat("1234567", 9), strings.Repeat("222222", 8)
	rows := inline(1, "InstallationId", "ConfirmationId", "Note") + inline(2, iid, cid, "a") + inline(3, iid, cid, "b") + inline(4, iid, cid, "c")
	const underCID, underIID = "column B (ConfirmationId) is under a merged cell in Excel", "column A (InstallationId) is under a merged cell in Excel"
	for _, tc := range []struct {
		name   string
		merges []string
		want   []string // rows 2 to 4
		err    error
		before bool // the merges before the rows
	}{
		{"none", nil, []string{"", "", ""}, nil, false},
		{"IID over CID", []string{"A3:B3"}, []string{"", underCID, ""}, nil, false},
		{"CID over CID", []string{"B2:B3"}, []string{"", underCID, ""}, nil, false},
		{"IID over IID", []string{"A3:A4"}, []string{"", "", underIID}, nil, false},
		{"the CID first", []string{"B3:C3"}, []string{"", "", ""}, nil, false},
		{"another column", []string{"C2:C4"}, []string{"", "", ""}, nil, false},
		{"over the header", []string{"B1:B2"}, []string{underCID, "", ""}, nil, false},
		{"two", []string{"A2:B2", "A4:A4"}, []string{underCID, "", ""}, nil, false},
		{"overlapping", []string{"B2:B4", "A3:B3"}, nil, ErrNotWorkbook, false},
		{"not a range", []string{"B2"}, nil, ErrNotWorkbook, false},
		{"before the rows", []string{"A3:B3"}, nil, ErrNotWorkbook, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			merges := ""
			for _, m := range tc.merges {
				merges += `<mergeCell ref="` + m + `"/>`
			}
			if merges != "" {
				merges = `<mergeCells count="` + strconv.Itoa(len(tc.merges)) + `">` + merges + `</mergeCells>`
			}
			sheet := `<sheetData>` + rows + `</sheetData>` + merges
			if tc.before {
				sheet = merges + `<sheetData>` + rows + `</sheetData>`
			}
			data := zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, part{"xl/_rels/workbook.xml.rels", relsXML},
				part{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + sheet + `</worksheet>`})
			recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(data))
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("got %v, want %v", err, tc.err)
				}
				return
			}
			if err != nil || len(rowErrs) != 0 || len(recs) != 3 {
				t.Fatalf("%d records, %v, %v", len(recs), rowErrs, err)
			}
			for i, r := range recs {
				if r.Hidden != tc.want[i] {
					t.Errorf("row %d: hidden %q, want %q", r.Row, r.Hidden, tc.want[i])
				}
			}
		})
	}
}

// TestReadXLSXNumbers: a cell Excel holds as a number in an ID column
// lost the ID's digits (a CID typed in one piece into a General cell is
// 9.87655E+47) and is refused saying so and how to keep them; only a
// number of 15 digits or fewer, which Excel keeps whole, is taken.
func TestReadXLSXNumbers(t *testing.T) {
	for _, tc := range []struct {
		name   string
		set    func(t *testing.T, f *excelize.File)
		iid    string // the record's, when it is taken
		column string // named in the row's error, when refused
		err    error
	}{
		{"CID typed in one piece", func(t *testing.T, f *excelize.File) { fill(t, f, 2, 9.87654987654988e47) }, "", "ConfirmationId", activation.ErrCIDShape},
		{"IID made a number", func(t *testing.T, f *excelize.File) {
			fill(t, f, 2, strings.Repeat("987654", 8))
			f.SetCellValue(SheetName, cellOf(t, "InstallationId", 2), 1.234567123456712e62)
		}, "", "InstallationId", activation.ErrIIDShape},
		{"IID a number of all 63 digits", func(t *testing.T, f *excelize.File) {
			fill(t, f, 2, strings.Repeat("987654", 8))
			f.SetCellDefault(SheetName, cellOf(t, "InstallationId", 2), strings.Repeat("1234567", 9))
		}, "", "InstallationId", activation.ErrIIDShape},
		{"IID a number Excel keeps", func(t *testing.T, f *excelize.File) {
			fill(t, f, 2, strings.Repeat("987654", 8))
			f.SetCellValue(SheetName, cellOf(t, "InstallationId", 2), 123456789012345)
		}, "123456789012345", "", nil},
		{"Excel's number as text", func(t *testing.T, f *excelize.File) { fill(t, f, 2, "9.87655E+47") }, "", "ConfirmationId", activation.ErrCIDShape},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := workbookOf(t, testRows()[:1])
			tc.set(t, f)
			got, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(saved(t, f)))
			if err != nil {
				t.Fatal(err)
			}
			if tc.err == nil {
				if len(got) != 1 || len(rowErrs) != 0 || got[0].IID != tc.iid {
					t.Errorf("%+v, %v; want IID %s", got, rowErrs, tc.iid)
				}
				return
			}
			if len(got) != 0 || len(rowErrs) != 1 {
				t.Fatalf("%d records, %v; want the row refused", len(got), rowErrs)
			}
			var re *RowError
			msg := rowErrs[0].Error()
			if !errors.As(rowErrs[0], &re) || re.Row != 2 || !errors.Is(rowErrs[0], ErrRow) || !errors.Is(rowErrs[0], tc.err) ||
				!strings.Contains(msg, tc.column) || !strings.Contains(msg, "Excel made") || !strings.Contains(msg, "as text") {
				t.Errorf("row error %q: want row 2, %s named as a number Excel made, and how to keep it as text", msg, tc.column)
			}
			if tc.name == "CID typed in one piece" && !strings.Contains(msg, "9.87655E+47") {
				t.Errorf("%q does not show the number as Excel does", msg)
			}
		})
	}
}

// TestXLSXFormulas: a value that a spreadsheet would run as a formula
// (=, +, -, @ first) is a string cell, never a formula, and reads back
// as it was, as do Excel's escapes (_x000D_) and characters XML cannot
// hold.
func TestXLSXFormulas(t *testing.T) {
	iid := strings.Repeat("0123456", 9)
	cid := strings.Repeat("222222", 8)
	for _, host := range []string{"=1+1", "+1", "-1", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "'=x", "a_x0041_b", "_x005F_x0041_", "bell\x07", "tab\tin", "_x0041\x07"} {
		t.Run(host, func(t *testing.T) {
			row := Row{Host: host, IID: iid, CID: cid, DeviceKey: "loc:s/" + host, ActivationID: host, State: CIDOnFile, Collected: collected}
			var b bytes.Buffer
			if err := WriteXLSX(&b, []Row{row}, ""); err != nil {
				t.Fatal(err)
			}
			zr, _ := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
			for _, part := range zr.File {
				rc, _ := part.Open()
				xml, _ := io.ReadAll(rc)
				rc.Close()
				if bytes.Contains(xml, []byte("<f>")) || bytes.Contains(xml, []byte("<f ")) {
					t.Errorf("%s holds a formula", part.Name)
				}
			}
			f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			if typ, _ := f.GetCellType(SheetName, "A2"); typ != excelize.CellTypeInlineString {
				t.Errorf("type %v, want an inline string", typ)
			}
			back, rowErrs, _, _, err := ReadXLSX(&b)
			if err != nil || len(rowErrs) != 0 || len(back) != 1 {
				t.Fatalf("%d records, %v, %v", len(back), rowErrs, err)
			}
			if r := back[0]; r.Host != host || r.DeviceKey != row.DeviceKey || r.ActivationID != host {
				t.Errorf("read back %q, %q, %q; want %q", r.Host, r.DeviceKey, r.ActivationID, host)
			}
		})
	}
}

// part is a member of a zip built by zipOf.
type part struct{ name, data string }

func zipOf(t testing.TB, parts ...part) []byte {
	t.Helper()
	return zipWith(t, zip.Deflate, parts...)
}

// zipWith is zipOf with its members stored by method (zip.Store: not
// compressed).
func zipWith(t testing.TB, method uint16, parts ...part) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: method})
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, p.data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const (
	bookXML = `<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>%s</sheets></workbook>`
	relsXML = `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
	sheetXML = `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>%s</sheetData></worksheet>`
	oneSheet = `<sheet name="Worklist" sheetId="1" r:id="rId1"/>`
)

// book is a workbook of one sheet with the rows given (sheetData's
// XML), and shared strings.
func book(t testing.TB, rows, sst string, more ...part) []byte {
	parts := []part{{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, {"xl/_rels/workbook.xml.rels", relsXML},
		{"xl/worksheets/sheet1.xml", fmt.Sprintf(sheetXML, rows)}, {"xl/sharedStrings.xml", `<sst>` + sst + `</sst>`}}
	return zipOf(t, append(parts, more...)...)
}

// target is a workbook whose sheet's relationship targets to.
func target(t testing.TB, to string) []byte {
	return zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)},
		part{"xl/_rels/workbook.xml.rels", strings.Replace(relsXML, `Target="worksheets/sheet1.xml"`, `Target="`+to+`"`, 1)},
		part{"xl/worksheets/sheet1.xml", fmt.Sprintf(sheetXML, inline(1, "InstallationId", "ConfirmationId")+
			inline(2, strings.Repeat("1234567", 9), strings.Repeat("222222", 8)))})
}

// lying is a workbook whose sheet is sheet, compressed, its zip entry
// claiming 100 bytes unpacked.
func lying(t testing.TB, sheet string) []byte {
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestSpeed)
	io.WriteString(fw, sheet)
	fw.Close()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range []part{{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, {"xl/_rels/workbook.xml.rels", relsXML}} {
		w, _ := zw.Create(p.name)
		io.WriteString(w, p.data)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE([]byte(sheet)),
		CompressedSize64: uint64(packed.Len()), UncompressedSize64: 100})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// inline is a row of inline strings.
func inline(n int, values ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<row r="%d">`, n)
	for _, v := range values {
		fmt.Fprintf(&b, `<c t="inlineStr"><is><t>%s</t></is></c>`, v)
	}
	return b.String() + "</row>"
}

// sheetOf is a workbook of one sheet whose XML is pre (what Excel writes
// before the rows: sheetPr, sheetFormatPr, cols), then the rows given.
func sheetOf(t testing.TB, pre, rows string) []byte {
	return zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, part{"xl/_rels/workbook.xml.rels", relsXML},
		part{"xl/worksheets/sheet1.xml", `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + pre +
			`<sheetData>` + rows + `</sheetData></worksheet>`})
}

// with is the row XML given with attributes added to its row element.
func with(row, attrs string) string {
	return strings.Replace(row, `">`, `" `+attrs+`>`, 1)
}

// officeColours is the colour scheme of Office's theme, as excelize
// writes it.
const officeColours = `<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" lastClr="FFFFFF"/></a:lt1>` +
	`<a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2><a:accent1><a:srgbClr val="5B9BD5"/></a:accent1>` +
	`<a:accent2><a:srgbClr val="ED7D31"/></a:accent2><a:accent3><a:srgbClr val="A5A5A5"/></a:accent3><a:accent4><a:srgbClr val="FFC000"/></a:accent4>` +
	`<a:accent5><a:srgbClr val="4472C4"/></a:accent5><a:accent6><a:srgbClr val="70AD47"/></a:accent6><a:hlink><a:srgbClr val="0563C1"/></a:hlink>` +
	`<a:folHlink><a:srgbClr val="954F72"/></a:folHlink>`

// styled is a workbook of one sheet with the rows given and the styles
// part given (styles.xml's content inside styleSheet, "" for none), and
// a theme part when theme (the a:clrScheme's content) is not "".
func styled(t testing.TB, styles, theme, rows string) []byte {
	return styledSheet(t, styles, theme, "", rows)
}

// styledSheet is styled with the sheet's XML before its rows given
// (pre: sheetViews, sheetFormatPr, cols).
func styledSheet(t testing.TB, styles, theme, pre, rows string) []byte {
	rels := strings.Replace(relsXML, "</Relationships>", `<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`+
		`<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>`, 1)
	parts := []part{{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, {"xl/_rels/workbook.xml.rels", rels},
		{"xl/worksheets/sheet1.xml", strings.Replace(fmt.Sprintf(sheetXML, rows), "<sheetData>", pre+"<sheetData>", 1)}}
	if styles != "" {
		parts = append(parts, part{"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">` + styles + `</styleSheet>`})
	}
	if theme != "" {
		parts = append(parts, part{"xl/theme/theme1.xml", `<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office"><a:themeElements>` +
			`<a:clrScheme name="Office">` + theme + `</a:clrScheme></a:themeElements></a:theme>`})
	}
	return zipOf(t, parts...)
}

// xfs is a styles part whose cell format 1 has the number format code
// given (as format 164, "" for General), the font (its XML inside
// font) and the fill (inside fill); format 0 is Excel's default.
func xfs(code, font, fill string) string {
	numFmt, id := "", "0"
	if code != "" {
		numFmt, id = `<numFmts count="1"><numFmt numFmtId="164" formatCode="`+code+`"/></numFmts>`, "164"
	}
	return numFmt + `<fonts count="2"><font><sz val="11"/><color theme="1"/><name val="Calibri"/></font><font>` + font + `</font></fonts>` +
		`<fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill>` + fill + `</fill></fills>` +
		`<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" xfId="0"/><xf numFmtId="` + id + `" fontId="1" fillId="2" xfId="0"/></cellXfs>`
}

// run is a rich text's run of the properties (rPr's content, "" for
// none) and the text given.
func run(rPr, text string) string {
	if rPr != "" {
		rPr = "<rPr>" + rPr + "</rPr>"
	}
	return "<r>" + rPr + "<t xml:space=\"preserve\">" + text + "</t></r>"
}

// dxfs is a styles part's differential formats, those given.
func dxfs(dxf ...string) string {
	return fmt.Sprintf(`<dxfs count="%d"><dxf>`, len(dxf)) + strings.Join(dxf, "</dxf><dxf>") + "</dxf></dxfs>"
}

// cfOver is a conditional format over sqref of an expression rule of
// the dxf given, after the rows given before it (in sheetXML).
func cfOver(sqref string, dxf int) string {
	return fmt.Sprintf(`</sheetData><conditionalFormatting sqref="%s"><cfRule type="expression" dxfId="%d" priority="1"><formula>TRUE</formula></cfRule></conditionalFormatting><sheetData>`, sqref, dxf)
}

// cfRuleOver is a conditional format over sqref of a rule of dxf 0, its
// attributes and its formulas (the formula elements' text) given, after
// the rows given before it (in sheetXML).
func cfRuleOver(sqref, attrs string, formulas ...string) string {
	f := ""
	for _, v := range formulas {
		f += "<formula>" + v + "</formula>"
	}
	return fmt.Sprintf(`</sheetData><conditionalFormatting sqref="%s"><cfRule %s dxfId="0" priority="1">%s</cfRule></conditionalFormatting><sheetData>`, sqref, attrs, f)
}

// TestReadXLSXHostile: a workbook over a limit, or none, is refused
// whole with the sentinel that says so, before it costs more than its
// limits: the XML is counted as it is unpacked, whatever the zip says.
func TestReadXLSXHostile(t *testing.T) {
	head := inline(1, "InstallationId", "ConfirmationId")
	ok := inline(2, strings.Repeat("1234567", 9), strings.Repeat("222222", 8))
	var manySheets strings.Builder
	for i := 0; i <= maxSheets; i++ {
		fmt.Fprintf(&manySheets, `<sheet name="Sheet%d" sheetId="%d" r:id="rId1"/>`, i, i+1)
	}
	var manyParts []part
	for i := 0; i < maxParts; i++ {
		manyParts = append(manyParts, part{fmt.Sprintf("xl/media/image%d.png", i), ""})
	}
	var manyRows strings.Builder
	manyRows.WriteString(head)
	for n := 2; n <= MaxRows+2; n++ {
		manyRows.WriteString(`<row><c t="inlineStr"><is><t>1</t></is></c></row>`)
	}
	iid, cid := strings.Repeat("1234567", 9), strings.Repeat("222222", 8)
	other := inline(2, strings.Repeat("7654321", 9), strings.Repeat("333333", 8))
	// A workbook of the sheets given (workbook.xml's sheets element and
	// more), sheet1.xml holding ok and sheet2.xml other.
	sheets := func(list string) []byte {
		rels := strings.Replace(relsXML, "</Relationships>", `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`, 1)
		return zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, list)}, part{"xl/_rels/workbook.xml.rels", rels},
			part{"xl/worksheets/sheet1.xml", fmt.Sprintf(sheetXML, head+ok)}, part{"xl/worksheets/sheet2.xml", fmt.Sprintf(sheetXML, head+other)})
	}
	cell := func(ref, v string) string {
		return fmt.Sprintf(`<c r="%s" t="inlineStr"><is><t>%s</t></is></c>`, ref, v)
	}
	head3 := inline(1, "InstallationId", "ConfirmationId", "Site")
	ok3 := inline(2, iid, cid, "Nagoya")
	blank3 := inline(3, iid)
	// Row 2 of head, its ConfirmationId of cell format 1 (xfs) a rich
	// text of the runs given.
	richCID := func(runs string) string {
		return `<row r="2">` + cell("A2", iid) + `<c r="B2" s="1" t="inlineStr"><is>` + runs + `</is></c></row>`
	}
	grey, black := `<patternFill patternType="solid"><fgColor rgb="FF808080"/></patternFill>`, `<patternFill patternType="solid"><fgColor rgb="FF000000"/></patternFill>`
	// Row 2 of head, its ConfirmationId of cell format 1 (xfs).
	styledCID := `<row r="2">` + cell("A2", iid) + `<c r="B2" s="1" t="inlineStr"><is><t>` + cid + `</t></is></c></row>`
	// Row 2 of head, its InstallationId a number of cell format 1.
	iidNumber := `<row r="2"><c r="A2" s="1"><v>123456789012345</v></c>` + cell("B2", cid) + `</row>`
	// builtIn is a styles part whose cell format 1 is of Excel's built-in
	// number format id.
	builtIn := func(id int) string {
		return strings.Replace(xfs("", "", ""), `<xf numFmtId="0" fontId="1"`, fmt.Sprintf(`<xf numFmtId="%d" fontId="1"`, id), 1)
	}
	// Styles of a conditional white font (dxf 0).
	white := xfs("", "", "") + dxfs(`<font><color rgb="FFFFFFFF"/></font>`)
	for _, tc := range []struct {
		name   string
		data   []byte
		want   error
		iid    string // the one record's IID, when want is nil and this is set
		hidden string // what the one record's Hidden says, when want is nil
	}{
		{"genuine", book(t, head+ok, ""), nil, iid, ""},
		{"a formula's text", book(t, head+`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="str"><f>CONCAT("2",A1)</f><v>`+
			strings.Repeat("222222", 8)+`</v></c></row>`, `<si><r><t>1234567</t></r><rPh><t>ignored</t></rPh><r><t>`+strings.Repeat("1234567", 8)+`</t></r></si>`),
			nil, "", "cell B2 (ConfirmationId) holds a formula"},
		// An ID read from a formula's value as saved (v), which Excel
		// shows only until it computes the formula again: on opening
		// (fullCalcOnLoad, an older calcId), for a volatile function, on
		// any edit. A shared formula's other cells, and an array
		// formula's, are formulas too.
		{"a CID of a formula", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="str"><f>"`+strings.Repeat("111111", 8)+`"</f><v>`+cid+`</v></c></row>`, ""),
			nil, iid, "cell B2 (ConfirmationId) holds a formula"},
		{"a CID of a shared formula", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="str"><f t="shared" ref="B2:B3" si="0">IF(A2="","","")</f><v></v></c></row>`+
			`<row r="3">`+cell("A3", iid)+`<c r="B3" t="str"><f t="shared" si="0"/><v>`+cid+`</v></c></row>`, ""), nil, iid, "cell B3 (ConfirmationId) holds a formula"},
		{"a CID of an array formula", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="str"><f t="array" ref="B2">A2</f><v>`+cid+`</v></c></row>`, ""),
			nil, iid, "cell B2 (ConfirmationId) holds a formula"},
		{"an IID of a formula", book(t, head+`<row r="2"><c r="A2" t="str"><f>"1"</f><v>`+iid+`</v></c>`+cell("B2", cid)+`</row>`, ""),
			nil, iid, "cell A2 (InstallationId) holds a formula"},
		{"an IID number of a formula", book(t, head+`<row r="2"><c r="A2"><f>1+1</f><v>123456789012345</v></c>`+cell("B2", cid)+`</row>`, ""),
			nil, "123456789012345", "cell A2 (InstallationId) holds a formula"},
		{"a formula in another column", book(t, head3+`<row r="2">`+cell("A2", iid)+cell("B2", cid)+`<c r="C2" t="str"><f>NOW()</f><v>x</v></c></row>`, ""), nil, iid, ""},
		// An ID read from a cell Excel shows as other than the text or
		// number typed: an error, a date, a formula's text without its
		// formula (Excel writes t="str" only with one).
		{"a CID of an error cell", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="e"><v>`+cid+`</v></c></row>`, ""), nil, iid, "cell B2 (ConfirmationId) holds an error"},
		{"a CID of a date cell", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="d"><v>`+cid+`</v></c></row>`, ""), nil, iid, "cell B2 (ConfirmationId) holds a date"},
		{"a CID of a formula's text, no formula", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="str"><v>`+cid+`</v></c></row>`, ""),
			nil, iid, "cell B2 (ConfirmationId) holds a formula's text"},
		{"an IID of an error cell", book(t, head+`<row r="2"><c r="A2" t="e"><v>`+iid+`</v></c>`+cell("B2", cid)+`</row>`, ""), nil, iid, "cell A2 (InstallationId) holds an error"},
		{"a CID of a shared string", book(t, head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="s"><v>0</v></c></row>`, "<si><t>"+cid+"</t></si>"), nil, iid, ""},
		{"sheet XML over the limit", book(t, head+ok+`<row><c t="inlineStr"><is><t>`+strings.Repeat("x", MaxXML)+`</t></is></c></row>`, ""), ErrTooLarge, "", ""},
		{"shared strings over the limit", book(t, head+ok, strings.Repeat("<si><t>x</t></si>", maxStrings+1)), ErrTooLarge, "", ""},
		{"parts together over the limit", book(t, head+ok+`<row><c t="inlineStr"><is><t>`+strings.Repeat("x", MaxXML/2)+`</t></is></c></row>`,
			"<si><t>"+strings.Repeat("y", MaxXML/2)+"</t></si>"), ErrTooLarge, "", ""},
		{"shared strings' XML over the limit", book(t, head+ok, "<si><t>"+strings.Repeat("y", MaxXML)+"</t></si>"), ErrTooLarge, "", ""},
		{"thousands of sheets", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, manySheets.String())}), ErrTooLarge, "", ""},
		{"thousands of parts", book(t, head+ok, "", manyParts...), ErrTooLarge, "", ""},
		{"workbook.xml over its limit", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, strings.Repeat(" ", maxPart))}), ErrTooLarge, "", ""},
		{"over MaxRows rows", book(t, manyRows.String(), ""), ErrTooLarge, "", ""},
		{"over MaxFile bytes", append([]byte("PK\x03\x04"), make([]byte, MaxFile)...), ErrTooLarge, "", ""},
		{"a CSV file", []byte("InstallationId,ConfirmationId\r\n1,2\r\n"), ErrNotWorkbook, "", ""},
		{"an .xls file", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 512)...), ErrNotWorkbook, "", ""},
		{"a zip, not a workbook", zipOf(t, part{"word/document.xml", "<w/>"}), ErrNotWorkbook, "", ""},
		{"a zip cut short", book(t, head+ok, "")[:200], ErrNotWorkbook, "", ""},
		{"broken XML", book(t, head+"<row><c>", ""), ErrNotWorkbook, "", ""},
		{"a shared string that is not there", book(t, head+`<row><c t="s"><v>7</v></c></row>`, "<si><t>x</t></si>"), ErrNotWorkbook, "", ""},
		{"no sheet", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, "")}), ErrNotWorkbook, "", ""},
		{"no columns", book(t, inline(1, "Host"), ""), ErrColumns, "", ""},
		{"empty sheet", book(t, "", ""), ErrColumns, "", ""},
		{"a billion laughs", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, part{"xl/_rels/workbook.xml.rels", relsXML},
			part{"xl/worksheets/sheet1.xml", `<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
				fmt.Sprintf(sheetXML, head+inline(2, "&b;", cid))}), ErrNotWorkbook, "", ""},
		// Each header cell names one long shared string: copied (lower
		// case, joined into the error) for each, it took hours.
		{"a header naming a long string 16,384 times", book(t, `<row r="1">`+strings.Repeat(`<c t="s"><v>0</v></c>`, maxColumn)+`</row>`,
			"<si>"+strings.Repeat("<r><t>"+strings.Repeat("A", 64<<10)+"</t></r>", 32)+"</si>"), ErrColumns, "", ""}, // 2 MiB in runs: one token is maxRun at most
		{"a long number as a shared string's index", book(t, head+`<row r="2"><c r="A2" t="s"><v>`+strings.Repeat("0", 2*MaxField)+`1</v></c>`+
			cell("B2", cid)+`</row>`, "<si><t>x</t></si><si><t>"+iid+"</t></si>"), ErrNotWorkbook, "", ""}, // not read cut, as string 0
		// Cells where Excel would not show them: each read in another
		// column or row than the one a person sees it in.
		{"a cell past XFD", book(t, head+`<row r="2">`+cell("A2", iid)+cell("B2", cid)+cell("XFD2", "x")+`<c t="inlineStr"><is><t>x</t></is></c></row>`, ""), ErrNotWorkbook, "", ""},
		{"cells out of order", book(t, head+`<row r="2">`+cell("B2", cid)+cell("A2", iid)+`</row>`, ""), ErrNotWorkbook, "", ""},
		{"a cell twice", book(t, head+`<row r="2">`+cell("A2", iid)+cell("A2", strings.Repeat("7654321", 9))+cell("B2", cid)+`</row>`, ""), ErrNotWorkbook, "", ""},
		{"a cell of another row", book(t, head+`<row r="2">`+cell("A2", iid)+cell("B3", cid)+`</row>`, ""), ErrNotWorkbook, "", ""},
		{"rows out of order", book(t, head+inline(3, iid, cid)+inline(2, iid, cid), ""), ErrNotWorkbook, "", ""},
		{"a row twice", book(t, head+inline(2, iid, cid)+inline(2, iid, cid), ""), ErrNotWorkbook, "", ""},
		{"a row inside a row", book(t, head+`<row r="2">`+cell("A2", iid)+inline(3, iid, cid)+cell("B2", cid)+`</row>`, ""), ErrNotWorkbook, "", ""},
		{"a cell after an empty one", book(t, inline(1, "Host", "InstallationId", "ConfirmationId")+
			`<row r="2"><c r="A2" s="1"/><c t="inlineStr"><is><t>`+iid+`</t></is></c><c t="inlineStr"><is><t>`+cid+`</t></is></c></row>`, ""), nil, iid, ""},
		{"a row in an extension", book(t, head+ok+`</sheetData><extLst><ext uri="{0}">`+other+`</ext></extLst><sheetData>`, ""), nil, iid, ""},
		// Sheets: the one read is one a person sees.
		{"a hidden first sheet", sheets(`<sheet name="Old" state="hidden" sheetId="2" r:id="rId2"/><sheet name="Data" sheetId="1" r:id="rId1"/>`), nil, iid, ""},
		{"a hidden Worklist", sheets(`<sheet name="Data" sheetId="1" r:id="rId1"/><sheet name="Worklist" state="veryHidden" sheetId="2" r:id="rId2"/>`), nil, iid, ""},
		{"two sheets named Worklist", sheets(`<sheet name="Worklist" sheetId="1" r:id="rId1"/><sheet name="WORKLIST" sheetId="2" r:id="rId2"/>`), ErrNotWorkbook, "", ""},
		{"no sheet shown", sheets(`<sheet name="Worklist" state="hidden" sheetId="1" r:id="rId1"/>`), ErrNotWorkbook, "", ""},
		{"a sheet in an extension", sheets(`<sheet name="Data" sheetId="1" r:id="rId1"/></sheets><extLst><ext uri="{0}"><sheet name="Worklist" sheetId="2" r:id="rId2"/></ext></extLst><sheets>`), nil, iid, ""},
		{"a sheet of two ids", sheets(`<sheet name="Worklist" sheetId="1" r:id="rId1" x:id="rId2" xmlns:x="urn:x"/>`), ErrNotWorkbook, "", ""},
		// Targets Excel resolves as it would a URI: read, or refused.
		{"a target up and back", target(t, "../xl/worksheets/sheet1.xml"), nil, iid, ""},
		{"an absolute target", target(t, "/xl/worksheets/sheet1.xml"), nil, iid, ""},
		{"a target out of the package", target(t, "../../../etc/passwd"), ErrNotWorkbook, "", ""},
		{"a target with backslashes", target(t, `worksheets\sheet1.xml`), ErrNotWorkbook, "", ""},
		{"a zip whose sizes lie", lying(t, fmt.Sprintf(sheetXML, head+ok+strings.Repeat(" ", MaxXML))), ErrNotWorkbook, "", ""},
		// A pair nobody looking at the sheet saw: its row or one of its
		// two columns hidden in Excel.
		{"a hidden row", book(t, head+with(ok, `hidden="1"`), ""), nil, iid, "the row is hidden"},
		{"a row filtered out", book(t, head+with(ok, `hidden="true"`), ""), nil, iid, "the row is hidden"},
		{"a row of no height", book(t, head+with(ok, `ht="0" customHeight="1"`), ""), nil, iid, "the row is hidden"},
		// xsd:boolean collapses white space: " 1" is true to a schema reader.
		{"a row hidden, with spaces", book(t, head+with(ok, `hidden=" 1 "`), ""), nil, iid, "the row is hidden"},
		// Too small to see: a row of a few points, a column of a fraction
		// of a character, shows nothing readable of a CID.
		{"a row too low to read", book(t, head+with(ok, `ht="0.3" customHeight="1"`), ""), nil, iid, "the row is hidden"},
		{"a row low but readable", book(t, head+with(ok, `ht="9" customHeight="1"`), ""), nil, iid, ""},
		{"a ConfirmationId column too narrow to read", sheetOf(t, `<cols><col min="2" max="2" width="0.1" customWidth="1"/></cols>`, head+ok), nil, iid, "column B (ConfirmationId) is hidden in Excel"},
		{"rows too low by default", sheetOf(t, `<sheetFormatPr defaultRowHeight="0.5"/>`, head+ok), nil, iid, "the row is hidden"},
		{"rows hidden unless tall", sheetOf(t, `<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/>`, head+ok), nil, iid, "the row is hidden"},
		{"a row tall where rows are hidden", sheetOf(t, `<sheetFormatPr defaultRowHeight="15" zeroHeight="1"/>`, head+with(ok, `ht="15" customHeight="1"`)), nil, iid, ""},
		{"rows of no height by default", sheetOf(t, `<sheetFormatPr defaultRowHeight="0"/>`, head+ok), nil, iid, "the row is hidden"},
		{"a hidden ConfirmationId column", sheetOf(t, `<cols><col min="2" max="2" width="9" hidden="1"/></cols>`, head+ok), nil, iid, "column B (ConfirmationId) is hidden in Excel"},
		{"an InstallationId column of no width", sheetOf(t, `<cols><col min="1" max="1" width="0" customWidth="1"/></cols>`, head+ok), nil, iid, "column A (InstallationId) is hidden in Excel"},
		{"hidden columns around", sheetOf(t, `<cols><col min="3" max="5" hidden="1"/></cols>`, head3+ok3), nil, iid, ""},
		{"a hidden row without a CID", book(t, head3+ok3+with(blank3, `hidden="1"`), ""), nil, iid, ""},
		{"a collapsed group, its summary below", book(t, head+with(ok, `outlineLevel="1"`)+with(inline(3, "total"), `collapsed="1"`), ""), nil, iid, "the row is hidden"},
		{"a collapsed group within a group", book(t, head+with(ok, `outlineLevel="2"`)+with(inline(3, "sub"), `outlineLevel="1"`)+
			with(inline(4, "total"), `collapsed="1"`), ""), nil, iid, "the row is hidden"},
		{"a group shown", book(t, head+with(ok, `outlineLevel="1"`)+inline(3, "total"), ""), nil, iid, ""},
		{"a collapsed group after a gap", book(t, head+with(ok, `outlineLevel="1"`)+with(inline(4, "total"), `collapsed="1"`), ""), nil, iid, ""},
		{"a collapsed group, its summary above", sheetOf(t, `<sheetPr><outlinePr summaryBelow="0"/></sheetPr>`,
			head+with(inline(2, "total"), `collapsed="1"`)+with(inline(3, iid, cid), `outlineLevel="1"`)), nil, iid, "the row is hidden"},
		{"a collapsed column group", sheetOf(t, `<cols><col min="2" max="2" outlineLevel="1"/><col min="3" max="3" collapsed="1"/></cols>`, head+ok),
			nil, iid, "column B (ConfirmationId) is hidden in Excel"},
		{"a collapsed column group, its summary left", sheetOf(t, `<sheetPr><outlinePr summaryRight="0"/></sheetPr><cols><col min="1" max="1" collapsed="1"/>`+
			`<col min="2" max="2" outlineLevel="1"/></cols>`, head+ok), nil, iid, "column B (ConfirmationId) is hidden in Excel"},
		{"a column group shown", sheetOf(t, `<cols><col min="2" max="2" outlineLevel="1"/></cols>`, head+ok), nil, iid, ""},
		// A value its cell's formatting does not show: a number format
		// that shows nothing of it (;;; is Excel's way to hide a value),
		// or a font of the colour of what is behind it.
		{"a CID of format ;;;", styled(t, xfs(";;;", "", ""), "", head+styledCID), nil, iid, `number format ";;;"`},
		{"a CID of format ;;;;", styled(t, xfs(";;;;", "", ""), "", head+styledCID), nil, iid, `number format ";;;;"`},
		{"a CID of format ;;; coloured", styled(t, xfs("[Red];[Blue]_-;* ;[Green]", "", ""), "", head+styledCID), nil, iid, "shows nothing"},
		{"a CID of a format showing a text instead", styled(t, xfs(`;;;&quot;checked&quot;`, "", ""), "", head+styledCID), nil, iid, "shows nothing"},
		{"a CID of format ;; (numbers hidden, text shown)", styled(t, xfs(";;", "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format 0;0;0;@", styled(t, xfs("0;0;0;@", "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format ;;;@", styled(t, xfs(";;;@", "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format ;;;\\@ (a literal @)", styled(t, xfs(`;;;\@`, "", ""), "", head+styledCID), nil, iid, "shows nothing"},
		{"an IID of format ;;;", styled(t, xfs(";;;", "", ""), "", head+`<row r="2"><c r="A2" s="1" t="inlineStr"><is><t>`+iid+`</t></is></c>`+cell("B2", cid)+`</row>`), nil, iid, "cell A2 (InstallationId)"},
		{"another column of format ;;;", styled(t, xfs(";;;", "", ""), "", head3+`<row r="2">`+cell("A2", iid)+cell("B2", cid)+`<c r="C2" s="1" t="inlineStr"><is><t>x</t></is></c></row>`), nil, iid, ""},
		{"every cell of format ;;;", styled(t, strings.Replace(xfs(";;;", "", ""), `<xf numFmtId="0"`, `<xf numFmtId="164"`, 1), "", head+ok), nil, iid, "number format"},
		{"an IID number of format ;;;@", styled(t, xfs(";;;@", "", ""), "", head+`<row r="2"><c r="A2" s="1"><v>123456789012345</v></c>`+cell("B2", cid)+`</row>`), nil, "123456789012345", "cell A2 (InstallationId)"},
		{"an IID number of format 0;;;", styled(t, xfs("0;;;", "", ""), "", head+`<row r="2"><c r="A2" s="1"><v>123456789012345</v></c>`+cell("B2", cid)+`</row>`), nil, "123456789012345", ""},
		// A number format that shows a text, or a number, other than
		// it is: digits or other characters added (a reviewer sees the
		// CID on file where the cell holds another), a number in
		// Japanese numerals, rounded, as a date. Those that show it as it
		// is, with a colour, spaces or dashes around, are none.
		{"a CID of format \"1\"@", styled(t, xfs(`&quot;1&quot;@`, "", ""), "", head+styledCID), nil, iid, `number format "\"1\"@" shows`},
		{"a CID of format @\"123456\"", styled(t, xfs(`@&quot;123456&quot;`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format 0;0;0;\"123456-\"@", styled(t, xfs(`0;0;0;&quot;123456-&quot;@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format @@", styled(t, xfs(`@@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format \\1@", styled(t, xfs(`\1@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format *1@", styled(t, xfs(`*1@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format \"CID \"@", styled(t, xfs(`&quot;CID &quot;@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format \"U+202E\"@ (right to left)", styled(t, xfs("&quot;\u202e&quot;@", "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format [$1-409]@", styled(t, xfs(`[$1-409]@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format 0;@ with a literal", styled(t, xfs(`0;&quot;1&quot;@`, "", ""), "", head+styledCID), nil, iid, "shows"},
		{"a CID of format @", styled(t, xfs(`@`, "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format [Red]@", styled(t, xfs(`[Red]@`, "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format [$-411]@", styled(t, xfs(`[$-411]@`, "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of an accounting format", styled(t, xfs(`_-* #,##0_-;-* #,##0_-;_-* &quot;-&quot;_-;_-@_-`, "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format \" \"@* ", styled(t, xfs(`&quot; &quot;@* `, "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format 0.00 (numbers only)", styled(t, xfs(`0.00`, "", ""), "", head+styledCID), nil, iid, ""},
		{"a CID of format General", styled(t, xfs(`General`, "", ""), "", head+styledCID), nil, iid, ""},
		{"an IID number of format 000000000000000000", styled(t, xfs("000000000000000000", "", ""), "", head+iidNumber), nil, "123456789012345", "cell A2 (InstallationId) is not seen in Excel: its number format"},
		{"an IID number of format 0\"1\"", styled(t, xfs(`0&quot;1&quot;`, "", ""), "", head+iidNumber), nil, "123456789012345", "shows"},
		{"an IID number of format [DBNum1]0", styled(t, xfs(`[DBNum1]0`, "", ""), "", head+iidNumber), nil, "123456789012345", "shows"},
		{"an IID number of format #,##0", styled(t, xfs(`#,##0`, "", ""), "", head+iidNumber), nil, "123456789012345", "shows"},
		{"an IID number of format [>0]0;\"1\"", styled(t, xfs(`[&gt;0]0;&quot;1&quot;`, "", ""), "", head+iidNumber), nil, "123456789012345", "shows"},
		{"an IID number of format 0.00E+00 (built in)", styled(t, builtIn(11), "", head+iidNumber), nil, "123456789012345", "number format 11 shows"},
		{"an IID number of a date format (built in)", styled(t, builtIn(14), "", head+iidNumber), nil, "123456789012345", "shows"},
		{"an IID number of format 0 (built in)", styled(t, builtIn(1), "", head+iidNumber), nil, "123456789012345", ""},
		{"an IID number of format @ (built in)", styled(t, builtIn(49), "", head+iidNumber), nil, "123456789012345", ""},
		{"an IID number of format [Blue]0", styled(t, xfs(`[Blue]0`, "", ""), "", head+iidNumber), nil, "123456789012345", ""},
		{"an IID number of format General", styled(t, xfs(`General`, "", ""), "", head+iidNumber), nil, "123456789012345", ""},
		{"a CID of a built-in date format", styled(t, builtIn(14), "", head+styledCID), nil, iid, ""},
		{"a conditional format \"1\"@", styled(t, xfs("", "", "")+dxfs(`<numFmt numFmtId="164" formatCode="&quot;1&quot;@"/>`), "", head+ok+cfOver("B2", 0)), nil, iid, "shows other"},
		{"a white font, no fill", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, `<patternFill patternType="none"/>`), "", head+styledCID), nil, iid, "font colour FFFFFF"},
		{"a white font on white", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, `<patternFill patternType="solid"><fgColor rgb="FFFFFFFF"/><bgColor indexed="64"/></patternFill>`), "", head+styledCID), nil, iid, "font colour FFFFFF"},
		{"a black font on black", styled(t, xfs("", `<color rgb="FF000000"/>`, `<patternFill patternType="solid"><fgColor rgb="ff000000"/></patternFill>`), "", head+styledCID), nil, iid, "font colour 000000"},
		{"an automatic font on black", styled(t, xfs("", `<color auto="1"/>`, `<patternFill patternType="solid"><fgColor rgb="FF000000"/></patternFill>`), "", head+styledCID), nil, iid, "font colour 000000"},
		{"a white font on black", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, `<patternFill patternType="solid"><fgColor rgb="FF000000"/></patternFill>`), "", head+styledCID), nil, iid, ""},
		{"a white font a little darker", styled(t, xfs("", `<color rgb="FFFFFFFF" tint="-0.5"/>`, `<patternFill patternType="none"/>`), "", head+styledCID), nil, iid, ""},
		{"a white font on a pattern", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, `<patternFill patternType="darkGray"><fgColor rgb="FF000000"/></patternFill>`), "", head+styledCID), nil, iid, ""},
		{"a theme's white font, no fill", styled(t, xfs("", `<color theme="0"/>`, ""), officeColours, head+styledCID), nil, iid, "font colour FFFFFF"},
		{"a theme's light font on a dark theme", styled(t, xfs("", `<color theme="0"/>`, ""), strings.Replace(officeColours, `lastClr="FFFFFF"`, `lastClr="202020"`, 1), head+styledCID), nil, iid, ""},
		{"a theme colour on itself", styled(t, xfs("", `<color theme="5" tint="0.4"/>`, `<patternFill patternType="solid"><fgColor theme="5" tint="0.4"/></patternFill>`), "", head+styledCID), nil, iid, "of its fill"},
		{"a theme colour on another", styled(t, xfs("", `<color theme="5"/>`, `<patternFill patternType="solid"><fgColor theme="6"/></patternFill>`), "", head+styledCID), nil, iid, ""},
		{"an indexed white font, no fill", styled(t, xfs("", `<color indexed="9"/>`, ""), "", head+styledCID), nil, iid, "font colour FFFFFF"},
		{"an indexed font of another palette", styled(t, `<colors><indexedColors>`+strings.Repeat(`<rgbColor rgb="FFFF0000"/>`, 64)+`</indexedColors></colors>`+
			xfs("", `<color indexed="9"/>`, ""), "", head+styledCID), nil, iid, ""},
		{"a format coloured white, no fill", styled(t, xfs("[White]@", "", ""), "", head+styledCID), nil, iid, "font colour FFFFFF"},
		{"a format coloured white on black", styled(t, xfs("[White]@", "", `<patternFill patternType="solid"><fgColor rgb="FF000000"/></patternFill>`), "", head+styledCID), nil, iid, ""},
		// A rich text's runs of their own colour or size: each run that
		// is not blank must be readable as the cell's font must.
		{"a CID's white run, no fill", styled(t, xfs("", "", ""), "", head+richCID(run(`<color rgb="FFFFFFFF"/>`, cid))), nil, iid, "font colour FFFFFF"},
		{"a CID's run of its fill's colour", styled(t, xfs("", "", grey), "", head+richCID(run("", cid[:24])+run(`<sz val="11"/><color rgb="FF808080"/>`, cid[24:]))), nil, iid, "font colour 808080"},
		{"a CID's run of the theme's colour of its fill", styled(t, xfs("", "", `<patternFill patternType="solid"><fgColor theme="4"/></patternFill>`), officeColours,
			head+richCID(run(`<color theme="4"/>`, cid))), nil, iid, "font colour 5B9BD5"},
		{"a CID's white run on black", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, black), "", head+richCID(run(`<color rgb="FFFFFFFF"/>`, cid))), nil, iid, ""},
		{"a CID's blank white run", styled(t, xfs("", "", ""), "", head+richCID(run("", cid[:24])+run(`<color rgb="FFFFFFFF"/>`, " ")+run("", cid[24:]))), nil, iid, ""},
		{"a CID's run of no colour on black", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, black), "", head+richCID(run(`<b/>`, cid))), nil, iid, "font colour 000000"},
		{"a CID's run of 1 point", styled(t, xfs("", "", ""), "", head+richCID(run("", cid[:24])+run(`<sz val="1"/>`, cid[24:]))), nil, iid, "font of 1 point"},
		// A run's own size wins over its cell's; a run without one is
		// drawn in the cell's.
		{"a CID of 1 point, each run of 11", styled(t, xfs("", `<sz val="1"/>`, ""), "", head+richCID(run(`<sz val="11"/>`, cid[:24])+run(`<sz val="11"/><b/>`, cid[24:]))), nil, iid, ""},
		{"a CID of 1 point, a run of its size", styled(t, xfs("", `<sz val="1"/>`, ""), "", head+richCID(run(`<sz val="11"/>`, cid[:24])+run(`<b/>`, cid[24:]))), nil, iid, "font of 1 point"},
		{"a CID of 1 point, a run of no properties", styled(t, xfs("", `<sz val="1"/>`, ""), "", head+richCID(run(`<sz val="11"/>`, cid[:24])+run("", cid[24:]))), nil, iid, "font of 1 point"},
		{"a CID of 1 point, a blank run of its size", styled(t, xfs("", `<sz val="1"/>`, ""), "", head+richCID(run(`<sz val="11"/>`, cid[:24])+run("", " ")+run(`<sz val="9"/>`, cid[24:]))), nil, iid, ""},
		{"a CID of 1 point, runs of 11 and 4", styled(t, xfs("", `<sz val="1"/>`, ""), "", head+richCID(run(`<sz val="11"/>`, cid[:24])+run(`<sz val="4"/>`, cid[24:]))), nil, iid, "font of 4 points"},
		{"a white CID of 1 point, each run of 11", styled(t, xfs("", `<sz val="1"/><color rgb="FFFFFFFF"/>`, ""), "", head+richCID(run(`<sz val="11"/>`, cid))), nil, iid, "font colour FFFFFF"},
		{"an IID's white shared run", book(t, head+`<row r="2"><c r="A2" t="s"><v>1</v></c>`+cell("B2", cid)+`</row>`,
			`<si><t>x</t></si><si>`+run("", iid[:7])+run(`<color rgb="FFFFFFFF"/>`, iid[7:])+`</si>`), nil, iid, "cell A2 (InstallationId)"},
		{"a CID's phonetic run in white", styled(t, xfs("", "", ""), "", head+richCID(run("", cid)+`<rPh sb="0" eb="1"><t>x</t></rPh>`)), nil, iid, ""},
		// A font too small to read.
		{"a CID of 1 point", styled(t, xfs("", `<sz val="1"/>`, ""), "", head+styledCID), nil, iid, "font of 1 point"},
		{"a CID of 5.5 points", styled(t, xfs("", `<sz val="5.5"/>`, ""), "", head+styledCID), nil, iid, "font of 5.5 points"},
		{"a CID of 6 points", styled(t, xfs("", `<sz val="6"/>`, ""), "", head+styledCID), nil, iid, ""},
		// Conditional formats over an ID cell that could hide it, as
		// Excel draws them: a dxf's solid fill is its bgColor.
		{"a conditional white font", styled(t, xfs("", "", "")+dxfs(`<font><color rgb="FFFFFFFF"/></font>`), "", head+styledCID+cfOver("B2", 0)), nil, iid, "conditional format"},
		{"a conditional fill of the font's colour", styled(t, xfs("", `<color rgb="FF0000FF"/>`, "")+dxfs(`<fill><patternFill><bgColor rgb="FF0000FF"/></patternFill></fill>`), "",
			head+styledCID+cfOver("A1:B9", 0)), nil, iid, "conditional format"},
		{"a conditional font and another's fill", styled(t, xfs("", "", "")+dxfs(`<font><color rgb="FFFF0000"/></font>`, `<fill><patternFill><bgColor rgb="FFFF0000"/></patternFill></fill>`), "",
			head+styledCID+cfOver("B2", 0)+cfOver("B1:B3", 1)), nil, iid, "conditional format"},
		{"a conditional format ;;;", styled(t, xfs("", "", "")+dxfs(`<numFmt numFmtId="170" formatCode=";;;"/>`), "", head+styledCID+cfOver("B2", 0)), nil, iid, "conditional format"},
		{"a conditional format over column B", styled(t, xfs("", "", "")+dxfs(`<font><color theme="0"/></font>`), officeColours, head+styledCID+cfOver("B:B", 0)), nil, iid, "conditional format"},
		{"a conditional format over the IID", styled(t, xfs("", "", "")+dxfs(`<font><color rgb="FFFFFFFF"/></font>`), "", head+styledCID+cfOver("A2", 0)), nil, iid, "cell A2 (InstallationId)"},
		{"a conditional white font on black", styled(t, xfs("", `<color rgb="FFFFFFFF"/>`, black)+dxfs(`<font><color rgb="FFFFFFFF"/></font>`), "", head+styledCID+cfOver("B2", 0)), nil, iid, ""},
		{"a conditional bold font", styled(t, xfs("", "", "")+dxfs(`<font><b/></font>`), "", head+styledCID+cfOver("B2", 0)), nil, iid, ""},
		// Excel writes a conditional format's fill with the automatic
		// colour as its fgColor, a placeholder, the colour in bgColor.
		{"a conditional fill as Excel writes it", styled(t, xfs("", "", "")+dxfs(`<fill><patternFill patternType="solid"><fgColor indexed="64"/><bgColor rgb="FFFFFF00"/></patternFill></fill>`), "",
			head+styledCID+cfOver("B2", 0)), nil, iid, ""},
		{"a conditional fill of automatic fgColor", styled(t, xfs("", "", "")+dxfs(`<fill><patternFill patternType="solid"><fgColor auto="1"/><bgColor rgb="FFC6EFCE"/></patternFill></fill>`), "",
			head+styledCID+cfOver("B2", 0)), nil, iid, ""},
		{"a conditional fill as Excel writes it, of the font's colour", styled(t, xfs("", "", "")+dxfs(`<fill><patternFill patternType="solid"><fgColor indexed="64"/><bgColor rgb="FF000000"/></patternFill></fill>`), "",
			head+styledCID+cfOver("B2", 0)), nil, iid, "conditional format"},
		{"a conditional format over another column", styled(t, xfs("", "", "")+dxfs(`<font><color rgb="FFFFFFFF"/></font>`), "", head+styledCID+cfOver("C1:C9 A3:B9", 0)), nil, iid, ""},
		{"a conditional data bar only over an IID number", styled(t, xfs("", "", ""), "", head+`<row r="2"><c r="A2"><v>123456789012345</v></c>`+cell("B2", cid)+`</row>`+
			`</sheetData><conditionalFormatting sqref="A2"><cfRule type="dataBar" priority="1"><dataBar showValue="0"><cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar></cfRule></conditionalFormatting><sheetData>`),
			nil, "123456789012345", "conditional format"},
		{"a conditional white font in an extension", styled(t, xfs("", "", ""), "", head+styledCID+`</sheetData><extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="urn:x14">`+
			`<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="urn:xm"><x14:cfRule type="expression" priority="1" id="{0}"><xm:f>TRUE</xm:f>`+
			`<x14:dxf><font><color rgb="FFFFFFFF"/></font></x14:dxf></x14:cfRule><xm:sqref>B2</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst><sheetData>`),
			nil, iid, "conditional format"},
		// A rule is worked out only where its outcome is certain
		// without evaluating a formula; Excel evaluates the formula it
		// saves with a rule of text or dates, not its type.
		{"errors painted white", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="containsErrors"`, "ISERROR(A1)")), nil, iid, ""},
		{"errors painted white by a formula of TRUE", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="containsErrors"`, "TRUE")), nil, iid, "conditional format"},
		{"errors painted white, of no formula", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="containsErrors"`)), nil, iid, "conditional format"},
		{"errors painted white, of two formulas", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="containsErrors"`, "ISERROR(A1)", "TRUE")), nil, iid, "conditional format"},
		{"errors painted white, of a formula of an element", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="containsErrors"`, "ISERROR(<x/>A1)")), nil, iid, "conditional format"},
		{"errors of another cell painted white", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="containsErrors"`, "ISERROR(C2)")), nil, iid, "conditional format"},
		{"errors of an absolute cell painted white", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="containsErrors"`, "ISERROR($B$2)")), nil, iid, "conditional format"},
		{"errors painted white over ranges of another top left cell", styled(t, white, "", head+styledCID+cfRuleOver("C1:C9 B2", `type="containsErrors"`, "ISERROR(C1)")), nil, iid, "conditional format"},
		{"errors painted white over a formula's text", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+`<c r="B2" t="str"><f>A1</f><v>`+cid+`</v></c></row>`+
			cfRuleOver("A1:B9", `type="containsErrors"`, "ISERROR(A1)")), nil, iid, "holds a formula"}, // refused for the formula first
		{"errors painted white over an IID number", styled(t, white, "", head+`<row r="2"><c r="A2"><v>123456789012345</v></c>`+cell("B2", cid)+`</row>`+
			cfRuleOver("A1:B9", `type="containsErrors"`, "ISERROR(A1)")), nil, "123456789012345", ""},
		{"the top 10 painted white over an IID number", styled(t, white, "", head+`<row r="2"><c r="A2"><v>123456789012345</v></c>`+cell("B2", cid)+`</row>`+
			cfRuleOver("A1:B9", `type="top10" rank="10"`)), nil, "123456789012345", "cell A2 (InstallationId)"},
		{"the top 10 painted white over texts", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="top10" rank="10"`)), nil, iid, ""},
		{"the top 10 painted white, of a type given twice", styled(t, white, "", head+styledCID+cfRuleOver("A1:B9", `type="top10" type="expression" rank="10"`, "TRUE")), nil, iid, "conditional format"},
		{"texts holding 7 painted white, of a text given twice", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="containsText" operator="containsText" text="7" text="2"`, `NOT(ISERROR(SEARCH("7",B2)))`)), nil, iid, "conditional format"},
		{"zero values painted white", styled(t, white, "", head+styledCID+cfRuleOver("A:B", `type="cellIs" operator="equal"`, "0")), nil, iid, ""},
		{"values equal to a text 0 painted white", styled(t, white, "", head+styledCID+cfRuleOver("A:B", `type="cellIs" operator="equal"`, `"0"`)), nil, iid, "conditional format"},
		{"values between a number and a text painted white", styled(t, white, "", head+styledCID+cfRuleOver("A:B", `type="cellIs" operator="between"`, "0", `"9"`)), nil, iid, "conditional format"},
		{"texts holding 7 painted white", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="containsText" operator="containsText" text="7"`, `NOT(ISERROR(SEARCH("7",B2)))`)), nil, iid, ""},
		{"texts holding 2 painted white", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="containsText" operator="containsText" text="2"`, `NOT(ISERROR(SEARCH("2",B2)))`)), nil, iid, "conditional format"},
		{"texts holding 7 painted white by a formula of 2", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="containsText" operator="containsText" text="7"`, `NOT(ISERROR(SEARCH("2",B2)))`)), nil, iid, "conditional format"},
		{"texts holding 7 painted white, of a wide space", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", cid+"\u3000")+`</row>`+
			cfRuleOver("B2", `type="containsText" operator="containsText" text="7"`, `NOT(ISERROR(SEARCH("7",B2)))`)), nil, iid, "conditional format"},
		{"texts beginning 22 2 painted white", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", strings.Join(activation.Groups(cid), " "))+`</row>`+
			cfRuleOver("B2", `type="beginsWith" operator="beginsWith" text="22 2"`, `LEFT(B2,4)="22 2"`)), nil, iid, ""},
		{"texts beginning 222222 2 painted white", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", strings.Join(activation.Groups(cid), " "))+`</row>`+
			cfRuleOver("B2", `type="beginsWith" operator="beginsWith" text="222222 2"`, `LEFT(B2,8)="222222 2"`)), nil, iid, "conditional format"},
		{"texts beginning 22 painted white, of LEFT too short", styled(t, white, "", head+styledCID+cfRuleOver("B2", `type="beginsWith" operator="beginsWith" text="23"`, `LEFT(B2,1)="23"`)), nil, iid, "conditional format"},
		{"texts holding " + fmt.Sprint(maxTextRules) + " other texts painted white", styled(t, white, "", head+styledCID+
			strings.Repeat(cfRuleOver("B2", `type="containsText" operator="containsText" text="7"`, `NOT(ISERROR(SEARCH("7",B2)))`), maxTextRules)), nil, iid, ""},
		{"texts holding " + fmt.Sprint(maxTextRules+1) + " other texts painted white", styled(t, white, "", head+styledCID+
			strings.Repeat(cfRuleOver("B2", `type="containsText" operator="containsText" text="7"`, `NOT(ISERROR(SEARCH("7",B2)))`), maxTextRules+1)), nil, iid, "conditional format"},
		{"the last 7 days painted white", styled(t, white, "", head+styledCID+cfRuleOver("B:B", `type="timePeriod" timePeriod="last7Days"`, "AND(TODAY()-FLOOR(B1,1)&lt;=6,FLOOR(B1,1)&lt;=TODAY())")), nil, iid, ""},
		{"this week painted white", styled(t, white, "", head+styledCID+cfRuleOver("B:B", `type="timePeriod" timePeriod="thisWeek"`,
			"AND(TODAY()-ROUNDDOWN(B1,0)&lt;=WEEKDAY(TODAY())-1,ROUNDDOWN(B1,0)-TODAY()&lt;=7-WEEKDAY(TODAY()))")), nil, iid, ""},
		// True for a number over 10^15: not a formula Excel writes.
		{"this week painted white by a formula of >=", styled(t, white, "", head+styledCID+cfRuleOver("B:B", `type="timePeriod" timePeriod="thisWeek"`,
			"AND(TODAY()-ROUNDDOWN(B1,0)&lt;=WEEKDAY(TODAY())-1,ROUNDDOWN(B1,0)-TODAY()&gt;=7-WEEKDAY(TODAY()))")), nil, iid, "conditional format"},
		{"the last 7 days painted white over a CID in groups", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", strings.Join(activation.Groups(cid), "-"))+`</row>`+
			cfRuleOver("B:B", `type="timePeriod" timePeriod="last7Days"`, "AND(TODAY()-FLOOR(B1,1)&lt;=6,FLOOR(B1,1)&lt;=TODAY())")), nil, iid, "conditional format"},
		// LibreOffice compares a text rule's text attribute, not its
		// formula, and its parser, as XML asks, reads a tab or a line
		// break written raw in an attribute as a space: a CID in
		// groups holds one. One written &#9; reads the same to
		// encoding/xml, and is taken as holding too.
		{"texts holding a raw tab painted white", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", strings.Join(activation.Groups(cid), " "))+`</row>`+
			cfRuleOver("B2", "type=\"containsText\" operator=\"containsText\" text=\"\t\"", "NOT(ISERROR(SEARCH(\"\t\",B2)))")), nil, iid, "conditional format"},
		{"texts beginning 22 and a raw line break painted white", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", "22 "+cid[2:])+`</row>`+
			cfRuleOver("B2", "type=\"beginsWith\" operator=\"beginsWith\" text=\"22\n\"", "LEFT(B2,LEN(\"22\n\"))=\"22\n\"")), nil, iid, "conditional format"},
		{"texts holding a tab written &#9; painted white", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", strings.Join(activation.Groups(cid), " "))+`</row>`+
			cfRuleOver("B2", `type="containsText" operator="containsText" text="&#9;"`, `NOT(ISERROR(SEARCH("&#9;",B2)))`)), nil, iid, "conditional format"},
		// A text's spaces before and after, in a t element not marked
		// xml:space="preserve", may be dropped by the program that
		// shows it: rules of text are worked out for both.
		{"texts beginning 22 painted white, after a space", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", " "+cid)+`</row>`+
			cfRuleOver("B2", `type="beginsWith" operator="beginsWith" text="22"`, `LEFT(B2,LEN("22"))="22"`)), nil, iid, "conditional format"},
		{"texts ending 22 painted white, before a line break", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", cid+"\n")+`</row>`+
			cfRuleOver("B2", `type="endsWith" operator="endsWith" text="22"`, `RIGHT(B2,LEN("22"))="22"`)), nil, iid, "conditional format"},
		{"texts beginning 7 painted white, after a space", styled(t, white, "", head+`<row r="2">`+cell("A2", iid)+cell("B2", " "+cid)+`</row>`+
			cfRuleOver("B2", `type="beginsWith" operator="beginsWith" text="7"`, `LEFT(B2,LEN("7"))="7"`)), nil, iid, ""},
		{"a conditional format before the rows", sheetOf(t, `<conditionalFormatting sqref="B2"><cfRule type="expression" dxfId="0" priority="1"/></conditionalFormatting>`, head+ok),
			ErrNotWorkbook, "", ""},
		{"a conditional format of a dxf not there", styled(t, xfs("", "", "")+dxfs(`<font><b/></font>`), "", head+styledCID+cfOver("B2", 1)), ErrNotWorkbook, "", ""},
		{"a conditional format over absolute references", styled(t, xfs("", "", "")+dxfs(`<font><color rgb="FFFFFFFF"/></font>`), "", head+styledCID+cfOver("$C:$C $3:$9 B$3:$B9 $B$2", 0)), nil, iid, "cell B2 (ConfirmationId)"},
		{"a conditional format of a misplaced $", styled(t, xfs("", "", "")+dxfs(`<font><b/></font>`), "", head+styledCID+cfOver("B2$", 0)), ErrNotWorkbook, "", ""},
		{"a conditional format of two $", styled(t, xfs("", "", "")+dxfs(`<font><b/></font>`), "", head+styledCID+cfOver("$$B2", 0)), ErrNotWorkbook, "", ""},
		{"a conditional format of no range", styled(t, xfs("", "", "")+dxfs(`<font><b/></font>`), "", head+styledCID+cfOver("B", 0)), ErrNotWorkbook, "", ""},
		// A dxf holds one font, one number format and one fill of one
		// colour each (CT_Dxf): more would cost each rule over each
		// record their number.
		{"a differential format of two fonts", styled(t, xfs("", "", "")+dxfs(`<font><b/></font><font><color rgb="FF0000FF"/></font>`), "", head+styledCID+cfOver("B2", 0)),
			ErrNotWorkbook, "", ""},
		{"a differential format's fill of two colours", styled(t, xfs("", "", "")+dxfs(`<fill><patternFill><bgColor rgb="FF0000FF"/><bgColor rgb="FF00FF00"/></patternFill></fill>`), "",
			head+styledCID+cfOver("B2", 0)), ErrNotWorkbook, "", ""},
		{"a differential format of two fills in an extension", styled(t, xfs("", "", ""), "", head+styledCID+`</sheetData><extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14="urn:x14">`+
			`<x14:conditionalFormattings><x14:conditionalFormatting xmlns:xm="urn:xm"><x14:cfRule type="expression" priority="1" id="{0}"><xm:f>TRUE</xm:f>`+
			`<x14:dxf><fill><patternFill><bgColor rgb="FF0000FF"/></patternFill></fill><fill/></x14:dxf></x14:cfRule><xm:sqref>B2</xm:sqref></x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst><sheetData>`),
			ErrNotWorkbook, "", ""},
		{"conditional formats over their limit", styled(t, xfs("", "", "")+dxfs(`<font><b/></font>`), "", head+styledCID+
			cfOver(strings.TrimSpace(strings.Repeat("B2 ", maxConditional+1)), 0)), ErrTooLarge, "", ""},
		// A font in superscript or subscript, which excelize writes
		// for a rich text's run only, is drawn at scriptScale of its
		// size.
		{"a CID in superscript of 8 points", styled(t, xfs("", `<sz val="8"/><vertAlign val="superscript"/>`, ""), "", head+styledCID), nil, iid, "superscript"},
		{"a CID in subscript of 10 points", styled(t, xfs("", `<sz val="10"/><vertAlign val="subscript"/>`, ""), "", head+styledCID), nil, iid, "drawn in 5.8 points"},
		{"a CID in superscript of 11 points", styled(t, xfs("", `<sz val="11"/><vertAlign val="superscript"/>`, ""), "", head+styledCID), nil, iid, ""},
		{"a CID in superscript of the default size", styled(t, xfs("", `<vertAlign val="superscript"/>`, ""), "", head+styledCID), nil, iid, ""},
		{"a CID in baseline of 8 points", styled(t, xfs("", `<sz val="8"/><vertAlign val="baseline"/>`, ""), "", head+styledCID), nil, iid, ""},
		// The sheet's views: the zoom of the view the workbook opens in
		// (workbookViewId 0, its view attribute's), not those Excel
		// keeps for the views a reviewer may switch to, which only
		// draw the same digits in another size.
		{"a zoom of 10 % for the normal view, opened in page layout", sheetOf(t, `<sheetViews><sheetView view="pageLayout" zoomScale="100" zoomScaleNormal="10" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, ""},
		{"a zoom of 10 % for the page layout view, opened in normal", sheetOf(t, `<sheetViews><sheetView zoomScalePageLayoutView="10" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, ""},
		{"a zoom of 10 % for the normal view, opened in normal", sheetOf(t, `<sheetViews><sheetView zoomScale="100" zoomScaleNormal="10" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, "zoom of 10 %"},
		{"a zoom of 10 %, opened in page layout", sheetOf(t, `<sheetViews><sheetView view="pageLayout" zoomScale="10" zoomScaleNormal="100" zoomScalePageLayoutView="10" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, "zoom of 10 % in Page Layout view, too small to read; in Page Layout view set the zoom to 100 %"},
		{"a zoom of 10 % for page break preview, opened in it", sheetOf(t, `<sheetViews><sheetView view="pageBreakPreview" zoomScaleSheetLayoutView="10" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, "zoom of 10 % in Page Break Preview, too small to read; in Page Break Preview set the zoom to 100 %"},
		{"a zoom of 10 % in a second view", sheetOf(t, `<sheetViews><sheetView workbookViewId="0"/><sheetView zoomScale="10" workbookViewId="1"/></sheetViews>`, head+ok),
			nil, iid, ""},
		{"a zoom of 10 % in the first view, listed second", sheetOf(t, `<sheetViews><sheetView workbookViewId="1"/><sheetView zoomScale="10" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, "zoom of 10 %"},
		{"a zoom of 10 % in the only view, not the first", sheetOf(t, `<sheetViews><sheetView zoomScale="10" workbookViewId="1"/></sheetViews>`, head+ok),
			nil, iid, "zoom of 10 %"},
		{"a zoom of 0, automatic", sheetOf(t, `<sheetViews><sheetView zoomScale="0" zoomScaleNormal="0" workbookViewId="0"/></sheetViews>`, head+ok), nil, iid, ""},
		{"a zoom of 50 % of a 14-point default font", styledSheet(t, strings.Replace(xfs("", "", ""), `<sz val="11"/>`, `<sz val="14"/>`, 1), "",
			`<sheetViews><sheetView zoomScale="50" workbookViewId="0"/></sheetViews>`, head+ok), nil, iid, ""},
		{"a zoom of 50 % of an 11-point default font", styledSheet(t, xfs("", "", ""), "", `<sheetViews><sheetView zoomScale="50" workbookViewId="0"/></sheetViews>`, head+ok),
			nil, iid, "drawn in 5.5 points at the sheet's zoom of 50 %"},
		// LibreOffice writes its page break preview's zoom, 60 % unless
		// changed (EXC_WIN2_PAGEZOOM_DEF, sc/source/filter/inc/xlview.hxx),
		// as zoomScalePageLayoutView in every sheet it saves: a
		// 10-point default font is drawn in 6 points there, readable.
		{"LibreOffice's views of a 10-point default font", styledSheet(t, strings.Replace(xfs("", "", ""), `<sz val="11"/>`, `<sz val="10"/>`, 1), "",
			`<sheetViews><sheetView showFormulas="false" showGridLines="true" rightToLeft="false" tabSelected="true" zoomScale="100" zoomScaleNormal="100" `+
				`zoomScalePageLayoutView="60" workbookViewId="0"/></sheetViews>`, head+ok), nil, iid, ""},
		// A 9-point default font in LibreOffice's page break preview
		// (zoomScaleSheetLayoutView) is 5.4 points there, but the sheet
		// opens in its normal view at 100 %.
		{"LibreOffice's page break zoom of a 9-point default font", styledSheet(t, strings.Replace(xfs("", "", ""), `<sz val="11"/>`, `<sz val="9"/>`, 1), "",
			`<sheetViews><sheetView showFormulas="false" showGridLines="true" rightToLeft="false" tabSelected="true" zoomScale="100" zoomScaleNormal="100" `+
				`zoomScaleSheetLayoutView="60" workbookViewId="0"/></sheetViews>`, head+ok), nil, iid, ""},
		{"a zoom for another view that is no number", sheetOf(t, `<sheetViews><sheetView zoomScaleSheetLayoutView="x" workbookViewId="0"/></sheetViews>`, head+ok), ErrNotWorkbook, "", ""},
		// How a sheet prints (Excel's page setup, print titles and
		// area) is not what the reviewer is shown on screen: a print
		// scale of 10 % changes nothing read.
		{"a sheet's page setup", zipOf(t, part{"xl/workbook.xml", strings.Replace(fmt.Sprintf(bookXML, oneSheet), "</sheets>", `</sheets><definedNames>`+
			`<definedName name="_xlnm.Print_Titles" localSheetId="0">'Worklist'!$A:$A,'Worklist'!$1:$1</definedName>`+
			`<definedName name="_xlnm.Print_Area" localSheetId="0">'Worklist'!$A$1:$B$2</definedName></definedNames>`, 1)},
			part{"xl/_rels/workbook.xml.rels", relsXML}, part{"xl/worksheets/sheet1.xml", strings.Replace(strings.Replace(fmt.Sprintf(sheetXML, head+ok),
				"<sheetData>", `<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetData>`, 1), "</sheetData>", `</sheetData>`+
				`<printOptions gridLines="1" headings="1"/><pageMargins left="0.25" right="0.25" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`+
				`<pageSetup paperSize="9" scale="10" fitToWidth="1" fitToHeight="0" orientation="landscape"/>`+
				`<headerFooter><oddHeader>&amp;L&amp;8&amp;P</oddHeader><oddFooter>&amp;LActivation worklist&amp;R&amp;P / &amp;N</oddFooter></headerFooter>`+
				`<rowBreaks count="1" manualBreakCount="1"><brk id="1" max="16383" man="1"/></rowBreaks>`, 1)}), nil, iid, ""},
		{"a zoom that is no number", sheetOf(t, `<sheetViews><sheetView zoomScale="NaN" workbookViewId="0"/></sheetViews>`, head+ok), ErrNotWorkbook, "", ""},
		{"a sheet view after the rows", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, part{"xl/_rels/workbook.xml.rels", relsXML},
			part{"xl/worksheets/sheet1.xml", strings.Replace(fmt.Sprintf(sheetXML, head+ok), "</sheetData>", `</sheetData><sheetViews><sheetView zoomScale="10" workbookViewId="0"/></sheetViews>`, 1)}),
			ErrNotWorkbook, "", ""},
		// Right to left, the groups of a CID apart by spaces are shown
		// last first; joined by dashes they are one number.
		{"a sheet right to left, a CID in groups", sheetOf(t, `<sheetViews><sheetView rightToLeft="1" workbookViewId="0"/></sheetViews>`,
			head+inline(2, iid, strings.Join(activation.Groups(cid), " "))), nil, iid, "right-to-left"},
		{"a sheet right to left, a CID in dashed groups", sheetOf(t, `<sheetViews><sheetView rightToLeft="1" workbookViewId="0"/></sheetViews>`,
			head+inline(2, iid, strings.Join(activation.Groups(cid), "-"))), nil, iid, ""},
		{"a sheet right to left, a CID left to right", styledSheet(t, strings.Replace(xfs("", "", ""), `fillId="2" xfId="0"/>`, `fillId="2" xfId="0"><alignment readingOrder="1"/></xf>`, 1), "",
			`<sheetViews><sheetView rightToLeft="1" workbookViewId="0"/></sheetViews>`, head+`<row r="2">`+cell("A2", iid)+
				`<c r="B2" s="1" t="inlineStr"><is><t>`+strings.Join(activation.Groups(cid), " ")+`</t></is></c></row>`), nil, iid, ""},
		// Shrink to fit in a column of the default width, and an
		// indent in one too narrow for it.
		{"a CID shrunk to fit a column of the default width", styled(t, strings.Replace(xfs("", "", ""), `fillId="2" xfId="0"/>`, `fillId="2" xfId="0"><alignment shrinkToFit="1"/></xf>`, 1), "",
			head+styledCID), nil, iid, "shrunk to fit column B"},
		{"a CID indented 7 levels in a column of the default width", styled(t, strings.Replace(xfs("", "", ""), `fillId="2" xfId="0"/>`, `fillId="2" xfId="0"><alignment indent="7"/></xf>`, 1), "",
			head+styledCID), nil, iid, "indent of 7"},
		{"a CID distributed, indented 4 levels in a column of the default width", styled(t, strings.Replace(xfs("", "", ""), `fillId="2" xfId="0"/>`,
			`fillId="2" xfId="0"><alignment horizontal="distributed" indent="4"/></xf>`, 1), "", head+styledCID), nil, iid, "indent of 4"},
		{"a CID centred, indented 7 levels", styled(t, strings.Replace(xfs("", "", ""), `fillId="2" xfId="0"/>`, `fillId="2" xfId="0"><alignment horizontal="center" indent="7"/></xf>`, 1), "",
			head+styledCID), nil, iid, ""},
		// Protection's hidden hides a formula, not the value.
		{"a CID of hidden protection", styled(t, strings.Replace(xfs("@", "", ""), `fillId="2" xfId="0"/>`, `fillId="2" xfId="0" applyProtection="1"><protection hidden="1" locked="1"/></xf>`, 1),
			"", head+styledCID), nil, iid, ""},
		{"no styles part", styled(t, "", "", head+styledCID), nil, iid, ""},
		{"a broken styles part", styled(t, `<cellXfs><xf>`, "", head+styledCID), ErrNotWorkbook, "", ""},
		{"a style not in the styles part", styled(t, xfs("", "", ""), "", head+strings.Replace(styledCID, `s="1"`, `s="2"`, 1)), ErrNotWorkbook, "", ""},
		{"a style numbered 1.0", styled(t, xfs("", "", ""), "", head+strings.Replace(styledCID, `s="1"`, `s="1.0"`, 1)), ErrNotWorkbook, "", ""},
		{"too many cell formats", styled(t, `<cellXfs>`+strings.Repeat(`<xf/>`, maxStyles+1)+`</cellXfs>`, "", head+styledCID), ErrTooLarge, "", ""},
		{"a styles part over its limit", styled(t, xfs("", "", "")+`<dxfs>`+strings.Repeat(`<dxf/>     `, maxStylesPart/10)+`</dxfs>`, "", head+styledCID), ErrTooLarge, "", ""},
		{"a theme over its limit", styled(t, xfs("", `<color theme="0"/>`, ""), officeColours+strings.Repeat(" ", maxPart), head+styledCID), ErrTooLarge, "", ""},
		// Where Excel would not read them, or repairs them as it likes.
		{"columns out of order", sheetOf(t, `<cols><col min="3" max="3"/><col min="1" max="2" hidden="1"/></cols>`, head+ok), ErrNotWorkbook, "", ""},
		{"columns after the rows", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, part{"xl/_rels/workbook.xml.rels", relsXML},
			part{"xl/worksheets/sheet1.xml", strings.Replace(fmt.Sprintf(sheetXML, head+ok), "</sheetData>", `</sheetData><cols><col min="2" max="2" hidden="1"/></cols>`, 1)}),
			ErrNotWorkbook, "", ""},
		{"a relationship twice", zipOf(t, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)},
			part{"xl/_rels/workbook.xml.rels", strings.Replace(relsXML, "</Relationships>", `<Relationship Id="rId1" Type="x/worksheet" Target="worksheets/sheet2.xml"/></Relationships>`, 1)},
			part{"xl/worksheets/sheet1.xml", fmt.Sprintf(sheetXML, head+ok)}, part{"xl/worksheets/sheet2.xml", fmt.Sprintf(sheetXML, head+other)}), ErrNotWorkbook, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			recs, _, _, _, err := ReadXLSX(bytes.NewReader(tc.data))
			if !errors.Is(err, tc.want) || tc.want == nil && len(recs) != 1 {
				t.Fatalf("got %v (%d records), want %v", err, len(recs), tc.want)
			}
			if tc.want == nil && tc.iid != "" && (recs[0].IID != tc.iid || recs[0].CID != cid) {
				t.Errorf("read IID %s CID %s, want %s %s", recs[0].IID, recs[0].CID, tc.iid, cid)
			}
			if tc.want == nil && ((tc.hidden == "") != (recs[0].Hidden == "") || !strings.Contains(recs[0].Hidden, tc.hidden)) {
				t.Errorf("hidden %q, want %q", recs[0].Hidden, tc.hidden)
			}
		})
	}
	// A field over MaxField costs its row, not the file.
	recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(book(t, head+ok+inline(3, strings.Repeat("7", MaxField+1), strings.Repeat("222222", 8)), "")))
	var re *RowError
	if err != nil || len(recs) != 1 || len(rowErrs) != 1 || !errors.As(rowErrs[0], &re) || re.Row != 3 || !errors.Is(re, ErrTooLarge) {
		t.Errorf("a field over %d bytes: %d records, %v, %v", MaxField, len(recs), rowErrs, err)
	}
}

// xlsxSeeds are the fuzz targets' workbooks: written by WriteXLSX and
// filled in as in Excel, and ours with a formula, an escape, styles
// that hide a CID and a sheet with every element that hides a row, a
// column or a cell (xlsxhidden.go).
func xlsxSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, rows := range [][]Row{testRows(), testRows()[:1]} {
		wb := workbookOf(f, rows)
		fill(f, wb, 2, strings.Join(activation.Groups(strings.Repeat("987654", 8)), " "))
		seeds = append(seeds, saved(f, wb))
	}
	iid, cid := strings.Repeat("1234567", 9), strings.Repeat("222222", 8)
	head := inline(1, "InstallationId", "ConfirmationId", "Host")
	seeds = append(seeds, book(f, head+`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="str"><f>A1</f><v>`+cid+
		`</v></c><c r="C2" t="inlineStr"><is><t>a_x0007_b</t></is></c></row>`, `<si><t>`+iid+`</t></si>`))
	// Styles: a CID of format ;;;, and white on white by the theme.
	seeds = append(seeds, styled(f, xfs(`;;;&quot;x&quot;`, `<color theme="0"/>`, `<patternFill patternType="solid"><fgColor indexed="9"/></patternFill>`), officeColours,
		head+`<row r="2"><c r="A2" t="inlineStr"><is><t>`+iid+`</t></is></c><c r="B2" s="1" t="inlineStr"><is><t>`+cid+`</t></is></c></row>`))
	// A CID of rich text runs under conditional formats, one of them in
	// an extension.
	seeds = append(seeds, styled(f, xfs("", `<sz val="9"/>`, "")+dxfs(`<font><color rgb="FFFFFFFF"/></font>`, `<fill><patternFill><bgColor theme="4"/></patternFill></fill>`), officeColours,
		head+`<row r="2"><c r="A2" t="inlineStr"><is><t>`+iid+`</t></is></c><c r="B2" s="1" t="inlineStr"><is>`+
			run(`<color theme="4"/><sz val="11"/>`, strings.Repeat("222222", 4))+run(`<b/>`, strings.Repeat("222222", 4))+`</is></c></row>`+
			cfOver("A2:B9 C:C", 0)+cfOver("2:3", 1)))
	// Rules worked out for a text (xlsxcond.go), over absolute ranges.
	seeds = append(seeds, styled(f, xfs("", "", "")+dxfs(`<font><color rgb="FFFFFFFF"/></font>`), "",
		head+`<row r="2"><c r="A2"><v>12345</v></c><c r="B2" t="inlineStr"><is><t>`+cid+`</t></is></c></row>`+
			cfRuleOver("$A$1:$B$9", `type="containsText" operator="containsText" text="7"`, `NOT(ISERROR(SEARCH("7",A1)))`)+
			cfRuleOver("B:B", `type="beginsWith" operator="beginsWith" text="22"`, `LEFT(B1,LEN("22"))="22"`)+
			cfRuleOver("A1:XFD1048576", `type="cellIs" operator="between"`, "0", "9")+cfRuleOver("A:B", `type="containsErrors"`, "ISERROR(A1)")+
			cfRuleOver("B:B", `type="timePeriod" timePeriod="today"`, "FLOOR(B1,1)=TODAY()")+cfRuleOver("A:B", `type="top10" rank="10"`)))
	// What the view and alignment draw too small or out of the cell
	// (xlsxview.go): a zoom, shrink to fit, an indent, a superscript, a
	// reading order.
	seeds = append(seeds, styledSheet(f, strings.Replace(xfs("", `<sz val="9"/><vertAlign val="superscript"/>`, ""), `fillId="2" xfId="0"/>`,
		`fillId="2" xfId="0"><alignment horizontal="distributed" indent="3" shrinkToFit="1" readingOrder="2"/></xf>`, 1), "",
		`<sheetViews><sheetView rightToLeft="1" zoomScale="85" zoomScaleNormal="40" workbookViewId="0"/></sheetViews><sheetFormatPr baseColWidth="10" defaultRowHeight="15"/>`+
			`<cols><col min="2" max="2" width="20"/></cols>`,
		head+`<row r="2"><c r="A2" t="inlineStr"><is><t>`+iid+`</t></is></c><c r="B2" s="1" t="inlineStr"><is>`+
			run(`<sz val="12"/><vertAlign val="subscript"/>`, strings.Repeat("222222", 4))+run(`<vertAlign val="superscript"/>`, " "+strings.Repeat("222222", 4))+`</is></c></row>`))
	hiding := `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetPr><outlinePr summaryBelow="0" summaryRight="0"/></sheetPr>` +
		`<sheetFormatPr defaultRowHeight="15" zeroHeight="0"/><cols><col min="1" max="2" width="70"/><col min="3" max="4" width="0.2" outlineLevel="1" collapsed="1"/></cols>` +
		`<sheetData>` + head + with(inline(2, iid, cid), `hidden="1"`) + with(inline(3, iid, cid), `ht="1" customHeight="1"`) +
		with(inline(4, iid, cid), `outlineLevel="1" collapsed="1"`) + with(inline(5, iid, cid), `outlineLevel="2"`) + inline(6, iid, cid) +
		`</sheetData><mergeCells count="1"><mergeCell ref="A5:B6"/></mergeCells></worksheet>`
	return append(seeds, zipOf(f, part{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, part{"xl/_rels/workbook.xml.rels", relsXML},
		part{"xl/worksheets/sheet1.xml", hiding}))
}

// FuzzReadXLSX: whatever the file, ReadXLSX returns records that write
// back (WriteXLSX) and read again the same, or file and row errors that
// are the sentinels. Most of what it finds new is in archive/zip and
// compress/flate (every package of the test is instrumented), from
// bytes of a compressed part mutated; FuzzReadXLSXParts fuzzes the XML.
func FuzzReadXLSX(f *testing.F) {
	for _, seed := range xlsxSeeds(f) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		writesBack(t, data, ReadXLSX, writeXLSX, ErrNotWorkbook)
	})
}

// Parts of a workbook FuzzReadXLSXParts fuzzes, as WriteXLSX and Excel
// name them; its workbook and relationships name them all.
var fuzzedParts = []string{"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml", "xl/theme/theme1.xml"}

// FuzzReadXLSXParts is FuzzReadXLSX with the XML of the sheet, the
// shared strings, the styles and the theme fuzzed as text (a part ""
// is left out), stored in a zip by the test: a mutation reaches the
// reader's XML rather than breaking a compressed stream, and a run is
// not spent minimizing inputs new only to compress/flate. Its seeds are
// FuzzReadXLSX's, and the files under testdata/fuzz/FuzzReadXLSX.
func FuzzReadXLSXParts(f *testing.F) {
	seeds := xlsxSeeds(f)
	files, err := filepath.Glob("testdata/fuzz/FuzzReadXLSX/*")
	if err != nil || len(files) == 0 {
		f.Fatal("no seed in testdata/fuzz/FuzzReadXLSX", err)
	}
	for _, name := range files {
		seeds = append(seeds, corpusBytes(f, name))
	}
	for _, seed := range seeds {
		zr, err := zip.NewReader(bytes.NewReader(seed), int64(len(seed)))
		if err != nil {
			f.Fatal(err)
		}
		var xml [4]string
		size := 0
		for i, name := range fuzzedParts {
			if m, err := zr.Open(name); err == nil {
				b, err := io.ReadAll(m)
				if err != nil && len(b) == 0 {
					f.Fatal(name, err)
				}
				xml[i], size = string(b), size+len(b)
			}
		}
		// A seed of a long string or row (escapes-long, cells-past-xfd:
		// 0.4 to 2 MiB unpacked) costs 50 to 150 ms an input, the
		// others under 1 ms: TestReadXLSXLongToken and TestReadXLSXCost
		// hold those shapes.
		if size <= 64<<10 {
			f.Add(xml[0], xml[1], xml[2], xml[3])
		}
	}
	f.Fuzz(func(t *testing.T, sheet, sst, styles, theme string) {
		writesBack(t, partsBook(t, sheet, sst, styles, theme), ReadXLSX, writeXLSX, ErrNotWorkbook)
	})
}

// partsBook is a workbook of one sheet, its parts (fuzzedParts) given
// ("" for none) and stored, not compressed: a fuzz target builds one an
// input.
func partsBook(t testing.TB, parts ...string) []byte {
	rels := strings.Replace(relsXML, "</Relationships>", `<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`+
		`<Relationship Id="rId8" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/theme" Target="theme/theme1.xml"/></Relationships>`, 1)
	members := []part{{"xl/workbook.xml", fmt.Sprintf(bookXML, oneSheet)}, {"xl/_rels/workbook.xml.rels", rels}}
	for i, data := range parts {
		if data != "" {
			members = append(members, part{fuzzedParts[i], data})
		}
	}
	return zipWith(t, zip.Store, members...)
}

// corpusBytes is the []byte value of a file of Go's fuzz corpus format
// ("go test fuzz v1", then []byte("...") as Go quotes it).
func corpusBytes(t testing.TB, name string) []byte {
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	header, value, _ := strings.Cut(string(b), "\n")
	value = strings.TrimSpace(value)
	if header != "go test fuzz v1" || !strings.HasPrefix(value, "[]byte(") || !strings.HasSuffix(value, ")") {
		t.Fatalf("%s: not one []byte of Go's fuzz corpus", name)
	}
	s, err := strconv.Unquote(value[len("[]byte(") : len(value)-1])
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return []byte(s)
}

// TestReadXLSXLongToken: one text, attribute or comment longer than
// maxRun bytes, which encoding/xml would hold whole at two to three
// times its size (128 to 188 MiB for 60 MiB before the limit), is
// refused as it is unpacked (ErrTooLarge), at a cost of a few times
// maxRun; the longest text Excel keeps in a cell, escaped, is read.
func TestReadXLSXLongToken(t *testing.T) {
	head := inline(1, "InstallationId", "ConfirmationId", "Detail")
	huge := strings.Repeat("a", 60<<20)
	gts := strings.Repeat(strings.Repeat("a", 4<<10-1)+">", 15<<10)
	iid, cid := strings.Repeat("1234567", 9), strings.Repeat("222222", 8)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"a text of 60 MiB", book(t, head+`<row><c t="inlineStr"><is><t>`+huge+`</t></is></c></row>`, ""), ErrTooLarge},
		{"an attribute of 60 MiB", book(t, head+`<row><c r="A2" x="`+huge+`"/></row>`, ""), ErrTooLarge},
		{"a comment of 60 MiB", book(t, head+`<!--`+huge+`-->`, ""), ErrTooLarge},
		{"a shared string of 60 MiB", book(t, head, "<si><t>"+huge+"</t></si>"), ErrTooLarge},
		{"whitespace of 60 MiB", book(t, head+strings.Repeat(" ", 60<<20), ""), ErrTooLarge},
		// '>' may stand unescaped in a text and an attribute, and '<' and
		// '>' in a comment: each is still one token for the decoder.
		{"a text of 60 MiB with a '>' every 4 KiB", book(t, head+`<row><c t="inlineStr"><is><t>`+gts+`</t></is></c></row>`, ""), ErrTooLarge},
		{"an attribute of 60 MiB with a '>' every 4 KiB", book(t, head+`<row><c r="A2" x="`+gts+`"/></row>`, ""), ErrTooLarge},
		{"a comment of 60 MiB with '<>' every 4 KiB", book(t, head+`<!--`+strings.ReplaceAll(gts, ">", "<>")+`-->`, ""), ErrTooLarge},
		{"a shared string of 60 MiB with a '>' every 4 KiB", book(t, head, "<si><t>"+gts+"</t></si>"), ErrTooLarge},
		{"a cell of 32,767 quotes, escaped", book(t, head+inline(2, iid, cid)+inline(3, "", "", strings.Repeat("&quot;", 32767)), ""), nil},
		{"a text of maxRun bytes", book(t, head+inline(2, iid, cid)+inline(3, "", "", strings.Repeat("b", maxRun-1)), ""), nil},
		{"a text of maxRun+1 bytes", book(t, head+inline(2, iid, cid)+inline(3, "", "", strings.Repeat("b", maxRun+1)), ""), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			recs, _, _, _, err := ReadXLSX(bytes.NewReader(tc.data))
			runtime.ReadMemStats(&after)
			if !errors.Is(err, tc.want) || tc.want == nil && (len(recs) != 1 || recs[0].CID != cid) {
				t.Fatalf("got %v, %d records; want %v", err, len(recs), tc.want)
			}
			if got := after.TotalAlloc - before.TotalAlloc; tc.want != nil && got > 8*maxRun {
				t.Errorf("allocated %d MiB, want at most %d", got>>20, 8*maxRun>>20)
			} else {
				t.Logf("allocated %d KiB", got>>10)
			}
		})
	}
}

// TestReadXLSXCost: a workbook within the limits costs a bounded amount
// of memory, whatever it holds: a cell is given its shared string (not
// a copy), and text over MaxField, which no column can take, is not
// kept whole. The bound is what the decoder itself costs for one token
// as large as the XML may be, with room to spare; the process holding
// the file and the database stays well under 512 MiB.
func TestReadXLSXCost(t *testing.T) {
	head := inline(1, "InstallationId", "ConfirmationId")
	// 60 MiB in runs of 64 KiB: one token of it is refused (maxRun,
	// TestReadXLSXLongToken).
	long := "<si>" + strings.Repeat("<r><t>"+strings.Repeat("a", 64<<10)+"</t></r>", 960) + "</si>"
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"seven header cells naming a 60 MiB string", book(t, `<row r="1">`+strings.Repeat(`<c t="s"><v>0</v></c>`, 7)+
			`<c t="inlineStr"><is><t>InstallationId</t></is></c><c t="inlineStr"><is><t>ConfirmationId</t></is></c></row>`, long)},
		{"data cells naming a 60 MiB string", book(t, head+strings.Repeat(`<row><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>`, 10000), long)},
		{"a shared string of 9 M escapes", book(t, head, "<si>"+strings.Repeat("<r><t>"+strings.Repeat("_x0041_", 9<<10)+"</t></r>", 1024)+"</si>")},
		{"a row of 3 M cells", book(t, `<row>`+strings.Repeat(`<c t="s"><v>0</v></c>`, 3000000)+`</row>`, "<si><t>x</t></si>")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			ReadXLSX(bytes.NewReader(tc.data))
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 3*MaxXML {
				t.Errorf("allocated %d MiB, want at most %d", got>>20, 3*MaxXML>>20)
			} else {
				t.Logf("allocated %d MiB", got>>20)
			}
		})
	}
}

// sharedCells is a workbook whose sheet is the header and rows of
// 16,000 cells each naming shared string 0, s, to about size bytes of
// XML: a cell is 21 bytes of it, however long s.
func sharedCells(t testing.TB, s string, size int) []byte {
	row := `<row>` + strings.Repeat(`<c t="s"><v>0</v></c>`, 16000) + `</row>`
	return book(t, inline(1, "InstallationId", "ConfirmationId")+strings.Repeat(row, size/len(row)+1), "<si><t>"+s+"</t></si>")
}

// TestReadXLSXSharedCells: a cell naming a shared string costs what its
// XML does, however long the string: whether a string is over MaxField
// (as read, or escaped as WriteCSV writes it, csvcell.Escape) is told
// once for the string, not once a cell. Told once a cell, each of the
// 3 M cells of 155 KB of workbook (60 MiB of XML) naming 1,024
// semicolons had the string escaped, a copy of it (6 GiB in all, over
// three minutes), and 1,024 letters scanned it (twice the time of a
// string told over MaxField by its length).
func TestReadXLSXSharedCells(t *testing.T) {
	alloc := func(data []byte) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(data))
		runtime.ReadMemStats(&after)
		if err != nil || len(recs) != 0 || len(rowErrs) == 0 {
			t.Fatalf("got %v, %d records, %d row errors; want rows refused", err, len(recs), len(rowErrs))
		}
		return after.TotalAlloc - before.TotalAlloc
	}
	base := alloc(sharedCells(t, strings.Repeat("x", 1025), 4<<20))
	for _, s := range []string{strings.Repeat(";", 1024), strings.Repeat(";=", 512), strings.Repeat("a", 1024)} {
		if got := alloc(sharedCells(t, s, 4<<20)); got > 2*base {
			t.Errorf("cells naming %.8q…: allocated %d KiB, want at most %d (twice that of cells naming a string over MaxField)", s, got>>10, 2*base>>10)
		} else {
			t.Logf("cells naming %.8q…: allocated %d KiB", s, got>>10)
		}
	}
}

// BenchmarkReadXLSXSharedCells: 4 MiB of XML, 200,000 cells naming one
// shared string; its cost is that of the XML, whatever the string
// (TestReadXLSXSharedCells).
func BenchmarkReadXLSXSharedCells(b *testing.B) {
	for _, s := range []string{"x", strings.Repeat("a", 1024), strings.Repeat(";", 1024)} {
		data := sharedCells(b, s, 4<<20)
		b.Run(fmt.Sprintf("%.1s×%d", s, len(s)), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(4 << 20)
			for i := 0; i < b.N; i++ {
				ReadXLSX(bytes.NewReader(data))
			}
		})
	}
}

// TestConditionalRangesKept: of a conditional format's ranges, only
// those over the InstallationId or ConfirmationId column are kept, so
// that each of its rules costs those: a sheet of 65,536 ranges elsewhere
// and as many rules (11 KB zipped) took 20 s when each rule went through
// every range.
func TestConditionalRangesKept(t *testing.T) {
	for _, tc := range []struct {
		name  string
		pair  [2]int
		sqref string
		want  int
	}{
		{"none over the IDs", [2]int{1, 2}, "C1 Z1:Z9 D:F 3:4", 1},
		{"each over one", [2]int{1, 2}, "A1 B2:B9 A:B C1", 3},
		{"no ConfirmationId column", [2]int{3, 0}, "A1:B9 C:C", 1},
		{"no header", [2]int{}, "A1:XFD1048576", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var cf conditionals
			if err := cf.sqref(tc.sqref, tc.pair); err != nil {
				t.Fatal(err)
			}
			if len(cf.ranges) != tc.want {
				t.Errorf("got %d ranges %v, want %d", len(cf.ranges), cf.ranges, tc.want)
			}
		})
	}
}

// TestWriteXLSXWidths: every column of the worklist is as wide as its
// header, bold, beside Excel's filter button (3 characters more), and
// DeviceKey as a key of the hardware, "hw:", a UUID and a serial of 12.
// Printed by LibreOffice, "RequestCount" at 8 read "Request" cut by
// CreatedAtUtc, "LastRequestedAtUtc" at 12 "LastRequeste", and a
// DeviceKey at 40 lost its serial to Product: "…EAEF00D92BB4/J".
func TestWriteXLSXWidths(t *testing.T) {
	f := workbookOf(t, testRows())
	defer f.Close()
	need := map[string]int{"DeviceKey": len("hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC12") + 1}
	for j, name := range Header {
		col, _ := excelize.ColumnNumberToName(j + 1)
		want := float64(len(name) + 3)
		if n, ok := need[name]; ok && float64(n) > want {
			want = float64(n)
		}
		if got, err := f.GetColWidth(SheetName, col); err != nil || got < want {
			t.Errorf("column %s (%s): got width %v, %v; want %v at least", col, name, got, err, want)
		}
	}
}

// TestWriteXLSXRowsFit: every cell of the worklist workbook shows its
// whole text, as TestWorkbookRowsFit holds the report's workbook to: a
// character counts as wide as it is (two for a wide one), plus one for
// the cell's margins; a text that does not wrap needs its column's
// width, or empty cells beside it to run on over; a wrapped one needs
// lines of 15 points enough at its column's width, up to Excel's most
// row height (409 points). The Detail column (50) cut an HRESULT's
// meaning (67 characters) and any longer message from the machine under
// CollectedAt; Product (30) a product's name such as "Windows Server
// 2012 R2 Standard Evaluation" (42); Host, Site, Line, Asset and
// DeviceKey a name longer than usual (a DNS name, a site's name in
// full). Wrapped cells and a tall row leave the IDs as ReadXLSX reads
// them: each row with a CID reads back, none hidden.
func TestWriteXLSXRowsFit(t *testing.T) {
	base := testRows()[1] // with a CID
	for _, tc := range []struct {
		name, detail string
		row          func(*Row)
	}{
		{"test rows", "", nil},
		{"long names", "", func(r *Row) {
			r.Host, r.Site, r.Line, r.Asset = "fa-ng-l2-011.assembly.nagoya.example.co.jp", "Nagoya Second Assembly Plant", "Final inspection", "NG-L2-011-SPARE-2"
			r.DeviceKey = "loc:nagoya second assembly plant/final inspection/ng-l2-011-spare-2"
		}},
		{"long product", "", func(r *Row) {
			r.Product, r.ApplicationID = "Windows Server 2012 R2 Standard Evaluation", "55c92734-d682-4d71-983e-d6ec3f16059f"
		}},
		{"Japanese names", "", func(r *Row) {
			r.Site, r.Line, r.Product = "名古屋第二工場", "最終検査ライン", "Office 16, Office16ProPlusVL_MAK_edition"
		}},
		{"short", "applied", nil},
		{"HRESULT", "0xC004F031 the Installation ID and the Confirmation ID do not match", nil},
		{"machine's message", strings.Repeat("The Software Licensing Service reported that the product key is invalid. ", 15)[:MaxField], nil},
		{"Japanese", strings.Repeat("ソフトウェア ライセンス サービスは、プロダクト キーが無効であると報告しました。", 10), nil},
		{"lines", "first line\nsecond line\n\nfourth line", nil},
		{"newlines only", strings.Repeat("\n", MaxField), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := base
			r.Detail = tc.detail
			if tc.row != nil {
				tc.row(&r)
			}
			rows := []Row{r, base}
			if tc.name == "test rows" {
				rows = testRows()
			}
			var b bytes.Buffer
			if err := WriteXLSX(&b, rows, "Nagoya L2"); err != nil {
				t.Fatal(err)
			}
			f, err := excelize.OpenReader(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			checkFit(t, f)
			for _, col := range []string{"InstallationId", "ConfirmationId"} {
				st := styleOf(t, f, cellOf(t, col, 2))
				if st.Alignment != nil && (st.Alignment.WrapText || st.Alignment.ShrinkToFit) {
					t.Errorf("%s: %+v, want neither wrapped nor shrunk", col, *st.Alignment)
				}
			}
			var want []Row // the rows with a CID, which ReadXLSX returns
			for _, r := range rows {
				if r.CID != "" {
					want = append(want, r)
				}
			}
			recs, rowErrs, _, _, err := ReadXLSX(bytes.NewReader(b.Bytes()))
			if err != nil || len(rowErrs) != 0 || len(recs) != len(want) {
				t.Fatalf("read back: %d records of %d, %v, %v", len(recs), len(want), rowErrs, err)
			}
			for i, rec := range recs {
				if w := want[i]; rec.Hidden != "" || rec.IID != w.IID || rec.CID != w.CID || rec.Host != w.Host || rec.DeviceKey != w.DeviceKey {
					t.Errorf("row %d: IID %q CID %q host %q key %q hidden %q, want %q %q %q %q and not hidden", rec.Row, rec.IID, rec.CID, rec.Host,
						rec.DeviceKey, rec.Hidden, w.IID, w.CID, w.Host, w.DeviceKey)
				}
			}
		})
	}
}

// styleOf is the style of the cell ref of the worklist's sheet.
func styleOf(t *testing.T, f *excelize.File, ref string) *excelize.Style {
	t.Helper()
	id, err := f.GetCellStyle(SheetName, ref)
	if err != nil {
		t.Fatal(err)
	}
	st, err := f.GetStyle(id)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// checkFit: every cell of the worklist's sheet shows its whole text
// (TestWriteXLSXRowsFit).
func checkFit(t *testing.T, f *excelize.File) {
	t.Helper()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	widthOf := func(j int) float64 {
		col, _ := excelize.ColumnNumberToName(j + 1)
		w, err := f.GetColWidth(SheetName, col)
		if err != nil {
			t.Fatal(err)
		}
		return w
	}
	for i, r := range rows {
		for j, v := range r {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			st := styleOf(t, f, ref)
			bold := 0.0
			if st.Font != nil && st.Font.Bold {
				bold = 1
			}
			if st.Alignment != nil && st.Alignment.WrapText {
				lines := 0.0
				for _, line := range strings.Split(v, "\n") {
					lines += math.Max(1, math.Ceil((float64(xlsxpart.Cols(line))+1+bold)/widthOf(j)))
				}
				want := math.Min(lines*15, excelize.MaxRowHeight)
				h, err := f.GetRowHeight(SheetName, i+1)
				if err != nil {
					t.Fatal(err)
				}
				if h < want || h > excelize.MaxRowHeight {
					t.Errorf("%s %.40q…: %v lines at %v wide need %v points; its row is %v high", ref, v, lines, widthOf(j), want, h)
				}
				continue
			}
			w := widthOf(j)
			for k := j + 1; k < len(Header) && (k >= len(r) || r[k] == ""); k++ {
				w += widthOf(k)
			}
			if need := float64(xlsxpart.Cols(v)) + 1 + bold; w < need {
				t.Errorf("%s %.40q…: needs %v wide, has %v", ref, v, need, w)
			}
		}
	}
}
