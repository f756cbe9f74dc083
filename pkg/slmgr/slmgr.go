package slmgr

import (
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

var statusByKey = map[string]licensing.Status{
	"L_MsgLicenseStatusUnlicensed_1":      licensing.StatusUnlicensed,
	"L_MsgLicenseStatusLicensed_1":        licensing.StatusLicensed,
	"L_MsgLicenseStatusInitialGrace_1":    licensing.StatusOOBGrace,
	"L_MsgLicenseStatusAdditionalGrace_1": licensing.StatusOOTGrace,
	"L_MsgLicenseStatusNonGenuineGrace_1": licensing.StatusNonGenuineGrace,
	"L_MsgLicenseStatusNotification_1":    licensing.StatusNotification,
	"L_MsgLicenseStatusExtendedGrace_1":   licensing.StatusExtendedGrace,
	"L_MsgLicenseStatusUnknown":           licensing.StatusUnknown,
	// /xpr
	"L_MsgLicenseStatusUnlicensed":      licensing.StatusUnlicensed,
	"L_MsgLicenseStatusVL":              licensing.StatusLicensed,
	"L_MsgLicenseStatusTBL":             licensing.StatusLicensed,
	"L_MsgLicenseStatusAVMA":            licensing.StatusLicensed,
	"L_MsgLicenseStatusLicensed":        licensing.StatusLicensed,
	"L_MsgLicenseStatusInitialGrace":    licensing.StatusOOBGrace,
	"L_MsgLicenseStatusAdditionalGrace": licensing.StatusOOTGrace,
	"L_MsgLicenseStatusNonGenuineGrace": licensing.StatusNonGenuineGrace,
	"L_MsgLicenseStatusNotification":    licensing.StatusNotification,
	"L_MsgLicenseStatusExtendedGrace":   licensing.StatusExtendedGrace,
}

// slmgrParser holds the state of the slmgr lines of one text.
type slmgrParser struct {
	b     *builder
	ms    []matcher
	src   licensing.Source
	cur   int  // index of the current product, -1 before the first
	inKMS bool // inside a "Key Management Service client information" block
	guids int  // non-ApplicationID GUIDs seen in the current product (shape fallback)
	xpr   int  // /xpr status lines seen
	// activating is the product of the last /ato "Activating …" line, -1
	// when a /dlv block or nothing came after it.
	activating int
	script     string // of the text's words, for localized.go
	n          int    // number of the line being read
	// gap: a blank line came after the current product's last line.
	gap bool
	// pending are the errors (slmgr's "Error: 0x…", L_MsgErrorText_8)
	// read after such a gap or before any product: see errorLine.
	pending []pendingError
}

// pendingError is an error line waiting for the product it is about.
type pendingError struct {
	code uint32
	text string
}

func (p *slmgrParser) product() *licensing.Product {
	if p.cur < 0 {
		p.newProduct("", meta{})
	}
	return &p.b.res.Products[p.cur]
}

func (p *slmgrParser) newProduct(name string, m meta) *licensing.Product {
	p.cur = p.b.add(licensing.Product{Name: name, Status: licensing.StatusUnknown, Channel: licensing.ChannelUnknown, Source: p.src}, m)
	p.inKMS = false
	p.guids = 0
	p.activating = -1
	if m.activation {
		p.activating = p.cur
	}
	p.gap = false
	if !m.activation && !m.xpr {
		// The errors printed before this product's name are its own.
		p.flush()
	}
	return &p.b.res.Products[p.cur]
}

// errorLine holds an "Error: 0x…" line read between two /dlv blocks, or
// before the first: slmgr.vbs (DisplayAllInformation) reads a product's
// ID, description and primary-SKU test before it prints the blank line
// and the name that begin its block, so such an error is the next
// product's, not the one before's. It reports whether it held the line.
// Held lines go to the product that starts next, or, when another line
// comes first, where they went before: the product before (an /ato
// popup pasted after a /dlv), or one of their own.
func (p *slmgrParser) errorLine(key string, vals []string) bool {
	if key != "L_MsgErrorText_8" || p.activating >= 0 || p.cur >= 0 && !p.gap {
		return false
	}
	v := val(vals)
	c, ok := hresult(v)
	if !ok {
		return false
	}
	p.pending = append(p.pending, pendingError{c, v})
	return true
}

// flush gives the held error lines to the current product, or to one of
// their own when there is none.
func (p *slmgrParser) flush() {
	pending := p.pending
	p.pending = nil
	for _, e := range pending {
		p.reason(e.code, e.text)
	}
}

// startsBlock reports whether t begins a /dlv product block: its name
// line, by its resource string or by the shape of its value.
func startsBlock(key string, ok bool, t string) bool {
	if ok {
		return key == "L_MsgProductName"
	}
	_, v, found := cutLabel(t)
	return found && productName(v)
}

func (p *slmgrParser) kms() *licensing.KMS {
	pr := p.product()
	if pr.KMS == nil {
		pr.KMS = &licensing.KMS{}
	}
	return pr.KMS
}

// parseSlmgr reads the slmgr lines; it reports whether they were /xpr
// output only.
func parseSlmgr(b *builder, lines []Line, ms []matcher, src licensing.Source) bool {
	res := b.res
	p := &slmgrParser{b: b, ms: ms, src: src, cur: -1, activating: -1, script: scriptOf(lines)}
	first := b.blocks // the number of this text's first block
	known := func(l string) bool { _, _, ok := match(p.ms, l); return ok }
	lines, joined := unwrap(lines, known)
	if joined > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("joined %d line(s) wrapped at 80 columns", joined))
	}
	for i := 0; i < len(lines); i++ {
		t := strings.TrimSpace(lines[i].Text)
		if t == "" && p.cur >= 0 {
			p.gap = true
		}
		if noise(t) {
			if ranOn(t) {
				b.promptRanOn(lines[i].N, t)
			}
			continue
		}
		p.n = lines[i].N
		key, vals, ok := match(p.ms, t)
		if ok && p.errorLine(key, vals) {
			continue
		}
		if len(p.pending) > 0 && !startsBlock(key, ok, t) {
			p.flush()
		}
		p.gap = false
		if ok && xprKeys[key] {
			p.xpr++
			p.xprStatus(key, vals)
			continue
		}
		if ok && key != "L_MsgActivating" {
			p.apply(key, vals)
			continue
		}
		// An /ato attempt in any language (also L_MsgActivating, whose
		// %PRODUCTNAME% a pattern cannot tell from the "(R)" inside it).
		if consumed := p.activation(lines, i); consumed > 0 {
			i += consumed - 1
			continue
		}
		// /xpr: "<Name>:" then an indented status line, or both on one line.
		if name, rest, found := splitXpr(t); found {
			if rest == "" {
				p.newProduct(name, meta{xpr: true})
				continue
			}
			if k, v, ok := match(p.ms, rest); ok && xprKeys[k] {
				p.xpr++
				p.newProduct(name, meta{xpr: true})
				p.xprStatus(k, v)
				continue
			}
			if w, ok := lookupWord(rest, p.script); ok && xprKeys[w.key] {
				p.xpr++
				p.newProduct(name, meta{xpr: true})
				p.xprStatus(w.key, nil)
				p.product().StatusRaw = rest
				continue
			}
			if strings.Contains(strings.ToLower(name), " edition") {
				// A /xpr line in a language whose strings are unknown: keep
				// the product, report the status text as not understood.
				p.xpr++
				p.newProduct(name, meta{xpr: true})
				b.unknown(lines[i].N, t)
				continue
			}
		}
		if p.byShape(t) {
			continue
		}
		b.unknown(lines[i].N, t)
	}
	p.flush()
	if p.xpr == 0 || b.blocks == first || b.lastNotXpr >= first {
		return false
	}
	for i := b.index(first); i < len(res.Products); i++ {
		if notXpr(&res.Products[i], b.meta[i]) {
			return false
		}
	}
	for i := b.index(first); i < len(res.Products); i++ {
		b.meta[i].xpr = true
	}
	return true
}

