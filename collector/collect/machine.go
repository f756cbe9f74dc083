package collect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// Methods runs WMI methods of root\cimv2, what applying a return file
// needs beyond queries. Exec calls method on the object at path
// (`SoftwareLicensingProduct.ID="…"`) with its in-parameters, all
// strings, as name, value, name, value…. The error of a failed method
// carries its HRESULT: it has a method HRESULT() uint32
// (activation.Code reads it).
type Methods interface {
	Exec(path, method string, in ...string) error
}

// Machine is the machine's licensing platforms through WMI, as applying
// a return file uses them (activation.Machine): products read again live,
// and the methods of DOMAIN.md "The return path" on SPP and OSPP. It
// changes the machine only through those methods.
type Machine struct {
	wmi      WMI
	methods  Methods
	services map[licensing.Class]string // the service's object path
}

// NewMachine returns the Machine of a WMI source. Live sources do both;
// Simulate does it over a stored snapshot.
func NewMachine(w WMI, m Methods) *Machine {
	return &Machine{wmi: w, methods: m, services: map[licensing.Class]string{}}
}

// errNoWMI is what every call answers when WMI could not be started.
var errNoWMI = errors.New("WMI is not available on this machine")

// Products reads the installed products of class c again.
func (m *Machine) Products(c licensing.Class) ([]licensing.Product, error) {
	if m.wmi == nil {
		return nil, errNoWMI
	}
	rows, _, err := m.wmi.Query(cimv2, c.ProductClass(), []string{"ID", "ApplicationID", "Name", "Description", "PartialProductKey",
		"ProductKeyID", "OfflineInstallationId", "LicenseStatus", "LicenseStatusReason", "GracePeriodRemaining"}, "PartialProductKey IS NOT NULL")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", c.ProductClass(), err)
	}
	var out []licensing.Product
	for _, r := range rows {
		if p, ok := product(row(r)); ok {
			p.Class = c
			out = append(out, p)
		}
	}
	return out, nil
}

// InstallProductKey calls the service's InstallProductKey.
func (m *Machine) InstallProductKey(c licensing.Class, key string) error {
	return m.onService(c, "InstallProductKey", "ProductKey", key)
}

// RefreshLicenseStatus calls the service's RefreshLicenseStatus.
func (m *Machine) RefreshLicenseStatus(c licensing.Class) error {
	return m.onService(c, "RefreshLicenseStatus")
}

// DepositOfflineConfirmationID calls DepositOfflineConfirmationId of the
// product whose Activation ID is activationID.
func (m *Machine) DepositOfflineConfirmationID(c licensing.Class, activationID, iid, cid string) error {
	if m.methods == nil {
		return errNoWMI
	}
	if !pathSafe(activationID) {
		return fmt.Errorf("activation ID %q cannot be named in a WMI path", activationID)
	}
	path := c.ProductClass() + `.ID="` + activationID + `"`
	return m.methods.Exec(path, "DepositOfflineConfirmationId", "InstallationId", iid, "ConfirmationId", cid)
}

func (m *Machine) onService(c licensing.Class, method string, in ...string) error {
	if m.methods == nil || m.wmi == nil {
		return errNoWMI
	}
	path, ok := m.services[c]
	if !ok {
		// The service's key is its Version, as slmgr.vbs reads it.
		rows, _, err := m.wmi.Query(cimv2, c.ServiceClass(), []string{"Version"}, "")
		v := ""
		if len(rows) > 0 {
			v = row(rows[0]).str("Version")
		}
		if !pathSafe(v) {
			return fmt.Errorf("%s: no instance with a version (%v)", c.ServiceClass(), err)
		}
		path = c.ServiceClass() + `.Version="` + v + `"`
		m.services[c] = path
	}
	return m.methods.Exec(path, method, in...)
}

// pathSafe reports whether s can be quoted in a WMI object path.
func pathSafe(s string) bool { return s != "" && !strings.ContainsAny(s, "\"\\\x00") }
