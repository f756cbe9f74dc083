package report

import (
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestDeviceActionNamesHost: a device's action that names its KMS host
// sets the host apart in an "nm" span, in the device table's row and in
// its section's action line, as the plan and the KMS verdict do:
// printed, a host left in the text broke after "kms-" where it would
// have fitted whole on a line of its own. The host is escaped inside
// its span as any value.
func TestDeviceActionNamesHost(t *testing.T) {
	for _, tc := range []struct{ host, span string }{
		{"kms-a.example", `<span class="nm">kms-a.example</span>`},
		{`kms-<b>"x"</b>&+`, `<span class="nm">kms-&lt;b&gt;&#34;x&#34;&lt;/b&gt;&amp;&#43;</span>`},
	} {
		for _, l := range []classify.Lang{classify.English, classify.Japanese} {
			tx := lang(l)
			st := classify.Step{Action: classify.ActionKMSConnect, Kind: licensing.KindWindows, Product: "Windows(R), EnterpriseS edition", Host: tc.host}
			d := Device{Site: "S", Line: "L", Asset: "A", Hostname: "H", Snapshot: &licensing.Snapshot{},
				Verdict: classify.Verdict{Action: st, Steps: []classify.Step{st}}}
			r := newRow(tx, &d, utc, "d1", "L.html#d1")
			v := newDeviceView(tx, "", &r, utc)
			var row, sec strings.Builder
			deviceRow(&row, &v)
			deviceSection(&sec, &v)
			if !strings.Contains(row.String(), `<td class="act">`) || !strings.Contains(row.String(), tc.span) {
				t.Errorf("%s row: got %q, want the host in %s", l, row.String(), tc.span)
			}
			todo := sec.String()
			if i := strings.Index(todo, `<p class="todo">`); i >= 0 {
				todo = todo[i:]
				todo = todo[:strings.Index(todo, "</p>")]
			}
			if !strings.Contains(todo, tc.span) {
				t.Errorf("%s section's action line: got %q, want the host in %s", l, todo, tc.span)
			}
			checkDeviceHTML(t, &v)
		}
	}
}
