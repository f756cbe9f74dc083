package report

import (
	"bufio"
	"fmt"
	"html"
	"html/template"
	"path"
	"sort"
	"strings"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// Colours of the categories, also readable in black and white print
// (each bar carries its number).
var catColour = map[classify.Category]string{
	classify.Urgent: "#c62828", classify.ImageBackup: "#ef6c00", classify.VolumeLicense: "#1565c0", classify.OK: "#2e7d32",
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

// chart draws the category counts as an inline SVG bar chart.
func chart(s summary, t *texts) template.HTML {
	const w, barH, gap, label = 520, 22, 8, 170
	max := 0
	for _, c := range classify.Categories {
		if s.Category[c] > max {
			max = s.Category[c]
		}
	}
	h := len(classify.Categories)*(barH+gap) + gap
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="%d" height="%d" xmlns="http://www.w3.org/2000/svg">`,
		template.HTMLEscapeString(t.Category), w, h, w, h)
	for i, c := range classify.Categories {
		n := s.Category[c]
		y := gap + i*(barH+gap)
		bw := 0
		if max > 0 {
			bw = n * (w - label - 60) / max
		}
		fmt.Fprintf(&b, `<text x="0" y="%d" font-size="13" dominant-baseline="middle">%s</text>`, y+barH/2, template.HTMLEscapeString(t.CategoryNames[c]))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="%s"/>`, label, y, bw, barH, catColour[c])
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="13" dominant-baseline="middle">%d</text>`, label+bw+6, y+barH/2, n)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

type page struct {
	T         *texts
	Title     string
	Crumbs    []crumb
	AsOf      string
	Generated string
	Generator string
	Chart     template.HTML
	Sum       summary
	Cats      []classify.Category
	Body      interface{}
}

type crumb struct{ Name, Href string }

type lineBody struct {
	Devices []devView
}

type devView struct {
	*Device
	ID   string
	HTML template.HTML // the device's section, written by deviceHTML
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
	return page{T: w.t, Title: title, Crumbs: crumbs, AsOf: w.opt.AsOf.Format("2006-01-02"),
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
	views := make([]devView, len(devs))
	var b strings.Builder
	for i := range devs {
		views[i] = devView{Device: &devs[i], ID: fmt.Sprintf("d%d", i+1)}
		b.Reset()
		deviceHTML(&b, w.t, &views[i])
		views[i].HTML = template.HTML(b.String())
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

var funcs = template.FuncMap{
	"catName":   func(t *texts, c classify.Category) string { return t.CategoryNames[c] },
	"catHelp":   func(t *texts, c classify.Category) string { return t.CategoryHelp[c] },
	"catColor":  func(c classify.Category) template.CSS { return template.CSS(catColour[c]) },
	"count":     func(s summary, c classify.Category) int { return s.Category[c] },
	"text":      func(t *texts, r classify.Reason) string { return r.Text(t.Lang) },
	"threshold": func(n, t int) bool { return n >= t },
	"kt": func() [3]int {
		return [3]int{classify.ThresholdClient, classify.ThresholdServer, classify.ThresholdOffice}
	},
}

var tmpl = template.Must(template.New("report").Funcs(funcs).Parse(`
{{define "head"}}<!DOCTYPE html>
<html lang="{{.T.Lang}}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:"Segoe UI","Yu Gothic UI","Meiryo","Noto Sans CJK JP",sans-serif;margin:1.5em;color:#212121;font-size:14px}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.2em;margin-top:1.5em;border-bottom:1px solid #bbb}h3{margin:.2em 0;font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:3px 7px;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right}.crumbs{font-size:.9em}.meta{color:#555;font-size:.9em}
.badge{display:inline-block;padding:1px 8px;border-radius:3px;color:#fff;font-weight:bold;font-size:.9em}
.device{border:1px solid #ccc;border-left:6px solid #999;padding:.6em 1em;margin:1em 0;page-break-inside:avoid}
.ev{color:#555;font-size:.85em}pre{white-space:pre-wrap;font-size:.8em;background:#f7f7f7;padding:.5em}
ul{margin:.3em 0;padding-left:1.4em}.legend td{border:none;padding:1px 6px}
@media print{body{margin:0;font-size:11px}a{color:inherit;text-decoration:none}details{display:none}.device{border-left-width:4px}}
</style></head><body>
{{if .Crumbs}}<div class="crumbs">{{range .Crumbs}}<a href="{{.Href}}">{{.Name}}</a> › {{end}}</div>{{end}}
<h1>{{.Title}}</h1>
<p class="meta">{{.T.AsOf}}: {{.AsOf}} · {{.T.Generated}}: {{.Generated}}{{if .Generator}} · {{.Generator}}{{end}}</p>
{{end}}

{{define "summary"}}
<h2>{{.T.Overview}}</h2>
{{.Chart}}
<table class="legend">{{$p := .}}{{range .Cats}}<tr><td><span class="badge" style="background:{{catColor .}}">{{catName $p.T .}}</span></td><td>{{count $p.Sum .}}</td><td>{{catHelp $p.T .}}</td></tr>{{end}}</table>
{{end}}

{{define "counts"}}{{$p := .}}
<table><tr><th>{{if .Crumbs}}{{.T.Line}}{{else}}{{.T.Site}}{{end}}</th><th>{{.T.Devices}}</th>{{range .Cats}}<th>{{catName $p.T .}}</th>{{end}}</tr>
{{range .Body.Lines}}{{$l := .}}<tr><td><a href="{{.Href}}">{{.Name}}</a></td><td class="n">{{.Sum.Devices}}</td>{{range $p.Cats}}<td class="n">{{count $l.Sum .}}</td>{{end}}</tr>{{end}}
</table>
{{end}}

{{define "plan"}}{{$p := .}}
<h2>{{.T.Plan}}</h2><p>{{.T.PlanNote}}</p>
{{if .Body.Plan}}<table><tr><th>{{.T.Kind}}</th><th>{{.T.Product}}</th><th>{{.T.Edition}}</th><th>{{.T.Route}}</th><th>{{.T.Count}}</th></tr>
{{range .Body.Plan}}<tr><td>{{.Kind}}</td><td>{{.Product}}</td><td>{{.Edition}}</td><td>{{.Route}}</td><td class="n">{{.Count}}</td></tr>{{end}}</table>
{{else}}<p>{{.T.None}}</p>{{end}}
<h2>{{.T.KMSPool}}</h2>{{$k := kt}}
<table><tr><th>{{.T.Site}}</th><th>{{.T.Client}} ({{.T.Threshold}} {{index $k 0}})</th><th>{{.T.Server}} ({{index $k 1}})</th><th>{{.T.Office}} ({{index $k 2}})</th></tr>
{{range .Body.Pools}}<tr><td>{{.Site}}</td><td class="n">{{.Client}}{{if threshold .Client (index $k 0)}} ✓{{end}}</td><td class="n">{{.Server}}{{if threshold .Server (index $k 1)}} ✓{{end}}</td><td class="n">{{.Office}}{{if threshold .Office (index $k 2)}} ✓{{end}}</td></tr>{{end}}</table>
{{end}}

{{define "fleet"}}{{template "head" .}}{{template "summary" .}}<h2>{{.T.Sites}}</h2>{{template "counts" .}}{{template "plan" .}}</body></html>{{end}}

{{define "site"}}{{template "head" .}}{{template "summary" .}}<h2>{{.T.Lines}}</h2>{{template "counts" .}}{{template "plan" .}}</body></html>{{end}}

{{define "line"}}{{template "head" .}}{{template "summary" .}}{{$p := .}}
<h2>{{.T.Devices}}</h2>
<table><tr><th>{{.T.Asset}}</th><th>{{.T.Host}}</th><th>{{.T.Category}}</th><th>{{.T.Reasons}}</th></tr>
{{range .Body.Devices}}<tr><td><a href="#{{.ID}}">{{.Asset}}</a></td><td>{{.Hostname}}</td><td><span class="badge" style="background:{{catColor .Verdict.Category}}">{{catName $p.T .Verdict.Category}}</span></td><td>{{range $i, $r := .Verdict.Reasons}}{{if eq $i 0}}{{text $p.T $r}}{{end}}{{end}}</td></tr>{{end}}
</table>
{{range .Body.Devices}}{{.HTML}}{{end}}
</body></html>{{end}}
`))

// deviceHTML writes one device's section. It is plain code, not a
// template: a line page holds hundreds of these, and html/template's
// reflection made them most of a report's time. Every value goes through
// esc.
func deviceHTML(b *strings.Builder, t *texts, v *devView) {
	d := v.Device
	cat := d.Verdict.Category
	colour := catColour[cat]
	badge := `<span class="badge" style="background:` + colour + `">` + esc(t.CategoryNames[cat]) + `</span>`
	fmt.Fprintf(b, "<section class=\"device\" id=\"%s\" style=\"border-left-color:%s\">\n<h3>%s · %s %s</h3>\n",
		v.ID, colour, esc(d.Asset), esc(d.Hostname), badge)
	if s := d.Snapshot; s != nil {
		fmt.Fprintf(b, "<div class=\"ev\">%s %s · %s %s</div>\n", esc(s.OS.Caption), esc(s.OS.Version), esc(s.Hardware.Manufacturer), esc(s.Hardware.Model))
	}
	b.WriteString("<b>" + esc(t.Reasons) + "</b><ul>")
	for _, r := range d.Verdict.Reasons {
		fmt.Fprintf(b, "<li>%s <span class=\"ev\">[%s] %s</span></li>", esc(r.Text(t.Lang)), esc(r.Code), esc(evidenceText(r.Evidence)))
	}
	b.WriteString("</ul>\n")
	if len(d.Verdict.Routes) > 0 {
		b.WriteString("<b>" + esc(t.Routes) + "</b><ul>")
		for _, r := range d.Verdict.Routes {
			fmt.Fprintf(b, "<li>%s: %s</li>", esc(r.Product), esc(t.RouteNames[r.Route]))
		}
		b.WriteString("</ul>\n")
	}
	if len(d.Verdict.Flags) > 0 {
		b.WriteString("<b>" + esc(t.Flags) + "</b><ul>")
		for _, r := range d.Verdict.Flags {
			fmt.Fprintf(b, "<li>%s <span class=\"ev\">[%s]</span></li>", esc(r.Text(t.Lang)), esc(r.Code))
		}
		b.WriteString("</ul>\n")
	}
	if ps := products(d); len(ps) > 0 {
		fmt.Fprintf(b, "<table><tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n",
			esc(t.Kind), esc(t.Name), esc(t.Channel), esc(t.Status), esc(t.Grace), esc(t.Key), esc(t.Source))
		for _, p := range ps {
			st := esc(string(p.Status))
			if p.StatusReason != 0 {
				st += fmt.Sprintf(" (0x%08X)", p.StatusReason)
			}
			grace := "–"
			if p.GraceMinutes != nil {
				grace = fmt.Sprint(*p.GraceMinutes)
			}
			fmt.Fprintf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td class=\"n\">%s</td><td>%s</td><td>%s</td></tr>",
				esc(string(p.Kind)), esc(p.Name), esc(string(p.Channel)), st, grace, esc(p.PartialKey), esc(string(p.Source)))
		}
		b.WriteString("</table>\n")
	}
	fmt.Fprintf(b, "<div class=\"ev\">%s: %s %s %s %s · %s %s · %s %s · SHA-256 %s · %d %s</div>\n",
		esc(t.Evidence), esc(t.Collected), d.CollectedAt.Format("2006-01-02 15:04 -07:00"), esc(t.By), esc(d.Engineer),
		esc(t.Collector), esc(d.Collector), esc(t.Bundle), esc(d.BundleID), esc(d.SHA256), d.Collections, esc(t.Collections))
	for _, r := range d.Raw {
		fmt.Fprintf(b, "<details><summary>%s: %s</summary><pre>%s</pre></details>", esc(t.Raw), esc(r.Command), esc(r.Text))
	}
	b.WriteString("\n</section>\n")
}

var esc = html.EscapeString

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
