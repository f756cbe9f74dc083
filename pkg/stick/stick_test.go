package stick

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/japanese"
)

// Two public keys made with age-keygen for these tests.
const (
	r1 = "age1awy0gu05eesf4hn8g42mg9sgxk0fncsdcwxnxh7rufdk3pj9du2ssx579u"
	r2 = "age153en5hgydcmqfmzrgvcnnezxzyzqjfgdyqntsd9wvfm7lqj3sg9s85l64f"
	// secret is shaped like an identity; no test may see it echoed.
	secret = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ"
)

func TestParse(t *testing.T) {
	sjis, _ := japanese.ShiftJIS.NewEncoder().String("site = 名古屋工場\r\n")
	tests := []struct {
		name string
		in   string
		want *Config
		err  string
	}{
		{"full", "# c\r\nrecipient = " + r1 + "\r\nRecipient = " + r2 + "\r\nsite = Nagoya\r\nlines = L1, L2 ,,L3\r\nengineer = E7\r\noutput = out\r\ntimeout = 90s\r\n",
			&Config{Recipients: []string{r1, r2}, Site: "Nagoya", Lines: []string{"L1", "L2", "L3"}, Engineer: "E7", Output: "out", Timeout: 90 * time.Second}, ""},
		{"any line", "lines = L1\nany_line = yes\n", &Config{Lines: []string{"L1"}, AnyLine: true}, ""},
		{"bad any line", "any_line = maybe", nil, "not yes or no"},
		{"bom", "\xef\xbb\xbfsite = 名古屋工場\n", &Config{Site: "名古屋工場"}, ""},
		{"shift_jis", sjis, &Config{Site: "名古屋工場"}, ""},
		{"empty", "", &Config{}, ""},
		{"nested output", "output = bundles/2026\n", &Config{Output: "bundles/2026"}, ""},
		{"no equals", "site Nagoya", nil, "line 1"},
		{"unknown key", "\nsitee = x", nil, `line 2: unknown key "sitee"`},
		{"bad recipient", "recipient = age1abc", nil, "not an age public key"},
		{"identity as recipient", "recipient = " + secret, nil, "private key"},
		{"identity line", "# key\n" + secret + "\n", nil, "line 2 holds one"},
		{"identity key", "identity = x", nil, "private key"},
		{"bad timeout", "timeout = soon", nil, "not a duration"},
		{"huge timeout", "timeout = 100h", nil, "at most 1h"},
		{"duplicate site", "site = A\nsite = B\n", nil, `line 2: "site" is set again (first on line 1)`},
		{"site with CR", "site = Nagoya\rrecipient = " + r2 + "\n", nil, "control character"},
		{"site with bidi override", "site = Na\u202egoya\n", nil, "control character"},
		{"site too long", "site = " + strings.Repeat("x", MaxValue+1) + "\n", nil, "more than 256"},
		{"output up", "output = ../../x\n", nil, "must be a folder on the stick"},
		{"output absolute", "output = /etc\n", nil, "must be a folder on the stick"},
		{"output drive", `output = C:\Windows` + "\n", nil, "must be a folder on the stick"},
		{"output UNC", `output = \\server\share` + "\n", nil, "must be a folder on the stick"},
		{"output stream", "output = bundles:hidden\n", nil, "must be a folder on the stick"},
		{"output dots", "output = a/.../b\n", nil, "must be a folder on the stick"},
		{"too many lines", "lines = " + strings.Repeat("L,", MaxLines+1) + "\n", nil, "line 1: lines has 65 production lines, more than 64"},
		{"too large", "# " + strings.Repeat("x", MaxFileSize) + "\n", nil, "more than 65536"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Parse([]byte(tc.in))
			if tc.err != "" {
				if !(errors.Is(err, ErrSyntax) || errors.Is(err, ErrPrivateKey)) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got %v, want an error with %q", err, tc.err)
				}
				if strings.Contains(err.Error(), "QQQQ") || len(err.Error()) > 200 {
					t.Errorf("the error echoes the input: %s", err)
				}
				// The collector shows it after "settings file X:": the
				// package's name once, not "stick: bad config: line 2:
				// stick: bad config: …".
				if n := strings.Count(err.Error(), ErrSyntax.Error()) + strings.Count(err.Error(), ErrPrivateKey.Error()); n != 1 {
					t.Errorf("%q says what is wrong %d times, want once", err, n)
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
	c := &Config{Recipients: []string{r1, r2}, Site: "東京", Lines: []string{"A", "B"}, AnyLine: true, Engineer: "e", Output: "bundles", Timeout: time.Minute}
	data, err := Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Parse(data)
	if err != nil || !reflect.DeepEqual(got, c) {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
}

// TestNewConfig: what importer stick is given is checked as the file is:
// a line break in a site name would write a second recipient.
func TestNewConfig(t *testing.T) {
	tests := []struct {
		name                  string
		recipients            []string
		site, lines, engineer string
		want                  error
	}{
		{"good", []string{r1}, "Nagoya", "L1,L2", "E-1", nil},
		{"CRLF in site", []string{r1}, "Nagoya\r\nrecipient = " + r2, "", "", ErrSyntax},
		{"LF in engineer", []string{r1}, "N", "", "E\nrecipient = " + r2, ErrSyntax},
		{"CR in a line", []string{r1}, "N", "L1,L\r2", "", ErrSyntax},
		{"private key", []string{secret}, "N", "", "", ErrPrivateKey},
		{"not a key", []string{"age1nope"}, "N", "", "", ErrSyntax},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewConfig(tc.recipients, tc.site, tc.lines, tc.engineer)
			if !errors.Is(err, tc.want) || (tc.want == nil && err != nil) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if err == nil {
				if data, err := Marshal(c); err != nil || strings.Count(string(data), "recipient =") != 1 {
					t.Fatalf("Marshal: %v\n%s", err, data)
				}
			}
		})
	}
}

func TestFingerprint(t *testing.T) {
	a, b := Fingerprint(r1), Fingerprint(r2)
	if len(a) != 14 || a == b || Fingerprint(" "+r1+"\n") != a {
		t.Fatalf("fingerprints %q %q", a, b)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("recipient = " + r1 + "\nsite = x\nlines = a,b\n"))
	f.Add([]byte("timeout = 2m\r\n# x\r\n"))
	f.Add([]byte("site = a\rb\noutput = ../x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrPrivateKey) {
				t.Fatalf("error %v is not one of ours", err)
			}
			return
		}
		out, err := Marshal(c)
		if err != nil {
			t.Fatalf("Parse accepted what Marshal refuses: %v", err)
		}
		back, err := Parse(out)
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
