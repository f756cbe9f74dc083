package report

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

var update = flag.Bool("update", false, "rewrite golden files")

var asOf = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// fleet classifies the archetypes as the importer does.
func fleet(t testing.TB) (map[[2]string][]Device, map[string]*classify.Pool) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	sort.Strings(files)
	var snaps []*licensing.Snapshot
	pools := map[string]*classify.Pool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		snaps = append(snaps, s)
		if pools[s.Context.Site] == nil {
			pools[s.Context.Site] = &classify.Pool{}
		}
		pools[s.Context.Site].Add(s)
	}
	lines := map[[2]string][]Device{}
	for _, s := range snaps {
		k := [2]string{s.Context.Site, s.Context.Line}
		lines[k] = append(lines[k], Device{Key: "key-" + s.Context.Asset, Site: s.Context.Site, Line: s.Context.Line,
			Asset: s.Context.Asset, Hostname: s.OS.Hostname, CollectedAt: s.Context.Collected, Engineer: s.Context.Engineer,
			Collector: s.Context.Collector, BundleID: "bundle-" + s.Context.Asset, SHA256: strings.Repeat("ab", 32),
			Collections: 1, Snapshot: s, Verdict: classify.Device(s, asOf, classify.Site{Pool: *pools[s.Context.Site]}),
			Raw: []Raw{{Name: "raw/slmgr-dlv.txt", Command: "slmgr.vbs /dlv all", Text: "Name: <b>not markup</b>\r\n"}}})
	}
	return lines, pools
}

func write(t *testing.T, dir string, lang classify.Lang) []string {
	w, err := NewWriter(dir, Options{Lang: lang, AsOf: asOf, Generated: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fillLines(t, w, all)
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestGolden compares every report file with testdata/golden; -update
// rewrites them.
func TestGolden(t *testing.T) {
	for _, lang := range []classify.Lang{classify.English, classify.Japanese} {
		dir := t.TempDir()
		files := write(t, dir, lang)
		if len(files) != 28 {
			t.Errorf("%s: %d files", lang, len(files))
		}
		for _, f := range files {
			rel, _ := filepath.Rel(dir, f)
			if strings.HasSuffix(rel, ".xlsx") {
				continue // a zip with times inside: TestWorkbook reads it back
			}
			got, _ := os.ReadFile(f)
			checkGolden(t, filepath.Join("testdata", "golden", string(lang), rel), got)
		}
	}
}

// TestTableGolden compares the devices table (importer devices) of the

// checkGolden compares got with the golden file at path, or writes it
// there with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./pkg/report -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from its golden file (go test ./pkg/report -update, then review the diff)", path)
	}
}

// archetypes with testdata/table-<lang>.golden; -update rewrites them.
func TestTableGolden(t *testing.T) {
	lines, _ := fleet(t)
	var devs []Device
	for _, l := range lines {
		devs = append(devs, l...)
	}
	sort.Slice(devs, func(i, j int) bool { return devs[i].Asset < devs[j].Asset })
	for _, lang := range []classify.Lang{classify.English, classify.Japanese} {
		var b bytes.Buffer
		table := NewTable(&b, lang)
		for i := range devs {
			devs[i].ID = int64(i + 1)
			table.Add(&devs[i])
		}
		if _, err := table.Close(asOf, false); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "table-"+string(lang)+".golden")
		if *update {
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatalf("%v (run go test ./pkg/report -update)", err)
		}
		if !bytes.Equal(b.Bytes(), want) {
			t.Errorf("%s differs from its golden file (go test ./pkg/report -update, then review the diff):\n%s", golden, b.Bytes())
		}
	}
}

// TestProductDays: a product's days left and end date say the same in
// every format, in both languages: nothing where nothing expires, a
// number and a date while it runs, and "ended" for a state that has
// ended at a date no one knows (notification mode), which the CSV once
// left empty as if nothing expired. JSON keeps them as data: days_left
// null, end_date the as-of date. The workbook shows devices, not
// products: its deadline is the device's.
func TestProductDays(t *testing.T) {
	const name = "Office 14, OfficeProPlus-Retail edition"
	nine := 9
	for _, l := range []classify.Lang{classify.English, classify.Japanese} {
		ended := map[classify.Lang]string{classify.English: "ended", classify.Japanese: "終了"}[l]
		tests := []struct {
			name        string
			dl          classify.Deadline
			html, csv   [2]string // days left, end date
			jsonDays    *int
			jsonEndDate string
		}{
			{"nothing expires", classify.Deadline{}, [2]string{"—", "—"}, [2]string{"", ""}, nil, ""},
			{"in grace", classify.Deadline{Kind: classify.DeadlineGrace, Date: asOf.AddDate(0, 0, 9), Days: 9},
				[2]string{"9", "2026-11-11"}, [2]string{"9", "2026-11-11 00:00"}, &nine, "2026-11-11"},
			{"ended", classify.Deadline{Kind: classify.DeadlineNow, Date: asOf},
				[2]string{ended, ended}, [2]string{ended, ended}, nil, "2026-11-02"},
		}
		for _, tc := range tests {
			t.Run(string(l)+"/"+tc.name, func(t *testing.T) {
				tx := lang(l)
				d := Device{Site: "S", Line: "L", Asset: "A", Snapshot: &licensing.Snapshot{Products: []licensing.Product{
					{Kind: licensing.KindOffice, Name: name, Status: licensing.StatusNotification}}},
					Verdict: classify.Verdict{Steps: []classify.Step{{Action: classify.ActionMAK, Kind: licensing.KindOffice, Product: name,
						Deadline: tc.dl}}}}
				r := newRow(tx, &d, utc, "d1", "L.html#d1")
				p := newDeviceView(tx, "", &r, utc).Products[0]
				if got := [2]string{p.Days, p.End}; got != tc.html {
					t.Errorf("HTML: got %q, want %q", got, tc.html)
				}
				var b bytes.Buffer
				if err := writeProductRows(&b, tx, []row{r}, utc); err != nil {
					t.Fatal(err)
				}
				rec, err := csv.NewReader(&b).Read()
				if err != nil {
					t.Fatal(err)
				}
				if got := [2]string{rec[8], rec[9]}; got != tc.csv {
					t.Errorf("CSV: got %q, want %q", got, tc.csv)
				}
				j := jsonDevice(tx, &r, utc).Products[0]
				if (j.DaysLeft == nil) != (tc.jsonDays == nil) || j.DaysLeft != nil && *j.DaysLeft != *tc.jsonDays || j.EndDate != tc.jsonEndDate {
					t.Errorf("JSON: got days_left %v, end_date %q, want %v, %q", j.DaysLeft, j.EndDate, tc.jsonDays, tc.jsonEndDate)
				}
			})
		}
	}
}

