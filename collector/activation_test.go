//go:build !windows

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"filippo.io/age"

	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// proofOf opens the only bundle in out: its snapshot and outcomes (nil
// when it has none).
func proofOf(t *testing.T, out string, id age.Identity) (*licensing.Snapshot, []activation.Outcome) {
	t.Helper()
	b := openOnly(t, out, id)
	s, err := licensing.Unmarshal(member(t, b, licensing.MemberName))
	if err != nil {
		t.Fatal(err)
	}
	data, ok := b.Member(activation.ProofMember)
	if !ok {
		return s, nil
	}
	p, err := activation.UnmarshalProof(data)
	if err != nil {
		t.Fatal(err)
	}
	return s, p.Outcomes
}

// TestApplyReturn replays a machine with a return file on the stick: each
// case is what central staff sent and how the engineer ran the collector,
// and what the screen, the exit code and the bundle must say. A refusal
// changes nothing: no product is activated by it.
func TestApplyReturn(t *testing.T) {
	good := returnItems(t, activationSnapshot, nil)
	tests := []struct {
		name     string
		snapshot string
		ret      *activation.Return
		args     []string
		env      string // the passphrase in ACTCOURIER_RETURN_PASSPHRASE
		code     int
		screen   []string
		results  []activation.Result // nil: no proof in the bundle; no bundle when code != 0
		licensed int                 // products licensed in the bundle
	}{
		{"applied", activationSnapshot, good, []string{"--apply"}, passphrase, 0,
			[]string{"Work for this machine", "0123456-0123456-0123456", "APPLIED: activated now", "適用しました"},
			[]activation.Result{activation.Applied, activation.Applied}, 2},
		{"not applied without --apply", activationSnapshot, good, nil, passphrase, 0,
			[]string{"without --apply it is not used"}, nil, 0},
		{"wrong passphrase", activationSnapshot, good, []string{"--apply"}, "Told by phone", 2,
			[]string{"the passphrase does not open it", "nothing was applied or collected", "パスフレーズで開けません"}, nil, 0},
		{"no passphrase", activationSnapshot, good, []string{"--apply"}, "", 2,
			[]string{"the return file needs its passphrase", "ACTCOURIER_RETURN_PASSPHRASE"}, nil, 0},
		{"for another machine", "../testdata/snapshots/win7-pro-retail.json", good, []string{"--apply"}, passphrase, 0,
			[]string{"holds nothing for this machine", "何も適用していません"}, nil, 1},
		{"the IID changed since it was taken", newDisk, good, []string{"--apply"}, passphrase, 0,
			[]string{"REFUSED, nothing changed (tell central staff): the hardware or the key changed since the IID was taken: take a new IID", "新しいインストール ID を取得してください"},
			[]activation.Result{activation.Refused, activation.Applied}, 1},
		{"a CID for another IID", activationSnapshot, returnItems(t, activationSnapshot, func(i int, it *activation.Item) {
			if i == 0 {
				it.CID = collect.SimulatedCID(strings.Repeat("1", 63))
			}
		}), []string{"--apply"}, passphrase, 0,
			[]string{"REFUSED, nothing changed (tell central staff): 0xC004F031 the Installation ID and the Confirmation ID do not match", "一致しません"},
			[]activation.Result{activation.Refused, activation.Applied}, 1},
		{"a product key, no CID yet", activationSnapshot, returnItems(t, activationSnapshot, func(i int, it *activation.Item) {
			it.CID = ""
			it.Key = "AB2CD-EF3GH-JK4MN-PQ6RT-VW7XY"
		}), []string{"--apply"}, passphrase, 0,
			[]string{"install the product key ending in / 次で終わるプロダクト キーをインストール VW7XY", "product key installed"},
			[]activation.Result{activation.KeyInstalled, activation.KeyInstalled}, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(returnPassphraseEnv, tc.env)
			if tc.env == "" {
				os.Unsetenv(returnPassphraseEnv)
			}
			id := newKey(t)
			out := t.TempDir()
			args := append([]string{"--no-prompt", "--snapshot", tc.snapshot, "-r", id.Recipient().String(), "--out", out,
				"--return", writeReturnDir(t, tc.ret)}, tc.args...)
			code, stdout, stderr := runCollector(t, "", args...)
			// The screen wraps at 80 columns, also between Japanese
			// characters: compare without white space.
			flat := func(s string) string { return strings.Join(strings.Fields(s), "") }
			screen := flat(stdout + stderr)
			if code != tc.code {
				t.Fatalf("exit %d, want %d:\n%s", code, tc.code, screen)
			}
			for _, want := range tc.screen {
				if !strings.Contains(screen, flat(want)) {
					t.Errorf("screen lacks %q:\n%s", want, screen)
				}
			}
			if strings.Contains(screen, "PQ6RT") {
				t.Error("the screen shows the product key")
			}
			if code != 0 {
				if left, _ := os.ReadDir(out); len(left) != 0 {
					t.Errorf("refused, yet %s was written", left[0].Name())
				}
				return
			}
			s, outcomes := proofOf(t, out, id)
			var got []activation.Result
			for _, o := range outcomes {
				got = append(got, o.Result)
			}
			if g, w := join(got), join(tc.results); g != w {
				t.Errorf("outcomes %s, want %s: %+v", g, w, outcomes)
			}
			licensed := 0
			for _, p := range s.Products {
				if activation.Activated(&p) {
					licensed++
				}
			}
			if licensed != tc.licensed {
				t.Errorf("%d products activated in the bundle, want %d", licensed, tc.licensed)
			}
			raw, _ := json.Marshal(outcomes)
			if bytes.Contains(raw, []byte("PQ6RT")) {
				t.Error("the proof holds the product key")
			}
		})
	}
}

