package slmgr

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// ErrNoProducts is returned, with the Result, when the text holds no
// product at all: not slmgr or ospp output, or a paste of other lines.
var ErrNoProducts = errors.New("slmgr: no licensed product found in the text")

// Format is the kind of output a text was read as.
type Format string

const (
	FormatSlmgr Format = "slmgr" // slmgr.vbs /dli or /dlv
	FormatXpr   Format = "xpr"   // slmgr.vbs /xpr
	FormatOSPP  Format = "ospp"  // ospp.vbs /dstatus or /act
)

// Result is what Parse read from one saved output.
type Result struct {
	Format         Format              `json:"format"`
	Encoding       string              `json:"encoding"`
	Strings        string              `json:"strings"` // language of the resource strings used
	ServiceVersion string              `json:"service_version,omitempty"`
	WindowsRearm   *int                `json:"remaining_windows_rearm,omitempty"`
	TrustedTime    string              `json:"trusted_time,omitempty"`
	Products       []licensing.Product `json:"products"`
	// Unknown holds lines that were not understood, with their numbers.
	Unknown []Line `json:"unknown,omitempty"`
	// Unread names facts that could not be read, e.g. "product 1: license status".
	Unread []string `json:"unread,omitempty"`
	// Notes say how the text was read: joined wrapped lines, fallbacks.
	Notes []string `json:"notes,omitempty"`
}

// Line is one line of input, numbered from 1.
type Line struct {
	N    int    `json:"n"`
	Text string `json:"text"`
}

// Options tunes Parse.
type Options struct {
	// Strings are resource strings of the machine's language (from the
	// slmgr.ini the collector copied, or import-text --strings). English is
	// always tried too.
	Strings []*Strings
	// Source is recorded on every product; default licensing.SourceSlmgr
	// or SourceOSPP by format.
	Source licensing.Source
}

// Parse reads saved slmgr.vbs (/dli, /dlv, /xpr) or ospp.vbs (/dstatus,
// /act) output in any supported encoding and language. It never fails on
// odd input: lines it does not understand are listed in Result.Unknown. It
// returns ErrNoProducts (with the Result) when no product was found.
func Parse(data []byte, opts Options) (*Result, error) {
	text, enc := Decode(data)
	lines := strings.Split(text, "\n")
	res := &Result{Encoding: enc, Strings: "en", Products: []licensing.Product{}}
	if isOSPP(lines) {
		res.Format = FormatOSPP
		parseOSPP(res, lines, opts)
	} else {
		res.Format = FormatSlmgr
		parseSlmgr(res, lines, opts)
	}
	if len(res.Products) == 0 {
		return res, ErrNoProducts
	}
	return res, nil
}

func isOSPP(lines []string) bool {
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "---Processing") || strings.HasPrefix(t, "LICENSE NAME:") ||
			strings.HasPrefix(t, "LICENSE DESCRIPTION:") || strings.HasPrefix(t, "SKU ID:") ||
			strings.HasPrefix(t, "ERROR CODE:") || strings.HasPrefix(t, "ERROR DESCRIPTION:") {
			return true
		}
	}
	return false
}

// noise reports lines that carry nothing: the cscript banner, prompts and
// separators.
func noise(t string) bool {
	switch {
	case t == "":
		return true
	case strings.HasPrefix(t, "Microsoft (R) Windows Script Host"), strings.Contains(t, "Windows Script Host"),
		strings.HasPrefix(t, "Copyright (C)"), strings.Contains(t, "Microsoft Corporation"),
		strings.Contains(t, "Корпорация Майкрософт"), strings.Contains(t, "(Microsoft R)"):
		return true
	case promptRe.MatchString(t):
		return true
	case strings.Trim(t, "-=") == "":
		return true
	}
	return false
}

var promptRe = regexp.MustCompile(`^(PS )?[A-Za-z]:\\[^>]*>|^Microsoft Windows \[`)

// displayWidth counts console columns: East Asian wide characters take two.
func displayWidth(s string) int {
	n := 0
	for _, r := range s {
		n++
		if wide(r) {
			n++
		}
	}
	return n
}

