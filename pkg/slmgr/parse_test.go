package slmgr

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/licensing"
	"golang.org/x/text/encoding/japanese"
)

var update = flag.Bool("update", false, "rewrite golden files")

func samples(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "samples", "*", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples under testdata/samples: %v", err)
	}
	return files
}

// allTexts are the real samples, the harvested texts and the
// constructed outputs: every text whose reading a paste's quote marks
// or indent must not change.
func allTexts(t testing.TB) []string {
	paths := samples(t)
	for _, dir := range []string{"harvest/*", "constructed"} {
		more, err := filepath.Glob(filepath.Join("testdata", dir, "*.txt"))
		if err != nil || len(more) == 0 {
			t.Fatalf("no texts under testdata/%s: %v", dir, err)
		}
		paths = append(paths, more...)
	}
	return paths
}

// golden renders a result as the golden file holds it.
func golden(res *Result, err error) []byte {
	out := struct {
		Error  string  `json:"error,omitempty"`
		Result *Result `json:"result"`
	}{Result: res}
	if err != nil {
		out.Error = err.Error()
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	return append(b, '\n')
}

// TestGolden parses every real sample (see testdata/samples/*/SOURCES.md)
// and compares with its golden file; go test ./pkg/slmgr -update rewrites
// them, to be reviewed as a diff.
func TestGolden(t *testing.T) {
	for _, path := range samples(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			res, perr := Parse(data, Options{})
			got := golden(res, perr)
			gp := strings.TrimSuffix(path, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(gp, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gp)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/slmgr -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("result differs from %s; got:\n%s", gp, got)
			}
		})
	}
}

func utf16le(s string, bom bool) []byte {
	var b []byte
	if bom {
		b = []byte{0xFF, 0xFE}
	}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func toSJIS(t *testing.T, s string) []byte {
	b, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const win7dlv = "Software licensing service version: 6.1.7601.17514\r\n\r\n" +
	"Name: Windows(R) 7, Professional edition\r\n" +
	"Description: Windows Operating System - Windows(R) 7, RETAIL channel\r\n" +
	"Activation ID: 50e329f7-a5fa-46b2-85fd-f224e5da7764\r\n" +
	"Application ID: 55c92734-d682-4d71-983e-d6ec3f16059f\r\n" +
	"Extended PID: 00371-00178-926-700000-00-1041-7601.0000-0422011\r\n" +
	"Installation ID: 012345678901234567890123456789012345678901234567890123\r\n" +
	"Partial Product Key: 6RH9K\r\n" +
	"License Status: Licensed\r\n" +
	"Remaining Windows rearm count: 3\r\n" +
	"Trusted time: 2026/11/24 9:30:00\r\n"

// jaStrings is a made-up Japanese slmgr.ini for tests: the keys are real,
// the wording is ours (no real Japanese slmgr.ini is public; see
// testdata/samples/slmgr/SOURCES.md, "Gaps").
const jaStrings = "[Strings]\r\n" +
	"L_MsgServiceVersion=\"ソフトウェア ライセンス サービスのバージョン: \"\r\n" +
	"L_MsgProductName=\"名前: \"\r\n" +
	"L_MsgProductDesc=\"説明: \"\r\n" +
	"L_MsgActID=\"ライセンス認証 ID: \"\r\n" +
	"L_MsgAppID=\"アプリケーション ID: \"\r\n" +
	"L_MsgPID4=\"拡張 PID: \"\r\n" +
	"L_MsgPartialPKey=\"プロダクト キーの一部: \"\r\n" +
	"L_MsgLicenseStatusLicensed_1=\"ライセンスの状態: ライセンスされています\"\r\n" +
	"L_MsgLicenseStatusNotification_1=\"ライセンスの状態: 通知\"\r\n" +
	"L_MsgNotificationErrorReasonOther=\"通知の理由: 0x%ERRCODE%。\"\r\n" +
	"L_MsgRemainingWindowsRearmCount=\"Windows の残りの再initialize回数: %COUNT%\"\r\n"

const jaDlv = "ソフトウェア ライセンス サービスのバージョン: 6.1.7601.17514\r\n\r\n" +
	"名前: Windows(R) 7, Professional edition\r\n" +
	"説明: Windows Operating System - Windows(R) 7, OEM_SLP channel\r\n" +
	"ライセンス認証 ID: 50e329f7-a5fa-46b2-85fd-f224e5da7764\r\n" +
	"アプリケーション ID: 55c92734-d682-4d71-983e-d6ec3f16059f\r\n" +
	"拡張 PID: 00371-00178-926-700000-00-1041-7601.0000-0422011\r\n" +
	"プロダクト キーの一部: 22TKD\r\n" +
	"ライセンスの状態: 通知\r\n" +
	"通知の理由: 0xC004F009。\r\n"

func TestEncodings(t *testing.T) {
	ja, err := ParseStrings(toSJIS(t, jaStrings), "0411")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		data    []byte
		strings []*Strings
		enc     string
		status  licensing.Status
		channel licensing.Channel
		key     string
		reason  uint32
	}{
		{"utf-8 crlf", []byte(win7dlv), nil, EncUTF8, licensing.StatusLicensed, licensing.ChannelRetail, "6RH9K", 0},
		{"utf-8 lf", []byte(strings.ReplaceAll(win7dlv, "\r", "")), nil, EncUTF8, licensing.StatusLicensed, licensing.ChannelRetail, "6RH9K", 0},
		{"utf-8 bom", append([]byte{0xEF, 0xBB, 0xBF}, win7dlv...), nil, EncUTF8, licensing.StatusLicensed, licensing.ChannelRetail, "6RH9K", 0},
		{"utf-16le bom", utf16le(win7dlv, true), nil, EncUTF16LE, licensing.StatusLicensed, licensing.ChannelRetail, "6RH9K", 0},
		{"utf-16le no bom (cscript //U)", utf16le(win7dlv, false), nil, EncUTF16LE, licensing.StatusLicensed, licensing.ChannelRetail, "6RH9K", 0},
		{"japanese shift_jis with strings", toSJIS(t, jaDlv), []*Strings{ja}, EncSJIS, licensing.StatusNotification, licensing.ChannelOEMSLP, "22TKD", 0xC004F009},
		{"japanese utf-16 with strings", utf16le(jaDlv, true), []*Strings{ja}, EncUTF16LE, licensing.StatusNotification, licensing.ChannelOEMSLP, "22TKD", 0xC004F009},
		{"japanese without strings: by shape", toSJIS(t, jaDlv), nil, EncSJIS, licensing.StatusUnknown, licensing.ChannelOEMSLP, "22TKD", 0xC004F009},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(tc.data, Options{Strings: tc.strings})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if res.Encoding != tc.enc {
				t.Errorf("encoding %q, want %q", res.Encoding, tc.enc)
			}
			if len(res.Products) != 1 {
				t.Fatalf("got %d products, want 1: %+v", len(res.Products), res.Products)
			}
			p := res.Products[0]
			if p.Status != tc.status || p.Channel != tc.channel || p.PartialKey != tc.key || p.StatusReason != tc.reason {
				t.Errorf("got status %s channel %s key %s reason %#x, want %s %s %s %#x",
					p.Status, p.Channel, p.PartialKey, p.StatusReason, tc.status, tc.channel, tc.key, tc.reason)
			}
			if p.Kind != licensing.KindWindows || p.ApplicationID != licensing.AppWindows {
				t.Errorf("kind %s app %s", p.Kind, p.ApplicationID)
			}
			if tc.status == licensing.StatusUnknown {
				if !containsString(res.Unread, "license status") {
					t.Errorf("unread %v does not name the license status", res.Unread)
				}
			} else if len(res.Unknown) != 0 {
				t.Errorf("unknown lines: %v", res.Unknown)
			}
		})
	}
}

