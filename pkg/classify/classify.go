package classify

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// Category is the one primary verdict of a device.
type Category string

// Categories, most pressing first: a device gets the first that applies.
const (
	Urgent        Category = "urgent"
	ImageBackup   Category = "image-backup"
	VolumeLicense Category = "volume-license"
	OK            Category = "ok"
)

// Categories lists the categories in order of urgency.
var Categories = []Category{Urgent, ImageBackup, VolumeLicense, OK}

// Rank returns the position of c in Categories (0 is most urgent), or
// len(Categories) for an unknown category.
func (c Category) Rank() int {
	for i, v := range Categories {
		if v == c {
			return i
		}
	}
	return len(Categories)
}

// ErrCategory means a category other than those in Categories.
var ErrCategory = errors.New("classify: unknown category (use urgent, image-backup, volume-license or ok)")

// ParseCategory reads a category name; "" is the empty category, which
// filters select nothing by. Anything else wraps ErrCategory.
func ParseCategory(s string) (Category, error) {
	c := Category(strings.TrimSpace(s))
	if c != "" && c.Rank() == len(Categories) {
		return "", fmt.Errorf("%w: %q", ErrCategory, s)
	}
	return c, nil
}

// Route is a volume-license route that keeps a machine offline.
type Route string

const (
	RouteKMS     Route = "kms"      // a KMS host on the isolated network
	RouteMAK     Route = "mak"      // MAK with proxy activation (VAMT)
	RouteADBased Route = "ad-based" // Active Directory-based activation
	// RouteRuntimeKey is an Embedded image built again with a volume
	// license runtime key, which activates itself offline during setup
	// (Windows Embedded Standard 7 with an evaluation runtime key).
	RouteRuntimeKey Route = "runtime-key"
)

// Evidence is what a reason rests on. Empty fields do not apply.
type Evidence struct {
	// Product is the product's name as the licensing platform gives it
	// (WMI, slmgr, ospp): kept as evidence; Name is the name it is sold
	// under (ProductName), in English, and nameJA the Japanese of it
	// (they differ only in how an unknown version is said).
	Product    string `json:"product,omitempty"`
	Name       string `json:"name,omitempty"`
	nameJA     string
	Kind       licensing.Kind    `json:"kind,omitempty"`
	Edition    string            `json:"edition,omitempty"`
	Channel    licensing.Channel `json:"channel,omitempty"`
	Status     licensing.Status  `json:"license_status,omitempty"`
	PartialKey string            `json:"partial_key,omitempty"`
	HRESULT    string            `json:"hresult,omitempty"`
	Meaning    string            `json:"hresult_meaning,omitempty"`
	meaningJA  string            // Japanese meaning, for the Japanese sentence
	Minutes    *int              `json:"minutes_left,omitempty"` // projected to the as-of date
	Days       *int              `json:"days_left,omitempty"`    // projected to the as-of date
	Date       string            `json:"date,omitempty"`         // yyyy-mm-dd
	Count      *int              `json:"count,omitempty"`
	Threshold  *int              `json:"threshold,omitempty"`
	Route      Route             `json:"route,omitempty"`
	Host       string            `json:"kms_host,omitempty"`
	// HostReleases are the releases Host has activated at the site, when
	// the product's release is not one of them (hostProof); release is
	// the product's.
	HostReleases []string `json:"kms_host_releases,omitempty"`
	release      string
	Volume       string           `json:"volume,omitempty"`
	FreeBytes    *int64           `json:"free_bytes,omitempty"`
	SizeBytes    *int64           `json:"size_bytes,omitempty"`
	Source       licensing.Source `json:"source,omitempty"`
	// convert is how an evaluation becomes a full edition, as the
	// evaluation sentences say it: evalServer, evalServerOld, evalClient,
	// evalOffice, evalEmbedded, evalEmbeddedEnded (or how a product that
	// is no evaluation moves: officeRetail, officeSubscription).
	convert string
	// family is the family of the volume edition that would replace the
	// product (volumeFamily), which convert's sentences name.
	family string
	// sentences names the case of the rule (rule.cases) whose sentences
	// this evidence is said in; "" says the rule's en and ja.
	sentences string
}

