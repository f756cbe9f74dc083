package slmgr

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// english holds the resource strings slmgr.vbs uses for /dli, /dlv and
// /xpr, with the English defaults built into the script. A localized
// Windows reads the same keys from %SystemRoot%\System32\slmgr\<LANGID>\
// slmgr.ini; parsing by key lets one parser read every language.
var english = map[string]string{
	"L_MsgServiceVersion":       "Software licensing service version: ",
	"L_MsgProductName":          "Name: ",
	"L_MsgProductDesc":          "Description: ",
	"L_MsgActID":                "Activation ID: ",
	"L_MsgAppID":                "Application ID: ",
	"L_MsgPID4":                 "Extended PID: ",
	"L_MsgChannel":              "Product Key Channel: ",
	"L_MsgInstallationID":       "Installation ID: ",
	"L_MsgProcessorCertUrl":     "Processor Certificate URL: ",
	"L_MsgMachineCertUrl":       "Machine Certificate URL: ",
	"L_MsgUseLicenseCertUrl":    "Use License URL: ",
	"L_MsgPKeyCertUrl":          "Product Key Certificate URL: ",
	"L_MsgValidationUrl":        "Validation URL: ",
	"L_MsgPartialPKey":          "Partial Product Key: ",
	"L_MsgErrorLicenseNotInUse": "This license is not in use.",

	"L_MsgLicenseStatusUnlicensed_1":      "License Status: Unlicensed",
	"L_MsgLicenseStatusLicensed_1":        "License Status: Licensed",
	"L_MsgLicenseStatusInitialGrace_1":    "License Status: Initial grace period",
	"L_MsgLicenseStatusAdditionalGrace_1": "License Status: Additional grace period (KMS license expired or hardware out of tolerance)",
	"L_MsgLicenseStatusNonGenuineGrace_1": "License Status: Non-genuine grace period.",
	"L_MsgLicenseStatusNotification_1":    "License Status: Notification",
	"L_MsgLicenseStatusExtendedGrace_1":   "License Status: Extended grace period",
	"L_MsgLicenseStatusUnknown":           "License Status: Unknown",
	"L_MsgLicenseStatusVL_1":              "Volume activation expiration: %MINUTE% minute(s) (%DAY% day(s))",
	"L_MsgLicenseStatusTBL_1":             "Timebased activation expiration: %MINUTE% minute(s) (%DAY% day(s))",
	"L_MsgLicenseStatusAVMA_1":            "Automatic VM activation expiration: %MINUTE% minute(s) (%DAY% day(s))",
	"L_MsgLicenseStatusTimeRemaining":     "Time remaining: %MINUTE% minute(s) (%DAY% day(s))",
	"L_MsgLicenseStatusEvalEndData":       "Evaluation End Date: ",

	"L_MsgNotificationErrorReasonNonGenuine": "Notification Reason: 0x%ERRCODE% (non-genuine).",
	"L_MsgNotificationErrorReasonExpiration": "Notification Reason: 0x%ERRCODE% (grace time expired).",
	"L_MsgNotificationErrorReasonOther":      "Notification Reason: 0x%ERRCODE%.",

	"L_MsgRemainingWindowsRearmCount": "Remaining Windows rearm count: %COUNT%",
	"L_MsgRemainingSkuRearmCount":     "Remaining SKU rearm count: %COUNT%",
	"L_MsgRemainingAppRearmCount":     "Remaining App rearm count: %COUNT%",
	// The key of slmgr.vbs (Windows 7 and 10 alike) and so of slmgr.ini.
	"L_MsgCurrentTrustedTime": "Trusted time: ",

	"L_MsgKmsInfo":                      "Key Management Service client information",
	"L_MsgCmid":                         "Client Machine ID (CMID): ",
	"L_MsgRegisteredKmsName":            "Registered KMS machine name: ",
	"L_MsgKmsLookupDomain":              "Registered KMS SRV record lookup domain: ",
	"L_MsgKmsFromDnsUnavailable":        "DNS auto-discovery: KMS name not available",
	"L_MsgKmsFromDns":                   "KMS machine name from DNS: ",
	"L_MsgKmsIpAddress":                 "KMS machine IP address: ",
	"L_MsgKmsIpAddressUnavailable":      "KMS machine IP address: not available",
	"L_MsgKmsPID4":                      "KMS machine extended PID: ",
	"L_MsgActivationInterval":           "Activation interval: %INTERVAL% minutes",
	"L_MsgRenewalInterval":              "Renewal interval: %INTERVAL% minutes",
	"L_MsgKmsHostCachingDisabled":       "KMS host caching is disabled",
	"L_MsgKmsHostCachingEnabled":        "KMS host caching is enabled",
	"L_MsgKmsEnabled":                   "Key Management Service is enabled on this machine",
	"L_MsgKmsCurrentCount":              "Current count: ",
	"L_MsgKmsListeningOnPort":           "Listening on Port: ",
	"L_MsgKmsPriNormal":                 "KMS priority: Normal",
	"L_MsgKmsPriLow":                    "KMS priority: Low",
	"L_MsgKmsDnsPublishingDisabled":     "DNS publishing disabled",
	"L_MsgKmsDnsPublishingEnabled":      "DNS publishing enabled",
	"L_MsgVLActivationTypeAll":          "Configured Activation Type: All",
	"L_MsgVLActivationTypeAD":           "Configured Activation Type: AD",
	"L_MsgVLActivationTypeKMS":          "Configured Activation Type: KMS",
	"L_MsgVLActivationTypeToken":        "Configured Activation Type: Token",
	"L_MsgVLMostRecentActivationInfo":   "Most recent activation information:",
	"L_MsgPleaseActivateRefreshKMSInfo": "Please use slmgr.vbs /ato to activate and update KMS client information in order to update values.",
	"L_MsgKmsUseMachineNameOverrides":   "Warning: /skms setting overrides the /skms-domain setting. %KMS% will be used for activation.",

	// The other "Most recent activation information" blocks of a volume
	// client (Windows 8 and later; Token-based also on Windows 7):
	// slmgr.vbs DisplayADClientInformation, DisplayTkaClientInformation,
	// DisplayAVMAClientInformation. Their IDs and PIDs are the activation
	// object's, the token's or the host's, never the product's.
	"L_MsgADInfo":                "AD Activation client information",
	"L_MsgADInfoAOName":          "Activation Object name: ",
	"L_MsgADInfoAODN":            "AO DN: ",
	"L_MsgADInfoExtendedPid":     "AO extended PID: ",
	"L_MsgADInfoActID":           "AO activation ID: ",
	"L_MsgTkaInfo":               "Token-based Activation information",
	"L_MsgTkaInfoAdditionalInfo": "Additional Information: %MOREINFO%",
	"L_MsgTkaInfoILID":           "License ID (ILID): %ILID%",
	"L_MsgTkaInfoILVID":          "Version ID (ILvID): %ILVID%",
	"L_MsgTkaInfoGrantNo":        "Grant Number: %GRANTNO%",
	"L_MsgTkaInfoThumbprint":     "Certificate Thumbprint: %THUMBPRINT%",
	"L_MsgAVMAID":                "Guest IAID: ",
	"L_MsgAVMAInfo":              "Automatic VM Activation client information",
	"L_MsgAVMAHostMachineName":   "Host machine name: ",
	"L_MsgAVMALastActTime":       "Activation time: ",
	"L_MsgAVMAHostPid2":          "Host Digital PID2: ",

	// OutputIndeterminateOperationWarning, before a product's block when
	// slmgr cannot tell the primary Windows SKU.
	"L_MsgUndeterminedPrimaryKeyOperation": "Warning: This operation may affect more than one target license.  Please verify the results.",
	"L_MsgUndeterminedOperationFormat":     "Processing the license for %PRODUCTDESCRIPTION% (%PRODUCTID%).",

	"L_MsgKmsCumulativeRequestsFromClients":             "Key Management Service cumulative requests received from clients",
	"L_MsgKmsTotalRequestsRecieved":                     "Total requests received: ",
	"L_MsgKmsFailedRequestsReceived":                    "Failed requests received: ",
	"L_MsgKmsRequestsWithStatusUnlicensed":              "Requests with License Status Unlicensed: ",
	"L_MsgKmsRequestsWithStatusLicensed":                "Requests with License Status Licensed: ",
	"L_MsgKmsRequestsWithStatusInitialGrace":            "Requests with License Status Initial grace period: ",
	"L_MsgKmsRequestsWithStatusLicenseExpiredOrHwidOot": "Requests with License Status License expired or Hardware out of tolerance: ",
	"L_MsgKmsRequestsWithStatusNonGenuineGrace":         "Requests with License Status Non-genuine grace period: ",
	"L_MsgKmsRequestsWithStatusNotification":            "Requests with License Status Notification: ",

	// /ato (slmgr.vbs ActivateProduct, DisplayActivatedStatus, ShowError:
	// an error prints L_MsgErrorText_8, the HRESULT and its text).
	"L_MsgActivating":       "Activating %PRODUCTNAME% (%PRODUCTID%) ...",
	"L_MsgActivated":        "Product activated successfully.",
	"L_MsgActivated_Failed": "Error: Product activation failed.",
	"L_MsgErrorText_8":      "Error: ",
	// After "Error: ", for the status /ato left (DisplayActivatedStatus):
	// 4, non-genuine grace; 5 with reason 0xC004F200, non-genuine.
	"L_MsgErrorText_11":         "The machine is running within the non-genuine grace period. Run 'slui.exe' to go online and make the machine genuine.",
	"L_MsgErrorText_12":         "Windows is running within the non-genuine notification period. Run 'slui.exe' to go online and validate Windows.",
	"L_MsgErrorProductNotFound": "Error: product not found.",
	"L_MsgErrorPKey":            "Error: product key not found.",

	// /xpr
	"L_MsgLicenseStatusUnlicensed":      "Unlicensed",
	"L_MsgLicenseStatusVL":              "Volume activation will expire %ENDDATE%",
	"L_MsgLicenseStatusTBL":             "Timebased activation will expire %ENDDATE%",
	"L_MsgLicenseStatusAVMA":            "Automatic VM activation will expire %ENDDATE%",
	"L_MsgLicenseStatusLicensed":        "The machine is permanently activated.",
	"L_MsgLicenseStatusInitialGrace":    "Initial grace period ends %ENDDATE%",
	"L_MsgLicenseStatusAdditionalGrace": "Additional grace period ends %ENDDATE%",
	"L_MsgLicenseStatusNonGenuineGrace": "Non-genuine grace period ends %ENDDATE%",
	"L_MsgLicenseStatusNotification":    "Windows is in Notification mode",
	"L_MsgLicenseStatusExtendedGrace":   "Extended grace period ends %ENDDATE%",
}

