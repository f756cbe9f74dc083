package worklist

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// What a sheet hides from a person looking at it in Excel (ECMA-376
// Part 1, 18.3.1: row, col, sheetFormatPr, outlinePr): a row hidden by
// hand or filtered out by an AutoFilter (row hidden), too low to read
// (row ht under minHeight, or sheetFormatPr defaultRowHeight under it
// or zeroHeight for the rows that do not give their own), or in a
// collapsed outline group (the group's summary row, below it unless
// outlinePr summaryBelow is 0, collapsed); a column likewise (col
// hidden, width under minWidth, sheetFormatPr defaultColWidth under
// it, a collapsed group with its summary column right unless
// summaryRight is 0). Excel marks the rows and columns of a collapsed
// group hidden itself; the group is followed too, for a file that does
// not. A cell under a merged cell (18.3.1.55 mergeCell) that is not its
// first is not shown either.

// sheetLook is what a sheet's XML, read in order, says is hidden.
type sheetLook struct {
	rowsHidden   bool    // zeroHeight: a row is hidden unless it gives a height of its own
	rowsFlat     bool    // defaultRowHeight under minHeight: a row without a height of its own is too low to read
	colsFlat     bool    // defaultColWidth under minWidth
	summaryAbove bool    // a row group's summary row is above it
	summaryLeft  bool    // a column group's summary column is left of it
	colWidth     float64 // sheetFormatPr's defaultColWidth, characters; 0: none given
	baseWidth    float64 // sheetFormatPr's baseColWidth, characters; 0: none given
	zoom         float64 // the zoom the sheet opens at (percent, view), 0: none given (100)
	viewName     string  // the view it opens in, as Excel names it; "" for the normal view
	viewTaken    int     // 0: no view taken yet; 1: a view other than workbook view 0's; 2: workbook view 0's
	rightToLeft  bool    // a view shows the sheet right to left
	cols         []colSpan
	begun        bool // sheetData started
	last         int  // the row before
	// run are the rows with an outline level just before the current
	// one, contiguous, for a summary below them: a collapsed one hides
	// those deeper than itself.
	run []outlined
	// collapsedAt is, for summaries above, 1 + the level of the
	// collapsed summary row whose group is being read; 0 when none.
	collapsedAt int
	// pair are the columns (1 is A) of InstallationId and
	// ConfirmationId once the header is read (0: none), and cover
	// marks the records of rows from to to hidden, why, as cells of
	// pair[i] under a merged cell that are not its first (merge).
	pair  [2]int
	cover func(from, to, i int, why string) error
	cf    conditionals
}

// colSpan is a col element: columns min to max (1 is A), alike.
type colSpan struct {
	min, max, level   int
	hidden, collapsed bool
	width             float64 // characters; 0: none given
}

type outlined struct {
	n     int32
	level int8
}

// Why a row is hidden (Record.Hidden).
const (
	rowHidden    = "the row is hidden in Excel (hidden, or filtered out)"
	rowFlat      = "the row is hidden in Excel (of no height)"
	rowCollapsed = "the row is hidden in Excel (in a collapsed outline group)"
)

