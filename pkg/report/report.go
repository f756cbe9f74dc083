// Package report writes the reports of a fleet: per line an HTML page,
// CSV files of its devices and products and a JSON file; per site an
// index with counts, a chart, the site's KMS verdict and its procurement
// and work plan, and an XLSX workbook; for the fleet the same index and
// CSV and JSON files of every device.
//
// Every device shows first what to do (its action) and by when (its
// deadline, at the as-of date), in the report's language; times are in
// the zone of the site's devices, with the zone shown.
//
// Reports stream: the caller hands over one line at a time (Writer.Line)
// and only counts are kept across lines, so a fleet of 100,000 devices is
// written in bounded memory. HTML pages are written by the templates in
// templates/, self-contained (inline CSS and SVG, no script, a
// Content-Security-Policy that forbids loading anything) and print on
// paper. Every file is written under a temporary name beside its own,
// and Close gives them all their names once the whole report is
// written: a report that fails part way leaves the folder as it was
// (folder.go).
package report

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/internal/atomicfile"
	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// Formats a report can be written in.
const (
	HTML = "html"
	CSV  = "csv"
	JSON = "json"
	XLSX = "xlsx"
)

// Schema names the version of the JSON reports; the part after the
// slash is the major version, raised when a field changes meaning.
const Schema = "actcourier-report/1"

var (
	// ErrFormat means an unknown format was asked for.
	ErrFormat = errors.New("report: unknown format")
	// ErrSiteOrder means a line came for a site whose workbook was
	// already written: with XLSX, the lines of a site must come one
	// after another.
	ErrSiteOrder = errors.New("report: lines of a site must come together for its workbook")
)

// Device is one device as reports show it: its latest collection and the
// verdict as of the report date.
type Device struct {
	ID          int64 // the store's device ID, shown to pick a device
	Key         string
	Site, Line  string
	Asset       string
	Hostname    string
	CollectedAt time.Time
	Engineer    string
	Collector   string
	BundleID    string
	SHA256      string
	Collections int
	Snapshot    *licensing.Snapshot
	Verdict     classify.Verdict
	Raw         []Raw // raw slmgr/ospp text, already decoded
	// Activation lists the device's requests for a Confirmation ID, when
	// the store keeps them; shown per line, and in JSON.
	Activation []Activation
}

// Raw is one raw output as text.
type Raw struct {
	Name, Command, Text string
}

// Options control a report run.
type Options struct {
	Lang      classify.Lang
	AsOf      time.Time // the date verdicts are taken at
	Formats   []string  // html, csv, json, xlsx
	Generated time.Time
	Generator string // program and version, printed in the footer
	// Site and Line are what the report was asked to cover when not the
	// whole fleet (the importer's --site and --line): the fleet's page
	// and devices.json name them, so that a part is not read as the
	// whole.
	Site, Line string
	// Lines, when not nil, are the lines the report will write, in the
	// order they will begin (as the store lists them: by site, then
	// line). NewWriter then knows every file the report will write and
	// refuses a folder that holds one of those names that no report
	// wrote (ErrNotOurs) before anything is rendered or written, rather
	// than after the whole report was (a minute at 1,000,000 devices);
	// Close checks again, for a file put there since, or a line that
	// came since.
	Lines []Place
	// Past says the report is the fleet as it was at the end of the
	// AsOf day, each device by its latest collection made by then, not
	// the fleet as it is (the importer's --as-of before a later
	// collection). Every page, JSON file and workbook then says so, with
	// how many devices of its scope were first collected later and are
	// not in it (LeftOut): an auditor would otherwise read it as the
	// whole fleet today.
	Past bool
	// LeftOut counts, per line of their latest collection, the devices
	// first collected after the as-of day that a Past report leaves
	// out. A line here may have no page of its own: all its devices
	// came later.
	LeftOut map[Place]int
}

