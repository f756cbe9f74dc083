package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/internal/xlsxpart"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// Count says n of a thing in English, "1 device" or "2 devices"; the
// plural adds an s.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// termWords are the words of the terminal views in one language.
type termWords struct {
	tableHead, historyHead                        []string
	device, place, serial, sep, verdict, products string
	history, later, earlier, grace, key, none     string
	devices                                       func(n int) string
	asOf, upTo                                    string
	// origins are a collection's origins (fleet.Origin) in words; an
	// origin not here is shown as stored, as English shows each.
	origins map[string]string
}

var terms = map[classify.Lang]*termWords{
	classify.English: {
		tableHead:   []string{"SITE", "LINE", "ASSET", "HOST", "CATEGORY", "WINDOWS", "COLLECTED", "ID"},
		historyHead: []string{"COLLECTED", "CATEGORY", "SITE", "LINE", "ASSET", "HOST", "ENGINEER", "FROM", "BUNDLE"},
		device:      "Device %d  %s", place: "site %s, line %s, asset %s, host %s", serial: "serial %s", sep: ", ",
		verdict: "Verdict as of %s: %s", products: "Products:", history: "History (%s, newest first):",
		later: "  %s made after the as-of date not counted", earlier: "  earlier: %s",
		grace: "grace %s min", key: "key %s", none: "-",
		devices: func(n int) string { return Count(n, "device") }, asOf: "%s as of %s", upTo: ", from the collections made on or before that day",
	},
	classify.Japanese: {
		tableHead:   []string{"拠点", "ライン", "資産番号", "ホスト名", "区分", "Windows ライセンス", "収集日", "ID"},
		historyHead: []string{"収集日時", "区分", "拠点", "ライン", "資産番号", "ホスト名", "収集者", "種別", "バンドル"},
		device:      "端末 %d  %s", place: "拠点 %s、ライン %s、資産番号 %s、ホスト名 %s", serial: "シリアル %s", sep: "、",
		verdict: "判定 (基準日 %s): %s", products: "製品:", history: "履歴 (%s、新しい順):",
		later: "  基準日より後の収集 %s は含みません", earlier: "  以前の名前: %s",
		grace: "猶予 %s 分", key: "キー %s", none: "-",
		devices: func(n int) string { return fmt.Sprintf("%d 台", n) }, asOf: "%s (基準日 %s)", upTo: "、その日までの収集による",
		origins: map[string]string{"bundle": "バンドル", "text": "テキスト取り込み"},
	},
}

func term(l classify.Lang) *termWords {
	if t, ok := terms[l]; ok {
		return t
	}
	return terms[classify.English]
}

// collections says n collections in lang.
func collections(n int, l classify.Lang) string {
	if l == classify.Japanese {
		return fmt.Sprintf("収集 %d 回", n)
	}
	return Count(n, "collection")
}

// categoryName is a category in lang: the code in English, which
// scripts read, the word in Japanese.
func categoryName(c classify.Category, l classify.Lang) string {
	if l == classify.Japanese {
		if n := lang(l).CategoryNames[c]; n != "" {
			return n
		}
	}
	return string(c)
}

// Table writes devices for a terminal, one aligned line each, in a
// language; it holds the lines until Close.
type Table struct {
	w    io.Writer
	lang classify.Lang
	rows [][]string
}

// NewTable starts a table on w in lang.
func NewTable(w io.Writer, l classify.Lang) *Table {
	return &Table{w: w, lang: l, rows: [][]string{term(l).tableHead}}
}

