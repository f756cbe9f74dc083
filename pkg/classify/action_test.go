package classify

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

func TestProductName(t *testing.T) {
	lic := licensing.StatusLicensed
	tests := []struct {
		name, caption, version string
		p                      licensing.Product
		want, wantJA           string
	}{
		{"win7 pro", win7Pro, "6.1.7601", win("Professional", licensing.ChannelRetail, lic), "Windows 7 Professional", ""},
		{"win10 pro", win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMDM, lic), "Windows 10 Pro", ""},
		{"win11 by build", "Microsoft Windows 11 Pro", "10.0.22631", win("Professional", licensing.ChannelRetail, lic), "Windows 11 Pro", ""},
		{"home is Core", "Microsoft Windows 10 Home", "10.0.19045", win("Core", licensing.ChannelOEMDM, lic), "Windows 10 Home", ""},
		{"LTSC 2019", "Microsoft Windows 10 Enterprise LTSC 2019", "10.0.17763", win("EnterpriseS", licensing.ChannelGVLK, lic),
			"Windows 10 Enterprise LTSC 2019", ""},
		{"IoT LTSC 2021", "Microsoft Windows 10 IoT Enterprise LTSC", "10.0.19044", win("IoTEnterpriseS", licensing.ChannelGVLK, lic),
			"Windows 10 IoT Enterprise LTSC 2021", ""},
		{"server eval", "Microsoft Windows Server 2012 R2 Standard Evaluation", "6.3.9600", win("ServerStandardEval", licensing.ChannelEval, lic),
			"Windows Server 2012 R2 Standard Evaluation", ""},
		{"Embedded evaluation", "Windows Embedded Standard", "6.1.7601", win("EmbeddedEval", licensing.ChannelEval, lic),
			"Windows Embedded Standard 7 Evaluation", ""},
		{"POSReady", "Windows Embedded POSReady 7", "6.1.7601", licensing.Product{Kind: licensing.KindWindows, Name: "Windows(R) 7, POSReady edition"},
			"Windows Embedded POSReady 7", ""},
		// Windows Embedded 8 and 8.1 are not Windows Embedded Standard 7
		// (Microsoft lifecycle pages).
		{"Embedded 8.1 Industry Pro", "Microsoft Windows Embedded 8.1 Industry Pro", "6.3.9600", win("EmbeddedIndustry", licensing.ChannelOEMDM, lic),
			"Windows Embedded 8.1 Industry Pro", ""},
		{"Embedded 8.1 Industry Enterprise", "Microsoft Windows Embedded 8.1 Industry Enterprise", "6.3.9600", win("EmbeddedIndustryE", licensing.ChannelRetail, lic),
			"Windows Embedded 8.1 Industry Enterprise", ""},
		{"Embedded 8.1 Industry Pro by its caption", "Microsoft Windows Embedded 8.1 Industry Pro", "6.3.9600", licensing.Product{Kind: licensing.KindWindows},
			"Windows Embedded 8.1 Industry Pro", ""},
		{"Embedded 8.1 Industry Enterprise evaluation", "Microsoft Windows Embedded 8.1 Industry Enterprise", "6.3.9600", win("EmbeddedIndustryEEval", licensing.ChannelEval, lic),
			"Windows Embedded 8.1 Industry Enterprise Evaluation", ""},
		{"Embedded 8 Industry Enterprise", "Microsoft Windows Embedded 8 Industry Enterprise", "6.2.9200", win("EmbeddedIndustryE", licensing.ChannelRetail, lic),
			"Windows Embedded 8 Industry Enterprise", ""},
		{"Embedded 8 Standard", "Microsoft Windows Embedded 8 Standard", "6.2.9200", win("Embedded", licensing.ChannelRetail, lic),
			"Windows Embedded 8 Standard", ""},
		{"Embedded Industry, version unknown", "", "", win("EmbeddedIndustry", licensing.ChannelRetail, lic),
			"Windows (version unknown) Embedded Industry Pro", "Windows (バージョン不明) Embedded Industry Pro"},
		{"version unknown", "", "", win("Professional", licensing.ChannelOEMDM, lic), "Windows (version unknown) Pro", "Windows (バージョン不明) Pro"},
		{"version from name", "", "", licensing.Product{Kind: licensing.KindWindows, Name: "Windows(R) 7, Enterprise edition"}, "Windows 7 Enterprise", ""},
		{"office 2010", win7Pro, "6.1.7601", office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, lic),
			"Office 2010 Professional Plus", ""},
		{"office 2016 standard", win10Pro, "10.0.19045", office("Office 16, Office16StandardVL_KMS_Client edition", licensing.ChannelGVLK, lic),
			"Office 2016 Standard", ""},
		{"visio 2021", win10Pro, "10.0.19045", office("Office 21, Office21VisioPro2021VL_KMS_Client_AE edition", licensing.ChannelGVLK, lic),
			"Visio LTSC 2021 Professional", ""},
		// Project Online Desktop Client, a subscription (the real sample
		// en-o16-o365-subscription-licensed-notifications-posh365-54).
		{"Project subscription", win10Pro, "10.0.19045", office("Office 16, Office16ProjectProO365R_Subscription edition", licensing.ChannelRetail, lic),
			"Project Online Desktop Client", ""},
		{"office version unknown", win10Pro, "10.0.19045", office("Office, OfficeProPlus-Retail edition", licensing.ChannelRetail, lic),
			"Office (version unknown) Professional Plus", ""},
		{"SKU ID wins", "", "", licensing.Product{Kind: licensing.KindWindows, SKUID: "{AE2EE509-1B34-41C0-ACB7-6D4650168915}",
			Name: "Windows(R), Enterprise edition"}, "Windows 7 Enterprise", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := snap(tc.caption, tc.version, tc.p)
			n := ProductName(s, &s.Products[0])
			if got := n.Text(English); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
			if tc.wantJA != "" {
				if got := n.Text(Japanese); got != tc.wantJA {
					t.Errorf("ja: got %q, want %q", got, tc.wantJA)
				}
			}
		})
	}
}

