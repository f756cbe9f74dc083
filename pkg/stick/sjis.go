package stick

import (
	"strings"
	"unicode/utf8"
)

// decodeShiftJIS decodes Shift_JIS (code page 932) exactly as
// golang.org/x/text/encoding/japanese does (TestShiftJIS compares every
// sequence), from the table sjis_gen.go wrote from it: the collector needs
// the decoder, not x/text's encoder tables, which are larger. Invalid
// sequences become U+FFFD; ok reports that there were none.
func decodeShiftJIS(b []byte) (s string, ok bool) {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	ok = true
	bad := func(n int) int {
		sb.WriteRune(utf8.RuneError)
		ok = false
		return n
	}
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c <= 0x80:
			sb.WriteRune(rune(c))
			i++
		case c >= 0xA1 && c <= 0xDF: // halfwidth katakana
			sb.WriteRune(rune(c) - 0xA1 + 0xFF61)
			i++
		case sjisLead[c] == 0, i+1 == len(b), b[i+1] < 0x40:
			i += bad(1)
		case b[i+1] > 0xFC:
			i += bad(2)
		default:
			k := 2 * ((int(sjisLead[c])-1)*(0xFD-0x40) + int(b[i+1]-0x40))
			switch v := rune(sjisRows[k])<<8 | rune(sjisRows[k+1]); v {
			case 0xFFFF:
				i += bad(1)
			case 0xFFFE:
				i += bad(2)
			default:
				sb.WriteRune(v)
				i += 2
			}
		}
	}
	return sb.String(), ok
}
