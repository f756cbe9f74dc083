package report

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"html/template"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/internal/xlsxpart"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// hostile values: markup, quotes, a plus, NUL, invalid UTF-8, a
// template's own delimiters, a URL's specials.
var hostile = []string{"", "plain", `<script>alert("x")</script>`, "a&b'c+d", "nul\x00nul", "bad\xff\xfeutf8", "{{.T}}",
	"#frag?q=1&x=%41/ :;", "  spaced  ", "改行\r\n漢字", "\u2028\ufffd\U0001F600", "FA-\u202e110-2L\u2066x\u200b\xe2\x80", "_x0041_ _x005F_x0041_",
	"2027-02-10<b>\\2027-02-10\\u202e2026-11-02 \u202e2027-01-14>", "12027-02-10 2027-02-100 -2027-02-10 2027-2-10 2027-02-10-", "&2027-02-10&2027-02-10"}

// view builds a device view from values; the category picks the colour,
// as newDeviceView does.
func view(t *texts, head string, cat int, vals []string) deviceView {
	at := func(i int) string { return vals[i%len(vals)] }
	c := classify.Categories[cat%len(classify.Categories)]
	v := deviceView{T: t, ProductHead: productHeadOf(head), ID: at(0), Asset: at(1), Hostname: at(2), Action: at(3), Deadline: at(4),
		DeadlineClass: at(5), Category: at(6), First: at(7), Colour: catColour[c], System: at(8), Evidence: at(9)}
	// The action's KMS host: a piece of the action (set apart in its
	// span where no escape is cut), or, in turn, the deadline's value.
	if a := v.Action; cat%2 == 0 {
		v.ActionHost = a[len(a)/3 : len(a)-len(a)/3]
	} else {
		v.ActionHost = at(4)
	}
	n := cat % 3
	for i := 0; i < n; i++ {
		v.Reasons = append(v.Reasons, reasonView{at(10 + i), at(11 + i), at(12 + i)})
		v.Flags = append(v.Flags, reasonView{Text: at(13 + i)})
		v.Steps = append(v.Steps, at(14+i))
		v.Products = append(v.Products, productView{at(i), at(i + 1), at(i + 2), at(i + 3), at(i + 4), at(i + 5), at(i + 6)})
		v.Raw = append(v.Raw, rawView{at(i + 7), at(i + 8), at(i + 9)})
	}
	return v
}

// productHeadOf renders the product tables' head, which a device shows
// as given (it is HTML the "productHead" template wrote).
func productHeadOf(l string) template.HTML {
	h, err := productHead(lang(classify.Lang(l)))
	if err != nil {
		panic(err)
	}
	return h
}

// checkDeviceHTML compares what the code writes with what the templates
// would.
func checkDeviceHTML(t *testing.T, v *deviceView) {
	t.Helper()
	for _, c := range []struct {
		name  string
		write func(stringWriter, *deviceView)
	}{{"deviceRow", deviceRow}, {"device", deviceSection}} {
		var want, got strings.Builder
		if err := tmpl.ExecuteTemplate(&want, c.name, v); err != nil {
			t.Fatal(err)
		}
		c.write(&got, v)
		// What execute makes of the template's bytes.
		if got.String() != terminal.ShowHidden(want.String()) {
			t.Fatalf("%s differs from its template for %+v:\n got %q\nwant %q", c.name, *v, got.String(), want.String())
		}
	}
}

// TestDeviceHTML: the device rows and sections written by code are the
// bytes their templates give, for hostile values in every field, every
// category, with and without the optional parts, in both languages.
func TestDeviceHTML(t *testing.T) {
	for _, l := range []classify.Lang{classify.English, classify.Japanese} {
		tx := lang(l)
		for cat := 0; cat < 6; cat++ {
			for shift := range hostile {
				vals := append(append([]string{}, hostile[shift:]...), hostile[:shift]...)
				v := view(tx, string(l), cat, vals)
				checkDeviceHTML(t, &v)
			}
		}
	}
	// A category with no colour (none is unknown today) leaves the
	// style's value empty, as the template does.
	v := view(lang(classify.English), "en", 0, hostile)
	v.Colour = ""
	checkDeviceHTML(t, &v)
}