// TestActions gives one case per action: the device's action, its
// deadline kind and its days left at the as-of date.
func TestActions(t *testing.T) {
	lic := licensing.StatusLicensed
	asOf := collected.Add(10 * 24 * time.Hour)
	host := Pool{Client: 3, Hosts: []KMSHost{{Name: "kms01", Windows: 3}}}
	grace := func(st licensing.Status, left int) licensing.Product {
		p := win("Core", licensing.ChannelRetail, st)
		p.GraceMinutes = minutes(left)
		return p
	}
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		pool     Pool
		action   Action
		host     string
		deadline DeadlineKind
		days     int
	}{
		{"MAK activated", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic)), Pool{}, ActionNone, "", "", 0},
		{"KMS in good standing", snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 100*day, "kms01")),
			host, ActionNone, "", DeadlineKMS, 90},
		{"KMS expiring, site host", snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 20*day, "kms02")),
			host, ActionKMSConnect, "kms01", DeadlineKMS, 10},
		// A KMS client whose KMS data was not read (text without it): the
		// site's host, never a crash (a fuzzer's find).
		{"KMS client, no KMS data", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelGVLK, lic)),
			host, ActionKMSConnect, "kms01", "", 0},
		{"KMS expired, own host", snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 5*day, "kms02")),
			Pool{}, ActionKMSConnect, "kms02", DeadlineKMS, -5},
		// 0xC004F035: a Windows 7 KMS client without the BIOS Windows
		// marker cannot use KMS (DOMAIN.md HRESULT table), neither the
		// site's working host nor its own: MAK.
		{"Windows 7 KMS client without the marker, site host", func() *licensing.Snapshot {
			p := kms(win("Professional", licensing.ChannelGVLK, licensing.StatusNotification), 0, "kms01")
			p.StatusReason = 0xC004F035
			return snap(win7Pro, "6.1.7601", p)
		}(), Pool{Client: 30, Hosts: []KMSHost{{Name: "kms01", Windows: 30}}}, ActionMAK, "", DeadlineNow, 0},
		{"Windows 7 KMS client without the marker, own host", func() *licensing.Snapshot {
			p := kms(win("Professional", licensing.ChannelGVLK, licensing.StatusOOTGrace), 20*day, "kms02")
			s := snap(win7Pro, "6.1.7601", p)
			s.Hardware.SLIC = new(bool)
			return s
		}(), Pool{}, ActionMAK, "", DeadlineGrace, 10},
		{"KMS failing, small site", snap(win10Pro, "10.0.19045", func() licensing.Product {
			p := kms(win("Professional", licensing.ChannelGVLK, licensing.StatusOOTGrace), 20*day, "kms02")
			p.StatusReason = 0xC004F074
			return p
		}()), Pool{Client: 3}, ActionMAK, "", DeadlineGrace, 10},
		{"KMS failing, big site", snap(win10Pro, "10.0.19045", func() licensing.Product {
			p := kms(win("Professional", licensing.ChannelGVLK, licensing.StatusOOTGrace), 20*day, "kms02")
			p.StatusReason = 0xC004F038
			return p
		}()), Pool{Client: 30}, ActionKMSHost, "", DeadlineGrace, 10},
		{"retail Home in grace", snap("Microsoft Windows 10 Home", "10.0.19045", grace(licensing.StatusOOBGrace, 30*day)), Pool{},
			ActionActivate, "", DeadlineGrace, 20},
		{"notification is due now", snap("Microsoft Windows 10 Home", "10.0.19045", win("Core", licensing.ChannelRetail, licensing.StatusNotification)),
			Pool{}, ActionActivate, "", DeadlineNow, 0},
		{"retail Pro in grace moves", snap(win10Pro, "10.0.19045", func() licensing.Product {
			p := win("Professional", licensing.ChannelRetail, licensing.StatusNotification)
			return p
		}()), host, ActionKMSKey, "kms01", DeadlineNow, 0},
		// An evaluation is not told that a key is all it takes (it is
		// not: docs/classification.md, kms-key).
		{"evaluation at a site with a host", snap(win10Pro, "10.0.19045", win("EnterpriseEval", licensing.ChannelEval, lic)),
			host, ActionKMSConnect, "kms01", "", 0},
		// An evaluation that has ended shows notification and no end
		// date (pkg/slmgr/testdata/samples/slmgr/win11-ent-eval-expired-
		// notification-dlv-snippet.txt): due now, as any product in
		// notification, not without a deadline.
		{"evaluation ended: due now", snap("Microsoft Windows 11 Enterprise Evaluation", "10.0.26100", func() licensing.Product {
			p := win("EnterpriseEval", licensing.ChannelEval, licensing.StatusNotification)
			p.StatusReason = 0xC004F009
			return p
		}()), Pool{}, ActionMAK, "", DeadlineNow, 0},
		{"OEM Pro moves to the site's host with its KMS client key", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMDM, lic)),
			host, ActionKMSKey, "kms01", "", 0},
		{"OEM Home: image", snap("Microsoft Windows 10 Home", "10.0.19045", win("Core", licensing.ChannelOEMDM, lic)), Pool{}, ActionImage, "", "", 0},
		{"digital Pro, small site: MAK", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelRetail, lic)), Pool{Client: 3},
			ActionMAK, "", "", 0},
		{"status unknown", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelRetail, licensing.StatusUnknown)), Pool{},
			ActionCheck, "", "", 0},
		{"nothing collected", snap(win10Pro, "10.0.19045"), Pool{}, ActionCheck, "", "", 0},
		// No Windows product (no-license-data, urgent: "collect again, or
		// check the machine by hand") beside an activated Office: the
		// device is checked, not "no action needed".
		{"Office alone, no Windows", snap(win10Pro, "10.0.19045", office("Office 14, OfficeProPlus-MAK edition", licensing.ChannelMAK, lic)),
			Pool{}, ActionCheck, "", "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, asOf, Site{Pool: tc.pool})
			if v.Action.Action != tc.action || v.Action.Host != tc.host {
				t.Fatalf("action %s %q, want %s %q [%s]", v.Action.Action, v.Action.Host, tc.action, tc.host, codes(v.Reasons))
			}
			if v.Deadline.Kind != tc.deadline || v.Deadline.Days != tc.days {
				t.Errorf("deadline %s %d days, want %s %d", v.Deadline.Kind, v.Deadline.Days, tc.deadline, tc.days)
			}
			if v.Action.English == "" || v.Action.Japanese == "" || v.Action.English == v.Action.Japanese {
				t.Errorf("action text %q / %q", v.Action.English, v.Action.Japanese)
			}
		})
	}
}

// TestSiteCoherence: on one site, every device that moves goes where the
// site's KMS verdict says, and says why; a KMS client sent back to its
// own, working host does not move.
func TestSiteCoherence(t *testing.T) {
	lic := licensing.StatusLicensed
	devices := []*licensing.Snapshot{
		snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 100*day, "kms01")),
		snap(win10Pro, "10.0.19045", func() licensing.Product {
			p := kms(win("Professional", licensing.ChannelGVLK, licensing.StatusOOTGrace), 2*day, "kms01")
			p.StatusReason = 0xC004F074
			return p
		}()),
		snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelOEMDM, lic)),
		snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelRetail, lic)),
	}
	for _, withHost := range []bool{true, false} {
		var pool Pool
		for i, s := range devices {
			if i == 0 && !withHost {
				continue
			}
			pool.Add(s)
		}
		adv := pool.Advice()[0]
		for i, s := range devices[1:] {
			v := Device(s, collected, Site{Pool: pool})
			want := ActionMAK
			switch {
			case adv.State == KMSHostWorks && i == 0:
				want = ActionKMSConnect // a KMS client already
			case adv.State == KMSHostWorks:
				want = ActionKMSKey // OEM and retail need the KMS client key first
			}
			moves := len(v.Routes) == 1 && hasCode(v.Reasons, v.Routes[0].Code)
			if v.Action.Action != want || moves == (i == 0 && withHost) {
				t.Errorf("host %v, device %d: %s, want %s (site: %s)", withHost, i+1, v.Action.Action, want, adv.State)
			}
		}
		if withHost && (adv.State != KMSHostWorks || adv.Host != "kms01" || adv.Activated != 1) {
			t.Errorf("advice %+v", adv)
		}
		if !withHost && (adv.State != KMSHostNotPossible || len(pool.Hosts) != 1 || pool.Hosts[0].Failing != 1) {
			t.Errorf("advice %+v", adv)
		}
	}
}

