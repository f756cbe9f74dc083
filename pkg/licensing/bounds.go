package licensing

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/internal/cut"
)

// Bounds of one snapshot. Anyone who holds a stick holds the site's public
// key and can write a bundle that decrypts, so a snapshot is hostile input
// until checked: Unmarshal refuses one over these counts and cuts strings
// to MaxString, so that what is stored, and every report of it, costs at
// most a bounded amount per device (docs/security.md). A genuine snapshot
// is a few KiB with a handful of products; slmgr text with nothing but
// "not in use" licenses can list a few hundred.
const (
	MaxSnapshotSize = 1 << 20 // device.json, bytes
	MaxProducts     = 512
	MaxItems        = 256  // disks, volumes, services, raw outputs, image backups, context sources
	MaxNotes        = 1024 // missing classes and properties, source errors
	MaxString       = 1024 // bytes of any one string; longer ones are cut
)

// Ranges of the numbers and dates a snapshot may hold. A value outside is
// read as unknown, and the snapshot says so in Errors (source "bounds").
const (
	// MaxGraceMinutes is three years: the longest grace or time-based
	// activation period is 180 days (DOMAIN.md "KMS facts"); room for
	// extended grace and evaluation rearms.
	MaxGraceMinutes = 3 * 365 * 24 * 60
	maxInterval     = 365 * 24 * 60 // KMS activation and renewal intervals, minutes
	maxCount        = 1 << 20       // rearm counts, KMS host counts
)

// Dates before minDate or after maxDate are read as unknown: Windows
// licensing dates fall between the first SPP (2006) and this century's
// end. EvaluationEndDate 1601-01-01 means "none" (DOMAIN.md).
var (
	minDate = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)
	maxDate = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
)

// SourceBounds marks a value this program read as unknown because it was
// out of range.
const SourceBounds Source = "bounds"

// widest returns the most values (array elements, object members) any
// one array or object of JSON data holds, counting its commas. It bounds
// what encoding/json reads: that makes every element of a list before
// its count can be checked, and 1 MiB of "{}," or "null," as products is
// 200,000 to 350,000 products of some hundred bytes each, 80 to 580 MB
// for one forged bundle. A genuine list holds at most MaxNotes values,
// and an object of a snapshot far fewer. Nesting deeper than
// encoding/json reads (10,000) counts as too wide.
func widest(data string) int {
	const maxDepth = 10000
	var open []int // per open array or object, its commas so far
	most, in, escaped := 0, false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if in {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				in = false
			}
			continue
		}
		switch c {
		case '"':
			in = true
		case '[', '{':
			if len(open) == maxDepth {
				return math.MaxInt32
			}
			open = append(open, 0)
		case ']', '}':
			if n := len(open); n > 0 {
				if open[n-1]+1 > most {
					most = open[n-1] + 1
				}
				open = open[:n-1]
			}
		case ',':
			if n := len(open); n > 0 {
				if open[n-1]++; open[n-1]+1 > most {
					most = open[n-1] + 1
				}
			}
		}
	}
	return most
}

// ErrTooLarge means a snapshot holds more than the bounds allow.
var ErrTooLarge = errors.New("licensing: snapshot over a limit")

// bound refuses a snapshot over the count limits.
func (s *Snapshot) bound() error {
	counts := []struct {
		what string
		n    int
		max  int
	}{
		{"products", len(s.Products), MaxProducts},
		{"disks", len(s.Disks), MaxItems},
		{"volumes", len(s.Volumes), MaxItems},
		{"services", len(s.Services), MaxItems},
		{"raw outputs", len(s.Raw), MaxItems},
		{"image backups", len(s.ImageBackups), MaxItems},
		{"context sources", len(s.Context.Sources), MaxItems},
		{"missing entries", len(s.Missing), MaxNotes},
		{"errors", len(s.Errors), MaxNotes},
	}
	for _, c := range counts {
		if c.n > c.max {
			return fmt.Errorf("%w: %d %s, at most %d", ErrTooLarge, c.n, c.what, c.max)
		}
	}
	return nil
}

// where is the list item a checked value is in, named only in a note:
// clean runs on every snapshot a report reads.
type where struct {
	list string // "products", or "" for a value in no list
	i    int
}

func (w where) name(field string) string {
	if w.list == "" {
		return field
	}
	return fmt.Sprintf("%s[%d].%s", w.list, w.i, field)
}

