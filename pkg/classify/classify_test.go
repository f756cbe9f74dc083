package classify

import (
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

var collected = time.Date(2026, 11, 2, 9, 30, 0, 0, time.FixedZone("JST", 9*3600))

// device builds a snapshot of one machine with the given products.
func snap(caption, version string, products ...licensing.Product) *licensing.Snapshot {
	return &licensing.Snapshot{
		Context:  licensing.Context{Site: "Nagoya", Line: "L1", Collected: collected},
		OS:       licensing.OS{Caption: caption, Version: version},
		Products: products,
	}
}

const (
	win7Pro  = "Microsoft Windows 7 Professional"
	win10Pro = "Microsoft Windows 10 Pro"
)

func win(edition string, ch licensing.Channel, st licensing.Status) licensing.Product {
	name := "Windows(R), " + edition + " edition"
	return licensing.Product{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows, Name: name,
		Channel: ch, Status: st, PartialKey: "ABCDE", Source: licensing.SourceWMI}
}

func office(name string, ch licensing.Channel, st licensing.Status) licensing.Product {
	return licensing.Product{Kind: licensing.KindOffice, ApplicationID: licensing.AppOffice14, Name: name,
		Channel: ch, Status: st, PartialKey: "FGHIJ", Source: licensing.SourceOSPP}
}

func minutes(n int) *int { return &n }

func kms(p licensing.Product, left int, host string) licensing.Product {
	p.GraceMinutes = minutes(left)
	p.KMS = &licensing.KMS{DiscoveredHost: host}
	return p
}

// adClaim makes p a KMS client that claims AD-based activation
// (VLActivationType 1) with 100 days left and no KMS host.
func adClaim(p licensing.Product) licensing.Product {
	p.VLActivationType = minutes(1)
	p.GraceMinutes = minutes(100 * day)
	return p
}

// slpElsewhere makes p an OEM SLP image on hardware without its marker
// (0xC004F057) with 20 days of grace left.
func slpElsewhere(p licensing.Product) licensing.Product {
	p.StatusReason = 0xC004F057
	p.GraceMinutes = minutes(20 * day)
	return p
}

func codes(rs []Reason) string {
	var c []string
	for _, r := range rs {
		c = append(c, r.Code)
	}
	return strings.Join(c, ",")
}

func hasCode(rs []Reason, code string) bool { return withCode(rs, code) != nil }

// withCode is the last of rs with code, or nil.
func withCode(rs []Reason, code string) *Reason {
	var found *Reason
	for i := range rs {
		if rs[i].Code == code {
			found = &rs[i]
		}
	}
	return found
}

// TestChannels has one row per channel of DOMAIN.md's channel table, with
// an edition that has volume keys and, where it matters, one that has not.
func TestChannels(t *testing.T) {
	lic := licensing.StatusLicensed
	tests := []struct {
		name    string
		s       *licensing.Snapshot
		want    Category
		code    string
		wantRte Route
	}{
		{"GVLK with host", snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 200*day, "kms.local")), OK, "kms-client", ""},
		{"GVLK without host", snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 200*day, "")), VolumeLicense, "kms-no-host", RouteMAK},
		{"MAK", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic)), OK, "mak-activated", ""},
		{"AD-based", snap(win10Pro, "10.0.19045", func() licensing.Product {
			p := win("Enterprise", licensing.ChannelGVLK, lic)
			p.VLActivationType = minutes(1)
			return p
		}()), OK, "ad-based", ""},
		{"OEM:SLP", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelOEMSLP, lic)), OK, "oem-slp", ""},
		// AD-based activation exists from Windows 8 / Server 2012 and for
		// Office 2013 and later on such Windows (DOMAIN.md channel table):
		// an AD claim on Windows 7 or Office 2010 (corrupt or hand-made
		// input: neither platform has VLActivationType) is no activation
		// that works inside the domain. It is the KMS client its channel says.
		{"AD claim on Windows 7", snap(win7Pro, "6.1.7601", adClaim(win("Professional", licensing.ChannelGVLK, lic))), VolumeLicense, "kms-no-host", RouteMAK},
		{"AD claim on Office 2010", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic),
			adClaim(office("Office 14, OfficeProPlus-KMS_Client edition", licensing.ChannelGVLK, lic))), VolumeLicense, "kms-no-host", RouteMAK},
		{"AD claim on Office 2013 on Windows 7", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic),
			adClaim(office("Office 15, OfficeProPlusVL_KMS_Client edition", licensing.ChannelGVLK, lic))), VolumeLicense, "kms-no-host", RouteMAK},
		{"AD-based Office 2016 on Windows 10", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic),
			adClaim(office("Office 16, Office16ProPlusVL_KMS_Client edition", licensing.ChannelGVLK, lic))), OK, "ad-based", ""},
		// An OEM SLP key activates only against the BIOS marker
		// (DOMAIN.md channel table); 0xC004F057/0xC004F058 say the image
		// is on other hardware, so it has no offline route of its own:
		// in grace, an edition with volume keys gets one.
		{"OEM:SLP Pro without the marker, in grace", snap(win7Pro, "6.1.7601", slpElsewhere(win("Professional", licensing.ChannelOEMSLP, licensing.StatusOOBGrace))), Urgent, "grace", RouteMAK},
		{"OEM:SLP Home Premium without the marker, in grace", snap("Microsoft Windows 7 Home Premium", "6.1.7601", slpElsewhere(win("HomePremium", licensing.ChannelOEMSLP, licensing.StatusOOBGrace))), Urgent, "grace", ""},
		{"CSVLK", snap("Microsoft Windows Server 2012 R2 Standard", "6.3.9600", win("ServerStandard", licensing.ChannelCSVLK, lic)), OK, "kms-host", ""},
		{"AVMA", snap("Microsoft Windows Server 2019 Datacenter", "10.0.17763", win("ServerDatacenter", licensing.ChannelAVMA, lic)), OK, "avma", ""},
		{"OEM:COA Pro", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMCOA, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"OEM:COA_SLP Pro", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelCOASLP, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"OEM:COA_NSLP Pro", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelCOANSLP, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"OEM:NONSLP Enterprise", snap(win7Pro, "6.1.7601", win("Enterprise", licensing.ChannelOEMNonSLP, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"OEM:DM Pro", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMDM, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"OEM:DM Home", snap("Microsoft Windows 10 Home", "10.0.19045", win("Core", licensing.ChannelOEMDM, lic)), ImageBackup, "online-only-no-volume", ""},
		{"Retail Pro", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelRetail, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"Retail Ultimate", snap("Microsoft Windows 7 Ultimate", "6.1.7601", win("Ultimate", licensing.ChannelRetail, lic)), ImageBackup, "online-only-no-volume", ""},
		{"Retail Starter", snap("Microsoft Windows 7 Starter", "6.1.7601", win("Starter", licensing.ChannelRetail, lic)), ImageBackup, "online-only-no-volume", ""},
		{"COA POSReady", snap("Windows Embedded POSReady 7", "6.1.7601", win("POSReady", licensing.ChannelCOANSLP, lic)), ImageBackup, "online-only-no-volume", ""},
		{"Embedded volume runtime key", snap("Windows Embedded Standard", "6.1.7601", win("Embedded", licensing.ChannelMAK, lic)), OK, "mak-activated", ""},
		{"IoT LTSC 2021 OEM:DM", snap("Microsoft Windows 10 IoT Enterprise LTSC", "10.0.19044", win("IoTEnterpriseS", licensing.ChannelOEMDM, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"IoT LTSC 2019 OEM:DM", snap("Microsoft Windows 10 IoT Enterprise LTSC", "10.0.17763", win("IoTEnterpriseS", licensing.ChannelOEMDM, lic)), ImageBackup, "online-only-no-volume", ""},
		{"Eval far", snap("Microsoft Windows Server 2019 Standard Evaluation", "10.0.17763", func() licensing.Product {
			p := win("ServerStandardEval", licensing.ChannelEval, lic)
			p.GraceMinutes = minutes(150 * day)
			return p
		}()), VolumeLicense, "evaluation", RouteMAK},
		{"unknown channel", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelUnknown, lic)), ImageBackup, "channel-unknown", ""},
		{"Office 2010 ProPlus retail", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic),
			office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, lic)), VolumeLicense, "online-only-volume", RouteMAK},
		{"Office 2010 Home and Business", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic),
			office("Office 14, OfficeHomeBusiness-Retail edition", licensing.ChannelRetail, lic)), ImageBackup, "online-only-no-volume", ""},
		{"Microsoft 365", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic),
			office("Office 16, Office16O365ProPlusR_Subscription1 edition", licensing.ChannelRetail, lic)), VolumeLicense, "m365-subscription", RouteMAK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			if v.Category != tc.want || !hasCode(v.Reasons, tc.code) {
				t.Fatalf("got %s [%s], want %s with %s", v.Category, codes(v.Reasons), tc.want, tc.code)
			}
			if tc.wantRte == "" && len(v.Routes) != 0 {
				t.Errorf("routes %+v, want none", v.Routes)
			}
			if tc.wantRte != "" && (len(v.Routes) == 0 || v.Routes[len(v.Routes)-1].Route != tc.wantRte) {
				t.Errorf("routes %+v, want %s", v.Routes, tc.wantRte)
			}
		})
	}
}

