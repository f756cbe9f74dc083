package classify

import (
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// Edition returns the edition token of a product Name, as the licensing
// platform names it: "Windows(R), Professional edition" → "Professional",
// "Office 21, Office21ProPlus2021VL_KMS_Client_AE edition" → "ProPlus".
// Evaluation editions lose their "Eval" suffix: a volume key converts them.
func Edition(name string) string {
	n := strings.TrimSpace(name)
	i := strings.LastIndex(n, ",")
	if i < 0 || !hasSuffixFold(n, " edition") {
		return ""
	}
	tok := strings.TrimSpace(n[i+1 : len(n)-len(" edition")])
	tok = strings.ReplaceAll(tok, " ", "")
	if hasPrefixFold(n, "office") {
		return officeEdition(tok)
	}
	return strings.TrimSuffix(tok, "Eval")
}

// officeEdition reduces an Office SKU name to its product:
// "Office16VisioProR_Retail" → "VisioPro", "OfficeProPlus-KMS_Client" →
// "ProPlus", "Office16ProjectProO365R_Subscription" → "ProjectProO365".
func officeEdition(tok string) string {
	tok = strings.TrimPrefix(tok, "Office")
	tok = strings.TrimLeft(tok, "0123456789")
	if i := strings.IndexAny(tok, "-_"); i >= 0 {
		tok = tok[:i]
	}
	for {
		before := tok
		for _, suf := range []string{"Preview", "VL", "Retail", "R", "MSDN", "Demo"} {
			tok = strings.TrimSuffix(tok, suf)
		}
		if strings.HasSuffix(tok, "O365") {
			return tok // "ProjectProO365": Project Online Desktop Client, not a release
		}
		tok = strings.TrimRight(tok, "0123456789")
		if tok == before {
			return tok
		}
	}
}

// editionFromCaption reads the edition from Win32_OperatingSystem.Caption
// for products whose name was not read.
func editionFromCaption(caption string) string {
	c := strings.ToLower(caption)
	switch {
	case strings.Contains(c, "posready"):
		return "POSReady"
	case strings.Contains(c, "embedded") && strings.Contains(c, "industry") && strings.Contains(c, "enterprise"):
		return "EmbeddedIndustryE" // "Windows Embedded 8.1 Industry Enterprise"
	case strings.Contains(c, "embedded") && strings.Contains(c, "industry") && strings.Contains(c, " pro"):
		return "EmbeddedIndustry" // "Windows Embedded 8.1 Industry Pro"
	case strings.Contains(c, "embedded"):
		return "Embedded"
	case strings.Contains(c, "iot enterprise") && (strings.Contains(c, "ltsc") || strings.Contains(c, "ltsb")):
		return "IoTEnterpriseS"
	case strings.Contains(c, "iot enterprise"):
		return "IoTEnterprise"
	case strings.Contains(c, "enterprise") && (strings.Contains(c, "ltsc") || strings.Contains(c, "ltsb")):
		return "EnterpriseS"
	case strings.Contains(c, "server") && strings.Contains(c, "datacenter"):
		return "ServerDatacenter"
	case strings.Contains(c, "server") && strings.Contains(c, "standard"):
		return "ServerStandard"
	case strings.Contains(c, "pro for workstations"):
		return "ProfessionalWorkstation"
	case strings.Contains(c, "pro education"):
		return "ProfessionalEducation"
	case strings.Contains(c, "education"):
		return "Education"
	case strings.Contains(c, "enterprise"):
		return "Enterprise"
	case strings.Contains(c, "professional"), strings.Contains(c, " pro"):
		return "Professional"
	case strings.Contains(c, "ultimate"):
		return "Ultimate"
	case strings.Contains(c, "starter"):
		return "Starter"
	case strings.Contains(c, "home premium"):
		return "HomePremium"
	case strings.Contains(c, "home basic"):
		return "HomeBasic"
	case strings.Contains(c, "home"):
		return "Core"
	}
	return ""
}

// windowsVolume lists the Windows editions that have volume (GVLK) keys
// (DOMAIN.md "Channels": Windows 7 Professional and Enterprise; 8/8.1 Pro
// and Enterprise; 10/11 Pro, Pro for Workstations, Pro Education,
// Education, Enterprise, LTSB/LTSC; Server editions), with their N, E and
// G variants. Home (Core), Starter, Ultimate and Embedded/POSReady have
// none. IoTEnterpriseS is decided by build below.
var windowsVolume = table[string, bool]{
	{"business", true}, {"businessn", true}, // Vista
	{"professional", true}, {"professionaln", true}, {"professionale", true},
	{"enterprise", true}, {"enterprisen", true}, {"enterprisee", true},
	{"enterpriseg", true}, {"enterprisegn", true},
	{"enterprises", true}, {"enterprisesn", true},
	{"professionalworkstation", true}, {"professionalworkstationn", true},
	{"professionaleducation", true}, {"professionaleducationn", true},
	{"education", true}, {"educationn", true},
}

// officeVolume lists the Office products that exist as volume editions
// (DOMAIN.md: Professional Plus, Standard, Project and Visio). Office
// Professional, Home and Student/Business, Personal and the Microsoft 365
// subscriptions are retail-only.
var officeVolume = table[string, bool]{
	{"proplus", true}, {"standard", true},
	{"projectpro", true}, {"projectstd", true},
	{"visiopro", true}, {"visiostd", true}, {"visioprem", true},
}

// hasVolumeKeys reports whether the product's edition has volume keys, so
// it could move to KMS, MAK or AD-based activation.
func (d *device) hasVolumeKeys(p *product) bool {
	e := strings.ToLower(p.edition)
	if p.Kind == licensing.KindOffice {
		return officeVolume.has(e)
	}
	switch {
	case windowsVolume.has(e):
		return true
	case e == "iotenterprises" || e == "iotenterprisesk":
		// IoT Enterprise LTSC 2021 (build 19044) and 2024 (26100) have
		// GVLKs; LTSC 2019 and older IoT LTSC do not (DOMAIN.md).
		return d.build >= 19044
	case strings.HasPrefix(e, "server"):
		return !strings.Contains(e, "foundation") && !strings.HasPrefix(e, "serverhome")
	}
	return false
}

// officePacks are the years of KMS host license packs' names
// (officeVersion) and the Office majors they stand for.
var officePacks = table[string, int]{{"2010", 14}, {"2013", 15}, {"2016", 16}, {"2019", 19}, {"2021", 21}, {"2024", 24}}

// officeVersion returns the Office major from "Office 16, …" (14 for
// Office 2010; 19, 21 and 24 name the 2019, LTSC 2021 and LTSC 2024 SKUs),
// or from the year of a KMS host license pack, "Microsoft Office 2010,
// KMSHost edition".
func officeVersion(name string) int {
	n := strings.TrimSpace(name)
	const pack = "microsoft office "
	if hasPrefixFold(n, pack) && len(n) >= len(pack)+4 {
		if v, ok := officePacks.get(n[len(pack) : len(pack)+4]); ok {
			return v
		}
	}
	if !hasPrefixFold(n, "office ") || len(n) < 9 {
		return 0
	}
	v := 0
	for _, c := range n[7:9] {
		if c < '0' || c > '9' {
			return 0
		}
		v = v*10 + int(c-'0')
	}
	return v
}

// support is an end-of-support fact from the Microsoft lifecycle pages
// (DOMAIN.md "End of support"; dates not in DOMAIN.md are marked).
type support struct {
	name string
	end  string // yyyy-mm-dd
}

// esuEnds are the ends of Extended Security Updates (yyyy-mm-dd) that
// DOMAIN.md gives ("End of support"), by support.name: before it, a
// licensed ESU add-on still brings security updates (esuCovers).
var esuEnds = table[string, string]{
	{"Windows 7 SP1", "2023-01-10"},
	{"Windows Embedded Standard 7", "2023-10-10"},
	{"Windows Embedded POSReady 7", "2024-10-08"},
	{"Windows 10", "2026-10-13"}, // consumer ESU of Windows 10 22H2
}

// date is the first moment past s.end in loc, the time zone of the
// as-of date: a report as of a day (fleet.AsOf: midnight, local time)
// agrees with the calendar wherever it is made. Read as midnight UTC, a
// report in Japan flagged the end a day after one made in UTC.
func (s support) date(loc *time.Location) time.Time {
	t, _ := time.ParseInLocation("2006-01-02", s.end, loc)
	return t
}

// esuCovers reports whether the device still gets security updates past
// s, its Windows' end of support, through Extended Security Updates: an
// ESU add-on row of Windows ("Windows(R), Client-ESU-Year1 add-on for
// …", a VOLUME_MAK add-on: DOMAIN.md "Reading the state") is activated,
// and the as-of date is before the ESU end DOMAIN.md gives for it.
func (d *device) esuCovers(s support) bool {
	esu, ok := esuEnds.get(s.name)
	if !ok {
		return false
	}
	if end, _ := time.ParseInLocation("2006-01-02", esu, d.asOf.Location()); !d.asOf.Before(end) {
		return false
	}
	for i := range d.s.Products {
		p := &d.s.Products[i]
		if p.IsAddon && p.Kind == licensing.KindWindows && p.Status == licensing.StatusLicensed && strings.Contains(p.Name, "ESU") {
			return true
		}
	}
	return false
}

// osSupport returns the end-of-support fact for the device's Windows, or
// false when it is unknown or still far away (Windows 11, newer servers).
func (d *device) osSupport() (support, bool) {
	c := d.s.OS.Caption
	ed := ""
	if w := d.s.PrimaryWindows(); w != nil {
		ed = Edition(w.Name)
	}
	ltsc := containsFold(c, "ltsc") || containsFold(c, "ltsb") || equalFold(ed, "enterprises") || equalFold(ed, "iotenterprises")
	embedded := containsFold(c, "embedded") || hasPrefixFold(ed, "embedded")
	industry := embedded && (containsFold(c, "industry") || hasPrefixFold(ed, "embeddedindustry"))
	iot := containsFold(c, "iot") || hasPrefixFold(ed, "iot")
	switch {
	case d.osMajor == 6 && d.osMinor == 0:
		if d.server {
			return support{"Windows Server 2008", "2020-01-14"}, true // lifecycle page, not in DOMAIN.md
		}
		return support{"Windows Vista", "2017-04-11"}, true // lifecycle page, not in DOMAIN.md
	case d.win7():
		switch {
		case containsFold(c, "posready") || equalFold(ed, "posready"):
			return support{"Windows Embedded POSReady 7", "2021-10-12"}, true
		case embedded:
			return support{"Windows Embedded Standard 7", "2020-10-13"}, true
		case d.server:
			return support{"Windows Server 2008 R2", "2020-01-14"}, true // lifecycle page
		}
		return support{"Windows 7 SP1", "2020-01-14"}, true
	case d.osMajor == 6 && d.osMinor == 2:
		switch {
		case d.server:
			return support{"Windows Server 2012", "2023-10-10"}, true // lifecycle page
		case industry:
			// Microsoft lifecycle page, "Windows Embedded 8 Industry"
			// (Enterprise, Pro): support ended 2016-01-12; it moved to
			// 8.1 Industry.
			return support{"Windows Embedded 8 Industry", "2016-01-12"}, true
		case embedded:
			// Microsoft lifecycle page, "Windows Embedded 8 Standard":
			// extended support ended 2023-07-11.
			return support{"Windows Embedded 8 Standard", "2023-07-11"}, true
		}
		return support{"Windows 8", "2016-01-12"}, true // lifecycle page
	case d.osMajor == 6 && d.osMinor == 3:
		switch {
		case d.server:
			return support{"Windows Server 2012 R2", "2023-10-10"}, true // lifecycle page
		case industry:
			// Microsoft lifecycle page, "Windows Embedded 8.1 Industry"
			// (Enterprise, Pro, Sideloading): extended support ended
			// 2023-07-11, not Windows 8.1's 2023-01-10 (DOMAIN.md names
			// neither Embedded 8.1 product).
			return support{"Windows Embedded 8.1 Industry", "2023-07-11"}, true
		}
		return support{"Windows 8.1", "2023-01-10"}, true
	case d.osMajor == 10 && d.server:
		switch d.build {
		case 14393:
			return support{"Windows Server 2016", "2027-01-12"}, true // lifecycle page
		case 17763:
			return support{"Windows Server 2019", "2029-01-09"}, true // lifecycle page
		}
	case d.osMajor == 10 && d.build > 0 && d.build < 22000:
		switch {
		case ltsc && d.build == 14393:
			return support{"Windows 10 LTSB 2016", "2026-10-13"}, true
		case ltsc && d.build == 17763:
			return support{"Windows 10 LTSC 2019", "2029-01-09"}, true
		case ltsc && d.build == 19044 && iot:
			return support{"Windows 10 IoT Enterprise LTSC 2021", "2032-01-13"}, true
		case ltsc && d.build == 19044:
			return support{"Windows 10 Enterprise LTSC 2021", "2027-01-12"}, true
		case ltsc && d.build == 10240:
			return support{"Windows 10 LTSB 2015", "2025-10-14"}, true // lifecycle page
		case ltsc:
			return support{}, false
		}
		// Every Windows 10 release of the semi-annual channel ended by
		// 22H2's end; older releases ended earlier.
		return support{"Windows 10", "2025-10-14"}, true
	}
	return support{}, false
}

// officeSupport returns the end-of-support fact for an Office product;
// subscriptions (Microsoft 365) have none.
func officeSupport(p *product) (support, bool) {
	if p.subscription() {
		return support{}, false
	}
	switch p.office {
	case 14:
		return support{"Office 2010", "2020-10-13"}, true
	case 15:
		return support{"Office 2013", "2023-04-11"}, true
	case 16:
		return support{"Office 2016", "2025-10-14"}, true
	case 19:
		return support{"Office 2019", "2025-10-14"}, true
	case 21:
		return support{"Office LTSC 2021", "2026-10-13"}, true
	case 24:
		return support{"Office LTSC 2024", "2029-10-09"}, true // lifecycle page
	}
	return support{}, false
}

// genericKeys maps the last five characters of Microsoft's public generic
// installation keys for Windows 10/11 to their edition. A Retail or OEM:DM
// product with one of these has a digital license: no key of its own
// (DOMAIN.md "Windows 10/11 digital license").
var genericKeys = table[string, string]{
	{"3V66T", "Pro"},
	{"8HVX7", "Home"},
	{"6F4BT", "Home Single Language"},
	{"2YV77", "Pro for Workstations"},
	{"MHBPB", "Pro Education"},
	{"7CFBY", "Education"},
}

// Thresholds of a KMS host (DOMAIN.md "KMS facts"): the host activates
// nobody until it has counted this many distinct clients.
const (
	ThresholdClient = 25
	ThresholdServer = 5
	ThresholdOffice = 5
)

// Pool counts the machines of one site that could activate against a KMS
// host: Windows clients and servers whose edition has volume keys (a
// Windows 7 PC only with the BIOS Windows marker), and machines with a
// volume-capable Office. Machines already on KMS count too: a host counts
// every client that asks.
//
// Hosts are the KMS hosts the site's KMS clients name, with how many of
// them each host had activated: a host that works decides the site's KMS
// verdict before the counts do (Advice).
type Pool struct {
	Client int       `json:"client"`
	Server int       `json:"server"`
	Office int       `json:"office"`
	Hosts  []KMSHost `json:"kms_hosts,omitempty"`
}

// Add counts one device into the pool.
func (p *Pool) Add(s *licensing.Snapshot) { p.Merge(PoolOf(s)) }

// Merge adds the counts and hosts of q to p.
func (p *Pool) Merge(q Pool) {
	p.Client += q.Client
	p.Server += q.Server
	p.Office += q.Office
	if len(q.Hosts) > 0 {
		p.Hosts = mergeHosts(append([]KMSHost(nil), p.Hosts...), q.Hosts)
	}
}

// PoolOf is one device's share of its site's pool: 0 or 1 in each count,
// and the KMS hosts its clients name.
func PoolOf(s *licensing.Snapshot) Pool {
	return poolOf(newDevice(s, s.Context.Collected, Site{}))
}

// poolOf is PoolOf of the device d, read as of its collection.
func poolOf(d *device) Pool {
	var p Pool
	p.Hosts = hostsOf(d)
	win, office := false, false
	for _, pr := range d.products {
		switch {
		case pr.Kind == licensing.KindWindows && pr.volume && d.kmsCapable(pr):
			win = true
		case pr.Kind == licensing.KindOffice && pr.volume:
			office = true
		}
	}
	if win && d.server {
		p.Server++
	} else if win {
		p.Client++
	}
	if office {
		p.Office++
	}
	return p
}

// embedded7 reports whether the Windows product p is Windows Embedded
// Standard 7: Windows 7 (6.1), not a server, of an Embedded edition by
// its licensing name or the OS caption ("Windows Embedded Standard").
// POSReady 7 is not: its edition is POSReady.
func (d *device) embedded7(p *product) bool {
	if p.Kind != licensing.KindWindows || !d.win7() || d.server {
		return false
	}
	return strings.HasPrefix(strings.ToLower(p.edition), "embedded") || editionFromCaption(d.s.OS.Caption) == "Embedded"
}

// markerMissing reports whether the facts show that the Windows
// product p cannot use KMS on this hardware: it reported 0xC004F035, or
// it is a Windows 7 client whose firmware was read and holds no SLIC
// marker (DOMAIN.md, 0xC004F035). Unlike kmsCapable, firmware not read
// proves nothing here: it decides for a KMS client already, which may
// have activated against its host before.
func (d *device) markerMissing(p *product) bool {
	if p.Kind != licensing.KindWindows {
		return false
	}
	if p.StatusReason == 0xC004F035 {
		return true
	}
	return d.win7() && !d.server && d.s.Hardware.SLIC != nil && !*d.s.Hardware.SLIC
}

// slpElsewhere reports whether p is an OEM SLP product on hardware
// without its marker: it reported 0xC004F057 or 0xC004F058 ("OEM SLP
// image on other hardware", DOMAIN.md HRESULT table), or the firmware
// was read and holds no SLIC marker. An OEM SLP key activates only
// against that marker (DOMAIN.md channel table: "fine on the same
// hardware"), so it has no offline route of its own here.
func (d *device) slpElsewhere(p *product) bool {
	if p.Channel != licensing.ChannelOEMSLP {
		return false
	}
	if p.StatusReason == 0xC004F057 || p.StatusReason == 0xC004F058 {
		return true
	}
	return d.s.Hardware.SLIC != nil && !*d.s.Hardware.SLIC
}

// kmsCapable reports whether a Windows product could activate by KMS on
// this hardware: a Windows 7 volume client needs the BIOS Windows marker
// (DOMAIN.md, 0xC004F035).
func (d *device) kmsCapable(p *product) bool {
	if p.StatusReason == 0xC004F035 {
		return false
	}
	if d.win7() && !d.server {
		return d.s.Hardware.SLIC != nil && *d.s.Hardware.SLIC
	}
	return true
}
