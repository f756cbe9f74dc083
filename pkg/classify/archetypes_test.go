package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestArchetypes classifies every device archetype of testdata/snapshots
// as of its collection, with the KMS pool of its site.
func TestArchetypes(t *testing.T) {
	want := map[string]struct {
		cat   Category
		flags string // flags that must be present
	}{
		"win7-pro-retail":                     {VolumeLicense, "end-of-support-os"},
		"win7-pro-oem-slp":                    {OK, "end-of-support-os"},
		"posready7":                           {ImageBackup, "end-of-support-os,low-disk"},
		"win7-office2010-retail-notification": {Urgent, "end-of-support-os,end-of-support-office"},
		"win81-pro-oem-dm":                    {VolumeLicense, "end-of-support-os,bitlocker-on"},
		"win10-iot-ltsc-kms":                  {OK, ""},
		"win10-iot-ltsc-kms-expiring":         {Urgent, ""},
		"win10-pro-mak":                       {OK, "end-of-support-os"},
		"win11-pro-digital-license":           {VolumeLicense, "digital-license"},
		"win10-home":                          {ImageBackup, "end-of-support-os"},
		"server2012r2-eval":                   {VolumeLicense, "end-of-support-os"},
		"wmi-broken-slmgr-only":               {VolumeLicense, "collection-incomplete"},
		"win10-office2016-standard-kms":       {OK, "end-of-support-os,end-of-support-office"},
	}
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) != len(want) {
		t.Fatalf("%d archetypes, want %d", len(files), len(want))
	}
	snaps := map[string]*licensing.Snapshot{}
	pools := map[string]*Pool{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		snaps[name] = s
		if pools[s.Context.Site] == nil {
			pools[s.Context.Site] = &Pool{}
		}
		pools[s.Context.Site].Add(s)
	}
	for name, s := range snaps {
		w, ok := want[name]
		if !ok {
			t.Errorf("%s: no expected category", name)
			continue
		}
		v := Device(s, s.Context.Collected, Site{Pool: *pools[s.Context.Site]})
		if v.Category != w.cat {
			t.Errorf("%s: %s [%s], want %s", name, v.Category, codes(v.Reasons), w.cat)
		}
		for _, f := range strings.Split(w.flags, ",") {
			if f != "" && !hasCode(v.Flags, f) {
				t.Errorf("%s: flags [%s] lack %s", name, codes(v.Flags), f)
			}
		}
		if len(v.Reasons) == 0 {
			t.Errorf("%s: no reasons", name)
		}
	}
}
