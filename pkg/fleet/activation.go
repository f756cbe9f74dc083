package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/internal/atomicfile"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// The activation return path (docs/activation.md): which Installation
// IDs need a Confirmation ID, the archive of every IID/CID pair
// imported, the return files written, and what the machines said about
// them (the member activation.ProofMember of their bundles).

var (
	// ErrNoActivation means the store does not keep the activation
	// return path (a backend without ActivationStore).
	ErrNoActivation = errors.New("fleet: this database does not keep activation requests")
	// ErrNothingToReturn means no selected device has a CID waiting or a
	// key to install: no return file was written.
	ErrNothingToReturn = errors.New("fleet: nothing to return: no selected device has a Confirmation ID waiting")
	// ErrAllLeftOut means products wait for a return file, but none could
	// go in one (ReturnSummary.Skipped names each and why).
	ErrAllLeftOut = errors.New("fleet: nothing to return: every product waiting was left out of the return file")
	// ErrNotArchived means a CID was to be put back on file
	// (ActivationStore.RestoreCIDs) that the archive does not hold for
	// its IID: nothing was restored.
	ErrNotArchived = errors.New("fleet: the archive does not hold this IID/CID pair")
	// ErrHiddenCID means a CID file's row is refused because its pair
	// was hidden in Excel (worklist.Record.Hidden: a row or column
	// hidden, filtered out, of no size, or in a collapsed group; a cell
	// under a merged cell that is not its first; a cell whose number
	// format shows nothing of it, or other than it, or whose font, or a
	// run of its rich text, is of its fill's colour or too small to
	// read, or that a conditional format could make so; a cell of a
	// formula, whose value read is the one saved with it, not
	// necessarily what Excel shows; an error or a date cell), so
	// nobody reviewing the workbook saw it, and it is not the pair on
	// file already (which importing again would not change).
	ErrHiddenCID = errors.New("fleet: a CID nobody saw: hidden in Excel")
)

// ActivationStore is what the activation return path needs of a database
// besides Store. Package store implements it on SQLite; proofs are read
// from the raw members that Store.ImportBatch keeps, so an import stores
// them whole with their collection.
type ActivationStore interface {
	Store
	// AddCIDs stores IID/CID pairs, each pair once: one already stored
	// keeps its first import's who and when. added counts the new ones.
	AddCIDs(ctx context.Context, cids []CIDRecord) (added int, err error)
	// CIDs returns every stored pair, in the order they were imported.
	CIDs(ctx context.Context) ([]CIDRecord, error)
	// RestoreCIDs records pairs of the archive put back on file; a pair
	// the archive does not hold is ErrNotArchived, and none is stored.
	RestoreCIDs(ctx context.Context, restores []CIDRestore) error
	// CIDRestores returns every restore, in the order they were made.
	CIDRestores(ctx context.Context) ([]CIDRestore, error)
	// AddReturnItems records the items of a return file written.
	AddReturnItems(ctx context.Context, items []ReturnItem) error
	// ReturnItems returns every item of every return file written, in
	// the order they were written.
	ReturnItems(ctx context.Context) ([]ReturnItem, error)
	// Proofs returns the member activation.ProofMember of every stored
	// collection that has one, with the device and times.
	Proofs(ctx context.Context) ([]Proof, error)
}

// CIDRecord is one IID/CID pair of the archive: what makes a local
// reactivation possible after a reimage on unchanged hardware.
type CIDRecord struct {
	IID, CID, ExtendedPID string
	Host, DeviceKey       string // as the file named them; may be ""
	Source                string // worklist.KindActivationWs, KindWorklist or KindCSV
	File                  string // base name
	Row                   int
	Obtained              time.Time // when the CID was issued, if the file says; else zero
	Imported              time.Time
	By                    string // who imported it
}

// CIDRestore is a pair of the archive put back on file for its IID
// (CIDOptions.Restore): who did it, when, and the file and row that
// named it. The pair's CIDRecord keeps its first import.
type CIDRestore struct {
	IID, CID string
	File     string // base name
	Row      int
	Restored time.Time
	By       string
}

// ReturnItem is one item of a return file written, without its product
// key: only the key's last five characters are kept.
type ReturnItem struct {
	ItemID, ReturnID        string
	DeviceKey, ActivationID string
	IID, CID, KeyPartial    string
	Written                 time.Time
	By, File                string
}

// Proof is a stored activation.ProofMember and the collection it came
// with.
type Proof struct {
	DeviceKey           string
	CollectionID        int64
	Collected, Imported time.Time
	Data                []byte
}

// activationState is what the store knows about requests: the archive,
// the items written and the outcomes the machines reported.
type activationState struct {
	cids     map[string]CIDRecord          // IID → the CID on file: of its latest import or restore
	since    map[string]time.Time          // IID → when its CID on file was imported or restored
	archived map[string]CIDRecord          // IID + "\x00" + CID → that pair as the archive holds it
	items    map[string][]ReturnItem       // device key + activation ID → its items, oldest first
	outcomes map[string]activation.Outcome // item ID → its latest outcome
	proved   map[string]time.Time          // item ID → when that outcome was imported
	applied  map[string]activation.Outcome // device key + activation ID → an applied outcome
}

func productKey(device, activationID string) string {
	return device + "\x00" + strings.ToLower(activationID)
}

