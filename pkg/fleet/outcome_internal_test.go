package fleet

import (
	"testing"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// TestOutcomeNote: a failed item's note is its HRESULT, else the reason
// the collector gave as a code (Why), which a page says in its
// language, else the machine's own message as it came: a method that
// failed without an HRESULT says what failed only in its words.
func TestOutcomeNote(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    activation.Outcome
		want worklist.Note
	}{
		{"HRESULT", activation.Outcome{HRESULT: 0xC004F031, Message: "x"}, worklist.Note{Code: worklist.NoteHRESULT, HRESULT: 0xC004F031}},
		{"IID changed", activation.Outcome{Why: activation.WhyIIDChanged, Message: "x"}, worklist.Note{Code: worklist.NoteIIDChanged}},
		{"no product", activation.Outcome{Why: activation.WhyNoProduct, Message: "no installed product has the item's activation ID"},
			worklist.Note{Code: worklist.NoteNoProduct}},
		{"not activated", activation.Outcome{Why: activation.WhyNotActivated, Message: "deposited, but the product is not activated"},
			worklist.Note{Code: worklist.NoteDepositedNotActivated}},
		{"no key product", activation.Outcome{Why: activation.WhyNoKeyProduct, Message: "the key was installed, but no product shows it"},
			worklist.Note{Code: worklist.NoteNoKeyProduct}},
		{"not readable", activation.Outcome{Why: activation.WhyNotReadable, Message: "access denied"}, worklist.Note{Code: worklist.NoteNotReadable}},
		{"method failure", activation.Outcome{Why: activation.WhyMethodFailure, Message: "InstallProductKey: no such method"},
			worklist.Note{Code: worklist.NoteMessage, Message: "InstallProductKey: no such method"}},
		{"a reason of a later collector", activation.Outcome{Why: "disk-full", Message: "the disk is full"},
			worklist.Note{Code: worklist.NoteMessage, Message: "the disk is full"}},
		{"nothing said", activation.Outcome{}, worklist.Note{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := outcomeNote(tc.o); got != tc.want {
				t.Errorf("got %+v, want %+v", got, tc.want)
			}
		})
	}
}
