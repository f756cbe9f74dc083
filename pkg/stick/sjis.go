package stick

import (
	"fmt"
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

// encodeShiftJIS encodes s in Shift_JIS (code page 932) with the
// decoder's table read backwards: the launcher, which only the importer
// writes, needs a few Japanese lines, not x/text's encoder. A character
// Shift_JIS lacks is an error.
func encodeShiftJIS(s string) ([]byte, error) {
	enc := map[rune][2]byte{}
	for lead := 0xFC; lead >= 0x81; lead-- { // the lowest code of a character wins
		if sjisLead[lead] == 0 {
			continue
		}
		for trail := 0xFC; trail >= 0x40; trail-- {
			k := 2 * ((int(sjisLead[lead])-1)*(0xFD-0x40) + trail - 0x40)
			if v := rune(sjisRows[k])<<8 | rune(sjisRows[k+1]); v < 0xFFFE {
				enc[v] = [2]byte{byte(lead), byte(trail)}
			}
		}
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		switch b, ok := enc[r]; {
		case r < 0x80:
			out = append(out, byte(r))
		case r >= 0xFF61 && r <= 0xFF9F: // halfwidth katakana
			out = append(out, byte(r-0xFF61+0xA1))
		case ok:
			out = append(out, b[0], b[1])
		default:
			return nil, fmt.Errorf("stick: %q has no Shift_JIS code", r)
		}
	}
	return out, nil
}