// TestOfficeVolumeEdition: a retail or OEM Office whose product exists as
// a volume edition takes neither a MAK nor the KMS client key (those
// install only on the volume edition): its step, whatever its route,
// says to install the volume license edition of Office in its place
// first, and so does its reason. The action codes stay those of the
// route. A Windows retail or OEM edition with volume keys takes the key
// in place, and keeps its wording.
func TestOfficeVolumeEdition(t *testing.T) {
	lic := licensing.StatusLicensed
	yes := true
	o10 := func(ch licensing.Channel, st licensing.Status) *licensing.Snapshot {
		s := snap(win7Pro, "6.1.7601", win("Professional", licensing.ChannelMAK, lic), office("Office 14, OfficeProPlus-Retail edition", ch, st))
		s.Hardware.SLIC = &yes
		return s
	}
	o16 := snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic),
		office("Office 16, Office16ProPlusR_Retail edition", licensing.ChannelRetail, lic))
	o16.Domain = licensing.Domain{Joined: true, Name: "factory.local"}
	w7 := func(ch licensing.Channel) *licensing.Snapshot {
		s := snap(win7Pro, "6.1.7601", win("Professional", ch, lic))
		s.Hardware.SLIC = &yes
		return s
	}
	officeHost := Pool{Office: 1, Hosts: []KMSHost{{Name: "kms01", Office: 1}}}
	winHost := Pool{Client: 3, Hosts: []KMSHost{{Name: "kms01", Windows: 3}}}
	const (
		en = "Install the volume license edition of Office in its place, then "
		ja = "代わりにボリューム ライセンス版の Office をインストールしてから、"
	)
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		pool     Pool
		action   Action
		en, ja   string // the step's sentence
		reasonEn string // one reason of the verdict says it too ("" for Windows: none may)
	}{
		// Urgent: its reasons are the grace and the route, which says it
		// (importer show prints reasons, not steps).
		{"retail in notification, MAK", o10(licensing.ChannelRetail, licensing.StatusNotification), Pool{}, ActionMAK,
			en + "apply a MAK (proxy activation): Office 2010 Professional Plus", ja + "MAK を適用 (プロキシ ライセンス認証): Office 2010 Professional Plus",
			"install the volume license edition of Office in its place"},
		{"Windows urgent, retail Office licensed", func() *licensing.Snapshot {
			s := o10(licensing.ChannelRetail, lic)
			s.Products[0].Status = licensing.StatusNotification
			return s
		}(), Pool{}, ActionMAK,
			en + "apply a MAK (proxy activation): Office 2010 Professional Plus", ja + "MAK を適用 (プロキシ ライセンス認証): Office 2010 Professional Plus",
			"install the volume license edition of Office in its place"},
		{"retail, site host", o10(licensing.ChannelRetail, lic), officeHost, ActionKMSKey,
			en + "activate against KMS host kms01 with the KMS client key (GVLK): Office 2010 Professional Plus",
			ja + "KMS クライアント セットアップ キー (GVLK) を使い、KMS ホスト kms01 でライセンス認証: Office 2010 Professional Plus",
			"install the volume license edition of Office in its place"},
		{"OEM, new host", o10(licensing.ChannelOEMNonSLP, lic), Pool{Office: 5}, ActionKMSHost,
			en + "set up a KMS host on the site and activate against it with the KMS client key (GVLK): Office 2010 Professional Plus",
			ja + "拠点に KMS ホストを設置し、KMS クライアント セットアップ キー (GVLK) でライセンス認証: Office 2010 Professional Plus",
			"install the volume license edition of Office in its place"},
		{"retail Office 2016 in a domain, AD-based", o16, Pool{}, ActionADBased,
			en + "set up Active Directory-based activation and activate with the KMS client key (GVLK): Office 2016 Professional Plus",
			ja + "Active Directory ベースのライセンス認証を構成し、KMS クライアント セットアップ キー (GVLK) でライセンス認証: Office 2016 Professional Plus",
			"install the volume license edition of Office in its place"},
		{"Windows 7 retail takes the KMS client key in place", w7(licensing.ChannelRetail), winHost, ActionKMSKey,
			"Install the KMS client key (GVLK), then activate against KMS host kms01: Windows 7 Professional",
			"KMS クライアント セットアップ キー (GVLK) をインストールし、KMS ホスト kms01 でライセンス認証: Windows 7 Professional", ""},
		{"Windows 7 OEM takes a MAK in place", w7(licensing.ChannelCOANSLP), Pool{}, ActionMAK,
			"Apply a MAK (proxy activation): Windows 7 Professional", "MAK を適用 (プロキシ ライセンス認証): Windows 7 Professional", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{Pool: tc.pool})
			st := v.Steps[len(v.Steps)-1]
			if st.Action != tc.action {
				t.Fatalf("action %s, want %s [%s]", st.Action, tc.action, codes(v.Reasons))
			}
			if st.English != tc.en || st.Japanese != tc.ja {
				t.Errorf("step\n got %q\n     %q\nwant %q\n     %q", st.English, st.Japanese, tc.en, tc.ja)
			}
			said := 0
			for _, r := range v.Reasons {
				if strings.Contains(r.English, "install the volume license edition of Office in its place") {
					said++
					if !strings.Contains(r.Japanese, "ボリューム ライセンス版の Office") {
						t.Errorf("Japanese reason %q does not say it", r.Japanese)
					}
				}
			}
			if tc.reasonEn != "" && said != 1 {
				t.Errorf("%d reasons say it, want 1: %s", said, codes(v.Reasons))
			}
			if st.Kind == licensing.KindWindows && (said > 0 || st.VolumeEdition) {
				t.Errorf("a Windows product is told to install a volume edition: %+v", st)
			}
		})
	}
}

// TestVolumeFamily: a product replaced by its volume license edition is
// replaced by one of its own family, which its step names and a plan
// buys (Step.VolumeFamily): a retail Visio or Project by a volume Visio
// or Project, not by Office; an Office suite and a Microsoft 365
// subscription by a volume Office; a Windows client evaluation by a
// volume Windows. Before, every product that was not Windows was told
// to install the volume license edition of Office.
func TestVolumeFamily(t *testing.T) {
	lic := licensing.StatusLicensed
	winEval := win("EnterpriseEval", licensing.ChannelEval, lic)
	winEval.GraceMinutes = minutes(60 * day)
	o16 := func(name string, ch licensing.Channel) *licensing.Snapshot {
		return snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic), office(name, ch, lic))
	}
	tests := []struct {
		name   string
		s      *licensing.Snapshot
		family string
		en, ja string // the step's sentence
	}{
		{"retail Visio", o16("Office 16, Office16VisioProR_Retail edition", licensing.ChannelRetail), "Visio",
			"Install the volume license edition of Visio in its place, then apply a MAK (proxy activation): Visio 2016 Professional",
			"代わりにボリューム ライセンス版の Visio をインストールしてから、MAK を適用 (プロキシ ライセンス認証): Visio 2016 Professional"},
		{"retail Project", o16("Office 16, Office16ProjectProR_Retail edition", licensing.ChannelRetail), "Project",
			"Install the volume license edition of Project in its place, then apply a MAK (proxy activation): Project 2016 Professional",
			"代わりにボリューム ライセンス版の Project をインストールしてから、MAK を適用 (プロキシ ライセンス認証): Project 2016 Professional"},
		{"retail Office suite", o16("Office 16, Office16ProPlusR_Retail edition", licensing.ChannelRetail), "Office",
			"Install the volume license edition of Office in its place, then apply a MAK (proxy activation): Office 2016 Professional Plus",
			"代わりにボリューム ライセンス版の Office をインストールしてから、MAK を適用 (プロキシ ライセンス認証): Office 2016 Professional Plus"},
		{"Microsoft 365 Apps", o16("Office 16, Office16O365ProPlusR_Subscription1 edition", licensing.ChannelRetail), "Office",
			"Install the volume license edition of Office in its place, then apply a MAK (proxy activation): Microsoft 365 Apps for enterprise",
			"代わりにボリューム ライセンス版の Office をインストールしてから、MAK を適用 (プロキシ ライセンス認証): Microsoft 365 Apps for enterprise"},
		{"Visio trial", o16("Office 16, Office16VisioProR_Trial edition", licensing.ChannelEval), "Visio", "", ""},
		// Project Online Desktop Client, as ospp.vbs names it
		// (testdata sample posh365-54: TIMEBASED_SUB, read as Eval):
		// its edition token is no edition name reads, yet it is Project.
		{"Project subscription", o16("Office 16, Office16ProjectProO365R_Subscription edition", licensing.ChannelEval), "Project", "", ""},
		{"Windows client evaluation", snap("Microsoft Windows 10 Enterprise Evaluation", "10.0.19045", winEval), "Windows", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{})
			st := v.Steps[len(v.Steps)-1]
			if got := st.VolumeFamily(); got != tc.family || !st.VolumeEdition {
				t.Fatalf("VolumeFamily %q (VolumeEdition %v), want %q: %+v", got, st.VolumeEdition, tc.family, st)
			}
			// Its reasons name the same family, in both languages.
			if tc.family != "Windows" {
				said := 0
				for _, r := range v.Reasons {
					if strings.Contains(r.English, "edition of Office") && tc.family != "Office" ||
						strings.Contains(r.Japanese, "ボリューム ライセンス版の Office") && tc.family != "Office" {
						t.Errorf("reason %s names Office: %q / %q", r.Code, r.English, r.Japanese)
					}
					if strings.Contains(r.English, "edition of "+tc.family+" in its place") && strings.Contains(r.Japanese, "ボリューム ライセンス版の "+tc.family) {
						said++
					}
				}
				if said == 0 {
					t.Errorf("no reason says to install the volume edition of %s: %s", tc.family, codes(v.Reasons))
				}
			}
			if tc.en != "" && (st.English != tc.en || st.Japanese != tc.ja) {
				t.Errorf("step\n got %q\n     %q\nwant %q\n     %q", st.English, st.Japanese, tc.en, tc.ja)
			}
			if tc.family == "Windows" && !strings.HasPrefix(st.English, "Install the volume license edition of Windows in its place") {
				t.Errorf("step %q", st.English)
			}
		})
	}
	if f := (Step{Kind: licensing.KindOffice, Name: Name{Family: "Visio"}}).VolumeFamily(); f != "" {
		t.Errorf("a step that replaces nothing: VolumeFamily %q", f)
	}
	// An edition token no table names is told by its start.
	for ed, want := range map[string]string{"VisioProO365": "Visio", "ProjectStdO365": "Project", "HomeStudentO365": "Office"} {
		if f := volumeFamily(licensing.KindOffice, Name{Family: "Office", Edition: ed}); f != want {
			t.Errorf("volumeFamily of edition %s: %q, want %q", ed, f, want)
		}
	}
}

