package report

import (
	"bufio"
	"embed"
	"fmt"
	"html/template"
	"path"
	"sort"
	"strings"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
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
	"catName":   func(t *texts, c classify.Category) string { return t.CategoryNames[c] },
	"catHelp":   func(t *texts, c classify.Category) string { return t.CategoryHelp[c] },
	"catColor":  func(c classify.Category) template.CSS { return catColour[c] },
	"count":     func(s summary, c classify.Category) int { return s.Category[c] },
	"threshold": func(n, t int) bool { return n >= t },
	"kt": func() [3]int {
		return [3]int{classify.ThresholdClient, classify.ThresholdServer, classify.ThresholdOffice}
	},
}

func sortedRoutes(m map[routeKey]int) []routeKey {
	keys := make([]routeKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.Kind != b.Kind {
			return a.Kind > b.Kind // windows before office
		}
		if a.Product != b.Product {
			return a.Product < b.Product
		}
		if a.Edition != b.Edition {
			return a.Edition < b.Edition
		}
		return a.Route < b.Route
	})
	return keys
}

// chartView is the category counts as an inline SVG bar chart.
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
	const w, barH, gap, label = 520, 22, 8, 170
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
	Crumbs    []crumb
	AsOf      string
	Generated string
	Generator string
	Chart     chartView
	Sum       summary
	Cats      []classify.Category
	Body      interface{}
}

type crumb struct{ Name, Href string }

type lineBody struct {
	Devices []deviceView
}

type siteBody struct {
	Lines []lineRow
	Plan  []planRow
	Pools []poolRow
}

type lineRow struct {
	Name, Href string
	Sum        summary
}

type planRow struct {
	Kind                    licensing.Kind
	Product, Edition, Route string
	Count                   int
}

type poolRow struct {
	Site                   string
	Client, Server, Office int
}

func (w *Writer) newPage(title string, crumbs []crumb, s summary, body interface{}) page {
	return page{T: w.t, CSS: style, Title: title, Crumbs: crumbs, AsOf: w.opt.AsOf.Format("2006-01-02"),
		Generated: w.opt.Generated.Format("2006-01-02 15:04 MST"), Generator: w.opt.Generator,
		Chart: chart(s, w.t), Sum: s, Cats: classify.Categories, Body: body}
}

func (w *Writer) plan(s summary) []planRow {
	var out []planRow
	for _, k := range sortedRoutes(s.Routes) {
		out = append(out, planRow{k.Kind, k.Product, k.Edition, w.t.RouteNames[k.Route], s.Routes[k]})
	}
	return out
}

func (w *Writer) linePage(f *bufio.Writer, s *siteSum, l *lineSum, devs []Device) error {
	views := make([]deviceView, len(devs))
	for i := range devs {
		views[i] = newDeviceView(w.t, w.productHead, &devs[i], fmt.Sprintf("d%d", i+1))
	}
	title := fmt.Sprintf("%s %s / %s %s", w.t.Site, s.name, w.t.Line, l.name)
	p := w.newPage(title, []crumb{{w.t.Fleet, "../index.html"}, {s.name, "index.html"}}, l.sum, lineBody{views})
	return tmpl.ExecuteTemplate(f, "line", p)
}

func (w *Writer) sitePage(f *bufio.Writer, s *siteSum) error {
	b := siteBody{Plan: w.plan(s.sum), Pools: []poolRow{{s.name, s.pool.Client, s.pool.Server, s.pool.Office}}}
	for _, l := range s.lines {
		b.Lines = append(b.Lines, lineRow{l.name, l.file + ".html", l.sum})
	}
	return tmpl.ExecuteTemplate(f, "site", w.newPage(w.t.Site+" "+s.name, []crumb{{w.t.Fleet, "../index.html"}}, s.sum, b))
}