func FuzzDeviceHTML(f *testing.F) {
	f.Add(0, "d1", "NG-L1", "host", "<b>", "a&b", "'q'+\"", "\x00\xff")
	f.Add(5, "id with space#?", "", "", "", "", "", "")
	f.Add(1, `d\u202e`, `NG-\u202e`, "a\\\u202e", `C:\x41\Users`, "\\\\\U000e0100", `\U000e0100`, "\\")
	f.Add(2, "2027-02-10", `\2027-02-10`, "x2027-02-10x", "\u202e2027-01-14", "12027-02-10", "2027-02-10\\", "<2027-02-10>")
	f.Add(1, "d1", "NG", "h", `KMS host 2028 x\u2028 \\u2028`, "2028", "dl", "c")
	f.Add(5, "d1", "NG", "h", "KMS host kms\\\u202ekms\\ go", "kms\\", "dl", "c")
	f.Add(3, "d1", "NG", "h", `KMS host u20 (\u20u20)`, "u20", "dl", "c")
	f.Fuzz(func(t *testing.T, cat int, a, b, c, d, e, g, h string) {
		if cat < 0 {
			cat = -cat
		}
		v := view(lang(classify.English), "en", cat%6, []string{a, b, c, d, e, g, h})
		checkDeviceHTML(t, &v)
	})
}