// Writer writes the reports into one folder.
type Writer struct {
	// productHead is the head of every product table, rendered once.
	productHead template.HTML
	dir         string
	lock        *folderLock // held from NewWriter to Close or Abort
	opt         Options
	fmts        map[string]bool
	t           *texts
	sites       map[string]*siteSum
	order       []string // site order of first appearance
	pools       map[string]classify.Pool
	fleet       summary
	files       []string

	csv      *pending // devices.csv, renamed into place by Close
	products *pending // products.csv, likewise
	json     *pending // devices.json, likewise
	nJSON    int
	names    map[string]bool // file names used, to keep them unique
	last     *siteSum        // the site of the last line committed

	// Options.LeftOut summed per site and for the fleet (asOfNote).
	siteLeftOut map[string]int
	leftOut     int

	// checked are the files of the folder that refused found an
	// earlier report's, as they were then: Close need not read them
	// again, unless they changed.
	checked map[string]os.FileInfo

	mu   sync.Mutex
	made []madeFile // every file written, committed or not (track)
	// Removed lists the files of an earlier report in the folder that
	// this one did not write again and Close removed (folder.go),
	// relative to the folder.
	Removed []string
}

// pending is a file being written under a temporary name beside its
// final one.
type pending struct {
	name string // final name
	f    *os.File
	w    *bufio.Writer
	h    hash.Hash32 // checksum of what w wrote (newSum)
	sum  string      // hex of h, once done closed it whole
}

// A file is written under a name of this shape until it is whole and
// given its own (removeStale knows it).
const tempPrefix, tempSuffix = ".report-", ".tmp"

func create(name string) (*pending, error) {
	f, err := createTemp(filepath.Dir(name))
	if err != nil {
		return nil, err
	}
	h := newSum()
	return &pending{name: name, f: f, w: bufio.NewWriterSize(io.MultiWriter(f, h), 1<<16), h: h}, nil
}

// createTemp is os.CreateTemp(dir, tempPrefix+"*"+tempSuffix) (a new
// file, O_EXCL: never through a link someone left), with the mode
// os.Create gives, 0666 less the umask, not CreateTemp's 0600: the file
// keeps it when it takes its name, and auditors may read the folder
// under another account (a share, a web server).
func createTemp(dir string) (*os.File, error) {
	return atomicfile.CreateTemp(dir, tempPrefix, tempSuffix, 0o666)
}

// done flushes and closes the file; when everything went well (err is
// nil) it stays under its temporary name, whole, for the Writer to give
// it its name (publish), otherwise it is removed.
func (p *pending) done(err error) error {
	if err == nil {
		err = p.w.Flush()
	}
	if cerr := p.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(p.f.Name())
		return fmt.Errorf("writing %s: %w", p.name, err)
	}
	p.sum = sumOf(p.h)
	return nil
}

// summary counts a group of devices: a line, a site or the fleet.
type summary struct {
	Devices  int
	Category map[classify.Category]int
	Actions  map[classify.Action]int // devices by their action
	// Plan counts the devices per action, product and KMS host, with
	// the devices behind each row (up to maxRefs per row).
	Plan map[planKey]*planEntry
	// Images counts the devices to keep by a full image backup (a plan
	// row of action image-backup): one image a device, which keeps its
	// Windows and its Office, though it is in a row for each.
	Images int
	Flags  map[string]int
	zones  map[zoneKey]zoneCount
}

// zoneCount is a zone and how many devices of a group have it.
type zoneCount struct {
	z zone
	n int
}

// planKey is a row of the plan: an action on a product, in the report's
// language (an unknown version stays unknown). Text is the action in
// words, which says more than its code for a product that is replaced by
// its volume edition first (classify.Step.VolumeEdition); Volume is then
// the family of that edition (classify.Step.VolumeFamily: Office, Visio,
// Project, Windows), a volume license of which is bought for each
// device, and "" for a product that is not replaced.
type planKey struct {
	Action classify.Action
	Kind   licensing.Kind
	Name   string
	Host   string
	Text   string
	Volume string
}

type planEntry struct {
	// Count counts the row's devices, each once however many of its
	// products are in the row.
	Count int
	// Urgent counts the row's urgent devices (category Urgent: act
	// now), which its work comes first for.
	Urgent int
	// Due is the row's earliest deadline (zero when none of its products
	// expires): by when the first of its work must be done. dueZone is
	// the zone of the device it is of, which its date is shown in, as on
	// that device's page: a fleet of several zones has none of its own.
	Due     classify.Deadline
	dueZone zone
	Refs    []devRef       // the devices, as links from the site's folder, urgent ones kept (addRef)
	Sites   map[string]int // fleet rows: devices per site
	// UrgentSites are a fleet row's urgent devices per site, for the
	// sites that have any: where each of them is.
	UrgentSites map[string]int
	last        string // the Href of the device last added
}

