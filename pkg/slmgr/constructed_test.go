package slmgr

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// constructed reads a hand-written output of testdata/constructed (see
// its SOURCES.md: written from the script sources, not real).
func constructed(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "constructed", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestConstructed parses outputs written from slmgr.vbs and ospp.vbs for
// lines no real sample shows, and checks the fields they state.
func TestConstructed(t *testing.T) {
	noIDs := func(t *testing.T, res *Result) {
		p := res.Products[0]
		if p.SKUID != "" || p.ExtendedPID != "" || p.ApplicationID != "" {
			t.Errorf("/dli prints no IDs of the product; got sku %q pid %q app %q", p.SKUID, p.ExtendedPID, p.ApplicationID)
		}
		if len(res.Unknown) != 0 {
			t.Errorf("unknown lines: %v", res.Unknown)
		}
	}
	cases := []classCase{
		{name: "AD-based activation block", text: constructed(t, "dli-ws2016-adba-activated.txt"), format: FormatSlmgr,
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "N69G4", grace: mins(259180)}},
			check: func(t *testing.T, res *Result) {
				noIDs(t, res)
				if p := res.Products[0]; p.ADActivation != "WS2016-AO" || p.KMS != nil {
					t.Errorf("got activation object %q kms %+v, want WS2016-AO and no KMS", p.ADActivation, p.KMS)
				}
			}},
		{name: "token-based activation block", text: constructed(t, "dli-win10-token-activated.txt"),
			want:  []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "NPPR9"}},
			check: noIDs},
		{name: "AVMA guest block", text: constructed(t, "dli-ws2019-avma.txt"),
			want:  []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelAVMA, status: licensing.StatusLicensed, key: "6XBNX", grace: mins(10079)}},
			check: noIDs},
		{name: "KMS client block, labels of a language without strings", text: constructed(t, "dli-kmsclient-labels-unknown-language.txt"),
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "W269N", grace: mins(259197)}},
			check: func(t *testing.T, res *Result) {
				p := res.Products[0]
				if p.SKUID != "" || p.ExtendedPID != "" {
					t.Errorf("/dli prints no IDs of the product; got sku %q pid %q", p.SKUID, p.ExtendedPID)
				}
				if k := p.KMS; k == nil || k.HostExtendedPID != "06401-00206-271-123456-03-1031-9600.0000-1232014" ||
					k.ClientMachineID != "7b2d4ed8-1a4c-4a2b-9c32-1d7f4e2b3c4d" || k.DiscoveredHost != "kms01.factory.local" {
					t.Errorf("kms: got %+v", k)
				}
			}},
		{name: "AD block, labels of a language without strings", text: constructed(t, "dli-adba-labels-unknown-language.txt"),
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "W269N"}},
			check: func(t *testing.T, res *Result) {
				p := res.Products[0]
				if p.SKUID != "" || p.ExtendedPID != "" || p.KMS != nil {
					t.Errorf("got sku %q pid %q kms %+v, want none: they are the activation object's", p.SKUID, p.ExtendedPID, p.KMS)
				}
				if p.ADActivation != "WS2016-AO" {
					t.Errorf("activation object: got %q, want WS2016-AO (from its DN)", p.ADActivation)
				}
			}},
		{name: "a name wrapped three times at 80 columns", text: constructed(t, "xpr-win10-esu-addon-wrapped80.txt"), format: FormatXpr,
			want: []wantProduct{{kind: licensing.KindWindows, name: "Windows(R), Professional edition", status: licensing.StatusLicensed},
				{kind: licensing.KindWindows, status: licensing.StatusLicensed, name: "Windows(R), Client-ESU-Year1 add-on for Education,EducationN,Enterprise,EnterpriseN," +
					"Professional,ProfessionalEducation,ProfessionalEducationN,ProfessionalN,ProfessionalWorkstation,ProfessionalWorkstationN," +
					"ServerRdsh,Core,CoreN,CoreCountrySpecific,CoreSingleLanguage,IoTEnterprise,PPIPro"}},
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 0 {
					t.Errorf("unknown lines: %v", res.Unknown)
				}
			}},
		{name: "an ESU add-on listed before the primary product", text: constructed(t, "dli-win10-esu-addon-first.txt"),
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelMAK, key: "4C6R8"},
				{kind: licensing.KindWindows, name: "Windows(R), Professional edition", channel: licensing.ChannelOEMDM, key: "3V66T"}},
			check: func(t *testing.T, res *Result) {
				if !res.Products[0].IsAddon || res.Products[1].IsAddon {
					t.Errorf("add-on: got %v %v, want true false", res.Products[0].IsAddon, res.Products[1].IsAddon)
				}
				s := licensing.Snapshot{Products: res.Products}
				if p := s.PrimaryWindows(); p == nil || p.PartialKey != "3V66T" {
					t.Errorf("primary Windows product: got %+v, want the one with key 3V66T", p)
				}
			}},
		{name: "ospp /dstatusall: SKUs without a key are not in use", text: constructed(t, "ospp-dstatusall-o14-kms-and-keyless-skus.txt"), format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, name: "Office 14, OfficeProPlus-KMS_Client edition", channel: licensing.ChannelGVLK,
				status: licensing.StatusLicensed, key: "6F7TH", grace: mins(259193)}},
			check: func(t *testing.T, res *Result) {
				if !containsString(res.Notes, "skipped 2 licenses not in use") {
					t.Errorf("notes %v", res.Notes)
				}
			}},
		{name: "ospp AD-based activation and an informational code", text: constructed(t, "ospp-dstatus-o16-adba-info-only-code.txt"), format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "WFG99",
				grace: mins(259193), reason: 0x4004F040}},
			check: func(t *testing.T, res *Result) {
				if p := res.Products[0]; p.ADActivation != "O16-AO" || p.KMS != nil || len(res.Unknown) != 0 {
					t.Errorf("got activation object %q kms %+v unknown %v", p.ADActivation, p.KMS, res.Unknown)
				}
			}},
		{name: "ospp KMS override and lookup domain", text: constructed(t, "ospp-dstatus-o16-kms-override-lookup-domain.txt"), format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, status: licensing.StatusOOBGrace, key: "WFG99", grace: mins(43199), reason: 0x4004F00C}},
			check: func(t *testing.T, res *Result) {
				k := res.Products[0].KMS
				if k == nil || k.ConfiguredHost != "10.0.0.5" || k.ConfiguredPort != 1688 || k.LookupDomain != "factory.local" || len(res.Unknown) != 0 {
					t.Errorf("kms %+v unknown %v", k, res.Unknown)
				}
			}},
		{name: "ospp /dinstid", text: constructed(t, "ospp-dinstid-o14-mak.txt"), format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, name: "Office 14, OfficeProPlus-MAK edition"}},
			check: func(t *testing.T, res *Result) {
				if iid := res.Products[0].OfflineInstallationID; iid != "012345678901234567890123456789012345678901234567890123" {
					t.Errorf("installation ID %q", iid)
				}
			}},
		{name: "ospp /actcid success", text: constructed(t, "ospp-actcid-o14-mak.txt"), format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, name: "Office 14, OfficeProPlus-MAK edition", status: licensing.StatusLicensed}}},
		{name: "slmgr /ato: non-genuine notification", text: constructed(t, "ato-win7-nongenuine-notification.txt"),
			want: []wantProduct{{kind: licensing.KindWindows, status: licensing.StatusNotification, reason: 0xC004F200, sku: "b92e9980-b9d5-4821-9c94-140f632f6312"}}},
		{name: "slmgr /ato: non-genuine grace", text: constructed(t, "ato-win10-nongenuine-grace.txt"),
			want: []wantProduct{{kind: licensing.KindWindows, status: licensing.StatusNonGenuineGrace}}},
	}
	runClassCases(t, cases)
}

// TestLocalizedTrustedTime: slmgr.vbs prints the trusted time with
// L_MsgCurrentTrustedTime, the key a localized slmgr.ini gives.
func TestLocalizedTrustedTime(t *testing.T) {
	ini := "[Strings]\r\nL_MsgProductName=\"名前: \"\r\nl_msgcurrenttrustedtime=\"信頼済み時刻: \"\r\n" // wording made up; any case, as slmgr.vbs reads keys
	s, err := ParseStrings([]byte(ini), "0411")
	if err != nil {
		t.Fatal(err)
	}
	res, err := Parse([]byte("名前: Windows(R), Professional edition\r\n信頼済み時刻: 2026/11/24 9:30:00\r\n"), Options{Strings: []*Strings{s}})
	if err != nil {
		t.Fatal(err)
	}
	if res.TrustedTime != "2026/11/24 9:30:00" {
		t.Errorf("trusted time: got %q, want 2026/11/24 9:30:00", res.TrustedTime)
	}
}
