package report

import (
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// activationNotes are a request of every state with a note of every
// code, as package fleet makes them (worklist.Row.SetNote), and one of
// a caller that gives only the English detail.
func activationNotes() []Activation {
	at := time.Date(2026, 11, 29, 14, 3, 0, 0, time.FixedZone("", 9*3600))
	written := time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)
	var acts []Activation
	for _, n := range []struct {
		state string
		note  worklist.Note
	}{
		{"applied", worklist.Note{Code: worklist.NoteApplied, At: at}},
		{"no-iid", worklist.Note{Code: worklist.NoteNoIID}},
		{"needs-cid", worklist.Note{Code: worklist.NoteIIDLength, Digits: 54}},
		{"cid-on-file", worklist.Note{Code: worklist.NoteCIDOnFile}},
		{"sent", worklist.Note{Code: worklist.NoteSent, File: "3f9c0d1e2a4b5c6d.return.age", At: written}},
		{"failed", worklist.Note{Code: worklist.NoteHRESULT, HRESULT: 0xC004F031}},
		{"failed", worklist.Note{Code: worklist.NoteHRESULT, HRESULT: 0x80041002}},
		{"failed", worklist.Note{Code: worklist.NoteIIDChanged}},
		{"failed", worklist.Note{Code: worklist.NoteMessage, Message: "deposited, but the product is <b>not</b> activated"}},
		{"failed", worklist.Note{Code: worklist.NoteNoProduct}},
		{"failed", worklist.Note{Code: worklist.NoteDepositedNotActivated}},
		{"failed", worklist.Note{Code: worklist.NoteNoKeyProduct}},
		{"failed", worklist.Note{Code: worklist.NoteNotReadable}},
		{"cid-on-file", worklist.Note{Code: worklist.NoteNotActivated}},
	} {
		var r worklist.Row
		r.SetNote(n.note)
		acts = append(acts, Activation{Product: "Windows 7 Professional", State: n.state, Detail: r.Detail, Note: r.Note})
	}
	return append(acts, Activation{Product: "Office 2010 Professional Plus", State: "failed", Detail: "a caller's own words"})
}

// writeActivationLine writes the line of one device of the fixture with
// the requests of activationNotes, in lang, and returns its page and
// JSON file.
func writeActivationLine(t *testing.T, lang classify.Lang) (page, doc []byte) {
	t.Helper()
	lines, pools := fleet(t)
	d := lines[[2]string{"Nagoya", "L2"}][0]
	d.Activation = activationNotes()
	dir := t.TempDir()
	w, err := NewWriter(dir, Options{Lang: lang, AsOf: asOf, Generated: time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC), Generator: "test",
		Formats: []string{HTML, JSON}})
	if err != nil {
		t.Fatal(err)
	}
	w.SetPool("Nagoya", *pools["Nagoya"])
	if err := w.Line("Nagoya", "L2", []Device{d}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if page, err = os.ReadFile(filepath.Join(dir, "Nagoya", "L2.html")); err == nil {
		doc, err = os.ReadFile(filepath.Join(dir, "Nagoya", "L2.json"))
	}
	if err != nil {
		t.Fatal(err)
	}
	return page, doc
}

// TestActivationGolden compares a line page and JSON file with a request
// of every note with testdata/activation/<lang>.{html,json}.golden;
// -update rewrites them.
func TestActivationGolden(t *testing.T) {
	for _, lang := range []classify.Lang{classify.English, classify.Japanese} {
		page, doc := writeActivationLine(t, lang)
		for ext, got := range map[string][]byte{"html": page, "json": doc} {
			checkGolden(t, filepath.Join("testdata", "activation", string(lang)+"."+ext+".golden"), got)
		}
	}
}