func containsString(list []string, sub string) bool {
	for _, s := range list {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = not readable
	}{
		{"8/11/2026 1:51:01 PM", ""}, // en-US or en-GB: ambiguous
		{"8/13/2026 1:51:01 PM", "2026-08-13T13:51:01Z"},
		{"20/03/2026 12:44:15", "2026-03-20T12:44:15Z"},
		{"29.03.2027 15:10:07", "2027-03-29T15:10:07Z"},
		{"01.02.2027 15:10:07", "2027-02-01T15:10:07Z"},
		{"2015/04/06 09:57:03", "2015-04-06T09:57:03Z"},
		{"30/11/2024 7:36:14 AM", "2024-11-30T07:36:14Z"},
		{"12/30/2024 12:00:00 AM", "2024-12-30T00:00:00Z"},
		{"1601/1/1", "1601-01-01T00:00:00Z"},
		{"2026-12-24 오후 3:00:00", "2026-12-24T15:00:00Z"},  // ko-KR: designator first
		{"2026/12/24 下午 03:00:00", "2026-12-24T15:00:00Z"}, // zh-TW
		{"2026-12-24 오전 12:05:00", "2026-12-24T00:05:00Z"},
		{"2026/12/24 PM 3:00:00 PM", ""},
		{"2026/02/30", ""},
		{"tomorrow", ""},
	}
	for _, tc := range tests {
		got, ok := parseDate(tc.in)
		s := ""
		if ok {
			s = got.Format("2006-01-02T15:04:05Z07:00")
		}
		if s != tc.want {
			t.Errorf("parseDate(%q) = %q, want %q", tc.in, s, tc.want)
		}
	}
}