// element takes what e, an element of the sheet's part outside its
// rows, says is hidden. A sheet whose columns or row format come after
// its rows is not as Excel saves one (ErrNotWorkbook): which cells they
// hide would depend on the reader.
// d is the part's decoder, for an element read to its end (read).
func (l *sheetLook) element(d *partDecoder, e xml.StartElement, parent string) (read bool, err error) {
	if parent == "/worksheet" {
		switch e.Name.Local {
		case "sheetData":
			l.begun = true
			return false, nil
		case "sheetPr", "sheetViews", "sheetFormatPr", "cols":
			if l.begun {
				return false, fmt.Errorf("%w: the sheet's %s after its rows, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, e.Name.Local)
			}
		case "mergeCells", "conditionalFormatting":
			// Read once the records are: which cells a merge or a
			// conditional format covers depends on the header's columns.
			if !l.begun {
				return false, fmt.Errorf("%w: the sheet's %s before its rows, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, e.Name.Local)
			}
		}
	}
	if read, err := l.conditional(d, e, parent); read || err != nil {
		return read, err
	}
	return false, l.layout(e, parent)
}

// layout takes what e says of the rows, columns and merged cells.
func (l *sheetLook) layout(e xml.StartElement, parent string) error {
	switch {
	case parent == "/worksheet" && e.Name.Local == "sheetFormatPr":
		l.rowsHidden = isTrue(attr(e, "zeroHeight"))
		l.rowsFlat, l.colsFlat = low(attr(e, "defaultRowHeight")), narrow(attr(e, "defaultColWidth"))
		l.colWidth, l.baseWidth = positive(attr(e, "defaultColWidth")), positive(attr(e, "baseColWidth"))
	case parent == "/worksheet/sheetViews" && e.Name.Local == "sheetView":
		return l.view(e)
	case parent == "/worksheet/sheetPr" && e.Name.Local == "outlinePr":
		l.summaryAbove, l.summaryLeft = isFalse(attr(e, "summaryBelow")), isFalse(attr(e, "summaryRight"))
	case parent == "/worksheet/cols" && e.Name.Local == "col":
		return l.col(e)
	case parent == "/worksheet/mergeCells" && e.Name.Local == "mergeCell":
		return l.merge(attr(e, "ref"))
	}
	return nil
}

// merge takes a mergeCell's range: Excel shows its first cell's value
// across it, and the value any other cell of it holds is not seen. A
// record whose InstallationId or ConfirmationId is such a cell is
// hidden (cover).
func (l *sheetLook) merge(ref string) error {
	from, to, ok := strings.Cut(ref, ":")
	c1, r1, err1 := excelize.CellNameToCoordinates(from)
	c2, r2, err2 := excelize.CellNameToCoordinates(to)
	if !ok || err1 != nil || err2 != nil || c2 < c1 || r2 < r1 {
		return fmt.Errorf("%w: a merged cell of %.20q, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, ref)
	}
	for i, name := range []string{"InstallationId", "ConfirmationId"} {
		c, first := l.pair[i], r1
		if c == c1 {
			first++ // the first cell, shown
		}
		if c < c1 || c > c2 || first > r2 || l.cover == nil {
			continue
		}
		letters, _ := excelize.ColumnNumberToName(c)
		if err := l.cover(first, r2, i, fmt.Sprintf("column %s (%s) is under a merged cell in Excel", letters, name)); err != nil {
			return err
		}
	}
	return nil
}

// col takes a col element. Excel writes them in order, none over
// another: a sheet whose are not is ErrNotWorkbook.
func (l *sheetLook) col(e xml.StartElement) error {
	min, err1 := strconv.Atoi(attr(e, "min"))
	max, err2 := strconv.Atoi(attr(e, "max"))
	if err1 != nil || err2 != nil || min < 1 || max < min || max > maxColumn {
		return fmt.Errorf("%w: columns %.20q to %.20q", ErrNotWorkbook, attr(e, "min"), attr(e, "max"))
	}
	if n := len(l.cols); n > 0 && min <= l.cols[n-1].max {
		return fmt.Errorf("%w: columns %d to %d after column %d, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, min, max, l.cols[n-1].max)
	}
	width := attr(e, "width")
	l.cols = append(l.cols, colSpan{min: min, max: max, level: outlineLevel(attr(e, "outlineLevel")), collapsed: isTrue(attr(e, "collapsed")),
		hidden: isTrue(attr(e, "hidden")) || narrow(width) || width == "" && l.colsFlat, width: positive(width)})
	return nil
}

// row says why row n, whose element is e, is hidden ("" when it is
// shown), and calls hide with each row before it that a collapsed group
// it is the summary of hides. Rows come in order.
func (l *sheetLook) row(e xml.StartElement, n int, hide func(n int)) string {
	why := ""
	ht := attr(e, "ht")
	switch {
	case isTrue(attr(e, "hidden")):
		why = rowHidden
	case l.rowsHidden && (!isTrue(attr(e, "customHeight")) || ht == "" || low(ht)), low(ht), ht == "" && l.rowsFlat:
		why = rowFlat
	}
	level, collapsed := outlineLevel(attr(e, "outlineLevel")), isTrue(attr(e, "collapsed"))
	// A row the sheet does not list has level 0: a gap ends every group.
	contiguous := n == l.last+1
	l.last = n
	if l.summaryAbove {
		if l.collapsedAt > 0 && contiguous && level >= l.collapsedAt {
			if why == "" {
				why = rowCollapsed
			}
		} else {
			l.collapsedAt = 0
		}
		if l.collapsedAt == 0 && collapsed {
			l.collapsedAt = level + 1
		}
		return why
	}
	if !contiguous {
		l.run = l.run[:0]
	}
	if collapsed {
		// Each row is walked again only by a summary of a lower level:
		// at most seven times.
		for i := len(l.run) - 1; i >= 0 && int(l.run[i].level) > level; i-- {
			hide(int(l.run[i].n))
		}
	}
	if level == 0 {
		l.run = l.run[:0]
	} else {
		l.run = append(l.run, outlined{n: int32(n), level: int8(level)})
	}
	return why
}

// hiddenColumns says which of the columns a pair is read from
// (InstallationId, ConfirmationId, by their index in col) are hidden:
// "" when none is.
func (l *sheetLook) hiddenColumns(col map[string]int) string {
	var hidden []string
	for _, name := range []string{"InstallationId", "ConfirmationId"} {
		i, ok := col[strings.ToLower(name)]
		if ok && l.colHidden(i+1) {
			letters, _ := excelize.ColumnNumberToName(i + 1)
			hidden = append(hidden, fmt.Sprintf("column %s (%s)", letters, name))
		}
	}
	switch len(hidden) {
	case 0:
		return ""
	case 1:
		return hidden[0] + " is hidden in Excel"
	}
	return strings.Join(hidden, " and ") + " are hidden in Excel"
}

// colHidden reports whether column c (1 is A) is hidden: by its col
// element, or as one of a collapsed group's.
func (l *sheetLook) colHidden(c int) bool {
	i := sort.Search(len(l.cols), func(i int) bool { return l.cols[i].max >= c })
	if i == len(l.cols) || l.cols[i].min > c {
		return l.colsFlat
	}
	if l.cols[i].hidden {
		return true
	}
	// The summary column of each group c is in is the first beyond it
	// (right, or left) of a lower level; a column without a col element
	// has level 0 and is no collapsed one.
	step := 1
	if l.summaryLeft {
		step = -1
	}
	for j, m := i, l.cols[i].level; m > 0; {
		k := j + step
		if k < 0 || k == len(l.cols) || step > 0 && l.cols[k].min != l.cols[j].max+1 || step < 0 && l.cols[k].max != l.cols[j].min-1 {
			return false
		}
		if j = k; l.cols[j].level < m {
			if l.cols[j].collapsed {
				return true
			}
			m = l.cols[j].level
		}
	}
	return false
}

// outlineLevel is an outlineLevel attribute's value: 0 to 7, as Excel
// allows; anything else is 0.
func outlineLevel(v string) int {
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > 7 {
		return 0
	}
	return n
}

// isTrue and isFalse read an xsd:boolean, whose white space collapses
// (" 1" is true to a schema reader).
func isTrue(v string) bool  { v = strings.TrimSpace(v); return v == "1" || v == "true" }
func isFalse(v string) bool { v = strings.TrimSpace(v); return v == "0" || v == "false" }

// The least a row's height (points) and a column's width (characters)
// must be for a person to read a cell in it: a row of a few points or a
// column of a fraction of a character shows nothing of a CID that can
// be read, hidden as surely as by hidden="1". Excel's default is 15
// points and 8.43 characters; a row fitting 6-point text is 8.
const (
	minHeight = 3
	minWidth  = 0.5
)

// low and narrow report whether a height or a width is given and less
// than that ("" is none given).
func low(v string) bool    { return under(v, minHeight) }
func narrow(v string) bool { return under(v, minWidth) }

func under(v string, min float64) bool {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	return err == nil && f < min
}