// splitXpr splits "Windows(R), Professional edition:" or the same followed
// by the status on one line.
func splitXpr(t string) (name, rest string, ok bool) {
	i := strings.Index(t, ":")
	if i <= 0 {
		if j := strings.Index(t, "："); j > 0 {
			name = strings.TrimSpace(t[:j])
			if !productName(name) {
				return "", "", false
			}
			return name, strings.TrimSpace(t[j+len("："):]), true
		}
		return "", "", false
	}
	name = strings.TrimSpace(t[:i])
	if !strings.Contains(name, ",") && !strings.Contains(strings.ToLower(name), "edition") {
		return "", "", false
	}
	return name, strings.TrimSpace(t[i+1:]), true
}

func (p *slmgrParser) xprStatus(key string, vals []string) {
	pr := p.product()
	switch key {
	case "L_MsgLicenseStatusTBL":
		p.b.meta[p.cur].channel = licensing.ChannelEval
	case "L_MsgLicenseStatusAVMA":
		p.b.meta[p.cur].channel = licensing.ChannelAVMA
	case "L_MsgLicenseStatusVL":
		p.b.meta[p.cur].channel = licensing.ChannelGVLK
	}
	pr.Status = statusByKey[key]
	pr.StatusRaw = strings.TrimSpace(key)
	if len(vals) > 0 {
		pr.ExpiresText = strings.TrimSpace(vals[0])
		if t, ok := parseDate(pr.ExpiresText); ok {
			pr.Expires = &t
		}
	}
	if key == "L_MsgLicenseStatusLicensed" {
		zero := 0
		pr.GraceMinutes = &zero
	}
}

