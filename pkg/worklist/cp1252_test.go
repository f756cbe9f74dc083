package worklist

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
)

// windows1252 is s as a Western-European Excel saves "CSV (Comma
// delimited)": code page 1252, no BOM.
func windows1252(t *testing.T, s string) []byte {
	t.Helper()
	b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// knownOf is a Known that knows the device keys and host names given.
func knownOf(values ...string) Known {
	return func(column, value string) bool {
		for _, v := range values {
			if v == value {
				return true
			}
		}
		return false
	}
}

// TestReadWindows1252: a CID file saved in a Western code page
// (Windows-1252, no BOM) is read as Windows-1252 where a row tells it
// (a byte Shift_JIS does not decode there) or where its device key or
// host name read so is one the fleet knows, and read as Shift_JIS only
// where a row tells that; a row whose values the two read differently
// and neither tells is refused alone, naming both readings and saying
// to save the file as CSV UTF-8. Before, every such file whose bytes
// happened to be Shift_JIS was read so: "loc:usine montréal/…" was
// stored as "loc:usine mont鬢l/…", a key no device has.
func TestReadWindows1252(t *testing.T) {
	const (
		head  = "Host,InstallationId,ConfirmationId,DeviceKey\r\n"
		iid   = "012345601234560123456012345601234560123456012345601234560123456"
		cid   = "780551683127519032764195586859801135836999476342"
		frKey = "loc:usine montréal/ligne 1/fr-01/pc-01" // é then a: a Shift_JIS kanji
		deKey = "loc:straße/münchen/de-01/pc-02"         // ß then e: a half-width kana then e
		jaKey = "loc:ライン/ライン/ja-01/pc-03"                // kana Windows-1252 reads too
	)
	row := func(host, key string) string { return host + "," + iid + "," + cid + "," + key + "\r\n" }
	sjisFile := shiftJIS(t, head+row("PC-03", jaKey))
	for _, tc := range []struct {
		name     string
		data     []byte
		known    Known
		err      error    // the file's
		keys     []string // each row's key read, "" where refused
		readings []string // what the one row refused names (two things), or none refused
	}{
		{"Windows-1252, the key known", windows1252(t, head+row("PC-01", frKey)), knownOf(frKey), nil, []string{frKey}, nil},
		{"Windows-1252, two keys known", windows1252(t, head+row("PC-01", frKey)+row("PC-02", deKey)), knownOf(frKey, deKey), nil, []string{frKey, deKey}, nil},
		// "é/" and "é " are no Shift_JIS: the row tells the file's code page.
		{"Windows-1252 told by a row", windows1252(t, head+row("PC-01", frKey)+row("PC-04", "loc:usine montré/x/fr-04/pc-04")), nil, nil,
			[]string{frKey, "loc:usine montré/x/fr-04/pc-04"}, nil},
		{"Windows-1252, the host known", windows1252(t, "Host,InstallationId,ConfirmationId\r\nMontréal-PC,"+iid+","+cid+"\r\n"), knownOf("Montréal-PC"), nil, nil, nil},
		{"Windows-1252, no key known", windows1252(t, head+row("PC-01", frKey)), knownOf(), nil, []string{""}, []string{"usine montréal", "Shift_JIS"}},
		{"Windows-1252, nothing known", windows1252(t, head+row("PC-01", frKey)), nil, nil, []string{""}, []string{"usine montréal", "Shift_JIS"}},
		{"Shift_JIS, the key known", sjisFile, knownOf(jaKey), nil, []string{jaKey}, nil},
		{"Shift_JIS, no key known", sjisFile, nil, nil, []string{""}, []string{"ライン", "Windows-1252"}},
		// 工 (0x8D 0x48) is no Windows-1252: the row tells Shift_JIS.
		{"Shift_JIS told by a row", shiftJIS(t, head+row("PC-03", jaKey)+row("PC-05", "loc:工場/x/ja-05/pc-05")), nil, nil,
			[]string{jaKey, "loc:工場/x/ja-05/pc-05"}, nil},
		{"a row of each", append(shiftJIS(t, head+row("PC-05", "loc:工場/x/ja-05/pc-05")), windows1252(t, row("PC-04", "loc:usine montré/x/fr-04/pc-04"))...),
			nil, ErrEncoding, nil, nil},
		// LibreOffice Calc's UTF-8 without a BOM, a row damaged (0xFF is
		// Windows-1252's ÿ): "é" in UTF-8 is "Ã©" in Windows-1252, never
		// read so.
		{"UTF-8 and a row damaged", append([]byte(head+row("PC-01", frKey)), "PC-06,\xff"+row("", "")...), nil, ErrEncoding, nil, nil},
		{"a row of each by the keys known", append(shiftJIS(t, head+row("PC-03", jaKey)), windows1252(t, row("PC-01", frKey))...),
			knownOf(jaKey, frKey), ErrEncoding, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rowErrs, ok := readKnown(t, tc.data, tc.known, tc.err)
			if !ok {
				return
			}
			if keys := keysByRow(got, len(tc.keys)); strings.Join(keys, "|") != strings.Join(tc.keys, "|") {
				t.Errorf("got keys %q, want %q", keys, tc.keys)
			}
			if tc.keys == nil && (len(got) != 1 || got[0].Host != "Montréal-PC") {
				t.Errorf("got %+v, want the host Montréal-PC", got)
			}
			for _, e := range rowErrs {
				if !errors.Is(e, ErrEncoding) || !errors.Is(e, ErrRow) {
					t.Errorf("got %v, want a row refused for its encoding", e)
				}
				for _, want := range append(tc.readings, "CSV UTF-8") {
					if !strings.Contains(e.Error(), want) {
						t.Errorf("got %v, want it to name %q", e, want)
					}
				}
			}
			// Each case refuses one row or none.
			if want := len(tc.readings) / 2; len(rowErrs) != want {
				t.Errorf("got rows refused %v, want %d", rowErrs, want)
			}
		})
	}
}

