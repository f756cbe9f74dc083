package slmgr

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// osppStatus maps the status tokens of ospp.vbs (its labels are English on
// every machine; see shared/samples/ospp/SOURCES.md).
var osppStatus = map[string]licensing.Status{
	"LICENSED":          licensing.StatusLicensed,
	"UNLICENSED":        licensing.StatusUnlicensed,
	"OOB_GRACE":         licensing.StatusOOBGrace,
	"OOT_GRACE":         licensing.StatusOOTGrace,
	"NON_GENUINE_GRACE": licensing.StatusNonGenuineGrace,
	"NOTIFICATIONS":     licensing.StatusNotification,
	"EXTENDED GRACE":    licensing.StatusExtendedGrace,
	"EXTENDED_GRACE":    licensing.StatusExtendedGrace,
	"UNKNOWN":           licensing.StatusUnknown,
}

var (
	osppStatusRe = regexp.MustCompile(`---\s*([A-Z_ ]+?)\s*---`)
	osppGraceRe  = regexp.MustCompile(`(\d+)\s+minute`)
)

// osppLabels are the labels ospp.vbs prints; the value is the rest of the
// line. Matched case-sensitively at the start of the trimmed line.
var osppLabels = []string{
	"PRODUCT ID:", "SKU ID:", "LICENSE NAME:", "LICENSE DESCRIPTION:", "BETA EXPIRATION:", "EXPIRATION:",
	"LICENSE STATUS:", "ERROR CODE:", "ERROR DESCRIPTION:", "REMAINING GRACE:",
	"Last 5 characters of installed product key:", "Activation Type Configuration:",
	"KMS machine name from DNS:", "KMS machine registry override defined:", "KMS machine IP address:",
	"DNS auto-discovery:", "Activation Interval:", "Renewal Interval:", "KMS host caching:",
	"Activation Object name:", "AO DN:", "AO extended PID:", "AO activation ID:",
	"To view the activation event history run:", "NOTICE:", "FOR MORE INFORMATION PLEASE VISIT:",
	"Uninstalling product key for:", "Installed product key detected",
	"Most recent successful activation client information:", "KMS Lookup Domain:", "Installation ID for:",
}

func osppLabel(t string) (label, value string, ok bool) {
	// Markdown pastes add "_ " inside tokens and masks; labels themselves
	// are plain.
	for _, l := range osppLabels {
		if strings.HasPrefix(t, l) {
			return l, strings.TrimSpace(t[len(l):]), true
		}
	}
	return "", "", false
}

// keyless reports a complete /dstatusall block of a SKU without a key: a
// name, ---UNLICENSED--- (LicenseStatus 0: no key, no license), no partial
// key; not an /act attempt, which prints the key first.
func keyless(p *licensing.Product, m meta) bool {
	return p.Name != "" && p.Status == licensing.StatusUnlicensed && p.PartialKey == "" && !m.activation
}

// withoutNote returns the value of line n without the words in
// full-width parentheses after it: ospp.vbs prints license names,
// descriptions and partial keys as the license holds them, in ASCII on
// every machine (the zh-CN and ko-KR samples too), so a "（" after such
// a value opens a note that the paste's author wrote in (a jianshu post:
// "edition（具体版本）", "GVGXT（这个是激活码的后五位…)"). The value
// before it is kept whole, and one note says how many were cut and
// where the first was. A value that is not ASCII before the "（" is
// kept as it is.
func (b *builder) withoutNote(n int, v string) string {
	i := strings.Index(v, "（")
	if i <= 0 {
		return v
	}
	head := strings.TrimSpace(v[:i])
	for j := 0; j < len(head); j++ {
		if head[j] >= 0x80 {
			return v
		}
	}
	if b.annotated++; b.annotated == 1 {
		b.firstAnnotated = n
	}
	return head
}

