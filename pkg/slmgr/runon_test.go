package slmgr

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestRunOn: ospp /dstatus output whose line breaks a forum or blog ate
// (one line, or a few) is split back into lines before each label
// ospp.vbs prints at a line start, which no value of its output holds,
// and read; a value is never cut. slmgr's English output run on is
// split too (TestSlmgrRunOn).
func TestRunOn(t *testing.T) {
	jianshu, err := os.ReadFile(filepath.Join("testdata", "harvest", "ospp",
		"dstatus-zhcn-linebreaks-eaten-annotated-o15-proplusvl-licensed-o16-grace-notifications-jianshu.txt"))
	if err != nil {
		t.Fatal(err)
	}
	kms := "---Processing--------------------------" +
		"SKU ID: d450596f-894d-49e0-966a-fd39ed4c4c64" +
		"LICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition" +
		"LICENSE DESCRIPTION: Office 16, VOLUME_KMSCLIENT channel" +
		"BETA EXPIRATION: 01/01/1601" +
		"LICENSE STATUS:  ---LICENSED---" +
		"REMAINING GRACE: 179 days  (259193 minute(s) before expiring)" +
		"Last 5 characters of installed product key: WFG99" +
		"Activation Type Configuration: ALL" +
		"        DNS auto-discovery: KMS name not available" +
		"        KMS machine registry override defined: kms.factory.local:1688" +
		"        Activation Interval: 120 minutes" +
		"        Renewal Interval: 10080 minutes" +
		"        KMS host caching: Enabled" +
		"---------------------------------------" +
		"---------------------------------------" +
		"---Exiting-----------------------------"
	grace := "PRODUCT ID: 00339-10000-00000-AA123" +
		"SKU ID: 149dbce7-a48e-44db-8364-a53386cd4580" +
		"LICENSE NAME: Office 16, Office16ProPlusR_Grace edition" +
		"LICENSE DESCRIPTION: Office 16, RETAIL(Grace) channel" +
		"BETA EXPIRATION: 01/01/1601" +
		"LICENSE STATUS:  ---NOTIFICATIONS---" +
		"ERROR CODE: 0xC004F009" +
		"ERROR DESCRIPTION: The Software Licensing Service reported that the grace period expired." +
		"Last 5 characters of installed product key: BTDRB"
	tests := []classCase{
		{name: "harvested: jianshu, one line with the author's notes", text: string(jianshu), format: FormatOSPP,
			want: []wantProduct{
				{kind: licensing.KindOffice, name: "Office 15, OfficeProPlusVL_KMS_Client edition", channel: licensing.ChannelGVLK,
					status: licensing.StatusLicensed, key: "GVGXT", grace: mins(258131)},
				{kind: licensing.KindOffice, name: "Office 16, Office16ProPlusR_Grace edition", channel: licensing.ChannelRetail,
					status: licensing.StatusNotification, key: "BTDRB", reason: 0xC004F009},
			},
			check: func(t *testing.T, res *Result) {
				if k := res.Products[0].KMS; k == nil || k.ConfiguredHost != "10.3.0.2" || k.ConfiguredPort != 1688 {
					t.Errorf("kms: got %+v, want the override 10.3.0.2:1688", k)
				}
				if !containsString(res.Notes, "line 1 holds") {
					t.Errorf("notes %q, want one that says line 1 was split", res.Notes)
				}
			}},
		{name: "a KMS client, one line, the KMS lines joined by their indent", text: kms + "\n", format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, name: "Office 16, Office16ProPlusVL_KMS_Client edition", channel: licensing.ChannelGVLK,
				status: licensing.StatusLicensed, key: "WFG99", grace: mins(259193), sku: "d450596f-894d-49e0-966a-fd39ed4c4c64"}},
			check: func(t *testing.T, res *Result) {
				p := res.Products[0]
				if k := p.KMS; k == nil || k.ConfiguredHost != "kms.factory.local" || k.ConfiguredPort != 1688 ||
					k.ActivationInterval == nil || *k.ActivationInterval != 120 || k.RenewalInterval == nil || *k.RenewalInterval != 10080 ||
					k.HostCaching == nil || !*k.HostCaching {
					t.Errorf("kms: got %+v", k)
				}
				if len(res.Unknown) != 0 {
					t.Errorf("unknown lines %v", res.Unknown)
				}
			}},
		{name: "an error description runs to the next label, whole", text: "---Processing--------------------------\n" + grace + "\n---Exiting-----------------------------\n",
			format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, name: "Office 16, Office16ProPlusR_Grace edition", channel: licensing.ChannelRetail,
				status: licensing.StatusNotification, key: "BTDRB", reason: 0xC004F009}},
			check: func(t *testing.T, res *Result) {
				p := res.Products[0]
				if p.ExtendedPID != "00339-10000-00000-AA123" || p.ReasonText != "The Software Licensing Service reported that the grace period expired." {
					t.Errorf("got product ID %q, reason %q", p.ExtendedPID, p.ReasonText)
				}
			}},
		{name: "lines of a few products each, between whole lines", text: "Microsoft (R) Windows Script Host Version 5.812\nCopyright (C) Microsoft Corporation. All rights reserved.\n\n" +
			kms[:strings.Index(kms, "Activation Type")] + "\n" + kms[strings.Index(kms, "Activation Type"):strings.Index(kms, "Enabled")+len("Enabled")] + "\n" +
			"---------------------------------------\n" + grace + "\n---------------------------------------\n---Exiting-----------------------------\n",
			format: FormatOSPP,
			want: []wantProduct{
				{kind: licensing.KindOffice, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "WFG99", grace: mins(259193)},
				{kind: licensing.KindOffice, channel: licensing.ChannelRetail, status: licensing.StatusNotification, key: "BTDRB", reason: 0xC004F009},
			}},
		{name: "one label inside a line is not split", text: "---Processing--------------------------\n" +
			"LICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition\n" +
			"LICENSE STATUS:  ---LICENSED---\n" +
			"Last 5 characters of installed product key: WFG99\n" +
			"the LICENSE STATUS: line says it\n" +
			"---Exiting-----------------------------\n",
			format: FormatOSPP,
			want:   []wantProduct{{kind: licensing.KindOffice, status: licensing.StatusLicensed, key: "WFG99"}},
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 1 || res.Unknown[0].Text != "the LICENSE STATUS: line says it" {
					t.Errorf("got unknown %v, want the line whole", res.Unknown)
				}
			}},
		{name: "slmgr's labels in one line, ospp's in the next: both split and read", text: "Name: Windows(R), Professional editionDescription: Windows(R) Operating System, RETAIL channel" +
			"Partial Product Key: 3V66TLicense Status: Licensed\n" + kms + "\n",
			format: FormatMixed,
			want: []wantProduct{{kind: licensing.KindOffice, status: licensing.StatusLicensed, key: "WFG99"},
				{kind: licensing.KindWindows, channel: licensing.ChannelRetail, status: licensing.StatusLicensed, key: "3V66T"}},
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 0 || !containsString(res.Notes, "line 1 holds 4 lines of slmgr output") || !containsString(res.Notes, "line 2 holds") {
					t.Errorf("got unknown %v notes %q, want lines 1 and 2 split", res.Unknown, res.Notes)
				}
			}},
		{name: "ospp's output run on, then slmgr's after ---Exiting", text: kms + "Name: Windows(R), Professional edition" +
			"Partial Product Key: 3V66T License Status: Licensed\n",
			format: FormatMixed,
			want: []wantProduct{{kind: licensing.KindOffice, status: licensing.StatusLicensed, key: "WFG99"},
				{kind: licensing.KindWindows, status: licensing.StatusLicensed, key: "3V66T"}},
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 0 || !containsString(res.Notes, "of ospp and slmgr output") {
					t.Errorf("got unknown %v notes %q, want line 1 split at both", res.Unknown, res.Notes)
				}
			}},
	}
	// As runClassCases, without its test of names: Office16ProPlusR_Grace
	// is a license's name, not a grace line's.
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse([]byte(tc.text), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if res.Format != tc.format {
				t.Errorf("format: got %s, want %s", res.Format, tc.format)
			}
			if len(res.Products) != len(tc.want) {
				t.Fatalf("got %d products, want %d: %+v", len(res.Products), len(tc.want), res.Products)
			}
			for i, w := range tc.want {
				checkProduct(t, i, res.Products[i], w)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
		})
	}
}

