package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

var update = flag.Bool("update", false, "rewrite golden files")

var asOf = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// fleet classifies the archetypes as the importer does.
func fleet(t *testing.T) (map[[2]string][]Device, map[string]*classify.Pool) {
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
	lines, pools := fleet(t)
	for site, p := range pools {
		w.SetPool(site, *p)
	}
	var keys [][2]string
	for k := range lines {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i][0]+keys[i][1] < keys[j][0]+keys[j][1] })
	for _, k := range keys {
		if err := w.Line(k[0], k[1], lines[k]); err != nil {
			t.Fatal(err)
		}
	}
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
			golden := filepath.Join("testdata", "golden", string(lang), rel)
			got, _ := os.ReadFile(f)
			if *update {
				os.MkdirAll(filepath.Dir(golden), 0o755)
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./pkg/report -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from its golden file (go test ./pkg/report -update, then review the diff)", lang, rel)
			}
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
		})
	}
}