func TestNoProducts(t *testing.T) {
	for _, in := range []string{"", "hello\nworld", "\xff\xfe\x00", "C:\\>dir"} {
		res, err := Parse([]byte(in), Options{})
		if err != ErrNoProducts || res == nil {
			t.Errorf("Parse(%q) = %v, %v; want a result and ErrNoProducts", in, res, err)
		}
	}
}

func TestParseStrings(t *testing.T) {
	if _, err := ParseStrings([]byte("no keys here"), "0411"); err == nil {
		t.Fatal("ParseStrings accepted a file with no keys")
	}
	s, err := ParseStrings(utf16le(jaStrings, true), "0411")
	if err != nil {
		t.Fatal(err)
	}
	if got := s.M["L_MsgProductName"]; got != "名前: " {
		t.Errorf("L_MsgProductName = %q", got)
	}
}

func FuzzParse(f *testing.F) {
	for _, p := range samples(f) {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// The outputs constructed from the scripts' source hold the only
	// AD, token, AVMA, /dinstid and /actcid blocks.
	constructed, err := filepath.Glob(filepath.Join("testdata", "constructed", "*.txt"))
	if err != nil || len(constructed) == 0 {
		f.Fatalf("no constructed outputs: %v", err)
	}
	for _, p := range constructed {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(utf16le(win7dlv, true))
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Parse(data, Options{})
		if res == nil {
			t.Fatal("nil result")
		}
		if err != nil && err != ErrNoProducts {
			t.Fatalf("unexpected error %v", err)
		}
		if err == nil && len(res.Products) == 0 {
			t.Fatal("no error and no products")
		}
		for _, p := range res.Products {
			if p.Status == "" || p.Channel == "" {
				t.Fatalf("product without status or channel: %+v", p)
			}
		}
		if s, ok := withCR(reflect.ValueOf(res)); ok {
			t.Fatalf("a value holds a CR: %q", s)
		}
	})
}

// FuzzParseStrings feeds arbitrary slmgr.ini files, and text parsed with
// them: resource strings become patterns, so odd templates must neither
// panic nor stop English from working.
func FuzzParseStrings(f *testing.F) {
	f.Add([]byte("[Strings]\r\nL_MsgProductName=\"名前: \"\r\nL_MsgLicenseStatusLicensed_1=\"ライセンスされています\"\r\n"), []byte("名前: Windows(R), Professional edition\r\nLicense Status: Licensed\r\n"))
	f.Add([]byte("L_MsgPartialProductKey=\"%ITEM% (%X%\"\n"), []byte("Partial Product Key: 3V66T\n"))
	f.Add([]byte(jaStrings), []byte(runOnText(jaDlv, ""))) // run on, split at the strings' labels
	f.Fuzz(func(t *testing.T, ini, text []byte) {
		s, err := ParseStrings(ini, "fuzz")
		if err != nil {
			if s != nil || !errors.Is(err, ErrNotStrings) {
				t.Fatalf("ParseStrings: %v, %v", s, err)
			}
			return
		}
		res, err := Parse(text, Options{Strings: []*Strings{s}})
		if res == nil || (err != nil && err != ErrNoProducts) {
			t.Fatalf("Parse: %v %v", res, err)
		}
		// The automaton splits as the labels tried one by one did.
		set := runOnSetOf([]*Strings{s})
		ref := refOf(set)
		for _, l := range strings.Split(string(text), "\n") {
			if len(l) > maxLine {
				continue
			}
			if got, want := slmgrRunOnPieces(l, set), refSlmgrRunOnPieces(l, ref); strings.Join(got, "|") != strings.Join(want, "|") || (got == nil) != (want == nil) {
				t.Fatalf("line %q: split %q, want %q (refSlmgrRunOnPieces)", l, got, want)
			}
		}
		if v, ok := withCR(reflect.ValueOf(res)); ok {
			t.Fatalf("a value holds a CR: %q", v)
		}
	})
}

