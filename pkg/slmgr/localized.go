package slmgr

import "strings"

// word is a status text that slmgr.vbs prints in another language, seen in
// public material; it is read when the machine's slmgr.ini was not given.
// key is the slmgr.ini key the text renders, which says what it means.
// source names the entry of SOURCES.md (beside this file) where it was
// seen. A word not in this table leaves the status unknown: none is
// translated or guessed here.
type word struct {
	lang   string
	text   string
	key    string
	source string
}

// words holds the value of the "License Status" line (L_MsgLicenseStatus*_1),
// whole /xpr messages (L_MsgLicenseStatus*) and the /ato outcome
// (L_MsgActivated). Labels are not needed: the shape fallback reads a
// value whatever its label says.
var words = []word{
	{"zh-CN", "已授权", "L_MsgLicenseStatusLicensed_1", "zh-blog-dns"},
	{"zh-CN", "未授权", "L_MsgLicenseStatusUnlicensed_1", "zh-py-inventory"},
	{"zh-CN", "通知", "L_MsgLicenseStatusNotification_1", "zh-py-inventory"},
	{"zh-CN", "成功地激活了产品", "L_MsgActivated", "zh-blog-dns"},
	{"zh-CN", "计算机已永久激活", "L_MsgLicenseStatusLicensed", "zh-xpr-sample"},
	{"zh-CN", "Windows处于通知模式", "L_MsgLicenseStatusNotification", "zh-xpr-sample"},
	{"ru-RU", "имеет лицензию", "L_MsgLicenseStatusLicensed_1", "ru-ps-kms"},
	{"ru-RU", "лицензировано", "L_MsgLicenseStatusLicensed_1", "ru-py-kms"},
	{"de-DE", "Lizenziert", "L_MsgLicenseStatusLicensed_1", "de-ps-checks"},
	{"es-ES", "con licencia", "L_MsgLicenseStatusLicensed_1", "es-vm-tests"},
	{"ko-KR", "사용 허가됨", "L_MsgLicenseStatusLicensed_1", "ko-py-esu"},
	{"ja-JP", "ライセンスされています", "L_MsgLicenseStatusLicensed_1", "ja-ps-inventory"},
}

// lookupWord finds s in the words of the text's script (see scriptOf),
// ignoring case, surrounding space and a final full stop. A word is only
// read in its own language's script: 通知 is a Chinese word here, and a
// Japanese text that prints it is not taken to mean the same.
func lookupWord(s, script string) (word, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ".。 ")
	if s == "" {
		return word{}, false
	}
	for _, w := range words {
		if scripts[w.lang] == script && strings.EqualFold(s, w.text) {
			return w, true
		}
	}
	return word{}, false
}

// scripts maps a language of words to the script scriptOf names.
var scripts = map[string]string{
	"zh-CN": "han", "ja-JP": "kana", "ko-KR": "hangul", "ru-RU": "cyrillic", "de-DE": "latin", "es-ES": "latin",
}

// scriptOf names the script of a text's non-English words: "kana" when it
// has any kana (Japanese mixes kana with kanji), else "hangul", "han",
// "cyrillic", or "latin".
func scriptOf(lines []Line) string {
	var kana, hangul, han, cyr bool
	for _, l := range lines {
		for _, r := range l.Text {
			switch {
			case r >= 0x3040 && r <= 0x30FF, r >= 0xFF66 && r <= 0xFF9F:
				kana = true
			case r >= 0xAC00 && r <= 0xD7A3, r >= 0x1100 && r <= 0x11FF:
				hangul = true
			case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF:
				han = true
			case r >= 0x0400 && r <= 0x04FF:
				cyr = true
			}
		}
	}
	switch {
	case kana:
		return "kana"
	case hangul:
		return "hangul"
	case han:
		return "han"
	case cyr:
		return "cyrillic"
	}
	return "latin"
}
