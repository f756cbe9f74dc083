package collect

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// fakeWMI answers from a table: class → rows; classes in missing are
// absent; errs fail.
type fakeWMI struct {
	rows    map[string][]map[string]interface{}
	lacks   map[string][]string // class → properties it lacks
	noClass map[string]bool
	errs    map[string]error
	asked   map[string][]string
}

func (f *fakeWMI) Query(ns, class string, props []string, where string) ([]map[string]interface{}, []string, error) {
	if f.asked == nil {
		f.asked = map[string][]string{}
	}
	f.asked[class] = props
	if f.noClass[class] {
		return nil, nil, fmt.Errorf("%w: %s", ErrNoClass, class)
	}
	if err := f.errs[class]; err != nil {
		return nil, nil, err
	}
	return f.rows[class], f.lacks[class], nil
}

type fakeRun struct {
	out  map[string][]byte // by the last path element of the script + first arg
	hang bool
	err  error
}

func (f *fakeRun) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	if f.hang {
		<-ctx.Done()
		return nil, ctx.Err()
	}
	script := winBase(args[2])
	return f.out[script+" "+args[3]], f.err
}

type fakeHost struct {
	files map[string][]byte
}

func (h fakeHost) SystemDir() string   { return `C:\Windows\Sysnative` }
func (h fakeHost) SystemDrive() string { return "C:" }
func (h fakeHost) OfficeDirs() []string {
	return []string{`C:\Program Files\Microsoft Office\Office14`, `C:\Program Files (x86)\Microsoft Office\Office14`}
}
func (h fakeHost) ReadFile(n string) ([]byte, error) {
	if b, ok := h.files[n]; ok {
		return b, nil
	}
	return nil, os.ErrNotExist
}
func (h fakeHost) Glob(p string) ([]string, error) {
	var out []string
	for n := range h.files {
		if strings.HasSuffix(n, `\slmgr.ini`) {
			out = append(out, n)
		}
	}
	return out, nil
}
func (h fakeHost) Exists(n string) bool                 { _, ok := h.files[n]; return ok }
func (h fakeHost) FirmwareTable(s string) (bool, error) { return s == "SLIC", nil }
func (h fakeHost) FirmwareType() string                 { return "BIOS" }
func (h fakeHost) Hostname() string                     { return "FALLBACK" }

var now = time.Date(2026, 11, 3, 8, 0, 0, 0, time.FixedZone("JST", 9*3600))

func win7WMI() *fakeWMI {
	return &fakeWMI{rows: map[string][]map[string]interface{}{
		"Win32_OperatingSystem": {{"Caption": "Microsoft Windows 7 Professional ", "Version": "6.1.7601", "BuildNumber": "7601",
			"OSLanguage": int64(1041), "CodeSet": "932", "CSName": "LINE1-PC", "InstallDate": "20130401093000.000000+540"}},
		"Win32_ComputerSystem":        {{"Manufacturer": "Dell Inc.", "Model": "OptiPlex 7010", "PartOfDomain": false, "Domain": "WORKGROUP"}},
		"Win32_BIOS":                  {{"SerialNumber": " 7XK2Q1S ", "ReleaseDate": "20120315000000.000000+000"}},
		"Win32_ComputerSystemProduct": {{"UUID": "4C4C4544-0042"}},
		"Win32_LogicalDisk":           {{"DeviceID": "C:", "FileSystem": "NTFS", "Size": "250059350016", "FreeSpace": "150000000000"}, {"DeviceID": "D:", "Size": "1000", "FreeSpace": "10"}},
		"Win32_EncryptableVolume":     {{"DriveLetter": "C:", "ProtectionStatus": int64(1), "ConversionStatus": int64(1)}},
		"SoftwareLicensingService":    {{"Version": "6.1.7601.17514", "KeyManagementServiceMachine": ""}},
		"SoftwareLicensingProduct": {{"ID": "b92e9980-b9d5-4821-9c94-140f632f6312", "ApplicationID": licensing.AppWindows,
			"Name": "Windows(R) 7, Professional edition", "Description": "Windows Operating System - Windows(R) 7, RETAIL channel",
			"PartialProductKey": "7F2QR", "LicenseStatus": int64(1), "GracePeriodRemaining": int64(0), "LicenseStatusReason": int64(0),
			"EvaluationEndDate": "16010101000000.000000-000", "LicenseIsAddon": false}},
	}}
}