// wideRanges are the East Asian Wide and Fullwidth blocks a console draws
// two columns wide (Unicode UAX #11): Hangul Jamo, CJK punctuation, kana,
// ideographs, Hangul syllables, compatibility ideographs, fullwidth forms.
// A few ranges instead of x/text/width's tables keep the collector small;
// only lines of exactly 79 or 80 columns depend on it.
var wideRanges = [...][2]rune{
	{0x1100, 0x115F}, {0x2E80, 0x303E}, {0x3041, 0x33FF}, {0x3400, 0x4DBF}, {0x4E00, 0x9FFF},
	{0xA000, 0xA4CF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFE30, 0xFE4F}, {0xFF00, 0xFF60},
	{0xFFE0, 0xFFE6}, {0x20000, 0x2FFFD}, {0x30000, 0x3FFFD},
}

func wide(r rune) bool {
	if r < 0x1100 {
		return false
	}
	for _, w := range wideRanges {
		if r >= w[0] && r <= w[1] {
			return true
		}
	}
	return false
}

// unwrap joins lines that the console broke at 80 columns: a line 80
// columns wide (79 once its trailing space was trimmed) whose next line is
// not understood on its own. The console cuts mid-word ("cou" / "ld").
func unwrap(lines []string, known func(string) bool) (out []string, nums []int, joined int) {
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		n := i + 1
		for w := displayWidth(l); (w == 80 || w == 79) && i+1 < len(lines); w = displayWidth(l) {
			next := lines[i+1]
			if strings.TrimSpace(next) == "" || known(next) || noise(strings.TrimSpace(l)) || noise(strings.TrimSpace(next)) {
				break
			}
			if w == 79 {
				l += " " // the 80th column was a space, trimmed by normalize
			}
			l += next
			i++
			joined++
		}
		out = append(out, l)
		nums = append(nums, n)
	}
	return out, nums, joined
}

var (
	guidRe    = regexp.MustCompile(`(?i)^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$`)
	epidRe    = regexp.MustCompile(`^\d{5}-\d{5}-\d{3}-\d{6}-\d{2}-\d{4,5}-[\d.]+-\d{7}$`)
	pkeyRe    = regexp.MustCompile(`^[A-Z0-9]{5}$`)
	minutesRe = regexp.MustCompile(`^(\d+)\D+\((\d+)\D+\)\.?$`)
	hresultRe = regexp.MustCompile(`0[xX]([0-9A-Fa-f]{8})`)
	intRe     = regexp.MustCompile(`-?\d+`)
)

func atoi(s string) *int {
	m := intRe.FindString(s)
	if m == "" {
		return nil
	}
	n, err := strconv.Atoi(m)
	if err != nil {
		return nil
	}
	return &n
}

func hresult(s string) (uint32, bool) {
	m := hresultRe.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	v, err := strconv.ParseUint(m[1], 16, 32)
	return uint32(v), err == nil
}

// hostPort splits "host:1688".
func hostPort(s string) (string, int) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, ":"); i > 0 && !strings.Contains(s[i+1:], "]") {
		if p, err := strconv.Atoi(s[i+1:]); err == nil {
			return s[:i], p
		}
	}
	return s, 0
}

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

// slmgrParser holds the state of one slmgr text.
type slmgrParser struct {
	res    *Result
	ms     []matcher
	src    licensing.Source
	cur    *licensing.Product
	inKMS  bool
	guids  int // GUIDs seen in the current product, for the no-strings fallback
	xprCur *licensing.Product
	// unused marks products that slmgr /dlv all prints as "This license
	// is not in use.": SKUs without an installed key, which WMI's
	// WHERE PartialProductKey IS NOT NULL leaves out too.
	unused map[int]bool
}

func (p *slmgrParser) product() *licensing.Product {
	if p.cur == nil {
		p.newProduct("")
	}
	return p.cur
}

func (p *slmgrParser) newProduct(name string) {
	p.res.Products = append(p.res.Products, licensing.Product{Name: name, Status: licensing.StatusUnknown, Channel: licensing.ChannelUnknown, Source: p.src})
	p.cur = &p.res.Products[len(p.res.Products)-1]
	p.inKMS = false
	p.guids = 0
}

func (p *slmgrParser) kms() *licensing.KMS {
	pr := p.product()
	if pr.KMS == nil {
		pr.KMS = &licensing.KMS{}
	}
	return pr.KMS
}