// loadActivation reads what st knows about requests as it stood before
// until (all of it when until is zero; see before).
func loadActivation(ctx context.Context, st ActivationStore, until time.Time) (*activationState, error) {
	a := &activationState{cids: map[string]CIDRecord{}, since: map[string]time.Time{}, archived: map[string]CIDRecord{}, items: map[string][]ReturnItem{},
		outcomes: map[string]activation.Outcome{}, proved: map[string]time.Time{}, applied: map[string]activation.Outcome{}}
	cids, err := st.CIDs(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range cids {
		if !before(c.Imported, until) {
			continue
		}
		a.cids[c.IID], a.since[c.IID] = c, c.Imported // imported order: the latest wins
		a.archived[c.IID+"\x00"+c.CID] = c
	}
	restores, err := st.CIDRestores(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range restores {
		// A restore puts its pair back on file unless a later import
		// replaced it since; of one instant, the restore comes after
		// the import, as it can only follow one.
		c, ok := a.archived[r.IID+"\x00"+r.CID]
		if ok && before(r.Restored, until) && !r.Restored.Before(a.since[r.IID]) {
			a.cids[r.IID], a.since[r.IID] = c, r.Restored
		}
	}
	items, err := st.ReturnItems(ctx)
	if err != nil {
		return nil, err
	}
	byID := map[string]ReturnItem{}
	for _, it := range items {
		if !before(it.Written, until) {
			continue // nor its outcomes, then: byID does not know it
		}
		k := productKey(it.DeviceKey, it.ActivationID)
		a.items[k] = append(a.items[k], it)
		byID[it.ItemID] = it
	}
	proofs, err := st.Proofs(ctx)
	if err != nil {
		return nil, err
	}
	// Stable: the proofs of one import share its time, and the store
	// gives them in the order they were imported; a later one's outcome
	// must stay the one that counts.
	sort.SliceStable(proofs, func(i, j int) bool { return proofs[i].Imported.Before(proofs[j].Imported) })
	for _, p := range proofs {
		if !before(p.Collected, until) {
			continue
		}
		pr, err := activation.UnmarshalProof(p.Data)
		if err != nil {
			continue // checked at import; an older importer's is skipped
		}
		for _, o := range pr.Outcomes {
			it, known := byID[o.ItemID]
			// Only outcomes of items this database wrote, reported by
			// the machine they were for, count.
			if !known || it.DeviceKey != p.DeviceKey {
				continue
			}
			a.outcomes[o.ItemID], a.proved[o.ItemID] = o, p.Imported
			if o.Result == activation.Applied || o.Result == activation.AlreadyActivated {
				a.applied[productKey(it.DeviceKey, it.ActivationID)] = o
			}
		}
	}
	return a, nil
}

// before reports whether a record made at t counts in the activation
// state as it stood before until (zero: every record counts). The
// boundary is the as-of fleet's (Filter.Until, AsOf): a CID imported, a
// CID put back on file or a return file written at until or later is
// not counted, nor an outcome proved by a collection made then or later
// (by the collection's time, as the fleet as it was counts the
// collection itself: its snapshot and its proof come together, however
// late the stick was imported).
func before(t, until time.Time) bool { return until.IsZero() || t.Before(until) }

// activationUntil is when the activation state a report shows stands:
// the end of its as-of day (f.Until) for a day past, and as it is now
// (zero) for a report of today or a day later, made at now, as without
// --as-of. Records dated after the end of today come only from a clock
// ahead of time (a machine's, a workstation's); a report of today
// counts them, as it always did.
func activationUntil(until, now time.Time) time.Time {
	if until.After(now) {
		return time.Time{}
	}
	return until
}

// activationOf is what reports show of the activation return path as it
// stood before until (zero: as it is; see before): nil when the store
// keeps none, or nothing was imported or written by then.
func activationOf(ctx context.Context, st Store, until time.Time) (*activationState, error) {
	as, ok := st.(ActivationStore)
	if !ok {
		return nil, nil
	}
	a, err := loadActivation(ctx, as, until)
	if err != nil || (len(a.cids) == 0 && len(a.items) == 0) {
		return nil, err
	}
	return a, nil
}

// report is the device's requests as reports show them; nil for none
// (or a nil a).
func (a *activationState) report(d Device, s *licensing.Snapshot) []report.Activation {
	if a == nil {
		return nil
	}
	var out []report.Activation
	for i := range s.Products {
		if r, ok := a.row(d, s, &s.Products[i]); ok {
			out = append(out, report.Activation{Product: r.Product, State: string(r.State), Detail: r.Detail, Note: r.Note})
		}
	}
	return out
}

// Requests returns the worklist of the devices f selects, in site, line,
// asset order: every product of a device's latest collection that waits
// for a Confirmation ID (activation.Needs), with where its request
// stands, and every product a return file activated; with f.Until, the
// fleet and its requests as they stood then (see before). A device
// whose store does not keep activation requests is ErrNoActivation.
func Requests(ctx context.Context, st Store, f Filter) ([]worklist.Row, error) {
	as, ok := st.(ActivationStore)
	if !ok {
		return nil, ErrNoActivation
	}
	a, err := loadActivation(ctx, as, f.Until)
	if err != nil {
		return nil, err
	}
	return a.requests(ctx, st, f)
}

// requests is Requests with the activation state a loaded.
func (a *activationState) requests(ctx context.Context, st Store, f Filter) ([]worklist.Row, error) {
	var rows []worklist.Row
	err := st.Latest(ctx, f, true, func(d Device) error {
		s, err := d.Snapshot()
		if err != nil {
			return err
		}
		for i := range s.Products {
			if r, ok := a.row(d, s, &s.Products[i]); ok {
				rows = append(rows, r)
			}
		}
		return nil
	})
	return rows, err
}

// row is the worklist row of one product, if it has one.
func (a *activationState) row(d Device, s *licensing.Snapshot, p *licensing.Product) (worklist.Row, bool) {
	r := worklist.Row{Host: s.OS.Hostname, ExtendedPID: p.ExtendedPID, Site: d.Site, Line: d.Line, Asset: d.Asset, DeviceKey: d.Key,
		Product: classify.ProductName(s, p).Text(classify.English), ApplicationID: p.ApplicationID, ActivationID: p.SKUID,
		Class: string(p.Class), Channel: string(p.Channel), Status: string(p.Status), Collected: s.Context.Collected}
	k := productKey(d.Key, p.SKUID)
	if !activation.Needs(p) {
		o, ok := a.applied[k]
		if !ok || !activation.Activated(p) {
			return r, false
		}
		r.IID, r.State = o.IID, worklist.Applied
		r.SetNote(worklist.Note{Code: worklist.NoteApplied, At: o.At})
		return r, true
	}
	iid, err := activation.NormalizeIID(p.OfflineInstallationID)
	if err != nil {
		r.State = worklist.NoIID
		r.SetNote(worklist.Note{Code: worklist.NoteNoIID})
		return r, true
	}
	r.IID, r.State = iid, worklist.NeedsCID
	if len(iid) != 63 {
		// ActivationWs's API takes exactly 63 digits (ValidationPatterns).
		r.SetNote(worklist.Note{Code: worklist.NoteIIDLength, Digits: len(iid)})
	}
	cid, haveCID := a.cids[iid]
	if haveCID {
		r.CID, r.Obtained, r.State = cid.CID, cid.Obtained, worklist.CIDOnFile
		r.SetNote(worklist.Note{Code: worklist.NoteCIDOnFile})
	}
	var last *ReturnItem
	for i, it := range a.items[k] {
		if it.IID == iid {
			last = &a.items[k][i]
		}
	}
	if last == nil {
		return r, true
	}
	o, proved := a.outcomes[last.ItemID]
	switch {
	case !proved || o.Result == activation.Declined:
		r.State = worklist.Sent
		r.SetNote(worklist.Note{Code: worklist.NoteSent, File: last.File, At: last.Written})
	case (o.Result == activation.Refused || o.Result == activation.Failed) && (!haveCID || !a.since[iid].After(a.proved[last.ItemID])):
		r.State = worklist.Failed
		r.SetNote(outcomeNote(o))
	case o.Result == activation.Applied && haveCID:
		r.SetNote(worklist.Note{Code: worklist.NoteNotActivated})
	}
	return r, true
}

// whyNotes are the notes of the reasons the collector gives as a code
// (activation.Outcome.Why), which a page says in its language.
// WhyMethodFailure is not one: what failed is said in the machine's
// own message only.
var whyNotes = map[string]worklist.NoteCode{
	activation.WhyIIDChanged:   worklist.NoteIIDChanged,
	activation.WhyNoProduct:    worklist.NoteNoProduct,
	activation.WhyNotActivated: worklist.NoteDepositedNotActivated,
	activation.WhyNoKeyProduct: worklist.NoteNoKeyProduct,
	activation.WhyNotReadable:  worklist.NoteNotReadable,
}

// outcomeNote says why an item failed: its HRESULT, a reason the
// collector gave as a code (whyNotes), or else the machine's own
// message as it came (none when it gave none).
func outcomeNote(o activation.Outcome) worklist.Note {
	code, known := whyNotes[o.Why]
	switch {
	case o.HRESULT != 0:
		return worklist.Note{Code: worklist.NoteHRESULT, HRESULT: o.HRESULT}
	case known:
		return worklist.Note{Code: code}
	case o.Message != "":
		return worklist.Note{Code: worklist.NoteMessage, Message: o.Message}
	}
	return worklist.Note{}
}

// Worklist files, written into a folder.
const (
	WorklistCSV  = "activation-worklist.csv"
	WorklistXLSX = "activation-worklist.xlsx"
	WorklistPage = "activation-worklist.html"
)

// WriteWorklist writes the worklist of the devices f selects into dir:
// WorklistCSV, WorklistXLSX and WorklistPage, each under a temporary
// name first. They hold no secret (IIDs, Extended PIDs) and get the mode
// a new file of the user gets (0666 less the umask), as the reports do,
// for staff who read them under another account. It returns the rows
// written.
func WriteWorklist(ctx context.Context, st Store, dir string, f Filter, opt worklist.PageOptions) ([]worklist.Row, error) {
	rows, err := Requests(ctx, st, f)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, file := range []struct {
		name  string
		write func(io.Writer) error
	}{
		{WorklistCSV, func(w io.Writer) error { return worklist.WriteCSV(w, rows) }},
		{WorklistXLSX, func(w io.Writer) error { return worklist.WriteXLSX(w, rows, opt.Title) }},
		{WorklistPage, func(w io.Writer) error { return worklist.WritePage(w, rows, opt) }},
	} {
		if err := atomicfile.Write(filepath.Join(dir, file.name), 0o666, func(f *os.File) error { return file.write(f) }); err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// CIDSummary says what ImportCIDs did.
type CIDSummary struct {
	Files, Records, Added, Known int
	// Refused counts the records read that went into the archive
	// neither new nor already there: hidden in the workbook, or a
	// replacement refused (RowErrors, Changes).
	Refused int
	// Matched counts the records whose IID a device of the fleet waits
	// for now; the others are kept in the archive all the same.
	Matched, Unmatched int
	Blank              int     // rows without a CID
	RowErrors          []error // each names its file and row
	// Unread are the rows refused before a CID was read of them (an IID
	// or CID out of shape), each also among RowErrors with why: they are
	// neither CIDs read nor rows without one, and the summary counts
	// and names them.
	Unread   []CIDRow
	Rejected []Outcome
	// Changes are the IIDs for which the import brought another CID
	// than the one on file, or two different ones: each replaced, put
	// back on file (Restored) or refused, in the order of the files'
	// rows.
	Changes []CIDChange
	// Restored counts the CIDs of the archive put back on file
	// (CIDOptions.Restore).
	Restored int
}

// CIDRow is a row of a CID file: the file's base name and the row.
type CIDRow struct {
	File string
	Row  int
}

// CIDOptions say who imports CIDs, when, and whether a CID may replace
// one that a machine applied.
type CIDOptions struct {
	By  string
	Now time.Time
	// ReplaceApplied lets a CID replace one that activated its product
	// (CIDChange.Was worklist.Applied), which is refused otherwise.
	ReplaceApplied bool
	// Restore lets a CID of the archive, replaced since, be put back
	// on file (CIDChange.Restored), recorded with By and Now; it is
	// refused otherwise (CIDChange.Archived). A new CID is imported as
	// without it.
	Restore bool
}

// CIDChange is an IID for which an import brought a CID other than the
// one on file, or two different ones.
type CIDChange struct {
	IID string
	// New are the rows that brought the new CID: one row, or a row per
	// CID when one import brought several (then Refused).
	New []CIDRecord
	// Was is what had become of the CID on file: worklist.CIDOnFile (not
	// sent yet), Sent (in a return file, no outcome yet), Failed (the
	// machine refused it), Applied (it activated the product); "" when
	// none was on file.
	Was worklist.State
	// Detail says more about Was: the return file, the machine's error,
	// when it was applied.
	Detail string
	// Products are the worklist's rows of this IID (site, line, asset,
	// product): none when no device of the fleet has it.
	Products []worklist.Row
	// Refused: nothing of New was stored, as a machine applied the CID
	// on file (without CIDOptions.ReplaceApplied), the import brought
	// several CIDs for the IID, or the CID is in the archive already,
	// replaced since (Archived, without CIDOptions.Restore).
	Refused bool
	// Archived: the CID was imported before and replaced since by the
	// one on file (Earlier is its first import). Without
	// CIDOptions.Restore the one on file stays (Refused); with it, the
	// earlier CID is put back on file (Restored). Not set when the CID
	// is refused for another reason (several, or applied).
	Archived bool
	Restored bool
	Earlier  CIDRecord
}

// ImportCIDs reads CID files (worklist.Read), keeps every IID/CID pair in
// the archive with who imported it and when, and matches each by IID
// against what the fleet waits for. A file that cannot be read is
// rejected whole (Rejected); a row out of shape alone (RowErrors). A CID
// that replaces another on file is stored and told (Changes); one that
// would replace a CID its machine applied, and CIDs for an IID that
// differ within the import, are not stored (Changes, Refused). The
// fleet's device keys and host names are read only for a CSV file
// whose encoding they tell (worklist.Known), once.
func ImportCIDs(ctx context.Context, st Store, files []string, opts CIDOptions) (CIDSummary, error) {
	return importCIDs(ctx, st, files, opts, knownNames)
}

// importCIDs is ImportCIDs, loadKnown giving what the fleet knows of its
// devices (knownNames; a test counts its calls).
func importCIDs(ctx context.Context, st Store, files []string, opts CIDOptions,
	loadKnown func(context.Context, Store) (worklist.Known, error)) (CIDSummary, error) {
	var sum CIDSummary
	as, ok := st.(ActivationStore)
	if !ok {
		return sum, ErrNoActivation
	}
	// What the fleet knows is loaded when a file first asks (a CSV
	// file without a BOM, not UTF-8 throughout, whose rows two
	// encodings read differently), once: a workbook, a file with a BOM
	// or UTF-8 throughout never needs it, and it costs a read of every
	// device.
	var lazy struct {
		known worklist.Known
		err   error
		done  bool
	}
	known := func(column, value string) bool {
		if !lazy.done {
			lazy.done = true
			lazy.known, lazy.err = loadKnown(ctx, st)
		}
		return lazy.err == nil && lazy.known(column, value)
	}
	var recs []CIDRecord
	var hidden []hiddenCID
	for _, name := range files {
		got, err := readCIDFile(name, opts.By, opts.Now, known)
		if lazy.err != nil {
			// The file was read knowing nothing: not its reading.
			return sum, lazy.err
		}
		if err != nil {
			sum.Rejected = append(sum.Rejected, Outcome{File: name, Err: err})
			continue
		}
		sum.Files++
		sum.Blank += got.blank
		sum.RowErrors = append(sum.RowErrors, got.rowErrs...)
		sum.Unread = append(sum.Unread, got.unread...)
		recs = append(recs, got.recs...)
		hidden = append(hidden, got.hidden...)
	}
	sum.Records = len(recs) + len(hidden)
	if sum.Records == 0 {
		return sum, nil
	}
	a, err := loadActivation(ctx, as, time.Time{})
	if err != nil {
		return sum, err
	}
	for _, h := range hidden {
		// A pair hidden in the workbook that is on file already, as
		// the rows of a worklist filtered by State are, changes
		// nothing: it is one already there. Any other could put on
		// file a CID nobody saw.
		if on, ok := a.cids[h.rec.IID]; ok && on.CID == h.rec.CID {
			recs = append(recs, h.rec)
			continue
		}
		sum.RowErrors = append(sum.RowErrors, fmt.Errorf("%s: %w", terminal.Inline(h.rec.File),
			&worklist.RowError{Row: h.rec.Row, Err: fmt.Errorf("%w (%s)", ErrHiddenCID, h.why)}))
	}
	rows, err := a.requests(ctx, st, Filter{})
	if err != nil {
		return sum, err
	}
	recs, sum.Changes = a.changes(recs, rows, opts.ReplaceApplied, opts.Restore)
	added, err := as.AddCIDs(ctx, recs)
	if err != nil {
		return sum, err
	}
	var restores []CIDRestore
	for _, c := range sum.Changes {
		if c.Restored {
			restores = append(restores, CIDRestore{IID: c.IID, CID: c.New[0].CID, File: c.New[0].File, Row: c.New[0].Row, Restored: opts.Now, By: storable(opts.By)})
		}
	}
	if len(restores) > 0 {
		if err := as.RestoreCIDs(ctx, restores); err != nil {
			return sum, err
		}
		sum.Restored = len(restores)
	}
	sum.Added, sum.Known, sum.Refused = added, len(recs)-added, sum.Records-len(recs)
	waiting := map[string]bool{}
	for _, r := range rows {
		waiting[r.IID] = true
	}
	for _, r := range recs {
		if waiting[r.IID] {
			sum.Matched++
		} else {
			sum.Unmatched++
		}
	}
	return sum, nil
}

// CIDEvent is one event in the history of an IID's CIDs: a pair
// imported (its first import: the archive keeps a pair once), or put
// back on file (Restored).
type CIDEvent struct {
	IID, CID string
	Restored bool
	At       time.Time
	By, File string
	Row      int
	// OnFile: this event put on file the CID that is on file now.
	OnFile bool
}

// CIDHistory returns the events of the IIDs that end in one of iids
// (every IID when none), per IID in the order of its first event, each
// IID's oldest first: who imported each CID and who put which back on
// file, when, from which file and row. The last event of an IID is the
// one whose CID is on file.
func CIDHistory(ctx context.Context, st Store, iids ...string) ([]CIDEvent, error) {
	as, ok := st.(ActivationStore)
	if !ok {
		return nil, ErrNoActivation
	}
	cids, err := as.CIDs(ctx)
	if err != nil {
		return nil, err
	}
	restores, err := as.CIDRestores(ctx)
	if err != nil {
		return nil, err
	}
	wanted := func(iid string) bool {
		for _, w := range iids {
			if endsIn(iid, w) {
				return true
			}
		}
		return len(iids) == 0
	}
	byIID := map[string][]CIDEvent{}
	var order []string
	add := func(e CIDEvent) {
		if !wanted(e.IID) {
			return
		}
		if _, seen := byIID[e.IID]; !seen {
			order = append(order, e.IID)
		}
		byIID[e.IID] = append(byIID[e.IID], e)
	}
	for _, c := range cids {
		add(CIDEvent{IID: c.IID, CID: c.CID, At: c.Imported, By: c.By, File: c.File, Row: c.Row})
	}
	for _, r := range restores {
		add(CIDEvent{IID: r.IID, CID: r.CID, Restored: true, At: r.Restored, By: r.By, File: r.File, Row: r.Row})
	}
	var out []CIDEvent
	for _, iid := range order {
		ev := byIID[iid]
		// Imports come first in ev, then restores: stable, an import
		// stays before a restore of one instant, as loadActivation
		// takes them.
		sort.SliceStable(ev, func(i, j int) bool { return ev[i].At.Before(ev[j].At) })
		ev[len(ev)-1].OnFile = true
		out = append(out, ev...)
	}
	return out, nil
}

// WithoutCID returns those of iids, as CIDHistory takes them, that no
// IID of events ends in: the IIDs asked for that have no CID on file,
// so that a listing can name them rather than leave them out unsaid.
func WithoutCID(events []CIDEvent, iids []string) []string {
	var out []string
	for _, w := range iids {
		found := false
		for _, e := range events {
			if endsIn(e.IID, w) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, w)
		}
	}
	return out
}

// endsIn reports whether iid is w or ends in it: an IID may be given by
// its last digits, as stderr names it (…123456).
func endsIn(iid, w string) bool { return strings.HasSuffix(iid, strings.TrimPrefix(w, "…")) }

// changes returns the records of recs to store, and the IIDs whose CID
// they change: an IID given two different CIDs in recs is refused
// whole; a CID other than the one on file replaces it, but not one that
// a machine applied unless replaceApplied; a CID of the archive replaced
// since is put back on file only with restore. rows are the fleet's
// worklist.
func (a *activationState) changes(recs []CIDRecord, rows []worklist.Row, replaceApplied, restore bool) ([]CIDRecord, []CIDChange) {
	byIID := map[string][]CIDRecord{} // the first row of each CID an IID is given
	var order []string
	for _, r := range recs {
		given := byIID[r.IID]
		if len(given) == 0 {
			order = append(order, r.IID)
		}
		if !hasCID(given, r.CID) {
			byIID[r.IID] = append(given, r)
		}
	}
	products := map[string][]worklist.Row{}
	for _, r := range rows {
		if r.IID != "" {
			products[r.IID] = append(products[r.IID], r)
		}
	}
	drop := map[string]bool{}
	var out []CIDChange
	for _, iid := range order {
		given := byIID[iid]
		old, onFile := a.cids[iid]
		if len(given) == 1 && (!onFile || old.CID == given[0].CID) {
			continue // new, or the CID on file again
		}
		c := CIDChange{IID: iid, New: given, Products: products[iid]}
		if onFile {
			c.Was, c.Detail = a.fate(iid, old.CID)
		}
		applied, appliedAt, ok := a.appliedCID(iid)
		earlier, archived := a.archived[iid+"\x00"+given[0].CID]
		otherApplied := ok && applied != given[0].CID
		c.Archived, c.Earlier = archived, earlier
		switch {
		case len(given) > 1:
			c.Refused, c.Archived = true, false
		case archived && !restore:
			// The archive keeps a pair once, with its first import:
			// storing it again changes nothing, and the CID on file
			// stays the later one unless it is put back on purpose.
			c.Refused = true
			c.Detail = "this CID was imported on " + earlier.Imported.Format("2006-01-02") + " and replaced since by the one on file (" + c.Detail + ")"
			if otherApplied {
				c.Detail += "; its machine applied another on " + appliedAt.Format("2006-01-02")
			}
		case otherApplied && !replaceApplied:
			c.Refused, c.Archived = true, false
			c.Was, c.Detail = worklist.Applied, "its machine applied a CID for it on "+appliedAt.Format("2006-01-02")
		case otherApplied:
			c.Was, c.Detail = worklist.Applied, "the CID its machine applied on "+appliedAt.Format("2006-01-02")+" stays in the archive"
		}
		c.Restored = archived && !c.Refused
		drop[iid] = c.Refused
		out = append(out, c)
	}
	kept := recs[:0:0]
	for _, r := range recs {
		if !drop[r.IID] {
			kept = append(kept, r)
		}
	}
	return kept, out
}

func hasCID(recs []CIDRecord, cid string) bool {
	for _, r := range recs {
		if r.CID == cid {
			return true
		}
	}
	return false
}

// fate says what became of the CID on file for iid: in no return file
// yet (worklist.CIDOnFile), in one with no outcome yet (Sent), refused
// by the machine (Failed) or applied (Applied), with the detail, from
// the last item written with that IID and CID.
func (a *activationState) fate(iid, cid string) (worklist.State, string) {
	var last *ReturnItem
	for _, items := range a.items {
		for i := range items {
			if it := &items[i]; it.IID == iid && it.CID == cid && (last == nil || it.Written.After(last.Written)) {
				last = it
			}
		}
	}
	if last == nil {
		return worklist.CIDOnFile, "it had not been sent in a return file"
	}
	o, proved := a.outcomes[last.ItemID]
	switch {
	case proved && o.Result == activation.Applied:
		return worklist.Applied, "it was applied on " + o.At.Format("2006-01-02")
	case proved && (o.Result == activation.Refused || o.Result == activation.Failed):
		return worklist.Failed, "the machine refused it: " + outcomeNote(o).English().String()
	}
	return worklist.Sent, "it is in return file " + last.File + " of " + last.Written.Format("2006-01-02") + ", not applied yet"
}

// appliedCID is the CID a machine applied for iid (activation.Applied),
// the latest if several, and when.
func (a *activationState) appliedCID(iid string) (cid string, at time.Time, ok bool) {
	for _, items := range a.items {
		for _, it := range items {
			if o, proved := a.outcomes[it.ItemID]; proved && it.IID == iid && o.Result == activation.Applied && (!ok || o.At.After(at)) {
				cid, at, ok = it.CID, o.At, true
			}
		}
	}
	return cid, at, ok
}

type cidFile struct {
	recs    []CIDRecord
	hidden  []hiddenCID // read from rows or columns hidden in Excel
	rowErrs []error
	unread  []CIDRow // the rows of rowErrs
	blank   int
}

// hiddenCID is a record whose pair was hidden in Excel, and why.
type hiddenCID struct {
	rec CIDRecord
	why string
}

// knownNames is what the fleet knows of its devices for telling a CID
// file's code page (worklist.Known): every device's key, and its host
// names, case aside (Windows' are).
func knownNames(ctx context.Context, st Store) (worklist.Known, error) {
	keys, hosts := map[string]bool{}, map[string]bool{}
	err := st.Latest(ctx, Filter{}, false, func(d Device) error {
		keys[d.Key], hosts[strings.ToLower(d.Hostname)] = true, true
		for _, h := range d.Hostnames {
			hosts[strings.ToLower(h)] = true
		}
		return nil
	})
	return func(column, value string) bool {
		if column == "DeviceKey" {
			return value != "" && keys[value]
		}
		return value != "" && hosts[strings.ToLower(value)]
	}, err
}

func readCIDFile(name, by string, now time.Time, known worklist.Known) (cidFile, error) {
	f, err := os.Open(name)
	if err != nil {
		// The file is named once: the summary names it before its
		// error ("open nothere.csv" after "nothere.csv:" said it twice).
		var pe *fs.PathError
		if errors.As(err, &pe) {
			return cidFile{}, pe.Err
		}
		return cidFile{}, err
	}
	defer f.Close()
	// A CSV file, or a workbook by its content.
	read := func(r io.Reader) ([]worklist.Record, []error, int, string, error) {
		return worklist.ReadKnown(r, known)
	}
	if ext := strings.ToLower(filepath.Ext(name)); ext == ".xlsx" || ext == ".xlsm" {
		// A workbook, whatever it holds: one that is none says so,
		// not that it is no CSV file.
		read = worklist.ReadXLSX
	}
	recs, rowErrs, blank, kind, err := read(f)
	if err != nil {
		return cidFile{}, err
	}
	out := cidFile{blank: blank}
	for _, e := range rowErrs {
		// The file's name as every name is shown: a row's error is
		// printed as it is.
		out.rowErrs = append(out.rowErrs, fmt.Errorf("%s: %w", terminal.Inline(filepath.Base(name)), e))
		var re *worklist.RowError
		if errors.As(e, &re) {
			out.unread = append(out.unread, CIDRow{File: filepath.Base(name), Row: re.Row})
		}
	}
	for _, r := range recs {
		// A CID file is any CSV (Excel saves one in the system's code
		// page): its text is stored as UTF-8 without NUL, as every store
		// can hold it.
		rec := CIDRecord{IID: r.IID, CID: r.CID, ExtendedPID: storable(r.ExtendedPID), Host: storable(r.Host),
			DeviceKey: storable(r.DeviceKey), Source: kind, File: storable(filepath.Base(name)), Row: r.Row, Obtained: r.Obtained, Imported: now,
			By: storable(by)}
		if r.Hidden != "" {
			out.hidden = append(out.hidden, hiddenCID{rec: rec, why: r.Hidden})
			continue
		}
		out.recs = append(out.recs, rec)
	}
	return out, nil
}

// ReturnOptions say what goes into a return file.
type ReturnOptions struct {
	Filter Filter
	// Devices, when not empty, are the only devices that get items
	// (any reference Store.Find takes). A key goes only to them.
	Devices []string
	// Keys are product keys to install first on the devices named, by
	// kind, for the two-visit case; never stored, never printed.
	Keys       map[licensing.Kind]string
	Passphrase string
	// Ask, when Passphrase is empty, gives it once the items are known
	// (NewReturnOptions: ReturnPassphrase), so that nobody types a
	// passphrase twice to learn that there is nothing to return.
	Ask       func() (string, error)
	By        string
	Generator string
	Now       time.Time
	// WorkFactor is scrypt's (log2 N); 0 means
	// activation.DefaultWorkFactor.
	WorkFactor int
}

// ReturnSummary says what WriteReturn wrote, and the items it left out.
type ReturnSummary struct {
	File             string
	Items, Devices   int
	WithKey, WithCID int
	Skipped          []SkippedItem
}

// SkippedItem is an item a return file could not hold, and why (an
// error wrapping activation.ErrInvalid, or activation.ErrTooLarge when
// the file is full).
type SkippedItem struct {
	Site, Line, Asset, Host, Product string
	Err                              error
}

// String names the item left out and why, as one line of the
// importer's: its site, line, device (the asset tag, else the host name)
// and product are a stored bundle's, shown as every listing shows them
// (terminal.Inline), so that a name holding the six characters \u202e
// does not read as one holding U+202E.
func (s SkippedItem) String() string {
	device := s.Asset
	if device == "" {
		device = s.Host
	}
	in := terminal.Inline
	return fmt.Sprintf("site %s, line %s, device %s, %s: %v", in(s.Site), in(s.Line), in(device), in(s.Product), s.Err)
}

// Full reports whether the item was left out because the file was full,
// not for what is stored for it.
func (s SkippedItem) Full() bool { return errors.Is(s.Err, activation.ErrTooLarge) }

// WriteReturn writes a return file into dir/return for the devices that
// have a Confirmation ID waiting (worklist states cid-on-file and sent)
// and, with opts.Keys, an item installing the key on each device named
// whose product of that kind waits without one. The file is encrypted to
// opts.Passphrase (activation.WriteReturn), written under a temporary
// name first, and its items are recorded without the keys. No item is
// ErrNothingToReturn; a device reference that matches none or several is
// ErrNotFound or *AmbiguousError.
func WriteReturn(ctx context.Context, st Store, dir string, opts ReturnOptions) (ReturnSummary, error) {
	var sum ReturnSummary
	as, ok := st.(ActivationStore)
	if !ok {
		return sum, ErrNoActivation
	}
	named := map[string]bool{}
	for _, ref := range opts.Devices {
		found, err := st.Find(ctx, ref)
		if err != nil {
			return sum, err
		}
		if len(found) > 1 {
			return sum, &AmbiguousError{Ref: ref, Devices: found}
		}
		named[found[0].Key] = true
	}
	rows, err := Requests(ctx, st, opts.Filter)
	if err != nil {
		return sum, err
	}
	ret := activation.NewReturn(opts.Now, opts.By, opts.Generator)
	devices := map[string]bool{}
	for _, r := range rows {
		if len(named) > 0 && !named[r.DeviceKey] {
			continue
		}
		// The names are shown to the engineer on the device, as the
		// return file allows them (a forged device's would make the
		// whole file invalid).
		it := activation.Item{ID: activation.NewID(), DeviceKey: r.DeviceKey, Site: activation.Shown(r.Site), Line: activation.Shown(r.Line),
			Asset: activation.Shown(r.Asset), Hostname: activation.Shown(r.Host), Product: activation.Shown(r.Product),
			ApplicationID: r.ApplicationID, ActivationID: r.ActivationID, Class: licensing.Class(r.Class), IID: r.IID,
			ExtendedPID: activation.Shown(r.ExtendedPID)}
		switch {
		case r.CID != "" && (r.State == worklist.CIDOnFile || r.State == worklist.Sent):
			it.CID = r.CID
		case named[r.DeviceKey] && opts.Keys[licensing.KindOf(r.ApplicationID, r.Product)] != "" &&
			(r.State == worklist.NeedsCID || r.State == worklist.Failed):
			it.Key = opts.Keys[licensing.KindOf(r.ApplicationID, r.Product)]
		default:
			continue
		}
		// An item out of shape (a forged device's class or GUIDs, its
		// product twice) is left out and named, never the whole file.
		if err := ret.Add(it); err != nil {
			sum.Skipped = append(sum.Skipped, SkippedItem{Site: it.Site, Line: it.Line, Asset: it.Asset, Host: it.Hostname, Product: it.Product, Err: err})
			continue
		}
		if it.CID != "" {
			sum.WithCID++
		} else {
			sum.WithKey++
		}
		devices[r.DeviceKey] = true
	}
	if len(ret.Items) == 0 && len(sum.Skipped) > 0 {
		return sum, ErrAllLeftOut
	}
	if len(ret.Items) == 0 {
		return sum, ErrNothingToReturn
	}
	if opts.Passphrase == "" && opts.Ask != nil {
		if opts.Passphrase, err = opts.Ask(); err != nil {
			return sum, err
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, activation.ReturnDir), 0o755); err != nil {
		return sum, err
	}
	name := filepath.Join(dir, activation.ReturnDir, ret.ID+activation.ReturnExt)
	if err := stick.WriteAtomic(name, func(f *os.File) error { return activation.WriteReturn(f, ret, opts.Passphrase, opts.WorkFactor) }); err != nil {
		return sum, err
	}
	items := make([]ReturnItem, len(ret.Items))
	for i, it := range ret.Items {
		items[i] = ReturnItem{ItemID: it.ID, ReturnID: ret.ID, DeviceKey: it.DeviceKey, ActivationID: it.ActivationID, IID: it.IID, CID: it.CID,
			KeyPartial: activation.Partial(it.Key), Written: opts.Now, By: opts.By, File: filepath.Base(name)}
	}
	if err := as.AddReturnItems(ctx, items); err != nil {
		os.Remove(name) // a file the database does not know would never be proven
		return sum, err
	}
	sum.File, sum.Items, sum.Devices = name, len(ret.Items), len(devices)
	return sum, nil
}

// CountStates says how many rows are in each state, as a line: "12
// products: 3 needs-cid, 9 cid-on-file".
func CountStates(rows []worklist.Row) string {
	n := map[worklist.State]int{}
	for _, r := range rows {
		n[r.State]++
	}
	var parts []string
	for _, s := range worklist.States {
		if n[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[s], s))
		}
	}
	if len(parts) == 0 {
		return "no product waits for a Confirmation ID"
	}
	return report.Count(len(rows), "product") + ": " + strings.Join(parts, ", ")
}

// Print writes what ImportCIDs did: a line on stdout, and each file and
// row it refused on stderr with what to do. It returns partial when it
// refused any.
func (s CIDSummary) Print(stdout, stderr io.Writer, partial error) error {
	match := "match"
	if s.Matched == 1 {
		match = "matches"
	}
	refusedN := ""
	if s.Refused > 0 {
		refusedN = fmt.Sprintf(", %d refused (named on stderr)", s.Refused)
	}
	unread := ""
	if len(s.Unread) > 0 {
		unread = fmt.Sprintf("; %s refused (%s: why on stderr)", report.Count(len(s.Unread), "row"), nameRows(s.Unread, maxRowsNamed))
	}
	fmt.Fprintf(stdout, "%s read from %s: %d new in the archive, %d already there%s; %d %s an IID the fleet waits for, %d kept for later (no device waits for their IID now); %s without a CID%s\n",
		report.Count(s.Records, "CID"), report.Count(s.Files, "file"), s.Added, s.Known, refusedN, s.Matched, match, s.Unmatched, report.Count(s.Blank, "row"), unread)
	if s.Restored > 0 {
		fmt.Fprintf(stdout, "%s of the archive put back on file\n", report.Count(s.Restored, "CID"))
	}
	// File names and what the files held, each within its line.
	for _, r := range s.Rejected {
		why, hint := Explain(r.Err)
		fmt.Fprintf(stderr, "importer: error: %s: %s\nimporter: hint: %s\n", terminal.Inline(r.File), terminal.Message(why), hint)
	}
	// Rows refused per kind: the hint speaks of one row as one.
	var shape, hidden, encoding int
	for _, e := range s.RowErrors {
		fmt.Fprintf(stderr, "importer: error: %s\n", terminal.Message(e.Error()))
		switch {
		case errors.Is(e, ErrHiddenCID):
			hidden++
		case errors.Is(e, worklist.ErrEncoding):
			encoding++
		default:
			shape++
		}
	}
	rows := func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	}
	if encoding > 0 {
		fmt.Fprintln(stderr, "importer: hint: "+rows(encoding, "that row's", "those rows'")+" bytes do not decode in the file's encoding, or read as two different values that nothing tells apart; nothing of "+
			rows(encoding, "it", "them")+" was stored: "+worklist.SaveUTF8Hint+"; then import the file again; the other rows are in")
	}
	if shape > 0 {
		fmt.Fprintln(stderr, "importer: hint: a CID is 48 digits and an IID digits (spaces or dashes between groups): correct "+rows(shape, "that row", "those rows")+" and import the file again; the other rows are in")
	}
	if hidden > 0 {
		fmt.Fprintln(stderr, "importer: hint: nobody reviewing the workbook saw "+rows(hidden, "that row's CID: show it", "those rows' CIDs: show them")+" in Excel (clear the filter, or select the rows "+
			"or columns around "+rows(hidden, "it", "them")+", right-click, Unhide; expand a collapsed group; unmerge a merged cell; clear the conditional formats of the ID columns "+
			"(Home, Conditional Formatting, Clear Rules); give a cell that shows nothing, or other than it holds, the Text format, a font of 8 points or more, "+
			"or the Automatic font colour and No Fill; replace formulas in the ID columns by their values: copy the column, Paste Special > Values), "+
			"check "+rows(hidden, "it", "them")+", save, and import the file again; the other rows are in")
	}
	refused := s.printChanges(stderr)
	if len(s.Rejected)+len(s.RowErrors) > 0 || refused {
		return partial
	}
	return nil
}

