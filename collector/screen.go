package main

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/version"
)

// The screen is wrapped to the console it is shown in: each function
// that writes part of it takes width, the columns of that console
// (consoleWidth), 0 when it goes to a file or a pipe, where each of its
// lines stays one line (printMessage).

// printBanner opens every collection: what the program does and which
// settings it uses.
func printBanner(w io.Writer, s *settings, width int) {
	fmt.Fprintf(w, "ActCourier collector %s\n", version.String())
	printMessage(w, "", "Records this machine's Windows and Office activation; nothing is sent anywhere.", width)
	printMessage(w, "", "この端末の Windows と Office のライセンス認証の状態を記録します。どこにも送信しません。", width)
	if s.cfgPath != "" {
		printPath(w, "Settings / 設定:", s.cfgPath, width)
	}
	fmt.Fprintln(w)
}

// printContext shows what will be recorded with the collection and who
// can open the bundle, before anything is read: the recipients'
// fingerprints, as `importer keygen` and `importer stick` print them.
func printContext(w io.Writer, s *settings, width int) {
	fmt.Fprintln(w, "Check / 確認:")
	rows := [][2]string{
		{"Site / 拠点", s.ctx.Site},
		{"Line / ライン", s.ctx.Line},
		{"Asset tag / 資産番号", s.ctx.Asset},
		{"Engineer / 担当者", orNone(s.ctx.Engineer)},
	}
	if s.ctx.Note != "" {
		rows = append(rows, [2]string{"Note / メモ", s.ctx.Note})
	}
	keys := make([]string, len(s.recipientKeys))
	for i, r := range s.recipientKeys {
		keys[i] = stick.Fingerprint(r)
	}
	rows = append(rows, [2]string{"Encrypted for / 暗号化先", strings.Join(keys, ", ")})
	lw := labelWidth(rows)
	for _, r := range rows {
		printNameRow(w, "  "+r[0]+":"+strings.Repeat(" ", lw-cols(r[0]))+" ", r[1], width)
	}
	fmt.Fprintln(w)
}

// printNameRow writes a row of the check screen, whose values are names
// the engineer compares with the machine's label and the plant's (a
// site, a line, an asset tag): as printRows, but a name that does not
// fit beside its label and fits a line below it goes there whole, as
// printName puts a file's: wrapped beside the label, "外観検査ライン"
// read "外観検査" with "ライン" below, as if a second value.
func printNameRow(w io.Writer, head, name string, width int) {
	if width > 0 && cols(head)+cols(name) > width-1 {
		if indent := nextIndent(head, width); indent < cols(head) && cols(name) <= width-1-indent {
			fmt.Fprintln(w, strings.TrimRight(head, " "))
			printMessage(w, strings.Repeat(" ", indent), name, width)
			return
		}
	}
	printMessage(w, head, name, width)
}

// printRows writes label: value rows with the values aligned, each
// wrapped to the console (printMessage): a value's next lines stand
// under it, never at the labels' column, so that a value from the
// machine or the stick (a device name holding "Verdict / 判定:") cannot
// start a line that reads as the collector's own.
func printRows(w io.Writer, rows [][2]string, width int) {
	lw := labelWidth(rows)
	for _, r := range rows {
		printMessage(w, "  "+r[0]+":"+strings.Repeat(" ", lw-cols(r[0]))+" ", r[1], width)
	}
}

// labelWidth is the columns of the widest label of rows.
func labelWidth(rows [][2]string) int {
	width := 0
	for _, r := range rows {
		if c := cols(r[0]); c > width {
			width = c
		}
	}
	return width
}

func orNone(s string) string {
	if s == "" {
		return "(none / なし)"
	}
	return s
}

