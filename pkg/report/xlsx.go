package report

import (
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/internal/xlsxpart"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// book is a site's XLSX workbook on its way: a summary sheet, one sheet
// per line, the plan. It is written by excelize (pure Go) when the site's
// last line is in (Writer.writeBook); until then it holds its lines'
// rows, one site at a time.
type book struct {
	t      *texts
	site   string
	sheets []*sheet
}

func newBook(t *texts, site string) *book { return &book{t: t, site: site} }

// sheet is a line's sheet: its rows as cells, the devices let go.
//
// A site's sheets are kept until its workbook is written, a row for each
// of its devices: a site of 100,000 devices held 100,000 rows of twelve
// boxed values, which the garbage collector marked again in every cycle
// while the site's lines were rendered (a fifth of the CPU of a report of
// 1,000,000 devices in 10 sites). The cells are kept encoded in one
// slice of bytes instead (add, row), which holds no pointer to scan.
type sheet struct {
	line string
	zone zone
	data []byte  // the rows' cells, encoded by add
	offs []int   // where each row starts in data
	cats []uint8 // each row's category (an index of classify.Categories), for its colour
	due  []bool  // each row's deadline is past or now
}

// The kinds of an encoded cell: a string (its length, then its bytes), an
// int, or a time (seconds and nanoseconds since 1970, and its offset from
// UTC in seconds), each number a varint.
const (
	cellString = iota
	cellInt
	cellTime
)

// add appends a row of cells: strings, ints and times, as newSheet makes.
func (sh *sheet) add(cells []interface{}, cat classify.Category, due bool) {
	sh.offs = append(sh.offs, len(sh.data))
	b := append(sh.data, byte(len(cells)))
	for _, v := range cells {
		switch v := v.(type) {
		case string:
			b = append(b, cellString)
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int:
			b = append(b, cellInt)
			b = binary.AppendVarint(b, int64(v))
		case time.Time:
			_, off := v.Zone()
			b = append(b, cellTime)
			b = binary.AppendVarint(b, v.Unix())
			b = binary.AppendVarint(b, int64(v.Nanosecond()))
			b = binary.AppendVarint(b, int64(off))
		default:
			panic(fmt.Sprintf("report: a sheet cell of type %T", v)) // newSheet makes none
		}
	}
	sh.data = b
	i := 0
	for i < len(classify.Categories) && classify.Categories[i] != cat {
		i++
	}
	sh.cats = append(sh.cats, uint8(i))
	sh.due = append(sh.due, due)
}

// len is the number of rows.
func (sh *sheet) len() int { return len(sh.offs) }

// row appends row i's cells, as given to add, to cells. A time comes
// back at the same instant and offset from UTC, what a cell shows of it.
func (sh *sheet) row(cells []interface{}, i int) []interface{} {
	b := sh.data[sh.offs[i]:]
	n := int(b[0])
	b = b[1:]
	varint := func() int64 {
		v, k := binary.Varint(b)
		b = b[k:]
		return v
	}
	for ; n > 0; n-- {
		kind := b[0]
		b = b[1:]
		switch kind {
		case cellString:
			l, k := binary.Uvarint(b)
			cells = append(cells, string(b[k:k+int(l)]))
			b = b[k+int(l):]
		case cellInt:
			cells = append(cells, int(varint()))
		case cellTime:
			sec, nsec, off := varint(), varint(), varint()
			t := time.Unix(sec, nsec).UTC()
			if off != 0 {
				t = t.In(time.FixedZone("", int(off)))
			}
			cells = append(cells, t)
		}
	}
	return cells
}

// category is row i's category.
func (sh *sheet) category(i int) classify.Category {
	if c := int(sh.cats[i]); c < len(classify.Categories) {
		return classify.Categories[c]
	}
	return ""
}

// The columns of a line sheet; colDeadline holds a date cell, colDays a
// number, colCategory the coloured category.
const (
	colDeadline  = 1
	colDays      = 2
	colCategory  = 6
	colCollected = 10
)

func (t *texts) sheetHeader() []string {
	return []string{t.Action, t.Deadline, t.DaysLeft, t.DeadlineKind, t.Asset, t.Host, t.Category, t.Reasons, t.Flags, t.Products,
		t.Collected, t.TimeZone}
}

// wall is t's date and time in z, as a time Excel stores: Excel has no
// zones, so the sheet shows the site's clock (the zone is its own column).
func wall(t time.Time, z zone) time.Time {
	l := t.In(z.loc)
	return time.Date(l.Year(), l.Month(), l.Day(), l.Hour(), l.Minute(), 0, 0, time.UTC)
}

func newSheet(t *texts, line string, rows []row, z zone) *sheet {
	s := &sheet{line: line, zone: z, offs: make([]int, 0, len(rows)), cats: make([]uint8, 0, len(rows)), due: make([]bool, 0, len(rows))}
	// The rows are encoded into a buffer kept for the next line, then
	// copied once at their size: grown by appending, a line's sheet
	// allocated twice what it keeps.
	buf := sheetBufs.Get().(*[]byte)
	s.data = (*buf)[:0]
	defer func() {
		*buf = s.data[:0]
		s.data = append([]byte(nil), s.data...)
		sheetBufs.Put(buf)
	}()
	var cells []interface{}
	for i := range rows {
		r := &rows[i]
		d := r.d
		var deadline, days interface{} = "", ""
		if !r.dlDate.IsZero() {
			deadline, days = dueDay(d.Verdict.Deadline, z), d.Verdict.Deadline.Days
		}
		names := make([]string, len(r.products))
		for j := range r.products {
			names[j] = r.products[j].name
		}
		cells = append(cells[:0], r.action, deadline, days, r.dlKind, d.Asset, d.Hostname, r.category,
			strings.Join(r.reasons, "\n"), strings.Join(r.flags, "\n"), strings.Join(names, "\n"), wall(d.CollectedAt, z), z.label())
		s.add(shown(cells), d.Verdict.Category, pastDue(d.Verdict.Deadline))
	}
	return s
}

// shown makes the text cells of a row show every character that
// reorders or hides text as \uXXXX, as the terminal, the pages and the
// CSV files do (terminal.ShowHidden): Excel, too, shows a host name
// with a U+202E backwards from there on. Every text cell of a workbook
// is made by newSheet or setRows, which pass it through here.
func shown(row []interface{}) []interface{} {
	for i, v := range row {
		switch x := v.(type) {
		case string:
			row[i] = terminal.ShowHidden(x)
		case excelize.Cell:
			if s, ok := x.Value.(string); ok {
				x.Value = terminal.ShowHidden(s)
				row[i] = x
			}
		}
	}
	return row
}

// sheetBufs keeps the buffers newSheet encodes a line's rows into.
var sheetBufs = sync.Pool{New: func() any { return new([]byte) }}

// styles are the workbook's cell styles.
type styles struct {
	head, date, due, stamp, wrap, title int
	cat                                 map[classify.Category]int
	// top is a plain cell at the top of its row, as the wrapped
	// cells beside it: at the bottom, a KMS verdict's kind stood
	// under the end of its meaning, beside the next one's start.
	top int
	// A number, a date (date, due, stamp) and their headers are
	// centred in their column: a header on the left and its numbers
	// on the right of a wide column stood under the next column's
	// header (the plan's Devices under Urgent), and a number or date
	// on the right beside the next column's text read as part of it
	// (a line sheet's days left, "0", then "already ended"). num is a
	// count, headNum a header or total over numbers, catHead a
	// category's header over its counts; dateLeft and stampLeft are
	// the overview's as-of day and time generated, beside their
	// labels.
	num, headNum, dateLeft, stampLeft int
	catHead                           map[classify.Category]int
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	var errs []error
	add := func(s *excelize.Style) int {
		id, err := f.NewStyle(s)
		errs = append(errs, err)
		return id
	}
	border := []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}}
	dateFmt, stampFmt := "yyyy-mm-dd", "yyyy-mm-dd hh:mm"
	top := &excelize.Alignment{Vertical: "top"}
	st.head = add(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Alignment: top})
	st.title = add(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 14}})
	mid := &excelize.Alignment{Vertical: "top", Horizontal: "center"}
	st.date = add(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: mid})
	st.due = add(&excelize.Style{CustomNumFmt: &dateFmt, Font: &excelize.Font{Bold: true, Color: "B71C1C"}, Alignment: mid})
	st.stamp = add(&excelize.Style{CustomNumFmt: &stampFmt, Alignment: mid})
	st.wrap = add(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	st.cat = map[classify.Category]int{}
	// In the categories' order, not the map's: the styles' IDs, and so
	// the workbook's bytes, are the same every time.
	for _, c := range classify.Categories {
		colour := catColour[c]
		st.cat[c] = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Alignment: top,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(string(colour), "#")}}})
	}
	st.top = add(&excelize.Style{Alignment: top})
	left := &excelize.Alignment{Vertical: "top", Horizontal: "left"}
	st.num = add(&excelize.Style{Alignment: mid})
	st.headNum = add(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border,
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Alignment: mid})
	st.dateLeft = add(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: left})
	st.stampLeft = add(&excelize.Style{CustomNumFmt: &stampFmt, Alignment: left})
	st.catHead = map[classify.Category]int{}
	for _, c := range classify.Categories {
		colour := catColour[c]
		st.catHead[c] = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Alignment: mid,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(string(colour), "#")}}})
	}
	for _, err := range errs {
		if err != nil {
			return st, err
		}
	}
	return st, nil
}