func TestRawIsEscaped(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, classify.English)
	page, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "L1.html"))
	if bytes.Contains(page, []byte("<b>not markup</b>")) || !bytes.Contains(page, []byte("&lt;b&gt;not markup")) {
		t.Error("raw text reaches the page unescaped")
	}
}

func TestJSONDoc(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, classify.Japanese)
	var doc struct {
		Devices []jsonDev `json:"devices"`
		Summary struct {
			Fleet jsonSum `json:"fleet"`
		} `json:"summary"`
	}
	data, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Devices) != 13 || doc.Summary.Fleet.Devices != 13 {
		t.Fatalf("%d devices", len(doc.Devices))
	}
	if !strings.ContainsAny(doc.Devices[0].Reasons[0].Text, "ぁあいうえおかきくけこ認証") {
		t.Errorf("Japanese report has reason %q", doc.Devices[0].Reasons[0].Text)
	}
}

// TestNames: site and line names become file names that are safe on
// Windows, macOS and Linux, whatever a bundle says.
func TestNames(t *testing.T) {
	long := strings.Repeat("名古屋第二工場", 12)
	tests := []struct{ in, want string }{
		{"L1", "L1"},
		{"名古屋 第2工場", "名古屋_第2工場"},
		{"../etc", "etc"},
		{"", "site_"},
		{"index", "site_index"},
		{"INDEX", "site_INDEX"},
		{"Devices", "site_Devices"},
		{"products", "site_products"},
		{"a/b\\c", "a_b_c"},
		{"CON", "site_CON"},
		{"con", "site_con"},
		{"Aux", "site_Aux"},
		{"nul.txt", "nul_txt"}, // no dot left: not a device
		{"COM1", "site_COM1"},
		{"lpt9", "site_lpt9"},
		{"COM¹", "COM"}, // ¹ is no letter or digit: dropped
		{"COM10", "COM10"},
		{"trail. ", "trail"},
		{"a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h"},
		{"tab\tbell\a", "tab_bell"},
		{"Na\u3164goya\uffa0", "Na_goya"}, // Hangul fillers are letters, drawn blank: dropped
		{long, long[:54] + "-" + "d3b1a1a1"},
	}
	for _, tc := range tests {
		got := safeName(tc.in, "site")
		if tc.in == long {
			if len(got) > maxNameBytes || !utf8.ValidString(got) || !strings.HasPrefix(got, long[:54]) {
				t.Errorf("safeName(long) = %q (%d bytes)", got, len(got))
			}
			if other := safeName(long+"x", "site"); other == got {
				t.Errorf("two long names share %q", got)
			}
			continue
		}
		if got != tc.want {
			t.Errorf("safeName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	w := &Writer{names: map[string]bool{}}
	if a, b := w.unique("L1", "s"), w.unique("l1", "s"); a != "L1" || b != "l1-2" {
		t.Errorf("unique: %s %s", a, b)
	}
	// One file name on Windows and macOS, two for strings.ToLower.
	if a, b, c := w.unique("σ", "s"), w.unique("ς", "s"), w.unique("ſ", "σ"); a != "σ" || b != "ς-2" || c != "ſ" {
		t.Errorf("unique: %s %s %s", a, b, c)
	}
	// One file name on macOS: precomposed and conjoining Hangul, which
	// safeName keeps (letters).
	if a, b := w.unique(safeName("한", "line"), "s"), w.unique(safeName("\u1112\u1161\u11ab", "line"), "s"); a != "한" || b != "\u1112\u1161\u11ab-2" {
		t.Errorf("unique: %q then %q", a, b)
	}
	if _, err := NewWriter(t.TempDir(), Options{Formats: []string{"pdf"}}); err == nil {
		t.Error("pdf accepted")
	}
}

// TestFileNames writes lines whose names Windows treats specially: device
// names (CON, AUX, NUL, COM1), a line called Index beside the site's
// index.html, Japanese names. Each line must get its own files, found
// where the index links to them; under Wine (make test-windows) this
// runs on Windows file semantics.
func TestFileNames(t *testing.T) {
	tests := []struct{ site, line, file string }{
		{"CON", "AUX", "site_CON/line_AUX"},
		{"CON", "Index", "site_CON/line_Index"},
		{"CON", "nul", "site_CON/line_nul"},
		{"名古屋工場", "第１ライン", "名古屋工場/第１ライン"},
		{"名古屋工場", "COM1", "名古屋工場/line_COM1"},
		{"名古屋工場", "com1", "名古屋工場/line_com1-2"},
	}
	var devs []Device
	lines, _ := fleet(t)
	for _, l := range lines {
		devs = append(devs, l...)
	}
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: "ja", AsOf: asOf, Generated: asOf, Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range tests {
		d := devs[i]
		d.Site, d.Line = tc.site, tc.line
		if err := w.Line(tc.site, tc.line, []Device{d}); err != nil {
			t.Fatalf("line %s/%s: %v", tc.site, tc.line, err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	// The fleet's page links every site's workbook, in its folder.
	fleetPage, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	for _, site := range []string{"site_CON", "名古屋工場"} {
		if link := `href="` + url.PathEscape(site) + "/" + url.PathEscape(site+".xlsx") + `"`; !bytes.Contains(bytes.ToLower(fleetPage), bytes.ToLower([]byte(link))) {
			t.Errorf("the fleet's index.html has no %s", link)
		}
	}
	for i, tc := range tests {
		t.Run(tc.site+"/"+tc.line, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.file)+".json"))
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				Devices []struct{ Asset, Line string }
			}
			if err := json.Unmarshal(data, &doc); err != nil {
				t.Fatal(err)
			}
			if len(doc.Devices) != 1 || doc.Devices[0].Asset != devs[i].Asset || doc.Devices[0].Line != tc.line {
				t.Errorf("%s.json: got %+v, want asset %s on line %s", tc.file, doc.Devices, devs[i].Asset, tc.line)
			}
			site, _ := os.ReadFile(filepath.Join(dir, filepath.Dir(filepath.FromSlash(tc.file)), "index.html"))
			if link := `href="` + url.PathEscape(filepath.Base(tc.file)+".html") + `"`; !bytes.Contains(bytes.ToLower(site), bytes.ToLower([]byte(link))) {
				t.Errorf("the site's index.html has no %s", link)
			}
			// The line's page links its data files and its site's
			// workbook by the names they were written under.
			page, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.file)+".html"))
			siteDir := filepath.Dir(filepath.FromSlash(tc.file))
			for _, f := range []string{filepath.Base(tc.file) + ".csv", filepath.Base(tc.file) + ".products.csv", filepath.Base(tc.file) + ".json",
				filepath.Base(siteDir) + ".xlsx"} {
				if _, err := os.Stat(filepath.Join(dir, siteDir, f)); err != nil {
					t.Error(err)
				}
				if link := `href="` + url.PathEscape(f) + `"`; !bytes.Contains(bytes.ToLower(page), bytes.ToLower([]byte(link))) {
					t.Errorf("%s.html has no %s", tc.file, link)
				}
			}
		})
	}
}