// first returns the first value a line's string captured, "" when it
// captured none: an slmgr.ini string may lack its placeholder.
func first(vals []string) string {
	if len(vals) == 0 {
		return ""
	}
	return vals[0]
}

func val(vals []string) string {
	if len(vals) == 0 {
		return ""
	}
	return strings.TrimSpace(vals[len(vals)-1])
}

// apply records one line recognized by its resource string.
func (p *slmgrParser) apply(key string, vals []string) {
	v := val(vals)
	if st, ok := statusByKey[key]; ok {
		p.product().Status = st
		p.product().StatusRaw = key
		return
	}
	switch key {
	case "L_MsgErrorLicenseNotInUse":
		p.product()
		p.b.meta[p.cur].notInUse = true
	case "L_MsgServiceVersion":
		p.b.res.ServiceVersion = v
	case "L_MsgProductName":
		p.newProduct(v, meta{})
	case "L_MsgProductDesc":
		p.product().Description = v
	case "L_MsgActID":
		p.product().SKUID = strings.ToLower(v)
	case "L_MsgAppID":
		p.product().ApplicationID = strings.ToLower(v)
	case "L_MsgPID4":
		p.product().ExtendedPID = v
	case "L_MsgChannel":
		p.product().ChannelRaw = v
	case "L_MsgInstallationID":
		p.product().OfflineInstallationID = v
	case "L_MsgPartialPKey":
		p.product().PartialKey = v
	case "L_MsgLicenseStatusVL_1", "L_MsgLicenseStatusTBL_1", "L_MsgLicenseStatusAVMA_1", "L_MsgLicenseStatusTimeRemaining":
		p.product().GraceMinutes = atoi(first(vals))
	case "L_MsgLicenseStatusEvalEndData":
		pr := p.product()
		if t, ok := parseDate(v); ok {
			pr.EvaluationEnd = &t
		} else {
			pr.ExpiresText = v
		}
	case "L_MsgNotificationErrorReasonNonGenuine", "L_MsgNotificationErrorReasonExpiration", "L_MsgNotificationErrorReasonOther":
		if c, ok := hresult("0x" + first(vals)); ok {
			p.product().StatusReason = c
			p.b.meta[p.cur].statusReason = true
		}
	case "L_MsgRemainingWindowsRearmCount":
		p.b.res.WindowsRearm = atoi(first(vals))
	case "L_MsgRemainingSkuRearmCount":
		p.product().RemainingSKURearm = atoi(first(vals))
	case "L_MsgCurrentTrustedTime":
		p.b.res.TrustedTime = v
	case "L_MsgKmsInfo":
		p.inKMS = true
		p.kms()
	case "L_MsgADInfo":
		p.inKMS = false
		p.product().VLActivationType = adActivated()
	case "L_MsgTkaInfo", "L_MsgAVMAInfo":
		p.inKMS = false
	case "L_MsgADInfoAOName":
		pr := p.product()
		pr.ADActivation, pr.VLActivationType = v, adActivated()
	case "L_MsgCmid":
		p.kms().ClientMachineID = v
	case "L_MsgRegisteredKmsName":
		k := p.kms()
		k.ConfiguredHost, k.ConfiguredPort = hostPort(v)
	case "L_MsgKmsLookupDomain":
		p.kms().LookupDomain = v
	case "L_MsgKmsFromDns":
		k := p.kms()
		k.DiscoveredHost, k.DiscoveredPort = hostPort(v)
	case "L_MsgKmsIpAddress":
		p.kms().DiscoveredIP = v
	case "L_MsgKmsPID4":
		p.kms().HostExtendedPID = v
	case "L_MsgActivationInterval":
		p.kms().ActivationInterval = atoi(first(vals))
	case "L_MsgRenewalInterval":
		p.kms().RenewalInterval = atoi(first(vals))
	case "L_MsgKmsHostCachingEnabled", "L_MsgKmsHostCachingDisabled":
		b := key == "L_MsgKmsHostCachingEnabled"
		p.kms().HostCaching = &b
	case "L_MsgKmsEnabled":
		p.kms().IsHost = true
	case "L_MsgKmsCurrentCount":
		p.kms().HostCurrentCount = atoi(v)
	case "L_MsgVLActivationTypeAll", "L_MsgVLActivationTypeAD", "L_MsgVLActivationTypeKMS", "L_MsgVLActivationTypeToken":
		// The configured type: slmgr.vbs prints it from
		// VLActivationTypeEnabled, whatever type was used (adActivated).
		n := map[string]int{"L_MsgVLActivationTypeAll": 0, "L_MsgVLActivationTypeAD": 1, "L_MsgVLActivationTypeKMS": 2, "L_MsgVLActivationTypeToken": 3}[key]
		p.product().VLActivationTypeEnabled = &n
	case "L_MsgActivated":
		p.activated(v)
	case "L_MsgActivated_Failed":
		pr := p.activationProduct()
		if pr.StatusRaw == "" {
			pr.StatusRaw = "activation failed"
		}
	case "L_MsgErrorText_8":
		if c, ok := hresult(v); ok {
			p.blockError(c, v)
		} else if k, _, ok := match(p.ms, v); ok && (k == "L_MsgErrorText_11" || k == "L_MsgErrorText_12") {
			p.apply(k, nil)
		}
	case "L_MsgErrorText_11":
		pr := p.activationProduct()
		pr.Status, pr.StatusRaw = licensing.StatusNonGenuineGrace, key
	case "L_MsgErrorText_12":
		pr := p.activationProduct()
		pr.Status, pr.StatusRaw = licensing.StatusNotification, key
		if pr.StatusReason == 0 {
			pr.StatusReason = 0xC004F200 // HR_SL_E_NOT_GENUINE, the condition of the message
		}
	}
	// Everything else recognized (URLs, KMS host counters, notices) is
	// known and carries nothing the model keeps.
}

