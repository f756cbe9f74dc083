package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"io"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// templates holds the pages' templates and their one style sheet. Every
// page is written by these templates: nothing of a page is put together
// by hand, so html/template escapes every value for where it goes.
//
//go:embed templates
var templates embed.FS

var (
	tmpl  = template.Must(template.New("report").Funcs(funcs).ParseFS(templates, "templates/*.tmpl"))
	style = template.CSS(mustRead("templates/style.css"))
)

func mustRead(name string) []byte {
	b, err := templates.ReadFile(name)
	if err != nil {
		panic(err) // embedded at build time: a missing file is our bug
	}
	return b
}

// Colours of the categories, also readable in black and white print
// (each bar carries its number).
var catColour = map[classify.Category]template.CSS{
	classify.Urgent: "#c62828", classify.ImageBackup: "#ef6c00", classify.VolumeLicense: "#1565c0", classify.OK: "#2e7d32",
}

var funcs = template.FuncMap{
	"catName":  func(t *texts, c classify.Category) string { return t.CategoryNames[c] },
	"catHelp":  func(t *texts, c classify.Category) string { return t.CategoryHelp[c] },
	"catColor": func(c classify.Category) template.CSS { return catColour[c] },
	"count":    func(s summary, c classify.Category) int { return s.Category[c] },
	"dates":    dated,
	"named":    named,
}

// textPart is a piece of a text as a page shows it: Class, when set, is
// the class of a span around it ("dl": a date, kept on one line; "nm": a
// name, kept whole where it fits).
type textPart struct{ Text, Class string }

// dated is s in pieces, each ISO date (dateAt) apart in a "dl" span,
// for the "parts" template: printed, a reason's date broke after its
// year ("2027-" over "02-10"), where the class keeps it on one line and
// the text stays the ASCII date an auditor copies or searches for.
func dated(s string) []textPart {
	return apart(s, "dl", dateIn)
}

// apart is s in pieces, each run that next finds (its index in the
// text left, or -1, and its length) in a piece of the given class.
func apart(s, class string, next func(string) (i, n int)) []textPart {
	var out []textPart
	for {
		i, n := next(s)
		if i < 0 {
			if s != "" {
				out = append(out, textPart{Text: s})
			}
			return out
		}
		if i > 0 {
			out = append(out, textPart{Text: s[:i]})
		}
		out = append(out, textPart{Text: s[i : i+n], Class: class})
		s = s[i+n:]
	}
}

// named is s in pieces, each time it names name (a KMS host) apart in
// an "nm" span, for the "parts" template: printed, a host in a plan's
// action broke at its hyphens where the rest of a line had room for
// "kms-", or, unbroken, widened its column and pushed the plan's last
// columns off the paper; the class keeps it whole where it fits on a
// line of its own and lets it break where nothing else fits.
//
// A name that a span would cut from an escape (cutsEscape: a release's
// name from a device, "x\u" before a host named 2028) is left in the
// text there, and so is a name that is not UTF-8 (no host read from
// JSON): found inside a character of s, a span would cut it from its
// bytes and a U+202E would no longer be shown as \u202e.
func named(s, name string) []textPart {
	if name == "" || !utf8.ValidString(name) {
		return []textPart{{Text: s}}
	}
	return apart(s, "nm", nameIn(name))
}

// nameIn finds name for named and htmlNamed: its index in the text
// left, or -1, and its length; not where a span would cut an escape.
func nameIn(name string) func(string) (int, int) {
	return func(s string) (int, int) {
		for from := 0; ; {
			j := strings.Index(s[from:], name)
			if j < 0 {
				return -1, 0
			}
			if i := from + j; !cutsEscape(s, i) && !cutsEscape(s, i+len(name)) {
				return i, len(name)
			}
			from += j + 1
		}
	}
}

// dateLen is the length of an ISO date, 2027-02-10 (bytes).
const dateLen = len("2006-01-02")

// nextDate is the index in s of its first ISO date, four digits, a
// hyphen, two digits, a hyphen, two digits, neither after nor before
// another digit or hyphen (not a part of 12027-02-10 or of an ID such as
// 00371-00170-000); or -1.
func nextDate(s string) int {
	for from := 0; ; {
		j := strings.IndexByte(s[from:], '-')
		if j < 0 {
			return -1
		}
		i := from + j - 4 // where a date whose first hyphen this is starts
		if i >= 0 && dateAt(s, i) {
			return i
		}
		from += j + 1
	}
}

