package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/csvcell"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// csvTime is how CSV files write a time: in the site's zone (named in its
// own column), in a form Excel reads as a date and time.
const csvTime = "2006-01-02 15:04"

// writeCSVHeader starts a CSV file: a UTF-8 BOM (without it Excel reads
// Japanese text in the ANSI code page) and the header row.
func writeCSVHeader(w io.Writer, header []string) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csvcell.NewWriter(w)
	writeRecord(cw, header)
	return cw.Error()
}

// writeRecord writes one CSV record: every cell of every CSV file goes
// through here, so what a cell may hold is decided in one place. A
// character that reorders or hides text is shown as \uXXXX, as the
// terminal shows it (terminal.ShowHidden), before csvcell.Text makes
// every formula start in it text (OWASP's CSV injection advice: a
// leading '=', '+', '-', '@', tab or CR gets a ' before it, and so does
// one after a semicolon, a tab or a newline); a number is written as a
// number, without it. Anyone holding a stick can put such a value
// in a site, line, asset or host name. The writer keeps the first write
// error for the caller.
func writeRecord(cw *csvcell.Writer, row []string) {
	var c csvCells
	c.write(cw, row)
}

// csvCells makes the cells of a CSV file's records as writeRecord says,
// and keeps each column's last value with the cell made of it: the rows
// of a line repeat most of their cells (its site, line and zone, a
// category, an action, a product's channel), which were made again for
// every row. A zero csvCells is ready; it holds a value a column.
type csvCells struct{ in, out []string }

// write writes row as writeRecord does, its cells made by cell.
func (c *csvCells) write(cw *csvcell.Writer, row []string) {
	for i, v := range row {
		row[i] = c.cell(i, v)
	}
	cw.Write(row)
}

// cell is the cell of v in column i.
func (c *csvCells) cell(i int, v string) string {
	for len(c.in) <= i {
		// "" is made "": a column not seen yet holds it.
		c.in, c.out = append(c.in, ""), append(c.out, "")
	}
	if v == c.in[i] {
		return c.out[i]
	}
	out := v
	// A number stays a number ("-13" days left), but for the row's
	// first cell: where Excel splits at ";" (csvcell.Text), a line
	// "-1,2+…" is one cell, a formula.
	if i == 0 || !isInt(v) {
		out = csvcell.Text(terminal.ShowHidden(v))
	}
	c.in[i], c.out[i] = v, out
	return out
}

// isInt reports whether strconv.Atoi reads s, without the error Atoi
// allocates for every other cell (a tenth of a report's allocations).
func isInt(s string) bool {
	digits := s
	if len(s) > 0 && (s[0] == '+' || s[0] == '-') {
		digits = s[1:]
	}
	if digits == "" {
		return false
	}
	for i := 0; i < len(digits); i++ {
		if digits[i] < '0' || digits[i] > '9' {
			return false
		}
	}
	_, err := strconv.Atoi(s) // in range
	return err == nil
}

// deviceHeader is the head of devices.csv and LINE.csv: one row per
// device, what to do and by when first.
func (t *texts) deviceHeader() []string {
	return []string{t.Site, t.Line, t.Asset, t.Host, t.Action, t.Deadline, t.DaysLeft, t.DeadlineKind, t.Category, t.Reasons,
		t.Flags, t.Products, t.Collected, t.TimeZone, t.By, t.DeviceKey, t.Bundle}
}

// productHeader is the head of products.csv and LINE.products.csv: one
// row per product.
func (t *texts) productHeader() []string {
	return []string{t.Site, t.Line, t.Asset, t.Host, t.Kind, t.Product, t.Channel, t.Status, t.DaysLeft, t.EndDate, t.Action,
		t.Key, t.RawName, t.Source}
}

