package licensing

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// decodeFast decodes data into the zero Snapshot s as json.Unmarshal
// would, or reports false and leaves s to be reset and decoded by
// encoding/json. Every report decodes the stored snapshot of every device
// (300 MB of JSON for 100,000 devices), and encoding/json, which checks
// the whole text once and then decodes it by reflection, took a fifth of a
// report's CPU time.
//
// It reads the JSON that Marshal writes, with any white space and key
// order, and nothing else: a key it does not know exactly (encoding/json
// would also match it ignoring case, or skip it), a key twice, a value of
// another type than its field's, a number that is not a plain integer in
// range, a \u escape of a UTF-16 surrogate, and any text that is not JSON
// make it report false. Whatever it accepts, encoding/json accepts and
// decodes to the same value (TestDecodeFast, FuzzDecodeFast); a snapshot
// of a newer collector with fields this program does not know is decoded
// by encoding/json. data must be valid UTF-8, as Unmarshal checks first.
// long says whether a string needs cutting (decoder.long).
func decodeFast(data string, s *Snapshot) (ok, long bool) {
	d := decoder{data: data}
	ok = d.object(func(k string) bool {
		switch k {
		case "schema":
			return d.str(&s.Schema)
		case "context":
			return d.context(&s.Context)
		case "os":
			return d.os(&s.OS)
		case "hardware":
			return d.hardware(&s.Hardware)
		case "domain":
			return d.domain(&s.Domain)
		case "disks":
			return array(&d, &s.Disks, MaxItems, d.disk)
		case "volumes":
			return array(&d, &s.Volumes, MaxItems, d.volume)
		case "products":
			return array(&d, &s.Products, MaxProducts, d.product)
		case "services":
			return array(&d, &s.Services, MaxItems, d.service)
		case "image_backups":
			return array(&d, &s.ImageBackups, MaxItems, d.str)
		case "raw":
			return array(&d, &s.Raw, MaxItems, d.rawOutput)
		case "missing":
			return array(&d, &s.Missing, MaxNotes, d.str)
		case "errors":
			return array(&d, &s.Errors, MaxNotes, d.sourceError)
		}
		return false
	}) && d.end()
	return ok, d.long
}

// decoder reads JSON from data at i. Its methods report whether they read
// what they expected; none goes on after a false.
type decoder struct {
	data string
	i    int
	buf  []byte // a string's bytes while its escapes are undone
	// long is set by a string literal over MaxString bytes as written,
	// or holding a \u0000 escape: then the snapshot's strings must be
	// cut (Snapshot.clean), which Unmarshal otherwise learns by scanning
	// the text again (longString).
	long bool
}

