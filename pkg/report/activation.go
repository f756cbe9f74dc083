package report

import (
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// Activation is where one product's request for a Confirmation ID stands
// (the activation return path, docs/activation.md). State is one of
// needs-cid, cid-on-file, sent, applied, failed, no-iid. Detail is in
// English, as the JSON files give it; Note is the same as data, which
// a line page says in the report's language. One without a Note shows
// its Detail as it is.
type Activation struct {
	Product string        `json:"product"`
	State   string        `json:"state"`
	Detail  string        `json:"detail,omitempty"`
	Note    worklist.Note `json:"-"`
}

// activationView is a row of a line page's activation table.
type activationView struct {
	Asset, Host, Product, State string
	Detail                      *worklist.Words // nil for none
	Class                       string          // the state, for its colour
}

// activationDetail is a's detail in the report's language: its Note,
// else its Detail as it is, which nothing says is in the page's
// language, as data.
func activationDetail(a *Activation, l classify.Lang) *worklist.Words {
	var w worklist.Words
	switch {
	case a.Note.Code == "":
		w.Data = a.Detail
	case l == classify.Japanese:
		w = a.Note.Japanese()
	default:
		w = a.Note.English()
	}
	if w == (worklist.Words{}) {
		return nil
	}
	return &w
}

// activationStates say the states in a report's language, with the
// group a line's count puts them in.
func activationState(s string, l classify.Lang) (text, group string) {
	ja := l == classify.Japanese
	pick := func(en, jp string) string {
		if ja {
			return jp
		}
		return en
	}
	switch s {
	case "needs-cid":
		return pick("needs a Confirmation ID", "確認 ID が必要"), "pending"
	case "cid-on-file":
		return pick("Confirmation ID on file, for the next stick", "確認 ID あり (次の USB メモリで送付)"), "pending"
	case "sent":
		return pick("sent on a stick, not applied yet", "USB メモリで送付済み、未適用"), "pending"
	case "applied":
		return pick("applied", "適用済み"), "applied"
	case "failed":
		return pick("failed", "失敗"), "failed"
	}
	return pick("no Installation ID: collect again as administrator", "インストール ID なし: 管理者として再収集"), "pending"
}

// activationTable is a line's activation requests and their counts in
// words: pending, applied, failed.
func activationTable(rows []row, l classify.Lang) (views []activationView, counts string) {
	n := map[string]int{}
	for i := range rows {
		d := rows[i].d
		for j := range d.Activation {
			a := &d.Activation[j]
			text, group := activationState(a.State, l)
			n[group]++
			views = append(views, activationView{Asset: d.Asset, Host: d.Hostname, Product: a.Product, State: text,
				Detail: activationDetail(a, l), Class: a.State})
		}
	}
	if len(views) == 0 {
		return nil, ""
	}
	words := [3]string{"pending", "applied", "failed"}
	if l == classify.Japanese {
		words = [3]string{"対応待ち", "適用済み", "失敗"}
	}
	var parts []string
	for i, g := range []string{"pending", "applied", "failed"} {
		parts = append(parts, fmt.Sprintf("%s %d", words[i], n[g]))
	}
	return views, strings.Join(parts, " · ")
}

// activationTitle heads the table.
func activationTitle(l classify.Lang) string {
	if l == classify.Japanese {
		return "ライセンス認証の依頼 (インストール ID → 確認 ID)"
	}
	return "Activation requests (Installation ID → Confirmation ID)"
}