func TestCollectWindows7(t *testing.T) {
	w := win7WMI()
	host := fakeHost{files: map[string][]byte{
		`C:\Windows\Sysnative\slmgr\0411\slmgr.ini`:           []byte("[Strings]\r\nL_MsgLicenseStatusLicensed_1=\"ライセンスされています\"\r\n"),
		`C:\Windows\Sysnative\slmgr\0409\slmgr.ini`:           []byte("[Strings]\r\n"),
		`C:\WindowsImageBackup`:                               nil,
		`C:\Program Files\Microsoft Office\Office14\ospp.vbs`: nil,
	}}
	run := &fakeRun{out: map[string][]byte{
		"slmgr.vbs /dlv":    []byte("Name: Windows(R) 7, Professional edition\r\nDescription: Windows Operating System - Windows(R) 7, RETAIL channel\r\nActivation ID: b92e9980-b9d5-4821-9c94-140f632f6312\r\nPartial Product Key: 7F2QR\r\nLicense Status: Licensed\r\n"),
		"slmgr.vbs /xpr":    []byte("Windows(R) 7, Professional edition:\r\n    The machine is permanently activated.\r\n"),
		"ospp.vbs /dstatus": []byte("---Processing--------------------------\r\n---------------------------------------\r\nSKU ID: 6f327760-8c5c-417c-9b61-836a98287e0c\r\nLICENSE NAME: Office 14, OfficeProPlus-Retail edition\r\nLICENSE DESCRIPTION: Office 14, RETAIL channel\r\nLICENSE STATUS:  ---NOTIFICATIONS---\r\nERROR CODE: 0xC004F009\r\nLast 5 characters of installed product key: M4QJX\r\n---------------------------------------\r\n---Exiting-----------------------------\r\n"),
	}}
	var steps []string
	progress := func(st Step) { steps = append(steps, fmt.Sprintf("%s %s %s", st.Part, st.Command, st.Limit)) }
	res, err := Collect(context.Background(), Sources{WMI: w, Run: run, Host: host, Now: func() time.Time { return now }, Timeout: 90 * time.Second, Progress: progress},
		licensing.Context{Site: "Nagoya", Line: "L1", Asset: "A1"})
	if err != nil {
		t.Fatal(err)
	}
	// Each step is announced before it starts, a script with its limit.
	wantSteps := []string{"system  0s", "licenses  0s", "script slmgr.vbs /dlv all 1m30s", "script slmgr.vbs /xpr 1m30s",
		`script ospp.vbs /dstatus (C:\Program Files\Microsoft Office\Office14) 1m30s`}
	if got, want := strings.Join(steps, "\n"), strings.Join(wantSteps, "\n"); got != want {
		t.Errorf("progress:\n%s\nwant\n%s", got, want)
	}
	s := res.Snapshot
	if s.OS.Caption != "Microsoft Windows 7 Professional" || s.OS.Hostname != "LINE1-PC" || s.Hardware.Serial != "7XK2Q1S" {
		t.Errorf("OS/hardware: %+v %+v", s.OS, s.Hardware)
	}
	if s.OS.InstallDate == nil || s.OS.InstallDate.Format(time.RFC3339) != "2013-04-01T09:30:00+09:00" {
		t.Errorf("install date %v", s.OS.InstallDate)
	}
	if !s.Context.Collected.Equal(now) || s.Context.TimeZone != "JST" {
		t.Errorf("context %+v", s.Context)
	}
	if s.Hardware.SLIC == nil || !*s.Hardware.SLIC || s.Hardware.FirmwareKey {
		t.Errorf("firmware tables: %+v", s.Hardware)
	}
	if s.Volumes[0].BitLocker != "on" || !s.Volumes[0].System || s.Volumes[0].SizeBytes != 250059350016 {
		t.Errorf("volumes %+v", s.Volumes)
	}
	if len(s.ImageBackups) != 1 {
		t.Errorf("image backups %v", s.ImageBackups)
	}
	// Windows 7: no Windows 8 property may be asked for.
	for _, p := range w.asked["SoftwareLicensingProduct"] {
		for _, p8 := range productProps8 {
			if p == p8 {
				t.Errorf("asked Windows 7 for %s", p)
			}
		}
	}
	if len(s.Products) != 2 {
		t.Fatalf("products %+v", s.Products)
	}
	win, off := s.Products[0], s.Products[1]
	if win.Source != licensing.SourceWMI || win.Channel != licensing.ChannelRetail || win.Status != licensing.StatusLicensed || win.EvaluationEnd != nil {
		t.Errorf("windows %+v", win)
	}
	if off.Source != licensing.SourceOSPP || off.Kind != licensing.KindOffice || off.Status != licensing.StatusNotification || off.StatusReason != 0xC004F009 {
		t.Errorf("office from ospp text %+v", off)
	}
	// Where a Confirmation ID would be deposited: SPP for what WMI's
	// SoftwareLicensingProduct gave, OSPP for what ospp.vbs printed.
	if win.Class != licensing.ClassSPP || off.Class != licensing.ClassOSPP {
		t.Errorf("classes: windows %q, office %q; want SPP, OSPP", win.Class, off.Class)
	}
	var names []string
	for _, m := range res.Members {
		names = append(names, m.Name)
	}
	if got := strings.Join(names, " "); got != "device.json slmgr/0411/slmgr.ini raw/slmgr-dlv.txt raw/slmgr-xpr.txt raw/ospp-1.txt" {
		t.Errorf("members %s", got)
	}
	if len(s.Errors) != 0 {
		t.Errorf("errors %+v", s.Errors)
	}
}