func parseSlmgr(res *Result, lines []string, opts Options) {
	sets := append(append([]*Strings{}, opts.Strings...), English())
	for _, s := range opts.Strings {
		if s != nil && s.Lang != "" {
			res.Strings = s.Lang
		}
	}
	p := &slmgrParser{res: res, ms: matchers(sets...), src: opts.Source}
	if p.src == "" {
		p.src = licensing.SourceSlmgr
	}
	known := func(l string) bool { _, _, ok := match(p.ms, l); return ok }
	lines, nums, joined := unwrap(lines, known)
	if joined > 0 {
		res.Notes = append(res.Notes, fmt.Sprintf("joined %d line(s) wrapped at 80 columns", joined))
	}
	xpr := 0
	for i, raw := range lines {
		t := strings.TrimSpace(raw)
		if noise(t) {
			continue
		}
		key, vals, ok := match(p.ms, t)
		if ok && xprKeys[key] {
			xpr++
			p.xprStatus(key, vals)
			continue
		}
		if ok {
			p.apply(key, vals)
			continue
		}
		// /xpr: "<Name>:" then an indented status line, or both on one line.
		if name, rest, found := splitXpr(t); found {
			if rest == "" {
				p.newProduct(name)
				p.xprCur = p.cur
				continue
			}
			if k, v, ok := match(p.ms, rest); ok && xprKeys[k] {
				xpr++
				p.newProduct(name)
				p.xprCur = p.cur
				p.xprStatus(k, v)
				continue
			}
			if strings.Contains(strings.ToLower(name), " edition") {
				// A /xpr line in a language whose strings are unknown: keep
				// the product, report the status text as not understood.
				xpr++
				p.newProduct(name)
				p.xprCur = p.cur
				res.Unknown = append(res.Unknown, Line{nums[i], t})
				continue
			}
		}
		if p.byShape(t) {
			continue
		}
		res.Unknown = append(res.Unknown, Line{nums[i], t})
	}
	if xpr > 0 && len(res.Products) > 0 && allXpr(res.Products) {
		res.Format = FormatXpr
	}
	if len(p.unused) > 0 {
		kept := res.Products[:0]
		for i, pr := range res.Products {
			if !p.unused[i] || pr.PartialKey != "" {
				kept = append(kept, pr)
			}
		}
		res.Notes = append(res.Notes, fmt.Sprintf("skipped %d licenses not in use (no product key installed)", len(res.Products)-len(kept)))
		res.Products = kept
	}
	for i := range res.Products {
		finishProduct(res, i, &res.Products[i])
	}
}

func allXpr(ps []licensing.Product) bool {
	for _, p := range ps {
		if p.Description != "" || p.PartialKey != "" {
			return false
		}
	}
	return true
}