// writeDeviceRows writes one CSV row per device.
func writeDeviceRows(w io.Writer, t *texts, rows []row, z zone) error {
	cw := csvcell.NewWriter(w)
	var cells csvCells
	for i := range rows {
		r := &rows[i]
		d := r.d
		deadline, days := "", ""
		if dl := d.Verdict.Deadline; !dl.IsZero() {
			deadline, days = r.dlDate.In(z.loc).Format(csvTime), strconv.Itoa(dl.Days)
			if dl.Kind == classify.DeadlineNow {
				// Due now: the as-of day, which has no time of its own.
				deadline = dueDay(dl, z).Format("2006-01-02")
			}
		}
		names := make([]string, len(r.products))
		for j := range r.products {
			names[j] = r.products[j].name
		}
		cells.write(cw, []string{d.Site, d.Line, d.Asset, d.Hostname, r.action, deadline, days, r.dlKind, r.category,
			strings.Join(r.reasons, " / "), strings.Join(r.flags, " / "), strings.Join(names, " / "),
			d.CollectedAt.In(z.loc).Format(csvTime), z.label(), d.Engineer, d.Key, d.BundleID})
	}
	return cw.Error()
}

// writeProductRows writes one CSV row per product of every device.
func writeProductRows(w io.Writer, t *texts, rows []row, z zone) error {
	cw := csvcell.NewWriter(w)
	var cells csvCells
	for i := range rows {
		d := rows[i].d
		for _, p := range rows[i].products {
			// Empty where nothing expires. A state that has ended, at a
			// date no one knows, says so in both columns as the line
			// page does ("ended", "終了"), rather than leaving them empty
			// as if nothing expired.
			days, end := "", ""
			switch {
			case p.ended:
				days, end = p.days, p.end
			case p.daysN != nil:
				days, end = p.days, p.endT.In(z.loc).Format(csvTime)
			}
			cells.write(cw, []string{d.Site, d.Line, d.Asset, d.Hostname, kindName(p.p.Kind), p.name, p.channel, p.status, days, end,
				p.action, p.p.PartialKey, p.p.Name, p.source})
		}
	}
	return cw.Error()
}