func TestCollectWindows10Props(t *testing.T) {
	w := win7WMI()
	w.rows["SoftwareLicensingService"] = []map[string]interface{}{{"Version": "10.0.19041.1", "OA3xOriginalProductKeyDescription": "[4.0] Professional OEM:DM"}}
	w.rows["SoftwareLicensingProduct"][0]["ProductKeyChannel"] = "OEM:DM"
	res, _ := Collect(context.Background(), Sources{WMI: w, Now: func() time.Time { return now }}, licensing.Context{})
	if !strings.Contains(strings.Join(w.asked["SoftwareLicensingProduct"], ","), "ProductKeyChannel") {
		t.Error("Windows 10 property set not used")
	}
	for _, p := range w.asked["SoftwareLicensingService"] {
		if p == "OA3xOriginalProductKey" {
			t.Fatal("asked for the firmware product key")
		}
	}
	if h := res.Snapshot.Hardware; !h.FirmwareKey || h.FirmwareKeyDescription != "[4.0] Professional OEM:DM" {
		t.Errorf("firmware key %+v", h)
	}
	if res.Snapshot.Products[0].Channel != licensing.ChannelOEMDM {
		t.Errorf("channel %s", res.Snapshot.Products[0].Channel)
	}
}

// TestActivationTypes: on Windows 8 and later WMI gives the volume
// activation type configured (VLActivationTypeEnabled, slmgr's
// "Configured Activation Type") and the type used for the last
// activation (VLActivationType); each goes to its own field, so that a
// KMS client merely configured for AD is not read as AD-activated.
func TestActivationTypes(t *testing.T) {
	tests := []struct {
		name          string
		enabled, used int64
	}{
		{"configured AD, activated by KMS", 1, 2},
		{"configured All, activated by AD", 0, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := win7WMI()
			w.rows["SoftwareLicensingService"] = []map[string]interface{}{{"Version": "10.0.19041.1"}}
			r := w.rows["SoftwareLicensingProduct"][0]
			r["Description"], r["ProductKeyChannel"] = "Windows(R) Operating System, VOLUME_KMSCLIENT channel", "Volume:GVLK"
			r["VLActivationTypeEnabled"], r["VLActivationType"] = tc.enabled, tc.used
			res, _ := Collect(context.Background(), Sources{WMI: w, Now: func() time.Time { return now }}, licensing.Context{})
			if !strings.Contains(strings.Join(w.asked["SoftwareLicensingProduct"], ","), "VLActivationTypeEnabled") {
				t.Errorf("VLActivationTypeEnabled not asked for: %v", w.asked["SoftwareLicensingProduct"])
			}
			p := res.Snapshot.Products[0]
			if p.VLActivationTypeEnabled == nil || int64(*p.VLActivationTypeEnabled) != tc.enabled {
				t.Errorf("configured type: got %v, want %d", p.VLActivationTypeEnabled, tc.enabled)
			}
			if p.VLActivationType == nil || int64(*p.VLActivationType) != tc.used {
				t.Errorf("type used: got %v, want %d", p.VLActivationType, tc.used)
			}
		})
	}
}

// TestErrorPaths: every failing source is recorded and collection goes on.
func TestErrorPaths(t *testing.T) {
	t.Run("WMI errors and missing classes", func(t *testing.T) {
		w := win7WMI()
		w.errs = map[string]error{"Win32_BIOS": errors.New("0x80041001 generic failure"), "Win32_EncryptableVolume": errors.New("access denied")}
		w.noClass = map[string]bool{"OfficeSoftwareProtectionProduct": true, "OfficeSoftwareProtectionService": true}
		w.lacks = map[string][]string{"Win32_ComputerSystem": {"Workgroup"}}
		res, _ := Collect(context.Background(), Sources{WMI: w, Now: func() time.Time { return now }}, licensing.Context{})
		s := res.Snapshot
		if len(s.Errors) != 2 || s.Errors[0].What != "Win32_BIOS" || s.Errors[1].What != "Win32_EncryptableVolume" {
			t.Errorf("errors %+v", s.Errors)
		}
		want := "OfficeSoftwareProtectionProduct OfficeSoftwareProtectionService Win32_ComputerSystem.Workgroup"
		if got := strings.Join(s.Missing, " "); got != want {
			t.Errorf("missing %q, want %q", got, want)
		}
		if len(s.Products) != 1 || s.OS.Caption == "" {
			t.Errorf("good data lost: %+v", s)
		}
	})
	t.Run("no WMI: products from slmgr text", func(t *testing.T) {
		data, err := os.ReadFile("../../pkg/slmgr/testdata/samples/slmgr/win10-pro-oemdm-dli-checkmk.txt")
		if err != nil {
			t.Fatal(err)
		}
		run := &fakeRun{out: map[string][]byte{"slmgr.vbs /dlv": data}}
		res, _ := Collect(context.Background(), Sources{Run: run, Host: fakeHost{}, WMIErr: errors.New("SWbemLocator: class not registered"),
			Now: func() time.Time { return now }}, licensing.Context{})
		s := res.Snapshot
		if len(s.Products) != 1 || s.Products[0].Source != licensing.SourceSlmgr || s.Products[0].Channel != licensing.ChannelOEMDM {
			t.Fatalf("products %+v", s.Products)
		}
		if s.OS.Hostname != "FALLBACK" || len(s.Errors) != 1 || s.Errors[0].Source != licensing.SourceWMI || !strings.Contains(s.Errors[0].Error, "class not registered") {
			t.Errorf("hostname %q errors %+v", s.OS.Hostname, s.Errors)
		}
	})
	t.Run("slmgr hangs", func(t *testing.T) {
		res, _ := Collect(context.Background(), Sources{WMI: win7WMI(), Run: &fakeRun{hang: true}, Host: fakeHost{},
			Timeout: 20 * time.Millisecond, Now: func() time.Time { return now }}, licensing.Context{})
		s := res.Snapshot
		if len(s.Raw) != 2 || !strings.Contains(s.Raw[0].Error, "no answer within 20ms") {
			t.Fatalf("raw %+v", s.Raw)
		}
		if len(s.Errors) != 2 || s.Errors[0].Source != licensing.SourceSlmgr {
			t.Errorf("errors %+v", s.Errors)
		}
		if len(s.Products) != 1 {
			t.Error("WMI products lost")
		}
	})
	t.Run("slmgr fails", func(t *testing.T) {
		res, _ := Collect(context.Background(), Sources{WMI: win7WMI(), Run: &fakeRun{err: errors.New("exit status 1")}, Host: fakeHost{},
			Now: func() time.Time { return now }}, licensing.Context{})
		if s := res.Snapshot; len(s.Errors) != 2 || s.Raw[0].Error != "exit status 1" {
			t.Errorf("errors %+v raw %+v", s.Errors, s.Raw)
		}
	})
	t.Run("Wine: properties lacking, no key filter", func(t *testing.T) {
		w := &fakeWMI{rows: map[string][]map[string]interface{}{"SoftwareLicensingProduct": {{"LicenseStatus": int64(1), "LicenseIsAddon": false}},
			"SoftwareLicensingService": {}},
			lacks: map[string][]string{"SoftwareLicensingProduct": {"ID", "Name", "PartialProductKey"}}}
		res, _ := Collect(context.Background(), Sources{WMI: w, Now: func() time.Time { return now }}, licensing.Context{})
		s := res.Snapshot
		if len(s.Products) != 1 || s.Products[0].Status != licensing.StatusLicensed {
			t.Fatalf("products %+v", s.Products)
		}
		m := strings.Join(s.Missing, " ")
		if !strings.Contains(m, "SoftwareLicensingProduct.PartialProductKey") || !strings.Contains(m, "SoftwareLicensingService") {
			t.Errorf("missing %s", m)
		}
	})
}

