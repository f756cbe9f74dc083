package classify

import (
	"fmt"
	"strings"
	"testing"
)

// japaneseTexts are every Japanese sentence and action of the
// classifier, named for a failure message.
func japaneseTexts() map[string]string {
	all := map[string]string{}
	for _, rs := range [][]rule{rules, routeRules} {
		for _, r := range rs {
			all["rule "+r.code] = r.ja
			for c, s := range r.cases {
				all["rule "+r.code+" case "+c] = s[1]
			}
		}
	}
	for k, s := range evalConversion {
		all["conversion "+k] = s[1]
	}
	for _, e := range actionWords {
		all["action "+string(e.k)] = e.v[1]
	}
	for _, e := range volumeEditionWords {
		all["volume edition action "+string(e.k)] = e.v[1]
	}
	all["rebuild now"] = rebuildNowWords[1]
	for _, e := range channelWords {
		all[fmt.Sprintf("channel %v", e.k)] = e.v[1]
	}
	for _, e := range statusWords {
		all[fmt.Sprintf("status %v", e.k)] = e.v[1]
	}
	return all
}

// TestJapaneseTerms holds the Japanese texts to one word for one thing,
// Microsoft's where it has one: an auditor reads them side by side in a
// report (a reason, then the action; a table of actions).
func TestJapaneseTerms(t *testing.T) {
	texts := japaneseTexts()
	if len(texts) < 50 {
		t.Fatalf("got %d Japanese texts, want the whole classifier's", len(texts))
	}
	for name, s := range texts {
		// Microsoft's name of the GVLK: KMS クライアント セットアップ キー.
		if i := strings.Index(s, "(GVLK)"); i >= 0 && !strings.Contains(s, "KMS クライアント セットアップ キー (GVLK)") {
			t.Errorf("%s: got %q, want the GVLK called KMS クライアント セットアップ キー (GVLK)", name, s)
		}
		// A device is 端末 in every report (texts.Device).
		if strings.Contains(s, "デバイス") {
			t.Errorf("%s: got %q, want 端末 for a device, as the reports say it", name, s)
		}
	}
	// An action stands alone in a plan's or a device's row: 認証 there
	// says authentication, not activation (ライセンス認証).
	for name, s := range texts {
		if !strings.Contains(name, "action") && name != "rebuild now" {
			continue
		}
		if bare := strings.ReplaceAll(s, "ライセンス認証", ""); strings.Contains(bare, "認証") {
			t.Errorf("%s: got %q, want ライセンス認証, not 認証 alone", name, s)
		}
	}
}
