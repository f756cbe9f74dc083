package worklist

import (
	"embed"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// The page is written by its template: html/template escapes every value
// for where it goes, and nothing of the page is put together by hand.
//
//go:embed templates/worklist.tmpl
var templates embed.FS

var page = template.Must(template.ParseFS(templates, "templates/worklist.tmpl"))

// labels name the states in both languages.
func label(s State) string {
	switch s {
	case NeedsCID:
		return "Needs a CID / 確認 ID が必要"
	case CIDOnFile:
		// Its note says that no new request is needed (NoteCIDOnFile).
		return "CID on file, for the next stick / 確認 ID あり (次の USB メモリで送付)"
	case Sent:
		return "Sent on a stick / USB メモリで送付済み"
	case Applied:
		return "Applied / 適用済み"
	case Failed:
		return "Failed / 失敗"
	case NoIID:
		return "No IID: collect again as administrator / IID なし: 管理者として再収集"
	}
	return string(s)
}

// PageOptions say what the page is of.
type PageOptions struct {
	Title     string // the site, or "fleet"
	Generated time.Time
	Generator string
}

type pageView struct {
	Title, Generated, Generator string
	Counts                      []count
	Lines                       []lineView
}

type count struct {
	Label string
	N     int
}

type lineView struct {
	Site, Line string
	Counts     []count
	Rows       []rowView
}

// A rowView's IDs and boxes come in the lines they are printed on:
// lines, not the width of the page, decide where an ID wraps, so that a
// row is as wide on every browser and printer and the columns of names
// keep the rest of the page (TestWorklistPageInBrowser).
type rowView struct {
	Asset, Host, Product, ExtendedPID string
	State                             State
	Label                             string
	Notes                             []Words // the note in English, then in Japanese
	IID, CID                          [][]string
	Boxes                             [][]struct{}
}

// Groups and boxes to a printed line: three groups of an ID (21 digits
// of an IID) or two boxes, each wide enough to write six digits in.
const (
	groupsPerLine = 3
	boxesPerLine  = 2
)

// lines cuts s into lines of n.
func lines[T any](s []T, n int) [][]T {
	var out [][]T
	for len(s) > n {
		out = append(out, s[:n:n])
		s = s[n:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}

// fleetTitle is a worklist's title when none is given: the fleet's.
const fleetTitle = "fleet / 全拠点"

// titleOf is title as a worklist's page and printed footer name it:
// trimmed, the fleet's (fleetTitle) when empty.
func titleOf(title string) string {
	if title = strings.TrimSpace(title); title == "" {
		return fleetTitle
	}
	return title
}

// WritePage writes the printable worklist of rows, which come in site,
// line order: per line its counts and rows, each IID in the groups a
// phone prompt or portal asks for, each CID on file likewise, and eight
// boxes to write a CID in where one is needed. A character that reorders
// or hides text is shown as \uXXXX in every value (terminal.ShowHidden).
func WritePage(w io.Writer, rows []Row, opt PageOptions) error {
	opt.Title = titleOf(opt.Title)
	v := pageView{Title: opt.Title, Generated: opt.Generated.Format("2006-01-02 15:04 MST"), Generator: opt.Generator}
	all := map[State]int{}
	var per map[State]int
	for _, r := range rows {
		if n := len(v.Lines); n == 0 || v.Lines[n-1].Site != r.Site || v.Lines[n-1].Line != r.Line {
			if per != nil {
				v.Lines[n-1].Counts = counts(per)
			}
			v.Lines = append(v.Lines, lineView{Site: r.Site, Line: r.Line})
			per = map[State]int{}
		}
		per[r.State]++
		all[r.State]++
		rv := rowView{Asset: r.Asset, Host: r.Host, Product: r.Product, ExtendedPID: r.ExtendedPID, State: r.State, Label: label(r.State),
			Notes: notes(r)}
		if r.IID != "" {
			rv.IID = lines(activation.Groups(r.IID), groupsPerLine)
		}
		if r.CID != "" {
			rv.CID = lines(activation.Groups(r.CID), groupsPerLine)
		} else if r.State == NeedsCID {
			rv.Boxes = lines(make([]struct{}, activation.CIDDigits/6), boxesPerLine)
		}
		l := &v.Lines[len(v.Lines)-1]
		l.Rows = append(l.Rows, rv)
	}
	if per != nil {
		v.Lines[len(v.Lines)-1].Counts = counts(per)
	}
	v.Counts = counts(all)
	// html/template leaves a U+202E in a host name as it is, and the
	// name reads backwards from there on: the page shows every character
	// that reorders or hides text as \uXXXX (terminal.ShowHidden), as
	// the reports' pages do, identifiers too. None is in the template.
	var b strings.Builder
	if err := page.Execute(&b, v); err != nil {
		return err
	}
	_, err := io.WriteString(w, terminal.ShowHidden(b.String()))
	return err
}

// notes are r's note in both languages, once where they are the same
// (a machine's own message) or the Japanese holds nothing the English
// does not (a day); a Row without a Note shows its Detail as
// it is.
func notes(r Row) []Words {
	if r.Note.Code == "" {
		if r.Detail == "" {
			return nil
		}
		return []Words{{Before: r.Detail}}
	}
	en, ja := r.Note.English(), r.Note.Japanese()
	if en == (Words{}) {
		return nil
	}
	if ja == en {
		return []Words{en}
	}
	// The Japanese saying nothing the English does not (the day an
	// item was applied: "on 2026-11-29", "2026-11-29") is said once.
	if en.Data == "" && ja.Data == "" && ja != (Words{}) && strings.Contains(en.String(), ja.String()) {
		return []Words{ja}
	}
	return []Words{en, ja}
}

func counts(m map[State]int) []count {
	var out []count
	for _, s := range States {
		if m[s] > 0 {
			out = append(out, count{label(s), m[s]})
		}
	}
	return out
}
