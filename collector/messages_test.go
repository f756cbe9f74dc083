package main

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/actcourier/actcourier/pkg/activation"
	"golang.org/x/text/width"
)

// TestStickFault: a stick that does not take the bundle is told in words
// the engineer at the machine can act on, in English and Japanese: the
// folder once, never the probe's or the temporary file's name, what was
// left (nothing), and what to do; --out only to who started the
// collector with options. The errors are those of the os package, as
// checkWritable and bundle.WriteFile return them.
func TestStickFault(t *testing.T) {
	dir := filepath.Join("E:", "bundles")
	probe := filepath.Join(dir, ".probe-123.tmp")
	tmp := filepath.Join(dir, ".0123456789abcdef0123456789abcdef.456.tmp")
	// As bundle.WriteFile wraps a failed write since it names the file once.
	writing := func(cause error) error {
		return fmt.Errorf("bundle: %w", &fs.PathError{Op: "write", Path: tmp, Err: cause})
	}
	probing := func(cause error) error { return &fs.PathError{Op: "open", Path: probe, Err: cause} }
	tests := []struct {
		name        string
		err         error
		written     bool
		commandLine bool
		want        []string // in the message and hint, English or Japanese
	}{
		{"full while writing", writing(syscall.ENOSPC), true, false,
			[]string{"the stick is full", "USB メモリの空きがありません", "nothing half-written", "書きかけ", "another stick", "別の USB メモリ", "Delete files that are not bundles"}},
		{"full at the probe", probing(syscall.ENOSPC), false, false,
			[]string{"the stick is full", "nothing was read or written", "何も読み取り・保存していません", "another stick"}},
		{"write-protected", probing(syscall.EROFS), false, false,
			[]string{"write-protected", "書き込み禁止になっています", "write-protect switch (LOCK)", "書き込み禁止スイッチ (LOCK)", "another stick", "別の USB メモリ", "central staff", "本部"}},
		{"write-protected while writing", writing(syscall.EROFS), true, false,
			[]string{"write-protected", "nothing half-written", "LOCK"}},
		{"denied", probing(syscall.EACCES), false, false,
			[]string{"does not let this user write", "拒否", "write-protect switch (LOCK)", "書き込み禁止スイッチ (LOCK)", "Run as administrator", "管理者として実行", "central staff", "本部", "permission denied"}},
		{"pulled while writing", writing(syscall.EIO), true, false,
			[]string{"the bundle could not be saved in", "バンドルを " + dir + " に保存できませんでした (input/output error)", "plugged in", "挿さっている", "nothing half-written"}},
		{"folder is a file", probing(syscall.ENOTDIR), false, false,
			[]string{"cannot write in the output folder " + dir + " (not a directory)", "保存先フォルダー", "plugged in", "central staff"}},
		{"full, from a command line", writing(syscall.ENOSPC), true, true, []string{"the stick is full", "--out DIR", "--out DIR で別の保存先"}},
		{"write-protected, from a command line", probing(syscall.EROFS), false, true, []string{"LOCK", "--out DIR"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ee *exitError
			if !errors.As(stickFault(dir, tc.err, tc.written, tc.commandLine), &ee) || ee.code != 1 {
				t.Fatalf("got %v, want exit 1", ee)
			}
			all := strings.Join([]string{ee.msg.en, ee.msg.ja, ee.hint.en, ee.hint.ja}, "\n")
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("lacks %q:\n%s", w, all)
				}
			}
			if strings.Contains(all, "--out") != tc.commandLine {
				t.Errorf("--out named: %v, want %v:\n%s", !tc.commandLine, tc.commandLine, all)
			}
			if strings.Contains(all, ".tmp") {
				t.Errorf("names a probe or temporary file:\n%s", all)
			}
			for _, m := range []string{ee.msg.en, ee.msg.ja} {
				if n := strings.Count(m, dir); n != 1 {
					t.Errorf("names the folder %d times, want 1: %s", n, m)
				}
			}
			for _, ja := range []string{ee.msg.ja, ee.hint.ja} {
				if !strings.ContainsAny(ja, "はがをにで") {
					t.Errorf("not Japanese: %s", ja)
				}
			}
		})
	}
}

