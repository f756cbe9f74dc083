// Package csvcell writes the CSV files that people open in Excel: the
// reports' (package report) and the activation worklist's (package
// worklist). It decides, in one place, how a field is quoted (Writer)
// and how a value that a spreadsheet would run as a formula is made text
// (Text, and Escape for a value that is read back). What a value may show besides, such as a character
// that reorders text (terminal.ShowHidden), is its caller's to decide.
package csvcell

import (
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Writer writes CSV records as encoding/csv's Writer does with UseCRLF
// (a field is quoted when it holds a comma, a quote, CR or LF, or begins
// with a space; a quote is doubled, a newline written CRLF, a lone CR
// dropped), and also quotes a field that holds a semicolon or a tab
// (quoted). Excel opens a .csv file by the list separator of the
// machine's region, which is ";" in Germany, France and most of Europe:
// there csv.Writer's unquoted "Notes: a; b" was two cells, and a hostile
// host name could move every later cell of its row. encoding/csv's
// Reader reads every record back as written, a lone CR aside.
type Writer struct {
	w   io.Writer
	buf []byte // the record being written
	err error  // the first write error: nothing is written after it
}

// NewWriter returns a Writer that writes each record to w as it comes,
// unbuffered: give it a bufio.Writer for many small records.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Write writes one record, a CRLF after it. It returns the first error
// the underlying writer returned, now or at an earlier record; after
// one, nothing more is written.
func (c *Writer) Write(record []string) error {
	if c.err != nil {
		return c.err
	}
	b := c.buf[:0]
	for i, f := range record {
		if i > 0 {
			b = append(b, ',')
		}
		if !quoted(f) {
			b = append(b, f...)
			continue
		}
		b = append(b, '"')
		for j := 0; j < len(f); j++ {
			switch ch := f[j]; ch {
			case '"':
				b = append(b, '"', '"')
			case '\r':
			case '\n':
				b = append(b, '\r', '\n')
			default:
				b = append(b, ch)
			}
		}
		b = append(b, '"')
	}
	b = append(b, '\r', '\n')
	c.buf = b
	_, c.err = c.w.Write(b)
	return c.err
}

// Error returns the first write error, or nil.
func (c *Writer) Error() error { return c.err }

// quoted reports whether Writer writes field f in quotes: as
// encoding/csv decides (its fieldNeedsQuotes), and also when f holds a
// semicolon or a tab, which Excel may take for a separator.
func quoted(f string) bool {
	if f == "" {
		return false
	}
	if f == `\.` {
		return true
	}
	for i := 0; i < len(f); i++ {
		if quoteBytes[f[i]] {
			return true
		}
	}
	r, _ := utf8.DecodeRuneInString(f)
	return unicode.IsSpace(r)
}

// quoteBytes holds the bytes that make quoted quote a field: a table, as
// every cell of a report is looked at (strings.ContainsAny made a set of
// them for each).
var quoteBytes = [256]bool{',': true, ';': true, '"': true, '\r': true, '\n': true, '\t': true}

// formulaStart holds the characters that make a spreadsheet read a cell
// as a formula (or shift it) when the cell begins with one.
const formulaStart = "=+-@\t\r"

// Text makes a value safe for a spreadsheet's text cell, as OWASP's CSV
// injection advice and ActivationWs do: a value starting with '=', '+',
// '-', '@', a tab or a carriage return would be read by Excel as a
// formula (or shift the cell), so it gets a leading single quote, which
// Excel shows as text. Anyone holding a stick can put such a value in a
// site, line, asset or host name.
//
// The same goes for what follows a semicolon, a tab or a newline in the
// value (past any quotes and CRs, which Writer doubles or drops). Excel
// splits a .csv file at the list separator of the machine's region, ";"
// in Germany, France and most of Europe, and takes a quote for the start
// of a quoted field only where a field starts: there the quotes Writer
// puts around "x;=1+1;" keep nothing together, and "=1+1" is a cell of
// its own, as is what follows a newline, which ends the row. Quoted,
// "x;'=1+1;" is text there too. Every other value is returned as it is,
// and Text of what Text returned is the same.
func Text(s string) string { return mark(s, false) }

// Escape makes a value as safe for a spreadsheet as Text does (Text of
// what Escape returns is the same), in a way Unescape undoes: for a cell
// that is read back, as the activation worklist reads its hosts, device
// keys and IDs. It puts a single quote before a value that starts with a
// formula character or a single quote, and after each semicolon, tab or
// newline where one follows (past any quotes and CRs, as Text). Quoting
// a quote too is what makes it reversible: "'=x" and "=x" are not
// written the same.
func Escape(s string) string { return mark(s, true) }

// mark puts a single quote before a value that starts a formula, and
// after each separator that one follows (past any quotes and CRs): for
// Text; with quotes, a single quote counts as a formula's start too, for
// Escape.
func mark(s string, quotes bool) string {
	// Most values need no quote: they are returned as they are, with
	// nothing built (a value with a semicolon and nothing after it to
	// mark, as many reasons have, was built again).
	var b strings.Builder
	last := 0
	if starts(s, 0, false, quotes) {
		b.Grow(len(s) + 2)
		b.WriteByte('\'')
	}
	for i := 0; i < len(s); i++ {
		if separator(s[i]) && starts(s, i+1, true, quotes) {
			if b.Cap() == 0 {
				b.Grow(len(s) + 2)
			}
			b.WriteString(s[last : i+1])
			b.WriteByte('\'')
			last = i + 1
		}
	}
	if b.Cap() == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// Unescape gives back the value Escape made s of: Unescape(Escape(v)) is
// v for every v. Of any other value it takes off the quotes Escape would
// have put in ("'=x" is "=x"), and leaves the rest as it is.
func Unescape(s string) string {
	if !strings.ContainsRune(s, '\'') {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\'' && (i == 0 && starts(s, 1, false, true) || i > 0 && separator(s[i-1]) && starts(s, i+1, true, true)) {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// separator reports whether Excel may end a cell at c: a semicolon or a
// tab, where either is the list separator, or a newline.
func separator(c byte) bool { return c == ';' || c == '\t' || c == '\n' }

// starts reports whether s[i], or with skip the first character from i
// that is not a double quote or a CR, is a formula character, or with
// quotes a single quote. mark skips them after a separator only: at the
// start of a value a double quote is quoted by Writer, and Excel reads a
// quoted field there.
func starts(s string, i int, skip, quotes bool) bool {
	for skip && i < len(s) && (s[i] == '"' || s[i] == '\r') {
		i++
	}
	return i < len(s) && (quotes && s[i] == '\'' || strings.IndexByte(formulaStart, s[i]) >= 0)
}