// printChanges tells each CID that replaced another on file (a warning)
// or was refused (an error), with a hint per kind of refusal, and
// reports whether any was refused.
func (s CIDSummary) printChanges(stderr io.Writer) (refused bool) {
	applied, several, archived := false, false, false
	for _, c := range s.Changes {
		rows := c.rows()
		next := ""
		switch c.Was {
		case worklist.Sent:
			next = ": write a new return file (importer activation stick) and give it to the engineer in its place"
		case worklist.Failed:
			next = "; the new one goes on the next return file"
		}
		switch {
		case len(c.New) > 1:
			several = true
			fmt.Fprintf(stderr, "importer: error: %s: different CIDs for %s: none of them imported\n", rows, c.product())
		case c.Archived && c.Refused:
			archived = true
			fmt.Fprintf(stderr, "importer: error: %s: the CID for %s is not put back on file: %s\n", rows, c.product(), terminal.Message(c.Detail))
		case c.Restored:
			e := c.Earlier
			fmt.Fprintf(stderr, "importer: warning: %s: put back on file the earlier CID for %s (imported on %s by %s from %s row %d), in place of the one on file: %s%s\n",
				rows, c.product(), e.Imported.Format("2006-01-02"), terminal.Inline(e.By), terminal.Inline(e.File), e.Row, terminal.Message(c.Detail), next)
		case c.Refused:
			applied = true
			fmt.Fprintf(stderr, "importer: error: %s: a CID for %s not imported: %s, which stays on file\n", rows, c.product(), c.Detail)
		default:
			fmt.Fprintf(stderr, "importer: warning: %s: replaced the CID on file for %s: %s%s\n", rows, c.product(), terminal.Message(c.Detail), next)
		}
	}
	if several {
		fmt.Fprintln(stderr, "importer: hint: nobody can tell which of two CIDs for one IID is right: keep the right one in the file and import it again; the other rows are in")
	}
	if applied {
		fmt.Fprintln(stderr, "importer: hint: a CID that a machine applied is proven to match its IID: check the row (a typing error? another machine's?); "+
			"to replace it all the same, import the file again with --replace-applied")
	}
	if archived {
		fmt.Fprintln(stderr, "importer: hint: the archive keeps each IID/CID pair once, with its first import; the CID on file is the one imported or put back last. "+
			"If the earlier CID is the right one after all, import the file again with --restore: it is put back on file, recorded with who and when "+
			"(importer activation history lists every import and restore)")
	}
	return several || applied || archived
}

