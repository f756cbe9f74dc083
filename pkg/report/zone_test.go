package report

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
)

// TestAsOfDay: a report made in Japan (its as-of day starts at 00:00
// JST, its generated time is JST) of a site in New York and one in
// Japan. A deadline due now is the as-of day, without a time, in every
// format; the workbook's as-of is that day; and every page and file
// says the same generated time, where the report was made. Before, the
// New York site's CSV said "2026-11-01 10:00" for now, its JSON and
// workbook the day before the as-of day, and the fleet's page of two
// zones another generated time than the site pages'.
func TestAsOfDay(t *testing.T) {
	jst, est := time.FixedZone("JST", 9*3600), time.FixedZone("EST", -5*3600)
	day := time.Date(2026, 11, 2, 0, 0, 0, 0, jst)
	gen := time.Date(2026, 11, 3, 18, 0, 0, 0, jst)
	lines, pools := fleet(t)
	in := func(d Device, name string, loc *time.Location) Device {
		s := *d.Snapshot
		s.Context.TimeZone = name
		s.Context.Collected = s.Context.Collected.In(loc)
		d.Snapshot, d.CollectedAt = &s, d.CollectedAt.In(loc)
		d.Verdict = classify.Device(&s, day, classify.Site{Pool: *pools[d.Site]})
		return d
	}
	var ny Device
	for _, d := range lines[[2]string{"Nagoya", "L2"}] {
		if d.Asset == "NG-L2-011" {
			ny = in(d, "EST", est)
			ny.Site = "NewYork"
		}
	}
	if ny.Verdict.Deadline.Kind != classify.DeadlineNow {
		t.Fatalf("NG-L2-011 is due %+v, want now", ny.Verdict.Deadline)
	}
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: day, Generated: gen, Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w.SetPool("NewYork", *pools["Nagoya"])
	w.SetPool("Kumamoto", *pools["Kumamoto"])
	if err := w.Line("Kumamoto", "A", []Device{in(lines[[2]string{"Kumamoto", "A"}][0], "JST", jst)}); err != nil {
		t.Fatal(err)
	}
	if err := w.Line("NewYork", "L2", []Device{ny}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// CSV: the deadline column of the device, the end of its product.
	f, _ := os.Open(filepath.Join(dir, "NewYork", "L2.csv"))
	recs, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil || len(recs) != 2 {
		t.Fatalf("L2.csv: %d records, %v", len(recs), err)
	}
	if got := recs[1][5]; got != "2026-11-02" {
		t.Errorf("L2.csv deadline %q, want 2026-11-02", got)
	}
	// JSON: the deadline's date and the ended product's end date.
	b, _ := os.ReadFile(filepath.Join(dir, "NewYork", "L2.json"))
	var doc struct {
		Generated string `json:"generated"`
		Devices   []struct {
			Deadline jsonDeadline `json:"deadline"`
			Products []struct {
				EndDate string `json:"end_date"`
			} `json:"products"`
		} `json:"devices"`
	}
	if err := json.Unmarshal(b, &doc); err != nil || len(doc.Devices) != 1 {
		t.Fatalf("L2.json: %v", err)
	}
	if got := doc.Devices[0].Deadline.Date; got != "2026-11-02" {
		t.Errorf("L2.json deadline date %q, want 2026-11-02", got)
	}
	ends := 0
	for _, p := range doc.Devices[0].Products {
		if p.EndDate != "" {
			ends++
			if p.EndDate != "2026-11-02" {
				t.Errorf("L2.json product end_date %q, want 2026-11-02", p.EndDate)
			}
		}
	}
	if ends == 0 {
		t.Error("L2.json: no product ended")
	}
	// The workbook: the line's deadline and the summary's as-of, as
	// dates of that day.
	x, err := excelize.OpenFile(filepath.Join(dir, "NewYork", "NewYork.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ sheet, cell string }{{"Line L2", "B2"}, {"Overview", "B2"}} {
		raw, _ := x.GetCellValue(c.sheet, c.cell, excelize.Options{RawCellValue: true})
		if shown, _ := x.GetCellValue(c.sheet, c.cell); shown != "2026-11-02" || strings.Contains(raw, ".") {
			t.Errorf("workbook %s!%s shows %q (%s), want the day 2026-11-02", c.sheet, c.cell, shown, raw)
		}
	}
	gsum, _ := x.GetRows("Overview")
	x.Close()
	if len(gsum) < 3 || strings.Join(gsum[2], " ") != "Generated 2026-11-03 18:00 JST (UTC+09:00)" {
		t.Errorf("workbook generated %q", gsum[2])
	}
	// One generated time on every page and JSON file.
	stamp := regexp.MustCompile(`Generated: [^·<]*[A-Z]`)
	for _, page := range []string{"index.html", "NewYork/index.html", "Kumamoto/index.html", "NewYork/L2.html", "Kumamoto/A.html"} {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(page)))
		if got := stamp.FindString(string(b)); got != "Generated: 2026-11-03 18:00 JST" {
			t.Errorf("%s: %q", page, got)
		}
	}
	for _, file := range []string{"devices.json", "NewYork/L2.json", "Kumamoto/A.json"} {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
		var head struct {
			Generated string `json:"generated"`
		}
		if err := json.Unmarshal(b, &head); err != nil || head.Generated != "2026-11-03T18:00:00+09:00" {
			t.Errorf("%s: generated %q, %v", file, head.Generated, err)
		}
	}
}

