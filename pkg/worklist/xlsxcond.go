package worklist

import (
	"encoding/xml"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Conditional formats (ECMA-376 Part 1, 18.3.1.18 conditionalFormatting,
// 18.3.1.10 cfRule, 18.8.17 dxf; [MS-XLSX] 2.6.2 x14:conditionalFormatting,
// which Excel 2010 and later read from the sheet's extLst): a rule over a
// range applies a differential format (dxf: a font colour, a fill, a
// number format) to each cell of it for which its condition holds, and a
// data bar or icon set may show no value (showValue="0"). Whether a
// condition holds is not evaluated: each rule over an ID cell is taken
// as holding, and all of them at once, so that a CID is refused where
// one rule, or two together (one's font, another's fill), could make it
// unreadable by the rules of xlsxstyle.go, applied over the cell's own
// format. A colour scale, which fills a number's cell in a colour
// computed from the numbers of its range, is not followed.

// maxConditional is the most ranges the sqrefs of a sheet's conditional
// formats may list, the most rules, and the most (rule, range) pairs over
// the InstallationId and ConfirmationId columns kept, each: a sheet
// over one is ErrTooLarge. Excel keeps a range once a rule; a sheet whose
// rules were copied with its cells for years holds a few thousand.
const maxConditional = 1 << 16

// conditionals are the conditional formats of a sheet, as read.
type conditionals struct {
	ranges [][4]int    // of the conditionalFormatting being read: column, row, to column, to row
	spans  [2][]cfSpan // over the InstallationId and ConfirmationId columns
	inline []dxfLook   // the dxfs of x14 rules, which hold their own
	refs   int         // ranges read
	rules  int
	kept   int // spans
}

// cfSpan is a rule over rows from to to of a column: its effect is the
// index of its dxf in the styles, hidesNumbers, or -2 - the index of its
// own dxf (conditionals.inline).
type cfSpan struct {
	from, to int
	effect   int32
}

// hidesNumbers is the effect of a data bar or icon set that shows no
// value: a number's cell shows the bar or the icon only.
const hidesNumbers = -1

// conditional takes e, an element of the sheet's part, if it is of a
// conditional format: read says it read e to its end.
func (l *sheetLook) conditional(d *partDecoder, e xml.StartElement, parent string) (read bool, err error) {
	switch {
	case parent == "/worksheet" && e.Name.Local == "conditionalFormatting":
		return false, l.cf.sqref(attr(e, "sqref"), l.pair)
	case parent == "/worksheet/conditionalFormatting" && e.Name.Local == "cfRule":
		if err := l.cf.rule(); err != nil {
			return false, err
		}
		if v := attr(e, "dxfId"); v != "" {
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 || n >= maxStyles {
				return false, fmt.Errorf("%w: a conditional format of dxf %.20q, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, v)
			}
			return false, l.cfOver(int32(n))
		}
	case parent == "/worksheet/conditionalFormatting/cfRule" && (e.Name.Local == "dataBar" || e.Name.Local == "iconSet") && isFalse(attr(e, "showValue")):
		return false, l.cfOver(hidesNumbers)
	case parent == "/worksheet/extLst/ext" && e.Name.Local == "conditionalFormattings":
		return true, l.x14(d)
	}
	return false, nil
}

// sqref reads the ranges a conditional format is over ("A1:B9 D2"),
// keeping those over a column of pair (sheetLook.pair): each of its
// rules goes through those kept, and so costs no more than the spans it
// gives (kept). Keeping every range, 65,536 of them elsewhere under
// 65,536 rules, an 11 KB file, took 20 s.
func (cf *conditionals) sqref(v string, pair [2]int) error {
	cf.ranges = cf.ranges[:0]
	for _, ref := range strings.Fields(v) {
		if cf.refs++; cf.refs > maxConditional {
			return fmt.Errorf("%w: over %d ranges of conditional formats", ErrTooLarge, maxConditional)
		}
		r, err := refRange(ref)
		if err != nil {
			return fmt.Errorf("%w: a conditional format over %.20q, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, ref)
		}
		for _, c := range pair {
			if c != 0 && r[0] <= c && c <= r[2] {
				cf.ranges = append(cf.ranges, r)
				break
			}
		}
	}
	return nil
}

// rule counts a rule.
func (cf *conditionals) rule() error {
	if cf.rules++; cf.rules > maxConditional {
		return fmt.Errorf("%w: over %d rules of conditional formats", ErrTooLarge, maxConditional)
	}
	return nil
}

// cfOver takes a rule's effect over the ranges read last: a span for
// each of them that holds an InstallationId or ConfirmationId column.
func (l *sheetLook) cfOver(effect int32) error {
	for _, r := range l.cf.ranges {
		for i, c := range l.pair {
			if c == 0 || c < r[0] || c > r[2] {
				continue
			}
			if l.cf.kept++; l.cf.kept > maxConditional {
				return fmt.Errorf("%w: over %d conditional formats over the ID columns", ErrTooLarge, maxConditional)
			}
			l.cf.spans[i] = append(l.cf.spans[i], cfSpan{from: r[1], to: r[3], effect: effect})
		}
	}
	return nil
}

// x14 reads an x14:conditionalFormattings element, just started, to its
// end: each x14:conditionalFormatting holds its rules, each with its
// own dxf, then the ranges they are over (xm:sqref).
func (l *sheetLook) x14(d *partDecoder) error {
	var effects []int32 // of the conditionalFormatting being read
	var sqref strings.Builder
	in := false // reading xm:sqref
	for depth := 1; depth > 0; {
		tok, err := d.RawToken()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "conditionalFormatting":
				effects = effects[:0]
				sqref.Reset()
			case depth == 3 && t.Name.Local == "cfRule":
				if err := l.cf.rule(); err != nil {
					return err
				}
			case depth == 4 && t.Name.Local == "dxf":
				x, err := readDxf(d)
				if err != nil {
					return err
				}
				depth--
				l.cf.inline = append(l.cf.inline, x)
				effects = append(effects, int32(-1-len(l.cf.inline)))
			case depth == 4 && (t.Name.Local == "dataBar" || t.Name.Local == "iconSet") && isFalse(attr(t, "showValue")):
				effects = append(effects, hidesNumbers)
			case depth == 3 && t.Name.Local == "sqref":
				in = true
			}
		case xml.CharData:
			if in && sqref.Len() < maxRun {
				sqref.Write(t)
			}
		case xml.EndElement:
			in = false
			if depth == 2 {
				if err := l.cf.sqref(sqref.String(), l.pair); err != nil {
					return err
				}
				for _, e := range effects {
					if err := l.cfOver(e); err != nil {
						return err
					}
				}
			}
			depth--
		}
	}
	return nil
}

// refRange reads a range of a sqref: a cell ("B2"), two cells ("B2:D9"),
// columns ("B:D") or rows ("2:9"), as column, row, to column, to row.
// Each column and row may be absolute ("$B$2", "$B:$D"), as Excel reads
// a reference: it is the same cell.
func refRange(ref string) ([4]int, error) {
	from, to, two := strings.Cut(ref, ":")
	if !two {
		to = from
	}
	var r [4]int
	for i, s := range []string{from, to} {
		s = relative(s)
		switch {
		case strings.Trim(s, "0123456789") == "": // a row
			n, err := strconv.Atoi(s)
			if err != nil || n < 1 || n > maxRow || !two {
				return r, fmt.Errorf("a range %.20q", ref)
			}
			r[2*i], r[2*i+1] = 1+(maxColumn-1)*i, n
		case strings.Trim(strings.ToUpper(s), "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "": // a column
			c, err := excelize.ColumnNameToNumber(s)
			if err != nil || !two {
				return r, fmt.Errorf("a range %.20q", ref)
			}
			r[2*i], r[2*i+1] = c, 1+(maxRow-1)*i
		default:
			c, n, err := cellRef(s)
			if err != nil {
				return r, err
			}
			r[2*i], r[2*i+1] = c, n
		}
	}
	if r[2] < r[0] || r[3] < r[1] {
		return r, fmt.Errorf("a range %.20q", ref)
	}
	return r, nil
}

// relative is a cell, column or row reference without the $ that makes
// its column or its row absolute ("$B$2" is "B2"). A $ elsewhere is
// left, for the reader to refuse.
func relative(s string) string {
	s = strings.TrimPrefix(s, "$")
	if i := strings.IndexAny(s, "0123456789"); i > 1 && s[i-1] == '$' {
		s = s[:i-1] + s[i:]
	}
	return s
}

// cfActive is what the rules over a cell may give it, together: the
// colours of fonts and of fills, each with the number of rules giving
// it; both, the number of colours in both; text and number, the number
// of rules that may show nothing of a text, a number.
type cfActive struct {
	fonts, fills map[colour]int
	both         int
	text, number int
	n            int // rules
}

// add counts the rule of dxf x in (d is 1) or out (-1).
func (a *cfActive) add(x *dxfLook, d int) {
	if a.fonts == nil {
		a.fonts, a.fills = map[colour]int{}, map[colour]int{}
	}
	a.n += d
	if x.text != "" {
		a.text += d
	}
	if x.number != "" {
		a.number += d
	}
	for _, c := range x.fonts {
		a.count(a.fonts, a.fills, c, d)
	}
	for _, c := range x.fills {
		a.count(a.fills, a.fonts, c, d)
	}
}

// count counts colour c in m, other being the other kind's.
func (a *cfActive) count(m, other map[colour]int, c colour, d int) {
	if c == unknown {
		return
	}
	before := m[c]
	m[c] = before + d
	if other[c] > 0 && (before == 0) != (before+d == 0) {
		a.both += d
	}
	if m[c] == 0 {
		delete(m, c)
	}
}

// numbersHidden is the dxf a data bar or icon set showing no value is
// taken as.
var numbersHidden = dxfLook{number: "a data bar or icon only"}

// conditional marks each record whose InstallationId or ConfirmationId
// cell (pairs) a conditional format over it could hide (Record.Hidden),
// unless it is hidden already. A rule of a dxf the styles do not hold is
// not as Excel saves a sheet (ErrNotWorkbook).
func (cs *cellStyles) conditional(l *sheetLook, records []Record, pairs [][2]xcell, runs *runTable) error {
	inline := make([]dxfLook, len(l.cf.inline))
	for k, x := range l.cf.inline {
		for _, c := range x.fonts {
			inline[k].fonts = append(inline[k].fonts, cs.resolve(c))
		}
		for _, c := range x.fills {
			inline[k].fills = append(inline[k].fills, cs.resolve(c))
		}
		inline[k].text, inline[k].number = x.text, x.number
	}
	dxf := func(e int32) (*dxfLook, error) {
		switch {
		case e == hidesNumbers:
			return &numbersHidden, nil
		case e < 0:
			return &inline[-2-e], nil
		case int(e) < len(cs.dxfs):
			return &cs.dxfs[e], nil
		}
		if cs.err != nil {
			return nil, cs.err
		}
		return nil, fmt.Errorf("%w: a conditional format of dxf %d, of %d the workbook holds, not as Excel saves a workbook; open it in Excel and save it again",
			ErrNotWorkbook, e, len(cs.dxfs))
	}
	for i, name := range []string{"InstallationId", "ConfirmationId"} {
		spans := l.cf.spans[i]
		for _, s := range spans {
			if _, err := dxf(s.effect); err != nil {
				return err
			}
		}
		// A sweep down the records, with the rules over each row.
		starts := append([]cfSpan(nil), spans...)
		sort.Slice(starts, func(a, b int) bool { return starts[a].from < starts[b].from })
		sort.Slice(spans, func(a, b int) bool { return spans[a].to < spans[b].to })
		var a cfActive
		si, ei := 0, 0
		for k := range records {
			row := records[k].Row
			for ; si < len(starts) && starts[si].from <= row; si++ {
				x, _ := dxf(starts[si].effect)
				a.add(x, 1)
			}
			for ; ei < len(spans) && spans[ei].to < row; ei++ {
				x, _ := dxf(spans[ei].effect)
				a.add(x, -1)
			}
			if a.n == 0 || records[k].Hidden != "" || k >= len(pairs) || pairs[k][i].col == 0 {
				continue
			}
			c := pairs[k][i]
			why, err := cs.conditionalHides(c, runs.look(c.runs), &a, row)
			if err != nil {
				return err
			}
			if why != "" {
				ref, _ := excelize.CoordinatesToCellName(c.col, row)
				records[k].Hidden = fmt.Sprintf("cell %s (%s) may not be seen in Excel: a conditional format over it can give it %s; clear the conditional formats "+
					"of the ID columns in Excel (Home, Conditional Formatting, Clear Rules), check them, save, and import again", ref, name, why)
			}
		}
	}
	return nil
}

// conditionalHides says what the rules a may give the cell c, of rich
// text runs, so that it is not seen: "" when nothing.
func (cs *cellStyles) conditionalHides(c xcell, runs *runLook, a *cfActive, row int) (string, error) {
	x, err := cs.look(c.style, row)
	if err != nil {
		return "", err
	}
	switch {
	case c.number && a.number > 0:
		return "a number format, a data bar or an icon that shows nothing of it", nil
	case !c.number && a.text > 0:
		return "a number format that shows nothing of it", nil
	}
	fonts := []colour{x.font, x.textFont}
	if runs != nil && !c.number {
		fonts = append(fonts, runs.fonts()...)
	}
	for _, f := range fonts {
		if a.fills[f] > 0 {
			return "a fill of its font colour " + colourName(f), nil
		}
	}
	if a.fonts[x.back.colour] > 0 {
		behind := "of its fill"
		if x.back.none {
			behind = "of the white sheet behind it"
		}
		return "the font colour " + colourName(x.back.colour) + ", that " + behind, nil
	}
	if a.both > 0 {
		return "a font and a fill of one colour", nil
	}
	return "", nil
}
