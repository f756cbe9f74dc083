package licensing

import (
	"strings"
	"time"
	"unicode/utf8"
)

// ApplicationIDs of the licensing platforms (DOMAIN.md). Public code exists
// that swaps the two Office ones; tests pin them.
const (
	AppWindows  = "55c92734-d682-4d71-983e-d6ec3f16059f"
	AppOffice14 = "59a52881-a989-479d-af46-f275c6370663" // Office 2010 (OSPP)
	AppOffice15 = "0ff1ce15-a989-479d-af46-f275c6370663" // Office 2013 and later
)

// Kind is what a licensed product is.
type Kind string

const (
	KindWindows Kind = "windows"
	KindOffice  Kind = "office"
	KindOther   Kind = "other"
)

// officeTail is the part that the Office ApplicationIDs share: Office 2010
// is 59a52881-…, Office 2013 and later 0ff1ce15-… (DOMAIN.md). It marks
// the Office family when the first group is masked or new.
const officeTail = "-a989-479d-af46-f275c6370663"

// KindOf returns the kind for an ApplicationID, falling back to the product
// name when the ID is absent (slmgr /dli prints none) or masked in a paste.
// An Office ID is known by its family (the shared tail, or the 0ff1ce15
// group of Office 2013 and later), a masked ID by its unmasked characters,
// and an Office name by "Office" anywhere in it ("Microsoft Office 2010,
// KMSHost edition" is a KMS host license pack).
func KindOf(applicationID, name string) Kind {
	id := strings.ToLower(strings.Trim(applicationID, "{} "))
	switch id {
	case AppWindows:
		return KindWindows
	case AppOffice14, AppOffice15:
		return KindOffice
	}
	if IsGUID(id) {
		if strings.HasSuffix(id, officeTail) || strings.HasPrefix(id, "0ff1ce15-") {
			return KindOffice
		}
		return KindOther // a real ApplicationID of another platform
	}
	if k, ok := maskedKind(id); ok {
		return k
	}
	n := strings.ToLower(strings.TrimSpace(name))
	switch {
	case strings.HasPrefix(n, "windows"), strings.HasPrefix(n, "microsoft windows"):
		return KindWindows
	case strings.Contains(n, "office"):
		return KindOffice
	}
	return KindOther
}

// IsGUID reports whether s is a GUID, 8-4-4-4-12 hex digits in any
// case, as WMI writes Application and Activation IDs.
func IsGUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// maskedKind matches an ApplicationID whose publisher masked part of it
// ("0ff1ce15-xxxx-…", "XXXXXXXX-a989-…", Microsoft's own
// "59a52881-a989-479d-xxxx-xxxxxxxxxx") against the known IDs, group by
// group: a group of mask characters (of any length) is skipped, any other
// must equal the known group, character by character where the publisher
// masked some. At least eight hex digits must be left to compare; nothing
// is guessed from a full mask.
func maskedKind(id string) (Kind, bool) {
	groups := strings.Split(id, "-")
	if len(groups) != 5 {
		return "", false
	}
	known := []struct {
		id   string
		kind Kind
	}{{AppWindows, KindWindows}, {AppOffice14, KindOffice}, {AppOffice15, KindOffice}}
	isMask := func(c byte) bool { return strings.IndexByte("x*#@?._", c) >= 0 }
	var found Kind
	for _, k := range known {
		kg := strings.Split(k.id, "-")
		same, ok := 0, true
		for i := 0; i < 5 && ok; i++ {
			g := groups[i]
			if strings.Trim(g, "x*#@?._") == "" {
				continue
			}
			if len(g) != len(kg[i]) {
				ok = false
				break
			}
			for j := 0; j < len(g); j++ {
				switch {
				case g[j] == kg[i][j]:
					same++
				case isMask(g[j]):
				default:
					ok = false
				}
			}
		}
		if ok && same >= 8 {
			if found != "" && found != k.kind {
				return "", false
			}
			found = k.kind
		}
	}
	return found, found != ""
}

