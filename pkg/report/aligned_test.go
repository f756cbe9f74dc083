package report

import (
	"strings"
	"testing"
)

// TestWriteAligned: the tables of devices and show line up their
// columns, and no line ends in spaces, also where a row's last cells
// are empty (a device without an engineer or a note): a diff, a paste
// into a ticket or a script's comparison sees them.
func TestWriteAligned(t *testing.T) {
	for _, tc := range []struct {
		name string
		rows [][]string
		want string
	}{
		{"full", [][]string{{"ASSET", "HOST"}, {"NG-L2-011", "FA-1"}}, "  ASSET      HOST\n  NG-L2-011  FA-1\n"},
		{"last cell empty", [][]string{{"ASSET", "NOTE"}, {"NG-L2-011", ""}}, "  ASSET      NOTE\n  NG-L2-011\n"},
		{"last cells empty", [][]string{{"A", "B", "C"}, {"x", "", ""}}, "  A  B  C\n  x\n"},
		{"wide characters", [][]string{{"資産", "X"}, {"a", ""}}, "  資産  X\n  a\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b strings.Builder
			writeAligned(&b, tc.rows, "  ")
			if got := b.String(); got != tc.want {
				t.Errorf("got\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}