// TestReadUTF8RowDamaged: a CSV file without a BOM that is UTF-8 but
// for one damaged row (a Latin-1 "é" typed by another tool, a byte
// changed) is read as UTF-8 where another row tells UTF-8 (its key or
// host read as UTF-8 is one the fleet knows and read in a code page
// none, or only UTF-8 decodes it), the damaged row alone refused,
// naming its row and saying to save the file as CSV UTF-8. A file whose
// rows tell UTF-8 and a code page (a damaged row whose code-page reading
// is known) is refused whole, as is one nothing tells UTF-8. Before, the
// file was refused whole: Windows-1252 decodes the damaged row, which
// so told a code page.
func TestReadUTF8RowDamaged(t *testing.T) {
	const (
		head  = "Host,InstallationId,ConfirmationId,DeviceKey\r\n"
		iid   = "012345601234560123456012345601234560123456012345601234560123456"
		cid   = "780551683127519032764195586859801135836999476342"
		frKey = "loc:usine montréal/ligne 1/fr-01/pc-01"
		jaKey = "loc:名古屋工場/l1/ja-01/pc-03"
	)
	row := func(host, key string) string { return host + "," + iid + "," + cid + "," + key + "\r\n" }
	latin1 := func(s string) string { return string(windows1252(t, s)) } // Latin-1 where Windows-1252 is
	for _, tc := range []struct {
		name  string
		data  string
		known Known
		err   error    // the file's
		keys  []string // each row's key read, "" where refused
	}{
		{"the key known, a Latin-1 host", head + row("PC-01", frKey) + latin1(row("Montréal-PC", "loc:x")), knownOf(frKey), nil, []string{frKey, ""}},
		{"the key known, a Latin-1 key", head + row("PC-01", frKey) + latin1(row("PC-02", "loc:café/x")) + row("PC-03", "loc:y"), knownOf(frKey),
			nil, []string{frKey, "", "loc:y"}},
		{"a Japanese key known, a byte 0xFF", head + row("PC-03", jaKey) + "PC-06,\xff" + row("", ""), knownOf(jaKey), nil, []string{jaKey, ""}},
		{"the host known", "Host,InstallationId,ConfirmationId\r\nMontréal-PC," + iid + "," + cid + "\r\n" + latin1("Québec-PC,"+iid+","+cid+"\r\n"),
			knownOf("Montréal-PC"), nil, nil},
		// "Ł/" is C5 81 2F: 0x81 is no Windows-1252, and no Shift_JIS
		// before "/".
		{"a row only UTF-8 decodes", head + row("PC-01", "loc:Ł/x") + latin1(row("PC-02", "loc:café/x")), nil, nil, []string{"loc:Ł/x", ""}},
		// Unknown keys: UTF-8's "é" is Windows-1252's "Ã©", never read so.
		{"nothing known", head + row("PC-01", frKey) + latin1(row("PC-02", "loc:café/x")), nil, ErrEncoding, nil},
		// The damaged row's Windows-1252 reading is known too: rows of
		// two encodings.
		{"the damaged row's key known in Windows-1252", head + row("PC-01", frKey) + latin1(row("PC-02", "loc:café/x")), knownOf(frKey, "loc:café/x"),
			ErrEncoding, nil},
		// ライン's Shift_JIS is Windows-1252 too: its key known tells.
		{"a row of Shift_JIS known", head + row("PC-01", frKey) + string(shiftJIS(t, row("PC-03", "loc:ライン/x"))), knownOf(frKey, "loc:ライン/x"),
			ErrEncoding, nil},
		{"a row of Shift_JIS not known", head + row("PC-01", frKey) + string(shiftJIS(t, row("PC-03", "loc:ライン/x"))), knownOf(frKey),
			nil, []string{frKey, ""}},
		// 工 is 0x8D 0x48, no Windows-1252: the row tells Shift_JIS.
		{"a row only Shift_JIS decodes", head + row("PC-01", frKey) + string(shiftJIS(t, row("PC-03", jaKey))), knownOf(frKey), ErrEncoding, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rowErrs, ok := readKnown(t, []byte(tc.data), tc.known, tc.err)
			if !ok {
				return
			}
			if tc.keys == nil {
				if len(got) != 1 || got[0].Host != "Montréal-PC" {
					t.Errorf("got %+v, want the host Montréal-PC", got)
				}
				tc.keys = []string{"", ""}
			} else if keys := keysByRow(got, len(tc.keys)); strings.Join(keys, "|") != strings.Join(tc.keys, "|") {
				t.Errorf("got keys %q, want %q", keys, tc.keys)
			}
			if len(rowErrs) != 1 {
				t.Fatalf("got rows refused %v, want row 2", rowErrs)
			}
			var re *RowError
			if !errors.As(rowErrs[0], &re) || re.Row != 2 || !errors.Is(rowErrs[0], ErrEncoding) ||
				!strings.Contains(rowErrs[0].Error(), "row 2: ") || !strings.Contains(rowErrs[0].Error(), "CSV UTF-8") {
				t.Errorf("got %v, want row 2 refused for its encoding, saying to save it as CSV UTF-8", rowErrs[0])
			}
		})
	}
}