// splitXpr splits "Windows(R), Professional edition:" or the same followed
// by the status on one line.
func splitXpr(t string) (name, rest string, ok bool) {
	i := strings.Index(t, ":")
	if i <= 0 {
		if j := strings.Index(t, "："); j > 0 {
			return strings.TrimSpace(t[:j]), strings.TrimSpace(t[j+len("："):]), true
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
	pr := p.xprCur
	if pr == nil {
		pr = p.product()
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

func val(vals []string) string {
	if len(vals) == 0 {
		return ""
	}
	return strings.TrimSpace(vals[len(vals)-1])
}

// apply records one recognized line.
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
		if p.unused == nil {
			p.unused = map[int]bool{}
		}
		p.unused[len(p.res.Products)-1] = true
	case "L_MsgServiceVersion":
		p.res.ServiceVersion = v
	case "L_MsgProductName":
		p.newProduct(v)
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
		p.product().GraceMinutes = atoi(vals[0])
	case "L_MsgLicenseStatusEvalEndData":
		pr := p.product()
		if t, ok := parseDate(v); ok {
			pr.EvaluationEnd = &t
		} else {
			pr.ExpiresText = v
		}
	case "L_MsgNotificationErrorReasonNonGenuine", "L_MsgNotificationErrorReasonExpiration", "L_MsgNotificationErrorReasonOther":
		if c, ok := hresult("0x" + vals[0]); ok {
			p.product().StatusReason = c
		}
	case "L_MsgRemainingWindowsRearmCount":
		p.res.WindowsRearm = atoi(vals[0])
	case "L_MsgRemainingSkuRearmCount":
		p.product().RemainingSKURearm = atoi(vals[0])
	case "L_MsgTrustedTime":
		p.res.TrustedTime = v
	case "L_MsgKmsInfo":
		p.inKMS = true
		p.kms()
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
		p.kms().ActivationInterval = atoi(vals[0])
	case "L_MsgRenewalInterval":
		p.kms().RenewalInterval = atoi(vals[0])
	case "L_MsgKmsHostCachingEnabled", "L_MsgKmsHostCachingDisabled":
		b := key == "L_MsgKmsHostCachingEnabled"
		p.kms().HostCaching = &b
	case "L_MsgKmsEnabled":
		p.kms().IsHost = true
	case "L_MsgKmsCurrentCount":
		p.kms().HostCurrentCount = atoi(v)
	case "L_MsgVLActivationTypeAll", "L_MsgVLActivationTypeAD", "L_MsgVLActivationTypeKMS", "L_MsgVLActivationTypeToken":
		n := map[string]int{"L_MsgVLActivationTypeAll": 0, "L_MsgVLActivationTypeAD": 1, "L_MsgVLActivationTypeKMS": 2, "L_MsgVLActivationTypeToken": 3}[key]
		p.product().VLActivationType = &n
	}
	// Everything else recognized (URLs, KMS host counters, notices) is
	// known and carries nothing the model keeps.
}

// byShape reads a line whose label is in an unknown language by the shape
// of its value, in slmgr's fixed line order (DOMAIN.md): GUIDs, extended
// PIDs, 5-character partial keys, minute/day counts, HRESULTs, channel
// descriptions.
func (p *slmgrParser) byShape(t string) bool {
	_, v, ok := strings.Cut(t, ":")
	if !ok {
		if _, v, ok = strings.Cut(t, "："); !ok {
			return false
		}
	}
	v = strings.TrimSpace(v)
	pr := p.cur
	switch {
	case v == "":
		return false
	case licensing.DescriptionToken(v) != "" && pr != nil && pr.Description == "":
		pr.Description = v
	case pr == nil || strings.Contains(strings.ToLower(v), "edition") && pr.Description != "":
		p.newProduct(v)
	case guidRe.MatchString(v):
		if p.guids == 0 && pr.SKUID == "" {
			pr.SKUID = strings.ToLower(strings.Trim(v, "{}"))
		} else if pr.ApplicationID == "" {
			pr.ApplicationID = strings.ToLower(strings.Trim(v, "{}"))
		} else if pr.KMS == nil || pr.KMS.ClientMachineID == "" {
			p.kms().ClientMachineID = v
		}
		p.guids++
	case epidRe.MatchString(v):
		if pr.ExtendedPID == "" {
			pr.ExtendedPID = v
		} else {
			p.kms().HostExtendedPID = v
		}
	case pkeyRe.MatchString(v) && pr.PartialKey == "":
		pr.PartialKey = v
	case minutesRe.MatchString(v) && pr.GraceMinutes == nil:
		pr.GraceMinutes = atoi(v)
	case hresultRe.MatchString(v):
		if c, ok := hresult(v); ok {
			pr.StatusReason = c
		}
	default:
		return false
	}
	return true
}

// finishProduct derives kind and channel and lists what could not be read.
func finishProduct(res *Result, i int, pr *licensing.Product) {
	pr.Kind = licensing.KindOf(pr.ApplicationID, pr.Name)
	if pr.ChannelRaw != "" {
		pr.Channel = licensing.ChannelFromProductKeyChannel(pr.ChannelRaw)
	}
	if pr.Channel == licensing.ChannelUnknown || pr.Channel == licensing.ChannelOEMCOA || pr.Channel == "" {
		if c := licensing.ChannelFromDescription(pr.Description); c != licensing.ChannelUnknown {
			pr.Channel = c
			if pr.ChannelRaw == "" {
				pr.ChannelRaw = licensing.DescriptionToken(pr.Description)
			}
		}
	}
	if pr.Channel == "" {
		pr.Channel = licensing.ChannelUnknown
	}
	if r, ok := licensing.LookupReason(pr.StatusReason); ok && pr.ReasonText == "" {
		pr.ReasonText = r.English
	}
	label := fmt.Sprintf("product %d (%s)", i+1, pr.Name)
	if res.Format == FormatXpr {
		if pr.StatusRaw == "" {
			res.Unread = append(res.Unread, label+": license status")
		}
		return
	}
	if pr.Status == licensing.StatusUnknown && pr.StatusRaw == "" {
		res.Unread = append(res.Unread, label+": license status")
	}
	if pr.Channel == licensing.ChannelUnknown {
		res.Unread = append(res.Unread, label+": channel")
	}
	if pr.PartialKey == "" {
		res.Unread = append(res.Unread, label+": partial product key")
	}
}
