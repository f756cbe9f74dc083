package codepage

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/actcourier/actcourier/pkg/slmgr"
)

var (
	// ErrUnsure is wrapped by an *UnsureError: more than one code page
	// fits the bytes, or none fits well.
	ErrUnsure = errors.New("codepage: cannot tell the code page")
	// ErrUnknown is returned for a code page name that is not known.
	ErrUnknown = errors.New("codepage: unknown code page")
)

// UnsureError is returned by Decode when it will not choose: Candidates
// names the code pages that remain, most plausible first, as "936
// (gb18030)".
type UnsureError struct {
	Candidates []string
}

func (e *UnsureError) Error() string {
	if len(e.Candidates) == 0 {
		return "codepage: cannot tell the code page of the text; name the code page it was saved in"
	}
	return fmt.Sprintf("codepage: cannot tell whether the text is in %s; name the code page it was saved in",
		strings.Join(e.Candidates, " or "))
}

// Unwrap makes errors.Is(err, ErrUnsure) hold.
func (e *UnsureError) Unwrap() error { return ErrUnsure }

// Encoding names that Decode returns.
const (
	UTF8    = "utf-8"
	UTF16LE = "utf-16le"
	UTF16BE = "utf-16be"
)

// page is one code page Decode knows.
type page struct {
	name    string // returned by Decode
	number  string // the Windows code page number
	aliases []string
	enc     encoding.Encoding
	detect  bool // tried without an override
	// common counts, for a CJK page, its characters and those in its
	// common part; nil for single-byte pages.
	common func(b []byte) (common, total int)
	// words are non-ASCII words that text of this page holds: the cscript
	// banner and the labels of slmgr and ospp in the page's languages.
	words []string
}

// pages in order of preference when two score alike.
var pages = []*page{
	{name: "gb18030", number: "936", aliases: []string{"gbk", "gb2312", "cp936", "54936", "gb-18030"}, enc: simplifiedchinese.GB18030,
		detect: true, common: commonGB, words: []string{"版权所有", "保留所有权利", "许可证", "授权", "激活", "名称", "描述", "分钟", "产品密钥", "软件"}},
	{name: "big5", number: "950", aliases: []string{"cp950", "big-5"}, enc: traditionalchinese.Big5,
		detect: true, common: commonBig5, words: []string{"版權所有", "著作權", "授權", "啟用", "名稱", "描述", "分鐘", "產品金鑰", "軟體"}},
	{name: "euc-kr", number: "949", aliases: []string{"cp949", "uhc", "ks_c_5601-1987", "korean"}, enc: korean.EUCKR,
		detect: true, common: commonKR, words: []string{"버전", "판권", "모든 권리", "라이선스", "정품", "제품 키", "설명", "이름"}},
	{name: "shift_jis", number: "932", aliases: []string{"sjis", "cp932", "windows-31j", "ms932"}, enc: japanese.ShiftJIS,
		detect: true, common: commonSJIS, words: []string{"バージョン", "著作権", "ライセンス", "認証", "プロダクト", "説明", "名前"}},
	{name: "windows-1252", number: "1252", aliases: []string{"cp1252", "latin1", "iso-8859-1"}, enc: charmap.Windows1252,
		detect: true, words: []string{"réservés", "Descripción", "Versión", "Descrição", "Versão", "État", "licença"}},
	{name: "windows-1250", number: "1250", aliases: []string{"cp1250"}, enc: charmap.Windows1250,
		detect: true, words: []string{"zastrzeżone", "skryptów", "Všechna práva", "vyhrazena"}},
	{name: "windows-1251", number: "1251", aliases: []string{"cp1251"}, enc: charmap.Windows1251,
		detect: true, words: []string{"Корпорация", "Майкрософт", "Сервер сценариев", "лицензи", "Описание", "Состояние"}},
	{name: "cp866", number: "866", aliases: []string{"ibm866", "oem866"}, enc: charmap.CodePage866,
		detect: true, words: []string{"Корпорация", "Майкрософт", "Сервер сценариев", "лицензи", "Описание", "Состояние"}},
	{name: "cp850", number: "850", aliases: []string{"ibm850", "oem850"}, enc: charmap.CodePage850,
		detect: true, words: []string{"réservés", "Descripción", "Versión", "Descrição", "Versão", "État", "licença"}},
	{name: "cp852", number: "852", aliases: []string{"ibm852", "oem852"}, enc: charmap.CodePage852,
		detect: true, words: []string{"zastrzeżone", "skryptów", "Všechna práva", "vyhrazena"}},
	{name: "windows-1253", number: "1253", aliases: []string{"cp1253"}, enc: charmap.Windows1253,
		detect: true, words: []string{"Περιγραφή", "Άδεια", "Κατάσταση"}},
	{name: "windows-1254", number: "1254", aliases: []string{"cp1254"}, enc: charmap.Windows1254},
	{name: "windows-1255", number: "1255", aliases: []string{"cp1255"}, enc: charmap.Windows1255},
	{name: "windows-1256", number: "1256", aliases: []string{"cp1256"}, enc: charmap.Windows1256},
	{name: "windows-1257", number: "1257", aliases: []string{"cp1257"}, enc: charmap.Windows1257},
	{name: "windows-1258", number: "1258", aliases: []string{"cp1258"}, enc: charmap.Windows1258},
	{name: "windows-874", number: "874", aliases: []string{"cp874", "tis-620"}, enc: charmap.Windows874},
	{name: "cp437", number: "437", aliases: []string{"ibm437", "oem437"}, enc: charmap.CodePage437},
}

