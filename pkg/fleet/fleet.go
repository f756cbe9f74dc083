package fleet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
)

var (
	// ErrDuplicate means the bundle (same ID and SHA-256) is already
	// stored; nothing was changed.
	ErrDuplicate = errors.New("fleet: already imported")
	// ErrConflict means a bundle with the same ID but other contents is
	// already stored.
	ErrConflict = errors.New("fleet: a different bundle with the same ID is already imported")
	// ErrNewerSchema means a newer importer wrote the database.
	ErrNewerSchema = errors.New("fleet: the database was written by a newer importer")
	// ErrNotFound means no device matched.
	ErrNotFound = errors.New("fleet: no such device")
	// ErrNoSnapshot means a bundle opened but holds no device snapshot.
	ErrNoSnapshot = errors.New("fleet: not a device bundle")
	// ErrAmbiguous means a device reference matched several devices.
	ErrAmbiguous = errors.New("fleet: several devices match")
	// ErrNotFile means a text or settings file, or a bundle file found
	// in a folder, is a named pipe, a device or a folder when it is
	// opened, and was not read: a pipe's open or read can wait for ever
	// for a writer.
	ErrNotFile = errors.New("fleet: not a file")
	// ErrGone means a bundle file found in a folder was not there any
	// more when it was opened: deleted or moved since the folder was
	// listed, or the stick pulled. It comes with the system's error
	// (fs.ErrNotExist).
	ErrGone = errors.New("fleet: gone since its folder was listed")
	// ErrLink means a bundle file found in a folder was a symbolic link
	// when it was opened, and was not followed: the folder's listing
	// follows no link, so one put in a file's place after the listing
	// is not read either (where the system can tell: not on Windows).
	ErrLink = errors.New("fleet: a symbolic link, not followed")
	// ErrTooLarge means an input is over a limit (MaxTextSize).
	ErrTooLarge = errors.New("fleet: input over a limit")
	// ErrReadOnly means the store refused to write: the database user
	// may only read the fleet (an auditors' role), or the file is
	// read-only. Nothing of the batch was stored.
	ErrReadOnly = errors.New("fleet: the database may only be read by this user")
	// ErrInterrupted is what Summary.Finish returns, with the context's
	// error, after it told on stderr that the import was interrupted,
	// what was stored and how to go on: a caller does not say it again.
	ErrInterrupted = errors.New("fleet: interrupted")
	// ErrStoredSnapshot means a device's stored snapshot does not read:
	// the database's copy is damaged, since every snapshot was read
	// whole before it was stored. A StoredError says whose.
	ErrStoredSnapshot = errors.New("fleet: stored snapshot unreadable")
)

// StoredError is a device's stored snapshot that does not read, with
// licensing's error. It unwraps to ErrStoredSnapshot and that error:
// what to do about it is not what to do about a bundle that holds no
// snapshot (Explain), though both are licensing.ErrNotSnapshot.
type StoredError struct {
	Key, BundleID string // the device's, and its latest bundle's
	Err           error
}

func (e *StoredError) Error() string {
	return fmt.Sprintf("device %s (bundle %s): stored snapshot unreadable: %v", terminal.Inline(e.Key), e.BundleID, e.Err)
}

func (e *StoredError) Unwrap() []error { return []error{ErrStoredSnapshot, e.Err} }

// Hint says what to do (Explain's words), so that every command that
// reads the snapshot, not only those that explain their errors, says it,
// and says the same: Explain of the whole error, as a snapshot of a
// newer schema (a newer importer's, in a shared database) asks for this
// importer's update, not for a backup that would lose what it stored.
func (e *StoredError) Hint() string {
	_, hint := Explain(e)
	return hint
}

// MaxTextSize bounds one saved slmgr/ospp text (bytes), as a bundle
// member is bounded (bundle.DefaultMaxMemberSize): the longest genuine
// output, `slmgr /dlv all` in UTF-16, is a few hundred KiB.
const MaxTextSize = 4 << 20

// Origin says what a collection was made from.
type Origin string

