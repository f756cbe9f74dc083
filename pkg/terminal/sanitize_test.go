package terminal

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FA-NG-L2-011", "FA-NG-L2-011"},
		{"名古屋 第2工場\n", "名古屋 第2工場\n"},
		{"a\tb", "a\tb"},
		{"\x1b[2J\x1b[Hrejected 0", `\x1b[2J\x1b[Hrejected 0`},
		{"bell\a and CR\r", `bell\x07 and CR\x0d`},
		{"del\x7f", `del\x7f`},
		{"c1 \u0085 \u009b", `c1 \u0085 \u009b`},
		{"rtl \u202egnp.exe", `rtl \u202egnp.exe`},
		{"zero\u200bwidth", `zero\u200bwidth`},
		{"bad \xff utf8", `bad \xff utf8`},
		// Above U+FFFF: 8 digits, not \ue0100 (U+E010 and a 0).
		{"vs\U000e0100 tag\U000e0041", `vs\U000e0100 tag\U000e0041`},
	}
	for _, tc := range tests {
		if got := Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestEscapeBackslash: a backslash is doubled where what follows it
// would read as an escape, so that no value can forge one: before, a
// host name holding the six characters \u202e was shown as one holding
// U+202E. Each case is written by Escape, Inline and ShowHidden alike
// (controls aside); a Windows path stays as it is.
func TestEscapeBackslash(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"path", `C:\Users\foo\AppData`, `C:\Users\foo\AppData`},
		{"UNC path", `\\?\C:\x\u\U`, `\\?\C:\x\u\U`},
		{"forged backslash-u", `FA-\u202e110-2L`, `FA-\\u202e110-2L`},
		{"real U+202E", "FA-\u202e110-2L", `FA-\u202e110-2L`},
		{"forged backslash-u, upper case", `\u202E`, `\\u202E`},
		{"forged backslash-x", `a\x1b[2J`, `a\\x1b[2J`},
		{"forged backslash-U", `vs\U000e0100`, `vs\\U000e0100`},
		{"too short", `\u202 \x1 \U000e010`, `\u202 \x1 \U000e010`},
		{"not hex", `\u20g2 \xg1 C:\Users\ucaf`, `\u20g2 \xg1 C:\Users\ucaf`},
		{"hex", `C:\Users\ucafe`, `C:\Users\\ucafe`},
		{"at the end", `C:\`, `C:\`},
		{"before a hidden character", "a\\\u202e", `a\\\u202e`},
		{"a run before backslash-u", `a\\u202e`, `a\\\\u202e`},
		{"a run before a hidden character", "a\\\\\u202e", `a\\\\\u202e`},
		{"a run elsewhere", `\\server\share`, `\\server\share`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for name, f := range map[string]func(string) string{"Escape": Escape, "Inline": Inline, "ShowHidden": ShowHidden} {
				if got := f(tc.in); got != tc.want {
					t.Errorf("%s(%q) = %q, want %q", name, tc.in, got, tc.want)
				}
			}
		})
	}
	// Escaped characters of each function's own.
	for _, tc := range []struct {
		name     string
		f        func(string) string
		in, want string
	}{
		{"Escape, ESC", Escape, "a\\\x1b", `a\\\x1b`},
		{"Escape, invalid UTF-8", Escape, "a\\\xff", `a\\\xff`},
		{"Escape, newline", Escape, "a\\\n", "a\\\n"},
		{"Inline, newline", Inline, "a\\\n", `a\\\x0a`},
		{"Inline, forged newline", Inline, `a\x0a`, `a\\x0a`},
		{"ShowHidden, ESC", ShowHidden, "a\\\x1b", "a\\\x1b"},
		{"ShowHidden, invalid UTF-8", ShowHidden, "a\\\xff", "a\\\xff"},
		// Message and Writer leave backslashes: what they are given
		// quotes values as Go does, or holds Inline's escapes.
		{"Message", Message, "rejected E:\\x\u202e.age: member \"\\u202e\"\n", `rejected E:\x\u202e.age: member "\u202e"\x0a`},
		{"Writer", func(s string) string {
			var b bytes.Buffer
			NewWriter(&b).Write([]byte(s))
			return b.String()
		}, "host " + Inline(`\u202e`) + " \u202e\x1b\n", `host \\u202e \u202e\x1b` + "\n"},
	} {
		if got := tc.f(tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}

// TestWriter: a character split across two writes is kept whole, and an
// escape sequence never reaches the writer underneath.
func TestWriter(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	name := []byte("名古屋\x1b[31m")
	for i := range name {
		if n, err := w.Write(name[i : i+1]); n != 1 || err != nil {
			t.Fatalf("Write: %d, %v", n, err)
		}
	}
	if got := out.String(); got != `名古屋\x1b[31m` || strings.ContainsRune(got, 0x1b) {
		t.Errorf("got %q", got)
	}
	if IsTerminal(w) {
		t.Error("a buffer is a terminal")
	}
}

func TestInline(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FA-NG-L2-011", "FA-NG-L2-011"},
		{"名古屋 第2工場\n", `名古屋 第2工場\x0a`},
		{"a\tb", `a\x09b`},
		{"\nNagoya  L1  NG-L1-001  ok", `\x0aNagoya  L1  NG-L1-001  ok`},
		{"\x1b[2J\r\n", `\x1b[2J\x0d\x0a`},
		{"bad \xff utf8\n", `bad \xff utf8\x0a`},
	}
	for _, tc := range tests {
		if got := Inline(tc.in); got != tc.want {
			t.Errorf("Inline(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestShowHidden: the characters that reorder or hide text are shown as
// Escape shows them; controls, newlines and invalid UTF-8 are left for
// the format's own escaper.
func TestShowHidden(t *testing.T) {
	tests := []struct{ in, want string }{
		{"FA-NG-L2-011", "FA-NG-L2-011"},
		{"名古屋 第2工場", "名古屋 第2工場"},
		{"FA-\u202e110-2L", `FA-\u202e110-2L`},
		{"\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d", `\u2066\u2067\u2068\u2069\u202a\u202b\u202c\u202d`},
		{"lrm\u200e rlm\u200f alm\u061c", `lrm\u200e rlm\u200f alm\u061c`},
		{"zero\u200bwidth soft\u00adhyphen \ufeff", `zero\u200bwidth soft\u00adhyphen \ufeff`},
		{"ls\u2028ps\u2029", `ls\u2028ps\u2029`},
		{"a\tb\r\n\x1b", "a\tb\r\n\x1b"},
		{"bad \xff \u202e", "bad \xff \\u202e"},
		{"forged \\u202e, real \u202e", `forged \\u202e, real \u202e`},
		// Blank, or nothing at all, where they are shown: a host name
		// "NG\u3164L1" looks like "NG L1", "NG-L1\ufe0f" like "NG-L1".
		{"hangul \u115f\u1160\u3164\uffa0", `hangul \u115f\u1160\u3164\uffa0`},
		{"braille\u2800blank", `braille\u2800blank`},
		{"vs\ufe00\ufe0f \U000e0100\U000e01ef", `vs\ufe00\ufe0f \U000e0100\U000e01ef`},
		{"cgj\u034f mongolian\u180b\u180f khmer\u17b4\u17b5", `cgj\u034f mongolian\u180b\u180f khmer\u17b4\u17b5`},
		{"unassigned ignorable\u2065\ufff0\U000e0fff", `unassigned ignorable\u2065\ufff0\U000e0fff`},
		// Seen, so left as they are: spaces (a Japanese name holds
		// U+3000), the letters beside the fillers, full-width text.
		{"名古屋\u3000第2工場 \u00a0\u3163\u3165\uff21\ufe10", "名古屋\u3000第2工場 \u00a0\u3163\u3165\uff21\ufe10"},
	}
	for _, tc := range tests {
		if got := ShowHidden(tc.in); got != tc.want {
			t.Errorf("ShowHidden(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHiddenTable: Hidden is every format character (Cf), the line and
// paragraph separators, every Default_Ignorable_Code_Point and U+2800,
// and nothing else, by this Go's Unicode tables: Default_Ignorable_Code_Point
// is Other_Default_Ignorable_Code_Point + Cf + Variation_Selector, less
// White_Space, U+FFF9-FFFB, U+13430-1343F and the
// Prepended_Concatenation_Mark characters (DerivedCoreProperties.txt),
// which are all format characters and so Hidden all the same. A Go of
// a newer Unicode that adds one fails here until the table has it; one
// of an older Unicode (Go 1.20's 13.0, which builds the collector) has
// not assigned some of the table's yet, which are let be.
func TestHiddenTable(t *testing.T) {
	n := 0
	for r := rune(0); r <= unicode.MaxRune; r++ {
		want := unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029' || r == '\u2800' ||
			unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r) || unicode.Is(unicode.Variation_Selector, r)
		if unicode.Is(unicode.White_Space, r) && !unicode.Is(unicode.Cf, r) && r != '\u2028' && r != '\u2029' {
			want = false
		}
		unassigned := !unicode.In(r, unicode.L, unicode.M, unicode.N, unicode.P, unicode.S, unicode.Z, unicode.C)
		if Hidden(r) && !want && unassigned && unicode.Version < "15.0.0" {
			continue
		}
		if Hidden(r) != want {
			t.Errorf("Hidden(%U) = %v, want %v", r, !want, want)
			if n++; n > 20 {
				t.FailNow()
			}
		}
	}
}

// TestHiddenAt: HiddenAt says what decoding the first character and
// asking Hidden says, for every code point followed by anything, for
// every code point cut short, and for every lead byte before bytes that
// do not continue it (invalid UTF-8 counts one byte, as ShowHidden
// leaves it).
func TestHiddenAt(t *testing.T) {
	check := func(s string) {
		t.Helper()
		r, n := utf8.DecodeRuneInString(s)
		h, m := HiddenAt(s)
		if h != Hidden(r) || m != n {
			t.Fatalf("HiddenAt(%q) = %v, %d; want %v, %d", s, h, m, Hidden(r), n)
		}
	}
	var b [utf8.UTFMax]byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		n := utf8.EncodeRune(b[:], r)
		check(string(b[:n]))
		check(string(b[:n]) + "\u3164")
		for cut := 1; cut < n; cut++ {
			check(string(b[:cut]))
			check(string(b[:cut]) + "x\xe3\x85\xa4")
		}
	}
	for c := 0x80; c < 0x100; c++ {
		for _, rest := range []string{"", "\x80", "\x80\x80", "\x85\xa4", "\xa0\x80", "\x80a", "a\x80", "\xc0\x80", "\x80\xc0", "\xff\xff\xff"} {
			check(string([]byte{byte(c)}) + rest)
		}
	}
}

// BenchmarkShowHidden: ShowHidden runs on every cell of a report (a
// 1,000,000-device report has tens of millions): a cell of ASCII, of
// Japanese, with Latin-1 and European text, and one holding a hidden
// character.
func BenchmarkShowHidden(b *testing.B) {
	for _, bc := range []struct{ name, s string }{
		{"ascii", "FA-NG-L2-011 Windows 10 IoT Enterprise LTSC 2021 kms01.nagoya.factory"},
		{"japanese", "名古屋 第2工場 検査ライン３ イメージ バックアップを取得 ボリューム ライセンス"},
		{"latin", "Müller Straße Façade Œuvre Ålesund — “Zürich” Łódź"},
		{"hidden", "FA-NG-\u202e110-2L\u200b名古屋"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.s)))
			for i := 0; i < b.N; i++ {
				ShowHidden(bc.s)
			}
		})
	}
}

// TestShownPath: the name in a system's error on a file is shown as
// Inline shows it, the error underneath is the same, and any other error
// is left as it is.
func TestShownPath(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{"a Windows path", `E:\bundles\3f9c.tar.zst.age`, `open E:\bundles\3f9c.tar.zst.age: file does not exist`},
		{"a newline and ESC", "E:\\x\n importer: hint: \x1b[2J", `open E:\x\x0a importer: hint: \x1b[2J: file does not exist`},
		{"the six characters \\u202e", `E:\x\u202e.age`, `open E:\x\\u202e.age: file does not exist`},
		{"U+202E", "E:\\x\u202e.age", `open E:\x\u202e.age: file does not exist`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := ShownPath(&fs.PathError{Op: "open", Path: tc.path, Err: fs.ErrNotExist})
			if got := err.Error(); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			var pe *fs.PathError
			if !errors.Is(err, fs.ErrNotExist) || !errors.As(err, &pe) {
				t.Errorf("%v is no longer a *fs.PathError of fs.ErrNotExist", err)
			}
		})
	}
	other := errors.New("a\nb")
	if ShownPath(other) != other || ShownPath(nil) != nil {
		t.Error("another error, or nil, was changed")
	}
}

// TestParts: a joined error is its parts, a wrapped one too with the
// step before each; anything else is one error, newline or not.
func TestParts(t *testing.T) {
	a, b, c := errors.New("a"), errors.New("b\nc"), errors.New("c")
	tests := []struct {
		name string
		err  error
		want []string
	}{
		{"nil", nil, []string{"<nil>"}},
		{"plain", errors.New("x\ny"), []string{"x\ny"}},
		{"joined", errors.Join(a, nil, b), []string{"a", "b\nc"}},
		{"joined, one part", errors.Join(nil, a), []string{"a"}},
		{"nested", errors.Join(errors.Join(a, c), b), []string{"a", "c", "b\nc"}},
		// A list joined with nothing (errors.Join(err, w.Abort()) when
		// the abort went well) is still its parts.
		{"a list alone", errors.Join(errors.Join(a, c), nil), []string{"a", "c"}},
		{"a list alone, wrapped", fmt.Errorf("step: %w", errors.Join(nil, errors.Join(a, c))), []string{"step: a", "step: c"}},
		{"wrapped", fmt.Errorf("step: %w", errors.Join(a, fmt.Errorf("inner: %w", errors.Join(c, b)))),
			[]string{"step: a", "step: inner: c", "step: inner: b\nc"}},
		{"wrapped before the end", fmt.Errorf("%w (step)", errors.Join(a, c)), []string{"a\nc (step)"}},
		{"two causes in one", fmt.Errorf("%w: %w", a, c), []string{"a: c"}},
		{"its own sentence", &listError{[]error{a, c}}, []string{"a and c"}},
		// A part with no words is no line of its own.
		{"an empty part", errors.Join(a, errors.New("")), []string{"a"}},
		{"an empty part among others", errors.Join(a, errors.New(""), c), []string{"a", "c"}},
		{"an empty part, wrapped", fmt.Errorf("step: %w", errors.Join(errors.New(""), a)), []string{"step: a"}},
		{"only empty parts", errors.Join(errors.New(""), errors.New("")), []string{"\n"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, p := range Parts(tc.err) {
				got = append(got, fmt.Sprint(p))
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	// Each part is still the error underneath.
	parts := Parts(fmt.Errorf("step: %w", errors.Join(a, fs.ErrNotExist)))
	if len(parts) != 2 || !errors.Is(parts[0], a) || !errors.Is(parts[1], fs.ErrNotExist) || errors.Is(parts[0], fs.ErrNotExist) {
		t.Errorf("parts %v do not unwrap to a and fs.ErrNotExist", parts)
	}
}

// listError has parts but says them in a sentence of its own.
type listError struct{ errs []error }

func (e *listError) Error() string   { return e.errs[0].Error() + " and " + e.errs[1].Error() }
func (e *listError) Unwrap() []error { return e.errs }