// productWords are the words of product and feature names as Microsoft
// writes them in Japanese too; codes (all capitals: KMS, MAK, OEM) and
// identifiers (with digits or dots: kms01.nagoya.factory, 0xC004F009)
// are allowed as they are.
var productWords = map[string]bool{"Windows": true, "Office": true, "Microsoft": true, "Professional": true, "Pro": true,
	"Plus": true, "Enterprise": true, "Standard": true, "Home": true, "Server": true, "Datacenter": true, "Evaluation": true,
	"Embedded": true, "POSReady": true, "IoT": true, "Visio": true, "Project": true, "Active": true, "Directory": true,
	"BitLocker": true, "Hyper-V": true, "ActCourier": true,
	"KiB": true, "MiB": true, "GiB": true, "TiB": true} // units, as Windows Explorer writes them

// TestJapaneseHasNoEnglish reads every page of the Japanese report as a
// reader sees it, less what is marked as data (translate="no": names as
// read, asset tags, host names, raw output): no English word may be left
// but product names, codes, and the fixture's own names (sites, lines).
func TestJapaneseHasNoEnglish(t *testing.T) {
	dir := t.TempDir()
	files := write(t, dir, classify.Japanese)
	lines, _ := fleet(t)
	data := map[string]bool{}
	for k := range lines {
		data[k[0]], data[k[1]] = true, true
	}
	dataTag := regexp.MustCompile(`(?s)<(\w+)[^>]*translate="no"[^>]*>.*?</(\w+)>`)
	drop := []*regexp.Regexp{regexp.MustCompile(`(?s)<style>.*?</style>`), regexp.MustCompile(`(?s)<title>.*?</title>`),
		regexp.MustCompile(`<[^>]*>`), regexp.MustCompile(`[\w-]*\d[\w-]*|[\w-]+(\.[\w-]+)+`),
		regexp.MustCompile(` /[A-Za-z][\w-]*`)} // a command's switches (DISM /Online), no language
	word := regexp.MustCompile(`[A-Za-z][A-Za-z-]*`)
	pages, seen := 0, map[string]bool{}
	for _, f := range files {
		if !strings.HasSuffix(f, ".html") {
			continue
		}
		pages++
		b, _ := os.ReadFile(f)
		text := dataTag.ReplaceAllStringFunc(string(b), func(m string) string {
			sub := dataTag.FindStringSubmatch(m)
			if sub[1] != sub[2] {
				t.Fatalf("nested data markup: %.80s", m)
			}
			return " "
		})
		for _, re := range drop {
			text = re.ReplaceAllString(text, " ")
		}
		text = html.UnescapeString(text)
		for _, w := range word.FindAllString(text, -1) {
			if productWords[w] || data[w] || strings.ToUpper(w) == w || seen[w] {
				continue
			}
			i := strings.Index(text, w)
			lo, hi := i-30, i+len(w)+30
			if lo < 0 {
				lo = 0
			}
			if hi > len(text) {
				hi = len(text)
			}
			seen[w] = true
			rel, _ := filepath.Rel(dir, f)
			t.Errorf("%s: English %q in %q", rel, w, strings.TrimSpace(text[lo:hi]))
		}
	}
	if pages != 8 {
		t.Errorf("%d pages read", pages)
	}
}

// TestWorkbook reads a site's workbook back: a summary, a sheet per line
// with a frozen header, filters, the category as a coloured cell and the
// deadline as a date cell, and the plan.
func TestWorkbook(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, classify.Japanese)
	f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := strings.Join(f.GetSheetList(), ","), "概要,ライン L1,ライン L2,ライン L3,調達・作業計画"; got != want {
		t.Fatalf("sheets %s, want %s", got, want)
	}
	rows, err := f.GetRows("ライン L3")
	if err != nil || len(rows) != 4 {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if rows[0][0] != "対応" || rows[0][1] != "期限" || rows[1][4] != "NG-L3-INS2" || rows[1][0] != "KMS ホスト kms01.nagoya.factory に接続して再度ライセンス認証" {
		t.Errorf("rows %q", rows[:2])
	}
	// The deadline is a number (a date), shown as yyyy-mm-dd.
	if typ, _ := f.GetCellType("ライン L3", "B2"); typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		t.Errorf("deadline cell type %v", typ)
	}
	raw, _ := f.GetCellValue("ライン L3", "B2", excelize.Options{RawCellValue: true})
	if serial, err := strconv.ParseFloat(raw, 64); err != nil || serial < 46000 || serial > 47000 {
		t.Errorf("deadline %q is not a date serial", raw)
	}
	if shown, _ := f.GetCellValue("ライン L3", "B2"); shown != "2026-11-11" {
		t.Errorf("deadline shown as %q", shown)
	}
	// The category cell is filled with its colour.
	style, _ := f.GetCellStyle("ライン L3", "G2")
	st, err := f.GetStyle(style)
	if err != nil || len(st.Fill.Color) == 0 || !strings.EqualFold(st.Fill.Color[0], strings.TrimPrefix(string(catColour[classify.Urgent]), "#")) {
		t.Errorf("category cell style %+v %v", st, err)
	}
	panes, err := f.GetPanes("ライン L3")
	if err != nil || !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes %+v %v", panes, err)
	}
	if tables, err := f.GetTables("ライン L3"); err != nil || len(tables) != 1 || tables[0].Range != "A1:L4" {
		t.Errorf("tables (filters) %+v %v", tables, err)
	}
	plan, _ := f.GetRows("調達・作業計画")
	if len(plan) < 3 || plan[0][0] != "対応" || !strings.Contains(strings.Join(plan[len(plan)-1], ""), "合計") {
		t.Errorf("plan %q", plan)
	}
	sum, _ := f.GetRows("概要")
	if len(sum) < 8 || !strings.Contains(sum[0][0], "Nagoya") {
		t.Errorf("summary %q", sum)
	}
}