// readKnown reads data with ReadKnown. Where the file is to be refused
// (wantErr), it checks the error says to save it as CSV UTF-8 and
// returns !ok; else the file must be read.
func readKnown(t *testing.T, data []byte, known Known, wantErr error) (got []Record, rowErrs []error, ok bool) {
	t.Helper()
	got, rowErrs, _, _, err := ReadKnown(bytes.NewReader(data), known)
	if wantErr != nil {
		if !errors.Is(err, wantErr) || !strings.Contains(err.Error(), "CSV UTF-8") {
			t.Errorf("got %v, %d records; want %v saying to save it as CSV UTF-8", err, len(got), wantErr)
		}
		return nil, nil, false
	}
	if err != nil {
		t.Fatalf("got %v, want the records", err)
	}
	return got, rowErrs, true
}

// TestCP1252: decodeCP1252 decodes every byte as golang.org/x/text's
// charmap.Windows1252 does, but the five Windows-1252 has no character
// for, which it refuses.
func TestCP1252(t *testing.T) {
	dec := charmap.Windows1252.NewDecoder()
	for c := 0; c < 256; c++ {
		want, err := dec.String(string([]byte{byte(c)}))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decodeCP1252(string([]byte{byte(c)}))
		undefined := c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D
		if ok == undefined || ok && got != want || ok != validCP1252(string([]byte{byte(c)})) {
			t.Errorf("byte %#02x: got %q, %v; want %q, %v", c, got, ok, want, !undefined)
		}
	}
}