// write writes the workbook for name, under a temporary name beside it
// (pending): the summary, a sheet per line with a frozen header and
// filters, the plan.
func (b *book) write(name string, w *Writer, s *siteSum) (*pending, error) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return nil, err
	}
	t := b.t
	used := map[string]bool{}
	summary := sheetName(t.Overview, used)
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return nil, err
	}
	if err := b.summarySheet(f, summary, st, w, s); err != nil {
		return nil, err
	}
	if err := printSetup(f, summary, b.site, t.Overview, t.FooterPages, false); err != nil {
		return nil, err
	}
	if err := setDimension(f, summary); err != nil {
		return nil, err
	}
	names := make([]string, len(b.sheets))
	aside := tablesAside{}
	for i, sh := range b.sheets {
		names[i] = sheetName(t.Line+" "+sh.line, used)
		if err := b.lineSheet(f, names[i], i+1, sh, st); err != nil {
			return nil, fmt.Errorf("line %q: %w", sh.line, err)
		}
		aside.keepNewest(f)
	}
	aside.restore(f)
	plan := sheetName(t.Plan, used)
	if err := b.planSheet(f, plan, st, w, s); err != nil {
		return nil, err
	}
	if err := printSetup(f, plan, b.site, t.Plan, t.FooterPages, true); err != nil {
		return nil, err
	}
	if err := setDimension(f, plan); err != nil {
		return nil, err
	}
	rows, err := rowParts(f, names, b.sheets, st)
	if err != nil {
		return nil, err
	}
	// The summary, first, is the active sheet already; SetActiveSheet
	// would parse every streamed sheet back into memory.
	p, err := create(name)
	if err != nil {
		return nil, err
	}
	if err := p.done(xlsxpart.WriteSorted(p.w, f, rows)); err != nil {
		return nil, err
	}
	return p, nil
}

