package xlsxpart

import (
	"bufio"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/width"
)

// Rows writes rows of cells as the XML of a sheet's sheetData, a row at
// a time, to a bufio.Writer: what it holds is the columns' names.
type Rows struct {
	w     *bufio.Writer
	cols  []string // A, B, ... as far as a row has gone
	style int      // the style of the last Texts, and its number as text
	s     string
}

// NewRows returns a Rows writing to w.
func NewRows(w *bufio.Writer) *Rows { return &Rows{w: w} }

// col is the name of column j (0 is A).
func (r *Rows) col(j int) (string, error) {
	for len(r.cols) <= j {
		name, err := excelize.ColumnNumberToName(len(r.cols) + 1)
		if err != nil {
			return "", err
		}
		r.cols = append(r.cols, name)
	}
	return r.cols[j], nil
}

// Cells writes row n of cells from column A on, height points high (0:
// the sheet's default, no height given), byte for byte what excelize's
// StreamWriter SetRow writes for them with RowOpts{Height: height}
// (TestCells): a string inline (XML-escaped, cut to Excel's 32,767
// characters, a text of the form _xHHHH_ escaped as excelize does), an
// int as a number, a time as Excel's date serial. A cell of another
// type, or a height over excelize.MaxRowHeight, is an error.
func (r *Rows) Cells(n int, height float64, cells []excelize.Cell) error {
	if height > excelize.MaxRowHeight {
		return excelize.ErrMaxRowHeight
	}
	w := r.w
	row := strconv.Itoa(n)
	w.WriteString(`<row r="`)
	w.WriteString(row)
	if height > 0 {
		w.WriteString(`" ht="`)
		w.WriteString(strconv.FormatFloat(height, 'f', -1, 64))
		w.WriteString(`" customHeight="1`)
	}
	w.WriteString(`">`)
	for j, c := range cells {
		col, err := r.col(j)
		if err != nil {
			return err
		}
		if err := writeCell(w, col, row, c); err != nil {
			return err
		}
	}
	w.WriteString(`</row>`)
	return nil
}

// Texts writes row n of text cells from column A on, each of style (0
// for none), so that Excel, and UnescapeX, read each text as it is
// given: a character XML cannot hold is Excel's escape _xHHHH_, and a
// text of that form has its _ escaped (_x005F_). excelize escapes only
// the latter, and writes a control character as U+FFFD. A text over
// Excel's 32,767 characters is cut.
func (r *Rows) Texts(n int, style int, texts []string) error {
	return r.TextRow(n, 0, []int{style}, texts)
}

// TextRow writes row n of text cells as Texts does, height points high
// (0: the sheet's default, no height given, as Cells), text j of style
// styles[j], or of the last style given past the end of styles. A
// height over excelize.MaxRowHeight is an error.
func (r *Rows) TextRow(n int, height float64, styles []int, texts []string) error {
	if height > excelize.MaxRowHeight {
		return excelize.ErrMaxRowHeight
	}
	w := r.w
	row := strconv.Itoa(n)
	w.WriteString(`<row r="`)
	w.WriteString(row)
	if height > 0 {
		w.WriteString(`" ht="`)
		w.WriteString(strconv.FormatFloat(height, 'f', -1, 64))
		w.WriteString(`" customHeight="1`)
	}
	w.WriteString(`">`)
	style := 0
	for j, s := range texts {
		col, err := r.col(j)
		if err != nil {
			return err
		}
		if j < len(styles) {
			style = styles[j]
		}
		w.WriteString(`<c r="`)
		w.WriteString(col)
		w.WriteString(row)
		w.WriteByte('"')
		if style != 0 {
			if r.s == "" || style != r.style {
				r.style, r.s = style, strconv.Itoa(style)
			}
			w.WriteString(` s="`)
			w.WriteString(r.s)
			w.WriteByte('"')
		}
		s = cutCell(escapeX(s))
		// Whether the text keeps its spaces is told by the text itself,
		// before XML escapes a tab or a CR, as excelize's shared
		// strings do.
		preserve := len(s) > 0 && (isSpace(s[0]) || isSpace(s[len(s)-1]))
		writeT(w, xmlText(s), preserve)
	}
	w.WriteString(`</row>`)
	return nil
}

// firstWide is the first character Unicode's East Asian Width makes wide
// or fullwidth.
const firstWide = 0x1100

// Lines is how many lines s takes wrapped in a column width characters
// wide: each of its lines (apart by "\n") one if its characters (two
// for a wide one) and one for the cell's margins fit the width, else
// as many as they take with a tenth more for the room a line broken
// between words leaves at its end; it stops counting once the lines
// pass excelize.MaxRowHeight at 15 points a line (Calibri 11's). With
// the tenth on a line that fits, a worklist's Host of 15 characters
// took two lines in its column of 18.
func Lines(s string, width float64) float64 {
	n := 0.0
	for {
		line, rest, more := strings.Cut(s, "\n")
		need := float64(Cols(line) + 1)
		if need > width {
			need *= 1.1
		}
		n += math.Max(1, math.Ceil(need/width))
		if !more || n*15 >= excelize.MaxRowHeight {
			return n
		}
		s = rest
	}
}

