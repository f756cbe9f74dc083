package main

import (
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestScreenWordsJapanese: the result screen says a grace period as the
// importer's reports do (the stick's guide promises the same verdict),
// and its advice says ライセンス認証, Microsoft's word, not 認証 alone
// (authentication), as the reports' category help does.
func TestScreenWordsJapanese(t *testing.T) {
	for _, st := range []licensing.Status{licensing.StatusOOBGrace, licensing.StatusOOTGrace, licensing.StatusNonGenuineGrace,
		licensing.StatusNotification, licensing.StatusExtendedGrace} {
		got, want := statusWords(st).ja, "未認証: "+classify.StatusText(st, classify.Japanese)
		if got != want {
			t.Errorf("%s: got %q, want %q", st, got, want)
		}
	}
	verdicts := []classify.Verdict{{Category: classify.Urgent}, {Category: classify.ImageBackup}, {Category: classify.VolumeLicense},
		{Category: classify.OK}, {Category: classify.Urgent, Reasons: []classify.Reason{{Code: "no-license-data"}}}}
	for _, v := range verdicts {
		s := advice(v).ja
		if strings.Contains(strings.ReplaceAll(s, "ライセンス認証", ""), "認証") {
			t.Errorf("%s: got %q, want ライセンス認証, not 認証 alone", v.Category, s)
		}
	}
}