// TestStatuses has one row per LicenseStatus of DOMAIN.md.
func TestStatuses(t *testing.T) {
	for n := 0; n <= 7; n++ {
		st := licensing.StatusFromNumber(n)
		if n == 7 {
			st = licensing.StatusUnknown
		}
		t.Run(string(st), func(t *testing.T) {
			p := win("Professional", licensing.ChannelMAK, st)
			if st.InGrace() && st != licensing.StatusNotification {
				p.GraceMinutes = minutes(10 * day)
			}
			v := Device(snap(win10Pro, "10.0.19045", p), collected, Site{})
			want, code := Urgent, "grace"
			switch st {
			case licensing.StatusLicensed:
				want, code = OK, "mak-activated"
			case licensing.StatusUnlicensed:
				code = "unlicensed"
			case licensing.StatusUnknown:
				code = "status-unknown"
			}
			if v.Category != want || !hasCode(v.Reasons, code) {
				t.Fatalf("got %s [%s], want %s %s", v.Category, codes(v.Reasons), want, code)
			}
			if st.InGrace() && st != licensing.StatusNotification && !strings.Contains(v.Reasons[0].English, "10 days left") {
				t.Errorf("reason %q does not give the grace left", v.Reasons[0].English)
			}
		})
	}
}

// TestAsOf checks the boundaries of the time rules: projection from the
// collection time, 30 days for KMS and evaluations, end-of-support dates.
func TestAsOf(t *testing.T) {
	lic := licensing.StatusLicensed
	kmsClient := snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 40*day, "kms.local"))
	evalEnd := collected.AddDate(0, 0, 45)
	evalSnap := snap(win10Pro, "10.0.19045", func() licensing.Product {
		p := win("EnterpriseEval", licensing.ChannelEval, lic)
		p.EvaluationEnd = &evalEnd
		return p
	}())
	graceSnap := snap(win10Pro, "10.0.19045", func() licensing.Product {
		p := win("Professional", licensing.ChannelRetail, licensing.StatusOOBGrace)
		p.GraceMinutes = minutes(3 * day)
		return p
	}())
	tests := []struct {
		name string
		s    *licensing.Snapshot
		asOf time.Time
		want Category
		code string
	}{
		{"kms 40 days at collection", kmsClient, collected, OK, "kms-client"},
		{"kms exactly 30 days left", kmsClient, collected.Add(10 * 24 * time.Hour), OK, "kms-client"},
		{"kms 30 days less a minute", kmsClient, collected.Add(10*24*time.Hour + time.Minute), Urgent, "kms-expiring"},
		{"kms run out", kmsClient, collected.Add(40 * 24 * time.Hour), Urgent, "kms-expired"},
		{"as-of before collection is not projected back", kmsClient, collected.AddDate(0, -1, 0), OK, "kms-client"},
		{"zero as-of is the collection time", kmsClient, time.Time{}, OK, "kms-client"},
		{"eval 30 days before end", evalSnap, evalEnd.AddDate(0, 0, -30), VolumeLicense, "evaluation"},
		{"eval 29 days before end", evalSnap, evalEnd.AddDate(0, 0, -30).Add(time.Minute), Urgent, "evaluation-ending"},
		{"eval past end", evalSnap, evalEnd.AddDate(0, 0, 1), Urgent, "evaluation-ending"},
		{"grace left", graceSnap, collected.Add(2 * 24 * time.Hour), Urgent, "grace"},
		{"grace ended", graceSnap, collected.Add(3 * 24 * time.Hour), Urgent, "grace-ended"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, tc.asOf, Site{})
			if v.Category != tc.want || !hasCode(v.Reasons, tc.code) {
				t.Fatalf("got %s [%s], want %s %s", v.Category, codes(v.Reasons), tc.want, tc.code)
			}
		})
	}

	eos := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelOEMSLP, lic))
	day0 := time.Date(2020, 1, 14, 0, 0, 0, 0, time.UTC)
	if v := Device(eos, day0.Add(-time.Second), Site{}); hasCode(v.Flags, "end-of-support-os") {
		t.Error("end of support flagged before its date")
	}
	v := Device(eos, day0, Site{})
	if !hasCode(v.Flags, "end-of-support-os") || v.Category != OK {
		t.Fatalf("on the end-of-support date: %s [%s], want ok with the flag", v.Category, codes(v.Flags))
	}
	if !strings.Contains(v.Flags[0].English, "2020-01-14") || !strings.Contains(v.Flags[0].Japanese, "2020-01-14") {
		t.Errorf("flag does not carry the date: %+v", v.Flags[0])
	}
}

// TestMinutesEnd: a state that ends after some minutes (KMS activation,
// grace, an evaluation read as minutes) ends at the collection time plus
// those minutes, whatever the as-of date: before the collection (as an
// as-of date at midnight UTC is before a collection that morning in
// Japan), at it, or after.
func TestMinutesEnd(t *testing.T) {
	lic := licensing.StatusLicensed
	left := 9*day + 75
	eval := win("EnterpriseEval", licensing.ChannelEval, lic)
	eval.GraceMinutes = minutes(left)
	grace := win("Professional", licensing.ChannelRetail, licensing.StatusOOBGrace)
	grace.GraceMinutes = minutes(left)
	products := []struct {
		name string
		p    licensing.Product
	}{
		{"kms", kms(win("Professional", licensing.ChannelGVLK, lic), left, "kms.local")},
		{"grace", grace},
		{"evaluation", eval},
	}
	at := collected.Add(30*time.Second + 250*time.Millisecond) // a collection time has seconds and more
	want := at.Add(time.Duration(left) * time.Minute)
	midnight := time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC) // 09:00 JST, before the collection
	for _, pr := range products {
		for _, asOf := range []time.Time{midnight, at, midnight.AddDate(0, 0, 1), midnight.AddDate(0, 0, 1).Add(45 * time.Second), time.Time{}} {
			t.Run(fmt.Sprintf("%s as of %s", pr.name, asOf.Format(time.RFC3339)), func(t *testing.T) {
				s := snap(win10Pro, "10.0.19045", pr.p)
				s.Context.Collected = at
				v := Device(s, asOf, Site{})
				if !v.Deadline.Date.Equal(want) {
					t.Fatalf("deadline %v (%s), want %v", v.Deadline.Date, v.Deadline.Kind, want)
				}
			})
		}
	}
}