// Lookup returns the canonical name of a code page given by number
// ("936"), name ("gbk", "windows-1252", "utf-16le") or alias, or
// ErrUnknown.
func Lookup(name string) (string, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	switch n {
	case "utf-8", "utf8", "65001":
		return UTF8, nil
	case "utf-16", "utf-16le", "utf16le", "1200", "unicode":
		return UTF16LE, nil
	case "utf-16be", "utf16be", "1201":
		return UTF16BE, nil
	}
	if p := find(n); p != nil {
		return p.name, nil
	}
	return "", fmt.Errorf("%w: %q", ErrUnknown, name)
}

func find(n string) *page {
	n = strings.TrimPrefix(n, "cp")
	for _, p := range pages {
		if n == p.name || n == p.number || n == strings.TrimPrefix(p.name, "cp") || "windows-"+n == p.name {
			return p
		}
		for _, a := range p.aliases {
			if n == a || n == strings.TrimPrefix(a, "cp") {
				return p
			}
		}
	}
	return nil
}

// Names lists the code pages Decode knows, as "936 (gb18030)".
func Names() []string {
	out := []string{"65001 (utf-8)", "1200 (utf-16le)", "1201 (utf-16be)"}
	for _, p := range pages {
		out = append(out, p.label())
	}
	return out
}

func (p *page) label() string { return p.number + " (" + p.name + ")" }

// Decoder returns a function for slmgr.Options.Decode that calls Decode
// with override.
func Decoder(override string) func([]byte) (text, encoding string, err error) {
	return func(data []byte) (string, string, error) { return Decode(data, override) }
}

// Decode returns data as UTF-8 text and the name of its encoding. A
// non-empty override names the code page to use (see Lookup); without one
// the encoding is detected (see the package doc). It returns ErrUnknown
// for an unknown override and an *UnsureError (errors.Is ErrUnsure) when it
// cannot tell.
func Decode(data []byte, override string) (text, enc string, err error) {
	if override != "" {
		name, err := Lookup(override)
		if err != nil {
			return "", "", err
		}
		return decodeAs(data, name), name, nil
	}
	if text, enc, ok := slmgr.DecodeUnicode(data); ok {
		return text, enc, nil
	}
	text, enc, err = detect(data)
	if head, ok := spoiledEnd(data); ok && (err != nil || find(enc).common == nil) {
		// Every double-byte page refused the text for its last line: a
		// stray byte after it, or a file cut inside its last character.
		// What the lines before it are read as decides, as pkg/slmgr's
		// own decoder does, the bad bytes becoming U+FFFD; else one
		// byte made every Japanese line mojibake.
		if _, henc, herr := detect(head); herr == nil && find(henc).common != nil {
			return decodeAs(data, henc), henc, nil
		}
	}
	return text, enc, err
}

// spoiledEnd returns the lines of data before its last one, when that
// last line holds a byte above ASCII and they hold one too.
func spoiledEnd(data []byte) ([]byte, bool) {
	i := bytes.LastIndexByte(data, '\n')
	if i < 0 || !aboveASCII(data[i+1:]) || !aboveASCII(data[:i]) {
		return nil, false
	}
	return data[:i+1], true
}

func aboveASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

func decodeAs(data []byte, name string) string {
	switch name {
	case UTF8:
		return strings.ToValidUTF8(string(bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})), "\uFFFD")
	case UTF16LE:
		return slmgr.DecodeUTF16(bytes.TrimPrefix(data, []byte{0xFF, 0xFE}), false)
	case UTF16BE:
		return slmgr.DecodeUTF16(bytes.TrimPrefix(data, []byte{0xFE, 0xFF}), true)
	}
	s, _ := find(name).enc.NewDecoder().Bytes(data)
	return string(s)
}

