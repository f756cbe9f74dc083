package licensing

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestApplicationIDs(t *testing.T) {
	// Pinned from DOMAIN.md: public code exists that swaps the Office IDs.
	if AppWindows != "55c92734-d682-4d71-983e-d6ec3f16059f" || AppOffice14 != "59a52881-a989-479d-af46-f275c6370663" ||
		AppOffice15 != "0ff1ce15-a989-479d-af46-f275c6370663" {
		t.Fatal("ApplicationID constants changed")
	}
	tests := []struct {
		id, name string
		want     Kind
	}{
		{AppWindows, "", KindWindows},
		{"{55C92734-D682-4D71-983E-D6EC3F16059F}", "", KindWindows},
		{AppOffice14, "", KindOffice},
		{AppOffice15, "", KindOffice},
		{"", "Office 15, OfficeProPlusVL_KMS_Client edition", KindOffice},
		{"XXXXXXXXXXXXXXXXXXXXX", "Windows(R), ServerStandard edition", KindWindows},
		{"11111111-2222-3333-4444-555555555555", "Windows(R)", KindOther},
		{"", "", KindOther},
		// issue 15: Office by family, by a masked ID, by name anywhere.
		{"0ff1ce15-a989-479d-af46-f275c6370664", "", KindOffice},
		{"12345678-a989-479d-af46-f275c6370663", "", KindOffice},
		{"0ff1ce15-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "", KindOffice},
		{"XXXXXXXX-A989-479D-AF46-F275C6370663", "", KindOffice},
		{"55c92734-****-****-****-************", "", KindWindows},
		{"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "Office 21, Office21ProPlus2021VL_KMS_Client_AE edition", KindOffice},
		{"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", "", KindOther},
		{"", "Microsoft Office 2010, KMSHost edition", KindOffice},
		{"*-*-*-*-*", "Windows(R), EnterpriseS edition", KindWindows},
		{"59a52881-a989-479d-xxxx-xxxxxxxxxx", "", KindOffice},
		{"55c92734-d682-xxxx", "", KindOther},
	}
	for _, tc := range tests {
		if got := KindOf(tc.id, tc.name); got != tc.want {
			t.Errorf("KindOf(%q, %q) = %s, want %s", tc.id, tc.name, got, tc.want)
		}
	}
}

func TestStatuses(t *testing.T) {
	want := []Status{StatusUnlicensed, StatusLicensed, StatusOOBGrace, StatusOOTGrace, StatusNonGenuineGrace, StatusNotification, StatusExtendedGrace}
	for n, s := range want {
		if got := StatusFromNumber(n); got != s {
			t.Errorf("StatusFromNumber(%d) = %s, want %s", n, got, s)
		}
		if s.Number() != n {
			t.Errorf("%s.Number() = %d, want %d", s, s.Number(), n)
		}
		if grace := n >= 2; s.InGrace() != grace {
			t.Errorf("%s.InGrace() = %v", s, s.InGrace())
		}
	}
	for _, n := range []int{-1, 7, 99} {
		if got := StatusFromNumber(n); got != StatusUnknown {
			t.Errorf("StatusFromNumber(%d) = %s, want unknown", n, got)
		}
	}
}

func TestChannels(t *testing.T) {
	pkc := map[string]Channel{
		"Retail": ChannelRetail, "Retail:TB:Eval": ChannelEval, "OEM:DM": ChannelOEMDM, "OEM:SLP": ChannelOEMSLP,
		"OEM:COA": ChannelOEMCOA, "OEM:NONSLP": ChannelOEMNonSLP, "Volume:GVLK": ChannelGVLK, "Volume:MAK": ChannelMAK,
		"Volume:CSVLK": ChannelCSVLK, "Volume:Something": ChannelUnknown, "": ChannelUnknown,
		"volume:gvlk": ChannelGVLK, " VOLUME:CSVLK ": ChannelCSVLK,
	}
	for in, want := range pkc {
		if got := ChannelFromProductKeyChannel(in); got != want {
			t.Errorf("ChannelFromProductKeyChannel(%q) = %s, want %s", in, got, want)
		}
	}
	desc := []struct {
		in   string
		want Channel
	}{
		{"Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel", ChannelGVLK},
		{"Windows(R) Operating System, VOLUME_KMS_2012-R2_WIN10 channel", ChannelCSVLK},
		{"Windows Operating System - Windows Server(R), VOLUME_KMS_C channel", ChannelCSVLK},
		{"Windows(R) Operating System, VOLUME_MAK channel", ChannelMAK},
		{"Windows(R) Operating System, TIMEBASED_EVAL channel", ChannelEval},
		{"Windows(R) Operating System, VIRTUAL_MACHINE_ACTIVATION channel", ChannelAVMA},
		{"Windows(R) Operating System, RETAIL channel", ChannelRetail},
		{"Office 16, RETAIL(Grace) channel", ChannelRetail},
		{"Office 16, RETAIL(MAK) channel", ChannelMAK},
		{"Windows(R) Operating System, OEM_DM channel", ChannelOEMDM},
		{"Windows Operating System - Windows(R) 7, OEM_SLP channel", ChannelOEMSLP},
		{"Windows Operating System - Windows(R) 7, OEM_COA_SLP channel", ChannelCOASLP},
		{"Windows Operating System - Windows(R) 7, OEM_COA_NSLP channel", ChannelCOANSLP},
		{"Windows(R) Operating System, OEM_NONSLP channel", ChannelOEMNonSLP},
		{`Windows Operating System – Vista, VOLUME\_KMSCLIENT channel`, ChannelGVLK},
		{"Office 14, VOLUME_KMSCLIENT channel", ChannelGVLK},
		{"Windows(R) Operating System, SOMETHING_NEW channel", ChannelUnknown},
		{"Windows(R) Operating System, VOLUME-KMSCLIENT channel", ChannelGVLK},
		{"Windows(R) Operating System, volume_kmsclient channel", ChannelGVLK},
		{"Microsoft Office 2010 KMS, VOLUME_KMS channel", ChannelCSVLK},
		{"no channel here", ChannelUnknown},
	}
	for tok, want := range map[string]Channel{"VOLUME-KMSCLIENT": ChannelGVLK, "volume kms": ChannelCSVLK, "Retail(Grace)": ChannelRetail, "": ChannelUnknown, "GVLK": ChannelUnknown} {
		if got := ChannelFromToken(tok); got != want {
			t.Errorf("ChannelFromToken(%q) = %s, want %s", tok, got, want)
		}
	}
	for _, tc := range desc {
		if got := ChannelFromDescription(tc.in); got != tc.want {
			t.Errorf("ChannelFromDescription(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestReasons(t *testing.T) {
	for _, code := range []uint32{0xC004F074, 0x8007232B, 0xC004F038, 0xC004F035, 0xC004F009, 0xC004F00F, 0xC004F034,
		0xC004F056, 0xC004F200, 0xC004C003, 0xC004C020, 0xC004C021, 0xC004F057, 0xC004F058, 0xC004E003, 0x4004F00D, 0x4004F040,
		0x8007232A, 0x8007251D, 0xC004F050, 0xC004C008, 0xC004F017} {
		r, ok := LookupReason(code)
		if !ok || r.English == "" || r.Japanese == "" {
			t.Errorf("%s: missing or untranslated", HRESULT(code))
		}
	}
	if !Informational(0x4004F040) || Informational(0xC004F074) {
		t.Error("Informational wrong")
	}
	if HRESULT(0xC004F074) != "0xC004F074" {
		t.Error(HRESULT(0xC004F074))
	}
}

func TestSnapshotRoundTrip(t *testing.T) {
	g := 259200
	s := &Snapshot{
		Context:  Context{Site: "Tokyo", Line: "L1", Collector: "t", Collected: time.Date(2026, 11, 24, 9, 30, 0, 0, time.FixedZone("", 9*3600))},
		Products: []Product{{Kind: KindWindows, Name: "Windows(R) 7, Professional edition", Channel: ChannelRetail, Status: StatusLicensed, GraceMinutes: &g}},
	}
	b, err := Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	got, err := Unmarshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if got.Schema != Schema || got.Products[0].Name != s.Products[0].Name || *got.Products[0].GraceMinutes != g ||
		!got.Context.Collected.Equal(s.Context.Collected) || got.PrimaryWindows() == nil {
		t.Errorf("round trip: %+v", got)
	}
	tests := []struct {
		in   string
		want error
	}{
		{`not json`, ErrNotSnapshot},
		{`{"schema":"other/1"}`, ErrNotSnapshot},
		{`{"schema":"actcourier-device/2"}`, ErrUnsupportedSchema},
		{`{"schema":"actcourier-device/1.3","future":true,"products":[]}`, nil},
	}
	for _, tc := range tests {
		_, err := Unmarshal([]byte(tc.in))
		if !errors.Is(err, tc.want) && !(tc.want == nil && err == nil) {
			t.Errorf("Unmarshal(%s) = %v, want %v", tc.in, err, tc.want)
		}
	}
	// A bundle's schema is its writer's to choose: the error quotes it,
	// as it quotes one of another name, so that a newline cannot start a
	// line of its own and its backslashes cannot read as an escape.
	forged := "actcourier-device/2\u202e\\u202e\nimporter: hint: x"
	for _, js := range []string{`{"schema":` + strconv.Quote(forged) + `}`, `{"schema":` + strconv.Quote("other/"+forged) + `}`} {
		_, err := Unmarshal([]byte(js))
		if err == nil || !strings.Contains(err.Error(), strconv.Quote(forged)[1:]) || strings.ContainsAny(err.Error(), "\n\u202e") {
			t.Errorf("Unmarshal(%s) = %v, want the schema quoted", js, err)
		}
	}
}

// FuzzUnmarshal: a snapshot from a bundle is untrusted input.
func FuzzUnmarshal(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) == 0 {
		f.Fatal("no seed: testdata/snapshots is empty")
	}
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"schema":"actcourier-device/2"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Unmarshal(data)
		if err != nil {
			if s != nil || !(errors.Is(err, ErrNotSnapshot) || errors.Is(err, ErrUnsupportedSchema)) {
				t.Fatalf("%v %v", s, err)
			}
			return
		}
		if p := boundedStrings(reflect.ValueOf(s), "snapshot"); p != "" {
			t.Fatalf("%s is over MaxString or holds a NUL", p)
		}
		b, err := Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Unmarshal(b); err != nil {
			t.Fatalf("Marshal output does not read back: %v", err)
		}
		s.PrimaryWindows()
	})
}

// TestPrimaryWindowsNotInUse: a SKU listed as "not in use" has no key and
// is never the primary Windows product.
func TestPrimaryWindowsNotInUse(t *testing.T) {
	s := &Snapshot{Products: []Product{
		{Kind: KindWindows, Name: "Windows(R), Enterprise edition", NotInUse: true},
		{Kind: KindWindows, Name: "Windows(R), Professional edition", PartialKey: "3V66T"},
	}}
	if p := s.PrimaryWindows(); p == nil || p.PartialKey != "3V66T" {
		t.Errorf("got %+v, want the Professional product", p)
	}
	s.Products = s.Products[:1]
	if p := s.PrimaryWindows(); p != nil {
		t.Errorf("got %+v, want none", p)
	}
}

// TestReasonsUnique: the HRESULT table is a slice; a code twice would
// answer with its first row only.
func TestReasonsUnique(t *testing.T) {
	seen := map[uint32]bool{}
	for _, r := range reasons {
		if seen[r.Code] {
			t.Errorf("0x%08X twice", r.Code)
		}
		seen[r.Code] = true
	}
	for _, code := range []uint32{0xC004F031, 0xC004F04D} {
		if r, ok := LookupReason(code); !ok || r.Japanese == "" {
			t.Errorf("0x%08X: the return path's code has no meaning in both languages", code)
		}
	}
}

// TestUnmarshalErrorBounded: the error of a snapshot of a schema this
// program does not read quotes at most a few hundred bytes of its schema,
// however long: a forged bundle's device.json of a megabyte (a few
// hundred bytes compressed) was rejected with an error of a megabyte,
// which an import keeps until its summary.
func TestUnmarshalErrorBounded(t *testing.T) {
	n := 1<<20 - 200 // within MaxSize
	for _, tc := range []struct {
		name, json string
		want       error
	}{
		{"not ours", `{"schema":"` + strings.Repeat("x", n) + `"}`, ErrNotSnapshot},
		{"not ours, control characters", `{"schema":"` + strings.Repeat(`\u0001`, n/6) + `"}`, ErrNotSnapshot},
		{"not ours, broken", `{"schema":"` + strings.Repeat("x", n) + `", "products": 1}`, ErrNotSnapshot},
		{"a later major", `{"schema":"actcourier-device/2` + strings.Repeat("x", n) + `"}`, ErrUnsupportedSchema},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Unmarshal([]byte(tc.json))
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %.200v, want %v", err, tc.want)
			}
			if len(err.Error()) > 1500 {
				t.Errorf("got an error of %d bytes, want at most 1500: %.200s", len(err.Error()), err)
			}
		})
	}
}