// Reason is one finding: a stable code, a sentence in English and in
// Japanese, and the evidence.
type Reason struct {
	Code     string   `json:"code"`
	English  string   `json:"en"`
	Japanese string   `json:"ja"`
	Evidence Evidence `json:"evidence"`
}

// Lang is a language that reasons, and the reports built on them, are
// written in: the factories' auditors read Japanese, central staff
// English.
type Lang string

// The languages of reasons and reports.
const (
	English  Lang = "en"
	Japanese Lang = "ja"
)

// ErrLang means a language other than en or ja was asked for.
var ErrLang = errors.New("classify: unknown language (use en or ja)")

// ParseLang reads a language code, "en" or "ja", in any case. Anything
// else is an error wrapping [ErrLang].
func ParseLang(s string) (Lang, error) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case English, Japanese:
		return l, nil
	}
	return "", fmt.Errorf("%w: %q", ErrLang, s)
}

// Text returns the sentence in lang: Japanese for [Japanese], else
// English.
func (r Reason) Text(lang Lang) string {
	if lang == Japanese {
		return r.Japanese
	}
	return r.English
}

// ProductRoute is the suggested volume-license route for one product; the
// fleet summary counts these to size the KMS and MAK purchase.
type ProductRoute struct {
	Kind    licensing.Kind `json:"kind"`
	Product string         `json:"product"` // the licensing name
	Name    Name           `json:"name"`    // the name it is sold under
	Edition string         `json:"edition"` // the licensing platform's edition token
	Route   Route          `json:"route"`
	Host    string         `json:"kms_host,omitempty"` // the KMS host to use, when one works
	Code    string         `json:"code"`               // the route rule that chose it
}

// Verdict is the classification of one device as of a date.
type Verdict struct {
	Category Category       `json:"category"`
	AsOf     time.Time      `json:"as_of"`
	Reasons  []Reason       `json:"reasons"`
	Routes   []ProductRoute `json:"routes,omitempty"`
	Flags    []Reason       `json:"flags,omitempty"`
	// Action is what to do about the device: the most pressing of Steps.
	Action Step `json:"action"`
	// Steps are the actions per product, in product order.
	Steps []Step `json:"steps"`
	// Deadline is when the device's current state ends.
	Deadline Deadline `json:"deadline"`
}

// Site holds what the classifier must know about the device's site: how
// many machines there could use a KMS host (see Pool).
type Site struct {
	Pool Pool
}

// Device classifies one snapshot as of asOf. A zero asOf means the
// collection time. site gives the KMS pool of the device's site; the zero
// Site means no other machines are known.
func Device(s *licensing.Snapshot, asOf time.Time, site Site) Verdict {
	d := newDevice(s, asOf, site)
	v := Verdict{Category: OK, AsOf: d.asOf, Reasons: []Reason{}}
	found := false
	for _, r := range rules {
		if r.category == "" {
			continue
		}
		if found && r.category != v.Category {
			break
		}
		for _, ev := range r.match(d) {
			if !found {
				v.Category, found = r.category, true
			}
			v.Reasons = append(v.Reasons, r.reason(ev))
		}
	}
	// Every product that must move gets a route, whatever the category:
	// an urgent retail Office needs its MAK as much as a safe one.
	// A product that moves by more than a key (a retail, OEM or
	// subscription Office, an evaluation) is told how once: by its
	// category's reason (online-only-volume, m365-subscription,
	// evaluation, ...), else by its route's.
	said := map[string]bool{}
	for _, r := range v.Reasons {
		if r.Evidence.convert != "" {
			said[r.Evidence.Product] = true
		}
	}
	steps, routes, why := d.steps(said)
	v.Steps, v.Routes = steps, routes
	v.Reasons = append(v.Reasons, why...)
	v.Action = steps[0]
	for _, st := range steps[1:] {
		if st.Action.Rank() < v.Action.Action.Rank() {
			v.Action = st
		}
	}
	v.Deadline = d.deviceDeadline(steps)
	for _, r := range rules {
		if r.category != "" {
			continue
		}
		for _, ev := range r.match(d) {
			v.Flags = append(v.Flags, r.reason(ev))
		}
	}
	return v
}