// tablesAside holds the table parts of a workbook being built, by part
// name, that are set aside while its line sheets are added.
//
// Why: excelize numbers a new table one above the highest ID among all
// the table parts the workbook holds, which it parses again, every one,
// for each table it adds (File.countTables, excelize v2.9.0): a site's
// workbook of n lines parsed n²/2 tables, 1.2 s of CPU for 200 lines
// (10 to 12 s of a report of 1,000,000 devices, on the one goroutine that
// commits the lines). With only the newest part left in place the next
// table gets the same number; the others are put back (restore) before
// anything else reads the workbook's parts, so it is written byte for
// byte as before (TestTablesAside).
type tablesAside map[string][]byte

// keepNewest sets aside every table part of f but the one with the
// highest number.
func (a tablesAside) keepNewest(f *excelize.File) {
	newest, max := "", -1
	var parts []string
	f.Pkg.Range(func(k, _ interface{}) bool {
		name := k.(string)
		n, ok := tablePart(name)
		if !ok {
			return true
		}
		parts = append(parts, name)
		if n > max {
			newest, max = name, n
		}
		return true
	})
	for _, name := range parts {
		if name == newest {
			continue
		}
		if v, ok := f.Pkg.LoadAndDelete(name); ok {
			a[name] = v.([]byte)
		}
	}
}

// restore puts back every part set aside.
func (a tablesAside) restore(f *excelize.File) {
	for name, v := range a {
		f.Pkg.Store(name, v)
		delete(a, name)
	}
}