func TestSheetName(t *testing.T) {
	used := map[string]bool{}
	tests := []struct{ in, want string }{
		{"ライン L1", "ライン L1"}, {"ライン l1", "ライン l1-2"}, {"a/b[c]:d*?", "a_b_c__d__"}, {"History", "_History"},
		{"'quoted'", "quoted"}, {strings.Repeat("長", 40), strings.Repeat("長", 31)}, {strings.Repeat("長", 40), strings.Repeat("長", 29) + "-2"},
		// Names Excel (and excelize: strings.EqualFold) takes for one.
		{"s", "s"}, {"ſ", "ſ-2"}, {"σ", "σ"}, {"ς", "ς-2"}, {"Σ", "Σ-3"}, {"\u212a", "\u212a"}, {"k", "k-2"},
		// No XML character: written, both would be U+FFFD.
		{"L\uffff", "L_"}, {"L\ufffe", "L_-2"},
		// Cut, a name would end in an apostrophe, which Excel refuses.
		{"Line " + strings.Repeat("a", 25) + "'b", "Line " + strings.Repeat("a", 25)},
		{"Line " + strings.Repeat("a", 25) + "'c", "Line " + strings.Repeat("a", 24) + "-2"},
		{strings.Repeat("x", 28) + "'ab", strings.Repeat("x", 28) + "'ab"},
		{strings.Repeat("x", 28) + "'ab", strings.Repeat("x", 28) + "-2"},
		// Excel counts UTF-16 units: an emoji is two of its 31.
		{strings.Repeat("😀", 20), strings.Repeat("😀", 15)},
		{strings.Repeat("😀", 20), strings.Repeat("😀", 14) + "-2"},
		{"L" + strings.Repeat("😀", 15) + "x", "L" + strings.Repeat("😀", 15)},
		// Cut and trimmed, a name must not become the reserved one.
		{"History" + strings.Repeat("'", 24) + "x", "_History-2"},
		{"history" + strings.Repeat("'", 30) + "y", "_history-3"},
	}
	f := excelize.NewFile()
	defer f.Close()
	for _, tc := range tests {
		got := sheetName(tc.in, used)
		if got != tc.want {
			t.Errorf("sheetName(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if _, err := f.NewSheet(got); err != nil {
			t.Errorf("sheetName(%q) = %q, which excelize refuses: %v", tc.in, got, err)
		}
		if units := len(utf16.Encode([]rune(got))); units > 31 {
			t.Errorf("sheetName(%q) = %q: %d UTF-16 units, which Excel refuses", tc.in, got, units)
		}
	}
}

// TestSheetNamesXMLChars: line names are hostile; U+FFFE and U+FFFF are
// no XML characters, and encoding/xml writes both as U+FFFD. Two lines
// that differ only there must still get two sheet names in the workbook
// as written: Excel refuses (repairs) a workbook of two sheets of one name.
func TestSheetNamesXMLChars(t *testing.T) {
	w, d := testWriter(t, t.TempDir(), XLSX)
	d.Site = "S"
	for _, line := range []string{"L\uffff", "L\ufffe"} {
		d.Line = line
		if err := w.Line(d.Site, d.Line, []Device{d}); err != nil {
			t.Fatal(err)
		}
	}
	files, err := w.Close()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if filepath.Ext(name) != ".xlsx" {
			continue
		}
		f, err := excelize.OpenFile(name)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, s := range f.GetSheetList() {
			k := strings.ToLower(s)
			if seen[k] {
				t.Errorf("%s: two sheets named %q", filepath.Base(name), s)
			}
			seen[k] = true
		}
		f.Close()
	}
}

// testWriter is a Writer of formats into dir, in English, with the test
// fleet's KMS pools set, and one device of that fleet.
func testWriter(t *testing.T, dir string, formats ...string) (*Writer, Device) {
	t.Helper()
	lines, pools := fleet(t)
	var d Device
	for _, l := range lines {
		d = l[0]
		break
	}
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Formats: formats})
	if err != nil {
		t.Fatal(err)
	}
	for site, p := range pools {
		w.SetPool(site, *p)
	}
	return w, d
}

