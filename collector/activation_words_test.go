package main

import (
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/activation"
)

// TestActivationWordsJapanese: what the engineer reads of a return file
// in Japanese is Japanese, in the terms the reports and Windows use: the
// Installation ID is インストール ID (as the key-installed outcome and
// the report's requests say it), never IID alone, and no outcome shows
// the proof's English message as its Japanese.
func TestActivationWordsJapanese(t *testing.T) {
	ja := func(s string) string { return s[strings.Index(s, " / ")+3:] }
	items := map[string]string{
		"deposit": itemWords(activation.Item{IID: strings.Repeat("0123456", 9)}),
		"key":     itemWords(activation.Item{Key: "VK7JG-NPHTM-C97JM-9MPGT-3V66T"}),
	}
	for name, s := range items {
		if strings.Contains(ja(s), "IID") {
			t.Errorf("item %s: got %q, want インストール ID, not IID", name, ja(s))
		}
	}
	const english = "an English message for the record"
	for _, o := range []activation.Outcome{
		{Result: activation.Applied}, {Result: activation.AlreadyActivated}, {Result: activation.KeyInstalled},
		{Result: activation.Declined},
		{Result: activation.Refused, Why: activation.WhyIIDChanged},
		{Result: activation.Refused, Why: activation.WhyNoProduct},
		{Result: activation.Failed, Why: activation.WhyNotActivated},
		{Result: activation.Failed, Why: activation.WhyNoKeyProduct},
		{Result: activation.Failed, Why: activation.WhyNotReadable},
		{Result: activation.Refused, Why: activation.WhyMethodFailure},
		{Result: activation.Refused, HRESULT: 0xC004F031},
	} {
		o.Message = english
		w := outcomeWords(o)
		name := string(o.Result) + " " + o.Why
		if strings.Contains(w.ja, "IID") {
			t.Errorf("%s: got %q, want インストール ID, not IID", name, w.ja)
		}
		switch {
		case o.Why == activation.WhyMethodFailure:
			// The system's own words, which may be English, after
			// Japanese ones that say what they are.
			if !strings.Contains(w.ja, english) || strings.HasSuffix(w.ja, "): "+english) {
				t.Errorf("%s: got %q, want the system's message after Japanese words", name, w.ja)
			}
		case strings.Contains(w.ja, english):
			t.Errorf("%s: got %q, want it said in Japanese", name, w.ja)
		}
	}
	// The same outcome in the words of the reports' activation table
	// (worklist.Note: "確認 ID を適用したが、…", "…どの製品にも表示されない").
	for _, tc := range []struct{ why, want string }{
		{activation.WhyNotActivated, "確認 ID を適用しましたが、ライセンス認証されていません"},
		{activation.WhyNoKeyProduct, "プロダクト キーをインストールしましたが、どの製品にも表示されません"},
	} {
		if got := outcomeWords(activation.Outcome{Result: activation.Failed, Why: tc.why, Message: english}).ja; !strings.Contains(got, tc.want) {
			t.Errorf("%s: got %q, want %q, as the reports say it", tc.why, got, tc.want)
		}
	}
}
