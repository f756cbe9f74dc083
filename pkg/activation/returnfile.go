package activation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/actcourier/actcourier/pkg/internal/cut"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// The return file format (bundle/RETURN.md).
const (
	ReturnFormat  = "actcourier-return"
	ReturnVersion = "1.0"
	// ReturnExt ends a return file's name, <return_id>.return.age.
	ReturnExt = ".return.age"
	// ReturnDir is the folder beside the collector on a stick where
	// return files go.
	ReturnDir = "return"
)

// Limits of a return file. A genuine one holds an item per device of a
// site's round, a few hundred bytes each.
const (
	MaxReturnSize = 1 << 20 // the JSON inside, bytes
	MaxItems      = 4096    // items of a return file, outcomes of a proof
	maxText       = 256     // bytes of a name shown to the engineer
	// MaxWorkFactor is the largest scrypt work factor (log2 N) a reader
	// accepts: 2^18 with r = 8 needs 256 MiB, about what a 32-bit
	// collector on a 2 GiB Windows 7 PC can allocate. A larger one is
	// refused before any work, so a forged header cannot exhaust memory.
	MaxWorkFactor = 18
	// DefaultWorkFactor is what WriteReturn uses: 128 MiB and about a
	// second on a 2012 office PC.
	DefaultWorkFactor = 17
)

// Return is a return file: the items central staff send back to the
// machines of a round.
type Return struct {
	Format    string    `json:"format"`
	Version   string    `json:"version"`
	ID        string    `json:"return_id"`
	Created   time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by,omitempty"`
	Generator string    `json:"generator,omitempty"`
	Items     []Item    `json:"items"`

	// What Add knows of the JSON the items make: their bytes, and how
	// many items that counts.
	size, counted int
}

// Item is what to do on one product of one machine: install a product key
// (Key), deposit a Confirmation ID (CID), or both in that order. It is
// for the machine whose licensing.DeviceKey is DeviceKey and the product
// whose Activation ID is ActivationID. Site, Line, Asset, Hostname and
// Product are shown to the engineer.
type Item struct {
	ID            string          `json:"item_id"`
	DeviceKey     string          `json:"device_key"`
	Site          string          `json:"site,omitempty"`
	Line          string          `json:"line,omitempty"`
	Asset         string          `json:"asset,omitempty"`
	Hostname      string          `json:"hostname,omitempty"`
	Product       string          `json:"product,omitempty"`
	ApplicationID string          `json:"application_id"`
	ActivationID  string          `json:"activation_id"`
	Class         licensing.Class `json:"class"`
	// IID is the Installation ID the CID was obtained for, digits only:
	// the product's IID when it was collected, or, with a Key, the one
	// the key gives on this hardware (local reactivation).
	IID         string `json:"installation_id"`
	ExtendedPID string `json:"extended_pid,omitempty"`
	CID         string `json:"confirmation_id,omitempty"`
	// Key is a full product key, XXXXX-XXXXX-XXXXX-XXXXX-XXXXX: it lives
	// only in the encrypted file and in memory, never on screen.
	Key string `json:"product_key,omitempty"`
	// Return is the ID of the return file the item came in, set by For.
	Return string `json:"-"`

	_ noCompare
}

// noCompare makes a struct not comparable, so that the compiler makes no
// equality function for it: the 32-bit collector must stay small.
type noCompare [0]func()

// NewReturn starts a return file of the current format with a new ID.
func NewReturn(created time.Time, by, generator string) *Return {
	return &Return{Format: ReturnFormat, Version: ReturnVersion, ID: NewID(), Created: created, CreatedBy: by, Generator: generator}
}

// For returns the items for the machine whose device key is key.
func (r *Return) For(key string) []Item {
	var out []Item
	for _, it := range r.Items {
		if it.DeviceKey == key {
			it.Return = r.ID
			out = append(out, it)
		}
	}
	return out
}

