package report

import "github.com/actcourier/actcourier/pkg/classify"

// texts are the words of the reports in one language.
type texts struct {
	Lang                                                         classify.Lang
	Fleet, Site, Line, Sites, Lines, Devices, Device             string
	AsOf, Generated, Category, Reasons, Flags, Routes, Products  string
	Asset, Host, Collected, By, Collector, Bundle, Source, Raw   string
	Kind, Name, Channel, Status, Grace, Key, Count, Evidence     string
	Plan, PlanNote, Route, Edition, Product, KMSPool, Threshold  string
	Client, Server, Office, Minutes, None, Collections, Overview string
	CategoryNames                                                map[classify.Category]string
	RouteNames                                                   map[classify.Route]string
	CategoryHelp                                                 map[classify.Category]string
}

var english = texts{
	Lang: "en", Fleet: "Fleet", Site: "Site", Line: "Line", Sites: "Sites", Lines: "Lines", Devices: "Devices", Device: "Device",
	AsOf: "As of", Generated: "Generated", Category: "Category", Reasons: "Reasons", Flags: "Flags", Routes: "Suggested routes",
	Products: "Licensed products", Asset: "Asset", Host: "Host name", Collected: "Collected", By: "by", Collector: "Collector",
	Bundle: "Bundle", Source: "Source", Raw: "Raw slmgr / ospp output", Kind: "Kind", Name: "Name", Channel: "Channel",
	Status: "License status", Grace: "Grace left (min)", Key: "Partial key", Count: "Count", Evidence: "Evidence",
	Plan: "Volume-license plan", PlanNote: "Products that must move to a volume route, by product, edition and suggested route.",
	Route: "Route", Edition: "Edition", Product: "Product", KMSPool: "Machines that could use a KMS host",
	Threshold: "KMS threshold", Client: "Windows clients", Server: "Windows servers", Office: "Office",
	Minutes: "min", None: "none", Collections: "collections", Overview: "Overview",
	CategoryNames: map[classify.Category]string{classify.Urgent: "Urgent", classify.ImageBackup: "Image backup",
		classify.VolumeLicense: "Volume license", classify.OK: "OK"},
	RouteNames: map[classify.Route]string{classify.RouteKMS: "KMS", classify.RouteMAK: "MAK (proxy activation)",
		classify.RouteADBased: "AD-based activation"},
	CategoryHelp: map[classify.Category]string{
		classify.Urgent:        "not activated, in grace, or about to lapse: act now",
		classify.ImageBackup:   "online-only activation and no volume route: keep a full image backup",
		classify.VolumeLicense: "online-only activation; can move to KMS, MAK or AD-based activation",
		classify.OK:            "activation works offline",
	},
}

var japanese = texts{
	Lang: "ja", Fleet: "全体", Site: "拠点", Line: "ライン", Sites: "拠点一覧", Lines: "ライン一覧", Devices: "端末", Device: "端末",
	AsOf: "基準日", Generated: "作成日時", Category: "区分", Reasons: "理由", Flags: "注意事項", Routes: "推奨経路",
	Products: "ライセンス製品", Asset: "資産番号", Host: "ホスト名", Collected: "収集日時", By: "収集者", Collector: "コレクター",
	Bundle: "バンドル", Source: "情報源", Raw: "slmgr / ospp の出力 (原文)", Kind: "種類", Name: "名前", Channel: "チャネル",
	Status: "ライセンス状態", Grace: "猶予残り (分)", Key: "部分キー", Count: "台数", Evidence: "根拠",
	Plan: "ボリューム ライセンス移行計画", PlanNote: "ボリューム経路へ移行が必要な製品 (製品・エディション・推奨経路別)。",
	Route: "経路", Edition: "エディション", Product: "製品", KMSPool: "KMS ホストを利用できる台数",
	Threshold: "KMS しきい値", Client: "Windows クライアント", Server: "Windows サーバー", Office: "Office",
	Minutes: "分", None: "なし", Collections: "回の収集", Overview: "概要",
	CategoryNames: map[classify.Category]string{classify.Urgent: "緊急", classify.ImageBackup: "イメージ バックアップ",
		classify.VolumeLicense: "ボリューム ライセンス", classify.OK: "問題なし"},
	RouteNames: map[classify.Route]string{classify.RouteKMS: "KMS", classify.RouteMAK: "MAK (プロキシ認証)",
		classify.RouteADBased: "AD ベースのライセンス認証"},
	CategoryHelp: map[classify.Category]string{
		classify.Urgent:        "未認証・猶予期間中・期限間近: すぐに対応が必要",
		classify.ImageBackup:   "オンラインでしか認証できず、ボリューム経路もない: フル イメージ バックアップで保全",
		classify.VolumeLicense: "オンラインでしか認証できないが、KMS・MAK・AD ベースへ移行できる",
		classify.OK:            "オフラインで認証を維持できる",
	},
}

func lang(l classify.Lang) *texts {
	if l == classify.Japanese {
		return &japanese
	}
	return &english
}