func TestURLEsc(t *testing.T) {
	for _, tc := range []struct{ in, want string }{{"d12", "d12"}, {"a b", "a%20b"}, {"#?&=/", "%23%3f%26%3d%2f"}, {"é~._-", "%c3%a9~._-"},
		{"", ""}} {
		if got := urlEsc(tc.in); got != tc.want {
			t.Errorf("urlEsc(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// excelizeRows is what excelize's StreamWriter writes for the sheet's
// rows: the reference for writeRows.
func excelizeRows(t testing.TB, sh *sheet, st styles) string {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < sh.len(); i++ {
		var cells []interface{}
		cs, _ := sh.cells(nil, nil, i, st)
		for _, c := range cs {
			cells = append(cells, c)
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, cells, excelize.RowOpts{Height: rowHeight(cs, st.wrap, lineWidths)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.Open("xl/worksheets/sheet1.xml")
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(rc)
	x := string(data)
	i, j := strings.Index(x, "<sheetData>"), strings.Index(x, "</sheetData>")
	if i < 0 || j < i {
		t.Fatalf("no sheetData in %q", x)
	}
	return x[i+len("<sheetData>") : j]
}

func checkSheetRows(t testing.TB, sh *sheet) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		t.Fatal(err)
	}
	want := excelizeRows(t, sh, st)
	var b bytes.Buffer
	w := bufio.NewWriter(&b)
	if err := sh.writeRows(xlsxpart.NewRows(w), st, 2); err != nil {
		t.Fatal(err)
	}
	w.Flush()
	if got := b.String(); got != want {
		t.Fatalf("rows differ from excelize's:\n got %q\nwant %q", got, want)
	}
}

// sheetOf makes a line sheet of rows of values as newSheet lays them out.
func sheetOf(vals []string, times []time.Time, days []int) *sheet {
	sh := &sheet{line: "L"}
	at := func(i int) string { return vals[i%len(vals)] }
	for i := range times {
		var deadline, d interface{} = "", ""
		if i%2 == 0 {
			deadline, d = times[i], days[i%len(days)]
		}
		sh.add([]interface{}{at(i), deadline, d, at(i + 1), at(i + 2), at(i + 3), at(i + 4), at(i + 5), at(i + 6),
			at(i + 7), times[(i+1)%len(times)], at(i + 8)}, classify.Categories[i%len(classify.Categories)], i%3 == 0)
	}
	return sh
}

// TestSheetRows: the rows written by writeRows are excelize's, byte for
// byte, for hostile text (XML specials, control characters, invalid
// UTF-8, Excel's _xHHHH_ escapes, leading and trailing space, a text
// longer than a cell holds) and times from before Excel's first day to
// far in the future.
func TestSheetRows(t *testing.T) {
	vals := append(append([]string{}, hostile...), "\t lead", "trail\n", "\x01\x1f\x7f", "_x005F_x0041_", "_x00zz_",
		strings.Repeat("長", excelize.TotalCellChars+3), "a\ufffeb\U0010FFFF")
	times := []time.Time{time.Date(2026, 11, 2, 9, 30, 0, 0, time.UTC), time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC),
		time.Date(1900, 2, 28, 23, 59, 0, 0, time.UTC), time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 0, 0, time.UTC),
		time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("JST", 9*3600)), {},
		time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 123456789, time.UTC)}
	for shift := range vals {
		v := append(append([]string{}, vals[shift:]...), vals[:shift]...)
		checkSheetRows(t, sheetOf(v, times, []int{0, -3, 45, 1 << 40}))
	}
}

// TestSheetCells: a sheet gives back each row's cells as they were added
// (texts, numbers, times at the same instant and offset from UTC), with
// its category and whether it is due.
func TestSheetCells(t *testing.T) {
	texts := append(append([]string{}, hostile...), "", "長", strings.Repeat("x", 70000), "\xff\x00")
	times := []time.Time{{}, time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 12, 0, 0, 7, time.FixedZone("JST", 9*3600)),
		time.Date(2026, 3, 1, 12, 0, 0, 0, time.FixedZone("", -3600*5-1800)), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)}
	ints := []int{0, -1, 1, -1 << 62, 1<<63 - 1, 45}
	var sh sheet
	var want [][]interface{}
	for i := 0; i < 40; i++ {
		row := []interface{}{texts[i%len(texts)], times[i%len(times)], ints[i%len(ints)]}
		for j := 0; j < i%13; j++ {
			row = append(row, texts[(i+j)%len(texts)])
		}
		want = append(want, row)
		sh.add(row, classify.Categories[i%len(classify.Categories)], i%3 == 1)
	}
	if sh.len() != len(want) {
		t.Fatalf("len = %d, want %d", sh.len(), len(want))
	}
	for i, w := range want {
		got := sh.row(nil, i)
		if len(got) != len(w) {
			t.Fatalf("row %d: %d cells, want %d", i, len(got), len(w))
		}
		for j := range w {
			switch v := w[j].(type) {
			case time.Time:
				g, ok := got[j].(time.Time)
				_, goff := g.Zone()
				_, off := v.Zone()
				if !ok || !g.Equal(v) || goff != off || g.Format(time.RFC3339Nano) != v.Format(time.RFC3339Nano) {
					t.Errorf("row %d cell %d: got %v, want %v", i, j, got[j], v)
				}
			default:
				if got[j] != w[j] {
					t.Errorf("row %d cell %d: got %#v, want %#v", i, j, got[j], w[j])
				}
			}
		}
		if c := sh.category(i); c != classify.Categories[i%len(classify.Categories)] {
			t.Errorf("row %d: category %q", i, c)
		}
		if sh.due[i] != (i%3 == 1) {
			t.Errorf("row %d: due %v", i, sh.due[i])
		}
	}
}

func FuzzSheetRows(f *testing.F) {
	f.Add("NG-L1", "<&>\"'", "\t x \r\n", "_x0041_", int64(0), int64(1798761600), 12)
	f.Fuzz(func(t *testing.T, a, b, c, d string, t1, t2 int64, days int) {
		times := []time.Time{time.Unix(t1, 0).UTC(), time.Unix(t2, t1%1e9).UTC()}
		checkSheetRows(t, sheetOf([]string{a, b, c, d}, times, []int{days}))
	})
}