// candidate is a code page that decodes the bytes, with its score.
type candidate struct {
	p     *page
	text  string
	score float64 // 0..1: how plausible the decoded text is
	chars int     // non-ASCII characters it decoded to
}

// Thresholds of the decision, as shares of the non-ASCII characters.
const (
	sure     = 0.9 // a code page this plausible is taken
	doubtful = 0.5 // a CJK page below this leaves the single-byte ones
	tooFew   = 4   // CJK characters needed to outweigh a plausible single-byte reading
)

func detect(data []byte) (string, string, error) {
	var cands []candidate
	for _, p := range pages {
		if !p.detect {
			continue
		}
		b, err := p.enc.NewDecoder().Bytes(data)
		if err != nil {
			continue
		}
		s := string(b)
		if bad := strings.Count(s, "\uFFFD") - bytes.Count(data, []byte("\uFFFD")); bad > 0 {
			continue // an invalid sequence: not this code page
		}
		cands = append(cands, candidate{p: p, text: s})
	}
	// Words the text must hold decide when they are found in one
	// language only.
	var hits []candidate
	for _, c := range cands {
		for _, w := range c.p.words {
			if strings.Contains(c.text, w) {
				hits = append(hits, c)
				break
			}
		}
	}
	if len(hits) > 0 {
		cands = hits
	}
	for i := range cands {
		cands[i].score, cands[i].chars = score(cands[i], data)
	}
	var cjk, single []candidate
	for _, c := range cands {
		if c.p.common != nil {
			cjk = append(cjk, c)
		} else {
			single = append(single, c)
		}
	}
	best := func(cs []candidate) []candidate {
		// Stable: pages keep their order of preference on equal scores.
		for i := 1; i < len(cs); i++ {
			for j := i; j > 0 && cs[j].score > cs[j-1].score; j-- {
				cs[j], cs[j-1] = cs[j-1], cs[j]
			}
		}
		return cs
	}
	cjk, single = best(cjk), best(single)
	unsure := func(cs ...candidate) (string, string, error) {
		e := &UnsureError{}
		for _, c := range cs {
			e.Candidates = append(e.Candidates, c.p.label())
		}
		return "", "", e
	}
	switch {
	case len(cjk) > 0 && cjk[0].score >= sure:
		top := cjk[0]
		if top.chars < tooFew && (len(cjk) > 1 && cjk[1].score >= sure || len(single) > 0 && single[0].score >= doubtful) {
			// One or two characters prove nothing.
			if len(cjk) > 1 && cjk[1].score >= sure {
				return unsure(cjk[0], cjk[1])
			}
			return unsure(top, single[0])
		}
		if kr, ok := named(cjk, "euc-kr"); ok && kr.score >= sure && hangulShare(kr.text) >= sure {
			// Korean text is also valid, common GBK and Big5 (the Hangul
			// rows sit in GB2312 level 1); Chinese text is never almost
			// all Hangul syllables under EUC-KR.
			return kr.text, kr.p.name, nil
		}
		if len(cjk) > 1 && cjk[1].score >= sure {
			return unsure(cjk[0], cjk[1])
		}
		return top.text, top.p.name, nil
	case len(single) > 0 && (len(cjk) == 0 || cjk[0].score < doubtful || single[0].score >= sure):
		// No CJK reading is sure: a sure single-byte reading wins
		// (German "Größe" in OEM 850 is also valid, half-common
		// Shift_JIS).
		return single[0].text, single[0].p.name, nil
	case len(cjk) > 0 && len(single) > 0:
		return unsure(cjk[0], single[0])
	case len(cjk) > 1:
		return unsure(cjk[0], cjk[1])
	case len(cjk) == 1:
		return unsure(cjk[0])
	}
	return unsure()
}

// hangulShare is the share of Hangul syllables among the non-ASCII
// characters of s.
func hangulShare(s string) float64 {
	h, n := 0, 0
	for _, r := range s {
		if r < 0x80 {
			continue
		}
		n++
		if r >= 0xAC00 && r <= 0xD7A3 {
			h++
		}
	}
	if n == 0 {
		return 0
	}
	return float64(h) / float64(n)
}

func named(cs []candidate, name string) (candidate, bool) {
	for _, c := range cs {
		if c.p.name == name {
			return c, true
		}
	}
	return candidate{}, false
}

