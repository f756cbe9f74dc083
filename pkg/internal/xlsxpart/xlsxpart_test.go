package xlsxpart

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// hostile texts: XML's specials, control characters, invalid UTF-8,
// Excel's _xHHHH_ escapes, leading and trailing space, characters XML
// cannot hold, a text longer than a cell holds.
var hostile = []string{"", "plain", `<script>alert("x")</script>`, "a&b'c+d", "nul\x00nul", "bad\xff\xfeutf8", "  spaced  ",
	"改行\r\n漢字", "\u2028\ufffd\U0001F600", "FA-\u202e110\u2066x\u200b\xe2\x80", "_x0041_ _x005F_x0041_", "\t lead", "trail\n",
	"\x01\x1f\x7f", "_x005F_x0041_", "_x00zz_", "_x005F_", "_xD800_", "a_x0041", strings.Repeat("長", excelize.TotalCellChars+3),
	"a\ufffeb\uffff\U0010FFFF", "=1+1", "\r", "_x0000\x00", "_x0041\uffff_x0042__"}

// streamed is what excelize's StreamWriter writes for rows of cells, the
// first as row 2: the XML inside sheetData.
// heightOf is the height of the rows checkCells writes: none, a
// fraction of a point, and Excel's most.
func heightOf(i int) float64 { return []float64{0, 15, 22.5, 0.25, excelize.MaxRowHeight}[i%5] }

func streamed(t testing.TB, rows [][]excelize.Cell) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cells := make([]interface{}, len(r))
		for j := range r {
			cells[j] = r[j]
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, cells, excelize.RowOpts{Height: heightOf(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	x := string(part(t, saved(t, f), "xl/worksheets/sheet1.xml"))
	i, j := strings.Index(x, "<sheetData>"), strings.Index(x, "</sheetData>")
	if i < 0 || j < i {
		t.Fatalf("no sheetData in %q", x)
	}
	return x[i+len("<sheetData>") : j]
}

func saved(t testing.TB, f *excelize.File) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// part is the content of the part name of the zip data.
func part(t testing.TB, data []byte, name string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkCells: Cells writes rows as excelize's StreamWriter does.
func checkCells(t testing.TB, rows [][]excelize.Cell) {
	t.Helper()
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	r := NewRows(w)
	for i, row := range rows {
		if err := r.Cells(i+2, heightOf(i), row); err != nil {
			t.Fatal(err)
		}
	}
	w.Flush()
	if got, want := b.String(), streamed(t, rows); got != want {
		t.Fatalf("rows differ from excelize's:\n got %q\nwant %q", got, want)
	}
}

// TestCells: the rows Cells writes are excelize's, byte for byte, for
// hostile text, numbers and times from before Excel's first day to far
// in the future, with a style and without.
func TestCells(t *testing.T) {
	times := []time.Time{time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC),
		time.Date(1900, 2, 28, 23, 59, 0, 0, time.UTC), time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC),
		time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("JST", 9*3600)), {},
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC)}
	ints := []int{0, -3, 45, 1 << 40}
	var rows [][]excelize.Cell
	for i := 0; i < 3*len(hostile); i++ {
		var row []excelize.Cell
		for j := 0; j < 30; j++ { // past column Z
			var v interface{} = hostile[(i+j)%len(hostile)]
			switch j % 5 {
			case 1:
				v = ints[(i+j)%len(ints)]
			case 3:
				v = times[(i+j)%len(times)]
			}
			row = append(row, excelize.Cell{StyleID: 1 + j%3, Value: v})
		}
		if i%2 == 0 {
			row = append(row, excelize.Cell{Value: hostile[i%len(hostile)]}, excelize.Cell{Value: i})
		}
		rows = append(rows, row)
	}
	checkCells(t, rows)
}

func FuzzCells(f *testing.F) {
	f.Add("NG-L1", "<&>\"'", "\t x \r\n", "_x0041_", int64(0), int64(1798761600), 12)
	f.Fuzz(func(t *testing.T, a, b, c, d string, t1, t2 int64, n int) {
		checkCells(t, [][]excelize.Cell{
			{{StyleID: 1, Value: a}, {StyleID: 2, Value: time.Unix(t1, 0).UTC()}, {Value: n}, {Value: b}},
			{{Value: c}, {StyleID: 3, Value: time.Unix(t2, t1%1e9).UTC()}, {StyleID: 1, Value: d}},
		})
	})
}