func (w *Writer) fleetPage(f *bufio.Writer) error {
	b := siteBody{Plan: w.plan(w.fleet)}
	for _, name := range w.order {
		s := w.sites[name]
		b.Lines = append(b.Lines, lineRow{name, path.Join(s.file, "index.html"), s.sum})
		b.Pools = append(b.Pools, poolRow{name, s.pool.Client, s.pool.Server, s.pool.Office})
	}
	return tmpl.ExecuteTemplate(f, "fleet", w.newPage("ActCourier: "+w.t.Fleet, nil, w.fleet, b))
}

// deviceView is one device's section as the "device" template shows it:
// plain text, so that the template reads fields and calls nothing.
type deviceView struct {
	T                   *texts
	ProductHead         template.HTML // rendered once per report
	ID, Asset, Hostname string
	Title               string // asset and host name
	Category, First     string // the category's name; the first reason
	Colour              template.CSS
	System              string // OS and hardware, when known
	Reasons, Flags      []reasonView
	Routes              []string
	Products            []productView
	Evidence            string // when, by whom, with what it was collected
	Raw                 []rawView
}

type reasonView struct{ Text, Evidence string }

type productView struct{ Kind, Name, Channel, Status, Grace, Key, Source string }

type rawView struct{ Summary, Text string }

// productHead renders the head of the product tables in t's language.
func productHead(t *texts) (template.HTML, error) {
	var b strings.Builder
	err := tmpl.ExecuteTemplate(&b, "productHead", t)
	return template.HTML(b.String()), err
}

func newDeviceView(t *texts, head template.HTML, d *Device, id string) deviceView {
	cat := d.Verdict.Category
	v := deviceView{T: t, ProductHead: head, ID: id, Asset: d.Asset, Hostname: d.Hostname, Title: d.Asset + " · " + d.Hostname,
		Category: t.CategoryNames[cat], Colour: catColour[cat]}
	v.Evidence = fmt.Sprintf("%s: %s %s %s %s · %s %s · %s %s · SHA-256 %s · %d %s", t.Evidence, t.Collected,
		d.CollectedAt.Format("2006-01-02 15:04 -07:00"), t.By, d.Engineer, t.Collector, d.Collector, t.Bundle, d.BundleID, d.SHA256,
		d.Collections, t.Collections)
	if s := d.Snapshot; s != nil {
		v.System = fmt.Sprintf("%s %s · %s %s", s.OS.Caption, s.OS.Version, s.Hardware.Manufacturer, s.Hardware.Model)
	}
	for i, r := range d.Verdict.Reasons {
		if i == 0 {
			v.First = r.Text(t.Lang)
		}
		v.Reasons = append(v.Reasons, reasonView{r.Text(t.Lang), "[" + r.Code + "] " + evidenceText(r.Evidence)})
	}
	for _, r := range d.Verdict.Flags {
		v.Flags = append(v.Flags, reasonView{r.Text(t.Lang), "[" + r.Code + "]"})
	}
	for _, r := range d.Verdict.Routes {
		v.Routes = append(v.Routes, r.Product+": "+t.RouteNames[r.Route])
	}
	for _, p := range products(d) {
		st := string(p.Status)
		if p.StatusReason != 0 {
			st += fmt.Sprintf(" (0x%08X)", p.StatusReason)
		}
		grace := "–"
		if p.GraceMinutes != nil {
			grace = fmt.Sprint(*p.GraceMinutes)
		}
		v.Products = append(v.Products, productView{string(p.Kind), p.Name, string(p.Channel), st, grace, p.PartialKey, string(p.Source)})
	}
	for _, r := range d.Raw {
		v.Raw = append(v.Raw, rawView{t.Raw + ": " + r.Command, r.Text})
	}
	return v
}

func evidenceText(e classify.Evidence) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+" "+v)
		}
	}
	add("channel", string(e.Channel))
	add("status", string(e.Status))
	add("key", e.PartialKey)
	add("HRESULT", e.HRESULT)
	if e.Days != nil {
		add("days", fmt.Sprint(*e.Days))
	}
	add("date", e.Date)
	if e.Count != nil && e.Threshold != nil {
		add("count", fmt.Sprintf("%d/%d", *e.Count, *e.Threshold))
	}
	add("kms", e.Host)
	add("source", string(e.Source))
	return strings.Join(parts, " · ")
}