// Status is the normalized license status.
type Status string

// Statuses in the order of SoftwareLicensingProduct.LicenseStatus 0..6
// (DOMAIN.md "Reading the state").
const (
	StatusUnlicensed      Status = "unlicensed"
	StatusLicensed        Status = "licensed"
	StatusOOBGrace        Status = "oob-grace"
	StatusOOTGrace        Status = "oot-grace"
	StatusNonGenuineGrace Status = "non-genuine-grace"
	StatusNotification    Status = "notification"
	StatusExtendedGrace   Status = "extended-grace"
	StatusUnknown         Status = "unknown"
)

var statusByNumber = []Status{StatusUnlicensed, StatusLicensed, StatusOOBGrace, StatusOOTGrace,
	StatusNonGenuineGrace, StatusNotification, StatusExtendedGrace}

// StatusFromNumber maps LicenseStatus to a Status; an unknown number is
// StatusUnknown.
func StatusFromNumber(n int) Status {
	if n >= 0 && n < len(statusByNumber) {
		return statusByNumber[n]
	}
	return StatusUnknown
}

// Number returns the LicenseStatus number of s, or -1 for StatusUnknown.
func (s Status) Number() int {
	for i, v := range statusByNumber {
		if v == s {
			return i
		}
	}
	return -1
}

// InGrace reports whether s is any grace or notification state: the product
// is not (or no longer) activated.
func (s Status) InGrace() bool {
	switch s {
	case StatusOOBGrace, StatusOOTGrace, StatusNonGenuineGrace, StatusNotification, StatusExtendedGrace:
		return true
	}
	return false
}

// Channel is the normalized product key channel.
type Channel string

const (
	ChannelRetail    Channel = "Retail"
	ChannelOEMDM     Channel = "OEM:DM"
	ChannelOEMSLP    Channel = "OEM:SLP"
	ChannelOEMNonSLP Channel = "OEM:NONSLP"
	ChannelOEMCOA    Channel = "OEM:COA" // ProductKeyChannel without SLP/NSLP detail
	ChannelCOASLP    Channel = "OEM:COA_SLP"
	ChannelCOANSLP   Channel = "OEM:COA_NSLP"
	ChannelMAK       Channel = "Volume:MAK"
	ChannelGVLK      Channel = "Volume:GVLK"
	ChannelCSVLK     Channel = "Volume:CSVLK"
	ChannelAVMA      Channel = "AVMA"
	ChannelEval      Channel = "Eval"
	ChannelUnknown   Channel = "unknown"
)

// ChannelFromProductKeyChannel maps SoftwareLicensingProduct.ProductKeyChannel
// (Windows 8 and later) to a Channel. Values seen are listed in DOMAIN.md;
// any other value is ChannelUnknown, never a guess.
func ChannelFromProductKeyChannel(v string) Channel {
	// Case is not significant: pastes and localized consoles change it.
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "retail":
		return ChannelRetail
	case "retail:tb:eval":
		return ChannelEval
	case "oem:dm":
		return ChannelOEMDM
	case "oem:slp":
		return ChannelOEMSLP
	case "oem:coa":
		return ChannelOEMCOA
	case "oem:nonslp":
		return ChannelOEMNonSLP
	case "volume:gvlk":
		return ChannelGVLK
	case "volume:mak":
		return ChannelMAK
	case "volume:csvlk":
		return ChannelCSVLK
	}
	return ChannelUnknown
}

