package activation

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// ErrIIDChanged is why an item is refused when the product's
// Installation ID, read again at the machine, is not the one its CID was
// obtained for: the IID depends on the hardware and the key, so a CID for
// the old one cannot activate the product (DOMAIN.md "The return path").
var ErrIIDChanged = errors.New("activation: the hardware or the key changed since the IID was taken: take a new IID")

// Machine is a machine's licensing platforms as applying a return file
// uses them (DOMAIN.md "The return path"). The collector has two: live
// WMI, and a simulation of a stored snapshot for replays and tests.
// Failures of the methods carry their HRESULT (see Code).
type Machine interface {
	// Products reads the installed products of a class again, live:
	// Activation ID, Application ID, partial key, Installation ID,
	// license status and grace period.
	Products(c licensing.Class) ([]licensing.Product, error)
	// InstallProductKey is the class's service's InstallProductKey.
	InstallProductKey(c licensing.Class, key string) error
	// DepositOfflineConfirmationID is DepositOfflineConfirmationId of
	// the product whose Activation ID is activationID.
	DepositOfflineConfirmationID(c licensing.Class, activationID, iid, cid string) error
	// RefreshLicenseStatus is the class's service's RefreshLicenseStatus.
	RefreshLicenseStatus(c licensing.Class) error
}

// Apply applies items to m, one after another, and says what became of
// each. Nothing is applied twice: a product already activated is left
// alone (AlreadyActivated), a key already installed is not installed
// again. Before a CID is deposited the product's IID is read again and
// the item is refused (ErrIIDChanged) when it differs; the deposit uses
// that IID, as slmgr /atp does. now stamps each outcome.
func Apply(m Machine, items []Item, now func() time.Time) []Outcome {
	out := make([]Outcome, 0, len(items))
	for _, it := range items {
		o := apply(m, it)
		o.At = now()
		out = append(out, o)
	}
	return out
}

// Decline records that the engineer did not apply items.
func Decline(items []Item, now time.Time) []Outcome {
	out := make([]Outcome, 0, len(items))
	for _, it := range items {
		o := newOutcome(it)
		o.Result, o.Message, o.At = Declined, "not applied: the engineer declined", now
		out = append(out, o)
	}
	return out
}

func newOutcome(it Item) Outcome {
	return Outcome{ItemID: it.ID, ReturnID: it.Return, Product: it.Product, ApplicationID: it.ApplicationID,
		ActivationID: it.ActivationID, Class: it.Class, IID: it.IID}
}

func apply(m Machine, it Item) Outcome {
	o := newOutcome(it)
	ps, err := m.Products(it.Class)
	if err != nil {
		return o.fail(Failed, WhyNotReadable, err)
	}
	p := byActivation(ps, it.ActivationID)
	if p != nil {
		o.StatusBefore = p.Status
	}
	if it.Key != "" {
		if p, err = installKey(m, it, ps, p, &o); err != nil || it.CID == "" {
			return o
		}
	}
	if p == nil {
		return o.fail(Refused, WhyNoProduct, fmt.Errorf("no installed product has the activation ID %s", it.ActivationID))
	}
	if Activated(p) {
		o.Result, o.StatusAfter, o.Message = AlreadyActivated, p.Status, "already activated: nothing applied"
		return o
	}
	cur, _ := NormalizeIID(p.OfflineInstallationID)
	o.CurrentIID = cur
	if cur == "" || cur != it.IID {
		return o.fail(Refused, WhyIIDChanged, ErrIIDChanged)
	}
	if err := m.DepositOfflineConfirmationID(it.Class, p.SKUID, cur, it.CID); err != nil {
		return o.fail(Refused, WhyMethodFailure, err)
	}
	// The deposit took: the status follows after a refresh. A failed
	// refresh is noted, the status read back decides.
	refreshErr := m.RefreshLicenseStatus(it.Class)
	after := reread(m, it.Class, p.SKUID)
	if after == nil {
		return o.fail(Failed, WhyNotReadable, fmt.Errorf("deposited, but the product could not be read back: %v", refreshErr))
	}
	o.StatusAfter = after.Status
	if !Activated(after) {
		return o.fail(Failed, WhyNotActivated, fmt.Errorf("deposited, but the license status is %s (refresh: %v)", after.Status, refreshErr))
	}
	o.Result, o.Message = Applied, "Confirmation ID deposited: activated"
	return o
}

// installKey installs the item's key unless a product of its
// application already has it, and returns the product that has it. On
// failure o says why and the error is not nil.
func installKey(m Machine, it Item, ps []licensing.Product, p *licensing.Product, o *Outcome) (*licensing.Product, error) {
	o.KeyPartial = Partial(it.Key)
	q := byKey(ps, it.ApplicationID, o.KeyPartial)
	if q == nil {
		if p == nil {
			err := fmt.Errorf("no installed product has the activation ID %s", it.ActivationID)
			o.fail(Refused, WhyNoProduct, err)
			return nil, err
		}
		if err := m.InstallProductKey(it.Class, it.Key); err != nil {
			o.fail(Refused, WhyMethodFailure, err)
			return nil, err
		}
		refreshErr := m.RefreshLicenseStatus(it.Class)
		again, err := m.Products(it.Class)
		if q = byKey(again, it.ApplicationID, o.KeyPartial); q == nil {
			err = fmt.Errorf("installed, but no product shows the key ending in %s (read: %v, refresh: %v)", o.KeyPartial, err, refreshErr)
			o.fail(Failed, WhyNoKeyProduct, err)
			return nil, err
		}
	}
	o.Result, o.StatusAfter, o.NewActivationID = KeyInstalled, q.Status, q.SKUID
	o.NewIID, _ = NormalizeIID(q.OfflineInstallationID)
	o.Message = "product key ending in " + o.KeyPartial + " installed"
	return q, nil
}

// fail sets what went wrong: the HRESULT the error carries, with its
// meaning, or why.
func (o *Outcome) fail(r Result, why string, err error) Outcome {
	o.Result, o.Why, o.Message = r, why, err.Error()
	if code, ok := Code(err); ok {
		o.HRESULT, o.Why = code, ""
		if rs, known := licensing.LookupReason(code); known {
			o.Message += ": " + rs.English
		}
	}
	return *o
}

func reread(m Machine, c licensing.Class, activationID string) *licensing.Product {
	ps, err := m.Products(c)
	if err != nil {
		return nil
	}
	return byActivation(ps, activationID)
}

func byActivation(ps []licensing.Product, id string) *licensing.Product {
	for i := range ps {
		if strings.EqualFold(ps[i].SKUID, id) {
			return &ps[i]
		}
	}
	return nil
}

func byKey(ps []licensing.Product, app, partial string) *licensing.Product {
	for i := range ps {
		if strings.EqualFold(ps[i].ApplicationID, app) && strings.EqualFold(ps[i].PartialKey, partial) {
			return &ps[i]
		}
	}
	return nil
}