func score(c candidate, data []byte) (float64, int) {
	if c.p.common != nil {
		common, total := c.p.common(data)
		if total == 0 {
			return 0, 0
		}
		return float64(common) / float64(total), total
	}
	return singleScore(c.text)
}

// commonGB walks GBK/GB18030 bytes: GB2312 level 1 (the 3,755 most used
// characters, lead 0xB0-0xD7) and the punctuation and fullwidth rows
// (0xA1-0xA3) are common.
func commonGB(b []byte) (common, total int) {
	for i := 0; i < len(b); i++ {
		l := b[i]
		if l < 0x80 {
			continue
		}
		total++
		if i+1 >= len(b) {
			break
		}
		t := b[i+1]
		if t >= 0x30 && t <= 0x39 { // a four-byte GB18030 sequence
			i += 3
			continue
		}
		i++
		if t >= 0xA1 && (l >= 0xB0 && l <= 0xD7 || l >= 0xA1 && l <= 0xA3) {
			common++
		}
	}
	return common, total
}

// commonBig5: the frequent characters (lead 0xA4-0xC6) and symbols
// (0xA1-0xA3) are common.
func commonBig5(b []byte) (common, total int) {
	for i := 0; i < len(b); i++ {
		l := b[i]
		if l < 0x80 {
			continue
		}
		total++
		i++
		if l >= 0xA1 && l <= 0xC6 {
			common++
		}
	}
	return common, total
}

// commonKR: KS X 1001 Hangul syllables (lead 0xB0-0xC8, trail 0xA1-) and
// symbols (0xA1-0xA3) are common; Hanja and UHC's extra syllables are not.
func commonKR(b []byte) (common, total int) {
	for i := 0; i < len(b); i++ {
		l := b[i]
		if l < 0x80 {
			continue
		}
		total++
		if i+1 >= len(b) {
			break
		}
		t := b[i+1]
		i++
		if t >= 0xA1 && (l >= 0xB0 && l <= 0xC8 || l >= 0xA1 && l <= 0xA3) {
			common++
		}
	}
	return common, total
}

// commonSJIS: symbols, kana (leads 0x81-0x83) and JIS level 1 kanji
// (0x889F-0x9872) are common; halfwidth katakana and level 2 are not.
func commonSJIS(b []byte) (common, total int) {
	for i := 0; i < len(b); i++ {
		l := b[i]
		if l < 0x80 {
			continue
		}
		total++
		if l >= 0xA1 && l <= 0xDF { // halfwidth katakana, one byte
			continue
		}
		if i+1 >= len(b) {
			break
		}
		t := b[i+1]
		i++
		switch {
		case l >= 0x81 && l <= 0x83, l >= 0x89 && l <= 0x97, l == 0x88 && t >= 0x9F, l == 0x98 && t <= 0x72:
			common++
		}
	}
	return common, total
}

// singleScore is the share of non-ASCII characters of a single-byte
// reading that are letters inside plausible words: one script per word;
// a Latin word mostly ASCII (Gerät, été), a Cyrillic or Greek word all
// non-ASCII. CJK bytes read as Windows-1252 give words like "Ñåðâåð".
// Typographic punctuation counts when it stands between words.
func singleScore(s string) (float64, int) {
	rs := []rune(s)
	good, total := 0, 0
	for i := 0; i < len(rs); {
		r := rs[i]
		if !unicode.IsLetter(r) {
			if r >= 0x80 {
				total++
				if strings.ContainsRune("«»“”‘’–—…°©®™\u00A0·•", r) && !(i > 0 && unicode.IsLetter(rs[i-1]) && i+1 < len(rs) && unicode.IsLetter(rs[i+1])) {
					good++
				}
			}
			i++
			continue
		}
		j := i
		for j < len(rs) && unicode.IsLetter(rs[j]) {
			j++
		}
		word := rs[i:j]
		high, script, mixed := 0, "", false
		for _, r := range word {
			sc := "latin"
			switch {
			case unicode.Is(unicode.Cyrillic, r):
				sc = "cyrillic"
			case unicode.Is(unicode.Greek, r):
				sc = "greek"
			case !unicode.Is(unicode.Latin, r):
				sc = "other"
			}
			if script == "" {
				script = sc
			} else if sc != script {
				mixed = true
			}
			if r >= 0x80 {
				high++
			}
		}
		if high > 0 {
			total += high
			ok := !mixed && script != "other"
			if ok && script == "latin" {
				ok = high == 1 || high*3 <= len(word)*2
			}
			if ok {
				good += high
			}
		}
		i = j
	}
	if total == 0 {
		return 0, 0
	}
	return float64(good) / float64(total), total
}