// devRef links a device in a plan; Urgent marks an urgent device.
type devRef struct {
	Asset, Href string
	Urgent      bool
}

// addRef lists a device in the row, up to maxRefs: once the row is
// full, an urgent device takes the place of the last one listed that is
// not urgent, so that no urgent device is left among the ones counted
// but not named ("and 12 more") while the row names a routine one; a
// row of more than maxRefs urgent devices says how many of those only
// counted are urgent (texts.MoreUrgent).
func (e *planEntry) addRef(r devRef) {
	if len(e.Refs) < maxRefs {
		e.Refs = append(e.Refs, r)
		return
	}
	if !r.Urgent {
		return
	}
	for i := len(e.Refs) - 1; i >= 0; i-- {
		if !e.Refs[i].Urgent {
			e.Refs[i] = r
			return
		}
	}
}

// due adds a deadline of the row's, of a device in zone z: the earliest
// is kept, with its zone; of two at the same instant, the one on the
// earlier day there, so that the row's date is no later than either
// device's page says.
func (e *planEntry) due(dl classify.Deadline, z zone) {
	if dl.IsZero() {
		return
	}
	if e.Due.IsZero() || dl.Date.Before(e.Due.Date) ||
		dl.Date.Equal(e.Due.Date) && dueDay(dl, z).Before(dueDay(e.Due, e.dueZone)) {
		e.Due, e.dueZone = dl, z
	}
}

// urgentFirst is a row's devices as shown: urgent ones first, each
// group in the order listed.
func urgentFirst(refs []devRef) []devRef {
	out := append([]devRef(nil), refs...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Urgent && !out[j].Urgent })
	return out
}

// urgentRefs counts the urgent devices among refs.
func urgentRefs(refs []devRef) int {
	n := 0
	for _, r := range refs {
		if r.Urgent {
			n++
		}
	}
	return n
}

// maxRefs bounds the devices a plan row lists (the rest are counted):
// a site's page stays readable and its memory bounded.
const maxRefs = 60

func newSummary() summary {
	return summary{Category: map[classify.Category]int{}, Actions: map[classify.Action]int{}, Plan: map[planKey]*planEntry{},
		Flags: map[string]int{}, zones: map[zoneKey]zoneCount{}}
}

func (s *summary) add(r *row, z zone, l classify.Lang) {
	d := r.d
	s.Devices++
	s.Category[d.Verdict.Category]++
	s.Actions[d.Verdict.Action.Action]++
	c := s.zones[z.key()]
	c.z, c.n = z, c.n+1
	s.zones[z.key()] = c
	image := false
	for _, st := range d.Verdict.Steps {
		if st.Action == classify.ActionNone {
			continue
		}
		image = image || st.Action == classify.ActionImage
		name := st.Name.Text(l)
		if st.Product == "" {
			name = "—"
		}
		k := planKey{st.Action, st.Kind, name, st.Host, st.ActionText(l), st.VolumeFamily()}
		e := s.Plan[k]
		if e == nil {
			e = &planEntry{}
			s.Plan[k] = e
		}
		e.due(st.Deadline, z)
		// A device counts once in a row, however many of its products
		// fall in it (two rows of its licensing platform that name one
		// product): its steps come together, so the row's last device
		// is this one if any of its steps was counted there.
		if e.last == r.href {
			continue
		}
		e.last = r.href
		e.Count++
		urgent := d.Verdict.Category == classify.Urgent
		if urgent {
			e.Urgent++
		}
		e.addRef(devRef{d.Asset, r.href, urgent})
	}
	if image {
		s.Images++
	}
	seen := map[string]bool{}
	for _, f := range d.Verdict.Flags {
		if !seen[f.Code] {
			seen[f.Code] = true
			s.Flags[f.Code]++
		}
	}
}

