package report

import (
	"encoding/json"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
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
	base := lineDevice(t, lines, "Nagoya", "L1", "NG-L1-001")
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
		row := `<td class="n">71</td><td class="n due">1</td><td class="dl">` + tc.due + `</td>`
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

// planDevice is a copy of d, named asset, with steps, and urgent or not.
func planDevice(d Device, asset string, urgent bool, steps ...classify.Step) Device {
	d.Asset, d.Key = asset, "key-"+asset
	d.Verdict.Steps = steps
	d.Verdict.Category = classify.VolumeLicense
	if urgent {
		d.Verdict.Category = classify.Urgent
	}
	return d
}

// planFleet writes a report of a MAK row where one urgent device has two
// products (A: Windows 7 Professional twice, as a device whose licensing
// platform holds two rows of one product) and an image row of three
// devices: A and B at Nagoya, C (urgent) at Kumamoto. It returns the
// report's folder.
func planFleet(t *testing.T, lang classify.Lang) string {
	t.Helper()
	lines, pools := fleet(t)
	var mak, img Device
	for _, ds := range lines {
		for _, d := range ds {
			switch d.Asset {
			case "NG-L1-001":
				mak = d
			case "KM-A-003":
				img = d
			}
		}
	}
	if len(mak.Verdict.Steps) != 1 || mak.Verdict.Steps[0].Action != classify.ActionMAK ||
		len(img.Verdict.Steps) != 1 || img.Verdict.Steps[0].Action != classify.ActionImage {
		t.Fatalf("NG-L1-001 %+v, KM-A-003 %+v: want one MAK step, one image step", mak.Verdict.Steps, img.Verdict.Steps)
	}
	m, i := mak.Verdict.Steps[0], img.Verdict.Steps[0]
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: lang, AsOf: asOf, Generated: asOf, Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	w.SetPool("Nagoya", *pools["Nagoya"])
	w.SetPool("Kumamoto", *pools["Kumamoto"])
	for _, l := range []struct {
		site string
		devs []Device
	}{
		{"Kumamoto", []Device{planDevice(img, "C", true, i)}},
		{"Nagoya", []Device{planDevice(mak, "A", true, m, m, i), planDevice(mak, "B", false, i)}},
	} {
		if err := w.Line(l.site, "L", l.devs); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// planCells are a page's plan rows as their first five cells' text.
func planCells(t *testing.T, file string) [][]string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	p := string(b)
	if i := strings.Index(p, `<table class="plan">`); i >= 0 {
		p = p[i:]
	}
	if i := strings.Index(p, "</table>"); i >= 0 {
		p = p[:i]
	}
	var out [][]string
	for _, tr := range strings.Split(p, "<tr>")[2:] {
		var cells []string
		for _, td := range strings.Split(tr, "<td")[1:6] {
			td = td[strings.Index(td, ">")+1:]
			cells = append(cells, td[:strings.Index(td, "</td>")])
		}
		out = append(out, cells)
	}
	return out
}

// TestPlanCountsDevices: a plan row's Devices and Urgent count devices,
// as their headings say, on the pages, in the workbook and in the JSON: a
// device with two products in one row (two rows of its licensing
// platform that name one product) is one device, one MAK activation.
// Before, they counted products: the MAK row said 2 devices, 2 urgent,
// "2 MAK activations" for the one device A, and "and N more" counted its
// products too.
func TestPlanCountsDevices(t *testing.T) {
	for _, tc := range []struct {
		lang                       classify.Lang
		mak1, img, siteTot, fleetT string
	}{
		{classify.English, "1 MAK activation", "Take a full image backup", "Total: 1 MAK activation, 2 images", "Total: 1 MAK activation, 3 images"},
		{classify.Japanese, "MAK ライセンス認証 1 回分", "イメージ バックアップを取得", "合計: MAK ライセンス認証 1 回分、イメージ 2 台分", "合計: MAK ライセンス認証 1 回分、イメージ 3 台分"},
	} {
		dir := planFleet(t, tc.lang)
		// Each row: devices, urgent devices.
		site := planCells(t, filepath.Join(dir, "Nagoya", "index.html"))
		if len(site) != 2 || site[0][2] != "1" || site[0][3] != "1" || site[1][0] != tc.img || site[1][2] != "2" || site[1][3] != "1" {
			t.Errorf("%s: Nagoya's plan %q, want 1 device (1 urgent) to MAK, 2 (1 urgent) to image", tc.lang, site)
		}
		fl := planCells(t, filepath.Join(dir, "index.html"))
		if len(fl) != 2 || fl[0][2] != "1" || fl[0][3] != "1" || fl[1][2] != "3" || fl[1][3] != "2" {
			t.Errorf("%s: the fleet's plan %q, want 1 device (1 urgent) to MAK, 3 (2 urgent) to image", tc.lang, fl)
		}
		for file, want := range map[string][]string{
			filepath.Join(dir, "Nagoya", "index.html"): {`<td class="nw">` + tc.mak1 + `</td>`, tc.siteTot},
			filepath.Join(dir, "index.html"):           {`<td class="nw">` + tc.mak1 + `</td>`, tc.fleetT},
		} {
			b, _ := os.ReadFile(file)
			for _, s := range want {
				if !strings.Contains(string(b), s) {
					t.Errorf("%s: %s lacks %q", tc.lang, file, s)
				}
			}
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		sheets := f.GetSheetList()
		rows, _ := f.GetRows(sheets[len(sheets)-1])
		f.Close()
		if len(rows) < 3 || rows[1][2] != "1" || rows[1][3] != "1" || rows[1][5] != tc.mak1 || rows[2][2] != "2" || rows[2][3] != "1" {
			t.Errorf("%s: workbook plan %q", tc.lang, rows)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
		var doc struct {
			Summary struct {
				Fleet jsonSum `json:"fleet"`
				Sites []struct {
					Sum jsonSum `json:"summary"`
				} `json:"sites"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || len(doc.Summary.Sites) != 2 {
			t.Fatalf("devices.json: %v", err)
		}
		for _, s := range []struct {
			name                  string
			sum                   jsonSum
			makN, imgN, imgUrgent int
		}{{"fleet", doc.Summary.Fleet, 1, 3, 2}, {"Nagoya", doc.Summary.Sites[1].Sum, 1, 2, 1}} {
			p := s.sum.Plan
			if len(p) != 2 || p[0].Devices != s.makN || p[0].Urgent != 1 || p[0].Purchase != tc.mak1 ||
				p[1].Devices != s.imgN || p[1].Urgent != s.imgUrgent {
				t.Errorf("%s: %s's JSON plan %+v", tc.lang, s.name, p)
			}
		}
	}
}

// TestPlanImagesPerDevice: the plan's totals count an image a device,
// as an image backup keeps the whole installation: a device whose
// Windows and Office are each to be kept by one (two rows) is one image.
// Before, the totals added the image rows up and said 2 images.
func TestPlanImagesPerDevice(t *testing.T) {
	lines, pools := fleet(t)
	img := lineDevice(t, lines, "Kumamoto", "A", "KM-A-003")
	if len(img.Verdict.Steps) != 1 || img.Verdict.Steps[0].Action != classify.ActionImage {
		t.Fatalf("KM-A-003 %+v: want one image step", img.Verdict.Steps)
	}
	win := img.Verdict.Steps[0]
	office := win
	office.Kind, office.Product = licensing.KindOffice, "Office 14, OfficeHomeBusiness-Retail edition"
	office.Name = classify.Name{Release: "Office 2010", Family: "Office", Edition: "Home and Business"}
	for _, tc := range []struct {
		lang classify.Lang
		want string
	}{{classify.English, "Total: 2 images"}, {classify.Japanese, "合計: イメージ 2 台分"}} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		w.SetPool("Kumamoto", *pools["Kumamoto"])
		if err := w.Line("Kumamoto", "A", []Device{planDevice(img, "D", false, win, office), planDevice(img, "E", false, office)}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{filepath.Join(dir, "index.html"), filepath.Join(dir, "Kumamoto", "index.html")} {
			rows := planCells(t, f)
			b, _ := os.ReadFile(f)
			if len(rows) != 2 || rows[0][2] != "1" || rows[1][2] != "2" || !strings.Contains(string(b), tc.want) {
				t.Errorf("%s: %s: plan %q, want its totals to say %q", tc.lang, f, rows, tc.want)
			}
		}
	}
}

// TestPlanSites: a fleet plan row names every site of its devices with
// how many of them are there and how many urgent, sites with urgent
// devices first and in red, on the page and in the JSON
// (urgent_sites), so that an auditor of the fleet finds every urgent
// device's site. Before, a site said only its count of the row ("Z (3)",
// listed by name after 70 others), and which sites held the row's 2
// urgent devices was on no fleet page.
func TestPlanSites(t *testing.T) {
	lines, pools := fleet(t)
	mak := lineDevice(t, lines, "Nagoya", "L1", "NG-L1-001")
	m := mak.Verdict.Steps[0]
	for _, tc := range []struct {
		lang          classify.Lang
		urgent, plain string
		note          string
	}{
		{classify.English, `<span><a href="Z/index.html#plan" translate="no" class="due">Z</a> (3, 2 urgent)</span> `, `<span><a href="S00/index.html#plan" translate="no">S00</a> (1)</span> `, "sites with urgent devices first"},
		{classify.Japanese, `<span><a href="Z/index.html#plan" translate="no" class="due">Z</a> (3 台、緊急 2 台)</span> `, `<span><a href="S00/index.html#plan" translate="no">S00</a> (1 台)</span> `, "緊急の端末がある拠点"},
	} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test", Formats: []string{HTML, JSON}})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 70; i++ {
			s := fmt.Sprintf("S%02d", i)
			w.SetPool(s, *pools["Nagoya"])
			if err := w.Line(s, "L", []Device{planDevice(mak, s+"-1", false, m)}); err != nil {
				t.Fatal(err)
			}
		}
		w.SetPool("Z", *pools["Nagoya"])
		if err := w.Line("Z", "L", []Device{planDevice(mak, "Z-1", true, m), planDevice(mak, "Z-2", false, m), planDevice(mak, "Z-3", true, m)}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "index.html"))
		p := string(b)
		refs := p[strings.Index(p, `<td class="refs">`):]
		refs = refs[:strings.Index(refs, "</td>")]
		if !strings.HasPrefix(refs, `<td class="refs">`+tc.urgent+tc.plain) || strings.Count(refs, "<a ") != 71 {
			t.Errorf("%s: the fleet's plan row names its sites %q, want %q first, then %q, and 71 sites", tc.lang, refs, tc.urgent, tc.plain)
		}
		if !strings.Contains(p, tc.note) {
			t.Errorf("%s: the fleet's plan note lacks %q", tc.lang, tc.note)
		}
		b, _ = os.ReadFile(filepath.Join(dir, "devices.json"))
		var doc struct {
			Summary struct {
				Fleet jsonSum `json:"fleet"`
			} `json:"summary"`
		}
		if err := json.Unmarshal(b, &doc); err != nil || len(doc.Summary.Fleet.Plan) != 1 {
			t.Fatalf("devices.json: %v", err)
		}
		if r := doc.Summary.Fleet.Plan[0]; r.Devices != 73 || r.Urgent != 2 || len(r.Sites) != 71 || r.Sites["Z"] != 3 ||
			len(r.UrgentSites) != 1 || r.UrgentSites["Z"] != 2 {
			t.Errorf("%s: the fleet's JSON plan row %+v", tc.lang, r)
		}
	}
}

// TestPlanMoreUrgent: a site's plan row with more urgent devices than it
// names says how many of the ones only counted are urgent, on the page
// and in the workbook. Before, the 61st urgent device of a row was
// dropped into "and 8 more" with the routine ones, and nothing on the
// site's plan said that an urgent device was among them.
func TestPlanMoreUrgent(t *testing.T) {
	lines, pools := fleet(t)
	mak := lineDevice(t, lines, "Nagoya", "L1", "NG-L1-001")
	m := mak.Verdict.Steps[0]
	var devs []Device
	for i := 0; i < maxRefs+5; i++ {
		devs = append(devs, planDevice(mak, fmt.Sprintf("U-%03d", i), true, m))
	}
	for i := 0; i < 3; i++ {
		devs = append(devs, planDevice(mak, fmt.Sprintf("R-%03d", i), false, m))
	}
	for _, tc := range []struct {
		lang  classify.Lang
		sheet string
		more  string
	}{
		{classify.English, "Procurement and work plan", "and 8 more, 5 of them urgent"},
		{classify.Japanese, "調達・作業計画", "ほか 8 台 (うち緊急 5 台)"},
	} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		w.SetPool("Nagoya", *pools["Nagoya"])
		if err := w.Line("Nagoya", "L", devs); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "index.html"))
		if p := string(b); strings.Count(p, `class="due">U-`) != maxRefs || !strings.Contains(p, "</a> "+tc.more+"</td>") {
			t.Errorf("%s: the site's plan names %d urgent devices, want %d and %q", tc.lang, strings.Count(p, `class="due">U-`), maxRefs, tc.more)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(tc.sheet)
		f.Close()
		if len(rows) < 2 || len(rows[1]) < 7 || !strings.HasSuffix(rows[1][6], ", "+tc.more) {
			t.Errorf("%s: workbook plan %q", tc.lang, rows)
		}
		// The JSON plan row says as much: 8 devices left out of its
		// assets, 5 of them urgent; the fleet's row, which lists sites,
		// leaves out none and says nothing of it (devices.json says it
		// for the site's row and its line's).
		var line struct {
			Summary jsonSum `json:"summary"`
		}
		lb, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "L.json"))
		if err := json.Unmarshal(lb, &line); err != nil || len(line.Summary.Plan) != 1 {
			t.Fatalf("L.json: %v, %d plan rows", err, len(line.Summary.Plan))
		}
		fleet, fb := readFleetJSON(t, dir)
		if len(fleet.Summary.Sites) != 1 || len(fleet.Summary.Fleet.Plan) != 1 || len(fleet.Summary.Sites[0].Summary.Plan) != 1 {
			t.Fatalf("devices.json: %d sites, plan rows %d", len(fleet.Summary.Sites), len(fleet.Summary.Fleet.Plan))
		}
		for name, r := range map[string]jsonPlanRow{"L.json": line.Summary.Plan[0], "devices.json site": fleet.Summary.Sites[0].Summary.Plan[0]} {
			if len(r.Assets) != maxRefs || r.AssetsLeftOut != 8 || r.UrgentLeftOut != 5 {
				t.Errorf("%s: %s's plan row lists %d assets, leaves out %d, %d urgent; want %d, 8, 5",
					tc.lang, name, len(r.Assets), r.AssetsLeftOut, r.UrgentLeftOut, maxRefs)
			}
		}
		if r := fleet.Summary.Fleet.Plan[0]; r.AssetsLeftOut != 0 || r.UrgentLeftOut != 0 || strings.Count(string(fb), `"assets_left_out"`) != 2 {
			t.Errorf("%s: the fleet's plan row leaves out %d, %d urgent; devices.json says assets_left_out %d times, want 2",
				tc.lang, r.AssetsLeftOut, r.UrgentLeftOut, strings.Count(string(fb), `"assets_left_out"`))
		}
	}
}

// fleetJSON is what the tests read of devices.json: the summaries of
// the fleet and of each site.
type fleetJSON struct {
	Summary struct {
		Fleet jsonSum `json:"fleet"`
		Sites []struct {
			Summary jsonSum `json:"summary"`
		} `json:"sites"`
	} `json:"summary"`
}

// readFleetJSON reads the devices.json of the report in dir, and its
// bytes; it fails the test when the file does not decode.
func readFleetJSON(t *testing.T, dir string) (fleetJSON, []byte) {
	t.Helper()
	var doc fleetJSON
	b, err := os.ReadFile(filepath.Join(dir, "devices.json"))
	if err == nil {
		err = json.Unmarshal(b, &doc)
	}
	if err != nil {
		t.Fatalf("devices.json: %v", err)
	}
	return doc, b
}

// lineDevice is the device asset of the test fleet's line site/line.
func lineDevice(t *testing.T, lines map[[2]string][]Device, site, line, asset string) Device {
	t.Helper()
	for _, d := range lines[[2]string{site, line}] {
		if d.Asset == asset {
			return d
		}
	}
	t.Fatalf("no device %s on line %s/%s of the test fleet", asset, site, line)
	return Device{}
}

// officeDevice is a Windows 10 Pro with a MAK, activated, and the Office
// products named (licensing names, retail, activated), on line L1 of
// Nagoya: each of them is replaced by its volume license edition and
// takes a MAK.
func officeDevice(asset string, names ...string) Device {
	s := &licensing.Snapshot{
		Context: licensing.Context{Site: "Nagoya", Line: "L1", Asset: asset, Collected: asOf},
		OS:      licensing.OS{Caption: "Microsoft Windows 10 Pro", Version: "10.0.19045", Build: "19045"},
		Products: []licensing.Product{{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: "Windows(R), Professional edition",
			Channel: licensing.ChannelMAK, Status: licensing.StatusLicensed, PartialKey: "ABCDE", Source: licensing.SourceWMI}},
	}
	for _, n := range names {
		s.Products = append(s.Products, licensing.Product{Kind: licensing.KindOffice, ApplicationID: licensing.AppOffice15, Name: n,
			Channel: licensing.ChannelRetail, Status: licensing.StatusLicensed, PartialKey: "FGHIJ", Source: licensing.SourceWMI})
	}
	return Device{Key: "key-" + asset, Site: "Nagoya", Line: "L1", Asset: asset, CollectedAt: asOf, Collections: 1, Snapshot: s,
		Verdict: classify.Device(s, asOf, classify.Site{})}
}

// TestPlanPurchaseFamily: a plan row whose product is replaced by its
// volume license edition buys a volume license of the product's own
// family, and the totals count each family apart, on the site's and the
// fleet's pages, in the workbook's plan and in the JSON plan rows, in
// both languages: a retail Visio needs a Visio volume license, a retail
// Project a Project one, an Office suite and a Microsoft 365 Apps
// subscription an Office one. Before, every row that was not Windows
// said "Office volume license", and the totals counted Visio and
// Project as Office.
func TestPlanPurchaseFamily(t *testing.T) {
	devs := []Device{
		officeDevice("D-1", "Office 16, Office16ProPlusR_Retail edition", "Office 16, Office16VisioProR_Retail edition"),
		officeDevice("D-2", "Office 16, Office16ProjectProR_Retail edition"),
		officeDevice("D-3", "Office 16, Office16O365ProPlusR_Subscription1 edition"),
		officeDevice("D-4", "Office 16, Office16VisioProR_Retail edition"),
	}
	for _, tc := range []struct {
		lang  classify.Lang
		sheet string
		rows  map[string]string // product: purchase
		total string
	}{
		{classify.English, "Procurement and work plan", map[string]string{
			"Office 2016 Professional Plus":     "1 Office volume license, 1 MAK activation",
			"Microsoft 365 Apps for enterprise": "1 Office volume license, 1 MAK activation",
			"Visio 2016 Professional":           "2 Visio volume licenses, 2 MAK activations",
			"Project 2016 Professional":         "1 Project volume license, 1 MAK activation",
		}, "Total: 2 Office volume licenses, 2 Visio volume licenses, 1 Project volume license, 5 MAK activations"},
		{classify.Japanese, "調達・作業計画", map[string]string{
			"Office 2016 Professional Plus":     "Office ボリューム ライセンス 1 台分、MAK ライセンス認証 1 回分",
			"Microsoft 365 Apps for enterprise": "Office ボリューム ライセンス 1 台分、MAK ライセンス認証 1 回分",
			"Visio 2016 Professional":           "Visio ボリューム ライセンス 2 台分、MAK ライセンス認証 2 回分",
			"Project 2016 Professional":         "Project ボリューム ライセンス 1 台分、MAK ライセンス認証 1 回分",
		}, "合計: Office ボリューム ライセンス 2 台分、Visio ボリューム ライセンス 2 台分、Project ボリューム ライセンス 1 台分、MAK ライセンス認証 5 回分"},
	} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Line("Nagoya", "L1", devs); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, page := range []string{"Nagoya/index.html", "index.html"} {
			b, _ := os.ReadFile(filepath.Join(dir, page))
			p := html.UnescapeString(string(b))
			for product, want := range tc.rows {
				row := ""
				for _, l := range strings.Split(p, "\n") {
					if strings.Contains(l, `translate="no">`+product+`</td>`) {
						row = l
					}
				}
				if !strings.Contains(row, `<td class="nw">`+want+`</td>`) {
					t.Errorf("%s %s: the row of %s does not buy %q: %q", tc.lang, page, product, want, row)
				}
			}
			if !strings.Contains(p, `<p class="totals">`+tc.total+`</p>`) {
				t.Errorf("%s %s: totals are not %q", tc.lang, page, tc.total)
			}
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(tc.sheet)
		f.Close()
		said := map[string]string{}
		total := ""
		for _, r := range rows {
			if len(r) > 5 {
				said[r[1]] = r[5]
			} else if len(r) == 1 {
				total = r[0]
			}
		}
		for product, want := range tc.rows {
			if said[product] != want {
				t.Errorf("%s: the workbook's plan buys %q for %s, want %q", tc.lang, said[product], product, want)
			}
		}
		if total != tc.total {
			t.Errorf("%s: the workbook's total %q, want %q", tc.lang, total, tc.total)
		}
		doc, _ := readFleetJSON(t, dir)
		if len(doc.Summary.Sites) != 1 {
			t.Fatalf("%s: devices.json: %d sites, want 1", tc.lang, len(doc.Summary.Sites))
		}
		for _, s := range []jsonSum{doc.Summary.Fleet, doc.Summary.Sites[0].Summary} {
			said := map[string]string{}
			for _, r := range s.Plan {
				said[r.Product] = r.Purchase
			}
			for product, want := range tc.rows {
				if said[product] != want {
					t.Errorf("%s: devices.json buys %q for %s, want %q", tc.lang, said[product], product, want)
				}
			}
		}
	}
}
