package classify

import (
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// Name is a product as Microsoft sells it: "Windows 7 Professional",
// "Office 2010 Professional Plus", "Windows 10 Enterprise LTSC 2019".
// The licensing platform's own name ("Office 14, OfficeProPlus-Retail
// edition") is evidence, not a name an auditor knows.
type Name struct {
	// Release is the product with its version ("Windows 10", "Office
	// 2010", "Windows Server 2012 R2"); "" when the version is unknown.
	Release string `json:"release,omitempty"`
	// Family is what the product is without a version: "Windows",
	// "Office", "Visio", "Project".
	Family string `json:"family"`
	// Edition is the edition as sold ("Pro", "Professional Plus"); "" for
	// products sold in one edition (Windows Embedded POSReady 7).
	Edition string `json:"edition,omitempty"`
}

// Text returns the name in lang: "Windows 10 Pro", or "Windows (version
// unknown) Pro" / "Windows (バージョン不明) Pro" when the version is not
// known; an unknown version is never guessed.
func (n Name) Text(lang Lang) string {
	r := n.Release
	if r == "" {
		r = n.Family + [2]string{" (version unknown)", " (バージョン不明)"}[langIndex(lang)]
	}
	if n.Edition == "" {
		return r
	}
	return r + " " + n.Edition
}

func langIndex(l Lang) int {
	if l == Japanese {
		return 1
	}
	return 0
}

// skuNames names products by their Activation ID (SKU ID), the one
// exact key the licensing platform gives. Every ID here was seen in a
// real output in pkg/slmgr/testdata/samples (file named beside it);
// other products are named from their licensing name below.
var skuNames = table[string, Name]{
	{"ae2ee509-1b34-41c0-acb7-6d4650168915", Name{"Windows 7", "Windows", "Enterprise"}},                      // win7-ent-kmsclient-notification-nongenuine-dlv-mskb
	{"de32eafd-aaee-4662-9444-c1befb41bde2", Name{"Windows Server 2019", "Windows", "Standard"}},              // server2019-std-kmsclient-notification-dlv
	{"96794a98-097f-42fe-8f28-2c38ea115229", Name{"Windows Server 2025", "Windows", "Datacenter Evaluation"}}, // server2025-dc-eval-timebased-dlv
	{"f520e45e-7413-4a34-a497-d2765967d094", Name{"Windows 10", "Windows", "ESU Year 1"}},                     // win10-esu-year1-addon-mak-dlv-activationid
	{"b322da9c-a2e2-4058-9e4e-f59a6970bd69", Name{"Office 2013", "Office", "Professional Plus"}},              // ruru-banner-o15-proplusvl-kms-licensed-dns-ru-csharp
	{"b23afb38-cd79-4ae5-9f7f-eed058d750ca", Name{"Office 2013", "Office", "Standard"}},                       // zhcn-banner-o15-standardvl-kms-licensed-vlmcsd-intervals
	{"e13ac10e-75d0-4aff-a0cd-764982cf541c", Name{"Visio 2013", "Visio", "Professional"}},                     // act-en-o15-o16-proplus-visio-kms-success-cn-chjina
	{"d450596f-894d-49e0-966a-fd39ed4c4c64", Name{"Office 2016", "Office", "Professional Plus"}},              // act-en-o16-proplusvl-kms-success-cn-kmsnotes
	{"6bf301c1-b94a-43e9-ba31-d494598c47fb", Name{"Visio 2016", "Visio", "Professional"}},                     // zhcn-banner-o16-visiopro-retail-grace-vl-o365homeprem
	{"85dd8b5f-eaa4-4af3-a628-cce9e77c9a03", Name{"Office 2019", "Office", "Professional Plus"}},              // act-en-o19-o24-kms-0xC004F074-reeddoy4
	{"fbdb3e18-a8ef-4fb3-9183-dffd60bd0984", Name{"Office LTSC 2021", "Office", "Professional Plus"}},         // act-en-o21-grace-fail-proplus2021vl-success-msguides-copy
	{"8d368fc1-9470-4be2-8d66-90e836cbb051", Name{"Office LTSC 2024", "Office", "Professional Plus"}},         // act-en-o19-o24-kms-0xC004F074-reeddoy4
	{"923fa470-aa71-4b8b-b35c-36b79bf9f44b", Name{"Visio LTSC 2024", "Visio", "Standard"}},                    // act-en-o24-proplus-visio-project-success-pykms126
}

// windowsEditions are the sold names of the licensing platform's Windows
// edition tokens (Edition). Windows 7 and older sell "Professional",
// Windows 8 and later "Pro"; editionName picks.
var windowsEditions = table[string, string]{
	{"core", "Home"}, {"coren", "Home N"}, {"coresinglelanguage", "Home Single Language"}, {"corecountryspecific", "Home China"},
	{"homepremium", "Home Premium"}, {"homebasic", "Home Basic"}, {"starter", "Starter"}, {"ultimate", "Ultimate"},
	{"business", "Business"}, {"professional", "Pro"}, {"professionaln", "Pro N"}, {"professionalworkstation", "Pro for Workstations"},
	{"professionaleducation", "Pro Education"}, {"education", "Education"}, {"educationn", "Education N"},
	{"enterprise", "Enterprise"}, {"enterprisen", "Enterprise N"}, {"enterpriseg", "Enterprise G"},
	{"enterprises", "Enterprise LTSC"}, {"enterprisesn", "Enterprise N LTSC"},
	{"iotenterprise", "IoT Enterprise"}, {"iotenterprises", "IoT Enterprise LTSC"},
	{"serverstandard", "Standard"}, {"serverdatacenter", "Datacenter"}, {"serveressentials", "Essentials"},
	{"serverfoundation", "Foundation"}, {"serverweb", "Web"},
}

// industryEditions are the sold names of Windows Embedded 8 and 8.1
// Industry's edition tokens: Pro and Enterprise, as Microsoft's lifecycle
// pages name the editions and its "KMS client activation and product
// keys" page the products (Windows Embedded 8.1 Industry Pro, ...
// Enterprise).
var industryEditions = table[string, string]{{"embeddedindustry", "Pro"}, {"embeddedindustrye", "Enterprise"}}

// officeEditions are the sold names of Office's edition tokens
// (officeEdition), with the family they belong to.
var officeEditions = table[string, [2]string]{
	{"proplus", [2]string{"Office", "Professional Plus"}}, {"standard", [2]string{"Office", "Standard"}},
	{"professional", [2]string{"Office", "Professional"}}, {"homestudent", [2]string{"Office", "Home & Student"}},
	{"homebusiness", [2]string{"Office", "Home & Business"}}, {"personal", [2]string{"Office", "Personal"}},
	{"projectpro", [2]string{"Project", "Professional"}}, {"projectstd", [2]string{"Project", "Standard"}},
	{"visiopro", [2]string{"Visio", "Professional"}}, {"visiostd", [2]string{"Visio", "Standard"}}, {"visioprem", [2]string{"Visio", "Premium"}},
	{"o365proplus", [2]string{"Microsoft 365", "Apps for enterprise"}}, {"o365business", [2]string{"Microsoft 365", "Apps for business"}},
	{"o365homeprem", [2]string{"Microsoft 365", "Family"}}, {"proplussub", [2]string{"Office 365", "ProPlus"}},
	// Project Online Desktop Client, the desktop Project of the Project
	// subscriptions (Project Plan 3 and 5): Office16ProjectProO365R_Subscription.
	{"projectproo365", [2]string{"Project", "Online Desktop Client"}},
}

// officeReleases names Office majors (officeVersion): 16 is 2016, and
// 19, 21, 24 name the 2019, LTSC 2021 and LTSC 2024 SKUs.
var officeReleases = table[int, string]{{14, "2010"}, {15, "2013"}, {16, "2016"}, {19, "2019"}, {21, "LTSC 2021"}, {24, "LTSC 2024"}}

// ProductName names a product of snapshot s: by its Activation ID where
// skuNames knows it, else from its licensing name, the OS caption and the
// build (Windows 10 and 11 share edition names; the build tells them
// apart). A version the facts do not show stays unknown (Name.Release "").
func ProductName(s *licensing.Snapshot, p *licensing.Product) Name {
	if n, ok := skuNames.get(strings.ToLower(strings.Trim(p.SKUID, "{} "))); ok {
		return n
	}
	if p.Kind == licensing.KindOffice {
		return officeName(p.Name)
	}
	if p.Kind != licensing.KindWindows {
		return Name{Release: p.Name, Family: p.Name}
	}
	major, minor, build := parseVersion(s.OS.Version, s.OS.Build)
	if major == 0 {
		major, minor = versionFromName(p.Name)
	}
	ed := Edition(p.Name)
	eval := strings.HasSuffix(strings.TrimSuffix(strings.TrimSpace(p.Name), " edition"), "Eval")
	if ed == "" {
		ed = editionFromCaption(s.OS.Caption)
	}
	key := strings.ToLower(ed)
	server := strings.HasPrefix(key, "server") || containsFold(s.OS.Caption, "server")
	n := Name{Family: "Windows", Release: windowsRelease(major, minor, build, server)}
	industry := strings.HasPrefix(key, "embeddedindustry") || containsFold(s.OS.Caption, "industry")
	switch {
	case key == "posready":
		n.Release, n.Edition = "Windows Embedded POSReady 7", ""
	case strings.HasPrefix(key, "embedded") && industry && major == 6 && (minor == 2 || minor == 3):
		// Windows Embedded 8 Industry and 8.1 Industry, sold as Pro and
		// Enterprise (Microsoft lifecycle pages, "Windows Embedded 8.1
		// Industry", "Windows Embedded 8 Industry").
		n.Release, n.Edition = "Windows Embedded 8.1 Industry", ""
		if minor == 2 {
			n.Release = "Windows Embedded 8 Industry"
		}
		n.Edition, _ = industryEditions.get(key)
	case strings.HasPrefix(key, "embedded") && industry:
		// Its version unknown: 8 and 8.1 Industry share their tokens.
		ed, _ := industryEditions.get(key)
		n.Edition = strings.TrimSpace("Embedded Industry " + ed)
	case strings.HasPrefix(key, "embedded") && major == 6 && minor == 2:
		// Microsoft lifecycle page, "Windows Embedded 8 Standard".
		n.Release, n.Edition = "Windows Embedded 8 Standard", ""
	case strings.HasPrefix(key, "embedded") && (major == 0 || major == 6 && minor == 1):
		n.Release, n.Edition = "Windows Embedded Standard 7", ""
	default:
		n.Edition, _ = windowsEditions.get(key)
		if n.Edition == "" {
			n.Edition = ed
		}
		if major == 6 && minor <= 1 && key == "professional" {
			n.Edition = "Professional" // Windows 7 and Vista
		}
		if strings.HasSuffix(key, "s") && strings.Contains(n.Edition, "LTSC") {
			n.Edition = strings.Replace(n.Edition, "LTSC", ltscName(build), 1)
		}
	}
	switch {
	case eval && n.Edition == "":
		n.Edition = "Evaluation" // not "Windows Embedded Standard 7  Evaluation"
	case eval:
		n.Edition += " Evaluation"
	}
	return n
}

// windowsRelease names a Windows version from its major, minor and build
// numbers; "" when they are unknown.
func windowsRelease(major, minor, build int, server bool) string {
	if server {
		switch {
		case major == 6 && minor == 0:
			return "Windows Server 2008"
		case major == 6 && minor == 1:
			return "Windows Server 2008 R2"
		case major == 6 && minor == 2:
			return "Windows Server 2012"
		case major == 6 && minor == 3:
			return "Windows Server 2012 R2"
		case major == 10 && build == 14393:
			return "Windows Server 2016"
		case major == 10 && build == 17763:
			return "Windows Server 2019"
		case major == 10 && build == 20348:
			return "Windows Server 2022"
		case major == 10 && build == 26100:
			return "Windows Server 2025"
		}
		return ""
	}
	switch {
	case major == 6 && minor == 0:
		return "Windows Vista"
	case major == 6 && minor == 1:
		return "Windows 7"
	case major == 6 && minor == 2:
		return "Windows 8"
	case major == 6 && minor == 3:
		return "Windows 8.1"
	case major == 10 && build >= 22000:
		return "Windows 11" // Windows 11 kept version 10.0; its builds start at 22000
	case major == 10 && build > 0:
		return "Windows 10"
	}
	return ""
}

// ltscName names the long-term servicing release of a Windows 10/11
// build (Microsoft lifecycle pages): LTSB 2015/2016, LTSC 2019/2021/2024.
func ltscName(build int) string {
	switch build {
	case 10240:
		return "LTSB 2015"
	case 14393:
		return "LTSB 2016"
	case 17763:
		return "LTSC 2019"
	case 19044:
		return "LTSC 2021"
	case 26100:
		return "LTSC 2024"
	}
	return "LTSC"
}

// officeName names an Office product from its licensing name: "Office
// 14, OfficeProPlus-Retail edition" is Office 2010 Professional Plus.
func officeName(name string) Name {
	v := officeVersion(name)
	ed := strings.ToLower(Edition(name))
	if hasPrefixFold(strings.TrimSpace(name), "microsoft office") {
		ed = "" // a KMS host license pack: "Microsoft Office 2010, KMSHost edition"
	}
	fam, edition := "Office", Edition(name)
	if e, ok := officeEditions.get(ed); ok {
		fam, edition = e[0], e[1]
	}
	n := Name{Family: fam, Edition: edition}
	if r, ok := officeReleases.get(v); ok {
		n.Release = fam + " " + r
		if fam == "Microsoft 365" || fam == "Office 365" || strings.HasSuffix(ed, "o365") {
			n.Release = fam // subscriptions have no release
		}
	}
	return n
}

// channelWords are the channels in words, English and Japanese, in
// Microsoft's terms where it has them (DOMAIN.md channel table).
var channelWords = table[licensing.Channel, [2]string]{
	{licensing.ChannelRetail, [2]string{"Retail", "リテール"}},
	{licensing.ChannelOEMDM, [2]string{"OEM (key in the firmware)", "OEM (ファームウェアのキー)"}},
	{licensing.ChannelOEMSLP, [2]string{"OEM (BIOS marker, SLP)", "OEM (BIOS マーカー、SLP)"}},
	{licensing.ChannelOEMNonSLP, [2]string{"OEM (no BIOS marker)", "OEM (BIOS マーカーなし)"}},
	{licensing.ChannelOEMCOA, [2]string{"OEM (key on the COA label)", "OEM (COA ラベルのキー)"}},
	{licensing.ChannelCOASLP, [2]string{"OEM (key on the COA label, SLP)", "OEM (COA ラベルのキー、SLP)"}},
	{licensing.ChannelCOANSLP, [2]string{"OEM (key on the COA label)", "OEM (COA ラベルのキー)"}},
	{licensing.ChannelMAK, [2]string{"MAK (volume license)", "MAK (ボリューム ライセンス)"}},
	{licensing.ChannelGVLK, [2]string{"KMS client (volume license)", "KMS クライアント (ボリューム ライセンス)"}},
	{licensing.ChannelCSVLK, [2]string{"KMS host key", "KMS ホスト キー"}},
	{licensing.ChannelAVMA, [2]string{"Automatic virtual machine activation (AVMA)", "仮想マシンの自動ライセンス認証 (AVMA)"}},
	{licensing.ChannelEval, [2]string{"Evaluation", "評価版"}},
	{licensing.ChannelUnknown, [2]string{"unknown", "不明"}},
}

// ChannelText returns a channel in words in lang; a value this program
// does not know is shown as read.
func ChannelText(c licensing.Channel, lang Lang) string {
	if w, ok := channelWords.get(c); ok {
		return w[langIndex(lang)]
	}
	if c == "" {
		return ChannelText(licensing.ChannelUnknown, lang)
	}
	return string(c)
}

// statusWords are the license statuses in words, in the terms of
// slmgr.vbs's own English and Japanese strings (slmgr.ini 0409, 0411).
var statusWords = table[licensing.Status, [2]string]{
	{licensing.StatusUnlicensed, [2]string{"not activated", "ライセンス認証されていない"}},
	{licensing.StatusLicensed, [2]string{"activated", "ライセンス認証済み"}},
	{licensing.StatusOOBGrace, [2]string{"initial grace period", "初期猶予期間"}},
	{licensing.StatusOOTGrace, [2]string{"additional grace period (out of tolerance)", "追加の猶予期間 (許容範囲外)"}},
	{licensing.StatusNonGenuineGrace, [2]string{"non-genuine grace period", "非正規の猶予期間"}},
	{licensing.StatusNotification, [2]string{"notification mode", "通知モード"}},
	{licensing.StatusExtendedGrace, [2]string{"extended grace period", "延長猶予期間"}},
	{licensing.StatusUnknown, [2]string{"unknown", "不明"}},
}

// StatusText returns a license status in words in lang.
func StatusText(s licensing.Status, lang Lang) string {
	if w, ok := statusWords.get(s); ok {
		return w[langIndex(lang)]
	}
	return StatusText(licensing.StatusUnknown, lang)
}

// sourceWords name the sources of facts for a reader: WMI, the scripts,
// saved text.
var sourceWords = table[string, string]{{"wmi", "WMI"}, {"slmgr", "slmgr.vbs"}, {"ospp", "ospp.vbs"}, {"files", "WMI"}, {"text", "slmgr.vbs"}}

// sourcesText names the comma-separated sources of an Evidence.Source.
func sourcesText(s string) string {
	parts := strings.Split(s, ",")
	for i, p := range parts {
		if w, ok := sourceWords.get(strings.TrimSpace(p)); ok {
			parts[i] = w
		}
	}
	return strings.Join(parts, ", ")
}
