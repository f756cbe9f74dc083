package worklist

import (
	"testing"
	"time"
)

var (
	appliedAt = time.Date(2026, 11, 29, 14, 3, 0, 0, time.FixedZone("", 9*3600))
	writtenAt = time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	returnID  = "3f9c0d1e2a4b5c6d.return.age"
)

// noteCases are a note of every code, with the words the importer wrote
// before notes were data: the CSV's Detail column and the reports' JSON
// keep them.
var noteCases = []struct {
	name    string
	note    Note
	english string
}{
	{"applied", Note{Code: NoteApplied, At: appliedAt}, "applied 2026-11-29"},
	{"no IID", Note{Code: NoteNoIID}, "the collection holds no Installation ID: collect again as administrator"},
	{"IID length", Note{Code: NoteIIDLength, Digits: 54}, "54 digits: ActivationWs takes only 63; use VAMT or the portal"},
	{"CID on file", Note{Code: NoteCIDOnFile}, "CID on file: no new request needed"},
	{"sent", Note{Code: NoteSent, File: returnID, At: writtenAt}, "in return file " + returnID + " of 2026-11-28: not applied yet"},
	{"HRESULT known", Note{Code: NoteHRESULT, HRESULT: 0xC004F031}, "0xC004F031 the Installation ID and the Confirmation ID do not match"},
	{"HRESULT unknown", Note{Code: NoteHRESULT, HRESULT: 0x80041002}, "0x80041002"},
	{"IID changed", Note{Code: NoteIIDChanged}, "the hardware or the key changed since the IID was taken: take a new IID"},
	{"machine's message", Note{Code: NoteMessage, Message: "deposited, but the product is not activated <b>"},
		"deposited, but the product is not activated <b>"},
	{"applied, not activated", Note{Code: NoteNotActivated},
		"the machine said applied, but its latest collection shows it not activated: CID on file"},
	{"none", Note{}, ""},
}

// TestNoteEnglish: a note says in English what the importer always
// wrote, the values in their places.
func TestNoteEnglish(t *testing.T) {
	for _, tc := range noteCases {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.note.English().String(); got != tc.english {
				t.Errorf("got %q, want %q", got, tc.english)
			}
			var r Row
			r.SetNote(tc.note)
			if r.Detail != tc.english || r.Note != tc.note {
				t.Errorf("SetNote: Detail %q, Note %+v", r.Detail, r.Note)
			}
		})
	}
}