// TestHRESULTs checks that every HRESULT of DOMAIN.md's table reaches the
// reasons with its meaning, in both languages, and raises its flag.
func TestHRESULTs(t *testing.T) {
	flag := map[uint32]string{
		0xC004F074: "kms-host-unreachable", 0x8007232B: "kms-host-unreachable", 0xC004F038: "kms-host-unreachable",
		0xC004F056: "kms-host-unreachable", 0xC004F035: "kms-no-marker", 0xC004C003: "key-blocked",
		0xC004C020: "mak-exhausted", 0xC004C021: "mak-exhausted", 0xC004F057: "slp-marker-missing",
		0xC004F058: "slp-marker-missing", 0xC004E003: "license-store-damaged",
	}
	all := []uint32{0xC004F074, 0x8007232B, 0xC004F038, 0xC004F035, 0xC004F009, 0xC004F00F, 0xC004F034,
		0xC004F056, 0xC004F200, 0xC004C003, 0xC004C020, 0xC004C021, 0xC004F057, 0xC004F058, 0xC004E003,
		0x4004F00D, 0x4004F040}
	for _, code := range all {
		t.Run(licensing.HRESULT(code), func(t *testing.T) {
			r, ok := licensing.LookupReason(code)
			if !ok {
				t.Fatal("not in the licensing table")
			}
			p := win("Enterprise", licensing.ChannelGVLK, licensing.StatusNotification)
			p.StatusReason = code
			v := Device(snap(win7Pro, "6.1.7601", p), collected, Site{})
			if v.Category != Urgent {
				t.Fatalf("category %s", v.Category)
			}
			en, ja := v.Reasons[0].English, v.Reasons[0].Japanese
			hr := licensing.HRESULT(code)
			if !strings.Contains(en, hr) || !strings.Contains(en, r.English) {
				t.Errorf("English reason %q lacks %s %q", en, hr, r.English)
			}
			if !strings.Contains(ja, hr) || !strings.Contains(ja, r.Japanese) {
				t.Errorf("Japanese reason %q lacks %s %q", ja, hr, r.Japanese)
			}
			if v.Reasons[0].Evidence.HRESULT != hr {
				t.Errorf("evidence HRESULT %q", v.Reasons[0].Evidence.HRESULT)
			}
			if f := flag[code]; f != "" && !hasCode(v.Flags, f) {
				t.Errorf("flags [%s], want %s", codes(v.Flags), f)
			}
		})
	}
}

func TestRoutes(t *testing.T) {
	lic := licensing.StatusLicensed
	yes, no := true, false
	w7 := func(slic *bool) *licensing.Snapshot {
		s := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelRetail, lic))
		s.Hardware.SLIC = slic
		return s
	}
	w10 := snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMDM, lic))
	joined := func(s *licensing.Snapshot) *licensing.Snapshot {
		c := *s
		c.Domain = licensing.Domain{Joined: true, Name: "factory.local"}
		return &c
	}
	srv := snap("Microsoft Windows Server 2016 Standard", "10.0.14393", win("ServerStandard", licensing.ChannelRetail, lic))
	o10 := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelOEMSLP, lic),
		office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, lic))
	tests := []struct {
		name string
		s    *licensing.Snapshot
		pool Pool
		want Route
		code string
	}{
		{"win10 below threshold", w10, Pool{Client: 24}, RouteMAK, "route-mak"},
		{"win10 at threshold", w10, Pool{Client: 25}, RouteKMS, "route-kms"},
		{"win10 in a domain", joined(w10), Pool{}, RouteADBased, "route-ad-based"},
		{"win7 in a domain is not AD-based", joined(w7(&yes)), Pool{Client: 30}, RouteKMS, "route-kms"},
		{"win7 with marker", w7(&yes), Pool{Client: 30}, RouteKMS, "route-kms"},
		{"win7 without marker", w7(&no), Pool{Client: 30}, RouteMAK, "route-mak-no-marker"},
		{"win7 marker unknown", w7(nil), Pool{Client: 30}, RouteMAK, "route-mak-no-marker"},
		{"server at 5", srv, Pool{Server: 5}, RouteKMS, "route-kms"},
		{"server at 4", srv, Pool{Server: 4, Client: 100}, RouteMAK, "route-mak"},
		{"office at 5", o10, Pool{Office: 5}, RouteKMS, "route-kms"},
		{"office 2010 in a domain", joined(o10), Pool{Office: 1}, RouteMAK, "route-mak"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{Pool: tc.pool})
			if v.Category != VolumeLicense || len(v.Routes) != 1 {
				t.Fatalf("got %s routes %+v", v.Category, v.Routes)
			}
			if r := v.Routes[0]; r.Route != tc.want || r.Code != tc.code {
				t.Fatalf("route %s (%s), want %s (%s)", r.Route, r.Code, tc.want, tc.code)
			}
			if !hasCode(v.Reasons, tc.code) {
				t.Errorf("reasons [%s] lack %s", codes(v.Reasons), tc.code)
			}
		})
	}
}

func TestPool(t *testing.T) {
	lic := licensing.StatusLicensed
	yes := true
	var p Pool
	p.Add(snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMDM, lic)))
	p.Add(snap("Microsoft Windows 10 Home", "10.0.19045", win("Core", licensing.ChannelOEMDM, lic)))
	p.Add(snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelRetail, lic))) // no marker: not counted
	withMarker := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelGVLK, lic),
		office("Office 14, OfficeStandard-KMS_Client edition", licensing.ChannelGVLK, lic))
	withMarker.Hardware.SLIC = &yes
	p.Add(withMarker)
	p.Add(snap("Microsoft Windows Server 2019 Standard", "10.0.17763", win("ServerStandard", licensing.ChannelGVLK, lic)))
	if want := (Pool{Client: 2, Server: 1, Office: 1}); !reflect.DeepEqual(p, want) {
		t.Fatalf("pool %+v, want %+v", p, want)
	}
}

func TestFlags(t *testing.T) {
	lic := licensing.StatusLicensed
	s := snap(win10Pro, "10.0.19045", func() licensing.Product {
		p := win("Professional", licensing.ChannelRetail, lic)
		p.PartialKey = "3V66T"
		return p
	}(), office("Office 16, Office16StandardVL_MAK edition", licensing.ChannelMAK, lic))
	s.Volumes = []licensing.Volume{
		{Name: "C:", System: true, SizeBytes: 100 << 30, FreeBytes: 5 << 30, BitLocker: "on"},
		{Name: "D:", SizeBytes: 100 << 30, FreeBytes: 1 << 20, BitLocker: "off"},
	}
	s.ImageBackups = []string{`E:\WindowsImageBackup`}
	s.Errors = []licensing.SourceError{{Source: licensing.SourceWMI, What: "Win32_EncryptableVolume", Error: "access denied"}}
	v := Device(s, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Site{})
	want := "end-of-support-os,end-of-support-office,bitlocker-on,low-disk,digital-license,image-backup-seen,collection-incomplete"
	if got := codes(v.Flags); got != want {
		t.Fatalf("flags %s\nwant  %s", got, want)
	}
	for _, f := range v.Flags {
		if f.Code == "low-disk" && (f.Evidence.Volume != "C:" || !strings.Contains(f.English, "5.0 GiB free of 100.0 GiB")) {
			t.Errorf("low-disk: %+v", f)
		}
		if f.Code == "end-of-support-os" && !strings.Contains(f.English, "Windows 10 reached the end of support on 2025-10-14") {
			t.Errorf("end-of-support-os: %q", f.English)
		}
		if f.Code == "end-of-support-office" && f.Evidence.Product != "Office 2016" {
			t.Errorf("end-of-support-office: %+v", f.Evidence)
		}
	}

	// Reads are counted, each source named once: two failed slmgr.vbs
	// commands are not "2 sources (slmgr.vbs)".
	s.Errors = []licensing.SourceError{{Source: licensing.SourceSlmgr, What: "/dlv all"}, {Source: licensing.SourceWMI, What: "x"},
		{Source: licensing.SourceSlmgr, What: "/xpr"}}
	v = Device(s, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Site{})
	for _, f := range v.Flags {
		if f.Code == "collection-incomplete" && (f.English != "3 reads failed during collection (slmgr.vbs, WMI): some facts may be missing." ||
			!strings.HasPrefix(f.Japanese, "収集中に 3 件の読み取りに失敗しました (slmgr.vbs, WMI)") || f.Evidence.Source != "slmgr,wmi") {
			t.Errorf("collection-incomplete: %q %q %+v", f.English, f.Japanese, f.Evidence)
		}
	}
}

