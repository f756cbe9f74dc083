package worklist

import (
	"encoding/xml"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"
)

// Conditional formats (ECMA-376 Part 1, 18.3.1.18 conditionalFormatting,
// 18.3.1.10 cfRule, 18.8.17 dxf; [MS-XLSX] 2.6.2 x14:conditionalFormatting,
// which Excel 2010 and later read from the sheet's extLst): a rule over a
// range applies a differential format (dxf: a font colour, a fill, a
// number format) to each cell of it for which its condition holds, and a
// data bar or icon set may show no value (showValue="0"). No formula is
// evaluated: a rule whose outcome for an ID cell is not certain without
// one is taken as holding, and all such rules at once, so that a CID is
// refused where one rule, or two together (one's font, another's fill),
// could make it unreadable by the rules of xlsxstyle.go, applied over the
// cell's own format. A colour scale, which fills a number's cell in a
// colour computed from the numbers of its range, is not followed.
//
// A rule is left out for an ID cell where it cannot hold for it (cfTest):
// an ID cell of a record holds a value typed, not a formula's: a text of
// digits, spaces and dashes (of ASCII only, else every rule is taken as
// holding), or, for an IID, a number of 15 digits at most. Excel and
// LibreOffice rank and average numbers only (top10, aboveAverage: never
// a text), and a text is no error and not blank. Excel evaluates the
// formula it saves with a rule of text or dates (containsErrors,
// containsBlanks, containsText, notContainsText, beginsWith, endsWith,
// timePeriod), not its type or text attribute (a rule whose formula
// names another cell tests that cell): such a rule is worked out only
// when its formula is the one Excel writes for it, naming the top left
// cell of its ranges, relative; its literal is then compared with the
// cell's text, case aside (SEARCH, and =, ignore case; a literal holding
// a letter is in no text of digits; one holding a wildcard of SEARCH, a
// tab or a line break (LibreOffice compares the text attribute, which
// its parser reads with a space for either), or other than ASCII, is
// not compared), and with the text's spaces at either end left out too.
// A cellIs rule against numbers only
// never holds for a text where it asks for equal, less or between: Excel
// takes a text as greater than any number, LibreOffice a condition on a
// number as false for a text but for notEqual. A date rule's formula is
// false, or an error, for a text of a run of 16 digits or more (a
// number, if Excel makes one of it, over 10^15, far past any date).
// Expression, duplicateValues, uniqueValues and cellIs against a text
// or a reference are taken as holding, and so is every rule over a
// number or a formula's value, and in an extension (x14).

// maxConditional is the most ranges the sqrefs of a sheet's conditional
// formats may list, the most rules, and the most (rule, range) pairs over
// the InstallationId and ConfirmationId columns kept, each: a sheet
// over one is ErrTooLarge. Excel keeps a range once a rule; a sheet whose
// rules were copied with its cells for years holds a few thousand.
const maxConditional = 1 << 16

// maxTextRules is the most rules over an ID column whose outcome is
// worked out from each cell's text (cfTest.on): each record costs them
// all, and those that hold two updates of cfActive. Over it, they are
// all taken as holding; a sheet has a few. 64 of them, all holding,
// cost 0.9 s of CPU over 100,000 records, 16 about a quarter.
const maxTextRules = 16

// maxFormula is the most bytes of a rule's formula kept, to compare
// with the one Excel writes for it (ruleTest): Excel's are under 300
// bytes, and a text rule's holds its literal twice, each of its quotes
// doubled: under 4 * maxCFText bytes and a few more, within 2 * maxText.
const maxFormula = 2 * maxText

// conditionals are the conditional formats of a sheet, as read.
type conditionals struct {
	ranges [][4]int    // of the conditionalFormatting being read: column, row, to column, to row
	anchor string      // the top left cell of its ranges ("B2"), "" when its first range's is not
	spans  [2][]cfSpan // over the InstallationId and ConfirmationId columns
	inline []dxfLook   // the dxfs of x14 rules, which hold their own
	tests  []cfTest    // the conditions of the spans', by cfSpan.test - 1
	refs   int         // ranges read
	rules  int
	kept   int // spans
}

// cfSpan is a rule over rows from to to of a column: its effect is the
// index of its dxf in the styles, hidesNumbers, or -2 - the index of its
// own dxf (conditionals.inline); its test, the index + 1 of its
// condition (conditionals.tests), 0 for one taken as holding.
type cfSpan struct {
	from, to int
	effect   int32
	test     int32
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
		return true, l.cfRule(d, e)
	case parent == "/worksheet/extLst/ext" && e.Name.Local == "conditionalFormattings":
		return true, l.x14(d)
	}
	return false, nil
}