// TestManyPlaceholders: a string of an slmgr.ini with more placeholders
// than any of slmgr.vbs's is not used to read lines. Each placeholder is
// a group of the string's pattern, and matching a line cost time in the
// cube of their number: 400 of them took a quarter of a second for each
// line, an hour for a text given to import-text with such an slmgr.ini.
func TestManyPlaceholders(t *testing.T) {
	s, err := ParseStrings([]byte("L_MsgProductName=\""+strings.Repeat("%A%x", 200)+"\"\r\n"), "fuzz")
	if err != nil {
		t.Fatal(err)
	}
	text := "Name: Windows(R), Professional edition\r\nLicense Status: Licensed\r\n" + strings.Repeat("yx", 400) + "\r\n"
	res, err := Parse([]byte(text), Options{Strings: []*Strings{s}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Products) != 1 || res.Products[0].Name != "Windows(R), Professional edition" {
		t.Errorf("got products %+v, want Windows(R), Professional edition alone", res.Products)
	}
}

// TestNotInUse: slmgr /dlv all prints every SKU; those without a key say
// "This license is not in use." and are left out, as WMI leaves them out.
func TestNotInUse(t *testing.T) {
	text := "Software licensing service version: 10.0.19041.1\r\n\r\n" +
		"Name: Windows(R), Professional edition\r\nDescription: Windows(R) Operating System, RETAIL channel\r\n" +
		"Partial Product Key: 3V66T\r\nLicense Status: Licensed\r\n\r\n" +
		"Name: Windows(R), ProfessionalEducation edition\r\nDescription: Windows(R) Operating System, RETAIL channel\r\n" +
		"This license is not in use.\r\n\r\n" +
		"Name: Windows(R), Enterprise edition\r\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\r\n" +
		"This license is not in use.\r\n"
	res, err := Parse([]byte(text), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Products) != 1 || res.Products[0].PartialKey != "3V66T" {
		t.Fatalf("products %+v", res.Products)
	}
	if !containsString(res.Notes, "skipped 2 licenses not in use") {
		t.Errorf("notes %v", res.Notes)
	}
	// Issue 15, class 6: a text with only unused licenses still gives
	// the device something to classify (nothing licensed), not a
	// rejection.
	only := "Name: Windows(R), Enterprise edition\r\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\r\nThis license is not in use.\r\n"
	res, err = Parse([]byte(only), Options{})
	if err != nil {
		t.Fatalf("only unused licenses: err = %v, want none", err)
	}
	if len(res.Products) != 1 {
		t.Fatalf("got %d products, want 1", len(res.Products))
	}
	p := res.Products[0]
	if !p.NotInUse || p.Status != licensing.StatusUnlicensed || p.Kind != licensing.KindWindows || p.Channel != licensing.ChannelGVLK {
		t.Errorf("got not_in_use %v status %s kind %s channel %s, want true unlicensed windows Volume:GVLK", p.NotInUse, p.Status, p.Kind, p.Channel)
	}
	if containsString(res.Unread, "partial product key") {
		t.Errorf("unread %v: a license not in use has no key to read", res.Unread)
	}
}

// TestOptionsDecode: a decoder given in Options replaces Decode, and its
// error is ErrEncoding wrapping the decoder's own.
func TestOptionsDecode(t *testing.T) {
	errCP := errors.New("cp: unsure")
	tests := []struct {
		name string
		dec  func([]byte) (string, string, error)
		enc  string
		err  error
	}{
		{"decoder used", func(b []byte) (string, string, error) { return strings.ToUpper(string(b)), "test", nil }, "test", nil},
		{"decoder fails", func([]byte) (string, string, error) { return "", "", errCP }, "", ErrEncoding},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse([]byte("name: windows(r), professional edition\r\nlicense status: licensed\r\n"), Options{Decode: tc.dec})
			if res == nil || !errors.Is(err, tc.err) || res.Encoding != tc.enc {
				t.Fatalf("got %v, %v; want encoding %q and %v", res, err, tc.enc, tc.err)
			}
			if tc.err != nil && !errors.Is(err, errCP) {
				t.Errorf("got %v, want it to wrap the decoder's error", err)
			}
		})
	}
}

// TestWithEnglish: the precompiled English matchers merge with a
// language's in the order one compilation of both would give.
func TestWithEnglish(t *testing.T) {
	ja, err := ParseStrings([]byte(jaStrings), "0411")
	if err != nil {
		t.Fatal(err)
	}
	want := matchers(ja, English())
	got := withEnglish([]*Strings{ja})
	if len(got) != len(want) {
		t.Fatalf("got %d matchers, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i].key != want[i].key || got[i].re.String() != want[i].re.String() {
			t.Fatalf("matcher %d: got %s %s, want %s %s", i, got[i].key, got[i].re, want[i].key, want[i].re)
		}
	}
}

// TestManyBlocks: merging compares every block with those kept before
// it; a text of 10,000 one-line blocks is read for its first maxBlocks,
// and says so.
func TestManyBlocks(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&b, "Name: P%d\n", i)
	}
	res, err := Parse([]byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Products) != maxBlocks || res.Products[maxBlocks-1].Name != fmt.Sprintf("P%d", maxBlocks-1) {
		t.Errorf("%d products, want the first %d", len(res.Products), maxBlocks)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), "10000 product blocks") {
		t.Errorf("no note says blocks were left: %q", res.Notes)
	}
}