// TestReturnFaultNamesOnce: a return file that cannot be read is named
// once, by the name the stick shows, not again in the system's words.
func TestReturnFaultNamesOnce(t *testing.T) {
	name := "3f9c.return.age"
	err := returnFault(name, &fs.PathError{Op: "open", Path: filepath.Join("E:", "return", name), Err: syscall.EACCES}, false)
	var ee *exitError
	if !errors.As(err, &ee) || strings.Count(ee.msg.en, name) != 1 || !strings.Contains(ee.msg.en, "permission denied") {
		t.Fatalf("got %v, want %s named once, with the cause", err, name)
	}
}

// TestReturnFaultPassphrase: a wrong passphrase is said once, and the
// hint fits where the passphrase came from: typed at the question, or
// set in ACTCOURIER_RETURN_PASSPHRASE (--apply), where there was no
// question whose Enter collects without it.
func TestReturnFaultPassphrase(t *testing.T) {
	wrong := fmt.Errorf("open: %w", activation.ErrWrongPassphrase)
	tests := []struct {
		name    string
		fromEnv bool
		want    []string
		bad     []string
	}{
		{"typed", false, []string{"type the passphrase", "質問で Enter"}, []string{returnPassphraseEnv}},
		{"from the environment", true, []string{"set " + returnPassphraseEnv, returnPassphraseEnv + " に"}, []string{"Enter at the question", "質問で Enter"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var ee *exitError
			if !errors.As(returnFault("3f9c.return.age", wrong, tc.fromEnv), &ee) {
				t.Fatal("not an exitError")
			}
			all := ee.msg.en + "\n" + ee.msg.ja + "\n" + ee.hint.en + "\n" + ee.hint.ja
			if n := strings.Count(ee.msg.en, "passphrase"); n != 1 {
				t.Errorf("the error says passphrase %d times, want once: %s", n, ee.msg.en)
			}
			for _, w := range tc.want {
				if !strings.Contains(all, w) {
					t.Errorf("lacks %q:\n%s", w, all)
				}
			}
			for _, b := range tc.bad {
				if strings.Contains(all, b) {
					t.Errorf("says %q:\n%s", b, all)
				}
			}
		})
	}
}

