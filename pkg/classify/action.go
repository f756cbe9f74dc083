package classify

import (
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// Action is what to do about a product, and about a device: the most
// pressing action of its products (Verdict.Action).
type Action string

// Actions, most pressing first (ActionRank).
const (
	ActionCheck      Action = "check"         // read the licensing state again: collect again or look at the machine
	ActionActivate   Action = "activate"      // activate now: no offline route is known for this product
	ActionRebuild    Action = "rebuild-image" // build the image again with a volume license runtime key (an Embedded evaluation)
	ActionKMSConnect Action = "kms-connect"   // reach the site's KMS host and activate again
	ActionADConnect  Action = "ad-connect"    // reach the domain of an AD-activated product and activate again
	ActionKMSKey     Action = "kms-key"       // install the KMS client key (GVLK), then activate against the site's KMS host
	ActionKMSHost    Action = "kms-host"      // set up a KMS host on the site, then activate against it
	ActionMAK        Action = "mak"           // install a MAK and activate by proxy (Installation ID out, Confirmation ID back)
	ActionADBased    Action = "ad-based"      // set up Active Directory-based activation
	ActionImage      Action = "image-backup"  // take a full image backup of the activated installation
	ActionNone       Action = "none"          // nothing to do
)

// Actions lists the actions, most pressing first.
var Actions = []Action{ActionCheck, ActionActivate, ActionRebuild, ActionKMSConnect, ActionADConnect, ActionKMSKey, ActionKMSHost, ActionMAK, ActionADBased, ActionImage, ActionNone}

// Rank returns the position of a in Actions (0 is most pressing).
func (a Action) Rank() int {
	for i, v := range Actions {
		if v == a {
			return i
		}
	}
	return len(Actions)
}

// itoa writes n in decimal.
func itoa(n int) string { return strconv.Itoa(n) }

// Step is one action for one product of a device, with the sentence that
// says it in both languages.
type Step struct {
	Action  Action         `json:"action"`
	Kind    licensing.Kind `json:"kind,omitempty"`
	Product string         `json:"product,omitempty"` // the licensing name, as read
	Name    Name           `json:"name"`
	Host    string         `json:"kms_host,omitempty"` // the KMS host to reach (kms-connect, kms-key)
	// VolumeEdition means the product installed is not the edition its
	// volume key installs on, so a volume license edition of its family
	// (Office, Windows) is installed in its place first: a retail or OEM
	// Office takes neither a MAK nor the KMS client key, an Office trial
	// is replaced (evalOffice), a Microsoft 365 subscription stays
	// licensed only online (officeSubscription), and a Windows client
	// evaluation cannot be converted (evalClient). Action stays the
	// route's action.
	VolumeEdition bool     `json:"install_volume_edition,omitempty"`
	Deadline      Deadline `json:"deadline"` // when the product's state ends; zero if it does not
	English       string   `json:"en"`
	Japanese      string   `json:"ja"`
}

// Text returns the step's sentence in lang.
func (s Step) Text(lang Lang) string {
	if lang == Japanese {
		return s.Japanese
	}
	return s.English
}

// VolumeFamily is the family whose volume license edition replaces the
// step's product (VolumeEdition), and so whose volume license is bought
// for it: "Windows" for a Windows product; "Visio" or "Project" for
// those, which are sold and licensed apart from the Office suites, with
// volume editions of their own (DOMAIN.md: "Office Professional Plus,
// Standard, Project and Visio volume editions"); "Office" for any other
// Office product, an Office suite or a Microsoft 365 or Office 365
// subscription (a volume Office suite goes in its place). "" when the
// product is not replaced.
func (s Step) VolumeFamily() string {
	if !s.VolumeEdition {
		return ""
	}
	return volumeFamily(s.Kind, s.Name)
}

// volumeFamily is the family of the volume license edition that would
// replace a product of kind k named n (Step.VolumeFamily). A Visio or
// Project whose edition token no table names (officeEditions: then
// family Office, edition the token) is told by the token: a volume
// Visio or Project, not Office, goes in its place.
func volumeFamily(k licensing.Kind, n Name) string {
	switch {
	case k == licensing.KindWindows:
		return "Windows"
	case n.Family == "Visio" || n.Family == "Project":
		return n.Family
	case n.Family == "Office" && strings.HasPrefix(n.Edition, "Visio"):
		return "Visio"
	case n.Family == "Office" && strings.HasPrefix(n.Edition, "Project"):
		return "Project"
	}
	return "Office"
}

// ActionText says the step's action in lang, without its product: as
// the function ActionText does, or, for a step whose product is first
// replaced by its volume license edition (VolumeEdition), with that
// first, of its family (VolumeFamily: Windows, Office, Visio, Project).
// An image to rebuild after its evaluation has ended (due now, or its
// end past) is rebuilt now.
func (s Step) ActionText(lang Lang) string {
	if s.Action == ActionRebuild && (s.Deadline.Kind == DeadlineNow || !s.Deadline.IsZero() && s.Deadline.Days < 0) {
		return rebuildNowWords[langIndex(lang)]
	}
	if s.VolumeEdition {
		if w, ok := volumeEditionWords.get(s.Action); ok {
			return expand(w[langIndex(lang)], s.Host, s.VolumeFamily())
		}
	}
	return ActionText(s.Action, s.Host, lang)
}

// expand writes w with {host} and {family} replaced, in one pass (as
// strings.Replacer would, without building one for every step): a host
// read from a device that is named "{family}" stays its name.
func expand(w, host, family string) string {
	var b strings.Builder
	b.Grow(len(w) + len(host) + len(family))
	for {
		i := strings.IndexByte(w, '{')
		if i < 0 {
			b.WriteString(w)
			return b.String()
		}
		b.WriteString(w[:i])
		w = w[i:]
		switch {
		case strings.HasPrefix(w, "{host}"):
			b.WriteString(host)
			w = w[len("{host}"):]
		case strings.HasPrefix(w, "{family}"):
			b.WriteString(family)
			w = w[len("{family}"):]
		default:
			b.WriteByte('{')
			w = w[1:]
		}
	}
}

// actionWords say each action in English and Japanese, in Microsoft's
// Japanese terms (ライセンス認証, プロキシ ライセンス認証, ボリューム
// ライセンス). {host} is the KMS host.
var actionWords = table[Action, [2]string]{
	{ActionCheck, [2]string{"Check the machine and collect again", "実機で状態を確認して再収集"}},
	{ActionActivate, [2]string{"Activate now", "直ちにライセンス認証"}},
	{ActionRebuild, [2]string{"Rebuild the image with a volume license runtime key and deploy it before the evaluation ends",
		"評価期間が終わる前に、ボリューム ライセンス ランタイム キーでイメージを作り直して展開"}},
	{ActionKMSConnect, [2]string{"Connect to KMS host {host} and activate again", "KMS ホスト {host} に接続して再度ライセンス認証"}},
	{ActionADConnect, [2]string{"Connect to the domain's network, where a domain controller is reachable, and activate again",
		"ドメインのネットワークに接続し、ドメイン コントローラーに到達できる状態で再度ライセンス認証"}},
	{ActionKMSKey, [2]string{"Install the KMS client key (GVLK), then activate against KMS host {host}",
		"KMS クライアント セットアップ キー (GVLK) をインストールし、KMS ホスト {host} でライセンス認証"}},
	{ActionKMSHost, [2]string{"Set up a KMS host on the site and activate against it with the KMS client key (GVLK)",
		"拠点に KMS ホストを設置し、KMS クライアント セットアップ キー (GVLK) でライセンス認証"}},
	{ActionMAK, [2]string{"Apply a MAK (proxy activation)", "MAK を適用 (プロキシ ライセンス認証)"}},
	{ActionADBased, [2]string{"Set up Active Directory-based activation and activate with the KMS client key (GVLK)",
		"Active Directory ベースのライセンス認証を構成し、KMS クライアント セットアップ キー (GVLK) でライセンス認証"}},
	{ActionImage, [2]string{"Take a full image backup", "イメージ バックアップを取得"}},
	{ActionNone, [2]string{"No action needed", "対応不要"}},
}

// rebuildNowWords say ActionRebuild once the evaluation has ended: the
// device then restarts every 20 minutes (evalEmbedded).
var rebuildNowWords = [2]string{"The evaluation has ended: rebuild the image with a volume license runtime key and deploy it now",
	"評価期間が終了しているため、直ちにボリューム ライセンス ランタイム キーでイメージを作り直して展開"}

// volumeEditionWords say the actions of a route for a product that is
// not its volume edition (Step.VolumeEdition); {family} is the family
// of the edition that replaces it (Step.VolumeFamily). KMS and MAK activate the volume editions of Office (Office
// 2010 Engineering blog, "Volume Activation", 2009: "two models
// available for activating volume editions of Office 2010 client"),
// which a retail or OEM Office install is not; a volume edition is
// installed with its KMS client key (Microsoft Learn, "GVLKs for KMS and
// Active Directory-based activation of Office": "By default, volume
// licensed versions of Office ... are installed with a Generic Volume
// License Key (GVLK)"). A Windows client evaluation cannot be made
// permanent by a key (DOMAIN.md channel table, "Evaluation"): neither a
// MAK nor the KMS client key makes it a licensed edition, so a volume
// edition of Windows is installed in its place (evalClient).
var volumeEditionWords = table[Action, [2]string]{
	// An evaluation routed to a working host (evalOffice, evalClient).
	{ActionKMSConnect, [2]string{"Install the volume license edition of {family} in its place, then activate against KMS host {host}",
		"代わりにボリューム ライセンス版の {family} をインストールしてから、KMS ホスト {host} でライセンス認証"}},
	{ActionKMSKey, [2]string{"Install the volume license edition of {family} in its place, then activate against KMS host {host} with the KMS client key (GVLK)",
		"代わりにボリューム ライセンス版の {family} をインストールしてから、KMS クライアント セットアップ キー (GVLK) を使い、KMS ホスト {host} でライセンス認証"}},
	{ActionKMSHost, [2]string{"Install the volume license edition of {family} in its place, then set up a KMS host on the site and activate against it with the KMS client key (GVLK)",
		"代わりにボリューム ライセンス版の {family} をインストールしてから、拠点に KMS ホストを設置し、KMS クライアント セットアップ キー (GVLK) でライセンス認証"}},
	{ActionMAK, [2]string{"Install the volume license edition of {family} in its place, then apply a MAK (proxy activation)",
		"代わりにボリューム ライセンス版の {family} をインストールしてから、MAK を適用 (プロキシ ライセンス認証)"}},
	{ActionADBased, [2]string{"Install the volume license edition of {family} in its place, then set up Active Directory-based activation and activate with the KMS client key (GVLK)",
		"代わりにボリューム ライセンス版の {family} をインストールしてから、Active Directory ベースのライセンス認証を構成し、KMS クライアント セットアップ キー (GVLK) でライセンス認証"}},
}

// ActionText says action a in lang; host fills {host}.
func ActionText(a Action, host string, lang Lang) string {
	w, ok := actionWords.get(a)
	if !ok {
		return string(a)
	}
	return strings.ReplaceAll(w[langIndex(lang)], "{host}", host)
}

// DeadlineKind says what ends on a deadline.
type DeadlineKind string

// Kinds of deadline.
const (
	DeadlineNow   DeadlineKind = "now"        // the state has ended already, at an unknown date (notification, not activated)
	DeadlineGrace DeadlineKind = "grace-end"  // the grace period ends
	DeadlineKMS   DeadlineKind = "kms-expiry" // a KMS client's 180 days run out unless renewed
	DeadlineAD    DeadlineKind = "ad-expiry"  // the activation of a product activated by AD-based activation runs out unless renewed in its domain
	// DeadlineActivation is the end of the minutes left of a licensed
	// product that is neither a KMS client nor activated by AD-based
	// activation, an evaluation or a subscription: above all one whose
	// channel is unknown, which may or may not be a KMS client (DOMAIN.md:
	// an unknown value is unknown, never a default), so its deadline
	// names no way of activating.
	DeadlineActivation DeadlineKind = "activation-expiry"
	DeadlineEvaluation DeadlineKind = "evaluation-end" // an evaluation ends
	// DeadlineSubscription is the date by which a Microsoft 365
	// subscription must reach Microsoft's Office Licensing Service, or its
	// license runs out (officeSubscription: at least once every 30 days).
	// It is no evaluation: ospp reads it as TIMEBASED_SUB, which the
	// evaluation's end was taken from.
	DeadlineSubscription DeadlineKind = "subscription-check"
	DeadlineEndOfSupport DeadlineKind = "end-of-support" // Microsoft ends support: no more security updates
)

// DeadlineKinds lists the kinds of deadline, as reports name each.
var DeadlineKinds = []DeadlineKind{DeadlineNow, DeadlineGrace, DeadlineKMS, DeadlineAD, DeadlineActivation, DeadlineEvaluation, DeadlineSubscription, DeadlineEndOfSupport}

// Deadline is the date a device's current state ends, as of the verdict's
// date. The zero Deadline means nothing expires.
type Deadline struct {
	Kind DeadlineKind `json:"kind,omitempty"`
	// Date is when the state ends; for DeadlineNow, the as-of date.
	Date time.Time `json:"date,omitempty"`
	// Days is whole days from the as-of date to Date, negative when past
	// (-1 is less than a day overdue), as reasons count them.
	Days    int    `json:"days_left"`
	Product string `json:"product,omitempty"` // the licensing name of the product that decides it
}

// IsZero reports whether nothing expires.
func (d Deadline) IsZero() bool { return d.Kind == "" }

// KMSHost is a KMS host as the clients of one site see it.
type KMSHost struct {
	Name string `json:"name"` // as clients name it (configured or discovered), lower case
	// Windows, Server and Office count the site's KMS clients it had
	// activated when they were collected (Windows clients, Windows
	// servers, Office): proof that it works for that kind. A host on a
	// client OS activates client OSes only (DOMAIN.md KMS facts), so
	// only Server proves it for servers.
	Windows int `json:"windows"`
	Server  int `json:"server,omitempty"`
	Office  int `json:"office"`
	// Failing counts clients that reported it unusable (unreachable, or
	// below its threshold: DOMAIN.md HRESULT table).
	Failing int `json:"failing"`
	// WindowsReleases and OfficeReleases are the releases (Name.Release:
	// "Windows 10", "Office 2016") of the clients counted in Windows and
	// Server, and in Office, sorted, at most maxHostReleases each. A host
	// activates what its host key (CSVLK) covers: one proven with Office
	// 2016 clients is no proof for Office 2010, so a route to it says
	// which releases it has activated when the product's is not one of
	// them. Hosts stored before they were kept have none, and say
	// nothing of it.
	WindowsReleases []string `json:"windows_releases,omitempty"`
	OfficeReleases  []string `json:"office_releases,omitempty"`
}

// maxHostReleases bounds the releases a host keeps of each kind, and
// maxReleaseLen the length of one: a release is a name made of a
// bundle's product name, and a forged site must not grow every device's
// pool without bound. Genuine sites have a handful.
const (
	maxHostReleases = 16
	maxReleaseLen   = 64
)

// addReleases merges the releases of b into a, sorted, without repeats,
// at most maxHostReleases.
func addReleases(a, b []string) []string {
	for _, r := range b {
		if r == "" || len(r) > maxReleaseLen {
			continue
		}
		i := sort.SearchStrings(a, r)
		if i < len(a) && a[i] == r {
			continue
		}
		if len(a) == maxHostReleases {
			continue
		}
		a = append(a, "")
		copy(a[i+1:], a[i:])
		a[i] = r
	}
	return a
}

// releasesOtherThan returns the releases of its kind that the site's
// host has activated (Pool.releases, as the site's KMS rows name them)
// when p's release is not among them; nil when it is, when p's release
// is unknown, or when the host's are (stored before they were kept).
func (d *device) releasesOtherThan(p *product, host string) []string {
	rel := p.name.Release
	if rel == "" {
		return nil
	}
	rs := d.site.Pool.releases(host, d.kmsKind(p))
	for _, r := range rs {
		if r == rel {
			return nil
		}
	}
	return rs
}

// kmsFailures are the HRESULTs of a KMS client whose host did not
// activate it (DOMAIN.md HRESULT table; slmgr.vbs error strings).
var kmsFailures = table[uint32, bool]{{0xC004F074, true}, {0x8007232B, true}, {0xC004F038, true}, {0xC004F056, true}, {0x8007232A, true}, {0x8007251D, true}}

// hostsOf is a device's view of the KMS hosts it names: at most one entry
// per host.
func hostsOf(d *device) []KMSHost {
	var out []KMSHost
	for _, p := range d.products {
		if p.Channel != licensing.ChannelGVLK || !p.KMS.HasHost() {
			continue
		}
		name := strings.ToLower(strings.TrimSpace(p.KMS.ConfiguredHost))
		if name == "" {
			name = strings.ToLower(strings.TrimSpace(p.KMS.DiscoveredHost))
		}
		h := KMSHost{Name: name}
		switch {
		case kmsFailures.has(p.StatusReason):
			h.Failing = 1
		case p.Status == licensing.StatusLicensed && p.GraceMinutes != nil && *p.GraceMinutes > 0:
			// Activated, with time left when collected: the host answered
			// within the last 180 days (DOMAIN.md KMS facts).
			rel := []string{p.name.Release}
			switch {
			case p.Kind == licensing.KindOffice:
				h.Office, h.OfficeReleases = 1, addReleases(nil, rel)
			case d.server:
				h.Server, h.WindowsReleases = 1, addReleases(nil, rel)
			default:
				h.Windows, h.WindowsReleases = 1, addReleases(nil, rel)
			}
		}
		out = mergeHosts(out, []KMSHost{h})
	}
	return out
}

// mergeHosts adds the counts of b to a, host by host, sorted by name.
func mergeHosts(a, b []KMSHost) []KMSHost {
	for _, h := range b {
		found := false
		for i := range a {
			if a[i].Name == h.Name {
				a[i].Windows += h.Windows
				a[i].Server += h.Server
				a[i].Office += h.Office
				a[i].Failing += h.Failing
				a[i].WindowsReleases = addReleases(a[i].WindowsReleases, h.WindowsReleases)
				a[i].OfficeReleases = addReleases(a[i].OfficeReleases, h.OfficeReleases)
				found = true
			}
		}
		if !found {
			// Its own lists: a's are grown in place by later merges.
			h.WindowsReleases = addReleases(nil, h.WindowsReleases)
			h.OfficeReleases = addReleases(nil, h.OfficeReleases)
			a = append(a, h)
		}
	}
	sort.Slice(a, func(i, j int) bool { return a[i].Name < a[j].Name })
	return a
}

// working returns the site's KMS host that has activated clients of a
// kind (client, server, office), the one with the most; "" when none has.
func (p Pool) working(kind string) (string, int) {
	best, n := "", 0
	for _, h := range p.Hosts {
		c := h.Windows + h.Server
		switch kind {
		case "server":
			c = h.Server
		case "office":
			c = h.Office
		}
		if c > n {
			best, n = h.Name, c
		}
	}
	return best, n
}

// releases returns the releases of a kind of client (client, server,
// office) that the site's host has activated, a copy: for clients every
// Windows release, as working counts servers for clients too; for
// servers the Windows Server ones.
func (p Pool) releases(host, kind string) []string {
	var out []string
	for _, h := range p.Hosts {
		if h.Name != host || host == "" {
			continue
		}
		rs := h.WindowsReleases
		if kind == "office" {
			rs = h.OfficeReleases
		}
		for _, r := range rs {
			if kind != "server" || serverRelease(r) {
				out = append(out, r)
			}
		}
	}
	return out
}

// serverRelease reports whether release r is a Windows Server's: every
// name windowsRelease gives a server starts so.
func serverRelease(r string) bool { return strings.HasPrefix(r, "Windows Server ") }

// KMSState is a site's KMS verdict for one kind of client.
type KMSState string

// KMS verdicts of a site.
const (
	KMSHostWorks       KMSState = "host-works"        // a host on the site has activated clients of this kind
	KMSHostPossible    KMSState = "host-possible"     // enough eligible machines for a host of its own
	KMSHostNotPossible KMSState = "host-not-possible" // too few: MAK with proxy activation instead
)

// KMSAdvice is a site's KMS verdict for one kind of client: Windows
// clients (threshold 25), Windows servers (5) or Office (5).
type KMSAdvice struct {
	Kind      string   `json:"kind"` // client, server, office
	Count     int      `json:"count"`
	Threshold int      `json:"threshold"`
	State     KMSState `json:"state"`
	Host      string   `json:"kms_host,omitempty"` // the working host
	Activated int      `json:"activated,omitempty"`
	// Releases are those the working host has activated at the site of
	// the clients Activated counts (Pool.releases: for Windows clients
	// the servers' too): what it is proven for, as its host key (CSVLK)
	// decides. None when its host was stored before they were kept.
	Releases []string `json:"releases,omitempty"`
	English  string   `json:"en"`
	Japanese string   `json:"ja"`
}

// Text returns the advice in lang.
func (a KMSAdvice) Text(lang Lang) string {
	if lang == Japanese {
		return a.Japanese
	}
	return a.English
}

// Advice is the site's KMS verdict per kind of client, the same facts
// chooseRoute decides devices' routes by, so that a site page and its
// devices never disagree. A host that works counts first: the site's
// machines can use it whatever their number here (the host also counts
// machines ActCourier has not seen); without one, the thresholds decide
// (DOMAIN.md KMS facts).
func (p Pool) Advice() []KMSAdvice {
	out := make([]KMSAdvice, 0, 3)
	for _, kind := range []string{"client", "server", "office"} {
		a := p.advice(kind)
		a.Releases = p.releases(a.Host, kind)
		n, th := itoa(a.Count), itoa(a.Threshold)
		switch {
		case a.State == KMSHostWorks && len(a.Releases) > 0:
			a.English, a.Japanese = a.provenText()
		case a.State == KMSHostWorks:
			a.English = "KMS host " + a.Host + " works: it had activated " + countOf(itoa(a.Activated), "client", false) + " of this site. Eligible machines activate against it; no host key to buy."
			a.Japanese = "KMS ホスト " + a.Host + " が稼働しています (この拠点のクライアント " + itoa(a.Activated) + " 台をライセンス認証済み)。対象の端末はこのホストでライセンス認証できます。ホスト キーの購入は不要です。"
		case a.State == KMSHostPossible:
			a.English = countOf(n, "eligible machine", false) + ", threshold " + th + ": a KMS host is possible. It needs one KMS host key (CSVLK); its machines then need no MAK."
			a.Japanese = "対象の端末が " + n + " 台あり、しきい値 " + th + " 台を満たすため、KMS ホストを設置できます。KMS ホスト キー (CSVLK) が 1 つ必要で、対象の端末に MAK は不要です。"
		case a.Count == 0:
			// Not "Only 0 eligible machines ... its machines need MAK":
			// there are none, and nothing to buy for now.
			a.English = "No eligible machines, threshold " + th + ": a KMS host would activate none. A machine added later needs MAK (proxy activation)."
			a.Japanese = "対象の端末はありません (しきい値 " + th + " 台)。KMS ホストを設置してもライセンス認証できないため、今後追加する端末には MAK (プロキシ ライセンス認証) が必要です。"
		default:
			a.English = "Only " + countOf(n, "eligible machine", false) + ", threshold " + th + ": a KMS host would activate none. Its machines need MAK (proxy activation)."
			a.Japanese = "対象の端末は " + n + " 台で、しきい値 " + th + " 台に届かないため、KMS ホストを設置してもライセンス認証できません。対象の端末には MAK (プロキシ ライセンス認証) が必要です。"
		}
		out = append(out, a)
	}
	return out
}

// provenText is the sentences of a working host whose releases are
// known. The Windows clients row counts and names the servers the host
// activated too (working), but only its client releases are proven for
// Windows clients: a host proven by servers only proves none, and its
// host key is to be checked for every client.
func (a KMSAdvice) provenText() (en, ja string) {
	proven := a.Releases
	if a.Kind == "client" {
		proven = nil
		for _, r := range a.Releases {
			if !serverRelease(r) {
				proven = append(proven, r)
			}
		}
	}
	head := "KMS host " + a.Host + " works: it had activated " + countOf(itoa(a.Activated), "client", false) + " of this site (" + strings.Join(a.Releases, ", ") + ")"
	jaHead := "KMS ホスト " + a.Host + " が稼働しています (この拠点の " + strings.Join(a.Releases, "、") + " のクライアント " + itoa(a.Activated) + " 台をライセンス認証済み"
	if len(proven) == 0 {
		return head + ", servers only. Check that its KMS host key (CSVLK) covers the release of each Windows client: if it does, they activate against it with no host key to buy; if not, install one that does.",
			jaHead + "。サーバーのみ)。Windows クライアントは、このホストの KMS ホスト キー (CSVLK) が各クライアントのリリースに対応していることを確認してください。対応していればホスト キーを購入せずにこのホストでライセンス認証でき、対応していなければ対応するホスト キーをインストールしてください。"
	}
	those := "that release"
	switch {
	case len(proven) < len(a.Releases) && len(proven) > 1:
		those = "the client releases among them"
	case len(proven) < len(a.Releases):
		those = "the client release among them"
	case len(proven) > 1:
		those = "those releases"
	}
	return head + ". Eligible machines of " + those + " activate against it; no host key to buy. For another release, check that its KMS host key (CSVLK) covers it; if not, install one that does.",
		jaHead + ")。" + strings.Join(proven, "、") + " の対象の端末はこのホストでライセンス認証できます。ホスト キーの購入は不要です。その他のリリースの端末は、このホストの KMS ホスト キー (CSVLK) がそのリリースに対応していることを確認し、対応していなければ対応するホスト キーをインストールしてください。"
}

// advice is the verdict for one kind of client, without its sentences:
// what routes are chosen by, for every product of every device.
func (p Pool) advice(kind string) KMSAdvice {
	a := KMSAdvice{Kind: kind, Count: p.Client, Threshold: ThresholdClient}
	switch kind {
	case "server":
		a.Count, a.Threshold = p.Server, ThresholdServer
	case "office":
		a.Count, a.Threshold = p.Office, ThresholdOffice
	}
	host, n := p.working(kind)
	switch {
	case host != "":
		a.State, a.Host, a.Activated = KMSHostWorks, host, n
	case a.Count >= a.Threshold:
		a.State = KMSHostPossible
	default:
		a.State = KMSHostNotPossible
	}
	return a
}

// siteKMS is the KMS verdict chooseRoute and kmsStep use for a product.
func (d *device) siteKMS(p *product) KMSAdvice { return d.site.Pool.advice(d.kmsKind(p)) }

// kmsKind is the kind of KMS client (Pool.advice) product p of d is.
func (d *device) kmsKind(p *product) string {
	switch {
	case p.Kind == licensing.KindOffice:
		return "office"
	case d.server:
		return "server"
	}
	return "client"
}

// steps decides the action of every product of d, one step each, in
// product order; routes are the volume routes among them, with their
// rule and evidence. The route's reason of a product that moves by more
// than a key (a retail, OEM or subscription Office, an evaluation) says how, unless
// said (by product name) holds it: a reason of the verdict says it
// already.
func (d *device) steps(said map[string]bool) (steps []Step, routes []ProductRoute, reasons []Reason) {
	for _, p := range d.products {
		a, host := ActionNone, ""
		var route *ProductRoute
		switch {
		case p.Status == licensing.StatusUnknown || p.Status == "":
			a = ActionCheck
		case p.adBased() && p.Status == licensing.StatusLicensed && p.minutes != nil && *p.minutes < 30*day:
			// ad-expiring, ad-expired: it renews in its domain, against
			// no KMS host.
			a = ActionADConnect
		case p.Channel == licensing.ChannelGVLK && !p.adBased():
			if p.Status == licensing.StatusLicensed && p.KMS.HasHost() && !kmsFailures.has(p.StatusReason) && p.minutes != nil && *p.minutes >= 30*day {
				break // a KMS client in good standing: it renews by itself
			}
			rr, ev := d.kmsRoute(p)
			a, host = actionOf(ev)
			if ev.Route != RouteKMS || !sameHost(ev.Host, p) {
				// It moves: to MAK, to a new host, or to another host.
				reasons = append(reasons, rr.reason(ev))
				route = &ProductRoute{Kind: p.Kind, Product: p.Name, Name: p.name, Edition: p.edition, Route: ev.Route, Host: ev.Host, Code: rr.code}
			}
		case p.needsVolume() || (p.volume && (p.Status.InGrace() || p.Status == licensing.StatusUnlicensed) && (p.onlineOnly() || d.slpElsewhere(p))):
			rr, ev := chooseRoute(d, p)
			switch {
			case said[p.Name]:
			case p.subscription():
				ev.convert = officeSubscription
			case p.replacedByVolume():
				ev.convert = officeRetail
			case p.Channel == licensing.ChannelEval:
				ev.convert = d.conversion(p)
			}
			a, host = actionOf(ev)
			if a == ActionKMSConnect && p.Channel != licensing.ChannelEval {
				// Not a KMS client yet (a KMS client is the case
				// above): a KMS host activates only a product that
				// has the KMS client key. (An evaluation takes more
				// than a key, which its reason says: evalConversion.)
				a = ActionKMSKey
			}
			reasons = append(reasons, rr.reason(ev))
			route = &ProductRoute{Kind: p.Kind, Product: p.Name, Name: p.name, Edition: p.edition, Route: ev.Route, Host: ev.Host, Code: rr.code}
		case p.Status.InGrace() || p.Status == licensing.StatusUnlicensed:
			a = ActionActivate
		case p.onlineOnly() || p.Channel == licensing.ChannelUnknown || p.Channel == "":
			a = ActionImage
		}
		if route != nil {
			routes = append(routes, *route)
		}
		st := Step{Action: a, Kind: p.Kind, Product: p.Name, Name: p.name, Host: host}
		// A retail, OEM, trial or subscription Office, and a Windows
		// client evaluation, move by being replaced (Step.VolumeEdition).
		st.VolumeEdition = route != nil && d.replaced(p)
		if dl, ok := d.deadline(p); ok {
			st.Deadline = dl
		}
		st.English = st.ActionText(English) + ": " + p.text[0]
		st.Japanese = st.ActionText(Japanese) + ": " + p.text[1]
		steps = append(steps, st)
	}
	if !d.hasWindows() {
		// No Windows product (no-license-data, nothing-licensed), even
		// beside an Office: the machine is checked and collected again,
		// not "no action needed" on an urgent device. After the
		// products' steps, which stay in product order.
		st := Step{Action: ActionCheck}
		st.English, st.Japanese = ActionText(ActionCheck, "", English), ActionText(ActionCheck, "", Japanese)
		steps = append(steps, st)
	}
	return steps, routes, reasons
}

// sameHost reports whether h is the KMS host p is set to or found. A
// product without KMS data (p.KMS nil: text that had none) has no host.
func sameHost(h string, p *product) bool {
	return p.KMS != nil && (strings.EqualFold(h, p.KMS.ConfiguredHost) || strings.EqualFold(h, p.KMS.DiscoveredHost))
}

// actionOf turns a route into the action that takes it.
func actionOf(ev Evidence) (Action, string) {
	switch ev.Route {
	case RouteRuntimeKey:
		return ActionRebuild, ""
	case RouteADBased:
		return ActionADBased, ""
	case RouteKMS:
		if ev.Host != "" {
			return ActionKMSConnect, ev.Host
		}
		return ActionKMSHost, ""
	}
	return ActionMAK, ""
}

// hostProof says in ev, a route to the site's working host, which
// releases the host has activated when p's is not one of them
// (otherRelease).
func (d *device) hostProof(p *product, ev *Evidence) {
	if rs := d.releasesOtherThan(p, ev.Host); rs != nil && ev.sentences == "" {
		ev.HostReleases, ev.release, ev.sentences = rs, p.name.Release, otherRelease
	}
}

// kmsRoute decides where a KMS client that does not renew by itself goes:
// to the site's working host, to its own host while nothing collected
// says that host fails, else as chooseRoute decides (a new host where the
// site's pool qualifies, MAK otherwise). A Windows 7 client without the
// BIOS Windows marker goes to neither host: no host activates it
// (0xC004F035), so chooseRoute sends it to MAK. The rule says why, so
// that two devices of a site never get different advice without a
// reason.
func (d *device) kmsRoute(p *product) (rule, Evidence) {
	if d.markerMissing(p) {
		return chooseRoute(d, p)
	}
	if adv := d.siteKMS(p); adv.State == KMSHostWorks {
		ev := p.evidence()
		ev.Route, ev.Host, ev.Count = RouteKMS, adv.Host, intp(adv.Activated)
		d.hostProof(p, &ev)
		return routeRules[routeWorkingHost], ev
	}
	if p.KMS.HasHost() && !kmsFailures.has(p.StatusReason) {
		ev := p.evidence()
		ev.Route, ev.Host = RouteKMS, strings.ToLower(p.KMS.ConfiguredHost)
		if ev.Host == "" {
			ev.Host = strings.ToLower(p.KMS.DiscoveredHost)
		}
		return routeRules[routeOwnHost], ev
	}
	return chooseRoute(d, p)
}

// deadline is the date the product's current state ends, as of d's date;
// false when nothing of it expires. An evaluation without an end date
// that is in grace or notification (it has ended: 0xC004F009) is due
// now, as any product in that state. A licensed Microsoft 365
// subscription's days end at its next check with the licensing service
// (DeadlineSubscription), whatever channel it was read as. Only a KMS
// client's minutes are a KMS activation that expires (DeadlineKMS); a
// product not activated is due now whatever minutes it shows.
func (d *device) deadline(p *product) (Deadline, bool) {
	dl := Deadline{Product: p.Name}
	if ev, ok := d.evaluation(p); ok {
		dl.Kind, dl.Days = DeadlineEvaluation, *ev.Days
		if p.subscription() {
			dl.Kind = DeadlineSubscription
		}
		dl.Date, _ = time.Parse("2006-01-02", ev.Date)
		if p.evalEnd != nil {
			dl.Date = *p.evalEnd
		} else if p.minutes != nil {
			dl.Date = d.minutesEnd(p)
		}
		return dl, true
	}
	switch {
	case p.minutes != nil && p.Status != licensing.StatusUnlicensed:
		dl.Date = d.minutesEnd(p)
		dl.Days = floorDiv(*p.minutes, day)
		switch {
		case p.Status.InGrace():
			dl.Kind = DeadlineGrace
		case p.subscription():
			dl.Kind = DeadlineSubscription
		case p.adBased():
			dl.Kind = DeadlineAD // no KMS host renews it (ad-expiring)
		case p.Channel == licensing.ChannelGVLK:
			dl.Kind = DeadlineKMS
		default:
			// Not known to be a KMS client: an unknown channel, or
			// minutes a MAK, retail or OEM product does not have.
			dl.Kind = DeadlineActivation
		}
		return dl, true
	case p.Status.InGrace() || p.Status == licensing.StatusUnlicensed:
		dl.Kind, dl.Date = DeadlineNow, d.asOf
		return dl, true
	}
	return dl, false
}

// deviceDeadline is the earliest deadline among the products that need
// an action (all products when none does); without one, the end of
// support of the device's Windows or Office while it is still ahead and an
// action is due, since past it no security updates come.
func (d *device) deviceDeadline(steps []Step) Deadline {
	var best Deadline
	acting := false
	for i := range steps {
		if steps[i].Action != ActionNone {
			acting = true
		}
	}
	for i, p := range d.products {
		if acting && steps[i].Action == ActionNone {
			continue
		}
		if dl, ok := d.deadline(p); ok && (best.IsZero() || dl.Date.Before(best.Date)) {
			best = dl
		}
	}
	if !best.IsZero() || !acting {
		return best
	}
	loc := d.asOf.Location()
	if s, ok := d.osSupport(); ok && d.asOf.Before(s.date(loc)) {
		best = Deadline{Kind: DeadlineEndOfSupport, Date: s.date(loc), Product: s.name}
	}
	for _, p := range d.products {
		if s, ok := officeSupport(p); ok && d.asOf.Before(s.date(loc)) && (best.IsZero() || s.date(loc).Before(best.Date)) {
			best = Deadline{Kind: DeadlineEndOfSupport, Date: s.date(loc), Product: s.name}
		}
	}
	if !best.IsZero() {
		best.Days = int(best.Date.Sub(d.asOf).Hours() / 24)
	}
	return best
}
