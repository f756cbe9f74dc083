package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// text is something the engineer reads, in English and in Japanese: the
// stick guide tells them to do what the screen says, and many read only
// Japanese.
type text struct{ en, ja string }

// say formats en and ja with the same arguments; ja may take them in
// another order with %[n]s.
func say(en, ja string, a ...interface{}) text {
	return text{fmt.Sprintf(en, a...), fmt.Sprintf(ja, a...)}
}

// with fills the one verb of each language with v in that language.
func (t text) with(v text) text { return text{fmt.Sprintf(t.en, v.en), fmt.Sprintf(t.ja, v.ja)} }

// exitError carries an exit code, what happened and what to do about it.
type exitError struct {
	code      int
	msg, hint text
}

func (e *exitError) Error() string { return e.msg.en }

// usage is exit 2: a setting or an answer is wrong.
func usage(msg, hint text) error { return &exitError{code: 2, msg: msg, hint: hint} }

// failure is exit 1: the bundle could not be written.
func failure(msg, hint text) error { return &exitError{code: 1, msg: msg, hint: hint} }

// errInterrupted is exit 130: Ctrl-C before the bundle was written.
var errInterrupted = &exitError{code: 130,
	msg:  say("interrupted (Ctrl-C): nothing was written", "中断しました (Ctrl-C)。何も保存していません"),
	hint: say("run the collector again when you are ready", "準備ができたら、もう一度実行してください")}

// printError writes err for the engineer: the error, then what to do,
// each in English and Japanese, and returns the exit code. Each is one
// line (terminal.Message), wrapped to the console's width columns
// (printMessage; 0: not a console, one line each): a message may name a
// file of the stick or a value of its settings file, escaped as it was
// made (terminal.Inline, %q) but for what an error of the system names
// raw, whose newline would end the line and start one that reads as the
// collector's own. A joined error shows each of its parts so
// (terminal.Parts); the hint and the exit code are those of the first
// of the collector's errors.
func printError(w io.Writer, err error, width int) int {
	m := terminal.Message
	for _, part := range terminal.Parts(err) {
		msg := say("%v", "%v", part)
		var pe *exitError
		if errors.As(part, &pe) {
			msg = pe.msg
		}
		printMessage(w, "collector: error: ", m(msg.en), width)
		printMessage(w, "collector: エラー: ", m(msg.ja), width)
	}
	var ee *exitError
	if !errors.As(err, &ee) {
		ee = &exitError{code: 2}
	}
	if ee.hint.en != "" {
		printMessage(w, "collector: hint: ", m(ee.hint.en), width)
		printMessage(w, "collector: 対処: ", m(ee.hint.ja), width)
	}
	return ee.code
}

// minText is the fewest columns a message's text is wrapped to under its
// prefix; a console narrower than that gets it under a shorter indent.
const minText = 24

// shortIndent is the least a line's next lines are indented on a
// console too narrow to stand them under its text: right of the two
// columns where the collector's own lines start, 0 (headings, the
// verdict, errors) and 2 (the rows of the check and the result, their
// "Why:", progress, notes).
const shortIndent = 4

// printMessage writes prefix and s, wrapped for a console of width
// columns: within width-1, since a line that fills the last column
// leaves an empty one behind on Windows, each line after the first
// indented under the text, so that none can read as a line of the
// collector's own (a value from outside holding "collector: hint:", or
// "  Why:" in a summary row), whatever the value and wherever it breaks.
// The console would fold the line itself mid-word, mid-path, and put
// the rest at the start of a line. On a console too narrow for that
// indent the next lines stand less far in (nextIndent): still not where
// the collector's own lines do. width 0 is not a console (a file, a
// pipe): one line, as a log wants it.
func printMessage(w io.Writer, prefix, s string, width int) {
	if width <= 0 {
		fmt.Fprintf(w, "%s%s\n", prefix, s)
		return
	}
	indent := nextIndent(prefix, width)
	pad := strings.Repeat(" ", indent)
	for i, l := range fill(s, width-1-cols(prefix), width-1-indent) {
		if i == 0 {
			fmt.Fprintf(w, "%s\n", strings.TrimRight(prefix+l, " "))
		} else {
			fmt.Fprintf(w, "%s%s\n", pad, l)
		}
	}
}

// printPrompt writes a question for the engineer and leaves the cursor
// a space after it, where the answer is typed, wrapped for a console of
// width columns as printMessage wraps a line (0: as it is), but each
// line a column shorter: on its last line, the space before the
// answer must fall short of the last column, where the console would
// take the cursor to the next line. Its next lines stand shortIndent
// columns in: a question may show the answer kept on Enter, a value of
// the settings or of a replayed snapshot, which must not start a line
// where the collector's own do.
func printPrompt(w io.Writer, prompt string, width int) {
	if width <= 0 {
		fmt.Fprint(w, prompt+" ")
		return
	}
	indent := shortIndent
	if width-2-indent < 1 {
		indent = 0
	}
	lines := fill(prompt, width-2, width-2-indent)
	for i, l := range lines {
		if i > 0 {
			l = strings.Repeat(" ", indent) + l
		}
		if i == len(lines)-1 {
			fmt.Fprint(w, l+" ")
		} else {
			fmt.Fprintln(w, strings.TrimRight(l, " "))
		}
	}
}