// TestManyBlocksXpr: the blocks after the first maxBlocks are not kept
// (each takes the place of the one before in a last slot), but a text
// is /xpr output only if none of its blocks, kept or not, has a fact
// /xpr does not print: here a description in block maxBlocks+5.
func TestManyBlocksXpr(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxBlocks+10; i++ {
		if i == maxBlocks+5 {
			b.WriteString("Name: Windows(R), Enterprise edition\nDescription: Windows(R) Operating System, RETAIL channel\n")
			continue
		}
		fmt.Fprintf(&b, "Windows(R), Edition%d edition:\n    The machine is permanently activated.\n\n", i)
	}
	res, err := Parse([]byte(b.String()), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != FormatSlmgr || len(res.Products) != maxBlocks {
		t.Errorf("got format %s and %d products, want %s and %d", res.Format, len(res.Products), FormatSlmgr, maxBlocks)
	}
	if !strings.Contains(strings.Join(res.Notes, "\n"), fmt.Sprintf("%d product blocks", maxBlocks+10)) {
		t.Errorf("no note says blocks were left: %q", res.Notes)
	}
}

// TestManyLines: a text is read for its first maxLines lines, a run of
// blank lines counting as one, and a note says where reading stopped.
// Each line read costs a Line in every pass and the parsers' time: 2 Mi
// lines allocated 1 GB and took 6 s. A product after them is not read.
func TestManyLines(t *testing.T) {
	var b strings.Builder
	for i := 0; i < maxLines; i++ {
		b.WriteString("x\n\n\n")
	}
	b.WriteString(win7dlv)
	res, err := Parse([]byte(b.String()), Options{})
	if !errors.Is(err, ErrNoProducts) {
		t.Fatalf("got %v %+v, want ErrNoProducts", err, res.Products)
	}
	// The last line read is the blank line after x number maxLines/2.
	want := fmt.Sprintf("only lines 1 to %d of %d were read", 3*maxLines/2-1, 3*maxLines+strings.Count(win7dlv, "\n"))
	if len(res.Notes) == 0 || !strings.HasPrefix(res.Notes[0], want) {
		t.Errorf("got notes %q, want one that begins %q", res.Notes, want)
	}
	// Blank lines after the last line read are no lines left unread.
	res, err = Parse([]byte(strings.Repeat("x\n", maxLines)+strings.Repeat("\n", maxLines)), Options{})
	if len(res.Notes) != 0 {
		t.Errorf("got notes %q, want none", res.Notes)
	}
}

// TestLongRuns: a text of many lines that each continue the one before
// (80-column lines the console would have wrapped, an ospp ERROR
// DESCRIPTION running on) is read in time linear in its length. Joined
// without a bound, each line copied and searched all of the value joined
// so far: a 4 MB text given to import-text took over an hour. No value
// is stored longer than licensing.MaxString, so nothing longer is read.
func TestLongRuns(t *testing.T) {
	wrapped := "Name: Windows(R), Professional edition\r\nLicense Status: Licensed\r\n" +
		strings.Repeat(strings.Repeat("x", 80)+"\r\n", 1500)
	desc := "---Processing--------------------------\r\nSKU ID: 2d0882e7-a4e7-423b-8ccc-70d91e0158b1\r\n" +
		"LICENSE NAME: Office 19, Office19ProPlus2019VL_KMS_Client_AE edition\r\nERROR CODE: 0xC004F056\r\n" +
		"ERROR DESCRIPTION: The Software Licensing Service reported that the product could not be activated\r\n" +
		strings.Repeat("using a Key Management Service (KMS).\r\n", 10000) + "---Exiting-----------------------------\r\n"
	tests := []struct{ name, text string }{
		{"80-column lines", wrapped},
		{"ospp error description", desc},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse([]byte(tc.text), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Products) != 1 {
				t.Fatalf("got %d products, want 1", len(res.Products))
			}
			// Reading stops within a line of licensing.MaxString, which
			// licensing then cuts to.
			const most = licensing.MaxString + 80
			if n := len(res.Products[0].ReasonText); n > most {
				t.Errorf("got a reason of %d bytes, want at most %d", n, most)
			}
			for _, u := range res.Unknown {
				if len(u.Text) > most {
					t.Fatalf("got an unknown line %d of %d bytes, want at most %d", u.N, len(u.Text), most)
				}
			}
		})
	}
}