func (d *decoder) space() {
	for d.i < len(d.data) {
		switch d.data[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips white space and reads c if it comes next.
func (d *decoder) next(c byte) bool {
	d.space()
	if d.i < len(d.data) && d.data[d.i] == c {
		d.i++
		return true
	}
	return false
}

// end reports whether only white space is left.
func (d *decoder) end() bool {
	d.space()
	return d.i == len(d.data)
}

// word reads w (true, false, null) if it comes next.
func (d *decoder) word(w string) bool {
	d.space()
	if len(d.data)-d.i >= len(w) && d.data[d.i:d.i+len(w)] == w {
		d.i += len(w)
		return true
	}
	return false
}

// object reads an object, calling member for each key (without escapes)
// with the value next. A key seen twice ends it, since encoding/json
// would merge the two values into one field; so do more than 32 keys,
// which no struct of a snapshot has, so that the check stays cheap.
func (d *decoder) object(member func(key string) bool) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	var spans [32][2]int // the keys read so far, as offsets into data
	seen := spans[:0]
	for {
		if !d.next('"') {
			return false
		}
		start := d.i
		for d.i < len(d.data) && d.data[d.i] != '"' && d.data[d.i] != '\\' && d.data[d.i] >= 0x20 {
			d.i++
		}
		if d.i == start || d.i == len(d.data) || d.data[d.i] != '"' {
			return false // no field's name is empty or has an escape
		}
		key := d.data[start:d.i]
		if len(key) > MaxString {
			d.long = true
		}
		for _, sp := range seen {
			if d.data[sp[0]:sp[1]] == key {
				return false
			}
		}
		if len(seen) == len(spans) {
			return false // more keys than any struct has fields: a map, left to encoding/json
		}
		seen = append(seen, [2]int{start, d.i})
		d.i++
		if !d.next(':') {
			return false
		}
		if !member(key) {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next('}')
	}
}

// fields reads an object into a struct field: null leaves it as it is,
// as encoding/json does.
func (d *decoder) fields(member func(key string) bool) bool {
	return d.word("null") || d.object(member)
}

// array reads an array into *p, each element with elem; null leaves *p
// nil and [] makes it empty, not nil, as encoding/json does. One of more
// than max elements ends it before it grows further: a forged snapshot of
// 1 MiB of "{}," would be 350,000 products (Unmarshal then refuses it,
// bounding what encoding/json reads, see maxCommas).
func array[T any](d *decoder, p *[]T, max int, elem func(*T) bool) bool {
	if d.word("null") {
		return true
	}
	if !d.next('[') {
		return false
	}
	s := make([]T, 0)
	if !d.next(']') {
		for {
			if len(s) == max {
				return false
			}
			var v T
			s = append(s, v)
			if !elem(&s[len(s)-1]) {
				return false
			}
			if d.next(',') {
				continue
			}
			if !d.next(']') {
				return false
			}
			break
		}
	}
	*p = s
	return true
}

// str reads a string into *p; null leaves it as it is.
func (d *decoder) str(p *string) bool {
	if d.word("null") {
		return true
	}
	s, ok := d.text()
	*p = s
	return ok
}

// named reads a string into a field of a string type.
func named[T ~string](d *decoder, p *T) bool {
	var s string
	ok := d.str(&s)
	*p = T(s)
	return ok
}

// text reads a string literal, as a copy: a part of data would keep all
// of it alive as long as the string, and a report keeps some strings of
// every device to its end (a KMS host in the fleet's plan, say), which a
// forged 1 MiB snapshot would turn into 1 MiB held per device.
func (d *decoder) text() (string, bool) {
	if !d.next('"') {
		return "", false
	}
	start := d.i
	for d.i < len(d.data) {
		switch c := d.data[d.i]; {
		case c == '"':
			d.i++
			if d.i-1-start > MaxString {
				d.long = true
			}
			return strings.Clone(d.data[start : d.i-1]), true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		}
		d.i++
	}
	return "", false
}

// escaped reads the rest of a string literal that started at start and
// has an escape at d.i.
func (d *decoder) escaped(start int) (string, bool) {
	b := append(d.buf[:0], d.data[start:d.i]...)
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			if d.i-1-start > MaxString {
				d.long = true
			}
			d.buf = b
			return string(b), true
		case c < 0x20:
			return "", false
		case c != '\\':
			b = append(b, c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.data) {
			return "", false
		}
		e := d.data[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			if d.i+4 > len(d.data) {
				return "", false
			}
			r, err := strconv.ParseUint(d.data[d.i:d.i+4], 16, 16)
			if err != nil || d.data[d.i] == '+' || d.data[d.i] == '-' || (r >= 0xD800 && r < 0xE000) {
				return "", false // surrogates are left to encoding/json
			}
			if r == 0 {
				d.long = true // a NUL, which clean replaces
			}
			b = utf8.AppendRune(b, rune(r))
			d.i += 4
		default:
			return "", false
		}
	}
	return "", false
}

// number reads an integer literal: -?(0|[1-9][0-9]*), not followed by a
// fraction or an exponent (which encoding/json refuses for an integer
// field).
func (d *decoder) number() (string, bool) {
	d.space()
	start := d.i
	if d.i < len(d.data) && d.data[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.data) && d.data[d.i] >= '0' && d.data[d.i] <= '9' {
		d.i++
	}
	if d.i == digits || (d.data[digits] == '0' && d.i > digits+1) {
		return "", false
	}
	if d.i < len(d.data) && (d.data[d.i] == '.' || d.data[d.i] == 'e' || d.data[d.i] == 'E') {
		return "", false
	}
	return d.data[start:d.i], true
}

// integer reads an integer of bits bits into *p; null leaves it.
func (d *decoder) integer(p *int64, bits int) bool {
	if d.word("null") {
		return true
	}
	lit, ok := d.number()
	if !ok {
		return false
	}
	n, err := strconv.ParseInt(lit, 10, bits)
	*p = n
	return err == nil
}

func (d *decoder) int(p *int) bool {
	n := int64(*p)
	ok := d.integer(&n, strconv.IntSize)
	*p = int(n)
	return ok
}

func (d *decoder) int64(p *int64) bool { return d.integer(p, 64) }

func (d *decoder) uint32(p *uint32) bool {
	if d.word("null") {
		return true
	}
	lit, ok := d.number()
	if !ok {
		return false
	}
	n, err := strconv.ParseUint(lit, 10, 32)
	*p = uint32(n)
	return err == nil
}

// intPtr reads an integer into a new *p; null leaves *p nil.
func (d *decoder) intPtr(p **int) bool {
	if d.word("null") {
		return true
	}
	v := new(int)
	*p = v
	return d.int(v)
}

func (d *decoder) bool(p *bool) bool {
	switch {
	case d.word("true"):
		*p = true
	case d.word("false"):
		*p = false
	default:
		return d.word("null")
	}
	return true
}

func (d *decoder) boolPtr(p **bool) bool {
	if d.word("null") {
		return true
	}
	v := new(bool)
	*p = v
	return d.bool(v)
}

// time reads a time as encoding/json does: the string literal as it is
// goes to Time.UnmarshalJSON (which undoes no escapes).
func (d *decoder) time(p *time.Time) bool {
	if d.word("null") {
		return true
	}
	d.space()
	start := d.i
	if _, ok := d.text(); !ok {
		return false
	}
	d.buf = append(d.buf[:0], d.data[start:d.i]...)
	return p.UnmarshalJSON(d.buf) == nil
}

func (d *decoder) timePtr(p **time.Time) bool {
	if d.word("null") {
		return true
	}
	v := new(time.Time)
	*p = v
	return d.time(v)
}

func (d *decoder) context(c *Context) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "site":
			return d.str(&c.Site)
		case "line":
			return d.str(&c.Line)
		case "asset":
			return d.str(&c.Asset)
		case "engineer":
			return d.str(&c.Engineer)
		case "note":
			return d.str(&c.Note)
		case "collector":
			return d.str(&c.Collector)
		case "collected_at":
			return d.time(&c.Collected)
		case "collector_built":
			return d.timePtr(&c.CollectorBuilt)
		case "time_zone":
			return d.str(&c.TimeZone)
		case "sources":
			return d.sources(&c.Sources)
		}
		return false
	})
}