// progress prints each step of a live collection as it starts, a script
// with its time limit, wrapped (printMessage) under its text after the
// label: not at the two columns the steps start, since a script's
// command names an Office folder of the machine.
func progress(w io.Writer, width int) func(collect.Step) {
	return func(st collect.Step) {
		switch st.Part {
		case collect.StepSystem:
			printMessage(w, "  Reading / 読み取り: ", "WMI, Windows, hardware, disks / ハードウェア・ディスク", width)
		case collect.StepLicenses:
			printMessage(w, "  Reading / 読み取り: ", "WMI, licenses / ライセンス", width)
		case collect.StepScript:
			d := duration(st.Limit)
			printMessage(w, "  Running / 実行: ", fmt.Sprintf("%s, up to %s / 最大 %s", st.Command, d.en, d.ja), width)
		}
	}
}

// statusWords say a license status to the engineer: anything but
// licensed is NOT activated. (Switches, not maps: the collector stays
// small, and a map literal costs code at start.)
func statusWords(st licensing.Status) text {
	switch st {
	case licensing.StatusUnlicensed:
		return text{"NOT activated", "未認証"}
	case licensing.StatusLicensed:
		return text{"activated", "認証済み"}
	case licensing.StatusOOBGrace:
		return text{"NOT activated: initial grace", "未認証: 初期猶予期間"}
	case licensing.StatusOOTGrace:
		return text{"NOT activated: out-of-tolerance grace", "未認証: 追加の猶予期間 (許容範囲外)"}
	case licensing.StatusNonGenuineGrace:
		return text{"NOT activated: non-genuine grace", "未認証: 非正規の猶予期間"}
	case licensing.StatusNotification:
		return text{"NOT activated: notification mode", "未認証: 通知モード"}
	case licensing.StatusExtendedGrace:
		return text{"NOT activated: extended grace", "未認証: 延長猶予期間"}
	}
	return text{"status unknown", "状態不明"}
}

// categoryWords name a verdict as the reports do.
func categoryWords(c classify.Category) text {
	switch c {
	case classify.Urgent:
		return text{"URGENT", "緊急"}
	case classify.ImageBackup:
		return text{"IMAGE BACKUP NEEDED", "イメージ バックアップが必要"}
	case classify.VolumeLicense:
		return text{"VOLUME LICENSE NEEDED", "ボリューム ライセンスへの移行が必要"}
	}
	return text{"OK", "問題なし"}
}

// advice is what the engineer does now, before unplugging the stick:
// by the verdict, unless the licenses could not be read at all.
func advice(v classify.Verdict) text {
	for _, r := range v.Reasons {
		if r.Code == "no-license-data" || r.Code == "status-unknown" {
			return text{"Run ActCourier again as administrator (right-click, Run as administrator). If the result is the same, check the activation by hand (Control Panel, System) and tell central staff.",
				"ActCourier を管理者として実行し直してください (右クリック →「管理者として実行」)。結果が同じなら、ライセンス認証の状態を手作業で確認し (コントロール パネル → システム)、本部に連絡してください。"}
		}
	}
	switch v.Category {
	case classify.Urgent:
		return text{"Act today: do not reinstall or change hardware, and tell central staff about this machine before you leave the site.",
			"本日中に対応してください。再インストールや部品交換はせず、現場を離れる前にこの端末のことを本部に連絡してください。"}
	case classify.ImageBackup:
		return text{"Tell central staff: a full image backup is needed before any repair or reinstall, because this Windows cannot be activated again offline. Do not reinstall.",
			"本部に連絡してください。この Windows はオフラインで再度ライセンス認証できないため、修理や再インストールの前にフル イメージ バックアップが必要です。再インストールはしないでください。"}
	case classify.VolumeLicense:
		return text{"Nothing to do at the machine now: central staff will plan a volume license for it. Do not reinstall until then.",
			"この場での作業はありません。本部がボリューム ライセンスへの移行を計画します。それまで再インストールしないでください。"}
	}
	return text{"Nothing to do: activation holds offline. You can unplug the stick.",
		"対応は不要です。オフラインのままライセンス認証を維持できます。USB メモリを外してかまいません。"}
}

// verdict is the importer's verdict of a collection: as of its own time,
// which is what `importer import` and `importer show --as-of` that day
// say. The category does not depend on the other machines of the site;
// only the suggested routes do, and they are not shown here.
func verdict(s *licensing.Snapshot) classify.Verdict {
	return classify.Device(s, s.Context.Collected, classify.Site{})
}