// maxRowsNamed is how many refused rows the summary line names; the
// others it counts, and stderr names each.
const maxRowsNamed = 5

// nameRows names rows, a file's in a run once, the first max of them:
// "a.csv rows 3, 7; b.csv row 2 and 4 more".
func nameRows(rows []CIDRow, max int) string {
	var parts []string
	for i := 0; i < len(rows) && i < max; {
		file, nums := rows[i].File, []string(nil)
		for ; i < len(rows) && i < max && rows[i].File == file; i++ {
			nums = append(nums, strconv.Itoa(rows[i].Row))
		}
		word := "row"
		if len(nums) > 1 {
			word = "rows"
		}
		parts = append(parts, terminal.Inline(file)+" "+word+" "+strings.Join(nums, ", "))
	}
	named := strings.Join(parts, "; ")
	if len(rows) > max {
		named += fmt.Sprintf(" and %d more", len(rows)-max)
	}
	return named
}

// rows names the rows that brought the change's CIDs: "f.csv row 3",
// "f.csv rows 3 and 7", "a.csv row 3 and b.csv row 2".
func (c CIDChange) rows() string {
	var parts []string
	for i := 0; i < len(c.New); {
		// The rows of one file in a run, named once: its name is the
		// user's and may hold " row " itself.
		file, nums := c.New[i].File, []string(nil)
		for ; i < len(c.New) && c.New[i].File == file; i++ {
			nums = append(nums, strconv.Itoa(c.New[i].Row))
		}
		word := "row"
		if len(nums) > 1 {
			word = "rows"
		}
		parts = append(parts, terminal.Inline(file)+" "+word+" "+strings.Join(nums, " and "))
	}
	return strings.Join(parts, " and ")
}