// TestRuleTable checks the table itself: unique codes, a source for each,
// both languages filled with every placeholder resolved, and every code
// documented in docs/classification.md.
// reasonFragment is a Japanese sentence that ends in a reason clause
// without its verb: 「…ないため。」, 「…ため (0xC004F035)。」.
var reasonFragment = regexp.MustCompile(`[^。]*ため\s*(\([^)]*\))?。`)

func TestRuleTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/classification.md")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	ev := Evidence{Product: "P", Edition: "E", Channel: licensing.ChannelRetail, Status: licensing.StatusOOBGrace,
		HRESULT: "0xC004F074", Meaning: "m", meaningJA: "m", Days: intp(3), Date: "2026-01-01", Count: intp(1),
		Threshold: intp(25), Volume: "C:", FreeBytes: new(int64), SizeBytes: new(int64), PartialKey: "3V66T", Host: "h"}
	for _, r := range append(append([]rule{}, rules...), routeRules...) {
		if seen[r.code] {
			t.Errorf("code %s twice", r.code)
		}
		seen[r.code] = true
		if r.source == "" {
			t.Errorf("%s has no source", r.code)
		}
		// The rule's sentences, and those of each of its cases.
		said := []Reason{r.reason(ev)}
		for c := range r.cases {
			e := ev
			e.sentences = c
			rs := r.reason(e)
			if rs.English == said[0].English || rs.Japanese == said[0].Japanese {
				t.Errorf("%s: case %s says the rule's own sentence", r.code, c)
			}
			said = append(said, rs)
		}
		for _, rs := range said {
			for _, s := range []string{rs.English, rs.Japanese} {
				if s == "" || strings.ContainsAny(s, "{}") {
					t.Errorf("%s: sentence %q empty or unfilled", r.code, s)
				}
			}
			if rs.English == rs.Japanese {
				t.Errorf("%s: Japanese is the English text", r.code)
			}
			// Each Japanese sentence is whole: a reason clause ends in
			// its verb (「…ないためです。」), not cut off after ため.
			if m := reasonFragment.FindString(rs.Japanese); m != "" {
				t.Errorf("%s: Japanese sentence ends in a fragment %q: %s", r.code, m, rs.Japanese)
			}
		}
		if !strings.Contains(string(doc), "`"+r.code+"`") {
			t.Errorf("%s is not documented in docs/classification.md", r.code)
		}
	}
}