// printSummary tells the engineer, at the machine, what was recorded and
// the verdict central staff will see, wrapped to a console of width
// columns (0: a file, one line each). The device name appears on screen
// only, never on the stick in plaintext.
func printSummary(w io.Writer, s *licensing.Snapshot, path string, width int) {
	fmt.Fprintln(w, "\nResult / 結果:")
	name := s.OS.Hostname
	if name == "" {
		name = "(unknown / 不明)"
	}
	if os := strings.TrimSpace(s.OS.Caption + " " + s.OS.Version); os != "" {
		name += " (" + os + ")"
	}
	rows := [][2]string{{"Device / 端末", name}}
	rows = append(rows, productRows(s)...)
	if n := len(s.Errors); n > 0 {
		rows = append(rows, [2]string{"Note / 注記", fmt.Sprintf("%s failed (listed in the bundle) / %d 件の読み取りに失敗しました (バンドルに記録済み)",
			plural(n, "read"), n)})
	}
	printRows(w, rows, width)

	v := verdict(s)
	cw := categoryWords(v.Category)
	printVerdict(w, cw, v.Category, width)
	if len(v.Reasons) > 0 {
		r := v.Reasons[0]
		printWrapped(w, "Why:", r.Text(classify.English), width)
		printWrapped(w, "理由:", r.Text(classify.Japanese), width)
	}
	do := advice(v)
	printWrapped(w, "Do now:", do.en, width)
	printWrapped(w, "今すぐ:", do.ja, width)
	fmt.Fprintln(w)
	printFileRows(w, [][2]string{{"Bundle / バンドル", filepath.Base(path)}, {"Saved in / 保存先", filepath.Dir(path)}}, width)
}

// printVerdict writes the verdict in both languages with its code: on
// one line when it fits the console (or goes to a file), else the
// Japanese words on the next, where the English ones go on, each
// wrapped: under them, or on a console too narrow for that (under 41
// columns) four columns in (nextIndent), right of the rows' two.
func printVerdict(w io.Writer, cw text, c classify.Category, width int) {
	const label = "Verdict / 判定: "
	if line := label + cw.en + " / " + cw.ja + " [" + string(c) + "]"; width <= 0 || cols(line) <= width-1 {
		fmt.Fprintf(w, "\n%s\n", line)
		return
	}
	fmt.Fprintln(w)
	printMessage(w, label, cw.en+" ["+string(c)+"]", width)
	printMessage(w, strings.Repeat(" ", nextIndent(label, width)), cw.ja, width)
}

// printFileRows writes label: value rows as printRows does, for values
// that are file or folder names (printName).
func printFileRows(w io.Writer, rows [][2]string, width int) {
	lw := labelWidth(rows)
	for _, r := range rows {
		printName(w, "  "+r[0]+":"+strings.Repeat(" ", lw-cols(r[0])), r[1], 4, width)
	}
}

// productRows are the Windows and Office products the verdict rests on;
// other licenses are named but not rated, since the importer does not
// count them.
func productRows(s *licensing.Snapshot) [][2]string {
	var rows [][2]string
	windows := false
	for i, p := range s.Products {
		if p.IsAddon || p.NotInUse {
			continue
		}
		pname := p.Name
		if pname == "" {
			pname = "(name not readable / 名前を読み取れません)"
		}
		if p.Kind != licensing.KindWindows && p.Kind != licensing.KindOffice {
			rows = append(rows, [2]string{"Other / その他", pname + ": not Windows or Office, not rated / Windows・Office 以外のため判定対象外"})
			continue
		}
		label := "Windows"
		if p.Kind == licensing.KindOffice {
			label = "Office"
		} else {
			windows = true
		}
		// The name the importer's reports give it: "Office 2010
		// Professional Plus" for "Office 14, OfficeProPlus-Retail edition".
		n := classify.ProductName(s, &s.Products[i])
		if en, ja := n.Text(classify.English), n.Text(classify.Japanese); en != ja {
			pname = en + " / " + ja
		} else if en != "" {
			pname = en
		}
		st := statusWords(p.Status)
		line := fmt.Sprintf("%s: %s / %s", pname, st.en, st.ja)
		if p.Channel != "" && p.Channel != licensing.ChannelUnknown {
			line += fmt.Sprintf(" [%s]", p.Channel)
		}
		rows = append(rows, [2]string{label, line})
	}
	if !windows {
		rows = append(rows, [2]string{"Windows", "no Windows license could be read / Windows のライセンスを読み取れませんでした"})
	}
	return rows
}