// FuzzReadKnown: whatever the file and whatever is known (the values
// that end in known, "" none), ReadKnown returns records that write back
// and read again the same, or errors that are the sentinels, as Read
// does; and a row it reads, in a file no encoding decodes whole, is read
// as it is without anything known or refused there: a value known tells
// a file's encoding, it never changes a row's reading once told.
//
// Seeded from FuzzRead's files and from files in Windows-1252 and
// Shift_JIS that both read differently, with the key known or not.
func FuzzReadKnown(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "excel-ja", "*"))
	if len(files) == 0 {
		f.Fatal("no seed in testdata/excel-ja")
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, "")
		f.Add(b, "fa-ng-l2-012")
	}
	const head = "Host,InstallationId,ConfirmationId,DeviceKey\r\n"
	row := "PC-01,0123456,222222222222222222222222222222222222222222222222,"
	for _, seed := range []struct{ data, known string }{
		{head + row + "loc:usine montr\xe9al/l1\r\n", "montr\u00e9al/l1"},            // Windows-1252, Shift_JIS too
		{head + row + "loc:usine montr\xe9al/l1\r\n", ""},                            // the same, nothing known
		{head + row + "loc:\x83\x89\x83\x43\x83\x93\r\n", "\u30e9\u30a4\u30f3"},      // Shift_JIS kana, Windows-1252 too
		{head + row + "loc:montr\xe9 /l1\r\n" + row + "loc:\x8dH\r\n", ""},           // a row of each
		{head + row + "loc:montr\xc3\xa9al\r\n" + row + "\xff\r\n", "montr\u00e9al"}, // UTF-8 and a byte not
	} {
		f.Add([]byte(seed.data), seed.known)
	}
	f.Fuzz(func(t *testing.T, data []byte, known string) {
		k := func(column, v string) bool { return known != "" && strings.HasSuffix(v, known) }
		read := func(r io.Reader) ([]Record, []error, int, string, error) { return ReadKnown(r, k) }
		writesBack(t, data, read, WriteCSV, ErrNotCSV)
		// What Read (nothing known) reads, ReadKnown reads the same or
		// refuses: knowing tells a file's encoding, and only where Read
		// told none.
		plain, _, _, _, err := Read(bytes.NewReader(data))
		if err != nil {
			return
		}
		withKnown, _, _, _, err := ReadKnown(bytes.NewReader(data), k)
		if err != nil {
			return
		}
		byRow := map[int]Record{}
		for _, r := range withKnown {
			byRow[r.Row] = r
		}
		for _, r := range plain {
			if w, ok := byRow[r.Row]; ok && w != r {
				t.Fatalf("row %d: got %+v knowing %q, %+v knowing nothing", r.Row, w, known, r)
			}
		}
	})
}

// TestReadHostileCodePage: a file of MaxFile bytes whose every row two
// code pages read differently, untold (each row decoded up to five times
// to tell it, and refused with both readings), is read within the bound
// of TestReadHostileUTF16: 16 bytes allocated for a byte read.
func TestReadHostileCodePage(t *testing.T) {
	const head = "Host,InstallationId,ConfirmationId,DeviceKey\r\n"
	for _, tc := range []struct {
		name string
		key  string
	}{
		{"short keys, over MaxRows", strings.Repeat("\xe9a", 20)},
		{"long keys", strings.Repeat("\xe9a", 400)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			row := "PC," + strings.Repeat("1", 63) + "," + strings.Repeat("2", 48) + ",loc:" + tc.key + "\r\n"
			data := []byte(head + strings.Repeat(row, (MaxFile-len(head))/len(row)))
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, _, _, _, err := Read(bytes.NewReader(data))
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > 16*MaxFile {
				t.Errorf("got %d MiB allocated for %d MiB (%v), want at most %d MiB", got>>20, len(data)>>20, err, 16*MaxFile>>20)
			}
		})
	}
}