// merge adds o into s; site names o's site when s is the fleet's.
func (s *summary) merge(o summary, site string) {
	s.Devices += o.Devices
	s.Images += o.Images
	for k, v := range o.Category {
		s.Category[k] += v
	}
	for k, v := range o.Actions {
		s.Actions[k] += v
	}
	for k, e := range o.Plan {
		m := s.Plan[k]
		if m == nil {
			m = &planEntry{}
			s.Plan[k] = m
		}
		m.Count += e.Count
		m.Urgent += e.Urgent
		m.due(e.Due, e.dueZone)
		if site == "" {
			for _, r := range e.Refs {
				m.addRef(r)
			}
		} else {
			if m.Sites == nil {
				m.Sites = map[string]int{}
			}
			m.Sites[site] += e.Count
			if e.Urgent > 0 {
				if m.UrgentSites == nil {
					m.UrgentSites = map[string]int{}
				}
				m.UrgentSites[site] += e.Urgent
			}
		}
	}
	for k, v := range o.Flags {
		s.Flags[k] += v
	}
	for k, v := range o.zones {
		c := s.zones[k]
		c.z, c.n = v.z, c.n+v.n
		s.zones[k] = c
	}
}

// zone is the zone most of the group's devices have; UTC for none.
func (s *summary) zone() zone {
	best, n := utc, 0
	for _, c := range s.zones {
		z := c.z
		if c.n > n || c.n == n && (z.name < best.name || z.name == best.name && z.off < best.off) {
			best, n = z, c.n
		}
	}
	return best
}

// planKeys sorts the plan: by action (most pressing first), kind
// (Windows first), product, host.
func planKeys(m map[planKey]*planEntry) []planKey {
	keys := make([]planKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Action != b.Action {
			return a.Action.Rank() < b.Action.Rank()
		}
		if a.Kind != b.Kind {
			return a.Kind > b.Kind
		}
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Host != b.Host {
			return a.Host < b.Host
		}
		if a.Text != b.Text {
			return a.Text < b.Text
		}
		return a.Volume < b.Volume
	})
	return keys
}

type siteSum struct {
	name  string
	file  string // folder name
	lines []lineSum
	sum   summary
	book  *book // the workbook being filled; nil when written or not asked for
	done  bool  // its workbook is written
}

// bookName is the file name of the site's workbook, in its folder.
func (s *siteSum) bookName() string { return s.file + ".xlsx" }

type lineSum struct {
	name, file string
	sum        summary
	// json is the line in the fleet's summary JSON (lineJSON), written
	// when the line is committed: its plan, with up to maxRefs devices a
	// row, is not kept to the report's end (a report of 1,000,000 devices
	// kept 2,000 lines' plans, over 100 MB that every collection marked).
	json json.RawMessage
}

// generatedNow is when a report is made: the clock, or SOURCE_DATE_EPOCH
// (seconds since 1970, as reproducible-builds.org has it) when set, so
// that the same fleet gives the same bytes again (the test that compares
// the two stores' reports sets it).
func generatedNow() time.Time {
	if s, err := strconv.ParseInt(os.Getenv("SOURCE_DATE_EPOCH"), 10, 64); err == nil {
		return time.Unix(s, 0)
	}
	return time.Now()
}

