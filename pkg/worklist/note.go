package worklist

import (
	"fmt"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// NoteCode says which note a Row has: why it failed, when it was sent,
// what to do. A report's JSON gives it as detail_code beside the
// English detail (docs/importer.md), so that a program need not read
// the words.
type NoteCode string

// The notes, each with the values of Note it uses.
const (
	// NoteApplied: the machine applied the CID (At: when). Its words
	// are the day only: the row's state (Applied) says the rest.
	NoteApplied NoteCode = "applied"
	// NoteNoIID: the latest collection holds no IID (its state says
	// to collect again as administrator).
	NoteNoIID NoteCode = "no-iid"
	// NoteIIDLength: the IID is not 63 digits long (Digits), which is
	// all ActivationWs's API takes (its ValidationPatterns).
	NoteIIDLength NoteCode = "iid-length"
	// NoteCIDOnFile: a CID is on file: no new request. Its words say
	// only the latter: the row's state (CIDOnFile) says the former.
	NoteCIDOnFile NoteCode = "cid-on-file"
	// NoteSent: in a return file (File, written At), not applied yet
	// (which its state says).
	NoteSent NoteCode = "sent"
	// NoteHRESULT: the machine refused the CID with an HRESULT.
	NoteHRESULT NoteCode = "hresult"
	// NoteIIDChanged: the hardware or the key changed since the IID
	// was taken (activation.WhyIIDChanged).
	NoteIIDChanged NoteCode = "iid-changed"
	// NoteMessage: the machine failed and said why in its own words
	// (Message), which no language of ours changes: a reason the
	// collector gives no code for (a method that failed without an
	// HRESULT says what failed only in its words).
	NoteMessage NoteCode = "message"
	// NoteNoProduct: no product on the machine has the item's
	// Activation ID (activation.WhyNoProduct).
	NoteNoProduct NoteCode = "no-product"
	// NoteDepositedNotActivated: the machine deposited the CID, but the
	// product did not become activated (activation.WhyNotActivated).
	NoteDepositedNotActivated NoteCode = "deposited-not-activated"
	// NoteNoKeyProduct: the item's product key was installed, but no
	// product shows it (activation.WhyNoKeyProduct).
	NoteNoKeyProduct NoteCode = "no-key-product"
	// NoteNotReadable: the machine's licenses could not be read, before
	// or after depositing (activation.WhyNotReadable); the collector
	// tells the engineer to run it as administrator.
	NoteNotReadable NoteCode = "not-readable"
	// NoteNotActivated: the machine said applied, but its latest
	// collection shows the product not activated; the CID is on file,
	// which the row's state (CIDOnFile) says, not the note.
	NoteNotActivated NoteCode = "applied-not-activated"
)

// Note is a Row's detail as data: a code and the values it is said
// with, so that each page says it in its language (English, Japanese).
// The zero Note is none.
type Note struct {
	Code    NoteCode
	At      time.Time // NoteApplied: when applied; NoteSent: when the return file was written
	File    string    // NoteSent: the return file's name
	Digits  int       // NoteIIDLength: the IID's length
	HRESULT uint32    // NoteHRESULT
	// Message is NoteMessage's: what the machine's proof said, as it
	// came (a bundle's: shown escaped, as any stored value).
	Message string
}

// Words is a note in one language. Data, a value as it came (a return
// file's name, a machine's own message), stands between two texts in
// that language, so that a page can mark it as data (translate="no").
type Words struct {
	Before, Data, After string
}

// String is the words as one text.
func (w Words) String() string { return w.Before + w.Data + w.After }

// day is a date as every page shows one.
func day(t time.Time) string { return t.Format("2006-01-02") }

// English says n in English: the words the worklist's Detail column
// and a report's JSON detail hold. They add to the row's state what it
// does not say (a state's words: pkg/report's line page, the
// worklist's page), not what it does: "no new request needed", not
// "CID on file" again.
func (n Note) English() Words {
	switch n.Code {
	case NoteApplied:
		return Words{Before: "on " + day(n.At)}
	case NoteNoIID:
		return Words{Before: "none in the latest collection"}
	case NoteIIDLength:
		return Words{Before: fmt.Sprintf("%d digits: ActivationWs takes only 63; use VAMT or the portal", n.Digits)}
	case NoteCIDOnFile:
		return Words{Before: "no new request needed"}
	case NoteSent:
		return Words{"in return file ", n.File, " of " + day(n.At)}
	case NoteHRESULT:
		if rs, ok := licensing.LookupReason(n.HRESULT); ok {
			return Words{Before: licensing.HRESULT(n.HRESULT) + " " + rs.English}
		}
		return Words{Before: licensing.HRESULT(n.HRESULT)}
	case NoteIIDChanged:
		return Words{Before: "the hardware or the key changed since the IID was taken: take a new IID"}
	case NoteMessage:
		return Words{Data: n.Message}
	case NoteNoProduct:
		return Words{Before: "the product is not installed on the machine"}
	case NoteDepositedNotActivated:
		return Words{Before: "the CID was deposited, but the product is not activated"}
	case NoteNoKeyProduct:
		return Words{Before: "the product key was installed, but no product shows it"}
	case NoteNotReadable:
		return Words{Before: "the machine's licenses could not be read: run ActCourier as administrator"}
	case NoteNotActivated:
		return Words{Before: "the machine said applied, but its latest collection shows it not activated"}
	}
	return Words{}
}

// Japanese says n in Japanese, in the words of the reports' Japanese
// pages (pkg/report's texts: 確認 ID, インストール ID, terse clauses
// joined by a colon) and of the collector's screens (返送ファイル), a
// date as they show one.
func (n Note) Japanese() Words {
	switch n.Code {
	case NoteApplied:
		return Words{Before: day(n.At)}
	case NoteNoIID:
		return Words{Before: "最新の収集データにない"}
	case NoteIIDLength:
		return Words{Before: fmt.Sprintf("%d 桁: ActivationWs は 63 桁のみ対応、VAMT か Microsoft のポータルを使用", n.Digits)}
	case NoteCIDOnFile:
		return Words{Before: "新たな依頼は不要"}
	case NoteSent:
		return Words{day(n.At) + " の返送ファイル ", n.File, " に記載"}
	case NoteHRESULT:
		if rs, ok := licensing.LookupReason(n.HRESULT); ok {
			return Words{Before: licensing.HRESULT(n.HRESULT) + " " + rs.Japanese}
		}
		return Words{Before: licensing.HRESULT(n.HRESULT)}
	case NoteIIDChanged:
		return Words{Before: "インストール ID の取得後にハードウェアまたはプロダクト キーが変わった: 新しいインストール ID を取得"}
	case NoteMessage:
		return Words{Data: n.Message}
	case NoteNoProduct:
		return Words{Before: "製品が端末にインストールされていない"}
	case NoteDepositedNotActivated:
		return Words{Before: "確認 ID を適用したが、ライセンス認証されていない"}
	case NoteNoKeyProduct:
		return Words{Before: "プロダクト キーをインストールしたが、どの製品にも表示されない"}
	case NoteNotReadable:
		return Words{Before: "端末のライセンスを読み取れない: 管理者として ActCourier を実行"}
	case NoteNotActivated:
		return Words{Before: "端末は適用済みと報告したが、最新の収集ではライセンス認証されていない"}
	}
	return Words{}
}
