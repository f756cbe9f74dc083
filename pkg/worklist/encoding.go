package worklist

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/sjis"
)

// textEncoding is how the bytes of a CSV file's fields are decoded, and
// how a message names it.
type textEncoding struct {
	name   string
	decode func(string) (string, bool) // the text and whether every byte decoded
}

var (
	encUTF8   = textEncoding{"UTF-8", decodeUTF8}
	encSJIS   = textEncoding{"Shift_JIS (code page 932)", decodeSJIS}
	encCP1252 = textEncoding{"Windows-1252 (code page 1252)", decodeCP1252}
	// encEither is a code page file none of whose rows tells which:
	// its rows but the untold read the same in both where Read takes
	// them back, and a row Windows-1252 decodes Shift_JIS does too.
	encEither = textEncoding{"Shift_JIS or Windows-1252, which read its rows alike", decodeCP1252}
)

// saveUTF8 says how to save a CID file so that its encoding is told:
// Excel's "CSV UTF-8" writes a BOM.
const saveUTF8 = `save it as "CSV UTF-8"`

// SaveUTF8Hint is what to do with a CID file refused for its encoding
// (ErrEncoding): save it so that its encoding is told, or use the
// workbook, which has no code page.
const SaveUTF8Hint = `in Excel, save it with Save As, file type "CSV UTF-8 (Comma delimited)" ` +
	`("CSV UTF-8 (コンマ区切り)" in Japanese Excel), which marks it as UTF-8; in LibreOffice Calc, save it as Excel 2007-365 (.xlsx); ` +
	"or fill in the worklist workbook (activation-worklist.xlsx) instead"

func decodeUTF8(s string) (string, bool) { return s, utf8.ValidString(s) }

func decodeSJIS(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return sjis.DecodeString(s)
		}
	}
	return s, true
}

// cp1252 are the characters of Windows-1252's bytes 0x80-0x9F, as
// Microsoft's table (bestfit1252.txt) and golang.org/x/text's
// charmap.Windows1252 map them; 0 where it defines none (0x81, 0x8D,
// 0x8F, 0x90, 0x9D): no text Excel saves holds one, and a Shift_JIS file
// holds them as lead bytes (工 is 0x8D 0x48), so they tell it apart.
// Bytes 0xA0-0xFF are U+00A0-U+00FF.
var cp1252 = [32]rune{
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
}

// validCP1252 reports whether every byte of s is a character of
// Windows-1252.
func validCP1252(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 0x80 && c < 0xA0 && cp1252[c-0x80] == 0 {
			return false
		}
	}
	return true
}

func decodeCP1252(s string) (string, bool) {
	if ascii([]string{s}) {
		return s, true
	}
	n := len(s) // bytes of UTF-8: 2 for 0xA0-0xFF, 3 for 0x80-0x9F (U+20AC, U+FFFD, ...)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0xA0:
			n++
		case c >= 0x80:
			n += 2
		}
	}
	var b strings.Builder
	b.Grow(n)
	ok := true
	for i := 0; i < len(s); i++ {
		c := rune(s[i])
		switch {
		case c >= 0x80 && c < 0xA0 && cp1252[c-0x80] == 0:
			c, ok = utf8.RuneError, false
		case c >= 0x80 && c < 0xA0:
			c = cp1252[c-0x80]
		}
		b.WriteRune(c)
	}
	return b.String(), ok
}

// ascii reports whether every field of rec is ASCII, which every
// encoding here reads alike.
func ascii(rec []string) bool {
	for _, f := range rec {
		for i := 0; i < len(f); i++ {
			if f[i] >= utf8.RuneSelf {
				return false
			}
		}
	}
	return true
}

// Byte order marks.
var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// unmarked is what fromUTF16 writes for a code unit that decodes to no
// character: a byte that no UTF-8 holds, so that the row holding it is
// refused as not decoded.
const unmarked = 0xFF