func TestBitLockerState(t *testing.T) {
	i := func(n int) *int { return &n }
	tests := []struct {
		prot, conv *int
		want       string
	}{
		{i(0), i(0), "off"}, {i(1), i(1), "on"}, {i(0), i(1), "on"}, {i(1), i(2), "encrypting"}, {i(0), i(3), "decrypting"}, {nil, nil, ""},
	}
	for _, tc := range tests {
		if got := bitLockerState(tc.prot, tc.conv); got != tc.want {
			t.Errorf("bitLockerState(%v, %v) = %q, want %q", tc.prot, tc.conv, got, tc.want)
		}
	}
}

func TestCIMTime(t *testing.T) {
	tests := map[string]string{
		"20200114093000.000000+540": "2020-01-14T09:30:00+09:00",
		"20200114093000.000000-300": "2020-01-14T09:30:00-05:00",
		"20200114093000":            "2020-01-14T09:30:00Z",
	}
	for in, want := range tests {
		got, ok := cimTime(in)
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("cimTime(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	if _, ok := cimTime("garbage"); ok {
		t.Error("garbage parsed")
	}
}

// TestTextFillsOnlyWhatWMILacks: slmgr's text is evidence and a fallback:
// it fills what WMI could not read, never a value WMI read, even one the
// model does not know (a LicenseStatus after 6, a new channel) or a
// status reason of none. A saved or odd text (an /ato's error, a
// Notification Reason of another moment) must not change the verdict.
func TestTextFillsOnlyWhatWMILacks(t *testing.T) {
	dlv := "Name: Windows(R) 7, Professional edition\r\nDescription: Windows Operating System - Windows(R) 7, RETAIL channel\r\n" +
		"Activation ID: b92e9980-b9d5-4821-9c94-140f632f6312\r\nPartial Product Key: 7F2QR\r\n" +
		"License Status: Notification\r\nNotification Reason: 0xC004F009 (grace time expired).\r\n"
	tests := []struct {
		name       string
		row        map[string]interface{} // properties set in win7WMI's product row, nil values removed
		lacks      []string
		status     licensing.Status
		statusRaw  string
		channel    licensing.Channel
		channelRaw string
		reason     uint32
	}{
		{name: "WMI read every property", status: licensing.StatusLicensed, statusRaw: "1",
			channel: licensing.ChannelRetail, channelRaw: "RETAIL"},
		{name: "a LicenseStatus the model does not know", row: map[string]interface{}{"LicenseStatus": int64(7)},
			status: licensing.StatusUnknown, statusRaw: "7", channel: licensing.ChannelRetail, channelRaw: "RETAIL"},
		{name: "a channel the model does not know",
			row:    map[string]interface{}{"Description": "Windows Operating System - Windows(R) 7, FUTURE_KIND channel"},
			status: licensing.StatusLicensed, statusRaw: "1", channel: licensing.ChannelUnknown, channelRaw: "FUTURE_KIND"},
		{name: "WMI lacks the state (Wine): the text gives it",
			row:    map[string]interface{}{"LicenseStatus": nil, "LicenseStatusReason": nil, "Description": nil},
			lacks:  []string{"LicenseStatus", "LicenseStatusReason", "Description"},
			status: licensing.StatusNotification, statusRaw: "L_MsgLicenseStatusNotification_1",
			channel: licensing.ChannelRetail, channelRaw: "RETAIL", reason: 0xC004F009},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := win7WMI()
			r := w.rows["SoftwareLicensingProduct"][0]
			for k, v := range tc.row {
				if v == nil {
					delete(r, k)
				} else {
					r[k] = v
				}
			}
			w.lacks = map[string][]string{"SoftwareLicensingProduct": tc.lacks}
			run := &fakeRun{out: map[string][]byte{"slmgr.vbs /dlv": []byte(dlv)}}
			res, _ := Collect(context.Background(), Sources{WMI: w, Run: run, Host: fakeHost{}, Now: func() time.Time { return now }}, licensing.Context{})
			ps := res.Snapshot.Products
			if len(ps) != 1 {
				t.Fatalf("got %d products, want 1: %+v", len(ps), ps)
			}
			p := ps[0]
			if p.Status != tc.status || p.StatusRaw != tc.statusRaw {
				t.Errorf("status: got %s %q, want %s %q", p.Status, p.StatusRaw, tc.status, tc.statusRaw)
			}
			if p.Channel != tc.channel || p.ChannelRaw != tc.channelRaw {
				t.Errorf("channel: got %s %q, want %s %q", p.Channel, p.ChannelRaw, tc.channel, tc.channelRaw)
			}
			if p.StatusReason != tc.reason {
				t.Errorf("status reason: got %s, want %s", licensing.HRESULT(p.StatusReason), licensing.HRESULT(tc.reason))
			}
		})
	}
}

