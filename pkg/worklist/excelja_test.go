package worklist

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/japanese"

	"github.com/actcourier/actcourier/pkg/activation"
)

// The worklist of a fleet whose site and line are named in Japanese, as
// Japanese Windows' Excel saves it filled in. Device 011 has a hardware
// key; device 012 none, so its key is its place, in Japanese
// (licensing.DeviceKey).
const (
	jaSite   = "名古屋工場"
	jaLine   = "第2ライン"
	jaHWKey  = "hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC"
	jaLocKey = "loc:名古屋工場/第2ライン/ng-l2-012/fa-ng-l2-012"
	jaIID1   = "012345601234560123456012345601234560123456012345601234560123456"
	jaIID2   = "765432765432765432765432765432765432765432765432765432"
	jaCID1   = "780551683127519032764195586859801135836999476342"
	jaCID2   = "566970192333030149625649247488241398308140028932"
)

// jaRows are the worklist's rows with the CIDs filled in, as staff type
// them: in groups apart by dashes.
func jaRows() []Row {
	return []Row{
		{Host: "FA-NG-L2-010", Site: jaSite, Line: jaLine, Asset: "NG-L2-010", DeviceKey: "loc:名古屋工場/第2ライン/ng-l2-010/fa-ng-l2-010",
			Product: "Windows 7 Professional", State: NoIID, Collected: collected},
		{Host: "FA-NG-L2-011", IID: jaIID1, Site: jaSite, Line: jaLine, Asset: "NG-L2-011", DeviceKey: jaHWKey,
			Product: "Windows 7 Professional", ActivationID: "68531fb9-5511-4989-97be-d11a0f55633f", State: NeedsCID, Collected: collected,
			CID: strings.Join(activation.Groups(jaCID1), "-")},
		{Host: "FA-NG-L2-012", IID: jaIID2, Site: jaSite, Line: jaLine, Asset: "NG-L2-012", DeviceKey: jaLocKey,
			Product: "Office 2010 Professional Plus", State: NeedsCID, Collected: collected, Detail: "組立, 検査",
			CID: strings.Join(activation.Groups(jaCID2), "-")},
	}
}

// excelSaves is the worklist's cells as Excel saves them: sep between
// the fields, a field quoted only when it holds sep, a quote or a line
// end (Excel quotes nothing else), CRLF after each row.
func excelSaves(t *testing.T, sep string) string {
	t.Helper()
	var b bytes.Buffer
	if err := WriteCSV(&b, jaRows()); err != nil {
		t.Fatal(err)
	}
	cells, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b.Bytes(), []byte("\ufeff")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, row := range cells {
		for i, c := range row {
			if i > 0 {
				out.WriteString(sep)
			}
			if strings.ContainsAny(c, sep+"\"\r\n") {
				c = `"` + strings.ReplaceAll(c, `"`, `""`) + `"`
			}
			out.WriteString(c)
		}
		out.WriteString("\r\n")
	}
	return out.String()
}

func shiftJIS(t *testing.T, s string) []byte {
	t.Helper()
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// utf16With is s in UTF-16 with its byte order mark, big endian or not.
func utf16With(s string, big bool) []byte {
	var order binary.ByteOrder = binary.LittleEndian
	if big {
		order = binary.BigEndian
	}
	u := utf16.Encode([]rune("\ufeff" + s))
	b := make([]byte, 2*len(u))
	for i, c := range u {
		order.PutUint16(b[2*i:], c)
	}
	return b
}

// excelJapanese are the save formats of Japanese Excel for the worklist
// filled in, by the file's name in testdata/excel-ja (TestExcelJapanese
// writes them with -update).
func excelJapanese(t *testing.T) map[string][]byte {
	comma, tab := excelSaves(t, ","), excelSaves(t, "\t")
	return map[string][]byte{
		// "CSV (コンマ区切り)": the ANSI code page, 932, no BOM.
		"csv-sjis.csv": shiftJIS(t, comma),
		// "CSV UTF-8 (コンマ区切り)": UTF-8 with a BOM.
		"csv-utf8.csv": append([]byte("\ufeff"), comma...),
		// "Unicode テキスト": UTF-16LE with a BOM, a tab between fields.
		"unicode-text.txt": utf16With(tab, false),
	}
}

// TestExcelJapanese: the worklist of a Japanese fleet, filled in and
// saved by Japanese Excel as CSV (Shift_JIS), CSV UTF-8 or Unicode text
// (UTF-16LE, tabs), is read as the same records, its DeviceKey in
// Japanese whole. Before, the Shift_JIS file was read as if UTF-8: the
// key of device 012 was stored as U+FFFD where its Japanese was; the
// Unicode text file was refused as no CSV file.
func TestExcelJapanese(t *testing.T) {
	want := []Record{
		{Row: 2, Host: "FA-NG-L2-011", IID: jaIID1, CID: jaCID1, DeviceKey: jaHWKey, ActivationID: "68531fb9-5511-4989-97be-d11a0f55633f"},
		{Row: 3, Host: "FA-NG-L2-012", IID: jaIID2, CID: jaCID2, DeviceKey: jaLocKey},
	}
	for name, data := range excelJapanese(t) {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", "excel-ja", name)
			if *update {
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			saved, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/worklist -run TestExcelJapanese -update)", err)
			}
			if !bytes.Equal(saved, data) {
				t.Errorf("%s differs from what the test makes; run go test ./pkg/worklist -run TestExcelJapanese -update and review the diff", path)
			}
			got, rowErrs, blank, kind, err := Read(bytes.NewReader(saved))
			if err != nil || len(rowErrs) != 0 {
				t.Fatalf("got %v, rows refused %v; want the records", err, rowErrs)
			}
			if kind != KindWorklist || blank != 1 {
				t.Errorf("got kind %q, %d blank; want %q, 1 blank (the no-iid row)", kind, blank, KindWorklist)
			}
			if len(got) != len(want) {
				t.Fatalf("got %d records %+v, want %d", len(got), got, len(want))
			}
			for i := range want {
				if got[i] != want[i] {
					t.Errorf("record %d: got %+v, want %+v", i, got[i], want[i])
				}
			}
		})
	}
}