func TestEdition(t *testing.T) {
	tests := map[string]string{
		"Windows(R), Professional edition":                                 "Professional",
		"Windows(R) 7, Enterprise edition":                                 "Enterprise",
		"Windows(R), ServerDatacenterEval edition":                         "ServerDatacenter",
		"Windows Server(R), ServerStandard edition":                        "ServerStandard",
		"Office 14, OfficeProPlus-KMS_Client edition":                      "ProPlus",
		"Office 16, Office16VisioProR_Retail edition":                      "VisioPro",
		"Office 21, Office21ProPlus2021VL_KMS_Client_AE edition":           "ProPlus",
		"Office 24, Office24ProjectPro2024PreviewVL_KMS_Client_AE edition": "ProjectPro",
		"Office 16, Office16StandardVL_MAK edition":                        "Standard",
		"Office 16, Office16O365ProPlusR_ Subscription1 edition":           "O365ProPlus",
		"Office 15, OfficeProPlusSubR_Subscription edition":                "ProPlusSub",
		"Office 16, Office16ProjectProO365R_Subscription edition":          "ProjectProO365",
		"Windows(R) Operating System":                                      "",
	}
	for in, want := range tests {
		if got := Edition(in); got != want {
			t.Errorf("Edition(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCategoryRank(t *testing.T) {
	for i, c := range Categories {
		if c.Rank() != i {
			t.Errorf("%s rank %d", c, c.Rank())
		}
	}
	if Category("x").Rank() != len(Categories) {
		t.Error("unknown category ranked")
	}
	if got := fmt.Sprint(formatBytes(1536)); got != "1.5 KiB" {
		t.Errorf("formatBytes = %s", got)
	}
}

// TestCategoryOf: CategoryOf is Device's category, for every archetype
// at as-of dates before, at and long after its collection (grace, KMS and
// evaluation periods run out), alone at its site or with a KMS pool.
func TestCategoryOf(t *testing.T) {
	snaps := archetypes(t)
	if len(snaps) == 0 {
		t.Fatal("no archetype in testdata/snapshots")
	}
	seen := map[Category]bool{}
	for name, s := range snaps {
		for _, days := range []int{-30, 0, 10, 29, 31, 45, 80, 200, 400, 4000} {
			for _, site := range []Site{{}, {Pool: Pool{Client: 25, Server: 5, Office: 5}}, {Pool: PoolOf(s)}} {
				asOf := s.Context.Collected.AddDate(0, 0, days)
				want := Device(s, asOf, site).Category
				if got := CategoryOf(s, asOf, site); got != want {
					t.Errorf("%s, %d days on, pool %+v: got %s, want %s", name, days, site.Pool, got, want)
				}
				seen[want] = true
			}
		}
	}
	if len(seen) != len(Categories) {
		t.Errorf("the archetypes reach only %v of the %d categories", seen, len(Categories))
	}
}

// BenchmarkCategory classifies the archetypes: the whole verdict, which
// a report pays for every device, and the category alone, which an
// import stores.
func BenchmarkCategory(b *testing.B) {
	var snaps []*licensing.Snapshot
	for _, s := range archetypes(b) {
		snaps = append(snaps, s)
	}
	for _, bc := range []struct {
		name string
		of   func(s *licensing.Snapshot) Category
	}{
		{"Device", func(s *licensing.Snapshot) Category { return Device(s, time.Time{}, Site{}).Category }},
		{"CategoryOf", func(s *licensing.Snapshot) Category { return CategoryOf(s, time.Time{}, Site{}) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				bc.of(snaps[i%len(snaps)])
			}
		})
	}
}

// TestTextOutcomes: devices as issue 15's texts leave them (text source,
// no OS facts): the category and the flag each must get.
func TestTextOutcomes(t *testing.T) {
	lic := licensing.StatusLicensed
	textOnly := func(ps ...licensing.Product) *licensing.Snapshot {
		s := snap("", "", ps...)
		for i := range s.Products {
			s.Products[i].Source = licensing.SourceText
		}
		return s
	}
	notInUse := win("Enterprise", licensing.ChannelGVLK, licensing.StatusUnlicensed)
	notInUse.NotInUse, notInUse.PartialKey = true, ""
	atoFailed := licensing.Product{Kind: licensing.KindWindows, Channel: licensing.ChannelUnknown, Status: licensing.StatusUnknown,
		StatusRaw: "activation failed", StatusReason: 0xC004F074}
	makFull := office("Office 16, Office16StandardVL_MAK edition", licensing.ChannelMAK, licensing.StatusOOBGrace)
	makFull.StatusReason, makFull.GraceMinutes = 0xC004C020, minutes(20*day)
	officeHost := licensing.Product{Kind: licensing.KindOffice, Name: "Microsoft Office 2010, KMSHost edition",
		Channel: licensing.ChannelCSVLK, Status: lic, PartialKey: "QPTWY"}
	tests := []struct {
		name string
		s    *licensing.Snapshot
		want Category
		code string
		flag string
	}{
		{"only licenses not in use: nothing licensed", textOnly(notInUse), Urgent, "nothing-licensed", ""},
		{"only the Office KMS host pack, not in use", textOnly(func() licensing.Product {
			p := officeHost
			p.NotInUse, p.Status, p.PartialKey = true, licensing.StatusUnlicensed, ""
			return p
		}()), Urgent, "nothing-licensed", ""},
		{"failed /ato: unknown status, KMS unreachable", textOnly(atoFailed), Urgent, "status-unknown", "kms-host-unreachable"},
		{"MAK limit reached in /act, grace in /dstatus", textOnly(win("Professional", licensing.ChannelMAK, lic), makFull), Urgent, "grace", "mak-exhausted"},
		{"KMS host with the Office 2010 host pack", textOnly(win("ServerStandard", licensing.ChannelCSVLK, lic), officeHost), OK, "kms-host", "end-of-support-office"},
		{"zh-CN KMS client read by shape", textOnly(kms(win("EnterpriseS", licensing.ChannelGVLK, lic), 259197, "kms.example.lan")), OK, "kms-client", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			if v.Category != tc.want || !hasCode(v.Reasons, tc.code) {
				t.Fatalf("got %s [%s], want %s with %s", v.Category, codes(v.Reasons), tc.want, tc.code)
			}
			if tc.flag != "" && !hasCode(v.Flags, tc.flag) {
				t.Errorf("flags [%s], want %s", codes(v.Flags), tc.flag)
			}
			if hasCode(v.Reasons, "no-license-data") {
				t.Errorf("no-license-data beside [%s]", codes(v.Reasons))
			}
		})
	}
	v := Device(textOnly(notInUse), collected, Site{})
	if r := v.Reasons[0]; !strings.Contains(r.English, "of the 1 license listed (Windows(R), Enterprise edition…), none has") || r.Evidence.Product != notInUse.Name {
		t.Errorf("nothing-licensed: got %q, evidence %+v", r.English, r.Evidence)
	}
}

// TestCounted: English sentences count in the singular for one and the
// plural otherwise; Japanese ones say the number alone.
func TestCounted(t *testing.T) {
	one, three := 1, 3
	for _, tc := range []struct {
		tmpl string
		ev   Evidence
		ja   bool
		want string
	}{
		{"{count:eligible machine} here", Evidence{Count: &one}, false, "1 eligible machine here"},
		{"{count:eligible machine} here", Evidence{Count: &three}, false, "3 eligible machines here"},
		{"{count:client}", Evidence{}, false, "? clients"},
		{"{days:day} left", Evidence{Days: &one}, false, "1 day left"},
		{"{count:client} 台", Evidence{Count: &three}, true, "3 台"},
		{"{nosuch:thing}", Evidence{}, false, "{nosuch:thing}"},
		{"x{left}", Evidence{Days: &one}, false, "x, 1 day left at the as-of date"},
		{"x{left}", Evidence{Days: &three}, true, "x (基準日時点で残り 3 日)"},
	} {
		if got := fill(tc.tmpl, tc.ev, tc.ja); got != tc.want {
			t.Errorf("fill(%q) = %q, want %q", tc.tmpl, got, tc.want)
		}
	}
	var p Pool
	p.Client = 1
	for _, a := range p.Advice() {
		if a.Kind == "client" && !strings.HasPrefix(a.English, "Only 1 eligible machine, threshold 25") {
			t.Errorf("advice: %q", a.English)
		}
		// None at all (no server seen): not "Only 0 eligible machines",
		// whose "its machines need MAK" reads as something to buy.
		if a.Kind == "server" && (a.State != KMSHostNotPossible || strings.Contains(a.English, "Only 0") ||
			!strings.HasPrefix(a.English, "No eligible machines, threshold 5") || !strings.HasPrefix(a.Japanese, "対象の端末はありません")) {
			t.Errorf("advice for no machine: %+v", a)
		}
	}
}

// TestNoMarkerWords: 0xC004F035 is DOMAIN.md's missing BIOS Windows
// marker on a Windows 7 PC only. A newer Windows (or a server) that
// reports it goes to MAK as well, but no sentence of it, route, flag or
// reason, speaks of Windows 7 or the BIOS: Windows' own words are that
// a volume license key could not activate it, as volume licenses are
// upgrades of a qualifying license (Microsoft Learn, "Resolve Windows
// activation error codes").
func TestNoMarkerWords(t *testing.T) {
	no := false
	f035 := func(caption, version, edition string, st licensing.Status) *licensing.Snapshot {
		p := kms(win(edition, licensing.ChannelGVLK, st), 0, "kms01")
		p.StatusReason = 0xC004F035
		return snap(caption, version, p)
	}
	noSLIC := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelRetail, licensing.StatusLicensed))
	noSLIC.Hardware.SLIC = &no
	const (
		marker, markerJA = "a Windows 7 PC without a proven BIOS Windows marker cannot use KMS", "BIOS の Windows マーカーを確認できない Windows 7 PC"
		upgrade          = "volume licenses are upgrades, and Microsoft's answer to this error is a qualifying Windows license, then a MAK"
		upgradeJA        = "ボリューム ライセンスはアップグレード ライセンスのため"
	)
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		route    string // words of route-mak-no-marker
		routeJA  string
		windows7 bool // its sentences may speak of Windows 7 and the BIOS marker
	}{
		{"Windows 7 reporting it", f035(win7Pro, "6.1.7601", "Professional", licensing.StatusNotification), marker, markerJA, true},
		{"Windows 7 whose firmware has no marker", noSLIC, marker, markerJA, true},
		{"Windows 10 reporting it", f035(win10Pro, "10.0.19045", "Professional", licensing.StatusNotification), upgrade, upgradeJA, false},
		{"Windows 8.1 reporting it in grace", f035("Microsoft Windows 8.1 Pro", "6.3.9600", "Professional", licensing.StatusOOTGrace), upgrade, upgradeJA, false},
		{"Windows Server 2019 reporting it", f035("Microsoft Windows Server 2019 Standard", "10.0.17763", "ServerStandard", licensing.StatusNotification),
			upgrade, upgradeJA, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{Pool: Pool{Client: 30, Server: 5, Hosts: []KMSHost{{Name: "kms01", Windows: 30, Server: 5}}}})
			if len(v.Routes) != 1 || v.Routes[0].Route != RouteMAK || v.Routes[0].Code != "route-mak-no-marker" {
				t.Fatalf("routes %+v, want MAK (route-mak-no-marker)", v.Routes)
			}
			found := false
			for _, r := range v.Reasons {
				if r.Code == "route-mak-no-marker" {
					found = true
					if !strings.Contains(r.English, tc.route) || !strings.Contains(r.Japanese, tc.routeJA) {
						t.Errorf("route says %q / %q, want %q / %q", r.English, r.Japanese, tc.route, tc.routeJA)
					}
				}
			}
			if !found {
				t.Errorf("reasons [%s] lack route-mak-no-marker", codes(v.Reasons))
			}
			if tc.s.Products[0].StatusReason == 0xC004F035 && !hasCode(v.Flags, "kms-no-marker") {
				t.Errorf("flags [%s] lack kms-no-marker", codes(v.Flags))
			}
			if tc.windows7 {
				return
			}
			for _, r := range append(append([]Reason(nil), v.Reasons...), v.Flags...) {
				for _, w := range []string{"Windows 7", "BIOS", "marker"} {
					if strings.Contains(r.English, w) || strings.Contains(r.Japanese, w) || strings.Contains(r.Evidence.Meaning, w) {
						t.Errorf("%s speaks of %q: %q / %q", r.Code, w, r.English, r.Japanese)
					}
				}
				if r.Code == "kms-no-marker" && (!strings.Contains(r.English, "0xC004F035") || !strings.Contains(r.Japanese, "アップグレード")) {
					t.Errorf("kms-no-marker says %q / %q", r.English, r.Japanese)
				}
			}
		})
	}
}

