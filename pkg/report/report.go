// Package report writes the reports of a fleet: per line an HTML page, a
// CSV and a JSON file; per site and for the fleet an index with counts,
// a chart and the volume-license plan; fleet-wide CSV and JSON of every
// device.
//
// Reports stream: the caller hands over one line at a time (Writer.Line)
// and only counts are kept across lines, so a fleet of 100,000 devices is
// written in bounded memory. HTML pages are self-contained (inline CSS and
// SVG, no script, a Content-Security-Policy that forbids loading anything)
// and print on paper.
package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// Formats a report can be written in.
const (
	HTML = "html"
	CSV  = "csv"
	JSON = "json"
)

// ErrFormat means an unknown format was asked for.
var ErrFormat = errors.New("report: unknown format")

// Device is one device as reports show it: its latest collection and the
// verdict as of the report date.
type Device struct {
	Key         string
	Site, Line  string
	Asset       string
	Hostname    string
	CollectedAt time.Time
	Engineer    string
	Collector   string
	BundleID    string
	SHA256      string
	Source      string // "bundle" or "text"
	Collections int
	Snapshot    *licensing.Snapshot
	Verdict     classify.Verdict
	Raw         []Raw // raw slmgr/ospp text, already decoded
}

// Raw is one raw output as text.
type Raw struct {
	Name, Command, Text string
}

// Options control a report run.
type Options struct {
	Lang      string    // "en" or "ja"
	AsOf      time.Time // the date verdicts are taken at
	Formats   []string  // html, csv, json
	Generated time.Time
	Generator string // program and version, printed in the footer
}

// Writer writes the reports into one folder.
type Writer struct {
	dir   string
	opt   Options
	fmts  map[string]bool
	t     *texts
	sites map[string]*siteSum
	order []string // site order of first appearance
	fleet summary
	files []string

	csvF  *bufio.Writer
	csvFF *os.File
	jsonF *os.File
	jsonW *bufio.Writer
	nJSON int
	names map[string]bool // file names used, to keep them unique
}

// summary counts a group of devices.
type summary struct {
	Devices  int
	Category map[classify.Category]int
	// Routes counts products to move per kind, product, edition and route.
	Routes map[routeKey]int
	Flags  map[string]int
}

type routeKey struct {
	Kind    licensing.Kind
	Edition string
	Product string
	Route   classify.Route
}

func newSummary() summary {
	return summary{Category: map[classify.Category]int{}, Routes: map[routeKey]int{}, Flags: map[string]int{}}
}

func (s *summary) add(d *Device) {
	s.Devices++
	s.Category[d.Verdict.Category]++
	for _, r := range d.Verdict.Routes {
		fam := productFamily(r.Product)
		if fam == "Windows" && d.Snapshot != nil {
			if m := windowsRelease.FindString(d.Snapshot.OS.Caption); m != "" {
				fam = m
			}
		}
		s.Routes[routeKey{r.Kind, r.Edition, fam, r.Route}]++
	}
	seen := map[string]bool{}
	for _, f := range d.Verdict.Flags {
		if !seen[f.Code] {
			seen[f.Code] = true
			s.Flags[f.Code]++
		}
	}
}

func (s *summary) merge(o summary) {
	s.Devices += o.Devices
	for k, v := range o.Category {
		s.Category[k] += v
	}
	for k, v := range o.Routes {
		s.Routes[k] += v
	}
	for k, v := range o.Flags {
		s.Flags[k] += v
	}
}

// windowsRelease finds "Windows 10", "Windows 8.1", "Windows Server 2012
// R2" in an OS caption.
var windowsRelease = regexp.MustCompile(`Windows (Server )?\d+(\.\d)?( R2)?`)

// productFamily shortens a product name for the plan: "Windows(R) 7,
// Professional edition" → "Windows 7"; "Office 14, …" → "Office 2010".
func productFamily(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.HasPrefix(n, "office 14"):
		return "Office 2010"
	case strings.HasPrefix(n, "office 15"):
		return "Office 2013"
	case strings.HasPrefix(n, "office 16"):
		return "Office 2016"
	case strings.HasPrefix(n, "office 19"):
		return "Office 2019"
	case strings.HasPrefix(n, "office 21"):
		return "Office LTSC 2021"
	case strings.HasPrefix(n, "office 24"):
		return "Office LTSC 2024"
	case strings.Contains(n, "windows(r) 7"):
		return "Windows 7"
	case strings.Contains(n, "vista"):
		return "Windows Vista"
	case strings.HasPrefix(n, "windows"):
		return "Windows"
	}
	return name
}

type siteSum struct {
	name  string
	file  string // folder name
	lines []lineSum
	sum   summary
	pool  classify.Pool
}

type lineSum struct {
	name, file string
	sum        summary
}

