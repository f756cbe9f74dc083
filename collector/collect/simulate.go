//go:build !windows

package collect

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// Simulated is a machine's licensing platforms simulated over a stored
// snapshot, for replays (collector --snapshot) and tests: WMI queries of
// SoftwareLicensingProduct, OfficeSoftwareProtectionProduct and their
// services answer from the snapshot's products, and their methods change
// those products with the semantics Microsoft documents (DOMAIN.md "The
// return path"). Nothing on the machine running it changes.
//
// DepositOfflineConfirmationId answers WBEM_E_NOT_FOUND (0x80041002) for
// an Activation ID no installed product has; 0xC004F04D for an IID that
// is not digits or not the product's current one, or a CID that is not 48
// digits; 0xC004F031 for a CID that is not the one issued for the IID
// (here: SimulatedCID); and otherwise activates the product.
// InstallProductKey answers 0xC004F050 for a key out of shape, and
// otherwise gives the class's first product the key, a new IID and the
// initial grace status, as a new MAK does. Fail makes a method answer an
// HRESULT instead.
type Simulated struct {
	snapshot *licensing.Snapshot
	// Fail maps a method name to the HRESULT it answers.
	Fail map[string]uint32
	// Calls lists the methods called, in order, with the object.
	Calls []string
}

// Simulate returns the simulated licensing platforms of a copy of s.
func Simulate(s *licensing.Snapshot) *Simulated {
	c := *s
	c.Products = append([]licensing.Product(nil), s.Products...)
	return &Simulated{snapshot: &c}
}

// Snapshot returns the snapshot with the products as the methods left
// them: what a collection after applying a return file reads.
func (m *Simulated) Snapshot() *licensing.Snapshot { return m.snapshot }

func classOf(wmiClass string) licensing.Class {
	for _, c := range []licensing.Class{licensing.ClassSPP, licensing.ClassOSPP} {
		if strings.EqualFold(wmiClass, c.ProductClass()) || strings.EqualFold(wmiClass, c.ServiceClass()) {
			return c
		}
	}
	return ""
}

// Query answers the licensing classes from the snapshot; any other class
// is ErrNoClass.
func (m *Simulated) Query(ns, class string, props []string, where string) ([]map[string]interface{}, []string, error) {
	c := classOf(class)
	switch {
	case c == "":
		return nil, nil, fmt.Errorf("%w: %s (simulated)", ErrNoClass, class)
	case strings.EqualFold(class, c.ServiceClass()):
		version := "6.1.7601.17514"
		for _, s := range m.snapshot.Services {
			if s.Version != "" && (s.Kind == licensing.KindOffice) == (c == licensing.ClassOSPP) {
				version = s.Version
			}
		}
		return []map[string]interface{}{{"Version": version}}, nil, nil
	}
	var rows []map[string]interface{}
	for _, p := range m.snapshot.Products {
		if p.Class != c || p.PartialKey == "" {
			continue
		}
		r := map[string]interface{}{"ID": p.SKUID, "ApplicationID": p.ApplicationID, "Name": p.Name, "Description": p.Description,
			"PartialProductKey": p.PartialKey, "ProductKeyID": p.ExtendedPID, "OfflineInstallationId": p.OfflineInstallationID,
			"LicenseStatus": int64(p.Status.Number()), "LicenseStatusReason": int64(p.StatusReason)}
		if p.GraceMinutes != nil {
			r["GracePeriodRemaining"] = int64(*p.GraceMinutes)
		}
		rows = append(rows, r)
	}
	return rows, nil, nil
}

// Exec runs the licensing methods on the snapshot's products.
func (m *Simulated) Exec(path, method string, in ...string) error {
	m.Calls = append(m.Calls, method+" "+path)
	if code, ok := m.Fail[method]; ok {
		return &activation.HRESULTError{Method: method, Code: code}
	}
	arg := func(name string) string {
		for i := 0; i+1 < len(in); i += 2 {
			if in[i] == name {
				return in[i+1]
			}
		}
		return ""
	}
	class, key, _ := strings.Cut(path, ".")
	c := classOf(class)
	fail := func(code uint32) error { return &activation.HRESULTError{Method: method, Code: code} }
	switch {
	case c == "":
		return fail(0x80041002) // WBEM_E_NOT_FOUND
	case method == "RefreshLicenseStatus":
		return nil
	case method == "InstallProductKey":
		return m.install(c, arg("ProductKey"), fail)
	case method == "DepositOfflineConfirmationId":
		id := strings.Trim(strings.TrimPrefix(key, "ID="), `"`)
		return m.deposit(c, id, arg("InstallationId"), arg("ConfirmationId"), fail)
	}
	return fail(0x80041002)
}

func (m *Simulated) deposit(c licensing.Class, id, iid, cid string, fail func(uint32) error) error {
	p := m.product(c, id)
	if p == nil {
		return fail(0x80041002)
	}
	d, err := activation.NormalizeIID(iid)
	if err != nil || d != p.OfflineInstallationID {
		return fail(0xC004F04D)
	}
	if _, err := activation.NormalizeCID(cid); err != nil {
		return fail(0xC004F04D)
	}
	if cid != SimulatedCID(iid) {
		return fail(0xC004F031)
	}
	zero := 0
	p.Status, p.StatusRaw, p.StatusReason, p.ReasonText, p.GraceMinutes = licensing.StatusLicensed, "1", 0, "", &zero
	return nil
}

func (m *Simulated) install(c licensing.Class, key string, fail func(uint32) error) error {
	k, err := activation.NormalizeKey(key)
	if err != nil {
		return fail(0xC004F050)
	}
	for i := range m.snapshot.Products {
		p := &m.snapshot.Products[i]
		if p.Class != c || p.IsAddon {
			continue
		}
		grace := 30 * 24 * 60
		sum := sha256.Sum256([]byte(p.OfflineInstallationID + k))
		var iid strings.Builder
		for j := 0; iid.Len() < 63; j++ {
			iid.WriteString(strconv.Itoa(int(sum[j%len(sum)] % 10)))
		}
		p.PartialKey, p.OfflineInstallationID = activation.Partial(k), iid.String()
		p.Status, p.StatusRaw, p.GraceMinutes = licensing.StatusOOBGrace, "2", &grace
		return nil
	}
	return fail(0xC004F050)
}

func (m *Simulated) product(c licensing.Class, id string) *licensing.Product {
	for i := range m.snapshot.Products {
		if p := &m.snapshot.Products[i]; p.Class == c && strings.EqualFold(p.SKUID, id) && p.PartialKey != "" {
			return p
		}
	}
	return nil
}