// tablePart reports whether name is a table's part, xl/tables/tableN.xml,
// and its number N.
func tablePart(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, "xl/tables/table")
	if !ok {
		return 0, false
	}
	digits, ok = strings.CutSuffix(digits, ".xml")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil && n >= 0
}

// rowParts maps the part of each line's sheet in the workbook's zip to
// the function that writes its device rows (xlsxpart.WriteSorted).
func rowParts(f *excelize.File, names []string, sheets []*sheet, st styles) (map[string]func(*xlsxpart.Rows) error, error) {
	byName := xlsxpart.SheetParts(f)
	parts := map[string]func(*xlsxpart.Rows) error{}
	for i, name := range names {
		part, ok := byName[name]
		if !ok {
			return nil, fmt.Errorf("workbook: no sheet %q", name)
		}
		sh := sheets[i]
		parts[part] = func(r *xlsxpart.Rows) error { return sh.writeRows(r, st, 2) }
	}
	return parts, nil
}

// lineWidths are the widths (characters) of a line sheet's columns.
// Days left and the time zone are wide enough for their header beside
// its filter button (残り日数 was cut at 8; centred, between two
// buttons' widths, "Days left" needs 14) and for a zone's label ("JST
// (UTC+09:00)" was cut at 14), the category for its Japanese names in
// bold (ボリューム ライセンス was cut at 16).
var lineWidths = []float64{34, 13, 14, 18, 14, 16, 23, 70, 24, 30, 17, 18}

// rowHeight is the height (points) of a row of cells, those of style
// wrap wrapped in their columns of widths (characters): 15 points, the
// row of the default font, a line, as many lines as the most any of
// them takes (xlsxpart.Lines), at most Excel's most; 0 (the sheet's default,
// no height given) when each takes one. Excel sizes a row of no height
// given to its wrapped text itself, LibreOffice does not: it opened and
// printed such a row one line high, the lines past the first drawn over
// the rows below.
func rowHeight(cells []excelize.Cell, wrap int, widths []float64) float64 {
	lines := 1.0
	for j, c := range cells {
		if s, ok := c.Value.(string); ok && c.StyleID == wrap && j < len(widths) {
			lines = math.Max(lines, xlsxpart.Lines(s, widths[j]))
		}
	}
	if lines <= 1 {
		return 0
	}
	return math.Min(15*lines, excelize.MaxRowHeight)
}

// xcell is a styled cell. A text cell of a workbook is a string, never a
// formula (excelize writes it inline): no formula check is needed here,
// unlike CSV (cell).
func xcell(style int, v interface{}) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

func (b *book) lineSheet(f *excelize.File, name string, n int, sh *sheet, st styles) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	head := b.t.sheetHeader()
	if sh.len() >= excelize.TotalRows {
		return fmt.Errorf("%d devices: a sheet holds at most %d", sh.len(), excelize.TotalRows-1)
	}
	// The header and a row a device: the sheet's used range, known
	// before its rows are written, declared (dimension) before the
	// stream copies the sheet's head, rather than excelize's "A1" for a
	// sheet of any size, which readers that size a sheet by it (and
	// Excel's used range) take at its word.
	last, err := excelize.CoordinatesToCellName(len(head), sh.len()+1)
	if err != nil {
		return err
	}
	if err := f.SetSheetDimension(name, "A1:"+last); err != nil {
		return err
	}
	// Before the stream, as the dimension: NewStreamWriter copies the
	// sheetPr (fitToPage) as it starts.
	if err := printSetup(f, name, b.site, b.t.Line+" "+sh.line, b.t.FooterPages, true); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, width := range lineWidths {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	cells := make([]interface{}, len(head))
	for i, h := range head {
		style := st.head
		switch i {
		case colDeadline, colDays, colCollected:
			// Centred, as their values (sheet.cells).
			style = st.headNum
		}
		cells[i] = xcell(style, h)
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	// The device rows are not written here but by writeRows when the
	// workbook is written (xlsxpart.WriteSorted): excelize's SetRow costs an XML
	// encoder and a regular expression a cell.
	//
	// A table gives every column a filter, and keeps it when rows are
	// added in Excel.
	off := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Line" + strconv.Itoa(n), StyleName: "TableStyleLight1",
		ShowRowStripes: &off}); err != nil {
		return err
	}
	return sw.Flush()
}

