package report

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/classify"
)

// The devices of the JSON reports are written by the code below, not by
// encoding/json: a report encodes every device of the fleet, and walking
// the structs by reflection cost as much as building them. The structs
// (jsonDev and those it holds) stay the definition: TestDeviceJSON and
// FuzzDeviceJSON fill every field of them, hostile strings included, and
// require exactly the bytes json.Marshal writes, so a field added to one
// of them and not here fails the tests.

// object writes the members of a JSON object, commas between them.
type object struct {
	b []byte
	n int
}

func (o *object) key(k string) {
	if o.n > 0 {
		o.b = append(o.b, ',')
	}
	o.n++
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *object) str(k, v string) {
	o.key(k)
	o.b = appendJSONString(o.b, v)
}

// strOmit is a string member with omitempty.
func (o *object) strOmit(k, v string) {
	if v != "" {
		o.str(k, v)
	}
}

func (o *object) int(k string, v int64) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, v, 10)
}

// intPtr is a *int member: null when nil, left out when omit.
func (o *object) intPtr(k string, v *int, omit bool) {
	switch {
	case v != nil:
		o.int(k, int64(*v))
	case !omit:
		o.key(k)
		o.b = append(o.b, "null"...)
	}
}

func (o *object) int64Ptr(k string, v *int64) { // always omitempty
	if v != nil {
		o.int(k, *v)
	}
}

