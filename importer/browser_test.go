package main

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// chromiumBin finds headless Chromium.
func chromiumBin(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("chromium is not installed: run `make deps` (apt-get install chromium)")
	return ""
}

// runChromium runs headless Chromium on page with extra flags and
// returns its stdout and the console messages it logged.
func runChromium(t *testing.T, page string, flags ...string) (stdout string, console []string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	// The profile, and whatever Chromium writes under HOME, the XDG
	// folders (crash reports, dconf) or TMPDIR, stay in the test's folder.
	home := t.TempDir()
	args := append([]string{"--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir=" + filepath.Join(home, "profile"), "--enable-logging=stderr", "--log-level=0"}, flags...)
	cmd := exec.CommandContext(ctx, chromiumBin(t), append(args, "file://"+page)...)
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "XDG_CACHE_HOME="+filepath.Join(home, ".cache"),
		"XDG_DATA_HOME="+filepath.Join(home, ".local", "share"), "XDG_RUNTIME_DIR="+home, "TMPDIR="+home)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium %v: %v\n%s", flags, err, stderr.String())
	}
	// Chromium keeps crash reports under XDG_CONFIG_HOME: they are here,
	// not in the home folder of whoever runs the tests.
	if _, err := os.Stat(filepath.Join(home, ".config", "chromium")); err != nil {
		t.Errorf("Chromium wrote nothing under the test's HOME (%v): it wrote elsewhere", err)
	}
	for _, l := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(l, ":CONSOLE") {
			console = append(console, l)
		}
	}
	return string(out), console
}

// chromium renders a page headless and returns its DOM and the console
// messages it logged.
func chromium(t *testing.T, page string) (dom string, console []string) {
	return runChromium(t, page, "--dump-dom")
}

