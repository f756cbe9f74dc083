package slmgr

import (
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
