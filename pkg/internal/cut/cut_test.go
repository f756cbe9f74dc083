package cut

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestBytes(t *testing.T) {
	tests := []struct {
		s    string
		max  int
		want string
	}{
		{"", 3, ""},
		{"abc", 3, "abc"},
		{"abcd", 3, "abc"},
		{"aé", 2, "a"},            // é is two bytes: not split
		{"a漢字", 4, "a漢"},          // three-byte characters
		{"a漢字", 6, "a漢"},          // the second split after two of its bytes
		{"😀x", 3, ""},             // a four-byte character split
		{"😀x", 4, "😀"},            //
		{"ab\xffcd", 3, "ab\xff"}, // an invalid byte is no split character
	}
	for _, tc := range tests {
		got := Bytes(tc.s, tc.max)
		if got != tc.want {
			t.Errorf("Bytes(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
		if len(got) > tc.max || utf8.ValidString(tc.s) && !utf8.ValidString(got) {
			t.Errorf("Bytes(%q, %d) = %q: over the bound or split", tc.s, tc.max, got)
		}
	}
}

func TestShorten(t *testing.T) {
	long := strings.Repeat("漢", 10) // 30 bytes
	for _, tc := range []struct {
		s    string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{long, 30, long},
		{long, 29, strings.Repeat("漢", 8) + Ellipsis}, // 24 + 3 bytes: a ninth would be 30
		{"abcdefgh", 6, "abc" + Ellipsis},
	} {
		if got := Shorten(tc.s, tc.max); got != tc.want || len(got) > tc.max {
			t.Errorf("Shorten(%q, %d) = %q, want %q", tc.s, tc.max, got, tc.want)
		}
	}
}

// TestCharacters: Runes and UTF16 cut at a character, counting those
// beyond U+FFFF as one and as two.
func TestCharacters(t *testing.T) {
	for _, tc := range []struct {
		s            string
		n            int
		runes, utf16 string
	}{
		{"", 2, "", ""},
		{"漢字かな", 2, "漢字", "漢字"},
		{"ab", 5, "ab", "ab"},
		{"a\xffb", 2, "a\ufffd", "a\ufffd"},
		{"a\xffb", 5, "a\ufffdb", "a\ufffdb"},
		{"a😀b", 2, "a😀", "a"}, // the emoji is two units: not split
		{"a😀b", 3, "a😀b", "a😀"},
		{"😀😀", 3, "😀😀", "😀"},
	} {
		if got := Runes(tc.s, tc.n); got != tc.runes {
			t.Errorf("Runes(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.runes)
		}
		got := UTF16(tc.s, tc.n)
		if got != tc.utf16 {
			t.Errorf("UTF16(%q, %d) = %q, want %q", tc.s, tc.n, got, tc.utf16)
		}
		if units := len(utf16.Encode([]rune(got))); units > tc.n {
			t.Errorf("UTF16(%q, %d) = %q: %d units", tc.s, tc.n, got, units)
		}
	}
}
