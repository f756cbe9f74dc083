package slmgr

import (
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// merge joins the blocks that describe one SKU: ospp /act then /dstatus,
// slmgr /ato then /dlv, or one block pasted twice. Two blocks are one SKU
// when their SKU IDs are equal, or, without two real SKU IDs, when their
// names are equal (ignoring case) and neither their partial keys, their
// descriptions nor their SKU IDs differ. Blocks without a name or SKU ID
// (fragments) are never merged. Empty blocks are dropped. Each field keeps
// its most informative value (see mergeInto).
func merge(ps []licensing.Product, ms []meta, notes *[]string) ([]licensing.Product, []meta) {
	var out []licensing.Product
	var om []meta
	merged := 0
next:
	for i, p := range ps {
		if empty(p) {
			continue
		}
		for j := range out {
			if sameSKU(out[j], om[j], p, ms[i]) {
				mergeInto(&out[j], &om[j], p, ms[i])
				merged++
				continue next
			}
		}
		out = append(out, p)
		om = append(om, ms[i])
	}
	if merged > 0 {
		*notes = append(*notes, fmt.Sprintf("merged %d block(s) describing a SKU already read", merged))
	}
	if out == nil {
		out = []licensing.Product{}
	}
	return out, om
}

func empty(p licensing.Product) bool {
	return p.Name == "" && p.SKUID == "" && p.Description == "" && p.PartialKey == "" && p.ExtendedPID == "" &&
		p.Status == licensing.StatusUnknown && p.StatusRaw == "" && p.StatusReason == 0 && p.GraceMinutes == nil &&
		p.KMS == nil && p.ChannelRaw == "" && p.ExpiresText == ""
}

func sameSKU(a licensing.Product, am meta, b licensing.Product, bm meta) bool {
	if am.notInUse != bm.notInUse {
		return false
	}
	ra, rb := realGUID(a.SKUID), realGUID(b.SKUID)
	if ra && rb {
		return strings.EqualFold(a.SKUID, b.SKUID)
	}
	if a.Name == "" || b.Name == "" || !strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(b.Name)) {
		return false
	}
	differ := func(x, y string) bool {
		x, y = strings.Join(strings.Fields(x), " "), strings.Join(strings.Fields(y), " ")
		return x != "" && y != "" && !strings.EqualFold(x, y)
	}
	return !differ(a.PartialKey, b.PartialKey) && !differ(a.Description, b.Description) && !(ra && rb)
}

// mergeInto folds b (later in the text) into a. A value beats an empty or
// masked one; a known status beats an unknown one, and the later known
// status wins (the text runs in time order: /act after /dstatus is the
// newer state). Of two HRESULTs a failure beats an informational one, and
// an activation failure beats a status reason: it says why the SKU is not
// activated (0xC004C020: the MAK has no activations left).
func mergeInto(a *licensing.Product, am *meta, b licensing.Product, bm meta) {
	str := func(dst *string, v string) {
		if v != "" && (*dst == "" || masked(*dst) && !masked(v)) {
			*dst = v
		}
	}
	str(&a.Name, b.Name)
	str(&a.SKUID, b.SKUID)
	str(&a.ApplicationID, b.ApplicationID)
	str(&a.Description, b.Description)
	str(&a.ChannelRaw, b.ChannelRaw)
	str(&a.PartialKey, b.PartialKey)
	str(&a.ExtendedPID, b.ExtendedPID)
	str(&a.OfflineInstallationID, b.OfflineInstallationID)
	str(&a.ADActivation, b.ADActivation)
	str(&a.ExpiresText, b.ExpiresText)
	a.IsAddon = a.IsAddon || b.IsAddon
	if b.Status != licensing.StatusUnknown {
		a.Status, a.StatusRaw = b.Status, b.StatusRaw
	} else if a.StatusRaw == "" {
		a.StatusRaw = b.StatusRaw
	}
	if reasonRank(b.StatusReason, bm) >= reasonRank(a.StatusReason, *am) && b.StatusReason != 0 {
		a.StatusReason, a.ReasonText = b.StatusReason, b.ReasonText
	}
	if b.GraceMinutes != nil {
		a.GraceMinutes = b.GraceMinutes
	}
	if a.EvaluationEnd == nil {
		a.EvaluationEnd = b.EvaluationEnd
	}
	if a.Expires == nil {
		a.Expires = b.Expires
	}
	if a.VLActivationType == nil {
		a.VLActivationType = b.VLActivationType
	}
	if a.VLActivationTypeEnabled == nil {
		a.VLActivationTypeEnabled = b.VLActivationTypeEnabled
	}
	if a.RemainingSKURearm == nil {
		a.RemainingSKURearm = b.RemainingSKURearm
	}
	a.KMS = mergeKMS(a.KMS, b.KMS)
	am.activation = am.activation || bm.activation
	am.ospp = am.ospp || bm.ospp
	am.xpr = am.xpr && bm.xpr
	if am.channel == "" {
		am.channel = bm.channel
	}
}

func reasonRank(code uint32, m meta) int {
	switch {
	case code == 0:
		return 0
	case licensing.Informational(code):
		return 1
	case m.activation:
		return 3
	}
	return 2
}

// masked reports a value a publisher hid: only x, *, @, # and separators.
func masked(s string) bool {
	return strings.Trim(strings.ToLower(s), "x*@#-. ") == ""
}

func mergeKMS(a, b *licensing.KMS) *licensing.KMS {
	if a == nil {
		return b
	}
	if b == nil {
		return a
	}
	c := *a
	str := func(dst *string, v string) {
		if *dst == "" {
			*dst = v
		}
	}
	num := func(dst *int, v int) {
		if *dst == 0 {
			*dst = v
		}
	}
	str(&c.ConfiguredHost, b.ConfiguredHost)
	num(&c.ConfiguredPort, b.ConfiguredPort)
	str(&c.LookupDomain, b.LookupDomain)
	str(&c.DiscoveredHost, b.DiscoveredHost)
	num(&c.DiscoveredPort, b.DiscoveredPort)
	str(&c.DiscoveredIP, b.DiscoveredIP)
	str(&c.HostExtendedPID, b.HostExtendedPID)
	str(&c.ClientMachineID, b.ClientMachineID)
	if c.ActivationInterval == nil {
		c.ActivationInterval = b.ActivationInterval
	}
	if c.RenewalInterval == nil {
		c.RenewalInterval = b.RenewalInterval
	}
	if c.HostCaching == nil {
		c.HostCaching = b.HostCaching
	}
	if c.HostCurrentCount == nil {
		c.HostCurrentCount = b.HostCurrentCount
	}
	c.IsHost = c.IsHost || b.IsHost
	return &c
}