// printPath writes a labelled file name, as the banner's settings file
// (printName): its next lines four columns in, not at the two where the
// check's rows start, so that a stick folder named "Site / 拠点: X"
// cannot start a line that reads as one of them.
func printPath(w io.Writer, label, path string, width int) {
	printName(w, label, path, 4, width)
}

// printName writes a file or folder name after head: on the same line
// when both fit the console of width columns (less one, as
// printMessage) or the screen goes to a file (width 0), else on the
// lines below, indented. The name is never broken at its spaces, so
// that it can be copied whole; one longer than the console is cut before
// one of its backslashes (cut), as an error's path is: left to the
// console, it would be folded mid-name with the rest at column 0, where
// a folder named "Verdict / 判定: OK" would read as the collector's own.
func printName(w io.Writer, head, name string, indent, width int) {
	if width <= 0 || cols(head)+1+cols(name) <= width-1 {
		fmt.Fprintf(w, "%s %s\n", head, name)
		return
	}
	fmt.Fprintf(w, "%s\n", strings.TrimRight(head, " "))
	if width-1-indent < 1 { // a console of a few columns: no room for the indent
		indent = 0
	}
	for name != "" {
		var l string
		l, name = cut(name, width-1-indent)
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), l)
	}
}

// printWrapped writes a labelled paragraph, wrapped to the console
// (printMessage), its next lines under its text.
func printWrapped(w io.Writer, label, s string, width int) {
	const indent = 10
	printMessage(w, "  "+label+strings.Repeat(" ", indent-2-cols(label)), s, width)
}

// cols is how many console columns s may take: the most of the Windows
// consoles the collector runs in (runeCols).
func cols(s string) int {
	n := 0
	for _, r := range s {
		n += runeCols(r)
	}
	return n
}

// runeCols is the columns r may take: one for ASCII and for the
// halfwidth forms (halfwidth katakana), two for any other character.
// East Asian wide and fullwidth characters take two; so do the
// ambiguous ones (Greek, Cyrillic, box drawing, "…", "→") on the console
// of a Japanese Windows (code page 932), and one beyond U+FFFF (emoji,
// CJK Extension B), two UTF-16 units, on the Windows 7 console. Telling
// the few narrow ones among the rest needs Unicode's tables
// (x/text/width), which the collector leaves out to stay small
// (pkg/deps_test.go); a line of them counted two only ends short. One
// that took more than counted would be folded by the console, the rest
// of it at the start of a line, where a value from outside could read
// as the collector's own line (printMessage).
func runeCols(r rune) int {
	if r < 0xa1 || r >= 0xff61 && r <= 0xffdc {
		return 1
	}
	return 2
}

