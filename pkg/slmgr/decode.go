package slmgr

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/sjis"
)

// Encoding names returned by Decode.
const (
	EncUTF8    = "utf-8"
	EncUTF16LE = "utf-16le"
	EncUTF16BE = "utf-16be"
	EncSJIS    = "shift_jis" // code page 932, Japanese Windows
	EncCP1252  = "windows-1252"
)

// Decode returns saved command output as UTF-8 text with LF line ends, and
// the encoding it detected. The encoding is detected, never assumed: a BOM,
// else UTF-16 by its zero bytes (cscript //U writes no BOM to a pipe), else
// valid UTF-8, else Shift_JIS if the bytes decode as such, else
// Windows-1252 so that nothing is ever rejected.
//
// Decode is what the collector links: its text comes from cscript //U and
// slmgr.ini is read as Unicode by slmgr.vbs itself, so the big CJK code
// page tables stay out of it. Text saved in another console code page (GBK,
// Big5, EUC-KR, Windows-125x) needs a detector passed in
// [Options.Decode], such as pkg/codepage's, which refuses rather than
// garble when it cannot tell.
func Decode(b []byte) (text, encoding string) {
	if s, enc, ok := DecodeUnicode(b); ok {
		return normalize(s), enc
	}
	if s, ok := decodeSJIS(b); ok {
		return normalize(s), EncSJIS
	}
	return normalize(decode1252(b)), EncCP1252
}

// DecodeUnicode reads text that is Unicode: by its BOM, as UTF-16 by its
// zero bytes (cscript //U writes no BOM to a pipe), or as UTF-8 valid but
// maybe for its last line (see beforeLastLine). It
// returns the text as it is (line ends kept) and the encoding's name; ok is
// false for anything else, which a code page detector decides.
func DecodeUnicode(b []byte) (text, encoding string, ok bool) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return DecodeUTF16(b[2:], false), EncUTF16LE, true
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return DecodeUTF16(b[2:], true), EncUTF16BE, true
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(b[3:]), "\uFFFD"), EncUTF8, true
	}
	if le, be := zeroBytes(b); le || be {
		if be {
			return DecodeUTF16(b, true), EncUTF16BE, true
		}
		return DecodeUTF16(b, false), EncUTF16LE, true
	}
	if utf8.Valid(b) {
		return string(b), EncUTF8, true
	}
	if head, tail, ok := beforeLastLine(b); ok && utf8.Valid(head) && !isASCII(head) {
		return string(head) + strings.ToValidUTF8(string(tail), "\uFFFD"), EncUTF8, true
	}
	return "", "", false
}

// beforeLastLine splits b after its last line break, when there is one.
// A text is read in an encoding when its lines before the last are valid
// in it and hold some non-ASCII text (a stray byte after the text, or a
// file cut inside its last character, spoil only the last line); else one
// bad byte at the end made the whole text Windows-1252, every line in
// another script unreadable.
func beforeLastLine(b []byte) (head, tail []byte, ok bool) {
	i := bytes.LastIndexByte(b, '\n')
	if i < 0 {
		return nil, nil, false
	}
	return b[:i+1], b[i+1:], true
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}

// cp1252 holds Windows-1252's 0x80-0x9F; the rest of the upper half is
// Latin-1. Undefined bytes become U+FFFD, as x/text's charmap does: a
// table of 32 runes instead of linking every charmap into the collector.
var cp1252 = [32]rune{
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
	0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
}

func decode1252(b []byte) string {
	var sb strings.Builder
	sb.Grow(len(b) + len(b)/4)
	for _, c := range b {
		switch {
		case c < 0x80:
			sb.WriteByte(c)
		case c < 0xA0:
			sb.WriteRune(cp1252[c-0x80])
		default:
			sb.WriteRune(rune(c))
		}
	}
	return sb.String()
}

// zeroBytes reports whether b looks like UTF-16 text of mostly ASCII
// (labels, digits, GUIDs): many zero bytes at odd (LE) or even (BE) offsets.
func zeroBytes(b []byte) (le, be bool) {
	n := len(b) &^ 1
	if n < 4 {
		return false, false
	}
	var odd, even int
	for i := 0; i < n; i += 2 {
		if b[i] == 0 {
			even++
		}
		if b[i+1] == 0 {
			odd++
		}
	}
	pairs := n / 2
	return odd*3 > pairs && even*10 < pairs, even*3 > pairs && odd*10 < pairs
}