// DescriptionToken returns the channel token of a product Description: the
// text between the last comma and " channel", as slmgr.vbs itself reads it
// (DOMAIN.md "Channel"). It returns "" if the description has no token.
func DescriptionToken(desc string) string {
	d := strings.TrimSpace(desc)
	i := strings.LastIndex(d, ",")
	if i < 0 {
		return ""
	}
	tok := strings.TrimSpace(d[i+1:])
	tok = strings.TrimSuffix(tok, ".")
	if !strings.HasSuffix(strings.ToLower(tok), " channel") {
		return ""
	}
	tok = strings.TrimSpace(tok[:len(tok)-len(" channel")])
	// Pastes from markdown escape underscores; one sample also shows
	// "OOB_ GRACE"-style spaces after underscores.
	tok = strings.ReplaceAll(tok, `\_`, "_")
	tok = strings.ReplaceAll(tok, "_ ", "_")
	return tok
}

// ChannelFromDescription maps a Description's channel token to a Channel,
// the only source of the channel on Windows 7 and in OSPP.
func ChannelFromDescription(desc string) Channel {
	return ChannelFromToken(DescriptionToken(desc))
}

// ChannelFromToken maps a description channel token ("VOLUME_KMSCLIENT")
// to a Channel. Case is not significant and "-" or a space stands for "_":
// pastes write VOLUME-KMSCLIENT. Order matters: VOLUME_KMSCLIENT is tested
// before VOLUME_KMS, as slmgr.vbs does (IsKmsClient before IsKmsServer).
// An unknown token is ChannelUnknown.
func ChannelFromToken(token string) Channel {
	tok := strings.TrimSpace(token)
	// The token is read where it is (tokenHasPrefix), not upper-cased
	// and its separators replaced in two copies: slmgr reads the value
	// of every line shaped as a label as a token, and 4 MiB of lines
	// that begin "C:\" allocated 8 MiB here.
	switch {
	case tok == "":
		return ChannelUnknown
	case tokenHasPrefix(tok, "VOLUME_KMSCLIENT"):
		return ChannelGVLK
	case tokenHasPrefix(tok, "VOLUME_KMS"):
		return ChannelCSVLK
	case tokenHasPrefix(tok, "VOLUME_MAK"), tokenIs(tok, "RETAIL(MAK)"):
		// "RETAIL(MAK)" was seen once on Office16StandardVL_MAK (samples,
		// UNVERIFIED elsewhere); the SKU is a MAK SKU.
		return ChannelMAK
	case tokenHasPrefix(tok, "TIMEBASED_"):
		return ChannelEval
	case tokenHasPrefix(tok, "VIRTUAL_MACHINE_ACTIVATION"):
		return ChannelAVMA
	case tokenIs(tok, "OEM_DM"):
		return ChannelOEMDM
	case tokenIs(tok, "OEM_SLP"):
		return ChannelOEMSLP
	case tokenIs(tok, "OEM_COA_SLP"):
		return ChannelCOASLP
	case tokenIs(tok, "OEM_COA_NSLP"):
		return ChannelCOANSLP
	case tokenIs(tok, "OEM_NONSLP"):
		return ChannelOEMNonSLP
	case tokenHasPrefix(tok, "RETAIL"):
		return ChannelRetail // RETAIL, RETAIL(Grace)
	}
	return ChannelUnknown
}

// tokenHasPrefix reports whether tok, upper-cased and its separators
// spelled "_" (tokenByte), begins with want (upper case and "_").
func tokenHasPrefix(tok, want string) bool {
	_, ok := tokenPrefix(tok, want)
	return ok
}

// tokenIs reports whether tok, read as tokenHasPrefix reads it, is want.
func tokenIs(tok, want string) bool {
	n, ok := tokenPrefix(tok, want)
	return ok && n == len(tok)
}

// tokenPrefix returns the bytes of tok that make want, read a byte of
// want at a time (tokenByte), and whether they do.
func tokenPrefix(tok, want string) (int, bool) {
	i := 0
	for k := 0; k < len(want); k++ {
		if i == len(tok) {
			return i, false
		}
		b, n := tokenByte(tok[i:])
		if b != want[k] {
			return i, false
		}
		i += n
	}
	return i, true
}