// TestRunOnPoints pins where a line is split: before each of ospp's
// labels, before ---Processing and ---Exiting and before a separator's
// run of dashes; not inside a status token (---LICENSED---), nor
// before EXPIRATION: inside BETA EXPIRATION:, nor at a label the line
// begins with.
func TestRunOnPoints(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"LICENSE NAME: Office 15, OfficeProPlusVL_KMS_Client editionLICENSE STATUS:  ---LICENSED---",
			[]string{"LICENSE NAME: Office 15, OfficeProPlusVL_KMS_Client edition", "LICENSE STATUS:  ---LICENSED---"}},
		{"LICENSE STATUS: ---NOTIFICATIONS---ERROR CODE: 0xC004F009ERROR DESCRIPTION: The grace period expired.",
			[]string{"LICENSE STATUS: ---NOTIFICATIONS---", "ERROR CODE: 0xC004F009", "ERROR DESCRIPTION: The grace period expired."}},
		{"LICENSE DESCRIPTION: Office 15, VOLUME_KMSCLIENT channelBETA EXPIRATION: 1601/1/1LICENSE STATUS:  ---LICENSED---",
			[]string{"LICENSE DESCRIPTION: Office 15, VOLUME_KMSCLIENT channel", "BETA EXPIRATION: 1601/1/1", "LICENSE STATUS:  ---LICENSED---"}},
		{"LICENSE DESCRIPTION: Office 14, RETAIL channelEXPIRATION: 1601/1/1LICENSE STATUS:  ---LICENSED---",
			[]string{"LICENSE DESCRIPTION: Office 14, RETAIL channel", "EXPIRATION: 1601/1/1", "LICENSE STATUS:  ---LICENSED---"}},
		{"保留所有权利。---Processing-----------------------------------SKU ID: ？？？LICENSE NAME: x",
			[]string{"保留所有权利。", "---Processing-----------------------------------", "SKU ID: ？？？", "LICENSE NAME: x"}},
		{"KMS host caching: Enabled------------------------------------------PRODUCT ID: 1SKU ID: 2",
			[]string{"KMS host caching: Enabled", "------------------------------------------", "PRODUCT ID: 1", "SKU ID: 2"}},
		{"Last 5 characters of installed product key: BTDRB ---------------------------------------------Exiting-------",
			[]string{"Last 5 characters of installed product key: BTDRB ", "------------------------------------------", "---Exiting-------"}},
		{"DNS auto-discovery: KMS name not availableLICENSE STATUS:  ---LICENSED---Last 5 characters of installed product key: WFG99",
			[]string{"DNS auto-discovery: KMS name not available", "LICENSE STATUS:  ---LICENSED---", "Last 5 characters of installed product key: WFG99"}},
		{"Activation Type Configuration: ALL    DNS auto-discovery: KMS name not available    KMS machine IP address: 10.1.2.3",
			[]string{"Activation Type Configuration: ALL    ", "DNS auto-discovery: KMS name not available    ", "KMS machine IP address: 10.1.2.3"}},
		{"    KMS machine name from DNS: kms.corp.example:1688    KMS machine IP address: 10.1.2.3    KMS machine extended PID: 1", nil},
		{"Partial Product Key: NPPR9    KMS machine name from DNS: kms:1688    KMS machine IP address: 10.1.2.3---Processing------SKU ID: 1",
			[]string{"Partial Product Key: NPPR9    KMS machine name from DNS: kms:1688    KMS machine IP address: 10.1.2.3", "---Processing------", "SKU ID: 1"}},
		{"Last 5 characters of installed product key: WFG99---Exiting-------Name: x    KMS machine name from DNS: kms:1688    KMS machine IP address: 10.1.2.3",
			[]string{"Last 5 characters of installed product key: WFG99", "---Exiting-------", "Name: x    KMS machine name from DNS: kms:1688    KMS machine IP address: 10.1.2.3"}},
		{"LICENSE STATUS:  ---LICENSED---", nil},
		{"Installation ID for: Office 14, OfficeProPlus-MAK edition: 012345678901234567890123456789", nil},
		{"the LICENSE STATUS: line says it", nil},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			got := runOnPieces(tc.line)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// runOnText joins the lines of text that are not blank with sep: the