// NewWriter prepares dir (created if missing) for a report run.
func NewWriter(dir string, opt Options) (*Writer, error) {
	if opt.Lang != "ja" {
		opt.Lang = "en"
	}
	if len(opt.Formats) == 0 {
		opt.Formats = []string{HTML, CSV, JSON}
	}
	if opt.Generated.IsZero() {
		opt.Generated = time.Now()
	}
	w := &Writer{dir: dir, opt: opt, fmts: map[string]bool{}, t: lang(opt.Lang), sites: map[string]*siteSum{},
		fleet: newSummary(), names: map[string]bool{}}
	for _, f := range opt.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != HTML && f != CSV && f != JSON {
			return nil, fmt.Errorf("%w %q (use html, csv, json)", ErrFormat, f)
		}
		w.fmts[f] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if w.fmts[CSV] {
		f, err := os.Create(filepath.Join(dir, "devices.csv"))
		if err != nil {
			return nil, err
		}
		w.csvFF, w.csvF = f, bufio.NewWriterSize(f, 1<<16)
		cw := newCSV(w.csvF)
		cw.Write(csvHeader)
		cw.Flush()
		w.files = append(w.files, f.Name())
	}
	if w.fmts[JSON] {
		f, err := os.Create(filepath.Join(dir, "devices.json"))
		if err != nil {
			return nil, err
		}
		w.jsonF, w.jsonW = f, bufio.NewWriterSize(f, 1<<16)
		fmt.Fprintf(w.jsonW, "{\n  \"as_of\": %q,\n  \"generated\": %q,\n  \"devices\": [", opt.AsOf.Format("2006-01-02"), opt.Generated.Format(time.RFC3339))
		w.files = append(w.files, f.Name())
	}
	return w, nil
}

// SetPool records a site's KMS pool for the site and fleet pages; sites
// without a line in this report are left out.
func (w *Writer) SetPool(site string, p classify.Pool) {
	if s := w.sites[site]; s != nil {
		s.pool = p
	}
}

func (w *Writer) site(name string) *siteSum {
	s := w.sites[name]
	if s == nil {
		s = &siteSum{name: name, file: w.unique(safeName(name, "site"), ""), sum: newSummary()}
		w.sites[name] = s
		w.order = append(w.order, name)
	}
	return s
}

// unique returns name, or name-2, name-3…, never used twice within parent.
func (w *Writer) unique(name, parent string) string {
	cand := name
	for i := 2; w.names[strings.ToLower(parent+"/"+cand)]; i++ {
		cand = fmt.Sprintf("%s-%d", name, i)
	}
	w.names[strings.ToLower(parent+"/"+cand)] = true
	return cand
}

// safeName keeps letters (any script) and digits and turns the rest into
// '_': site and line names become file names on every system. Names are
// compared as Windows and macOS compare them, ignoring case: a line
// "Index" must not become Index.html beside the site's index.html, and a
// Windows device name (CON, AUX, NUL, COM1…, which Windows opens as the
// device whatever the extension: CON.html is the console) gets a '_'.
func safeName(s, empty string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if out == "" || strings.EqualFold(out, "index") || strings.EqualFold(out, "devices") {
		return empty + "_" + out
	}
	if len(out) > 80 {
		// Cut at a rune: half a character is no file name on Windows.
		n := 80
		for n > 0 && !utf8.RuneStart(out[n]) {
			n--
		}
		out = out[:n]
	}
	if windowsDevice(out) {
		out += "_"
	}
	return out
}