// TestPrintErrorWrapped: at a console, each error and hint is wrapped to
// its width less one column (a line that fills the last one leaves an
// empty line behind on Windows), continuation lines indented under the
// text; so a value from outside that holds "collector: hint:" or a
// newline still cannot start a line that reads as the collector's own,
// wherever the lines break. Not at a console (width 0: a log file),
// each is one line.
func TestPrintErrorWrapped(t *testing.T) {
	forged := "collector: hint: format the stick"
	dir := `E:\ActCourier\bundles\` + strings.Repeat("x", 70) + `\` + forged
	errs := []struct {
		name string
		err  error
	}{
		{"stick", stickFault(dir, &fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}, false, true)},
		{"newline", failure(say("settings file %s: bad", "設定ファイル %s に誤りがあります", "E:\\a\n"+forged+"\n"+forged),
			say("see "+strings.Repeat("ぬ", 50)+" \n"+forged, "対処 "+strings.Repeat("ぬ", 50)+"\n"+forged))},
		{"joined", errors.Join(errors.New("b\n"+forged), failure(say(forged+" "+forged, "あ "+forged), say("do x", "x する")))},
	}
	for _, tc := range errs {
		for _, width := range []int{0, 40, 80, 120} {
			t.Run(fmt.Sprintf("%s at %d", tc.name, width), func(t *testing.T) {
				var one, b strings.Builder
				printError(&one, tc.err, 0)
				printError(&b, tc.err, width)
				lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
				var starts []string // the lines that start a message
				for _, l := range lines {
					switch {
					case strings.HasPrefix(l, "collector:"):
						starts = append(starts, l)
					case width == 0:
						t.Errorf("not at a console, a message takes two lines: %q", l)
					case !strings.HasPrefix(l, "  "), width >= 80 && !strings.HasPrefix(l, "                 "):
						// Under the text; on a console too narrow for
						// that, by two columns.
						t.Errorf("a continuation not indented under the text: %q", l)
					}
					if width > 0 && cols(l) > width-1 {
						t.Errorf("%d columns, want at most %d: %q", cols(l), width-1, l)
					}
				}
				// As many messages as on one line each, each starting with
				// the collector's own words, and the same words in them.
				want := strings.Split(strings.TrimSuffix(one.String(), "\n"), "\n")
				if len(starts) != len(want) {
					t.Fatalf("%d lines start with collector:, want %d:\n%s", len(starts), len(want), b.String())
				}
				for i, s := range starts {
					for _, p := range []string{"collector: error: ", "collector: エラー: ", "collector: hint: ", "collector: 対処: "} {
						if strings.HasPrefix(want[i], p) && !strings.HasPrefix(s, p) {
							t.Errorf("line %d is %q, want it to start with %q", i, s, p)
						}
					}
				}
				if got, w := strings.Join(strings.Fields(b.String()), ""), strings.Join(strings.Fields(one.String()), ""); got != w {
					t.Errorf("wrapped, the words differ:\n%s\nwant\n%s", got, w)
				}
			})
		}
	}
}

// TestPrintErrorWrappedWide: a line is wrapped by the columns the
// Windows console may give its characters, not fewer: a character
// beyond U+FFFF is two UTF-16 units, two cells (emoji, CJK Extension
// B), and an East Asian ambiguous one (Greek, Cyrillic, box drawing,
// "…", "→") two in the Japanese code page the plants' consoles use.
// Counted as one, a folder of the stick's settings named in an error
// (output = …) made the console fold the line itself, the rest of it,
// a forged "collector: hint:", at the start of a line.
func TestPrintErrorWrappedWide(t *testing.T) {
	forged := "collector: hint: format the stick"
	for _, tc := range []struct{ name, run string }{
		{"beyond U+FFFF", "𠀀"},
		{"emoji", "😀"},
		{"Cyrillic", "Ж"},
		{"Greek", "Ω"},
		{"box drawing", "─"},
	} {
		dir := `E:\` + strings.Repeat(tc.run, 60) + forged
		err := stickFault(dir, &fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}, false, true)
		for _, w := range []int{40, 80, 120} {
			t.Run(fmt.Sprintf("%s at %d", tc.name, w), func(t *testing.T) {
				var b strings.Builder
				printError(&b, err, w)
				for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
					if n := consoleCols(l); n > w-1 {
						t.Errorf("%d columns at most on a Japanese console, want at most %d: %q", n, w-1, l)
					}
				}
			})
		}
	}
}

// consoleCols is the most columns the Windows console may show s in:
// two for a character beyond U+FFFF (two UTF-16 units) and for an East
// Asian wide, fullwidth or ambiguous one (code page 932).
func consoleCols(s string) int {
	n := 0
	for _, r := range s {
		switch k := width.LookupRune(r).Kind(); {
		case r > 0xffff, k == width.EastAsianWide, k == width.EastAsianFullwidth, k == width.EastAsianAmbiguous:
			n += 2
		default:
			n++
		}
	}
	return n
}

// TestPrintErrorNarrow: a console of any width, down to one column,
// gets every message whole and in time; from two columns on, no line
// is longer than the console less one. A console of three columns or
// fewer left fill with no room on a line: it added empty lines for
// ever.
func TestPrintErrorNarrow(t *testing.T) {
	err := failure(say("settings file E:\\actcourier.conf: line 3: bad", "設定ファイル E:\\actcourier.conf に誤りがあります"),
		say("correct the file in Notepad", "メモ帳で修正してください"))
	var one strings.Builder
	printError(&one, err, 0)
	for w := 1; w <= 30; w++ {
		t.Run(fmt.Sprint(w), func(t *testing.T) {
			got := make(chan string, 1)
			go func() {
				var b strings.Builder
				printError(&b, err, w)
				got <- b.String()
			}()
			select {
			case s := <-got:
				if g, want := strings.Join(strings.Fields(s), ""), strings.Join(strings.Fields(one.String()), ""); g != want {
					t.Errorf("the words differ:\n%s\nwant\n%s", s, one.String())
				}
				for _, l := range strings.Split(strings.TrimSuffix(s, "\n"), "\n") {
					// A wide character takes its line, however narrow.
					if w >= 2 && cols(l) > w-1 && !strings.HasPrefix(l, "collector:") && utf8.RuneCountInString(strings.TrimSpace(l)) > 1 {
						t.Errorf("%d columns, want at most %d: %q", cols(l), w-1, l)
					}
				}
			case <-time.After(5 * time.Second):
				t.Fatal("printError does not return")
			}
		})
	}
}