// dateAt reports whether s holds an ISO date at i (nextDate), that a
// span around it would not cut from an escape (cutsEscape).
func dateAt(s string, i int) bool {
	if i+dateLen > len(s) || i > 0 && digitOrHyphen(s[i-1]) || i+dateLen < len(s) && digitOrHyphen(s[i+dateLen]) ||
		cutsEscape(s, i) || cutsEscape(s, i+dateLen) {
		return false
	}
	for k := 0; k < dateLen; k++ {
		if c := s[i+k]; k == 4 || k == 7 {
			if c != '-' {
				return false
			}
		} else if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// cutsEscape reports whether a span's tag at byte i of s changes what
// terminal.ShowHidden, which the whole page goes through, makes of s:
// where a backslash before i is followed by what reads as an escape
// only with what comes from i on (\u and 2028, a line separator shown;
// \ and a U+202E), ShowHidden doubles it seen whole and not cut by the
// tag, and a value holding the six characters \u2028 read as one
// holding U+2028. A backslash is doubled or not by the 9 bytes after
// it at most (U and 8 hex digits), a Hidden character is shown by its
// own bytes: the 10 bytes a side of i decide.
func cutsEscape(s string, i int) bool {
	lo, hi := i-10, i+10
	if lo < 0 {
		lo = 0
	}
	if hi > len(s) {
		hi = len(s)
	}
	if strings.IndexByte(s[lo:i], '\\') < 0 {
		return false
	}
	return terminal.ShowHidden(s[lo:i])+terminal.ShowHidden(s[i:hi]) != terminal.ShowHidden(s[lo:hi])
}

func digitOrHyphen(c byte) bool { return c == '-' || '0' <= c && c <= '9' }

// chartView is the category counts as an inline SVG bar chart. It has a
// viewBox and no fixed size, so it scales with the page (style.css).
type chartView struct {
	Label string
	W, H  int
	Bars  []bar
}

type bar struct {
	Name       string
	N          int
	X, Y, W, H int
	Mid, NX    int // the labels' baseline and the count's x
	Colour     template.CSS
}

func chart(s summary, t *texts) chartView {
	// 420 units wide: on a 390 px phone the 14-unit labels still come
	// out near 12 px, and printed at 110 mm near the body's 10 pt.
	const w, barH, gap, label = 420, 22, 8, 160
	max := 0
	for _, c := range classify.Categories {
		if s.Category[c] > max {
			max = s.Category[c]
		}
	}
	v := chartView{Label: t.Category, W: w, H: len(classify.Categories)*(barH+gap) + gap}
	for i, c := range classify.Categories {
		n := s.Category[c]
		y := gap + i*(barH+gap)
		bw := 0
		if max > 0 {
			bw = n * (w - label - 60) / max
		}
		v.Bars = append(v.Bars, bar{Name: t.CategoryNames[c], N: n, X: label, Y: y, W: bw, H: barH, Mid: y + barH/2,
			NX: label + bw + 6, Colour: catColour[c]})
	}
	return v
}

type page struct {
	T         *texts
	CSS       template.CSS
	Title     string
	Crumbs    []crumb // the pages above, as links; the page itself is Title
	Here      string  // the last crumb, not a link
	AsOf      string
	Past      *asOfNote // a report of the fleet as it was (Options.Past): what it leaves out of the page's scope
	Generated string    // where the report was made (generatedZone), with the zone: the same on every page
	Generator string
	Chart     chartView
	Sum       summary
	Cats      []classify.Category
	Files     []fileLink // the report's other files of the page's scope
	Body      interface{}
}

type crumb struct{ Name, Href string }

// fileLink is a file of the report for a page's scope: Name is its path
// from the page's folder, with "/", by the names written (safeName,
// unique), which the template escapes into the link as it does every
// other link, and Note what it holds, in the page's language.
type fileLink struct{ Name, Note string }

// fleetFiles are the fleet page's links: the fleet's CSV and JSON files
// and every site's workbook (in its folder, in the order of the sites
// table), those of them that this report writes.
func (w *Writer) fleetFiles() []fileLink {
	var out []fileLink
	if w.csv != nil {
		out = append(out, fileLink{filepath.Base(w.csv.name), w.t.RowPerDevice})
	}
	if w.products != nil {
		out = append(out, fileLink{filepath.Base(w.products.name), w.t.RowPerProduct})
	}
	if w.json != nil {
		out = append(out, fileLink{filepath.Base(w.json.name), w.t.ForPrograms})
	}
	for _, name := range w.order {
		for _, f := range w.siteFiles(w.sites[name]) {
			out = append(out, fileLink{path.Join(w.sites[name].file, f.Name), f.Note})
		}
	}
	return out
}

// lineFiles are a line page's links: the line's CSV and JSON files and
// its site's workbook, those of them that this report writes (Render
// writes them beside the page, the workbook once the site is done).
func (w *Writer) lineFiles(l *LineReport) []fileLink {
	var out []fileLink
	if w.fmts[CSV] {
		out = append(out, fileLink{l.sum.file + ".csv", w.t.RowPerDevice}, fileLink{l.sum.file + ".products.csv", w.t.RowPerProduct})
	}
	if w.fmts[JSON] {
		out = append(out, fileLink{l.sum.file + ".json", w.t.ForPrograms})
	}
	return append(out, w.siteFiles(l.site)...)
}

// siteFiles are a site page's links: its workbook, when this report
// writes one.
func (w *Writer) siteFiles(s *siteSum) []fileLink {
	if !w.fmts[XLSX] {
		return nil
	}
	return []fileLink{{s.bookName(), w.t.Workbook}}
}

type lineBody struct {
	// The line's activation requests (activation.go), when it has any.
	ActivationTitle, ActivationCounts string
	Activation                        []activationView
}

type siteBody struct {
	Lines  []lineRow
	Plan   []planRow
	Totals string
	Pools  []poolRow
	Fleet  bool
}

type lineRow struct {
	Name, Href string
	Sum        summary
}

// planRow is a row of the procurement and work plan, in words.
type planRow struct {
	Action, Product, Purchase string
	Host                      string // the KMS host Action names, if any
	Count                     int
	Urgent                    int               // its urgent devices (planEntry.Urgent)
	Due, DueClass             string            // the earliest deadline in words; "dl due" when it is now or past
	DueDL                     classify.Deadline // and as data, for the workbook's date cell,
	DueDay                    time.Time         // on this day (dueDay); zero when none expires
	Refs                      []devRef          // a site's devices, urgent ones first
	Sites                     []siteRef         // the fleet's: its sites, those with urgent devices first
	More                      string            // "and 12 more", "and 12 more, 2 of them urgent"
}

// siteRef is a site of a fleet plan row: its name, its plan's link, how
// many of the row's devices are there and how many of them urgent, in
// words ("(3, 2 urgent)"); Urgent when it has any.
type siteRef struct {
	Name, Href, Counts string
	Urgent             bool
}

// poolRow is one kind of KMS client of a site: its verdict in words.
type poolRow struct {
	Site, Href, Kind, Eligible, State, Meaning string
	Host                                       string // the working KMS host Meaning names, if any
	Colour                                     template.CSS
}

var stateColour = map[classify.KMSState]template.CSS{classify.KMSHostWorks: "#2e7d32", classify.KMSHostPossible: "#1565c0",
	classify.KMSHostNotPossible: "#757575"}

func (w *Writer) newPage(title string, crumbs []crumb, here string, s summary, body interface{}) page {
	return page{T: w.t, CSS: style, Title: title, Crumbs: crumbs, Here: here, AsOf: w.opt.AsOf.Format("2006-01-02"),
		Generated: generatedZone(w.opt.Generated).stamp(w.opt.Generated), Generator: w.opt.Generator, Chart: chart(s, w.t), Sum: s, Cats: classify.Categories,
		Body: body}
}

// asOfNote is what a report of the fleet as it was (Options.Past) says
// of one scope, the fleet, a site or a line: how many of its devices
// were first collected after the as-of day and are not in the report,
// and that in words.
type asOfNote struct {
	LeftOut int
	Text    string
}

// asOfNote is the note of a scope with n devices left out; nil when
// the report is of the fleet as it is.
func (w *Writer) asOfNote(n int) *asOfNote {
	if !w.opt.Past {
		return nil
	}
	return &asOfNote{LeftOut: n, Text: fmt.Sprintf(w.t.AsOfPast, w.opt.AsOf.Format("2006-01-02"), n)}
}

// plan puts a summary's plan in words: per action and product, how many
// devices, how many of them urgent and the earliest deadline (its date
// in the zone of the device it is of, as that device's page has it),
// what to buy, and which devices (a site's, urgent ones first) or where
// (the fleet's); totals says what to buy and do in all: the sum of the
// rows' purchases (buys), one KMS host key per site and kind of client,
// an image a device (summary.Images).
func (w *Writer) plan(s summary, fleet bool, siteHref map[string]string) (rows []planRow, totals string) {
	t := w.t
	bought := map[string]int{} // each purchase's text (buys) and its count
	hostKinds := map[string]bool{}
	for _, k := range planKeys(s.Plan) {
		e := s.Plan[k]
		r := planRow{Action: k.Text, Host: k.Host, Product: k.Name, Count: e.Count, Purchase: t.NoExpiry, Urgent: e.Urgent, DueDL: e.Due,
			DueClass: dueClass(e.Due)}
		if !e.Due.IsZero() {
			r.DueDay = dueDay(e.Due, e.dueZone)
		}
		r.Due, _ = t.deadline(e.Due, e.dueZone)
		if p := t.purchase(k, e.Count); p != "" {
			r.Purchase = p
		}
		for _, b := range t.buys(k) {
			bought[b] += e.Count
		}
		if k.Action == classify.ActionKMSHost {
			// One host key (CSVLK) per site and kind of client (DOMAIN.md
			// KMS facts: one key serves up to 6 hosts of a site).
			if fleet {
				for site := range e.Sites {
					hostKinds[site+"\x00"+string(k.Kind)] = true
				}
			} else {
				hostKinds[string(k.Kind)] = true
			}
		}
		if fleet {
			r.Sites = t.siteRefs(e, siteHref)
		} else {
			r.Refs = urgentFirst(e.Refs)
			if n := e.Count - len(e.Refs); n > 0 && len(e.Refs) == maxRefs {
				r.More = fmt.Sprintf(t.More, n)
				// A row names every urgent device up to maxRefs
				// (addRef): those beyond are said, not hidden.
				if u := e.Urgent - urgentRefs(e.Refs); u > 0 {
					r.More = fmt.Sprintf(t.MoreUrgent, n, u)
				}
			}
		}
		rows = append(rows, r)
	}
	var parts []string
	for _, b := range t.purchases() {
		if n := bought[b]; n > 0 {
			parts = append(parts, t.count(b, n))
		}
	}
	if n := len(hostKinds); n > 0 {
		parts = append(parts, t.count(t.HostKeys, n))
	}
	if s.Images > 0 {
		parts = append(parts, t.count(t.Images, s.Images))
	}
	if len(parts) == 0 {
		return rows, ""
	}
	return rows, t.Total + ": " + strings.Join(parts, t.sep())
}

// siteRefs are a fleet plan row's sites, every one: those with urgent
// devices first, and by name; each links to its site's plan.
func (t *texts) siteRefs(e *planEntry, siteHref map[string]string) []siteRef {
	out := make([]siteRef, 0, len(e.Sites))
	for site, n := range e.Sites {
		r := siteRef{Name: site, Href: siteHref[site] + "#plan", Counts: fmt.Sprintf(t.SiteCount, n)}
		if u := e.UrgentSites[site]; u > 0 {
			r.Counts, r.Urgent = fmt.Sprintf(t.SiteUrgentCount, n, u), true
		}
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Urgent != out[j].Urgent {
			return out[i].Urgent
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// buys is what a plan row needs bought for each of its devices (the
// row's product, once a device however many of its licensing rows name
// it), as texts of t's with one %d, in the order of t.purchases:
// a volume license of the product's family (Office, Visio, Project,
// Windows: planKey.Volume) for a product replaced by its volume license
// edition (classify.Step.VolumeEdition: a retail, OEM or trial Office,
// Visio or Project, a Microsoft 365 subscription, which a volume Office
// replaces, a Windows client evaluation), whatever the route that
// activates it; a runtime license for a Windows Embedded Standard 7
// image rebuilt with a volume license runtime key (DOMAIN.md: one built
// with a volume runtime key activates itself offline); a MAK activation
// for a MAK.
func (t *texts) buys(k planKey) []string {
	var out []string
	switch k.Volume {
	case "":
	case "Windows":
		out = append(out, t.WindowsVolume)
	case "Visio":
		out = append(out, t.VisioVolume)
	case "Project":
		out = append(out, t.ProjectVolume)
	default:
		out = append(out, t.OfficeVolume)
	}
	switch k.Action {
	case classify.ActionRebuild:
		out = append(out, t.RuntimeLicenses)
	case classify.ActionMAK:
		out = append(out, t.MAKUnits)
	}
	return out
}

// purchase says what a plan row of n devices needs bought (buys), and
// a KMS host key for a host to set up; "" for nothing.
func (t *texts) purchase(k planKey, n int) string {
	var parts []string
	for _, b := range t.buys(k) {
		parts = append(parts, t.count(b, n))
	}
	if k.Action == classify.ActionKMSHost {
		parts = append(parts, t.count(t.HostKeys, 1))
	}
	return strings.Join(parts, t.sep())
}

// purchases are the texts of what buys may say, in the order totals
// name them: each family's volume licenses apart, as each is bought.
func (t *texts) purchases() []string {
	return []string{t.OfficeVolume, t.VisioVolume, t.ProjectVolume, t.WindowsVolume, t.RuntimeLicenses, t.MAKUnits}
}

// sep joins parts of a sentence: ", " and "、".
func (t *texts) sep() string {
	if t.Lang == classify.Japanese {
		return "、"
	}
	return ", "
}

// pools puts a site's KMS verdict in words, one row per kind of client.
func (w *Writer) poolRows(site, href string) []poolRow {
	var out []poolRow
	for _, a := range w.pools[site].Advice() {
		out = append(out, poolRow{Site: site, Href: href, Kind: w.t.KMSKinds[a.Kind], Eligible: fmt.Sprintf("%d / %d", a.Count, a.Threshold),
			State: w.t.KMSStates[a.State], Meaning: a.Text(w.t.Lang), Host: a.Host, Colour: stateColour[a.State]})
	}
	return out
}

func (w *Writer) linePage(f *bufio.Writer, l *LineReport, rows []row, z zone) error {
	views := make([]deviceView, len(rows))
	for i := range rows {
		views[i] = newDeviceView(w.t, w.productHead, &rows[i], z)
	}
	title := fmt.Sprintf("%s %s / %s %s", w.t.Site, l.site.name, w.t.Line, l.sum.name)
	body := lineBody{ActivationTitle: activationTitle(w.t.Lang)}
	body.Activation, body.ActivationCounts = activationTable(rows, w.t.Lang)
	p := w.newPage(title, []crumb{{w.t.Fleet, "../index.html"}, {l.site.name, "index.html"}}, l.sum.name, l.sum.sum, body)
	p.Files, p.Past = w.lineFiles(l), w.asOfNote(w.opt.LeftOut[Place{l.site.name, l.sum.name}])
	if err := execute(f, "line", p); err != nil {
		return err
	}
	for i := range views {
		deviceRow(f, &views[i])
	}
	if err := execute(f, "lineMid", p); err != nil {
		return err
	}
	for i := range views {
		deviceSection(f, &views[i])
	}
	_, err := f.WriteString("\n</body></html>")
	return err
}

func (w *Writer) sitePage(f *bufio.Writer, s *siteSum) error {
	b := siteBody{Pools: w.poolRows(s.name, "")}
	b.Plan, b.Totals = w.plan(s.sum, false, nil)
	for _, l := range s.lines {
		b.Lines = append(b.Lines, lineRow{l.name, l.file + ".html", l.sum})
	}
	p := w.newPage(w.t.Site+" "+s.name+w.lineSelection(), []crumb{{w.t.Fleet, "../index.html"}}, s.name, s.sum, b)
	p.Files, p.Past = w.siteFiles(s), w.asOfNote(w.siteLeftOut[s.name])
	return execute(f, "site", p)
}

func (w *Writer) fleetPage(f *bufio.Writer) error {
	b := siteBody{Fleet: true}
	hrefs := map[string]string{}
	for _, name := range w.order {
		s := w.sites[name]
		hrefs[name] = path.Join(s.file, "index.html")
		b.Lines = append(b.Lines, lineRow{name, hrefs[name], s.sum})
		b.Pools = append(b.Pools, w.poolRows(name, hrefs[name])...)
	}
	b.Plan, b.Totals = w.plan(w.fleet, true, hrefs)
	p := w.newPage("ActCourier: "+w.t.Fleet+w.selection(), nil, "", w.fleet, b)
	p.Files, p.Past = w.fleetFiles(), w.asOfNote(w.leftOut)
	return execute(f, "fleet", p)
}

// selection names the part of the fleet a report covers, when it was
// asked for one: " (Site Nagoya, Line L2)", " (拠点 Nagoya)".
func (w *Writer) selection() string {
	var parts []string
	if w.opt.Site != "" {
		parts = append(parts, w.t.Site+" "+w.opt.Site)
	}
	if w.opt.Line != "" {
		parts = append(parts, w.t.Line+" "+w.opt.Line)
	}
	if parts == nil {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// lineSelection names the line a report was asked for, " (Line L2)":
// each site's page and workbook then hold that line only, and say so,
// lest their totals be taken for the whole site's.
func (w *Writer) lineSelection() string {
	if w.opt.Line == "" {
		return ""
	}
	return " (" + w.t.Line + " " + w.opt.Line + ")"
}

// deviceView is one device's row and section as deviceRow and
// deviceSection write them (and the "deviceRow" and "device" templates,
// their reference): plain text, escaped where it is written.
type deviceView struct {
	T                   *texts
	ProductHead         template.HTML // rendered once per report (productHead)
	ID, Asset, Hostname string
	Action, Deadline    string
	ActionHost          string // the KMS host Action names, set apart in an "nm" span (named)
	DeadlineClass       string // "dl due" when the deadline is past or now

	Category, First string
	Colour          template.CSS
	System          string
	Reasons, Flags  []reasonView
	Steps           []string // per product, when there are several
	Products        []productView
	Evidence        string // when, by whom, with what it was collected
	Raw             []rawView
}

// reasonView is a reason and its evidence as two key/value lists in
// one line each: Words in the report's language, Data as read (names,
// codes). One field each rather than a range over pairs: a template
// action per pair would multiply by the reasons of 100,000s of devices.
type reasonView struct {
	Text, Words, Data string
}

type productView struct{ Name, Channel, Status, Days, End, Key, Source string }

type rawView struct{ Label, Command, Text string }

func newDeviceView(t *texts, head template.HTML, r *row, z zone) deviceView {
	d := r.d
	cat := d.Verdict.Category
	v := deviceView{T: t, ProductHead: head, ID: r.id, Asset: d.Asset, Hostname: d.Hostname, Action: r.action, Deadline: r.deadline,
		ActionHost: d.Verdict.Action.Host, DeadlineClass: dueClass(d.Verdict.Deadline), Category: r.category, Colour: catColour[cat], System: r.system}
	if len(r.reasons) > 0 {
		v.First = r.reasons[0]
	}
	_, v.Evidence = kvLine([]kv{{t.Collected, z.stamp(d.CollectedAt), true}, {t.By, d.Engineer, true}, {t.Collector, d.Collector, true},
		{t.Bundle, d.BundleID, true}, {"SHA-256", d.SHA256, true}, {t.Collections, strconv.Itoa(d.Collections), true}})
	// Each list is made at its length (nil when empty, as the
	// templates' range reads it either way), not grown.
	if n := len(d.Verdict.Reasons); n > 0 {
		v.Reasons = make([]reasonView, n)
		for i, x := range d.Verdict.Reasons {
			words, data := kvLine(t.evidence(x.Code, x.Evidence))
			v.Reasons[i] = reasonView{r.reasons[i], words, data}
		}
	}
	if n := len(d.Verdict.Flags); n > 0 {
		v.Flags = make([]reasonView, n)
		for i, x := range d.Verdict.Flags {
			v.Flags[i] = reasonView{Text: x.Text(t.Lang)}
		}
	}
	if n := len(d.Verdict.Steps); n > 1 {
		v.Steps = make([]string, n)
		for i, s := range d.Verdict.Steps {
			v.Steps[i] = s.Text(t.Lang)
		}
	}
	if n := len(r.products); n > 0 {
		v.Products = make([]productView, n)
		for i, p := range r.products {
			v.Products[i] = productView{p.name, p.channel, p.status, p.days, p.end, p.p.PartialKey, p.source}
		}
	}
	if n := len(d.Raw); n > 0 {
		v.Raw = make([]rawView, n)
		for i, x := range d.Raw {
			v.Raw[i] = rawView{t.Raw, x.Command, x.Text}
		}
	}
	return v
}

// dueClass is the class of a deadline's cell: "dl due" (bold red) when
// it is now or past, else "dl". A dl cell does not wrap on screen;
// printed, it wraps between the date and the days left, never inside
// the date (style.css).
func dueClass(dl classify.Deadline) string {
	if pastDue(dl) {
		return "dl due"
	}
	return "dl"
}

// pastDue reports whether a deadline is now or past: its cell is bold
// red in the pages and the workbooks.
func pastDue(dl classify.Deadline) bool {
	return dl.Kind == classify.DeadlineNow || !dl.IsZero() && dl.Days < 0
}

// kvLine writes pairs as "key: value · key: value", the words apart from
// the data.
func kvLine(pairs []kv) (words, data string) {
	// Each line is built at its size: grown as it went, a line of six
	// pairs was copied four or five times (a tenth of a line page's
	// time).
	var nw, nd int
	for _, p := range pairs {
		n := &nw
		if p.Data {
			n = &nd
		}
		if *n > 0 {
			*n += len(" · ")
		}
		*n += len(p.K) + len(": ") + len(p.V)
	}
	var w, d strings.Builder
	w.Grow(nw)
	d.Grow(nd)
	for _, p := range pairs {
		b := &w
		if p.Data {
			b = &d
		}
		if b.Len() > 0 {
			b.WriteString(" · ")
		}
		b.WriteString(p.K)
		b.WriteString(": ")
		b.WriteString(p.V)
	}
	return w.String(), d.String()
}

// productHead renders the head of the product tables in t's language.
func productHead(t *texts) (template.HTML, error) {
	var b strings.Builder
	err := tmpl.ExecuteTemplate(&b, "productHead", t)
	return template.HTML(b.String()), err
}

// deviceRow and deviceSection write a device's row and section as the
// "deviceRow" and "device" templates would, byte for byte, by plain code:
// they are most of a line page, and through html/template they cost 46
// reflective actions a device (4.5 s of CPU for 100,000 devices). Each
// value goes through htmlEsc, the escaper html/template applies in those
// places (text, quoted attributes); the device's ID, in a link's
// fragment, through urlEsc first. The templates stay as the reference:
// TestDeviceHTML and FuzzDeviceHTML compare both.
func deviceRow(b stringWriter, v *deviceView) {
	b.WriteString(`<tr><td class="act">`)
	htmlNamed(b, v.Action, v.ActionHost)
	b.WriteString(`</td><td class="`)
	htmlEsc(b, v.DeadlineClass)
	b.WriteString(`">`)
	htmlEsc(b, v.Deadline)
	b.WriteString(`</td><td class="nw"><a href="#`)
	htmlEsc(b, urlEsc(v.ID))
	b.WriteString(`" translate="no">`)
	htmlEsc(b, v.Asset)
	b.WriteString(`</a></td><td class="nw" translate="no">`)
	htmlEsc(b, v.Hostname)
	b.WriteString(`</td><td class="nw"><span class="badge" style="background:`)
	htmlEsc(b, string(v.Colour))
	b.WriteString(`">`)
	htmlEsc(b, v.Category)
	b.WriteString(`</span></td><td class="why">`)
	htmlDated(b, v.First)
	b.WriteString("</td></tr>\n")
}

func deviceSection(b stringWriter, v *deviceView) {
	t := v.T
	b.WriteString(`<section class="device" id="`)
	htmlEsc(b, v.ID)
	b.WriteString(`" style="border-left-color:`)
	htmlEsc(b, string(v.Colour))
	b.WriteString("\">\n<h3><span translate=\"no\">")
	htmlEsc(b, v.Asset)
	b.WriteString(" · ")
	htmlEsc(b, v.Hostname)
	b.WriteString(`</span> <span class="badge" style="background:`)
	htmlEsc(b, string(v.Colour))
	b.WriteString(`">`)
	htmlEsc(b, v.Category)
	b.WriteString("</span></h3>\n<p class=\"todo\"><b>")
	htmlEsc(b, t.Action)
	b.WriteString(":</b> ")
	htmlNamed(b, v.Action, v.ActionHost)
	b.WriteString(" · <b>")
	htmlEsc(b, t.Deadline)
	b.WriteString(`:</b> <span class="`)
	htmlEsc(b, v.DeadlineClass)
	b.WriteString(`">`)
	htmlEsc(b, v.Deadline)
	b.WriteString("</span></p>\n")
	if v.System != "" {
		b.WriteString(`<div class="ev" translate="no">`)
		htmlEsc(b, v.System)
		b.WriteString("</div>\n")
	}
	if len(v.Steps) > 0 {
		list(b, t.Steps, len(v.Steps), func(i int) string { return v.Steps[i] })
	}
	b.WriteString("<b>")
	htmlEsc(b, t.Reasons)
	b.WriteString("</b><ul>")
	for _, r := range v.Reasons {
		b.WriteString("<li>")
		htmlDated(b, r.Text)
		b.WriteString(`<div class="kv">`)
		htmlDated(b, r.Words)
		b.WriteString(`</div><div class="kv" translate="no">`)
		htmlDated(b, r.Data)
		b.WriteString("</div></li>")
	}
	b.WriteString("</ul>\n")
	if len(v.Flags) > 0 {
		list(b, t.Flags, len(v.Flags), func(i int) string { return v.Flags[i].Text })
	}
	deviceProducts(b, v)
	b.WriteString(`<div class="kv"><b>`)
	htmlEsc(b, t.Evidence)
	b.WriteString(`</b> <span translate="no">`)
	htmlEsc(b, v.Evidence)
	b.WriteString("</span></div>\n")
	for _, r := range v.Raw {
		b.WriteString("<details><summary>")
		htmlEsc(b, r.Label)
		b.WriteString(`: <span translate="no">`)
		htmlEsc(b, r.Command)
		b.WriteString(`</span></summary><pre translate="no">`)
		htmlEsc(b, r.Text)
		b.WriteString("</pre></details>")
	}
	b.WriteString("\n</section>\n")
}

// list writes a titled list of n items as the "device" template does.
func list(b stringWriter, title string, n int, item func(int) string) {
	b.WriteString("<b>")
	htmlEsc(b, title)
	b.WriteString("</b><ul>")
	for i := 0; i < n; i++ {
		b.WriteString("<li>")
		htmlDated(b, item(i))
		b.WriteString("</li>")
	}
	b.WriteString("</ul>\n")
}

// deviceProducts writes a device's product table, when it has products.
func deviceProducts(b stringWriter, v *deviceView) {
	if len(v.Products) > 0 {
		b.WriteString(`<div class="scroll"><table class="products">`)
		b.WriteString(string(v.ProductHead)) // HTML: rendered by its template
		b.WriteString("\n")
		for _, p := range v.Products {
			b.WriteString(`<tr><td translate="no">`)
			htmlEsc(b, p.Name)
			b.WriteString("</td><td>")
			htmlEsc(b, p.Channel)
			b.WriteString("</td><td>")
			htmlEsc(b, p.Status)
			b.WriteString(`</td><td class="n">`)
			htmlEsc(b, p.Days)
			b.WriteString(`</td><td class="nw">`)
			htmlEsc(b, p.End)
			b.WriteString(`</td><td translate="no">`)
			htmlEsc(b, p.Key)
			b.WriteString(`</td><td translate="no">`)
			htmlEsc(b, p.Source)
			b.WriteString("</td></tr>")
		}
		b.WriteString("</table></div>\n")
	}
}

// dateIn finds a date for dated and htmlDated: its index in the text
// left, or -1 (nextDate), and its length.
func dateIn(s string) (int, int) { return nextDate(s), dateLen }

// htmlDated writes s as the "parts" template does its pieces (dated):
// escaped, each ISO date in a "dl" span (htmlApart).
func htmlDated(b stringWriter, s string) {
	htmlApart(b, s, "dl", dateIn)
}

// htmlNamed writes s as the "parts" template does its pieces (named):
// escaped, each time it names name (a KMS host) in an "nm" span, the
// name escaped inside it as any value (htmlApart).
func htmlNamed(b stringWriter, s, name string) {
	if name == "" || !utf8.ValidString(name) {
		htmlEsc(b, s)
		return
	}
	htmlApart(b, s, "nm", nameIn(name))
}

// htmlApart writes s as the "parts" template writes apart's pieces:
// each run that next finds escaped in a span of the class, what is
// between escaped on its own. The spans stand where they cut no escape
// (nextDate, nameIn), so what is between reads as the whole page's
// terminal.ShowHidden reads it.
func htmlApart(b stringWriter, s, class string, next func(string) (i, n int)) {
	for {
		i, n := next(s)
		if i < 0 {
			htmlEsc(b, s)
			return
		}
		htmlEsc(b, s[:i])
		b.WriteString(`<span class="` + class + `">`)
		htmlEsc(b, s[i:i+n])
		b.WriteString("</span>")
		s = s[i+n:]
	}
}

// stringWriter is a page (a *bufio.Writer), or a test's strings.Builder.
type stringWriter interface {
	WriteString(string) (int, error)
}

// htmlEsc writes s as html/template escapes a string in text and in a
// quoted attribute (its htmlReplacementTable): NUL becomes U+FFFD, and
// " & ' + < > character references; and, as execute does after
// html/template, a character that reorders or hides text
// (terminal.Hidden) as \uXXXX, and a backslash doubled where it would
// read as one (terminal.ShowHidden). Byte by byte is the same as its rune
// by rune for the seven: all are ASCII, and no byte of a longer or
// invalid UTF-8 sequence is ASCII.
func htmlEsc(b stringWriter, s string) { htmlEscape(b, s, true) }

// htmlEscape is htmlEsc; show is false once terminal.ShowHidden has
// written what it changes. From the first backslash or Hidden character
// on, the rest of s goes through ShowHidden whole, as execute puts the
// whole page through it: whether a backslash is doubled depends on what
// follows it. None of the seven is a hex digit, x, u or U, so escaping
// them first (execute) or after (here) comes to the same.
func htmlEscape(b stringWriter, s string, show bool) {
	stop := &htmlStops[0]
	if show {
		stop = &htmlStops[1]
	}
	last := 0
	for i := 0; i < len(s); i++ {
		// Most of a report's text holds none of the bytes below: skip
		// it by table (a quarter of htmlEscape's time went to the
		// switch's comparisons for every byte).
		for i < len(s) && !stop[s[i]] {
			i++
		}
		if i == len(s) {
			break
		}
		var r string
		switch c := s[i]; c {
		case 0:
			r = "\uFFFD"
		case '"':
			r = "&#34;"
		case '&':
			r = "&amp;"
		case '\'':
			r = "&#39;"
		case '+':
			r = "&#43;"
		case '<':
			r = "&lt;"
		case '>':
			r = "&gt;"
		case '\\':
			if !show {
				continue
			}
			b.WriteString(s[last:i])
			htmlEscape(b, terminal.ShowHidden(s[i:]), false)
			return
		default:
			if c < utf8.RuneSelf || !show {
				continue
			}
			h, n := terminal.HiddenAt(s[i:])
			if !h {
				i += n - 1
				continue
			}
			b.WriteString(s[last:i])
			htmlEscape(b, terminal.ShowHidden(s[i:]), false)
			return
		}
		b.WriteString(s[last:i])
		b.WriteString(r)
		last = i + 1
	}
	b.WriteString(s[last:])
}

// htmlStops are the bytes htmlEscape stops at: [0] the seven it
// replaces, [1] also a backslash and every byte of a longer or invalid
// UTF-8 sequence, which may start a Hidden character.
var htmlStops = func() (t [2][256]bool) {
	for _, c := range "\x00\"&'+<>" {
		t[0][c], t[1][c] = true, true
	}
	t[1]['\\'] = true
	for c := utf8.RuneSelf; c < 256; c++ {
		t[1][c] = true
	}
	return t
}()

// execute writes the template name of data into w, with every character
// that reorders or hides text (terminal.Hidden) shown as \uXXXX, and a
// backslash doubled where it would read as one (terminal.ShowHidden), as
// the terminal shows them: html/template leaves a U+202E in a host name as it
// is, and the name reads backwards from there on. None is in a template
// of ours, and a link never holds one raw (html/template and urlEsc
// percent-encode them), so the whole page is shown through it.
func execute(w io.Writer, name string, data interface{}) error {
	var b strings.Builder
	if err := tmpl.ExecuteTemplate(&b, name, data); err != nil {
		return err
	}
	_, err := io.WriteString(w, terminal.ShowHidden(b.String()))
	return err
}

// urlEsc percent-encodes s as html/template does a value in a URL's query
// or fragment: every byte but RFC 3986's unreserved characters.
func urlEsc(s string) string {
	const hex = "0123456789abcdef"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~' {
			if b != nil {
				b = append(b, c)
			}
			continue
		}
		if b == nil {
			b = append(make([]byte, 0, len(s)+16), s[:i]...)
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	if b == nil {
		return s
	}
	return string(b)
}
