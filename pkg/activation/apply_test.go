package activation

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// machine is a Machine in memory: its products, the calls made, and an
// error per method.
type machine struct {
	products []licensing.Product
	fail     map[string]error
	calls    []string
	keyed    licensing.Product // what InstallProductKey turns the product into
	deposit  func(iid, cid string) bool
}

func (m *machine) Products(c licensing.Class) ([]licensing.Product, error) {
	m.calls = append(m.calls, "Products")
	if err := m.fail["Products"]; err != nil {
		return nil, err
	}
	return append([]licensing.Product(nil), m.products...), nil
}

func (m *machine) InstallProductKey(c licensing.Class, key string) error {
	m.calls = append(m.calls, "InstallProductKey "+Partial(key))
	if err := m.fail["InstallProductKey"]; err != nil {
		return err
	}
	m.products[0] = m.keyed
	return nil
}

func (m *machine) DepositOfflineConfirmationID(c licensing.Class, id, iid, cid string) error {
	m.calls = append(m.calls, "Deposit "+iid[:7])
	if err := m.fail["Deposit"]; err != nil {
		return err
	}
	if m.deposit == nil || m.deposit(iid, cid) {
		m.products[0].Status = licensing.StatusLicensed
	}
	return nil
}

func (m *machine) RefreshLicenseStatus(c licensing.Class) error {
	m.calls = append(m.calls, "Refresh")
	return m.fail["Refresh"]
}

func TestApply(t *testing.T) {
	zero := 0
	base := licensing.Product{SKUID: "b92e9980-b9d5-4821-9c94-140f632f6312", ApplicationID: licensing.AppWindows, PartialKey: "J9YG3",
		OfflineInstallationID: testIID, Status: licensing.StatusNotification}
	keyed := licensing.Product{SKUID: "c8cca3ca-bea8-4f6f-87e0-4d050ce8f0a9", ApplicationID: licensing.AppWindows, PartialKey: "VW7XY",
		OfflineInstallationID: strings.Repeat("7654321", 9), Status: licensing.StatusOOBGrace}
	item := testReturn().Items[0]
	item.Return = "00112233445566778899aabbccddeeff"
	keyItem := item
	keyItem.CID, keyItem.Key = "", "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY"
	tests := []struct {
		name     string
		item     Item
		products []licensing.Product
		fail     map[string]error
		deposit  func(iid, cid string) bool
		result   Result
		why      string
		hresult  uint32
		calls    string
	}{
		{"applied", item, []licensing.Product{base}, nil, nil, Applied, "", 0, "Products Deposit 0123456 Refresh Products"},
		{"already activated: nothing applied twice", item, []licensing.Product{func() licensing.Product {
			p := base
			p.Status, p.GraceMinutes = licensing.StatusLicensed, &zero
			return p
		}()}, nil, nil, AlreadyActivated, "", 0, "Products"},
		{"the IID changed", item, []licensing.Product{func() licensing.Product {
			p := base
			p.OfflineInstallationID = strings.Repeat("1", 63)
			return p
		}()}, nil, nil, Refused, WhyIIDChanged, 0, "Products"},
		{"no such product", item, []licensing.Product{keyed}, nil, nil, Refused, WhyNoProduct, 0, "Products"},
		{"IID and CID do not match", item, []licensing.Product{base}, map[string]error{"Deposit": &HRESULTError{"DepositOfflineConfirmationId", 0xC004F031}},
			nil, Refused, "", 0xC004F031, "Products Deposit 0123456"},
		{"deposited, not activated", item, []licensing.Product{base}, nil, func(string, string) bool { return false }, Failed, WhyNotActivated, 0,
			"Products Deposit 0123456 Refresh Products"},
		{"products unreadable", item, nil, map[string]error{"Products": errors.New("WMI is not available")}, nil, Failed, WhyNotReadable, 0, "Products"},
		{"key installed", keyItem, []licensing.Product{base}, nil, nil, KeyInstalled, "", 0, "Products InstallProductKey VW7XY Refresh Products"},
		{"key already installed", keyItem, []licensing.Product{keyed}, nil, nil, KeyInstalled, "", 0, "Products"},
		{"key refused", keyItem, []licensing.Product{base}, map[string]error{"InstallProductKey": &HRESULTError{"InstallProductKey", 0xC004F050}},
			nil, Refused, "", 0xC004F050, "Products InstallProductKey VW7XY"},
		{"key and CID (local reactivation)", func() Item {
			it := keyItem
			it.CID, it.IID = testCID, keyed.OfflineInstallationID
			return it
		}(), []licensing.Product{base}, nil, nil, Applied, "", 0, "Products InstallProductKey VW7XY Refresh Products Deposit 7654321 Refresh Products"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := &machine{products: tc.products, fail: tc.fail, keyed: keyed, deposit: tc.deposit}
			at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
			out := Apply(m, []Item{tc.item}, func() time.Time { return at })
			o := out[0]
			if o.Result != tc.result || o.Why != tc.why || o.HRESULT != tc.hresult {
				t.Errorf("got %s %q %#x (%s), want %s %q %#x", o.Result, o.Why, o.HRESULT, o.Message, tc.result, tc.why, tc.hresult)
			}
			if got := strings.Join(m.calls, " "); got != tc.calls {
				t.Errorf("calls %q, want %q", got, tc.calls)
			}
			if o.ItemID != tc.item.ID || o.ReturnID != tc.item.Return || !o.At.Equal(at) {
				t.Errorf("outcome %+v", o)
			}
			if _, err := UnmarshalProofOf(t, out); err != nil {
				t.Errorf("proof does not read back: %v", err)
			}
			if strings.Contains(fmt.Sprintf("%+v", o), "PQ6RT") {
				t.Error("the outcome holds the key")
			}
		})
	}
}

// UnmarshalProofOf marshals outcomes and reads them back.
func UnmarshalProofOf(t *testing.T, out []Outcome) (*Proof, error) {
	t.Helper()
	b, err := MarshalProof(out)
	if err != nil {
		t.Fatal(err)
	}
	return UnmarshalProof(b)
}

func TestDecline(t *testing.T) {
	items := testReturn().For("hw:45F58D27-CDAD-F8FD-EA12-EAEF00D92BB4/JPA2130ABC")
	out := Decline(items, time.Now())
	if len(out) != 2 || out[0].Result != Declined || out[1].ReturnID != "00112233445566778899aabbccddeeff" {
		t.Errorf("%+v", out)
	}
}