// TestVolumeEditionAction: the retail Office 2010 Professional Plus of
// NG-L2-011 takes no MAK until the volume license edition of Office is
// installed in its place, and every format says so wherever it names
// that product's action: the device's action, its step, its product
// row, the plan (HTML, CSV, JSON, the workbook). The code stays "mak".
func TestVolumeEditionAction(t *testing.T) {
	for _, tc := range []struct {
		lang  classify.Lang
		words string
		sheet string
	}{
		{classify.English, "Install the volume license edition of Office in its place, then apply a MAK (proxy activation)", "Line L2"},
		{classify.Japanese, "代わりにボリューム ライセンス版の Office をインストールしてから、MAK を適用 (プロキシ ライセンス認証)", "ライン L2"},
	} {
		dir := t.TempDir()
		write(t, dir, tc.lang)
		for _, f := range []string{"devices.csv", "products.csv", "devices.json", "index.html", "Nagoya/index.html",
			"Nagoya/L2.html", "Nagoya/L2.csv", "Nagoya/L2.products.csv", "Nagoya/L2.json"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(html.UnescapeString(string(b)), tc.words) {
				t.Errorf("%s %s does not say %q", tc.lang, f, tc.words)
			}
		}
		var doc struct {
			Devices []struct {
				Asset  string `json:"asset"`
				Action struct {
					Code, Text string
				} `json:"action"`
				Steps []struct {
					Code, Text, Kind string
				} `json:"steps"`
				Products []struct {
					Kind, Action string
				} `json:"products"`
			} `json:"devices"`
		}
		b, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, d := range doc.Devices {
			if d.Asset != "NG-L2-011" {
				continue
			}
			found = true
			if d.Action.Code != "mak" || d.Action.Text != tc.words {
				t.Errorf("%s: action %+v", tc.lang, d.Action)
			}
			for _, s := range d.Steps {
				if s.Kind == "office" && (s.Code != "mak" || s.Text != tc.words) {
					t.Errorf("%s: step %+v", tc.lang, s)
				}
			}
			for _, p := range d.Products {
				if p.Kind == "office" && p.Action != tc.words {
					t.Errorf("%s: product action %q", tc.lang, p.Action)
				}
			}
		}
		if !found {
			t.Fatalf("%s: NG-L2-011 not in devices.json", tc.lang)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range []string{tc.sheet, f.GetSheetList()[len(f.GetSheetList())-1]} {
			rows, _ := f.GetRows(sheet)
			said := false
			for _, r := range rows {
				said = said || len(r) > 0 && r[0] == tc.words
			}
			if !said {
				t.Errorf("%s: workbook sheet %s does not say %q", tc.lang, sheet, tc.words)
			}
		}
		f.Close()
	}
}

// TestSiteZone: a site's files show the zone most of its devices have,
// counted over all its lines. Each device's zone is a time.Location of
// its own: counted by value, every line's devices were counted apart,
// and two sites in JST gave the fleet's page UTC. The "generated" time
// is where the report was made, the same on every page (TestAsOfDay).
func TestSiteZone(t *testing.T) {
	lines, _ := fleet(t)
	var devs []Device
	for _, l := range lines {
		devs = append(devs, l...)
	}
	at := func(d Device, name string, off int) Device {
		s := *d.Snapshot
		s.Context.TimeZone = name
		d.Snapshot = &s
		d.CollectedAt = d.CollectedAt.In(time.FixedZone(name, off))
		return d
	}
	jst, ict := 9*3600, 7*3600
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Formats: []string{HTML, JSON}})
	if err != nil {
		t.Fatal(err)
	}
	// Nagoya: 4 devices in JST on two lines, 3 in ICT on one.
	for _, l := range []struct {
		site, line, zone string
		off, n           int
	}{{"Kumamoto", "A", "JST", jst, 1}, {"Nagoya", "L1", "JST", jst, 2}, {"Nagoya", "L2", "ICT", ict, 3}, {"Nagoya", "L3", "JST", jst, 2}} {
		var ds []Device
		for i := 0; i < l.n; i++ {
			ds = append(ds, at(devs[i], l.zone, l.off))
		}
		if err := w.Line(l.site, l.line, ds); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ page, want string }{
		{"Nagoya/index.html", "Generated: 2026-11-02 00:00 UTC"},
		{"index.html", "Generated: 2026-11-02 00:00 UTC"},
	} {
		b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(tc.page)))
		if got := regexp.MustCompile(`Generated: [^·<]*[A-Z]`).FindString(string(b)); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.page, got, tc.want)
		}
	}
	b, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
	var doc struct {
		Summary struct {
			Sites []struct {
				Site     string
				TimeZone string `json:"time_zone"`
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Summary.Sites {
		if s.TimeZone != "JST (UTC+09:00)" {
			t.Errorf("devices.json: site %s in %q, want JST (UTC+09:00)", s.Site, s.TimeZone)
		}
	}
	if len(doc.Summary.Sites) != 2 {
		t.Errorf("devices.json: %d sites, want 2", len(doc.Summary.Sites))
	}
}

// TestEmbeddedEvaluationPlan: Windows Embedded Standard 7 with an
// evaluation runtime key is rebuilt with a volume license runtime key;
// the plan says so and counts no MAK activation for it (it counted one:
// its route was MAK), in both languages.
func TestEmbeddedEvaluationPlan(t *testing.T) {
	wes7 := wes7Device()
	for _, tc := range []struct {
		lang         classify.Lang
		words, units string
	}{
		{classify.English, "Rebuild the image with a volume license runtime key and deploy it before the evaluation ends", "MAK activation"},
		{classify.Japanese, "評価期間が終わる前に、ボリューム ライセンス ランタイム キーでイメージを作り直して展開", "MAK ライセンス認証"},
	} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Line("Nagoya", "L9", []Device{wes7}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"index.html", "Nagoya/index.html", "Nagoya/L9.html", "Nagoya/L9.csv"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			text := html.UnescapeString(string(b))
			if !strings.Contains(text, tc.words) {
				t.Errorf("%s %s does not say %q", tc.lang, f, tc.words)
			}
			if strings.Contains(text, tc.units) {
				t.Errorf("%s %s counts MAK activations (%q)", tc.lang, f, tc.units)
			}
		}
	}
}

// wes7Device is a Windows Embedded Standard 7 with an evaluation
// runtime key of 100 days, on line L9 of Nagoya: it is rebuilt with a
// volume license runtime key.
func wes7Device() Device {
	s := &licensing.Snapshot{
		Context: licensing.Context{Site: "Nagoya", Line: "L9", Asset: "NG-WES7-01", Collected: asOf},
		OS:      licensing.OS{Caption: "Windows Embedded Standard", Version: "6.1.7601", Build: "7601"},
		Products: []licensing.Product{{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: "Windows(R) 7, Embedded edition",
			Description: "Windows Operating System - Windows(R) 7, TIMEBASED_EVAL channel", Channel: licensing.ChannelEval,
			Status: licensing.StatusLicensed, GraceMinutes: intp(100 * 24 * 60), PartialKey: "ABCDE", Source: licensing.SourceWMI}},
	}
	return Device{Key: "key-wes7", Site: "Nagoya", Line: "L9", Asset: "NG-WES7-01", CollectedAt: asOf, Collections: 1, Snapshot: s,
		Verdict: classify.Device(s, asOf, classify.Site{})}
}

// TestPlanPurchases: the plan's purchase column counts what the
// plan's steps need bought, and its total adds the rows up, on the
// site's page, in its workbook and in the JSON summary, in both
// languages: a volume license of Office for the retail Office 2010 of
// NG-L2-011, replaced by its volume license edition before its MAK, and
// a runtime license for the Windows Embedded Standard 7 evaluation
// rebuilt with a volume license runtime key. Before, the plan counted
// the MAK activations alone.
func TestPlanPurchases(t *testing.T) {
	for _, tc := range []struct {
		lang                   classify.Lang
		office, runtime, total string
		planSheet              string
	}{
		{classify.English, "1 Office volume license, 1 MAK activation", "1 runtime license (volume license runtime key)",
			"Total: 1 Office volume license, 1 runtime license (volume license runtime key), 2 MAK activations, 1 image",
			"Procurement and work plan"},
		{classify.Japanese, "Office ボリューム ライセンス 1 台分、MAK ライセンス認証 1 回分", "ランタイム ライセンス 1 台分 (ボリューム ライセンス ランタイム キー)",
			"合計: Office ボリューム ライセンス 1 台分、ランタイム ライセンス 1 台分 (ボリューム ライセンス ランタイム キー)、MAK ライセンス認証 2 回分、イメージ 1 台分",
			"調達・作業計画"},
	} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		fillLines(t, w, func(site, _ string) bool { return site == "Nagoya" })
		if err := w.Line("Nagoya", "L9", []Device{wes7Device()}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		page, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "index.html"))
		for _, want := range []string{tc.office, tc.runtime, tc.total} {
			if !strings.Contains(string(page), want) {
				t.Errorf("%s: the site's page does not say %q", tc.lang, want)
			}
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(tc.planSheet)
		f.Close()
		var cells []string
		for _, r := range rows {
			cells = append(cells, r...)
		}
		for _, want := range []string{tc.office, tc.runtime, tc.total} {
			if !containsString(cells, want) {
				t.Errorf("%s: the workbook's plan has no cell %q", tc.lang, want)
			}
		}
		doc, _ := readFleetJSON(t, dir)
		if len(doc.Summary.Sites) != 1 {
			t.Fatalf("%s: devices.json: %d sites, want 1", tc.lang, len(doc.Summary.Sites))
		}
		var said []string
		for _, r := range doc.Summary.Sites[0].Summary.Plan {
			said = append(said, r.Purchase)
		}
		for _, want := range []string{tc.office, tc.runtime} {
			if !containsString(said, want) {
				t.Errorf("%s: devices.json's plan has no purchase %q: %q", tc.lang, want, said)
			}
		}
	}
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func intp(n int) *int { return &n }

// TestDeadlineKindWords: every kind of deadline is said in both
// languages, each in its own words.
func TestDeadlineKindWords(t *testing.T) {
	for _, tx := range []*texts{&english, &japanese} {
		seen := map[string]classify.DeadlineKind{}
		for _, k := range classify.DeadlineKinds {
			w := tx.DeadlineKinds[k]
			if w == "" {
				t.Errorf("%s: no words for %s", tx.Lang, k)
				continue
			}
			if other, ok := seen[w]; ok {
				t.Errorf("%s: %s and %s both say %q", tx.Lang, k, other, w)
			}
			seen[w] = k
		}
	}
}

// TestSubscriptionDeadline: the deadline of a Microsoft 365 subscription
// with 20 days to its next check with the licensing service is said to
// be the subscription's, in every file that names what ends (CSV, JSON,
// the workbook), not an evaluation's end.
func TestSubscriptionDeadline(t *testing.T) {
	s := &licensing.Snapshot{
		Context: licensing.Context{Site: "Nagoya", Line: "L9", Asset: "NG-M365-01", Collected: asOf},
		OS:      licensing.OS{Caption: "Microsoft Windows 10 Pro", Version: "10.0.19045", Build: "19045"},
		Products: []licensing.Product{
			{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: "Windows(R), Professional edition",
				Description: "Windows(R) Operating System, VOLUME_MAK channel", Channel: licensing.ChannelMAK,
				Status: licensing.StatusLicensed, PartialKey: "ABCDE", Source: licensing.SourceWMI},
			{Kind: licensing.KindOffice, ApplicationID: licensing.AppOffice15, Name: "Office 16, Office16O365ProPlusR_Subscription1 edition",
				Description: "Office 16, TIMEBASED_SUB channel", Channel: licensing.ChannelEval, Status: licensing.StatusLicensed,
				GraceMinutes: intp(20 * 24 * 60), PartialKey: "FGHIJ", Source: licensing.SourceOSPP},
		},
	}
	v := classify.Device(s, asOf, classify.Site{})
	if v.Deadline.Kind != classify.DeadlineSubscription {
		t.Fatalf("deadline %q, want %q", v.Deadline.Kind, classify.DeadlineSubscription)
	}
	for _, tc := range []struct {
		lang  classify.Lang
		tx    *texts
		sheet string
		wrong string
	}{
		{classify.English, &english, "Line L9", english.DeadlineKinds[classify.DeadlineEvaluation]},
		{classify.Japanese, &japanese, "ライン L9", japanese.DeadlineKinds[classify.DeadlineEvaluation]},
	} {
		words := tc.tx.DeadlineKinds[classify.DeadlineSubscription]
		if words == "" {
			t.Fatalf("%s: no words for %s", tc.lang, classify.DeadlineSubscription)
		}
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Line("Nagoya", "L9", []Device{{Key: "key-m365", Site: "Nagoya", Line: "L9", Asset: "NG-M365-01",
			CollectedAt: asOf, Collections: 1, Snapshot: s, Verdict: v}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"devices.csv", "Nagoya/L9.csv", "devices.json", "Nagoya/L9.json"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(b), words) || strings.Contains(string(b), tc.wrong) {
				t.Errorf("%s %s: does not say %q, or says %q", tc.lang, f, words, tc.wrong)
			}
		}
		var doc struct {
			Devices []struct {
				Deadline struct {
					Kind     string `json:"kind"`
					KindText string `json:"kind_text"`
				} `json:"deadline"`
			} `json:"devices"`
		}
		b, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Devices) != 1 || doc.Devices[0].Deadline.Kind != "subscription-check" || doc.Devices[0].Deadline.KindText != words {
			t.Errorf("%s: devices.json deadline %+v", tc.lang, doc.Devices)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(tc.sheet)
		said := false
		for _, r := range rows {
			for _, c := range r {
				said = said || c == words
			}
		}
		if !said {
			t.Errorf("%s: workbook sheet %s does not say %q", tc.lang, tc.sheet, words)
		}
		f.Close()
	}
}

// TestNoMarkerFlagName: the flag of 0xC004F035 is named for what it
// says on every Windows: the BIOS marker is its meaning on a Windows 7
// PC only (classify TestNoMarkerWords).
func TestNoMarkerFlagName(t *testing.T) {
	for _, tx := range []*texts{&english, &japanese} {
		n := tx.FlagNames["kms-no-marker"]
		if !strings.Contains(n, "0xC004F035") || strings.Contains(n, "BIOS") || strings.Contains(n, "マーカー") {
			t.Errorf("%s: kms-no-marker is named %q", tx.Lang, n)
		}
	}
}

// TestAVMAMinutes: an AVMA guest collected a month before the as-of
// date with slmgr's 10079 minutes ("Guest Virtual Machine activation
// expiration") is ok, with no deadline: no file calls its minutes a KMS
// activation that expires, and none counts days overdue. The minutes
// stay in the products, as collected (JSON grace_minutes).
func TestAVMAMinutes(t *testing.T) {
	s := &licensing.Snapshot{
		Context: licensing.Context{Site: "Nagoya", Line: "L9", Asset: "NG-AVMA-01", Collected: asOf.AddDate(0, 0, -30)},
		OS:      licensing.OS{Caption: "Microsoft Windows Server 2019 Datacenter", Version: "10.0.17763", Build: "17763"},
		Products: []licensing.Product{
			{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: "Windows(R), ServerDatacenter edition",
				Description: "Windows(R) Operating System, VIRTUAL_MACHINE_ACTIVATION channel", Channel: licensing.ChannelAVMA,
				Status: licensing.StatusLicensed, GraceMinutes: intp(10079), PartialKey: "6XBNX", Source: licensing.SourceSlmgr},
		},
	}
	v := classify.Device(s, asOf, classify.Site{})
	if v.Category != classify.OK || !v.Deadline.IsZero() {
		t.Fatalf("%s, deadline %+v; want ok with none", v.Category, v.Deadline)
	}
	for _, tc := range []struct {
		lang    classify.Lang
		tx      *texts
		overdue string
	}{{classify.English, &english, "overdue"}, {classify.Japanese, &japanese, "超過"}} {
		kms, overdue := tc.tx.DeadlineKinds[classify.DeadlineKMS], tc.overdue
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Line("Nagoya", "L9", []Device{{Key: "key-avma", Site: "Nagoya", Line: "L9", Asset: "NG-AVMA-01",
			CollectedAt: s.Context.Collected, Collections: 1, Snapshot: s, Verdict: v}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		for _, f := range []string{"devices.csv", "products.csv", "Nagoya/L9.csv", "Nagoya/L9.products.csv", "devices.json", "Nagoya/L9.json", "Nagoya/L9.html"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), kms) || strings.Contains(string(b), overdue) || strings.Contains(string(b), "kms-expiry") {
				t.Errorf("%s %s: says %q or %q", tc.lang, f, kms, overdue)
			}
		}
		// The products' days left and end date (TestProductDays).
		b, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "L9.products.csv"))
		recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(b, []byte("\ufeff")))).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("%s: L9.products.csv: %v\n%s", tc.lang, err, b)
		}
		if got := [2]string{recs[1][8], recs[1][9]}; got != [2]string{"", ""} {
			t.Errorf("%s: L9.products.csv days left and end date %q, want none", tc.lang, got)
		}
		var doc struct {
			Devices []struct {
				Deadline *struct{} `json:"deadline"`
				Products []struct {
					GraceMinutes *int `json:"grace_minutes"`
					DaysLeft     *int `json:"days_left"`
				} `json:"products"`
			} `json:"devices"`
		}
		b, _ = os.ReadFile(filepath.Join(dir, "devices.json"))
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Devices) != 1 || doc.Devices[0].Deadline != nil || len(doc.Devices[0].Products) != 1 {
			t.Fatalf("%s: devices.json %s", tc.lang, b)
		}
		if p := doc.Devices[0].Products[0]; p.GraceMinutes == nil || *p.GraceMinutes != 10079 || p.DaysLeft != nil {
			t.Errorf("%s: product grace_minutes %v days_left %v, want 10079 and null", tc.lang, p.GraceMinutes, p.DaysLeft)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		for _, sheet := range f.GetSheetList() {
			rows, _ := f.GetRows(sheet)
			for _, r := range rows {
				for _, c := range r {
					if strings.Contains(c, kms) || strings.Contains(c, overdue) {
						t.Errorf("%s: workbook sheet %s says %q", tc.lang, sheet, c)
					}
				}
			}
		}
		f.Close()
	}
}