// sources reads a map of sources. A key seen twice, or one with an
// escape, is left to encoding/json (object).
func (d *decoder) sources(p *map[string]Source) bool {
	if d.word("null") {
		return true
	}
	m := map[string]Source{}
	ok := d.object(func(k string) bool {
		var v Source
		ok := named(d, &v)
		m[strings.Clone(k)] = v // a copy, as text's
		return ok
	})
	*p = m
	return ok
}

func (d *decoder) os(o *OS) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "caption":
			return d.str(&o.Caption)
		case "version":
			return d.str(&o.Version)
		case "build":
			return d.str(&o.Build)
		case "service_pack":
			return d.str(&o.ServicePack)
		case "sku":
			return d.intPtr(&o.SKU)
		case "edition":
			return d.str(&o.Edition)
		case "architecture":
			return d.str(&o.Architecture)
		case "install_date":
			return d.timePtr(&o.InstallDate)
		case "last_boot":
			return d.timePtr(&o.LastBoot)
		case "language":
			return d.str(&o.Language)
		case "code_page":
			return d.str(&o.CodePage)
		case "hostname":
			return d.str(&o.Hostname)
		case "source":
			return named(d, &o.Source)
		}
		return false
	})
}

func (d *decoder) hardware(h *Hardware) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "manufacturer":
			return d.str(&h.Manufacturer)
		case "model":
			return d.str(&h.Model)
		case "serial":
			return d.str(&h.Serial)
		case "uuid":
			return d.str(&h.UUID)
		case "firmware_type":
			return d.str(&h.FirmwareType)
		case "firmware_date":
			return d.timePtr(&h.FirmwareDate)
		case "firmware_key":
			return d.bool(&h.FirmwareKey)
		case "firmware_key_description":
			return d.str(&h.FirmwareKeyDescription)
		case "slic":
			return d.boolPtr(&h.SLIC)
		case "source":
			return named(d, &h.Source)
		}
		return false
	})
}

func (d *decoder) domain(m *Domain) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "joined":
			return d.bool(&m.Joined)
		case "name":
			return d.str(&m.Name)
		case "workgroup":
			return d.str(&m.Workgroup)
		}
		return false
	})
}

func (d *decoder) disk(v *Disk) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "model":
			return d.str(&v.Model)
		case "size_bytes":
			return d.int64(&v.SizeBytes)
		}
		return false
	})
}

