package report

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/actcourier/actcourier/pkg/classify"
)

// writeSome writes a report of the test fleet's lines that keep selects,
// in formats, with opt's selection; it returns the Writer after Close.
// fillLines gives w the test fleet's KMS pools and renders its lines that
// keep selects, in the order of their site and line names.
func fillLines(t *testing.T, w *Writer, keep func(site, line string) bool) {
	t.Helper()
	lines, pools := fleet(t)
	for s, p := range pools {
		w.SetPool(s, *p)
	}
	for _, k := range fleetLines(t, keep) {
		if err := w.Line(k.Site, k.Line, lines[[2]string{k.Site, k.Line}]); err != nil {
			t.Fatal(err)
		}
	}
}

// fleetLines are the test fleet's lines that keep selects, in the order
// fillLines renders them.
func fleetLines(t *testing.T, keep func(site, line string) bool) []Place {
	lines, _ := fleet(t)
	var keys []Place
	for k := range lines {
		if keep(k[0], k[1]) {
			keys = append(keys, Place{k[0], k[1]})
		}
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i].Site+keys[i].Line < keys[j].Site+keys[j].Line })
	return keys
}

func writeSome(t *testing.T, dir string, keep func(site, line string) bool, site string, formats ...string) *Writer {
	t.Helper()
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Formats: formats, Site: site})
	if err != nil {
		t.Fatal(err)
	}
	fillLines(t, w, keep)
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return w
}

// tree lists the files under dir, relative, with "/".
func tree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func all(string, string) bool { return true }