// NewWriter prepares dir (created if missing) for a report run and holds
// it (LockFile) until Close or Abort: while another report is being
// written into dir it returns an error wrapping ErrBusy.
func NewWriter(dir string, opt Options) (*Writer, error) {
	if opt.Lang != classify.Japanese {
		opt.Lang = classify.English
	}
	if len(opt.Formats) == 0 {
		opt.Formats = []string{HTML, CSV, JSON, XLSX}
	}
	if opt.Generated.IsZero() {
		opt.Generated = generatedNow()
	}
	w := &Writer{dir: dir, opt: opt, fmts: map[string]bool{}, t: lang(opt.Lang), sites: map[string]*siteSum{},
		pools: map[string]classify.Pool{}, fleet: newSummary(), names: map[string]bool{}}
	if opt.Past {
		w.siteLeftOut = map[string]int{}
		for p, n := range opt.LeftOut {
			w.siteLeftOut[p.Site] += n
			w.leftOut += n
		}
	}
	for _, f := range opt.Formats {
		f = strings.ToLower(strings.TrimSpace(f))
		if f != HTML && f != CSV && f != JSON && f != XLSX {
			return nil, fmt.Errorf("%w %q (use html, csv, json, xlsx)", ErrFormat, f)
		}
		w.fmts[f] = true
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	var err error
	if w.lock, err = lockFolder(dir); err != nil {
		return nil, err
	}
	// Under the lock, before any file is begun: the folder as this
	// report will find it.
	if opt.Lines != nil {
		mine := w.refused(w.plannedFiles(opt.Lines))
		w.opt.Lines = nil // not kept: a fleet's lines are many
		if len(mine) > 0 {
			return nil, errors.Join(&NotOursError{Files: mine}, w.Abort())
		}
	}
	if w.productHead, err = productHead(w.t); err != nil {
		return nil, errors.Join(err, w.Abort())
	}
	if w.fmts[CSV] {
		if w.csv, err = create(filepath.Join(dir, "devices.csv")); err != nil {
			return nil, errors.Join(err, w.Abort())
		}
		if w.products, err = create(filepath.Join(dir, "products.csv")); err != nil {
			return nil, errors.Join(err, w.Abort())
		}
		if err = errors.Join(writeCSVHeader(w.csv.w, w.t.deviceHeader()), writeCSVHeader(w.products.w, w.t.productHeader())); err != nil {
			return nil, errors.Join(err, w.Abort())
		}
	}
	if w.fmts[JSON] {
		if w.json, err = create(filepath.Join(dir, "devices.json")); err != nil {
			return nil, errors.Join(err, w.Abort())
		}
		writeJSONHead(w.json.w, opt, utc, nil, w.asOfNote(w.leftOut))
	}
	return w, nil
}

// Abort ends a report that failed part way: it removes every file the
// report wrote (each still under its temporary name: only Close names
// them), the fleet files begun by NewWriter, and the site folders it
// made and left empty. The folder is left as it was: an earlier
// report in it stays whole, and no page of this one links a file it
// never wrote. The folder is released.
func (w *Writer) Abort() error {
	var errs []error
	for _, p := range []*pending{w.csv, w.products, w.json} {
		if p != nil {
			p.f.Close()
			if err := os.Remove(p.f.Name()); err != nil && !errors.Is(err, os.ErrNotExist) {
				errs = append(errs, err)
			}
		}
	}
	w.csv, w.products, w.json = nil, nil, nil
	if err := w.discard(); err != nil {
		errs = append(errs, err)
	}
	w.unlock()
	return errors.Join(errs...)
}

// unlock releases the folder (LockFile) once the report is written or
// abandoned.
func (w *Writer) unlock() {
	w.lock.unlock()
	w.lock = nil
}

// SetPool records a site's KMS pool, for its page, its workbook and the
// fleet's: call it before the first Commit, since a site's workbook is
// written as soon as its lines are in. It may run beside Begin and
// Render, which do not read the pools.
func (w *Writer) SetPool(site string, p classify.Pool) { w.pools[site] = p }

func (w *Writer) site(name string) *siteSum {
	s := w.sites[name]
	if s == nil {
		s = &siteSum{name: name, file: w.unique(safeName(name, "site"), ""), sum: newSummary()}
		if w.fmts[XLSX] {
			s.book = newBook(w.t, name)
		}
		w.sites[name] = s
		w.order = append(w.order, name)
	}
	return s
}

// unique returns name, or name-2, name-3…, never used twice within parent,
// in any case or composition: names are compared by case-folding orbit
// (foldKey) of their NFC form, since Windows and macOS take "σ" and "ς",
// or "s" and "ſ", for one file name, which strings.ToLower tells apart,
// and macOS also a precomposed "한" and its conjoining jamo.
func (w *Writer) unique(name, parent string) string { return uniqueIn(w.names, name, parent) }

// uniqueIn is unique over the names taken (by key), which it adds to.
func uniqueIn(taken map[string]bool, name, parent string) string {
	key := func(n string) string { return foldKey(norm.NFC.String(parent + "/" + n)) }
	cand := name
	for i := 2; taken[key(cand)]; i++ {
		cand = fmt.Sprintf("%s-%d", name, i)
	}
	taken[key(cand)] = true
	return cand
}

// maxNameBytes bounds a site folder's or a line file's name: with the
// report folder, a site folder and an extension, paths stay far under
// Windows' 260 characters.
const maxNameBytes = 64

// reservedNames are the report's own files in a folder: no site or line
// may take their names, in any case (Windows and macOS ignore case).
var reservedNames = []string{"index", "devices", "products"}

// safeName makes a site or line name a file name that is safe on
// Windows, macOS and Linux: letters (any script), digits and '-' are kept
// and everything else becomes '_' (no separator, no reserved character,
// no control character, no leading dot, no letter drawn blank: a Hangul
// filler is a letter, terminal.Hidden); a Windows device name (CON, PRN,
// AUX, NUL, COM0-9, LPT0-9, also with an extension) or one of the
// report's own file names gets the prefix empty+"_"; a name over
// maxNameBytes is cut at a character and ends in a short hash of the
// whole name, so two long names that share a beginning stay apart.
// unique then keeps names apart that differ only in case.
func safeName(s, empty string) string {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		if (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-') && !terminal.Hidden(r) {
			b.WriteRune(r)
		} else {
			b.WriteRune('_')
		}
	}
	out := strings.Trim(b.String(), "_")
	if len(out) > maxNameBytes {
		sum := sha256.Sum256([]byte(s))
		cut := out[:maxNameBytes-9]
		for !utf8.ValidString(cut) {
			cut = cut[:len(cut)-1]
		}
		out = cut + "-" + hex.EncodeToString(sum[:4])
	}
	if out == "" || windowsDevice(out) {
		return empty + "_" + out
	}
	for _, r := range reservedNames {
		if strings.EqualFold(out, r) {
			return empty + "_" + out
		}
	}
	return out
}

