package slmgr

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/actcourier/actcourier/pkg/licensing"
)

// wantProduct is what a test expects of one product; an empty string or
// a nil grace is not checked, "-" expects the field empty.
type wantProduct struct {
	kind    licensing.Kind
	name    string
	channel licensing.Channel
	status  licensing.Status
	key     string
	grace   *int
	reason  uint32
	sku     string
}

func mins(n int) *int { return &n }

func checkProduct(t *testing.T, i int, got licensing.Product, w wantProduct) {
	t.Helper()
	str := func(field, got, want string) {
		if want == "" {
			return
		}
		if want == "-" {
			want = ""
		}
		if got != want {
			t.Errorf("product %d %s: got %q, want %q", i+1, field, got, want)
		}
	}
	str("kind", string(got.Kind), string(w.kind))
	str("name", got.Name, w.name)
	str("channel", string(got.Channel), string(w.channel))
	str("status", string(got.Status), string(w.status))
	str("partial key", got.PartialKey, w.key)
	str("sku", got.SKUID, w.sku)
	if w.grace != nil {
		g := "none"
		if got.GraceMinutes != nil {
			g = fmt.Sprint(*got.GraceMinutes)
		}
		if g != fmt.Sprint(*w.grace) {
			t.Errorf("product %d grace: got %s, want %d", i+1, g, *w.grace)
		}
	}
	if got.StatusReason != w.reason {
		t.Errorf("product %d reason: got %s, want %s", i+1, licensing.HRESULT(got.StatusReason), licensing.HRESULT(w.reason))
	}
}

// classCase is one text of a failure class of issue 15. Every text here
// is written for the test in the format of the real outputs, not copied.
type classCase struct {
	name   string
	text   string
	format Format
	want   []wantProduct
	check  func(t *testing.T, res *Result)
}

func runClassCases(t *testing.T, cases []classCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, crlf := range []bool{false, true} {
				text := tc.text
				if crlf {
					text = strings.ReplaceAll(text, "\n", "\r\n")
				}
				res, err := Parse([]byte(text), Options{})
				if err != nil {
					t.Fatalf("Parse: %v", err)
				}
				if tc.format != "" && res.Format != tc.format {
					t.Errorf("format: got %s, want %s", res.Format, tc.format)
				}
				if len(res.Products) != len(tc.want) {
					t.Fatalf("got %d products, want %d: %+v", len(res.Products), len(tc.want), res.Products)
				}
				for i, w := range tc.want {
					checkProduct(t, i, res.Products[i], w)
				}
				for _, p := range res.Products {
					if bogusName(p.Name) {
						t.Errorf("product named after an error, a path or a count: %q", p.Name)
					}
				}
				if tc.check != nil {
					tc.check(t, res)
				}
			}
		})
	}
}