func parseOSPP(b *builder, lines []Line, src licensing.Source) {
	res := b.res
	known := func(l string) bool {
		t := strings.TrimSpace(l)
		_, _, ok := osppLabel(t)
		return ok || strings.HasPrefix(t, "---") || strings.HasPrefix(t, "<")
	}
	lines, joined := unwrap(lines, known)
	if joined > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("joined %d line(s) wrapped at 80 columns", joined))
	}
	first := len(res.Products)
	cur := -1
	newProduct := func(m meta) *licensing.Product {
		m.ospp = true
		cur = b.add(licensing.Product{Status: licensing.StatusUnknown, Channel: licensing.ChannelUnknown, Source: src}, m)
		return &res.Products[cur]
	}
	// get returns the current product, starting a new one when field is
	// already set on it: a block may lack its separator in a paste.
	get := func(isSet func(*licensing.Product) bool) *licensing.Product {
		if cur < 0 || isSet(&res.Products[cur]) {
			return newProduct(meta{})
		}
		return &res.Products[cur]
	}
	kms := func() *licensing.KMS {
		p := get(func(*licensing.Product) bool { return false })
		if p.KMS == nil {
			p.KMS = &licensing.KMS{}
		}
		return p.KMS
	}
	lastDesc := false // an ERROR DESCRIPTION may run on over several lines
	for _, ln := range lines {
		t := strings.TrimSpace(ln.Text)
		if t == "" || noise(t) && !strings.HasPrefix(t, "---") {
			if ranOn(t) {
				b.promptRanOn(ln.N, t)
			}
			lastDesc = false
			continue
		}
		if strings.HasPrefix(t, "---") {
			switch {
			case strings.HasPrefix(t, "---Processing"), strings.HasPrefix(t, "---Exiting"), strings.Trim(t, "-") == "":
				if cur >= 0 && keyless(&res.Products[cur], b.meta[cur]) {
					// ospp.vbs /dstatusall prints every Office SKU;
					// one without a key has no "Last 5 characters"
					// line before its separator (/dstatus prints only
					// SKUs with a key). Like slmgr's "This license is
					// not in use.".
					b.meta[cur].notInUse = true
				}
				cur = -1
			default:
				b.unknown(ln.N, t)
			}
			lastDesc = false
			continue
		}
		label, v, ok := osppLabel(t)
		if !ok {
			switch {
			case t == "<Product activation successful>", t == "<Offline product activation successful>":
				if cur >= 0 {
					res.Products[cur].Status = licensing.StatusLicensed
					res.Products[cur].StatusRaw = t
				}
			case t == "<No installed product keys detected>", strings.HasPrefix(t, "<Product key uninstall"),
				strings.HasPrefix(t, "Successfully applied setting"), t == "<Product key installation successful>",
				strings.HasPrefix(t, "Office license installed successfully"):
			case lastDesc && cur >= 0:
				// Up to licensing.MaxString, which is all that is
				// stored: joined on, every line would copy all the
				// lines before it.
				if p := &res.Products[cur]; len(p.ReasonText) < licensing.MaxString {
					p.ReasonText += " " + t
				}
				continue
			default:
				b.unknown(ln.N, t)
			}
			lastDesc = false
			continue
		}
		lastDesc = false
		switch label {
		case "PRODUCT ID:":
			p := get(func(p *licensing.Product) bool { return p.ExtendedPID != "" || p.Name != "" })
			p.ExtendedPID = v
		case "SKU ID:":
			p := get(func(p *licensing.Product) bool { return p.SKUID != "" || p.Name != "" })
			p.SKUID = strings.ToLower(v)
		case "LICENSE NAME:":
			p := get(func(p *licensing.Product) bool { return p.Name != "" })
			p.Name = b.withoutNote(ln.N, v)
		case "LICENSE DESCRIPTION:":
			p := get(func(p *licensing.Product) bool { return p.Description != "" })
			p.Description = b.withoutNote(ln.N, v)
		case "BETA EXPIRATION:", "EXPIRATION:":
			p := get(func(p *licensing.Product) bool { return p.ExpiresText != "" })
			if t, ok := parseDate(v); ok {
				if t.Year() > 1601 {
					p.ExpiresText = v
					p.Expires = &t
				}
			} else if !strings.HasPrefix(v, "1601") && !strings.Contains(v, "1601") {
				p.ExpiresText = v
			}
		case "LICENSE STATUS:":
			p := get(func(p *licensing.Product) bool { return p.StatusRaw != "" })
			p.StatusRaw = v
			tok := strings.ReplaceAll(v, "_ ", "_")
			if m := osppStatusRe.FindStringSubmatch(tok); m != nil {
				if st, ok := osppStatus[m[1]]; ok {
					p.Status = st
				}
			}
		case "ERROR CODE:":
			if cur < 0 {
				newProduct(meta{})
			}
			if c, ok := hresult(v); ok {
				res.Products[cur].StatusReason = c
				b.meta[cur].line = ln.N
			}
		case "ERROR DESCRIPTION:":
			if cur < 0 {
				newProduct(meta{})
			}
			res.Products[cur].ReasonText = v
			lastDesc = true
		case "REMAINING GRACE:":
			p := get(func(p *licensing.Product) bool { return p.GraceMinutes != nil })
			if m := osppGraceRe.FindStringSubmatch(v); m != nil {
				p.GraceMinutes = atoi(m[1])
			}
		case "Last 5 characters of installed product key:":
			p := get(func(p *licensing.Product) bool { return p.PartialKey != "" })
			p.PartialKey = b.withoutNote(ln.N, v)
		case "KMS machine name from DNS:":
			k := kms()
			k.DiscoveredHost, k.DiscoveredPort = hostPort(v)
		case "KMS machine registry override defined:":
			k := kms()
			k.ConfiguredHost, k.ConfiguredPort = hostPort(v)
		case "KMS machine IP address:":
			kms().DiscoveredIP = v
		case "DNS auto-discovery:":
			kms()
		case "Activation Interval:":
			kms().ActivationInterval = atoi(v)
		case "Renewal Interval:":
			kms().RenewalInterval = atoi(v)
		case "KMS host caching:":
			b := strings.EqualFold(v, "Enabled")
			kms().HostCaching = &b
		case "Activation Type Configuration:":
			// The configured type, VLActivationTypeEnabled (ospp.vbs
			// /dstatus, Windows 8+), whatever type was used.
			n := map[string]int{"ALL": 0, "AD": 1, "KMS": 2, "TOKEN": 3}[strings.ToUpper(v)]
			get(func(*licensing.Product) bool { return false }).VLActivationTypeEnabled = &n
		case "Most recent successful activation client information:":
			// ospp.vbs prints it, with "AD", only when VLActivationType
			// is 1 ("Check to see if last activated via AD").
			if strings.EqualFold(v, "AD") {
				get(func(*licensing.Product) bool { return false }).VLActivationType = adActivated()
			}
		case "KMS Lookup Domain:":
			kms().LookupDomain = v
		case "Installation ID for:":
			// /dinstid: "Installation ID for: <LICENSE NAME>: <IID>".
			if i := strings.LastIndex(v, ":"); i > 0 {
				p := newProduct(meta{})
				p.Name = strings.TrimSpace(v[:i])
				p.OfflineInstallationID = strings.TrimSpace(v[i+1:])
			}
		case "Activation Object name:":
			p := get(func(*licensing.Product) bool { return false })
			p.ADActivation, p.VLActivationType = v, adActivated()
		case "Installed product key detected":
			// "- attempting to activate the following product:": an
			// /act block starts (ospp.vbs prints it before each SKU).
			newProduct(meta{activation: true})
		}
	}
	if b.annotated > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("%d license name(s), description(s) or partial key(s) were followed by words in full-width parentheses, which ospp does not print after them (they are ASCII): the words were left out (the first on line %d)",
			b.annotated, b.firstAnnotated))
	}
	for i := first; i < len(res.Products); i++ {
		pr := &res.Products[i]
		if pr.StatusRaw == "" && pr.Status == licensing.StatusUnknown && pr.StatusReason != 0 && !licensing.Informational(pr.StatusReason) {
			if !b.meta[i].activation && errorOnly(pr) {
				b.meta[i].noSKU = true
				continue
			}
			// /dstatus always prints LICENSE STATUS: an error code
			// without one is /act output, an activation that failed.
			b.meta[i].activation = true
		}
	}
}

