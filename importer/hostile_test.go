package main

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// A hostile corpus, made by code: everything a stick holder can write,
// one case or more per class of issue 12, in one folder with good
// bundles. The importer must store the good ones, refuse or bound every
// hostile one with a clear message, and print nothing raw to a terminal.
// docs/security.md and docs/reliability.md give the figures.

// hostileBase is a genuine archetype that hostile cases start from.
func hostileBase(t *testing.T) *licensing.Snapshot {
	t.Helper()
	return readSnapshot(t, "../testdata/snapshots/win10-pro-mak.json")
}

// writeSnapshot writes s (or raw JSON) as a bundle with extra members.
func writeSnapshot(t *testing.T, dir string, r age.Recipient, s *licensing.Snapshot, rawJSON []byte, extra ...bundle.Member) string {
	t.Helper()
	js := rawJSON
	if js == nil {
		var err error
		if js, err = json.Marshal(s); err != nil {
			t.Fatal(err)
		}
	}
	p, _, err := bundle.WriteFile(dir, bundle.Header{Generator: "hostile", CreatedAt: time.Now()},
		append([]bundle.Member{{Name: licensing.MemberName, Data: js}}, extra...), r)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type hostileCase struct {
	class, name string
	file        string
	rejected    string // the reason word the summary names, or "" when it is stored (bounded)
}

func TestHostileCorpus(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "stick")
	os.MkdirAll(in, 0o755)
	id, key := writeKey(t, dir, "site-key.txt")
	r := id.Recipient()
	good := archetypeBundles(t, in, r)
	now := time.Now()
	var cases []hostileCase
	add := func(class, name, file, rejected string) {
		cases = append(cases, hostileCase{class, name, file, rejected})
	}
	site := func(s *licensing.Snapshot, site, line, asset string) *licensing.Snapshot {
		c := *s
		c.Context.Site, c.Context.Line, c.Context.Asset = site, line, asset
		c.Hardware.UUID, c.Hardware.Serial = "", ""
		c.OS.Hostname = "H-" + asset
		return &c
	}

	// 1. Resource exhaustion.
	many := site(hostileBase(t), "Evil", "many", "MANY")
	for i := 0; i < licensing.MaxProducts+1; i++ {
		many.Products = append(many.Products, licensing.Product{Kind: licensing.KindOther, Name: "x", Status: licensing.StatusUnknown})
	}
	add("1 exhaustion", "more products than allowed in a bundle of a few KiB", writeSnapshot(t, in, r, many, nil), "oversize")
	wide := site(hostileBase(t), "Evil", "wide", "WIDE")
	for i := len(wide.Products); i < licensing.MaxProducts; i++ {
		p := wide.Products[0]
		p.Name = fmt.Sprintf("%d %s", i, strings.Repeat("W", licensing.MaxString+100)) // cut to MaxString
		p.Status, p.Channel = licensing.StatusNotification, licensing.ChannelRetail
		wide.Products = append(wide.Products, p)
	}
	var raws []bundle.Member
	for i := 0; i < 3; i++ {
		m := fmt.Sprintf("raw/out%d.txt", i)
		raws = append(raws, bundle.Member{Name: m, Data: []byte(strings.Repeat("Z", bundle.DefaultMaxMemberSize))})
		wide.Raw = append(wide.Raw, licensing.RawOutput{Member: m, Command: "slmgr"})
	}
	add("1 exhaustion", "the most products, the longest names and 12 MiB of raw output a bundle may hold", writeSnapshot(t, in, r, wide, nil, raws...), "")
	big := []bundle.Member{{Name: "raw/big.txt", Data: make([]byte, bundle.DefaultMaxMemberSize+1)}}
	add("1 exhaustion", "a member over the member limit", writeSnapshot(t, in, r, site(hostileBase(t), "Evil", "big", "BIG"), nil, big...), "oversize")

	// 2. Spreadsheet formula injection.
	add("2 formulas", "site, line, asset and host name starting with = + - @",
		writeSnapshot(t, in, r, func() *licensing.Snapshot {
			s := site(hostileBase(t), "=cmd|' /C calc'!A0", "+L1", "-A1")
			s.OS.Hostname = "@SUM(A1:A9)"
			return s
		}(), nil), "")

	// 3. A forged collection from the future for a genuine device, and
	// impossible dates.
	genuine := hostileBase(t)
	genuine.Context.Site, genuine.Context.Line, genuine.Context.Asset = "Trust", "T1", "GENUINE"
	genuine.Hardware.UUID, genuine.Hardware.Serial = "4C4C4544-0042-1111-2222-333344445555", "GEN0001"
	genuine.Context.Collected = now.Add(-48 * time.Hour)
	genuine.Products[0].Status = licensing.StatusNotification
	add("3 forged time", "the genuine collection (urgent)", writeSnapshot(t, in, r, genuine, nil), "")
	forged := *genuine
	forged.Products = append([]licensing.Product{}, genuine.Products...)
	forged.Products[0].Status = licensing.StatusLicensed
	forged.Context.Collected = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	forged.OS.Hostname = "IMPOSTOR"
	add("3 forged time", "the same hardware claiming 2030, licensed, another host name", writeSnapshot(t, in, r, &forged, nil), "")
	for _, year := range []int{1, 9999} {
		s := site(hostileBase(t), "Trust", "T2", fmt.Sprintf("YEAR-%04d", year))
		s.Context.Collected = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
		add("3 forged time", fmt.Sprintf("collected in the year %d", year), writeSnapshot(t, in, r, s, nil), "")
	}
	noTime, _ := json.Marshal(site(hostileBase(t), "Trust", "T2", "NO-TIME"))
	noTime = []byte(strings.Replace(string(noTime), `"collected_at":"2026-11-02T10:15:00+09:00"`, `"collected_at":"0000-01-01T00:00:00Z"`, 1))
	add("3 forged time", "collected in the year 0", writeSnapshot(t, in, r, nil, noTime), "")

	// 4. Names that are devices, index files or too long on Windows.
	for i, n := range [][2]string{{"CON", "AUX"}, {"con", "com1"}, {"Names", "INDEX"}, {"Names", "devices"},
		{strings.Repeat("名古屋第二工場", 12), strings.Repeat("検査ライン", 15)}, {"Names", "trail. "},
		{"Names", `a:b*c?[x]/y\z'`}, {"Names", "history"}} {
		add("4 names", fmt.Sprintf("site %.20q line %.20q", n[0], n[1]), writeSnapshot(t, in, r, site(hostileBase(t), n[0], n[1], fmt.Sprintf("N%d", i)), nil), "")
	}

	// 5. Numbers out of range.
	for i, g := range []string{"-5", "2147483647"} {
		js, _ := json.Marshal(site(hostileBase(t), "Evil", "numbers", fmt.Sprintf("NUM%d", i)))
		js = []byte(strings.Replace(string(js), `"grace_minutes":0`, `"grace_minutes":`+g, 1))
		add("5 numbers", "grace minutes "+g, writeSnapshot(t, in, r, nil, js), "")
	}

	// 6. Terminal escapes in every field the importer prints.
	esc := site(hostileBase(t), "Evil\x1b[2J", "L\a", "ESC\x1b[31m")
	esc.OS.Hostname, esc.Hardware.Serial, esc.Context.Collector = "H\x1b]0;pwned\a", "S\x1b[K", "x\x1b[1;1Hrejected 0"
	add("6 terminal", "ESC and BEL in site, line, asset, host, serial, collector", writeSnapshot(t, in, r, esc, nil), "")
	// A newline would print a device of its own in `devices`, a tab
	// shift the columns.
	nl := site(hostileBase(t), "Evil\nimported FAKE.tar.zst.age: ok, Nagoya/L2, hw:FAKE/", "NL", "NL-1")
	nl.OS.Hostname = "H\nFAKE-SITE  L1  FAKE-001  FAKE-HOST  ok"
	nl.Hardware.Model = "M\tX"
	add("6 terminal", "a newline and a tab in a host name and a model", writeSnapshot(t, in, r, nl, nil), "")

	// 6. NUL, which PostgreSQL's text cannot hold: read as U+FFFD, on
	// either store (a NUL failing a batch there would stop every import
	// of the stick); and a snapshot that is not UTF-8 at all, refused.
	nul := site(hostileBase(t), "Evil\x00NUL", "L\x00", "NUL\x00")
	nul.OS.Hostname = "H\x00"
	add("6 terminal", "NUL in site, line, asset and host", writeSnapshot(t, in, r, nul, nil), "")
	latin1, _ := json.Marshal(site(hostileBase(t), "Evil", "latin1", "LATIN1"))
	latin1 = []byte(strings.Replace(string(latin1), `"LATIN1"`, "\"LATIN1-\xe9\"", 1))
	add("6 terminal", "a snapshot that is not UTF-8", writeSnapshot(t, in, r, nil, latin1), "not a bundle")

	// 9. Tar members a reader must refuse: the format's vectors.
	for _, v := range []string{"insecure_sparse_pax_0_0", "insecure_sparse_pax_0_1", "insecure_sparse_pax_1_0",
		"manifest_mismatch_device_name", "manifest_mismatch_trailing_dot", "manifest_mismatch_case"} {
		raw, err := os.ReadFile(filepath.Join("../bundle/testdata/vectors", v))
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(string(raw), "\n\n")
		p := filepath.Join(in, v+bundle.Ext)
		os.WriteFile(p, []byte(body), 0o644)
		word := "malformed"
		add("9 tar", v, p, word)
	}
	vectorKey := "../bundle/testdata/vectors/key.txt"

	// 7. A line break in what staff type into importer stick would write a
	// second recipient into the stick's settings: refused, nothing written.
	st := filepath.Join(dir, "E")
	code, _, errOut := runImporter(t, "stick", st, "-r", r.String(), "--site", "Nagoya\r\nrecipient = age1attacker", "--dist", dir)
	if _, err := os.Stat(filepath.Join(st, "actcourier.conf")); code != 2 || err == nil || !strings.Contains(errOut, "control character") {
		t.Errorf("stick with CRLF in --site: exit %d, %s", code, errOut)
	}

	db := testDB(t, dir, "fleet.db")
	code, stdout, stderr := runImporter(t, "import", "-i", key, "-i", vectorKey, "--db", db, in)
	if code != 1 {
		t.Fatalf("import: exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	// Each bundle's line (stdout is no terminal: a log) is one line.
	for _, l := range strings.Split(stdout+stderr, "\n") {
		if strings.HasPrefix(strings.TrimSpace(l), "imported FAKE") {
			t.Errorf("import: a stored value starts a line: %q", l)
		}
	}
	for _, c := range cases {
		name := filepath.Base(c.file)
		switch {
		case c.rejected == "" && strings.Contains(stderr, name):
			t.Errorf("%s: %s: rejected, want stored:\n%s", c.class, c.name, stderr)
		case c.rejected != "" && !strings.Contains(stderr, name+"\n    error: "+c.rejected):
			t.Errorf("%s: %s: not rejected as %q:\n%s", c.class, c.name, c.rejected, stderr)
		}
	}
	rejected := 0
	for _, c := range cases {
		if c.rejected != "" {
			rejected++
		}
	}
	if want := fmt.Sprintf("imported %d, already imported 0, rejected %d", len(good)+len(cases)-rejected, rejected); !strings.Contains(stdout, want) {
		t.Errorf("summary: want %q\n%s", want, stdout)
	}
	noRaw(t, "import", stdout+stderr)

	// 3: the genuine collection stays the device's latest, and the
	// forged one shows as a warning.
	code, out, _ := runImporter(t, "show", "--db", db, "--as-of", now.Format("2006-01-02"), "GENUINE")
	if code != 0 || !strings.Contains(out, "urgent") || !strings.Contains(out, "suspect-collections") || !strings.Contains(out, "identity-conflict") {
		t.Errorf("show GENUINE: exit %d\n%s", code, out)
	}
	for _, year := range []string{"YEAR-0001", "YEAR-9999", "NO-TIME"} {
		if _, out, _ := runImporter(t, "show", "--db", db, year); !strings.Contains(out, "time-") {
			t.Errorf("show %s: no time warning\n%s", year, out)
		}
	}
	for _, cmd := range [][]string{{"devices", "--db", db}, {"show", "--db", db, "ESC\x1b[31m"}, {"show", "--db", db, "NL-1"}, {"inspect", "-i", key, good["win7-pro-retail"]}} {
		_, out, errOut := runImporter(t, cmd...)
		noRaw(t, cmd[0], out+errOut)
		for _, l := range strings.Split(out, "\n") {
			if strings.HasPrefix(strings.TrimSpace(l), "FAKE-SITE") || strings.Contains(l, "\t") {
				t.Errorf("%s: a stored value starts a line or holds a tab: %q", cmd[0], l)
			}
		}
	}

	// The reports: written whole, names safe, cells neutralised, numbers
	// sane, and every device's output bounded.
	rep := filepath.Join(dir, "reports")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", rep, "--as-of", now.Format("2006-01-02")); code != 0 {
		t.Fatalf("report: %s", stderr)
	}
	hostileReport(t, rep)
	// Fewer formats: the pages link what was written, and only that.
	part := filepath.Join(dir, "reports-html-csv")
	if code, _, stderr := runImporter(t, "report", "--db", db, "--out", part, "--format", "html,csv", "--as-of", now.Format("2006-01-02")); code != 0 {
		t.Fatalf("report --format html,csv: %s", stderr)
	}
	if checked := reportLinks(t, part); checked < 20 {
		t.Errorf("report --format html,csv: only %d links checked", checked)
	}
}

// noRaw fails when a command printed a control character raw.
//
// ESC, BEL and CSI (U+009B, or a lone byte 0x9B a terminal may read as
// it: any byte that is not UTF-8); a genuine U+FFFD, which the importer
// prints for a NUL, is text.
func noRaw(t *testing.T, what, out string) {
	t.Helper()
	i := strings.IndexFunc(out, func(r rune) bool { return r == 0x1b || r == '\a' || r == 0x9b })
	for j, r := range out {
		if r == utf8.RuneError && !strings.HasPrefix(out[j:], "\uFFFD") && (i < 0 || j < i) {
			i = j
			break
		}
	}
	if i >= 0 {
		lo, hi := i-40, i+40
		if lo < 0 {
			lo = 0
		}
		if hi > len(out) {
			hi = len(out)
		}
		t.Errorf("%s printed a raw control character: %q", what, out[lo:hi])
	}
}

func hostileReport(t *testing.T, rep string) {
	t.Helper()
	var sizes = map[string]int64{}
	filepath.Walk(rep, func(p string, fi os.FileInfo, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(rep, p)
		if rel == "." {
			return nil
		}
		for _, seg := range strings.Split(rel, string(filepath.Separator)) {
			base, _, _ := strings.Cut(strings.ToUpper(seg), ".")
			if base == "CON" || base == "AUX" || base == "COM1" || strings.HasSuffix(seg, ".") || strings.HasSuffix(seg, " ") || len(seg) > 80 {
				t.Errorf("report path %q is not safe on Windows", rel)
			}
		}
		if !fi.IsDir() && filepath.Dir(rel) != "." {
			sizes[strings.TrimSuffix(rel, filepath.Ext(rel))] += fi.Size()
		}
		return nil
	})
	// One hostile device per line: a line's files are that device's output.
	const perDevice = 8 << 20
	for line, n := range sizes {
		if n > perDevice {
			t.Errorf("line %s: %d bytes of report for one device, more than %d", line, n, perDevice)
		}
	}
	t.Logf("largest report of one device: %d bytes", maxOf(sizes))
	csv, err := os.ReadFile(filepath.Join(rep, "devices.csv"))
	if err != nil {
		t.Fatal(err)
	}
	rows := "\n" + string(csv)
	for _, bad := range []string{"\n=cmd", ",+L1", ",-A1", ",@SUM"} {
		if strings.Contains(rows, bad) {
			t.Errorf("devices.csv holds a formula cell %q", bad)
		}
	}
	for _, want := range []string{"\n'=cmd", ",'+L1", ",'-A1", ",'@SUM"} {
		if !strings.Contains(rows, want) {
			t.Errorf("devices.csv lacks the neutralised cell %q", want)
		}
	}
	if checked := reportLinks(t, rep); checked < 20 {
		t.Errorf("only %d links checked", checked)
	}
	all, _ := os.ReadFile(filepath.Join(rep, "devices.json"))
	if strings.Contains(string(all), "2147483647") || strings.Contains(string(all), `"grace_minutes": -5`) {
		t.Error("an out-of-range grace reached the report")
	}
}

// reportLinks checks the links of a report's pages and returns how many
// it followed. Every link of every page leads to a file: names cut or
// changed for Windows are cut and changed alike in links, and a page
// links no file of a format the report was not asked for. Every file
// the report wrote is linked from a page, so an auditor who starts from
// index.html reaches its CSV, JSON and XLSX files too.
func reportLinks(t *testing.T, rep string) int {
	t.Helper()
	links := regexp.MustCompile(`href="([^"#]+)"`)
	checked := 0
	linked := map[string]bool{filepath.Join(rep, "index.html"): true}
	var written []string
	filepath.Walk(rep, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() || strings.HasPrefix(fi.Name(), ".") {
			return err // the folder's list of its files is for the next report
		}
		written = append(written, p)
		if !strings.HasSuffix(p, ".html") {
			return nil
		}
		page, _ := os.ReadFile(p)
		for _, m := range links.FindAllStringSubmatch(string(page), -1) {
			target, err := url.PathUnescape(html.UnescapeString(m[1]))
			if err != nil {
				t.Errorf("%s: link %q: %v", p, m[1], err)
				continue
			}
			file := filepath.Join(filepath.Dir(p), filepath.FromSlash(target))
			if _, err := os.Stat(file); err != nil {
				t.Errorf("%s: link %q leads nowhere", p, m[1])
			}
			linked[file] = true
			checked++
		}
		return nil
	})
	for _, p := range written {
		if !linked[p] {
			t.Errorf("no page links %s", p)
		}
	}
	return checked
}

func maxOf(m map[string]int64) int64 {
	var n int64
	for _, v := range m {
		if v > n {
			n = v
		}
	}
	return n
}