// TestJoinedLines: a paste whose line breaks were all lost (here
// beginning with the cscript banner) is not dropped as the banner nor
// read as an /ato error from the code in its middle: ospp's output is
// split back into its lines at its labels and read, with a note that
// says so; a line of slmgr's labels is reported as not understood,
// with a note that says why, and the output beside it is read.
func TestJoinedLines(t *testing.T) {
	text := "Microsoft (R) Windows Script Host Version 5.812Copyright (C) Microsoft Corporation. All rights reserved." +
		"---Processing--------------------------SKU ID: 0ff1ce15-a989-479d-af46-f275c6370663" +
		"LICENSE NAME: Office 15, OfficeProPlusVL_KMS_Client editionLICENSE STATUS:  ---LICENSED---" +
		"Last 5 characters of installed product key: GVGXT---Exiting-----------------------------\n"
	res, err := Parse([]byte(text), Options{})
	if err != nil || len(res.Products) != 1 || res.Products[0].PartialKey != "GVGXT" || res.Products[0].StatusReason != 0 ||
		res.Products[0].Status != licensing.StatusLicensed || res.Products[0].Name != "Office 15, OfficeProPlusVL_KMS_Client edition" {
		t.Fatalf("got %v %+v, want the licensed Office 15", err, res.Products)
	}
	if len(res.Unknown) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "line breaks were lost") {
		t.Errorf("got unknown %+v, notes %q, want a note that line 1 was split", res.Unknown, res.Notes)
	}
	// slmgr's English output run on is split back at its labels too
	// (TestSlmgrRunOn); a line of prose that holds two of them is still
	// set aside.
	slmgrJoined := "Name: Windows(R), Professional editionDescription: Windows(R) Operating System, RETAIL channel" +
		"Partial Product Key: 3V66TLicense Status: Licensed\n"
	res, err = Parse([]byte(slmgrJoined), Options{})
	if err != nil || len(res.Products) != 1 || res.Products[0].PartialKey != "3V66T" || res.Products[0].Status != licensing.StatusLicensed ||
		res.Products[0].Channel != licensing.ChannelRetail {
		t.Fatalf("got %v %+v, want the licensed Windows Professional", err, res.Products)
	}
	if len(res.Unknown) != 0 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "line 1 holds 4 lines of slmgr output") {
		t.Errorf("got unknown %+v, notes %q, want a note that line 1 was split", res.Unknown, res.Notes)
	}
	prose := "if it fails, see the Partial Product Key: and License Status: lines\n"
	res, err = Parse([]byte(prose), Options{})
	if !errors.Is(err, ErrNoProducts) || len(res.Unknown) != 1 || len(res.Notes) != 1 || !strings.Contains(res.Notes[0], "line breaks were lost") {
		t.Errorf("prose: got %v, unknown %+v, notes %q, want ErrNoProducts and the line set aside", err, res.Unknown, res.Notes)
	}
	// slmgr's KMS client block prints three labels that ospp prints
	// too (KMS machine name from DNS:, KMS machine IP address:, DNS
	// auto-discovery:): run on with slmgr's own, they are read as
	// slmgr's KMS lines, not as a product of no name whose KMS address
	// runs on into the next labels.
	kmsJoined := "Name: Windows(R), Enterprise editionDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel" +
		"Partial Product Key: NPPR9License Status: NotificationKey Management Service client information" +
		"    Client Machine ID (CMID): 2f2b1b9f-1111-2222-3333-444455556666" +
		"    KMS machine name from DNS: kms.corp.example:1688    KMS machine IP address: 10.1.2.3" +
		"    KMS machine extended PID: 06401-00206-491-411285-03-1031-9600.0000-0802017    Activation interval: 120 minutes\n"
	res, err = Parse([]byte(kmsJoined), Options{})
	if err != nil || len(res.Products) != 1 || len(res.Unknown) != 0 {
		t.Fatalf("slmgr's KMS block run on: got %v %+v, unknown %+v, want one product", err, res.Products, res.Unknown)
	}
	if p := res.Products[0]; p.Name != "Windows(R), Enterprise edition" || p.Status != licensing.StatusNotification || p.PartialKey != "NPPR9" ||
		p.KMS == nil || p.KMS.DiscoveredHost != "kms.corp.example" || p.KMS.DiscoveredPort != 1688 || p.KMS.DiscoveredIP != "10.1.2.3" ||
		p.KMS.ActivationInterval == nil || *p.KMS.ActivationInterval != 120 {
		t.Errorf("slmgr's KMS block run on: got %+v KMS %+v", p, p.KMS)
	}
	// Beside the same output with its line breaks, one product.
	res, err = Parse([]byte(slmgrJoined+"Name: Windows(R), Professional edition\nDescription: Windows(R) Operating System, RETAIL channel\n"+
		"Partial Product Key: 3V66T\nLicense Status: Licensed\n"), Options{})
	if err != nil || len(res.Products) != 1 || res.Products[0].PartialKey != "3V66T" || res.Products[0].StatusReason != 0 || len(res.Unknown) != 0 {
		t.Errorf("got %v %+v, unknown %+v", err, res.Products, res.Unknown)
	}
	for _, banner := range []string{
		"Microsoft (R) Windows Script Host Version 5.812",
		"Copyright (C) Microsoft Corporation. All rights reserved.",
		"Microsoft (R) Windows Script Host Version 5.812版权所有(C) Microsoft Corporation。保留所有权利。",
	} {
		if !noise(banner) {
			t.Errorf("%q is the banner", banner)
		}
	}
}

