package classify

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// archetypes reads the device archetypes of testdata/snapshots, by name.
func archetypes(t testing.TB) map[string]*licensing.Snapshot {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	snaps := map[string]*licensing.Snapshot{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		snaps[strings.TrimSuffix(filepath.Base(f), ".json")] = s
	}
	return snaps
}

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
	snaps := archetypes(t)
	if len(snaps) != len(want) {
		t.Fatalf("%d archetypes, want %d", len(snaps), len(want))
	}
	pools := map[string]*Pool{}
	for _, s := range snaps {
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

// TestAsCollected: AsCollected gives what CategoryOf as of the collection,
// without a site, and PoolOf give, for every archetype and for each one
// collected again a year later (its grace periods, evaluations and
// support ends then elapsed, as a late import finds them).
func TestAsCollected(t *testing.T) {
	for name, s := range archetypes(t) {
		later := *s
		later.Context.Collected = s.Context.Collected.AddDate(1, 0, 0)
		for _, s := range []*licensing.Snapshot{s, &later} {
			c, p := AsCollected(s)
			if want := CategoryOf(s, s.Context.Collected, Site{}); c != want {
				t.Errorf("%s collected %s: category %s, want %s", name, s.Context.Collected.Format("2006-01-02"), c, want)
			}
			if want := PoolOf(s); !reflect.DeepEqual(p, want) {
				t.Errorf("%s collected %s: pool %+v, want %+v", name, s.Context.Collected.Format("2006-01-02"), p, want)
			}
		}
	}
}

// TestEvaluationConversion: an evaluation's sentence says how it becomes
// a full edition, which a key alone does not do: a Server evaluation by
// DISM, a client one installed again, an Office trial replaced.
func TestEvaluationConversion(t *testing.T) {
	data, err := os.ReadFile("../../testdata/snapshots/server2012r2-eval.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		caption string
		kind    licensing.Kind
		en, ja  string
		notEn   string
	}{
		{"server", "Microsoft Windows Server 2012 R2 Standard Evaluation", licensing.KindWindows,
			"DISM /Online /Set-Edition:<edition> /ProductKey:<key> /AcceptEula", "DISM /Online /Set-Edition", "cannot be converted"},
		{"client", "Microsoft Windows 10 Enterprise Evaluation", licensing.KindWindows,
			"A Windows client evaluation cannot be converted: install a volume license edition again.", "再インストール", "DISM"},
		{"server 2008 R2", "Microsoft Windows Server 2008 R2 Standard", licensing.KindWindows,
			"older than 2012 becomes a full edition is not verified here", "確認されていません", "DISM"},
		{"office", "Microsoft Windows 10 Enterprise Evaluation", licensing.KindOffice,
			"Install a volume license edition of Office in its place.", "ボリューム ライセンス版の Office", "DISM"},
	} {
		for _, ending := range []bool{false, true} {
			s, err := licensing.Unmarshal(data)
			if err != nil {
				t.Fatal(err)
			}
			s.OS.Caption = tc.caption
			switch tc.name {
			case "server 2008 R2":
				s.OS.Version, s.OS.Build = "6.1.7601", "7601"
			case "client":
				s.Products[0].Name = "Windows(R), EnterpriseEval edition"
			case "office": // beside the Windows evaluation
				o := s.Products[0]
				o.Kind, o.Name = licensing.KindOffice, "Office 16, Office16ProPlusR_Trial edition"
				s.Products = append(s.Products, o)
			}
			asOf := s.Context.Collected
			if ending { // within 30 days of its end: evaluation-ending
				asOf = asOf.AddDate(0, 0, 80)
			}
			v := Device(s, asOf, Site{})
			var r *Reason
			for i := range v.Reasons {
				if strings.HasPrefix(v.Reasons[i].Code, "evaluation") && v.Reasons[i].Evidence.Kind == tc.kind {
					r = &v.Reasons[i]
				}
			}
			if r == nil {
				t.Errorf("%s (ending %v): no evaluation reason in [%s]", tc.name, ending, codes(v.Reasons))
				continue
			}
			if ending != (r.Code == "evaluation-ending") {
				t.Errorf("%s (ending %v): reason %s", tc.name, ending, r.Code)
			}
			if !strings.Contains(r.English, tc.en) || !strings.Contains(r.Japanese, tc.ja) || strings.Contains(r.English, tc.notEn) {
				t.Errorf("%s (ending %v):\n%s\n%s", tc.name, ending, r.English, r.Japanese)
			}
		}
	}
}
