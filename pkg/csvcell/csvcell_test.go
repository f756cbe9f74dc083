package csvcell

import (
	"bytes"
	"encoding/csv"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestWriter: a field holding a semicolon or a tab is quoted, which
// Excel and LibreOffice may take for a separator (the list separator of
// a German or French Windows is ";"); csv.Writer left "a; b" bare.
// Every other record is written as encoding/csv writes it, and every
// record reads back whole.
func TestWriter(t *testing.T) {
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
			if err := NewWriter(&got).Write(tc.fields); err != nil {
				t.Fatal(err)
			}
			for _, q := range tc.quoted {
				if !strings.Contains(got.String(), q) {
					t.Errorf("got %q, want %s quoted", got.String(), q)
				}
			}
			if len(tc.quoted) == 0 {
				if want := stdCSV(tc.fields); got.String() != want {
					t.Errorf("got %q, want %q as encoding/csv writes it", got.String(), want)
				}
			}
			checkRoundTrip(t, got.Bytes(), tc.fields)
		})
	}
}

// stdCSV is the record as encoding/csv's Writer writes it with CRLF.
func stdCSV(fields []string) string {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.UseCRLF = true
	w.Write(fields)
	w.Flush()
	return b.String()
}

// checkRoundTrip: encoding/csv's Reader reads out as the one record
// fields (a lone CR dropped, as csv.Writer drops it), and no ';' or tab
// stands outside quotes, where Excel could take it for a separator.
func checkRoundTrip(t *testing.T, out []byte, fields []string) {
	t.Helper()
	recs, err := csv.NewReader(bytes.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("%q does not read back: %v", out, err)
	}
	want := make([]string, len(fields))
	for i, f := range fields {
		want[i] = strings.ReplaceAll(f, "\r", "")
	}
	if len(recs) != 1 || !reflect.DeepEqual(recs[0], want) {
		t.Fatalf("read back %q, want %q", recs, want)
	}
	quoted := false
	for _, c := range out {
		switch {
		case c == '"':
			quoted = !quoted // a doubled quote turns it twice
		case !quoted && (c == ';' || c == '\t'):
			t.Fatalf("%q has %q outside quotes", out, c)
		}
	}
}

// TestText: a value a spreadsheet would read as a formula gets a leading
// quote; any other is as it was.
func TestText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"},
		{"+1+1", "'+1+1"},
		{"-NG-L3-001", "'-NG-L3-001"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{"", ""},
		{"'=a", "'=a"},
		// After a separator Excel may split at, and a newline.
		{"a;b", "a;b"},
		{"a; -b", "a; -b"},
		{"a;=b", "a;'=b"},
		{"x;\"=1+1", "x;'\"=1+1"},
		{"x;;@a", "x;;'@a"},
		{"two\n-lines", "two\n'-lines"},
		{"cr\n\r+1", "cr\n'\r+1"},
		{"a\t=b", "a\t'=b"},
		{"=a;+b", "'=a;'+b"},
	} {
		got := Text(tc.in)
		if got != tc.want {
			t.Errorf("Text(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if again := Text(got); again != got {
			t.Errorf("Text(Text(%q)) = %q, want %q", tc.in, again, got)
		}
	}
}

type failWriter struct{ n int }

var errFull = errors.New("full")

func (f *failWriter) Write(p []byte) (int, error) {
	f.n++
	return 0, errFull
}

// TestWriterError: the first write error is returned by that Write and
// every later one, and nothing more is written.
func TestWriterError(t *testing.T) {
	f := &failWriter{}
	w := NewWriter(f)
	if err := w.Write([]string{"a"}); !errors.Is(err, errFull) {
		t.Fatalf("got %v, want %v", err, errFull)
	}
	if err := w.Write([]string{"b"}); !errors.Is(err, errFull) || !errors.Is(w.Error(), errFull) || f.n != 1 {
		t.Errorf("second write: %v, Error %v, %d writes", err, w.Error(), f.n)
	}
}