// activationProduct returns the product of the last /ato line, or starts
// one: an error popup may hold the error alone.
func (p *slmgrParser) activationProduct() *licensing.Product {
	if p.activating >= 0 {
		return &p.b.res.Products[p.activating]
	}
	return p.newProduct("", meta{activation: true})
}

// activated records "Product activated successfully": slmgr prints it when
// LicenseStatus is 1 after the attempt (slmgr.vbs DisplayActivatedStatus).
func (p *slmgrParser) activated(text string) {
	pr := p.activationProduct()
	pr.Status = licensing.StatusLicensed
	pr.StatusRaw = strings.TrimSpace(text)
	if pr.StatusRaw == "" {
		pr.StatusRaw = "L_MsgActivated"
	}
}

// blockError records an "Error: 0x…" line inside a product's block: a
// property slmgr.vbs could not read. It is the product's status reason
// unless the status line gave one (Notification Reason): that is the
// license's own fact, which a failed read of another property does not
// replace; a note names the error instead.
func (p *slmgrParser) blockError(code uint32, text string) {
	if p.activating < 0 && p.cur >= 0 && p.b.meta[p.cur].statusReason {
		pr := &p.b.res.Products[p.cur]
		p.b.res.Notes = append(p.b.res.Notes, fmt.Sprintf("line %d: error 0x%08X in the block of %s is not taken for its status reason, which its Notification Reason line gave (0x%08X)",
			p.n, code, pr.Name, pr.StatusReason))
		return
	}
	p.reason(code, text)
}

// reason records an HRESULT: the current product's status reason, or the
// error of an /ato attempt (then the product keeps an unknown status).
// text after the code is kept as its meaning when the table lacks it.
func (p *slmgrParser) reason(code uint32, text string) {
	var pr *licensing.Product
	switch {
	case p.activating >= 0:
		pr = &p.b.res.Products[p.activating]
	case p.cur >= 0:
		pr = p.product()
	default:
		pr = p.activationProduct()
	}
	if pr.StatusReason != 0 && !licensing.Informational(pr.StatusReason) && licensing.Informational(code) {
		return
	}
	pr.StatusReason = code
	if _, ok := licensing.LookupReason(code); !ok {
		if m := hresultRe.FindStringIndex(text); m != nil {
			if rest := strings.Trim(text[m[1]:], " .。:：()（）"); rest != "" {
				pr.ReasonText = rest
			}
		}
	}
}