// tokenByte returns the byte that s begins with, as a token compares it,
// and how many bytes of s it takes: a letter in upper case; "-", a
// space and the "\_" of a Markdown paste as "_" (pastes write
// VOLUME-KMSCLIENT); the dotless "ı" and the long "ſ" as "I" and "S",
// which strings.ToUpper made of them when the token was upper-cased
// first, so that no token reads otherwise than it did; 0 for any other
// character outside ASCII or a byte that is no UTF-8, which no channel
// token holds.
func tokenByte(s string) (byte, int) {
	switch c := s[0]; {
	case c == '\\' && len(s) > 1 && s[1] == '_':
		return '_', 2
	case c == '-' || c == ' ':
		return '_', 1
	case c >= 'a' && c <= 'z':
		return c - ('a' - 'A'), 1
	case c < utf8.RuneSelf:
		return c, 1
	}
	r, n := utf8.DecodeRuneInString(s)
	switch r {
	case 'ı':
		return 'I', n
	case 'ſ':
		return 'S', n
	}
	return 0, n
}

// Source names where a fact came from.
type Source string

const (
	SourceWMI      Source = "wmi"
	SourceSlmgr    Source = "slmgr"
	SourceOSPP     Source = "ospp"
	SourceFiles    Source = "files"
	SourceFlag     Source = "flag"     // given on the command line
	SourceConfig   Source = "config"   // the stick's config file
	SourceOperator Source = "operator" // typed by the engineer
	SourceText     Source = "text"     // saved text brought in by import-text
)

// Product is one installed licensed product: a SoftwareLicensingProduct or
// OfficeSoftwareProtectionProduct row with a key, or a block of slmgr/ospp
// text. Optional numbers are pointers: absent is not zero.
type Product struct {
	Kind          Kind    `json:"kind"`
	ApplicationID string  `json:"application_id,omitempty"`
	SKUID         string  `json:"sku_id,omitempty"` // Activation ID
	Name          string  `json:"name"`
	Description   string  `json:"description,omitempty"`
	Channel       Channel `json:"channel"`
	ChannelRaw    string  `json:"channel_raw,omitempty"` // ProductKeyChannel or the description token
	PartialKey    string  `json:"partial_key,omitempty"` // last 5 characters only, never the key
	ExtendedPID   string  `json:"extended_pid,omitempty"`
	IsAddon       bool    `json:"is_addon,omitempty"`
	// NotInUse marks a SKU that slmgr /dlv all printed as "This license is
	// not in use.": no product key is installed for it. Such rows are kept
	// only when a text holds nothing else, so that the device still gets
	// a verdict (nothing licensed); WMI's WHERE PartialProductKey IS NOT
	// NULL never returns them.
	NotInUse bool `json:"not_in_use,omitempty"`

	Status    Status `json:"license_status"`
	StatusRaw string `json:"license_status_raw,omitempty"` // number from WMI, or the text shown
	// StatusReason is the LicenseStatusReason HRESULT, e.g. 0xC004F074.
	StatusReason uint32 `json:"status_reason,omitempty"`
	ReasonText   string `json:"status_reason_text,omitempty"`

	GraceMinutes  *int       `json:"grace_minutes,omitempty"` // GracePeriodRemaining
	EvaluationEnd *time.Time `json:"evaluation_end,omitempty"`
	// ExpiresText is an expiry date as printed (slmgr /xpr, ospp), in the
	// machine's locale; Expires is set when it could be read unambiguously.
	ExpiresText string     `json:"expires_text,omitempty"`
	Expires     *time.Time `json:"expires,omitempty"`

	KMS *KMS `json:"kms,omitempty"`
	// ADActivation is the name of the activation object the product was
	// activated against (ADActivationObjectName); "" unless it was
	// activated by AD-based activation.
	ADActivation string `json:"ad_activation,omitempty"`
	// VLActivationType is the volume activation type USED for the
	// product's last activation (WMI VLActivationType, Windows 8+): 1 is
	// AD-based activation. slmgr.vbs and ospp.vbs print their AD block
	// exactly when it is 1 (slmgr.vbs IsADActivated; ospp.vbs "Check to
	// see if last activated via AD"), and print no other value of it: a
	// text gives 1 from that block, or nothing.
	VLActivationType *int `json:"vl_activation_type,omitempty"` // 0 all, 1 AD, 2 KMS, 3 token
	// VLActivationTypeEnabled is the volume activation type CONFIGURED
	// for the product, a policy (WMI VLActivationTypeEnabled, Windows 8+,
	// set by slmgr /act-type): slmgr's "Configured Activation Type",
	// ospp's "Activation Type Configuration". It says what the product
	// may use, not how it was activated.
	VLActivationTypeEnabled *int `json:"vl_activation_type_enabled,omitempty"` // 0 all, 1 AD, 2 KMS, 3 token
	// OfflineInstallationID is the Installation ID (IID) as WMI returned
	// it, read live: the request for a Confirmation ID. Its length is
	// kept as returned (63 digits from Windows 8; Windows 7 and Office
	// 2010 UNVERIFIED, DOMAIN.md "The return path").
	OfflineInstallationID string `json:"offline_installation_id,omitempty"`
	RemainingSKURearm     *int   `json:"remaining_sku_rearm,omitempty"`
	// Class is the licensing platform the product was read from, SPP or
	// OSPP: where its methods are called when a Confirmation ID comes
	// back. "" when unknown (saved text of an unknown kind).
	Class Class `json:"class,omitempty"`

	Source Source `json:"source"`
}

