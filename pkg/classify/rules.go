package classify

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// rule is one row of the classification table. A rule with a category
// decides the verdict; a rule without one is a flag shown beside it.
// match returns one Evidence per finding (per product, per volume); none
// means the rule does not apply.
type rule struct {
	code     string
	category Category // "" for a flag
	source   string   // where the rule comes from, for docs/classification.md
	en, ja   string   // sentences with {placeholders} filled from the evidence
	// cases are sentences (en, ja) said instead of en and ja for
	// evidence of that case (Evidence.sentences): a product for which
	// part of the rule's sentence is not true.
	cases map[string][2]string
	match func(d *device) []Evidence
}

const day = 24 * 60 // minutes

// rules is the whole classifier, in order: the first category with a
// finding is the verdict, and all findings of that category are its
// reasons. Keep docs/classification.md in step with this table.
var rules = []rule{
	// urgent
	{code: "nothing-licensed", category: Urgent, source: "slmgr.vbs /dlv: \"This license is not in use.\" means no product key is installed",
		en: "Nothing is licensed: of the {count:license} listed ({product}…), none has a product key in use and no Windows product is in use: install and activate a key now.",
		ja: "ライセンスがありません。一覧にある {count} 件のライセンス ({product} など) はどれもプロダクト キーが使用されておらず、使用中の Windows 製品もありません。直ちにプロダクト キーをインストールしてライセンス認証してください。",
		match: func(d *device) []Evidence {
			if len(d.notInUse) == 0 || d.hasWindows() {
				return nil
			}
			p := d.notInUse[0]
			return []Evidence{{Product: p.Name, Kind: p.Kind, Channel: p.Channel, Status: licensing.StatusUnlicensed,
				Count: intp(len(d.notInUse)), Source: p.Source}}
		}},
	{code: "no-license-data", category: Urgent, source: "ActCourier: no Windows product means nothing is proven",
		en: "No Windows license was found in this collection: collect again, or check the machine by hand.",
		ja: "この収集では Windows のライセンス情報が見つかりませんでした。再収集するか、実機で確認してください。",
		match: func(d *device) []Evidence {
			if d.hasWindows() || len(d.notInUse) > 0 {
				return nil
			}
			return []Evidence{{Kind: licensing.KindWindows}}
		}},
	{code: "unlicensed", category: Urgent, source: "DOMAIN.md LicenseStatus 0",
		en:    "{product} is not activated (unlicensed){why}.",
		ja:    "{product} はライセンス認証されていません{why}。",
		match: eachProduct(func(d *device, p *product) bool { return p.Status == licensing.StatusUnlicensed })},
	// Before the grace rules, whose advice (activate it now, or keep an
	// image) an evaluation runtime can take neither of.
	{code: "embedded-evaluation-grace", category: Urgent, source: "Microsoft Learn, \"Image Product Keys and Activation (Standard 7 SP1)\": an evaluation runtime cannot be activated or upgraded",
		en:    "{product} is an evaluation in the {status}{why}.{convert}",
		ja:    "{product} は評価版で、{status}です{why}。{convert}",
		match: eachProductSaying(func(d *device, p *product) bool { return d.embeddedEval(p) && p.Status.InGrace() }, (*device).conversion)},
	{code: "grace-ended", category: Urgent, source: "DOMAIN.md LicenseStatus 2-6; grace projected to the as-of date",
		en: "{product} was in the {status} and it has ended by the as-of date{why}: activate it now, or keep its current state with an image backup.",
		ja: "{product} は{status}でしたが、基準日までに猶予期間が終了しています{why}。直ちにライセンス認証するか、イメージ バックアップで現状を保存してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status.InGrace() && p.Status != licensing.StatusNotification && p.minutes != nil && *p.minutes <= 0 && !d.embeddedEval(p)
		})},
	{code: "grace", category: Urgent, source: "DOMAIN.md LicenseStatus 2-6",
		en: "{product} is in the {status}{left}{why}: it is not activated; activate it now, or keep its current state with an image backup.",
		ja: "{product} は{status}です{left}{why}。ライセンス認証されていないため、直ちにライセンス認証するか、イメージ バックアップで現状を保存してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status.InGrace() && (p.Status == licensing.StatusNotification || p.minutes == nil || *p.minutes > 0) && !d.embeddedEval(p)
		})},
	{code: "status-unknown", category: Urgent, source: "ActCourier: an unread status proves nothing",
		en:    "The license status of {product} could not be read{why}: check it by hand.",
		ja:    "{product} のライセンスの状態を読み取れませんでした{why}。実機で確認してください。",
		match: eachProduct(func(d *device, p *product) bool { return p.Status == licensing.StatusUnknown || p.Status == "" })},
	{code: "evaluation-ending", category: Urgent, source: "issue 4: an evaluation ending within 30 days",
		en: "{product} is an evaluation that ends on {date} ({days:day} after the as-of date); it cannot be made permanent without a new key.{convert}",
		ja: "{product} は評価版で、{date} に期限が切れます (基準日から {days} 日)。新しいプロダクト キーがなければ製品版にできません。{convert}",
		// No key makes Windows Embedded Standard 7 with an evaluation
		// runtime key permanent: its {convert} says what does.
		cases: map[string][2]string{
			evalEmbedded: {"{product} is an evaluation that ends on {date} ({days:day} after the as-of date).{convert}",
				"{product} は評価版で、{date} に期限が切れます (基準日から {days} 日)。{convert}"},
			evalEmbeddedEnded: {"{product} is an evaluation that ended on {date}.{convert}",
				"{product} は評価版で、{date} に期限が切れています。{convert}"},
			// Any other evaluation whose end has passed by the as-of date
			// (its minutes projected past 0): it ended, not "-3 days after".
			evalEndedCase: {"{product} is an evaluation that ended on {date}; it cannot be made permanent without a new key.{convert}",
				"{product} は評価版で、{date} に期限が切れています。新しいプロダクト キーがなければ製品版にできません。{convert}"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, p := range d.products {
				if p.Status != licensing.StatusLicensed || p.subscription() {
					continue // a subscription is none: m365-subscription-ending
				}
				if ev, ok := d.evaluation(p); ok && *ev.Days < 30 {
					ev.sentences = embeddedCase(ev)
					if ev.sentences == "" && *ev.Days < 0 {
						ev.sentences = evalEndedCase
					}
					out = append(out, ev)
				}
			}
			return out
		}},
	// A licensed subscription counts the days to its next check with the
	// licensing service (ospp's REMAINING GRACE), which an offline
	// machine never makes: as an evaluation's end, they run out. It
	// counts them whether ospp reads its channel as TIMEBASED_SUB or as
	// retail: the source's 30 days hold for every subscription, and its
	// deadline is the same (DeadlineSubscription, Device's deadline).
	{code: "m365-subscription-ending", category: Urgent, source: "Microsoft TechNet, \"Overview of licensing and activation in Office 365 ProPlus\" (gg982959): connect to Office Licensing Service at least once every 30 days",
		en: "{product} is a Microsoft 365 subscription whose license runs out on {date} ({days:day} after the as-of date).{convert}",
		ja: "{product} は Microsoft 365 のサブスクリプションで、{date} にライセンスの期限が切れます (基準日から {days} 日)。{convert}",
		// Its check was due before the as-of date: unless it reached the
		// service since it was collected, which an offline machine does
		// not, its license ran out on that date.
		cases: map[string][2]string{
			subscriptionEnded: {"{product} is a Microsoft 365 subscription whose license ran out on {date} unless it has reached Microsoft's Office Licensing Service since it was collected.{convert}",
				"{product} は Microsoft 365 のサブスクリプションで、収集後に Microsoft の Office ライセンス サービスに接続していなければ、{date} にライセンスの期限が切れています。{convert}"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, p := range d.products {
				if !p.subscription() || p.Status != licensing.StatusLicensed {
					continue
				}
				dl, ok := d.deadline(p)
				if !ok || dl.Kind != DeadlineSubscription || dl.Days >= 30 {
					continue
				}
				ev := p.evidence()
				ev.Date, ev.Days, ev.convert = dl.Date.Format("2006-01-02"), intp(dl.Days), officeSubscription
				if dl.Days < 0 {
					ev.sentences = subscriptionEnded
				}
				out = append(out, ev)
			}
			return out
		}},
	{code: "kms-expired", category: Urgent, source: "DOMAIN.md KMS facts: valid 180 days, then OOT grace",
		en: "{product} is a KMS client whose activation has run out by the as-of date: it must reach a KMS host now.",
		ja: "{product} は KMS クライアントで、基準日までにライセンス認証の有効期限が切れています。直ちに KMS ホストに接続させてください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.Channel == licensing.ChannelGVLK && !p.adBased() && p.minutes != nil && *p.minutes <= 0
		})},
	{code: "kms-expiring", category: Urgent, source: "DOMAIN.md KMS facts: under 30 days left needs action now",
		en: "{product} is a KMS client with {days:day} of activation left at the as-of date: it must reach a KMS host before then.",
		ja: "{product} は KMS クライアントで、基準日時点でライセンス認証の有効期限まで残り {days} 日です。期限までに KMS ホストに接続させてください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.Channel == licensing.ChannelGVLK && !p.adBased() && p.minutes != nil &&
				*p.minutes > 0 && *p.minutes < 30*day
		})},
	// A product activated by AD-based activation uses no KMS host: it
	// activates against the activation object in its domain (DOMAIN.md
	// channel table: "fine inside the domain"). DOMAIN.md states no
	// validity period for it; the minutes left are those WMI or the
	// text gave (GracePeriodRemaining), read as a KMS client's are, and
	// under 30 of them is as urgent. What it needs is its domain, so the
	// reason and the step (ActionADConnect) say that, not a KMS host.
	{code: "ad-expired", category: Urgent, source: "DOMAIN.md channel table: AD-based activation uses an activation object in the domain; the minutes left as GracePeriodRemaining gives them",
		en: "{product} is activated by Active Directory-based activation, and its activation has run out by the as-of date: connect it to its domain now, where a domain controller is reachable, and activate it again.",
		ja: "{product} は Active Directory ベースのライセンス認証でライセンス認証されていますが、基準日までにライセンス認証の有効期限が切れています。直ちにドメインのネットワークに接続してドメイン コントローラーに到達できるようにし、再度ライセンス認証してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.adBased() && p.minutes != nil && *p.minutes <= 0
		})},
	{code: "ad-expiring", category: Urgent, source: "DOMAIN.md channel table: AD-based activation uses an activation object in the domain; KMS facts: under 30 days left needs action now",
		en: "{product} is activated by Active Directory-based activation, with {days:day} of activation left at the as-of date: connect it to its domain, where a domain controller is reachable, and activate it again before then.",
		ja: "{product} は Active Directory ベースのライセンス認証でライセンス認証されており、基準日時点でライセンス認証の有効期限まで残り {days} 日です。期限までにドメインのネットワークに接続してドメイン コントローラーに到達できるようにし、再度ライセンス認証してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.adBased() && p.minutes != nil && *p.minutes > 0 && *p.minutes < 30*day
		})},

	// image-backup
	{code: "online-only-no-volume", category: ImageBackup, source: "DOMAIN.md channel table; volume key list",
		en: "{product} is activated through the {channel} channel, which activates again only online, and it has no volume license edition: keep a full image backup.",
		ja: "{product} のチャネルは「{channel}」で、再度のライセンス認証はオンラインでしかできません。この製品にはボリューム ライセンス版がないため、フル イメージ バックアップを取得してください。",
		// A retail key of its own also activates by proxy (DOMAIN.md
		// channel table: "Retail with a key | online, or by proxy (VAMT
		// documents retail keys)"); a digital license and the OEM
		// channels only online. The category is the same: whether
		// Confirmation IDs are still issued is UNVERIFIED (DOMAIN.md).
		cases: map[string][2]string{
			retailKeyCase: {"{product} is activated through the {channel} channel with a key of its own, which activates again online, or by proxy activation (its Installation ID carried to a connected machine, the Confirmation ID carried back), and it has no volume license edition: keep a full image backup.",
				"{product} のチャネルは「{channel}」で、固有のプロダクト キーでライセンス認証されています。再度のライセンス認証はオンラインか、プロキシ ライセンス認証 (インストール ID を接続された端末に運び、確認 ID を持ち帰る方法) でしかできません。この製品にはボリューム ライセンス版がないため、フル イメージ バックアップを取得してください。"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, p := range d.products {
				if p.onlineOnly() && !p.volume && !p.subscription() {
					ev := p.evidence()
					if p.retailKey() {
						ev.sentences = retailKeyCase
					}
					out = append(out, ev)
				}
			}
			return out
		}},
	{code: "channel-unknown", category: ImageBackup, source: "DOMAIN.md: an unknown channel is unknown, never a default",
		en:    "The channel of {product} could not be read, so no offline route is proven: keep a full image backup until it is checked.",
		ja:    "{product} のチャネルを読み取れず、オフラインでライセンス認証できるかを確認できません。確認できるまでフル イメージ バックアップを取得してください。",
		match: eachProduct(func(d *device, p *product) bool { return p.Channel == licensing.ChannelUnknown || p.Channel == "" })},

	// volume-license
	{code: "m365-subscription", category: VolumeLicense, source: "Microsoft TechNet, \"Overview of licensing and activation in Office 365 ProPlus\" (gg982959): connect to Office Licensing Service at least once every 30 days",
		en: "{product} is a Microsoft 365 subscription.{convert}",
		ja: "{product} は Microsoft 365 のサブスクリプションです。{convert}",
		match: eachProductSaying(func(d *device, p *product) bool { return p.subscription() && p.Status == licensing.StatusLicensed },
			func(*device, *product) string { return officeSubscription })},
	{code: "online-only-volume", category: VolumeLicense, source: "DOMAIN.md channel table; volume key list",
		en: "{product} is activated through the {channel} channel, which activates again only online; it has a volume license edition, so it can move to a way that works offline.{convert}",
		ja: "{product} のチャネルは「{channel}」で、再度のライセンス認証はオンラインでしかできません。ボリューム ライセンス版があるため、オフラインでライセンス認証できる方法に移行できます。{convert}",
		// A retail key of its own, as online-only-no-volume says it.
		cases: map[string][2]string{
			retailKeyCase: {"{product} is activated through the {channel} channel with a key of its own, which activates again online, or by proxy activation (its Installation ID carried to a connected machine, the Confirmation ID carried back); it has a volume license edition, so it can move to a volume license route.{convert}",
				"{product} のチャネルは「{channel}」で、固有のプロダクト キーでライセンス認証されています。再度のライセンス認証はオンラインか、プロキシ ライセンス認証 (インストール ID を接続された端末に運び、確認 ID を持ち帰る方法) でしかできません。ボリューム ライセンス版があるため、ボリューム ライセンスによる方法に移行できます。{convert}"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, p := range d.products {
				if p.onlineOnly() && p.volume {
					ev := p.evidence()
					if p.replacedByVolume() {
						ev.convert = officeRetail
					}
					if p.retailKey() {
						ev.sentences = retailKeyCase
					}
					out = append(out, ev)
				}
			}
			return out
		}},
	{code: "evaluation", category: VolumeLicense, source: "DOMAIN.md: an evaluation cannot be made permanent without a new key",
		en: "{product} is an evaluation that ends on {date}: make it a licensed volume edition before then.{convert}",
		ja: "{product} は評価版で、{date} に期限が切れます。それまでにボリューム ライセンス版にしてください。{convert}",
		// Windows Embedded Standard 7 with an evaluation runtime key is
		// made no licensed edition: an image built again replaces it, as
		// its {convert} says.
		cases: map[string][2]string{
			evalEmbedded: {"{product} is an evaluation that ends on {date}.{convert}", "{product} は評価版で、{date} に期限が切れます。{convert}"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, p := range d.products {
				if p.subscription() {
					continue // not an evaluation: m365-subscription
				}
				if ev, ok := d.evaluation(p); ok && p.Status == licensing.StatusLicensed && *ev.Days >= 30 {
					ev.sentences = embeddedCase(ev)
					out = append(out, ev)
				} else if !ok && p.Channel == licensing.ChannelEval && p.Status == licensing.StatusLicensed {
					ev := p.evidence()
					ev.Date, ev.convert = "?", d.conversion(p)
					ev.sentences = embeddedCase(ev)
					out = append(out, ev)
				}
			}
			return out
		}},
	{code: "kms-no-host", category: VolumeLicense, source: "DOMAIN.md KMS facts: renews every 7 days against a host",
		en: "{product} is a KMS client with no KMS host configured or discovered: set up a KMS host, or configure one, before its activation runs out.",
		ja: "{product} は KMS クライアントですが、KMS ホストが設定も検出もされていません。ライセンス認証の有効期限が切れる前に、KMS ホストを用意するか設定してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.Channel == licensing.ChannelGVLK && !p.adBased() && !p.KMS.HasHost()
		})},
	// A host it names but cannot use is no better than none: a KMS client
	// is fine "while a KMS host is reachable" (DOMAIN.md channel table),
	// and 0xC004F074 is a "KMS client without a reachable host".
	{code: "kms-host-failing", category: VolumeLicense, source: "DOMAIN.md HRESULT table (0xC004F074: KMS client without a reachable host); channel table: Volume:GVLK is fine while a KMS host is reachable",
		en: "{product} is a KMS client whose KMS host ({host}) could not be used{why}: it does not renew there; make it reach a KMS host that works, or move it to another route, before its activation runs out.",
		ja: "{product} は KMS クライアントですが、KMS ホスト ({host}) を利用できませんでした{why}。このホストでは更新されないため、ライセンス認証の有効期限が切れる前に、稼働している KMS ホストに接続させるか、別の方法に移行してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.Channel == licensing.ChannelGVLK && !p.adBased() && p.KMS.HasHost() &&
				kmsFailures.has(p.StatusReason)
		})},
	// Its host is named and reports no failure, but its days left were
	// not read: no minutes in the text (slmgr without a "Volume
	// activation expiration" line, ospp without REMAINING GRACE), or 0,
	// which DOMAIN.md gives a permanent activation, not a KMS client.
	// kms-client claims 30 days or more, and its step (renews by itself)
	// needs them read; as status-unknown and channel-unknown hold, an
	// unread fact proves nothing. It is not urgent: its status was read
	// as licensed, so it had not run out when collected, and nothing
	// read says it has under 30 days. volume-license is the least
	// alarming category that does not call it fine: its step is that of
	// a KMS client that does not renew by itself (kmsRoute: activate
	// again at the site's working host or its own), which renews its
	// 180 days whatever was left. No deadline: its date was not read,
	// and none is made up.
	{code: "kms-days-unknown", category: VolumeLicense, source: "DOMAIN.md KMS facts: a KMS client with under 30 days left needs action now; ActCourier: an unread fact proves nothing",
		en: "{product} is a KMS client with a KMS host ({host}), but the expiration of its activation was not read: nothing collected shows that it has 30 days or more left. Activate it again, or check its expiration on the machine and collect again.",
		ja: "{product} は KMS クライアントで、KMS ホスト ({host}) がありますが、ライセンス認証の有効期限を読み取れませんでした。残り 30 日以上あることを示す収集結果がないため、再度ライセンス認証するか、実機で有効期限を確認して再収集してください。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Status == licensing.StatusLicensed && p.Channel == licensing.ChannelGVLK && !p.adBased() && p.KMS.HasHost() &&
				!kmsFailures.has(p.StatusReason) && p.minutes == nil
		})},

	// ok
	{code: "ad-based", category: OK, source: "DOMAIN.md channel table: AD-based activation",
		en:    "{product} is activated by Active Directory-based activation, which works inside the domain.",
		ja:    "{product} は Active Directory ベースのライセンス認証でライセンス認証されており、ドメイン内で有効です。",
		match: eachProduct(func(d *device, p *product) bool { return p.adBased() })},
	{code: "kms-client", category: OK, source: "DOMAIN.md channel table: Volume:GVLK",
		en: "{product} is a KMS client with a KMS host ({host}) and {days:day} of activation left at the as-of date.",
		ja: "{product} は KMS クライアントで、KMS ホスト ({host}) があり、基準日時点でライセンス認証の有効期限まで残り {days} 日です。",
		// Its days left were read: kms-days-unknown otherwise.
		match: eachProduct(func(d *device, p *product) bool {
			return p.Channel == licensing.ChannelGVLK && !p.adBased() && p.KMS.HasHost() && !kmsFailures.has(p.StatusReason) && p.minutes != nil
		})},
	{code: "mak-activated", category: OK, source: "DOMAIN.md channel table: Volume:MAK",
		en:    "{product} is activated with a MAK; if it must be activated again, proxy activation works offline.",
		ja:    "{product} は MAK でライセンス認証済みです。再度のライセンス認証が必要になっても、プロキシ ライセンス認証でオフラインのまま認証できます。",
		match: eachProduct(func(d *device, p *product) bool { return p.Channel == licensing.ChannelMAK })},
	{code: "oem-slp", category: OK, source: "DOMAIN.md channel table: OEM:SLP",
		en:    "{product} is activated by OEM SLP against the BIOS marker: it reactivates offline on this hardware.",
		ja:    "{product} は BIOS のマーカーによる OEM ライセンス認証 (SLP) で認証されており、このハードウェア上ならオフラインで再度ライセンス認証できます。",
		match: eachProduct(func(d *device, p *product) bool { return p.Channel == licensing.ChannelOEMSLP })},
	{code: "kms-host", category: OK, source: "DOMAIN.md: Volume:CSVLK is a KMS host key",
		en:    "{product} is a KMS host (KMS host key), activated.",
		ja:    "{product} は KMS ホスト (KMS ホスト キー) で、ライセンス認証済みです。",
		match: eachProduct(func(d *device, p *product) bool { return p.Channel == licensing.ChannelCSVLK })},
	{code: "avma", category: OK, source: "DOMAIN.md: AVMA (VIRTUAL_MACHINE_ACTIVATION)",
		en:    "{product} is activated by its Hyper-V host (AVMA).",
		ja:    "{product} は Hyper-V ホストによる仮想マシンの自動ライセンス認証 (AVMA) で認証されています。",
		match: eachProduct(func(d *device, p *product) bool { return p.Channel == licensing.ChannelAVMA })},

	// flags
	{code: "end-of-support-os", source: "DOMAIN.md End of support (Microsoft lifecycle)",
		en: "{product} reached the end of support on {date}: no security updates are provided; plan an image backup and a migration.",
		ja: "{product} は {date} にサポートが終了しています。セキュリティ更新プログラムは提供されていません。イメージ バックアップと移行を計画してください。",
		// An image of Windows Embedded Standard 7 with an evaluation
		// runtime key keeps an evaluation that ends (rebuild-image).
		cases: map[string][2]string{
			evalEmbedded: {"{product} reached the end of support on {date}: no security updates are provided; plan a migration.",
				"{product} は {date} にサポートが終了しています。セキュリティ更新プログラムは提供されていません。移行を計画してください。"},
			// Its ESU add-on is activated, before the ESU end DOMAIN.md
			// gives (esuCovers): updates still come, through ESU only.
			esuCase: {"{product} reached the end of support on {date}: its Extended Security Updates (ESU) add-on is activated, so security updates come only through ESU, until the ESU period ends; plan an image backup and a migration.",
				"{product} は {date} にサポートが終了しています。拡張セキュリティ更新プログラム (ESU) のアドオンがライセンス認証されているため、ESU の期間が終わるまでは ESU によってのみセキュリティ更新プログラムが提供されます。イメージ バックアップと移行を計画してください。"},
		},
		match: func(d *device) []Evidence {
			s, ok := d.osSupport()
			if !ok || d.asOf.Before(s.date(d.asOf.Location())) {
				return nil
			}
			ev := Evidence{Product: s.name, Kind: licensing.KindWindows, Date: s.end, sentences: d.imageCase()}
			if ev.sentences == "" && d.esuCovers(s) {
				ev.sentences = esuCase
			}
			return []Evidence{ev}
		}},
	{code: "end-of-support-office", source: "DOMAIN.md End of support (Microsoft lifecycle)",
		en: "{product} reached the end of support on {date}: no security updates are provided; plan an image backup and a migration.",
		ja: "{product} は {date} にサポートが終了しています。セキュリティ更新プログラムは提供されていません。イメージ バックアップと移行を計画してください。",
		// On Windows Embedded Standard 7 with an evaluation runtime key,
		// as end-of-support-os says.
		cases: map[string][2]string{
			evalEmbedded: {"{product} reached the end of support on {date}: no security updates are provided; plan a migration.",
				"{product} は {date} にサポートが終了しています。セキュリティ更新プログラムは提供されていません。移行を計画してください。"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			seen := map[string]bool{}
			for _, p := range d.products {
				s, ok := officeSupport(p)
				if !ok || d.asOf.Before(s.date(d.asOf.Location())) || seen[s.name] {
					continue
				}
				seen[s.name] = true
				out = append(out, Evidence{Product: s.name, Kind: licensing.KindOffice, Date: s.end, sentences: d.imageCase()})
			}
			return out
		}},
	{code: "bitlocker-on", source: "DOMAIN.md: the recovery key must be secured before imaging",
		en: "BitLocker is on for {volume}; secure the recovery key before taking an image.",
		ja: "{volume} で BitLocker が有効です。イメージを取得する前に回復キーを確保してください。",
		// On Windows Embedded Standard 7 with an evaluation runtime key
		// no image is taken: an image built again is deployed over it
		// (rebuild-image), and what is kept of the volume is read with
		// its recovery key.
		cases: map[string][2]string{
			evalEmbedded: {"BitLocker is on for {volume}: secure its recovery key, and copy off any data to keep, before the image built again is deployed.",
				"{volume} で BitLocker が有効です。作り直したイメージを展開する前に、回復キーを確保し、残すデータをコピーしてください。"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, v := range d.s.Volumes {
				switch strings.ToLower(v.BitLocker) {
				case "on", "encrypting", "decrypting":
					out = append(out, Evidence{Volume: v.Name, sentences: d.imageCase()})
				}
			}
			return out
		}},
	{code: "low-disk", source: "ActCourier heuristic: Windows Backup needs shadow-copy space; under 10% or 2 GiB free is low",
		en: "{volume} has {free} free of {size}: an image backup may fail; free space first.",
		ja: "{volume} の空き領域は {size} 中 {free} です。イメージ バックアップが失敗するおそれがあるため、先に空き領域を確保してください。",
		// On Windows Embedded Standard 7 with an evaluation runtime key
		// no image backup is taken (rebuild-image): the image built
		// again is what leaves room.
		cases: map[string][2]string{
			evalEmbedded: {"{volume} has {free} free of {size}: leave more room on it in the image built again.",
				"{volume} の空き領域は {size} 中 {free} です。作り直すイメージでは、空き領域を多めに確保してください。"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, v := range d.s.Volumes {
				if !v.System || v.SizeBytes <= 0 {
					continue
				}
				if v.FreeBytes < 2<<30 || v.FreeBytes*10 < v.SizeBytes {
					free, size := v.FreeBytes, v.SizeBytes
					out = append(out, Evidence{Volume: v.Name, FreeBytes: &free, SizeBytes: &size, sentences: d.imageCase()})
				}
			}
			return out
		}},
	{code: "kms-host-unreachable", source: "DOMAIN.md HRESULT table; slmgr.vbs L_MsgError_8007232A, _8007251D",
		en: "The KMS host of {product} could not be used: {hresult} ({meaning}).",
		ja: "{product} の KMS ホストを利用できませんでした: {hresult} ({meaning})。",
		match: eachProduct(func(d *device, p *product) bool {
			switch p.StatusReason {
			case 0xC004F074, 0x8007232B, 0xC004F038, 0xC004F056, 0x8007232A, 0x8007251D:
				// Only a KMS client meets these codes; a failed /ato
				// text does not state the channel, so unknown counts.
				return p.Channel == licensing.ChannelGVLK || p.Channel == licensing.ChannelUnknown || p.Channel == ""
			}
			return false
		})},
	{code: "kms-host-missing", source: "DOMAIN.md KMS facts: clients find the host by DNS SRV or a configured name",
		en: "No KMS host is configured or discovered for {product}.",
		ja: "{product} には KMS ホストが設定も検出もされていません。",
		match: eachProduct(func(d *device, p *product) bool {
			return p.Channel == licensing.ChannelGVLK && !p.adBased() && !p.KMS.HasHost()
		})},
	{code: "kms-no-marker", source: "DOMAIN.md HRESULT 0xC004F035: white-box Windows 7 cannot use KMS",
		en: "{product} cannot use KMS on this hardware: the BIOS lacks the Windows marker that a Windows 7 KMS client needs{why}.",
		ja: "{product} はこのハードウェアでは KMS を使えません。Windows 7 の KMS クライアントに必要な BIOS の Windows マーカーがありません{why}。",
		// Not a Windows 7 client: the marker is DOMAIN.md's reading of
		// the code for Windows 7 only (qualifyingLicense); an Office is
		// told neither (officeVolumeKey).
		cases: map[string][2]string{
			officeVolumeKey: {"{product} could not be activated by KMS with its volume license key on this machine{why}.",
				"{product} はこの端末ではボリューム ライセンスのキーを KMS でライセンス認証できませんでした{why}。"},
			qualifyingLicense: {"{product} could not be activated with its volume license key on this machine{why}: volume licenses are upgrades, and Microsoft's answer to this error is a qualifying Windows license, then a MAK.",
				"{product} はこの端末ではボリューム ライセンスのキーでライセンス認証できませんでした{why}。ボリューム ライセンスはアップグレード ライセンスのため、このエラーに対する Microsoft の解決策は、適格な Windows のライセンスを用意したうえで MAK でライセンス認証することです。"},
		},
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, p := range d.products {
				if p.StatusReason == 0xC004F035 {
					ev := p.evidence()
					ev.sentences = d.markerCase(p)
					out = append(out, ev)
				}
			}
			return out
		}},
	{code: "digital-license", source: "DOMAIN.md: Windows 10/11 digital license shows a generic partial key",
		en: "{product} uses a digital license (generic key ending {key}): it cannot be shown to be linked to an account offline, and reactivates only online.",
		ja: "{product} はデジタル ライセンス (汎用プロダクト キー、末尾 {key}) です。アカウントとの関連付けはオフラインでは確認できず、再度のライセンス認証はオンラインでしかできません。",
		match: eachProduct(func(d *device, p *product) bool {
			_, generic := genericKeys.get(strings.ToUpper(p.PartialKey))
			return p.Kind == licensing.KindWindows && generic && (p.Channel == licensing.ChannelRetail || p.Channel == licensing.ChannelOEMDM)
		})},
	{code: "mak-exhausted", source: "DOMAIN.md HRESULT 0xC004C020 / 0xC004C021",
		en:    "The MAK of {product} has no activations left{why}: get more activations or a new MAK before using proxy activation.",
		ja:    "{product} の MAK はライセンス認証の回数が残っていません{why}。プロキシ ライセンス認証の前に、認証回数の追加か新しい MAK を入手してください。",
		match: eachProduct(func(d *device, p *product) bool { return p.StatusReason == 0xC004C020 || p.StatusReason == 0xC004C021 })},
	{code: "key-blocked", source: "DOMAIN.md HRESULT 0xC004C003",
		en:    "The product key of {product} is blocked{why}: it needs a new key.",
		ja:    "{product} のプロダクト キーはブロックされています{why}。新しいプロダクト キーが必要です。",
		match: eachProduct(func(d *device, p *product) bool { return p.StatusReason == 0xC004C003 })},
	{code: "slp-marker-missing", source: "DOMAIN.md HRESULT 0xC004F057 / 0xC004F058",
		en:    "The firmware lacks the OEM marker that {product} needs{why}: an OEM SLP image on other hardware.",
		ja:    "{product} に必要な OEM マーカーがファームウェアにありません{why}。別のハードウェア用の OEM SLP イメージです。",
		match: eachProduct(func(d *device, p *product) bool { return p.StatusReason == 0xC004F057 || p.StatusReason == 0xC004F058 })},
	{code: "license-store-damaged", source: "DOMAIN.md HRESULT 0xC004E003",
		en:    "The licensing store of {product} looks damaged{why}.",
		ja:    "{product} のライセンス ストアが破損しているおそれがあります{why}。",
		match: eachProduct(func(d *device, p *product) bool { return p.StatusReason == 0xC004E003 })},
	{code: "image-backup-seen", source: "DOMAIN.md: a visible WindowsImageBackup folder",
		en: "An image backup folder is visible at {volume}: check that it is recent and restorable.",
		ja: "{volume} にイメージ バックアップのフォルダーがあります。最新で、復元できることを確認してください。",
		match: func(d *device) []Evidence {
			var out []Evidence
			for _, b := range d.s.ImageBackups {
				out = append(out, Evidence{Volume: b})
			}
			return out
		}},
	{code: "collection-incomplete", source: "ActCourier: every failed source is recorded",
		// Counted in reads, not sources: two failed slmgr.vbs commands
		// are two reads of one source.
		en: "{count:read} failed during collection ({sources}): some facts may be missing.",
		ja: "収集中に {count} 件の読み取りに失敗しました ({sources})。一部の情報が欠けている可能性があります。",
		match: func(d *device) []Evidence {
			if n := len(d.s.Errors); n > 0 {
				var srcs []string
				seen := map[string]bool{}
				for _, e := range d.s.Errors {
					if w := string(e.Source); w != "" && !seen[w] {
						seen[w] = true
						srcs = append(srcs, w)
					}
				}
				return []Evidence{{Count: intp(n), Source: licensing.Source(strings.Join(srcs, ","))}}
			}
			return nil
		}},
}

// FlagCodes lists the codes of the flags, in table order: reports name
// each in words.
func FlagCodes() []string {
	var out []string
	for _, r := range rules {
		if r.category == "" {
			out = append(out, r.code)
		}
	}
	return out
}

// Indices of routeRules, for the code that picks one.
const (
	routeADBased = iota
	routeWorkingHost
	routeOwnHost
	routeNewHost
	routeMAKNoMarker
	routeMAK
	routeRuntimeKey
)

// routeRules choose the volume-license route of a product, in order.
var routeRules = []rule{
	routeADBased: {code: "route-ad-based", source: "DOMAIN.md channel table: AD-based for Windows 8+ / Server 2012+ in a domain",
		en: "Suggested route for {product}: Active Directory-based activation, because the machine is in a domain and its Windows supports it.{convert}",
		ja: "{product} の推奨: Active Directory ベースのライセンス認証 (ドメインに参加しており、この Windows が対応しているため)。{convert}"},
	routeWorkingHost: {code: "route-kms-site-host", source: "DOMAIN.md KMS facts: a host activates every client that reaches it once it counts enough",
		en: "Suggested route for {product}: KMS host {host}, which has activated {count:client} of this site, so it works here whatever the site's count.{convert}",
		ja: "{product} の推奨: KMS ホスト {host} (この拠点のクライアント {count} 台をライセンス認証済みで、稼働しているため)。{convert}",
		cases: map[string][2]string{
			otherRelease: {"Suggested route for {product}: KMS host {host}, which has activated {count:client} of this site, so it works here whatever the site's count; but it has activated {releases} here, not {release}: check that its KMS host key activates {release}.{convert}",
				"{product} の推奨: KMS ホスト {host} (この拠点のクライアント {count} 台をライセンス認証済みで、稼働しているため)。ただし、この拠点でライセンス認証したのは {releases} で、{release} はありません。このホストの KMS ホスト キーで {release} をライセンス認証できることを確認してください。{convert}"},
		}},
	routeOwnHost: {code: "route-kms-own-host", source: "DOMAIN.md KMS facts: clients find the host by DNS SRV or a configured name",
		en: "Suggested route for {product}: its own KMS host {host}; nothing collected shows that host failing.{convert}",
		ja: "{product} の推奨: 設定済みの KMS ホスト {host} (利用できないという記録はありません)。{convert}"},
	routeNewHost: {code: "route-kms", source: "DOMAIN.md KMS facts: thresholds 25 clients, 5 servers or Office",
		en: "Suggested route for {product}: KMS, because the site has {count:eligible machine} and a KMS host needs {threshold}: set up a host.{convert}",
		ja: "{product} の推奨: KMS (拠点に対象の端末が {count} 台あり、KMS ホストのしきい値 {threshold} 台を満たすため、KMS ホストを設置できます)。{convert}"},
	routeMAKNoMarker: {code: "route-mak-no-marker", source: "DOMAIN.md: a Windows 7 KMS client needs the BIOS Windows marker (0xC004F035); Microsoft Learn, \"Resolve Windows activation error codes\", 0xC004F035",
		en: "Suggested route for {product}: MAK with proxy activation, because a Windows 7 PC without a proven BIOS Windows marker cannot use KMS.{convert}",
		ja: "{product} の推奨: MAK (プロキシ ライセンス認証)。BIOS の Windows マーカーを確認できない Windows 7 PC は KMS を使えないためです。{convert}",
		cases: map[string][2]string{
			qualifyingLicense: {"Suggested route for {product}: MAK with proxy activation, because its volume license key could not be activated by KMS on this machine (0xC004F035): volume licenses are upgrades, and Microsoft's answer to this error is a qualifying Windows license, then a MAK.{convert}",
				"{product} の推奨: MAK (プロキシ ライセンス認証)。この端末ではボリューム ライセンスのキーを KMS でライセンス認証できなかったためです (0xC004F035)。ボリューム ライセンスはアップグレード ライセンスのため、このエラーに対する Microsoft の解決策は、適格な Windows のライセンスを用意したうえで MAK でライセンス認証することです。{convert}"},
			posReadyMAK: {"Suggested route for {product}: MAK with proxy activation, because a Windows 7 PC without a proven BIOS Windows marker cannot use KMS; but a MAK route for POSReady 7 is not verified: check with its supplier that a MAK activates it before buying one.{convert}",
				"{product} の推奨: MAK (プロキシ ライセンス認証)。BIOS の Windows マーカーを確認できない Windows 7 PC は KMS を使えないためです。ただし、POSReady 7 で MAK を使えるかどうかは確認されていません。購入する前に、MAK でライセンス認証できることを購入元に確認してください。{convert}"},
		}},
	routeMAK: {code: "route-mak", source: "DOMAIN.md KMS facts: thresholds 25 clients, 5 servers or Office",
		en: "Suggested route for {product}: MAK with proxy activation, because the site has {count:eligible machine}, a KMS host needs {threshold}, and no KMS host of the site is known to work.{convert}",
		ja: "{product} の推奨: MAK (プロキシ ライセンス認証)。拠点の対象の端末は {count} 台で KMS ホストのしきい値 {threshold} 台に届かず、稼働中の KMS ホストもないためです。{convert}",
		cases: map[string][2]string{
			posReadyMAK: {"Suggested route for {product}: MAK with proxy activation, because the site has {count:eligible machine}, a KMS host needs {threshold}, and no KMS host of the site is known to work; but a MAK route for POSReady 7 is not verified: check with its supplier that a MAK activates it before buying one.{convert}",
				"{product} の推奨: MAK (プロキシ ライセンス認証)。拠点の対象の端末は {count} 台で KMS ホストのしきい値 {threshold} 台に届かず、稼働中の KMS ホストもないためです。ただし、POSReady 7 で MAK を使えるかどうかは確認されていません。購入する前に、MAK でライセンス認証できることを購入元に確認してください。{convert}"},
		}},
	// Microsoft Learn, "Image Product Keys and Activation (Standard 7
	// SP1)": "Runtimes created with a Volume License Runtime key are
	// automatically activated during setup."
	routeRuntimeKey: {code: "route-runtime-key", source: "DOMAIN.md: Windows Embedded Standard 7 built with a volume runtime key activates itself offline during setup",
		en: "Suggested route for {product}: an image built again with a volume license runtime key, which activates itself offline during setup.{convert}",
		ja: "{product} の推奨: ボリューム ライセンス ランタイム キーで作り直したイメージ (セットアップ中にオフラインで自動的にライセンス認証されます)。{convert}"},
}

// chooseRoute picks the route rule for a product that must move to a
// volume route, with its evidence. The site's KMS verdict (Pool.Advice)
// decides between KMS and MAK, as the site page states it.
func chooseRoute(d *device, p *product) (rule, Evidence) {
	ev := p.evidence()
	pick := func(i int, r Route) (rule, Evidence) {
		ev.Route = r
		return routeRules[i], ev
	}
	if d.embeddedEval(p) {
		// No key converts it, and no MAK or KMS host activates it: a
		// new image does (evalEmbedded).
		ev.Host = ""
		return pick(routeRuntimeKey, RouteRuntimeKey)
	}
	adCapable := d.win8OrLater() && (p.Kind == licensing.KindWindows || p.office >= 15)
	if d.s.Domain.Joined && adCapable {
		ev.Host = ""
		return pick(routeADBased, RouteADBased)
	}
	if p.Kind == licensing.KindWindows && !d.kmsCapable(p) {
		ev.Host, ev.sentences = "", d.markerCase(p)
		if d.posReadyMAK(p) {
			ev.sentences = posReadyMAK
		}
		return pick(routeMAKNoMarker, RouteMAK)
	}
	adv := d.siteKMS(p)
	if adv.State == KMSHostWorks {
		ev.Host, ev.Count = adv.Host, intp(adv.Activated)
		d.hostProof(p, &ev)
		return pick(routeWorkingHost, RouteKMS)
	}
	ev.Host = "" // no host to go to: a new one, or MAK
	ev.Count, ev.Threshold = intp(adv.Count), intp(adv.Threshold)
	if adv.State == KMSHostPossible {
		return pick(routeNewHost, RouteKMS)
	}
	if d.posReadyMAK(p) {
		ev.sentences = posReadyMAK
	}
	return pick(routeMAK, RouteMAK)
}

// retailKeyCase is the case of the online-only sentences (rule.cases)
// for a product activated with a retail key of its own (retailKey).
const retailKeyCase = "retail-key"

// retailKey reports whether p is activated through the Retail channel
// with a key of its own, which DOMAIN.md's channel table says activates
// "online, or by proxy (VAMT documents retail keys)": not a Windows
// digital license (a public generic key: "online only"), not a
// Microsoft 365 subscription, and not Office's RETAIL(Grace) SKU, whose
// key is a placeholder for the one to come.
func (p *product) retailKey() bool {
	if p.Channel != licensing.ChannelRetail || p.subscription() ||
		containsFold(p.ChannelRaw, "grace") || containsFold(p.Name, "_grace") {
		return false
	}
	_, generic := genericKeys.get(strings.ToUpper(p.PartialKey))
	return !(p.Kind == licensing.KindWindows && generic)
}

// posReadyMAK is the case of a MAK route's sentences (rule.cases) for
// Windows Embedded POSReady 7 that takes the MAK itself: DOMAIN.md marks
// "a MAK route for POSReady 7" UNVERIFIED, to be said as a hint, not a
// rule, so the route stays (nothing verified offers another) and its
// sentence says that it is not verified. Not for one replaced by another
// Windows (an evaluation, d.replaced), whose MAK is the new edition's.
const posReadyMAK = "posready-mak"

// posReadyMAK reports whether p is Windows Embedded POSReady 7, by its
// edition or the OS caption, that would take a MAK itself.
func (d *device) posReadyMAK(p *product) bool {
	if p.Kind != licensing.KindWindows || !d.win7() || d.server || d.replaced(p) {
		return false
	}
	return equalFold(p.edition, "posready") || containsFold(d.s.OS.Caption, "posready")
}

// evaluation returns the evidence of an evaluation product with its end
// date and the days from the as-of date to it; false if p is not an
// evaluation or its end is unknown.
func (d *device) evaluation(p *product) (Evidence, bool) {
	end, ok := d.evaluationEnd(p)
	if !ok {
		return Evidence{}, false
	}
	ev := p.evidence()
	ev.Date, ev.convert = end.Format("2006-01-02"), d.conversion(p)
	days := int(end.Sub(d.asOf).Hours() / 24)
	if end.Before(d.asOf) {
		days = -int(d.asOf.Sub(end).Hours()/24) - 1
	}
	ev.Days = intp(days)
	return ev, true
}

// evaluationEnd is the end date of the evaluation p; false if p is not
// an evaluation or its end is unknown.
func (d *device) evaluationEnd(p *product) (time.Time, bool) {
	if p.Channel != licensing.ChannelEval {
		return time.Time{}, false
	}
	switch {
	case p.evalEnd != nil:
		return *p.evalEnd, true
	case p.minutes != nil:
		return d.minutesEnd(p), true
	case p.Expires != nil:
		return *p.Expires, true
	}
	return time.Time{}, false
}

// evaluationEnded reports whether the evaluation p has ended at the
// as-of date, as its deadline says it (Step.ActionText): its end is
// past, or, unknown, it is in grace or notification (0xC004F009) or not
// activated.
func (d *device) evaluationEnded(p *product) bool {
	if end, ok := d.evaluationEnd(p); ok {
		return end.Before(d.asOf)
	}
	return p.Status.InGrace() || p.Status == licensing.StatusUnlicensed
}

// evalEndedCase is the case of evaluation-ending's sentences
// (rule.cases) for an evaluation whose end has passed by the as-of date.
const evalEndedCase = "ended"

// esuCase is the case of end-of-support-os's sentences (rule.cases) for
// a Windows whose Extended Security Updates add-on is activated, before
// the ESU end (device.esuCovers).
const esuCase = "esu"

// subscriptionEnded is the case of m365-subscription-ending's sentences
// (rule.cases) for a subscription whose check with the licensing service
// was due before the as-of date.
const subscriptionEnded = "subscription-ended"

// embeddedCase is the case of an evaluation rule's sentences
// (rule.cases) that evidence ev of an evaluation is said in: that of
// Windows Embedded Standard 7 with an evaluation runtime key, which no
// key makes permanent (evalEmbedded, evalEmbeddedEnded), else none.
func embeddedCase(ev Evidence) string {
	if ev.convert == evalEmbedded || ev.convert == evalEmbeddedEnded {
		return ev.convert
	}
	return ""
}

// qualifyingLicense is the case of a sentence about 0xC004F035
// (rule.cases) on a Windows other than Windows 7 on a PC, for which
// DOMAIN.md does not read the code as the missing BIOS marker. Windows
// says of it (Microsoft Learn, "Resolve Windows activation error
// codes", https://learn.microsoft.com/windows-server/get-started/activation-error-codes,
// and KB 942962): "The Software Protection Service reported that the
// computer could not be activated with a Volume license product key.
// Volume-licensed systems require upgrading from a qualifying operating
// system"; Microsoft's resolution: "Install a qualifying version of a
// Microsoft operating system, and then activate by using an MAK". The
// route stays MAK (kmsCapable); only the words differ.
const qualifyingLicense = "qualifying-license"

// otherRelease is the case of a route to the site's working host that has
// activated other releases of the product's kind, not the product's
// (hostProof): the host may lack the host key for it.
const otherRelease = "other-release"

// officeVolumeKey is the case of a sentence about 0xC004F035 on an
// Office. DOMAIN.md reads the code for a Windows 7 PC only, and what
// Microsoft says of it (qualifyingLicense) is of Windows: an upgrade
// from a qualifying operating system. DOMAIN.md says nothing of the code
// for Office, so the sentence says no more than the first words of its
// message: KMS could not activate the volume license key on this
// machine. (UNVERIFIED for Office: why, and what Microsoft would answer.)
const officeVolumeKey = "office-volume-key"

// markerCase is the case of the 0xC004F035 sentences that product p is
// said in: the Windows 7 client's BIOS marker (DOMAIN.md: "white-box
// Windows 7 cannot use KMS"), officeVolumeKey for an Office, else
// qualifyingLicense.
func (d *device) markerCase(p *product) string {
	switch {
	case p.Kind == licensing.KindOffice:
		return officeVolumeKey
	case p.Kind == licensing.KindWindows && d.win7() && !d.server:
		return ""
	}
	return qualifyingLicense
}

// imageCase is the case of a sentence that would plan an image backup
// (rule.cases): evalEmbedded on Windows Embedded Standard 7 with an
// evaluation runtime key, whose image keeps an evaluation that ends (the
// device is built again: rebuild-image), else none.
func (d *device) imageCase() string {
	for _, p := range d.products {
		if d.embeddedEval(p) {
			return evalEmbedded
		}
	}
	return ""
}

// embeddedEval reports whether p is Windows Embedded Standard 7 with an
// evaluation runtime key (evalEmbedded).
func (d *device) embeddedEval(p *product) bool {
	return p.Channel == licensing.ChannelEval && d.embedded7(p)
}

// How an evaluation becomes a full edition (Evidence.convert). A
// Windows Server evaluation converts in place with DISM and a volume
// key, MAK or the KMS client key (Microsoft Learn, "Upgrade and convert
// Windows Server": Windows Server 2012 and later); a Windows client
// evaluation (Enterprise Evaluation) cannot be converted and is
// installed again; an Office trial is replaced by a volume edition.
// Windows Embedded Standard 7 with an evaluation runtime key takes no
// key at all and is built again (evalEmbedded). A key alone does none
// of these, so the sentence says it beside the route.
const (
	evalServer    = "server"
	evalServerOld = "server-old" // before Windows Server 2012 (6.2)
	evalClient    = "client"
	evalOffice    = "office"
	// Windows Embedded Standard 7 with an evaluation runtime key
	// (DOMAIN.md; Microsoft Learn, "Image Product Keys and Activation
	// (Standard 7 SP1)": "Images created without a product key or with a
	// 180-day Evaluation License key will expire at the end of their
	// trial period and cannot be activated or upgraded"; out of grace,
	// "The device will restart every twenty minutes without warning").
	evalEmbedded = "embedded"
	// The same once its evaluation has ended (evaluationEnded).
	evalEmbeddedEnded = "embedded-ended"
	// Not an evaluation: a retail or OEM Office whose product has a
	// volume edition (product.replacedByVolume).
	officeRetail = "office-retail"
	// Not an evaluation: a Microsoft 365 subscription
	// (product.subscription), which stays activated only online.
	// Microsoft TechNet, "Overview of licensing and activation in Office
	// 365 ProPlus" (https://technet.microsoft.com/en-us/library/gg982959(v=office.15).aspx,
	// 2017-03-09): "Each installation is activated and kept activated
	// automatically by cloud-based services associated with Office
	// 365. ... All you have to do is ... make sure your users can
	// connect to Office Licensing Service via the Internet at least once
	// every 30 days."
	officeSubscription = "office-subscription"
)

// evalConversion holds the sentences {convert} says, by Evidence.convert;
// {family} in them is the family whose volume edition replaces the
// product (Evidence.family: Office, Visio, Project; Project for Project
// Online Desktop Client, a subscription).
var evalConversion = map[string][2]string{
	evalServer: {" Windows Server 2012 and later convert in place: DISM /Online /Set-Edition:<edition> /ProductKey:<key> /AcceptEula, with a MAK or the KMS client key (GVLK); not a domain controller, whose role moves to a licensed server first.",
		"Windows Server 2012 以降は、MAK または KMS クライアント セットアップ キー (GVLK) を使い、DISM /Online /Set-Edition:<エディション> /ProductKey:<キー> /AcceptEula で製品版に変換できます。ドメイン コントローラーは変換できないため、先にその役割を製品版のサーバーに移してください。"},
	// Not verified for Windows Server 2008 R2 and older (DOMAIN.md says
	// no more than "a new key"): the sentence sends the reader to
	// Microsoft rather than give a step that may not apply.
	evalServerOld: {" How a Windows Server evaluation older than 2012 becomes a full edition is not verified here: check Microsoft's documentation for its version before the date.",
		"Windows Server 2012 より前の評価版を製品版にする手順は確認されていません。期限までに、そのバージョンについて Microsoft のドキュメントを確認してください。"},
	evalClient: {" A Windows client evaluation cannot be converted: install a volume license edition again.",
		"Windows クライアントの評価版は製品版に変換できないため、ボリューム ライセンス版を再インストールしてください。"},
	evalEmbedded: {" Windows Embedded Standard 7 built with an evaluation runtime key can be neither activated nor upgraded: deploy an image built again with a volume license runtime key before the evaluation ends; after that the device restarts every 20 minutes.",
		"評価版ランタイム キーで作成した Windows Embedded Standard 7 は、ライセンス認証もアップグレードもできません。評価期間が終わる前に、ボリューム ライセンス ランタイム キーで作り直したイメージを展開してください。評価期間が終わると、端末は 20 分ごとに再起動します。"},
	evalEmbeddedEnded: {" Windows Embedded Standard 7 built with an evaluation runtime key can be neither activated nor upgraded: deploy an image built again with a volume license runtime key now; its evaluation has ended, and until then the device restarts every 20 minutes.",
		"評価版ランタイム キーで作成した Windows Embedded Standard 7 は、ライセンス認証もアップグレードもできません。評価期間が終了しており、端末は 20 分ごとに再起動するため、直ちにボリューム ライセンス ランタイム キーで作り直したイメージを展開してください。"},
	evalOffice: {" Install a volume license edition of {family} in its place.",
		"代わりにボリューム ライセンス版の {family} をインストールしてください。"},
	officeSubscription: {" It stays activated only while it reaches Microsoft's Office Licensing Service over the internet at least once every 30 days, which an offline machine does not, and an image backup does not change that: install a volume license edition of {family} in its place.",
		"このサブスクリプションは、少なくとも 30 日に 1 回インターネット経由で Microsoft の Office ライセンス サービスに接続しなければライセンス認証された状態を保てません。オフラインの端末では接続できず、イメージ バックアップでも保てないため、代わりにボリューム ライセンス版の {family} をインストールしてください。"},
	officeRetail: {" A retail or OEM {family} takes neither a MAK nor the KMS client key (GVLK): install the volume license edition of {family} in its place first.",
		"リテール版や OEM 版の {family} には、MAK も KMS クライアント セットアップ キー (GVLK) もインストールできません。先に、代わりにボリューム ライセンス版の {family} をインストールしてください。"},
}

// conversion says how the evaluation p of d becomes a full edition.
func (d *device) conversion(p *product) string {
	switch {
	case p.Kind == licensing.KindOffice:
		return evalOffice
	case d.embedded7(p) && d.evaluationEnded(p):
		return evalEmbeddedEnded
	case d.embedded7(p):
		return evalEmbedded
	case d.server && (d.osMajor > 6 || d.osMajor == 6 && d.osMinor >= 2):
		return evalServer
	case d.server:
		return evalServerOld
	}
	return evalClient
}

// hasWindows reports whether the device has a Windows product in use.
func (d *device) hasWindows() bool {
	for _, p := range d.products {
		if p.Kind == licensing.KindWindows {
			return true
		}
	}
	return false
}

// eachProduct makes a match function that yields the evidence of every
// product for which pred holds.
func eachProduct(pred func(d *device, p *product) bool) func(d *device) []Evidence {
	return func(d *device) []Evidence {
		var out []Evidence
		for _, p := range d.products {
			if pred(d, p) {
				out = append(out, p.evidence())
			}
		}
		return out
	}
}

// eachProductSaying is eachProduct for a rule whose sentence also says
// how the product moves ({convert}): convert gives it for each product
// pred selects (Evidence.convert; "" says nothing).
func eachProductSaying(pred func(d *device, p *product) bool, convert func(d *device, p *product) string) func(d *device) []Evidence {
	return func(d *device) []Evidence {
		var out []Evidence
		for _, p := range d.products {
			if pred(d, p) {
				ev := p.evidence()
				ev.convert = convert(d, p)
				out = append(out, ev)
			}
		}
		return out
	}
}

// reason fills the rule's sentences from ev.
func (r rule) reason(ev Evidence) Reason {
	en, ja := r.en, r.ja
	if c, ok := r.cases[ev.sentences]; ok {
		en, ja = c[0], c[1]
	}
	return Reason{Code: r.code, English: fill(en, ev, false), Japanese: fill(ja, ev, true), Evidence: ev}
}

func fill(tmpl string, ev Evidence, ja bool) string {
	lang := 0
	if ja {
		lang = 1
	}
	product := ev.Product
	if ev.Name != "" {
		product = ev.Name
		if ja && ev.nameJA != "" {
			product = ev.nameJA
		}
	}
	if product == "" {
		product = [2]string{"this product", "この製品"}[lang]
	}
	why := ""
	if ev.HRESULT != "" {
		meaning := ev.Meaning
		if ja && ev.meaningJA != "" {
			meaning = ev.meaningJA
		}
		if meaning != "" {
			why = [2]string{" (%s: %s)", " (%s: %s)"}[lang]
			why = fmt.Sprintf(why, ev.HRESULT, meaning)
		} else {
			why = fmt.Sprintf(" (%s)", ev.HRESULT)
		}
	}
	left := ""
	if ev.Days != nil {
		left = fmt.Sprintf([2]string{", %s left at the as-of date", " (基準日時点で残り %s 日)"}[lang], countOf(strconv.Itoa(*ev.Days), "day", ja))
	}
	meaning := ev.Meaning
	if ja && ev.meaningJA != "" {
		meaning = ev.meaningJA
	}
	val := func(name string) (string, bool) {
		switch name {
		case "product":
			return product, true
		case "edition":
			return orDash(ev.Edition), true
		case "channel":
			return ChannelText(ev.Channel, Lang([2]string{"en", "ja"}[lang])), true
		case "status":
			w, _ := statusWords.get(ev.Status)
			return w[lang], true
		case "sources":
			return sourcesText(string(ev.Source)), true
		case "why":
			return why, true
		case "left":
			return left, true
		case "days":
			return optInt(ev.Days), true
		case "date":
			return ev.Date, true
		case "hresult":
			return ev.HRESULT, true
		case "meaning":
			return meaning, true
		case "count":
			return optInt(ev.Count), true
		case "threshold":
			return optInt(ev.Threshold), true
		case "volume":
			return ev.Volume, true
		case "free":
			return optBytes(ev.FreeBytes), true
		case "size":
			return optBytes(ev.SizeBytes), true
		case "key":
			return ev.PartialKey, true
		case "host":
			return ev.Host, true
		case "release":
			return ev.release, true
		case "releases":
			return strings.Join(ev.HostReleases, [2]string{", ", "、"}[lang]), true
		case "convert":
			// {family}: Office, Visio or Project (Evidence.family), each
			// replaced by a volume edition of its own.
			return strings.ReplaceAll(evalConversion[ev.convert][lang], "{family}", ev.family), true
		}
		return "", false
	}
	// Fill {name} placeholders in one pass (a strings.Replacer per
	// sentence cost more than the rest of a classification).
	var b strings.Builder
	b.Grow(len(tmpl) + 64)
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		name, noun, counted := strings.Cut(tmpl[i+1:i+j], ":")
		if v, ok := val(name); ok {
			if counted {
				v = countOf(v, noun, ja)
			}
			b.WriteString(v)
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// countOf is "{name:noun}" of a sentence: in English the count n and
// the noun, plural unless n is one ("1 day", "3 days", "? days"); in
// Japanese, whose sentences say the counter themselves, n alone.
func countOf(n, noun string, ja bool) string {
	switch {
	case ja:
		return n
	case n == "1" || n == "-1":
		return n + " " + noun
	}
	return n + " " + noun + "s"
}

func orDash(s string) string {
	if s == "" {
		return "?"
	}
	return s
}

func optInt(p *int) string {
	if p == nil {
		return "?"
	}
	return strconv.Itoa(*p)
}

func optBytes(p *int64) string {
	if p == nil {
		return "?"
	}
	return formatBytes(*p)
}

// formatBytes writes a size the way Explorer does: 1.5 GiB.
func formatBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
