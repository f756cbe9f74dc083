package slmgr

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestActivationType: slmgr.vbs prints "Configured Activation Type"
// from VLActivationTypeEnabled, the policy, and ospp.vbs "Activation
// Type Configuration" from the same property; both print their AD block
// ("AD Activation client information", "Most recent successful
// activation client information: AD") exactly when VLActivationType,
// the type used for the last activation, is 1 (slmgr.vbs
// DisplayAllInformation and IsADActivated; ospp.vbs /dstatus). So the
// configured type goes to VLActivationTypeEnabled, and VLActivationType
// is 1 where the AD block is, and unknown elsewhere: a machine merely
// configured for AD was not activated by it.
func TestActivationType(t *testing.T) {
	sample := func(name string) string {
		b, err := os.ReadFile(filepath.Join("testdata", "samples", name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	kmsDli := sample("slmgr/server2012-std-kmsclient-dli-checkmk.txt")
	kmsDstatus := sample("ospp/ruru-banner-o15-proplusvl-kms-licensed-dns-ru-csharp.txt")
	tests := []struct {
		name          string
		text          string
		enabled, used int // -1: unknown
		activationObj string
	}{
		{"slmgr KMS client configured All", kmsDli, 0, -1, ""},
		{"slmgr KMS client configured AD, activated by KMS", strings.Replace(kmsDli, "Configured Activation Type: All", "Configured Activation Type: AD", 1), 1, -1, ""},
		{"slmgr KMS client configured KMS", strings.Replace(kmsDli, "Configured Activation Type: All", "Configured Activation Type: KMS", 1), 2, -1, ""},
		{"slmgr AD block, configured All", constructed(t, "dli-ws2016-adba-activated.txt"), 0, 1, "WS2016-AO"},
		{"slmgr AD block, labels of a language without strings", constructed(t, "dli-adba-labels-unknown-language.txt"), -1, 1, "WS2016-AO"},
		{"slmgr token-based activation, configured Token", constructed(t, "dli-win10-token-activated.txt"), 3, -1, ""},
		{"ospp KMS client configured ALL", kmsDstatus, 0, -1, ""},
		{"ospp KMS client configured AD, activated by KMS", strings.Replace(kmsDstatus, "Activation Type Configuration: ALL", "Activation Type Configuration: AD", 1), 1, -1, ""},
		{"ospp AD block, configured ALL", constructed(t, "ospp-dstatus-o16-adba-info-only-code.txt"), 0, 1, "O16-AO"},
	}
	show := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Parse([]byte(tc.text), Options{})
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			if len(res.Products) != 1 {
				t.Fatalf("got %d products, want 1", len(res.Products))
			}
			p := res.Products[0]
			if got := show(p.VLActivationTypeEnabled); got != tc.enabled {
				t.Errorf("configured type (VLActivationTypeEnabled): got %d, want %d", got, tc.enabled)
			}
			if got := show(p.VLActivationType); got != tc.used {
				t.Errorf("type used (VLActivationType): got %d, want %d", got, tc.used)
			}
			if p.ADActivation != tc.activationObj {
				t.Errorf("activation object: got %q, want %q", p.ADActivation, tc.activationObj)
			}
		})
	}
}
