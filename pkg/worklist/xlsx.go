package worklist

import (
	"fmt"
	"io"
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/internal/xlsxpart"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// SheetName is the worklist's sheet in its workbook; ReadXLSX reads the
// sheet so named, else the first.
const SheetName = "Worklist"

// textFormat is Excel's number format "@", Text: a value typed or pasted
// into such a cell stays the text it was, where General turns 48 digits
// into 9.87654E+47.
const textFormat = 49

// columnWidths are the widths of Header's columns, in characters: an IID
// is 63 digits, a CID typed with dashes 55, a DeviceKey of the hardware
// "hw:", a UUID, "/" and its serial; each column at least its header,
// bold, and the filter button beside it (RequestCount at 8 was cut).
var columnWidths = []float64{18, 66, 50, 58, 15, 22, 22, 12, 8, 14, 53, 30, 38, 38, 8, 14, 16, 12, 50, 22}

// wrapped are the columns that wrap: names and messages, of any
// length. The IDs do not: ReadXLSX holds them to one line; nor do the
// columns of a fixed form (a GUID, a time, a state), which fit.
var wrapped = map[string]bool{"Host": true, "Site": true, "Line": true, "Asset": true, "DeviceKey": true, "Product": true, "Detail": true}

// rowHeight is the height (points) of the row of cells rec: 15 points
// a line, as many lines as the most a wrapped cell takes in its column
// (xlsxpart.Lines), at most Excel's most (409, 27 lines: a Detail is
// MaxField bytes at most, 23 lines of text, more only of empty lines);
// 0, the sheet's default, when each takes one. Excel sizes a row of no
// height given to its wrapped text itself, LibreOffice does not: its
// lines past the first were drawn over the rows below.
func rowHeight(rec []string) float64 {
	lines := 1.0
	for j, s := range rec {
		if j < len(Header) && wrapped[Header[j]] && s != "" {
			lines = math.Max(lines, xlsxpart.Lines(s, columnWidths[j]))
		}
	}
	if lines <= 1 {
		return 0
	}
	return math.Min(15*lines, excelize.MaxRowHeight)
}

// printName names the worklist in its printed footer, as its page's
// heading does.
const printName = "Activation worklist / ライセンス認証の作業リスト"

// WriteXLSX writes rows as the worklist workbook, for staff who fill in
// the CIDs in Excel: one sheet (SheetName), Header's columns with the
// CSV's values (cells), a bold header row that stays in view, a filter
// on every column. It prints on A4 landscape (xlsxpart.SetPrint) at
// 100 %, over pages across: one page wide, its 566 characters would
// print at about 26 %, an 11-point IID in 3 points, under the minSize
// ReadXLSX holds a CID on screen to. Its header row is printed on top
// of every page and its Host column on the left of every page across,
// so that a page of only later columns still names its machines; the
// footer, as the site workbook's, names the title on the left (its
// page's: the site and line, or the fleet's), the worklist in the
// centre and the page of pages on the right. Every cell is a text cell and every column is
// formatted as text ("@"), so that the 63-digit IIDs keep their digits
// when Excel opens the file, and a CID typed or pasted into
// ConfirmationId does too. A string is written as a string: a value
// starting with = + - or @ is text, never a formula, and needs no ' as
// in the CSV. A name or message (Host, Site, Line, Asset, DeviceKey,
// Product, Detail) wraps in its column, its row as high as its lines
// (rowHeight); every other cell is one line, at the top of its row.
// The same rows give the same bytes. Over
// excelize.TotalRows-1 rows, more than a sheet holds, it returns an
// error and writes nothing.
//
// The rows are written one at a time into the sheet excelize laid out
// (xlsxpart.WriteSorted): excelize's own cells cost 10 KB of memory a
// row until the whole file was written, 1 GB for 100,000 rows.
func WriteXLSX(w io.Writer, rows []Row, title string) error {
	if len(rows) >= excelize.TotalRows {
		return fmt.Errorf("worklist: %d rows: a sheet holds at most %d", len(rows), excelize.TotalRows-1)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	// The columns of names and messages (wrapped) wrap: not wrapped,
	// a Detail (a message of any length from the machine, an
	// HRESULT's meaning of 67 characters) ran on under CollectedAt and
	// was cut there, a Product ("Windows Server 2012 R2 Standard
	// Evaluation", 42) under ApplicationId.
	wrap, err := f.NewStyle(&excelize.Style{NumFmt: textFormat, Alignment: &excelize.Alignment{Vertical: "top", WrapText: true}})
	if err != nil {
		return err
	}
	head, err := f.NewStyle(&excelize.Style{NumFmt: textFormat, Font: &excelize.Font{Bold: true},
		Border: []excelize.Border{{Type: "bottom", Color: "999999", Style: 1}},
		Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"F2F2F2"}}, Alignment: &excelize.Alignment{Vertical: "top"}})
	if err != nil {
		return err
	}
	last, err := excelize.ColumnNumberToName(len(Header))
	if err != nil {
		return err
	}
	// The style of the whole columns: every cell Excel adds below the
	// rows takes it.
	if err := f.SetColStyle(SheetName, "A:"+last, text); err != nil {
		return err
	}
	for i, width := range columnWidths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(SheetName, col, col, width); err != nil {
			return err
		}
	}
	cells := make([]interface{}, len(Header))
	for i, h := range Header {
		cells[i] = h
	}
	if err := f.SetSheetRow(SheetName, "A1", &cells); err != nil {
		return err
	}
	if err := f.SetCellStyle(SheetName, "A1", last+"1", head); err != nil {
		return err
	}
	if err := f.SetPanes(SheetName, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	// The filter and the sheet's extent cover the rows written below.
	all := "A1:" + last + strconv.Itoa(len(rows)+1)
	if err := f.AutoFilter(SheetName, all, nil); err != nil {
		return err
	}
	if err := f.SetSheetDimension(SheetName, all); err != nil {
		return err
	}
	// The footer as the site workbook's: where from on the left, what
	// in the centre. The fleet's worklist printed with its centre
	// empty and no word of what it covers.
	if err := xlsxpart.SetPrint(f, SheetName, xlsxpart.Print{Left: terminal.ShowHidden(titleOf(title)), Centre: printName,
		HeaderRow: true, KeyColumn: true}); err != nil {
		return err
	}
	part, ok := xlsxpart.SheetParts(f)[SheetName]
	if !ok {
		return fmt.Errorf("worklist: no sheet %q", SheetName)
	}
	return xlsxpart.WriteSorted(w, f, map[string]func(*xlsxpart.Rows) error{part: func(r *xlsxpart.Rows) error {
		styles := make([]int, len(Header))
		for j := range styles {
			styles[j] = text
			if wrapped[Header[j]] {
				styles[j] = wrap
			}
		}
		for i := range rows {
			rec := xlsxRecord(rows[i])
			if err := r.TextRow(i+2, rowHeight(rec), styles, rec); err != nil {
				return err
			}
		}
		return nil
	}})
}

// xlsxRecord is r's cells in the workbook: the values the CSV's cells
// are read back as. A column Read takes back holds the value as stored,
// cut as WriteCSV cuts it (so that its ' added, the CSV's cell is
// MaxField bytes at most; csvcell.Unescape takes the ' off again); a
// column only shown holds it cut to MaxField, a character that
// reorders or hides text shown as \uXXXX (terminal.ShowHidden), as in
// the CSV, without the ' the CSV puts before a formula: a workbook's
// text cell runs nothing.
func xlsxRecord(r Row) []string {
	rec := record(r)
	for i := range rec {
		if readBack[Header[i]] {
			rec[i] = csvcell.Unescape(fit(rec[i], csvcell.Escape))
		} else {
			rec[i] = fit(terminal.ShowHidden(rec[i]), func(s string) string { return s })
		}
	}
	return rec
}