// TestWorkbookLines: every line sheet of a site's workbook holds that
// line's devices, in the page's order, under a header; lines whose names
// Excel takes for one ("s" and "ſ", σ and ς) get sheets of their own.
func TestWorkbookLines(t *testing.T) {
	lines, pools := fleet(t)
	var all []Device
	for _, devs := range lines {
		all = append(all, devs...)
	}
	sortDevices(all)
	names := []string{"s", "ſ", "σ", "ς", "L<&>"}
	want := map[string][]string{}
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Formats: []string{XLSX}})
	if err != nil {
		t.Fatal(err)
	}
	for site, p := range pools {
		w.SetPool(site, *p)
	}
	for i, name := range names {
		var devs []Device
		for j := i; j < len(all); j += len(names) {
			d := all[j]
			d.Site, d.Line = "Site", name
			devs = append(devs, d)
		}
		if err := w.Line("Site", name, devs); err != nil {
			t.Fatal(err)
		}
		sortDevices(devs)
		for _, d := range devs {
			want[name] = append(want[name], d.Asset)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "Site", "Site.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) != len(names)+2 {
		t.Fatalf("sheets %q", sheets)
	}
	for i, name := range names {
		rows, err := f.GetRows(sheets[i+1])
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range rows[1:] {
			got = append(got, r[4])
		}
		if rows[0][4] != lang(classify.English).Asset || strings.Join(got, ",") != strings.Join(want[name], ",") {
			t.Errorf("sheet %q of line %q: header %q, assets %q, want %q", sheets[i+1], name, rows[0], got, want[name])
		}
		// Each line's table (its filters) is in the workbook, numbered
		// in order (tablesAside sets them aside while the sheets are
		// added).
		if tables, err := f.GetTables(sheets[i+1]); err != nil || len(tables) != 1 || tables[0].Name != "Line"+strconv.Itoa(i+1) ||
			tables[0].Range != "A1:L"+strconv.Itoa(len(rows)) {
			t.Errorf("sheet %q: tables %+v, %v", sheets[i+1], tables, err)
		}
	}
	// Every sheet declares the range it uses (its dimension), as
	// readers that size a sheet by it need: not excelize's "A1".
	for _, sheet := range sheets {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		cols := 0
		for _, r := range rows {
			if len(r) > cols {
				cols = len(r)
			}
		}
		last, _ := excelize.CoordinatesToCellName(cols, len(rows))
		if got, err := f.GetSheetDimension(sheet); err != nil || got != "A1:"+last || len(rows) < 2 {
			t.Errorf("sheet %q: dimension %q, %v; want A1:%s", sheet, got, err, last)
		}
	}
}

// TestIsInt: isInt is strconv.Atoi's verdict, without its error.
func TestIsInt(t *testing.T) {
	for _, s := range []string{"", "0", "-13", "+5", "-", "+", "--1", "1-", "12a", "٣", "2026-11-11", "9223372036854775807",
		"9223372036854775808", "-9223372036854775808", "-9223372036854775809", "00012", " 1", "1 ", "0x10", "1_000", "=1+1"} {
		_, err := strconv.Atoi(s)
		if got := isInt(s); got != (err == nil) {
			t.Errorf("isInt(%q) = %v, Atoi's error %v", s, got, err)
		}
	}
}

