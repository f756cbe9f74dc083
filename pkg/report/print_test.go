package report

import (
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// TestWorkbookPrint: every sheet of a site's workbook prints on A4
// landscape, one page wide, with a footer naming the site, the sheet's
// part (a line, the overview, the plan) and the page of pages; the line
// sheets and the plan repeat their header row on every page. Site and
// line names are hostile: an apostrophe (doubled in the print titles'
// sheet reference), an & (doubled in the footer, else &P in a name would
// print a page number), a name too long for a footer's 255 characters.
func TestWorkbookPrint(t *testing.T) {
	long := "Site & Co's " + strings.Repeat("工場", 150)
	for _, tc := range []struct {
		name  string
		lang  classify.Lang
		site  string
		lines []string
		pages string // the footer's right: page of pages, in Excel's codes
	}{
		{"en", classify.English, "Nagoya", []string{"L1", "L2"}, "&P / &N"},
		{"ja", classify.Japanese, "名古屋", []string{"L1", "組立 2"}, "&P / &N ページ"},
		{"hostile", classify.English, "O'Brien & Sons &P&N &&", []string{"Line 'A' & B", "'quoted'", "x!$1:$1 &&", "L\u202e1&",
			strings.Repeat("長", 40) + "&"}, "&P / &N"},
		{"long", classify.Japanese, long, []string{"L1"}, "&P / &N ページ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := printBook(t, tc.lang, tc.site, tc.lines, false)
			f, err := excelize.OpenFile(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			txt := lang(tc.lang)
			sheets := f.GetSheetList()
			if len(sheets) != len(tc.lines)+2 {
				t.Fatalf("sheets %q", sheets)
			}
			parts := []string{txt.Overview}
			for _, l := range tc.lines {
				parts = append(parts, txt.Line+" "+l)
			}
			parts = append(parts, txt.Plan)
			names := f.GetDefinedName()
			for i, sheet := range sheets {
				checkPageSetup(t, f, sheet)
				checkFooter(t, f, sheet, tc.site, parts[i], tc.pages)
				var titles []string
				for _, n := range names {
					if n.Name == "_xlnm.Print_Titles" && n.Scope == sheet {
						titles = append(titles, n.RefersTo)
					}
				}
				want := []string{"'" + strings.ReplaceAll(sheet, "'", "''") + "'!$1:$1"}
				if i == 0 {
					want = nil // the overview has no header row
				}
				if strings.Join(titles, "|") != strings.Join(want, "|") {
					t.Errorf("sheet %q: print titles %q, want %q", sheet, titles, want)
				}
			}
			for _, sheet := range sheets[1:] {
				checkWidths(t, f, sheet, sheet == sheets[len(sheets)-1])
			}
		})
	}
}

// printBook writes the workbook of site, a device on each of lines, and
// returns its file's name; past makes it a report of the fleet as it was
// (Options.Past), whose overview says so.
func printBook(t *testing.T, lang classify.Lang, site string, lines []string, past bool) string {
	t.Helper()
	lines0, pools := fleet(t)
	var d Device
	for _, l := range lines0 {
		d = l[0]
		break
	}
	w, err := NewWriter(t.TempDir(), Options{Lang: lang, AsOf: asOf, Generated: asOf, Generator: "test", Formats: []string{XLSX},
		Past: past, LeftOut: map[Place]int{{site, lines[0]}: 1}})
	if err != nil {
		t.Fatal(err)
	}
	for s, p := range pools {
		w.SetPool(s, *p)
	}
	for _, line := range lines {
		d.Site, d.Line = site, line
		if err := w.Line(site, line, []Device{d}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if filepath.Ext(name) == ".xlsx" {
			return name
		}
	}
	t.Fatalf("no workbook in %q", files)
	return ""
}

func checkPageSetup(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	pl, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if pl.Size == nil || *pl.Size != 9 || pl.Orientation == nil || *pl.Orientation != "landscape" ||
		pl.FitToWidth == nil || *pl.FitToWidth != 1 || pl.FitToHeight == nil || *pl.FitToHeight != 0 {
		t.Errorf("sheet %q: page layout size %v, orientation %v, fit to width %v, height %v; want 9 (A4), landscape, 1, 0",
			sheet, deref(pl.Size), deref(pl.Orientation), deref(pl.FitToWidth), deref(pl.FitToHeight))
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil || props.FitToPage == nil || !*props.FitToPage {
		t.Errorf("sheet %q: fitToPage %v, %v; want true", sheet, deref(props.FitToPage), err)
	}
	m, err := f.GetPageMargins(sheet)
	if err != nil || m.Left == nil || m.Right == nil || m.Top == nil || m.Bottom == nil || m.Header == nil || m.Footer == nil {
		t.Fatalf("sheet %q: margins %+v, %v", sheet, m, err)
	}
	// Excel's "Narrow" margins (inches): a line sheet is 289
	// characters wide, and every inch of paper less prints it smaller.
	if *m.Left != 0.25 || *m.Right != 0.25 || *m.Footer >= *m.Bottom || *m.Header >= *m.Top {
		t.Errorf("sheet %q: margins left %v right %v top %v bottom %v header %v footer %v", sheet, *m.Left, *m.Right, *m.Top,
			*m.Bottom, *m.Header, *m.Footer)
	}
}

func deref[T any](p *T) interface{} {
	if p == nil {
		return nil
	}
	return *p
}

// checkFooter: the sheet's footer reads the site on the left, part in the
// centre, the page of pages on the right as pages (in Excel's codes: a
// Japanese report's "1 / 3 ページ", as Excel's Japanese footers say it),
// and holds no other field code.
func checkFooter(t *testing.T, f *excelize.File, sheet, site, part, pages string) {
	t.Helper()
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil || hf == nil {
		t.Errorf("sheet %q: header and footer %+v, %v", sheet, hf, err)
		return
	}
	if n := len(utf16.Encode([]rune(hf.OddFooter))); n > 255 {
		t.Errorf("sheet %q: footer of %d UTF-16 units, Excel's most is 255", sheet, n)
	}
	got, codes := footerSections(hf.OddFooter)
	for _, c := range codes {
		if c != 'P' && c != 'N' {
			t.Errorf("sheet %q: footer %q has the field code &%c", sheet, hf.OddFooter, c)
		}
	}
	if got['R'] != pages {
		t.Errorf("sheet %q: footer's right %q, want %q", sheet, got['R'], pages)
	}
	for _, s := range []struct {
		sec        byte
		got, whole string
	}{{'L', got['L'], terminal.ShowHidden(site)}, {'C', got['C'], terminal.ShowHidden(part)}} {
		cut := strings.TrimSuffix(s.got, "…")
		if s.got != s.whole && (cut == s.got || !strings.HasPrefix(s.whole, cut) || len([]rune(cut)) < 50) {
			t.Errorf("sheet %q: footer section &%c %q, want %q (or its first 50 characters or more, then …)", sheet, s.sec, s.got, s.whole)
		}
	}
}

// footerSections reads a header or footer as Excel does: &L, &C and &R
// begin a section, && is an &, and &P, &N and every other code are kept
// as written in their section and returned.
func footerSections(s string) (map[byte]string, []byte) {
	secs := map[byte]*strings.Builder{'L': {}, 'C': {}, 'R': {}}
	cur := secs['C'] // text before any section code is centred
	var codes []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '&' || i+1 == len(s) {
			cur.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case '&':
			cur.WriteByte('&')
		case 'L', 'C', 'R':
			cur = secs[c]
		default:
			codes = append(codes, c)
			cur.WriteByte('&')
			cur.WriteByte(c)
		}
	}
	out := map[byte]string{}
	for k, b := range secs {
		out[k] = b.String()
	}
	return out, codes
}

// checkWidths: a line sheet's or the plan's columns are wide enough for
// their header beside its filter button (centred, between two button's
// widths: Excel draws the button over the header's end), and the time zone column for
// its labels ("JST (UTC+09:00)").
func checkWidths(t *testing.T, f *excelize.File, sheet string, plan bool) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil || len(rows) < 1 || !plan && len(rows) < 2 {
		t.Fatalf("sheet %q: rows %q, %v", sheet, rows, err)
	}
	for j, head := range rows[0] {
		col, _ := excelize.ColumnNumberToName(j + 1)
		w, err := f.GetColWidth(sheet, col)
		if err != nil {
			t.Fatal(err)
		}
		// A filter button takes about two characters' width of the
		// header cell, and bold text a little more than plain; a
		// centred header (over numbers) needs the button's width on
		// both sides, or its end is under the button.
		need := float64(cols(head)) + 3
		ref, _ := excelize.CoordinatesToCellName(j+1, 1)
		if id, err := f.GetCellStyle(sheet, ref); err == nil {
			if st, err := f.GetStyle(id); err == nil && st.Alignment != nil && st.Alignment.Horizontal == "center" {
				need += 2
			}
		}
		if w < need {
			t.Errorf("sheet %q: column %s is %v wide; its header %q needs %v", sheet, col, w, head, need)
		}
		if plan || j != len(rows[0])-1 {
			continue
		}
		for _, r := range rows[1:] {
			if need := float64(cols(r[j])) + 1; w < need {
				t.Errorf("sheet %q: column %s is %v wide; its time zone %q needs %v", sheet, col, w, r[j], need)
			}
		}
	}
}

// TestWorkbookOverview reads back the overview sheet of a site's
// workbook, in English and Japanese, with a line name longer than its
// column and the note of a report of the fleet as it was: no text is cut.
// A cell of text cut by its neighbour or by the sheet's last column (past
// which nothing prints) reads only in part; a number or date too wide for
// its column shows ####; wrapped text needs rows enough. The columns
// (22, 17, 20, 80) were set once by eye: the Japanese KMS verdict (稼働中の
// KMS ホストあり, 23 characters' width) was cut at 20, and the as-of note,
// 188 wide, passed the last column.
func TestWorkbookOverview(t *testing.T) {
	for _, tc := range []struct {
		name  string
		lang  classify.Lang
		lines []string
	}{
		{"en", classify.English, []string{"L1", "Assembly and inspection line 3"}},
		{"ja", classify.Japanese, []string{"L1", "組立検査ライン第三工程"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := excelize.OpenFile(printBook(t, tc.lang, "Nagoya", tc.lines, true))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			checkCut(t, f, f.GetSheetList()[0])
		})
	}
}

// TestWorkbookRowsFit: every sheet of a site's workbook, in English and
// Japanese, shows each cell's whole text (checkCut): a wrapped cell's
// row is as high as its lines. Printed by LibreOffice, whose rows keep
// the height the file gives them, the KMS verdicts' meaning, a device's
// reasons and the plan's actions ran over the rows below, and the
// Japanese plan's purchase (Office ボリューム ライセンス 1 台分、MAK 認証
// 1 回分, 52 wide in a column of 36) was cut by the asset tags.
func TestWorkbookRowsFit(t *testing.T) {
	for _, tc := range []struct {
		name string
		lang classify.Lang
	}{
		{"en", classify.English},
		{"ja", classify.Japanese},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			for _, name := range fleetBooks(t, tc.lang) {
				f, err := excelize.OpenFile(name)
				if err != nil {
					t.Fatal(err)
				}
				for _, sheet := range f.GetSheetList() {
					checkCut(t, f, sheet)
					n++
				}
				f.Close()
			}
			if n == 0 {
				t.Fatal("no sheet")
			}
		})
	}
}