// xprKeys are the /xpr status lines.
var xprKeys = map[string]bool{
	"L_MsgLicenseStatusUnlicensed": true, "L_MsgLicenseStatusVL": true, "L_MsgLicenseStatusTBL": true,
	"L_MsgLicenseStatusAVMA": true, "L_MsgLicenseStatusLicensed": true, "L_MsgLicenseStatusInitialGrace": true,
	"L_MsgLicenseStatusAdditionalGrace": true, "L_MsgLicenseStatusNonGenuineGrace": true,
	"L_MsgLicenseStatusNotification": true, "L_MsgLicenseStatusExtendedGrace": true,
}

// ErrNotStrings is returned by ParseStrings for a file with no resource
// string in it.
var ErrNotStrings = errors.New("slmgr: no slmgr.ini resource strings found")

// Strings is one language's slmgr.vbs resource strings, by key.
type Strings struct {
	Lang string            // e.g. "0411", or "en" for the built-in defaults
	M    map[string]string // key -> text with %PLACEHOLDERS%
}

// English returns the defaults built into slmgr.vbs.
func English() *Strings {
	m := make(map[string]string, len(english))
	for k, v := range english {
		m[k] = v
	}
	return &Strings{Lang: "en", M: m}
}

// englishKey maps a key in lower case to its spelling in the script.
var englishKey = func() map[string]string {
	m := make(map[string]string, len(english))
	for k := range english {
		m[strings.ToLower(k)] = k
	}
	return m
}()