// Cols is how many characters' width s takes: two for a wide or
// fullwidth one (Unicode's East Asian Width), as a terminal shows it.
// No character before U+1100 (Hangul's first jamo) is wide or
// fullwidth (TestColsNarrowBelow), so those skip the width table: a
// workbook asks this of every wrapped cell, most of them ASCII.
func Cols(s string) int {
	n := 0
	for _, r := range s {
		if r < firstWide {
			n++
			continue
		}
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// writeCell writes a cell as excelize does: a string inline (escaped for
// XML, cut to Excel's 32,767 characters), an integer or a time as a
// number (a time as Excel's date serial).
func writeCell(w *bufio.Writer, col, row string, c excelize.Cell) error {
	w.WriteString(`<c r="`)
	w.WriteString(col)
	w.WriteString(row)
	w.WriteByte('"')
	if c.StyleID != 0 {
		w.WriteString(` s="`)
		w.WriteString(strconv.Itoa(c.StyleID))
		w.WriteByte('"')
	}
	switch v := c.Value.(type) {
	case string:
		inlineStr(w, v, true)
	case int:
		w.WriteString(`><v>`)
		w.WriteString(strconv.Itoa(v))
		w.WriteString(`</v></c>`)
	case time.Time:
		// Excel has no zones: excelize shifts a time by its offset.
		_, off := v.Zone()
		v = v.Add(time.Duration(off) * time.Second)
		serial := excelSerial(v)
		if serial <= 0 {
			// Before Excel's first day: the time as text, unescaped
			// (it has nothing to escape).
			inlineStr(w, v.Format(time.RFC3339Nano), false)
			break
		}
		if c.StyleID == 0 {
			return errors.New("a time cell without a style") // excelize would add one: never done here
		}
		w.WriteString(`><v>`)
		w.WriteString(strconv.FormatFloat(serial, 'f', -1, 64))
		w.WriteString(`</v></c>`)
	default:
		return fmt.Errorf("a cell of type %T", c.Value)
	}
	return nil
}

// inlineStr ends a cell with s as its inline string, as excelize's
// trimCellValue and writeCell do.
func inlineStr(w *bufio.Writer, s string, escape bool) {
	s = cutCell(s)
	if escape {
		s = xmlText(s)
	}
	preserve := len(s) > 0 && (isSpace(s[0]) || isSpace(s[len(s)-1]))
	if strings.Contains(s, "_x") {
		s = bstrMarshal(s)
	}
	writeT(w, s, preserve)
}

// writeT ends a cell with its inline string, the text x as XML.
func writeT(w *bufio.Writer, x string, preserve bool) {
	w.WriteString(` t="inlineStr"><is><t`)
	if preserve {
		w.WriteString(` xml:space="preserve"`)
	}
	w.WriteByte('>')
	w.WriteString(x)
	w.WriteString(`</t></is></c>`)
}

// cutCell is s cut to the characters a cell holds.
func cutCell(s string) string {
	if len(s) > excelize.TotalCellChars && utf8.RuneCountInString(s) > excelize.TotalCellChars {
		s = string([]rune(s)[:excelize.TotalCellChars])
	}
	return s
}

func isSpace(c byte) bool { return c == 9 || c == 10 || c == 13 || c == 32 }

// xmlText escapes s as encoding/xml's Encoder does character data (what
// excelize uses): xml.EscapeText, but for a newline, which the Encoder
// keeps as it is (TestXMLText, FuzzXMLText). Plain ASCII text, most
// cells, has nothing to escape; ASCII is told by table, as a search of
// the five specials for every byte was half of this function's time.
func xmlText(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if xmlEscapes[c] {
				return xmlEscape(s, i)
			}
			i++
			continue
		}
		// Text in Japanese, too, has nothing to escape: only bytes that
		// are not UTF-8 and characters XML does not allow are.
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 || !xmlChar(r) {
			return xmlEscape(s, i)
		}
		i += n
	}
	return s
}

// xmlEscapes holds the ASCII bytes xmlText escapes: XML's five specials,
// and every control character but the newline.
var xmlEscapes = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < 0x20; c++ {
		t[c] = c != '\n'
	}
	for _, c := range `"'&<>` {
		t[c] = true
	}
	return t
}()

// xmlEscape is s escaped as xml.EscapeText escapes it, but for a newline
// kept as it is; nothing before s[from] needs escaping. It builds the
// text once, where EscapeText into a builder, then a replace of its
// "&#xA;", built it up to three times.
func xmlEscape(s string, from int) string {
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:from])
	last := from
	for i := from; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch r {
		case '"':
			esc = "&#34;"
		case '\'':
			esc = "&#39;"
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\t':
			esc = "&#x9;"
		case '\r':
			esc = "&#xD;"
		default:
			if !xmlChar(r) || r == utf8.RuneError && n == 1 {
				esc = "\uFFFD"
			}
		}
		i += n
		if esc != "" {
			b.WriteString(s[last : i-n])
			b.WriteString(esc)
			last = i
		}
	}
	b.WriteString(s[last:])
	return b.String()
}