// TestFolderHoldsOneReport: a report into a folder that holds an earlier
// one leaves no page of the earlier one that it did not write again
// (another site, a format left out), and keeps every file it did not
// write itself.
func TestFolderHoldsOneReport(t *testing.T) {
	lines, _ := fleet(t)
	sites := map[string]bool{}
	for k := range lines {
		sites[k[0]] = true
	}
	if len(sites) < 2 {
		t.Fatalf("the test fleet has %d sites; the test needs two", len(sites))
	}
	var first string
	for s := range sites {
		if first == "" || s < first {
			first = s
		}
	}
	only := func(s, _ string) bool { return s == first }

	for _, tc := range []struct {
		name          string
		before, after func(t *testing.T, dir string) *Writer
	}{
		{"one site after the fleet",
			func(t *testing.T, dir string) *Writer { return writeSome(t, dir, all, "") },
			func(t *testing.T, dir string) *Writer { return writeSome(t, dir, only, first) }},
		{"fewer formats",
			func(t *testing.T, dir string) *Writer { return writeSome(t, dir, all, "") },
			func(t *testing.T, dir string) *Writer { return writeSome(t, dir, all, "", HTML) }},
		{"the same again",
			func(t *testing.T, dir string) *Writer { return writeSome(t, dir, all, "") },
			func(t *testing.T, dir string) *Writer { return writeSome(t, dir, all, "") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.before(t, dir)
			before := tree(t, dir)
			// The user's own files, beside the report and in a site's folder.
			mine := []string{"notes.txt", "my.html"}
			for _, f := range before {
				if strings.HasSuffix(f, "/index.html") && !strings.HasPrefix(f, safeName(first, "site")+"/") {
					mine = append(mine, strings.TrimSuffix(f, "index.html")+"signed-off.pdf")
					break
				}
			}
			for _, f := range mine {
				if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f)), []byte("mine"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w := tc.after(t, dir)
			fresh := t.TempDir()
			tc.after(t, fresh)
			want := append(tree(t, fresh), mine...)
			sort.Strings(want)
			if got := tree(t, dir); !reflect.DeepEqual(got, want) {
				t.Errorf("folder holds\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			// Removed names exactly the earlier files not written again.
			now := map[string]bool{}
			for _, f := range tree(t, fresh) {
				now[f] = true
			}
			var gone []string
			for _, f := range before {
				if !now[f] {
					gone = append(gone, f)
				}
			}
			sort.Strings(w.Removed)
			if !reflect.DeepEqual(w.Removed, gone) {
				t.Errorf("Removed = %q, want %q", w.Removed, gone)
			}
			if tc.name == "one site after the fleet" && len(gone) == 0 {
				t.Error("nothing was removed")
			}
		})
	}
}

// TestFolderListIsHostile: the folder's list may name anything; only
// plain report files inside the folder, reached through no link, are
// removed.
func TestFolderListIsHostile(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "reports")
	outside := filepath.Join(root, "outside.html")
	os.MkdirAll(filepath.Join(dir, "adir.html"), 0o755)
	os.MkdirAll(filepath.Join(root, "elsewhere"), 0o755)
	for _, f := range []string{outside, filepath.Join(root, "elsewhere", "x.html"), filepath.Join(dir, "notes.txt"),
		filepath.Join(dir, "stale.csv")} {
		if err := os.WriteFile(f, []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	links := runtime.GOOS != "windows"
	if links {
		if err := errors.Join(os.Symlink(outside, filepath.Join(dir, "link.html")),
			os.Symlink(filepath.Join(root, "elsewhere"), filepath.Join(dir, "linkdir"))); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "users.csv"), []byte("the user's"), 0o644); err != nil {
		t.Fatal(err)
	}
	// Every name with the digest of what it names ("keep"), so that only
	// the path rules keep them, but the user's file, listed with the
	// digest of other bytes: a planted list names it in vain.
	keep := newSum()
	keep.Write([]byte("keep"))
	sum := sumOf(keep) + " "
	var list strings.Builder
	list.WriteString(filesListHead + "\n")
	for _, rel := range []string{"../outside.html", filepath.ToSlash(outside), "adir.html", "notes.txt", "link.html", "linkdir/x.html",
		"stale.csv", "sub/../../outside.html", "missing.html", "users.csv"} {
		list.WriteString(sum + rel + "\n")
	}
	list.WriteString("no-digest.csv\n")
	if err := os.WriteFile(filepath.Join(dir, FilesList), []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	w := writeSome(t, dir, func(string, string) bool { return false }, "", HTML)
	if !reflect.DeepEqual(w.Removed, []string{"stale.csv"}) {
		t.Errorf("Removed = %q, want only stale.csv", w.Removed)
	}
	for _, f := range []string{outside, filepath.Join(root, "elsewhere", "x.html"), filepath.Join(dir, "notes.txt"), filepath.Join(dir, "users.csv")} {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
	if fi, err := os.Stat(filepath.Join(dir, "adir.html")); err != nil || !fi.IsDir() {
		t.Errorf("adir.html: %v", err)
	}
	if links {
		if _, err := os.Lstat(filepath.Join(dir, "link.html")); err != nil {
			t.Errorf("the link was removed: %v", err)
		}
	}
	got, _ := os.ReadFile(filepath.Join(dir, FilesList))
	if strings.Contains(string(got), "outside") || strings.Contains(string(got), "stale.csv") || strings.Contains(string(got), "missing") ||
		strings.Contains(string(got), "users.csv") {
		t.Errorf("the new list keeps names it should not:\n%s", got)
	}
}

// TestFolderKeepsChangedFiles: a file of the earlier report that was
// changed since (an auditor's notes saved over a line's CSV) is not the
// report's any more: the next report, which does not write it again,
// leaves it, and no longer lists it.
func TestFolderKeepsChangedFiles(t *testing.T) {
	dir := t.TempDir()
	writeSome(t, dir, all, "")
	var changed string
	for _, f := range tree(t, dir) {
		if strings.HasSuffix(f, ".csv") && strings.Contains(f, "/") {
			changed = f
			break
		}
	}
	if changed == "" {
		t.Fatal("the report wrote no line CSV")
	}
	p := filepath.Join(dir, filepath.FromSlash(changed))
	if err := os.WriteFile(p, []byte("checked, signed: A. Auditor\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := writeSome(t, dir, all, "", HTML)
	if _, err := os.Stat(p); err != nil {
		t.Errorf("the changed %s was removed (removed %q)", changed, w.Removed)
	}
	for _, f := range w.Removed {
		if f == changed {
			t.Errorf("Removed names the changed %s", changed)
		}
	}
	if len(w.Removed) == 0 {
		t.Error("nothing else was removed either")
	}
	list, _ := os.ReadFile(filepath.Join(dir, FilesList))
	if strings.Contains(string(list), " "+changed+"\n") {
		t.Errorf("the list still names the changed %s:\n%s", changed, list)
	}
}

// contents is every file under dir, by its path relative to dir (with
// "/"), with its bytes.
func contents(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range tree(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(b)
	}
	return out
}

// TestFolderAfterFailure: a report that fails part way, after some of
// its line pages and a workbook were written, leaves the folder as it
// was: the earlier report whole and unchanged, no page of its own (one
// would link a site workbook never written), no temporary file, no site
// folder it made; in an empty folder, nothing.
func TestFolderAfterFailure(t *testing.T) {
	tests := []struct {
		name string
		fail func(t *testing.T, w *Writer, d Device, dir string) error
	}{
		// Lines of a site that do not come together: Nagoya's workbook
		// is written when Elsewhere's line comes, Elsewhere's never.
		{"commit", func(t *testing.T, w *Writer, d Device, dir string) error {
			for _, sl := range [][2]string{{"Nagoya", "L1"}, {"Elsewhere", "Z9"}} {
				if err := w.Line(sl[0], sl[1], []Device{d}); err != nil {
					t.Fatal(err)
				}
			}
			err := w.Line("Nagoya", "L2", []Device{d})
			if !errors.Is(err, ErrSiteOrder) {
				t.Fatalf("got %v, want ErrSiteOrder", err)
			}
			return errors.Join(err, w.Abort())
		}},
		// The last site's workbook cannot be written (its folder is
		// gone): Close fails after the lines and the other site's
		// workbook were written.
		{"close", func(t *testing.T, w *Writer, d Device, dir string) error {
			for _, sl := range [][2]string{{"Nagoya", "L1"}, {"Elsewhere", "Z9"}} {
				if err := w.Line(sl[0], sl[1], []Device{d}); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.RemoveAll(filepath.Join(dir, "Elsewhere")); err != nil {
				t.Fatal(err)
			}
			_, err := w.Close()
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeSome(t, dir, all, "")
			before := contents(t, dir)
			w, d := testWriter(t, dir)
			if err := tc.fail(t, w, d, dir); err == nil {
				t.Fatal("the report did not fail")
			}
			after := contents(t, dir)
			if !reflect.DeepEqual(tree(t, dir), sortedKeys(before)) {
				t.Errorf("a failed report changed the folder's files:\n got %q\nwant %q", tree(t, dir), sortedKeys(before))
			}
			for f, b := range before {
				if after[f] != b {
					t.Errorf("a failed report changed %s", f)
				}
			}
			if _, err := os.Stat(filepath.Join(dir, "Elsewhere")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("the failed report's site folder stays: %v", err)
			}

			empty := t.TempDir()
			w, d = testWriter(t, empty)
			if err := tc.fail(t, w, d, empty); err == nil {
				t.Fatal("the report did not fail")
			}
			if left, _ := os.ReadDir(empty); len(left) > 0 {
				t.Errorf("a failed report into an empty folder left %q", tree(t, empty))
			}
		})
	}
}

func sortedKeys(m map[string]string) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSelectionNamed: a report of part of the fleet says so on the
// fleet's page and in devices.json.
func TestSelectionNamed(t *testing.T) {
	dir := t.TempDir()
	lines, _ := fleet(t)
	var site string
	for k := range lines {
		site = k[0]
		break
	}
	writeSome(t, dir, func(s, _ string) bool { return s == site }, site, HTML, JSON)
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	if want := "<h1>ActCourier: Fleet (Site " + site + ")</h1>"; !strings.Contains(string(page), want) {
		t.Errorf("the fleet page lacks %q", want)
	}
	doc, _ := os.ReadFile(filepath.Join(dir, "devices.json"))
	if want := `"selection": {"site": "` + site + `"},`; !strings.Contains(string(doc), want) {
		t.Errorf("devices.json lacks %s", want)
	}
	whole := t.TempDir()
	writeSome(t, whole, all, "", JSON)
	if doc, _ := os.ReadFile(filepath.Join(whole, "devices.json")); strings.Contains(string(doc), "selection") {
		t.Error("the whole fleet's devices.json names a selection")
	}
}

// TestCountText: English texts of a number drop "(s)" for one.
func TestCountText(t *testing.T) {
	en, ja := lang(classify.English), lang(classify.Japanese)
	for _, tc := range []struct {
		t      *texts
		format string
		n      int
		want   string
	}{
		{en, en.DaysLeftN, 1, "1 day left"},
		{en, en.DaysLeftN, 0, "0 days left"},
		{en, en.Overdue, 1, "1 day overdue"},
		{en, en.MAKUnits, 2, "2 MAK activations"},
		{en, en.HostKeys, 1, "1 KMS host key"},
		{en, en.Images, 1, "1 image"},
		{ja, ja.DaysLeftN, 1, "残り 1 日"},
	} {
		if got := tc.t.count(tc.format, tc.n); got != tc.want {
			t.Errorf("count(%q, %d) = %q, want %q", tc.format, tc.n, got, tc.want)
		}
	}
}

// TestFolderCase: a listed file whose name differs from a new one only
// in case is the same file where the file system folds case (it was
// overwritten: kept) and another, stale file elsewhere (removed).
func TestFolderCase(t *testing.T) {
	for _, fold := range []bool{false, true} {
		t.Run(map[bool]string{false: "exact", true: "folding"}[fold], func(t *testing.T) {
			if !fold && foldingNames {
				t.Skip("this file system takes INDEX.html and index.html for one file")
			}
			defer func(f bool) { foldingNames = f }(foldingNames)
			foldingNames = fold
			dir := t.TempDir()
			writeSome(t, dir, all, "", HTML)
			// The listed "index.html", as if written as "INDEX.html": on a
			// folding file system the new index.html is that file; on an
			// exact one, INDEX.html is another, listed beside it.
			list, _ := os.ReadFile(filepath.Join(dir, FilesList))
			up := strings.Replace(string(list), " index.html\n", " INDEX.html\n", 1)
			if up == string(list) {
				t.Fatalf("no index.html in the list:\n%s", list)
			}
			if !fold {
				at := strings.Index(up, " INDEX.html\n")
				up += up[at-8:at] + " index.html\n"
			}
			if err := os.WriteFile(filepath.Join(dir, FilesList), []byte(up), 0o644); err != nil {
				t.Fatal(err)
			}
			data, _ := os.ReadFile(filepath.Join(dir, "index.html"))
			if !fold { // two files on an exact file system
				if err := os.WriteFile(filepath.Join(dir, "INDEX.html"), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			w := writeSome(t, dir, all, "", HTML)
			removed := strings.Join(w.Removed, " ")
			if fold && removed != "" || !fold && removed != "INDEX.html" {
				t.Errorf("removed %q", removed)
			}
			if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestFolderPublishFails: when a file cannot take its name (here a
// folder stands where Nagoya's workbook goes; on Windows, a workbook
// open in Excel), the report fails before any page takes its name, so
// no page links a file that is not there; what was renamed is listed,
// for the next report, and no temporary file is left.
func TestFolderPublishFails(t *testing.T) {
	dir := t.TempDir()
	block := filepath.Join(dir, "Nagoya", "Nagoya.xlsx")
	if err := os.MkdirAll(filepath.Join(block, "notes"), 0o755); err != nil {
		t.Fatal(err)
	}
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test"})
	if err != nil {
		t.Fatal(err)
	}
	fillLines(t, w, all)
	if _, err := w.Close(); err == nil || !strings.Contains(err.Error(), "Nagoya.xlsx") {
		t.Fatalf("Close: got %v, want an error naming Nagoya.xlsx", err)
	}
	list, _ := os.ReadFile(filepath.Join(dir, FilesList))
	for _, f := range tree(t, dir) {
		switch {
		case strings.HasSuffix(f, ".html"):
			t.Errorf("%s took its name in a report that failed", f)
		case strings.Contains(f, ".report-"):
			t.Errorf("temporary file %s left", f)
		case f != FilesList && !strings.HasPrefix(f, "Nagoya/Nagoya.xlsx/") && !strings.Contains(string(list), " "+f+"\n"):
			t.Errorf("%s is not listed for the next report:\n%s", f, list)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "Kumamoto", "Kumamoto.xlsx")); err != nil {
		t.Errorf("the workbook before the failed rename: %v", err)
	}
}

// TestFolderRemovesStaleTemps: the temporary files a killed report left
// (every file of a report is one until Close names them all) are
// removed by the next whole report in the folder, there and in the
// folders one level down; nothing else is: another name, a folder, a
// file deeper down, a link's target.
func TestFolderRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	files := map[string]bool{ // planted: removed?
		".report-123.tmp":           true,
		"Nagoya/.report-456.tmp":    true,
		"Gone/.report-7.tmp":        true,
		".report-abc.tmp":           false,
		".report-.tmp":              false,
		".report-12.tmp.bak":        false,
		"notes.tmp":                 false,
		"Gone/deeper/.report-8.tmp": false,
	}
	for rel := range files {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(dir, ".report-9.tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(outside, ".report-10.tmp"), []byte("x"), 0o644)
	linked := os.Symlink(outside, filepath.Join(dir, "link")) == nil // not on Windows without the right

	w := writeSome(t, dir, all, "", HTML, CSV)

	var want []string
	for rel, gone := range files {
		_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
		switch {
		case gone && err == nil:
			t.Errorf("%s left", rel)
		case !gone && err != nil:
			t.Errorf("%s: %v, want it kept", rel, err)
		}
		if gone {
			want = append(want, rel)
		}
	}
	sort.Strings(want)
	var removed []string
	for _, r := range w.Removed {
		if strings.Contains(r, ".tmp") {
			removed = append(removed, r)
		}
	}
	if !reflect.DeepEqual(removed, want) {
		t.Errorf("removed %q, want %q", removed, want)
	}
	if fi, err := os.Stat(filepath.Join(dir, ".report-9.tmp")); err != nil || !fi.IsDir() {
		t.Errorf("the folder .report-9.tmp: %v", err)
	}
	if _, err := os.Stat(filepath.Join(outside, ".report-10.tmp")); linked && err != nil {
		t.Errorf("a file through a link was removed: %v", err)
	}
	for _, f := range tree(t, dir) {
		if staleTemp(filepath.Base(f)) && !strings.HasPrefix(f, "Gone/deeper/") {
			t.Errorf("%s left", f)
		}
	}
}

// TestErrorNamesQuoted: an error that names a site or a line, whose
// names come from the bundles, quotes them (%q), so that a name cannot
// start a line of its own or pass for the error's own words, before the
// program prints the error (terminal.Message).
func TestErrorNamesQuoted(t *testing.T) {
	site, line := "Nagoya\nimporter: hint: S", "L1\u202e\nimporter: hint: L"
	tests := []struct {
		name string
		fail func(t *testing.T, w *Writer, d Device) error
		want []string
	}{
		// Lines of a site that do not come together.
		{"site order", func(t *testing.T, w *Writer, d Device) error {
			for _, sl := range [][2]string{{site, "L0"}, {"Elsewhere", "Z9"}} {
				if err := w.Line(sl[0], sl[1], []Device{d}); err != nil {
					t.Fatal(err)
				}
			}
			return w.Line(site, line, []Device{d})
		}, []string{`site "Nagoya\nimporter: hint: S", line "L1\u202e\nimporter: hint: L"`}},
		// A line's sheet that cannot be made: more devices than a sheet
		// holds, counted without the rows (a million devices in one line
		// would take minutes to render).
		{"workbook line", func(t *testing.T, w *Writer, d Device) error {
			if err := w.Line(site, line, []Device{d}); err != nil {
				t.Fatal(err)
			}
			w.sites[site].book.sheets[0].offs = make([]int, excelize.TotalRows)
			_, err := w.Close()
			return err
		}, []string{`line "L1\u202e\nimporter: hint: L": 1048576 devices`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, d := testWriter(t, t.TempDir(), XLSX)
			err := tc.fail(t, w, d)
			if err == nil {
				t.Fatal("the report did not fail")
			}
			w.Abort()
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("got %q, want it to hold %s", err, want)
				}
			}
			if strings.ContainsAny(err.Error(), "\n\u202e") {
				t.Errorf("got %q, which names a site or line raw", err)
			}
		})
	}
}

// TestLineSelectionOnSite: a report of one line (--line) makes each
// site's page and workbook hold that line only, so they say so in their
// title, as the fleet's page does: an auditor reading the site's totals
// must not take them for the whole site's.
func TestLineSelectionOnSite(t *testing.T) {
	for _, tc := range []struct {
		opt  Options
		want string // in the site's page title and its workbook's
	}{
		{Options{Line: "L1"}, "Site Nagoya (Line L1)"},
		{Options{Site: "Nagoya", Line: "L1"}, "Site Nagoya (Line L1)"},
		{Options{Site: "Nagoya"}, "Site Nagoya"}, // the whole site
		{Options{}, "Site Nagoya"},
	} {
		dir := t.TempDir()
		opt := tc.opt
		opt.Lang, opt.AsOf, opt.Generated, opt.Generator, opt.Formats = classify.English, asOf, asOf, "test", []string{HTML, XLSX}
		w, err := NewWriter(dir, opt)
		if err != nil {
			t.Fatal(err)
		}
		fillLines(t, w, func(site, line string) bool {
			return (opt.Site == "" || site == opt.Site) && (opt.Line == "" || line == opt.Line)
		})
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		page, _ := os.ReadFile(filepath.Join(dir, "Nagoya", "index.html"))
		if h1 := "<h1>" + tc.want + "</h1>"; !strings.Contains(string(page), h1) {
			t.Errorf("%+v: the site's page lacks %q", tc.opt, h1)
		}
		f, err := excelize.OpenFile(filepath.Join(dir, "Nagoya", "Nagoya.xlsx"))
		if err != nil {
			t.Fatal(err)
		}
		title, _ := f.GetCellValue(f.GetSheetName(0), "A1")
		f.Close()
		if title != tc.want {
			t.Errorf("%+v: the workbook's title is %q, want %q", tc.opt, title, tc.want)
		}
	}
}

// TestFolderRefusesOthersFiles: a report never overwrites a file in its
// folder that no report wrote (a hand-made index.html), or that was
// changed since the earlier report wrote it (an auditor's notes saved
// over a line's CSV): it refuses with ErrNotOurs naming each such file,
// and leaves the folder as it was: no file takes its name, none is left
// under a temporary one.
// A file of the earlier report that is as it wrote it is replaced, and
// one of another name stays (TestFolderHoldsOneReport).
func TestFolderRefusesOthersFiles(t *testing.T) {
	lineCSV := func(t *testing.T, dir string) string {
		for _, f := range tree(t, dir) {
			if strings.HasSuffix(f, ".csv") && strings.Contains(f, "/") {
				return f
			}
		}
		t.Fatal("the report wrote no line CSV")
		return ""
	}
	for _, tc := range []struct {
		name    string
		prepare func(t *testing.T, dir string) []string // the files the report must not overwrite
	}{
		{"a hand-made index.html", func(t *testing.T, dir string) []string {
			return []string{"index.html"}
		}},
		{"a hand-made site page beside an earlier report", func(t *testing.T, dir string) []string {
			writeSome(t, dir, func(s, _ string) bool { return s == "Nagoya" }, "Nagoya")
			os.MkdirAll(filepath.Join(dir, "Kumamoto"), 0o755)
			return []string{"Kumamoto/index.html"}
		}},
		{"a report file changed since", func(t *testing.T, dir string) []string {
			writeSome(t, dir, all, "")
			return []string{lineCSV(t, dir), "devices.csv"}
		}},
		{"an earlier report's files without their list", func(t *testing.T, dir string) []string {
			writeSome(t, dir, all, "")
			if err := os.Remove(filepath.Join(dir, FilesList)); err != nil {
				t.Fatal(err)
			}
			return nil // every file of the report is no report's now
		}},
	} {
		// Refused at Close, once every file is written (a caller that
		// does not say which lines come), and before anything is
		// rendered when the lines are known (Options.Lines): NewWriter
		// itself refuses, with the same files.
		for _, planned := range []bool{false, true} {
			name := tc.name
			if planned {
				name += ", lines known"
			}
			t.Run(name, func(t *testing.T) {
				refuses(t, tc.prepare, planned)
			})
		}
	}
}

// refuses holds a report into a folder that prepare made to refusing
// it, naming the files prepare returned (nil: every file of the folder
// but the list and the lock), and to leaving the folder as it was; with
// planned, NewWriter refuses it, before any line is rendered.
func refuses(t *testing.T, prepare func(t *testing.T, dir string) []string, planned bool) {
	dir := t.TempDir()
	mine := prepare(t, dir)
	for _, f := range mine {
		if err := os.WriteFile(filepath.Join(dir, filepath.FromSlash(f)), []byte("mine"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if mine == nil {
		for _, f := range tree(t, dir) {
			if f != FilesList && !strings.HasSuffix(f, ".lock") {
				mine = append(mine, f)
			}
		}
	}
	before := contents(t, dir)
	opt := Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test"}
	if planned {
		opt.Lines = fleetLines(t, all)
	}
	w, err := NewWriter(dir, opt)
	if err == nil && planned {
		t.Fatal("NewWriter took the folder: the refusal would come only after every line was rendered")
	}
	if err == nil {
		fillLines(t, w, all)
		_, err = w.Close()
	}
	var nerr *NotOursError
	if !errors.Is(err, ErrNotOurs) || !errors.As(err, &nerr) {
		t.Fatalf("got %v, want ErrNotOurs", err)
	}
	sort.Strings(mine)
	if !reflect.DeepEqual(nerr.Files, mine) {
		t.Errorf("names %q, want %q", nerr.Files, mine)
	}
	for i, f := range nerr.Files {
		if i < maxNamed && !strings.Contains(err.Error(), " "+f) {
			t.Errorf("the error does not name %s: %v", f, err)
		}
	}
	if after := contents(t, dir); !reflect.DeepEqual(after, before) {
		t.Errorf("a refused report changed the folder:\n got %q\nwant %q", sortedKeys(after), sortedKeys(before))
	}
}

// TestFolderAfterKill: a report stopped while its files took their names
// (the process killed, the machine off) leaves some files of its own and
// some of the earlier report's; the next report replaces them all, as
// report files, and leaves the folder as one report. A list of version
// 1, without checksums, names report files too: the first report after
// an update to version 2 is not refused.
func TestFolderAfterKill(t *testing.T) {
	report := func(t *testing.T, dir string, generated time.Time) error {
		w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: generated, Generator: "test"})
		if err == nil {
			fillLines(t, w, all)
			_, err = w.Close()
		}
		return err
	}
	t.Run("killed while publishing", func(t *testing.T) {
		dir := t.TempDir()
		if err := report(t, dir, asOf); err != nil {
			t.Fatal(err)
		}
		want := tree(t, dir)
		renamed := 0
		afterRename = func() {
			if renamed++; renamed == 3 {
				runtime.Goexit() // the report goes no further: no list, no discard
			}
		}
		done := make(chan struct{})
		go func() {
			defer close(done)
			report(t, dir, asOf.Add(time.Hour)) // other bytes in every page
		}()
		<-done
		afterRename = nil
		if renamed != 3 {
			t.Fatalf("%d renames, want the report stopped after 3", renamed)
		}
		if err := report(t, dir, asOf.Add(2*time.Hour)); err != nil {
			t.Fatalf("the report after a killed one: %v", err)
		}
		if got := tree(t, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("files after:\n got %q\nwant %q", got, want)
		}
	})
	t.Run("a list of version 1", func(t *testing.T) {
		dir := t.TempDir()
		if err := report(t, dir, asOf); err != nil {
			t.Fatal(err)
		}
		want := tree(t, dir)
		v1 := filesListHeadV1 + "\n"
		for _, e := range earlierFiles(dir) {
			v1 += e.rel + "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, FilesList), []byte(v1), 0o644); err != nil {
			t.Fatal(err)
		}
		// A report of one site first: the other site's files, listed
		// by name alone, are neither removed nor forgotten, so the
		// next whole report replaces them too.
		writeSome(t, dir, func(s, _ string) bool { return s == "Nagoya" }, "Nagoya")
		if got := tree(t, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("files after the report of one site:\n got %q\nwant %q", got, want)
		}
		if err := report(t, dir, asOf.Add(time.Hour)); err != nil {
			t.Fatalf("the report after a version 1 list: %v", err)
		}
		if got := tree(t, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("files after:\n got %q\nwant %q", got, want)
		}
		// The last report wrote every file: no name is listed by name
		// alone any more, and the stale ones are removed again.
		for _, e := range earlierFiles(dir) {
			if e.sum == "" {
				t.Errorf("%s still listed without a checksum", e.rel)
			}
		}
	})
}

// TestPlannedFiles: the files NewWriter checks for a report of lines
// (Options.Lines) are the files the report writes, names made unique
// and safe as Begin makes them, in every choice of formats.
func TestPlannedFiles(t *testing.T) {
	lines, _ := fleet(t)
	var dev Device
	for _, devs := range lines {
		dev = devs[0]
		break
	}
	long := strings.Repeat("長い名前", 12)
	places := []Place{{"Nagoya", "L1"}, {"Nagoya", "l1"}, {"Nagoya", "devices"}, {"Nagoya", "L1.products"}, {"Nagoya", "L1_products"},
		{"NAGOYA", "L1"}, {"CON", "index"}, {"a/b", ""}, {"a_b", "x"}, {long + "1", long + "a"}, {long + "2", long + "b"}, {"index", "Products"}}
	for _, formats := range [][]string{nil, {HTML}, {CSV, JSON}, {XLSX}, {JSON, XLSX}} {
		t.Run(strings.Join(formats, ","), func(t *testing.T) {
			dir := t.TempDir()
			w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Formats: formats, Lines: places})
			if err != nil {
				t.Fatal(err)
			}
			planned := w.plannedFiles(places)
			for _, p := range places {
				d := dev
				d.Site, d.Line = p.Site, p.Line
				if err := w.Line(p.Site, p.Line, []Device{d}); err != nil {
					t.Fatal(err)
				}
			}
			written, err := w.Close()
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(planned)
			sort.Strings(written)
			if !reflect.DeepEqual(planned, written) {
				t.Errorf("planned:\n%q\nwritten:\n%q", planned, written)
			}
		})
	}
}

// TestFolderChangedAfterCheck: a report file changed after NewWriter
// found it the earlier report's (Options.Lines) is still refused at
// Close, which reads again what changed since.
func TestFolderChangedAfterCheck(t *testing.T) {
	dir := t.TempDir()
	writeSome(t, dir, all, "")
	w, err := NewWriter(dir, Options{Lang: classify.English, AsOf: asOf, Generated: asOf, Generator: "test", Lines: fleetLines(t, all)})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "devices.csv"), []byte("notes"), 0o644); err != nil {
		t.Fatal(err)
	}
	fillLines(t, w, all)
	_, err = w.Close()
	var nerr *NotOursError
	if !errors.As(err, &nerr) || !reflect.DeepEqual(nerr.Files, []string{"devices.csv"}) {
		t.Fatalf("got %v, want devices.csv refused", err)
	}
}
