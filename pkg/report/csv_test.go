package report

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/terminal"
)

// TestCSVQuoting: a cell holding a semicolon or a tab is quoted, which
// Excel and LibreOffice may take for a separator (the list separator of
// a German or French Windows is ";"); csv.Writer left "a; b" bare. Every
// other field is written as encoding/csv writes it, and every record
// reads back whole.
func TestCSVQuoting(t *testing.T) {
	tests := []struct {
		name   string
		fields []string
		quoted []string // fields that must appear in quotes
	}{
		{"semicolon", []string{"Nagoya", "L1", "NG;L1;001", "host"}, []string{`"NG;L1;001"`}},
		{"tab inside", []string{"a\tb", "c"}, []string{"\"a\tb\""}},
		{"plain", []string{"Nagoya", "L1", "", "x y"}, nil},
		{"comma, quote, newlines", []string{"a,b", `say "hi"`, "two\nlines", "cr\rdropped", " lead", `\.`}, nil},
		{"Japanese", []string{"名古屋", "　全角空白", "ライン;1"}, []string{`"ライン;1"`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got bytes.Buffer
			cw := newCSVWriter(&got)
			cw.write(append([]string(nil), tc.fields...))
			if cw.err != nil {
				t.Fatal(cw.err)
			}
			for _, q := range tc.quoted {
				if !strings.Contains(got.String(), q) {
					t.Errorf("got %q, want %s quoted", got.String(), q)
				}
			}
			if len(tc.quoted) == 0 {
				var want bytes.Buffer
				w := csv.NewWriter(&want)
				w.UseCRLF = true
				w.Write(tc.fields)
				w.Flush()
				if got.String() != want.String() {
					t.Errorf("got %q, want %q as encoding/csv writes it", got.String(), want.String())
				}
			}
			rec, err := csv.NewReader(&got).Read()
			if err != nil {
				t.Fatal(err)
			}
			want := make([]string, len(tc.fields))
			for i, f := range tc.fields {
				want[i] = strings.ReplaceAll(f, "\r", "") // csv.Writer with CRLF drops a lone CR
			}
			if !reflect.DeepEqual(rec, want) {
				t.Errorf("read back %q, want %q", rec, want)
			}
		})
	}
}

// TestCSVCells: what a hostile value becomes in a report's CSV: a
// formula start gets a leading quote, also after a semicolon, a tab or
// a newline, where Excel splitting at ";" starts a cell; a number stays
// a number, but as the first cell of a row; a semicolon keeps its cell
// quoted.
func TestCSVCells(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", `"'=HYPERLINK(""x"")"`},
		{"+1+1", "'+1+1"},
		{"-13", "-13"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "\"'\tx\""},
		{"a;b", `"a;b"`},
		{"a; -b", `"a; -b"`},
		{"a;=b", `"a;'=b"`},
		{"=a;b", `"'=a;b"`},
		{"x;=1+1;", `"x;'=1+1;"`},
		{"x;\"=1+1", `"x;'""=1+1"`},
		{"x;;@a", `"x;;'@a"`},
		{"two\n-lines", "\"two\r\n'-lines\""},
		{"cr\n\r+1", "\"cr\r\n'+1\""},
		{"a\t=b", "\"a\t'=b\""},
	} {
		var b bytes.Buffer
		cw := newCSVWriter(&b)
		writeRecord(cw, []string{"site", tc.in})
		if got := strings.TrimSuffix(strings.TrimPrefix(b.String(), "site,"), "\r\n"); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
	// The first cell starts the line, which Excel splitting at ";"
	// reads as one cell up to the first semicolon: "-1,2+…" would be a
	// formula.
	var b bytes.Buffer
	cw := newCSVWriter(&b)
	writeRecord(cw, []string{"-1", "2+cmd|' /C calc'!A0", "-13"})
	if got, want := b.String(), "'-1,2+cmd|' /C calc'!A0,-13\r\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// FuzzCSVRecord: whatever a forger puts in a cell, the record that
// writeRecord writes reads back through encoding/csv as exactly the
// cells meant, one record of as many fields: each text cell shown by
// terminal.ShowHidden and made safe by cell, a number as it is, a lone
// CR dropped. No text cell then starts a formula.
func FuzzCSVRecord(f *testing.F) {
	for _, s := range hostile {
		f.Add(s, "=1+1", "-13")
	}
	f.Add("a;=b", "\n@x", "\"quoted\"")
	f.Add(`\.`, " lead", "\r\r=x")
	f.Fuzz(fuzzCSVRecordCheck)
}

func fuzzCSVRecordCheck(t *testing.T, a, b, c string) {
	in := []string{a, b, c, "end"}
	want := make([]string, len(in))
	for i, v := range in {
		if i == 0 || !isInt(v) {
			v = cell(terminal.ShowHidden(v))
		}
		want[i] = strings.ReplaceAll(v, "\r", "")
	}
	var buf bytes.Buffer
	cw := newCSVWriter(&buf)
	writeRecord(cw, append([]string(nil), in...))
	writeRecord(cw, append([]string(nil), in...))
	if cw.err != nil {
		t.Fatal(cw.err)
	}
	r := csv.NewReader(bytes.NewReader(buf.Bytes()))
	r.FieldsPerRecord = len(in)
	got, err := r.ReadAll()
	if err != nil {
		t.Fatalf("%q wrote %q, which reads as: %v", in, buf.Bytes(), err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], want) || !reflect.DeepEqual(got[1], want) {
		t.Fatalf("%q wrote %q, which reads as %q, want %q twice", in, buf.Bytes(), got, want)
	}
	for _, sep := range []byte{',', ';', '\t'} {
		for _, row := range excelCells(buf.Bytes(), sep) {
			for _, v := range row {
				if v != "" && strings.IndexByte("=+-@", v[0]) >= 0 && !isInt(v) {
					t.Fatalf("%q wrote %q: split at %q as Excel splits it, the cell %q starts a formula", in, buf.Bytes(), sep, v)
				}
			}
		}
	}
}

// excelCells splits CSV data into cells as Excel splits a .csv file it
// opens: at sep, the list separator of the machine's region (",", or
// ";" in most of Europe), and at line ends; a quote is special only at
// the start of a field, where it opens a quoted field in which "" is a
// quote, and what follows its closing quote is taken as it is.
func excelCells(data []byte, sep byte) [][]string {
	var rows [][]string
	var row []string
	for i := 0; i < len(data); {
		var f []byte
		if data[i] == '"' {
			for i++; i < len(data); i++ {
				if data[i] == '"' {
					if i+1 < len(data) && data[i+1] == '"' {
						i++
					} else {
						i++
						break
					}
				}
				f = append(f, data[i])
			}
		}
		for ; i < len(data) && data[i] != sep && data[i] != '\r' && data[i] != '\n'; i++ {
			f = append(f, data[i])
		}
		row = append(row, string(f))
		if i < len(data) && data[i] == sep {
			i++
			continue
		}
		if i < len(data) && data[i] == '\r' {
			i++
		}
		if i < len(data) && data[i] == '\n' {
			i++
		}
		rows = append(rows, row)
		row = nil
	}
	if row != nil {
		rows = append(rows, row)
	}
	return rows
}
