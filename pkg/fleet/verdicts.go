package fleet

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// Classified is a device's latest collection with its verdict as of a
// date.
type Classified struct {
	Device
	Snapshot *licensing.Snapshot
	Verdict  classify.Verdict
}

// classifyStored decodes a stored snapshot and classifies it with its
// site's pool.
func classifyStored(d Device, asOf time.Time, pools map[string]classify.Pool) (Classified, error) {
	s, err := d.Snapshot()
	if err != nil {
		return Classified{}, err
	}
	v := classify.Device(s, asOf, classify.Site{Pool: pools[d.Site]})
	v.Flags = append(v.Flags, trustFlags(&d)...)
	return Classified{Device: d, Snapshot: s, Verdict: v}, nil
}

// Verdicts classifies the latest collection of every device f selects
// (before f.Until, when set) as of asOf and calls fn with each, in site,
// line, asset order. When want is not "", only devices whose verdict as
// of asOf is want are passed on. A KMS route depends on the whole site,
// so every site's pool is counted over all its devices, whatever f
// selects.
func Verdicts(ctx context.Context, st Store, f Filter, want classify.Category, asOf time.Time, fn func(Classified) error) error {
	pools, err := st.Pools(ctx, f.Until)
	if err != nil {
		return err
	}
	return st.Latest(ctx, f, true, func(d Device) error {
		c, err := classifyStored(d, asOf, pools)
		if err != nil {
			return err
		}
		if want != "" && c.Verdict.Category != want {
			return nil
		}
		return fn(c)
	})
}

// Profile is one device: its latest collection classified as of a date,
// and its collections, newest first.
type Profile struct {
	Classified
	History []Device
	// Later counts the collections left out because they were made after
	// the as-of date.
	Later int
}

// AmbiguousError is returned by Lookup when a reference matches several
// devices; it wraps ErrAmbiguous. Its message names them on one line,
// each site, line and asset (a bundle's) as every listing shows it
// (terminal.Inline): the importer prints an error as it is.
type AmbiguousError struct {
	Ref     string
	Devices []Device
}

func (e *AmbiguousError) Error() string {
	ids := make([]string, len(e.Devices))
	for i, d := range e.Devices {
		ids[i] = fmt.Sprintf("%d (%s/%s %s)", d.ID, terminal.Inline(d.Site), terminal.Inline(d.Line), terminal.Inline(d.Asset))
	}
	return fmt.Sprintf("%q matches %d devices: %s", e.Ref, len(e.Devices), strings.Join(ids, ", "))
}

func (e *AmbiguousError) Unwrap() error { return ErrAmbiguous }

// Lookup finds one device by any asset tag or host name it has had, ID,
// device key or bundle ID; classifies its latest collection made before
// until (any, when until is zero) as of asOf with its site's pool; and
// reads its history up to until. It returns ErrNotFound, also when the
// device was first collected after until, or an *AmbiguousError listing
// the devices when ref names several.
func Lookup(ctx context.Context, st Store, ref string, asOf, until time.Time) (*Profile, error) {
	found, err := st.Find(ctx, ref)
	if err != nil {
		return nil, err
	}
	if len(found) > 1 {
		return nil, &AmbiguousError{Ref: ref, Devices: found}
	}
	hist, err := st.History(ctx, found[0].ID)
	if err != nil {
		return nil, err
	}
	p := &Profile{}
	for _, h := range hist {
		if until.IsZero() || h.CollectedAt.Before(until) {
			p.History = append(p.History, h)
		} else {
			p.Later++
		}
	}
	if len(p.History) == 0 {
		first := hist[len(hist)-1].CollectedAt.In(until.Location())
		return nil, fmt.Errorf("%w: %q was first collected on %s, after the as-of date", ErrNotFound, ref, first.Format("2006-01-02"))
	}
	pools, err := st.Pools(ctx, until)
	if err != nil {
		return nil, err
	}
	// The latest is the newest, unless its time is suspect and another's
	// is not (as the store keeps a device's latest).
	latest := p.History[0]
	for _, h := range p.History {
		if !HasTimeWarning(h.Warnings) {
			latest = h
			break
		}
	}
	latest.Collections = len(p.History)
	if p.Classified, err = classifyStored(latest, asOf, pools); err != nil {
		return nil, err
	}
	return p, nil
}

// ReportDevice is the device as reports show it.
func (c *Classified) ReportDevice() report.Device {
	return report.Device{ID: c.ID, Key: c.Key, Site: c.Site, Line: c.Line, Asset: c.Asset, Hostname: c.Hostname,
		CollectedAt: c.Snapshot.Context.Collected, Engineer: c.Engineer, Collector: c.Snapshot.Context.Collector,
		BundleID: c.BundleID, SHA256: c.SHA256, Collections: c.Collections, Snapshot: c.Snapshot, Verdict: c.Verdict}
}

// Collections is the device's history as reports show it, each
// collection at its own time in the time zone it was made in.
func (p *Profile) Collections() []report.Collection {
	out := make([]report.Collection, len(p.History))
	for i, h := range p.History {
		at, zone := h.CollectedAt, ""
		// The stored time is UTC; the snapshot keeps the machine's offset
		// and the name of its zone.
		if s, err := h.Snapshot(); err == nil && !s.Context.Collected.IsZero() {
			at, zone = s.Context.Collected, s.Context.TimeZone
		}
		out[i] = report.Collection{CollectedAt: at, TimeZone: zone, Category: h.Category, BundleID: h.BundleID,
			Site: h.Site, Line: h.Line, Asset: h.Asset, Hostname: h.Hostname, Engineer: h.Engineer,
			Origin: string(h.Origin), SHA256: h.SHA256}
	}
	return out
}