// device is a snapshot prepared for the rules.
type device struct {
	s        *licensing.Snapshot
	asOf     time.Time
	elapsed  time.Duration // collection to as-of; never negative
	site     Site
	osMajor  int // 6 for 6.1, 10 for 10.0
	osMinor  int
	build    int
	server   bool
	products []*product // Windows and Office, add-ons excluded
	// notInUse are Windows and Office SKUs that slmgr /dlv listed as not
	// in use (no key installed); kept out of products.
	notInUse []*licensing.Product
}

// product is a licensed product with what the rules derive from it.
type product struct {
	*licensing.Product
	edition string // "Professional", "ProPlus", …
	name    Name   // as sold: "Windows 7 Professional"
	// text is name's text in English and Japanese, made once: every
	// reason and step about the product shows it.
	text    [2]string
	volume  bool // its edition or product has volume keys
	ad      bool // activated by AD-based activation (adBased)
	office  int  // Office major version (14, 15, 16, 19, 21, 24); 0 for Windows
	minutes *int // grace or activation minutes left at the as-of date; none for a licensed AVMA guest (avmaActivated)
	evalEnd *time.Time
	// meaning is what its StatusReason means here (en, ja), where that
	// is not the licensing table's: nil means the table's.
	meaning *[2]string
}

func newDevice(s *licensing.Snapshot, asOf time.Time, site Site) *device {
	collected := s.Context.Collected
	if asOf.IsZero() {
		asOf = collected
	}
	d := &device{s: s, asOf: asOf, site: site}
	if !collected.IsZero() && asOf.After(collected) {
		d.elapsed = asOf.Sub(collected)
	}
	d.osMajor, d.osMinor, d.build = parseVersion(s.OS.Version, s.OS.Build)
	d.server = containsFold(s.OS.Caption, "server")
	for i := range s.Products {
		lp := &s.Products[i]
		if lp.NotInUse {
			if (lp.Kind == licensing.KindWindows || lp.Kind == licensing.KindOffice) && !lp.IsAddon {
				d.notInUse = append(d.notInUse, lp)
			}
			continue
		}
		if lp.IsAddon || (lp.Kind != licensing.KindWindows && lp.Kind != licensing.KindOffice) {
			continue
		}
		p := &product{Product: lp, edition: Edition(lp.Name), name: ProductName(s, lp)}
		p.text = [2]string{p.name.Text(English), p.name.Text(Japanese)}
		if lp.Kind == licensing.KindWindows {
			if p.edition == "" {
				p.edition = editionFromCaption(s.OS.Caption)
			}
			if hasPrefixFold(p.edition, "server") {
				d.server = true
			}
			if d.osMajor == 0 {
				d.osMajor, d.osMinor = versionFromName(lp.Name)
			}
		} else {
			p.office = officeVersion(lp.Name)
		}
		if lp.GraceMinutes != nil && *lp.GraceMinutes > 0 && !avmaActivated(lp) {
			m := *lp.GraceMinutes - int(d.elapsed/time.Minute)
			p.minutes = &m
		}
		if lp.EvaluationEnd != nil && lp.EvaluationEnd.Year() > 1601 {
			p.evalEnd = lp.EvaluationEnd
		}
		d.products = append(d.products, p)
	}
	for _, p := range d.products {
		p.volume = d.hasVolumeKeys(p)
		p.ad = (p.ADActivation != "" || (p.VLActivationType != nil && *p.VLActivationType == 1)) && d.adPlatform(p)
		if p.StatusReason == 0xC004F035 && d.markerCase(p) != "" {
			// The licensing table's meaning is DOMAIN.md's, of a
			// Windows 7 PC; elsewhere, the first sentence of the
			// code's own message (qualifyingLicense, officeVolumeKey).
			p.meaning = &[2]string{"the computer could not be activated with a volume license product key",
				"ボリューム ライセンスのプロダクト キーでこのコンピューターをライセンス認証できませんでした"}
		}
	}
	sort.SliceStable(d.products, func(i, j int) bool {
		return d.products[i].Kind == licensing.KindWindows && d.products[j].Kind != licensing.KindWindows
	})
	return d
}

