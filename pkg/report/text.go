package report

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/classify"
)

// Table writes devices for a terminal: one aligned line each.
type Table struct {
	tw *tabwriter.Writer
	n  int
}

// NewTable starts a table on w with its header.
func NewTable(w io.Writer) *Table {
	t := &Table{tw: tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)}
	fmt.Fprintln(t.tw, "SITE\tLINE\tASSET\tHOST\tCATEGORY\tWINDOWS\tCOLLECTED\tID")
	return t
}

// Add writes one device's line.
func (t *Table) Add(d *Device) {
	win := "-"
	if p := d.Snapshot.PrimaryWindows(); p != nil {
		win = fmt.Sprintf("%s %s", p.Channel, p.Status)
	}
	fmt.Fprintf(t.tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", d.Site, d.Line, d.Asset, d.Hostname, d.Verdict.Category, win,
		d.CollectedAt.Format("2006-01-02"), d.ID)
	t.n++
}

// Close writes out the table and returns how many devices it holds.
func (t *Table) Close() (int, error) { return t.n, t.tw.Flush() }

// Collection is one entry of a device's history.
type Collection struct {
	CollectedAt time.Time
	Category    classify.Category // as of the collection time
	BundleID    string
	Engineer    string
	Origin      string // bundle or text
	SHA256      string
}

// WriteDevice writes one device for a terminal: where it is, its verdict
// in lang, its products and its history, newest first.
func WriteDevice(out io.Writer, d *Device, history []Collection, lang classify.Lang) error {
	w := &sticky{w: out}
	s, v := d.Snapshot, d.Verdict
	fmt.Fprintf(w, "Device %d  %s\n", d.ID, d.Key)
	fmt.Fprintf(w, "  site %s, line %s, asset %s, host %s\n", d.Site, d.Line, d.Asset, d.Hostname)
	fmt.Fprintf(w, "  %s %s, %s %s, serial %s\n", s.OS.Caption, s.OS.Version, s.Hardware.Manufacturer, s.Hardware.Model, s.Hardware.Serial)
	fmt.Fprintf(w, "\nVerdict as of %s: %s\n", v.AsOf.Format("2006-01-02"), v.Category)
	for _, r := range v.Reasons {
		fmt.Fprintf(w, "  - [%s] %s\n", r.Code, r.Text(lang))
	}
	for _, r := range v.Flags {
		fmt.Fprintf(w, "  ! [%s] %s\n", r.Code, r.Text(lang))
	}
	fmt.Fprintln(w, "\nProducts:")
	for _, p := range s.Products {
		grace := "-"
		if p.GraceMinutes != nil {
			grace = fmt.Sprint(*p.GraceMinutes)
		}
		fmt.Fprintf(w, "  %-7s %s | %s | %s | grace %s min | key %s | %s\n", p.Kind, p.Name, p.Channel, p.Status, grace, p.PartialKey, p.Source)
	}
	// Times in the zone of the device's latest collection, named: the
	// site's clock, as in the reports, whatever the importer's own zone.
	z := d.zone()
	fmt.Fprintf(w, "\nHistory (%d collections, newest first, times %s):\n", len(history), z.label())
	for _, h := range history {
		sum := h.SHA256
		if len(sum) > 16 {
			sum = sum[:16] + "…"
		}
		fmt.Fprintf(w, "  %s  %-14s bundle %s  by %s  %s  sha256 %s\n", z.stamp(h.CollectedAt), h.Category,
			h.BundleID, h.Engineer, h.Origin, sum)
	}
	return w.err
}

// sticky keeps the first error of its writer and writes nothing after it,
// so a run of prints is checked once, at the end.
type sticky struct {
	w   io.Writer
	err error
}

func (s *sticky) Write(p []byte) (int, error) {
	if s.err != nil {
		return 0, s.err
	}
	n, err := s.w.Write(p)
	s.err = err
	return n, err
}

// WriteManifest writes what `importer inspect` shows of a bundle read
// from path: its manifest and the hash of every member, as text or as
// one JSON line.
func WriteManifest(out io.Writer, path string, b *bundle.Bundle, asJSON bool) error {
	m := b.Manifest
	if asJSON {
		line, err := json.Marshal(struct {
			File   string          `json:"file"`
			SHA256 string          `json:"sha256"`
			M      bundle.Manifest `json:"manifest"`
		}{path, b.SHA256, m})
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(out, "%s\n", line)
		return err
	}
	w := &sticky{w: out}
	fmt.Fprintf(w, "%s\n  bundle %s, format %s %s, by %s\n  created %s", path, m.ID, m.Format, m.Version, m.Generator,
		m.CreatedAt.Format("2006-01-02 15:04:05 -07:00"))
	if m.TimeZone != "" {
		fmt.Fprintf(w, " (%s)", m.TimeZone)
	}
	fmt.Fprintf(w, "\n  file sha256 %s, %d bytes\n", b.SHA256, b.Size)
	for _, e := range m.Members {
		fmt.Fprintf(w, "  %10d  %.16s  %s\n", e.Size, e.SHA256, e.Name)
	}
	return w.err
}