// TestCellsType: a cell of a type Cells does not write is an error, and
// so is a time without a style, which excelize would give one, and a
// row higher than Excel's most.
func TestCellsType(t *testing.T) {
	for _, v := range []interface{}{1.5, true, nil, []byte("x"), time.Now()} {
		r := NewRows(bufio.NewWriter(io.Discard))
		if err := r.Cells(2, 0, []excelize.Cell{{Value: v}}); err == nil {
			t.Errorf("a cell of %T (%v) written", v, v)
		}
	}
	r := NewRows(bufio.NewWriter(io.Discard))
	if err := r.Cells(2, excelize.MaxRowHeight+1, []excelize.Cell{{Value: "x"}}); err != excelize.ErrMaxRowHeight {
		t.Errorf("a row of %v points: got %v, want %v", excelize.MaxRowHeight+1, err, excelize.ErrMaxRowHeight)
	}
}

// texts writes rows of texts with Texts into a sheet of a workbook, and
// returns it.
func texts(t testing.TB, rows [][]string, style int) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	part := SheetParts(f)["Sheet1"]
	var b bytes.Buffer
	err := WriteSorted(&b, f, map[string]func(*Rows) error{part: func(r *Rows) error {
		for i, row := range rows {
			if err := r.Texts(i+1, style, row); err != nil {
				return err
			}
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// valid is s as a cell reads it back: a byte that is not UTF-8 is
// U+FFFD, and a cell holds 32,767 characters.
func valid(s string) string {
	s = string([]rune(s))
	if utf8.RuneCountInString(s) > excelize.TotalCellChars {
		s = string([]rune(s)[:excelize.TotalCellChars])
	}
	return s
}

// checkTexts: each text written by Texts reads back as it was given
// (valid), text cells of the style, by excelize, which undoes Excel's
// escapes as Excel does, and by UnescapeX of the cell's XML text.
func checkTexts(t testing.TB, rows [][]string) {
	t.Helper()
	data := texts(t, rows, 1)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i, row := range rows {
		for j, s := range row {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			got, err := f.GetCellValue("Sheet1", ref, excelize.Options{RawCellValue: true})
			if err != nil || got != valid(s) {
				t.Errorf("%s: excelize reads %q, %v; want %q", ref, got, err, valid(s))
			}
			if typ, _ := f.GetCellType("Sheet1", ref); typ != excelize.CellTypeInlineString {
				t.Errorf("%s: type %v, want an inline string", ref, typ)
			}
			if style, _ := f.GetCellStyle("Sheet1", ref); style != 1 {
				t.Errorf("%s: style %d, want 1", ref, style)
			}
		}
	}
	// The XML's own text, unescaped as ReadXLSX does.
	x := sheetData(t, data, "xl/worksheets/sheet1.xml")
	x = x[:strings.Index(x, "</sheetData>")]
	var got []string
	for _, cell := range strings.Split(x, "<t")[1:] {
		cell = cell[strings.Index(cell, ">")+1 : strings.Index(cell, "</t>")]
		var text string
		if err := xml.Unmarshal([]byte("<t>"+cell+"</t>"), &text); err != nil {
			t.Fatalf("%q: %v", cell, err)
		}
		got = append(got, UnescapeX(text))
	}
	var want []string
	for _, row := range rows {
		for _, s := range row {
			want = append(want, valid(s))
		}
	}
	if strings.Join(got, "\x00|") != strings.Join(want, "\x00|") {
		t.Errorf("UnescapeX reads %q, want %q", got, want)
	}
}

// TestTexts: Texts writes each text so that Excel reads it back as it is
// (excelize and UnescapeX, as ReadXLSX reads it), however hostile, and
// keeps its leading and trailing spaces.
func TestTexts(t *testing.T) {
	var rows [][]string
	for shift := range hostile {
		rows = append(rows, append(append([]string{}, hostile[shift:]...), hostile[:shift]...))
	}
	checkTexts(t, rows)
	x := string(part(t, texts(t, [][]string{{" a", "b\t", "\rc", "d"}}, 7), "xl/worksheets/sheet1.xml"))
	want := `<row r="1"><c r="A1" s="7" t="inlineStr"><is><t xml:space="preserve"> a</t></is></c>` +
		`<c r="B1" s="7" t="inlineStr"><is><t xml:space="preserve">b&#x9;</t></is></c>` +
		`<c r="C1" s="7" t="inlineStr"><is><t xml:space="preserve">&#xD;c</t></is></c>` +
		`<c r="D1" s="7" t="inlineStr"><is><t>d</t></is></c></row>`
	if !strings.Contains(x, want) {
		t.Errorf("sheet %q\nwant the row %q", x, want)
	}
}

func FuzzTexts(f *testing.F) {
	for _, s := range hostile {
		if len(s) < 100 {
			f.Add(s, "x")
		}
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		checkTexts(t, [][]string{{a, b}, {b}})
	})
}

// escapeText is what xmlText must give: s through xml.EscapeText, with
// its newlines as they are, as encoding/xml's Encoder writes character
// data.
func escapeText(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s)) // a strings.Builder does not fail
	// "&#xA;" comes only from a newline: an & of s is "&amp;".
	return strings.ReplaceAll(b.String(), "&#xA;", "\n")
}

// TestXMLText: xmlText escapes as EscapeText does.
func TestXMLText(t *testing.T) {
	for _, s := range []string{"", "plain", "改行\nあり", "\x7f", "\t", "\r", "a&b", `"'<>`, "\xff", "\xe2\x80", "\ufffd", "\ufffe", "\uffff",
		"\U0001F600", "\ud7ff", "\ue000", "x\x00y", "\x1b[2J", "_x0041_", "the site's count", "長い\xff'\t\r\n\x00end"} {
		if got, want := xmlText(s), escapeText(s); got != want {
			t.Errorf("xmlText(%q) = %q, EscapeText gives %q", s, got, want)
		}
	}
}

// TestXMLTextAllocs: a text with something to escape, as a reason with
// an apostrophe, is built once.
func TestXMLTextAllocs(t *testing.T) {
	s := "it works here whatever the site's count; but it has activated Office 2016 here"
	if got := testing.AllocsPerRun(100, func() { xmlText(s) }); got > 1 {
		t.Errorf("got %v allocations, want at most 1", got)
	}
}

func FuzzXMLText(f *testing.F) {
	f.Add("改行\n\xff\ufffe")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := xmlText(s), escapeText(s); got != want {
			t.Fatalf("xmlText(%q) = %q, EscapeText gives %q", s, got, want)
		}
	})
}

