package activation

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnmarshalProof(t *testing.T) {
	good := `{"format":"actcourier-activation","version":"1.0","outcomes":[{"item_id":"0123456789abcdef0123456789abcdef",
		"return_id":"00112233445566778899aabbccddeeff","activation_id":"b92e9980-b9d5-4821-9c94-140f632f6312","installation_id":"1",
		"result":"refused","hresult":3221549105,"at":"2026-11-24T10:00:00Z"}]}`
	tests := []struct {
		name, data string
		want       error
	}{
		{"good", good, nil},
		{"minor version", strings.Replace(good, `"1.0"`, `"1.3"`, 1), nil},
		{"not JSON", "{", ErrNotReturn},
		{"another format", strings.Replace(good, "actcourier-activation", "actcourier-return", 1), ErrNotReturn},
		{"version 2", strings.Replace(good, `"1.0"`, `"2.0"`, 1), ErrUnsupportedVersion},
		{"unknown result", strings.Replace(good, `"refused"`, `"maybe"`, 1), ErrInvalid},
		{"item ID not hex", strings.Replace(good, "0123456789abcdef0123456789abcdef", "x", 1), ErrInvalid},
		{"escape in the message", strings.Replace(good, `"result"`, `"message":"\u001b[2J","result"`, 1), ErrInvalid},
		{"over 1 MiB", good + strings.Repeat(" ", MaxReturnSize), ErrTooLarge},
		{"too many outcomes", `{"format":"actcourier-activation","version":"1.0","outcomes":[` +
			strings.TrimSuffix(strings.Repeat("{},", MaxItems+1), ",") + `]}`, ErrTooLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := UnmarshalProof([]byte(tc.data))
			if !errors.Is(err, tc.want) || (err == nil) != (p != nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// FuzzUnmarshalProof: a proof decodes and writes back, or the error is
// one of the sentinels.
func FuzzUnmarshalProof(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "proof", "*.json"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	if len(files) == 0 {
		f.Fatal("no seed in testdata/proof")
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := UnmarshalProof(data)
		if err != nil {
			for _, s := range []error{ErrNotReturn, ErrTooLarge, ErrUnsupportedVersion, ErrInvalid} {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("not a sentinel: %v", err)
		}
		b, err := MarshalProof(p.Outcomes)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := UnmarshalProof(b); err != nil {
			t.Fatalf("does not write back: %v", err)
		}
	})
}