// DecodeUTF16 decodes UTF-16 without a BOM, little- or big-endian, as
// utf16.Decode does (a lone surrogate is U+FFFD, an odd last byte is
// dropped), straight into UTF-8: every report decodes the raw outputs it
// shows, and the code units and runes utf16.Decode needs were a twentieth
// of a report's allocations.
func DecodeUTF16(b []byte, bigEndian bool) string {
	unit := func(i int) rune {
		if bigEndian {
			return rune(b[i])<<8 | rune(b[i+1])
		}
		return rune(b[i]) | rune(b[i+1])<<8
	}
	out := make([]byte, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		r := unit(i)
		switch {
		case r < 0x80:
			out = append(out, byte(r))
			continue
		case r < 0xD800 || r >= 0xE000:
		case r < 0xDC00 && i+3 < len(b):
			if r2 := unit(i + 2); r2 >= 0xDC00 && r2 < 0xE000 {
				r = utf16.DecodeRune(r, r2)
				i += 2
			} else {
				r = utf8.RuneError
			}
		default:
			r = utf8.RuneError
		}
		out = utf8.AppendRune(out, r)
	}
	return string(out)
}

// decodeSJIS decodes Shift_JIS, failing if any byte sequence is invalid
// before the last line (see beforeLastLine); one there becomes U+FFFD.
func decodeSJIS(b []byte) (string, bool) {
	if s, ok := validSJIS(b); ok {
		return s, true
	}
	head, tail, ok := beforeLastLine(b)
	if !ok {
		return "", false
	}
	s, ok := validSJIS(head)
	if !ok || isASCII(head) {
		return "", false
	}
	t, _ := sjis.Decode(tail)
	return s + t, true
}

func validSJIS(b []byte) (string, bool) {
	s, ok := sjis.Decode(b)
	if !ok || strings.ContainsRune(s, utf8.RuneError) {
		return "", false
	}
	return s, true
}

// normalize turns every line end into LF (see lineEnds), drops NULs, a
// BOM left inside and trailing white space on each line (markdown pastes
// add two spaces), and turns no-break spaces into spaces.
func normalize(s string) string {
	s = lineEnds(s)
	if strings.ContainsAny(s, "\x00\uFEFF\u00A0") {
		// A Replacer copies the text twice, even when nothing in it
		// is replaced.
		s = invisibles.Replace(s)
	}
	return trimLines(s)
}

var invisibles = strings.NewReplacer("\x00", "", "\uFEFF", "", "\u00A0", " ")

// trimLines drops trailing white space on each line of s in one pass,
// and copies s only when a line has some: split into lines, a text of
// blank lines cost a string header (16 bytes) per byte of it.
func trimLines(s string) string {
	if !strings.Contains(s, " \n") && !strings.Contains(s, "\t\n") && !strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for {
		line, rest, more := strings.Cut(s, "\n")
		b.WriteString(strings.TrimRight(line, " \t"))
		if !more {
			return b.String()
		}
		b.WriteByte('\n')
		s = rest
	}
}

// lineEnds turns CRLF, and CRs before an LF however many, into one LF, and
// a lone CR into LF. cscript writes CRLF; a text-mode copy of that (a .cmd
// that types it into a file with >, text copied twice through Windows'
// line conversion) ends its lines with CR CR LF, each of which was two
// line ends before: a blank line after every line, so that no line
// wrapped at 80 columns was joined and line numbers were doubled.
func lineEnds(s string) string {
	if !strings.Contains(s, "\r") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\r' {
			b.WriteByte(s[i])
			continue
		}
		j := i
		for j < len(s) && s[j] == '\r' {
			j++
		}
		if j < len(s) && s[j] == '\n' {
			b.WriteByte('\n') // the CRs and the LF are one line end
			i = j
			continue
		}
		b.WriteString(strings.Repeat("\n", j-i)) // each lone CR is one
		i = j - 1
	}
	return b.String()
}