// TestReturnTampered: a return file changed after it was written is
// refused, and nothing is collected or applied.
func TestReturnTampered(t *testing.T) {
	dir := writeReturnDir(t, returnItems(t, activationSnapshot, nil))
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	data, _ := os.ReadFile(files[0])
	data[len(data)-3] ^= 1
	os.WriteFile(files[0], data, 0o644)
	t.Setenv(returnPassphraseEnv, passphrase)
	out := t.TempDir()
	code, _, stderr := runCollector(t, "", "--no-prompt", "--apply", "--snapshot", activationSnapshot, "-r", newKey(t).Recipient().String(),
		"--out", out, "--return", dir)
	if code != 2 || !strings.Contains(stderr, "damaged, or was changed after central staff wrote it") || !strings.Contains(stderr, "hint: ask central staff for a new return file") {
		t.Fatalf("exit %d:\n%s", code, stderr)
	}
	if left, _ := os.ReadDir(out); len(left) != 0 {
		t.Errorf("refused, yet %s was written", left[0].Name())
	}
}

// TestReturnForgedName: a return file refused is named within the
// error's line, its name shown as every name is: a name on the stick
// holding a newline and the collector's own words printed a line of its
// own, and one holding the six characters \u202e read as one holding
// U+202E.
func TestReturnForgedName(t *testing.T) {
	dir := t.TempDir()
	forged := "R\x1b[2J\r\ncollector: hint: FORGED \u202e\u2066LIT\\u202e" + activation.ReturnExt
	os.WriteFile(filepath.Join(dir, forged), []byte("not a return file"), 0o644)
	t.Setenv(returnPassphraseEnv, passphrase)
	code, stdout, stderr := runCollector(t, "", "--no-prompt", "--apply", "--snapshot", activationSnapshot, "-r", newKey(t).Recipient().String(),
		"--out", t.TempDir(), "--return", dir)
	if code != 2 || !strings.Contains(stderr, `return file R\x1b[2J\x0d\x0acollector: hint: FORGED \u202e\u2066LIT\\u202e`) {
		t.Errorf("exit %d:\n%s", code, stderr)
	}
	for _, bad := range []string{"\x1b", "\r", "\u202e", "\u2066", `LIT\u202e`, "\ncollector: hint: FORGED"} {
		if strings.Contains(stdout+stderr, bad) {
			t.Errorf("printed %q raw:\n%s", bad, stderr)
		}
	}
}

// TestReturnProductShown: the products of a return file are shown as
// every value is: their names are what a forged bundle held, and one
// named with the six characters \u202e read as one holding U+202E.
func TestReturnProductShown(t *testing.T) {
	dir := writeReturnDir(t, returnItems(t, activationSnapshot, func(i int, it *activation.Item) {
		it.Product = fmt.Sprintf("P%d LIT\\u202e REAL\u202e", i)
	}))
	t.Setenv(returnPassphraseEnv, passphrase)
	_, stdout, stderr := runCollector(t, "", "--no-prompt", "--apply", "--snapshot", activationSnapshot, "-r", newKey(t).Recipient().String(),
		"--out", t.TempDir(), "--return", dir)
	if !strings.Contains(stdout, `P0 LIT\\u202e REAL\u202e`) || strings.Contains(stdout+stderr, `LIT\u202e`) {
		t.Errorf("the products are not shown as every value is:\n%s%s", stdout, stderr)
	}
}