func (b *book) summarySheet(f *excelize.File, name string, st styles, w *Writer, s *siteSum) error {
	t := b.t
	z, gz := s.sum.zone(), generatedZone(w.opt.Generated)
	rows := [][]interface{}{
		{xcell(st.title, t.Site+" "+b.site+w.lineSelection())},
		// The as-of day (asOfRow), and when the report was made where
		// it was made, as every page and file says it.
		asOfRow(st, t, w.opt.AsOf, w.asOfNote(w.siteLeftOut[s.name])),
		{xcell(st.head, t.Generated), xcell(st.stampLeft, wall(w.opt.Generated, gz)), gz.label()},
		{xcell(st.head, t.TimeZone), z.label()},
		{},
	}
	head := []interface{}{xcell(st.head, t.Line), xcell(st.headNum, t.Devices)}
	for _, c := range classify.Categories {
		head = append(head, xcell(st.catHead[c], t.CategoryNames[c]))
	}
	rows = append(rows, head)
	for _, l := range s.lines {
		var name interface{} = l.name
		if cols(l.name)+1 > overviewMost {
			name = xcell(st.wrap, l.name)
		}
		r := []interface{}{name, xcell(st.num, l.sum.Devices)}
		for _, c := range classify.Categories {
			r = append(r, xcell(st.num, l.sum.Category[c]))
		}
		rows = append(rows, r)
	}
	r := []interface{}{xcell(st.head, t.Total), xcell(st.headNum, s.sum.Devices)}
	for _, c := range classify.Categories {
		r = append(r, xcell(st.headNum, s.sum.Category[c]))
	}
	rows = append(rows, r, []interface{}{}, []interface{}{xcell(st.title, t.KMSSite)},
		[]interface{}{xcell(st.head, t.Kind), xcell(st.head, t.Eligible), xcell(st.head, t.Verdict), xcell(st.head, t.Meaning)})
	kms := len(rows) - 1 // the KMS table's header, 0-based
	for _, p := range w.poolRows(b.site, "") {
		rows = append(rows, []interface{}{xcell(st.top, p.Kind), xcell(st.top, p.Eligible), xcell(st.top, p.State), xcell(st.wrap, p.Meaning)})
	}
	if err := setRows(f, name, rows); err != nil {
		return err
	}
	w0 := overviewWidths(rows, st)
	for j, cw := range w0 {
		col, _ := excelize.ColumnNumberToName(j + 1)
		if err := f.SetColWidth(name, col, col, cw); err != nil {
			return err
		}
	}
	// The KMS verdicts' meaning, and its header, span D to the last
	// column (F): in a column of its own, 80 wide, the counts table's
	// D (a category's counts) stood 80 characters right of its lines.
	lastCol, _ := excelize.ColumnNumberToName(len(w0))
	meaning := append([]float64(nil), w0...)
	for _, cw := range w0[4:] {
		meaning[3] += cw
	}
	for i := kms; i < len(rows); i++ {
		n := strconv.Itoa(i + 1)
		style := st.wrap
		if i == kms {
			style = st.head
		}
		if err := errors1(f.MergeCell(name, "D"+n, lastCol+n), f.SetCellStyle(name, "D"+n, lastCol+n, style)); err != nil {
			return err
		}
	}
	if err := setHeights(f, name, rows, st.wrap, meaning); err != nil {
		return err
	}
	if len(rows[1]) < 3 {
		return nil
	}
	// The as-of note (188 characters in English) ran on past the last
	// column, which is where the printed page ends: it wraps over C to
	// F, in a row as high as its lines (Excel sizes no merged cell's
	// row itself).
	lines := math.Ceil(float64(cols(rows[1][2].(string))+1) / (w0[2] + w0[3] + w0[4] + w0[5]))
	return errors1(f.MergeCell(name, "C2", "F2"), f.SetCellStyle(name, "C2", "F2", st.wrap), f.SetRowHeight(name, 2, 15*lines))
}

// overviewMost is the widest (characters) an overview sheet's column
// grows for a value; a line's name longer than that wraps.
const overviewMost = 40