// TestPlanDeadlineZone: the fleet's plan shows a row's first deadline
// on the day its device's own page does. A fleet of two zones (Nagoya in
// JST, a Kumamoto device moved to New York) has no zone of its own, and
// its plan wrote the first deadline in UTC, unnamed: a KMS activation
// of Nagoya that lapses at 08:00 JST on 2026-11-11 read "2026-11-10" on
// the fleet's page and in devices.json, a day no page of the device
// says.
func TestPlanDeadlineZone(t *testing.T) {
	jst, est := time.FixedZone("JST", 9*3600), time.FixedZone("EST", -5*3600)
	lines, pools := fleet(t)
	at := func(d Device, name string, tm time.Time) Device {
		s := *d.Snapshot
		s.Context.TimeZone, s.Context.Collected = name, tm
		d.Snapshot, d.CollectedAt = &s, tm
		d.Verdict = classify.Device(&s, asOf, classify.Site{Pool: *pools["Nagoya"]})
		return d
	}
	var ins2 Device
	for _, d := range lines[[2]string{"Nagoya", "L3"}] {
		if d.Asset == "NG-L3-INS2" {
			// Collected at 08:00 JST: its 9 days of KMS activation end
			// at 08:00 JST, 23:00 UTC the day before.
			ins2 = at(d, "JST", time.Date(2026, 11, 2, 8, 0, 0, 0, jst))
		}
	}
	if ins2.Verdict.Deadline.Kind != classify.DeadlineKMS {
		t.Fatalf("NG-L3-INS2 is due %+v, want a KMS expiry", ins2.Verdict.Deadline)
	}
	ny := lines[[2]string{"Kumamoto", "A"}][0]
	ny = at(ny, "EST", ny.CollectedAt.In(est))
	ny.Site = "NewYork"
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w.SetPool("Nagoya", *pools["Nagoya"])
	w.SetPool("NewYork", *pools["Kumamoto"])
	if err := w.Line("Nagoya", "L3", []Device{ins2}); err != nil {
		t.Fatal(err)
	}
	if err := w.Line("NewYork", "A", []Device{ny}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	want := "2026-11-11"
	// The device's own page, and each page's plan row of its action.
	row := regexp.MustCompile(`<td class="dl">(\d{4}-\d\d-\d\d) \(`)
	for _, page := range []string{"Nagoya/L3.html", "Nagoya/index.html", "index.html"} {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(page)))
		m := row.FindSubmatch(b)
		if m == nil || string(m[1]) != want {
			t.Errorf("%s: first deadline %q, want %s", page, m, want)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
	var doc struct {
		Devices []struct {
			Deadline jsonDeadline `json:"deadline"`
		} `json:"devices"`
		Summary struct {
			Fleet struct {
				Plan []struct {
					Product string        `json:"product"`
					Due     *jsonDeadline `json:"first_deadline"`
				} `json:"plan"`
			} `json:"fleet"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, d := range doc.Devices {
		if d.Deadline.Kind == classify.DeadlineKMS && d.Deadline.Date != want {
			t.Errorf("devices.json: the device is due %s, want %s", d.Deadline.Date, want)
		}
	}
	kms := 0
	for _, p := range doc.Summary.Fleet.Plan {
		if p.Due != nil && p.Due.Kind == classify.DeadlineKMS {
			kms++
			if p.Due.Date != want || p.Due.Text != want+" (8 days left)" {
				t.Errorf("devices.json: fleet plan %s first deadline %s %q, want %s", p.Product, p.Due.Date, p.Due.Text, want)
			}
		}
	}
	if kms != 1 {
		t.Errorf("devices.json: %d fleet plan rows due by a KMS expiry, want 1", kms)
	}
}

// TestPlanEntryDue: a plan row keeps its earliest deadline with the zone
// of its device; of two at one instant, the one on the earlier day in
// its zone, whichever came first.
func TestPlanEntryDue(t *testing.T) {
	jst, est := time.FixedZone("JST", 9*3600), time.FixedZone("EST", -5*3600)
	at := time.Date(2026, 11, 11, 1, 15, 0, 0, time.UTC) // 10:15 JST, 20:15 EST the day before
	kms := func(d time.Time) classify.Deadline {
		return classify.Deadline{Kind: classify.DeadlineKMS, Date: d, Days: 9}
	}
	type add struct {
		dl classify.Deadline
		z  zone
	}
	inJST, inEST := zoneOf(at.In(jst), "JST"), zoneOf(at.In(est), "EST")
	tests := []struct {
		name string
		adds []add
		want string // the kept deadline's day in its zone
	}{
		{"earlier instant", []add{{kms(at), inJST}, {kms(at.Add(-time.Hour)), inJST}}, "2026-11-11"},
		{"later instant", []add{{kms(at), inEST}, {kms(at.Add(time.Hour)), inJST}}, "2026-11-10"},
		{"one instant, JST first", []add{{kms(at), inJST}, {kms(at), inEST}}, "2026-11-10"},
		{"one instant, EST first", []add{{kms(at), inEST}, {kms(at), inJST}}, "2026-11-10"},
		{"none expires", []add{{classify.Deadline{}, inEST}, {kms(at), inJST}, {classify.Deadline{}, inEST}}, "2026-11-11"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var e planEntry
			for _, a := range tc.adds {
				e.due(a.dl, a.z)
			}
			if got := dueDay(e.Due, e.dueZone).Format("2006-01-02"); got != tc.want {
				t.Errorf("got %s (%s), want %s", got, e.dueZone.name, tc.want)
			}
		})
	}
}
