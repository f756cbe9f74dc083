package slmgr

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
)

// decodeUTF16Ref is DecodeUTF16 by the standard library, the reference.
func decodeUTF16Ref(b []byte, bigEndian bool) string {
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

// TestDecodeUTF16: DecodeUTF16 reads what utf16.Decode reads: pairs,
// lone and reversed surrogates, a surrogate at the end, an odd last byte.
func TestDecodeUTF16(t *testing.T) {
	units := func(u ...uint16) []byte {
		var b []byte
		for _, c := range u {
			b = append(b, byte(c), byte(c>>8))
		}
		return b
	}
	tests := [][]byte{
		nil,
		{0x41},
		units('N', 'a', 'm', 'e', ':', ' ', 0x65E5, 0x672C, 0x00E9, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFD, 0xFFFF),
		units(0xD83D, 0xDE00),         // a pair
		units(0xD83D),                 // a high surrogate at the end
		units(0xD83D, 'x'),            // a lone high surrogate
		units(0xDE00, 0xD83D),         // reversed
		units(0xD83D, 0xD83D, 0xDE00), // a high one twice
		append(units(0xD83D), 0x00),   // then an odd byte
		units(0xDBFF, 0xDFFF, 0xD800, 0xDC00, 0xE000, 0xD7FF),
	}
	for _, b := range tests {
		for _, be := range []bool{false, true} {
			in := b
			if be {
				in = append([]byte{}, b...)
				for i := 0; i+1 < len(in); i += 2 {
					in[i], in[i+1] = in[i+1], in[i]
				}
			}
			if got, want := DecodeUTF16(in, be), decodeUTF16Ref(in, be); got != want {
				t.Errorf("DecodeUTF16(% x, %v) = %q, want %q", in, be, got, want)
			}
		}
	}
}

func FuzzDecodeUTF16(f *testing.F) {
	f.Add([]byte{0x3D, 0xD8, 0x00, 0xDE, 'a', 0}, false)
	f.Add([]byte{0xD8, 0x3D, 0xDE}, true)
	f.Fuzz(func(t *testing.T, b []byte, be bool) {
		if got, want := DecodeUTF16(b, be), decodeUTF16Ref(b, be); got != want {
			t.Fatalf("DecodeUTF16(% x, %v) = %q, want %q", b, be, got, want)
		}
	})
}

// TestLineEnds: cscript's CRLF that went once more through a text-mode
// conversion (a .cmd writing with > after a type, a copy through a
// Windows tool) ends each line with CR CR LF. Every real sample, so
// ended, in UTF-8 and in UTF-16 as cscript //U writes it, is read
// exactly as its CRLF text: the same products, the same unknown lines
// with the same numbers, the same notes. Before, each CR CR LF was two
// line ends: a blank line after every line, so that no line wrapped at
// 80 columns was joined (a /dli's channel and an ospp error description
// were cut).
func TestLineEnds(t *testing.T) {
	for _, path := range samples(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lf := strings.ReplaceAll(string(data), "\r\n", "\n")
		crlf := strings.ReplaceAll(lf, "\n", "\r\n")
		crcrlf := strings.ReplaceAll(lf, "\n", "\r\r\n")
		tests := []struct {
			name       string
			want, data []byte
		}{
			{"utf-8", []byte(crlf), []byte(crcrlf)},
			{"utf-16le", utf16le(crlf, true), utf16le(crcrlf, true)},
		}
		for _, tc := range tests {
			t.Run(filepath.Base(path)+"/"+tc.name, func(t *testing.T) {
				want := golden(Parse(tc.want, Options{}))
				res, err := Parse(tc.data, Options{})
				if got := golden(res, err); !bytes.Equal(got, want) {
					t.Errorf("CR CR LF text read differently from CRLF; got:\n%s\nwant:\n%s", got, want)
				}
				if s, ok := withCR(reflect.ValueOf(res)); ok {
					t.Errorf("got %q, want no CR in any value", s)
				}
			})
		}
	}
}

// withCR returns a string inside v that holds a CR: normalize turns every
// line end into LF, so none may be left in a value read from the text.
func withCR(v reflect.Value) (string, bool) {
	switch v.Kind() {
	case reflect.String:
		return v.String(), strings.Contains(v.String(), "\r")
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			return withCR(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if s, ok := withCR(v.Field(i)); ok {
				return s, true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if s, ok := withCR(v.Index(i)); ok {
				return s, true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if s, ok := withCR(it.Value()); ok {
				return s, true
			}
		}
	}
	return "", false
}

// TestLineEndsLone: CRs before an LF are one line end; a CR alone (old
// Mac text) is one each, and a long run of them is read in linear time.
func TestLineEndsLone(t *testing.T) {
	tests := []struct{ in, want string }{
		{"a\r\nb", "a\nb"},
		{"a\r\r\nb", "a\nb"},
		{"a\r\r\r\nb", "a\nb"},
		{"a\rb", "a\nb"},
		{"a\r\rb\r", "a\n\nb\n"},
		{"a\r\r\n\r\nb", "a\n\nb"},
		{"a\n\rb", "a\n\nb"},
	}
	for _, tc := range tests {
		if got := lineEnds(tc.in); got != tc.want {
			t.Errorf("lineEnds(%q): got %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := lineEnds(strings.Repeat("\r", 1<<20)); got != strings.Repeat("\n", 1<<20) {
		t.Errorf("a run of 1 Mi CRs: got %d bytes, want as many LFs", len(got))
	}
}