// avmaActivated reports whether p is a licensed AVMA guest, whose
// minutes left (slmgr's "Guest Virtual Machine activation expiration")
// are not projected: DOMAIN.md tells them apart from a KMS client's by
// the channel ("volume (KMS), time-based (evaluation) or AVMA activation
// that expires") and gives AVMA no validity period; it renews from its
// Hyper-V host. Projected, they were a KMS client's deadline that
// passed a week after collection on a device said to be ok. They stay
// in the product as collected (GraceMinutes), as reports show them. An
// AVMA product in a grace state counts its grace period.
func avmaActivated(p *licensing.Product) bool {
	return p.Channel == licensing.ChannelAVMA && p.Status == licensing.StatusLicensed
}

// minutesEnd is when p's grace or activation minutes run out: the
// collection time plus the minutes read then. Counted from the as-of date
// (with the minutes projected to it), the end moved with the as-of date:
// a report as of midnight UTC, before a collection made that morning in
// Japan, gave an end hours early, and the seconds of the collection time
// came and went with the as-of date. Without a collection time, the
// as-of date is all there is.
func (d *device) minutesEnd(p *product) time.Time {
	if c := d.s.Context.Collected; !c.IsZero() && p.GraceMinutes != nil {
		return c.Add(time.Duration(*p.GraceMinutes) * time.Minute)
	}
	return d.asOf.Add(time.Duration(*p.minutes) * time.Minute)
}

// parseVersion reads "6.1.7601" (and a separate build number, if given).
func parseVersion(version, build string) (major, minor, b int) {
	// "6.1.7601": the fields up to the third dot, without strings.Split's
	// slice (every device's version is parsed more than once).
	first, rest, ok := strings.Cut(strings.TrimSpace(version), ".")
	if ok {
		second, third, _ := strings.Cut(rest, ".")
		major, _ = strconv.Atoi(first)
		minor, _ = strconv.Atoi(second)
		third, _, _ = strings.Cut(third, ".")
		b, _ = strconv.Atoi(third)
	}
	if n, err := strconv.Atoi(strings.TrimSpace(build)); err == nil && n > 0 {
		b = n
	}
	return
}

// versionFromName guesses the Windows version from a product name when the
// OS facts are missing (text-only devices): "Windows(R) 7, …" is 6.1.
func versionFromName(name string) (major, minor int) {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "vista"):
		return 6, 0
	case strings.Contains(n, "windows(r) 7"):
		return 6, 1
	}
	return 0, 0
}

// win7 reports whether the device runs Windows 7 or Server 2008 R2.
func (d *device) win7() bool { return d.osMajor == 6 && d.osMinor == 1 }

// win8OrLater reports whether the device runs Windows 8 / Server 2012 or
// later, where AD-based activation exists.
func (d *device) win8OrLater() bool {
	return d.osMajor > 6 || (d.osMajor == 6 && d.osMinor >= 2)
}

// onlineOnly reports whether the product's channel reactivates only
// online today (DOMAIN.md, channel table).
func (p *product) onlineOnly() bool {
	switch p.Channel {
	case licensing.ChannelRetail, licensing.ChannelOEMDM, licensing.ChannelOEMCOA,
		licensing.ChannelCOASLP, licensing.ChannelCOANSLP, licensing.ChannelOEMNonSLP:
		return true
	}
	return false
}

// replacedByVolume reports whether the product moves to a volume route
// only by being replaced: a retail or OEM Office takes neither a MAK nor
// the KMS client key, which install only on the volume license edition
// of Office (docs/classification.md, kms-key). A retail or OEM Windows
// of an edition with volume keys takes them in place.
func (p *product) replacedByVolume() bool {
	return p.Kind == licensing.KindOffice && p.onlineOnly()
}

// subscription reports whether the product is a Microsoft 365 (Office
// 365) subscription: "Office 16, Office16O365ProPlusR_Subscription1
// edition" (TIMEBASED_SUB), "Office16O365BusinessR_Grace" (RETAIL),
// "OfficeProPlusSubR_Subscription".
func (p *product) subscription() bool {
	return p.Kind == licensing.KindOffice &&
		(hasPrefixFold(p.edition, "o365") || hasSuffixFold(p.edition, "sub") || containsFold(p.Name, "subscription"))
}

