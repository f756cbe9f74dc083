package licensing

import (
	"fmt"
	"testing"
)

// TestOldTextActivationType: before the configured activation type had
// a field of its own, the text parsers put slmgr's "Configured
// Activation Type" (ospp's "Activation Type Configuration"), which is
// VLActivationTypeEnabled, into vl_activation_type, WMI's type USED. A
// stored snapshot of such text is read as what the text said: the value
// is the configured type, and the type used is AD (1) only where the
// text had the AD block, which left its activation object's name. WMI's
// values, and snapshots that have the configured field, stay as stored.
func TestOldTextActivationType(t *testing.T) {
	tests := []struct {
		name     string
		product  string // members of one product, after kind and name
		enabled  int    // -1: none
		used     int
		adObject string
	}{
		{"slmgr configured AD, no AD block", `"source": "slmgr", "vl_activation_type": 1`, 1, -1, ""},
		{"import-text configured All, no AD block", `"source": "text", "vl_activation_type": 0`, 0, -1, ""},
		{"ospp configured KMS, no AD block", `"source": "ospp", "vl_activation_type": 2`, 2, -1, ""},
		{"slmgr configured All, AD block", `"source": "slmgr", "vl_activation_type": 0, "ad_activation": "WS2016-AO"`, 0, 1, "WS2016-AO"},
		{"ospp configured AD, AD block", `"source": "ospp", "vl_activation_type": 1, "ad_activation": "O16-AO"`, -1, 1, "O16-AO"},
		{"WMI's type used stays", `"source": "wmi", "vl_activation_type": 1`, -1, 1, ""},
		{"WMI's configured and used types stay", `"source": "wmi", "vl_activation_type": 2, "vl_activation_type_enabled": 1`, 1, 2, ""},
		{"text with the configured field stays", `"source": "slmgr", "vl_activation_type": 1, "vl_activation_type_enabled": 0, "ad_activation": "AO"`, 0, 1, "AO"},
		{"text with the configured field only", `"source": "text", "vl_activation_type_enabled": 1`, 1, -1, ""},
	}
	show := func(p *int) int {
		if p == nil {
			return -1
		}
		return *p
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			data := fmt.Sprintf(`{"schema": "actcourier-device/1", "context": {"site": "S", "line": "L", "collector": "c", "collected_at": "2026-11-02T09:30:00+09:00"},
				"os": {}, "hardware": {}, "domain": {}, "products": [{"kind": "windows", "name": "Windows(R), ServerStandard edition", "channel": "Volume:GVLK", "license_status": "licensed", %s}]}`, tc.product)
			s, err := Unmarshal([]byte(data))
			if err != nil {
				t.Fatal(err)
			}
			p := s.Products[0]
			if got := show(p.VLActivationTypeEnabled); got != tc.enabled {
				t.Errorf("configured type: got %d, want %d", got, tc.enabled)
			}
			if got := show(p.VLActivationType); got != tc.used {
				t.Errorf("type used: got %d, want %d", got, tc.used)
			}
			if p.ADActivation != tc.adObject {
				t.Errorf("activation object: got %q, want %q", p.ADActivation, tc.adObject)
			}
		})
	}
}