// TestEvaluationSaidOnce: an evaluation moves by more than a key, which
// one reason says (evalConversion): its evaluation reason, or, where the
// verdict's category leaves that out (urgent for another product), its
// route's. An Office trial's step, too, says that the volume license
// edition of Office goes in its place, whatever its route; its code
// stays kms-connect at a site with a working host.
func TestEvaluationSaidOnce(t *testing.T) {
	lic := licensing.StatusLicensed
	trial := office("Office 16, Office16ProPlusR_Trial edition", licensing.ChannelEval, lic)
	trial.GraceMinutes = minutes(60 * day)
	winEval := win("EnterpriseEval", licensing.ChannelEval, lic)
	winEval.GraceMinutes = minutes(60 * day)
	retailDue := office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, licensing.StatusNotification)
	officeHost := Pool{Office: 1, Hosts: []KMSHost{{Name: "kms01", Office: 1}}}
	const (
		officeWords  = "Install a volume license edition of Office in its place."
		clientWords  = "A Windows client evaluation cannot be converted"
		trialStep    = "Install the volume license edition of Office in its place, then activate against KMS host kms01: Office 2016 Professional Plus"
		trialStepJA  = "代わりにボリューム ライセンス版の Office をインストールしてから、KMS ホスト kms01 でライセンス認証: Office 2016 Professional Plus"
		trialStepMAK = "Install the volume license edition of Office in its place, then apply a MAK (proxy activation): Office 2016 Professional Plus"
	)
	tests := []struct {
		name   string
		s      *licensing.Snapshot
		pool   Pool
		cat    Category
		words  string // said by exactly one reason
		kind   licensing.Kind
		action Action
		step   string // the step of the product of that kind ("" not checked)
		stepJA string
	}{
		{"Office trial, site host", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic), trial), officeHost,
			VolumeLicense, officeWords, licensing.KindOffice, ActionKMSConnect, trialStep, trialStepJA},
		{"Office trial beside an urgent Windows", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, licensing.StatusNotification), trial),
			officeHost, Urgent, officeWords, licensing.KindOffice, ActionKMSConnect, trialStep, trialStepJA},
		{"Office trial, MAK", snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic), trial), Pool{},
			VolumeLicense, officeWords, licensing.KindOffice, ActionMAK, trialStepMAK, ""},
		{"Windows evaluation beside an urgent Office", snap("Microsoft Windows 10 Enterprise Evaluation", "10.0.19045", winEval, retailDue), Pool{},
			Urgent, clientWords, licensing.KindWindows, ActionMAK, "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{Pool: tc.pool})
			if v.Category != tc.cat {
				t.Fatalf("category %s [%s], want %s", v.Category, codes(v.Reasons), tc.cat)
			}
			n := 0
			for _, r := range v.Reasons {
				if strings.Contains(r.English, tc.words) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d reasons say %q, want 1: [%s]", n, tc.words, codes(v.Reasons))
			}
			for _, st := range v.Steps {
				if st.Kind != tc.kind {
					continue
				}
				if st.Action != tc.action {
					t.Errorf("action %s, want %s", st.Action, tc.action)
				}
				if tc.step != "" && st.English != tc.step {
					t.Errorf("step %q, want %q", st.English, tc.step)
				}
				if tc.stepJA != "" && st.Japanese != tc.stepJA {
					t.Errorf("step %q, want %q", st.Japanese, tc.stepJA)
				}
			}
		})
	}
}

// TestWindowsEvaluationReplaced: a Windows client evaluation cannot be
// converted, and neither a MAK nor the KMS client key makes it a
// licensed edition: its step, whatever its route, says that a volume
// license edition of Windows is installed in its place first, as an
// Office's does; its code stays the route's. A Windows Server
// evaluation converts in place with DISM and a key: its step keeps the
// route's words, and one reason says how it converts.
func TestWindowsEvaluationReplaced(t *testing.T) {
	lic := licensing.StatusLicensed
	yes := true
	eval := func(caption, version, edition string, days int) *licensing.Snapshot {
		p := win(edition, licensing.ChannelEval, lic)
		p.GraceMinutes = minutes(days * day)
		return snap(caption, version, p)
	}
	const w10 = "Microsoft Windows 10 Enterprise Evaluation"
	inDomain := eval(w10, "10.0.19045", "EnterpriseEval", 60)
	inDomain.Domain = licensing.Domain{Joined: true, Name: "factory.local"}
	// Windows 7 Enterprise evaluation, as slmgr /dli printed it
	// (pkg/slmgr/testdata/samples/slmgr/win7-ent-timebased-eval-
	// initialgrace-dli-checkmk.txt): no "Eval" in its name, in its
	// initial grace.
	w7 := snap("Microsoft Windows 7 Enterprise", "6.1.7601", licensing.Product{Kind: licensing.KindWindows, ApplicationID: licensing.AppWindows,
		Name: "Windows(R) 7, Enterprise edition", Channel: licensing.ChannelEval, Status: licensing.StatusOOBGrace, GraceMinutes: minutes(12960)})
	w7Marker := snap(w7.OS.Caption, w7.OS.Version, w7.Products[0])
	w7Marker.Hardware.SLIC = &yes
	winHost := Pool{Client: 3, Hosts: []KMSHost{{Name: "kms01", Windows: 3}}}
	serverHost := Pool{Server: 3, Hosts: []KMSHost{{Name: "kms01", Server: 3}}}
	const (
		en       = "Install the volume license edition of Windows in its place, then "
		ja       = "代わりにボリューム ライセンス版の Windows をインストールしてから、"
		clientEn = "A Windows client evaluation cannot be converted"
		serverEn = "DISM /Online /Set-Edition:<edition> /ProductKey:<key> /AcceptEula"
	)
	tests := []struct {
		name   string
		s      *licensing.Snapshot
		pool   Pool
		action Action
		en, ja string // the step
		says   string // said by exactly one reason
	}{
		{"Windows 10, MAK", eval(w10, "10.0.19045", "EnterpriseEval", 60), Pool{}, ActionMAK,
			en + "apply a MAK (proxy activation): Windows 10 Enterprise Evaluation",
			ja + "MAK を適用 (プロキシ ライセンス認証): Windows 10 Enterprise Evaluation", clientEn},
		{"Windows 10 ending, site host", eval(w10, "10.0.19045", "EnterpriseEval", 10), winHost, ActionKMSConnect,
			en + "activate against KMS host kms01: Windows 10 Enterprise Evaluation",
			ja + "KMS ホスト kms01 でライセンス認証: Windows 10 Enterprise Evaluation", clientEn},
		{"Windows 11, new host", eval("Microsoft Windows 11 Enterprise Evaluation", "10.0.22631", "EnterpriseEval", 60), Pool{Client: 30}, ActionKMSHost,
			en + "set up a KMS host on the site and activate against it with the KMS client key (GVLK): Windows 11 Enterprise Evaluation",
			ja + "拠点に KMS ホストを設置し、KMS クライアント セットアップ キー (GVLK) でライセンス認証: Windows 11 Enterprise Evaluation", clientEn},
		{"Windows 10 in a domain, AD-based", inDomain, Pool{}, ActionADBased,
			en + "set up Active Directory-based activation and activate with the KMS client key (GVLK): Windows 10 Enterprise Evaluation",
			ja + "Active Directory ベースのライセンス認証を構成し、KMS クライアント セットアップ キー (GVLK) でライセンス認証: Windows 10 Enterprise Evaluation", clientEn},
		// Urgent (grace): the route's reason says how.
		{"Windows 7 without the marker", w7, winHost, ActionMAK,
			en + "apply a MAK (proxy activation): Windows 7 Enterprise",
			ja + "MAK を適用 (プロキシ ライセンス認証): Windows 7 Enterprise", clientEn},
		{"Windows 7 with the marker, site host", w7Marker, winHost, ActionKMSConnect,
			en + "activate against KMS host kms01: Windows 7 Enterprise",
			ja + "KMS ホスト kms01 でライセンス認証: Windows 7 Enterprise", clientEn},
		{"Server 2019 converts in place, MAK", eval("Microsoft Windows Server 2019 Standard Evaluation", "10.0.17763", "ServerStandardEval", 60), Pool{}, ActionMAK,
			"Apply a MAK (proxy activation): Windows Server 2019 Standard Evaluation",
			"MAK を適用 (プロキシ ライセンス認証): Windows Server 2019 Standard Evaluation", serverEn},
		{"Server 2019 ending, site host", eval("Microsoft Windows Server 2019 Standard Evaluation", "10.0.17763", "ServerStandardEval", 10), serverHost, ActionKMSConnect,
			"Connect to KMS host kms01 and activate again: Windows Server 2019 Standard Evaluation",
			"KMS ホスト kms01 に接続して再度ライセンス認証: Windows Server 2019 Standard Evaluation", serverEn},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{Pool: tc.pool})
			st := v.Steps[0]
			if st.Action != tc.action {
				t.Fatalf("action %s, want %s [%s]", st.Action, tc.action, codes(v.Reasons))
			}
			if st.English != tc.en || st.Japanese != tc.ja {
				t.Errorf("step\n got %q\n     %q\nwant %q\n     %q", st.English, st.Japanese, tc.en, tc.ja)
			}
			// Every report takes the action's words from the step.
			if got := st.ActionText(Japanese) + ": " + st.Name.Text(Japanese); got != tc.ja {
				t.Errorf("ActionText %q, want %q", got, tc.ja)
			}
			if st.VolumeEdition != strings.HasPrefix(tc.en, en) {
				t.Errorf("VolumeEdition %v", st.VolumeEdition)
			}
			n := 0
			for _, r := range v.Reasons {
				if strings.Contains(r.English, tc.says) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%d reasons say %q, want 1: [%s]", n, tc.says, codes(v.Reasons))
			}
		})
	}
}