func (o *object) bool(k string, v bool) {
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

// list writes a member holding an array of n elements: null for a nil
// slice, as encoding/json does.
func (o *object) list(k string, n int, isNil bool, elem func(b []byte, i int) []byte) {
	o.key(k)
	if isNil {
		o.b = append(o.b, "null"...)
		return
	}
	o.b = append(o.b, '[')
	for i := 0; i < n; i++ {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = elem(o.b, i)
	}
	o.b = append(o.b, ']')
}

func (o *object) end() []byte { return append(o.b, '}') }

func begin(b []byte) object { return object{b: append(b, '{')} }

// appendJSON appends j as json.Marshal writes it.
func (j *jsonDev) appendJSON(b []byte) []byte {
	o := begin(b)
	o.str("site", j.Site)
	o.str("line", j.Line)
	o.str("asset", j.Asset)
	o.str("hostname", j.Hostname)
	o.str("collected_at", j.CollectedAt)
	o.str("time_zone", j.TimeZone)
	o.str("category", string(j.Category))
	o.str("category_text", j.CategoryText)
	o.key("action")
	a := begin(o.b)
	j.Action.members(&a)
	o.b = a.end()
	o.key("deadline")
	o.b = j.Deadline.appendJSON(o.b)
	o.list("steps", len(j.Steps), j.Steps == nil, func(b []byte, i int) []byte { return j.Steps[i].appendJSON(b) })
	o.list("reasons", len(j.Reasons), j.Reasons == nil, func(b []byte, i int) []byte { return j.Reasons[i].appendJSON(b) })
	o.list("flags", len(j.Flags), j.Flags == nil, func(b []byte, i int) []byte { return j.Flags[i].appendJSON(b) })
	o.list("routes", len(j.Routes), j.Routes == nil, func(b []byte, i int) []byte { return appendRouteJSON(b, &j.Routes[i]) })
	o.list("products", len(j.Products), j.Products == nil, func(b []byte, i int) []byte { return j.Products[i].appendJSON(b) })
	o.str("device_key", j.DeviceKey)
	o.str("bundle_id", j.BundleID)
	o.str("sha256", j.SHA256)
	o.strOmit("engineer", j.Engineer)
	o.strOmit("collector", j.Collector)
	if len(j.Activation) > 0 {
		o.list("activation", len(j.Activation), false, func(b []byte, i int) []byte {
			a := &j.Activation[i]
			o := begin(b)
			o.str("product", a.Product)
			o.str("state", a.State)
			o.strOmit("detail", a.Detail)
			o.strOmit("detail_code", a.DetailCode)
			return o.end()
		})
	}
	return o.end()
}

func (a *jsonAction) members(o *object) {
	o.str("code", string(a.Code))
	o.str("text", a.Text)
	o.strOmit("kms_host", a.Host)
}

func (d *jsonDeadline) appendJSON(b []byte) []byte {
	if d == nil {
		return append(b, "null"...)
	}
	o := begin(b)
	o.str("kind", string(d.Kind))
	o.str("kind_text", d.KindText)
	o.str("date", d.Date)
	o.int("days_left", int64(d.DaysLeft))
	o.str("text", d.Text)
	return o.end()
}

func (s *jsonStep) appendJSON(b []byte) []byte {
	o := begin(b)
	s.jsonAction.members(&o)
	o.strOmit("kind", string(s.Kind))
	o.str("product", s.Product)
	o.strOmit("raw_name", s.RawName)
	o.key("deadline")
	o.b = s.Deadline.appendJSON(o.b)
	return o.end()
}

func (r *jsonReason) appendJSON(b []byte) []byte {
	o := begin(b)
	o.str("code", r.Code)
	o.strOmit("name", r.Name)
	o.str("text", r.Text)
	o.key("evidence")
	o.b = appendEvidenceJSON(o.b, &r.Evidence)
	return o.end()
}

func appendEvidenceJSON(b []byte, e *classify.Evidence) []byte {
	o := begin(b)
	o.strOmit("product", e.Product)
	o.strOmit("name", e.Name)
	o.strOmit("kind", string(e.Kind))
	o.strOmit("edition", e.Edition)
	o.strOmit("channel", string(e.Channel))
	o.strOmit("license_status", string(e.Status))
	o.strOmit("partial_key", e.PartialKey)
	o.strOmit("hresult", e.HRESULT)
	o.strOmit("hresult_meaning", e.Meaning)
	o.intPtr("minutes_left", e.Minutes, true)
	o.intPtr("days_left", e.Days, true)
	o.strOmit("date", e.Date)
	o.intPtr("count", e.Count, true)
	o.intPtr("threshold", e.Threshold, true)
	o.strOmit("route", string(e.Route))
	o.strOmit("kms_host", e.Host)
	if len(e.HostReleases) > 0 { // omitempty
		o.list("kms_host_releases", len(e.HostReleases), false, func(b []byte, i int) []byte { return appendJSONString(b, e.HostReleases[i]) })
	}
	o.strOmit("volume", e.Volume)
	o.int64Ptr("free_bytes", e.FreeBytes)
	o.int64Ptr("size_bytes", e.SizeBytes)
	o.strOmit("source", string(e.Source))
	return o.end()
}

func appendRouteJSON(b []byte, r *classify.ProductRoute) []byte {
	o := begin(b)
	o.str("kind", string(r.Kind))
	o.str("product", r.Product)
	o.key("name")
	n := begin(o.b)
	n.strOmit("release", r.Name.Release)
	n.str("family", r.Name.Family)
	n.strOmit("edition", r.Name.Edition)
	o.b = n.end()
	o.str("edition", r.Edition)
	o.str("route", string(r.Route))
	o.strOmit("kms_host", r.Host)
	o.str("code", r.Code)
	return o.end()
}

func (p *jsonProduct) appendJSON(b []byte) []byte {
	o := begin(b)
	o.str("kind", string(p.Kind))
	o.str("name", p.Name)
	o.str("raw_name", p.RawName)
	o.str("channel", string(p.Channel))
	o.str("channel_text", p.ChannelText)
	o.str("license_status", string(p.LicenseStatus))
	o.str("status_text", p.StatusText)
	o.intPtr("grace_minutes", p.GraceMinutes, false)
	o.intPtr("days_left", p.DaysLeft, false)
	o.str("end_date", p.EndDate)
	o.strOmit("action", p.Action)
	o.str("partial_key", p.PartialKey)
	o.bool("addon", p.Addon)
	return o.end()
}

// shortBF says whether encoding/json writes backspace and form feed as
// \b and \f (Go 1.22 on) or as \u0008 and \u000c (before; the tests run
// under Wine with Go 1.20): the bytes are those of the Go that builds the
// program.
var shortBF = func() bool {
	b, _ := json.Marshal("\b")
	return string(b) == `"\b"`
}()

// jsonSafe holds the ASCII bytes a JSON string keeps as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString appends s quoted as encoding/json quotes it (HTML
// escaping on): <, > and & as \u003c, \u003e, \u0026; U+2028 and U+2029
// escaped for JavaScript; bytes that are not UTF-8 as \ufffd; control
// characters as \n, \r, \t, \b, \f or \u00XX.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b', '\f':
				switch {
				case !shortBF:
					b = append(b, '\\', 'u', '0', '0', '0', hex[c])
				case c == '\b':
					b = append(b, '\\', 'b')
				default:
					b = append(b, '\\', 'f')
				}
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
