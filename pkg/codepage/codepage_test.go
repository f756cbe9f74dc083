package codepage

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Texts written for the tests in the shape of console output of each
// language (labels as the machines print them where known, see
// pkg/slmgr/SOURCES.md; banners from shared/samples).
const (
	zhCN = "Microsoft (R) Windows Script Host Version 5.812\n版权所有(C) Microsoft Corporation。保留所有权利。\n\n" +
		"名称: Windows(R), Enterprise edition\n描述: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n" +
		"部分产品密钥: 2YT43\n许可证状态: 已授权\n批量激活过期: 200000 分钟 (139 天)\n"
	// zhPlain holds none of the words of the word lists: statistics decide.
	zhPlain = "名称: Windows(R), Enterprise edition\n剩余 Windows 重置计数: 1001\n信任时间: 2021/3/1 9:00:00\n已配置的激活类型: 全部\n最新激活信息\n"
	zhTW    = "名稱: Windows(R), Professional edition\n描述: Windows(R) Operating System, RETAIL channel\n部分產品金鑰: 3V66T\n授權狀態: 已授權\n"
	koKR    = "Microsoft (R) Windows Script Host 버전 5.7\n\n이름: Windows(R), Professional edition\n설명: Windows(R) Operating System, RETAIL channel\n" +
		"부분 제품 키: 3V66T\n라이선스 상태: 사용 허가됨\n"
	jaJP = "名前: Windows(R) 7, Professional edition\n説明: Windows Operating System - Windows(R) 7, OEM_SLP channel\n" +
		"プロダクト キーの一部: 22TKD\nライセンスの状態: ライセンスされています\n"
	ruRU = "Сервер сценариев Windows (Microsoft R) версия 5.812\nCopyright (C) Корпорация Майкрософт 1996-2006, все права защищены.\n\n" +
		"Имя: Windows(R), Professional edition\nСостояние лицензии: имеет лицензию\n"
	plPL = "Host skryptów systemu Windows firmy Microsoft (R) wersja 5.812\nCopyright (C) Microsoft Corporation. Wszelkie prawa zastrzeżone.\n"
	deDE = "Name: Windows(R), Professional edition\nLizenzstatus: Lizenziert\nGerät: Prüfstand, Größe über 5\n"
	frFR = "Copyright (C) Microsoft Corporation. Tous droits réservés.\nNom : Windows(R), Professional edition\n"
)

func enc(t testing.TB, e encoding.Encoding, s string) []byte {
	b, err := e.NewEncoder().Bytes([]byte(strings.ReplaceAll(s, "\n", "\r\n")))
	if err != nil {
		t.Fatalf("encode: %v", err)
	}
	return b
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		text string
		want string
	}{
		{"GBK with CRLF", enc(t, simplifiedchinese.GBK, zhCN), zhCN, "gb18030"},
		{"GBK without known words", enc(t, simplifiedchinese.GBK, zhPlain), zhPlain, "gb18030"},
		{"Big5", enc(t, traditionalchinese.Big5, zhTW), zhTW, "big5"},
		{"EUC-KR", enc(t, korean.EUCKR, koKR), koKR, "euc-kr"},
		{"Shift_JIS", enc(t, japanese.ShiftJIS, jaJP), jaJP, "shift_jis"},
		{"Windows-1251", enc(t, charmap.Windows1251, ruRU), ruRU, "windows-1251"},
		{"OEM 866 (a Russian console)", enc(t, charmap.CodePage866, ruRU), ruRU, "cp866"},
		{"Windows-1250", enc(t, charmap.Windows1250, plPL), plPL, "windows-1250"},
		{"OEM 852 (a Polish console)", enc(t, charmap.CodePage852, plPL), plPL, "cp852"},
		{"Windows-1252 German", enc(t, charmap.Windows1252, deDE), deDE, "windows-1252"},
		{"OEM 850 German", enc(t, charmap.CodePage850, deDE), deDE, "cp850"},
		{"Windows-1252 French", enc(t, charmap.Windows1252, frFR), frFR, "windows-1252"},
		{"UTF-16LE without BOM", utf16le(zhCN), zhCN, UTF16LE},
		{"UTF-8", []byte(zhCN), zhCN, UTF8},
		// A stray byte after the last line, or a file cut inside its last
		// character, spoils the last line only: as pkg/slmgr's own
		// decoder, the text is still read in its code page, the bad bytes
		// as U+FFFD (every page refused it, and a single-byte one read
		// every Japanese line as mojibake).
		{"Shift_JIS, a stray byte at the end", append(enc(t, japanese.ShiftJIS, jaJP), 0x82), jaJP + "\uFFFD", "shift_jis"},
		{"Shift_JIS, cut in its last character", append(enc(t, japanese.ShiftJIS, jaJP), enc(t, japanese.ShiftJIS, "名")[0]), jaJP + "\uFFFD", "shift_jis"},
		{"GBK, a stray byte at the end", append(enc(t, simplifiedchinese.GBK, zhCN), 0x81), zhCN + "\uFFFD", "gb18030"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			text, got, err := Decode(tc.data, "")
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if strings.ReplaceAll(text, "\r\n", "\n") != tc.text {
				t.Errorf("got text %q, want %q", text, tc.text)
			}
		})
	}
}

