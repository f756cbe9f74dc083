package worklist

import (
	"bytes"
	"html"
	"reflect"
	"regexp"
	"strings"
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
// keep them; but for a CID on file and for applied, which the row's
// state says, and their notes no more (an applied note is its day).
var noteCases = []struct {
	name              string
	note              Note
	english, japanese string
}{
	{"applied", Note{Code: NoteApplied, At: appliedAt}, "on 2026-11-29", "2026-11-29"},
	{"no IID", Note{Code: NoteNoIID}, "none in the latest collection", "最新の収集データにない"},
	{"IID length", Note{Code: NoteIIDLength, Digits: 54}, "54 digits: ActivationWs takes only 63; use VAMT or the portal",
		"54 桁: ActivationWs は 63 桁のみ対応、VAMT か Microsoft のポータルを使用"},
	{"CID on file", Note{Code: NoteCIDOnFile}, "no new request needed", "新たな依頼は不要"},
	{"sent", Note{Code: NoteSent, File: returnID, At: writtenAt}, "in return file " + returnID + " of 2026-11-28",
		"2026-11-28 の返送ファイル " + returnID + " に記載"},
	{"HRESULT known", Note{Code: NoteHRESULT, HRESULT: 0xC004F031}, "0xC004F031 the Installation ID and the Confirmation ID do not match",
		"0xC004F031 インストール ID と確認 ID が一致しません"},
	{"HRESULT unknown", Note{Code: NoteHRESULT, HRESULT: 0x80041002}, "0x80041002", "0x80041002"},
	{"IID changed", Note{Code: NoteIIDChanged}, "the hardware or the key changed since the IID was taken: take a new IID",
		"インストール ID の取得後にハードウェアまたはプロダクト キーが変わった: 新しいインストール ID を取得"},
	{"machine's message", Note{Code: NoteMessage, Message: "deposited, but the product is not activated <b>"},
		"deposited, but the product is not activated <b>", "deposited, but the product is not activated <b>"},
	{"product not installed", Note{Code: NoteNoProduct}, "the product is not installed on the machine",
		"製品が端末にインストールされていない"},
	{"deposited, not activated", Note{Code: NoteDepositedNotActivated}, "the CID was deposited, but the product is not activated",
		"確認 ID を適用したが、ライセンス認証されていない"},
	{"key installed, no product shows it", Note{Code: NoteNoKeyProduct}, "the product key was installed, but no product shows it",
		"プロダクト キーをインストールしたが、どの製品にも表示されない"},
	{"licenses not readable", Note{Code: NoteNotReadable}, "the machine's licenses could not be read: run ActCourier as administrator",
		"端末のライセンスを読み取れない: 管理者として ActCourier を実行"},
	{"applied, not activated", Note{Code: NoteNotActivated},
		"the machine said applied, but its latest collection shows it not activated",
		"端末は適用済みと報告したが、最新の収集ではライセンス認証されていない"},
	{"none", Note{}, "", ""},
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

// TestNoteJapanese: a note says in Japanese what it says in English, in
// the words of the reports' Japanese pages, the values in their places:
// a file's name and a machine's own message as they came, marked as
// data.
func TestNoteJapanese(t *testing.T) {
	for _, tc := range noteCases {
		t.Run(tc.name, func(t *testing.T) {
			ja := tc.note.Japanese()
			if got := ja.String(); got != tc.japanese {
				t.Errorf("got %q, want %q", got, tc.japanese)
			}
			if en := tc.note.English(); ja.Data != en.Data {
				t.Errorf("data %q in Japanese, %q in English", ja.Data, en.Data)
			}
		})
	}
}

// TestWritePageNotes: the page says each row's note in English and in
// Japanese, once where both are the same (a machine's own message, an
// HRESULT without a meaning) or one holds all the other says (the
// applied day), a file's name and a machine's message
// marked as data; a row without a note shows its Detail as it is.
func TestWritePageNotes(t *testing.T) {
	var rows []Row
	for _, tc := range noteCases {
		r := Row{Site: "Nagoya", Line: "L2", Asset: "NG-L2-011", Host: "FA-NG-L2-011", Product: "Windows 7 Professional", State: Failed}
		r.SetNote(tc.note)
		rows = append(rows, r)
	}
	rows = append(rows, Row{Site: "Nagoya", Line: "L2", Asset: "NG-L2-011", Product: "Office 2010", State: Failed, Detail: "a caller's own words"})
	var b bytes.Buffer
	if err := WritePage(&b, rows, PageOptions{Title: "Nagoya", Generated: collected}); err != nil {
		t.Fatal(err)
	}
	hints := regexp.MustCompile(`(?s)<div class="state-failed">.*?</div>(.*?)</td>`).FindAllStringSubmatch(b.String(), -1)
	if len(hints) != len(rows) {
		t.Fatalf("%d rows on the page, want %d", len(hints), len(rows))
	}
	tag := regexp.MustCompile(`<[^>]*>`)
	for i, tc := range noteCases {
		t.Run(tc.name, func(t *testing.T) {
			var want []string
			switch data := tc.note.English().Data; {
			case data == "" && tc.japanese != "" && strings.Contains(tc.english, tc.japanese):
				// The Japanese says nothing the English does not: the
				// day an item was applied, said twice ("on 2026-11-29",
				// "2026-11-29").
				want = append(want, tc.japanese)
			default:
				if tc.english != "" {
					want = append(want, tc.english)
				}
				if tc.japanese != tc.english {
					want = append(want, tc.japanese)
				}
			}
			var got []string
			for _, div := range regexp.MustCompile(`<div class="hint">(.*?)</div>`).FindAllStringSubmatch(hints[i][1], -1) {
				got = append(got, html.UnescapeString(tag.ReplaceAllString(div[1], "")))
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("got %q, want %q", got, want)
			}
			if data := tc.note.English().Data; data != "" && !strings.Contains(hints[i][1], `<span translate="no">`+html.EscapeString(data)+"</span>") {
				t.Errorf("%q not marked as data: %s", data, hints[i][1])
			}
		})
	}
	if last := hints[len(hints)-1][1]; !strings.Contains(last, `<div class="hint">a caller&#39;s own words</div>`) {
		t.Errorf("a row without a note: %s", last)
	}
}

// TestWritePageSaidOnce: a row with a CID on file says so once, in its
// state, and that no new request is needed once, in its note, in each
// language: the page said "CID on file: no new request / 確認 ID あり:
// 依頼は不要", then "CID on file: no new request needed" and "確認 ID
// あり: 新たな依頼は不要".
func TestWritePageSaidOnce(t *testing.T) {
	var rows []Row
	for _, n := range []Note{{Code: NoteCIDOnFile}, {Code: NoteNotActivated}} {
		r := Row{Site: "Nagoya", Line: "L2", Asset: "NG-L2-011", Host: "FA-NG-L2-011", Product: "Windows 7 Professional", State: CIDOnFile}
		r.SetNote(n)
		rows = append(rows, r)
	}
	var b bytes.Buffer
	if err := WritePage(&b, rows, PageOptions{Title: "Nagoya", Generated: collected}); err != nil {
		t.Fatal(err)
	}
	cells := regexp.MustCompile(`(?s)<div class="state-cid-on-file">(.*?)</td>`).FindAllStringSubmatch(b.String(), -1)
	if len(cells) != len(rows) {
		t.Fatalf("%d rows on the page, want %d", len(cells), len(rows))
	}
	for i, c := range cells {
		text := html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(c[1], " "))
		for _, words := range []string{"CID on file", "確認 ID あり", "no new request", "依頼は不要"} {
			if n := strings.Count(text, words); n > 1 {
				t.Errorf("%s: %q said %d times: %s", rows[i].Note.Code, words, n, text)
			}
		}
		for _, words := range []string{"CID on file", "確認 ID あり"} {
			if !strings.Contains(text, words) {
				t.Errorf("%s: %q not said: %s", rows[i].Note.Code, words, text)
			}
		}
	}
}