// product names the change's IID by its last digits and the products
// that have it as the worklist names them (site, line, device, product),
// each shown as every listing shows a stored name (terminal.Inline).
func (c CIDChange) product() string {
	tail := c.IID
	if len(tail) > 6 {
		tail = "…" + tail[len(tail)-6:]
	}
	var where []string
	for _, r := range c.Products {
		device := r.Asset
		if device == "" {
			device = r.Host
		}
		in := terminal.Inline
		where = append(where, fmt.Sprintf("site %s, line %s, device %s, %s", in(r.Site), in(r.Line), in(device), in(r.Product)))
	}
	if len(where) == 0 {
		return "IID " + tail + " (no device of the fleet has this IID)"
	}
	return "IID " + tail + " (" + strings.Join(where, "; ") + ")"
}

// MinPassphrase is the shortest passphrase a return file is written to
// (characters): it is all that stands between a lost stick and its
// product keys, and scrypt slows a guess, it does not stop one.
const MinPassphrase = 10

// ErrPassphrase means a return file's passphrase was empty, shorter than
// MinPassphrase, or typed differently twice; the error wrapping it says
// which, as Explain's reason follows it ("passphrase refused: the first
// line of pass.txt has 5 characters, fewer than 10").
var ErrPassphrase = errors.New("fleet: passphrase refused")