// TestLinesKeepNoPlan: a committed line keeps its counts for the site's
// page and workbook, and its summary JSON, but not its plan, whose device
// references a report of many lines held to its end.
func TestLinesKeepNoPlan(t *testing.T) {
	lines, pools := fleet(t)
	for _, formats := range [][]string{{JSON}, {HTML, XLSX}} {
		w, err := NewWriter(t.TempDir(), Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Formats: formats})
		if err != nil {
			t.Fatal(err)
		}
		for site, p := range pools {
			w.SetPool(site, *p)
		}
		var keys [][2]string
		for k := range lines {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
		})
		planned := 0
		for _, k := range keys {
			devs := lines[k]
			if err := w.Line(devs[0].Site, devs[0].Line, devs); err != nil {
				t.Fatal(err)
			}
			s := w.sites[devs[0].Site]
			l := s.lines[len(s.lines)-1]
			if l.sum.Plan != nil {
				t.Errorf("%s: line %s kept its plan", formats, l.name)
			}
			if l.sum.Devices != len(devs) {
				t.Errorf("%s: line %s counts %d devices, want %d", formats, l.name, l.sum.Devices, len(devs))
			}
			if (len(l.json) > 0) != (formats[0] == JSON) {
				t.Errorf("%s: line %s summary JSON %q", formats, l.name, l.json)
			}
			planned += len(s.sum.Plan)
		}
		if planned == 0 {
			t.Error("no plan in any site: the test fleet plans nothing")
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTablesAside: line sheets added with the tables of the sheets before
// them set aside (as book.write does) make the same workbook, byte for
// byte, as when every table stays in place; and while they are added no
// more than one table part is left for excelize to parse again.
func TestTablesAside(t *testing.T) {
	const lines = 30
	build := func(aside bool) []byte {
		f := excelize.NewFile()
		defer f.Close()
		st, err := newStyles(f)
		if err != nil {
			t.Fatal(err)
		}
		b := &book{t: lang(classify.English), site: "S"}
		set := tablesAside{}
		var names []string
		var sheets []*sheet
		for i := 0; i < lines; i++ {
			sh := sheetOf([]string{"a", fmt.Sprint("line ", i), "<&>"}, []time.Time{asOf, asOf.AddDate(0, 0, i)}, []int{i})
			name := fmt.Sprintf("Line %d", i)
			if err := b.lineSheet(f, name, i+1, sh, st); err != nil {
				t.Fatal(err)
			}
			if aside {
				set.keepNewest(f)
				n := 0
				f.Pkg.Range(func(k, _ interface{}) bool {
					if strings.HasPrefix(k.(string), "xl/tables/") {
						n++
					}
					return true
				})
				if n != 1 {
					t.Fatalf("after line %d: %d table parts left in the workbook", i, n)
				}
			}
			names, sheets = append(names, name), append(sheets, sh)
		}
		set.restore(f)
		if len(set) != 0 {
			t.Fatalf("%d parts still set aside", len(set))
		}
		parts, err := rowParts(f, names, sheets, st)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := xlsxpart.WriteSorted(&buf, f, parts); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	got, want := build(true), build(false)
	if !bytes.Equal(got, want) {
		t.Fatalf("the workbook differs with its tables set aside (%d bytes, %d without)", len(got), len(want))
	}
	f, err := excelize.OpenReader(bytes.NewReader(got))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for i := 0; i < lines; i++ {
		tables, err := f.GetTables(fmt.Sprintf("Line %d", i))
		if err != nil || len(tables) != 1 || tables[0].Name != fmt.Sprintf("Line%d", i+1) {
			t.Errorf("line %d: tables %+v, %v", i, tables, err)
		}
	}
	for _, name := range []string{"xl/tables/table1.xml", "xl/tables/table30.xml", "xl/tables/table12.xml"} {
		if n, ok := tablePart(name); !ok || fmt.Sprintf("xl/tables/table%d.xml", n) != name {
			t.Errorf("tablePart(%q) = %d, %v", name, n, ok)
		}
	}
	for _, name := range []string{"xl/tables/tableSingleCells1.xml", "xl/tables/_rels/table1.xml.rels", "xl/tables/table.xml", "xl/tables/table-1.xml", "xl/worksheets/sheet1.xml"} {
		if _, ok := tablePart(name); ok {
			t.Errorf("tablePart(%q) takes it for a table", name)
		}
	}
}

// TestDated: a reason's ISO dates are set apart, each kept on one line
// in a "dl" span; a longer run of digits and hyphens (an ID, a year
// past 9999, a date with a time's hyphen after it) is not a date.
func TestDated(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"no date", "no date"},
		{"ends on 2027-02-10: act", "ends on [2027-02-10]: act"},
		{"2027-02-10", "[2027-02-10]"},
		{"2026-11-02 に期限が切れ、2027-01-14 まで", "[2026-11-02] に期限が切れ、[2027-01-14] まで"},
		{"x2027-02-10x", "x[2027-02-10]x"},
		{"12027-02-10 2027-02-100 -2027-02-10 2027-02-10- 2027-2-10 2027-02-1", "12027-02-10 2027-02-100 -2027-02-10 2027-02-10- 2027-2-10 2027-02-1"},
		{"00371-00170-000-000000-03-1041", "00371-00170-000-000000-03-1041"},
		{"2027-02-10/2027-03-10", "[2027-02-10]/[2027-03-10]"},
		{"----2027-02-10", "----2027-02-10"},
		{`u2028-02-10 \2027-02-10 \ 2027-02-10 \z2027-02-10`, `u[2028-02-10] \[2027-02-10] \ [2027-02-10] \z[2027-02-10]`},
	} {
		var b strings.Builder
		for _, p := range dated(tc.in) {
			if p.Class == "dl" {
				b.WriteString("[" + p.Text + "]")
			} else if p.Class == "" {
				b.WriteString(p.Text)
			} else {
				t.Errorf("dated(%q): class %q", tc.in, p.Class)
			}
		}
		if got := b.String(); got != tc.want {
			t.Errorf("dated(%q) = %q, want %q", tc.in, got, tc.want)
		}
		var h strings.Builder
		htmlDated(&h, tc.in)
		if got, want := h.String(), strings.NewReplacer("[", `<span class="dl">`, "]", "</span>").Replace(tc.want); got != want {
			t.Errorf("htmlDated(%q) = %q, want %q", tc.in, got, want)
		}
		// The text read is the text escaped whole: the spans change
		// no escape.
		var e strings.Builder
		htmlEsc(&e, tc.in)
		if got := strings.NewReplacer(`<span class="dl">`, "", "</span>", "").Replace(h.String()); got != e.String() {
			t.Errorf("htmlDated(%q) without its spans = %q, want %q, as htmlEsc writes it", tc.in, got, e.String())
		}
	}
}