// TestReadPageKnownUTF8Too: a row whose bytes are UTF-8 as well as
// Shift_JIS and Windows-1252 (half-width ﾅ then ス is "Ń" then "X" in
// UTF-8; "Ü°" in Windows-1252 is Syriac in UTF-8), whose code page
// reading is a key the database knows, tells a code page as a row only
// a code page decodes does, as a known UTF-8 reading tells UTF-8.
// Before, it was refused with the whole file ("reads as … in UTF-8 and
// as … in Windows-1252: which one it is cannot be told") where
// another row told Shift_JIS, and read as UTF-8 ("loc:ÍH/x" for
// "loc:ﾃ工/x", a key no device has) where another row was damaged.
func TestReadPageKnownUTF8Too(t *testing.T) {
	const (
		head = "Host,InstallationId,ConfirmationId,DeviceKey\r\n"
		cid  = "780551683127519032764195586859801135836999476342"
	)
	row := func(host, key string) string { return host + ",0123456," + cid + "," + key + "\r\n" }
	damaged := []byte("PC-06,\x81 ,," + cid + ",loc:x\r\n") // 0x81 then a space: no UTF-8, Shift_JIS nor Windows-1252
	for _, tc := range []struct {
		name  string
		data  []byte
		known Known
		keys  []string // each row's key read, "" where refused
	}{
		{"Shift_JIS, told by another row", shiftJIS(t, head+row("PC-01", "loc:ﾅス/x")+row("PC-02", "loc:工場/y")), knownOf("loc:ﾅス/x"),
			[]string{"loc:ﾅス/x", "loc:工場/y"}},
		{"Shift_JIS, another row damaged", append(shiftJIS(t, head+row("PC-01", "loc:ﾃ工/x")), damaged...), knownOf("loc:ﾃ工/x"),
			[]string{"loc:ﾃ工/x", ""}},
		{"Windows-1252, told by another row", windows1252(t, head+row("PC-01", "loc:Ü°/x")+row("PC-02", "loc:montré/y")), knownOf("loc:Ü°/x"),
			[]string{"loc:Ü°/x", "loc:montré/y"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _, _, _, err := ReadKnown(bytes.NewReader(tc.data), tc.known)
			if err != nil {
				t.Fatalf("got %v, want the records", err)
			}
			if keys := keysByRow(got, len(tc.keys)); strings.Join(keys, "|") != strings.Join(tc.keys, "|") {
				t.Errorf("got keys %q, want %q", keys, tc.keys)
			}
		})
	}
}