// kindName is a product kind as a product family: Windows, Office.
func kindName(k licensing.Kind) string {
	switch k {
	case licensing.KindWindows:
		return "Windows"
	case licensing.KindOffice:
		return "Office"
	}
	return string(k)
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

// The JSON report (docs/importer.md, "JSON schema").
type jsonDev struct {
	Site         string                  `json:"site"`
	Line         string                  `json:"line"`
	Asset        string                  `json:"asset"`
	Hostname     string                  `json:"hostname"`
	CollectedAt  string                  `json:"collected_at"`
	TimeZone     string                  `json:"time_zone"`
	Category     classify.Category       `json:"category"`
	CategoryText string                  `json:"category_text"`
	Action       jsonAction              `json:"action"`
	Deadline     *jsonDeadline           `json:"deadline"`
	Steps        []jsonStep              `json:"steps"`
	Reasons      []jsonReason            `json:"reasons"`
	Flags        []jsonReason            `json:"flags"`
	Routes       []classify.ProductRoute `json:"routes"`
	Products     []jsonProduct           `json:"products"`
	DeviceKey    string                  `json:"device_key"`
	BundleID     string                  `json:"bundle_id"`
	SHA256       string                  `json:"sha256"`
	Engineer     string                  `json:"engineer,omitempty"`
	Collector    string                  `json:"collector,omitempty"`
	Activation   []jsonActivation        `json:"activation,omitempty"`
}

// jsonActivation is a request as the JSON files give it: its detail in
// English, whatever the report's language, and the detail's code
// (worklist.NoteCode) for programs.
type jsonActivation struct {
	Product    string `json:"product"`
	State      string `json:"state"`
	Detail     string `json:"detail,omitempty"`
	DetailCode string `json:"detail_code,omitempty"`
}

type jsonAction struct {
	Code classify.Action `json:"code"`
	Text string          `json:"text"`
	Host string          `json:"kms_host,omitempty"`
}

type jsonDeadline struct {
	Kind     classify.DeadlineKind `json:"kind"`
	KindText string                `json:"kind_text"`
	Date     string                `json:"date"` // yyyy-mm-dd in the site's zone
	DaysLeft int                   `json:"days_left"`
	Text     string                `json:"text"`
}

type jsonStep struct {
	jsonAction
	Kind     licensing.Kind `json:"kind,omitempty"`
	Product  string         `json:"product"`
	RawName  string         `json:"raw_name,omitempty"`
	Deadline *jsonDeadline  `json:"deadline"`
}

type jsonReason struct {
	Code     string            `json:"code"`
	Name     string            `json:"name,omitempty"` // a flag in words
	Text     string            `json:"text"`
	Evidence classify.Evidence `json:"evidence"`
}

type jsonProduct struct {
	Kind          licensing.Kind    `json:"kind"`
	Name          string            `json:"name"`
	RawName       string            `json:"raw_name"`
	Channel       licensing.Channel `json:"channel"`
	ChannelText   string            `json:"channel_text"`
	LicenseStatus licensing.Status  `json:"license_status"`
	StatusText    string            `json:"status_text"`
	GraceMinutes  *int              `json:"grace_minutes"` // as collected
	DaysLeft      *int              `json:"days_left"`     // at the as-of date; null when nothing expires or it has ended
	EndDate       string            `json:"end_date"`      // yyyy-mm-dd; "" when nothing expires, the as-of date once ended
	Action        string            `json:"action,omitempty"`
	PartialKey    string            `json:"partial_key"`
	Addon         bool              `json:"addon"`
}

func (t *texts) reasonsJSON(rs []classify.Reason, flags bool) []jsonReason {
	// Made at its length: a jsonReason holds its evidence, some 400
	// bytes, which growing the slice copied again.
	out := make([]jsonReason, 0, len(rs))
	for _, r := range rs {
		j := jsonReason{Code: r.Code, Text: r.Text(t.Lang), Evidence: r.Evidence}
		if flags {
			j.Name = t.flagName(r.Code)
		}
		out = append(out, j)
	}
	return out
}

func (t *texts) deadlineJSON(dl classify.Deadline, z zone) *jsonDeadline {
	if dl.IsZero() {
		return nil
	}
	text, _ := t.deadline(dl, z)
	return &jsonDeadline{Kind: dl.Kind, KindText: t.DeadlineKinds[dl.Kind], Date: dueDay(dl, z).Format("2006-01-02"),
		DaysLeft: dl.Days, Text: text}
}

func jsonDevice(t *texts, r *row, z zone) jsonDev {
	d, v := r.d, &r.d.Verdict
	j := jsonDev{Site: d.Site, Line: d.Line, Asset: d.Asset, Hostname: d.Hostname, CollectedAt: d.CollectedAt.Format(time.RFC3339),
		TimeZone: z.label(), Category: v.Category, CategoryText: r.category,
		Action:   jsonAction{v.Action.Action, r.action, v.Action.Host},
		Deadline: t.deadlineJSON(v.Deadline, z), Steps: make([]jsonStep, 0, len(v.Steps)),
		Reasons: t.reasonsJSON(v.Reasons, false), Flags: t.reasonsJSON(v.Flags, true),
		Routes: v.Routes, Products: make([]jsonProduct, 0, len(r.products)), DeviceKey: d.Key, BundleID: d.BundleID, SHA256: d.SHA256,
		Engineer: d.Engineer, Collector: d.Collector}
	if len(d.Activation) > 0 {
		j.Activation = make([]jsonActivation, len(d.Activation))
		for i, a := range d.Activation {
			j.Activation[i] = jsonActivation{Product: a.Product, State: a.State, Detail: a.Detail, DetailCode: string(a.Note.Code)}
		}
	}
	if j.Routes == nil {
		j.Routes = []classify.ProductRoute{}
	}
	for _, s := range v.Steps {
		j.Steps = append(j.Steps, jsonStep{jsonAction: jsonAction{s.Action, s.ActionText(t.Lang), s.Host},
			Kind: s.Kind, Product: s.Name.Text(t.Lang), RawName: s.Product, Deadline: t.deadlineJSON(s.Deadline, z)})
	}
	for _, p := range r.products {
		jp := jsonProduct{Kind: p.p.Kind, Name: p.name, RawName: p.p.Name, Channel: p.p.Channel, ChannelText: p.channel,
			LicenseStatus: p.p.Status, StatusText: p.status, GraceMinutes: p.p.GraceMinutes, DaysLeft: p.daysN,
			Action: p.action, PartialKey: p.p.PartialKey, Addon: p.p.IsAddon}
		if p.ended {
			jp.EndDate = dueDay(classify.Deadline{Kind: classify.DeadlineNow, Date: p.endT}, z).Format("2006-01-02")
		} else if !p.endT.IsZero() {
			jp.EndDate = p.endT.In(z.loc).Format("2006-01-02")
		}
		j.Products = append(j.Products, jp)
	}
	return j
}

// writeJSONHead starts a JSON document: its schema, language, dates,
// what a report of the fleet as it was leaves out of it (past, nil for
// the fleet as it is) and, for a line, where it is; then the devices
// array opens.
// Every value is quoted as JSON (a site or line name is hostile; Go's %q
// would write its control characters as \x1b, which is no JSON).
func writeJSONHead(w *bufio.Writer, opt Options, z zone, where []string, past *asOfNote) {
	b := []byte("{\n")
	member := func(k, v string) {
		b = append(b, "  \""...)
		b = append(b, k...)
		b = append(b, "\": "...)
		b = appendJSONString(b, v)
		b = append(b, ",\n"...)
	}
	member("schema", Schema)
	member("lang", string(opt.Lang))
	member("as_of", opt.AsOf.Format("2006-01-02"))
	if past != nil {
		b = append(b, "  \"as_of_fleet\": {\"left_out\": "+strconv.Itoa(past.LeftOut)+", \"text\": "...)
		b = appendJSONString(b, past.Text)
		b = append(b, "},\n"...)
	}
	// Where the report was made (generatedZone), in every file.
	member("generated", opt.Generated.Format(time.RFC3339))
	if where != nil {
		member("time_zone", z.label())
		member("site", where[0])
		member("line", where[1])
	} else if opt.Site != "" || opt.Line != "" {
		// The fleet's file of a report asked for a part of it.
		b = append(b, "  \"selection\": {"...)
		sep := ""
		for _, kv := range [][2]string{{"site", opt.Site}, {"line", opt.Line}} {
			if kv[1] != "" {
				b = append(b, sep+"\""+kv[0]+"\": "...)
				b = appendJSONString(b, kv[1])
				sep = ", "
			}
		}
		b = append(b, "},\n"...)
	}
	w.Write(b)
	w.WriteString("  \"devices\": [")
}

// writeLineJSON writes a line's JSON document: its head, its summary and
// its devices, encoded already, each preceded by ",\n    ".
func writeLineJSON(w *bufio.Writer, wr *Writer, l *LineReport, z zone) error {
	writeJSONHead(w, wr.opt, z, []string{l.site.name, l.sum.name}, wr.asOfNote(wr.opt.LeftOut[Place{l.site.name, l.sum.name}]))
	if len(l.json) > 0 {
		w.Write(l.json[1:]) // no comma before the first
		w.WriteString("\n  ")
	}
	b, err := jsonMarshal(wr.t.sumJSON(l.sum.sum, false), "  ")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "],\n  \"summary\": %s\n}\n", b)
	return w.Flush() // a bufio.Writer keeps its first error
}