const (
	// OriginBundle is a collector's bundle.
	OriginBundle Origin = "bundle"
	// OriginText is saved slmgr/ospp text brought in by import-text.
	OriginText Origin = "text"
)

// Collection is one collection on its way into the store: the snapshot,
// what it was made from, and what is derived from it at import.
type Collection struct {
	Meta
	DeviceKey string
	Snapshot  *licensing.Snapshot
	JSON      []byte            // the snapshot as stored (device.json)
	Category  classify.Category // as of the collection time
	// Pool is the device's share of its site's KMS pool
	// (classify.PoolOf), stored so that pools are summed without reading
	// snapshots.
	Pool classify.Pool
	Raw  []Raw
	// Hardware is the machine's maker and model, to tell one hardware ID
	// collected as two machines.
	Hardware string
	// Warnings are trust warnings of this collection (WarnFuture,
	// WarnOld): it is stored, but never becomes the device's latest when
	// the device has a collection without them.
	Warnings []string
}

// Meta describes the file a collection came from.
type Meta struct {
	BundleID  string
	SHA256    string // of the file, hex
	Size      int64  // of the file, bytes
	FileName  string // base name only
	Origin    Origin
	Generator string // the program that wrote it, with its version
}

// Raw is a raw output or copied file kept beside a collection.
type Raw struct {
	Member string
	Data   []byte
	// Size is the member's whole size in bytes: more than len(Data) when
	// the store was asked for its beginning only (Store.RawFor).
	Size int64
}

// NewCollection makes the stored form of a collection imported at now:
// the snapshot's JSON as given (marshalled and read back through
// licensing.Unmarshal when js is nil, so that what is stored passes the
// same bounds as a bundle's), the device key, the verdict as of the
// collection time, the device's share of its site's KMS pool, and the
// warnings about its time. It is the one place a collection is built,
// whatever its origin.
func NewCollection(m Meta, s *licensing.Snapshot, js []byte, raw []Raw, now time.Time) (*Collection, error) {
	if js == nil {
		var err error
		if js, err = licensing.Marshal(s); err != nil {
			return nil, err
		}
		if s, err = licensing.Unmarshal(js); err != nil {
			return nil, err
		}
	} else if viewUnsafe(js, s) {
		// The stored text is what SQL users read through the products
		// view: a NUL escape (which PostgreSQL's json refuses) or
		// products that are no list would fail the view for the whole
		// fleet, and products under a key in other case would be missed
		// by it though the reports read them. Such a snapshot is stored
		// as it was read (bounded, NUL read as U+FFFD); a collector's own
		// never is.
		var err error
		if js, err = licensing.Marshal(s); err != nil {
			return nil, err
		}
	}
	// A file name is whatever bytes the stick's file system gave, and a
	// generator whatever a bundle's manifest says: stored as UTF-8
	// without NUL, which every store can hold as text.
	m.FileName, m.Generator = storable(m.FileName), storable(m.Generator)
	// So is a raw output's name: a bundle's are checked, but a text
	// file's is its file name.
	for i, copied := 0, false; i < len(raw); i++ {
		if name := storable(raw[i].Member); name != raw[i].Member {
			if !copied { // the caller's slice stays as it was
				raw, copied = append([]Raw(nil), raw...), true
			}
			raw[i].Member = name
		}
	}
	category, pool := classify.AsCollected(s)
	c := &Collection{Meta: m, DeviceKey: DeviceKey(s), Snapshot: s, JSON: js, Category: category, Pool: pool, Raw: raw,
		Hardware: strings.TrimSpace(s.Hardware.Manufacturer + " " + s.Hardware.Model)}
	c.Warnings = timeWarnings(c, now)
	return c, nil
}

