package worklist

import (
	"encoding/xml"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// What the sheet's view and a cell's alignment make of the size a text
// is drawn in (ECMA-376 Part 1, 18.3.1.87 sheetView, 18.8.1 alignment):
// the zoom the workbook opens the sheet at scales every font; Shrink
// to fit (shrinkToFit) draws a text that is wider than its column
// smaller until it fits; an indent pushes it from the cell's edge, out
// of a column narrower than the indent; a superscript or subscript font
// is drawn smaller (scriptScale). A text is held to minSize as drawn on
// the screen: a font of 11 points at a zoom of 10 % is drawn in 1.1, at
// 50 % in 5.5, both under it; at 85 % in 9.4. A text drawn wider than
// its column and cut by the cell beside it, as a 63-digit IID in a
// column of Excel's default width, shows its first digits as they are,
// and is left to the reviewer (a workbook written by excelize with its
// default styles is one); a right-to-left reading order, which shows
// groups of digits apart by spaces in reverse order, and the Fill
// alignment (fillHides), which repeats them, show other than the value.
//
// The zoom is that of the view the reviewer is shown when the workbook
// opens: the sheetView of the first workbook view (workbookViewId 0;
// the only one unless the workbook was saved with a second window),
// in its view (view: normal unless given, pageLayout or
// pageBreakPreview) at zoomScale, the spec's "zoom magnification for
// current view" (100 unless given). zoomScaleNormal,
// zoomScalePageLayoutView and zoomScaleSheetLayoutView are the zooms
// kept for the normal, page layout and page break views, used when
// the reviewer switches to one: switching draws the same digits in
// another size, which the reviewer sees as such, and shows no others.
// LibreOffice writes a page break zoom of 60 % into every sheet it
// saves (EXC_WIN2_PAGEZOOM_DEF, sc/source/filter/inc/xlview.hxx), at
// which a 9-point font is 5.4 points: refusing it refused workbooks
// that open at 100 %. Where the kept zoom of the view opened is given
// too and less than zoomScale (Excel writes both the same), the less
// is taken: which of the two a program shows is not said.
// Widths (characters of the Normal style font's widest digit, as a
// column's width is given) of what is drawn in a cell besides its text:
// Excel pads a column by 5 pixels, of a 7-pixel digit of Calibri 11
// (18.3.1.13 col, width); an indent level is 3 spaces of the Normal
// style font (18.8.1), a space of Calibri 0.45 of a digit; a column of
// no width given is baseColWidth (8 unless given) and the padding.
const (
	padding     = 5.0 / 7
	indentWidth = 3 * 0.45
	baseWidth   = 8
)

// viewNames are the views of a sheetView's view attribute (ST_SheetViewType)
// other than the normal one, as Excel's View tab names them, each with
// the attribute that keeps its zoom.
var viewNames = map[string]struct{ name, zoom string }{
	"pageLayout":       {"Page Layout view", "zoomScalePageLayoutView"},
	"pageBreakPreview": {"Page Break Preview", "zoomScaleSheetLayoutView"},
}

// view takes a sheetView element: whether it shows the sheet right to
// left, and, if it is the view the sheet opens in (the one of workbook
// view 0, else the first), its view and its zoom (percent: 0 is the
// default, 100 %). A zoom that is no number, in any view, is not as
// Excel saves a sheet (ErrNotWorkbook).
func (l *sheetLook) view(e xml.StartElement) error {
	l.rightToLeft = l.rightToLeft || isTrue(attr(e, "rightToLeft"))
	zooms := map[string]float64{}
	for _, name := range []string{"zoomScale", "zoomScaleNormal", "zoomScalePageLayoutView", "zoomScaleSheetLayoutView"} {
		v := strings.TrimSpace(attr(e, name))
		if v == "" {
			continue
		}
		z, err := strconv.ParseFloat(v, 64)
		if err != nil || !(z >= 0) {
			return fmt.Errorf("%w: a sheet view of %s %.20q, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, name, v)
		}
		zooms[name] = z
	}
	taken := 1
	if id, err := strconv.Atoi(strings.TrimSpace(attr(e, "workbookViewId"))); err == nil && id == 0 {
		taken = 2
	}
	if taken <= l.viewTaken {
		return nil // a second window's view, or a later one of the first's
	}
	l.viewTaken = taken
	kept := "zoomScaleNormal"
	l.viewName = ""
	if v, ok := viewNames[strings.TrimSpace(attr(e, "view"))]; ok {
		l.viewName, kept = v.name, v.zoom
	}
	l.zoom = zooms["zoomScale"]
	current := l.zoom
	if current == 0 {
		current = 100
	}
	if z := zooms[kept]; z > 0 && z < current {
		l.zoom = z
	}
	return nil
}

// positive is a width given (v), or 0 where it is none or not over 0.
func positive(v string) float64 {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || !(f > 0) || math.IsInf(f, 1) {
		return 0
	}
	return f
}

// width is the width of column c (1 is A), in characters, padding
// included: its col element's, else the sheet's default. The col
// elements are in order (col), found by a binary search: a sheet may
// list 16,384 of them, and each ID cell asks.
func (l *sheetLook) width(c int) float64 {
	i := sort.Search(len(l.cols), func(i int) bool { return l.cols[i].max >= c })
	if i < len(l.cols) && l.cols[i].min <= c && l.cols[i].width > 0 {
		return l.cols[i].width
	}
	if l.colWidth > 0 {
		return l.colWidth
	}
	if l.baseWidth > 0 {
		return l.baseWidth + padding
	}
	return baseWidth + padding
}

// drawnHides says why the text of the ID cell c, of format x and rich
// text runs (nil for none), is not seen in the sheet's view l ("" when
// it is): pushed out of its column by its indent, its groups shown in
// reverse order right to left, or drawn under minSize points once
// shrunk to fit its column and zoomed.
func (cs *cellStyles) drawnHides(c xcell, x xfLook, runs *runLook, l *sheetLook) string {
	width := l.width(c.col)
	room := width - padding
	if x.align.indent > 0 {
		indent := float64(x.align.indent) * indentWidth
		if x.align.both {
			indent *= 2
		}
		// As narrow as a hidden column (minWidth) once indented:
		// nothing of the text is drawn in its cell.
		if width-indent < minWidth {
			return fmt.Sprintf("its indent of %d pushes its text out of column %s; set its indent to 0 in Excel (Format Cells, Alignment, Indent), "+
				"check it, save, and import again", x.align.indent, columnName(c.col))
		}
		room -= indent
	}
	if !c.number && (x.align.order == 2 || x.align.order == 0 && l.rightToLeft) && reordered(c.text) {
		return "its right-to-left reading order shows its groups of digits in reverse order; set its text direction to Left-to-Right in Excel " +
			"(Format Cells, Alignment, Text direction), check it, save, and import again"
	}
	least, most := cs.sizes(x, runs, c.number)
	zoom := 1.0
	if l.zoom > 0 {
		zoom = l.zoom / 100
	}
	shrink := 1.0
	if x.align.shrink && !x.align.wrap {
		// Excel scales the whole text down to its room, by its
		// widest run: a digit of a font of most points is
		// most/base of a column's character.
		if need := textWidth(c.text) * most / cs.base; need > room {
			shrink = math.Max(room, 0) / need
		}
	}
	size := least * shrink * zoom
	if size >= minSize {
		return ""
	}
	at := fmt.Sprintf("drawn in %s", points(math.Round(size*10)/10))
	if zoom != 1 {
		at += fmt.Sprintf(" at the sheet's zoom of %s %%", strconv.FormatFloat(l.zoom, 'f', -1, 64))
	}
	// The advice is for the view the reviewer is shown: the zoom of
	// another is that view's own.
	in := ""
	if l.viewName != "" {
		at += " in " + l.viewName
		in = "in " + l.viewName + " "
	}
	if shrink < 1 {
		return fmt.Sprintf("its text is shrunk to fit column %s (Format Cells, Alignment, Shrink to fit), %s, too small to read; clear Shrink to fit "+
			"in Excel, check it, save, and import again", columnName(c.col), at)
	}
	return fmt.Sprintf("its text of %s is %s, too small to read; %sset the zoom to 100 %% in Excel (View, Zoom, 100%%), check it, save, and import again",
		points(least), at, in)
}

// sizes are the least and the most size (points) the text of a cell of
// format x and runs is drawn in, at 100 % zoom: its font's, and its
// runs' where they give their own (runLook).
func (cs *cellStyles) sizes(x xfLook, runs *runLook, number bool) (least, most float64) {
	cell := drawn(x.size, cs.base, x.script)
	least, most = cell, cell
	if runs == nil || number || runs.size == 0 && !runs.cellScript {
		return least, most
	}
	if runs.sized {
		least, most = runs.size, runs.most
	}
	least, most = math.Min(least, runs.size), math.Max(most, runs.most)
	if runs.cellScript {
		least = math.Min(least, drawn(x.size, cs.base, true))
	}
	return least, most
}

// textWidth is the width of s in digits: a space or a dash, of which a
// CID's groups are apart, is about half of one (Calibri's are 0.45 and
// 0.55).
func textWidth(s string) float64 {
	w := 0.0
	for _, r := range s {
		if r == ' ' || r == '-' {
			w += 0.5
		} else {
			w++
		}
	}
	return w
}

// reordered reports whether the digits of s are shown in another order
// right to left: groups of them apart by anything but a dash (a space)
// are laid out from the right, where a dash between two numbers joins
// them into one (Unicode's bidi algorithm, rule W4: a European
// separator between European numbers).
func reordered(s string) bool {
	return strings.Trim(strings.TrimSpace(s), "0123456789-") != ""
}

// columnName is the letters of column c (1 is A), as a message names it.
func columnName(c int) string {
	s, _ := excelize.ColumnNumberToName(c)
	return s
}