// TestBadEnd: Shift_JIS or UTF-8 text with a stray byte after its last
// line, or cut inside its last character, is still read as such: one bad
// byte at the end made the whole text Windows-1252, and every Japanese
// line (here the status) unreadable.
func TestBadEnd(t *testing.T) {
	ja, err := ParseStrings(toSJIS(t, jaStrings), "0411")
	if err != nil {
		t.Fatal(err)
	}
	utf8Cut := []byte(jaDlv + "通知")
	tests := []struct {
		name string
		data []byte
		enc  string
	}{
		{"shift_jis, a stray byte after the last line", append(toSJIS(t, jaDlv), 0xFF), EncSJIS},
		{"shift_jis, cut inside the last character", append(toSJIS(t, strings.TrimSuffix(jaDlv, "\r\n")), 0x82), EncSJIS},
		{"utf-8, a stray byte after the last line", append([]byte(jaDlv), 0xFF), EncUTF8},
		{"utf-8, cut inside the last character", utf8Cut[:len(utf8Cut)-1], EncUTF8},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse(tc.data, Options{Strings: []*Strings{ja}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Encoding != tc.enc {
				t.Errorf("encoding: got %s, want %s", res.Encoding, tc.enc)
			}
			if len(res.Products) != 1 || res.Products[0].Status != licensing.StatusNotification {
				t.Fatalf("got products %+v, want one in notification", res.Products)
			}
		})
	}
	// A text with an invalid byte before its last line is neither.
	for _, line := range [][]byte{toSJIS(t, "ライセンス\r\n"), []byte("ライセンス\r\n")} {
		if _, enc := Decode(append(append(append([]byte{}, line...), 0xFF, '\r', '\n'), line...)); enc != EncCP1252 {
			t.Errorf("a bad byte before the last line: got %s, want %s", enc, EncCP1252)
		}
	}
}

// TestStringsWithoutPlaceholders: an slmgr.ini whose string lacks the
// placeholder slmgr.vbs puts the number in (a damaged or hand-edited
// file, in a bundle or given to import-text) reads lines without the
// value, and Parse does not panic: it indexed the value the pattern did
// not capture.
func TestStringsWithoutPlaceholders(t *testing.T) {
	for _, key := range []string{
		"L_MsgLicenseStatusVL_1", "L_MsgLicenseStatusTimeRemaining", "L_MsgNotificationErrorReasonOther",
		"L_MsgRemainingWindowsRearmCount", "L_MsgRemainingSkuRearmCount", "L_MsgActivationInterval", "L_MsgRenewalInterval",
	} {
		t.Run(key, func(t *testing.T) {
			s, err := ParseStrings([]byte(key+"=\"Zorglub frobnicated\"\r\n"), "fuzz")
			if err != nil {
				t.Fatal(err)
			}
			res, err := Parse([]byte("Name: Windows(R), Professional edition\r\nZorglub frobnicated\r\nLicense Status: Licensed\r\n"),
				Options{Strings: []*Strings{s}})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Products) != 1 || res.Products[0].Status != licensing.StatusLicensed {
				t.Errorf("got products %+v, want the licensed one", res.Products)
			}
		})
	}
}

// TestUnknownFirst: a text of more lines not understood than
// Result.Unknown keeps gives the first maxUnknown of them, in order,
// and the number of the others, whichever parser read them (ospp's
// lines are read first, here the last of the text). Before, every
// line was kept: 2 Mi of them for a text of 4 MiB.
func TestUnknownFirst(t *testing.T) {
	const n = 3 * maxUnknown / 2 // lines not understood, of each parser
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "slmgr junk %d\n", i)
	}
	b.WriteString("---Processing--------------------------\n")
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "ospp junk %d\n", i)
	}
	b.WriteString("---Exiting-----------------------------\n" + win7dlv)
	res, err := Parse([]byte(b.String()), Options{})
	if err != nil || len(res.Products) != 1 || res.Products[0].PartialKey != "6RH9K" {
		t.Fatalf("got %v %+v, want the product after the lines", err, res.Products)
	}
	if len(res.Unknown) != maxUnknown || res.UnknownOmitted != 2*n-maxUnknown {
		t.Fatalf("got %d unknown lines and %d omitted, want %d and %d", len(res.Unknown), res.UnknownOmitted, maxUnknown, 2*n-maxUnknown)
	}
	for i, u := range res.Unknown {
		if want := fmt.Sprintf("slmgr junk %d", i+1); u.N != i+1 || u.Text != want {
			t.Fatalf("unknown line %d is %d %q, want %d %q", i, u.N, u.Text, i+1, want)
		}
	}
}

