package report

import (
	"bytes"
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

// BenchmarkHTMLEsc escapes a reason's text, the most of a page's cells:
// ASCII prose with a quote and an ampersand, and the same in Japanese.
func BenchmarkHTMLEsc(b *testing.B) {
	for _, s := range []string{
		"Office 2010 Professional Plus is in the notification mode (0xC004F009: grace period expired): it is not activated; activate it now, or keep its current state with an image backup. Suggested route: KMS host kms01.kumamoto.factory, which has activated 769 clients of this site's & others' \"lines\".",
		"Office 2010 Professional Plus は通知モードです (0xC004F009: 猶予期間の終了): ライセンス認証されていません。今すぐ認証するか、イメージバックアップで現在の状態を保存してください。",
	} {
		b.Run(fmt.Sprint(len(s)), func(b *testing.B) {
			var w bytes.Buffer
			b.SetBytes(int64(len(s)))
			for i := 0; i < b.N; i++ {
				w.Reset()
				htmlEsc(&w, s)
			}
		})
	}
}