type jsonPlanRow struct {
	Action     classify.Action `json:"action"`
	ActionText string          `json:"action_text"`
	Kind       licensing.Kind  `json:"kind"`
	Product    string          `json:"product"`
	Host       string          `json:"kms_host,omitempty"`
	Devices    int             `json:"devices"`
	Urgent     int             `json:"urgent"`             // its urgent devices
	Due        *jsonDeadline   `json:"first_deadline"`     // the earliest; null when none expires
	Purchase   string          `json:"purchase,omitempty"` // what to buy, in words (texts.purchase)
	Assets     []string        `json:"assets,omitempty"`   // up to 60, for a line or site
	// AssetsLeftOut counts the row's devices that Assets leaves out (a
	// line or site row of more than 60), and UrgentLeftOut the urgent
	// ones among them, as the pages' "and 8 more, 5 of them urgent"
	// (texts.MoreUrgent): a program tells a cut list from a whole one.
	AssetsLeftOut int            `json:"assets_left_out,omitempty"`
	UrgentLeftOut int            `json:"urgent_left_out,omitempty"`
	Sites         map[string]int `json:"sites,omitempty"` // for the fleet: devices per site
	// UrgentSites are the fleet's urgent devices per site, for the sites
	// that have any.
	UrgentSites map[string]int `json:"urgent_sites,omitempty"`
}