// clean reads every out-of-range number and date as unknown, noting each
// in Errors, normalizes kinds, statuses and channels it does not know, and
// cuts every string to MaxString bytes and reads a NUL in one as U+FFFD.
// The strings are walked only when cut says the JSON s was decoded from
// holds a literal that long or a \u0000 (a genuine snapshot never does;
// the walk is reflection, and reports decode every device's snapshot).
func (s *Snapshot) clean(cut bool) {
	var notes []SourceError
	note := func(w where, field string, v interface{}) {
		// The value is the hostile one: bounded as every other string,
		// since the notes are added after the strings were cut.
		notes = append(notes, SourceError{Source: SourceBounds, What: bounded(w.name(field)), Error: bounded(fmt.Sprintf("value %v out of range; read as unknown", v))})
	}
	intIn := func(w where, field string, p **int, lo, hi int) {
		if *p != nil && (**p < lo || **p > hi) {
			note(w, field, **p)
			*p = nil
		}
	}
	dateIn := func(w where, field string, p **time.Time) {
		if *p == nil {
			return
		}
		if t := **p; t.Year() == 1601 {
			*p = nil // "none"
		} else if t.Before(minDate) || t.After(maxDate) {
			note(w, field, t.Format(time.RFC3339))
			*p = nil
		}
	}
	// The collection time is kept whatever the device clock said (the
	// importer's trust checks flag an implausible one), as long as every
	// store can write it as UTC text and read it back: years 1 to 9999.
	// "0000-01-01T00:00:00+01:00" is year -1 in UTC, and one stored
	// device whose time cannot be read fails the listing of the fleet.
	if c := s.Context.Collected.UTC(); c.Year() < 1 || c.Year() > 9999 {
		note(where{}, "context.collected_at", s.Context.Collected.Format(time.RFC3339))
		s.Context.Collected = time.Time{}
	}
	dateIn(where{}, "context.collector_built", &s.Context.CollectorBuilt)
	intIn(where{}, "os.sku", &s.OS.SKU, 0, 1<<16)
	dateIn(where{}, "os.install_date", &s.OS.InstallDate)
	dateIn(where{}, "os.last_boot", &s.OS.LastBoot)
	dateIn(where{}, "hardware.firmware_date", &s.Hardware.FirmwareDate)
	for i := range s.Volumes {
		v := &s.Volumes[i]
		if v.SizeBytes < 0 || v.FreeBytes < 0 || v.FreeBytes > v.SizeBytes {
			note(where{}, fmt.Sprintf("volumes[%d] size and free space", i), fmt.Sprintf("%d/%d", v.FreeBytes, v.SizeBytes))
			v.SizeBytes, v.FreeBytes = 0, 0
		}
	}
	for i := range s.Disks {
		if s.Disks[i].SizeBytes < 0 {
			note(where{"disks", i}, "size_bytes", s.Disks[i].SizeBytes)
			s.Disks[i].SizeBytes = 0
		}
	}
	for i := range s.Services {
		sv, at := &s.Services[i], where{"services", i}
		intIn(at, "activation_interval_minutes", &sv.ActivationInterval, 0, maxInterval)
		intIn(at, "renewal_interval_minutes", &sv.RenewalInterval, 0, maxInterval)
		intIn(at, "remaining_windows_rearm", &sv.RemainingWindowsRearm, 0, maxCount)
	}
	for i := range s.Products {
		p, at := &s.Products[i], where{"products", i}
		intIn(at, "grace_minutes", &p.GraceMinutes, 0, MaxGraceMinutes)
		intIn(at, "vl_activation_type", &p.VLActivationType, 0, 3)
		intIn(at, "vl_activation_type_enabled", &p.VLActivationTypeEnabled, 0, 3)
		p.oldTextActivationType()
		intIn(at, "remaining_sku_rearm", &p.RemainingSKURearm, 0, maxCount)
		dateIn(at, "evaluation_end", &p.EvaluationEnd)
		dateIn(at, "expires", &p.Expires)
		switch p.Kind {
		case KindWindows, KindOffice, KindOther:
		default:
			note(at, "kind", p.Kind)
			p.Kind = KindOther
		}
		if p.Status.Number() < 0 && p.Status != StatusUnknown {
			note(at, "license_status", p.Status)
			p.Status = StatusUnknown
		}
		if p.Class != "" && p.Class.ProductClass() == "" {
			note(at, "class", p.Class)
			p.Class = ""
		}
		if !knownChannel(p.Channel) {
			note(at, "channel", p.Channel)
			p.Channel = ChannelUnknown
		}
		if k := p.KMS; k != nil {
			if k.ConfiguredPort < 0 || k.ConfiguredPort > 65535 || k.DiscoveredPort < 0 || k.DiscoveredPort > 65535 {
				note(at, "kms ports", fmt.Sprintf("%d/%d", k.ConfiguredPort, k.DiscoveredPort))
				k.ConfiguredPort, k.DiscoveredPort = 0, 0
			}
			intIn(at, "kms.activation_interval_minutes", &k.ActivationInterval, 0, maxInterval)
			intIn(at, "kms.renewal_interval_minutes", &k.RenewalInterval, 0, maxInterval)
			intIn(at, "kms.host_current_count", &k.HostCurrentCount, 0, maxCount)
		}
	}
	if cut {
		cutStrings(reflect.ValueOf(s).Elem())
	}
	if n := MaxNotes - len(s.Errors); len(notes) > n {
		notes = notes[:n]
	}
	s.Errors = append(s.Errors, notes...)
}