// TestDatedEscape: after a backslash and x, u or U (and hex letters),
// the digits of a date are the rest of what reads as an escape (\u2028,
// a line separator shown), and are no date: set apart in a span, the
// backslash was not doubled (terminal.ShowHidden doubles it where the
// digits follow it), and a reason holding the six characters \u2028
// read as one holding U+2028.
func TestDatedEscape(t *testing.T) {
	for _, tc := range []struct{ in, html string }{
		{`\u2028-02-10`, `\\u2028-02-10`},
		{`see \\u2029-01-01.`, `see \\\\u2029-01-01.`},
		{`\x2027-02-10`, `\\x2027-02-10`},
		{`\uab2027-02-10 \Uabcdef2027-02-10 \xa2027-02-10`, `\\uab2027-02-10 \\Uabcdef2027-02-10 \\xa2027-02-10`},
	} {
		if got := dated(tc.in); len(got) != 1 || got[0] != (textPart{Text: tc.in}) {
			t.Errorf("dated(%q) = %q, want the text whole, no date", tc.in, got)
		}
		var h strings.Builder
		htmlDated(&h, tc.in)
		if h.String() != tc.html {
			t.Errorf("htmlDated(%q) = %q, want %q", tc.in, h.String(), tc.html)
		}
	}
}

// FuzzDated: whatever the text, its dates set apart in spans change
// nothing of what is read: without its spans, htmlDated writes what
// htmlEsc writes of the text whole.
func FuzzDated(f *testing.F) {
	for _, s := range []string{"ends on 2027-02-10: act", `\u2028-02-10`, `\\x2027-02-10`, "\u202e2027-01-14\\", `\Uabcdef2027-02-10`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var h, e strings.Builder
		htmlDated(&h, s)
		htmlEsc(&e, s)
		if got := strings.NewReplacer(`<span class="dl">`, "", "</span>", "").Replace(h.String()); got != e.String() {
			t.Fatalf("htmlDated(%q) without its spans = %q, want %q", s, got, e.String())
		}
	})
}