// nextIndent is the column printMessage starts the next lines of a
// line that begins with prefix on a console of width columns: under
// the text, where that leaves minText columns, else two right of where
// prefix starts and at least shortIndent, else (a console of a few
// columns) 0, for at least a column of text, which fill needs.
func nextIndent(prefix string, width int) int {
	width-- // the last column stays empty (printMessage)
	indent := cols(prefix)
	short := len(prefix) - len(strings.TrimLeft(prefix, " ")) + 2
	if short < shortIndent {
		short = shortIndent
	}
	if width-indent < minText && indent > short {
		indent = short
	}
	if width-indent < 1 {
		indent = 0
	}
	return indent
}

// fault is exit 3: the collector stopped on a panic of value r, printed
// with the goroutine's trace (printFault).
func fault(r interface{}) error {
	return &exitError{code: 3,
		msg: say("internal fault, the collector stopped: %v", "内部エラーで収集プログラムが停止しました: %v", r),
		hint: say("this is a fault of the collector, not of this machine or stick: take a photo of this screen for central staff; a bundle saved before it is in the bundles folder",
			"収集プログラムの不具合です (この端末や USB メモリの問題ではありません)。この画面を写真に撮って本部に送ってください。これより前に保存したバンドルは bundles フォルダーにあります")}
}

// printFault prints the trace of a panic, then the fault, and returns
// its exit code. The trace is for central staff, from a photo of the
// screen: it names the collector's functions and lines, not the
// machine's data. Each of its lines is escaped (terminal.Message) but
// for the tab Go starts a file's line with, shown as the indent it is
// (two columns right of the function's), not as \x09; each is wrapped
// to the console (printTraceLine), and stays one line in a file.
func printFault(w io.Writer, r interface{}, stack []byte, width int) int {
	for _, l := range strings.Split(strings.TrimSpace(string(stack)), "\n") {
		indent := 2
		if file := strings.TrimPrefix(l, "\t"); file != l {
			l, indent = file, 4
		}
		printTraceLine(w, indent, terminal.Message(l), width)
	}
	return printError(w, fault(r), width)
}

// printTraceLine writes a line of a trace indent columns in, wrapped to
// a console of width columns as fill wraps it: at its spaces (between a
// function's arguments), a path before one of its slashes. Left to the
// console, a path would be folded anywhere, the rest at column 0. Its
// next lines stand four columns further in, right of where any line of
// the trace starts (a function at 2, its file at 4), so that a photo
// still shows which line goes on. width 0 is a file: one line, every
// character as Go wrote it but the tab.
func printTraceLine(w io.Writer, indent int, s string, width int) {
	if width <= 0 {
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", indent), s)
		return
	}
	next := indent + 4
	if width-1-next < 1 { // a console of a few columns
		indent, next = 0, 0
	}
	for i, l := range fill(s, width-1-indent, width-1-next) {
		pad := indent
		if i > 0 {
			pad = next
		}
		fmt.Fprintf(w, "%s%s\n", strings.Repeat(" ", pad), l)
	}
}

// goroutinePanic is what a goroutine of the collector other than main
// panicked with, and that goroutine's trace, from where the panic began.
// Go ends the whole program on such a panic with its exit 2, which
// ActCourier.cmd reads as "a setting was wrong", and no recover in main
// can stop it. So every goroutine the collector starts runs its work in
// caught and hands a panic to the main goroutine, which panics with it;
// runContext prints it as its own (printFault): exit 3, this trace, the
// hint. TestGoroutinesCaught holds every go statement of the collector
// to it.
type goroutinePanic struct {
	value interface{}
	stack []byte
}

func (p *goroutinePanic) Error() string { return fmt.Sprintf("panic in a goroutine: %v", p.value) }

// caught runs f and returns what it panicked with and the trace of the
// goroutine that ran it, or nil when it returned.
func caught(f func()) (p *goroutinePanic) {
	defer func() {
		if r := recover(); r != nil {
			p = &goroutinePanic{value: r, stack: debug.Stack()}
		}
	}()
	f()
	return nil
}

// fieldName names a context field the engineer gives.
func fieldName(f string) text {
	switch f {
	case "site":
		return text{"site", "拠点"}
	case "line":
		return text{"line", "ライン"}
	case "asset":
		return text{"asset tag", "資産番号"}
	}
	return text{"engineer", "担当者"}
}

// fieldList joins field names, as "site, line" / "拠点・ライン".
func fieldList(names []string) text {
	var en, ja []string
	for _, n := range names {
		en, ja = append(en, fieldName(n).en), append(ja, fieldName(n).ja)
	}
	return text{strings.Join(en, ", "), strings.Join(ja, "・")}
}

