package worklist

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

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
	encUTF8 = textEncoding{"UTF-8", decodeUTF8}
	encSJIS = textEncoding{"Shift_JIS (code page 932), as its bytes are not UTF-8", decodeSJIS}
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
			return sjis.Decode([]byte(s))
		}
	}
	return s, true
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

// chooseEncoding is the encoding of a CSV file without a BOM (data,
// fields apart by sep; col its header's columns, as setHeader found
// them): Excel saves "CSV" in the system's code page, 932 on a Japanese
// Windows, and LibreOffice Calc saves UTF-8 without a BOM. A file UTF-8
// throughout is UTF-8 (below: why, though many are Shift_JIS too), else
// one Shift_JIS throughout is Shift_JIS. A file neither decodes whole is
// in one encoding still, and a row that only one of them decodes tells
// which. Rows that tell both are an ErrEncoding. Where no row tells,
// the file is read as UTF-8 when both read the same value in every
// column Read takes back; else which one is meant cannot be told, and
// the file is an ErrEncoding rather than a guess. A row in neither is
// refused alone (as not UTF-8).
func chooseEncoding(data []byte, sep rune, col map[string]int) (textEncoding, error) {
	// A file's bytes decode when each of its fields' do: the separators,
	// quotes and line ends are ASCII, which neither encoding has inside
	// a character. Only a file both or neither decode is read row by row.
	//
	// A file that is UTF-8 throughout is UTF-8, even where its bytes
	// are Shift_JIS too (名古屋工場's are): Shift_JIS text is almost
	// never UTF-8 (its kana and most kanji start with a byte UTF-8
	// only continues with, a half-width kana is one such byte alone),
	// and LibreOffice Calc saves UTF-8 without a BOM; refused, a
	// worklist saved by Calc with a Japanese site in its DeviceKey was
	// sent back to be saved again.
	isUTF8, isSJIS := utf8.Valid(data), sjis.Valid(data)
	switch {
	case isUTF8:
		return encUTF8, nil
	case isSJIS:
		return encSJIS, nil
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.Comma, cr.FieldsPerRecord, cr.ReuseRecord = sep, -1, true
	onlyUTF8, onlySJIS, differ := -1, -1, -1
	var column, asUTF8, asSJIS string
	// Row 0 is the header; a file past MaxRows or out of shape is
	// refused by the reading that follows.
	for n := 0; n <= MaxRows; n++ {
		rec, err := cr.Read()
		if err != nil {
			break
		}
		u, s := true, true
		for _, f := range rec {
			u, s = u && utf8.ValidString(f), s && sjis.Valid([]byte(f))
		}
		switch {
		case u && !s && onlyUTF8 < 0:
			onlyUTF8 = n
		case s && !u && onlySJIS < 0:
			onlySJIS = n
		case u && s && differ < 0 && n > 0:
			for _, name := range Header {
				i, ok := col[strings.ToLower(name)]
				if !readBack[name] || !ok || i >= len(rec) {
					continue
				}
				if j, _ := decodeSJIS(rec[i]); j != rec[i] {
					differ, column, asUTF8, asSJIS = n, name, rec[i], j
					break
				}
			}
		}
	}
	switch {
	case onlyUTF8 >= 0 && onlySJIS >= 0:
		return textEncoding{}, fmt.Errorf("%w: %s is UTF-8 and %s Shift_JIS (code page 932), each decoded only so: "+
			"a file is in one encoding; check its rows, and %s", ErrEncoding, rowName(onlyUTF8), rowName(onlySJIS), saveUTF8)
	case onlySJIS >= 0:
		return encSJIS, nil
	case onlyUTF8 >= 0 || differ < 0:
		return encUTF8, nil
	}
	return textEncoding{}, fmt.Errorf("%w: the file has no byte order mark, and %s's %s reads as %q in UTF-8 and as %q in Shift_JIS (code page 932): "+
		"which one it is cannot be told; %s", ErrEncoding, rowName(differ), column, cut.Bytes(asUTF8, 80), cut.Bytes(asSJIS, 80), saveUTF8)
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
			return fmt.Errorf("%w: the file is read as %s, and this row's bytes are not (a byte changed, or the file cut or joined to another)",
				ErrEncoding, enc.name)
		}
		rec[i] = s
	}
	return nil
}
