package bundle

import (
	"strings"
	"testing"
)

// validNameAsBefore is ValidName as it was written before it went
// without a list of segments and an upper-cased copy of each: the
// reference FuzzValidName holds it to.
func validNameAsBefore(name string) bool {
	if name == "" || len(name) > maxNameLen {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		base, _, _ := strings.Cut(strings.ToUpper(seg), ".")
		device := false
		switch base {
		case "CON", "PRN", "AUX", "NUL":
			device = true
		}
		if len(base) == 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) && base[3] >= '0' && base[3] <= '9' {
			device = true
		}
		if seg == "" || seg == "." || seg == ".." || strings.HasSuffix(seg, ".") || device {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			ok := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
				c == '.' || c == '_' || c == '-'
			if !ok {
				return false
			}
		}
	}
	return true
}

var nameCases = []struct {
	name string
	want bool
}{
	{"device.json", true},
	{"raw/slmgr-dlv.txt", true},
	{"log/collect_2026-11-02.log", true},
	{"a/b/c", true},
	{"", false},
	{"/raw", false},
	{"raw/", false},
	{"raw//x", false},
	{".", false},
	{"..", false},
	{"raw/../x", false},
	{"raw/./x", false},
	{"x.", false},
	{"raw/x.txt.", false},
	{"raw\\x", false},
	{"raw/x y", false},
	{"raw/\u00e9", false},
	{"CON", false},
	{"con.txt", false},
	{"raw/Aux.log", false},
	{"nUl", false},
	{"prn.a.b", false},
	{"COM1", false},
	{"lpt9.txt", false},
	{"raw/com0", false},
	{"COM", true},
	{"COM10", true},
	{"LPTX", true},
	{"CONSOLE", true},
	{"xcon", true},
	{"con_1", true},
	{"c\u0131n", false}, // dotless i: not ASCII
	{strings.Repeat("a", maxNameLen), true},
	{strings.Repeat("a", maxNameLen+1), false},
}

// TestValidName: member names as SPEC.md ("Member names") allows them.
func TestValidName(t *testing.T) {
	for _, tc := range nameCases {
		if got := ValidName(tc.name); got != tc.want {
			t.Errorf("ValidName(%q) = %v, want %v", tc.name, got, tc.want)
		}
		if got := validNameAsBefore(tc.name); got != tc.want {
			t.Errorf("validNameAsBefore(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// FuzzValidName: ValidName decides as it did before, whatever the name.
func FuzzValidName(f *testing.F) {
	for _, tc := range nameCases {
		f.Add(tc.name)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if got, want := ValidName(name), validNameAsBefore(name); got != want {
			t.Fatalf("ValidName(%q) = %v, before %v", name, got, want)
		}
	})
}

// BenchmarkValidName checks the names of a typical bundle's members.
func BenchmarkValidName(b *testing.B) {
	names := []string{"device.json", "raw/slmgr-dlv.txt", "raw/ospp-dstatus.txt", "log/collect.log"}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		for _, n := range names {
			ValidName(n)
		}
	}
}
