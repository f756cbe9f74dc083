package report

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// writeCSVHeader starts a CSV file: a UTF-8 BOM (without it Excel reads
// Japanese text in the ANSI code page) and the header row.
func writeCSVHeader(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(csvHeader)
	cw.Flush()
	return cw.Error()
}

// cell makes a text value safe for a spreadsheet cell, as OWASP's CSV
// injection advice says: a value starting with '=', '+', '-', '@', a tab
// or a carriage return would be read by Excel as a formula (or shift the
// cell), so it gets a leading single quote, which Excel shows as text.
// Every text cell of every CSV goes through it; numbers are written as
// numbers, without it. Anyone holding a stick can put such a value in a
// site, line, asset or host name.
func cell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// cells applies cell to every value of a row.
func cells(row []string) []string {
	for i, v := range row {
		row[i] = cell(v)
	}
	return row
}

// writeCSVRows writes the rows of devs; csv.Writer keeps the first write
// error and Error returns it.
func writeCSVRows(w io.Writer, devs []Device, lang classify.Lang) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	for i := range devs {
		writeCSV(cw, &devs[i], lang)
	}
	cw.Flush()
	return cw.Error()
}

var csvHeader = []string{"site", "line", "asset", "hostname", "category", "collected_at", "kind", "name", "channel",
	"license_status", "grace_minutes", "partial_key", "route", "reason_codes", "reasons", "flags", "device_key", "bundle_id"}

// writeCSV writes one row per product of d (one row if it has none).
// writeCSV writes one row per product of d (one row if it has none).
// Each row carries the reasons about its product; reasons about the
// device as a whole go on its first row, and its flags too. So a device's
// rows grow with its products plus its reasons, never with their product,
// however many products a (forged) snapshot lists.
func writeCSV(cw *csv.Writer, d *Device, lang classify.Lang) {
	ps := products(d)
	listed := map[string]bool{}
	for _, p := range ps {
		listed[p.Name] = true
	}
	byProduct := map[string][]classify.Reason{} // "": the device's first row
	for _, r := range d.Verdict.Reasons {
		k := r.Evidence.Product
		if !listed[k] {
			k = ""
		}
		byProduct[k] = append(byProduct[k], r)
	}
	var flags []string
	for _, f := range d.Verdict.Flags {
		flags = append(flags, f.Code)
	}
	base := []string{d.Site, d.Line, d.Asset, d.Hostname, string(d.Verdict.Category), d.CollectedAt.Format(time.RFC3339)}
	tail := func(first bool, product string) []string {
		rs := byProduct[product]
		if product == "" {
			rs = nil
		}
		if first {
			rs = append(append([]classify.Reason{}, byProduct[""]...), rs...)
		}
		var codes, texts []string
		for _, r := range rs {
			codes = append(codes, r.Code)
			texts = append(texts, r.Text(lang))
		}
		fl := ""
		if first {
			fl = strings.Join(flags, " ")
		}
		return []string{strings.Join(codes, " "), strings.Join(texts, " / "), fl, d.Key, d.BundleID}
	}
	n := 0
	for _, p := range ps {
		grace := ""
		if p.GraceMinutes != nil {
			grace = fmt.Sprint(*p.GraceMinutes)
		}
		row := append(append([]string{}, base...), string(p.Kind), p.Name, string(p.Channel), string(p.Status), grace, p.PartialKey, routeOf(d, p.Name))
		cw.Write(cells(append(row, tail(n == 0, p.Name)...)))
		n++
	}
	if n == 0 {
		cw.Write(cells(append(append(append([]string{}, base...), "", "", "", "", "", "", ""), tail(true, "")...)))
	}
}

// products are the Windows and Office products of a device, add-ons last.
func products(d *Device) []licensing.Product {
	if d.Snapshot == nil {
		return nil
	}
	var out, addons []licensing.Product
	for _, p := range d.Snapshot.Products {
		if p.Kind != licensing.KindWindows && p.Kind != licensing.KindOffice {
			continue
		}
		if p.IsAddon {
			addons = append(addons, p)
		} else {
			out = append(out, p)
		}
	}
	return append(out, addons...)
}

func routeOf(d *Device, product string) string {
	for _, r := range d.Verdict.Routes {
		if r.Product == product {
			return string(r.Route)
		}
	}
	return ""
}

