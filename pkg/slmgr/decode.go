package slmgr

import (
	"bytes"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
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
func Decode(b []byte) (text, encoding string) {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return normalize(decodeUTF16(b[2:], false)), EncUTF16LE
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return normalize(decodeUTF16(b[2:], true)), EncUTF16BE
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return normalize(strings.ToValidUTF8(string(b[3:]), "\uFFFD")), EncUTF8
	}
	if le, be := zeroBytes(b); le || be {
		return normalize(decodeUTF16(b, be)), map[bool]string{false: EncUTF16LE, true: EncUTF16BE}[be]
	}
	if utf8.Valid(b) {
		return normalize(string(b)), EncUTF8
	}
	if s, ok := decodeSJIS(b); ok {
		return normalize(s), EncSJIS
	}
	s, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return normalize(string(s)), EncCP1252
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

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
	}
	return string(utf16.Decode(u))
}

// decodeSJIS decodes Shift_JIS, failing if any byte sequence is invalid.
func decodeSJIS(b []byte) (string, bool) {
	s, err := japanese.ShiftJIS.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(s, utf8.RuneError) {
		return "", false
	}
	return string(s), true
}

// normalize turns CRLF and CR into LF, drops NULs, a BOM left inside and
// trailing white space on each line (markdown pastes add two spaces), and
// turns no-break spaces into spaces.
func normalize(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.NewReplacer("\x00", "", "\uFEFF", "", "\u00A0", " ").Replace(s)
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t")
	}
	return strings.Join(lines, "\n")
}