// FuzzWriter: whatever three fields hold, encoding/csv's Reader reads
// the record back (a lone CR dropped), no ';' or tab stands outside
// quotes, and a record without either is written byte for byte as
// encoding/csv writes it.
func FuzzWriter(f *testing.F) {
	for _, s := range [][3]string{
		{"Nagoya", "L1", "NG;L1;001"},
		{"a\tb", "", `say "hi"`},
		{"two\r\nlines", "cr\rdropped", " lead"},
		{`\.`, "\u202e110-2L", "=cmd|' /C calc'!A0"},
		{"名古屋", "　全角空白", "\xff\xfe"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		fields := []string{a, b, c}
		var out bytes.Buffer
		if err := NewWriter(&out).Write(fields); err != nil {
			t.Fatal(err)
		}
		checkRoundTrip(t, out.Bytes(), fields)
		if !strings.ContainsAny(a+b+c, ";\t") && out.String() != stdCSV(fields) {
			t.Fatalf("got %q, want %q as encoding/csv writes it", out.String(), stdCSV(fields))
		}
	})
}

// TestEscape: Escape quotes what Text quotes, and a single quote where
// Text would quote a formula character, so that Unescape gives the value
// back; Text leaves what Escape made as it is.
func TestEscape(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"'=x", "''=x"},
		{"'", "''"},
		{"it's", "it's"},
		{"x;=1+1;", "x;'=1+1;"},
		{"x;'=1", "x;''=1"},
		{"x;\"=1", "x;'\"=1"},
		{"x;;=1", "x;;'=1"},
		{"a\t+b\n-c\r\n@d", "a\t'+b\n'-c\r\n'@d"},
		{"\"=x", "\"=x"},
		{"a;b", "a;b"},
	} {
		got := Escape(tc.in)
		if got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if back := Unescape(got); back != tc.in {
			t.Errorf("Unescape(%q) = %q, want %q", got, back, tc.in)
		}
		if text := Text(got); text != got {
			t.Errorf("Text(Escape(%q)) = %q, want %q", tc.in, text, got)
		}
	}
}

// FuzzEscape: Unescape undoes Escape, and Text leaves what Escape made,
// and what Text made, as it is, so that it is as safe in a spreadsheet (FuzzWriter, and
// report's FuzzCSVRecord, which splits records as Excel does).
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"x;=1+1;", "'=x", "a\t\"\r'@", "\n\n-", "''"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		if back := Unescape(e); back != s {
			t.Fatalf("Unescape(Escape(%q)) = %q", s, back)
		}
		if text := Text(e); text != e {
			t.Fatalf("Text(Escape(%q)) = %q, not %q", s, text, e)
		}
		if text := Text(s); Text(text) != text {
			t.Fatalf("Text(Text(%q)) = %q, not %q", s, Text(text), text)
		}
	})
}

// TestTextAllocs: a value with nothing to mark, as a reason with a
// semicolon, is returned as it is, nothing built.
func TestTextAllocs(t *testing.T) {
	for _, s := range []string{"plain", "it works here whatever the site's count; but it has activated Office 2016 here", "a\tb\nc"} {
		if got := testing.AllocsPerRun(100, func() { Text(s) }); got != 0 {
			t.Errorf("Text(%q): got %v allocations, want 0", s, got)
		}
	}
}

// markBefore is mark as it was before it built only values it marks: the
// reference FuzzMark holds it to.
func markBefore(s string, quotes bool) string {
	if !starts(s, 0, false, quotes) && !strings.ContainsAny(s, ";\t\n") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 2)
	if starts(s, 0, false, quotes) {
		b.WriteByte('\'')
	}
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		if separator(s[i]) && starts(s, i+1, true, quotes) {
			b.WriteByte('\'')
		}
	}
	return b.String()
}

// FuzzMark: Text and Escape give what they gave before.
func FuzzMark(f *testing.F) {
	for _, s := range []string{"x;=1+1;", "'=x", "a\t\"\r'@", "\n\n-", "''", "a;b", "=a;+b", "cr\n\r+1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, quotes := range []bool{false, true} {
			if got, want := mark(s, quotes), markBefore(s, quotes); got != want {
				t.Fatalf("mark(%q, %v) = %q, want %q", s, quotes, got, want)
			}
		}
	})
}