// JSON report schema (docs/report-json.md).
type jsonDev struct {
	Site        string                  `json:"site"`
	Line        string                  `json:"line"`
	Asset       string                  `json:"asset"`
	Hostname    string                  `json:"hostname"`
	CollectedAt string                  `json:"collected_at"`
	Category    classify.Category       `json:"category"`
	Reasons     []jsonReason            `json:"reasons"`
	Flags       []jsonReason            `json:"flags"`
	Routes      []classify.ProductRoute `json:"routes"`
	Products    []jsonProduct           `json:"products"`
	DeviceKey   string                  `json:"device_key"`
	BundleID    string                  `json:"bundle_id"`
	SHA256      string                  `json:"sha256"`
	Engineer    string                  `json:"engineer,omitempty"`
	Collector   string                  `json:"collector,omitempty"`
}

type jsonReason struct {
	Code     string            `json:"code"`
	Text     string            `json:"text"`
	Evidence classify.Evidence `json:"evidence"`
}

type jsonProduct struct {
	Kind          licensing.Kind    `json:"kind"`
	Name          string            `json:"name"`
	Channel       licensing.Channel `json:"channel"`
	LicenseStatus licensing.Status  `json:"license_status"`
	GraceMinutes  *int              `json:"grace_minutes"`
	PartialKey    string            `json:"partial_key"`
	Addon         bool              `json:"addon,omitempty"`
}

func reasonsJSON(rs []classify.Reason, lang classify.Lang) []jsonReason {
	out := []jsonReason{}
	for _, r := range rs {
		out = append(out, jsonReason{r.Code, r.Text(lang), r.Evidence})
	}
	return out
}

func jsonDevice(d *Device, lang classify.Lang) jsonDev {
	j := jsonDev{Site: d.Site, Line: d.Line, Asset: d.Asset, Hostname: d.Hostname, CollectedAt: d.CollectedAt.Format(time.RFC3339),
		Category: d.Verdict.Category, Reasons: reasonsJSON(d.Verdict.Reasons, lang), Flags: reasonsJSON(d.Verdict.Flags, lang),
		Routes: d.Verdict.Routes, Products: []jsonProduct{}, DeviceKey: d.Key, BundleID: d.BundleID, SHA256: d.SHA256,
		Engineer: d.Engineer, Collector: d.Collector}
	if j.Routes == nil {
		j.Routes = []classify.ProductRoute{}
	}
	for _, p := range products(d) {
		j.Products = append(j.Products, jsonProduct{p.Kind, p.Name, p.Channel, p.Status, p.GraceMinutes, p.PartialKey, p.IsAddon})
	}
	return j
}

// writeJSONDoc writes a line's JSON document around its devices, encoded
// already, each preceded by ",\n    ".
func writeJSONDoc(w *bufio.Writer, devices []byte, opt Options) error {
	fmt.Fprintf(w, "{\n  \"as_of\": %q,\n  \"generated\": %q,\n  \"devices\": [", opt.AsOf.Format("2006-01-02"), opt.Generated.Format(time.RFC3339))
	if len(devices) > 0 {
		w.Write(devices[1:]) // no comma before the first
		w.WriteString("\n  ")
	}
	_, err := w.WriteString("]\n}\n")
	return err // a bufio.Writer keeps its first error
}

type jsonRoute struct {
	Kind    licensing.Kind `json:"kind"`
	Product string         `json:"product"`
	Edition string         `json:"edition"`
	Route   classify.Route `json:"route"`
	Devices int            `json:"devices"`
}

type jsonSum struct {
	Devices    int                       `json:"devices"`
	Categories map[classify.Category]int `json:"categories"`
	Routes     []jsonRoute               `json:"routes"`
	Flags      map[string]int            `json:"flags"`
}

func sumJSON(s summary) jsonSum {
	j := jsonSum{Devices: s.Devices, Categories: map[classify.Category]int{}, Routes: []jsonRoute{}, Flags: s.Flags}
	for _, c := range classify.Categories {
		j.Categories[c] = s.Category[c]
	}
	for _, k := range sortedRoutes(s.Routes) {
		j.Routes = append(j.Routes, jsonRoute{k.Kind, k.Product, k.Edition, k.Route, s.Routes[k]})
	}
	return j
}

func jsonSummary(w *Writer) interface{} {
	type site struct {
		Site  string             `json:"site"`
		Pool  classify.Pool      `json:"kms_pool"`
		Sum   jsonSum            `json:"summary"`
		Lines map[string]jsonSum `json:"lines"`
	}
	out := struct {
		Fleet jsonSum `json:"fleet"`
		Sites []site  `json:"sites"`
	}{Fleet: sumJSON(w.fleet), Sites: []site{}}
	for _, name := range w.order {
		s := w.sites[name]
		st := site{Site: name, Pool: s.pool, Sum: sumJSON(s.sum), Lines: map[string]jsonSum{}}
		for _, l := range s.lines {
			st.Lines[l.name] = sumJSON(l.sum)
		}
		out.Sites = append(out.Sites, st)
	}
	return out
}
