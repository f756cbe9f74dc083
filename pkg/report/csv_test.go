package report

import (
	"bytes"
	"encoding/csv"
	"reflect"
	"strings"
	"testing"
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
// formula start gets a leading quote, a number stays a number, a
// semicolon keeps its cell quoted.
func TestCSVCells(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", `"'=HYPERLINK(""x"")"`},
		{"+1+1", "'+1+1"},
		{"-13", "-13"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "\"'\tx\""},
		{"a;=b", `"a;=b"`},
		{"=a;b", `"'=a;b"`},
	} {
		var b bytes.Buffer
		cw := newCSVWriter(&b)
		writeRecord(cw, []string{tc.in})
		if got := strings.TrimSuffix(b.String(), "\r\n"); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
}