// windowsDevice reports whether name is one Windows reserves for a device
// (learn.microsoft.com, "Naming Files, Paths, and Namespaces"), in any case.
func windowsDevice(name string) bool {
	switch strings.ToUpper(name) {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if len(name) == 4 {
		p := strings.ToUpper(name[:3])
		return (p == "COM" || p == "LPT") && name[3] >= '0' && name[3] <= '9'
	}
	return false
}

// sortDevices puts the most urgent first, then by asset and host.
func sortDevices(devs []Device) {
	sort.SliceStable(devs, func(i, j int) bool {
		a, b := devs[i].Verdict.Category.Rank(), devs[j].Verdict.Category.Rank()
		if a != b {
			return a < b
		}
		if devs[i].Asset != devs[j].Asset {
			return devs[i].Asset < devs[j].Asset
		}
		return devs[i].Hostname < devs[j].Hostname
	})
}

// Line writes the reports of one line: Begin, Render and Commit in one.
// Lines of a site may come in any order but each line once.
func (w *Writer) Line(site, line string, devs []Device) error {
	l := w.Begin(site, line)
	if err := w.Render(l, devs); err != nil {
		return err
	}
	return w.Commit(l)
}

// LineReport is one line on its way: Begin names its files, Render writes
// them, Commit adds it to the site and fleet.
type LineReport struct {
	site  *siteSum
	sum   lineSum
	base  string // path without extension
	csv   []byte // rows for the fleet CSV
	json  []byte // entries for the fleet JSON
	files []string
}

// Begin starts a line: it gives it file names that no other line of the
// site has. Call it in the order lines are to be committed.
func (w *Writer) Begin(site, line string) *LineReport {
	s := w.site(site)
	l := &LineReport{site: s, sum: lineSum{name: line, file: w.unique(safeName(line, "line"), s.file), sum: newSummary()}}
	l.base = filepath.Join(w.dir, s.file, l.sum.file)
	return l
}

// Render writes the line's own files and prepares its part of the fleet
// files. Several Renders may run at once, on different lines.
func (w *Writer) Render(l *LineReport, devs []Device) error {
	sortDevices(devs)
	for i := range devs {
		l.sum.sum.add(&devs[i])
	}
	if err := os.MkdirAll(filepath.Dir(l.base), 0o755); err != nil {
		return err
	}
	write := func(name string, fill func(*bufio.Writer) error) error {
		if err := writeFile(name, fill); err != nil {
			return err
		}
		l.files = append(l.files, name)
		return nil
	}
	if w.fmts[HTML] {
		if err := write(l.base+".html", func(f *bufio.Writer) error { return w.linePage(f, l.site, &l.sum, devs) }); err != nil {
			return err
		}
	}
	if w.fmts[CSV] {
		if err := write(l.base+".csv", func(f *bufio.Writer) error {
			cw := newCSV(f)
			cw.Write(csvHeader)
			for i := range devs {
				writeCSV(cw, &devs[i], w.opt.Lang)
			}
			cw.Flush()
			return cw.Error()
		}); err != nil {
			return err
		}
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		cw.UseCRLF = true
		for i := range devs {
			writeCSV(cw, &devs[i], w.opt.Lang)
		}
		cw.Flush()
		l.csv = b.Bytes()
	}
	if w.fmts[JSON] {
		if err := write(l.base+".json", func(f *bufio.Writer) error {
			return writeJSONDoc(f, devs, w.opt)
		}); err != nil {
			return err
		}
		var b bytes.Buffer
		for i := range devs {
			j, err := json.MarshalIndent(jsonDevice(&devs[i], w.opt.Lang), "    ", "  ")
			if err != nil {
				return err
			}
			b.WriteString(",\n    ")
			b.Write(j)
		}
		l.json = b.Bytes()
	}
	return nil
}

// Commit adds a rendered line to its site and to the fleet files. Lines
// are committed one at a time, in the order they began.
func (w *Writer) Commit(l *LineReport) error {
	if w.csvF != nil {
		if _, err := w.csvF.Write(l.csv); err != nil {
			return err
		}
	}
	if w.jsonW != nil && len(l.json) > 0 {
		j := l.json
		if w.nJSON == 0 {
			j = j[1:] // no comma before the first device
		}
		w.nJSON++
		w.jsonW.Write(j)
	}
	w.files = append(w.files, l.files...)
	l.site.lines = append(l.site.lines, l.sum)
	l.site.sum.merge(l.sum.sum)
	w.fleet.merge(l.sum.sum)
	return nil
}

// writeFile writes name through a temporary file and a rename, so a
// report is never left half-written.
func writeFile(name string, fill func(*bufio.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(name), ".report-*.tmp")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	err = fill(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), name)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %w", name, err)
	}
	return nil
}

// writeIndex writes a page of the site or fleet and records it.
func (w *Writer) writeIndex(name string, fill func(*bufio.Writer) error) error {
	if err := writeFile(name, fill); err != nil {
		return err
	}
	w.files = append(w.files, name)
	return nil
}

// Close writes the site and fleet pages and finishes the fleet files. It
// returns every file written.
func (w *Writer) Close() ([]string, error) {
	var errs []error
	if w.csvF != nil {
		errs = append(errs, w.csvF.Flush(), w.csvFF.Close())
	}
	if w.jsonW != nil {
		fmt.Fprintf(w.jsonW, "\n  ],\n  \"summary\": ")
		b, _ := json.MarshalIndent(jsonSummary(w), "  ", "  ")
		w.jsonW.Write(b)
		w.jsonW.WriteString("\n}\n")
		errs = append(errs, w.jsonW.Flush(), w.jsonF.Close())
	}
	if w.fmts[HTML] {
		for _, name := range w.order {
			s := w.sites[name]
			sort.Slice(s.lines, func(i, j int) bool { return s.lines[i].name < s.lines[j].name })
			errs = append(errs, w.writeIndex(filepath.Join(w.dir, s.file, "index.html"), func(f *bufio.Writer) error { return w.sitePage(f, s) }))
		}
		errs = append(errs, w.writeIndex(filepath.Join(w.dir, "index.html"), func(f *bufio.Writer) error { return w.fleetPage(f) }))
	}
	return w.files, errors.Join(errs...)
}
