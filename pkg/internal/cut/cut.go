// Package cut shortens text from bundles and databases to a bound,
// never inside a character: the snapshot's strings, the names a return
// file and the work list may hold, the names a report shows.
package cut

import "unicode/utf8"

// Ellipsis ends what Shorten cut.
const Ellipsis = "…"

// Bytes is s cut to at most max bytes, without the character the cut
// would split.
func Bytes(s string, max int) string {
	if len(s) <= max {
		return s
	}
	s = s[:max]
	// Drop a character the cut split, only that.
	for i := len(s) - 1; i >= 0 && i >= len(s)-utf8.UTFMax; i-- {
		if utf8.RuneStart(s[i]) {
			if !utf8.FullRuneInString(s[i:]) {
				s = s[:i]
			}
			break
		}
	}
	return s
}

// Shorten is s when it fits max bytes, or Bytes of it ending in
// Ellipsis, max bytes at most.
func Shorten(s string, max int) string {
	if len(s) <= max {
		return s
	}
	return Bytes(s, max-len(Ellipsis)) + Ellipsis
}

// Runes is s to its first n characters (an invalid byte counting as
// one, and read as U+FFFD, as a conversion to []rune does).
func Runes(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// UTF16 is s to its first characters that take at most n UTF-16 code
// units: a character beyond U+FFFF takes two, an invalid byte is read as
// U+FFFD, as Runes reads it. Excel keeps text in UTF-16 and may count a
// sheet name's 31 in its units, where excelize counts characters; a name
// of at most 31 units has at most 31 characters, so it fits either count.
func UTF16(s string, n int) string {
	r := []rune(s)
	units := 0
	for i, c := range r {
		units++
		if c > 0xFFFF { // a surrogate pair
			units++
		}
		if units > n {
			r = r[:i]
			break
		}
	}
	return string(r)
}