// TestTextActivationTypes: slmgr's text is the fallback for the
// activation types and the AD activation object as for the state
// (TestTextFillsOnlyWhatWMILacks): the configured type ("Configured
// Activation Type", VLActivationTypeEnabled), the type used (1 where
// the text has the AD block, VLActivationType) and the activation
// object's name (ADActivationObjectName) fill what WMI lacks (Wine),
// never a value WMI read. The name goes only to a product whose type
// used is AD, as WMI gives it: an AD block beside a product WMI read as
// activated by KMS is of another moment, and would make it AD-activated.
func TestTextActivationTypes(t *testing.T) {
	dli, err := os.ReadFile("../../pkg/slmgr/testdata/constructed/dli-ws2016-adba-activated.txt")
	if err != nil {
		t.Fatal(err)
	}
	// The same product without the AD block, configured for KMS.
	kmsDli := strings.Replace(string(dli)[:strings.Index(string(dli), "\nMost recent")+1], "Configured Activation Type: All", "Configured Activation Type: KMS", 1)
	const all, ad, kms = int64(0), int64(1), int64(2)
	none := int64(-1) // WMI lacks the property; in want: unknown
	tests := []struct {
		name              string
		text              string
		enabled, used     int64  // what WMI read; none: it lacks the property
		object            string // ADActivationObjectName WMI read; "-": it lacks the property
		wantEnabled, want int64
		wantObject        string
	}{
		{"WMI read every property", string(dli), kms, kms, "", kms, kms, ""},
		{"WMI lacks all three (Wine): the text gives them", string(dli), none, none, "-", all, ad, "WS2016-AO"},
		{"WMI lacks the configured type", string(dli), none, ad, "WS2016-AO", all, ad, "WS2016-AO"},
		{"WMI read AD used and lacks the object's name", string(dli), all, ad, "-", all, ad, "WS2016-AO"},
		{"WMI read KMS used and lacks the object's name: none", string(dli), all, kms, "-", all, kms, ""},
		{"WMI read the configured type and lacks the type used", string(dli), ad, none, "-", ad, ad, "WS2016-AO"},
		{"WMI lacks all three, the text no AD block", kmsDli, none, none, "-", kms, none, ""},
	}
	show := func(p *int) int64 {
		if p == nil {
			return none
		}
		return int64(*p)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := win7WMI()
			w.rows["SoftwareLicensingService"] = []map[string]interface{}{{"Version": "10.0.14393.0"}}
			r := w.rows["SoftwareLicensingProduct"][0]
			r["ID"], r["Name"], r["PartialProductKey"] = "8c1c5410-9f39-4805-8c9d-63a07706358f", "Windows(R), ServerStandard edition", "N69G4"
			r["Description"], r["ProductKeyChannel"] = "Windows(R) Operating System, VOLUME_KMSCLIENT channel", "Volume:GVLK"
			var lacks []string
			for prop, v := range map[string]int64{"VLActivationTypeEnabled": tc.enabled, "VLActivationType": tc.used} {
				if v == none {
					lacks = append(lacks, prop)
				} else {
					r[prop] = v
				}
			}
			if tc.object == "-" {
				lacks = append(lacks, "ADActivationObjectName")
			} else {
				r["ADActivationObjectName"] = tc.object
			}
			w.lacks = map[string][]string{"SoftwareLicensingProduct": lacks}
			run := &fakeRun{out: map[string][]byte{"slmgr.vbs /dlv": []byte(tc.text)}}
			res, _ := Collect(context.Background(), Sources{WMI: w, Run: run, Host: fakeHost{}, Now: func() time.Time { return now }}, licensing.Context{})
			ps := res.Snapshot.Products
			if len(ps) != 1 {
				t.Fatalf("got %d products, want 1: %+v", len(ps), ps)
			}
			p := ps[0]
			if got := show(p.VLActivationTypeEnabled); got != tc.wantEnabled {
				t.Errorf("configured type: got %d, want %d", got, tc.wantEnabled)
			}
			if got := show(p.VLActivationType); got != tc.want {
				t.Errorf("type used: got %d, want %d", got, tc.want)
			}
			if p.ADActivation != tc.wantObject {
				t.Errorf("activation object: got %q, want %q", p.ADActivation, tc.wantObject)
			}
		})
	}
}

