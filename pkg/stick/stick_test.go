package stick

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

func TestParse(t *testing.T) {
	sjis, _ := japanese.ShiftJIS.NewEncoder().String("site = 名古屋工場\r\n")
	tests := []struct {
		name string
		in   string
		want *Config
		err  string
	}{
		{"full", "# c\r\nrecipient = age1abc\r\nRecipient = age1def\r\nsite = Nagoya\r\nlines = L1, L2 ,,L3\r\nengineer = E7\r\noutput = out\r\ntimeout = 90s\r\n",
			&Config{Recipients: []string{"age1abc", "age1def"}, Site: "Nagoya", Lines: []string{"L1", "L2", "L3"}, Engineer: "E7", Output: "out", Timeout: 90 * time.Second}, ""},
		{"bom", "\xef\xbb\xbfsite = 名古屋工場\n", &Config{Site: "名古屋工場"}, ""},
		{"shift_jis", sjis, &Config{Site: "名古屋工場"}, ""},
		{"empty", "", &Config{}, ""},
		{"no equals", "site Nagoya", nil, "line 1"},
		{"unknown key", "\nsitee = x", nil, `line 2: unknown key "sitee"`},
		{"bad recipient", "recipient = AGE-SECRET-KEY-1XYZ", nil, "not an age public key"},
		{"identity", "identity = x", nil, "private key must never be on the stick"},
		{"bad timeout", "timeout = soon", nil, "not a duration"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.in))
			if tc.err != "" {
				if !errors.Is(err, ErrSyntax) || !contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	c := &Config{Recipients: []string{"age1x", "age1y"}, Site: "東京", Lines: []string{"A", "B"}, Engineer: "e", Output: "bundles", Timeout: time.Minute}
	got, err := Parse(Marshal(c))
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("recipient = age1abc\nsite = x\nlines = a,b\n"))
	f.Add([]byte("timeout = 2m\r\n# x\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			return
		}
		back, err := Parse(Marshal(c))
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v", err)
		}
		if c.Output == "" {
			c.Output = "bundles"
		}
		if !reflect.DeepEqual(back, c) {
			t.Fatalf("round trip changed %+v to %+v", c, back)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