// byBOM returns data after its byte order mark, as UTF-8, and the
// encoding the BOM names; ok is false when there is none. UTF-16 is
// decoded here (at most 3 bytes of UTF-8 for 2 of UTF-16: a file of
// MaxFile bytes gives at most 1.5 times as many), a surrogate alone or
// a last byte alone becoming unmarked.
func byBOM(data []byte) (text []byte, enc textEncoding, ok bool) {
	switch {
	case bytes.HasPrefix(data, bomUTF8):
		return data[len(bomUTF8):], textEncoding{"UTF-8, as its byte order mark says", decodeUTF8}, true
	case bytes.HasPrefix(data, bomUTF16LE):
		return fromUTF16(data[2:], binary.LittleEndian), textEncoding{"UTF-16LE, as its byte order mark says", decodeUTF8}, true
	case bytes.HasPrefix(data, bomUTF16BE):
		return fromUTF16(data[2:], binary.BigEndian), textEncoding{"UTF-16BE, as its byte order mark says", decodeUTF8}, true
	}
	return data, textEncoding{}, false
}

// unmarkedUTF16 reports whether data starts as UTF-16 of an ASCII
// character does: no CSV file starts with a NUL byte, and a header's
// first character is ASCII.
func unmarkedUTF16(data []byte) bool {
	return len(data) >= 2 && (data[0] == 0) != (data[1] == 0) && data[0]|data[1] < utf8.RuneSelf
}

func fromUTF16(b []byte, order binary.ByteOrder) []byte {
	out := make([]byte, 0, len(b)/2*3+1)
	for i := 0; i+1 < len(b); i += 2 {
		u := rune(order.Uint16(b[i:]))
		if !utf16.IsSurrogate(u) {
			out = utf8.AppendRune(out, u)
			continue
		}
		if i+3 < len(b) {
			if r := utf16.DecodeRune(u, rune(order.Uint16(b[i+2:]))); r != utf8.RuneError {
				out = utf8.AppendRune(out, r)
				i += 2
				continue
			}
		}
		out = append(out, unmarked)
	}
	if len(b)%2 == 1 {
		out = append(out, unmarked)
	}
	return out
}

// Known reports whether value, as Read takes it from a CID file's
// column ("Host" or "DeviceKey"), is one the fleet knows: a device's
// key, a device's host name. ReadKnown asks it only of a value that two
// encodings read differently, to tell which one the file is in: never
// of a workbook, a file with a BOM or one UTF-8 throughout, so that a
// caller may load what it knows at its first question.
type Known func(column, value string) bool

// told are the columns whose value Known can vouch for.
var told = []string{"Host", "DeviceKey"}

