package report

import (
	"bytes"
	"encoding/csv"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/terminal"
)

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
		cw := csvcell.NewWriter(&b)
		writeRecord(cw, []string{"site", tc.in})
		if got := strings.TrimSuffix(strings.TrimPrefix(b.String(), "site,"), "\r\n"); got != tc.want {
			t.Errorf("%q: got %s, want %s", tc.in, got, tc.want)
		}
	}
	// The first cell starts the line, which Excel splitting at ";"
	// reads as one cell up to the first semicolon: "-1,2+…" would be a
	// formula.
	var b bytes.Buffer
	cw := csvcell.NewWriter(&b)
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
			v = csvcell.Text(terminal.ShowHidden(v))
		}
		want[i] = strings.ReplaceAll(v, "\r", "")
	}
	var buf bytes.Buffer
	cw := csvcell.NewWriter(&buf)
	writeRecord(cw, append([]string(nil), in...))
	writeRecord(cw, append([]string(nil), in...))
	if cw.Error() != nil {
		t.Fatal(cw.Error())
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

// TestCSVRepeatedCells: a line's rows repeat most of their cells (its
// site, line and zone, a category, an action), and a cell is made once
// for all the rows that repeat it: a site and line of formula starts,
// which csvcell.Text must quote, cost the rows no more allocations than
// plain ones.
func TestCSVRepeatedCells(t *testing.T) {
	lines, _ := fleet(t)
	var devs []Device
	for _, l := range lines {
		devs = append(devs, l...)
	}
	allocs := func(site, line string) float64 {
		ds := append([]Device(nil), devs...)
		for i := range ds {
			ds[i].Site, ds[i].Line = site, line
		}
		rows := make([]row, len(ds))
		for i := range ds {
			rows[i] = newRow(&english, &ds[i], utc, "d", "x.html#d")
		}
		return testing.AllocsPerRun(10, func() {
			if err := writeDeviceRows(io.Discard, &english, rows, utc); err != nil {
				t.Fatal(err)
			}
			if err := writeProductRows(io.Discard, &english, rows, utc); err != nil {
				t.Fatal(err)
			}
		})
	}
	plain, hostile := allocs("Nagoya", "L1"), allocs("=Nagoya", "+L1")
	// Made once for the device rows and once for the product rows.
	if hostile > plain+4 {
		t.Errorf("%d devices: got %v allocations with a site and line to quote, want at most %v, as with plain ones", len(devs), hostile, plain+4)
	}
}