// TestNoMarkerOffice: an Office reporting 0xC004F035 gets kms-no-marker
// too, in neutral words: KMS could not activate its volume license key
// on this machine. DOMAIN.md reads the code for a Windows 7 PC only, and
// Microsoft's answer to it (a qualifying Windows license, then a MAK) is
// Windows', so no sentence of the Office, flag or reason, speaks of a
// Windows license, the BIOS or its marker.
func TestNoMarkerOffice(t *testing.T) {
	officeF035 := func(caption, version string) *licensing.Snapshot {
		o := kms(office("Office 14, OfficeProPlus-KMS_Client edition", licensing.ChannelGVLK, licensing.StatusNotification), 0, "kms01")
		o.StatusReason = 0xC004F035
		return snap(caption, version, win("Professional", licensing.ChannelMAK, licensing.StatusLicensed), o)
	}
	const (
		says   = "Office 2010 Professional Plus could not be activated by KMS with its volume license key on this machine (0xC004F035"
		saysJA = "はこの端末ではボリューム ライセンスのキーを KMS でライセンス認証できませんでした (0xC004F035"
	)
	for _, tc := range []struct {
		name string
		s    *licensing.Snapshot
	}{
		{"on Windows 7", officeF035(win7Pro, "6.1.7601")},
		{"on Windows 10", officeF035(win10Pro, "10.0.19045")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			found := false
			for _, r := range v.Flags {
				if r.Code != "kms-no-marker" {
					continue
				}
				found = true
				if !strings.Contains(r.English, says) || !strings.Contains(r.Japanese, saysJA) {
					t.Errorf("kms-no-marker says\n %q\n %q\nwant %q, %q", r.English, r.Japanese, says, saysJA)
				}
			}
			if !found {
				t.Fatalf("flags [%s] lack kms-no-marker", codes(v.Flags))
			}
			for _, r := range append(append([]Reason(nil), v.Reasons...), v.Flags...) {
				if r.Evidence.Kind != licensing.KindOffice {
					continue
				}
				for _, w := range []string{"Windows", "BIOS", "marker", "qualifying", "マーカー", "適格"} {
					if strings.Contains(r.English, w) || strings.Contains(r.Japanese, w) || strings.Contains(r.Evidence.Meaning, w) {
						t.Errorf("%s speaks of %q: %q / %q", r.Code, w, r.English, r.Japanese)
					}
				}
			}
		})
	}
}

// kmsCase is a KMS client judged with a site's pool: the category, the
// code among its reasons, and its action and host.
type kmsCase struct {
	name   string
	s      *licensing.Snapshot
	pool   Pool
	want   Category
	code   string
	action Action
	host   string
}

// check judges the case, as Device and as CategoryOf, and returns the
// verdict for the test's own checks. A client that is not ok is no
// longer said to be a kms-client.
func (tc kmsCase) check(t *testing.T) Verdict {
	t.Helper()
	v := Device(tc.s, collected, Site{Pool: tc.pool})
	if v.Category != tc.want || !hasCode(v.Reasons, tc.code) {
		t.Fatalf("got %s [%s], want %s with %s", v.Category, codes(v.Reasons), tc.want, tc.code)
	}
	if got := CategoryOf(tc.s, collected, Site{Pool: tc.pool}); got != v.Category {
		t.Errorf("CategoryOf %s, Device %s", got, v.Category)
	}
	if v.Action.Action != tc.action || v.Action.Host != tc.host {
		t.Errorf("action %s %q, want %s %q", v.Action.Action, v.Action.Host, tc.action, tc.host)
	}
	if tc.want != OK && hasCode(v.Reasons, "kms-client") {
		t.Errorf("reasons [%s] still say kms-client", codes(v.Reasons))
	}
	return v
}

// TestKMSHostFailing: a licensed KMS client with time left whose KMS
// host reported one of the failures of DOMAIN.md's HRESULT table
// (0xC004F074 "KMS client without a reachable host", ...) is not fine:
// a KMS client is fine only "while a KMS host is reachable" (DOMAIN.md
// channel table). It goes where the site's KMS verdict says, as one
// without a host does; an informational code changes nothing.
func TestKMSHostFailing(t *testing.T) {
	lic := licensing.StatusLicensed
	client := func(code uint32) *licensing.Snapshot {
		p := kms(win("Professional", licensing.ChannelGVLK, lic), 100*day, "kms02")
		p.StatusReason = code
		return snap(win10Pro, "10.0.19045", p)
	}
	office2013 := func(code uint32) *licensing.Snapshot {
		o := kms(office("Office 15, OfficeProPlusVL_KMS_Client edition", licensing.ChannelGVLK, lic), 100*day, "kms02")
		o.ApplicationID, o.StatusReason = licensing.AppOffice15, code
		return snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic), o)
	}
	siteHost := Pool{Client: 30, Hosts: []KMSHost{{Name: "kms01", Windows: 30}}}
	tests := []kmsCase{
		{"0xC004F074, small site", client(0xC004F074), Pool{}, VolumeLicense, "kms-host-failing", ActionMAK, ""},
		{"0x8007232B, small site", client(0x8007232B), Pool{}, VolumeLicense, "kms-host-failing", ActionMAK, ""},
		{"0xC004F038, big site", client(0xC004F038), Pool{Client: 30}, VolumeLicense, "kms-host-failing", ActionKMSHost, ""},
		{"0xC004F056, site host", client(0xC004F056), siteHost, VolumeLicense, "kms-host-failing", ActionKMSConnect, "kms01"},
		{"0x8007232A", client(0x8007232A), Pool{}, VolumeLicense, "kms-host-failing", ActionMAK, ""},
		{"0x8007251D", client(0x8007251D), Pool{}, VolumeLicense, "kms-host-failing", ActionMAK, ""},
		{"Office 0xC004F074", office2013(0xC004F074), Pool{}, VolumeLicense, "kms-host-failing", ActionMAK, ""},
		{"informational 0x4004F040", client(0x4004F040), Pool{}, OK, "kms-client", ActionNone, ""},
		{"no code", client(0), Pool{}, OK, "kms-client", ActionNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.check(t)
			if tc.code != "kms-host-failing" {
				return
			}
			for _, r := range v.Reasons {
				if r.Code != tc.code {
					continue
				}
				hr := r.Evidence.HRESULT
				if !strings.Contains(r.English, "kms02") || !strings.Contains(r.English, hr) ||
					!strings.Contains(r.Japanese, "kms02") || !strings.Contains(r.Japanese, hr) {
					t.Errorf("reason does not name the host and %s:\n%s\n%s", hr, r.English, r.Japanese)
				}
			}
		})
	}
}

// TestEndOfSupportDay: the end-of-support date of DOMAIN.md is a day in
// the as-of date's own time zone, as an as-of date given as YYYY-MM-DD
// is (fleet.AsOf: midnight, local time). The flag comes on that day and
// the deadline is due until then, wherever the report is made: read as
// midnight UTC, a report as of 2020-01-14 in Japan (15:00 UTC the day
// before) had no flag and a deadline 0 days away, one made in UTC the
// flag.
func TestEndOfSupportDay(t *testing.T) {
	s := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelRetail, licensing.StatusLicensed))
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("JST", 9*3600), time.FixedZone("PST", -8*3600)} {
		day := time.Date(2020, 1, 14, 0, 0, 0, 0, loc)
		tests := []struct {
			name string
			asOf time.Time
			flag bool
		}{
			{"day before", day.AddDate(0, 0, -1), false},
			{"last second before", day.Add(-time.Second), false},
			{"on the date", day, true},
			{"day after", day.AddDate(0, 0, 1), true},
		}
		for _, tc := range tests {
			t.Run(loc.String()+" "+tc.name, func(t *testing.T) {
				v := Device(s, tc.asOf, Site{})
				if got := hasCode(v.Flags, "end-of-support-os"); got != tc.flag {
					t.Fatalf("end-of-support-os %v, want %v [%s]", got, tc.flag, codes(v.Flags))
				}
				eos := v.Deadline.Kind == DeadlineEndOfSupport
				if eos == tc.flag {
					t.Errorf("deadline %s %s, want end-of-support: %v", v.Deadline.Kind, v.Deadline.Date, !tc.flag)
				}
				if eos && v.Deadline.Date.Format("2006-01-02") != "2020-01-14" {
					t.Errorf("deadline date %s, want 2020-01-14", v.Deadline.Date.Format("2006-01-02"))
				}
			})
		}
	}
}