// output as a blog or a chat shows it once its line breaks are lost.
func runOnText(text, sep string) string {
	var kept []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if strings.TrimSpace(l) != "" {
			kept = append(kept, l)
		}
	}
	return strings.Join(kept, sep) + "\n"
}

// TestRunOnTexts: output whose line breaks were lost (one line, its
// lines run together or joined by spaces) is split back and read as
// the output is: the same products. slmgr /dli and /dlv in English were
// set aside whole, and the text gave no product; an ospp /act run on
// kept "<Product activation successful>" in the partial key and lost
// the status, and its "Installed product key detected" line with the
// separator before it was an unknown line; the AD block, /dinstid's
// and /actcid's lines ran on into the values before them.
func TestRunOnTexts(t *testing.T) {
	for _, name := range []string{
		"samples/ospp/act-en-o24-proplus-visio-project-success-pykms126.txt",
		"samples/ospp/act-en-o19-o24-kms-0xC004F074-reeddoy4.txt",
		"constructed/ospp-dstatus-o16-adba-info-only-code.txt",
		"constructed/ospp-actcid-o14-mak.txt",
		"constructed/ospp-dinstid-o14-mak.txt",
		"constructed/dli-win10-token-activated.txt",
		"samples/slmgr/win10-pro-oemdm-dli-checkmk.txt",
		"samples/slmgr/server2012-std-kmsclient-dli-checkmk.txt",
		"samples/slmgr/server2019-std-kmsclient-notification-dlv.txt",
		"harvest/slmgr/win7-ent-kmsclient-dns-dli-flattened-learnarchive.txt",
		"samples/slmgr/server2008r2-kmshost-dli-technet.txt",            // a KMS host's counters
		"samples/slmgr/server-dc-eval-notification-dli-goad-edited.txt", // no key: License Status: the one label of a product's lines
		"samples/slmgr/server2019-std-eval-timebased-dlv-abridged.txt",
	} {
		data, err := os.ReadFile(filepath.Join("testdata", filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		want, err := Parse(data, Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantJSON, _ := json.Marshal(want.Products)
		for _, sep := range []string{"", " ", "    "} {
			t.Run(filepath.Base(name)+"/"+strconv.Quote(sep), func(t *testing.T) {
				res, err := Parse([]byte(runOnText(string(data), sep)), Options{})
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if got, _ := json.Marshal(res.Products); string(got) != string(wantJSON) {
					t.Errorf("got products\n%s\nwant\n%s", got, wantJSON)
				}
				if len(res.Unknown) != 0 {
					t.Errorf("got unknown lines %v", res.Unknown)
				}
				if !containsString(res.Notes, "line 1 holds") {
					t.Errorf("got notes %q, want one that says line 1 was split", res.Notes)
				}
			})
		}
	}
}

// TestSlmgrRunOnPoints pins where an slmgr line is split: before each of
// slmgr's English labels, when two or more of the labels of a product
// block's lines (setAside's) are in it and nothing but a banner or a
// prompt is before the first; not a line of prose, nor one label, nor a
// line of ospp's labels (runOnPieces splits those).
func TestSlmgrRunOnPoints(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{"Name: Windows(R), Professional editionDescription: Windows(R) Operating System, RETAIL channelPartial Product Key: 3V66TLicense Status: Licensed",
			[]string{"Name: Windows(R), Professional edition", "Description: Windows(R) Operating System, RETAIL channel", "Partial Product Key: 3V66T", "License Status: Licensed"}},
		{"C:\\>slmgr /dliName: Windows(R), Professional edition Partial Product Key: 3V66T License Status: Licensed",
			[]string{"C:\\>slmgr /dli", "Name: Windows(R), Professional edition ", "Partial Product Key: 3V66T ", "License Status: Licensed"}},
		{"License Status: Notification    Key Management Service client information    Client Machine ID (CMID): 1    KMS machine name from DNS: kms:1688    KMS host caching is enabled",
			[]string{"License Status: Notification    ", "Key Management Service client information    ", "Client Machine ID (CMID): 1    ", "KMS machine name from DNS: kms:1688    ", "KMS host caching is enabled"}},
		{"Name: Windows(R), ServerDatacenterEval editionDescription: Windows(R) Operating System, TIMEBASED_EVAL channelLicense Status: NotificationNotification Reason: 0xC004FC07",
			[]string{"Name: Windows(R), ServerDatacenterEval edition", "Description: Windows(R) Operating System, TIMEBASED_EVAL channel", "License Status: Notification", "Notification Reason: 0xC004FC07"}},
		{"Name: Windows(R), Professional edition Description: Windows(R) Operating System, RETAIL channel", nil}, // no label of a product's state
		{"License Status: Licensed Volume activation expiration: 1 minute(s) (0 day(s))Partial Product Key: 3V66T KMS machine extended PID: 1 Activation interval: 120 minutes",
			[]string{"License Status: Licensed ", "Volume activation expiration: 1 minute(s) (0 day(s))", "Partial Product Key: 3V66T ", "KMS machine extended PID: 1 ", "Activation interval: 120 minutes"}},
		{"Error: 0xC004F074 No Key Management Service (KMS) could be contacted.", nil},
		{"see the Partial Product Key: and License Status: lines", nil},
		{"Name: Windows(R), Professional edition Beschreibung: Windows(R) Operating System, RETAIL channel Lizenzstatus: Lizenziert", nil},
		{"LICENSE NAME: Office 15License Status: LicensedPartial Product Key: 3V66T", nil},
	}
	for _, tc := range tests {
		t.Run(tc.line, func(t *testing.T) {
			got := slmgrRunOnPieces(tc.line, englishRunOn)
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRunOnLocalized: slmgr /dlv in a language whose slmgr.ini is given
// (import-text --strings, the collector's copy) is split back at that
// language's labels when its line breaks were lost, as English is
// without one, and read as the output is. Without the strings it is
// not split: its labels are not known, and a value read by its shape
// would run on over them.
func TestRunOnLocalized(t *testing.T) {
	ja, err := ParseStrings([]byte(jaStrings), "0411")
	if err != nil {
		t.Fatal(err)
	}
	opts := Options{Strings: []*Strings{ja}}
	want, err := Parse([]byte(jaDlv), opts)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON, _ := json.Marshal(want.Products)
	for _, sep := range []string{"", " "} {
		runOn := runOnText(jaDlv, sep)
		t.Run(strconv.Quote(sep), func(t *testing.T) {
			res, err := Parse([]byte(runOn), opts)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if got, _ := json.Marshal(res.Products); string(got) != string(wantJSON) {
				t.Errorf("got products\n%s\nwant\n%s", got, wantJSON)
			}
			if len(res.Unknown) != 0 || !containsString(res.Notes, "line 1 holds") {
				t.Errorf("got unknown %v notes %q, want line 1 split", res.Unknown, res.Notes)
			}
		})
		t.Run(strconv.Quote(sep)+" without strings", func(t *testing.T) {
			res, _ := Parse([]byte(runOn), Options{})
			if containsString(res.Notes, "line breaks were lost") {
				t.Errorf("got notes %q, want the line not split", res.Notes)
			}
		})
	}
}

// TestRunOnLabelsBounded: the labels an slmgr.ini gives (runOnSetOf)
// are each tried at every character they begin with in a text (slmgrRunOnPieces),
// and compared in full where the line holds all but their last byte: an
// slmgr.ini of long labels ending in a colon, the same for each key, and
// a text of lines of what they begin with, took 2.2 s for 100 lines of
// 4 KiB (22 s a text of 4 MiB, as much again for each --strings). No
// label of slmgr's in any language is long (its longest English one is
// 65 bytes): the set holds none over maxRunOnLabel bytes and each once.
func TestRunOnLabelsBounded(t *testing.T) {
	for _, tc := range []struct {
		name  string
		value func(i int) string
	}{
		{"the same long label for every key", func(int) string { return strings.Repeat("名", 1000) + ":" }},
		{"long labels, each its own", func(i int) string { return strings.Repeat("名", 100+i) + ":" }},
		{"the same short label for every key", func(int) string { return "名前:" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ini, i := "[Strings]\r\n", 0
			for key := range runOnKeys {
				ini += key + "=\"" + tc.value(i) + "\"\r\n"
				i++
			}
			s, err := ParseStrings([]byte(ini), "ja")
			if err != nil {
				t.Fatal(err)
			}
			set := runOnSetOf([]*Strings{s, s})
			seen := map[string]bool{}
			for _, lb := range set.labels {
				if len(lb) > maxRunOnLabel {
					t.Errorf("a label of %d bytes, want at most %d: %.30q…", len(lb), maxRunOnLabel, lb)
				}
				if seen[lb] {
					t.Errorf("label %.30q… twice", lb)
				}
				seen[lb] = true
			}
		})
	}
}

// TestRunOnSetAt: in the reference splitter (refRunOnSet, what
// runOnSet was before its automaton) the labels a run-on line is split
// before are looked up by the first byte or rune at each position
// (refRunOnSet.at), not tried all at every byte; at each byte of every text, raw (Shift_JIS,
// UTF-16 too) and run on, the label found is the one the whole set in
// its order gives: English, with a Japanese slmgr.ini, and with labels
// that begin with no whole rune (a Strings built by hand).
func TestRunOnSetAt(t *testing.T) {
	sets := labelSets(t)
	texts := []string{jaDlv, runOnText(jaDlv, ""), "\xe5\x90\x8d\xe5\x90: \xff\xfe:x"}
	for _, path := range allTexts(t) {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data), runOnText(string(data), ""))
	}
	firstOf := func(labels []string, s string) string {
		for _, lb := range labels {
			if strings.HasPrefix(s, lb) {
				return lb
			}
		}
		return ""
	}
	for _, tc := range sets {
		t.Run(tc.name, func(t *testing.T) {
			ref := refOf(tc.set)
			if ref.invalid != tc.invalid {
				t.Errorf("invalid: got %v, want %v", ref.invalid, tc.invalid)
			}
			for _, text := range texts {
				for i := 0; i < len(text); i++ {
					if !ref.first[text[i]] {
						continue
					}
					if got, want := firstOf(ref.at(text[i:]), text[i:]), firstOf(ref.labels, text[i:]); got != want {
						t.Fatalf("at %.20q: got %q, want %q", text[i:], got, want)
					}
				}
			}
		})
	}
}

// labelSet is a set of run-on labels a test splits lines at; invalid:
// some label begins with no whole rune.
type labelSet struct {
	name    string
	set     *runOnSet
	invalid bool
}

// labelSets are English's labels, a Japanese slmgr.ini's, and labels
// that begin with no whole rune (a Strings built by hand: "\xe5\x90"
// is 名 cut after two bytes, and as a whole-line label it begins 名前).
func labelSets(t *testing.T) []labelSet {
	t.Helper()
	ja, err := ParseStrings([]byte(jaStrings), "0411")
	if err != nil {
		t.Fatal(err)
	}
	odd := &Strings{Lang: "odd", M: map[string]string{"L_MsgKmsInfo": "\xe5\x90", "L_MsgProductName": "\xe5\x90: ", "L_MsgProductDesc": "\xff\xfe:"}}
	return []labelSet{
		{"English", englishRunOn, false},
		{"Japanese", runOnSetOf([]*Strings{ja}), false},
		{"labels beginning with no whole rune", runOnSetOf([]*Strings{ja, odd}), true},
	}
}