// TestKMSDaysUnknown: a KMS client with a host whose days left were not
// read (slmgr text without "Volume activation expiration") is shown as
// what its verdict, sentence and step agree on in every file: volume
// license, activate again at its host, no KMS deadline, and no "? days".
func TestKMSDaysUnknown(t *testing.T) {
	s := &licensing.Snapshot{
		Context: licensing.Context{Site: "Nagoya", Line: "L9", Asset: "NG-KMS-01", Collected: asOf},
		OS:      licensing.OS{Caption: "Microsoft Windows 10 Enterprise LTSC", Version: "10.0.17763", Build: "17763"},
		Products: []licensing.Product{
			{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: "Windows(R), EnterpriseS edition",
				Description: "Windows(R) Operating System, VOLUME_KMSCLIENT channel", Channel: licensing.ChannelGVLK,
				Status: licensing.StatusLicensed, PartialKey: "M7XTQ", Source: licensing.SourceText,
				KMS: &licensing.KMS{DiscoveredHost: "kms01.factory.local"}},
		},
	}
	v := classify.Device(s, asOf, classify.Site{})
	// Its own deadline is none; the device's is its Windows' end of
	// support, as for any device with an action and no date of its own.
	if v.Category != classify.VolumeLicense || v.Action.Action != classify.ActionKMSConnect || !v.Action.Deadline.IsZero() ||
		v.Deadline.Kind != classify.DeadlineEndOfSupport {
		t.Fatalf("%s, action %s, deadlines %+v, %+v; want volume-license, kms-connect, none, end of support",
			v.Category, v.Action.Action, v.Action.Deadline, v.Deadline)
	}
	for _, tc := range []struct {
		lang    classify.Lang
		unknown string // how a count not read would be said
	}{{classify.English, "? day"}, {classify.Japanese, "? 日"}} {
		dir := t.TempDir()
		w, err := NewWriter(dir, Options{Lang: tc.lang, AsOf: asOf, Generated: asOf, Generator: "test"})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Line("Nagoya", "L9", []Device{{Key: "key-kms", Site: "Nagoya", Line: "L9", Asset: "NG-KMS-01",
			CollectedAt: asOf, Collections: 1, Snapshot: s, Verdict: v}}); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		reason := v.Reasons[0].Text(tc.lang)
		for _, f := range []string{"devices.csv", "Nagoya/L9.csv", "devices.json", "Nagoya/L9.json", "Nagoya/L9.html"} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(string(b), tc.unknown) {
				t.Errorf("%s %s: says %q", tc.lang, f, tc.unknown)
			}
			if f != "Nagoya/L9.html" && !strings.Contains(string(b), reason) {
				t.Errorf("%s %s: lacks its reason %q", tc.lang, f, reason)
			}
		}
		var doc struct {
			Devices []struct {
				Category string `json:"category"`
				Deadline struct {
					Kind string `json:"kind"`
				} `json:"deadline"`
				Action struct {
					Code string `json:"code"`
					Host string `json:"kms_host"`
				} `json:"action"`
			} `json:"devices"`
		}
		b, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if len(doc.Devices) != 1 || doc.Devices[0].Category != "volume-license" || doc.Devices[0].Deadline.Kind != "end-of-support" ||
			doc.Devices[0].Action.Code != "kms-connect" || doc.Devices[0].Action.Host != "kms01.factory.local" {
			t.Errorf("%s: devices.json %s", tc.lang, b)
		}
	}
}

