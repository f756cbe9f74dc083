package report

import (
	"fmt"
	"strings"

	"github.com/actcourier/actcourier/pkg/classify"
)

// texts are the words of the reports in one language. The Japanese ones
// use Microsoft's own Japanese terms (ライセンス認証, プロダクト キー,
// 猶予期間, ボリューム ライセンス, 通知モード): auditors compare them
// with what Windows shows.
type texts struct {
	Lang                                                        classify.Lang
	Fleet, Site, Line, Sites, Lines, Devices, Device            string
	AsOf, Generated, Category, Reasons, Flags, Steps, Products  string
	AsOfPast                                                    string // a report of the fleet as it was (asOfNote): the as-of day and how many devices it leaves out
	Asset, Host, Collected, By, Collector, Bundle, Source, Raw  string
	Assets                                                      string // a plan row's devices: their asset tags
	Kind, Name, Channel, Status, Key, Count, Evidence, Product  string
	Action, Deadline, DaysLeft, EndDate, DeadlineKind, TimeZone string
	Plan, PlanNote, Purchase, Total, KMSPool, KMSPoolNote       string
	KMSSite                                                     string // KMSPool of a site's page and workbook, which show that site only
	Client, Server, Office, Eligible, Verdict, Meaning, None    string
	Overview, SignOff, Reviewer, Date, Findings, RawName, Rule  string
	HRESULT, DaysLeftN, Overdue, Now, Ended, NoExpiry, More     string
	MoreUrgent                                                  string // More, with how many of those only counted are urgent
	Collections, DeviceKey, KMSHost, System, Value              string
	MAKUnits, HostKeys, Images                                  string
	OfficeVolume, VisioVolume, ProjectVolume, WindowsVolume     string // what a plan row needs bought (buys)
	RuntimeLicenses                                             string
	UrgentCount, FirstDeadline                                  string // a plan row's urgent devices and earliest deadline
	FleetPlanNote                                               string // PlanNote of the fleet's page, whose rows list sites
	SiteCount, SiteUrgentCount                                  string // a fleet plan row's devices at a site: "(%d)", and "(%d, %d urgent)"
	Files, RowPerDevice, RowPerProduct, ForPrograms, Workbook   string // a page's links to its files (fileLink)
	FooterPages                                                 string // a printed sheet's page of pages, in Excel's footer codes (&P, &N)
	CategoryNames                                               map[classify.Category]string
	CategoryHelp                                                map[classify.Category]string
	DeadlineKinds                                               map[classify.DeadlineKind]string
	KMSStates                                                   map[classify.KMSState]string
	KMSKinds                                                    map[string]string
	FlagNames                                                   map[string]string
	SourceNames                                                 map[string]string
}