// chooseEncoding is the encoding of a CSV file without a BOM (data,
// fields apart by sep; col its header's columns, as setHeader found
// them), and the rows it leaves untold: Excel saves "CSV" in the
// system's ANSI code page, 932 (Shift_JIS) on a Japanese Windows, 1252
// on a Western-European one, and LibreOffice Calc saves UTF-8 without a
// BOM. A file UTF-8 throughout is UTF-8. Else it is in one encoding,
// which its rows tell:
//
//   - a row only UTF-8 decodes tells UTF-8, and so does a row that UTF-8
//     and a code page decode whose host or key only UTF-8's reading
//     names as known (where the other code page reads it as a third
//     thing, too); a row only Shift_JIS decodes tells a code page, and
//     so does a row whose host or key only a code page's reading names
//     as known. Rows that tell both are an ErrEncoding (a file is in one
//     encoding). A file told UTF-8 is UTF-8, its rows UTF-8 does not
//     decode refused alone: Windows-1252 decodes almost any bytes, so
//     such a row tells only that it is not UTF-8, a row damaged (a
//     Latin-1 "é" typed by another tool). A file nothing tells UTF-8 with
//     a row UTF-8 does not decode is in a code page, below; where no row
//     tells either, the file is read as UTF-8 when the code pages read
//     each value Read takes back as UTF-8 does, else it is an
//     ErrEncoding. A row merely UTF-8 tells nothing: "é" in UTF-8 is
//     "Ã©" in Windows-1252, which a file in that code page may hold;
//   - a file in a code page is in Shift_JIS or Windows-1252: a row only
//     one of them decodes tells it, and so does a row whose device key
//     and host name, where the two read them differently, only one
//     reading names as known does; rows that tell both are an
//     ErrEncoding;
//   - where no row tells the code page, a row that the two read
//     differently in a column Read takes back is refused alone (untold:
//     its error), naming both readings; the others read the same in
//     both.
//
// Nothing is guessed: Windows-1252 decodes almost any bytes, and the
// bytes of much Western text are Shift_JIS too ("é" then a letter is a
// kanji), and of much Japanese text Windows-1252.
func chooseEncoding(data []byte, sep rune, col map[string]int, known Known) (enc textEncoding, untold map[int]error, err error) {
	// A file's bytes decode when each of its fields' do: the separators,
	// quotes and line ends are ASCII, which no encoding here has inside
	// a character.
	//
	// A file that is UTF-8 throughout is UTF-8, even where its bytes
	// are Shift_JIS too (名古屋工場's are): Shift_JIS text is almost
	// never UTF-8 (its kana and most kanji start with a byte UTF-8
	// only continues with, a half-width kana is one such byte alone),
	// nor is Windows-1252 text (an accented letter is a byte UTF-8
	// only continues with, or starts a character with, followed by
	// ASCII), and LibreOffice Calc saves UTF-8 without a BOM; refused,
	// a worklist saved by Calc with a Japanese site in its DeviceKey was
	// sent back to be saved again.
	if utf8.Valid(data) {
		return encUTF8, nil, nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = sep, -1, true
	// vouched reports whether every column that v and other read
	// differently is one Known tells (told) and known as v reads it.
	vouched := func(v, other readings) bool {
		if known == nil {
			return false
		}
		for i, name := range readBackNames {
			if v[i] != other[i] && (name != told[0] && name != told[1] || !known(name, v[i])) {
				return false
			}
		}
		return true
	}
	type tell struct {
		row int
		enc textEncoding
	}
	// onlyUTF8 is the first row that tells UTF-8: only UTF-8 decodes
	// it, or only its UTF-8 reading is known. onlyPage is the first row
	// UTF-8 does not decode but a code page does, or whose code-page
	// reading only is known. pageTold is the first row that tells a
	// code page against a row telling UTF-8: one only Shift_JIS decodes
	// (its kanji pairs are a structure, and hold bytes Windows-1252 has
	// no character for), or whose code-page reading only is known. A
	// row Windows-1252 decodes and UTF-8 not tells no more than that it
	// is not UTF-8 (Windows-1252 decodes 251 of 256 bytes): in a file
	// told UTF-8 it is a row damaged (a Latin-1 "é" typed by another
	// tool), refused alone.
	onlyUTF8, onlyPage, pageTold := -1, -1, -1
	var firstSJIS, firstCP1252 *tell
	untold = map[int]error{} // rows the code pages read differently, nothing telling which, and their errors
	var utf8Differs struct {
		row                 int
		column, u, cp, page string
	}
	utf8Differs.row = -1
	// Row 0 is the header; a file past MaxRows or out of shape is
	// refused by the reading that follows.
	for n := 0; n <= MaxRows; n++ {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		u, s, w := true, true, true
		for _, f := range rec {
			u, s, w = u && utf8.ValidString(f), s && sjis.ValidString(f), w && validCP1252(f)
		}
		switch {
		case u && !s && !w && onlyUTF8 < 0:
			onlyUTF8 = n
		case !u && (s || w) && onlyPage < 0:
			onlyPage = n
		}
		if !u && s && !w && pageTold < 0 {
			pageTold = n
		}
		// A row both UTF-8 and a code page decode, read differently:
		// the reading known tells UTF-8 as a row only UTF-8 decodes
		// does, and a code page's known (and not UTF-8's) tells a code
		// page as a row only a code page decodes does, whatever the
		// other code page reads; a row no reading of which is known
		// leaves the file untold.
		// What each reads in the columns Read takes back, where it
		// decodes the row (nil where not).
		var asUTF8, asSJIS, asCP1252 readings
		var isUTF8, isSJIS, isCP1252 bool
		if n > 0 && !ascii(rec) {
			asUTF8, isUTF8 = readingsIf(u, rec, col, encUTF8)
			asSJIS, isSJIS = readingsIf(s, rec, col, encSJIS)
			asCP1252, isCP1252 = readingsIf(w, rec, col, encCP1252)
		}
		rowPageKnown := false // a code page's reading of the row is known, UTF-8's not
		differs := -1         // the first column a code page reads differently from UTF-8, no reading known
		var differsPage textEncoding
		var differsAs readings
		for _, p := range []struct {
			enc textEncoding
			as  readings
			ok  bool
		}{{encSJIS, asSJIS, isSJIS}, {encCP1252, asCP1252, isCP1252}} {
			if !isUTF8 || !p.ok {
				continue
			}
			i := firstDiffer(asUTF8, p.as)
			if i < 0 {
				continue
			}
			utf8Known := vouched(asUTF8, p.as)
			if vouched(p.as, asUTF8) {
				rowPageKnown = rowPageKnown || !utf8Known
				continue
			}
			if utf8Known {
				if onlyUTF8 < 0 {
					onlyUTF8 = n
				}
				continue
			}
			if differs < 0 {
				differs, differsPage, differsAs = i, p.enc, p.as
			}
		}
		if !u && known != nil {
			// A row only a code page decodes whose host or key, read
			// in it, is known (a non-ASCII value: ASCII reads the same
			// in UTF-8) tells a code page as much as its bytes do.
			for _, p := range []struct {
				as readings
				ok bool
			}{{asSJIS, isSJIS}, {asCP1252, isCP1252}} {
				rowPageKnown = rowPageKnown || p.ok && toldKnown(p.as, known)
			}
		}
		switch {
		case rowPageKnown:
			if onlyPage < 0 {
				onlyPage = n
			}
			if pageTold < 0 {
				pageTold = n
			}
		case differs >= 0 && utf8Differs.row < 0:
			utf8Differs.row, utf8Differs.column, utf8Differs.u, utf8Differs.cp, utf8Differs.page = n, readBackNames[differs], asUTF8[differs], differsAs[differs], differsPage.name
		}
		// Which code page: a row one decodes and the other not, or
		// one whose values only one reading knows.
		var t *tell
		switch {
		case s && !w:
			t = &tell{n, encSJIS}
		case w && !s:
			t = &tell{n, encCP1252}
		case isSJIS && isCP1252 && firstDiffer(asSJIS, asCP1252) >= 0:
			vs, vw := vouched(asSJIS, asCP1252), vouched(asCP1252, asSJIS)
			switch {
			case vs && !vw:
				t = &tell{n, encSJIS}
			case vw && !vs:
				t = &tell{n, encCP1252}
			default:
				// The row's error now, from the readings at hand:
				// made by Read, they were two more decodings of every
				// such row, which took a hostile file of 15 MiB past
				// 16 bytes of memory a byte under Go 1.20
				// (TestReadHostileCodePage).
				untold[n] = untoldError(asSJIS, asCP1252, known)
			}
		}
		switch {
		case t == nil:
		case t.enc.name == encSJIS.name && firstSJIS == nil:
			firstSJIS = t
		case t.enc.name == encCP1252.name && firstCP1252 == nil:
			firstCP1252 = t
		}
	}
	switch {
	case onlyUTF8 >= 0 && pageTold >= 0:
		return textEncoding{}, nil, fmt.Errorf("%w: %s is UTF-8 and %s in a code page (Shift_JIS or Windows-1252), each by the bytes only it decodes "+
			"or the device it names: a file is in one encoding; check its rows, and %s", ErrEncoding, rowName(onlyUTF8), rowName(pageTold), saveUTF8)
	case onlyUTF8 >= 0:
		// A row UTF-8 does not decode, and nothing else tells a code
		// page: a row damaged, refused alone (decodeRecord).
		return encUTF8, nil, nil
	case utf8Differs.row >= 0:
		// Also where another row is in a code page only: a row of
		// UTF-8 (non-ASCII UTF-8 is almost never a code page's text)
		// in a file in a code page is a file joined or damaged.
		return textEncoding{}, nil, fmt.Errorf("%w: the file has no byte order mark, and %s's %s reads as %q in UTF-8 and as %q in %s: "+
			"which one it is cannot be told; %s", ErrEncoding, rowName(utf8Differs.row), utf8Differs.column, cut.Bytes(utf8Differs.u, 80),
			cut.Bytes(utf8Differs.cp, 80), utf8Differs.page, saveUTF8)
	case onlyPage < 0:
		// No row in a code page alone, none read differently: a row
		// in none is refused by Read.
		return encUTF8, nil, nil
	case firstSJIS != nil && firstCP1252 != nil:
		return textEncoding{}, nil, fmt.Errorf("%w: %s is Shift_JIS (code page 932) and %s Windows-1252 (code page 1252), %s: "+
			"a file is in one encoding; check its rows, and %s", ErrEncoding, rowName(firstSJIS.row), rowName(firstCP1252.row),
			"each by the bytes only it decodes or the device it names", saveUTF8)
	case firstSJIS != nil:
		return encSJIS, nil, nil
	case firstCP1252 != nil:
		return encCP1252, nil, nil
	}
	return encEither, untold, nil
}

// readBackNames are the columns of Header that Read takes back
// (readBack), in its order.
var readBackNames = [...]string{"Host", "InstallationId", "ExtendedProductId", "ConfirmationId", "CreatedAtUtc", "DeviceKey", "ActivationId"}

// readings are a row's values in readBackNames' order.
type readings [len(readBackNames)]string

// readingsIf is what enc reads in rec's columns Read takes back (their
// values as Read takes them, in readBackNames' order) when decodes; ok
// is false when not.
func readingsIf(decodes bool, rec []string, col map[string]int, enc textEncoding) (out readings, ok bool) {
	if !decodes {
		return out, false
	}
	for i := range readBackNames {
		out[i] = reading(rec, col, i, enc)
	}
	return out, true
}

// reading is what enc reads in rec's column readBackNames[i], as Read
// takes it; "" where rec has none.
func reading(rec []string, col map[string]int, i int, enc textEncoding) string {
	j, ok := col[strings.ToLower(readBackNames[i])]
	if !ok || j >= len(rec) {
		return ""
	}
	v, _ := enc.decode(rec[j])
	return cell(v)
}

// toldKnown reports whether a value of as in a column Known tells (told)
// is not ASCII and known.
func toldKnown(as readings, known Known) bool {
	for i, name := range readBackNames {
		if (name == told[0] || name == told[1]) && !ascii([]string{as[i]}) && known(name, as[i]) {
			return true
		}
	}
	return false
}

// firstDiffer is the index of the first value a and b differ in, -1
// when none.
func firstDiffer(a, b readings) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

// untoldError is the error of a row whose code page was not told: what
// Shift_JIS and Windows-1252 read (asSJIS, asCP1252) in the first
// column they read differently of which known knows neither reading,
// else in the first they read differently. A host the database knows
// in one reading beside a key it knows in none (its site renamed) is
// the key's error: naming the host, the error said that neither of its
// readings names a device the database knows, where one did.
func untoldError(asSJIS, asCP1252 readings, known Known) error {
	i := firstDiffer(asSJIS, asCP1252)
	if i < 0 {
		i = len(readBackNames) - 1 // not reached: the row was untold as two differ
	}
	for j, name := range readBackNames {
		if asSJIS[j] != asCP1252[j] && known != nil && !known(name, asSJIS[j]) && !known(name, asCP1252[j]) {
			i = j
			break
		}
	}
	return fmt.Errorf("%w: the file has no byte order mark, and its %s reads as %q in Shift_JIS (code page 932) and as %q in Windows-1252 (code page 1252), "+
		"and neither reading, or both, names a device the database knows: which one it is cannot be told; %s",
		ErrEncoding, readBackNames[i], cut.Bytes(asSJIS[i], 80), cut.Bytes(asCP1252[i], 80), saveUTF8)
}

// cell is a CSV field's value as Read takes it: the ' before a formula
// character taken off, spaces around and carriage returns dropped.
func cell(v string) string {
	return strings.TrimSpace(strings.ReplaceAll(csvcell.Unescape(v), "\r", ""))
}

// rowName names row n, 0 the header.
func rowName(n int) string {
	if n == 0 {
		return "the header"
	}
	return fmt.Sprintf("row %d", n)
}

// decodeRecord decodes rec's fields in place, or returns the row's error.
func decodeRecord(rec []string, enc textEncoding) error {
	for i, f := range rec {
		s, ok := enc.decode(f)
		if !ok {
			return fmt.Errorf("%w: the file is read as %s, and this row's bytes are not (a character typed in another encoding, a byte changed, "+
				"or the file cut or joined to another); correct the row's text, and %s", ErrEncoding, enc.name, saveUTF8)
		}
		rec[i] = s
	}
	return nil
}