// TestVolumeLicenseHelp: the help of the volume-license category, which
// every page's legend shows, fits each way into it, not only the
// online-only channels: a KMS client that does not renew (kms-no-host,
// kms-host-failing, kms-days-unknown) and an evaluation land there too,
// and none of them "activates again only online".
func TestVolumeLicenseHelp(t *testing.T) {
	for _, tc := range []struct {
		t      *texts
		claims []string // what would be false of a KMS client or an evaluation
	}{
		{&english, []string{"only online"}},
		{&japanese, []string{"オンラインでしか"}},
	} {
		help := tc.t.CategoryHelp[classify.VolumeLicense]
		if help == "" {
			t.Fatalf("%s: no help for volume-license", tc.t.Lang)
		}
		for _, c := range tc.claims {
			if strings.Contains(help, c) {
				t.Errorf("%s: volume-license help %q says %q", tc.t.Lang, help, c)
			}
		}
		for _, route := range []string{"KMS", "MAK", "Active Directory"} {
			if !strings.Contains(help, route) {
				t.Errorf("%s: volume-license help %q does not name %s", tc.t.Lang, help, route)
			}
		}
	}
}

// TestAsOfPast: a report of the fleet as it was (Options.Past) says so
// where an auditor reads it, on every page, in every JSON file and on
// each site's workbook's summary, with how many devices of that scope
// it leaves out (a line whose devices all came later has no page, and
// still counts for its site and the fleet); a report of the fleet as it
// is says nothing of it.
func TestAsOfPast(t *testing.T) {
	left := map[Place]int{{"Nagoya", "L1"}: 1, {"Nagoya", "L9"}: 2, {"Tokyo", "T1"}: 4}
	for _, past := range []bool{true, false} {
		for _, l := range []classify.Lang{classify.English, classify.Japanese} {
			dir := t.TempDir()
			w, err := NewWriter(dir, Options{Lang: l, AsOf: asOf, Generated: asOf, Generator: "test", Past: past, LeftOut: left})
			if err != nil {
				t.Fatal(err)
			}
			fillLines(t, w, all)
			if _, err := w.Close(); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				file string
				n    int
			}{
				{"index.html", 7}, {"Nagoya/index.html", 3}, {"Nagoya/L1.html", 1}, {"Nagoya/L2.html", 0},
				{"Kumamoto/index.html", 0}, {"Kumamoto/A.html", 0},
				{"devices.json", 7}, {"Nagoya/L1.json", 1}, {"Kumamoto/B.json", 0},
				{"Nagoya/Nagoya.xlsx", 3}, {"Kumamoto/Kumamoto.xlsx", 0},
			} {
				want := fmt.Sprintf(lang(l).AsOfPast, "2026-11-02", tc.n)
				got := pastNote(t, filepath.Join(dir, filepath.FromSlash(tc.file)))
				if !past {
					want = ""
				}
				if got != want {
					t.Errorf("past %v, %s %s: got note %q, want %q", past, l, tc.file, got, want)
				}
			}
		}
	}
	// In words an auditor reads as meant.
	if got, want := fmt.Sprintf(english.AsOfPast, "2026-11-02", 7), "As of 2026-11-02: the fleet as it was at the end of that day, "+
		"each device as its latest collection made by then shows it; devices first collected later are not in this report (7 left out)."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// pastNote reads the note of a report of the fleet as it was from a