// flagList is "--site --line" for names.
func flagList(names []string) string {
	var f []string
	for _, n := range names {
		f = append(f, "--"+n)
	}
	return strings.Join(f, " ")
}

// duration says d as a person would: "2 min" / "2 分", "1 min 30 s" /
// "1 分 30 秒".
func duration(d time.Duration) text {
	d = d.Round(time.Second)
	m, s := int(d/time.Minute), int(d%time.Minute/time.Second)
	switch {
	case m == 0:
		return say("%d s", "%d 秒", s)
	case s == 0:
		return say("%d min", "%d 分", m)
	}
	return say("%d min %d s", "%d 分 %d 秒", m, s)
}

// plural is "1 source" or "2 sources".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// controlIn returns the first control or format character of v
// (stick.UnsafeRune), if any: the settings file refuses them in a site
// or line name, and one typed or passed to the collector is no better (a
// Tab in an asset tag read as a space on the check screen and as \x09
// in the importer's lists).
func controlIn(v string) (rune, bool) {
	i := strings.IndexFunc(v, stick.UnsafeRune)
	if i < 0 {
		return 0, false
	}
	return []rune(v[i:])[0], true
}

// systemCause is what the system said of a file, without the file's
// name: a message about the stick names its folder once, and the name of
// a probe or temporary file in it tells the engineer nothing.
func systemCause(err error) error {
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		return pe.Err
	case errors.As(err, &le):
		return le.Err
	}
	return err
}

// stickFault is the error for a folder the stick did not take a file
// in: found out before anything is read (written false: checkWritable),
// or while the bundle was written (written true: bundle.WriteFile, which
// leaves nothing half-written behind). It says, in both languages, what
// the engineer can do at the machine (another stick, the stick's
// write-protect switch, central staff); --out only to someone who
// started the collector with options (commandLine), since ActCourier.cmd
// double-clicked passes none.
func stickFault(dir string, err error, written, commandLine bool) error {
	done := text{"nothing was read or written", "何も読み取り・保存していません"}
	if written {
		done = text{"nothing half-written was left on the stick", "書きかけのファイルは残していません"}
	}
	cause := systemCause(err)
	var msg, hint text
	switch {
	case diskFull(err):
		msg = say("the stick is full: the bundle does not fit in %s", "USB メモリの空きがありません。%s にバンドルを保存できません", dir)
		hint = text{"Delete files that are not bundles from this stick, or use another stick, then run ActCourier again",
			"この USB メモリからバンドル以外のファイルを削除するか、別の USB メモリを使って、もう一度 ActCourier を実行してください"}
	case writeProtected(err):
		msg = say("the stick is write-protected: nothing can be saved in %s", "USB メモリが書き込み禁止になっています。%s に保存できません", dir)
		hint = text{"If the stick has a write-protect switch (LOCK), slide it to unlock, or use another stick, then run ActCourier again; if that does not help, ask central staff",
			"USB メモリに書き込み禁止スイッチ (LOCK) があれば解除するか、別の USB メモリを使って、もう一度 ActCourier を実行してください。解決しないときは本部に連絡してください"}
	case errors.Is(err, fs.ErrPermission):
		msg = say("Windows does not let this user write in %s (%v)", "%s への書き込みが Windows に拒否されました (%v)", dir, cause)
		// A stick on LOCK may be refused so too (Wine says so of a
		// read-only mount): the switch comes first.
		hint = text{"If the stick has a write-protect switch (LOCK), slide it to unlock; else run ActCourier as administrator (right-click, Run as administrator), or use another stick. If it is refused again, this machine forbids writing to USB sticks: ask central staff",
			"USB メモリに書き込み禁止スイッチ (LOCK) があれば解除してください。なければ ActCourier を管理者として実行するか (右クリック →「管理者として実行」)、別の USB メモリを使ってください。それでも拒否されるときは、この端末で USB メモリへの書き込みが禁止されています。本部に連絡してください"}
	case written:
		msg = say("the bundle could not be saved in %s (%v)", "バンドルを %s に保存できませんでした (%v)", dir, cause)
		hint = text{"Check that the stick is plugged in, then run ActCourier again; if it fails again, use another stick or tell central staff",
			"USB メモリが挿さっていることを確かめて、もう一度 ActCourier を実行してください。再び失敗したら、別の USB メモリを使うか本部に連絡してください"}
	default:
		msg = say("cannot write in the output folder %s (%v)", "保存先フォルダー %s に書き込めません (%v)", dir, cause)
		hint = text{"Check that the stick is plugged in, then run ActCourier again; if it fails again, use another stick or tell central staff",
			"USB メモリが挿さっていることを確かめて、もう一度 ActCourier を実行してください。再び失敗したら、別の USB メモリを使うか本部に連絡してください"}
	}
	hint = text{done.en + ". " + hint.en, done.ja + "。" + hint.ja}
	if commandLine {
		hint.en += " (or save elsewhere with --out DIR)"
		hint.ja += " (または --out DIR で別の保存先を指定してください)"
	}
	return failure(msg, hint)
}