// windowsDevice reports whether Windows reads a file name as a device:
// CON, PRN, AUX, NUL, COM0-9 or LPT0-9 (also with superscript digits),
// in any case, with or without an extension.
func windowsDevice(name string) bool {
	base, _, _ := strings.Cut(strings.ToUpper(name), ".")
	switch base {
	case "CON", "PRN", "AUX", "NUL":
		return true
	}
	if !strings.HasPrefix(base, "COM") && !strings.HasPrefix(base, "LPT") {
		return false
	}
	switch base[3:] {
	case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
		return true
	}
	return false
}

// sheetName makes a worksheet name of s that used does not hold yet
// (Excel compares them without case): at most 31 UTF-16 units (Excel keeps
// text in UTF-16, where a character beyond U+FFFF is two; cut.UTF16), none of
// : \ / ? * [ ] nor a control character or one XML cannot hold, a
// character that reorders or hides text shown as \uXXXX (terminal.ShowHidden), not
// starting or ending with an apostrophe, and never "History", which
// Excel reserves.
func sheetName(s string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		// U+FFFE and U+FFFF are no XML characters: written, both become
		// U+FFFD, and two names unique here would be one in the book.
		if strings.ContainsRune(`:\/?*[]`, r) || unicode.IsControl(r) || r == '\uFFFE' || r == '\uFFFF' {
			return '_'
		}
		return r
	}, strings.TrimSpace(terminal.ShowHidden(s)))
	clean = strings.Trim(clean, "'")
	if clean == "" || strings.EqualFold(clean, "history") {
		clean = "_" + clean
	}
	// Cut, the name may end in an apostrophe again, and once trimmed be
	// the reserved name (History and 24 apostrophes before an x).
	fit := func(n int) string {
		c := strings.TrimRight(cut.UTF16(clean, n), "'")
		if strings.EqualFold(c, "history") {
			c = "_" + c
		}
		return c
	}
	cand := fit(31)
	for i := 2; used[foldKey(cand)]; i++ {
		suffix := "-" + strconv.Itoa(i)
		cand = fit(31-len(suffix)) + suffix
	}
	used[foldKey(cand)] = true
	return cand
}

