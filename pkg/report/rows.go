package report

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// zone is the time zone a site's times are shown in: the clock of its
// devices, as the collector recorded it (an offset, and a name such as
// JST when Windows gave one).
type zone struct {
	name string // "JST", or "UTC+09:00" when the device gave no name
	loc  *time.Location
	lbl  string // label, once labelled
	off  int    // seconds east of UTC
}

var utc = zone{"UTC", time.UTC, "UTC", 0}

// zoneKey tells zones apart by what they show: their name and offset.
// Two devices' zones are two *time.Location even when both are JST, so
// zones are not compared as values.
type zoneKey struct {
	name string
	off  int
}

func (z zone) key() zoneKey { return zoneKey{z.name, z.off} }

// zoneOf is the zone of one collection time.
func zoneOf(t time.Time, name string) zone {
	_, off := t.Zone()
	if name == "" || strings.ContainsAny(name, " /") {
		// Windows' long names ("Tokyo Standard Time") do not fit a cell;
		// the offset says it exactly.
		name = "UTC" + t.Format("-07:00")
		if off == 0 {
			name = "UTC"
		}
	}
	return zone{name: name, loc: time.FixedZone(name, off), off: off}
}

// labelled is z with its label made, for a zone every row of a line
// shows.
func (z zone) labelled() zone {
	z.lbl = z.label()
	return z
}

// label is the zone as shown beside times: "JST (UTC+09:00)".
func (z zone) label() string {
	if z.lbl != "" {
		return z.lbl
	}
	off := time.Date(2000, 1, 1, 0, 0, 0, 0, z.loc).Format("-07:00")
	if z.name == "UTC" || strings.HasPrefix(z.name, "UTC") {
		return z.name
	}
	return z.name + " (UTC" + off + ")"
}

// stamp writes t in the zone as Excel reads a date and time, with the
// zone's name: "2026-11-02 10:15 JST".
func (z zone) stamp(t time.Time) string { return t.In(z.loc).Format("2006-01-02 15:04") + " " + z.name }

// majorityZone picks the zone most devices have; ties go to the first.
func majorityZone(devs []Device) zone {
	counts := map[zoneKey]int{}
	best, n := utc, 0
	for i := range devs {
		z := devs[i].zone()
		k := z.key()
		counts[k]++
		if counts[k] > n {
			best, n = z, counts[k]
		}
	}
	return best
}

func (d *Device) zone() zone {
	name := ""
	if d.Snapshot != nil {
		name = d.Snapshot.Context.TimeZone
	}
	return zoneOf(d.CollectedAt, name)
}

// row is a device as every format shows it, in the report's language:
// computed once per device, so that HTML, CSV, JSON and the workbook
// agree and templates only read fields.
type row struct {
	d        *Device
	id       string // the device's anchor in its line page: d1, d2, …
	href     string // its line page and anchor, from its site's folder
	action   string
	deadline string    // "2026-11-11 (残り 9 日)", "直ちに", "—"
	dlDate   time.Time // zero when nothing expires
	dlKind   string
	category string
	reasons  []string
	flags    []string // in words
	products []prodRow
	system   string
}

// prodRow is one product of a device in words.
type prodRow struct {
	p                         licensing.Product
	name, channel, status     string
	days, end, action, source string
	daysN                     *int
	endT                      time.Time
	ended                     bool // its state has ended, at a date not known (DeadlineNow): days and end say t.Ended
}

// newRow computes a device's row; z is its line's zone.
func newRow(t *texts, d *Device, z zone, id, href string) row {
	v := &d.Verdict
	r := row{d: d, id: id, href: href, category: t.CategoryNames[v.Category]}
	r.action = v.Action.ActionText(t.Lang)
	r.deadline, r.dlDate = t.deadline(v.Deadline, z)
	if !v.Deadline.IsZero() {
		r.dlKind = t.DeadlineKinds[v.Deadline.Kind]
	}
	for _, x := range v.Reasons {
		r.reasons = append(r.reasons, x.Text(t.Lang))
	}
	seen := map[string]bool{}
	for _, f := range v.Flags {
		if !seen[f.Code] {
			seen[f.Code] = true
			r.flags = append(r.flags, t.flagName(f.Code))
		}
	}
	if s := d.Snapshot; s != nil {
		r.system = joinNonEmpty(" · ", strings.TrimSpace(s.OS.Caption+" "+s.OS.Version),
			strings.TrimSpace(s.Hardware.Manufacturer+" "+s.Hardware.Model))
	}
	steps := map[string]*classify.Step{}
	for i := range v.Steps {
		steps[string(v.Steps[i].Kind)+"\x00"+v.Steps[i].Product] = &v.Steps[i]
	}
	for _, p := range products(d) {
		pr := prodRow{p: p, channel: classify.ChannelText(p.Channel, t.Lang), status: classify.StatusText(p.Status, t.Lang),
			days: t.NoExpiry, end: t.NoExpiry, source: t.sourceName(string(p.Source))}
		if p.StatusReason != 0 {
			pr.status += " (" + licensing.HRESULT(p.StatusReason) + ")"
		}
		pr.name = p.Name
		if d.Snapshot != nil {
			pr.name = classify.ProductName(d.Snapshot, &p).Text(t.Lang)
		}
		if st := steps[string(p.Kind)+"\x00"+p.Name]; st != nil {
			pr.action = st.ActionText(t.Lang)
			if dl := st.Deadline; !dl.IsZero() {
				pr.endT = dl.Date
				if dl.Kind == classify.DeadlineNow {
					pr.days, pr.end, pr.ended = t.Ended, t.Ended, true
				} else {
					n := dl.Days
					pr.daysN, pr.end, pr.days = &n, dl.Date.In(z.loc).Format("2006-01-02"), strconv.Itoa(n)
				}
			}
		}
		r.products = append(r.products, pr)
	}
	return r
}