func TestUnsure(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		want string // a candidate the error must name
	}{
		{"one character: GBK 版 or Windows-1252 °æ", []byte("Name: \xB0\xE6\r\n"), "936 (gb18030)"},
		{"GBK or Big5 punctuation only", []byte("\xA1\xA1\xA1\xA2\xA1\xA3\xA1\xA4\xA1\xA5"), "936 (gb18030)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := Decode(tc.data, "")
			var ue *UnsureError
			if !errors.Is(err, ErrUnsure) || !errors.As(err, &ue) {
				t.Fatalf("got %v, want an UnsureError", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got %q, want it to name %s", err, tc.want)
			}
		})
	}
}

func TestOverride(t *testing.T) {
	gbk := enc(t, simplifiedchinese.GBK, zhCN)
	tests := []struct {
		override string
		want     string
		err      error
	}{
		{"936", "gb18030", nil},
		{"GBK", "gb18030", nil},
		{"cp936", "gb18030", nil},
		{"1252", "windows-1252", nil},
		{"windows-1251", "windows-1251", nil},
		{"949", "euc-kr", nil},
		{"utf-16le", UTF16LE, nil},
		{"65001", UTF8, nil},
		{"9999", "", ErrUnknown},
	}
	for _, tc := range tests {
		t.Run(tc.override, func(t *testing.T) {
			text, got, err := Decode(gbk, tc.override)
			if !errors.Is(err, tc.err) || got != tc.want {
				t.Fatalf("got %s, %v; want %s, %v", got, err, tc.want, tc.err)
			}
			if tc.override == "936" && strings.ReplaceAll(text, "\r\n", "\n") != zhCN {
				t.Errorf("text %q", text)
			}
		})
	}
	if d := Decoder("936"); d == nil {
		t.Fatal("Decoder returned nil")
	} else if _, e, err := d(gbk); err != nil || e != "gb18030" {
		t.Errorf("Decoder: %s, %v", e, err)
	}
}

func seeds(t testing.TB) [][]byte {
	files, _ := filepath.Glob(filepath.Join("..", "slmgr", "testdata", "samples", "*", "*.txt"))
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	for _, s := range []string{zhCN, zhTW, koKR, jaJP, ruRU, plPL, deDE} {
		out = append(out, []byte(s))
	}
	for _, e := range []encoding.Encoding{simplifiedchinese.GBK, traditionalchinese.Big5, korean.EUCKR, japanese.ShiftJIS, charmap.Windows1251} {
		for _, s := range []string{zhCN, zhTW, koKR, jaJP, ruRU} {
			if b, err := e.NewEncoder().Bytes([]byte(s)); err == nil {
				out = append(out, b)
			}
		}
	}
	return out
}

// FuzzDecode: saved text is untrusted. Decode either names an encoding
// and gives valid text that the same override reproduces, or says it is
// unsure.
func FuzzDecode(f *testing.F) {
	ss := seeds(f)
	if len(ss) < 10 {
		f.Fatal("no seeds: pkg/slmgr/testdata/samples is empty")
	}
	for _, s := range ss {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		text, name, err := Decode(data, "")
		if err != nil {
			if !errors.Is(err, ErrUnsure) {
				t.Fatalf("error %v is not ErrUnsure", err)
			}
			return
		}
		if !utf8.ValidString(text) {
			t.Fatalf("%s: invalid UTF-8", name)
		}
		again, name2, err := Decode(data, name)
		if err != nil || name2 != name {
			t.Fatalf("override %s: %s, %v", name, name2, err)
		}
		if name != UTF8 && name != UTF16LE && name != UTF16BE && again != text {
			t.Fatalf("override %s decodes differently", name)
		}
	})
}