// bogusName reports a product name that is not a license name.
func bogusName(n string) bool {
	return strings.Contains(n, `\`) || strings.Contains(n, "0x") || strings.Contains(strings.ToLower(n), "error") ||
		strings.Contains(n, "minute") || strings.Contains(strings.ToLower(n), "grace")
}

// Class 1: labels in a language whose slmgr.ini was not given.
func TestLocalizedWithoutStrings(t *testing.T) {
	zhDlv := "软件授权服务版本: 10.0.19041.1\n\n" +
		"名称: Windows(R), Enterprise edition\n" +
		"描述: Windows(R) Operating System, Volume-KMSClient channel\n" +
		"激活 ID: 73111121-5638-40f6-bc11-f1d7b0d64300\n" +
		"应用程序 ID: 55c92734-d682-4d71-983e-d6ec3f16059f\n" +
		"扩展 PID: 03612-03311-000-000000-03-2052-19041.0000-2462020\n" +
		"产品密钥通道: Volume:GVLK\n" +
		"部分产品密钥: 2YT43\n" +
		"许可证状态: 已授权\n" +
		"批量激活过期: 200000 分钟 (139 天)\n" +
		"剩余 Windows 重置计数: 1001\n" +
		"信任时间:2021/3/1 9:00:00\n\n" +
		"密钥管理服务客户端信息\n" +
		"    客户端计算机 ID (CMID): 0e3d2b1a-4c5d-4e6f-8a9b-0c1d2e3f4a5b\n" +
		"    来自 DNS 的 KMS 计算机名称: kms.example.lan:1688\n" +
		"    KMS 计算机 IP 地址: 10.1.2.3\n" +
		"    激活时间间隔: 120 分钟\n"
	cases := []classCase{
		{name: "zh-CN dlv: version line is no product, hyphenated token, unit in Chinese",
			text: zhDlv, format: FormatSlmgr,
			want: []wantProduct{{kind: licensing.KindWindows, name: "Windows(R), Enterprise edition", channel: licensing.ChannelGVLK,
				status: licensing.StatusLicensed, key: "2YT43", grace: mins(200000), sku: "73111121-5638-40f6-bc11-f1d7b0d64300"}},
			check: func(t *testing.T, res *Result) {
				if res.ServiceVersion != "10.0.19041.1" {
					t.Errorf("service version: got %q", res.ServiceVersion)
				}
				k := res.Products[0].KMS
				if k == nil || k.DiscoveredHost != "kms.example.lan" || k.DiscoveredPort != 1688 || k.DiscoveredIP != "10.1.2.3" ||
					k.ClientMachineID != "0e3d2b1a-4c5d-4e6f-8a9b-0c1d2e3f4a5b" {
					t.Errorf("kms: got %+v", k)
				}
			}},
		{name: "no description: the channel value alone, any case",
			text: "软件授权服务版本：6.3.9600.17809\n名称: Windows(R), ServerStandard edition\n产品密钥通道: volume:mak\n部分产品密钥: 7CT9B\n",
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelMAK, status: licensing.StatusUnknown, key: "7CT9B"}}},
		{name: "fullwidth parenthesis, days first is read the other way round",
			text: "名称: Windows(R), Professional edition\n描述: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n批量激活过期: 86399 分钟(60天）\n",
			want: []wantProduct{{channel: licensing.ChannelGVLK, grace: mins(86399)}}},
		{name: "German units with their own parentheses",
			text: "Name: Windows(R), Professional edition\nBeschreibung: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n" +
				"Ablauf der Volumenaktivierung: 259197 Minute(n) (180 Tag(e))\nLizenzstatus: Lizenziert\n",
			want: []wantProduct{{channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, grace: mins(259197)}}},
		{name: "two numbers that are not minutes and days are not read",
			text: "名称: Windows(R), Professional edition\n某值: 120 分钟 (7 次)\n",
			want: []wantProduct{{name: "Windows(R), Professional edition"}},
			check: func(t *testing.T, res *Result) {
				if res.Products[0].GraceMinutes != nil {
					t.Errorf("grace read from %q", "120 分钟 (7 次)")
				}
			}},
		{name: "status word of another script is not read",
			text: "名前: Windows(R), Professional edition\nライセンスの状態: 通知\n",
			want: []wantProduct{{status: licensing.StatusUnknown}}},
		{name: "Japanese without slmgr.ini: shapes and the one word seen",
			text: "ソフトウェア ライセンス サービスのバージョン: 6.1.7601.17514\n\n名前: Windows(R) 7, Enterprise edition\n" +
				"説明: Windows Operating System - Windows(R) 7, VOLUME_KMSCLIENT channel\nプロダクト キーの一部: 33PXH\n" +
				"ライセンスの状態: ライセンスされています\nボリューム ライセンス認証の有効期限: 259197 分 (180 日)\n",
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusLicensed, key: "33PXH", grace: mins(259197)}}},
		{name: "Russian status word",
			text: "Имя: Windows(R), Professional edition\nОписание: Windows(R) Operating System, RETAIL channel\nЧастичный ключ продукта: 3V66T\nСостояние лицензии: имеет лицензию\n",
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelRetail, status: licensing.StatusLicensed, key: "3V66T"}}},
		{name: "unknown word stays unknown",
			text: "Nom : Windows(R), Professional edition\nDescription : Windows(R) Operating System, OEM_DM channel\nÉtat de la licence : sous licence\n",
			want: []wantProduct{{channel: licensing.ChannelOEMDM, status: licensing.StatusUnknown}}},
	}
	runClassCases(t, cases)
}

// Class 2: Office KMS host license packs and Office by ApplicationID family.
func TestOfficeKMSHostPacks(t *testing.T) {
	cases := []classCase{
		{name: "Office 2010 KMS host pack in /dli (no ApplicationID printed)",
			text: "Name: Microsoft Office 2010, KMSHost edition\nDescription: Microsoft Office 2010 KMS, VOLUME_KMS channel\n" +
				"Partial Product Key: QPTWY\nLicense Status: Licensed\n",
			want: []wantProduct{{kind: licensing.KindOffice, channel: licensing.ChannelCSVLK, status: licensing.StatusLicensed, key: "QPTWY"}}},
		{name: "masked ApplicationID of the Office 2013+ family, no description",
			text: "Name: Office 16, OfficeKMSHostVL_KMS_Host edition\nActivation ID: 98ebfe73-2084-4c97-932c-c0cd1643bea7\n" +
				"Application ID: 0ff1ce15-xxxx-xxxx-xxxx-xxxxxxxxxxxx\nPartial Product Key: RXHJT\nLicense Status: Licensed\n",
			want: []wantProduct{{kind: licensing.KindOffice, channel: licensing.ChannelCSVLK, status: licensing.StatusLicensed, key: "RXHJT"}}},
		{name: "Windows and the Office pack on one KMS host",
			text: "Name: Windows(R), ServerStandard edition\nDescription: Windows(R) Operating System, VOLUME_KMS_2012-R2_WIN10 channel\n" +
				"Partial Product Key: 4DKM2\nLicense Status: Licensed\n\n" +
				"Name: Microsoft Office 2010, KMSHost edition\nDescription: Microsoft Office 2010 KMS, VOLUME_KMS channel\n" +
				"Application ID: 59a52881-a989-479d-af46-f275c6370663\nPartial Product Key: QPTWY\nLicense Status: Licensed\n",
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelCSVLK}, {kind: licensing.KindOffice, channel: licensing.ChannelCSVLK}}},
	}
	runClassCases(t, cases)
}

const ato74 = "Error: 0xC004F074 The Software Licensing Service reported that the computer could not be activated. " +
	"No Key Management Service (KMS) could be contacted. Please see the Application Event Log for additional information."

// Class 3: failed /ato output, error popups and their wrapping.
func TestFailedActivation(t *testing.T) {
	cases := []classCase{
		{name: "slmgr /ato with the product line",
			text: "Activating Windows(R), Professional edition (2de67392-b7a7-462a-b1ca-108dd189f588) ...\n" + ato74 + "\n",
			want: []wantProduct{{kind: licensing.KindWindows, name: "Windows(R), Professional edition", status: licensing.StatusUnknown,
				channel: licensing.ChannelUnknown, key: "-", reason: 0xC004F074, sku: "2de67392-b7a7-462a-b1ca-108dd189f588"}},
			check: func(t *testing.T, res *Result) {
				p := res.Products[0]
				if p.StatusRaw != "activation failed" || p.ReasonText != "no KMS host could be contacted" {
					t.Errorf("got status raw %q reason text %q", p.StatusRaw, p.ReasonText)
				}
			}},
		{name: "popup text wrapped at its own width, with the window title",
			text: "C:\\Windows\\system32\\cmd.exe\n\nWindows Script Host\n\nError: 0xC004F074 The Software Licensing Service reported that\n" +
				"the computer could not be activated. No Key Management Service (KMS) could\nbe contacted. Please see the Application Event Log for\n" +
				"additional information.\n\nOK\n",
			want: []wantProduct{{kind: licensing.KindWindows, name: "-", status: licensing.StatusUnknown, reason: 0xC004F074}}},
		{name: "re-typed on one line",
			text: "Activating Windows(R), Enterprise edition (73111121-5638-40f6-bc11-f1d7b0d64300) ..." + ato74 + "\n",
			want: []wantProduct{{kind: licensing.KindWindows, name: "Windows(R), Enterprise edition", reason: 0xC004F074, status: licensing.StatusUnknown}}},
		{name: "MAK limit, localized error label, prompt and title lines",
			text: "管理员: C:\\Windows\\system32\\cmd.exe\nC:\\Windows\\system32>slmgr /ato\n错误: 0xC004C020 激活服务器报告多次激活密钥已超过其限制。\n",
			want: []wantProduct{{kind: licensing.KindWindows, status: licensing.StatusUnknown, reason: 0xC004C020}}},
		{name: "localized attempt wrapped before its GUID, and success",
			text: "正在激活 Windows(R), Professional edition\n(2de67392-b7a7-462a-b1ca-108dd189f588)...\n成功地激活了产品\n",
			want: []wantProduct{{kind: licensing.KindWindows, name: "Windows(R), Professional edition", status: licensing.StatusLicensed,
				sku: "2de67392-b7a7-462a-b1ca-108dd189f588"}}},
		{name: "an error re-typed without its label",
			text: "0xC004F074 with description \"The Key Management Server (KMS) is unavailable\"\n",
			want: []wantProduct{{kind: licensing.KindWindows, status: licensing.StatusUnknown, reason: 0xC004F074}}},
		{name: "an /ato failure, then /dlv of the same SKU: one product",
			text: "Activating Windows(R), ServerStandard edition (de32eafd-aaee-4662-9444-c1befb41bde2) ...\n" + ato74 + "\n\n" +
				"Name: Windows(R), ServerStandard edition\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n" +
				"Activation ID: de32eafd-aaee-4662-9444-c1befb41bde2\nPartial Product Key: J464C\nLicense Status: Notification\nNotification Reason: 0xC004F00F.\n",
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelGVLK, status: licensing.StatusNotification, key: "J464C", reason: 0xC004F074}}},
		{name: "an error code of unknown meaning keeps the text as its meaning",
			text: "Error: 0xC004F069 On a computer running Microsoft Windows non-core edition, run 'slui.exe 0x2a 0xC004F069' to display the error text.\n",
			want: []wantProduct{{kind: licensing.KindWindows, reason: 0xC004F069}},
			check: func(t *testing.T, res *Result) {
				if !strings.HasPrefix(res.Products[0].ReasonText, "On a computer running") {
					t.Errorf("reason text %q", res.Products[0].ReasonText)
				}
			}},
	}
	runClassCases(t, cases)
}

// Class 4: one SKU in two blocks.
func TestBlocksMerged(t *testing.T) {
	act := "---Processing--------------------------\n---------------------------------------\n" +
		"Installed product key detected - attempting to activate the following product:\n" +
		"SKU ID: 2d0882e7-a4e7-423b-8ccc-70d91e0158b1\nLICENSE NAME: Office 16, Office16StandardVL_MAK edition\n" +
		"LICENSE DESCRIPTION: Office 16, VOLUME_MAK channel\nLast 5 characters of installed product key: 7WQJY\n" +
		"ERROR CODE: 0xC004C020\nERROR DESCRIPTION: The Software Licensing Service reported that the Multiple Activation Key has exceeded its limit.\n" +
		"---------------------------------------\n---------------------------------------\n---Exiting-----------------------------\n"
	dstatus := "---Processing--------------------------\n---------------------------------------\n" +
		"SKU ID: 2d0882e7-a4e7-423b-8ccc-70d91e0158b1\nLICENSE NAME: Office 16, Office16StandardVL_MAK edition\n" +
		"LICENSE DESCRIPTION: Office 16, VOLUME_MAK channel\nLICENSE STATUS:  ---OOB_GRACE---\n" +
		"ERROR CODE: 0x4004F00C\nREMAINING GRACE: 25 days  (36000 minute(s) before expiring)\n" +
		"---------------------------------------\n---------------------------------------\n---Exiting-----------------------------\n"
	cases := []classCase{
		{name: "ospp /act then /dstatus of the same SKU", text: act + "\n" + dstatus, format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, channel: licensing.ChannelMAK, status: licensing.StatusOOBGrace,
				key: "7WQJY", grace: mins(36000), reason: 0xC004C020}}},
		{name: "/dstatus first, then a successful /act", text: dstatus + "\n" + strings.Replace(act,
			"ERROR CODE: 0xC004C020\nERROR DESCRIPTION: The Software Licensing Service reported that the Multiple Activation Key has exceeded its limit.\n",
			"<Product activation successful>\n", 1),
			want: []wantProduct{{status: licensing.StatusLicensed, key: "7WQJY", grace: mins(36000), reason: 0x4004F00C}}},
		{name: "masked SKU IDs of different SKUs stay apart",
			text: "SKU ID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\nLICENSE NAME: Office 21, Office21VisioPro2021VL_KMS_Client_AE edition\n" +
				"Last 5 characters of installed product key: XXXXX\n---------------------------------------\n" +
				"SKU ID: xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\nLICENSE NAME: Office 21, Office21ProPlus2021VL_KMS_Client_AE edition\n" +
				"Last 5 characters of installed product key: XXXXX\n",
			want: []wantProduct{{name: "Office 21, Office21VisioPro2021VL_KMS_Client_AE edition"}, {name: "Office 21, Office21ProPlus2021VL_KMS_Client_AE edition"}}},
		{name: "slmgr /ato then /dlv, and ospp in the same paste", format: FormatMixed,
			text: "C:\\>slmgr /ato\nActivating Windows(R), EnterpriseS edition (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) ...\nProduct activated successfully.\n\n" +
				"C:\\>slmgr /dlv\nName: Windows(R), EnterpriseS edition\nDescription: Windows(R) Operating System, VOLUME_KMSCLIENT channel\n" +
				"Partial Product Key: J462D\nLicense Status: Licensed\nVolume activation expiration: 259199 minute(s) (180 day(s))\n\n" +
				"C:\\Program Files\\Microsoft Office\\Office16>cscript ospp.vbs /dstatus\n" + strings.Replace(dstatus, "36000", "35999", 1),
			want: []wantProduct{
				{kind: licensing.KindOffice, status: licensing.StatusOOBGrace, grace: mins(35999), reason: 0x4004F00C},
				{kind: licensing.KindWindows, name: "Windows(R), EnterpriseS edition", channel: licensing.ChannelGVLK, status: licensing.StatusLicensed,
					key: "J462D", grace: mins(259199)}}},
	}
	runClassCases(t, cases)
}

// Class 5: fragments of /dstatus without their header.
func TestFragments(t *testing.T) {
	cases := []classCase{
		{name: "the tail of a /dstatus", format: FormatOSPP,
			text: "LICENSE STATUS:  ---OOB_GRACE---\nERROR CODE: 0x4004F00C\n" +
				"ERROR DESCRIPTION: The Software Licensing Service reported that the application is running within the valid grace period.\n" +
				"REMAINING GRACE: 29 days (42000 minute(s) before expiring\nLast 5 characters of installed product key: 8MBCX\n",
			want: []wantProduct{{kind: licensing.KindOffice, name: "-", status: licensing.StatusOOBGrace, key: "8MBCX", grace: mins(42000), reason: 0x4004F00C}}},
		{name: "one grace line, its parenthesis never closed", format: FormatOSPP,
			text: "REMAINING GRACE: 180 days (259200 minute(s) before expiring\n",
			want: []wantProduct{{kind: licensing.KindOffice, name: "-", grace: mins(259200)}}},
		{name: "the KMS lines of a block continue it", format: FormatOSPP,
			text: "Last 5 characters of installed product key: 6F7TH\nActivation Type Configuration: ALL\n" +
				"        KMS machine name from DNS: kms.example.lan:1688\n        Activation Interval: 120 minutes\n",
			want: []wantProduct{{key: "6F7TH"}},
			check: func(t *testing.T, res *Result) {
				if k := res.Products[0].KMS; k == nil || k.DiscoveredHost != "kms.example.lan" {
					t.Errorf("kms %+v", k)
				}
			}},
		{name: "a blank line after every line (a web page's paragraphs)", format: FormatOSPP,
			text: "REMAINING GRACE: 180 days  (259200 minute(s) before expiring\n\n" +
				"Last 5 characters of installed product key: 6F7TH\n\nActivation Type Configuration: ALL\n\n" +
				"        KMS machine name from DNS: kms.example.lan:1688\n\n        Activation Interval: 120 minutes\n\n" +
				"        Renewal Interval: 10080 minutes\n\n        KMS host caching: Enabled\n\n" +
				"---------------------------------------\n\n---Exiting-----------------------------\n",
			want: []wantProduct{{kind: licensing.KindOffice, key: "6F7TH", grace: mins(259200)}},
			check: func(t *testing.T, res *Result) {
				if k := res.Products[0].KMS; k == nil || k.DiscoveredHost != "kms.example.lan" || k.RenewalInterval == nil || *k.RenewalInterval != 10080 {
					t.Errorf("kms %+v", k)
				}
			}},
	}
	runClassCases(t, cases)
}

// Class 6: a text with only licenses not in use gives a product to
// classify (see also TestNotInUse).
func TestOnlyNotInUse(t *testing.T) {
	cases := []classCase{
		{name: "dlv of one SKU without a key",
			text: "Software licensing service version: 6.1.7601.17514\n\nName: Windows(R) 7, Professional edition\n" +
				"Description: Windows Operating System - Windows(R) 7, VOLUME_MAK channel\n" +
				"Activation ID: 9abf5984-9c16-46f2-ad1e-7fe15931a8dd\nApplication ID: 55c92734-d682-4d71-983e-d6ec3f16059f\n" +
				"This license is not in use.\n",
			want: []wantProduct{{kind: licensing.KindWindows, channel: licensing.ChannelMAK, status: licensing.StatusUnlicensed, key: "-"}},
			check: func(t *testing.T, res *Result) {
				if !res.Products[0].NotInUse || !containsString(res.Notes, "only licenses not in use") {
					t.Errorf("not_in_use %v notes %v", res.Products[0].NotInUse, res.Notes)
				}
			}},
	}
	runClassCases(t, cases)
}

// TestWordSources: every localized word names its source in SOURCES.md,
// and its key is one the parser reads.
func TestWordSources(t *testing.T) {
	doc, err := os.ReadFile("SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range words {
		if !strings.Contains(string(doc), "| `"+w.source+"` |") {
			t.Errorf("word %q: source %q is not in SOURCES.md", w.text, w.source)
		}
		if !strings.Contains(string(doc), w.text) {
			t.Errorf("word %q is not quoted in SOURCES.md", w.text)
		}
		if _, ok := statusByKey[w.key]; !ok && w.key != "L_MsgActivated" {
			t.Errorf("word %q: key %s is not read", w.text, w.key)
		}
		if _, ok := scripts[w.lang]; !ok {
			t.Errorf("word %q: language %s has no script", w.text, w.lang)
		}
	}
}

// TestAppendedOutputs: outputs appended to one file by commands run with
// //nologo ("cscript //nologo ospp.vbs /dstatus > out.txt", then
// "cscript //nologo slmgr.vbs /xpr >> out.txt") follow each other with
// nothing between them. ospp.vbs prints nothing after its ---Exiting---
// line (ospp.vbs quitExit), so the line after it is the next output's.
func TestAppendedOutputs(t *testing.T) {
	dstatus := "---Processing--------------------------\n---------------------------------------\n" +
		"SKU ID: d450596f-894d-49e0-966a-fd39ed4c4c64\nLICENSE NAME: Office 16, Office16ProPlusVL_KMS_Client edition\n" +
		"LICENSE DESCRIPTION: Office 16, VOLUME_KMSCLIENT channel\nLICENSE STATUS:  ---LICENSED--- \n" +
		"REMAINING GRACE: 179 days  (259193 minute(s) before expiring)\nLast 5 characters of installed product key: WFG99\n" +
		"---------------------------------------\n---------------------------------------\n---Exiting-----------------------------\n"
	office := wantProduct{kind: licensing.KindOffice, name: "Office 16, Office16ProPlusVL_KMS_Client edition", channel: licensing.ChannelGVLK,
		status: licensing.StatusLicensed, key: "WFG99", grace: mins(259193)}
	cases := []classCase{
		{name: "ospp /dstatus then slmgr /xpr", format: FormatMixed,
			text: dstatus + "Windows(R), Enterprise edition:\n    The machine is permanently activated.\n",
			want: []wantProduct{office, {kind: licensing.KindWindows, name: "Windows(R), Enterprise edition", status: licensing.StatusLicensed}},
			check: func(t *testing.T, res *Result) {
				if len(res.Unknown) != 0 {
					t.Errorf("unknown lines: %v", res.Unknown)
				}
			}},
		{name: "ospp /dstatus then slmgr /dli", format: FormatMixed,
			text: dstatus + "Name: Windows(R), Professional edition\nDescription: Windows(R) Operating System, RETAIL channel\n" +
				"Partial Product Key: 3V66T\nLicense Status: Licensed\n",
			want: []wantProduct{office, {kind: licensing.KindWindows, name: "Windows(R), Professional edition", channel: licensing.ChannelRetail,
				status: licensing.StatusLicensed, key: "3V66T"}}},
	}
	runClassCases(t, cases)
}

// TestOSPPErrorNoSKU: ospp.vbs prints ERROR CODE and ERROR DESCRIPTION
// before any SKU's lines only when a command failed as a whole
// (sppErrHandle: /inpkey whose key fits no SKU, /unpkey, /actcid, a
// failed query); /act prints a SKU's ID and name before its error. Such
// an error says what is known, Office and the HRESULT, and nothing of a
// license's status: alone it is an Office product of unknown status with
// the HRESULT, not an activation that failed; beside a named Office
// product it is a note, not a product of its own.
func TestOSPPErrorNoSKU(t *testing.T) {
	inpkey := "C:\\Program Files\\Microsoft Office\\Office16>cscript ospp.vbs /inpkey:XXXXX-XXXXX-XXXXX-XXXXX-9D9HK\n" +
		"---Processing--------------------------\n---------------------------------------\n" +
		"ERROR CODE: 0xC004F069\n" +
		"ERROR DESCRIPTION: The Software Licensing Service reported that the product SKU is not found.\n" +
		"---------------------------------------\n---Exiting-----------------------------\n"
	dstatus := "---Processing--------------------------\n---------------------------------------\n" +
		"SKU ID: 85dd8b5f-eaa4-4af3-a628-cce9e77c9a03\n" +
		"LICENSE NAME: Office 19, Office19ProPlus2019VL_KMS_Client_AE edition\n" +
		"LICENSE DESCRIPTION: Office 19, VOLUME_KMSCLIENT channel\n" +
		"LICENSE STATUS:  ---LICENSED---\n" +
		"REMAINING GRACE: 179 days  (259199 minute(s) before expiring)\n" +
		"Last 5 characters of installed product key: 6MWKP\n" +
		"---------------------------------------\n---Exiting-----------------------------\n"
	noted := func(t *testing.T, res *Result) {
		if !containsString(res.Notes, "0xC004F069") || !containsString(res.Notes, "names no SKU") {
			t.Errorf("got notes %q, want one naming 0xC004F069 and that it names no SKU", res.Notes)
		}
	}
	cases := []classCase{
		{name: "/inpkey failing alone: Office of unknown status with the HRESULT",
			text: inpkey, format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, name: "-", status: licensing.StatusUnknown, reason: 0xC004F069}},
			check: func(t *testing.T, res *Result) {
				if p := res.Products[0]; p.StatusRaw != "" || p.ReasonText == "" {
					t.Errorf("got status raw %q reason text %q, want no status raw (no activation was tried) and the meaning", p.StatusRaw, p.ReasonText)
				}
				noted(t, res)
			}},
		{name: "/inpkey failing, then /dstatus: the named SKU alone",
			text: inpkey + "\n" + dstatus, format: FormatOSPP,
			want: []wantProduct{{kind: licensing.KindOffice, status: licensing.StatusLicensed, key: "6MWKP",
				sku: "85dd8b5f-eaa4-4af3-a628-cce9e77c9a03"}},
			check: noted},
		{name: "/dstatus, then /inpkey failing: the named SKU alone",
			text: dstatus + inpkey, format: FormatOSPP,
			want:  []wantProduct{{kind: licensing.KindOffice, status: licensing.StatusLicensed, key: "6MWKP"}},
			check: noted},
	}
	runClassCases(t, cases)
}
