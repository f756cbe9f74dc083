package slmgr

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// indent puts mark before every line of text that is not blank, as a
// Markdown code block (inside a list item: 3 or more spaces), a blog's
// <pre> or a hand-indented mail does.
func indent(text, mark string) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = mark + l
		}
	}
	return strings.Join(lines, "\n")
}

// TestIndented: the console wraps a line at 80 of its own columns; an
// indent the paste added is not among them. A line the console wrapped
// is joined to its tail however the whole text, or one of its
// paragraphs, was indented (Microsoft's Office 2016 KMS host /dlv is
// indented 3: its wrapped Use License URL measured 83 and its tail was
// an unknown line), and a line that is 80 wide only with the paste's
// indent is not joined.
func TestIndented(t *testing.T) {
	wrapped := "Name: Windows Server(R), ServerStandard edition\n" +
		"Description: Windows Operating System - Windows Server(R), VOLUME_KMSCLIENT chan\n" + // 80 columns
		"nel\n" +
		"Partial Product Key: R7VHC\n" +
		"License Status: Licensed\n"
	// 78 columns: not wrapped; the line after it is not understood and
	// stays a line of its own.
	short := "Name: Windows(R), Professional edition\n" +
		"Description: Windows(R) Operating System, RETAIL channel\n" +
		"Use License URL: https://activation.sls.microsoft.com/SLActivateProduct/a.asmx\n" +
		"not understood\n" +
		"Partial Product Key: 3V66T\n" +
		"License Status: Licensed\n"
	if w := displayWidth(strings.Split(short, "\n")[2]); w != 78 {
		t.Fatalf("the URL line is %d wide, want 78", w)
	}
	// An /xpr name of 80 columns ending in its colon, then its status.
	xprName := "Windows(R), Client-ESU-Year1 add-on for Education,EducationN,Enterprise,Ent-PPI:"
	if w := displayWidth(xprName); w != 80 {
		t.Fatalf("xprName is %d wide, want 80", w)
	}
	xpr := xprName + "\n    The machine is permanently activated.\n"
	harvested, err := os.ReadFile(filepath.Join("testdata", "harvest", "slmgr", "dlv-en-indented3-o16-kmshost-csvlk-licensed-wrappedurl-msdocs.txt"))
	if err != nil {
		t.Fatal(err)
	}
	unindented := strings.ReplaceAll(string(harvested), "\n   ", "\n")[3:]
	// Lines longer than maxLine are set aside, not read: they count
	// toward no indent, and no pattern scans them (a prompt's of 4 MiB
	// took 1.5 s in dedent).
	long := strings.Repeat("x", maxLine+1)
	longPrompt := "C:\\" + long + ">"

	tests := []struct {
		name       string
		text, want string // want: the text as the console printed it
		check      func(t *testing.T, res *Result)
	}{
		{name: "harvested, indented 3", text: string(harvested), want: unindented,
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 0 {
					t.Errorf("got unknown lines %v, want the wrapped URL joined", res.Unknown)
				}
			}},
		{name: "wrapped, indented 2", text: indent(wrapped, "  "), want: wrapped},
		{name: "wrapped, indented 4", text: indent(wrapped, "    "), want: wrapped},
		{name: "wrapped, indented by a tab", text: indent(wrapped, "\t"), want: wrapped},
		{name: "wrapped, quoted and indented 4", text: indent(indent(wrapped, "    "), "> "), want: wrapped},
		{name: "wrapped, a prompt and prose unindented before an indented paragraph",
			text: "C:\\>cscript slmgr.vbs /dli\nit printed:\n\n" + indent(wrapped, "    "), want: "C:\\>cscript slmgr.vbs /dli\nit printed:\n\n" + wrapped},
		{name: "wrapped, a cmd prompt right above the paragraph indented 4",
			text: "C:\\Windows\\system32>cscript slmgr.vbs /dlv\n" + indent(wrapped, "    "),
			want: "C:\\Windows\\system32>cscript slmgr.vbs /dlv\n" + wrapped},
		{name: "wrapped, a PowerShell prompt right above the paragraph indented by a tab",
			text: "PS C:\\> slmgr /dlv\n" + indent(wrapped, "\t"), want: "PS C:\\> slmgr /dlv\n" + wrapped},
		{name: "wrapped, prompts indented 2 above and inside the paragraph indented 4",
			text: "  C:\\>cscript slmgr.vbs /dli\n" + indent(wrapped, "    ") + "  C:\\>\n",
			want: "C:\\>cscript slmgr.vbs /dli\n" + wrapped + "C:\\>\n"},
		{name: "wrapped, indented 4, a line longer than maxLine (not read) at the margin after it",
			text: indent(wrapped, "    ") + long + "\n", want: wrapped + long + "\n"},
		{name: "wrapped, indented 4, a prompt longer than maxLine (not read) at the margin before it",
			text: longPrompt + "\n" + indent(wrapped, "    "), want: longPrompt + "\n" + wrapped},
		{name: "78 wide, a prompt right above the paragraph indented 2 (80 with the indent)",
			text: "C:\\>slmgr /dlv\n" + indent(short, "  "), want: "C:\\>slmgr /dlv\n" + short},
		{name: "78 wide, indented 2 (80 with the indent)", text: indent(short, "  "), want: short,
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 1 || res.Unknown[0] != (Line{4, "not understood"}) {
					t.Errorf("got unknown lines %v, want line 4 alone", res.Unknown)
				}
			}},
		{name: "78 wide, indented by a tab (79 with it)", text: indent(short, "\t"), want: short},
		{name: "78 wide, quoted (80 with the quote mark)", text: indent(short, "> "), want: short},
		{name: "an /xpr name 80 wide ending in its colon, indented 4", text: indent(xpr, "    "), want: xpr,
			check: func(t *testing.T, res *Result) {
				if len(res.Products) != 1 || res.Products[0].Name != strings.TrimSuffix(xprName, ":") {
					t.Errorf("got %+v, want the name alone", res.Products)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse([]byte(tc.text), Options{})
			want := golden(Parse([]byte(tc.want), Options{}))
			if got := golden(res, err); !bytes.Equal(got, want) {
				t.Errorf("read differently from the unindented text; got:\n%s\nwant:\n%s", got, want)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

// TestIndentedAll: every real sample, harvested text and constructed
// output, each line indented 2, 4 or by a tab, is read as it is without
// the indent: the same products, notes and unknown lines with the same
// numbers. The texts pin the joins (and the lines not joined) of real
// output; an indent must change none.
func TestIndentedAll(t *testing.T) {
	paths := allTexts(t)
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		want := golden(Parse([]byte(text), Options{}))
		for _, m := range []struct{ name, mark string }{{"2 spaces", "  "}, {"4 spaces", "    "}, {"tab", "\t"}} {
			mark := m.mark
			t.Run(filepath.Base(path)+"/"+m.name, func(t *testing.T) {
				if got := golden(Parse([]byte(indent(text, mark)), Options{})); !bytes.Equal(got, want) {
					t.Errorf("indented with %q, read differently; got:\n%s\nwant:\n%s", mark, got, want)
				}
			})
		}
	}
}