var iniLine = regexp.MustCompile(`^\s*([Ll]_[A-Za-z0-9_]+)\s*=\s*(.*?)\s*$`)

// ParseStrings reads an slmgr.ini in any encoding Decode detects. Lines are
// KEY=VALUE or KEY="VALUE", the key in any case as slmgr.vbs reads it;
// sections and comments are skipped. It returns
// ErrNotStrings if no line has the shape.
//
// It reads a file as Parse reads a text: its first maxLines lines, a
// run of blank lines counted as one, and none longer than maxLine: a
// resource string is a line of a few hundred bytes at most, and
// slmgr.vbs has a few hundred of them. One given to import-text is read
// as it comes, and each of its strings becomes a pattern that lines of
// the text are matched against: split whole, 4 MiB of blank lines cost
// 17 times that in string headers, 4 MiB of keys gave 0.3 Mi patterns,
// and a line of 4 MiB one pattern of that size.
func ParseStrings(data []byte, lang string) (*Strings, error) {
	text, _ := Decode(data)
	s := &Strings{Lang: lang, M: map[string]string{}}
	lines, _ := splitLines(text)
	for _, l := range lines {
		if len(l.Text) > maxLine {
			continue
		}
		m := iniLine.FindStringSubmatch(l.Text)
		if m == nil {
			continue
		}
		v := m[2]
		if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
			v = v[1 : len(v)-1]
		}
		key := m[1]
		if k, ok := englishKey[strings.ToLower(key)]; ok {
			// slmgr.vbs looks keys up in lower case (GetResource,
			// ReadResources): any spelling of a key is that key.
			key = k
		}
		s.M[key] = v
	}
	if len(s.M) == 0 {
		return nil, fmt.Errorf("%w (%s)", ErrNotStrings, lang)
	}
	return s, nil
}