// TestEmbeddedEvaluation: Windows Embedded Standard 7 built with an
// evaluation runtime key can be neither activated nor upgraded, and
// restarts every 20 minutes once its trial ends (DOMAIN.md; Microsoft
// Learn, "Image Product Keys and Activation (Standard 7 SP1)"): no MAK
// and no KMS host is its route, whatever the site has. Its step is to
// rebuild the image with a volume license runtime key before the
// evaluation ends (now, once it has), its route says so, and it is
// urgent as it ends.
func TestEmbeddedEvaluation(t *testing.T) {
	lic := licensing.StatusLicensed
	const wes7 = "Windows Embedded Standard"
	eval := func(edition string, st licensing.Status, days int) licensing.Product {
		p := win(edition, licensing.ChannelEval, st)
		if days != 0 {
			p.GraceMinutes = minutes(days * day)
		}
		return p
	}
	ended := eval("Embedded", licensing.StatusNotification, 0)
	ended.StatusReason = 0xC004F009
	bigSite := Pool{Client: 30, Hosts: []KMSHost{{Name: "kms01", Windows: 30}}}
	const (
		before   = "Rebuild the image with a volume license runtime key and deploy it before the evaluation ends: Windows Embedded Standard 7"
		beforeJA = "評価期間が終わる前に、ボリューム ライセンス ランタイム キーでイメージを作り直して展開: Windows Embedded Standard 7"
		now      = "The evaluation has ended: rebuild the image with a volume license runtime key and deploy it now: Windows Embedded Standard 7"
		nowJA    = "評価期間が終了しているため、直ちにボリューム ライセンス ランタイム キーでイメージを作り直して展開: Windows Embedded Standard 7"
		says     = "can be neither activated nor upgraded: deploy an image built again with a volume license runtime key"
	)
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		asOf     time.Time
		pool     Pool
		cat      Category
		en, ja   string
		deadline DeadlineKind
	}{
		{"100 days left", snap(wes7, "6.1.7601", eval("Embedded", lic, 100)), collected, Pool{}, VolumeLicense, before, beforeJA, DeadlineEvaluation},
		{"a working KMS host on the site changes nothing", snap(wes7, "6.1.7601", eval("Embedded", lic, 100)), collected, bigSite,
			VolumeLicense, before, beforeJA, DeadlineEvaluation},
		{"10 days left: urgent", snap(wes7, "6.1.7601", eval("Embedded", lic, 10)), collected, Pool{}, Urgent, before, beforeJA, DeadlineEvaluation},
		{"its end past at the as-of date", snap(wes7, "6.1.7601", eval("Embedded", lic, 10)), collected.AddDate(0, 0, 12), Pool{},
			Urgent, now, nowJA, DeadlineEvaluation},
		{"ended: notification", snap(wes7, "6.1.7601", ended), collected, bigSite, Urgent, now, nowJA, DeadlineNow},
		{"in its initial grace", snap(wes7, "6.1.7601", eval("Embedded", licensing.StatusOOBGrace, 20)), collected, Pool{},
			Urgent, before, beforeJA, DeadlineEvaluation},
		{"named by its caption only", snap(wes7, "6.1.7601", func() licensing.Product {
			p := eval("Embedded", lic, 100)
			p.Name = ""
			return p
		}()), collected, Pool{}, VolumeLicense, before, beforeJA, DeadlineEvaluation},
		{"beside a retail Office: the rebuild comes first", snap(wes7, "6.1.7601", eval("Embedded", lic, 100),
			office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, lic)), collected, Pool{}, VolumeLicense, before, beforeJA, DeadlineEvaluation},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// A small system volume, encrypted: the flags that would
			// plan an image backup of it (low-disk, bitlocker-on) fire.
			tc.s.Volumes = []licensing.Volume{{Name: "C:", SizeBytes: 16 << 30, FreeBytes: 1 << 30, System: true, BitLocker: "on"}}
			v := Device(tc.s, tc.asOf, Site{Pool: tc.pool})
			if v.Category != tc.cat {
				t.Errorf("category %s [%s], want %s", v.Category, codes(v.Reasons), tc.cat)
			}
			st := v.Steps[0]
			if st.Action != ActionRebuild || v.Action.Action != ActionRebuild {
				t.Fatalf("action %s (device %s), want %s [%s]", st.Action, v.Action.Action, ActionRebuild, codes(v.Reasons))
			}
			if st.English != tc.en || st.Japanese != tc.ja {
				t.Errorf("step\n got %q\n     %q\nwant %q\n     %q", st.English, st.Japanese, tc.en, tc.ja)
			}
			if got := st.ActionText(English) + ": " + st.Name.Text(English); got != tc.en {
				t.Errorf("ActionText %q, want %q", got, tc.en)
			}
			if st.Deadline.Kind != tc.deadline || v.Deadline.Kind != tc.deadline {
				t.Errorf("deadline %s (device %s), want %s", st.Deadline.Kind, v.Deadline.Kind, tc.deadline)
			}
			if len(v.Routes) == 0 || v.Routes[0].Route != RouteRuntimeKey || v.Routes[0].Code != "route-runtime-key" {
				t.Errorf("routes %+v, want %s first", v.Routes, RouteRuntimeKey)
			}
			n := 0
			for _, r := range v.Reasons {
				if strings.Contains(r.English, says) {
					n++
					if !strings.Contains(r.Japanese, "20 分ごとに再起動") {
						t.Errorf("Japanese reason %q", r.Japanese)
					}
				}
				if r.Evidence.Kind == licensing.KindWindows && (strings.Contains(r.English, "MAK") || strings.Contains(r.English, "KMS")) {
					t.Errorf("reason %s offers MAK or KMS: %q", r.Code, r.English)
				}
				// It cannot be activated, and an image of it ends as it
				// does (the grace rules' advice).
				if strings.Contains(r.English, "activate it now") || strings.Contains(r.English, "image backup") ||
					strings.Contains(r.Japanese, "直ちにライセンス認証") {
					t.Errorf("reason %s: %q", r.Code, r.English)
				}
				if tc.en == now && (strings.Contains(r.English, "before the evaluation ends") || strings.Contains(r.English, "after the as-of date")) {
					t.Errorf("reason %s of an ended evaluation: %q", r.Code, r.English)
				}
			}
			// No sentence of it, reason or flag, tells it to become a
			// licensed edition or to take a key, which no key does, nor
			// to keep an image of an evaluation that ends.
			for _, r := range append(append([]Reason(nil), v.Reasons...), v.Flags...) {
				for _, w := range []string{"make it a licensed volume edition", "without a new key", "image backup", "taking an image",
					"ボリューム ライセンス版にしてください", "新しいプロダクト キー", "イメージ バックアップ", "イメージを取得"} {
					if strings.Contains(r.English, w) || strings.Contains(r.Japanese, w) {
						t.Errorf("%s says %q: %q / %q", r.Code, w, r.English, r.Japanese)
					}
				}
			}
			for _, c := range []string{"end-of-support-os", "low-disk", "bitlocker-on"} {
				if !hasCode(v.Flags, c) {
					t.Errorf("flags [%s] lack %s", codes(v.Flags), c)
				}
			}
			if n != 1 {
				t.Errorf("%d reasons say how it moves, want 1: [%s]", n, codes(v.Reasons))
			}
		})
	}
}