// TestReadEncodings: a CSV file is read in the encoding its BOM names
// (UTF-8, UTF-16LE, UTF-16BE), else as UTF-8 or, when its bytes are not
// UTF-8, as Shift_JIS; a row its encoding cannot decode is refused alone,
// never stored garbled; a file that two encodings read as different
// values in a column Read takes back, or whose rows are in two
// encodings, is refused, saying to save it as CSV UTF-8. Before, every
// file without a UTF-16 BOM was read as UTF-8, its bytes that were not
// kept as U+FFFD, and a UTF-16 file was refused as no CID file.
func TestReadEncodings(t *testing.T) {
	comma, tab := excelSaves(t, ","), excelSaves(t, "\t")
	// Without the Detail typed in Japanese ("組立, 検査"), which only UTF-8
	// decodes, the UTF-8 of 名古屋工場 and 第2ライン decodes as Shift_JIS
	// too (as 蜷榊商螻句ｷ･蝣ｴ, 隨ｬ2繝ｩ繧､繝ｳ).
	noDetail := strings.Replace(comma, `"組立, 検査"`, "", 1)
	// The place keys in ASCII: Japanese only in Site and Line, which Read
	// does not take back.
	asciiKeys := strings.ReplaceAll(noDetail, "loc:名古屋工場/第2ライン/", "loc:nagoya/l2/")
	sjis := shiftJIS(t, comma)
	cutSJIS := bytes.Replace(sjis, []byte("ng-l2-012/"), []byte("ng-l2-012\x83/"), 1) // a lead byte without its trail
	badUTF8 := append([]byte("\ufeff"), strings.Replace(comma, "ng-l2-012/", "ng-l2-012\xff/", 1)...)
	lone := utf16With(strings.Replace(tab, "ng-l2-012/", "ng-l2-012\uFFFF/", 1), false)
	for i := 0; i+1 < len(lone); i += 2 {
		if lone[i] == 0xFF && lone[i+1] == 0xFF {
			lone[i], lone[i+1] = 0x00, 0xD8 // a high surrogate alone
		}
	}
	mixed := append(append([]byte{}, sjis...), []byte("FA-NG-L3-001,"+strings.Repeat("1234567", 9)+",,"+strings.Repeat("222222", 8)+",,,,名古屋工場,組立ライン\r\n")...)
	for _, tc := range []struct {
		name    string
		data    []byte
		err     error // the file's
		refused []int // rows refused as not decoded, the others read
		key3    string
	}{
		{"UTF-16LE with commas", utf16With(comma, false), nil, nil, jaLocKey},
		{"UTF-16BE with tabs", utf16With(tab, true), nil, nil, jaLocKey},
		{"UTF-16BE with commas", utf16With(comma, true), nil, nil, jaLocKey},
		// Excel's "テキスト (タブ区切り)": code page 932, tabs.
		{"Shift_JIS with tabs", shiftJIS(t, tab), nil, nil, jaLocKey},
		// LibreOffice Calc saves UTF-8 without a BOM: UTF-8 throughout is
		// UTF-8, also where it is Shift_JIS too (名古屋工場 is).
		{"UTF-8 without BOM, a row only UTF-8 decodes", []byte(comma), nil, nil, jaLocKey},
		{"UTF-8 without BOM, Shift_JIS too", []byte(noDetail), nil, nil, jaLocKey},
		{"UTF-8 without BOM, Shift_JIS too, keys in ASCII", []byte(asciiKeys), nil, nil, "loc:nagoya/l2/ng-l2-012/fa-ng-l2-012"},
		{"Shift_JIS, a row cut", cutSJIS, nil, []int{3}, ""},
		{"UTF-8 BOM, a row of a byte not UTF-8", badUTF8, nil, []int{3}, ""},
		{"UTF-16LE, a surrogate alone", lone, nil, []int{3}, ""},
		{"UTF-16LE, cut in its last character", utf16With(comma, false)[:len(utf16With(comma, false))-1], nil, []int{3}, ""},
		{"Shift_JIS and a row of UTF-8", mixed, ErrEncoding, nil, ""},
		// Excel writes the BOM; a file that lost it holds a NUL in
		// every ASCII character.
		{"UTF-16LE without its BOM", utf16With(comma, false)[2:], ErrEncoding, nil, ""},
		{"UTF-16BE without its BOM", utf16With(tab, true)[2:], ErrEncoding, nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rowErrs, _, _, err := Read(bytes.NewReader(tc.data))
			if tc.err != nil {
				if !errors.Is(err, tc.err) || !strings.Contains(err.Error(), "CSV UTF-8") {
					t.Errorf("got %v, %d records; want %v saying to save it as CSV UTF-8", err, len(got), tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got %v, want the records", err)
			}
			var refused []int
			for _, e := range rowErrs {
				var re *RowError
				if !errors.As(e, &re) || !errors.Is(e, ErrEncoding) {
					t.Errorf("got %v, want a row refused as not decoded", e)
					continue
				}
				refused = append(refused, re.Row)
			}
			if len(refused) != len(tc.refused) || len(refused) > 0 && refused[0] != tc.refused[0] {
				t.Errorf("got rows %v refused, want %v", refused, tc.refused)
			}
			var key3 string
			for _, r := range got {
				if r.Row == 3 {
					key3 = r.DeviceKey
				}
				if r.Row == 2 && (r.DeviceKey != jaHWKey || r.CID != jaCID1) {
					t.Errorf("row 2: got %+v, want key %s, CID %s", r, jaHWKey, jaCID1)
				}
			}
			if len(got) != 2-len(tc.refused) || key3 != tc.key3 {
				t.Errorf("got %d records, row 3's key %q; want %d, %q", len(got), key3, 2-len(tc.refused), tc.key3)
			}
		})
	}
}

// TestReadHostileUTF16: a UTF-16 file of MaxFile bytes, of surrogates
// alone, of one field, or of rows in CJK (3 bytes of UTF-8 for 2), is
// read within a bound of memory: at most 16 bytes allocated for a byte
// read, as a UTF-8 file of one field over MaxFile costs (the CSV
// reader's line and record buffers, the header's names in lower case).
func TestReadHostileUTF16(t *testing.T) {
	cjkRows := utf16With("InstallationId,ConfirmationId\r\n", false)
	row := utf16With(strings.Repeat("一", 1000)+","+strings.Repeat("二", 20)+"\r\n", false)[2:]
	for len(cjkRows)+len(row) <= MaxFile {
		cjkRows = append(cjkRows, row...)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"surrogates alone", append([]byte{0xFF, 0xFE}, bytes.Repeat([]byte{0x00, 0xD8}, MaxFile/2-1)...)},
		{"low surrogates first, big endian", append([]byte{0xFE, 0xFF}, bytes.Repeat([]byte{0xDC, 0x00, 0xD8, 0x00}, MaxFile/4-1)...)},
		{"one field of CJK", append([]byte{0xFF, 0xFE}, bytes.Repeat([]byte{0x00, 0x4E}, MaxFile/2-1)...)},
		{"rows of CJK", cjkRows},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, _, _, _, err := Read(bytes.NewReader(tc.data))
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 16*MaxFile {
				t.Errorf("got %d MiB allocated for %d MiB (%v), want at most %d MiB", got>>20, len(tc.data)>>20, err, 16*MaxFile>>20)
			}
		})
	}
}

// TestReadLongHeader: a first line over maxHeader is refused as no CID
// file before the CSV reader reads it (up to three times, for ',', ';'
// and a tab): a hostile file of one 16 MiB line allocated 267 MiB with
// Go 1.20 (TestReadHostileUTF16 failed under Wine); a header of that
// length and one line more still read.
func TestReadLongHeader(t *testing.T) {
	// A header of maxHeader bytes before its line end ("\r\n").
	name := strings.Repeat("x", maxHeader-len("InstallationId,ConfirmationId,\r"))
	for _, tc := range []struct {
		name string
		data string
		ok   bool
	}{
		{"at the limit", "InstallationId,ConfirmationId," + name + "\r\n", true},
		{"a byte over", "InstallationId,ConfirmationId," + name + "x\r\n", false},
		{"one line, no end", strings.Repeat("y", maxHeader+1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, _, _, err := Read(strings.NewReader(tc.data))
			if tc.ok != (err == nil) || !tc.ok && (!errors.Is(err, ErrNotCSV) || !strings.Contains(err.Error(), "header, is over 65536 bytes")) {
				t.Errorf("got %v, want ok %v or ErrNotCSV naming the header's length", err, tc.ok)
			}
		})
	}
}