// matcher recognizes one resource string in a line.
type matcher struct {
	key     string
	re      *regexp.Regexp
	literal int  // length of fixed text, to prefer the most specific match
	label   bool // a "Label: value" string: the value is the rest of the line
}

var placeholder = regexp.MustCompile(`%[A-Za-z]+%`)

// maxPlaceholders is the most placeholders a resource string may hold to
// be compiled: slmgr.vbs's strings hold at most two ("Error 0x%ERRCODE%
// occurred in connecting to server %COMPUTERNAME%."). Each is a group of
// the pattern, and matching a line costs time in the cube of their
// number: an slmgr.ini given to import-text is read as it comes.
const maxPlaceholders = 4

// colonRe lets an ASCII colon in a template match a fullwidth one and the
// other way round: both are seen in CJK output.
var colonRe = strings.NewReplacer(":", "[:：]", "：", "[:：]")

// compile turns a resource string into an anchored pattern: placeholders
// match any text, runs of spaces match any white space, a final "." is
// optional (hand-copied output drops it), and a string ending in ":" is a
// label whose value is the rest of the line. An empty string, or one of
// more than maxPlaceholders placeholders, gives none.
func compile(key, tmpl string) (matcher, bool) {
	t := strings.TrimSpace(tmpl)
	if t == "" || len(placeholder.FindAllStringIndex(t, maxPlaceholders+1)) > maxPlaceholders {
		return matcher{}, false
	}
	label := strings.HasSuffix(t, ":") || strings.HasSuffix(t, "：")
	var b strings.Builder
	b.WriteString(`(?i)^`)
	lit := 0
	rest := t
	for {
		loc := placeholder.FindStringIndex(rest)
		part := rest
		if loc != nil {
			part = rest[:loc[0]]
		}
		lit += len(part)
		if loc == nil && !label {
			part = strings.TrimSuffix(part, ".")
		}
		prev := ""
		for i, w := range strings.Fields(part) {
			if i > 0 {
				// After a colon the space is optional: localized
				// consoles and pastes write "信任时间:2020/2/27".
				if strings.HasSuffix(prev, ":") || strings.HasSuffix(prev, "：") {
					b.WriteString(`\s*`)
				} else {
					b.WriteString(`\s+`)
				}
			}
			b.WriteString(colonRe.Replace(regexp.QuoteMeta(w)))
			prev = w
		}
		if loc != nil && strings.HasSuffix(part, " ") {
			b.WriteString(`\s*`)
		}
		if loc == nil {
			break
		}
		b.WriteString(`(.+?)`)
		if loc[1] < len(rest) && rest[loc[1]] == ' ' {
			b.WriteString(`\s*`)
		}
		rest = rest[loc[1]:]
	}
	switch {
	case label:
		b.WriteString(`\s*(.*)$`)
	case strings.HasSuffix(t, "."):
		b.WriteString(`\.?$`)
	default:
		b.WriteString(`$`)
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return matcher{}, false
	}
	return matcher{key: key, re: re, literal: lit, label: label}, true
}

// matchers compiles every string of every set, most specific first.
func matchers(sets ...*Strings) []matcher {
	var ms []matcher
	for _, s := range sets {
		if s == nil {
			continue
		}
		for k, v := range s.M {
			if m, ok := compile(k, v); ok {
				ms = append(ms, m)
			}
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return before(ms[i], ms[j]) })
	return ms
}

func before(a, b matcher) bool {
	if a.literal != b.literal {
		return a.literal > b.literal
	}
	return a.key < b.key
}

// englishMatchers are compiled once: compiling slmgr's hundred strings
// cost more than parsing a whole text.
var englishMatchers = matchers(English())

// withEnglish returns the matchers of sets followed, in the same order
// matchers would give, by English's: a set's string comes before
// English's for the same key.
func withEnglish(sets []*Strings) []matcher {
	own := matchers(sets...)
	out := make([]matcher, 0, len(own)+len(englishMatchers))
	i, j := 0, 0
	for i < len(own) || j < len(englishMatchers) {
		if j == len(englishMatchers) || i < len(own) && !before(englishMatchers[j], own[i]) {
			out = append(out, own[i])
			i++
		} else {
			out = append(out, englishMatchers[j])
			j++
		}
	}
	return out
}

// match returns the key and captured values of the first matcher that
// accepts line.
func match(ms []matcher, line string) (key string, vals []string, ok bool) {
	l := strings.TrimSpace(line)
	for _, m := range ms {
		if v := m.re.FindStringSubmatch(l); v != nil {
			return m.key, v[1:], true
		}
	}
	return "", nil, false
}
