// Package sjis decodes and encodes Shift_JIS (code page 932), the code
// page of Japanese Windows: Notepad saves the stick's settings in it,
// Japanese consoles print in it, and the stick's launcher must be written
// in it. It decodes exactly as golang.org/x/text/encoding/japanese does,
// from a table generated from it (gen.go): the collector needs the
// decoder, not x/text's encoder tables, which are larger.
package sjis

//go:generate go run gen.go

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Decode decodes Shift_JIS exactly as golang.org/x/text/encoding/japanese
// does (TestShiftJIS compares every sequence). Invalid sequences become
// U+FFFD; ok reports that there were none.
func Decode(b []byte) (s string, ok bool) { return decode(b) }

// DecodeString is Decode of the bytes of s, without copying them first:
// a CID file's reader decodes every field of a file of up to 16 MiB so.
func DecodeString(s string) (string, bool) { return decode(s) }

func decode[T string | []byte](b T) (s string, ok bool) {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/2)
	ok = true
	for i := 0; i < len(b); {
		r, n, good := next(b, i)
		sb.WriteRune(r)
		ok = ok && good
		i += n
	}
	return sb.String(), ok
}

// Valid reports whether Decode decodes b without an invalid sequence;
// it allocates nothing.
func Valid(b []byte) bool { return valid(b) }

// ValidString is Valid of the bytes of s.
func ValidString(s string) bool { return valid(s) }

func valid[T string | []byte](b T) bool {
	for i := 0; i < len(b); {
		_, n, ok := next(b, i)
		if !ok {
			return false
		}
		i += n
	}
	return true
}

// next decodes the character at b[i]: the rune (U+FFFD when invalid),
// how many bytes it takes, and whether it was valid.
func next[T string | []byte](b T, i int) (r rune, n int, ok bool) {
	c := b[i]
	switch {
	case c <= 0x80:
		return rune(c), 1, true
	case c >= 0xA1 && c <= 0xDF: // halfwidth katakana
		return rune(c) - 0xA1 + 0xFF61, 1, true
	case sjisLead[c] == 0, i+1 == len(b), b[i+1] < 0x40:
		return utf8.RuneError, 1, false
	case b[i+1] > 0xFC:
		return utf8.RuneError, 2, false
	}
	k := 2 * ((int(sjisLead[c])-1)*(0xFD-0x40) + int(b[i+1]-0x40))
	switch v := rune(sjisRows[k])<<8 | rune(sjisRows[k+1]); v {
	case 0xFFFF:
		return utf8.RuneError, 1, false
	case 0xFFFE:
		return utf8.RuneError, 2, false
	default:
		return v, 2, true
	}
}

// ErrNoCode means a character has no Shift_JIS code.
var ErrNoCode = errors.New("sjis: no Shift_JIS code for the character")

// Encode encodes s in Shift_JIS with the decoder's table read backwards:
// the stick's launcher, which only the importer writes, needs a few
// Japanese lines, not x/text's encoder. A character Shift_JIS lacks is an
// error wrapping ErrNoCode.
func Encode(s string) ([]byte, error) {
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
			return nil, fmt.Errorf("%w: %q", ErrNoCode, r)
		}
	}
	return out, nil
}