type jsonSum struct {
	Devices    int                       `json:"devices"`
	Categories map[classify.Category]int `json:"categories"`
	Actions    map[classify.Action]int   `json:"actions"`
	Plan       []jsonPlanRow             `json:"plan"`
	Flags      map[string]int            `json:"flags"`
}

// sumJSON is a summary as JSON, each plan row's first deadline on its
// day in the zone of the device it is of (planEntry.due).
func (t *texts) sumJSON(s summary, fleet bool) jsonSum {
	j := jsonSum{Devices: s.Devices, Categories: map[classify.Category]int{}, Actions: map[classify.Action]int{},
		Plan: []jsonPlanRow{}, Flags: s.Flags}
	for _, c := range classify.Categories {
		j.Categories[c] = s.Category[c]
	}
	for _, a := range classify.Actions {
		j.Actions[a] = s.Actions[a]
	}
	for _, k := range planKeys(s.Plan) {
		e := s.Plan[k]
		r := jsonPlanRow{Action: k.Action, ActionText: k.Text, Kind: k.Kind, Product: k.Name,
			Host: k.Host, Devices: e.Count, Urgent: e.Urgent, Due: t.deadlineJSON(e.Due, e.dueZone), Purchase: t.purchase(k, e.Count)}
		if fleet {
			r.Sites, r.UrgentSites = e.Sites, e.UrgentSites
		} else {
			for _, ref := range urgentFirst(e.Refs) {
				r.Assets = append(r.Assets, ref.Asset)
			}
			r.AssetsLeftOut, r.UrgentLeftOut = e.Count-len(e.Refs), e.Urgent-urgentRefs(e.Refs)
		}
		j.Plan = append(j.Plan, r)
	}
	return j
}

// lineJSON is a line in the fleet's summary JSON.
type lineJSON struct {
	Line string  `json:"line"`
	Sum  jsonSum `json:"summary"`
}

// jsonSummary is the fleet's summary JSON. Its lines were marshalled as
// each was committed (lineSum.json): json.MarshalIndent compacts and
// indents them with the rest, the same bytes as the lineJSON they hold.
func jsonSummary(w *Writer) interface{} {
	type site struct {
		Site     string               `json:"site"`
		TimeZone string               `json:"time_zone"`
		Pool     classify.Pool        `json:"kms_pool"`
		KMS      []classify.KMSAdvice `json:"kms"`
		Sum      jsonSum              `json:"summary"`
		Lines    []json.RawMessage    `json:"lines"`
	}
	out := struct {
		Fleet jsonSum `json:"fleet"`
		Sites []site  `json:"sites"`
	}{Fleet: w.t.sumJSON(w.fleet, true), Sites: []site{}}
	for _, name := range w.order {
		s := w.sites[name]
		pool := w.pools[name]
		z := s.sum.zone()
		st := site{Site: name, TimeZone: z.label(), Pool: pool, KMS: pool.Advice(), Sum: w.t.sumJSON(s.sum, false), Lines: []json.RawMessage{}}
		for _, l := range s.lines {
			st.Lines = append(st.Lines, l.json)
		}
		out.Sites = append(out.Sites, st)
	}
	return out
}

// jsonMarshal indents v as part of a document, each line after the first
// starting with prefix.
func jsonMarshal(v interface{}, prefix string) ([]byte, error) {
	return json.MarshalIndent(v, prefix, "  ")
}