var english = texts{
	Lang: "en", Fleet: "Fleet", Site: "Site", Line: "Line", Sites: "Sites", Lines: "Lines", Devices: "Devices", Device: "Device",
	AsOf: "As of", Generated: "Generated",
	AsOfPast: "As of %s: the fleet as it was at the end of that day, each device as its latest collection made by then shows it; " +
		"devices first collected later are not in this report (%d left out).", Category: "Category", Reasons: "Reasons", Flags: "Notes", Steps: "What to do",
	Products: "Licensed products", Asset: "Asset tag", Assets: "Asset tags", Host: "Host name", Collected: "Collected", By: "Collected by",
	Collector: "Collector", Bundle: "Bundle", Source: "Source", Raw: "Raw slmgr.vbs / ospp.vbs output", Kind: "Kind", Name: "Name",
	Channel: "Channel", Status: "License status", Key: "Partial product key", Count: "Devices", Evidence: "Evidence",
	Product: "Product", Action: "Action", Deadline: "Deadline", DaysLeft: "Days left", EndDate: "End date",
	DeadlineKind: "What ends", TimeZone: "Time zone",
	Plan:          "Procurement and work plan",
	PlanNote:      "What to buy and what to do, per action and product: how many devices, how many of them urgent (act now), the first deadline; each row lists its devices, urgent ones first, in red.",
	FleetPlanNote: "What to buy and what to do, per action and product: how many devices, how many of them urgent (act now), the first deadline; each row lists its sites, with how many of its devices are there and how many of them urgent, sites with urgent devices first, in red.",
	SiteCount:     "(%d)", SiteUrgentCount: "(%d, %d urgent)",
	UrgentCount: "Urgent", FirstDeadline: "First deadline",
	Purchase: "To buy", Total: "Total", KMSPool: "KMS host per site", KMSSite: "KMS host",
	KMSPoolNote: "Whether a KMS host can serve the site's machines: eligible machines against the thresholds (25 Windows clients, 5 Windows servers, 5 Office), and a host that already works.",
	Client:      "Windows clients", Server: "Windows servers", Office: "Office", Eligible: "Eligible machines", Verdict: "Verdict",
	Meaning: "What it means", None: "none", Overview: "Overview", SignOff: "Review", Reviewer: "Reviewed by", Date: "Date",
	Findings: "Findings", RawName: "Name as read", Rule: "Rule", HRESULT: "HRESULT", DaysLeftN: "%d day(s) left",
	Overdue: "%d day(s) overdue", Now: "now", Ended: "ended", NoExpiry: "—", More: "and %d more", MoreUrgent: "and %d more, %d of them urgent",
	Collections: "Collections", DeviceKey: "Device key", KMSHost: "KMS host", System: "System",
	Value: "Value", MAKUnits: "%d MAK activation(s)", HostKeys: "%d KMS host key(s)", Images: "%d image(s)",
	OfficeVolume: "%d Office volume license(s)", VisioVolume: "%d Visio volume license(s)",
	ProjectVolume: "%d Project volume license(s)", WindowsVolume: "%d Windows volume license(s)",
	RuntimeLicenses: "%d runtime license(s) (volume license runtime key)",
	Files:           "Files", RowPerDevice: "a row per device", RowPerProduct: "a row per product", ForPrograms: "for programs",
	Workbook: "the site's workbook", FooterPages: "&P / &N",
	CategoryNames: map[classify.Category]string{classify.Urgent: "Urgent", classify.ImageBackup: "Image backup",
		classify.VolumeLicense: "Volume license", classify.OK: "OK"},
	CategoryHelp: map[classify.Category]string{
		classify.Urgent:        "not activated, in a grace period, or about to lapse: act now",
		classify.ImageBackup:   "activates again only online and has no volume license edition: keep a full image backup",
		classify.VolumeLicense: "cannot stay activated offline as it is (online-only activation, an evaluation, or a KMS client that does not renew): move it to KMS, MAK with proxy activation or Active Directory-based activation",
		classify.OK:            "activation works offline",
	},
	DeadlineKinds: map[classify.DeadlineKind]string{classify.DeadlineNow: "already ended", classify.DeadlineGrace: "grace period ends",
		classify.DeadlineKMS: "KMS activation expires", classify.DeadlineAD: "AD-based activation expires",
		classify.DeadlineActivation: "activation expires", classify.DeadlineEvaluation: "evaluation ends",
		classify.DeadlineSubscription: "subscription lapses unless it reaches Microsoft",
		classify.DeadlineEndOfSupport: "end of support"},
	KMSStates: map[classify.KMSState]string{classify.KMSHostWorks: "A KMS host works", classify.KMSHostPossible: "A KMS host is possible",
		classify.KMSHostNotPossible: "No KMS host: MAK"},
	KMSKinds: map[string]string{"client": "Windows clients", "server": "Windows servers", "office": "Office"},
	FlagNames: map[string]string{"end-of-support-os": "Windows out of support", "end-of-support-office": "Office out of support",
		"bitlocker-on": "BitLocker on", "low-disk": "Low disk space", "kms-host-unreachable": "KMS host unusable",
		"kms-host-missing": "No KMS host set", "kms-no-marker": "KMS cannot activate it (0xC004F035)", "digital-license": "Digital license",
		"mak-exhausted": "MAK exhausted", "key-blocked": "Product key blocked", "slp-marker-missing": "No OEM marker",
		"license-store-damaged": "License store damaged", "image-backup-seen": "Image backup found",
		"collection-incomplete": "Collection incomplete"},
	SourceNames: map[string]string{"wmi": "WMI", "slmgr": "slmgr.vbs", "ospp": "ospp.vbs", "text": "saved text", "files": "files"},
}

