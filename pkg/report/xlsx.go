package report

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
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
type sheet struct {
	line string
	zone zone
	rows [][]interface{}
	cats []classify.Category // each row's category, for its colour
	due  []bool              // each row's deadline is past or now
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
	s := &sheet{line: line, zone: z}
	for i := range rows {
		r := &rows[i]
		d := r.d
		var deadline, days interface{} = "", ""
		if !r.dlDate.IsZero() {
			deadline, days = wall(r.dlDate, z), d.Verdict.Deadline.Days
		}
		names := make([]string, len(r.products))
		for j := range r.products {
			names[j] = r.products[j].name
		}
		s.rows = append(s.rows, []interface{}{r.action, deadline, days, r.dlKind, d.Asset, d.Hostname, r.category,
			strings.Join(r.reasons, "\n"), strings.Join(r.flags, "\n"), strings.Join(names, "\n"), wall(d.CollectedAt, z), z.label()})
		s.cats = append(s.cats, d.Verdict.Category)
		dl := d.Verdict.Deadline
		s.due = append(s.due, dl.Kind == classify.DeadlineNow || !dl.IsZero() && dl.Days < 0)
	}
	return s
}

// styles are the workbook's cell styles.
type styles struct {
	head, date, due, stamp, wrap, title int
	cat                                 map[classify.Category]int
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
	st.date = add(&excelize.Style{CustomNumFmt: &dateFmt, Alignment: top})
	st.due = add(&excelize.Style{CustomNumFmt: &dateFmt, Font: &excelize.Font{Bold: true, Color: "B71C1C"}, Alignment: top})
	st.stamp = add(&excelize.Style{CustomNumFmt: &stampFmt, Alignment: top})
	st.wrap = add(&excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}})
	st.cat = map[classify.Category]int{}
	// In the categories' order, not the map's: the styles' IDs, and so
	// the workbook's bytes, are the same every time.
	for _, c := range classify.Categories {
		colour := catColour[c]
		st.cat[c] = add(&excelize.Style{Font: &excelize.Font{Bold: true, Color: "FFFFFF"}, Alignment: top,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{strings.TrimPrefix(string(colour), "#")}}})
	}
	for _, err := range errs {
		if err != nil {
			return st, err
		}
	}
	return st, nil
}

// write writes the workbook to name (through a temporary file): the
// summary, a sheet per line with a frozen header and filters, the plan.
func (b *book) write(name string, w *Writer, s *siteSum) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	t := b.t
	used := map[string]bool{}
	summary := sheetName(t.Overview, used)
	if err := f.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	if err := b.summarySheet(f, summary, st, w, s); err != nil {
		return err
	}
	for i, sh := range b.sheets {
		if err := b.lineSheet(f, sheetName(t.Line+" "+sh.line, used), i+1, sh, st); err != nil {
			return fmt.Errorf("line %s: %w", sh.line, err)
		}
	}
	if err := b.planSheet(f, sheetName(t.Plan, used), st, w, s); err != nil {
		return err
	}
	// The summary, first, is the active sheet already; SetActiveSheet
	// would parse every streamed sheet back into memory.
	p, err := create(name)
	if err != nil {
		return err
	}
	return p.done(writeSorted(p.w, f))
}

// writeSorted writes the workbook with its parts in name order: excelize
// writes them in the order of a sync.Map, which differs from run to run,
// and the same fleet should give the same bytes (a report made again, or
// from the other store). The parts are copied as compressed, not again.
func writeSorted(w io.Writer, f *excelize.File) error {
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return err
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return err
	}
	parts := append([]*zip.File{}, zr.File...)
	sort.Slice(parts, func(i, j int) bool { return parts[i].Name < parts[j].Name })
	zw := zip.NewWriter(w)
	for _, part := range parts {
		if err := zw.Copy(part); err != nil {
			return err
		}
	}
	return zw.Close()
}

// xcell is a styled cell. A text cell of a workbook is a string, never a
// formula (excelize writes it inline): no formula check is needed here,
// unlike CSV (cell).
func xcell(style int, v interface{}) excelize.Cell { return excelize.Cell{StyleID: style, Value: v} }