// TestM365Subscription: a Microsoft 365 Apps subscription stays
// activated only while it reaches Microsoft's Office Licensing Service
// at least once every 30 days (rules.go, officeSubscription): an image
// backup does not keep it on an offline machine. Its reason says so,
// once, and its step, whatever its channel (TIMEBASED_SUB is read as an
// evaluation, the grace SKU as retail), installs a volume license
// edition of Office in its place before the site's route.
func TestM365Subscription(t *testing.T) {
	lic := licensing.StatusLicensed
	sub := func(name string, ch licensing.Channel, st licensing.Status) *licensing.Snapshot {
		p := office(name, ch, st)
		p.ApplicationID = licensing.AppOffice15
		return snap(win10Pro, "10.0.19045", win("Professional", licensing.ChannelMAK, lic), p)
	}
	const (
		says = "at least once every 30 days, which an offline machine does not, and an image backup does not change that"
		mak  = "Install the volume license edition of Office in its place, then apply a MAK (proxy activation): Microsoft 365 Apps for enterprise"
		host = "Install the volume license edition of Office in its place, then activate against KMS host kms01 with the KMS client key (GVLK): Microsoft 365 Apps for enterprise"
	)
	// A licensed Microsoft 365 Apps subscription read through channel ch,
	// days to its next check with the licensing service.
	subDays := func(ch licensing.Channel, days int) *licensing.Snapshot {
		s := sub("Office 16, Office16O365ProPlusR_Subscription1 edition", ch, lic)
		s.Products[1].GraceMinutes = minutes(days * day)
		return s
	}
	officeHost := Pool{Office: 1, Hosts: []KMSHost{{Name: "kms01", Office: 1}}}
	tests := []struct {
		name     string
		s        *licensing.Snapshot
		pool     Pool
		cat      Category
		action   Action
		step     string
		deadline DeadlineKind // of the subscription's step
		ending   string       // what m365-subscription-ending says; "" when it does not fire
	}{
		{"TIMEBASED_SUB", sub("Office 16, Office16O365ProPlusR_Subscription1 edition", licensing.ChannelEval, lic), Pool{}, VolumeLicense, ActionMAK, mak, "", ""},
		{"retail channel", sub("Office 16, Office16O365ProPlusR_Subscription1 edition", licensing.ChannelRetail, lic), Pool{}, VolumeLicense, ActionMAK, mak, "", ""},
		{"site host", sub("Office 16, Office16O365ProPlusR_Subscription1 edition", licensing.ChannelRetail, lic), officeHost, VolumeLicense, ActionKMSKey, host, "", ""},
		{"grace SKU in notification", sub("Office 16, Office16O365ProPlusR_Grace edition", licensing.ChannelRetail, licensing.StatusNotification),
			Pool{}, Urgent, ActionMAK, mak, DeadlineNow, ""},
		// The days of a licensed subscription end at its next check
		// with the licensing service: not an evaluation's end, nor a
		// KMS client's 180 days when it was read as retail.
		{"retail channel with 40 days left", subDays(licensing.ChannelRetail, 40), Pool{}, VolumeLicense, ActionMAK, mak, DeadlineSubscription, ""},
		// Read as retail, the days are the same: to its next check with
		// the licensing service (officeSubscription), so under 30 of
		// them it is as urgent as a TIMEBASED_SUB.
		{"retail channel with 20 days left", subDays(licensing.ChannelRetail, 20), Pool{}, Urgent, ActionMAK, mak, DeadlineSubscription, "license runs out on 2026-11-22 (20 days after the as-of date)"},
		// Its check due before the as-of date: it ran out on that date,
		// not "-6 days after the as-of date".
		{"retail channel whose check has passed", func() *licensing.Snapshot {
			s := subDays(licensing.ChannelRetail, 20)
			s.Context.Collected = collected.AddDate(0, 0, -25)
			return s
		}(), Pool{}, Urgent, ActionMAK, mak, DeadlineSubscription, "license ran out on 2026-10-28 unless"},
		// A licensed TIMEBASED_SUB shows the days to its next check with
		// the licensing service (REMAINING GRACE: 45 days in
		// pkg/slmgr/testdata/samples/ospp/en-o16-o365-subscription-
		// licensed-notifications-posh365-54.txt): under 30 of them it is
		// urgent, still a subscription, not an evaluation.
		{"TIMEBASED_SUB with 20 days left", subDays(licensing.ChannelEval, 20), Pool{}, Urgent, ActionMAK, mak, DeadlineSubscription, "license runs out on 2026-11-22 (20 days after the as-of date)"},
		{"TIMEBASED_SUB with 45 days left", subDays(licensing.ChannelEval, 45), Pool{}, VolumeLicense, ActionMAK, mak, DeadlineSubscription, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, collected, Site{Pool: tc.pool})
			if v.Category != tc.cat {
				t.Errorf("category %s [%s], want %s", v.Category, codes(v.Reasons), tc.cat)
			}
			st := v.Steps[1]
			if st.Action != tc.action || st.English != tc.step || !st.VolumeEdition {
				t.Errorf("step %s %q, want %s %q", st.Action, st.English, tc.action, tc.step)
			}
			if st.Deadline.Kind != tc.deadline {
				t.Errorf("deadline %q, want %q", st.Deadline.Kind, tc.deadline)
			}
			n := 0
			for _, r := range v.Reasons {
				if strings.Contains(r.English, says) {
					n++
					if !strings.Contains(r.Japanese, "30 日に 1 回") {
						t.Errorf("Japanese reason %q", r.Japanese)
					}
				}
				if r.Code == "evaluation" || r.Code == "evaluation-ending" || r.Code == "online-only-no-volume" ||
					strings.Contains(r.English, "is an evaluation") {
					t.Errorf("reason %s: %q", r.Code, r.English)
				}
			}
			if n != 1 {
				t.Errorf("%d reasons say it, want 1: [%s]", n, codes(v.Reasons))
			}
			ending := false
			for _, r := range v.Reasons {
				if r.Code == "m365-subscription-ending" {
					ending = true
					if tc.ending == "" || !strings.Contains(r.English, tc.ending) || strings.Contains(r.English, "(-") {
						t.Errorf("m365-subscription-ending says %q, want %q", r.English, tc.ending)
					}
				}
			}
			if !ending && tc.ending != "" {
				t.Errorf("reasons [%s] lack m365-subscription-ending", codes(v.Reasons))
			}
		})
	}
}

// TestEmbeddedSupport: Windows Embedded 8 and 8.1 end on their own
// lifecycle dates (Microsoft lifecycle pages; DOMAIN.md names neither),
// not on Windows Embedded Standard 7's, Windows 8's or Windows 8.1's.
func TestEmbeddedSupport(t *testing.T) {
	lic := licensing.StatusLicensed
	tests := []struct {
		name, caption, version, edition string
		want, date                      string
	}{
		{"8.1 Industry Pro", "Microsoft Windows Embedded 8.1 Industry Pro", "6.3.9600", "EmbeddedIndustry", "Windows Embedded 8.1 Industry", "2023-07-11"},
		{"8.1 Industry Enterprise", "Microsoft Windows Embedded 8.1 Industry Enterprise", "6.3.9600", "EmbeddedIndustryE", "Windows Embedded 8.1 Industry", "2023-07-11"},
		{"8.1 Industry by its edition", "", "6.3.9600", "EmbeddedIndustry", "Windows Embedded 8.1 Industry", "2023-07-11"},
		{"8 Industry", "Microsoft Windows Embedded 8 Industry Pro", "6.2.9200", "EmbeddedIndustry", "Windows Embedded 8 Industry", "2016-01-12"},
		{"8 Standard", "Microsoft Windows Embedded 8 Standard", "6.2.9200", "Embedded", "Windows Embedded 8 Standard", "2023-07-11"},
		{"Windows 8.1 Pro stays", "Microsoft Windows 8.1 Pro", "6.3.9600", "Professional", "Windows 8.1", "2023-01-10"},
		{"Windows 8 Pro stays", "Microsoft Windows 8 Pro", "6.2.9200", "Professional", "Windows 8", "2016-01-12"},
		{"Embedded Standard 7 stays", "Windows Embedded Standard", "6.1.7601", "Embedded", "Windows Embedded Standard 7", "2020-10-13"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := snap(tc.caption, tc.version, win(tc.edition, licensing.ChannelRetail, lic))
			v := Device(s, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), Site{})
			found := false
			for _, f := range v.Flags {
				if f.Code == "end-of-support-os" {
					found = true
					if f.Evidence.Product != tc.want || f.Evidence.Date != tc.date {
						t.Errorf("end of support %s %s, want %s %s", f.Evidence.Product, f.Evidence.Date, tc.want, tc.date)
					}
				}
			}
			if !found {
				t.Errorf("flags [%s] lack end-of-support-os", codes(v.Flags))
			}
		})
	}
}