func (d *decoder) volume(v *Volume) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "name":
			return d.str(&v.Name)
		case "file_system":
			return d.str(&v.FileSystem)
		case "size_bytes":
			return d.int64(&v.SizeBytes)
		case "free_bytes":
			return d.int64(&v.FreeBytes)
		case "system":
			return d.bool(&v.System)
		case "bitlocker":
			return d.str(&v.BitLocker)
		}
		return false
	})
}

func (d *decoder) service(v *Service) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "kind":
			return named(d, &v.Kind)
		case "version":
			return d.str(&v.Version)
		case "kms_machine":
			return d.str(&v.KMSMachine)
		case "is_kms_host":
			return d.bool(&v.IsKMSHost)
		case "activation_interval_minutes":
			return d.intPtr(&v.ActivationInterval)
		case "renewal_interval_minutes":
			return d.intPtr(&v.RenewalInterval)
		case "remaining_windows_rearm":
			return d.intPtr(&v.RemainingWindowsRearm)
		case "firmware_key_description":
			return d.str(&v.FirmwareKeyDescription)
		case "source":
			return named(d, &v.Source)
		}
		return false
	})
}

func (d *decoder) rawOutput(v *RawOutput) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "member":
			return d.str(&v.Member)
		case "command":
			return d.str(&v.Command)
		case "error":
			return d.str(&v.Error)
		}
		return false
	})
}

func (d *decoder) sourceError(v *SourceError) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "source":
			return named(d, &v.Source)
		case "what":
			return d.str(&v.What)
		case "error":
			return d.str(&v.Error)
		}
		return false
	})
}

func (d *decoder) product(p *Product) bool {
	return d.fields(func(k string) bool {
		switch k {
		case "kind":
			return named(d, &p.Kind)
		case "application_id":
			return d.str(&p.ApplicationID)
		case "sku_id":
			return d.str(&p.SKUID)
		case "name":
			return d.str(&p.Name)
		case "description":
			return d.str(&p.Description)
		case "channel":
			return named(d, &p.Channel)
		case "channel_raw":
			return d.str(&p.ChannelRaw)
		case "partial_key":
			return d.str(&p.PartialKey)
		case "extended_pid":
			return d.str(&p.ExtendedPID)
		case "is_addon":
			return d.bool(&p.IsAddon)
		case "not_in_use":
			return d.bool(&p.NotInUse)
		case "license_status":
			return named(d, &p.Status)
		case "license_status_raw":
			return d.str(&p.StatusRaw)
		case "status_reason":
			return d.uint32(&p.StatusReason)
		case "status_reason_text":
			return d.str(&p.ReasonText)
		case "grace_minutes":
			return d.intPtr(&p.GraceMinutes)
		case "evaluation_end":
			return d.timePtr(&p.EvaluationEnd)
		case "expires_text":
			return d.str(&p.ExpiresText)
		case "expires":
			return d.timePtr(&p.Expires)
		case "kms":
			return d.kms(&p.KMS)
		case "ad_activation":
			return d.str(&p.ADActivation)
		case "vl_activation_type":
			return d.intPtr(&p.VLActivationType)
		case "vl_activation_type_enabled":
			return d.intPtr(&p.VLActivationTypeEnabled)
		case "offline_installation_id":
			return d.str(&p.OfflineInstallationID)
		case "remaining_sku_rearm":
			return d.intPtr(&p.RemainingSKURearm)
		case "class":
			return named(d, &p.Class)
		case "source":
			return named(d, &p.Source)
		}
		return false
	})
}

func (d *decoder) kms(p **KMS) bool {
	if d.word("null") {
		return true
	}
	v := new(KMS)
	*p = v
	return d.object(func(k string) bool {
		switch k {
		case "configured_host":
			return d.str(&v.ConfiguredHost)
		case "configured_port":
			return d.int(&v.ConfiguredPort)
		case "lookup_domain":
			return d.str(&v.LookupDomain)
		case "discovered_host":
			return d.str(&v.DiscoveredHost)
		case "discovered_port":
			return d.int(&v.DiscoveredPort)
		case "discovered_ip":
			return d.str(&v.DiscoveredIP)
		case "host_extended_pid":
			return d.str(&v.HostExtendedPID)
		case "activation_interval_minutes":
			return d.intPtr(&v.ActivationInterval)
		case "renewal_interval_minutes":
			return d.intPtr(&v.RenewalInterval)
		case "host_caching":
			return d.boolPtr(&v.HostCaching)
		case "cmid":
			return d.str(&v.ClientMachineID)
		case "is_host":
			return d.bool(&v.IsHost)
		case "host_current_count":
			return d.intPtr(&v.HostCurrentCount)
		}
		return false
	})
}