// shots is where the screenshots and the PDF go: $ACTCOURIER_SHOTS to
// look at them, else a temporary folder.
func shots(t *testing.T) string {
	if d := os.Getenv("ACTCOURIER_SHOTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// layoutProbe measures a page as laid out at the window's width: every
// element whose right edge passes the viewport, except inside a box that
// scrolls on its own (tables do), at 1000 px and wider every such box
// that does scroll sideways (a desktop shows the whole table) and every
// header or no-wrap cell of the device table that wraps onto a second
// line, at any width every piece of text inside the elements that WHOLE
// selects (names that must read as one, such as asset tags) that breaks
// onto a second line, every date (and time) that breaks across lines,
// every date in a device's reasons (its row's, its section's lists)
// that could break at some other width (not in a no-wrap element: the
// printed reasons broke "2027-" over "02-10" at widths just under A4's),
// and, when PRINTED, every box whose content is wider than it (on paper
// nothing scrolls: what passes such a box is cut off), every table
// whose header row is not a thead (a printed page repeats only a
// thead), every table whose rows may split across two pages and a
// device table whose reasons get less than 26 % of its width (they got
// 22 to 24 %, every other column at its least width, and a row ran to
// nine lines and more), and every time one of NAMES (KMS hosts) inside
// what NAMEDIN selects breaks across lines where its block has room for
// it whole (probePrintedNames). The report's policy forbids scripts, so the
// probe runs on a copy whose policy allows this one.
const layoutProbe = `<script>
addEventListener('load', () => {
  const vw = document.documentElement.clientWidth, out = [], printed = PRINTED;
  const inScroller = el => { for (let p = el.parentElement; p; p = p.parentElement) {
    const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true } return false };
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > vw + 1 && !inScroller(el)) out.push('overflow ' + el.tagName + '.' + el.className + ' right=' + Math.round(r.right));
  }
  if (document.documentElement.scrollWidth > vw + 1) out.push('page scrolls sideways: ' + document.documentElement.scrollWidth);
  if (vw >= 1000) for (const el of document.body.querySelectorAll('*')) {
    const o = getComputedStyle(el).overflowX, tb = el.querySelector('table');
    if ((o === 'auto' || o === 'scroll') && el.scrollWidth > el.clientWidth + 1) out.push('scrolls sideways in its box: ' + el.tagName + '.' + el.className + (tb ? ' of table.' + tb.className : '') + ' holds ' + el.scrollWidth + ' px in ' + el.clientWidth);
  }
  const wraps = (n, el) => { const rg = document.createRange(); rg.selectNodeContents(n);
    const rs = [...rg.getClientRects()], line = parseFloat(getComputedStyle(el).fontSize) * 1.6;
    return rs.length > 0 && Math.max(...rs.map(r => r.bottom)) - Math.min(...rs.map(r => r.top)) > 1.5 * line };
  if (vw >= 1000) for (const el of document.querySelectorAll('table.devices th, table.devices td.nw, table.devices td.dl')) if (wraps(el, el)) out.push('wraps: ' + el.textContent);
  if (printed) for (const el of document.body.querySelectorAll('*')) {
    const o = getComputedStyle(el).overflowX;
    if (o !== 'visible' && el.scrollWidth > el.clientWidth + 1) out.push('cut off on paper: ' + el.tagName + '.' + el.className + ' holds ' + el.scrollWidth + ' px in ' + el.clientWidth);
  }
  if (printed) for (const tb of document.querySelectorAll('table')) {
    const head = tb.rows.length > 0 && [...tb.rows[0].cells].every(c => c.tagName === 'TH');
    if (head && tb.rows[0].parentElement.tagName !== 'THEAD') out.push('header not repeated on the next page: table.' + tb.className + ' ' + tb.rows[0].textContent);
    for (const tr of tb.rows) if (tr.querySelector('td') && getComputedStyle(tr).breakInside !== 'avoid') { out.push('row may split across pages: table.' + tb.className + ' ' + tr.textContent.slice(0, 40)); break }
    const why = tb.querySelector('td.why'), share = why && why.getBoundingClientRect().width / tb.getBoundingClientRect().width;
    if (tb.classList.contains('devices') && why && share < 0.26) out.push('reasons squeezed on paper: ' + Math.round(100 * share) + '% of table.devices');
  }
  const tw = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = tw.nextNode(); n; n = tw.nextNode()) for (const m of n.textContent.matchAll(/(?<![\d-])\d{4}-\d\d-\d\d(?![\d-])( \d\d:\d\d)?/g)) {
    const rg = document.createRange(); rg.setStart(n, m.index); rg.setEnd(n, m.index + m[0].length);
    const rs = [...rg.getClientRects()].filter(r => r.width > 0);
    if (rs.length > 0 && Math.max(...rs.map(r => r.top)) - Math.min(...rs.map(r => r.top)) > 2) out.push('date breaks: ' + m[0] + ' in ' + n.textContent);
    const up = n.parentElement;
    if (up.closest('table.devices td.why, .device li') && !/^(nowrap|pre)$/.test(getComputedStyle(up).whiteSpace)) out.push('date may break in the reasons: ' + m[0] + ' in ' + n.textContent);
  }
  for (const name of NAMES) {
    const tn = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = tn.nextNode(); n; n = tn.nextNode()) if (n.parentElement.closest(NAMEDIN)) for (let i = n.textContent.indexOf(name); i >= 0; i = n.textContent.indexOf(name, i + 1)) {
      const rg = document.createRange(); rg.setStart(n, i); rg.setEnd(n, i + name.length);
      const rs = [...rg.getClientRects()].filter(r => r.width > 0);
      if (rs.length < 2 || Math.max(...rs.map(r => r.top)) - Math.min(...rs.map(r => r.top)) <= 2) continue;
      let box = n.parentElement;
      while (box.parentElement && getComputedStyle(box).display.startsWith('inline')) box = box.parentElement;
      const cs = getComputedStyle(box), room = box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const width = rs.reduce((w, r) => w + r.width, 0);
      if (width <= room) out.push('name breaks where it fits whole on a line: ' + name + ' (' + Math.round(width) + ' px in ' + Math.round(room) + ') in ' + box.tagName + '.' + box.className + ' ' + box.textContent.slice(0, 60));
    }
  }
  for (const el of document.querySelectorAll(WHOLE)) {
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let n = w.nextNode(); n; n = w.nextNode()) if (n.textContent.trim() && wraps(n, n.parentElement)) out.push('breaks: ' + n.textContent);
  }
  const p = document.createElement('pre'); p.id = 'probe'; p.textContent = 'PROBE[' + out.join('|') + ']';
  document.body.appendChild(p);
});
</script>`

// probe returns what layoutProbe found on page at width px; whole are
// CSS selectors of the elements none of whose text may break (none when
// empty).
func probe(t *testing.T, page string, width int, whole ...string) []string {
	t.Helper()
	return runProbe(t, page, width, false, nil, whole)
}

// probePrinted is probe for a page laid out as printed (its print rules
// made the screen's): also a box that would scroll is a fault.
func probePrinted(t *testing.T, page string, width int, whole ...string) []string {
	t.Helper()
	return runProbe(t, page, width, true, nil, whole)
}

// probePrintedNames is probePrinted that also flags each time one of
// names (KMS hosts) breaks across lines where its block (the cell or
// paragraph that holds it) has room for it whole on a line of its own:
// printed, a host in the device table's action broke at its hyphen
// ("kms-" at a line's end) where a span of class nm keeps it whole.
func probePrintedNames(t *testing.T, page string, width int, names []string, whole ...string) []string {
	t.Helper()
	return runProbe(t, page, width, true, names, whole)
}

// namedIn selects where a KMS host is set apart in a span of class nm
// (pkg/report's named), for probePrintedNames: the plan's action, the
// KMS verdict's meaning, a device's action in its row and its section.
const namedIn = "table.plan td.act, table.pools td.why, table.devices td.act, .device p.todo"

func runProbe(t *testing.T, page string, width int, printed bool, names, whole []string) []string {
	t.Helper()
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	csp := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`)
	html = csp.ReplaceAll(html, []byte(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">`))
	sel := ":not(*)"
	if len(whole) > 0 {
		sel = strings.Join(whole, ",")
	}
	script := strings.Replace(layoutProbe, "WHOLE", strconv.Quote(sel), 1)
	script = strings.Replace(script, "PRINTED", strconv.FormatBool(printed), 1)
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = strconv.Quote(n) // ASCII host names: a JavaScript string too
	}
	script = strings.Replace(script, "NAMES", "["+strings.Join(quoted, ",")+"]", 1)
	script = strings.Replace(script, "NAMEDIN", strconv.Quote(namedIn), 1)
	html = bytes.Replace(html, []byte("</body>"), []byte(script+"</body>"), 1)
	probed := filepath.Join(t.TempDir(), filepath.Base(page))
	if err := os.WriteFile(probed, html, 0o644); err != nil {
		t.Fatal(err)
	}
	dom, _ := runChromium(t, probed, "--window-size="+strconv.Itoa(width)+",900", "--virtual-time-budget=3000", "--dump-dom")
	m := regexp.MustCompile(`<pre id="probe">PROBE\[(.*?)\]</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("the layout probe did not run at %d px", width)
	}
	if m[1] == "" {
		return nil
	}
	return strings.Split(m[1], "|")
}

// TestReportInBrowser renders a line report and the fleet index in
// headless Chromium: they load without console messages (the page's CSP
// would log any attempt to load something) and show the devices and
// their categories. Then, as an auditor sees a line page: at 1280 px no
// header or first-column cell breaks, at 390 px nothing passes the
// screen's edge (tables scroll in their own box, the chart scales), and
// printed it is A4; the fleet's and a site's page, in Japanese and
// English, fit 1280 and 1024 px without a table to scroll sideways. Screenshots at both widths and the PDF are kept in
// $ACTCOURIER_SHOTS when set.
func TestReportInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	needsLinuxTool(t, "chromium")
	dir := t.TempDir()
	id, key := writeKey(t, dir, "key.txt")
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	archetypeBundles(t, in, id.Recipient())
	out := japanesePages(t, dir, key, in)
	// The check itself must see console messages: a page that logs one.
	bad := filepath.Join(dir, "bad.html")
	os.WriteFile(bad, []byte(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><img src="https://example.invalid/x.png">`), 0o644)
	if _, console := chromium(t, bad); len(console) == 0 {
		t.Fatal("a page that breaks its CSP logged nothing: the console check is blind")
	}
	line := filepath.Join(out, "Nagoya", "L3.html")
	dom, console := chromium(t, filepath.Join(out, "Nagoya", "L2.html"))
	if len(console) > 0 {
		t.Errorf("console messages:\n%s", strings.Join(console, "\n"))
	}
	for _, want := range []string{"NG-L2-011", "FA-NG-L2-011", "NG-POS-07", "緊急", "イメージ バックアップ", "<svg", "MAK を適用", "直ちに", "確認者", "所見"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered line page lacks %q", want)
		}
	}
	dom, console = chromium(t, filepath.Join(out, "index.html"))
	if len(console) > 0 {
		t.Errorf("fleet index console messages:\n%s", strings.Join(console, "\n"))
	}
	for _, want := range []string{"Nagoya", "Kumamoto", "調達・作業計画", "拠点ごとの KMS ホスト"} {
		if !strings.Contains(dom, want) {
			t.Errorf("rendered index lacks %q", want)
		}
	}

	// The probe must see an overflow: a page with a fixed-width box.
	wide := filepath.Join(dir, "wide.html")
	os.WriteFile(wide, []byte(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><body><div style="width:600px">x</div></body>`), 0o644)
	if got := probe(t, wide, 390); len(got) == 0 {
		t.Fatal("a 600 px box at 390 px: the probe saw no overflow")
	}
	// ... and a table that scrolls in its own box on a wide screen.
	os.WriteFile(wide, []byte(`<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="default-src 'none'"><body><div style="overflow-x:auto"><div style="width:1400px">x</div></div></body>`), 0o644)
	if got := probe(t, wide, 1280); len(got) == 0 {
		t.Fatal("a 1400 px box in a scrolling box at 1280 px: the probe saw no scrolling")
	}
	for _, p := range []struct {
		page  string
		width int
	}{{line, 390}, {line, 1280}, {filepath.Join(out, "Nagoya", "index.html"), 390}, {filepath.Join(out, "index.html"), 390}} {
		if got := probe(t, p.page, p.width); len(got) > 0 {
			rel, _ := filepath.Rel(out, p.page)
			t.Errorf("%s at %d px:\n%s", rel, p.width, strings.Join(got, "\n"))
		}
	}
	// The fleet's and a site's page, in both languages, on a desktop's
	// 1280 px and a small laptop's 1024: the plan fits without
	// scrolling sideways (its product and purchase cells did not wrap,
	// and the fleet's sites column was seen only by scrolling); so do a
	// line page's product tables (at 1024 px, in Japanese, each was
	// 1,019 px in a box of 947, its channel and status kept on one line).
	en := reportPages(t, dir, key, in, "en")
	for _, rep := range []string{out, en} {
		for _, page := range []string{"index.html", filepath.Join("Nagoya", "index.html"), filepath.Join("Nagoya", "L3.html")} {
			for _, width := range []int{1280, 1024} {
				if got := probe(t, filepath.Join(rep, page), width); len(got) > 0 {
					t.Errorf("%s/%s at %d px:\n%s", filepath.Base(rep), page, width, strings.Join(got, "\n"))
				}
			}
		}
	}

	// Printed on A4 (188 mm, 710 CSS px, as TestReportPrintsLongNames):
	// a table's header comes again on each page and no row is cut in
	// two, no date breaks (the plan's "2026-11-" over "11 (9 days
	// left)"), and a site's name or an asset tag in the plan reads
	// whole ("Nagoy" over "a"); no date in a device's reasons may break
	// (Kumamoto's line A has one in a row's reasons).
	for _, page := range []string{filepath.Join(out, "index.html"), filepath.Join(out, "Nagoya", "index.html"), line,
		filepath.Join(out, "Kumamoto", "A.html")} {
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		printed := filepath.Join(t.TempDir(), filepath.Base(page))
		os.WriteFile(printed, bytes.Replace(html, []byte("@media print{"), []byte("@media all{"), 1), 0o644)
		if got := probePrinted(t, printed, 710, "table.plan td.refs a"); len(got) > 0 {
			rel, _ := filepath.Rel(out, page)
			t.Errorf("%s printed on A4:\n%s", rel, strings.Join(got, "\n"))
		}
	}

	keep := shots(t)
	for _, s := range []struct {
		name string
		w, h int
		page string
	}{{"line-1280.png", 1280, 2400, line}, {"line-390.png", 390, 3600, line}, {"site-390.png", 390, 3200, filepath.Join(out, "Nagoya", "index.html")}} {
		shot := filepath.Join(keep, s.name)
		runChromium(t, s.page, "--window-size="+strconv.Itoa(s.w)+","+strconv.Itoa(s.h), "--screenshot="+shot)
		f, err := os.Open(shot)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil || img.Bounds().Dx() != s.w {
			t.Errorf("%s: %v, %v", s.name, err, img.Bounds())
		}
	}
	pdf := filepath.Join(keep, "line-a4.pdf")
	runChromium(t, line, "--no-pdf-header-footer", "--print-to-pdf="+pdf)
	data, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	// A4 is 210 × 297 mm: 595.3 × 841.9 points (Chromium rounds to whole
	// device pixels); US Letter would be 612 × 792.
	boxes := regexp.MustCompile(`/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]`).FindAllSubmatch(data, -1)
	if len(boxes) == 0 {
		t.Fatal("no page size in the PDF")
	}
	for _, b := range boxes {
		w, _ := strconv.ParseFloat(string(b[1]), 64)
		h, _ := strconv.ParseFloat(string(b[2]), 64)
		if w < 593 || w > 597 || h < 840 || h > 844 {
			t.Errorf("printed page is %.1f × %.1f pt, want A4 (595.3 × 841.9)", w, h)
		}
	}
}

// TestReportPrintsLongNames prints, as the A4 page's 188 mm (710 CSS px)
// lays it out, the pages of a site, a line and devices with long names
// (a factory's full name, a line named in two languages, asset tags and
// host names of 50 characters): no column may pass the paper's edge.
// Printed, a table does not scroll: the long names in no-wrap cells
// used to push the category and reasons of every device, and the KMS
// verdict's meaning, off the page. The probe reads the page with its
// print rules made the screen's.
func TestReportPrintsLongNames(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	needsLinuxTool(t, "chromium")
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	id, key := writeKey(t, dir, "key.txt")
	site := strings.Repeat("名古屋第二工場", 6)
	line := "組立検査ライン第三工程-ASSEMBLY-INSPECTION-STATION-THREE"
	for i, a := range []string{"win10-pro-mak", "win7-office2010-retail-notification"} {
		s := readSnapshot(t, "../testdata/snapshots/"+a+".json")
		s.Context.Site, s.Context.Line = site, line
		s.Context.Asset = fmt.Sprintf("ASSET-%d-%s", i, strings.Repeat("LONGASSETTAG", 4))
		s.OS.Hostname = fmt.Sprintf("HOST-%d-%s", i, strings.Repeat("verylonghostname", 3))
		s.Hardware.UUID, s.Hardware.Serial = "", ""
		writeSnapshot(t, in, id.Recipient(), s, nil)
	}
	out := japanesePages(t, dir, key, in)
	pages, _ := filepath.Glob(filepath.Join(out, "*", "*.html"))
	if len(pages) != 2 {
		t.Fatalf("pages %q, want a site's and a line's", pages)
	}
	for _, page := range append(pages, filepath.Join(out, "index.html")) {
		html, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(html, []byte("@media print{")) {
			t.Fatalf("%s has no print rules", page)
		}
		printed := filepath.Join(t.TempDir(), filepath.Base(page))
		os.WriteFile(printed, bytes.Replace(html, []byte("@media print{"), []byte("@media all{"), 1), 0o644)
		if got := probePrinted(t, printed, 710); len(got) > 0 {
			rel, _ := filepath.Rel(out, page)
			t.Errorf("%s printed on A4:\n%s", rel, strings.Join(got, "\n"))
		}
	}
}

// TestReportPlanPrintsNames prints, on A4 (710 CSS px), the plan of a
// site and of the fleet with many devices to a row and a KMS host of a
// long name (63 characters, of the kind a plant's DNS gives), in both
// languages: an asset tag reads whole ("NG-" at a line's end over
// "L2-003" on the next, when the row's tags shared lines), and the
// action naming the host stays on the paper (its host, unbroken,
// widened the action column and pushed the plan's last columns off the
// page: 771 px on 710). It prints the line pages too, of that site and
// of two more, one whose host is short enough for the device table's
// action column (13 characters) and one whose host (80 characters)
// comes near the end of a device section's action line: a host there
// does not break where it would fit whole on a line of its own (it
// broke after "kms-", the rest of the host on the next line, where the
// plan's host, in its span, was kept whole).
func TestReportPlanPrintsNames(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	needsLinuxTool(t, "chromium")
	dir := t.TempDir()
	in := filepath.Join(dir, "in")
	os.MkdirAll(in, 0o755)
	id, key := writeKey(t, dir, "key.txt")
	const host = "kms-primary01.assembly-plant-nagoya2.factory.corp.example.co.jp"
	sites := []struct {
		site, tag, host string
		n               int // devices, in turn a KMS client, a MAK and a retail Office
	}{{"Nagoya", "NG", host, 14}, {"Kariya", "KR", "kms-a.example", 3},
		{"Toyota", "TY", "kms-primary01.assembly-plant-nagoya2.factory-automation-line3.corp.example.co.jp", 3}}
	var hosts []string
	for _, st := range sites {
		hosts = append(hosts, st.host)
		for i := 0; i < st.n; i++ {
			a := []string{"win10-iot-ltsc-kms-expiring", "win10-pro-mak", "win7-office2010-retail-notification"}[i%3]
			s := readSnapshot(t, "../testdata/snapshots/"+a+".json")
			s.Context.Site, s.Context.Line = st.site, "L2"
			s.Context.Asset, s.OS.Hostname = fmt.Sprintf("%s-L2-%03d", st.tag, i), fmt.Sprintf("FA-%s-L2-%03d", st.tag, i)
			for _, p := range s.Products {
				if p.KMS != nil && p.KMS.ConfiguredHost != "" {
					p.KMS.ConfiguredHost, p.KMS.DiscoveredHost = st.host, st.host
				}
			}
			s.Hardware.UUID, s.Hardware.Serial = "", ""
			writeSnapshot(t, in, id.Recipient(), s, nil)
		}
	}
	for _, lang := range []string{"en", "ja"} {
		out := reportPages(t, dir, key, in, lang)
		pages := []struct{ page, host string }{{filepath.Join(out, "index.html"), host}, {filepath.Join(out, "Nagoya", "index.html"), host}}
		for _, st := range sites {
			pages = append(pages, struct{ page, host string }{filepath.Join(out, st.site, "L2.html"), st.host})
		}
		for _, p := range pages {
			html, err := os.ReadFile(p.page)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(html, []byte(p.host)) {
				t.Fatalf("%s does not name the KMS host %s", p.page, p.host)
			}
			printed := filepath.Join(t.TempDir(), filepath.Base(p.page))
			os.WriteFile(printed, bytes.Replace(html, []byte("@media print{"), []byte("@media all{"), 1), 0o644)
			if got := probePrintedNames(t, printed, 710, hosts, "table.plan td.refs a"); len(got) > 0 {
				rel, _ := filepath.Rel(dir, p.page)
				t.Errorf("%s printed on A4:\n%s", rel, strings.Join(got, "\n"))
			}
		}
	}
}

// japanesePages imports the bundles in the folder in with key into a
// new fleet in dir and writes its report's pages in Japanese as of
// 2026-11-02, into dir's "rep-ja", which it returns.
func japanesePages(t *testing.T, dir, key, in string) string {
	t.Helper()
	return reportPages(t, dir, key, in, "ja")
}

// reportPages is japanesePages in the language lang (en or ja), into
// dir's "rep-" and lang.
func reportPages(t *testing.T, dir, key, in, lang string) string {
	t.Helper()
	db := testDB(t, dir, "db-"+lang)
	if code, _, stderr := runImporter(t, "import", "-i", key, "--db", db, in); code != 0 {
		t.Fatal(stderr)
	}
	out := filepath.Join(dir, "rep-"+lang)
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", out, "--as-of", "2026-11-02", "--lang", lang, "--format", "html"); code != 0 {
		t.Fatal(stderr)
	}
	return out
}

// TestWorklistPageInBrowser: the printable worklist fits an A4 page, and
// a phone: printed at 718 px (A4's 210 mm less 10 mm margins, at 96 px an
// inch) nothing passes the paper's edge or is cut off by a box that
// would scroll on screen, and at 390 px nothing passes the screen's; at
// both, asset tags and host names read whole. Its IIDs, 9 groups of 7
// digits each, and its eight CID boxes, each kept on one line, stood in
// a row of over 1,500 px: printed, Chromium shrank the page to two
// thirds, the digits to 7 points and each box to 15 mm for 6 digits.
func TestWorklistPageInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no browser")
	}
	needsLinuxTool(t, "chromium")
	at := time.Date(2026, 11, 2, 1, 15, 0, 0, time.UTC)
	rows := []worklist.Row{
		{Host: "FA-NG-L2-012", IID: strings.Repeat("0123456", 9), ExtendedPID: "00371-00170-000-000000-03-1041-7601.0000-0902012",
			Site: "Nagoya", Line: "L2", Asset: "NG-L2-012", Product: "Windows 7 Professional", State: worklist.NeedsCID, Collected: at},
		{Host: "FA-NG-L2-012", IID: strings.Repeat("765432", 9), ExtendedPID: "02260-00011-000-000000-00-1041-7601.0000-0902012",
			Site: "Nagoya", Line: "L2", Asset: "NG-L2-012", Product: "Office 2010 Professional Plus", State: worklist.NeedsCID,
			Detail: "54 digits: ActivationWs takes only 63; use VAMT or the portal", Note: worklist.Note{Code: worklist.NoteIIDLength, Digits: 54},
			Collected: at},
		{Host: "FA-NAGOYA-L2-13", IID: strings.Repeat("1234567", 9), Site: "Nagoya", Line: "L2", Asset: "NG-L2-013",
			Product: "Windows 7 Professional", State: worklist.CIDOnFile, CID: strings.Repeat("123456", 8), Collected: at, Obtained: at},
	}
	// write writes the page of rows, and a copy laid out as printed:
	// its print rules made the screen's, as TestReportPrintsLongNames.
	write := func(rows []worklist.Row) (page, printed string) {
		t.Helper()
		dir := t.TempDir()
		page = filepath.Join(dir, fleet.WorklistPage)
		var b bytes.Buffer
		if err := worklist.WritePage(&b, rows, worklist.PageOptions{Title: "Nagoya", Generated: at, Generator: "test"}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b.Bytes(), []byte("@media print{")) {
			t.Fatal("the worklist page has no print rules")
		}
		printed = filepath.Join(dir, "printed.html")
		if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(printed, bytes.Replace(b.Bytes(), []byte("@media print{"), []byte("@media all{"), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		return page, printed
	}
	// Printed, the table cannot scroll: the whole of it must be on the
	// paper (its right edge and the last column's border were cut off).
	// An asset tag or a host name (up to 15 characters, NetBIOS's
	// limit) reads whole: squeezed by the ID columns, the first column
	// was four characters wide and broke NG-L2-012 after each hyphen.
	page, printed := write(rows)
	for _, p := range []struct {
		page  string
		width int
		print bool
	}{{printed, 718, true}, {page, 390, false}} {
		if got := runProbe(t, p.page, p.width, p.print, nil, []string{"tbody td:first-child"}); len(got) > 0 {
			t.Errorf("the worklist page at %d px:\n%s", p.width, strings.Join(got, "\n"))
		}
	}
	runChromium(t, printed, "--window-size=718,1100", "--screenshot="+filepath.Join(shots(t), "worklist-718.png"))

	// A name too long for the column wraps rather than pushing the
	// Confirmation ID's boxes off the paper.
	long := append([]worklist.Row(nil), rows[0])
	long[0].Asset, long[0].Host = "ASSET-"+strings.Repeat("LONGASSETTAG", 4), "HOST-"+strings.Repeat("verylonghostname", 3)
	_, printed = write(long)
	if got := probePrinted(t, printed, 718); len(got) > 0 {
		t.Errorf("the worklist page of long names at 718 px:\n%s", strings.Join(got, "\n"))
	}
}