// TestEvaluationEnded: an evaluation whose end has passed by the as-of
// date (its minutes projected past 0) is said to have ended on its date,
// not to end "-5 days after the as-of date"; one still ahead keeps the
// count of days.
func TestEvaluationEnded(t *testing.T) {
	lic := licensing.StatusLicensed
	eval := func(days int) *licensing.Snapshot {
		p := win("EnterpriseEval", licensing.ChannelEval, lic)
		p.GraceMinutes = minutes(days * day)
		return snap("Microsoft Windows 11 Enterprise Evaluation", "10.0.26100", p)
	}
	tests := []struct {
		name   string
		s      *licensing.Snapshot
		asOf   time.Time
		en, ja string
		notEn  string
		notJa  string
	}{
		{"ended 5 days before", eval(5), collected.AddDate(0, 0, 10), "is an evaluation that ended on 2026-11-07; it cannot be made permanent without a new key.",
			"は評価版で、2026-11-07 に期限が切れています。", "after the as-of date", "基準日から -"},
		{"ends in 10 days", eval(20), collected.AddDate(0, 0, 10), "is an evaluation that ends on 2026-11-22 (10 days after the as-of date)",
			"(基準日から 10 日)", "ended", "切れています"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(tc.s, tc.asOf, Site{})
			found := false
			for _, r := range v.Reasons {
				if r.Code != "evaluation-ending" {
					continue
				}
				found = true
				if !strings.Contains(r.English, tc.en) || !strings.Contains(r.Japanese, tc.ja) ||
					strings.Contains(r.English, tc.notEn) || strings.Contains(r.Japanese, tc.notJa) {
					t.Errorf("got %q / %q, want %q / %q", r.English, r.Japanese, tc.en, tc.ja)
				}
			}
			if !found {
				t.Errorf("reasons [%s] lack evaluation-ending", codes(v.Reasons))
			}
		})
	}
}

// TestExpand: a step's words take the host and family in one pass, so
// a KMS host read from a device and named like a placeholder stays its
// name.
func TestExpand(t *testing.T) {
	for _, tc := range []struct{ w, host, family, want string }{
		{"activate against {host}: {family}", "kms01", "Visio", "activate against kms01: Visio"},
		{"{family} at {host}", "{family}", "Office", "Office at {family}"},
		{"{host}{host}", "{host}", "x", "{host}{host}"},
		{"no placeholders {", "h", "f", "no placeholders {"},
		{"{hos}{famil} {}", "h", "f", "{hos}{famil} {}"},
		{"", "h", "f", ""},
	} {
		if got := expand(tc.w, tc.host, tc.family); got != tc.want {
			t.Errorf("expand(%q, %q, %q) = %q, want %q", tc.w, tc.host, tc.family, got, tc.want)
		}
	}
}

// TestHostReleases: a site's KMS host keeps the releases of the clients
// it has activated, by kind; a route to it for a product of another
// release says so (its host key may not cover it), one of a release it
// has activated, or to a host stored without releases, does not.
func TestHostReleases(t *testing.T) {
	lic := licensing.StatusLicensed
	// An Office 2016 KMS client and a Windows 10 one, activated by kms01.
	o16 := snap(win10Pro, "10.0.19045", kms(win("Professional", licensing.ChannelGVLK, lic), 100*day, "KMS01"),
		kms(office("Office 16, Office16StandardVL_KMS_Client edition", licensing.ChannelGVLK, lic), 100*day, "kms01"))
	o16.Products[1].ApplicationID = licensing.AppOffice15
	pool := PoolOf(o16)
	if len(pool.Hosts) != 1 || !reflect.DeepEqual(pool.Hosts[0].OfficeReleases, []string{"Office 2016"}) ||
		!reflect.DeepEqual(pool.Hosts[0].WindowsReleases, []string{"Windows 10"}) {
		t.Fatalf("PoolOf an Office 2016 and Windows 10 KMS client: %+v", pool.Hosts)
	}
	// Retail Office 2010 and Windows 7 KMS clients past their time.
	o10 := snap(win7Pro, "6.1.7601", kms(win("Professional", licensing.ChannelGVLK, licensing.StatusOOTGrace), 0, "kms09"),
		office("Office 14, OfficeProPlus-Retail edition", licensing.ChannelRetail, licensing.StatusNotification))
	yes := true
	o10.Hardware.SLIC = &yes
	route := func(v Verdict, kind licensing.Kind) Reason {
		for _, r := range v.Reasons {
			if r.Code == "route-kms-site-host" && r.Evidence.Kind == kind {
				return r
			}
		}
		t.Fatalf("no route to the site's host for %s: %s", kind, codes(v.Reasons))
		return Reason{}
	}
	for _, tc := range []struct {
		name        string
		hosts       []KMSHost
		office, win []string // the releases each route names; nil: none
	}{
		{"other releases", pool.Hosts, []string{"Office 2016"}, []string{"Windows 10"}},
		{"the product's among them", []KMSHost{{Name: "kms01", Windows: 3, Office: 3,
			WindowsReleases: []string{"Windows 10", "Windows 7"}, OfficeReleases: []string{"Office 2010", "Office 2016"}}}, nil, nil},
		{"stored before releases were kept", []KMSHost{{Name: "kms01", Windows: 3, Office: 3}}, nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Device(o10, collected, Site{Pool: Pool{Client: 3, Office: 3, Hosts: tc.hosts}})
			for _, c := range []struct {
				kind licensing.Kind
				want []string
				rel  string
			}{{licensing.KindOffice, tc.office, "Office 2010"}, {licensing.KindWindows, tc.win, "Windows 7"}} {
				r := route(v, c.kind)
				said := strings.Contains(r.English, "not "+c.rel+": check that its KMS host key activates "+c.rel) &&
					strings.Contains(r.Japanese, "KMS ホスト キーで "+c.rel+" をライセンス認証できることを確認")
				if !reflect.DeepEqual(r.Evidence.HostReleases, c.want) || said != (c.want != nil) {
					t.Errorf("%s: releases %q, said %v; want %q:\n%s\n%s", c.kind, r.Evidence.HostReleases, said, c.want, r.English, r.Japanese)
				}
				if c.want != nil && !strings.Contains(r.English, "activated "+strings.Join(c.want, ", ")+" here") {
					t.Errorf("%s: %s does not name %q", c.kind, r.English, c.want)
				}
			}
		})
	}
}