// cfRule reads a cfRule element, just started, to its end: its dxf and
// its condition (cfTest), over the ranges read last, and whether it is
// a data bar or an icon set that shows no value.
func (l *sheetLook) cfRule(d *partDecoder, e xml.StartElement) error {
	if err := l.cf.rule(); err != nil {
		return err
	}
	dxf := int32(-1)
	if v := attr(e, "dxfId"); v != "" {
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n >= maxStyles {
			return fmt.Errorf("%w: a conditional format of dxf %.20q, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, v)
		}
		dxf = int32(n)
	}
	var formulas []string // the first three
	var f strings.Builder
	in, hides, odd := false, false, false // odd: a formula Excel does not write
	for depth := 1; depth > 0; {
		tok, err := d.RawToken()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			switch {
			case depth == 2 && t.Name.Local == "formula":
				in = true
				f.Reset()
			case depth == 3 && in:
				odd = true // a formula holding an element
			case depth == 2 && (t.Name.Local == "dataBar" || t.Name.Local == "iconSet") && isFalse(attr(t, "showValue")):
				hides = true
			}
		case xml.CharData:
			if in && depth == 2 && f.Len() <= maxFormula {
				f.Write(t[:minInt(len(t), maxFormula+1-f.Len())])
			}
		case xml.EndElement:
			if in && depth == 2 {
				if in = false; len(formulas) == 3 || f.Len() > maxFormula {
					odd = true
				} else {
					formulas = append(formulas, f.String())
				}
			}
			depth--
		}
	}
	if dxf >= 0 {
		var test int32
		if len(l.cf.ranges) > 0 && !odd && once(e, "type", "operator", "text") {
			if t := ruleTest(e, formulas, l.cf.anchor); t.kind != mayHold {
				l.cf.tests = append(l.cf.tests, t)
				test = int32(len(l.cf.tests))
			}
		}
		if err := l.cfOver(dxf, test); err != nil {
			return err
		}
	}
	if hides {
		return l.cfOver(hidesNumbers, 0)
	}
	return nil
}

// once says whether e gives each attribute named at most once.
// encoding/xml reads an element that gives one twice, attr takes the
// first; Excel and LibreOffice refuse it as not XML, or repair it as
// they like: a rule of type="top10" type="expression" is no top 10
// rule to be left out.
func once(e xml.StartElement, names ...string) bool {
	seen := make([]bool, len(names))
	for _, a := range e.Attr {
		for i, n := range names {
			if a.Name.Space == "" && a.Name.Local == n {
				if seen[i] {
					return false
				}
				seen[i] = true
			}
		}
	}
	return true
}

