package classify

import (
	"strings"
	"testing"
)

// asciiLower is the reference the fold helpers are held to: s with its
// ASCII letters in lower case, everything else as it is.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		b[i] = lowerASCII(c)
	}
	return string(b)
}

func TestFold(t *testing.T) {
	for _, tc := range []struct {
		s, sub                   string
		prefix, suffix, contains bool
	}{
		{"Office 14, OfficeProPlus-Retail edition", "office", true, false, true},
		{"Office 14, OfficeProPlus-Retail edition", " edition", false, true, true},
		{"Office 14, OfficeProPlus-Retail EDITION", " edition", false, true, true},
		{"Windows Server 2019 Standard", "server", false, false, true},
		{"Microsoft Windows 7 Professional", "microsoft windows 7 professional", true, true, true},
		{"Offic", "office", false, false, false},
		{"", "", true, true, true},
		{"abc", "", true, true, true},
		{"", "a", false, false, false},
		{"\u212aMS", "kms", false, false, false}, // a Kelvin sign is not a K
		{"Serv\xffer", "server", false, false, false},
		{"ÖFFICE office", "office", false, true, true},
	} {
		if got := hasPrefixFold(tc.s, tc.sub); got != tc.prefix {
			t.Errorf("hasPrefixFold(%q, %q) = %v", tc.s, tc.sub, got)
		}
		if got := hasSuffixFold(tc.s, tc.sub); got != tc.suffix {
			t.Errorf("hasSuffixFold(%q, %q) = %v", tc.s, tc.sub, got)
		}
		if got := containsFold(tc.s, tc.sub); got != tc.contains {
			t.Errorf("containsFold(%q, %q) = %v", tc.s, tc.sub, got)
		}
	}
}

// FuzzFold holds the helpers to strings' functions on the ASCII-lowered
// string.
func FuzzFold(f *testing.F) {
	f.Add("Office 14, OfficeProPlus-Retail edition", "office")
	f.Add("Windows(R), ServerStandard edition", "server")
	f.Fuzz(func(t *testing.T, s, sub string) {
		sub = asciiLower(sub)
		l := asciiLower(s)
		if hasPrefixFold(s, sub) != strings.HasPrefix(l, sub) ||
			hasSuffixFold(s, sub) != strings.HasSuffix(l, sub) ||
			containsFold(s, sub) != strings.Contains(l, sub) {
			t.Fatalf("%q, %q: prefix %v suffix %v contains %v", s, sub, hasPrefixFold(s, sub), hasSuffixFold(s, sub), containsFold(s, sub))
		}
	})
}

func TestParseVersion(t *testing.T) {
	for _, tc := range []struct {
		version, build       string
		major, minor, build2 int
	}{
		{"6.1.7601", "", 6, 1, 7601},
		{" 10.0.19045 ", "", 10, 0, 19045},
		{"10.0.19045.3803", "", 10, 0, 19045},
		{"6.1", "7601", 6, 1, 7601},
		{"6.1", "", 6, 1, 0},
		{"6", "7601", 0, 0, 7601},
		{"6..7601", "", 6, 0, 7601},
		{"", "", 0, 0, 0},
		{"a.b.c", "-5", 0, 0, 0},
		{"6.3.9600", "9601", 6, 3, 9601},
	} {
		major, minor, build := parseVersion(tc.version, tc.build)
		if major != tc.major || minor != tc.minor || build != tc.build2 {
			t.Errorf("parseVersion(%q, %q) = %d, %d, %d, want %d, %d, %d", tc.version, tc.build, major, minor, build, tc.major, tc.minor, tc.build2)
		}
	}
}