// foldKey is s with every rune made the smallest of its case-folding
// orbit: two names have the same key exactly when strings.EqualFold says
// they are equal, as excelize compares sheet names (strings.ToLower
// would tell "s" from "ſ", and σ from ς, which it takes for one sheet).
func foldKey(s string) string {
	return strings.Map(func(r rune) rune {
		min := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < min {
				min = f
			}
		}
		return min
	}, s)
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
	site     *siteSum
	sum      lineSum
	base     string // path without extension
	csv      []byte // rows for the fleet's devices.csv
	products []byte // rows for the fleet's products.csv
	json     []byte // entries for the fleet JSON
	sheet    *sheet // the line's sheet of its site's workbook
	files    []string
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
// files and of its site's workbook. Several Renders may run at once, on
// different lines.
func (w *Writer) Render(l *LineReport, devs []Device) error {
	sortDevices(devs)
	z := majorityZone(devs).labelled()
	rows := make([]row, len(devs))
	for i := range devs {
		id := "d" + strconv.Itoa(i+1)
		rows[i] = newRow(w.t, &devs[i], z, id, l.sum.file+".html#"+id)
		l.sum.sum.add(&rows[i], z, w.t.Lang)
	}
	if err := os.MkdirAll(filepath.Dir(l.base), 0o755); err != nil {
		return err
	}
	write := func(name string, fill func(*bufio.Writer) error) error {
		p, err := writeFile(name, fill)
		if err != nil {
			return err
		}
		w.track(p)
		l.files = append(l.files, name)
		return nil
	}
	if w.fmts[HTML] {
		if err := write(l.base+".html", func(f *bufio.Writer) error { return w.linePage(f, l, rows, z) }); err != nil {
			return err
		}
	}
	if w.fmts[CSV] {
		// Sized for the usual device (about 600 and 250 bytes) so the
		// buffers of a 500-device line are not grown and copied 10 times.
		var d, p bytes.Buffer
		d.Grow(len(rows) * 640)
		p.Grow(len(rows) * 256)
		if err := errors.Join(writeDeviceRows(&d, w.t, rows, z), writeProductRows(&p, w.t, rows, z)); err != nil {
			return err
		}
		l.csv, l.products = d.Bytes(), p.Bytes()
		if err := write(l.base+".csv", func(f *bufio.Writer) error {
			if err := writeCSVHeader(f, w.t.deviceHeader()); err != nil {
				return err
			}
			_, err := f.Write(l.csv)
			return err
		}); err != nil {
			return err
		}
		// ".products.csv": a dot cannot come out of safeName, so this
		// name is never another line's.
		if err := write(l.base+".products.csv", func(f *bufio.Writer) error {
			if err := writeCSVHeader(f, w.t.productHeader()); err != nil {
				return err
			}
			_, err := f.Write(l.products)
			return err
		}); err != nil {
			return err
		}
	}
	if w.fmts[JSON] {
		// Each device is encoded once, for the line's file and the
		// fleet's: both indent it at the same depth.
		b := make([]byte, 0, len(rows)*2560) // the usual device's 2.4 KiB
		for i := range rows {
			// One device a line: a fleet's JSON is large, and indenting
			// it costs as much as encoding it while no program needs it.
			j := jsonDevice(w.t, &rows[i], z)
			b = append(b, ",\n    "...)
			b = j.appendJSON(b)
		}
		l.json = b
		if err := write(l.base+".json", func(f *bufio.Writer) error {
			return writeLineJSON(f, w, l, z)
		}); err != nil {
			return err
		}
	}
	if w.fmts[XLSX] {
		l.sheet = newSheet(w.t, l.sum.name, rows, z)
	}
	return nil
}

// Commit adds a rendered line to its site and to the fleet files. Lines
// are committed one at a time, in the order they began; when a line of
// another site comes, the previous site's workbook is written. An error
// writing the fleet files is returned; the report should then be
// aborted.
func (w *Writer) Commit(l *LineReport) error {
	if l.site.done {
		return fmt.Errorf("%w: site %q, line %q", ErrSiteOrder, l.site.name, l.sum.name)
	}
	if w.last != nil && w.last != l.site {
		if err := w.writeBook(w.last); err != nil {
			return err
		}
	}
	w.last = l.site
	for _, f := range []struct {
		p *pending
		b []byte
	}{{w.csv, l.csv}, {w.products, l.products}} {
		if f.p != nil {
			if _, err := f.p.w.Write(f.b); err != nil {
				return fmt.Errorf("writing %s: %w", f.p.name, err)
			}
		}
	}
	if w.json != nil && len(l.json) > 0 {
		j := l.json
		if w.nJSON == 0 {
			j = j[1:] // no comma before the first device
		}
		w.nJSON++
		if _, err := w.json.w.Write(j); err != nil {
			return fmt.Errorf("writing %s: %w", w.json.name, err)
		}
	}
	w.files = append(w.files, l.files...)
	l.site.sum.merge(l.sum.sum, "")
	w.fleet.merge(l.sum.sum, l.site.name)
	// What the site's pages and workbook show of a line is its counts;
	// its plan is in the summary JSON, written now.
	kept := l.sum
	if w.json != nil {
		b, err := json.Marshal(lineJSON{l.sum.name, w.t.sumJSON(l.sum.sum, false)})
		if err != nil {
			return fmt.Errorf("line %q: summary: %w", l.sum.name, err)
		}
		kept.json = b
	}
	kept.sum.Plan = nil
	l.site.lines = append(l.site.lines, kept)
	if l.site.book != nil {
		l.site.book.sheets = append(l.site.book.sheets, l.sheet)
	}
	return nil
}