// FuzzNamed: whatever the text and the name, the name's spans change
// nothing of what the page shows (execute: the "parts" template, then
// terminal.ShowHidden over it all) but the spans.
func FuzzNamed(f *testing.F) {
	f.Add(`KMS host 2028 works (x\u2028y)`, "2028")
	f.Add("KMS host \u202ekms works (a\\\u202ekms)", "\u202ekms")
	f.Add(`KMS host kms\ works`, `kms\`)
	f.Fuzz(func(t *testing.T, s, name string) {
		var b, whole strings.Builder
		if err := tmpl.ExecuteTemplate(&b, "parts", named(s, name)); err != nil {
			t.Fatal(err)
		}
		if err := tmpl.ExecuteTemplate(&whole, "parts", []textPart{{Text: s}}); err != nil {
			t.Fatal(err)
		}
		unspan := strings.NewReplacer(`<span class="nm">`, "", "</span>", "")
		if got, want := unspan.Replace(terminal.ShowHidden(b.String())), terminal.ShowHidden(whole.String()); got != want {
			t.Fatalf("named(%q, %q) shown without its spans = %q, want %q", s, name, got, want)
		}
	})
}

// TestNamed: a KMS host named in a plan's action or a KMS verdict is
// set apart in an "nm" span, each time it is named, and the "parts"
// template escapes it and the text around it as any value.
func TestNamed(t *testing.T) {
	for _, tc := range []struct{ in, name, want string }{
		{"Connect to KMS host kms01 and activate again", "kms01", `Connect to KMS host <span class="nm">kms01</span> and activate again`},
		{"no host", "", "no host"},
		{"no host", "kms01", "no host"},
		{"kms01, kms01", "kms01", `<span class="nm">kms01</span>, <span class="nm">kms01</span>`},
		{"", "kms01", ""},
		{`KMS host <b>"x"</b>&+ works`, `<b>"x"</b>&+`, `KMS host <span class="nm">&lt;b&gt;&#34;x&#34;&lt;/b&gt;&amp;&#43;</span> works`},
		{"<i>2027-02-10</i> kms01", "kms01", `&lt;i&gt;2027-02-10&lt;/i&gt; <span class="nm">kms01</span>`},
		// A host named after a backslash and u (a release's name from a
		// device) is not set apart there: it is the rest of what reads
		// as an escape, and a span between left the backslash single
		// (the page's terminal.ShowHidden doubles it where it sees the
		// digits follow), "x\u2028y" read as holding U+2028.
		{`KMS host 2028 works (x\u2028y)`, "2028", `KMS host <span class="nm">2028</span> works (x\u2028y)`},
		{"KMS host \u202ekms works (a\\\u202ekms)", "\u202ekms", "KMS host <span class=\"nm\">\u202ekms</span> works (a\\\u202ekms)"},
		{`KMS host u2028 works (\u2028)`, "u2028", `KMS host <span class="nm">u2028</span> works (\u2028)`},
		{`KMS host u20 works (\u20u20)`, "u20", `KMS host <span class="nm">u20</span> works (\<span class="nm">u20</span><span class="nm">u20</span>)`},
	} {
		var b strings.Builder
		if err := tmpl.ExecuteTemplate(&b, "parts", named(tc.in, tc.name)); err != nil {
			t.Fatal(err)
		}
		if got := b.String(); got != tc.want {
			t.Errorf("named(%q, %q) = %q, want %q", tc.in, tc.name, got, tc.want)
		}
		// Shown as the page is (execute), the spans change no escape.
		var whole strings.Builder
		if err := tmpl.ExecuteTemplate(&whole, "parts", []textPart{{Text: tc.in}}); err != nil {
			t.Fatal(err)
		}
		unspan := strings.NewReplacer(`<span class="nm">`, "", "</span>", "")
		if got, want := unspan.Replace(terminal.ShowHidden(b.String())), terminal.ShowHidden(whole.String()); got != want {
			t.Errorf("named(%q, %q) shown without its spans = %q, want %q", tc.in, tc.name, got, want)
		}
	}
}

// TestKVLineAllocs: a reason's evidence, words and data, is two strings
// built at their size, one allocation each.
func TestKVLineAllocs(t *testing.T) {
	pairs := []kv{{"Name as read", "Office 14, OfficeProPlus-Retail edition", true}, {"Channel", "Retail", false},
		{"License status", "notification mode", false}, {"Partial product key", "M4QJX", true}, {"HRESULT", "0xC004F009", true},
		{"KMS host", "kms01.kumamoto.factory", true}, {"Source", "WMI", false}, {"Rule", "route-kms-site-host", true}}
	words, data := kvLine(pairs)
	if want := "Channel: Retail · License status: notification mode · Source: WMI"; words != want {
		t.Errorf("words: got %q, want %q", words, want)
	}
	if want := "Name as read: Office 14, OfficeProPlus-Retail edition · Partial product key: M4QJX · HRESULT: 0xC004F009 · KMS host: kms01.kumamoto.factory · Rule: route-kms-site-host"; data != want {
		t.Errorf("data: got %q, want %q", data, want)
	}
	if got := testing.AllocsPerRun(100, func() { kvLine(pairs) }); got > 2 {
		t.Errorf("got %v allocations, want at most 2", got)
	}
}