// TestLongLine: a line longer than maxLine is not read (the patterns
// scanned all of it, a line of 4 MiB for seconds): it is kept in
// Result.Unknown cut to licensing.MaxString bytes, on a character
// boundary, and a note counts such lines. The lines around it are read.
func TestLongLine(t *testing.T) {
	long := "Error: 0xC004F074 x" + strings.Repeat("é", maxLine) // cut inside an é
	text := win7dlv + long + "\r\n" + long + "\r\nRemaining SKU rearm count: 2\r\n"
	res, err := Parse([]byte(text), Options{})
	if err != nil || len(res.Products) != 1 {
		t.Fatalf("got %v %+v, want one product", err, res.Products)
	}
	p := res.Products[0]
	rearm := -1
	if p.RemainingSKURearm != nil {
		rearm = *p.RemainingSKURearm
	}
	if p.StatusReason != 0 || p.PartialKey != "6RH9K" || rearm != 2 {
		t.Errorf("got reason 0x%08X, key %q, SKU rearm %d: want the lines around the long ones read, and those not", p.StatusReason, p.PartialKey, rearm)
	}
	n := strings.Count(win7dlv, "\n") + 1
	want := cut.Bytes(long, licensing.MaxString)
	if len(res.Unknown) != 2 || res.Unknown[0] != (Line{n, want}) || res.Unknown[1].N != n+1 || len(want) != licensing.MaxString-1 {
		t.Errorf("got unknown %.60q, want lines %d and %d cut to %d bytes", res.Unknown, n, n+1, len(want))
	}
	if note := fmt.Sprintf("2 line(s) longer than %d bytes", maxLine); len(res.Notes) != 1 || !strings.HasPrefix(res.Notes[0], note) {
		t.Errorf("got notes %q, want one that begins %q", res.Notes, note)
	}
}

// TestAnchored: every pattern that begins with ^ is anchored as a whole,
// so that a line that fails it is not tried from every byte on. A ^ in
// each alternative (promptRe, ipRe) left the pattern unanchored: noise
// took half of the time of a text of words.
func TestAnchored(t *testing.T) {
	res := []*regexp.Regexp{promptRe, titleRe, guidRe, epidRe, dateRe, nameRe, versionRe, iidRe, pkeyRe,
		minutesRe, hostPortRe, ipRe, aoDNRe, guidParenRe, iniLine}
	for _, m := range englishMatchers {
		res = append(res, m.re)
	}
	for _, re := range res {
		p, err := syntax.Parse(re.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		prog, err := syntax.Compile(p.Simplify())
		if err != nil {
			t.Fatal(err)
		}
		if prog.StartCond()&syntax.EmptyBeginText == 0 {
			t.Errorf("%s is not anchored as a whole", re)
		}
	}
}

// TestManyJoinedLines: lines whose line breaks were lost get a note
// each up to maxUnknown, then one note for the rest, whether they are
// set aside (slmgr's labels) or split (ospp's); a note for each of
// 32768 such lines cost 4 times a text of 4 MiB of them.
func TestManyJoinedLines(t *testing.T) {
	tests := []struct{ name, line, last string }{
		{"slmgr's labels after words, set aside", "see Partial Product Key: License Status: xxxxxxxxxxxxxxxxxxxxxx\n", "more lines hold the labels of several lines"},
		{"slmgr's labels, split", "Partial Product Key: License Status: xxxxxxxxxxxxxxxxxxxxxxxxxx\n", "more lines of output whose line breaks were lost"},
		{"ospp's labels, split", "SKU ID: LICENSE NAME: xxxxxxxxxxxxxxxxxxxxxxxxxx\n", "more lines of output whose line breaks were lost"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := Parse([]byte(strings.Repeat(tc.line, 3*maxUnknown)), Options{})
			last := fmt.Sprintf("%d %s", 2*maxUnknown, tc.last)
			if len(res.Notes) <= maxUnknown || len(res.Notes) > maxUnknown+3 || !strings.HasPrefix(res.Notes[maxUnknown], last) {
				t.Errorf("got %d notes, want %d and up to two more, the last of the lines beginning %q", len(res.Notes), maxUnknown+1, last)
			}
		})
	}
}

// TestQuoted: output quoted in a reply (an e-mail, a forum post, a chat
// copied into Markdown) has "> " before every line, ">" alone on a blank
// one, ">> " when quoted twice. Every real sample, harvested text and
// constructed output, quoted so, is read as it is unquoted: the same
// products, notes and unknown lines with the same numbers.
func TestQuoted(t *testing.T) {
	paths := allTexts(t)
	quote := func(text, mark string) string {
		lines := strings.Split(text, "\n")
		for i, l := range lines {
			if l == "" {
				lines[i] = strings.TrimSpace(mark)
			} else {
				lines[i] = mark + l
			}
		}
		return strings.Join(lines, "\n")
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		want := golden(Parse([]byte(text), Options{}))
		for _, mark := range []string{"> ", ">> ", "> > ", "  > "} {
			t.Run(filepath.Base(path)+"/"+mark, func(t *testing.T) {
				if got := golden(Parse([]byte(quote(text, mark)), Options{})); !bytes.Equal(got, want) {
					t.Errorf("quoted with %q, read differently; got:\n%s\nwant:\n%s", mark, got, want)
				}
			})
		}
	}
}