// FuzzReadCodePage: a file wholly in Shift_JIS or Windows-1252 (up to
// six rows of hosts and keys made of characters whose bytes the other
// code page, or UTF-8, reads too), some of its hosts and keys known:
// every record read holds its true host and key, never another
// reading; and where all are known, every row is read. A file that is
// UTF-8 throughout is read as UTF-8 (chooseEncoding), and left out.
// It found TestReadPageKnownUTF8Too's files.
func FuzzReadCodePage(f *testing.F) {
	f.Add([]byte{0, 1, 2, 3, 4, 5, 6, 7}, false, uint8(3))
	f.Add([]byte{9, 10, 11, 12, 1, 2}, true, uint8(1))
	atoms := []string{"a", "-", " ", "é", "ü", "ß", "工", "ﾃ", "ス", "名", "Ã", "€", "…", "ﾅ", "é ", "¿", "\u00a0", "1", "日本", "ç", "Ñ", "ö", "„", "‰", "ŒŸ", "キ", "ー", "京", "\u0080"}
	f.Fuzz(func(t *testing.T, seed []byte, cp bool, knownMask uint8) {
		var enc interface{ Bytes([]byte) ([]byte, error) }
		if cp {
			enc = charmap.Windows1252.NewEncoder()
		} else {
			enc = japanese.ShiftJIS.NewEncoder()
		}
		type row struct{ host, key string }
		var rows []row
		var file bytes.Buffer
		file.WriteString("Host,InstallationId,ConfirmationId,DeviceKey\r\n")
		var known []string
		for i := 0; i+1 < len(seed) && len(rows) < 6; i += 2 {
			h := "pc" + atoms[int(seed[i])%len(atoms)] + atoms[int(seed[i]/32)%len(atoms)]
			k := "loc:" + atoms[int(seed[i+1])%len(atoms)] + atoms[int(seed[i+1]/29)%len(atoms)] + "/x"
			hb, err1 := enc.Bytes([]byte(h))
			kb, err2 := enc.Bytes([]byte(k))
			if err1 != nil || err2 != nil {
				continue
			}
			n := len(rows)
			if knownMask&(1<<(2*n%8)) != 0 {
				known = append(known, strings.TrimSpace(h))
			}
			if knownMask&(1<<((2*n+1)%8)) != 0 {
				known = append(known, strings.TrimSpace(k))
			}
			rows = append(rows, row{strings.TrimSpace(h), strings.TrimSpace(k)})
			file.Write(hb)
			file.WriteString(",0123456,780551683127519032764195586859801135836999476342,")
			file.Write(kb)
			file.WriteString("\r\n")
		}
		if utf8.Valid(file.Bytes()) {
			return // read as UTF-8 by design
		}
		recs, rowErrs, _, _, err := ReadKnown(bytes.NewReader(file.Bytes()), knownOf(known...))
		if knownMask == 0xFF && len(rows) <= 4 && (err != nil || len(recs) != len(rows)) {
			t.Fatalf("cp1252=%v all known %q: got %d records of %d, %v %v\nfile %q", cp, known, len(recs), len(rows), err, rowErrs, file.Bytes())
		}
		if err != nil {
			return
		}
		for _, r := range recs {
			w := rows[r.Row-1]
			if r.Host != w.host || r.DeviceKey != w.key {
				t.Fatalf("cp1252=%v known %q: row %d got %q %q, want %q %q\nfile %q", cp, known, r.Row, r.Host, r.DeviceKey, w.host, w.key, file.Bytes())
			}
		}
	})
}

// keysByRow is the device keys of records by their row (1 to n).
func keysByRow(got []Record, n int) []string {
	keys := make([]string, n)
	for _, r := range got {
		if r.Row-1 < n {
			keys[r.Row-1] = r.DeviceKey
		}
	}
	return keys
}

// TestReadUntoldNamesUnknown: a row that the two code pages read
// differently and nothing tells is refused naming the column whose
// reading the database knows in neither: a host it knows as
// Windows-1252 reads it ("POSTE-MONTRÉAL") beside a device key it knows
// in neither reading (the site renamed since the worklist was written)
// names the key. Before, the error named the host, the first column
// the two read differently, and said that neither of its readings
// names a device the database knows, which one did.
func TestReadUntoldNamesUnknown(t *testing.T) {
	const cid = "780551683127519032764195586859801135836999476342"
	data := windows1252(t, "Host,InstallationId,ConfirmationId,DeviceKey\r\n"+
		"POSTE-MONTRÉAL,0123456,"+cid+",loc:usine montréal/l2/x/poste-montréal\r\n")
	for _, tc := range []struct {
		name  string
		known Known
		want  string
	}{
		{"host known, key not", knownOf("POSTE-MONTRÉAL"), "its DeviceKey reads as"},
		{"neither known", knownOf(), "its Host reads as"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, rowErrs, _, _, err := ReadKnown(bytes.NewReader(data), tc.known)
			if err != nil || len(got) != 0 || len(rowErrs) != 1 {
				t.Fatalf("got %d records, row errors %v, %v; want row 1 refused", len(got), rowErrs, err)
			}
			if msg := rowErrs[0].Error(); !errors.Is(rowErrs[0], ErrEncoding) || !strings.Contains(msg, tc.want) {
				t.Errorf("got %q, want an ErrEncoding with %q", msg, tc.want)
			}
		})
	}
}