// replaced reports whether the product moves to a volume route only
// by a volume license edition installed in its place
// (Step.VolumeEdition): a retail or OEM Office (replacedByVolume), a
// Microsoft 365 subscription (subscription), an Office trial, and a
// Windows client evaluation, which cannot be converted (evalConversion).
// A Windows Server evaluation converts in place with DISM and a key; an
// Embedded evaluation is built again (evalEmbedded).
func (d *device) replaced(p *product) bool {
	if p.replacedByVolume() || p.subscription() {
		return true
	}
	if p.Channel != licensing.ChannelEval {
		return false
	}
	c := d.conversion(p)
	return c == evalOffice || c == evalClient
}

// adBased reports whether the product is activated by AD-based
// activation: it says so (an activation object, or VLActivationType 1)
// on a platform that has it (device.adPlatform).
func (p *product) adBased() bool { return p.ad }

// adPlatform reports whether AD-based activation can exist for p on d:
// DOMAIN.md's channel table gives it to Windows 8 / Server 2012 and
// later, and (as chooseRoute reads it) to Office 2013 and later on such
// Windows. A claim on Windows 7 or older, or on Office 2010, is not
// believed (neither platform has VLActivationType or an activation
// object: the input is corrupt or made by hand); the product is judged
// by its channel. An unknown version (text without OS facts) keeps
// the claim: only a Windows 8 or later prints one.
func (d *device) adPlatform(p *product) bool {
	if d.osMajor > 0 && !d.win8OrLater() {
		return false
	}
	return !(p.Kind == licensing.KindOffice && p.office == 14)
}

// needsVolume reports whether the product must move to a volume route:
// the products behind a volume-license verdict.
func (p *product) needsVolume() bool {
	switch {
	case p.subscription():
		// It stays activated only online (officeSubscription): a
		// volume license edition of Office goes in its place.
		return true
	case p.onlineOnly():
		return p.volume
	case p.Channel == licensing.ChannelEval:
		return true
	case p.Channel == licensing.ChannelGVLK && !p.adBased() && !p.KMS.HasHost():
		return true
	}
	return false
}

func (p *product) evidence() Evidence {
	ev := Evidence{Product: p.Name, Name: p.text[0], nameJA: p.text[1], Kind: p.Kind, Edition: p.edition,
		Channel: p.Channel, Status: p.Status, PartialKey: p.PartialKey, Source: p.Source, family: volumeFamily(p.Kind, p.name)}
	if p.StatusReason != 0 {
		ev.HRESULT = licensing.HRESULT(p.StatusReason)
		if p.meaning != nil {
			ev.Meaning, ev.meaningJA = p.meaning[0], p.meaning[1]
		} else if r, ok := licensing.LookupReason(p.StatusReason); ok {
			ev.Meaning, ev.meaningJA = r.English, r.Japanese
		} else if p.ReasonText != "" {
			ev.Meaning, ev.meaningJA = p.ReasonText, p.ReasonText
		}
	}
	if p.KMS != nil {
		ev.Host = p.KMS.ConfiguredHost
		if ev.Host == "" {
			ev.Host = p.KMS.DiscoveredHost
		}
	}
	if p.minutes != nil {
		m := *p.minutes
		days := floorDiv(m, 24*60)
		ev.Minutes, ev.Days = &m, &days
	}
	return ev
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && a < 0 {
		q--
	}
	return q
}

func intp(n int) *int { return &n }

// CategoryOf is Device(s, asOf, site).Category, without the reasons,
// routes, steps and flags that Device writes out: an import stores only
// the category, for thousands of devices a second.
func CategoryOf(s *licensing.Snapshot, asOf time.Time, site Site) Category {
	return categoryOf(newDevice(s, asOf, site))
}

// AsCollected is CategoryOf(s, s.Context.Collected, Site{}) and
// PoolOf(s), what an import stores of every collection, from one reading
// of the snapshot (newDevice): the second reading was 1.5 % of the CPU
// of an import of the bench's 10,000 bundles.
func AsCollected(s *licensing.Snapshot) (Category, Pool) {
	d := newDevice(s, s.Context.Collected, Site{})
	return categoryOf(d), poolOf(d)
}

// categoryOf is CategoryOf of the device d.
func categoryOf(d *device) Category {
	for _, r := range rules {
		if r.category != "" && len(r.match(d)) > 0 {
			return r.category
		}
	}
	return OK
}