// Add writes one device's line. Its Windows license is codes in English,
// which scripts read ("Volume:MAK licensed"), and in Japanese the words
// the reports use for the channel and status ("MAK (ボリューム ライセンス) /
// ライセンス認証済み"): a slash, since a channel's words may hold a space
// or a "、".
func (t *Table) Add(d *Device) {
	win := term(t.lang).none
	if p := d.Snapshot.PrimaryWindows(); p != nil {
		win = fmt.Sprintf("%s %s", p.Channel, p.Status)
		if t.lang == classify.Japanese {
			win = classify.ChannelText(p.Channel, t.lang) + " / " + classify.StatusText(p.Status, t.lang)
		}
	}
	t.rows = append(t.rows, []string{d.Site, d.Line, d.Asset, d.Hostname, categoryName(d.Verdict.Category, t.lang), win,
		d.CollectedAt.Format("2006-01-02"), fmt.Sprint(d.ID)})
}

// Close writes out the table and a line counting its devices as of asOf;
// upTo says that only collections up to that day were counted.
func (t *Table) Close(asOf time.Time, upTo bool) (int, error) {
	w := &sticky{w: t.w}
	writeAligned(w, t.rows, "")
	tw, n := term(t.lang), len(t.rows)-1
	fmt.Fprintf(w, tw.asOf, tw.devices(n), asOf.Format("2006-01-02"))
	if upTo {
		fmt.Fprint(w, tw.upTo)
	}
	fmt.Fprintln(w)
	return n, w.err
}

// writeAligned writes rows in columns two spaces apart, each line
// indented; a wide (CJK) character takes two columns, as on a terminal.
// Every cell is made one line (terminal.Inline), in a copy: the first
// row is a language's head, shared.
func writeAligned(w io.Writer, rows [][]string, indent string) {
	in := make([][]string, len(rows))
	for i, r := range rows {
		in[i] = make([]string, len(r))
		for j, c := range r {
			in[i][j] = terminal.Inline(c)
		}
	}
	rows = in
	var widths []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			if n := cols(c); n > widths[i] {
				widths[i] = n
			}
		}
	}
	for _, r := range rows {
		line := indent
		for i, c := range r {
			if i < len(r)-1 {
				c += strings.Repeat(" ", widths[i]-cols(c)+2)
			}
			line += c
		}
		// Empty last cells leave the padding of the ones before.
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
}

// cols is how many terminal columns s takes, as many as a workbook's
// column width counts (xlsxpart.Cols).
func cols(s string) int { return xlsxpart.Cols(s) }

// Collection is one entry of a device's history.
type Collection struct {
	CollectedAt time.Time         // in the time zone of the machine
	TimeZone    string            // its name there ("JST"), when known
	Category    classify.Category // as of the collection time
	BundleID    string
	Site, Line  string
	Asset       string
	Hostname    string
	Engineer    string
	Origin      string // bundle or text
	SHA256      string
}