// Class is a licensing platform: the Software Protection Platform of
// Windows (SoftwareLicensingProduct / SoftwareLicensingService), or the
// Office Software Protection Platform of Office 2010, and of Office 2013
// and later on Windows 7 (OfficeSoftwareProtectionProduct / …Service).
// Both offer the same members for offline activation (DOMAIN.md "The
// return path").
type Class string

const (
	ClassSPP  Class = "SPP"
	ClassOSPP Class = "OSPP"
)

// ProductClass is the WMI class of c's products, "" for an unknown c.
func (c Class) ProductClass() string {
	switch c {
	case ClassSPP:
		return "SoftwareLicensingProduct"
	case ClassOSPP:
		return "OfficeSoftwareProtectionProduct"
	}
	return ""
}

// ServiceClass is the WMI class of c's service, "" for an unknown c.
func (c Class) ServiceClass() string {
	switch c {
	case ClassSPP:
		return "SoftwareLicensingService"
	case ClassOSPP:
		return "OfficeSoftwareProtectionService"
	}
	return ""
}

// KMS is the KMS client (or host) state of a volume product.
type KMS struct {
	ConfiguredHost     string `json:"configured_host,omitempty"` // KeyManagementServiceMachine
	ConfiguredPort     int    `json:"configured_port,omitempty"`
	LookupDomain       string `json:"lookup_domain,omitempty"`
	DiscoveredHost     string `json:"discovered_host,omitempty"` // from DNS
	DiscoveredPort     int    `json:"discovered_port,omitempty"`
	DiscoveredIP       string `json:"discovered_ip,omitempty"`
	HostExtendedPID    string `json:"host_extended_pid,omitempty"`
	ActivationInterval *int   `json:"activation_interval_minutes,omitempty"`
	RenewalInterval    *int   `json:"renewal_interval_minutes,omitempty"`
	HostCaching        *bool  `json:"host_caching,omitempty"`
	ClientMachineID    string `json:"cmid,omitempty"`
	IsHost             bool   `json:"is_host,omitempty"` // this machine is a KMS host
	HostCurrentCount   *int   `json:"host_current_count,omitempty"`
}

// HasHost reports whether a KMS host is configured or was discovered.
func (k *KMS) HasHost() bool {
	return k != nil && (k.ConfiguredHost != "" || k.DiscoveredHost != "")
}