// TestEndOfSupportESU: a Windows past its end of support whose Extended
// Security Updates add-on is licensed still gets security updates until
// the ESU end DOMAIN.md gives ("Windows 7 SP1 2020-01-14 (ESU to
// 2023-01-10)", "Windows 10 22H2 2025-10-14 (consumer ESU to
// 2026-10-13)"): its flag does not say that none are provided. After the
// ESU end, without the add-on, or with the add-on not activated, it does.
func TestEndOfSupportESU(t *testing.T) {
	lic := licensing.StatusLicensed
	esu := func(name string, st licensing.Status) licensing.Product {
		p := win("Professional", licensing.ChannelMAK, st)
		p.Name, p.IsAddon = name, true
		return p
	}
	win10ESU := esu("Windows(R), Client-ESU-Year1 add-on for Education,Enterprise,Professional,Core", lic)
	win7ESU := esu("Windows(R) 7, Client-ESU-Year1 add-on for Enterprise,Professional,Ultimate", lic)
	win10 := win("Professional", licensing.ChannelMAK, lic)
	win7 := win("Professional", licensing.ChannelOEMSLP, lic)
	jst := time.FixedZone("JST", 9*3600)
	tests := []struct {
		name string
		s    *licensing.Snapshot
		asOf time.Time
		esu  bool
	}{
		{"Windows 10 with ESU", snap(win10Pro, "10.0.19045", win10, win10ESU), time.Date(2026, 3, 1, 0, 0, 0, 0, jst), true},
		{"Windows 10 with ESU, last day", snap(win10Pro, "10.0.19045", win10, win10ESU), time.Date(2026, 10, 12, 0, 0, 0, 0, jst), true},
		{"Windows 10 with ESU, ESU ended", snap(win10Pro, "10.0.19045", win10, win10ESU), time.Date(2026, 10, 13, 0, 0, 0, 0, jst), false},
		{"Windows 10 without ESU", snap(win10Pro, "10.0.19045", win10), time.Date(2026, 3, 1, 0, 0, 0, 0, jst), false},
		{"Windows 10, ESU not activated", snap(win10Pro, "10.0.19045", win10, esu(win10ESU.Name, licensing.StatusNotification)),
			time.Date(2026, 3, 1, 0, 0, 0, 0, jst), false},
		{"Windows 7 with ESU", snap(win7Pro, "6.1.7601", win7, win7ESU), time.Date(2022, 6, 1, 0, 0, 0, 0, jst), true},
		{"Windows 7 with ESU, ESU ended", snap(win7Pro, "6.1.7601", win7, win7ESU), time.Date(2023, 1, 10, 0, 0, 0, 0, jst), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, tc.asOf, Site{})
			f := withCode(v.Flags, "end-of-support-os")
			if f == nil {
				t.Fatalf("flags [%s] lack end-of-support-os", codes(v.Flags))
			}
			none := strings.Contains(f.English, "no security updates are provided") || strings.Contains(f.Japanese, "提供されていません")
			said := strings.Contains(f.English, "Extended Security Updates (ESU)") && strings.Contains(f.Japanese, "拡張セキュリティ更新プログラム (ESU)")
			if none == tc.esu || said != tc.esu {
				t.Errorf("ESU %v:\n%s\n%s", tc.esu, f.English, f.Japanese)
			}
			if !strings.Contains(f.English, "plan an image backup and a migration") {
				t.Errorf("no longer plans an image backup and a migration: %s", f.English)
			}
		})
	}
}

// TestAVMAMinutes: a licensed AVMA guest's minutes (slmgr's "Guest
// Virtual Machine activation expiration", 10079 in the constructed
// sample) are no KMS client's: it renews from its Hyper-V host, and
// DOMAIN.md gives no validity period for it. It has no deadline, no
// projected count (which went negative a week after collection on a
// device said to be ok), and no sentence about KMS. An AVMA product in
// a grace state is in grace: its minutes are the grace period's.
func TestAVMAMinutes(t *testing.T) {
	guest := func(st licensing.Status, left int) *licensing.Snapshot {
		p := win("ServerDatacenter", licensing.ChannelAVMA, st)
		p.GraceMinutes = minutes(left)
		return snap("Microsoft Windows Server 2019 Datacenter", "10.0.17763", p)
	}
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		asOf     time.Time
		want     Category
		code     string
		deadline DeadlineKind
	}{
		{"at collection", guest(licensing.StatusLicensed, 10079), collected, OK, "avma", ""},
		{"a day before its minutes run out", guest(licensing.StatusLicensed, 10079), collected.AddDate(0, 0, 6), OK, "avma", ""},
		{"100 days after collection", guest(licensing.StatusLicensed, 10079), collected.AddDate(0, 0, 100), OK, "avma", ""},
		{"in OOT grace", guest(licensing.StatusOOTGrace, 10*day), collected, Urgent, "grace", DeadlineGrace},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, tc.asOf, Site{})
			if v.Category != tc.want || !hasCode(v.Reasons, tc.code) {
				t.Fatalf("got %s [%s], want %s with %s", v.Category, codes(v.Reasons), tc.want, tc.code)
			}
			if v.Deadline.Kind != tc.deadline || v.Steps[0].Deadline.Kind != tc.deadline {
				t.Errorf("deadline %q, step's %q, want %q", v.Deadline.Kind, v.Steps[0].Deadline.Kind, tc.deadline)
			}
			if CategoryOf(tc.s, tc.asOf, Site{}) != v.Category {
				t.Errorf("CategoryOf %s, Device %s", CategoryOf(tc.s, tc.asOf, Site{}), v.Category)
			}
			if tc.deadline != "" {
				return
			}
			if v.Action.Action != ActionNone {
				t.Errorf("action %s, want %s", v.Action.Action, ActionNone)
			}
			for _, r := range append(v.Reasons, v.Flags...) {
				if r.Evidence.Minutes != nil || r.Evidence.Days != nil {
					t.Errorf("%s: evidence minutes %v days %v, want none", r.Code, r.Evidence.Minutes, r.Evidence.Days)
				}
				if strings.Contains(r.English, "KMS") || strings.Contains(r.Japanese, "KMS") {
					t.Errorf("%s speaks of KMS:\n%s\n%s", r.Code, r.English, r.Japanese)
				}
			}
		})
	}
}

// TestKMSDaysUnknown: a licensed KMS client with a host whose days left
// were not read (a text-only collection whose slmgr output had no
// "Volume activation expiration" line, an ospp /dstatus without
// REMAINING GRACE) is not proven to have 30 days or more: it is not ok
// with "? days" while its step says to act. Verdict (volume-license,
// kms-days-unknown), sentence, step and deadline say the same: activate
// it again at a KMS host; no date is claimed.
func TestKMSDaysUnknown(t *testing.T) {
	lic := licensing.StatusLicensed
	client := func(left *int) *licensing.Snapshot {
		p := win("Professional", licensing.ChannelGVLK, lic)
		p.GraceMinutes, p.Source = left, licensing.SourceText
		p.KMS = &licensing.KMS{ConfiguredHost: "kms01"}
		return snap(win10Pro, "10.0.19045", p)
	}
	office2013 := func() *licensing.Snapshot {
		o := office("Office 15, OfficeProPlusVL_KMS_Client edition", licensing.ChannelGVLK, lic)
		o.ApplicationID, o.KMS = licensing.AppOffice15, &licensing.KMS{DiscoveredHost: "kms01"}
		return snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic), o)
	}
	siteHost := Pool{Client: 30, Hosts: []KMSHost{{Name: "kms02", Windows: 30}}}
	tests := []kmsCase{
		{"no expiration line", client(nil), Pool{}, VolumeLicense, "kms-days-unknown", ActionKMSConnect, "kms01"},
		{"no expiration line, site host", client(nil), siteHost, VolumeLicense, "kms-days-unknown", ActionKMSConnect, "kms02"},
		{"0 minutes, as a permanent activation reads", client(minutes(0)), Pool{}, VolumeLicense, "kms-days-unknown", ActionKMSConnect, "kms01"},
		{"Office without REMAINING GRACE", office2013(), Pool{}, VolumeLicense, "kms-days-unknown", ActionKMSConnect, "kms01"},
		{"100 days read", client(minutes(100 * day)), Pool{}, OK, "kms-client", ActionNone, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.check(t)
			if tc.code != "kms-days-unknown" {
				return
			}
			// Windows 10 22H2 is past its end of support: nothing else
			// would give the device a date.
			if !v.Deadline.IsZero() || !v.Action.Deadline.IsZero() {
				t.Errorf("deadlines %+v, %+v, want none: its date was not read", v.Deadline, v.Action.Deadline)
			}
			for _, r := range v.Reasons {
				if strings.Contains(r.English, "?") || strings.Contains(r.Japanese, "?") {
					t.Errorf("%s says an unread count:\n%s\n%s", r.Code, r.English, r.Japanese)
				}
				if r.Code == tc.code && (!strings.Contains(r.English, "kms01") || !strings.Contains(r.Japanese, "kms01")) {
					t.Errorf("reason does not name its host:\n%s\n%s", r.English, r.Japanese)
				}
			}
		})
	}
}