// fill breaks s into lines, the first of at most first columns, the
// others of at most rest: at spaces, and between wide characters, since
// Japanese has no spaces, as Japanese is broken (JIS X 4051, JLREQ):
// never inside an ASCII word or a katakana one (メモリ), before closing
// punctuation, a small kana or ー, nor after opening punctuation
// (tokens), nor between a number and its counter or unit (numbers).
// Where a line must break, it breaks at the last good place
// in its second half (better), so that a word is not split where a
// space, a 、 or a new word is near. A word longer than rest (a path,
// which the console would fold at its edge, the rest of it at the
// start of a line) starts a line and is cut (cut); one that does not
// fit the first line's room but fits a line starts the next, whole. A
// rest under 1 is 1: a line with no room would be followed by another
// for ever.
func fill(s string, first, rest int) []string {
	if rest < 1 {
		rest = 1
	}
	var lines []string
	toks, width := tokens(s), first
	for len(toks) > 0 {
		n := fits(toks, width)
		switch {
		case n == len(toks):
			return append(lines, lineOf(toks))
		case n > 0:
			b := better(toks, n, width)
			if b == 0 && len(lines) == 0 && width < rest {
				// A number and its counter that the room after
				// the label does not hold together: below.
				lines, width = append(lines, ""), rest
				continue
			}
			if b > 0 {
				n = b
			}
			lines, toks = append(lines, lineOf(toks[:n])), toks[n:]
		case width < 1 || len(lines) == 0 && cols(toks[0].s) <= rest:
			// No room after the label, or not for a word that a
			// line holds: the text starts below, the word whole.
			lines = append(lines, "")
		default:
			var head string
			head, toks[0].s = cut(toks[0].s, width)
			lines, toks[0].space = append(lines, head), false
		}
		width = rest
	}
	return append(lines, "")
}

// fits is how many of toks, from the first, a line of width columns
// holds, each after its space but the first. It counts a token's
// columns only up to the line's end: a word of 256 KiB, counted whole
// for each of its lines, took seconds.
func fits(toks []token, width int) int {
	lw := 0
	for i, t := range toks {
		if i > 0 && t.space {
			lw++
		}
		for _, r := range t.s {
			if lw += runeCols(r); lw > width {
				return i
			}
		}
		if lw > width {
			return i
		}
	}
	return len(toks)
}

// lineOf is the line that toks make.
func lineOf(toks []token) string {
	var b strings.Builder
	for i, t := range toks {
		if i > 0 && t.space {
			b.WriteByte(' ')
		}
		b.WriteString(t.s)
	}
	return b.String()
}

// better is where a line of width columns that holds the first n of
// toks, but not n+1, ends: before the last good break (goodBreak) in
// its second half, as cut breaks a path (a third left "認証済" / "み"
// beside a label at 40 columns), else after the n, or the n less one
// where the text's last line would hold one character ("い。") alone;
// but never before a token glued to the one before it (a number's
// counter, numbers): there, before the glued run; 0 where the run
// starts the line, which fill then starts below the label or breaks
// inside after all.
// Without a dictionary, a break in Japanese cannot know a word; these
// places most often end one.
func better(toks []token, n, width int) int {
	lw := cols(lineOf(toks[:n]))
	for i := n; i > 0 && lw > width/2; i-- {
		if goodBreak(toks, i) {
			return i
		}
		lw -= cols(toks[i-1].s)
		if toks[i-1].space && i > 1 {
			lw--
		}
	}
	if n > 1 && n == len(toks)-1 && !toks[n].space && lone(toks[n].s) && !toks[n-1].glue {
		return n - 1
	}
	for i := n; i > 0; i-- {
		if !toks[i].glue {
			return i
		}
	}
	return 0 // the line is one number and its counter: fill decides
}

// lone reports whether s is one wide character, with the punctuation
// that may not start a line after it ("い。").
func lone(s string) bool {
	r := []rune(strings.TrimRight(s, noStart))
	return len(r) == 1 && runeCols(r[0]) == 2
}

// goodBreak reports whether a line breaks well before toks[i]: at a
// space, after a Japanese comma, stop, middle dot or closing bracket,
// before an opening one, between wide and narrow (Japanese and ASCII),
// or after hiragana before kanji or katakana, where a new word often
// starts (収集プログラムの|不具合, キーで|閉じます); never inside a
// number and its counter (numbers); not after a
// single hiragana that is no particle, most often a verb's ending
// inside a word (書き|込み, 読み|取り).
func goodBreak(toks []token, i int) bool {
	p, _ := utf8.DecodeLastRuneInString(toks[i-1].s)
	r, _ := utf8.DecodeRuneInString(toks[i].s)
	switch {
	case toks[i].glue:
		return false
	case toks[i].space, strings.ContainsRune(stops+closing, p), strings.ContainsRune(noEnd, r):
		return true
	case runeCols(p) != runeCols(r):
		return true
	case script(p) != hiragana || script(r) != kanji && script(r) != katakana:
		return false
	}
	return strings.ContainsRune(particles, p) || script(runeBefore(toks, i-1)) == hiragana
}