// ErrPassphraseDiffers is ErrPassphrase (it unwraps to it) for a
// passphrase typed twice differently: only then does the hint say to
// type it the same twice, not to one given in a file.
var ErrPassphraseDiffers = fmt.Errorf("%w: the two entries differ", ErrPassphrase)

// ReturnPassphraseEnv is the environment variable that scripts give a
// return file's passphrase in, for the importer and the collector alike.
const ReturnPassphraseEnv = "ACTCOURIER_RETURN_PASSPHRASE"

// NewReturnOptions reads what a return file needs besides its items: the
// keys of keyFile ("" for none, ReadKeys) now, and the passphrase
// (ReturnPassphrase) once WriteReturn has items for it (Ask).
func NewReturnOptions(keyFile, passFile string, ask func(prompt string) (string, error)) (opts ReturnOptions, err error) {
	opts.Keys, err = ReadKeys(keyFile)
	opts.Ask = func() (string, error) { return ReturnPassphrase(passFile, ask) }
	return opts, err
}

// ReturnPassphrase is the passphrase a return file is written to: the
// first line of passFile, else ReturnPassphraseEnv, else asked twice
// with ask. Never a flag: a command line shows in the process list and
// the history.
func ReturnPassphrase(passFile string, ask func(prompt string) (string, error)) (string, error) {
	// from names where a passphrase too short came from: "the two
	// entries differ" is no help to one read from a file.
	var pass, from string
	switch p, ok := os.LookupEnv(ReturnPassphraseEnv); {
	case passFile != "":
		b, err := os.ReadFile(passFile)
		if err != nil {
			return "", err
		}
		pass, _, _ = strings.Cut(strings.TrimPrefix(string(b), "\ufeff"), "\n")
		pass = strings.TrimSuffix(pass, "\r")
		from = "the first line of " + passFile
	case ok:
		pass, from = p, ReturnPassphraseEnv
	default:
		from = "the one typed"
		var again string
		var err error
		if pass, err = ask("Passphrase for the return file (tell it to the engineer apart from the stick): "); err == nil {
			again, err = ask("Repeat the passphrase: ")
		}
		if err != nil {
			return "", err
		}
		if again != pass {
			return "", ErrPassphraseDiffers
		}
	}
	if len([]rune(pass)) < MinPassphrase {
		return "", fmt.Errorf("%w: %s has %d characters, fewer than %d", ErrPassphrase, from, len([]rune(pass)), MinPassphrase)
	}
	return pass, nil
}

// ErrKeyFile means a key file is out of shape; the error says which line.
var ErrKeyFile = errors.New("fleet: bad key file")

// ReadKeys reads a key file (activation.ParseKeys); "" is none.
func ReadKeys(name string) (map[licensing.Kind]string, error) {
	if name == "" {
		return nil, nil
	}
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	keys, err := activation.ParseKeys(data)
	if err != nil {
		return nil, fmt.Errorf("%w %s: %w", ErrKeyFile, name, err)
	}
	return keys, nil
}