// viewUnsafe reports whether a snapshot's text holds a NUL escape, or
// may name its products otherwise than the view reads them: under a key
// in other case, or with a long s (ſ, which Go's JSON decoder folds to
// s), or with an escaped letter (the decoder matches keys
// case-insensitively, after their escapes); under more than one key
// (the decoder reads the last, SQLite the first); as something that is
// no list; or under no "products" key the view would find, though the
// decoder found some. A collector writes none of these.
func viewUnsafe(js []byte, s *licensing.Snapshot) bool {
	exact, any := productsKeys(js)
	return bytes.Contains(js, []byte(`\u0000`)) || surrogateEscape(js) || exact != any || exact > 1 ||
		(s.Products != nil) != (exact > 0) || bytes.Contains(js, []byte("ſ")) || letterEscape(js)
}

// hex4 reads the four hex digits that begin b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var v rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			v = v<<4 | rune(c-'0')
		case 'a' <= c|0x20 && c|0x20 <= 'f':
			v = v<<4 | rune(c|0x20-'a'+10)
		default:
			return 0, false
		}
	}
	return v, true
}

// letterEscape reports whether JSON text holds a \u escape of a letter
// (ASCII's, or ſ): Go's encoder writes letters as they are.
func letterEscape(js []byte) bool {
	return hasEscape(js, func(digits []byte) bool {
		v, ok := hex4(digits)
		return ok && ('A' <= v && v <= 'Z' || 'a' <= v && v <= 'z' || v == 'ſ')
	})
}

// hasEscape reports whether JSON text holds a \u escape for which is,
// given the bytes that follow the \u, is true.
func hasEscape(js []byte, is func(digits []byte) bool) bool {
	for i := bytes.Index(js, []byte(`\u`)); i >= 0; {
		if is(js[i+2:]) {
			return true
		}
		j := bytes.Index(js[i+2:], []byte(`\u`))
		if j < 0 {
			return false
		}
		i += 2 + j
	}
	return false
}

// productsKeys counts "products", quotes included, in JSON text: as it
// is written, and with its letters in any case. These are the counts of
// bytes.Count in js and in bytes.ToLower(js) (no letter but ASCII's
// lowers to one of these), without a lowered copy of every snapshot.
func productsKeys(js []byte) (exact, any int) {
	const key = `"products"`
	// As bytes.Count, neither count takes an occurrence that overlaps
	// the one it took before (they may share a quote).
	nextExact, nextAny := 0, 0
	for i := 0; ; i++ {
		j := bytes.IndexByte(js[i:], '"')
		if j < 0 || i+j+len(key) > len(js) {
			return exact, any
		}
		i += j
		w := js[i : i+len(key)]
		if w[len(key)-1] != '"' || !lowersTo(w[1:len(key)-1], key[1:len(key)-1]) {
			continue
		}
		if i >= nextAny {
			any, nextAny = any+1, i+len(key)
		}
		if i >= nextExact && string(w) == key {
			exact, nextExact = exact+1, i+len(key)
		}
	}
}

// lowersTo reports whether b is lower, a word of lowercase ASCII letters
// of the same length, with any of its letters in upper case.
func lowersTo(b []byte, lower string) bool {
	for k := range b {
		if b[k]|0x20 != lower[k] {
			return false
		}
	}
	return true
}

// surrogateEscape reports whether JSON text holds a \uD800 to \uDFFF
// escape, in any case: PostgreSQL's json refuses one alone, which Go
// reads as U+FFFD. (A pair is safe there, but is rare enough to be
// stored as it is read, in UTF-8, all the same; so is a string holding
// an escaped backslash before such text, which this also finds.)
func surrogateEscape(js []byte) bool {
	return hasEscape(js, func(digits []byte) bool {
		if len(digits) < 2 {
			return false
		}
		c, d := digits[0]|0x20, digits[1]|0x20
		return c == 'd' && (d >= '8' && d <= '9' || d >= 'a' && d <= 'f')
	})
}