// page, a JSON file or a workbook's summary; "" when it has none.
func pastNote(t *testing.T, file string) string {
	t.Helper()
	switch filepath.Ext(file) {
	case ".html":
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`<p class="asof">([^<]*)</p>`).FindAllStringSubmatch(string(b), -1)
		if len(m) > 1 {
			t.Errorf("%s: %d notes", file, len(m))
		}
		if len(m) == 0 {
			return ""
		}
		return html.UnescapeString(m[0][1])
	case ".json":
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			AsOfFleet *struct {
				LeftOut int    `json:"left_out"`
				Text    string `json:"text"`
			} `json:"as_of_fleet"`
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		if doc.AsOfFleet == nil {
			return ""
		}
		if !strings.Contains(doc.AsOfFleet.Text, fmt.Sprint(doc.AsOfFleet.LeftOut)) {
			t.Errorf("%s: left_out %d, text %q", file, doc.AsOfFleet.LeftOut, doc.AsOfFleet.Text)
		}
		return doc.AsOfFleet.Text
	}
	f, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	if err != nil || len(rows) < 2 {
		t.Fatalf("%s: summary %q, %v", file, rows, err)
	}
	if len(rows[1]) < 3 {
		return ""
	}
	return rows[1][2]
}

// TestKMSHeading: the KMS section of a site's page and workbook, which
// show that site only, is headed "KMS host"; the fleet's, a row per
// site, "KMS host per site".
func TestKMSHeading(t *testing.T) {
	for _, tc := range []struct {
		lang       classify.Lang
		site, each string
	}{
		{classify.English, "KMS host", "KMS host per site"},
		{classify.Japanese, "KMS ホスト", "拠点ごとの KMS ホスト"},
	} {
		dir := t.TempDir()
		write(t, dir, tc.lang)
		for file, want := range map[string]string{"index.html": tc.each, "Nagoya/index.html": tc.site, "Kumamoto/index.html": tc.site} {
			b, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
			if !bytes.Contains(b, []byte("<h2>"+want+"</h2>")) {
				t.Errorf("%s %s: no heading %q", tc.lang, file, want)
			}
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetList()[0])
		f.Close()
		found := false
		for _, r := range rows {
			if len(r) == 1 && strings.Contains(r[0], "KMS") {
				found = true
				if r[0] != tc.site {
					t.Errorf("%s workbook: KMS section headed %q, want %q", tc.lang, r[0], tc.site)
				}
			}
		}
		if !found {
			t.Errorf("%s workbook: no KMS section in %q", tc.lang, rows)
		}
	}
}

// TestHistoryOrigin: a device's history (importer show) names where each
// collection came from in the language asked for: in Japanese in words,
// not the stored code ("bundle" under the head 種別); in English the code,
// as before; an origin it does not know as stored.
func TestHistoryOrigin(t *testing.T) {
	lines, _ := fleet(t)
	d := lines[[2]string{"Nagoya", "L2"}][0]
	for _, tc := range []struct {
		lang         classify.Lang
		origin, want string
	}{
		{classify.Japanese, "bundle", "バンドル"},
		{classify.Japanese, "text", "テキスト取り込み"},
		{classify.Japanese, "other", "other"},
		{classify.English, "bundle", "bundle"},
		{classify.English, "text", "text"},
	} {
		var b bytes.Buffer
		h := []Collection{{CollectedAt: asOf, Category: classify.Urgent, BundleID: "b1", Site: "S", Line: "L", Asset: "A", Hostname: "H",
			Engineer: "E", Origin: tc.origin}}
		if err := WriteDevice(&b, &d, h, 0, tc.lang); err != nil {
			t.Fatal(err)
		}
		out := strings.TrimRight(b.String(), "\n")
		last := out[strings.LastIndex(out, "\n")+1:]
		if f := strings.Fields(last); len(f) < 2 || f[len(f)-2] != tc.want {
			t.Errorf("%s %s: history row %q, want origin %q", tc.lang, tc.origin, last, tc.want)
		}
	}
}