// sheetData is a worksheet's XML as excelize writes it, from its
// sheetData on.
func sheetData(t testing.TB, data []byte, name string) string {
	t.Helper()
	x := string(part(t, data, name))
	i := strings.Index(x, "<sheetData>")
	if i < 0 {
		t.Fatalf("%s: no sheetData in %q", name, x)
	}
	return x[i:]
}

// TestWriteSorted: the workbook's parts come in name order, the same
// bytes every time; the rows go into the sheets named, after the rows
// excelize wrote and before what follows them (the filter), the other
// sheets as excelize wrote them; a sheet named that is not there is an
// error.
func TestWriteSorted(t *testing.T) {
	build := func() *excelize.File {
		f := excelize.NewFile()
		for _, name := range []string{"Two", "Three"} {
			if _, err := f.NewSheet(name); err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"Sheet1", "Two", "Three"} {
			if err := f.SetSheetRow(name, "A1", &[]interface{}{"head", name}); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.AutoFilter("Two", "A1:B3", nil); err != nil {
			t.Fatal(err)
		}
		return f
	}
	write := func(f *excelize.File, rows map[string]func(*Rows) error) ([]byte, error) {
		var b bytes.Buffer
		err := WriteSorted(&b, f, rows)
		return b.Bytes(), err
	}
	var first []byte
	for i := 0; i < 5; i++ {
		f := build()
		parts := SheetParts(f)
		data, err := write(f, map[string]func(*Rows) error{parts["Two"]: func(r *Rows) error {
			return errorsOf(r.Texts(2, 0, []string{"a", "b"}), r.Texts(3, 0, []string{"c", "d"}))
		}})
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = data
			continue
		}
		if !bytes.Equal(data, first) {
			t.Fatalf("write %d differs from the first", i)
		}
	}
	zr, err := zip.NewReader(bytes.NewReader(first), int64(len(first)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range zr.File {
		names = append(names, p.Name)
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("parts %q, want them in name order", names)
	}
	f := build()
	defer f.Close()
	want := saved(t, f)
	parts := SheetParts(f)
	if got, want := sheetData(t, first, parts["Two"]), strings.Replace(sheetData(t, want, parts["Two"]), "</sheetData>",
		`<row r="2"><c r="A2" t="inlineStr"><is><t>a</t></is></c><c r="B2" t="inlineStr"><is><t>b</t></is></c></row>`+
			`<row r="3"><c r="A3" t="inlineStr"><is><t>c</t></is></c><c r="B3" t="inlineStr"><is><t>d</t></is></c></row></sheetData>`, 1); got != want {
		t.Errorf("sheet Two:\n got %q\nwant %q", got, want)
	}
	for _, name := range []string{"Sheet1", "Three", "xl/workbook.xml"} {
		if p, ok := parts[name]; ok {
			name = p
		}
		if got, want := string(part(t, first, name)), string(part(t, want, name)); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	if _, err := write(build(), map[string]func(*Rows) error{"xl/worksheets/sheet9.xml": func(*Rows) error { return nil }}); err == nil {
		t.Error("a sheet that is not there: no error")
	}
}

func errorsOf(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestEscapeX: UnescapeX reads what escapeX writes of a text as it was,
// and escapeX leaves text with nothing to escape as it is.
func TestEscapeX(t *testing.T) {
	for _, s := range hostile {
		s = string([]rune(s)) // UTF-8, as xmlText makes it
		if got := UnescapeX(escapeX(s)); got != s {
			t.Errorf("UnescapeX(escapeX(%q)) = %q", s, got)
		}
	}
	for _, tc := range []struct{ in, want string }{{"plain", "plain"}, {"a_x0041_b", "a_x005F_x0041_b"}, {"bell\x07", "bell_x0007_"},
		{"_x005F_", "_x005F_x005F_"}, {"\uffff", "_xFFFF_"}, {"a_xb", "a_xb"}, {"tab\tcr\rlf\n", "tab\tcr\rlf\n"},
		{"_x0000\x00", "_x005F_x0000_x0000_"}, {"_x0041", "_x0041"}, {"_x0041\x00", "_x005F_x0041_x0000_"}} {
		if got := escapeX(tc.in); got != tc.want {
			t.Errorf("escapeX(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzEscapeX(f *testing.F) {
	for _, s := range hostile {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		s = string([]rune(s))
		if got := UnescapeX(escapeX(s)); got != s {
			t.Fatalf("UnescapeX(escapeX(%q)) = %q", s, got)
		}
	})
}

// TestLines: how many lines of a wrapped cell a text takes in a column.
// A text that fits its column (with a character for the margins) is one
// line: a tenth added for word wrap made a host of 17 characters two
// lines in a column of 18, its row twice as high as it needed.
func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name  string
		s     string
		width float64
		want  float64
	}{
		{"empty", "", 18, 1},
		{"fits exactly", strings.Repeat("a", 17), 18, 1},
		{"one over", strings.Repeat("a", 18), 18, 2},
		{"word wrap's room", strings.Repeat("a", 35), 18, 3}, // 36 * 1.1 = 39.6 over 18
		{"wide characters", "名古屋第二工場", 12, 2},                // 15 wide
		{"lines", "a\nb\n\nc", 18, 4},
		{"empty lines stop at Excel's most row", strings.Repeat("\n", 1000), 18, 28},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Lines(tc.s, tc.width); got != tc.want {
				t.Errorf("Lines(%.20q, %v) = %v, want %v", tc.s, tc.width, got, tc.want)
			}
		})
	}
}

// TestColsNarrowBelow: Cols counts every character before firstWide as
// one column without the width table; the table agrees for each of
// them, and a wide or fullwidth character at or after it is two.
func TestColsNarrowBelow(t *testing.T) {
	for r := rune(0); r < firstWide; r++ {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			t.Fatalf("%U is wide by Unicode's table, before firstWide", r)
		}
	}
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"FA-L01-0042", 11},
		{"é\u00a0\u0410\u10ff", 4}, // Latin, a no-break space, Cyrillic, the last before firstWide
		{"\u1100", 2},              // Hangul's first jamo: wide
		{"名古屋", 6},                 // wide
		{"ＡＢ", 4},                  // fullwidth
		{"ｱｲ", 2},                  // halfwidth katakana: narrow
		{"\xff\xfe", 2},            // invalid UTF-8: a replacement character each
		{"ライン L01 (第2工場)", 20},     // mixed: 6 wide and 8 narrow
	} {
		if got := Cols(tc.s); got != tc.want {
			t.Errorf("Cols(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}