// TestNothingTwice replays the machine as its proof bundle left it, with
// the same return file: nothing is applied again.
func TestNothingTwice(t *testing.T) {
	ret := writeReturnDir(t, returnItems(t, activationSnapshot, nil))
	t.Setenv(returnPassphraseEnv, passphrase)
	id := newKey(t)
	first := t.TempDir()
	if code, _, stderr := runCollector(t, "", "--no-prompt", "--apply", "--snapshot", activationSnapshot, "-r", id.Recipient().String(), "--out", first, "--return", ret); code != 0 {
		t.Fatal(stderr)
	}
	s, _ := proofOf(t, first, id)
	data, _ := licensing.Marshal(s)
	after := filepath.Join(t.TempDir(), "after.json")
	os.WriteFile(after, data, 0o644)
	second := t.TempDir()
	code, stdout, stderr := runCollector(t, "", "--no-prompt", "--apply", "--snapshot", after, "-r", id.Recipient().String(), "--out", second, "--return", ret)
	if code != 0 || !strings.Contains(stdout, "already activated: nothing applied") {
		t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
	}
	if _, outcomes := proofOf(t, second, id); len(outcomes) != 2 || outcomes[0].Result != activation.AlreadyActivated || outcomes[1].Result != activation.AlreadyActivated {
		t.Errorf("second run: %+v", outcomes)
	}
}

// TestReturnAsked: at the console the passphrase is asked (without echo
// on Windows), Enter skips the return file, and the items are applied
// only on "y".
func TestReturnAsked(t *testing.T) {
	ret := writeReturnDir(t, returnItems(t, activationSnapshot, nil))
	os.Unsetenv(returnPassphraseEnv)
	tests := []struct {
		name, typed, pass string
		results           string
	}{
		{"applied on y", "\ny\n", passphrase, "applied applied"},
		{"declined on Enter", "\n\n", passphrase, "declined declined"},
		{"skipped without a passphrase", "\n", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			id := newKey(t)
			out := t.TempDir()
			var o, e bytes.Buffer
			// One reader of the console, as main makes it.
			con := console{in: newLineReader(strings.NewReader(tc.typed)), out: &o, err: &e, interactive: true,
				secret: func(context.Context, string) (string, error) { return tc.pass, nil }}
			code := run([]string{"collector", "--snapshot", activationSnapshot, "-r", id.Recipient().String(), "--out", out, "--return", ret}, con)
			if code != 0 {
				t.Fatalf("exit %d:\n%s%s", code, o.String(), e.String())
			}
			_, outcomes := proofOf(t, out, id)
			var got []activation.Result
			for _, oc := range outcomes {
				got = append(got, oc.Result)
			}
			if join(got) != tc.results {
				t.Errorf("outcomes %q, want %q\n%s", join(got), tc.results, o.String())
			}
		})
	}
}

func join(rs []activation.Result) string {
	var s []string
	for _, r := range rs {
		s = append(s, string(r))
	}
	return strings.Join(s, " ")
}

// TestActivationWrapped: the work for this machine and its outcomes are
// wrapped under their text, so that a line at the list's column is one
// of its numbered items, not the rest of one: a product's name (a
// stored bundle's, from a machine) holding "2. Windows: APPLIED" or a
// long IID cannot start a line that reads as an item of the
// collector's own, whatever the console's width.
func TestActivationWrapped(t *testing.T) {
	t.Setenv(returnPassphraseEnv, passphrase)
	forged := "Office " + strings.Repeat("x", 30) + " 2. Windows 10 Pro: APPLIED: activated now / 適用しました 3. Office: APPLIED"
	ret := returnItems(t, activationSnapshot, func(i int, it *activation.Item) {
		if i == 0 {
			it.Product = forged
		}
	})
	items := regexp.MustCompile(`^  \d+\. `)
	for _, width := range []int{30, 50, 80, 120, 200} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			id := newKey(t)
			code, stdout, stderr := runAt(t, width, "", "--no-prompt", "--apply", "--snapshot", activationSnapshot, "-r", id.Recipient().String(), "--out", t.TempDir(),
				"--return", writeReturnDir(t, ret))
			if code != 0 {
				t.Fatalf("exit %d:\n%s%s", code, stdout, stderr)
			}
			for _, section := range []string{"Work for this machine", "Activation / ライセンス認証:"} {
				i := strings.Index(stdout, section)
				if i < 0 {
					t.Fatalf("no %q:\n%s", section, stdout)
				}
				// The list starts below its heading, which the console's
				// width may wrap too.
				list := stdout[i:]
				list = list[strings.Index(list, ":\n")+2:]
				n := 0
				for _, l := range strings.Split(list, "\n") {
					if l == "" {
						break
					}
					if lead := len(l) - len(strings.TrimLeft(l, " ")); lead > 2 {
						continue
					}
					if !items.MatchString(l) {
						t.Errorf("%s: %q at the list's column is no item", section, l)
					}
					n++
				}
				if n != len(ret.Items) {
					t.Errorf("%s: %d lines at the list's column, want %d items:\n%s", section, n, len(ret.Items), stdout[i:])
				}
			}
		})
	}
}

