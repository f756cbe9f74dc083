package report

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
)

// TestPlanUrgency: a plan row says how many of its products are on
// urgent devices and its first deadline, on the site's page, in the
// workbook's plan sheet and in the JSON summary, in both languages; its
// devices list the urgent ones first, marked, and keep them when the row
// holds more devices than it names. Before, a row was the action and
// its count: an urgent MAK device sat among 60 routine ones, or among
// the ones only counted ("and 12 more").
func TestPlanUrgency(t *testing.T) {
	lines, pools := fleet(t)
	mak := lines[[2]string{"Nagoya", "L1"}]
	var base Device
	for _, d := range mak {
		if d.Asset == "NG-L1-001" {
			base = d
		}
	}
	if base.Verdict.Action.Action != classify.ActionMAK || base.Verdict.Category == classify.Urgent {
		t.Fatalf("NG-L1-001: %s, %s; want a MAK, not urgent", base.Verdict.Action.Action, base.Verdict.Category)
	}
	// 70 routine devices of the MAK row, then an urgent one, due in 3 days.
	var devs []Device
	for i := 0; i < 70; i++ {
		d := base
		d.Asset = "R-" + strconv.Itoa(100+i)
		devs = append(devs, d)
	}
	u := base
	u.Asset = "URGENT-1"
	u.Verdict.Category = classify.Urgent
	u.Verdict.Steps = append([]classify.Step(nil), base.Verdict.Steps...)
	for i := range u.Verdict.Steps {
		if u.Verdict.Steps[i].Action == classify.ActionMAK {
			u.Verdict.Steps[i].Deadline = classify.Deadline{Kind: classify.DeadlineGrace, Date: asOf.AddDate(0, 0, 3), Days: 3}
		}
	}
	devs = append(devs, u)
	for _, tc := range []struct {
		lang                   classify.Lang
		head, due, sheet, more string
	}{
		{classify.English, "<th>Urgent</th><th>First deadline</th>", "2026-11-05 (3 days left)", "Procurement and work plan", "and 11 more"},
		{classify.Japanese, "<th>緊急</th><th>最初の期限</th>", "2026-11-05 (残り 3 日)", "調達・作業計画", "ほか 11 台"},
	} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		w.SetPool("Nagoya", *pools["Nagoya"])
		// Sorted by urgency within the line, so the urgent device comes
		// first there: two lines, the urgent one's last.
		if err := w.Line("Nagoya", "A", devs[:70]); err != nil {
			t.Fatal(err)
		}
		if err := w.Line("Nagoya", "B", devs[70:]); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		page, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "index.html"))
		p := string(page)
		row := `<td class="n">71</td><td class="n due">1</td><td class="nw">` + tc.due + `</td>`
		for _, want := range []string{tc.head, row, `class="due">URGENT-1</a>`, tc.more} {
			if !strings.Contains(p, want) {
				t.Errorf("%s: the site's page lacks %q", tc.lang, want)
			}
		}
		if i, j := strings.Index(p, "URGENT-1"), strings.Index(p, "R-100"); i < 0 || j < 0 || i > j {
			t.Errorf("%s: the urgent device is not listed first (%d, %d)", tc.lang, i, j)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(tc.sheet)
		f.Close()
		if len(rows) < 2 || len(rows[1]) < 7 || rows[1][2] != "71" || rows[1][3] != "1" || rows[1][4] != "2026-11-05" ||
			!strings.HasPrefix(rows[1][6], "URGENT-1, R-100") {
			t.Errorf("%s: workbook plan %q", tc.lang, rows)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "B.json"))
		var doc struct {
			Summary jsonSum `json:"summary"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || len(doc.Summary.Plan) == 0 {
			t.Fatalf("B.json: %v", err)
		}
		if r := doc.Summary.Plan[0]; r.Urgent != 1 || r.Due == nil || r.Due.Date != "2026-11-05" || r.Due.DaysLeft != 3 {
			t.Errorf("%s: B.json plan row %+v", tc.lang, r)
		}
	}
}

// TestPlanRefs: a row full of routine devices still names an urgent one
// that comes after them, in place of the last routine one.
func TestPlanRefs(t *testing.T) {
	var e planEntry
	for i := 0; i < maxRefs+5; i++ {
		e.addRef(devRef{Asset: "r" + strconv.Itoa(i)})
	}
	e.addRef(devRef{Asset: "u", Urgent: true})
	refs := urgentFirst(e.Refs)
	if len(refs) != maxRefs || refs[0].Asset != "u" || refs[1].Asset != "r0" || refs[maxRefs-1].Asset != "r"+strconv.Itoa(maxRefs-2) {
		t.Errorf("got %d refs, %v … %v", len(refs), refs[:2], refs[len(refs)-1])
	}
}