// particles are the one-kana particles that end a phrase before the
// next word: 本部|に|連絡, 平文|は|書き込み.
const particles = "をにはがでのともへや"

// runeBefore is the character before the last one of toks[i], with no
// space between them, or 0.
func runeBefore(toks []token, i int) rune {
	s := toks[i].s
	_, n := utf8.DecodeLastRuneInString(s)
	if n < len(s) {
		r, _ := utf8.DecodeLastRuneInString(s[:len(s)-n])
		return r
	}
	if i == 0 || toks[i].space {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(toks[i-1].s)
	return r
}

// The scripts goodBreak tells apart.
const (
	other = iota // ASCII, Latin, symbols
	hiragana
	katakana
	kanji
)

// script is which of hiragana, katakana (with ー and the small ones),
// kanji (with 々 and 〆) or other r is.
func script(r rune) int {
	switch {
	case r >= 'ぁ' && r <= 'ゟ':
		return hiragana
	case r >= 'ァ' && r <= 'ヿ' && r != '・', r >= 'ㇰ' && r <= 'ㇿ':
		return katakana
	case r >= '一' && r <= '鿿', r >= '㐀' && r <= '䶿', r >= '豈' && r <= '﫿', r >= 0x20000, r == '々', r == '〆':
		return kanji
	}
	return other
}

// token is a run of text that a line does not break, with whether a
// space comes before it and whether a line breaks before it only where
// it must (numbers).
type token struct {
	s     string
	space bool
	glue  bool
}

// tokens splits s at its spaces and where a line may break between two
// characters with none: where one of them is wide (breaks), but not
// inside a run of katakana, a word as an ASCII one is (メモリ). A
// character that must not start a line stays with the one before it
// even after a space ("ID 」"), as the space holds it there.
//
// The last token's text grows in a buffer, given to it when the next
// begins: grown by a string at a time, a word of 64 KiB (an ASCII
// one, of katakana, of ー) was copied whole for each of its
// characters, 734 MB to 2.2 GB.
func tokens(s string) []token {
	var toks []token
	var last strings.Builder // the text of toks' last token
	space, prev := false, rune(0)
	for _, r := range s {
		switch {
		case r == ' ':
			space = true
		case len(toks) > 0 && !space && (!breaks(prev, r) || script(prev) == katakana && script(r) == katakana):
			last.WriteRune(r)
		case len(toks) > 0 && runeCols(r) == 2 && strings.ContainsRune(noStart, r): // after a space
			last.WriteByte(' ')
			last.WriteRune(r)
			space = false
		default:
			if len(toks) > 0 {
				toks[len(toks)-1].s = last.String()
			}
			last = strings.Builder{} // the string given keeps the old buffer
			last.WriteRune(r)
			toks = append(toks, token{space: space})
			space = false
		}
		if r != ' ' {
			prev = r
		}
	}
	if len(toks) > 0 {
		toks[len(toks)-1].s = last.String()
	}
	numbers(toks)
	return toks
}

// numbers glues a number to what must go with it (JLREQ 3.1.10: a
// number and its unit, cl-27 with cl-25 and cl-26), so that a line
// breaks between them only where they do not fit a line together:
// "残り 9" / "日です" read as two things. A number is ASCII digits with
// their separators (2026-01-15, 1,234), a token, or fullwidth digits,
// a token each. It takes 残り or 第 before it and its counter or unit
// after it (counters), with a space or none: in the next tokens, or in
// its own where kinsoku keeps the counter's first character with the
// number ("２ヶ" of ２ヶ月).
func numbers(toks []token) {
	for i := range toks {
		e := numberLen(toks[i].s)
		if e == 0 {
			continue
		}
		switch {
		case i > 0 && !toks[i].space && digit(lastRune(toks[i-1].s)): // １|２
			toks[i].glue = true
		case e < len(toks[i].s): // "２ヶ", "30、": not a number alone
		case spans(toks, i, "第") > 0:
			toks[i].glue = true
		case spans(toks, i, "残り") > 0:
			for k := i - spans(toks, i, "残り") + 1; k <= i; k++ {
				toks[k].glue = true
			}
		}
		if e == len(toks[i].s) && i+1 < len(toks) && !toks[i+1].space && digit(firstRune(toks[i+1].s)) {
			continue // a run of fullwidth digits goes on
		}
		for _, c := range counters {
			if k := counterEnd(toks, i, e, c); k >= 0 {
				for j := i + 1; j <= k; j++ {
					toks[j].glue = true
				}
				break
			}
		}
	}
}

// counters are the counters and units that a number does not end a
// line before: 日, 件, ページ, %, KiB, and the min and s of a time
// limit (duration). Of two that start alike, the longer comes first:
// "か月" is not か.
var counters = []string{"か月", "ヶ月", "カ月", "ヵ月", "ケ月", "時間", "週間", "文字", "箇所", "か所", "ページ", "バイト",
	"KiB", "MiB", "GiB", "KB", "MB", "GB", "min", "s", "%", "％",
	"日", "年", "月", "件", "台", "個", "分", "秒", "回", "時", "週", "人", "本", "枚", "度", "倍", "桁", "行", "歳", "番", "号", "円", "点", "通", "部", "種", "社", "軒", "冊", "名"}

// numberLen is the length in bytes of the number s starts with: ASCII
// or fullwidth digits, with the separators of a date, a time or a
// thousand between them (2026-01-15, 10:30, 1,234, 3.5); 0 for none.
func numberLen(s string) int {
	n := 0
	for i, r := range s {
		if digit(r) {
			n = i + utf8.RuneLen(r)
		} else if n == 0 || !strings.ContainsRune(",.:/-", r) {
			break
		}
	}
	return n
}

// digit reports whether r is an ASCII or a fullwidth digit.
func digit(r rune) bool {
	return r >= '0' && r <= '9' || r >= '０' && r <= '９'
}

// firstRune is the first character of s, or utf8.RuneError.
func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// lastRune is the last character of s, or utf8.RuneError.
func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// counterEnd is the index of the last of toks that counter c spans
// where it starts at byte e of toks[i], or at the next token where e
// is the end of toks[i] (after a space or none), or -1 where c is not
// there. c spans no space. An ASCII one (KiB) is not the start of a
// longer word (KiBs).
func counterEnd(toks []token, i, e int, c string) int {
	s, k := toks[i].s[e:], i
	if s == "" {
		if k++; k == len(toks) {
			return -1
		}
		s = toks[k].s
	}
	for len(s) < len(c) {
		if !strings.HasPrefix(c, s) {
			return -1
		}
		c = c[len(s):]
		if k++; k == len(toks) || toks[k].space {
			return -1
		}
		s = toks[k].s
	}
	if r, _ := utf8.DecodeRuneInString(s[len(c):]); !strings.HasPrefix(s, c) || r|0x20 >= 'a' && r|0x20 <= 'z' {
		return -1
	}
	return k
}

// spans is how many of toks before toks[i] the text w ends, with no
// space inside it, or 0 where they do not end with it.
func spans(toks []token, i int, w string) int {
	rest := w
	for k := i - 1; k >= 0; k-- {
		s := toks[k].s
		if len(s) < len(rest) {
			if !strings.HasSuffix(rest, s) || toks[k].space {
				return 0
			}
			rest = rest[:len(rest)-len(s)]
			continue
		}
		if !strings.HasSuffix(s, rest) {
			return 0
		}
		return i - k
	}
	return 0
}

// breaks reports whether a line may break between p and r, with no
// space between them: where either is wide, unless r must not start a
// line or p must not end one.
func breaks(p, r rune) bool {
	return (runeCols(p) == 2 || runeCols(r) == 2) && kinsokuOK(p, r)
}

// kinsokuOK reports whether Japanese typesetting lets a line end with p
// and the next start with r (kinsoku: JIS X 4051, W3C JLREQ).
func kinsokuOK(p, r rune) bool {
	return !strings.ContainsRune(noStart, r) && !strings.ContainsRune(noEnd, p)
}

// The characters that JLREQ ("Requirements for Japanese Text Layout",
// appendix A) keeps from the start or the end of a line, full-width and
// ASCII (after a Japanese word: "実行」)"), and the angle brackets of a
// placeholder ("<キー>").
const (
	// noStart do not start a line: closing brackets and quotes (cl-02),
	// hyphens and wave dashes (cl-03, with the fullwidth tilde Windows
	// writes for 〜), ！？ (cl-04), ・：； (cl-05), full stops (cl-06),
	// commas (cl-07), iteration marks (cl-09), ー (cl-10), small kana
	// (cl-11).
	noStart = closing + "‐〜～゠–" + stops +
		"々〻ゝゞヽヾ" + "ー" + "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ" +
		")]}>.,:;!?"
	// closing are the closing brackets and quotes.
	closing = "）〕］｝〉》」』】｠〙〗〟’”»"
	// stops are the full-width dividing punctuation, middle dots, full
	// stops and commas (cl-04 to cl-07).
	stops = "！？‼⁇⁈⁉" + "・：；" + "。．" + "、，"
	// noEnd do not end a line: opening brackets and quotes (cl-01).
	noEnd = "（〔［｛〈《「『【｟〘〖〝‘“«([{<"
)

// cut splits a word longer than width columns into a head that fits
// and the rest: before a backslash or slash in the second half of the
// line, so that a path breaks between its folders and an escape
// (\x0a, \u202e) stays whole; else, there, at the last place a name
// breaks within (softBreak): before a dot, so that a bundle's name
// goes on with ".tar.zst.age", not "r.zst.age", after a hyphen; else
// at width. The head holds at least one character.
func cut(word string, width int) (head, rest string) {
	at, c, last, soft := 0, 0, 0, 0
	for i, r := range word {
		if c+runeCols(r) > width {
			break
		}
		if (r == '\\' || r == '/') && c > width/2 && word[i-1] != byte(r) {
			last = i
		}
		if c > width/2 {
			if before, after := softBreak(r); before {
				soft = i
			} else if after {
				soft = i + utf8.RuneLen(r)
			}
		}
		c += runeCols(r)
		at = i + utf8.RuneLen(r)
	}
	if at == 0 { // a wide character in one column
		_, at = utf8.DecodeRuneInString(word)
	}
	switch {
	case at == len(word):
	case last > 0:
		at = last
	case soft > 0 && soft < len(word):
		at = soft
	default:
		at = kinsokuBack(word, at)
	}
	return word[:at], word[at:]
}

// kinsokuBack moves a break at byte at of word back over the characters
// that may not end or start a line there (kinsokuOK), so that "。" or "」"
// does not start the next line: a character or more goes with it. A
// run of them as long as the head (ーーーー) breaks at at after all.
func kinsokuBack(word string, at int) int {
	for i := at; i > 0; {
		p, n := utf8.DecodeLastRuneInString(word[:i])
		r, _ := utf8.DecodeRuneInString(word[i:])
		if kinsokuOK(p, r) {
			return i
		}
		i -= n
	}
	return at
}

// softBreak reports whether a name may break before r (a dot: a file's
// extension, the dotted parts of a name) or after it (a hyphen, an
// underscore, an opening parenthesis: a function's arguments in a
// trace), when it must break and has no folder to break at. None of
// them is part of an escape (\x0a, \u202e), which stays whole.
func softBreak(r rune) (before, after bool) {
	switch r {
	case '.':
		return true, false
	case '-', '_', '(':
		return false, true
	}
	return false, false
}