// fleetBooks writes the archetypes' reports in lang as workbooks only
// and returns their files' names.
func fleetBooks(t *testing.T, lang classify.Lang) []string {
	t.Helper()
	lines, pools := fleet(t)
	w, err := NewWriter(t.TempDir(), Options{Lang: lang, AsOf: asOf, Generated: asOf, Generator: "test", Formats: []string{XLSX}})
	if err != nil {
		t.Fatal(err)
	}
	for s, p := range pools {
		w.SetPool(s, *p)
	}
	keys := make([][2]string, 0, len(lines))
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+"\x00"+keys[i][1] < keys[j][0]+"\x00"+keys[j][1] })
	for _, k := range keys {
		if err := w.Line(k[0], k[1], lines[k]); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	var books []string
	for _, name := range files {
		if filepath.Ext(name) == ".xlsx" {
			books = append(books, name)
		}
	}
	if len(books) == 0 {
		t.Fatalf("no workbook in %q", files)
	}
	return books
}

// checkCut: every cell of sheet shows its whole text. A character
// counts as cols says, plus one for the cell's margins and one more
// when bold; text that does not wrap may run on over empty cells to
// its right, up to the sheet's last column; wrapped text needs as many
// lines (of 15 points) as it takes at its column's (or merged range's)
// width. Excel works that out itself for a row of no set height, but
// not for a merged cell, and LibreOffice not at all: it opens and
// prints such a row at 15 points, each line past the first drawn over
// the rows below.
func checkCut(t *testing.T, f *excelize.File, sheet string) {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	last := 0
	for _, r := range rows {
		if len(r) > last {
			last = len(r)
		}
	}
	width := func(from, to int) float64 { // columns from to to, 1-based
		w := 0.0
		for c := from; c <= to; c++ {
			name, _ := excelize.ColumnNumberToName(c)
			cw, err := f.GetColWidth(sheet, name)
			if err != nil {
				t.Fatal(err)
			}
			w += cw
		}
		return w
	}
	for i, r := range rows {
		for j, v := range r {
			if v == "" {
				continue
			}
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			id, err := f.GetCellStyle(sheet, ref)
			if err != nil {
				t.Fatal(err)
			}
			st, err := f.GetStyle(id)
			if err != nil {
				t.Fatal(err)
			}
			need := float64(cols(v)) + 1
			if st.Font != nil && st.Font.Bold {
				need++
			}
			if st.Font != nil && st.Font.Size > 11 {
				need *= st.Font.Size / 11
			}
			to, isMerged := j+1, false
			for _, m := range merged {
				c0, r0, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
				c1, r1, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
				if c0 == j+1 && r0 <= i+1 && i+1 <= r1 {
					to, isMerged = c1, true
				}
			}
			if st.Alignment != nil && st.Alignment.WrapText {
				h, err := f.GetRowHeight(sheet, i+1)
				if err != nil {
					t.Fatal(err)
				}
				if lines := math.Ceil(need / width(j+1, to)); h < lines*15 {
					t.Errorf("sheet %q: %s %q needs %v lines at %v wide; its row is %v points high", sheet, ref, v, lines, width(j+1, to), h)
				}
				continue
			}
			if _, err := strconv.ParseFloat(raw[i][j], 64); err != nil && !isMerged {
				// Text runs on over empty cells, not past the last column.
				for to < last && (to >= len(r) || r[to] == "") {
					to++
				}
			}
			if w := width(j+1, to); w < need {
				t.Errorf("sheet %q: %s %q needs %v wide, has %v", sheet, ref, v, need, w)
			}
		}
	}
}