// overviewWidths returns the widths (characters) of an overview sheet's
// columns A to F: each at least 22, 17, 20, 20, 20 and 20, and as wide
// as its widest value, counted as cols does (a wide character two),
// plus one for the cell's margins and one more for a styled cell
// (bold), but for a plain one only aligned (st.top, st.num), up to
// overviewMost. The title (row 1) runs on over the empty cells beside
// it, the as-of note (row 2, C) is wrapped over C to F and the KMS
// verdicts' meaning over D to F, so none counts; nor does another
// wrapped cell. Set by eye once, the columns cut 稼働中の KMS ホストあり
// (23 wide) and ボリューム ライセンス (21) at 20; D, the meaning's alone,
// was 80, and the counts of the category in D stood far right of their
// lines.
func overviewWidths(rows [][]interface{}, st styles) []float64 {
	w := []float64{22, 17, 20, 20, 20, 20}
	for i, r := range rows {
		for j, v := range r {
			if i == 0 || i == 1 && j == 2 || j >= len(w) {
				continue
			}
			need := 1.0
			if c, ok := v.(excelize.Cell); ok {
				if c.StyleID == st.wrap {
					continue
				}
				if v = c.Value; c.StyleID != st.top && c.StyleID != st.num {
					need = 2
				}
			}
			switch v := v.(type) {
			case string:
				need += float64(cols(v))
			case time.Time:
				need += float64(len("2006-01-02 15:04"))
			default:
				need += float64(len(fmt.Sprint(v)))
			}
			w[j] = math.Max(w[j], math.Min(need, overviewMost))
		}
	}
	return w
}

// asOfRow is a summary sheet's row of the as-of day, as given (its own
// zone: taken in UTC, a report made in Japan said the day before), and
// beside it the note of a report of the fleet as it was (past), which
// says what it leaves out of the site, when there is one.
func asOfRow(st styles, t *texts, asOf time.Time, past *asOfNote) []interface{} {
	r := []interface{}{xcell(st.head, t.AsOf), xcell(st.dateLeft, time.Date(asOf.Year(), asOf.Month(), asOf.Day(), 0, 0, 0, 0, time.UTC))}
	if past != nil {
		r = append(r, past.Text)
	}
	return r
}

func (b *book) planSheet(f *excelize.File, name string, st styles, w *Writer, s *siteSum) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	t := b.t
	plan, totals := w.plan(s.sum, false, nil)
	rows := [][]interface{}{{xcell(st.head, t.Action), xcell(st.head, t.Product), xcell(st.headNum, t.Count), xcell(st.headNum, t.UrgentCount),
		xcell(st.headNum, t.FirstDeadline), xcell(st.head, t.Purchase), xcell(st.head, t.Assets)}}
	for _, p := range plan {
		assets := make([]string, len(p.Refs))
		for i, r := range p.Refs {
			assets[i] = r.Asset
		}
		if p.More != "" {
			assets = append(assets, p.More)
		}
		// The first deadline as a date cell, bold red when it is now or
		// past, as a line sheet's deadline; empty when none expires.
		var due interface{} = ""
		if !p.DueDL.IsZero() {
			style := st.date
			if pastDue(p.DueDL) {
				style = st.due
			}
			due = xcell(style, p.DueDay)
		}
		// The product and the purchase wrap too: "Windows Server 2012
		// R2 Standard Evaluation" (43) and "Office ボリューム ライセンス 1
		// 台分、MAK 認証 1 回分" (52) were cut by the column beside them.
		rows = append(rows, []interface{}{xcell(st.wrap, p.Action), xcell(st.wrap, p.Product), xcell(st.num, p.Count), xcell(st.num, p.Urgent), due,
			xcell(st.wrap, p.Purchase), xcell(st.wrap, strings.Join(assets, ", "))})
	}
	if err := setRows(f, name, rows); err != nil {
		return err
	}
	if err := setHeights(f, name, rows, st.wrap, planWidths); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(7, len(rows))
	err := errors1(f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}),
		f.AutoFilter(name, "A1:"+last, nil))
	for j := 0; err == nil && j < len(planWidths); j++ {
		col, _ := excelize.ColumnNumberToName(j + 1)
		err = f.SetColWidth(name, col, col, planWidths[j])
	}
	if err == nil && totals != "" {
		err = setRows(f, name, append(make([][]interface{}, len(rows)+1), []interface{}{totals}))
	}
	return err
}

// planWidths are the widths (characters) of the plan's columns. The
// centred headers over numbers and dates (Devices, Urgent, First
// deadline) have a filter button's width (2) on both sides: Excel draws
// the button over a centred header's end ("Urgent" in D of Excel's
// default width, 8.43).
var planWidths = []float64{40, 36, 12, 11, 19, 36, 60}