// dueDay is the day a deadline falls on, as a date (midnight UTC, as
// Excel stores a date): in z for a date a state ends at; for one due now
// (DeadlineNow, whose date is the as-of time), the as-of day itself, as
// the report's "As of" says it. The as-of time is the start of that day
// where the report was made: taken in z, 00:00 UTC on the as-of day was
// "2026-11-02 09:00" for a site in JST, and the day before for a site
// west of the workstation.
func dueDay(dl classify.Deadline, z zone) time.Time {
	d := dl.Date
	if dl.Kind != classify.DeadlineNow {
		d = d.In(z.loc)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// generatedZone is the zone a report's "generated" time is shown in,
// the same on every page and file: the zone of the workstation that
// made it (where its as-of day is taken), named as a device's zone is.
func generatedZone(t time.Time) zone {
	name, _ := t.Zone()
	return zoneOf(t, name)
}

// deadline writes a deadline: "2026-11-11 (残り 9 日)", "2026-11-11 (13
// 日超過)", "直ちに" for a state that has ended at an unknown date, "—"
// where nothing expires. The date is also returned, zero for "—".
func (t *texts) deadline(dl classify.Deadline, z zone) (string, time.Time) {
	switch {
	case dl.IsZero():
		return t.NoExpiry, time.Time{}
	case dl.Kind == classify.DeadlineNow:
		return t.Now, dl.Date
	}
	date := dl.Date.In(z.loc).Format("2006-01-02")
	if dl.Days < 0 {
		return date + " (" + t.count(t.Overdue, -dl.Days) + ")", dl.Date
	}
	return date + " (" + t.count(t.DaysLeftN, dl.Days) + ")", dl.Date
}

func (t *texts) flagName(code string) string {
	if n, ok := t.FlagNames[code]; ok {
		return n
	}
	return code
}

func (t *texts) sourceName(s string) string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if n, ok := t.SourceNames[strings.TrimSpace(p)]; ok {
			out = append(out, n)
		} else if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, ", ")
}

// kv is one key and value of evidence; Data marks a value that is data
// as read (a name as the licensing platform gives it, a code), not words
// of the report's language.
type kv struct {
	K, V string
	Data bool
}

// evidence lists what a reason rests on as keys and values in t's
// language: no English tags inside Japanese sentences.
func (t *texts) evidence(code string, e classify.Evidence) []kv {
	out := make([]kv, 0, 11) // as many as it may add: never grown
	add := func(k, v string) {
		if v != "" {
			out = append(out, kv{K: k, V: v})
		}
	}
	data := func(k, v string) {
		if v != "" {
			out = append(out, kv{k, v, true})
		}
	}
	if e.Product != "" && e.Product != e.Name {
		data(t.RawName, e.Product)
	}
	if e.Channel != "" {
		add(t.Channel, classify.ChannelText(e.Channel, t.Lang))
	}
	if e.Status != "" {
		add(t.Status, classify.StatusText(e.Status, t.Lang))
	}
	data(t.Key, e.PartialKey)
	data(t.HRESULT, e.HRESULT)
	if e.Days != nil {
		add(t.DaysLeft, strconv.Itoa(*e.Days))
	}
	if e.Date != "?" {
		add(t.Date, e.Date)
	}
	if e.Count != nil && e.Threshold != nil {
		add(t.Eligible, fmt.Sprintf("%d / %d", *e.Count, *e.Threshold))
	}
	data(t.KMSHost, e.Host)
	add(t.Source, t.sourceName(string(e.Source)))
	data(t.Rule, code)
	return out
}

func joinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// sortDevices puts the most urgent first, then the nearest deadline (none
// last), then by asset and host. It sorts the devices' indexes, then
// moves each device once, cycle by cycle: a Device is some 650 bytes, and
// a stable sort of the devices themselves copied each one many times (2 %
// of a report's CPU).
func sortDevices(devs []Device) {
	idx := make([]int, len(devs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(i, j int) bool { return deviceBefore(&devs[idx[i]], &devs[idx[j]]) })
	// devs[i] is to be the device at idx[i]; a done place is -1.
	for i := range idx {
		if idx[i] == i || idx[i] < 0 {
			continue
		}
		first, j := devs[i], i
		for {
			k := idx[j]
			idx[j] = -1
			if k == i {
				devs[j] = first
				break
			}
			devs[j] = devs[k]
			j = k
		}
	}
}

// deviceBefore is sortDevices' order.
func deviceBefore(x, y *Device) bool {
	a, b := &x.Verdict, &y.Verdict
	if ra, rb := a.Category.Rank(), b.Category.Rank(); ra != rb {
		return ra < rb
	}
	if a.Deadline.IsZero() != b.Deadline.IsZero() {
		return !a.Deadline.IsZero()
	}
	if !a.Deadline.Date.Equal(b.Deadline.Date) {
		return a.Deadline.Date.Before(b.Deadline.Date)
	}
	if x.Asset != y.Asset {
		return x.Asset < y.Asset
	}
	return x.Hostname < y.Hostname
}