// errorOnly reports a block of an error and nothing else: no SKU ID,
// name, description, key, PID, grace, date or KMS line. ospp.vbs
// (sppErrHandle) prints ERROR CODE and ERROR DESCRIPTION before any
// SKU's lines only when a command failed as a whole: /inpkey whose key
// fits no SKU installed (0xC004F069) or is not a key (0xC004F050),
// /unpkey, /actcid, /sethst, or the query of /dstatus itself; it quits
// then. /act prints a SKU's ID and name before the SKU's error. Such an
// error is about no license: not an activation that failed, and no
// license status (see noSKUErrors).
func errorOnly(p *licensing.Product) bool {
	return p.Name == "" && p.SKUID == "" && p.Description == "" && p.PartialKey == "" && p.ExtendedPID == "" &&
		p.GraceMinutes == nil && p.ExpiresText == "" && p.KMS == nil && p.OfflineInstallationID == "" &&
		p.ADActivation == "" && p.VLActivationType == nil && p.VLActivationTypeEnabled == nil
}

// noSKUErrors reads the ospp errors that name no SKU (errorOnly). Beside
// an Office product the text names, such an error is a note: it says
// nothing of that product's license (an /inpkey whose key fits no SKU
// leaves the SKUs installed as they were), and kept as a product of its
// own it made the device's Office look unread. Alone, it is all the
// text says: Office, which ospp.vbs manages, and the HRESULT, kept as an
// Office product whose license status is unknown, with a note.
func noSKUErrors(ps []licensing.Product, ms []meta, notes *[]string) ([]licensing.Product, []meta) {
	named, bare := false, 0
	for i, p := range ps {
		switch {
		case ms[i].noSKU:
			bare++
		case p.Kind == licensing.KindOffice && (p.Name != "" || realGUID(p.SKUID)):
			named = true
		}
	}
	if bare == 0 {
		return ps, ms
	}
	kept, km := ps[:0], ms[:0]
	said := 0
	for i, p := range ps {
		if !ms[i].noSKU || !named {
			kept, km = append(kept, p), append(km, ms[i])
		}
		if !ms[i].noSKU {
			continue
		}
		if said++; said > maxUnknown {
			continue
		}
		if named {
			*notes = append(*notes, fmt.Sprintf("line %d: ospp's error %s names no SKU: a command that failed as a whole (/inpkey whose key fits no SKU installed, /unpkey, /actcid, …) says nothing of a license, so it was not read as a product; the Office products the text names are read as they are",
				ms[i].line, licensing.HRESULT(p.StatusReason)))
		} else {
			*notes = append(*notes, fmt.Sprintf("line %d: ospp's error %s names no SKU (a command that failed as a whole: /inpkey whose key fits no SKU installed, /unpkey, /actcid, …; or an /act cut before its SKU's lines): read as Office, which ospp manages, with the error and a license status the text does not give",
				ms[i].line, licensing.HRESULT(p.StatusReason)))
		}
	}
	if said > maxUnknown {
		*notes = append(*notes, fmt.Sprintf("%d more errors of ospp name no SKU", said-maxUnknown))
	}
	return kept, km
}