// TestWorkbookNumbersUnderHeads: in a site's workbook, en and ja, a
// number stands under its own header, aligned as it is (a header left
// and its counts right of a wide column stood under the next column's
// header: the plan's Devices under Urgent; a line sheet's days left, 0,
// beside the next column's "already ended" read "0 already ended"),
// and the overview's counts
// stand next to their labels: no column of counts is wider than
// overviewMost. The counts table shared column D with the KMS
// verdicts' meaning (80 wide): Image backup's counts stood 80
// characters right of their lines.
func TestWorkbookNumbersUnderHeads(t *testing.T) {
	for _, tc := range []struct {
		name string
		lang classify.Lang
	}{
		{"en", classify.English},
		{"ja", classify.Japanese},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, name := range fleetBooks(t, tc.lang) {
				f, err := excelize.OpenFile(name)
				if err != nil {
					t.Fatal(err)
				}
				sheets := f.GetSheetList()
				checkNumbersUnderHeads(t, f, sheets[0], 6, true)
				for _, sheet := range sheets[1:] { // the line sheets and the plan
					checkNumbersUnderHeads(t, f, sheet, 1, false)
				}
				f.Close()
			}
		})
	}
}

// checkNumbersUnderHeads: below the header row head of sheet, down to
// the first empty row, each number is aligned as its header (a header
// is left of its cell unless its style says otherwise, a number right);
// near, the columns of numbers are overviewMost wide at most.
func checkNumbersUnderHeads(t *testing.T, f *excelize.File, sheet string, head int, near bool) {
	t.Helper()
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil || len(rows) <= head {
		t.Fatalf("sheet %q: rows %q, %v", sheet, rows, err)
	}
	align := func(ref, general string) string {
		id, err := f.GetCellStyle(sheet, ref)
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Alignment == nil || st.Alignment.Horizontal == "" || st.Alignment.Horizontal == "general" {
			return general
		}
		return st.Alignment.Horizontal
	}
	numbers := 0
	for i := head; i < len(rows) && len(rows[i]) > 0; i++ {
		for j, v := range rows[i] {
			if _, err := strconv.ParseFloat(v, 64); err != nil || j >= len(rows[head-1]) {
				continue
			}
			numbers++
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			top, _ := excelize.CoordinatesToCellName(j+1, head)
			if got, want := align(ref, "right"), align(top, "left"); got != want {
				t.Errorf("sheet %q: %s %s aligned %s under %s %q aligned %s", sheet, ref, v, got, top, rows[head-1][j], want)
			}
			col, _ := excelize.ColumnNumberToName(j + 1)
			if w, err := f.GetColWidth(sheet, col); err != nil || near && w > overviewMost {
				t.Errorf("sheet %q: column %s of %q's counts is %v wide (%v), want %v at most", sheet, col, rows[head-1][j], w, err, overviewMost)
			}
		}
	}
	if numbers == 0 {
		t.Errorf("sheet %q: no numbers under row %d", sheet, head)
	}
}