// TestAddReleases: sorted, each once, bounded in number and length
// (a forged site's names), and merging hosts copies, never shares.
func TestAddReleases(t *testing.T) {
	long := strings.Repeat("x", maxReleaseLen+1)
	got := addReleases([]string{"Office 2016"}, []string{"Office 2010", "", long, "Office 2016", "Office 2013"})
	if want := []string{"Office 2010", "Office 2013", "Office 2016"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	var many []string
	for i := 0; i < 3*maxHostReleases; i++ {
		many = append(many, fmt.Sprintf("Windows %03d", i))
	}
	if got := addReleases(nil, many); len(got) != maxHostReleases || !sort.StringsAreSorted(got) {
		t.Errorf("%d releases kept (%q), want %d sorted", len(got), got, maxHostReleases)
	}
	a := []KMSHost{{Name: "h", WindowsReleases: []string{"Windows 7"}}}
	merged := mergeHosts(nil, a)
	merged = mergeHosts(merged, []KMSHost{{Name: "h", WindowsReleases: []string{"Windows 10"}}})
	if !reflect.DeepEqual(a[0].WindowsReleases, []string{"Windows 7"}) ||
		!reflect.DeepEqual(merged[0].WindowsReleases, []string{"Windows 10", "Windows 7"}) {
		t.Errorf("merged %q, the first host's list now %q", merged[0].WindowsReleases, a[0].WindowsReleases)
	}
}

// TestAdviceReleases: a site's working host names, beside its count, the
// releases of each kind of client it has activated, and asks to check
// its host key for any other; a host stored before releases were kept
// gets the words it had.
func TestAdviceReleases(t *testing.T) {
	host := KMSHost{Name: "kms01", Windows: 28, Server: 5, Office: 7,
		WindowsReleases: []string{"Windows 10", "Windows 8.1", "Windows Server 2019"}, OfficeReleases: []string{"Office 2016"}}
	old := Pool{Client: 30, Server: 5, Office: 7, Hosts: []KMSHost{{Name: "kms01", Windows: 28, Server: 5, Office: 7}}}
	before := map[string]KMSAdvice{}
	for _, a := range old.Advice() {
		if a.Releases != nil || !strings.HasSuffix(a.English, "of this site. Eligible machines activate against it; no host key to buy.") {
			t.Errorf("%s, host stored without releases: %q, %+v", a.Kind, a.Releases, a)
		}
		before[a.Kind] = a
	}
	p := old
	p.Hosts = []KMSHost{host}
	want := map[string]struct {
		releases []string
		en, ja   string
	}{
		// A host that activates servers activates clients too, and counts for them.
		"client": {[]string{"Windows 10", "Windows 8.1", "Windows Server 2019"},
			"KMS host kms01 works: it had activated 33 clients of this site (Windows 10, Windows 8.1, Windows Server 2019). Eligible machines of the client releases among them activate against it; no host key to buy. For another release, check that its KMS host key (CSVLK) covers it; if not, install one that does.",
			"KMS ホスト kms01 が稼働しています (この拠点の Windows 10、Windows 8.1、Windows Server 2019 のクライアント 33 台をライセンス認証済み)。Windows 10、Windows 8.1 の対象の端末はこのホストでライセンス認証できます。ホスト キーの購入は不要です。その他のリリースの端末は、このホストの KMS ホスト キー (CSVLK) がそのリリースに対応していることを確認し、対応していなければ対応するホスト キーをインストールしてください。"},
		"server": {[]string{"Windows Server 2019"},
			"KMS host kms01 works: it had activated 5 clients of this site (Windows Server 2019). Eligible machines of that release activate against it; no host key to buy. For another release, check that its KMS host key (CSVLK) covers it; if not, install one that does.", ""},
		"office": {[]string{"Office 2016"}, "", "KMS ホスト kms01 が稼働しています (この拠点の Office 2016 のクライアント 7 台をライセンス認証済み)。"},
	}
	for _, a := range p.Advice() {
		w := want[a.Kind]
		if !reflect.DeepEqual(a.Releases, w.releases) {
			t.Errorf("%s: releases %q, want %q", a.Kind, a.Releases, w.releases)
		}
		if w.en != "" && a.English != w.en {
			t.Errorf("%s:\n got %s\nwant %s", a.Kind, a.English, w.en)
		}
		if w.ja != "" && !strings.HasPrefix(a.Japanese, w.ja) {
			t.Errorf("%s:\n got %s\nwant %s…", a.Kind, a.Japanese, w.ja)
		}
		// The verdict is the one devices are routed by (Pool.advice).
		b := before[a.Kind]
		if a.State != b.State || a.Host != b.Host || a.Activated != b.Activated || a.State != KMSHostWorks {
			t.Errorf("%s: %+v, without releases %+v", a.Kind, a, b)
		}
	}
	// The pool's own lists are not handed out.
	p.Advice()[0].Releases[0] = "changed"
	if p.Hosts[0].WindowsReleases[0] != "Windows 10" {
		t.Error("Advice shares the host's releases")
	}
}

// TestAdviceClientRow: the Windows clients row counts the servers a host
// activated (working), and names their releases beside the count, but
// says only the client releases among them are proven for its clients:
// no Windows client is of Windows Server 2019. A host proven by servers
// only proves no client release, and the row asks to check its host key.
func TestAdviceClientRow(t *testing.T) {
	for _, tc := range []struct {
		name     string
		host     KMSHost
		releases []string
		en, ja   string
		notEN    string
		notJA    string
	}{
		{"clients and servers",
			KMSHost{Name: "kms01", Windows: 28, Server: 5, WindowsReleases: []string{"Windows 10", "Windows 8.1", "Windows Server 2019"}},
			[]string{"Windows 10", "Windows 8.1", "Windows Server 2019"},
			"KMS host kms01 works: it had activated 33 clients of this site (Windows 10, Windows 8.1, Windows Server 2019). Eligible machines of the client releases among them activate against it; no host key to buy. For another release, check that its KMS host key (CSVLK) covers it; if not, install one that does.",
			"。Windows 10、Windows 8.1 の対象の端末はこのホストでライセンス認証できます。",
			"", "Windows Server 2019 の対象"},
		{"servers only",
			KMSHost{Name: "kms01", Server: 5, WindowsReleases: []string{"Windows Server 2019"}},
			[]string{"Windows Server 2019"},
			"KMS host kms01 works: it had activated 5 clients of this site (Windows Server 2019), servers only. Check that its KMS host key (CSVLK) covers the release of each Windows client: if it does, they activate against it with no host key to buy; if not, install one that does.",
			"KMS ホスト kms01 が稼働しています (この拠点の Windows Server 2019 のクライアント 5 台をライセンス認証済み。サーバーのみ)。Windows クライアントは、このホストの KMS ホスト キー (CSVLK) が各クライアントのリリースに対応していることを確認してください。対応していればホスト キーを購入せずにこのホストでライセンス認証でき、対応していなければ対応するホスト キーをインストールしてください。",
			"Eligible machines of", "の対象の端末はこのホスト"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := Pool{Client: 30, Server: 5, Hosts: []KMSHost{tc.host}}
			a := p.Advice()[0]
			if a.Kind != "client" || a.State != KMSHostWorks || !reflect.DeepEqual(a.Releases, tc.releases) {
				t.Fatalf("got %+v, want client, host-works, releases %q", a, tc.releases)
			}
			if a.English != tc.en {
				t.Errorf("English:\n got %s\nwant %s", a.English, tc.en)
			}
			if !strings.Contains(a.Japanese, tc.ja) {
				t.Errorf("Japanese:\n got %s\nwant it to hold %s", a.Japanese, tc.ja)
			}
			if tc.notEN != "" && strings.Contains(a.English, tc.notEN) {
				t.Errorf("English %q holds %q", a.English, tc.notEN)
			}
			if strings.Contains(a.Japanese, tc.notJA) {
				t.Errorf("Japanese %q holds %q", a.Japanese, tc.notJA)
			}
			// The server row is as it was: its releases are all proven.
			if s := p.Advice()[1]; !strings.Contains(s.English, "(Windows Server 2019). Eligible machines of that release activate") {
				t.Errorf("server row: %s", s.English)
			}
		})
	}
}

// TestHostReleasesServer: a server's route to the site's host weighs only
// the Windows Server releases the host has activated, as the site's
// servers row names them: Windows 10 clients say nothing of the host key
// a Windows Server 2022 needs.
func TestHostReleasesServer(t *testing.T) {
	s := snap("Microsoft Windows Server 2022 Standard", "10.0.20348",
		kms(win("ServerStandard", licensing.ChannelGVLK, licensing.StatusOOTGrace), 0, "kms09"))
	for _, tc := range []struct {
		name     string
		releases []string
		want     []string
	}{
		{"other server releases", []string{"Windows 10", "Windows 11", "Windows Server 2019"}, []string{"Windows Server 2019"}},
		{"its own among them", []string{"Windows 10", "Windows Server 2022"}, nil},
		// Clients only cannot prove a host for servers (working), so
		// there is no route to it to say anything of.
	} {
		t.Run(tc.name, func(t *testing.T) {
			host := KMSHost{Name: "kms01", Windows: 30, Server: 5, WindowsReleases: tc.releases}
			v := Device(s, collected, Site{Pool: Pool{Client: 30, Server: 5, Hosts: []KMSHost{host}}})
			r := withCode(v.Reasons, "route-kms-site-host")
			if r == nil {
				t.Fatalf("no route to the site's host: %s", codes(v.Reasons))
			}
			if !reflect.DeepEqual(r.Evidence.HostReleases, tc.want) {
				t.Errorf("releases %q, want %q:\n%s", r.Evidence.HostReleases, tc.want, r.English)
			}
			if strings.Contains(r.English, "Windows 10") || strings.Contains(r.Japanese, "Windows 10") {
				t.Errorf("a server's route names a client release:\n%s\n%s", r.English, r.Japanese)
			}
		})
	}
}
