package slmgr

import (
	"bytes"
	"math/rand"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// bigInputs are texts of 4 MiB that carry nothing, the size of a member
// the collector may keep (an output gone wild) and of what import-text
// reads: blank lines (LF, CRLF, and cscript //U's UTF-16), one line
// without a break (of letters, or a prompt's start with no end), spaces,
// and a real output with blank lines after it;
// short lines that are not blank (a letter, words, a product's name line,
// also as UTF-16), each a line the parsers read and do not understand or
// a block they start, one line of words without a break, and lines
// that each hold two labels (a paste whose line breaks were lost).
func bigInputs(tb testing.TB) []struct {
	name string
	data []byte
} {
	const size = 4 << 20
	sample, err := os.ReadFile("testdata/samples/slmgr/win7-ent-kmsclient-notification-nongenuine-dlv-mskb.txt")
	if err != nil {
		tb.Fatal(err)
	}
	return []struct {
		name string
		data []byte
	}{
		{"blank LF", bytes.Repeat([]byte("\n"), size)},
		{"blank CRLF", bytes.Repeat([]byte("\r\n"), size/2)},
		{"blank UTF-16", utf16le(string(bytes.Repeat([]byte("\r\n"), size/4)), false)},
		{"one long line", bytes.Repeat([]byte("x"), size)},
		{"one long prompt", append([]byte(`C:\`), bytes.Repeat([]byte("x"), size-3)...)},
		{"spaces", bytes.Repeat([]byte(" \n"), size/2)},
		{"sample then blank", append(append([]byte{}, sample...), bytes.Repeat([]byte("\r\n"), size/2)...)},
		{"x LF", bytes.Repeat([]byte("x\n"), size/2)},
		{"x UTF-16", utf16le(string(bytes.Repeat([]byte("x\r\n"), size/6)), false)},
		{"words", randomWords(size, true)},
		{"words UTF-16", utf16le(string(randomWords(size/2, true)), false)},
		{"Name: x", bytes.Repeat([]byte("Name: x\n"), size/8)},
		{"Name: x UTF-16", utf16le(string(bytes.Repeat([]byte("Name: x\r\n"), size/18)), false)},
		{"one long line of words", randomWords(size, false)},
		{"joined labels", bytes.Repeat([]byte("SKU ID: LICENSE NAME: xxxxxxxxxxxxxxxxxxxxxxxxxx\n"), size/50)},
		{"joined slmgr labels", bytes.Repeat([]byte("Partial Product Key: License Status: xxxxxxxxxxxx\n"), size/50)},
		{"lines of a bracket", bytes.Repeat(append([]byte("["), append(bytes.Repeat([]byte("x"), 4000), '\n')...), size/4002)},
		// Lines that begin as a prompt or a path does and hold no ">":
		// slmgr reads each as a label ("C", "PS C") and its value
		// (byShape), which ChannelFromToken copied twice.
		{"lines of a drive", bytes.Repeat(append([]byte(`C:\`), append(bytes.Repeat([]byte("x"), 4000), '\n')...), size/4004)},
		{"lines of a PowerShell prompt", bytes.Repeat(append([]byte(`PS C:\`), append(bytes.Repeat([]byte("x"), 4000), '\n')...), size/4007)},
		{"lines of slmgr labels", bytes.Repeat(append(bytes.Repeat([]byte("Name: x License Status: y Partial Product Key: z "), 80), '\n'), size/3921)},
	}
}

// randomWords returns size bytes of words, English and slmgr's, drawn
// from a fixed seed: lines of one to ten words, or (lines false) one line.
func randomWords(size int, lines bool) []byte {
	words := []string{"the", "license", "status", "of", "Windows(R)", "edition", "key", "product", "a", "is",
		"activation", "channel", "grace", "period", "minutes", "KMS", "host", "error", "0xC004F074", "to"}
	r := rand.New(rand.NewSource(1))
	b := make([]byte, 0, size+16)
	for n := 0; len(b) < size; n++ {
		if n > 0 {
			if lines && r.Intn(10) == 0 {
				b = append(b, '\n')
			} else {
				b = append(b, ' ')
			}
		}
		b = append(b, words[r.Intn(len(words))]...)
	}
	return b[:size]
}

// BenchmarkParseBig parses each big input; with -benchmem, B/op over
// the input's size is the cost this package promises to keep to a few.
func BenchmarkParseBig(b *testing.B) {
	for _, in := range bigInputs(b) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Parse(in.data, Options{})
			}
		})
	}
}

// TestParseBigAllocation: a big text that carries nothing costs memory
// in proportion to its size. Before, each of its lines cost a string
// header in two splits and a numbered line in every pass after: 4 Mi
// blank lines allocated 1.3 GB, which a collector on a 32-bit Windows 7
// with 1 GB of memory could not give.
func TestParseBigAllocation(t *testing.T) {
	const most = 4 // times the input
	for _, in := range bigInputs(t) {
		t.Run(in.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			Parse(in.data, Options{})
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > most*uint64(len(in.data)) {
				t.Errorf("allocated %d bytes for %d of input (%.1f times), want at most %d times",
					got, len(in.data), float64(got)/float64(len(in.data)), most)
			}
		})
	}
}

// bigStrings are slmgr.ini files of 4 MiB that carry nothing, as
// import-text --strings reads them: every big text (bigInputs), lines of
// keys (each a string the parser would compile to a pattern), and one
// key whose value is the whole file.
func bigStrings(tb testing.TB) []struct {
	name string
	data []byte
} {
	const size = 4 << 20
	ins := bigInputs(tb)
	var keys []byte
	for i := 0; len(keys) < size; i++ {
		keys = append(keys, "L_Msg"+strconv.Itoa(i)+"=x\n"...)
	}
	ins = append(ins, struct {
		name string
		data []byte
	}{"keys", keys[:size]}, struct {
		name string
		data []byte
	}{"one long value", append([]byte("L_MsgProductName="), bytes.Repeat([]byte("x "), size/2)...)})
	return ins
}

// BenchmarkParseStringsBig reads each big slmgr.ini, then a real output
// with it, as import-text does.
func BenchmarkParseStringsBig(b *testing.B) {
	for _, in := range bigStrings(b) {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if s, err := ParseStrings(in.data, "0411"); err == nil {
					Parse([]byte(win7dlv), Options{Strings: []*Strings{s}})
				}
			}
		})
	}
}

// TestParseStringsBigAllocation: an slmgr.ini is read as a text is
// (splitLines, maxLine), so a big one that carries nothing costs memory
// in proportion to its size, as a text does (TestParseBigAllocation),
// and the strings it gives are few and short. Before, the whole file was
// split into a string per line: 4 Mi blank lines allocated 64 MiB, 16
// times the input; and each of 0.4 Mi keys was compiled into a pattern.
func TestParseStringsBigAllocation(t *testing.T) {
	const most = 4 // times the input
	for _, in := range bigStrings(t) {
		t.Run(in.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			s, err := ParseStrings(in.data, "0411")
			runtime.ReadMemStats(&after)
			if got := after.TotalAlloc - before.TotalAlloc; got > most*uint64(len(in.data)) {
				t.Errorf("allocated %d bytes for %d of input (%.1f times), want at most %d times",
					got, len(in.data), float64(got)/float64(len(in.data)), most)
			}
			if err != nil {
				return
			}
			if len(s.M) > maxLines {
				t.Errorf("%d strings, want at most maxLines (%d)", len(s.M), maxLines)
			}
			for k, v := range s.M {
				if len(v) > maxLine {
					t.Errorf("%s is %d bytes, want at most maxLine (%d)", k, len(v), maxLine)
				}
			}
		})
	}
}

// BenchmarkParseJapaneseStrings parses Japanese slmgr output with its
// slmgr.ini (jaStrings), as import-text --strings and the collector do:
// a /dlv, the same run on (its line breaks lost), and 1 MiB of short
// Japanese lines made of its words and labels without their colons,
// each a line the run-on splitter passes over byte by byte (most bytes
// of kana begin a label of the set: 0xE3).
func BenchmarkParseJapaneseStrings(b *testing.B) {
	ja, err := ParseStrings([]byte(jaStrings), "0411")
	if err != nil {
		b.Fatal(err)
	}
	words := []string{"ライセンスの状態", "通知", "名前", "説明", "プロダクト キーの一部", "ライセンス認証 ID",
		"アプリケーション", "拡張 PID", "ソフトウェア ライセンス サービスのバージョン", "の", "は", "です"}
	var lines []byte
	for i := 0; len(lines) < 1<<20; i++ {
		lines = append(lines, words[i%len(words)]...)
		if i%7 == 6 {
			lines = append(lines, '\n')
		} else {
			lines = append(lines, ' ')
		}
	}
	opts := Options{Strings: []*Strings{ja}}
	for _, in := range []struct {
		name string
		data []byte
	}{
		{"dlv", []byte(jaDlv)},
		{"dlv run on", []byte(runOnText(jaDlv, ""))},
		{"lines of words", lines},
	} {
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(in.data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Parse(in.data, opts)
			}
		})
	}
}

// BenchmarkParsePromptLines parses 4 MiB of lines of 4 KiB that begin
// as a prompt does and hold no ">", which the prompt pattern matched on
// the whole line read through (promptScope). byShape reads each "C:\…"
// line as a label and its value, and ChannelFromToken copied the value
// twice (ToUpper, the separators replaced), 4.1 times the input in all;
// it reads the value in place now, and the drive's and PowerShell's
// lines are among bigInputs (TestParseBigAllocation).
func BenchmarkParsePromptLines(b *testing.B) {
	const size = 4 << 20
	for _, in := range []struct{ name, head string }{
		{"drive", "C:\\"}, {"PowerShell", "PS C:\\"}, {"provider", "PS Microsoft.PowerShell.Core\\FileSystem::"}, {"bracket", "["},
	} {
		line := in.head + strings.Repeat("x", 4000) + "\n"
		data := []byte(strings.Repeat(line, size/len(line)))
		b.Run(in.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Parse(data, Options{})
			}
		})
	}
}
