package terminal

import (
	"bytes"
	"strings"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FA-NG-L2-011", "FA-NG-L2-011"},
		{"名古屋 第2工場\n", "名古屋 第2工場\n"},
		{"a\tb", "a\tb"},
		{"\x1b[2J\x1b[Hrejected 0", `\x1b[2J\x1b[Hrejected 0`},
		{"bell\a and CR\r", `bell\x07 and CR\x0d`},
		{"del\x7f", `del\x7f`},
		{"c1 \u0085 \u009b", `c1 \u0085 \u009b`},
		{"rtl \u202egnp.exe", `rtl \u202egnp.exe`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"bad \xff utf8", `bad \xff utf8`},
	}
	for _, tc := range tests {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestWriter: a character split across two writes is kept whole, and an
// escape sequence never reaches the writer underneath.
func TestWriter(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	name := []byte("名古屋\x1b[31m")
	for i := range name {
		if n, err := w.Write(name[i : i+1]); n != 1 || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	if got := out.String(); got != `名古屋\x1b[31m` || strings.ContainsRune(got, 0x1b) {
		t.Errorf("got %q", got)
	}
	if IsTerminal(w) {
		t.Error("a buffer is a terminal")
	}
}

func TestInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FA-NG-L2-011", "FA-NG-L2-011"},
		{"名古屋 第2工場\n", `名古屋 第2工場\x0a`},
		{"a\tb", `a\x09b`},
		{"\nNagoya  L1  NG-L1-001  ok", `\x0aNagoya  L1  NG-L1-001  ok`},
		{"\x1b[2J\r\n", `\x1b[2J\x0d\x0a`},
		{"bad \xff utf8\n", `bad \xff utf8\x0a`},
	}
	for _, tc := range tests {
		if got := Inline(tc.in); got != tc.want {
			t.Errorf("Inline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