// Validate checks every field as a reader does (bundle/RETURN.md): a
// wrong format is ErrNotReturn, an unknown major version
// ErrUnsupportedVersion, too many items ErrTooLarge, and any field out of
// shape ErrInvalid, naming the item.
func (r *Return) Validate() error {
	if r.Format != ReturnFormat {
		return fmt.Errorf("%w: format %.40q", ErrNotReturn, r.Format)
	}
	if major, _, _ := strings.Cut(r.Version, "."); major != "1" {
		return fmt.Errorf("%w: %.20q", ErrUnsupportedVersion, r.Version)
	}
	if len(r.Items) > MaxItems {
		return fmt.Errorf("%w: %d items, at most %d", ErrTooLarge, len(r.Items), MaxItems)
	}
	why := ""
	if !isID(r.ID) || !text(r.CreatedBy) || !text(r.Generator) {
		why = "return_id, created_by or generator"
	}
	seen := map[string]bool{}
	for i := 0; i < len(r.Items) && why == ""; i++ {
		it := &r.Items[i]
		// One item per product of a machine: nothing is applied twice.
		product := it.DeviceKey + "\x00" + strings.ToLower(it.ActivationID)
		if why = it.check(); why == "" && (seen[it.ID] || seen[product]) {
			why = "a second item with its ID or for its product"
		}
		if why != "" {
			why = fmt.Sprintf("item %d: %s", i+1, why)
		}
		seen[it.ID], seen[product] = true, true
	}
	if why != "" {
		return fmt.Errorf("%w: %s", ErrInvalid, why)
	}
	return nil
}

// Add appends it to r when it is in shape and r holds no item of its ID
// or for its product of its machine; otherwise it returns why, wrapping
// ErrInvalid (ErrTooLarge past MaxItems), and r is as it was. A writer
// adds its items one by one, so that one item out of shape (a forged
// device's) leaves out that item, not the whole file.
func (r *Return) Add(it Item) error {
	if why := it.check(); why != "" {
		return fmt.Errorf("%w: %s", ErrInvalid, why)
	}
	for i := range r.Items {
		if o := &r.Items[i]; o.ID == it.ID || o.DeviceKey == it.DeviceKey && strings.EqualFold(o.ActivationID, it.ActivationID) {
			return fmt.Errorf("%w: a second item with its ID or for its product", ErrInvalid)
		}
	}
	if len(r.Items) >= MaxItems {
		return fmt.Errorf("%w: more than %d items; write one file per line", ErrTooLarge, MaxItems)
	}
	// The file's JSON must stay within MaxReturnSize, with room for its
	// head: about 1,500 genuine items fit, fewer with long names.
	for ; r.counted < len(r.Items); r.counted++ {
		r.size += itemSize(&r.Items[r.counted])
	}
	n := itemSize(&it)
	if r.size+n > MaxReturnSize-returnHead {
		return fmt.Errorf("%w: the return file is full (%d bytes of items, at most %d); write one file per line", ErrTooLarge, r.size, MaxReturnSize-returnHead)
	}
	r.Items = append(r.Items, it)
	r.size, r.counted = r.size+n, r.counted+1
	return nil
}

// returnHead is room for a return file's JSON besides its items.
const returnHead = 4 << 10

// itemSize is the bytes an item takes in a return file's JSON, as
// WriteReturn indents it, with the comma and line end before it.
func itemSize(it *Item) int {
	b, err := json.MarshalIndent(it, "    ", "  ")
	if err != nil {
		return MaxReturnSize // an Item always marshals
	}
	return len(b) + len(",\n    ")
}

// check says what is out of shape in an item, or "". It never quotes a
// product key.
func (it *Item) check() string {
	switch {
	case !isID(it.ID):
		return "item_id is not 32 hex digits"
	case it.DeviceKey == "" || !text(it.DeviceKey):
		return "device_key is empty, too long or not text"
	case !text(it.Site) || !text(it.Line) || !text(it.Asset) || !text(it.Hostname) || !text(it.Product) || !text(it.ExtendedPID):
		return "a name is too long or holds control characters"
	case !licensing.IsGUID(it.ApplicationID) || !licensing.IsGUID(it.ActivationID):
		return "application_id or activation_id is not a GUID"
	case it.Class.ProductClass() == "":
		return "class is neither SPP nor OSPP"
	case it.CID == "" && it.Key == "":
		return "neither a confirmation_id nor a product_key"
	case !allDigits(it.IID, 1, MaxIIDDigits):
		return "installation_id is not digits only"
	case it.CID != "" && !allDigits(it.CID, CIDDigits, CIDDigits):
		return "confirmation_id is not 48 digits"
	case it.Key != "" && !isKey(it.Key):
		return "product_key is not five groups of five"
	}
	return ""
}