// TestXprExpiry: slmgr /xpr without an Activation ID describes the
// Windows OS product only, the one with the Windows ApplicationID and a
// key that is not an add-on (DOMAIN.md "Reading the state"); its expiry
// goes to that product alone: not to an ESU add-on, and to none when two
// Windows SKUs could be it. A named /xpr goes to the product of its name.
func TestXprExpiry(t *testing.T) {
	const (
		kmsClient = "Windows(R) 7, Enterprise edition"
		esu       = "Windows(R) 7, Client-ESU-Year1 add-on for Enterprise,EnterpriseE,EnterpriseN,Professional,ProfessionalE,ProfessionalN,Ultimate,UltimateE,UltimateN"
		eval      = "Windows(R) 7, EnterpriseEval edition"
		nameless  = "    Volume activation will expire 2026/11/20 09:57:03\r\n"
		expires   = "2026/11/20 09:57:03"
	)
	wmiRow := func(id, name, channel, key string, addon bool) map[string]interface{} {
		return map[string]interface{}{"ID": id, "ApplicationID": licensing.AppWindows, "Name": name,
			"Description": "Windows Operating System - Windows(R) 7, " + channel + " channel", "PartialProductKey": key,
			"LicenseStatus": int64(1), "GracePeriodRemaining": int64(0), "LicenseStatusReason": int64(0),
			"EvaluationEndDate": "16010101000000.000000-000", "LicenseIsAddon": addon,
			"KeyManagementServiceMachine": "", "KeyManagementServicePort": int64(1688),
			"DiscoveredKeyManagementServiceMachineName": "", "DiscoveredKeyManagementServiceMachinePort": int64(0)}
	}
	client := wmiRow("ae2ee509-1b34-41c0-acb7-6d4650168915", kmsClient, "VOLUME_KMSCLIENT", "33PXH", false)
	client["GracePeriodRemaining"] = int64(17 * 24 * 60)
	addon := wmiRow("77db037b-95c3-48d7-a3ab-a9c6d41093e0", esu, "VOLUME_MAK", "4C6R8", true)
	second := wmiRow("d4ef7282-3d2c-4cf0-9976-8854e64a8d1e", eval, "TIMEBASED_EVAL", "V3WVW", false)
	// What /dlv all prints of the same two products, for a collection
	// without WMI.
	dlv := "Name: " + esu + "\r\nDescription: Windows Operating System - Windows(R) 7, VOLUME_MAK channel\r\n" +
		"Activation ID: 77db037b-95c3-48d7-a3ab-a9c6d41093e0\r\nPartial Product Key: 4C6R8\r\nLicense Status: Licensed\r\n\r\n" +
		"Name: " + kmsClient + "\r\nDescription: Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel\r\n" +
		"Activation ID: ae2ee509-1b34-41c0-acb7-6d4650168915\r\nPartial Product Key: 33PXH\r\nLicense Status: Licensed\r\n"
	tests := []struct {
		name string
		rows []map[string]interface{} // nil: no WMI, the products of dlv
		xpr  string
		want map[string]string // product name → ExpiresText
	}{
		{"no WMI: the add-on and the OS product of /dlv", nil, nameless,
			map[string]string{kmsClient: expires, esu: ""}},
		{"an ESU add-on beside the OS product", []map[string]interface{}{client, addon}, nameless,
			map[string]string{kmsClient: expires, esu: ""}},
		{"the add-on listed first", []map[string]interface{}{addon, client}, nameless,
			map[string]string{kmsClient: expires, esu: ""}},
		{"two Windows SKUs with a key: none is sure", []map[string]interface{}{client, second}, nameless,
			map[string]string{kmsClient: "", eval: ""}},
		{"named: the product of its name", []map[string]interface{}{client, second},
			eval + ":\r\n    Timebased activation will expire 2027/03/24 02:35:57\r\n",
			map[string]string{kmsClient: "", eval: "2027/03/24 02:35:57"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := &fakeRun{out: map[string][]byte{"slmgr.vbs /xpr": []byte(tc.xpr)}}
			src := Sources{Run: run, Host: fakeHost{}, Now: func() time.Time { return now }}
			if tc.rows != nil {
				w := win7WMI()
				w.rows["SoftwareLicensingProduct"] = tc.rows
				src.WMI = w
			} else {
				run.out["slmgr.vbs /dlv"] = []byte(dlv)
			}
			res, _ := Collect(context.Background(), src, licensing.Context{})
			if len(res.Snapshot.Products) != len(tc.want) {
				t.Fatalf("got %d products, want %d: %+v", len(res.Snapshot.Products), len(tc.want), res.Snapshot.Products)
			}
			got := map[string]string{}
			for _, p := range res.Snapshot.Products {
				got[p.Name] = p.ExpiresText
				if (p.Expires != nil) != (p.ExpiresText != "") {
					t.Errorf("%s: expires %v with text %q", p.Name, p.Expires, p.ExpiresText)
				}
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("expiry by product: got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTextKMS: the KMS block of slmgr's text is a fallback for a product
// whose KMS properties WMI could not read (Wine, a class without them);
// it never adds a KMS host to a product WMI read as having none, nor to
// one WMI read in a channel that is not KMS, and never replaces the host
// of a KMS client WMI read.
func TestTextKMS(t *testing.T) {
	const id = "ae2ee509-1b34-41c0-acb7-6d4650168915"
	kmsProps := []string{"KeyManagementServiceMachine", "KeyManagementServicePort",
		"DiscoveredKeyManagementServiceMachineName", "DiscoveredKeyManagementServiceMachinePort",
		"VLActivationInterval", "VLRenewalInterval"}
	// A KMS client's /dlv block; the Activation ID line is left out where
	// the text is matched by its partial key (as /dli prints it).
	dlv := func(withID bool) string {
		s := "Name: Windows(R) 7, Enterprise edition\r\nDescription: Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel\r\n"
		if withID {
			s += "Activation ID: " + id + "\r\n"
		}
		return s + "Partial Product Key: 33PXH\r\nLicense Status: Licensed\r\n\r\n" +
			"Volume activation expiration: 259193 minute(s) (179 day(s))\r\n\r\n" +
			"Key Management Service client information\r\n    Client Machine ID (CMID): 0f8a1a47-4b71-4b8a-a5a6-d1f1e4d1e0a5\r\n" +
			"    Registered KMS machine name: kms-text.example:1688\r\n    Activation interval: 120 minutes\r\n    Renewal interval: 10080 minutes\r\n"
	}
	tests := []struct {
		name     string
		channel  string // the description's token WMI read; "" when the class lacks Description
		host     string // KeyManagementServiceMachine WMI read
		lacksKMS bool   // the class lacks the KMS properties
		withID   bool
		want     string // the product's KMS host after the merge; "" for none
	}{
		{"a MAK product read by WMI, text matched by its key", "VOLUME_MAK", "", false, false, ""},
		{"a retail product read by WMI, text of its SKU", "RETAIL", "", false, true, ""},
		{"a KMS client read by WMI keeps its host", "VOLUME_KMSCLIENT", "kms-wmi.example", false, true, "kms-wmi.example"},
		{"WMI lacks the KMS properties (Wine): the text gives them", "", "", true, true, "kms-text.example"},
		{"WMI lacks the KMS properties but read a retail channel", "RETAIL", "", true, true, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := win7WMI()
			r := w.rows["SoftwareLicensingProduct"][0]
			r["ID"], r["Name"], r["PartialProductKey"] = id, "Windows(R) 7, Enterprise edition", "33PXH"
			r["KeyManagementServiceMachine"], r["KeyManagementServicePort"] = tc.host, int64(1688)
			r["DiscoveredKeyManagementServiceMachineName"], r["DiscoveredKeyManagementServiceMachinePort"] = "", int64(0)
			r["VLActivationInterval"], r["VLRenewalInterval"] = int64(120), int64(10080)
			var lacks []string
			if tc.channel == "" {
				delete(r, "Description")
				lacks = append(lacks, "Description")
			} else {
				r["Description"] = "Windows Operating System - Windows(R) 7, " + tc.channel + " channel"
			}
			if tc.lacksKMS {
				for _, p := range kmsProps {
					delete(r, p)
				}
				lacks = append(lacks, kmsProps...)
			}
			if !tc.withID {
				r["ID"] = "b92e9980-b9d5-4821-9c94-140f632f6312"
			}
			w.lacks = map[string][]string{"SoftwareLicensingProduct": lacks}
			run := &fakeRun{out: map[string][]byte{"slmgr.vbs /dlv": []byte(dlv(tc.withID))}}
			res, _ := Collect(context.Background(), Sources{WMI: w, Run: run, Host: fakeHost{}, Now: func() time.Time { return now }}, licensing.Context{})
			ps := res.Snapshot.Products
			if len(ps) != 1 {
				t.Fatalf("got %d products, want 1: %+v", len(ps), ps)
			}
			got := ""
			if ps[0].KMS.HasHost() {
				got = ps[0].KMS.ConfiguredHost
			}
			if got != tc.want {
				t.Errorf("KMS host: got %q, want %q (KMS %+v)", got, tc.want, ps[0].KMS)
			}
		})
	}
}

// TestTextPairing: a text product goes to the WMI product of its
// Activation ID, else of its partial key, else to the one row WMI could
// not name (Wine) whose state WMI read is the text's: never to a row of
// another Activation ID, and to none when two rows could be it, so that
// no product ends up with one product's name and another's state. A
// text product that goes to none is kept beside the rows.
func TestTextPairing(t *testing.T) {
	const (
		retailID = "b92e9980-b9d5-4821-9c94-140f632f6312"
		kmsID    = "ae2ee509-1b34-41c0-acb7-6d4650168915"
		retail   = "Windows(R) 7, Professional edition"
		client   = "Windows(R) 7, Enterprise edition"
	)
	// /dlv all of the two products, the KMS client first.
	dlv := "Name: " + client + "\r\nDescription: Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel\r\n" +
		"Activation ID: " + kmsID + "\r\nPartial Product Key: 33PXH\r\nLicense Status: Notification\r\n" +
		"Notification Reason: 0xC004F009 (grace time expired).\r\n\r\n" +
		"Name: " + retail + "\r\nDescription: Windows Operating System - Windows(R) 7, RETAIL channel\r\n" +
		"Activation ID: " + retailID + "\r\nPartial Product Key: 7F2QR\r\nLicense Status: Licensed\r\n"
	row := func(id, channel string, status int64) map[string]interface{} {
		r := map[string]interface{}{"ApplicationID": licensing.AppWindows, "LicenseStatus": status, "LicenseIsAddon": false,
			"Description": "Windows Operating System - Windows(R) 7, " + channel + " channel"}
		if id != "" {
			r["ID"] = id
		}
		return r
	}
	alike := row("", "RETAIL", 1)
	delete(alike, "Description")
	delete(alike, "LicenseStatus")
	tests := []struct {
		name  string
		rows  []map[string]interface{}
		lacks []string
		want  int // products in the snapshot
	}{
		{"two rows WMI could not name, told apart by their state", []map[string]interface{}{row("", "RETAIL", 1), row("", "VOLUME_KMSCLIENT", 5)},
			[]string{"ID", "Name", "PartialProductKey"}, 2},
		{"two rows WMI could not name, alike", []map[string]interface{}{alike, alike},
			[]string{"ID", "Name", "PartialProductKey", "Description", "LicenseStatus"}, 4},
		{"one row WMI could not name, of neither's state", []map[string]interface{}{row("", "VOLUME_MAK", 1)},
			[]string{"ID", "Name", "PartialProductKey"}, 3},
		{"rows with Activation IDs, no names or keys", []map[string]interface{}{row(retailID, "RETAIL", 1), row(kmsID, "VOLUME_KMSCLIENT", 5)},
			[]string{"Name", "PartialProductKey"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := win7WMI()
			w.rows["SoftwareLicensingProduct"] = tc.rows
			w.lacks = map[string][]string{"SoftwareLicensingProduct": tc.lacks}
			run := &fakeRun{out: map[string][]byte{"slmgr.vbs /dlv": []byte(dlv)}}
			res, _ := Collect(context.Background(), Sources{WMI: w, Run: run, Host: fakeHost{}, Now: func() time.Time { return now }}, licensing.Context{})
			if got := len(res.Snapshot.Products); got != tc.want {
				t.Errorf("got %d products, want %d: %+v", got, tc.want, res.Snapshot.Products)
			}
			for _, p := range res.Snapshot.Products {
				switch {
				case p.Name == client && (p.Channel != licensing.ChannelGVLK || p.Status != licensing.StatusNotification):
					t.Errorf("%s: got %s %s, want Volume:GVLK notification: %+v", p.Name, p.Channel, p.Status, p)
				case p.Name == retail && (p.Channel != licensing.ChannelRetail || p.Status != licensing.StatusLicensed):
					t.Errorf("%s: got %s %s, want Retail licensed: %+v", p.Name, p.Channel, p.Status, p)
				case p.SKUID != "" && p.Name != "" && p.SKUID != map[string]string{client: kmsID, retail: retailID}[p.Name]:
					t.Errorf("%s: got Activation ID %s", p.Name, p.SKUID)
				}
			}
		})
	}
}

// TestCollectStopsAtCtrlC: once ctx ends (Ctrl-C), the collection
// announces and starts no further step, asks WMI nothing more, and
// returns ctx's error. It went on through every step: the screen showed
// "Running / 実行: slmgr.vbs /dlv all, up to 2 min" after the engineer's
// Ctrl-C (the collector under Wine, stopped during its first WMI step),
// each WMI query of the licensing classes ran (seconds each on a real
// machine), and only at the end was the collection called interrupted.
func TestCollectStopsAtCtrlC(t *testing.T) {
	tests := []struct {
		name   string
		stopAt string // the step whose start is Ctrl-C
		want   []string
	}{
		{"during the system step", StepSystem, []string{"system"}},
		{"during the licenses step", StepLicenses, []string{"system", "licenses"}},
		{"during the first script", StepScript, []string{"system", "licenses", "script slmgr.vbs /dlv all"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			w := win7WMI()
			var steps []string
			progress := func(st Step) {
				steps = append(steps, strings.TrimSpace(st.Part+" "+st.Command))
				if st.Part == tc.stopAt {
					cancel()
				}
			}
			host := fakeHost{files: map[string][]byte{`C:\Program Files\Microsoft Office\Office14\ospp.vbs`: nil}}
			res, err := Collect(ctx, Sources{WMI: w, Run: &fakeRun{}, Host: host, Now: func() time.Time { return now }, Progress: progress}, licensing.Context{})
			if !errors.Is(err, context.Canceled) || res != nil {
				t.Errorf("got a result: %v, error %v; want none and context.Canceled", res != nil, err)
			}
			if got, want := strings.Join(steps, "\n"), strings.Join(tc.want, "\n"); got != want {
				t.Errorf("steps announced:\n%s\nwant\n%s", got, want)
			}
			if tc.stopAt == StepSystem {
				for class := range w.asked {
					if strings.HasPrefix(class, "SoftwareLicensing") || strings.HasPrefix(class, "OfficeSoftware") {
						t.Errorf("asked WMI for %s after Ctrl-C", class)
					}
				}
			}
		})
	}
}
