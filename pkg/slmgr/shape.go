package slmgr

import (
	"regexp"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// The shape fallback reads a line whose label is in a language without
// strings by what its value is, whatever the label says. Names,
// descriptions, channels, GUIDs, extended PIDs, partial keys and HRESULTs
// are language-neutral in slmgr output (they come from the license files
// and WMI, not from slmgr.ini); so are service versions, which are never
// products.
var (
	// nameRe is a license name: "Windows(R), Professional edition",
	// "Office 16, Office16ProPlusVL_KMS_Client edition", "Microsoft Office
	// 2010, KMSHost edition", "Windows(R), Client-ESU-Year1 add-on for …".
	nameRe = regexp.MustCompile(`(?i)^[^,:：()（）]{0,40}?(windows|office|microsoft)[^,:：]{0,40},\s*\S[^:：]*?(\bedition|\badd-on\b.*)$`)
	// nameInRe finds a license name inside a sentence: an /ato line in any
	// language ("正在激活 Windows(R), EnterpriseS edition (…)...").
	nameInRe  = regexp.MustCompile(`(?i)((?:microsoft\s+)?(?:windows|office)[^,:：]{0,30},\s*[^,:：()（）]{1,80}?\bedition)`)
	versionRe = regexp.MustCompile(`^\d{1,2}\.\d{1,2}\.\d{4,5}(\.\d+)*$`)
	iidRe     = regexp.MustCompile(`^\d{40,70}$`)
	pkeyRe    = regexp.MustCompile(`^[BCDFGHJKMNPQRTVWXY2346789]{5}$`)
	// minutesRe is "N unit (M unit)" in any language: "259197 分钟(180天）",
	// "259197 Minute(n) (180 Tag(e))"; the units may hold parentheses.
	minutesRe  = regexp.MustCompile(`^(\d+)[^\d]{1,30}?(\d+)[^\d]{0,30}$`)
	hostPortRe = regexp.MustCompile(`^(\[[0-9A-Fa-f:]+\]|[A-Za-z0-9][A-Za-z0-9.\-]*):\d{1,5}$`)
	ipRe       = regexp.MustCompile(`^(?:(\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7})$`)
	// aoDNRe is the DN of an AD activation object (slmgr's "AO DN" line):
	// the container names are fixed by the AD schema, not translated.
	aoDNRe      = regexp.MustCompile(`(?i)^CN=([^,]+),CN=Activation Objects,CN=Microsoft SPP,`)
	guidParenRe = regexp.MustCompile(`^[(（]\s*([^()（）]*)\s*[)）]\s*(\.\.\.|…)?`)
)

// pastKey reports whether the current product's partial key, status or
// grace was read. slmgr.vbs (DisplayAllInformation, Windows Vista to 11)
// prints a product's Activation ID, Application ID and Extended PID before
// its partial key; GUIDs and PIDs after it belong to the KMS client, AD,
// token or AVMA block that follows the status.
func (p *slmgrParser) pastKey() bool {
	if p.cur < 0 {
		return false
	}
	pr := &p.b.res.Products[p.cur]
	return pr.PartialKey != "" || pr.StatusRaw != "" || pr.GraceMinutes != nil || p.b.meta[p.cur].notInUse
}

// productName reports whether v is shaped as a license name.
func productName(v string) bool { return nameRe.MatchString(strings.TrimSpace(v)) }

// cutLabel splits "label: value" at the first colon, ASCII or fullwidth.
func cutLabel(t string) (label, value string, ok bool) {
	i := strings.Index(t, ":")
	j := strings.Index(t, "：")
	switch {
	case i < 0 && j < 0:
		return "", "", false
	case j >= 0 && (i < 0 || j < i):
		return strings.TrimSpace(t[:j]), strings.TrimSpace(t[j+len("："):]), true
	}
	return strings.TrimSpace(t[:i]), strings.TrimSpace(t[i+1:]), true
}

// activation reads an /ato attempt written in any language: a license
// name inside a sentence, not after a label ("正在激活 Windows(R), …
// edition" / "(GUID)..."), maybe with its result on the same line when
// re-typed. It returns how many lines it consumed (0: not one).
func (p *slmgrParser) activation(lines []Line, i int) int {
	t := strings.TrimSpace(lines[i].Text)
	loc := nameInRe.FindStringSubmatchIndex(t)
	if loc == nil {
		return 0
	}
	before := strings.TrimSpace(t[:loc[2]])
	after := strings.TrimSpace(t[loc[3]:])
	if strings.HasSuffix(before, ":") || strings.HasSuffix(before, "：") ||
		strings.HasPrefix(after, ":") || strings.HasPrefix(after, "：") {
		return 0 // a "Name: …" line or an /xpr line
	}
	if before == "" && after == "" {
		return 0 // a bare name: nothing says it was being activated
	}
	pr := p.newProduct(t[loc[2]:loc[3]], meta{activation: true})
	consumed := 1
	rest := after
	if rest == "" && i+1 < len(lines) && lines[i+1].N == lines[i].N+1 {
		// The console or a popup wrapped "(GUID)..." onto the next line.
		if next := strings.TrimSpace(lines[i+1].Text); guidParenRe.MatchString(next) {
			rest = next
			consumed = 2
		}
	}
	if m := guidParenRe.FindStringSubmatch(rest); m != nil {
		if id := strings.TrimSpace(m[1]); realGUID(id) {
			pr.SKUID = strings.ToLower(strings.Trim(id, "{}"))
		}
		rest = strings.TrimSpace(rest[len(m[0]):])
	}
	if rest != "" {
		// Re-typed on one line: the outcome follows.
		if c, ok := hresult(rest); ok {
			p.reason(c, rest)
		} else if w, ok := lookupWord(rest, p.script); ok && w.key == "L_MsgActivated" {
			p.activated(rest)
		}
	}
	return consumed
}

// byShape reads a line in a language whose strings are unknown. It never
// starts a product from a value that is not a license name: an error
// text or a path ("C:\Windows\system32\cmd.exe") is no product.
func (p *slmgrParser) byShape(t string) bool {
	if w, ok := lookupWord(t, p.script); ok {
		return p.word(w, t)
	}
	label, v, ok := cutLabel(t)
	if !ok || v == "" {
		// An error re-typed without its label ("0xC004F074 with
		// description …", as Microsoft's KB 974998 quotes it).
		if c, ok := hresult(t); ok && !licensing.Informational(c) {
			p.reason(c, t)
			return true
		}
		return false
	}
	if c, ok := hresult(v); ok {
		p.reason(c, v)
		return true
	}
	if w, ok := lookupWord(v, p.script); ok {
		return p.word(w, v)
	}
	var pr *licensing.Product
	if p.cur >= 0 {
		pr = p.product()
	}
	switch {
	case versionRe.MatchString(v):
		if p.b.res.ServiceVersion == "" {
			p.b.res.ServiceVersion = v
		}
	case productName(v):
		p.newProduct(v, meta{})
	case licensing.ChannelFromDescription(v) != licensing.ChannelUnknown:
		if pr == nil || pr.Description != "" {
			pr = p.newProduct("", meta{})
		}
		pr.Description = v
	case licensing.ChannelFromProductKeyChannel(v) != licensing.ChannelUnknown,
		licensing.ChannelFromToken(v) != licensing.ChannelUnknown && !strings.Contains(v, " "):
		p.product().ChannelRaw = v
	case guidRe.MatchString(v):
		id := strings.ToLower(strings.Trim(v, "{}"))
		pr = p.product()
		switch {
		case strings.Contains(strings.ToUpper(label), "CMID"):
			p.kms().ClientMachineID = v
		case p.pastKey():
			// An AD activation object's activation ID, a token's
			// ILID, an AVMA guest's IAID: not the product's.
			return false
		case licensing.KindOf(id, "") != licensing.KindOther && pr.ApplicationID == "":
			pr.ApplicationID = id
		case p.guids == 0 && pr.SKUID == "" && !p.inKMS:
			pr.SKUID = id
			p.guids++
		case pr.ApplicationID == "" && !p.inKMS:
			pr.ApplicationID = id // slmgr prints Activation ID, then Application ID
			p.guids++
		default:
			return false
		}
	case epidRe.MatchString(v):
		pr = p.product()
		switch {
		case !p.pastKey() && pr.ExtendedPID == "":
			pr.ExtendedPID = v
		case p.pastKey() && pr.KMS != nil:
			// The KMS client block (its CMID line came first).
			p.kms().HostExtendedPID = v
		default:
			// An AD activation object's extended PID (its block has
			// no CMID), or a second PID before the key.
			return false
		}
	case aoDNRe.MatchString(v):
		// An AD activation object's DN, the same in every language: its
		// first RDN names the object, when the name line was not read.
		if pr = p.product(); pr.ADActivation == "" {
			pr.ADActivation = aoDNRe.FindStringSubmatch(v)[1]
		}
		pr.VLActivationType = adActivated()
	case iidRe.MatchString(v):
		p.product().OfflineInstallationID = v
	case pkeyRe.MatchString(v) && (pr == nil || pr.PartialKey == ""):
		p.product().PartialKey = v
	case minutesRe.MatchString(v):
		m := p.minutes(v)
		if m == nil {
			return false
		}
		if pr = p.product(); pr.GraceMinutes == nil {
			pr.GraceMinutes = m
		}
	case hostPortRe.MatchString(v) && pr != nil:
		// Which of slmgr's two host lines this is (registered, or from
		// DNS) only the label says; "DNS" stays Latin in the
		// translations seen (localized.go).
		k := p.kms()
		if strings.Contains(strings.ToUpper(label), "DNS") {
			k.DiscoveredHost, k.DiscoveredPort = hostPort(v)
		} else if k.ConfiguredHost == "" {
			k.ConfiguredHost, k.ConfiguredPort = hostPort(v)
		}
	case ipRe.MatchString(v) && pr != nil && pr.KMS != nil:
		p.kms().DiscoveredIP = v
	default:
		return false
	}
	return true
}

// minutes reads "259197 分钟(180天）" or "… minute(s) (… day(s))" in any
// language: two numbers, one in minutes and one in days. Which is which is
// checked, not assumed: slmgr.vbs prints %DAY% as the minutes over 1440
// rounded up (GetDaysFromMins), older versions otherwise (shared/samples:
// Vista shows 259193 minutes as 179 days), so they agree within a day or
// two. Anything else is not read.
func (p *slmgrParser) minutes(v string) *int {
	m := minutesRe.FindStringSubmatch(v)
	a, b := atoi(m[1]), atoi(m[2])
	if a == nil || b == nil {
		return nil
	}
	near := func(min, days int) bool { d := min - days*1440; return d > -2*1440 && d < 2*1440 }
	switch {
	case near(*a, *b) && *a >= 1440:
		return a
	case near(*b, *a) && *b >= 1440:
		return b
	}
	return nil
}

// word records a localized status text from localized.go.
func (p *slmgrParser) word(w word, text string) bool {
	text = strings.TrimSpace(text)
	switch {
	case w.key == "L_MsgActivated":
		p.activated(text)
	case xprKeys[w.key]:
		pr := p.product()
		p.xprStatus(w.key, nil)
		pr.StatusRaw = text
	default:
		st, ok := statusByKey[w.key]
		if !ok {
			return false
		}
		pr := p.product()
		pr.Status = st
		pr.StatusRaw = text
	}
	return true
}
