package sjis

import (
	"bytes"
	"errors"
	"math/rand"
	"testing"

	"golang.org/x/text/encoding/japanese"
)

// TestShiftJIS: the table decoder gives what x/text's decoder gives, for
// every one- and two-byte input, every lead before a third byte, and
// random text.
func TestShiftJIS(t *testing.T) {
	dec := japanese.ShiftJIS.NewDecoder()
	check := func(in []byte) {
		want, err := dec.Bytes(in)
		if err != nil {
			t.Fatalf("x/text % X: %v", in, err)
		}
		got, ok := Decode(in)
		if got != string(want) {
			t.Fatalf("% X: got %q, want %q", in, got, want)
		}
		if v := Valid(in); v != ok {
			t.Fatalf("% X: Valid %v, Decode's ok %v", in, v, ok)
		}
		if s, sok := DecodeString(string(in)); s != got || sok != ok || ValidString(string(in)) != ok {
			t.Fatalf("% X: DecodeString %q %v, ValidString %v; want Decode's %q %v", in, s, sok, ValidString(string(in)), got, ok)
		}
	}
	for a := 0; a < 256; a++ {
		check([]byte{byte(a)})
		for b := 0; b < 256; b++ {
			check([]byte{byte(a), byte(b)})
		}
		check([]byte{byte(a), 0x81, 0x40})
		check([]byte{byte(a), 0xFD, 'A'})
	}
	r := rand.New(rand.NewSource(15))
	for i := 0; i < 20000; i++ {
		in := make([]byte, r.Intn(12))
		r.Read(in)
		check(in)
	}
	if s, ok := Decode([]byte("\x83\x89\x83C\x83Z\x83\x93\x83X")); s != "ライセンス" || !ok {
		t.Errorf("got %q %v", s, ok)
	}
}

func TestEncodeShiftJIS(t *testing.T) {
	for _, s := range []string{"結果: 保存しました。[終了コード 0]", "ｱｲｳ ABC ～①", ""} {
		got, err := Encode(s)
		want, _ := japanese.ShiftJIS.NewEncoder().Bytes([]byte(s))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("Encode(%q) = % X, %v; want % X", s, got, err, want)
		}
	}
	if _, err := Encode("🙂"); !errors.Is(err, ErrNoCode) {
		t.Errorf("an emoji: %v", err)
	}
}