// allDigits reports whether s is min to max ASCII digits.
func allDigits(s string, min, max int) bool {
	if len(s) < min || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isKey reports whether s is a product key as NormalizeKey writes it.
func isKey(s string) bool {
	if len(s) != 29 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if i%6 == 5 {
			if c != '-' {
				return false
			}
		} else if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Shown makes s a name an item may hold: UTF-8 without control
// characters (each read as U+FFFD), cut at a character to the bytes a
// name may have. The names of an item come from stored collections, where
// a forged one may be four times as long or hold a tab; one such device
// must not make a whole return file invalid.
func Shown(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
	return cut.Shorten(s, maxText)
}

// text reports whether s is short UTF-8 without control characters.
func text(s string) bool { return textN(s, maxText) }

// textN is text of at most max bytes.
func textN(s string, max int) bool {
	if len(s) > max || !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			return false
		}
	}
	return true
}

// WriteReturn validates r and writes it to w as a return file encrypted
// to passphrase with scrypt at workFactor (log2 N; 0 means
// DefaultWorkFactor). A return file is read on old machines: workFactor
// above MaxWorkFactor is refused with ErrTooLarge.
func WriteReturn(w io.Writer, r *Return, passphrase string, workFactor int) error {
	if err := r.Validate(); err != nil {
		return err
	}
	if passphrase == "" {
		return ErrNoPassphrase
	}
	if workFactor == 0 {
		workFactor = DefaultWorkFactor
	}
	if workFactor < 1 || workFactor > MaxWorkFactor {
		return fmt.Errorf("%w: scrypt work factor %d, at most %d", ErrTooLarge, workFactor, MaxWorkFactor)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if len(data) > MaxReturnSize {
		return fmt.Errorf("%w: %d bytes of items, at most %d: write one return file per line", ErrTooLarge, len(data), MaxReturnSize)
	}
	rc, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return err
	}
	rc.SetWorkFactor(workFactor)
	aw, err := age.Encrypt(w, rc)
	if err != nil {
		return err
	}
	if _, err := aw.Write(data); err != nil {
		return err
	}
	return aw.Close()
}

// ageIntro starts every binary age file; a passphrase file's one stanza
// follows it as "-> scrypt SALT LOGN" (C2SP age.md).
const (
	ageIntro     = "age-encryption.org/v1\n"
	scryptStanza = "-> scrypt "
)

// OpenReturn reads a whole return file and checks it: the passphrase
// (ErrWrongPassphrase, ErrNoPassphrase), the age layers (ErrNotReturn for
// anything not encrypted to a passphrase, ErrTampered when authentication
// fails, ErrTooLarge for a work factor above MaxWorkFactor or more than
// MaxReturnSize inside) and every field (Validate). No item is returned
// unless the whole file passed.
func OpenReturn(src io.Reader, passphrase string) (*Return, error) {
	if passphrase == "" {
		return nil, ErrNoPassphrase
	}
	// The intro and the first stanza, "-> scrypt SALT LOGN", say whether
	// this is a passphrase file and how much work it asks for.
	var head [len(ageIntro) + len(scryptStanza) + 32]byte
	n, _ := io.ReadFull(src, head[:])
	stanza, isAge := strings.CutPrefix(string(head[:n]), ageIntro)
	args, ok := strings.CutPrefix(stanza, scryptStanza)
	work := 0 // after the salt's 22 characters and a space
	for i := 23; i < len(args) && args[i] >= '0' && args[i] <= '9'; i++ {
		work = work*10 + int(args[i]-'0')
	}
	switch {
	case !isAge:
		return nil, fmt.Errorf("%w: not an age-encrypted file", ErrNotReturn)
	case !ok:
		return nil, fmt.Errorf("%w: encrypted to keys, not to a passphrase", ErrNotReturn)
	case work > MaxWorkFactor:
		return nil, fmt.Errorf("%w: scrypt work factor %d, at most %d", ErrTooLarge, work, MaxWorkFactor)
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return nil, ErrNoPassphrase
	}
	id.SetMaxWorkFactor(MaxWorkFactor)
	plain, err := age.Decrypt(io.MultiReader(bytes.NewReader(head[:n]), src), id)
	var data []byte
	if err == nil {
		// Read to the end: age authenticates the last chunk only then.
		data, err = io.ReadAll(io.LimitReader(plain, MaxReturnSize+1))
	}
	var noMatch *age.NoIdentityMatchError
	switch {
	case errors.As(err, &noMatch):
		return nil, ErrWrongPassphrase
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrTampered, err)
	case len(data) > MaxReturnSize:
		return nil, fmt.Errorf("%w: over %d bytes inside", ErrTooLarge, MaxReturnSize)
	}
	var r Return
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotReturn, err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}