// xmlChar reports whether XML 1.0 allows r at all (encoding/xml's
// isInCharacterRange); EscapeText writes U+FFFD for one it does not.
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// excelSerial is t as Excel's date serial (days since 1899-12-30, with
// Lotus's 29 February 1900), computed as excelize's timeToExcelTime does,
// or 0 before Excel's first day.
func excelSerial(t time.Time) float64 {
	const day = 24 * time.Hour
	const maxSpan = 290 * 364 * day // a time.Duration holds about 292 years
	epoch := time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)
	if t.Before(epoch) {
		return 0
	}
	tt, diff, serial := t, t.Sub(epoch), 0.0
	for diff >= maxSpan {
		serial += float64(maxSpan / day)
		tt = tt.Add(-maxSpan)
		diff = tt.Sub(epoch)
	}
	rem := diff % day
	serial += float64(diff-rem)/float64(day) + float64(rem)/float64(day)
	if t.After(time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC).Add(-time.Nanosecond)) {
		serial++
	}
	return serial
}

// Excel's escape of a character XML cannot hold (a control character),
// _xHHHH_, a UTF-16 code unit (ECMA-376 Part 1, 22.9.2.19 ST_Xstring);
// _x005F_ is the underscore, which escapes a text of that form.
var xEscape = regexp.MustCompile(`_x[0-9A-Fa-f]{4}_`)

// UnescapeX undoes Excel's escapes, as Excel reads a cell's text.
func UnescapeX(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var units []uint16
	var b strings.Builder
	flush := func() {
		b.WriteString(string(utf16.Decode(units)))
		units = units[:0]
	}
	last := 0
	for _, m := range xEscape.FindAllStringIndex(s, -1) {
		if m[0] != last {
			flush()
			b.WriteString(s[last:m[0]])
		}
		u, _ := strconv.ParseUint(s[m[0]+2:m[0]+6], 16, 16)
		units = append(units, uint16(u))
		last = m[1]
	}
	flush()
	b.WriteString(s[last:])
	return b.String()
}

// escapeX is s as a cell's text that Excel, and UnescapeX, read as s: a
// character XML cannot hold as _xHHHH_, and the _ of a text of that form
// as _x005F_. Most text has neither and is s.
func escapeX(s string) string {
	if !strings.Contains(s, "_x") && !needsX(s) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && escapesAs(s[i:]):
			b.WriteString("_x005F_")
		case !xmlChar(r):
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, "_x%04X_", u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapesAs reports whether s, from a _ on, is a text that escapeX
// writes in the form of an escape: _xHHHH then a _, or then a character
// whose escape begins with one ("_x0041" then U+0000 would be
// "_x0041_x0000_", read as "A" then "x0000_").
func escapesAs(s string) bool {
	if len(s) < 7 || !xEscape.MatchString(s[:6]+"_") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[6:])
	return r == '_' || !xmlChar(r)
}

// needsX reports whether s holds a character XML cannot (a byte not
// UTF-8 is U+FFFD, which it can).
func needsX(s string) bool {
	for _, r := range s {
		if !xmlChar(r) {
			return true
		}
	}
	return false
}

// Excel's escapes as excelize writes them: a literal text of that form
// has its underscore escaped, _x005F_.
var (
	bstrExp       = regexp.MustCompile(`_x[a-fA-F\d]{4}_`)
	bstrEscapeExp = regexp.MustCompile(`x[a-fA-F\d]{4}_`)
)

// bstrMarshal is excelize's (lib.go, BSD-3-Clause, Copyright 2016 - 2024
// The excelize Authors), kept as it is so that a text of the form
// _xHHHH_ comes out as excelize writes it.
func bstrMarshal(s string) (result string) {
	matches, l, cursor := bstrExp.FindAllStringSubmatchIndex(s, -1), len(s), 0
	for _, match := range matches {
		result += s[cursor:match[0]]
		subStr := s[match[0]:match[1]]
		if subStr == "_x005F_" {
			cursor = match[1]
			if match[1]+6 <= l && bstrEscapeExp.MatchString(s[match[1]:match[1]+6]) {
				_, err := strconv.Unquote(`"\u` + s[match[1]+1:match[1]+5] + `"`)
				if err == nil {
					result += subStr + "x005F" + subStr
					continue
				}
			}
			result += subStr + "x005F_"
			continue
		}
		if bstrExp.MatchString(subStr) {
			cursor = match[1]
			if _, err := strconv.Unquote(`"\u` + s[match[0]+2:match[1]-1] + `"`); err == nil {
				result += "_x005F" + subStr
				continue
			}
		}
	}
	if cursor < l {
		result += s[cursor:]
	}
	return result
}