// sqref reads the ranges a conditional format is over ("A1:B9 D2"),
// keeping those over a column of pair (sheetLook.pair): each of its
// rules goes through those kept, and so costs no more than the spans it
// gives (kept). Keeping every range, 65,536 of them elsewhere under
// 65,536 rules, an 11 KB file, took 20 s.
// Its anchor is the top left cell of its ranges, which the relative
// references of its rules' formulas are to, where it is the first
// range's top left cell too: Excel writes them so.
func (cf *conditionals) sqref(v string, pair [2]int) error {
	cf.ranges = cf.ranges[:0]
	var first, least [2]int
	for i, ref := range strings.Fields(v) {
		if cf.refs++; cf.refs > maxConditional {
			return fmt.Errorf("%w: over %d ranges of conditional formats", ErrTooLarge, maxConditional)
		}
		r, err := refRange(ref)
		if err != nil {
			return fmt.Errorf("%w: a conditional format over %.20q, not as Excel saves a sheet; open it in Excel and save it again", ErrNotWorkbook, ref)
		}
		if i == 0 {
			first, least = [2]int{r[0], r[1]}, [2]int{r[0], r[1]}
		}
		least = [2]int{minInt(least[0], r[0]), minInt(least[1], r[1])}
		for _, c := range pair {
			if c != 0 && r[0] <= c && c <= r[2] {
				cf.ranges = append(cf.ranges, r)
				break
			}
		}
	}
	cf.anchor = ""
	if first == least && first[0] > 0 {
		cf.anchor, _ = excelize.CoordinatesToCellName(first[0], first[1])
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

// cfOver takes a rule's effect, and its test (cfSpan), over the ranges
// read last: a span for each of them that holds an InstallationId or
// ConfirmationId column.
func (l *sheetLook) cfOver(effect, test int32) error {
	for _, r := range l.cf.ranges {
		for i, c := range l.pair {
			if c == 0 || c < r[0] || c > r[2] {
				continue
			}
			if l.cf.kept++; l.cf.kept > maxConditional {
				return fmt.Errorf("%w: over %d conditional formats over the ID columns", ErrTooLarge, maxConditional)
			}
			l.cf.spans[i] = append(l.cf.spans[i], cfSpan{from: r[1], to: r[3], effect: effect, test: test})
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
					if err := l.cfOver(e, 0); err != nil {
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
// of rules that may show nothing of a text, a number, or other than it.
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
// cell (pairs, as cfCell keeps them) a conditional format over it could
// hide (Record.Hidden), unless it is hidden already: of the rules over
// it, those that may hold for a cell of its class (cfTest.may), and,
// for a text, those of its text (cfTest.on), at most maxTextRules of
// them a column, else taken as holding. A rule of a dxf the styles do not hold is
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
		var texts []cfSpan // the rules worked out from a text's
		for _, s := range spans {
			if _, err := dxf(s.effect); err != nil {
				return err
			}
			if _, on := l.cf.test(s).may(cellText); on {
				texts = append(texts, s)
			}
		}
		if len(texts) > maxTextRules {
			texts = nil // taken as holding
		}
		// A sweep down the records, with the rules over each row that
		// may hold for a cell of each class.
		var act [3]cfActive
		add := func(s cfSpan, d int) {
			x, _ := dxf(s.effect)
			for k := range act {
				if may, on := l.cf.test(s).may(k); may && !(on && texts != nil) {
					act[k].add(x, d)
				}
			}
		}
		starts := append([]cfSpan(nil), spans...)
		sort.Slice(starts, func(a, b int) bool { return starts[a].from < starts[b].from })
		sort.Slice(spans, func(a, b int) bool { return spans[a].to < spans[b].to })
		si, ei := 0, 0
		var on []*dxfLook
		for k := range records {
			row := records[k].Row
			for ; si < len(starts) && starts[si].from <= row; si++ {
				add(starts[si], 1)
			}
			for ; ei < len(spans) && spans[ei].to < row; ei++ {
				add(spans[ei], -1)
			}
			if records[k].Hidden != "" || k >= len(pairs) || pairs[k][i].col == 0 {
				continue
			}
			c := pairs[k][i]
			class := c.class()
			a := &act[class]
			on = on[:0]
			for _, s := range texts {
				if class == cellText && s.from <= row && row <= s.to && l.cf.test(s).on(c.text) {
					x, _ := dxf(s.effect)
					a.add(x, 1)
					on = append(on, x)
				}
			}
			why := ""
			if a.n > 0 {
				var err error
				if why, err = cs.conditionalHides(c, runs.look(c.runs), a, row); err != nil {
					return err
				}
			}
			for _, x := range on {
				a.add(x, -1)
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

// test is the condition of the span s.
func (cf *conditionals) test(s cfSpan) cfTest {
	if s.test == 0 {
		return cfTest{kind: mayHold}
	}
	return cf.tests[s.test-1]
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
		return "a number format, a data bar or an icon that shows nothing of it, or shows other than it", nil
	case !c.number && a.text > 0:
		return "a number format that shows nothing of it, or shows other than it", nil
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

// cfTest is what is known of a rule's condition over an ID cell without
// evaluating a formula: its kind, and the literal of a rule of text.
type cfTest struct {
	kind int8
	text string
}

// Kinds of cfTest.
const (
	mayHold         = iota // not worked out: taken as holding
	notOnValue             // never holds for a text or a number typed: containsErrors, containsBlanks
	notOnText              // never holds for a text typed: top10, aboveAverage, cellIs against numbers, a text of a letter
	textBegins             // holds as a text typed begins with the literal
	textEnds               // ends with it
	textHolds              // holds it
	textLacks              // does not hold it
	notOnLongDigits        // timePeriod: never holds for a text typed of a run of 16 digits or more
)

// Classes of an ID cell (cfCell), by what its value is to the rules.
const (
	cellOther  = iota // a formula's value, a text kept by no rule: every rule may hold
	cellText          // a text typed, of ASCII, kept (xcell.text)
	cellNumber        // a number typed
)

// maxCFText is the most bytes of an ID cell's text kept for the rules
// of text: a CID or IID, with a space between each two digits, is
// under it.
const maxCFText = 256

// cfCell is the ID cell c as the conditional formats take it: its text
// kept only where it is a text typed of ASCII (Excel's SEARCH and =
// may take a character of another script as an ASCII one) within
// maxCFText bytes, else it is of cellOther.
func cfCell(c xcell) xcell {
	ascii := len(c.text) <= maxCFText
	for i := 0; ascii && i < len(c.text); i++ {
		ascii = c.text[i] < 0x80
	}
	if !ascii && !c.number {
		c.typed = false
	}
	if !c.typed || c.number {
		c.text = ""
	}
	return c
}

// class is the class of an ID cell as cfCell keeps it.
func (c xcell) class() int {
	switch {
	case !c.typed:
		return cellOther
	case c.number:
		return cellNumber
	}
	return cellText
}

// may says whether the rule may hold for an ID cell of class k, and on
// whether that is worked out from its text (cfTest.on).
func (t cfTest) may(k int) (may, on bool) {
	switch t.kind {
	case mayHold:
		return true, false
	case notOnValue:
		return k == cellOther, false
	case notOnText:
		return k != cellText, false
	}
	return true, k == cellText
}

// on says whether the rule holds for an ID cell of the text given, of
// ASCII: Excel's SEARCH and = ignore case, and the literal holds no
// letter. It holds where it holds for the text without the white space
// it begins or ends with, too: a t element not marked
// xml:space="preserve" may lose it in the program that shows it, and
// " 222…" begins with 22 there.
func (t cfTest) on(text string) bool {
	if trimmed := strings.Trim(text, xmlSpace); trimmed != text && t.onText(trimmed) {
		return true
	}
	return t.onText(text)
}

// xmlSpace is the white space of XML (its S production).
const xmlSpace = " \t\r\n"

// onText is on for the text as given.
func (t cfTest) onText(text string) bool {
	switch t.kind {
	case textBegins:
		return strings.HasPrefix(text, t.text)
	case textEnds:
		return strings.HasSuffix(text, t.text)
	case textHolds:
		return strings.Contains(text, t.text)
	case textLacks:
		return !strings.Contains(text, t.text)
	case notOnLongDigits:
		return !longDigits(text)
	}
	return true
}

// longDigits says whether s holds a run of 16 digits or more, the first
// not 0: a number Excel makes of a text holding it, if any, is 10^15 or
// more from 0, past its last date (2958465, 31 December 9999), and no
// date or time holds such a run.
func longDigits(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] < '0' || s[i] > '9':
			run = 0
		case run > 0 || s[i] != '0':
			if run++; run >= 16 {
				return true
			}
		}
	}
	return false
}

// ruleTest is what is known of the condition of the cfRule e, of the
// formulas given, over ranges whose top left cell is anchor ("" for
// none): mayHold but for the rules the package comment lists, with the
// formula Excel writes for each.
func ruleTest(e xml.StartElement, formulas []string, anchor string) cfTest {
	one := func(want ...string) bool {
		if anchor == "" || len(formulas) != 1 {
			return false
		}
		for _, w := range want {
			if formulas[0] == w {
				return true
			}
		}
		return false
	}
	switch typ := attr(e, "type"); typ {
	case "top10", "aboveAverage":
		return cfTest{kind: notOnText}
	case "containsErrors":
		if one("ISERROR(" + anchor + ")") {
			return cfTest{kind: notOnValue}
		}
	case "containsBlanks":
		if one("LEN(TRIM(" + anchor + "))=0") {
			return cfTest{kind: notOnValue}
		}
	case "cellIs":
		return cellIsTest(attr(e, "operator"), formulas)
	case "timePeriod":
		if one(datesFormulas(anchor)...) {
			return cfTest{kind: notOnLongDigits}
		}
	case "containsText", "notContainsText", "beginsWith", "endsWith":
		lit := attr(e, "text")
		if len(lit) > maxCFText {
			break // longer than any text kept; and each rule's costs its bytes
		}
		q := `"` + strings.ReplaceAll(lit, `"`, `""`) + `"`
		var kind int8
		switch n := strconv.Itoa(len(lit)); {
		case typ == "containsText" && one("NOT(ISERROR(SEARCH("+q+","+anchor+")))"):
			kind = textHolds
		case typ == "notContainsText" && one("ISERROR(SEARCH("+q+","+anchor+"))"):
			kind = textLacks
		case typ == "beginsWith" && one("LEFT("+anchor+",LEN("+q+"))="+q, "LEFT("+anchor+","+n+")="+q):
			kind = textBegins
		case typ == "endsWith" && one("RIGHT("+anchor+",LEN("+q+"))="+q, "RIGHT("+anchor+","+n+")="+q):
			kind = textEnds
		default:
			return cfTest{kind: mayHold}
		}
		letter, ascii := false, true
		for _, r := range lit {
			letter = letter || unicode.IsLetter(r)
			ascii = ascii && r < 0x80
		}
		switch {
		case letter && kind == textLacks:
			return cfTest{kind: mayHold} // holds for every text of digits
		case letter:
			return cfTest{kind: notOnText}
		case !ascii, (kind == textHolds || kind == textLacks) && strings.ContainsAny(lit, "*?~"):
			return cfTest{kind: mayHold}
		case strings.ContainsAny(lit, "\t\r\n"):
			// LibreOffice compares the text attribute, not the
			// formula, and its parser reads a tab or a line break
			// written raw in an attribute as a space, as XML asks;
			// encoding/xml keeps it, and it cannot be told from one
			// written &#9;.
			return cfTest{kind: mayHold}
		}
		return cfTest{kind: kind, text: lit}
	}
	return cfTest{kind: mayHold}
}

// cellIsTest is what is known of a cellIs rule of the operator and
// formulas given: notOnText where it asks for equal, less or between,
// of numbers only (a text is never so in Excel or LibreOffice).
func cellIsTest(operator string, formulas []string) cfTest {
	want := map[string]int{"equal": 1, "lessThan": 1, "lessThanOrEqual": 1, "between": 2}[operator]
	if want == 0 || len(formulas) != want {
		return cfTest{kind: mayHold}
	}
	for _, f := range formulas {
		if !numberLiteral.MatchString(f) {
			return cfTest{kind: mayHold}
		}
	}
	return cfTest{kind: notOnText}
}

// numberLiteral matches a formula that is a number, as Excel writes one.
var numberLiteral = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([Ee][+-]?[0-9]+)?$`)

// datesFormulas are the formulas Excel writes for the periods of a date
// rule (timePeriod) over ranges of top left cell ref, each false, or an
// error, for a value over 10^15 from 0 or for a text no number: each
// holds ref in FLOOR or ROUNDDOWN, compared with TODAY() on both sides,
// or in MONTH, an error past 9999.
func datesFormulas(ref string) []string {
	return []string{
		"FLOOR(" + ref + ",1)=TODAY()-1",
		"FLOOR(" + ref + ",1)=TODAY()",
		"FLOOR(" + ref + ",1)=TODAY()+1",
		"AND(TODAY()-FLOOR(" + ref + ",1)<=6,FLOOR(" + ref + ",1)<=TODAY())",
		"AND(TODAY()-ROUNDDOWN(" + ref + ",0)>=(WEEKDAY(TODAY())),TODAY()-ROUNDDOWN(" + ref + ",0)<(WEEKDAY(TODAY())+7))",
		"AND(TODAY()-ROUNDDOWN(" + ref + ",0)<=WEEKDAY(TODAY())-1,ROUNDDOWN(" + ref + ",0)-TODAY()<=7-WEEKDAY(TODAY()))",
		"AND(ROUNDDOWN(" + ref + ",0)-TODAY()>(7-WEEKDAY(TODAY())),ROUNDDOWN(" + ref + ",0)-TODAY()<(15-WEEKDAY(TODAY())))",
		"AND(MONTH(" + ref + ")=MONTH(TODAY())-1,OR(YEAR(" + ref + ")=YEAR(TODAY()),AND(MONTH(" + ref + ")=1,YEAR(" + ref + ")=YEAR(TODAY())-1)))",
		"AND(MONTH(" + ref + ")=MONTH(TODAY())-1,OR(YEAR(" + ref + ")=YEAR(TODAY()),AND(MONTH(" + ref + ")=12,YEAR(" + ref + ")=YEAR(TODAY())-1)))",
		"AND(MONTH(" + ref + ")=MONTH(TODAY()),YEAR(" + ref + ")=YEAR(TODAY()))",
		"AND(MONTH(" + ref + ")=MONTH(TODAY())+1,OR(YEAR(" + ref + ")=YEAR(TODAY()),AND(MONTH(" + ref + ")=12,YEAR(" + ref + ")=YEAR(TODAY())+1)))",
	}
}
