package licensing

import "fmt"

// Reason is an HRESULT that the licensing platforms report as
// LicenseStatusReason or an activation error, with what it means.
type Reason struct {
	Code    uint32
	English string
	// Japanese is shown in Japanese reports.
	Japanese string
}

// reasons is the HRESULT table of DOMAIN.md (a slice, not a map: data in
// the binary rather than code that builds a map at start; the collector
// stays small), and below it codes whose
// meaning slmgr.vbs itself states (its L_MsgError_* strings) or ospp.vbs
// prints in the samples (shared/samples/ospp).
var reasons = []Reason{
	{0xC004F074, "no KMS host could be contacted", "KMS ホストに接続できません"},
	{0x8007232B, "DNS name does not exist (no _vlmcs._tcp record)", "DNS 名が存在しません (_vlmcs._tcp レコードなし)"},
	{0xC004F038, "KMS count below threshold", "KMS のクライアント数がしきい値未満です"},
	{0xC004F035, "Windows 7 volume client without the BIOS Windows marker", "BIOS に Windows マーカーがない Windows 7 ボリューム クライアントです"},
	{0xC004F009, "grace period expired", "猶予期間が終了しました"},
	{0xC004F00F, "out of tolerance (hardware change, or KMS client past its 180 days)", "許容範囲外です (ハードウェア変更、または KMS クライアントの 180 日経過)"},
	{0xC004F034, "license not found or invalid", "ライセンスが見つからないか無効です"},
	{0xC004F056, "could not be activated using KMS", "KMS でライセンス認証できませんでした"},
	{0xC004F200, "non-genuine", "非正規と判定されています"},
	{0xC004C003, "product key blocked", "プロダクト キーがブロックされています"},
	{0xC004C020, "MAK activation limit exceeded", "MAK のライセンス認証回数の上限を超えました"},
	{0xC004C021, "MAK extension limit exceeded", "MAK の延長上限を超えました"},
	{0xC004F057, "BIOS lacks the SLIC marker", "BIOS に SLIC マーカーがありません"},
	{0xC004F058, "BIOS lacks the SLP marker", "BIOS に SLP マーカーがありません"},
	{0xC004E003, "license evaluation failed (licensing store damaged)", "ライセンスの評価に失敗しました (ライセンス ストアの破損)"},
	{0x4004F00D, "informational", "情報 (エラーではありません)"},

	// slmgr.vbs L_MsgError_8007232A, _8007251D, _C004F050, _C004C008.
	{0x8007232A, "DNS server failure", "DNS サーバーのエラー"},
	{0x8007251D, "no records found for the DNS query (no _vlmcs._tcp record)", "DNS クエリのレコードがありません (_vlmcs._tcp レコードなし)"},
	{0xC004F050, "product key invalid", "プロダクト キーが無効です"},
	{0xC004C008, "product key could not be used", "プロダクト キーを使用できませんでした"},
	// ospp.vbs /act on a Grace SKU (samples act-*-grace-*).
	{0xC004F017, "license not installed", "ライセンスがインストールされていません"},
	{0x4004F040, "informational", "情報 (エラーではありません)"},

	// What DepositOfflineConfirmationId and InstallProductKey answer when
	// a return file is applied (DOMAIN.md "The return path").
	{0xC004F031, "the Installation ID and the Confirmation ID do not match", "インストール ID と確認 ID が一致しません"},
	{0xC004F04D, "the Installation ID or the Confirmation ID is invalid", "インストール ID または確認 ID が無効です"},
	// Win32 E_ACCESSDENIED through WMI: the licensing methods need an
	// administrator.
	{0x80070005, "access denied: run as administrator", "アクセスが拒否されました。管理者として実行してください"},
}

// LookupReason returns what an HRESULT means, and whether it is known.
func LookupReason(code uint32) (Reason, bool) {
	for _, r := range reasons {
		if r.Code == code {
			return r, true
		}
	}
	return Reason{}, false
}

// Informational reports whether an HRESULT has severity 01 (0x4…): it is
// not a failure (DOMAIN.md).
func Informational(code uint32) bool { return code>>30 == 1 }

// HRESULT formats a code as slmgr does: 0xC004F074.
func HRESULT(code uint32) string { return fmt.Sprintf("0x%08X", code) }
