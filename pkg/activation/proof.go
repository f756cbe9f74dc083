package activation

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// The proof: what the collector did with a return file's items on one
// machine, the member ProofMember of the bundle it writes afterwards
// (bundle/RETURN.md, "The proof").
const (
	ProofMember  = "activation.json"
	ProofFormat  = "actcourier-activation"
	ProofVersion = "1.0"
)

// Result is what became of one item.
type Result string

const (
	// Applied: the CID was deposited and the product is now activated.
	Applied Result = "applied"
	// AlreadyActivated: the product was activated before anything was
	// done; nothing was applied (a second run, or another route).
	AlreadyActivated Result = "already-activated"
	// KeyInstalled: the item's product key was installed (or already
	// was) and the item carried no CID: the new IID waits for one.
	KeyInstalled Result = "key-installed"
	// Refused: the machine was left as it was: the IID changed, the
	// product is not there, or a method refused (HRESULT).
	Refused Result = "refused"
	// Failed: a method succeeded but the product is not activated after
	// it, or the state could not be read back.
	Failed Result = "failed"
	// Declined: the engineer chose not to apply the items.
	Declined Result = "declined"
)

// Why says, as a code, why an item was refused or failed when no HRESULT
// says it.
const (
	WhyIIDChanged    = "iid-changed"    // ErrIIDChanged
	WhyNoProduct     = "no-product"     // no product with the item's Activation ID
	WhyNotActivated  = "not-activated"  // deposited, but the status did not become licensed
	WhyNoKeyProduct  = "no-key-product" // installed, but no product shows the key
	WhyNotReadable   = "not-readable"   // the products could not be read
	WhyMethodFailure = "method-failure" // a method failed without an HRESULT
)

// Outcome is what became of one item, for the importer and the record.
type Outcome struct {
	ItemID        string           `json:"item_id"`
	ReturnID      string           `json:"return_id"`
	Product       string           `json:"product,omitempty"`
	ApplicationID string           `json:"application_id,omitempty"`
	ActivationID  string           `json:"activation_id"`
	Class         licensing.Class  `json:"class,omitempty"`
	IID           string           `json:"installation_id"`                   // the item's
	CurrentIID    string           `json:"current_installation_id,omitempty"` // read again before depositing
	Result        Result           `json:"result"`
	Why           string           `json:"why,omitempty"`
	HRESULT       uint32           `json:"hresult,omitempty"`
	Message       string           `json:"message,omitempty"` // English, for the record
	StatusBefore  licensing.Status `json:"status_before,omitempty"`
	StatusAfter   licensing.Status `json:"status_after,omitempty"`
	// KeyPartial is the last five characters of a key installed; the
	// new product's Activation ID and IID follow it.
	KeyPartial      string    `json:"key_partial,omitempty"`
	NewActivationID string    `json:"new_activation_id,omitempty"`
	NewIID          string    `json:"new_installation_id,omitempty"`
	At              time.Time `json:"at"`

	_ noCompare
}

// Proof is the member ProofMember.
type Proof struct {
	Format   string    `json:"format"`
	Version  string    `json:"version"`
	Outcomes []Outcome `json:"outcomes"`
}

// MarshalProof encodes the outcomes as the member ProofMember.
func MarshalProof(outcomes []Outcome) ([]byte, error) {
	p := Proof{Format: ProofFormat, Version: ProofVersion, Outcomes: outcomes}
	if p.Outcomes == nil {
		p.Outcomes = []Outcome{}
	}
	b, err := json.MarshalIndent(&p, "", "  ")
	return append(b, '\n'), err
}

// UnmarshalProof decodes the member ProofMember of a bundle, which anyone
// holding a stick can forge: more than MaxReturnSize bytes or MaxItems
// outcomes is ErrTooLarge, another format ErrNotReturn, an unknown major
// version ErrUnsupportedVersion, and an item ID, result or text out of
// shape ErrInvalid.
func UnmarshalProof(data []byte) (*Proof, error) {
	if len(data) > MaxReturnSize {
		return nil, fmt.Errorf("%w: proof of %d bytes, at most %d", ErrTooLarge, len(data), MaxReturnSize)
	}
	var p Proof
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("%w: proof: %v", ErrNotReturn, err)
	}
	if p.Format != ProofFormat {
		return nil, fmt.Errorf("%w: proof format %.40q", ErrNotReturn, p.Format)
	}
	if major, _, _ := strings.Cut(p.Version, "."); major != "1" {
		return nil, fmt.Errorf("%w: proof version %.20q", ErrUnsupportedVersion, p.Version)
	}
	if len(p.Outcomes) > MaxItems {
		return nil, fmt.Errorf("%w: %d outcomes, at most %d", ErrTooLarge, len(p.Outcomes), MaxItems)
	}
	for i, o := range p.Outcomes {
		if err := o.validate(); err != nil {
			return nil, fmt.Errorf("%w: outcome %d: %v", ErrInvalid, i+1, err)
		}
	}
	return &p, nil
}

func (o *Outcome) validate() error {
	switch o.Result {
	case Applied, AlreadyActivated, KeyInstalled, Refused, Failed, Declined:
	default:
		return fmt.Errorf("result %.20q", o.Result)
	}
	if !isID(o.ItemID) || !isID(o.ReturnID) {
		return fmt.Errorf("item_id or return_id is not 32 hex digits")
	}
	for _, s := range []string{o.Product, o.ApplicationID, o.ActivationID, string(o.Class), o.IID, o.CurrentIID, o.Why,
		string(o.StatusBefore), string(o.StatusAfter), o.KeyPartial, o.NewActivationID, o.NewIID} {
		if !text(s) {
			return fmt.Errorf("a field is too long or holds control characters")
		}
	}
	if !textN(o.Message, 4*maxText) {
		return fmt.Errorf("message is too long or holds control characters")
	}
	return nil
}