// setHeights gives each row of a sheet written by setRows (which
// leaves each row's values as shown) the height its wrapped cells (of
// style wrap) need in their columns of widths (rowHeight).
func setHeights(f *excelize.File, sheet string, rows [][]interface{}, wrap int, widths []float64) error {
	var cells []excelize.Cell
	for i, r := range rows {
		cells = cells[:0]
		for _, v := range r {
			c, _ := v.(excelize.Cell)
			cells = append(cells, c)
		}
		if h := rowHeight(cells, wrap, widths); h > 0 {
			if err := f.SetRowHeight(sheet, i+1, h); err != nil {
				return err
			}
		}
	}
	return nil
}

// printSetup sets how a sheet prints (xlsxpart.SetPrint): one page
// wide, with a footer naming the site, part (the line, the overview,
// the plan) and the page of pages in the report's language, each name's hidden characters shown
// as in cells; with titles, its first row, a header, is printed again
// on top of every page. Printed as Excel's defaults had it, a line
// sheet of 274 characters' width came out portrait over many pages,
// its header on the first only.
func printSetup(f *excelize.File, sheet, site, part, pages string, titles bool) error {
	return xlsxpart.SetPrint(f, sheet, xlsxpart.Print{Left: terminal.ShowHidden(site), Centre: terminal.ShowHidden(part),
		Pages: pages, FitWidth: true, HeaderRow: titles})
}

// setDimension declares the used range of a sheet written cell by cell
// (setRows), which excelize leaves at "A1": from A1 to the last row and
// the last column that hold a value.
func setDimension(f *excelize.File, sheet string) error {
	rows, err := f.GetRows(sheet)
	if err != nil {
		return err
	}
	cols, n := 1, len(rows)
	for _, r := range rows {
		if len(r) > cols {
			cols = len(r)
		}
	}
	if n == 0 {
		n = 1
	}
	last, err := excelize.CoordinatesToCellName(cols, n)
	if err != nil {
		return err
	}
	return f.SetSheetDimension(sheet, "A1:"+last)
}

// setRows writes rows from A1 down; a cell is a value or an
// excelize.Cell with its style.
func setRows(f *excelize.File, sheet string, rows [][]interface{}) error {
	for i, r := range rows {
		for j, v := range shown(r) {
			ref, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if c, ok := v.(excelize.Cell); ok {
				if err := f.SetCellValue(sheet, ref, c.Value); err != nil {
					return err
				}
				if err := f.SetCellStyle(sheet, ref, ref, c.StyleID); err != nil {
					return err
				}
				continue
			}
			if err := f.SetCellValue(sheet, ref, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// errors1 returns the first error of errs.
func errors1(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// cells appends row i's cells, styled, to cells; vals is a slice to
// reuse for its values.
func (sh *sheet) cells(cells []excelize.Cell, vals []interface{}, i int, st styles) ([]excelize.Cell, []interface{}) {
	vals = sh.row(vals[:0], i)
	for _, v := range vals {
		j := len(cells)
		style := st.wrap
		// The deadline, the days left and the time collected are
		// centred under their centred headers: on the right, the
		// days left stood beside the next column's text ("0" then
		// what ends), the time collected beside its zone.
		switch j {
		case colDeadline:
			if _, ok := v.(time.Time); ok {
				style = st.date
				if sh.due[i] {
					style = st.due
				}
			}
		case colDays:
			style = st.num
		case colCategory:
			style = st.cat[sh.category(i)]
		case colCollected:
			style = st.stamp
		}
		cells = append(cells, xcell(style, v))
	}
	return cells, vals
}

// writeRows writes the sheet's rows as the XML of its sheetData, the
// first as row number first, byte for byte what excelize's StreamWriter
// SetRow writes for them (TestSheetRows, FuzzSheetRows), in a fraction of
// its time.
func (sh *sheet) writeRows(r *xlsxpart.Rows, st styles, first int) error {
	var cells []excelize.Cell
	var vals []interface{}
	for i := 0; i < sh.len(); i++ {
		cells, vals = sh.cells(cells[:0], vals, i, st)
		if err := r.Cells(first+i, rowHeight(cells, st.wrap, lineWidths), cells); err != nil {
			return err
		}
	}
	return nil
}