// WriteDevice writes one device for a terminal in lang: where it is, its
// verdict, its products and its history, newest first, each collection
// at its own time with its zone. later counts the collections made after
// the as-of date and left out.
func WriteDevice(out io.Writer, d *Device, history []Collection, later int, l classify.Lang) error {
	w, tw := &sticky{w: out}, term(l)
	s, v := d.Snapshot, d.Verdict
	// Every value from a bundle is shown within its line.
	in := terminal.Inline
	fmt.Fprintf(w, tw.device+"\n", d.ID, in(d.Key))
	fmt.Fprintf(w, "  "+tw.place+"\n", in(d.Site), in(d.Line), in(d.Asset), in(orNone(d.Hostname, tw.none)))
	if m := machine(s, tw); m != "" {
		fmt.Fprintf(w, "  %s\n", in(m))
	}
	if names := earlierNames(d, history); names != "" {
		fmt.Fprintf(w, tw.earlier+"\n", in(names))
	}
	verdict := categoryName(v.Category, l)
	if l == classify.Japanese {
		verdict += " (" + string(v.Category) + ")"
	}
	fmt.Fprintf(w, "\n"+tw.verdict+"\n", v.AsOf.Format("2006-01-02"), verdict)
	for _, r := range v.Reasons {
		fmt.Fprintf(w, "  - [%s] %s\n", r.Code, in(r.Text(l)))
	}
	for _, r := range v.Flags {
		fmt.Fprintf(w, "  ! [%s] %s\n", r.Code, in(r.Text(l)))
	}
	fmt.Fprintln(w, "\n"+tw.products)
	for _, p := range s.Products {
		grace := tw.none
		if p.GraceMinutes != nil {
			grace = fmt.Sprint(*p.GraceMinutes)
		}
		channel, status := string(p.Channel), string(p.Status)
		if l == classify.Japanese {
			// In words, as the reports and the device list say them,
			// with the code slmgr's channel is told by, as the verdict's.
			channel = classify.ChannelText(p.Channel, l) + " (" + channel + ")"
			status = classify.StatusText(p.Status, l)
		}
		fmt.Fprintf(w, "  %-7s %s | %s | %s | "+tw.grace+" | "+tw.key+" | %s\n", in(string(p.Kind)), in(p.Name), in(channel), in(status), grace,
			in(orNone(p.PartialKey, tw.none)), in(string(p.Source)))
	}
	fmt.Fprintf(w, "\n"+tw.history+"\n", collections(len(history), l))
	rows := [][]string{tw.historyHead}
	for _, h := range history {
		// Each collection at the machine's clock then, its zone named, as
		// the reports write times.
		at := zoneOf(h.CollectedAt, h.TimeZone).stamp(h.CollectedAt)
		id := h.BundleID
		if len(id) > 12 {
			id = id[:12] + "…"
		}
		rows = append(rows, []string{at, categoryName(h.Category, l), orNone(h.Site, tw.none), orNone(h.Line, tw.none), orNone(h.Asset, tw.none),
			orNone(h.Hostname, tw.none), orNone(h.Engineer, tw.none), orNone(tw.origins[h.Origin], h.Origin), id})
	}
	writeAligned(w, rows, "  ")
	if later > 0 {
		fmt.Fprintf(w, tw.later+"\n", collections(later, l))
	}
	return w.err
}

// machine says what the machine is, leaving out what is not known (saved
// text has neither OS nor hardware).
func machine(s *licensing.Snapshot, tw *termWords) string {
	var parts []string
	for _, p := range []string{s.OS.Caption + " " + s.OS.Version, s.Hardware.Manufacturer + " " + s.Hardware.Model} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if s.Hardware.Serial != "" {
		parts = append(parts, fmt.Sprintf(tw.serial, s.Hardware.Serial))
	}
	return strings.Join(parts, tw.sep)
}

// earlierNames lists the asset tags and host names the device had in
// earlier collections and has no more.
func earlierNames(d *Device, history []Collection) string {
	seen := map[string]bool{strings.ToLower(d.Asset): true, strings.ToLower(d.Hostname): true, "": true}
	var names []string
	for _, h := range history {
		for _, n := range []string{h.Asset, h.Hostname} {
			if !seen[strings.ToLower(n)] {
				seen[strings.ToLower(n)] = true
				names = append(names, n)
			}
		}
	}
	return strings.Join(names, ", ")
}

func orNone(s, none string) string {
	if s == "" {
		return none
	}
	return s
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
	w, in := &sticky{w: out}, terminal.Inline
	fmt.Fprintf(w, "%s\n  bundle %s, format %s %s, by %s\n  created %s", in(path), in(m.ID), in(m.Format), in(m.Version), in(m.Generator),
		m.CreatedAt.Format("2006-01-02 15:04:05 -07:00"))
	if m.TimeZone != "" {
		fmt.Fprintf(w, " (%s)", in(m.TimeZone))
	}
	fmt.Fprintf(w, "\n  file sha256 %s, %d bytes\n", b.SHA256, b.Size)
	for _, e := range m.Members {
		fmt.Fprintf(w, "  %10d  %.16s  %s\n", e.Size, in(e.SHA256), in(e.Name))
	}
	return w.err
}
