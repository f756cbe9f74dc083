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