// TestEvaluationEndOfAnother: the collector gives the date of an slmgr
// /xpr that names no product to the Windows OS product alone, and to
// none when two Windows SKUs have a key (collect.TestXprExpiry). Given to
// every Windows product, as before, a KMS client's volume expiry made a
// date for an evaluation beside it whose end WMI did not read: a reason
// and a deadline for a date that is not the evaluation's. The verdict of
// the snapshot as the collector now makes it says the KMS client's days
// (GracePeriodRemaining) and claims no end for the evaluation; an
// evaluation's own /xpr date still counts.
func TestEvaluationEndOfAnother(t *testing.T) {
	lic := licensing.StatusLicensed
	expiry := collected.AddDate(0, 0, 20)
	device := func(clientExpiry, evalExpiry *time.Time) *licensing.Snapshot {
		client := kms(win("EnterpriseS", licensing.ChannelGVLK, lic), 20*day, "kms01")
		client.Expires = clientExpiry
		eval := win("EnterpriseSEval", licensing.ChannelEval, lic)
		eval.GraceMinutes, eval.Expires = minutes(0), evalExpiry // no EvaluationEndDate read
		return snap("Microsoft Windows 10 Enterprise LTSC", "10.0.19044", client, eval)
	}
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		deadline DeadlineKind
		product  string
		evalEnds bool // an evaluation-ending reason, with a date
	}{
		{"the date on neither (now: two SKUs with a key)", device(nil, nil), DeadlineKMS, "Windows(R), EnterpriseS edition", false},
		{"the date on both (before)", device(&expiry, &expiry), DeadlineEvaluation, "Windows(R), EnterpriseSEval edition", true},
		{"the evaluation's own date", snap("Microsoft Windows 10 Enterprise LTSC", "10.0.19044",
			func() licensing.Product {
				p := win("EnterpriseSEval", licensing.ChannelEval, lic)
				p.GraceMinutes, p.Expires = minutes(0), &expiry
				return p
			}()), DeadlineEvaluation, "Windows(R), EnterpriseSEval edition", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			if v.Category != Urgent {
				t.Errorf("category %s, want %s", v.Category, Urgent)
			}
			if v.Deadline.Kind != tc.deadline || v.Deadline.Product != tc.product {
				t.Errorf("deadline %s of %q, want %s of %q", v.Deadline.Kind, v.Deadline.Product, tc.deadline, tc.product)
			}
			if got := hasCode(v.Reasons, "evaluation-ending"); got != tc.evalEnds {
				t.Errorf("evaluation-ending among [%s]: got %v, want %v", codes(v.Reasons), got, tc.evalEnds)
			}
		})
	}
}

// TestPOSReadyMAKUnverified: DOMAIN.md marks a MAK route for POSReady 7
// UNVERIFIED, to be reported as a hint, not encoded as a rule. A POSReady
// 7 KMS client that does not renew and is routed to MAK keeps the route
// (nothing verified offers another) but its reason says that a MAK for
// POSReady 7 is not verified; a Windows 7 Professional's says nothing of it.
func TestPOSReadyMAKUnverified(t *testing.T) {
	lic := licensing.StatusLicensed
	yes := true
	pos := func(slic *bool) *licensing.Snapshot {
		p := win("POSReady", licensing.ChannelGVLK, lic)
		p.GraceMinutes = minutes(100 * day)
		s := snap("Windows Embedded POSReady 7", "6.1.7601", p)
		s.Hardware.SLIC = slic
		return s
	}
	pro := snap(win7Pro, "6.1.7601", func() licensing.Product {
		p := win("Professional", licensing.ChannelGVLK, lic)
		p.GraceMinutes = minutes(100 * day)
		return p
	}())
	pro.Hardware.SLIC = &yes
	tests := []struct {
		name string
		s    *licensing.Snapshot
		code string
		hint bool
	}{
		{"POSReady 7, marker unknown", pos(nil), "route-mak-no-marker", true},
		{"POSReady 7, marker", pos(&yes), "route-mak", true},
		{"Windows 7 Professional", pro, "route-mak", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			r := withCode(v.Reasons, tc.code)
			if r == nil {
				t.Fatalf("got [%s], want %s", codes(v.Reasons), tc.code)
			}
			if got := strings.Contains(r.English, "POSReady 7 is not verified"); got != tc.hint {
				t.Errorf("got English %q, want the hint: %v", r.English, tc.hint)
			}
			if got := strings.Contains(r.Japanese, "POSReady 7 で MAK を使えるかどうかは確認されていません"); got != tc.hint {
				t.Errorf("got Japanese %q, want the hint: %v", r.Japanese, tc.hint)
			}
		})
	}
}

// TestRetailKeyProxy: DOMAIN.md's channel table gives a retail key of
// its own a second route besides online, "by proxy (VAMT documents
// retail keys)": its sentences say so. A digital license (a public
// generic key) and the OEM channels reactivate only online, as they say.
func TestRetailKeyProxy(t *testing.T) {
	lic := licensing.StatusLicensed
	digital := win("Core", licensing.ChannelRetail, lic)
	digital.PartialKey = "8HVX7"
	tests := []struct {
		name  string
		s     *licensing.Snapshot
		code  string
		proxy bool
	}{
		{"Windows 7 Home Premium, retail key", snap("Microsoft Windows 7 Home Premium", "6.1.7601", win("HomePremium", licensing.ChannelRetail, lic)), "online-only-no-volume", true},
		{"Windows 7 Professional, retail key", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelRetail, lic)), "online-only-volume", true},
		{"Office 2010 Professional Plus, retail key", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic),
			office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, lic)), "online-only-volume", true},
		{"Office 2010 Home and Business, retail key", snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic),
			office("Office 14, OfficeHomeBusiness-Retail edition", licensing.ChannelRetail, lic)), "online-only-no-volume", true},
		{"Windows 10 Home, digital license", snap("Microsoft Windows 10 Home", "10.0.19045", digital), "online-only-no-volume", false},
		{"POSReady 7, OEM COA", snap("Windows Embedded POSReady 7", "6.1.7601", win("POSReady", licensing.ChannelCOANSLP, lic)), "online-only-no-volume", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			r := withCode(v.Reasons, tc.code)
			if r == nil {
				t.Fatalf("got [%s], want %s", codes(v.Reasons), tc.code)
			}
			if got := strings.Contains(r.English, "or by proxy activation"); got != tc.proxy {
				t.Errorf("got English %q, want proxy said: %v", r.English, tc.proxy)
			}
			if got := strings.Contains(r.English, "only online"); got == tc.proxy {
				t.Errorf("got English %q, want \"only online\": %v", r.English, !tc.proxy)
			}
			if got := strings.Contains(r.Japanese, "プロキシ ライセンス認証"); got != tc.proxy {
				t.Errorf("got Japanese %q, want proxy said: %v", r.Japanese, tc.proxy)
			}
		})
	}
}