func (b *book) lineSheet(f *excelize.File, name string, n int, sh *sheet, st styles) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	for i, width := range []float64{34, 13, 8, 18, 14, 16, 16, 70, 24, 30, 17, 14} {
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	head := b.t.sheetHeader()
	cells := make([]interface{}, len(head))
	for i, h := range head {
		cells[i] = xcell(st.head, h)
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return err
	}
	for i, r := range sh.rows {
		cells := make([]interface{}, len(r))
		for j, v := range r {
			style := st.wrap
			switch j {
			case colDeadline:
				if _, ok := v.(time.Time); ok {
					style = st.date
					if sh.due[i] {
						style = st.due
					}
				}
			case colCategory:
				style = st.cat[sh.cats[i]]
			case colCollected:
				style = st.stamp
			}
			cells[j] = xcell(style, v)
		}
		ref, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	// A table gives every column a filter, and keeps it when rows are
	// added in Excel.
	last, _ := excelize.CoordinatesToCellName(len(head), len(sh.rows)+1)
	off := false
	if err := sw.AddTable(&excelize.Table{Range: "A1:" + last, Name: "Line" + strconv.Itoa(n), StyleName: "TableStyleLight1",
		ShowRowStripes: &off}); err != nil {
		return err
	}
	return sw.Flush()
}

func (b *book) summarySheet(f *excelize.File, name string, st styles, w *Writer, s *siteSum) error {
	t := b.t
	z := s.sum.zone()
	rows := [][]interface{}{
		{xcell(st.title, t.Site+" "+b.site)},
		{xcell(st.head, t.AsOf), xcell(st.date, wall(w.opt.AsOf, utc))},
		{xcell(st.head, t.Generated), xcell(st.stamp, wall(w.opt.Generated, z))},
		{xcell(st.head, t.TimeZone), z.label()},
		{},
	}
	head := []interface{}{xcell(st.head, t.Line), xcell(st.head, t.Devices)}
	for _, c := range classify.Categories {
		head = append(head, xcell(st.cat[c], t.CategoryNames[c]))
	}
	rows = append(rows, head)
	for _, l := range s.lines {
		r := []interface{}{l.name, l.sum.Devices}
		for _, c := range classify.Categories {
			r = append(r, l.sum.Category[c])
		}
		rows = append(rows, r)
	}
	r := []interface{}{xcell(st.head, t.Total), xcell(st.head, s.sum.Devices)}
	for _, c := range classify.Categories {
		r = append(r, xcell(st.head, s.sum.Category[c]))
	}
	rows = append(rows, r, []interface{}{}, []interface{}{xcell(st.title, t.KMSPool)},
		[]interface{}{xcell(st.head, t.Kind), xcell(st.head, t.Eligible), xcell(st.head, t.Verdict), xcell(st.head, t.Meaning)})
	for _, p := range w.poolRows(b.site, "") {
		rows = append(rows, []interface{}{p.Kind, p.Eligible, p.State, xcell(st.wrap, p.Meaning)})
	}
	if err := setRows(f, name, rows); err != nil {
		return err
	}
	return errors1(f.SetColWidth(name, "A", "A", 22), f.SetColWidth(name, "B", "B", 17), f.SetColWidth(name, "C", "F", 20),
		f.SetColWidth(name, "D", "D", 80))
}

func (b *book) planSheet(f *excelize.File, name string, st styles, w *Writer, s *siteSum) error {
	if _, err := f.NewSheet(name); err != nil {
		return err
	}
	t := b.t
	plan, totals := w.plan(s.sum, false, nil)
	rows := [][]interface{}{{xcell(st.head, t.Action), xcell(st.head, t.Product), xcell(st.head, t.Count), xcell(st.head, t.Purchase),
		xcell(st.head, t.Devices)}}
	for _, p := range plan {
		assets := make([]string, len(p.Refs))
		for i, r := range p.Refs {
			assets[i] = r.Asset
		}
		if p.More != "" {
			assets = append(assets, p.More)
		}
		rows = append(rows, []interface{}{xcell(st.wrap, p.Action), p.Product, p.Count, p.Purchase, xcell(st.wrap, strings.Join(assets, ", "))})
	}
	if err := setRows(f, name, rows); err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(5, len(rows))
	err := errors1(f.SetPanes(name, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}),
		f.AutoFilter(name, "A1:"+last, nil), f.SetColWidth(name, "A", "A", 40), f.SetColWidth(name, "B", "B", 36),
		f.SetColWidth(name, "D", "D", 20), f.SetColWidth(name, "E", "E", 60))
	if err == nil && totals != "" {
		ref, _ := excelize.CoordinatesToCellName(1, len(rows)+2)
		err = f.SetCellValue(name, ref, totals)
	}
	return err
}

// setRows writes rows from A1 down; a cell is a value or an
// excelize.Cell with its style.
func setRows(f *excelize.File, sheet string, rows [][]interface{}) error {
	for i, r := range rows {
		for j, v := range r {
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