// TestActivationJapanese: on a Japanese line page no request's detail
// holds an English word, whatever its note, but for what is data: a
// return file's name and a machine's own message as they came, and a
// caller's detail without a note, each marked translate="no". The
// English page says each detail in the words of the JSON files.
func TestActivationJapanese(t *testing.T) {
	acts := activationNotes()
	cell := regexp.MustCompile(`<td class="act-[^"]*">(.*?)</td>`)
	tag := regexp.MustCompile(`<[^>]*>`)
	ids := regexp.MustCompile(`[\w-]*\d[\w-]*|[\w-]+(\.[\w-]+)+`) // codes and file names: no language
	word := regexp.MustCompile(`[A-Za-z][A-Za-z-]*`)
	for _, lang := range []classify.Lang{classify.English, classify.Japanese} {
		page, _ := writeActivationLine(t, lang)
		cells := cell.FindAllStringSubmatch(string(page), -1)
		if len(cells) != len(acts) {
			t.Fatalf("%s: %d requests on the page, want %d", lang, len(cells), len(acts))
		}
		for i, a := range acts {
			t.Run(string(lang)+"/"+string(a.Note.Code), func(t *testing.T) {
				data := a.Note.English().Data
				if a.Note.Code == "" {
					data = a.Detail
				}
				got := cells[i][1]
				if data != "" {
					if !strings.Contains(got, `<span translate="no">`+html.EscapeString(data)+"</span>") {
						t.Errorf("%q not marked as data: %s", data, got)
					}
					got = strings.Replace(got, html.EscapeString(data), " ", 1)
				}
				if lang == classify.English {
					if text := html.UnescapeString(tag.ReplaceAllString(cells[i][1], "")); !strings.Contains(text, a.Detail) {
						t.Errorf("English page: %q lacks %q", text, a.Detail)
					}
					return
				}
				text := html.UnescapeString(tag.ReplaceAllString(got, " "))
				for _, w := range word.FindAllString(ids.ReplaceAllString(text, " "), -1) {
					if !productWords[w] && w != "ActivationWs" && strings.ToUpper(w) != w {
						t.Errorf("English %q in %q", w, strings.TrimSpace(text))
					}
				}
			})
		}
	}
}

// TestActivationSaidOnce: a request's detail adds to its state what the
// state does not say: a request with a CID on file says so in its state
// alone, not again in its detail ("確認 ID あり (次の USB メモリで送付)
// 確認 ID あり: 新たな依頼は不要").
func TestActivationSaidOnce(t *testing.T) {
	onFile := map[classify.Lang][]string{classify.English: {"CID on file", "Confirmation ID on file"}, classify.Japanese: {"確認 ID あり"}}
	cell := regexp.MustCompile(`<td class="act-cid-on-file">(.*?)</td>`)
	detail := regexp.MustCompile(`<span class="kv">(.*?)</span>`)
	for _, lang := range []classify.Lang{classify.English, classify.Japanese} {
		page, _ := writeActivationLine(t, lang)
		cells := cell.FindAllStringSubmatch(string(page), -1)
		if len(cells) != 2 {
			t.Fatalf("%s: %d requests with a CID on file, want 2", lang, len(cells))
		}
		for _, c := range cells {
			d := detail.FindStringSubmatch(c[1])
			if d == nil {
				t.Errorf("%s: no detail in %s", lang, c[1])
				continue
			}
			for _, words := range onFile[lang] {
				if strings.Contains(d[1], words) {
					t.Errorf("%s: the detail %q says %q again, which its state says", lang, d[1], words)
				}
			}
		}
	}
}

// TestActivationStateNotRepeated: a request's detail does not say again
// what its state says: "no Installation ID: collect again as
// administrator" was followed by "the collection holds no Installation
// ID: collect again as administrator", "sent on a stick, not applied
// yet" by "in return file … of …: not applied yet", "applied" by
// "applied 2026-11-29".
func TestActivationStateNotRepeated(t *testing.T) {
	for _, tc := range []struct {
		state string
		lang  classify.Lang
		words string
	}{
		{"no-iid", classify.English, "collect again as administrator"},
		{"no-iid", classify.Japanese, "管理者として再収集"},
		{"sent", classify.English, "not applied yet"},
		{"sent", classify.Japanese, "未適用"},
		{"applied", classify.English, "applied"},
		{"applied", classify.Japanese, "適用"},
	} {
		page, _ := writeActivationLine(t, tc.lang)
		cells := regexp.MustCompile(`<td class="act-`+tc.state+`">(.*?)</td>`).FindAllStringSubmatch(string(page), -1)
		if len(cells) == 0 {
			t.Fatalf("%s: no %s request on the page", tc.lang, tc.state)
		}
		for _, c := range cells {
			state, detail, ok := strings.Cut(c[1], `<span class="kv">`)
			if !ok || !strings.Contains(state, tc.words) {
				t.Fatalf("%s: %s: state %q without its words %q, or no detail", tc.lang, tc.state, state, tc.words)
			}
			if strings.Contains(detail, tc.words) {
				t.Errorf("%s: %s: the detail %q says %q again, which its state says", tc.lang, tc.state, detail, tc.words)
			}
		}
	}
}