// storable is s as UTF-8 text without NUL: other bytes and NUL read as
// U+FFFD.
func storable(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// Stored says what the store did with one collection of a batch.
type Stored struct {
	DeviceID     int64
	CollectionID int64
	NewDevice    bool
}

// Device is one stored collection of a device: the latest one, or one of
// its history.
type Device struct {
	ID           int64
	Key          string
	CollectionID int64
	Meta
	CollectedAt time.Time
	ImportedAt  time.Time
	Site, Line  string
	Asset       string
	Hostname    string
	Engineer    string
	Category    classify.Category // as of the collection time
	Collections int               // how many collections the device has
	JSON        string            // the snapshot, when asked for
	Warnings    []string          // this collection's trust warnings
	// SuspectTimes counts the device's collections with a time warning.
	SuspectTimes int
	// Hostnames and Hardware list the host names and machine models seen
	// across the device's collections when there is more than one of
	// either (WarnIdentity); nil otherwise.
	Hostnames, Hardware []string
}

// Snapshot decodes the stored snapshot; one that does not read is a
// *StoredError.
func (d *Device) Snapshot() (*licensing.Snapshot, error) {
	s, err := licensing.UnmarshalString(d.JSON)
	if err != nil {
		return nil, &StoredError{Key: d.Key, BundleID: d.BundleID, Err: err}
	}
	return s, nil
}

// Filter selects devices by their latest collection; empty fields match
// all.
type Filter struct {
	Site, Line string
	// Until, when not zero, makes the fleet what it was then: only
	// collections made before it count, and a device first collected
	// later is left out (see AsOf).
	Until time.Time
	// Limit, when above zero, is the most devices Latest reads: a
	// caller that asks whether any device is selected need not have a
	// server send it every one.
	Limit int
}

// Store is what the fleet needs of a database. Package store implements
// it on SQLite.
type Store interface {
	// ImportBatch stores collections in one transaction. A duplicate or
	// conflicting collection (errs[i] wraps ErrDuplicate or ErrConflict)
	// leaves the others stored. Any other failure rolls the whole batch
	// back and is returned as err: each collection is stored whole or
	// not at all. A device's latest collection is its newest without a
	// time warning, else its newest.
	ImportBatch(ctx context.Context, cs []*Collection) (res []Stored, errs []error, err error)
	// Latest calls fn with the latest collection (before f.Until, when
	// set) of every device f selects, in site, line, asset order, one at
	// a time; withJSON fills Device.JSON. An error from fn stops it and
	// is returned.
	Latest(ctx context.Context, f Filter, withJSON bool, fn func(Device) error) error
	// Lines calls fn with the site and line of each line Latest would
	// read devices of (f.Limit aside), once, in Latest's order: what a
	// report will write is known before it reads a device.
	Lines(ctx context.Context, f Filter, fn func(site, line string) error) error
	// LeftOut reports whether f.Until leaves out collections: false,
	// without calling fn, when it is zero or after every collection
	// (the fleet then is the fleet as it is). When true, it calls fn,
	// in site, line order, with how many devices f selects (by their
	// latest collection, f.Limit aside) were first collected at or
	// after f.Until, for each line that has any: the fleet as it was
	// then does not hold them.
	LeftOut(ctx context.Context, f Filter, fn func(site, line string, n int) error) (bool, error)
	// Find returns the devices whose key, asset tag, host name, ID or
	// bundle ID is ref (case-insensitive), with the JSON of their latest
	// collection; when no latest collection has ref as asset tag or host
	// name, the devices that had it earlier. ErrNotFound when there is
	// none.
	Find(ctx context.Context, ref string) ([]Device, error)
	// History returns every collection of a device, newest first, with
	// JSON.
	History(ctx context.Context, deviceID int64) ([]Device, error)
	// Pools sums the pool shares of every device's latest collection
	// (before until, when not zero), per site.
	Pools(ctx context.Context, until time.Time) (map[string]classify.Pool, error)
	// RawFor returns the raw members of collections, by collection ID,
	// in member name order, each cut to its first maxBytes bytes (its
	// whole size in Raw.Size): a report shows a bounded amount of a
	// member however large it is.
	RawFor(ctx context.Context, collectionIDs []int64, maxBytes int) (map[int64][]Raw, error)
	Close() error
}

// DeviceKey identifies the device of a snapshot: licensing.DeviceKey,
// which the collector also uses to find a return file's items for the
// machine it runs on.
func DeviceKey(s *licensing.Snapshot) string { return licensing.DeviceKey(s) }
