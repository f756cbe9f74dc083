package terminal

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// unescape reads back what Escape, Inline or ShowHidden wrote: a run of
// k backslashes before x and 2 hex digits, u and 4 or U and 8 is k/2
// backslashes of the value and, when k is odd, the character (or, \x80
// and above, the byte of invalid UTF-8) the escape names; any other run
// is as many backslashes. It is how a reader reads the value back.
func unescape(o string) string {
	var b strings.Builder
	for i := 0; i < len(o); {
		if o[i] != '\\' {
			b.WriteByte(o[i])
			i++
			continue
		}
		k := 1
		for i+k < len(o) && o[i+k] == '\\' {
			k++
		}
		rest := o[i+k:]
		n := hexEscape(rest)
		if n == 0 {
			b.WriteString(o[i : i+k])
			i += k
			continue
		}
		b.WriteString(strings.Repeat(`\`, k/2))
		i += k
		if k%2 == 0 {
			continue // the value's own x, u or U
		}
		v, _ := strconv.ParseUint(rest[1:n], 16, 32)
		if rest[0] == 'x' && v >= utf8.RuneSelf {
			b.WriteByte(byte(v))
		} else {
			b.WriteRune(rune(v))
		}
		i += n
	}
	return b.String()
}

// hexEscape is the length of the x, u or U and its hex digits at the
// start of s, or 0.
func hexEscape(s string) int {
	if s == "" {
		return 0
	}
	n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[0]]
	if n == 0 || len(s) <= n {
		return 0
	}
	for _, c := range []byte(s[1 : 1+n]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return 0
		}
	}
	return 1 + n
}

// FuzzShown: what Escape, Inline and ShowHidden write reads back as the
// value they were given, so two values are never shown alike (a forged
// host name that holds \u202e as six characters, or a backslash before
// an escaped character, reads as no other), and what they write holds
// nothing they escape.
func FuzzShown(f *testing.F) {
	for _, s := range []string{
		`C:\Users\foo`, `\\?\C:\x\u\U`, `FA-\u202e110-2L`, "FA-\u202e110-2L",
		"a\\\u202e", `a\\u202e`, "a\\\\\u202e", `vs\U000e0100`, "vs\U000e0100",
		"a\\\x1b", "a\\\xff", "a\\\n", `a\x0a`, "\\\\\\", "\\\t\\\xc3", `\u00ad`, "\u00ad",
		`\U0010ffff`, `\UFFFFFFFF`, "\\\u0085",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, tc := range []struct {
			name string
			f    func(string) string
			m    mode
		}{{"Escape", Escape, escControls}, {"Inline", Inline, escLine}, {"ShowHidden", ShowHidden, escHidden}} {
			got := tc.f(s)
			if back := unescape(got); back != s {
				t.Errorf("%s(%q) = %q, which reads back as %q", tc.name, s, got, back)
			}
			for i, r := range got {
				bad := tc.m.escapes(r)
				if r == utf8.RuneError && tc.m != escHidden {
					_, n := utf8.DecodeRuneInString(got[i:])
					bad = bad || n == 1
				}
				if bad {
					t.Errorf("%s(%q) = %q holds %q", tc.name, s, got, got[i:])
					break
				}
			}
		}
	})
}

// FuzzHiddenAt: HiddenAt's shortcut says what decoding and Hidden say,
// at every character of any text.
func FuzzHiddenAt(f *testing.F) {
	for _, s := range []string{"名古屋\u3164ライン", "\xe3\x85\xa4", "\xed\xa0\x80", "\xe4\x80", "\xef\xbb\xbf", "a\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			r, n := utf8.DecodeRuneInString(s[i:])
			if h, m := HiddenAt(s[i:]); h != Hidden(r) || m != n {
				t.Fatalf("HiddenAt(%q) = %v, %d; want %v, %d", s[i:], h, m, Hidden(r), n)
			}
		}
	})
}