var japanese = texts{
	Lang: "ja", Fleet: "全体", Site: "拠点", Line: "ライン", Sites: "拠点一覧", Lines: "ライン一覧", Devices: "端末", Device: "端末",
	AsOf: "基準日", Generated: "作成日時",
	AsOfPast: "基準日 %s の終わり時点の状態です。各端末はその日までの最後の収集の内容で示し、" +
		"その後に初めて収集された端末はこのレポートに含まれません (除外 %d 台)。", Category: "区分", Reasons: "理由", Flags: "注意事項", Steps: "対応内容",
	Products: "ライセンス製品", Asset: "資産番号", Assets: "資産番号", Host: "ホスト名", Collected: "収集日時", By: "収集者", Collector: "収集プログラム",
	Bundle: "バンドル", Source: "情報源", Raw: "slmgr.vbs / ospp.vbs の出力 (原文)", Kind: "種類", Name: "製品名", Channel: "チャネル",
	Status: "ライセンスの状態", Key: "プロダクト キーの一部", Count: "台数", Evidence: "証跡", Product: "製品",
	Action: "対応", Deadline: "期限", DaysLeft: "残り日数", EndDate: "終了日", DeadlineKind: "期限の内容", TimeZone: "タイムゾーン",
	Plan:          "調達・作業計画",
	PlanNote:      "対応と製品ごとに、購入するものと作業、台数、そのうち緊急 (直ちに対応が必要) の台数、最初の期限を示します。各行に対象の端末を、緊急のものから赤字で示します。",
	FleetPlanNote: "対応と製品ごとに、購入するものと作業、台数、そのうち緊急 (直ちに対応が必要) の台数、最初の期限を示します。各行に対象の拠点と、そこにある台数と緊急の台数を、緊急の端末がある拠点から赤字で示します。",
	SiteCount:     "(%d 台)", SiteUrgentCount: "(%d 台、緊急 %d 台)",
	UrgentCount: "緊急", FirstDeadline: "最初の期限",
	Purchase: "購入", Total: "合計", KMSPool: "拠点ごとの KMS ホスト", KMSSite: "KMS ホスト",
	KMSPoolNote: "KMS ホストで拠点の端末をライセンス認証できるかの判定です。対象の端末の台数をしきい値 (Windows クライアント 25 台、Windows サーバー 5 台、Office 5 台) と比べ、稼働中のホストがあればそれを優先します。",
	Client:      "Windows クライアント", Server: "Windows サーバー", Office: "Office", Eligible: "対象の端末", Verdict: "判定",
	Meaning: "意味", None: "なし", Overview: "概要", SignOff: "確認欄", Reviewer: "確認者", Date: "日付", Findings: "所見",
	RawName: "取得した名前", Rule: "規則", HRESULT: "エラー コード", DaysLeftN: "残り %d 日", Overdue: "%d 日超過",
	Now: "直ちに", Ended: "終了", NoExpiry: "—", More: "ほか %d 台", MoreUrgent: "ほか %d 台 (うち緊急 %d 台)",
	Collections: "収集回数", DeviceKey: "端末キー", KMSHost: "KMS ホスト", System: "システム",
	Value: "値", MAKUnits: "MAK ライセンス認証 %d 回分", HostKeys: "KMS ホスト キー %d 個", Images: "イメージ %d 台分",
	OfficeVolume: "Office ボリューム ライセンス %d 台分", VisioVolume: "Visio ボリューム ライセンス %d 台分",
	ProjectVolume: "Project ボリューム ライセンス %d 台分", WindowsVolume: "Windows ボリューム ライセンス %d 台分",
	RuntimeLicenses: "ランタイム ライセンス %d 台分 (ボリューム ライセンス ランタイム キー)",
	Files:           "ファイル", RowPerDevice: "端末ごとに 1 行", RowPerProduct: "製品ごとに 1 行", ForPrograms: "プログラム用",
	Workbook: "拠点のブック", FooterPages: "&P / &N ページ",
	CategoryNames: map[classify.Category]string{classify.Urgent: "緊急", classify.ImageBackup: "イメージ バックアップ",
		classify.VolumeLicense: "ボリューム ライセンス", classify.OK: "問題なし"},
	CategoryHelp: map[classify.Category]string{
		classify.Urgent:        "ライセンス認証されていない、猶予期間中、または期限間近: 直ちに対応が必要",
		classify.ImageBackup:   "再度のライセンス認証はオンラインでしかできず、ボリューム ライセンスへの移行手段もない: フル イメージ バックアップで保存",
		classify.VolumeLicense: "現状のままではオフラインでライセンス認証を維持できない (オンライン専用のライセンス認証、評価版、更新されない KMS クライアント): KMS、プロキシ ライセンス認証による MAK、Active Directory ベースのライセンス認証に移行する",
		classify.OK:            "オフラインでライセンス認証を維持できる",
	},
	DeadlineKinds: map[classify.DeadlineKind]string{classify.DeadlineNow: "既に終了", classify.DeadlineGrace: "猶予期間の終了",
		classify.DeadlineKMS: "KMS ライセンス認証の有効期限", classify.DeadlineAD: "AD ベースのライセンス認証の有効期限",
		classify.DeadlineActivation: "ライセンス認証の有効期限", classify.DeadlineEvaluation: "評価期間の終了",
		classify.DeadlineSubscription: "サブスクリプションの期限 (Microsoft への接続が必要)",
		classify.DeadlineEndOfSupport: "サポート終了"},
	KMSStates: map[classify.KMSState]string{classify.KMSHostWorks: "稼働中の KMS ホストあり", classify.KMSHostPossible: "KMS ホストを設置可能",
		classify.KMSHostNotPossible: "KMS ホストは不可 (MAK)"},
	KMSKinds: map[string]string{"client": "Windows クライアント", "server": "Windows サーバー", "office": "Office"},
	FlagNames: map[string]string{"end-of-support-os": "Windows のサポート終了", "end-of-support-office": "Office のサポート終了",
		"bitlocker-on": "BitLocker 有効", "low-disk": "空き領域不足", "kms-host-unreachable": "KMS ホストを利用不可",
		"kms-host-missing": "KMS ホスト未設定", "kms-no-marker": "KMS でライセンス認証不可 (0xC004F035)", "digital-license": "デジタル ライセンス",
		"mak-exhausted": "MAK のライセンス認証回数切れ", "key-blocked": "プロダクト キーのブロック", "slp-marker-missing": "OEM マーカーなし",
		"license-store-damaged": "ライセンス ストアの破損", "image-backup-seen": "イメージ バックアップあり",
		"collection-incomplete": "収集が不完全"},
	SourceNames: map[string]string{"wmi": "WMI", "slmgr": "slmgr.vbs", "ospp": "ospp.vbs", "text": "保存されたテキスト", "files": "ファイル"},
}

func lang(l classify.Lang) *texts {
	if l == classify.Japanese {
		return &japanese
	}
	return &english
}

// count fills a text of a number, format (one %d): in English, "(s)"
// is dropped for one and made "s" for any other number ("1 day left",
// "3 MAK activations"); Japanese texts have no "(s)".
func (t *texts) count(format string, n int) string {
	s := fmt.Sprintf(format, n)
	if n == 1 || n == -1 {
		return strings.Replace(s, "(s)", "", 1)
	}
	return strings.Replace(s, "(s)", "s", 1)
}
