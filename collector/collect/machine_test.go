//go:build !windows

package collect

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// win7Unactivated is a Windows 7 MAK and an Office 2010 retail license,
// neither activated, with their Installation IDs: what a return file is
// for.
func win7Unactivated() *licensing.Snapshot {
	return &licensing.Snapshot{
		Services: []licensing.Service{{Kind: licensing.KindWindows, Version: "6.1.7601.17514"}, {Kind: licensing.KindOffice, Version: "14.0.7015.1000"}},
		Products: []licensing.Product{
			{Kind: licensing.KindWindows, Class: licensing.ClassSPP, ApplicationID: licensing.AppWindows, SKUID: "b92e9980-b9d5-4821-9c94-140f632f6312",
				Name: "Windows(R) 7, Professional edition", PartialKey: "J9YG3", Status: licensing.StatusNotification, Channel: licensing.ChannelMAK,
				OfflineInstallationID: strings.Repeat("0123456", 9), ExtendedPID: "00371-00170-000-000000-03-1041-7601.0000-0902012"},
			{Kind: licensing.KindOffice, Class: licensing.ClassOSPP, ApplicationID: licensing.AppOffice14, SKUID: "6f327760-8c5c-417c-9b61-836a98287e0c",
				Name: "Office 14, OfficeProPlus-Retail edition", PartialKey: "M4QJX", Status: licensing.StatusNotification, Channel: licensing.ChannelRetail,
				OfflineInstallationID: strings.Repeat("765432", 9)},
		},
	}
}

// TestSimulatedDeposit: DepositOfflineConfirmationId as documented, each
// answer through the Machine that the collector uses on a live WMI.
func TestSimulatedDeposit(t *testing.T) {
	win := win7Unactivated().Products[0]
	iid := win.OfflineInstallationID
	tests := []struct {
		name    string
		id, cid string
		iid     string
		fail    map[string]uint32
		code    uint32 // 0: deposited
	}{
		{"CID issued for the IID: activated", win.SKUID, SimulatedCID(iid), iid, nil, 0},
		{"CID issued for another IID", win.SKUID, SimulatedCID(strings.Repeat("1", 63)), iid, nil, 0xC004F031},
		{"CID of 47 digits", win.SKUID, SimulatedCID(iid)[1:], iid, nil, 0xC004F04D},
		{"IID not the product's", win.SKUID, SimulatedCID(iid), strings.Repeat("2", 63), nil, 0xC004F04D},
		{"no such product", "00000000-0000-0000-0000-000000000000", SimulatedCID(iid), iid, nil, 0x80041002},
		{"not an administrator", win.SKUID, SimulatedCID(iid), iid, map[string]uint32{"DepositOfflineConfirmationId": 0x80070005}, 0x80070005},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim := Simulate(win7Unactivated())
			sim.Fail = tc.fail
			m := NewMachine(sim, sim)
			err := m.DepositOfflineConfirmationID(licensing.ClassSPP, tc.id, tc.iid, tc.cid)
			code, _ := activation.Code(err)
			if code != tc.code || (err == nil) != (tc.code == 0) {
				t.Fatalf("got %v (0x%08X), want 0x%08X", err, code, tc.code)
			}
			ps, err := m.Products(licensing.ClassSPP)
			if err != nil || len(ps) != 1 {
				t.Fatalf("products %v %v", ps, err)
			}
			if activated := activation.Activated(&ps[0]); activated != (tc.code == 0) {
				t.Errorf("activated: %v", activated)
			}
			if want := `DepositOfflineConfirmationId SoftwareLicensingProduct.ID="` + tc.id + `"`; sim.Calls[0] != want {
				t.Errorf("called %q, want %q", sim.Calls[0], want)
			}
		})
	}
}

// TestApplySimulated runs a return file's items through activation.Apply
// on the simulated machine: the Windows CID applies, the Office one (for
// an IID taken before a hardware change) is refused, and a second run
// applies nothing.
func TestApplySimulated(t *testing.T) {
	sim := Simulate(win7Unactivated())
	m := NewMachine(sim, sim)
	win, off := sim.Snapshot().Products[0], sim.Snapshot().Products[1]
	items := []activation.Item{
		{ID: strings.Repeat("1", 32), Return: strings.Repeat("f", 32), ApplicationID: win.ApplicationID, ActivationID: win.SKUID, Class: licensing.ClassSPP,
			IID: win.OfflineInstallationID, CID: SimulatedCID(win.OfflineInstallationID)},
		{ID: strings.Repeat("2", 32), Return: strings.Repeat("f", 32), ApplicationID: off.ApplicationID, ActivationID: off.SKUID, Class: licensing.ClassOSPP,
			IID: strings.Repeat("9", 54), CID: SimulatedCID(strings.Repeat("9", 54))},
	}
	now := func() time.Time { return time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC) }
	out := activation.Apply(m, items, now)
	if out[0].Result != activation.Applied || out[0].StatusAfter != licensing.StatusLicensed {
		t.Errorf("windows: %+v", out[0])
	}
	if out[1].Result != activation.Refused || out[1].Why != activation.WhyIIDChanged || out[1].CurrentIID != off.OfflineInstallationID {
		t.Errorf("office: %+v", out[1])
	}
	for _, c := range sim.Calls {
		if strings.Contains(c, "OfficeSoftwareProtection") {
			t.Errorf("the refused item called %s", c)
		}
	}
	// Nothing twice: the Windows product is activated now.
	sim.Calls = nil
	again := activation.Apply(m, items[:1], now)
	if again[0].Result != activation.AlreadyActivated || len(sim.Calls) != 0 {
		t.Errorf("second run: %+v, calls %v", again[0], sim.Calls)
	}
}

func TestSimulatedKey(t *testing.T) {
	sim := Simulate(win7Unactivated())
	m := NewMachine(sim, sim)
	if err := m.InstallProductKey(licensing.ClassSPP, "not a key"); !hasCode(err, 0xC004F050) {
		t.Errorf("bad key: %v", err)
	}
	before := sim.Snapshot().Products[0].OfflineInstallationID
	if err := m.InstallProductKey(licensing.ClassSPP, "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY"); err != nil {
		t.Fatal(err)
	}
	p := sim.Snapshot().Products[0]
	if p.PartialKey != "VW7XY" || p.OfflineInstallationID == before || len(p.OfflineInstallationID) != 63 || p.Status != licensing.StatusOOBGrace {
		t.Errorf("after the key: %+v", p)
	}
	if err := m.RefreshLicenseStatus(licensing.ClassSPP); err != nil {
		t.Error(err)
	}
	for _, c := range sim.Calls {
		if strings.Contains(c, "PQ6RT") {
			t.Errorf("a call names the key: %s", c)
		}
	}
	if want := `InstallProductKey SoftwareLicensingService.Version="6.1.7601.17514"`; sim.Calls[1] != want {
		t.Errorf("called %q, want %q", sim.Calls[1], want)
	}
}

func TestMachineWithoutWMI(t *testing.T) {
	m := NewMachine(nil, nil)
	if _, err := m.Products(licensing.ClassSPP); !errors.Is(err, errNoWMI) {
		t.Error(err)
	}
	if err := m.DepositOfflineConfirmationID(licensing.ClassSPP, "x", "1", "2"); !errors.Is(err, errNoWMI) {
		t.Error(err)
	}
}

func hasCode(err error, want uint32) bool {
	code, ok := activation.Code(err)
	return ok && code == want
}