// writeFile writes the file name under a temporary name beside it
// (pending), whole, for a rename into place.
func writeFile(name string, fill func(*bufio.Writer) error) (*pending, error) {
	p, err := create(name)
	if err != nil {
		return nil, err
	}
	if err := p.done(fill(p.w)); err != nil {
		return nil, err
	}
	return p, nil
}

// writeIndex writes a page of the site or fleet and records it.
func (w *Writer) writeIndex(name string, fill func(*bufio.Writer) error) error {
	p, err := writeFile(name, fill)
	if err != nil {
		return err
	}
	w.track(p)
	w.files = append(w.files, name)
	return nil
}

// writeBook writes a site's workbook, once all its lines are in, and
// lets go of its rows.
func (w *Writer) writeBook(s *siteSum) error {
	s.done = true
	if s.book == nil {
		return nil
	}
	name := filepath.Join(w.dir, s.file, s.bookName())
	p, err := s.book.write(name, w, s)
	s.book = nil
	if err != nil {
		return fmt.Errorf("writing %s: %w", name, err)
	}
	w.track(p)
	w.files = append(w.files, name)
	return nil
}

// Close writes the workbook of the last site, the site and fleet pages
// and finishes the fleet files; then, when all of them were written, it
// gives every file of the report its name (publish) and lists them in
// the folder (finishFolder). It returns every file written. Where a file
// of the folder that no report wrote, or that was changed since, would
// be replaced, it returns a *NotOursError (ErrNotOurs) naming them. On an
// error nothing of the report takes its name and the folder is left as
// it was, but where a rename itself failed (a file held open by another
// program, on Windows): the files renamed before it stay, listed. The
// folder is released either way.
func (w *Writer) Close() ([]string, error) {
	defer w.unlock()
	var errs []error
	for _, name := range w.order {
		if s := w.sites[name]; !s.done {
			errs = append(errs, w.writeBook(s))
		}
	}
	for _, p := range []*pending{w.csv, w.products} {
		if p != nil {
			err := p.done(nil)
			errs = append(errs, err)
			if err == nil {
				w.track(p)
				w.files = append(w.files, p.name)
			}
		}
	}
	if w.json != nil {
		b, err := json.MarshalIndent(jsonSummary(w), "  ", "  ")
		if err == nil {
			fmt.Fprintf(w.json.w, "\n  ],\n  \"summary\": %s\n}\n", b)
		}
		err = w.json.done(err)
		errs = append(errs, err)
		if err == nil {
			w.track(w.json)
			w.files = append(w.files, w.json.name)
		}
	}
	if w.fmts[HTML] {
		for _, name := range w.order {
			s := w.sites[name]
			sort.Slice(s.lines, func(i, j int) bool { return s.lines[i].name < s.lines[j].name })
			errs = append(errs, w.writeIndex(filepath.Join(w.dir, s.file, "index.html"), func(f *bufio.Writer) error { return w.sitePage(f, s) }))
		}
		errs = append(errs, w.writeIndex(filepath.Join(w.dir, "index.html"), func(f *bufio.Writer) error { return w.fleetPage(f) }))
	}
	w.csv, w.products, w.json = nil, nil, nil // done: tracked, or removed
	if err := errors.Join(errs...); err != nil {
		w.discard()
		return nil, err
	}
	// Checked once every name is known, before any file takes its name:
	// a page the user made, or a report file changed since, is not
	// replaced, and the folder stays as it was.
	if mine := w.notOurs(); len(mine) > 0 {
		w.discard()
		return nil, &NotOursError{Files: mine}
	}
	if err := w.prePublish(); err != nil {
		w.discard()
		return nil, fmt.Errorf("writing %s: %w", filepath.Join(w.dir, FilesList), err)
	}
	err := w.publish()
	var lerr error
	w.Removed, lerr = w.finishFolder(err == nil)
	if err != nil {
		w.discard()
		return nil, err
	}
	if lerr != nil {
		return w.files, fmt.Errorf("writing %s: %w", filepath.Join(w.dir, FilesList), lerr)
	}
	return w.files, nil
}
