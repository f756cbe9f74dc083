package classify

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// FuzzDevice classifies arbitrary snapshots: whatever a bundle holds, the
// classifier gives exactly one known category, with reasons, and fills
// every sentence; CategoryOf gives the same category.
func FuzzDevice(f *testing.F) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) == 0 {
		f.Fatal("no seed: testdata/snapshots is empty")
	}
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, int64(0), 25)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, days int64, pool int) {
		s, err := licensing.Unmarshal(data)
		if err != nil {
			return
		}
		asOf := s.Context.Collected.Add(time.Duration(days%100000) * 24 * time.Hour)
		site := Site{Pool: Pool{Client: pool, Server: pool, Office: pool}}
		v := Device(s, asOf, site)
		if v.Category.Rank() == len(Categories) {
			t.Fatalf("category %q", v.Category)
		}
		if c := CategoryOf(s, asOf, site); c != v.Category {
			t.Fatalf("CategoryOf %s, Device %s", c, v.Category)
		}
		if c, p := AsCollected(s); c != CategoryOf(s, s.Context.Collected, Site{}) || !reflect.DeepEqual(p, PoolOf(s)) {
			t.Fatalf("AsCollected %s %+v, CategoryOf %s, PoolOf %+v", c, p, CategoryOf(s, s.Context.Collected, Site{}), PoolOf(s))
		}
		if v.Category != OK && len(v.Reasons) == 0 {
			t.Fatalf("%s without reasons", v.Category)
		}
		for _, r := range append(v.Reasons, v.Flags...) {
			if r.Code == "" || r.English == "" || r.Japanese == "" {
				t.Fatalf("empty reason %+v", r)
			}
		}
	})
}