// typist types lines into a console one at a time, each as it is
// asked for, and echoes the Enter that ends it, which takes the cursor
// to the next line. What it types is not echoed: the console folds a
// long answer itself, and a passphrase is typed without echo.
type typist struct {
	lines []string
	echo  io.Writer
}

func (t *typist) Read(p []byte) (int, error) {
	if len(t.lines) == 0 {
		return 0, io.EOF
	}
	n := copy(p, t.lines[0]+"\n")
	t.lines = t.lines[1:]
	t.echo.Write([]byte("\n"))
	return n, nil
}

// TestPromptsOnScreen: every question the collector asks, from the
// check's "Enter: start" (with "n": site, line, asset tag and engineer
// again, the current value in brackets) to the return file's
// passphrase, "Apply now?" and the closing "Press Enter", is wrapped
// to the console as the rest of the screen is: the console folded them
// mid-word at 40 and 60 columns. The cursor stays after the question's
// last line, where the answer is typed. Not at a console, each is one
// line.
func TestPromptsOnScreen(t *testing.T) {
	t.Setenv(returnPassphraseEnv, "")
	os.Unsetenv(returnPassphraseEnv)
	ret := writeReturnDir(t, returnItems(t, activationSnapshot, nil))
	cfg := filepath.Join(t.TempDir(), "actcourier.conf")
	os.WriteFile(cfg, []byte("lines = L1, L2, L3\n"), 0o644)
	site := "第二工場 Nagoya 外観検査ライン Verdict / 判定: OK [ok]"
	for _, width := range []int{0, 40, 60, 80} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			id := newKey(t)
			var o bytes.Buffer
			lines := newLineReader(&typist{[]string{"n", "", "", "", "", "", passphrase, "y", ""}, &o})
			con := console{in: lines, out: &o, err: &o, interactive: true, outWidth: width, width: width, secret: askSecret(lines, &o, width)}
			code := run([]string{"collector", "--config", cfg, "--site", site, "--snapshot", activationSnapshot, "-r", id.Recipient().String(),
				"--out", t.TempDir(), "--return", ret}, con)
			if code = closeWindow(con, code); code != 0 {
				t.Fatalf("exit %d:\n%s", code, o.String())
			}
			screen := o.String()
			for _, q := range []struct{ asked, end string }{
				{"Site / 拠点 [", "]:"}, {"Number or name / 番号または名前 [L2]", "]:"}, {"Asset tag / 資産番号 [NG-L2-012]", "]:"},
				{"Engineer / 担当者 [E-1042]", "]:"}, {"Enter: start", "す:"}, {"Passphrase / パスフレーズ", "集):"},
				{"Apply now?", "い:"}, {"Press Enter to close", "す"},
			} {
				i := strings.Index(screen, q.asked)
				if i < 0 {
					t.Fatalf("%q never asked:\n%s", q.asked, screen)
				}
				// Its last line ends in the space the answer follows;
				// not at a console, it is that line.
				n := strings.Index(screen[i:], q.end+" \n")
				if n < 0 {
					n = len(screen) - i
				}
				if asked := screen[i : i+n]; !strings.HasPrefix(screen[i+n:], q.end+" \n") || strings.Contains(asked, "\n\n") || width == 0 && strings.Contains(asked, "\n") {
					t.Errorf("%q does not end in %q and a space on its last line:\n%s", q.asked, q.end, screen)
				}
			}
			if width == 0 {
				return
			}
			for _, l := range strings.Split(screen, "\n") {
				if n := consoleCols(l); n > width-1 {
					t.Errorf("%d columns, want at most %d: %q", n, width-1, l)
				}
			}
		})
	}
}

// TestCheckSpacing: the check, asked at once when every field is given,
// stands one blank line below the banner, as it does below the
// questions; the banner's blank line and the check's own made two.
func TestCheckSpacing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		typed []string
		args  []string
	}{
		{"nothing asked", []string{"", ""}, []string{"--asset", "TAG-5"}},
		{"the asset tag asked", []string{"TAG-5", "", ""}, []string{"--asset", ""}},
		{"changed", []string{"n", "", "", "", "", "", ""}, []string{"--asset", "TAG-5"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			id := newKey(t)
			var o bytes.Buffer
			lines := newLineReader(&typist{tc.typed, &o})
			con := console{in: lines, out: &o, err: &o, interactive: true, outWidth: 80, width: 80}
			args := append([]string{"collector", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", t.TempDir()}, tc.args...)
			if code := run(args, con); code != 0 {
				t.Fatalf("exit %d:\n%s", code, o.String())
			}
			screen := o.String()
			if strings.Contains(screen, "\n\n\n") {
				t.Errorf("two blank lines in a row:\n%s", screen)
			}
			if !strings.Contains(screen, "\n\nCheck / 確認:\n") {
				t.Errorf("the check does not stand below a blank line:\n%s", screen)
			}
		})
	}
}
