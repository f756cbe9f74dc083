package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
)

// BenchmarkLine writes one line of 500 devices in each format alone, and
// in all of them: the cost of a report per device and format.
func BenchmarkLine(b *testing.B) {
	lines, pools := fleet(b)
	var devs []Device
	for len(devs) < 500 {
		for _, l := range lines {
			for _, d := range l {
				d.Site, d.Line, d.Asset = "Nagoya", "L1", fmt.Sprintf("A%04d", len(devs))
				devs = append(devs, d)
			}
		}
	}
	devs = devs[:500]
	for _, formats := range [][]string{{HTML}, {CSV}, {JSON}, {XLSX}, {HTML, CSV, JSON, XLSX}} {
		b.Run(fmt.Sprint(formats), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				w, err := NewWriter(b.TempDir(), Options{Lang: classify.Japanese, AsOf: asOf, Formats: formats, Generated: asOf.Add(time.Hour)})
				if err != nil {
					b.Fatal(err)
				}
				w.SetPool("Nagoya", *pools["Nagoya"])
				if err := w.Line("Nagoya", "L1", devs); err != nil {
					b.Fatal(err)
				}
				if _, err := w.Close(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*len(devs)), "us/device")
		})
	}
}
