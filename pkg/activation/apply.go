package activation

import (
	"errors"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

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
		// A product of the application with the key's last five
		// characters has it already: it is not installed again.
		o.KeyPartial = Partial(it.Key)
		q := byKey(ps, it.ApplicationID, o.KeyPartial)
		if q == nil && p != nil {
			if err := m.InstallProductKey(it.Class, it.Key); err != nil {
				return o.fail(Refused, WhyMethodFailure, err)
			}
			m.RefreshLicenseStatus(it.Class)
			ps, err = m.Products(it.Class)
			if q = byKey(ps, it.ApplicationID, o.KeyPartial); q == nil {
				return o.fail(Failed, WhyNoKeyProduct, errKeyNotShown)
			}
		}
		if q != nil {
			o.Result, o.StatusAfter, o.NewActivationID, o.Message = KeyInstalled, q.Status, q.SKUID, "product key installed"
			o.NewIID, _ = NormalizeIID(q.OfflineInstallationID)
			if p = q; it.CID == "" {
				return o
			}
		}
	}
	if p == nil {
		return o.fail(Refused, WhyNoProduct, errNoProduct)
	}
	if Activated(p) {
		o.Result, o.StatusAfter, o.Message = AlreadyActivated, p.Status, "already activated: nothing applied"
		return o
	}
	if o.CurrentIID, _ = NormalizeIID(p.OfflineInstallationID); o.CurrentIID != it.IID {
		return o.fail(Refused, WhyIIDChanged, ErrIIDChanged)
	}
	if err := m.DepositOfflineConfirmationID(it.Class, p.SKUID, o.CurrentIID, it.CID); err != nil {
		return o.fail(Refused, WhyMethodFailure, err)
	}
	// The deposit took; the status follows a refresh. The status read
	// back decides, whatever the refresh answered.
	m.RefreshLicenseStatus(it.Class)
	ps, err = m.Products(it.Class)
	if p = byActivation(ps, p.SKUID); p == nil {
		return o.fail(Failed, WhyNotReadable, errNotReadBack)
	}
	if o.StatusAfter = p.Status; !Activated(p) {
		return o.fail(Failed, WhyNotActivated, errNotActivated)
	}
	o.Result, o.Message = Applied, "Confirmation ID deposited: activated"
	return o
}

// Why the machine was left as it was, or is not activated, when no
// HRESULT says.
var (
	errNoProduct    = errors.New("no installed product has the item's activation ID")
	errKeyNotShown  = errors.New("the key was installed, but no product shows it")
	errNotReadBack  = errors.New("deposited, but the product could not be read back")
	errNotActivated = errors.New("deposited, but the product is not activated")
)

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