func knownChannel(c Channel) bool {
	switch c {
	case ChannelRetail, ChannelOEMDM, ChannelOEMSLP, ChannelOEMNonSLP, ChannelOEMCOA, ChannelCOASLP, ChannelCOANSLP,
		ChannelMAK, ChannelGVLK, ChannelCSVLK, ChannelAVMA, ChannelEval, ChannelUnknown, "":
		return true
	}
	return false
}

// longString reports whether JSON data holds a string literal longer than
// max bytes as written. A decoded string is never longer than its literal
// (escapes only shorten), so when this is false no string needs cutting.
// It runs on a snapshot encoding/json reads; decodeFast learns the same
// as it reads (decoder.long).
func longString(data string, max int) bool {
	if strings.IndexByte(data, '\\') < 0 {
		// Without escapes every quote opens or closes a literal: jump
		// from quote to quote.
		for {
			i := strings.IndexByte(data, '"')
			if i < 0 {
				return false
			}
			data = data[i+1:]
			j := strings.IndexByte(data, '"')
			if j < 0 {
				return len(data) > max
			}
			if j > max {
				return true
			}
			data = data[j+1:]
		}
	}
	in, escaped, n := false, false, 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if !in {
			if c == '"' {
				in, n = true, 0
			}
			continue
		}
		switch {
		case escaped:
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			in = false
			continue
		}
		// Escaped bytes count too: a literal that ends in escapes is
		// as long as it is written.
		if n++; n > max {
			return true
		}
	}
	return false
}

// cutStrings cuts every string under v (struct fields, slices, pointers,
// map values) to MaxString bytes, on a character boundary, and reads a
// NUL in one as U+FFFD: no genuine licensing value holds one, and a text
// column of PostgreSQL cannot store it, so a hostile one would fail the
// import of a whole batch there.
func cutStrings(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); (len(s) > MaxString || strings.IndexByte(s, 0) >= 0) && v.CanSet() {
			v.SetString(bounded(s))
		}
	case reflect.Ptr:
		if !v.IsNil() {
			cutStrings(v.Elem())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				cutStrings(v.Field(i))
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			cutStrings(v.Index(i))
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			if e := v.MapIndex(k); e.Kind() == reflect.String && (e.Len() > MaxString || strings.IndexByte(e.String(), 0) >= 0) {
				v.SetMapIndex(k, reflect.ValueOf(bounded(e.String())).Convert(e.Type()))
			}
			if k.Kind() == reflect.String && (k.Len() > MaxString || strings.IndexByte(k.String(), 0) >= 0) {
				v.SetMapIndex(k, reflect.Value{}) // an over-long or NUL-bearing key says nothing: drop it
			}
		}
	}
}

// bounded is s with NUL read as U+FFFD, cut to at most MaxString bytes.
func bounded(s string) string {
	// The cut string is at most MaxString: a second pass changes nothing.
	return cut.Shorten(strings.ReplaceAll(s, "\x00", "\uFFFD"), MaxString)
}

// oldTextActivationType reads a product that an older parser made of
// slmgr or ospp text as what the text said. Such a parser put the
// "Configured Activation Type" line (ospp: "Activation Type
// Configuration"), which slmgr.vbs and ospp.vbs print from
// VLActivationTypeEnabled, the policy, into VLActivationType, the type
// used; a product merely configured for AD then read as AD-activated. A
// text product without the configured field and with a type used is
// such a product, unless its type used is AD with an activation object
// named: the text had the AD block, printed only for VLActivationType 1
// (slmgr.vbs IsADActivated), so 1 is right either way, and the
// configured type stays unknown. Otherwise the value is the configured
// type, and the type used is AD where the AD block named an activation
// object, else unknown. WMI products are as WMI gave them.
func (p *Product) oldTextActivationType() {
	switch p.Source {
	case SourceSlmgr, SourceOSPP, SourceText:
	default:
		return
	}
	if p.VLActivationTypeEnabled != nil || p.VLActivationType == nil || (*p.VLActivationType == 1 && p.ADActivation != "") {
		return
	}
	p.VLActivationTypeEnabled, p.VLActivationType = p.VLActivationType, nil
	if p.ADActivation != "" {
		ad := 1
		p.VLActivationType = &ad
	}
}
