package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	gotoken "go/token"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
)

const archetype = "../testdata/snapshots/win7-office2010-retail-notification.json"

func newKey(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// runCollector runs the collector with its screen sent to files: no
// console, so each line of it stays one line.
func runCollector(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	return runAt(t, 0, stdin, args...)
}

// runAt runs the collector as on consoles of width columns.
func runAt(t *testing.T, width int, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = run(append([]string{"collector"}, args...), console{in: strings.NewReader(stdin), out: &o, err: &e, outWidth: width, width: width})
	return code, o.String(), e.String()
}

func member(t *testing.T, b *bundle.Bundle, name string) []byte {
	t.Helper()
	data, ok := b.Member(name)
	if !ok {
		t.Fatalf("bundle has no %s", name)
	}
	return data
}

func openOnly(t *testing.T, dir string, id age.Identity) *bundle.Bundle {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	if len(files) != 1 || !strings.HasSuffix(files[0], bundle.Ext) {
		t.Fatalf("output folder holds %v, want one bundle", files)
	}
	f, err := os.Open(files[0])
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := bundle.Open(f, bundle.Limits{}, id)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSnapshotReplay(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	code, stdout, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out, "--note", "after power cut")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"FA-NG-L2-011", "Office 2010 Professional Plus: NOT activated: notification", "mode / 未認証: 通知モード", ".tar.zst.age"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("summary lacks %q:\n%s", want, stdout)
		}
	}
	b := openOnly(t, out, id)
	s, err := licensing.Unmarshal(member(t, b, licensing.MemberName))
	if err != nil {
		t.Fatal(err)
	}
	if s.Context.Site != "Nagoya" || s.Context.Line != "L2" || s.Context.Note != "after power cut" || !strings.Contains(s.Context.Collector, "replay") {
		t.Errorf("context %+v", s.Context)
	}
	// Nothing in plaintext on the stick names the device.
	files, _ := filepath.Glob(filepath.Join(out, "*"))
	raw, _ := os.ReadFile(files[0])
	for _, secret := range []string{"FA-NG-L2-011", "NG-L2-011", "JPA2130ABC", "Nagoya"} {
		if bytes.Contains(raw, []byte(secret)) || strings.Contains(files[0], secret) {
			t.Errorf("%q visible on the stick", secret)
		}
	}
}

// TestRawMembersReplayed: a replay carries the raw outputs kept beside
// the snapshot, each under the command that printed its text. One made
// from a real sample says the sample's own command, which its file name
// names (pkg/slmgr/testdata/samples/*/SOURCES.md), and the member name
// says it too: the /dli sample of wmi-broken-slmgr-only was labelled
// slmgr.vbs /dlv all, and so shown in the demo's report.
func TestRawMembersReplayed(t *testing.T) {
	id := newKey(t)
	files, _ := filepath.Glob("../testdata/snapshots/*.json")
	sample := regexp.MustCompile(`^(slmgr|ospp)\.vbs /([a-z]+) \(real sample ([^)/\\]+)\)$`)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		if len(s.Raw) == 0 {
			continue
		}
		out := t.TempDir()
		if code, _, stderr := runCollector(t, "", "--no-prompt", "--snapshot", f, "-r", id.Recipient().String(), "--out", out); code != 0 {
			t.Fatalf("%s: %s", f, stderr)
		}
		b := openOnly(t, out, id)
		for _, r := range s.Raw {
			got := member(t, b, r.Member)
			m := sample.FindStringSubmatch(r.Command)
			if m == nil {
				t.Errorf("%s: %s is labelled %q, not as a real sample's command", filepath.Base(f), r.Member, r.Command)
				continue
			}
			n++
			tool, sw, name := m[1], m[2], m[3]
			if want, err := os.ReadFile(filepath.Join("../pkg/slmgr/testdata/samples", tool, name)); err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s is not the sample %s/%s (%v)", filepath.Base(f), r.Member, tool, name, err)
			}
			// The /dstatus samples' names do not say it; every other
			// sample's name has its command as a word.
			words := strings.Split(strings.TrimSuffix(name, filepath.Ext(name)), "-")
			if !contains(words, sw) && !(tool == "ospp" && sw == "dstatus") {
				t.Errorf("%s: %s is labelled %q, but the sample's name says another command", filepath.Base(f), r.Member, r.Command)
			}
			if tool == "slmgr" && r.Member != "raw/slmgr-"+sw+".txt" {
				t.Errorf("%s: the output of slmgr.vbs /%s is the member %s, want raw/slmgr-%s.txt", filepath.Base(f), sw, r.Member, sw)
			}
		}
	}
	if n == 0 {
		t.Fatal("no archetype replays a real sample's raw output")
	}
}

func TestConfigFile(t *testing.T) {
	id := newKey(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	cfg := filepath.Join(dir, "actcourier.conf")
	os.WriteFile(cfg, []byte("recipient = "+id.Recipient().String()+"\nsite = Osaka\nlines = A, Override\nengineer = E-9\n"), 0o644)
	// The snapshot's own site and engineer beat the settings file's
	// defaults; a flag beats both, and takes the configured spelling.
	code, _, stderr := runCollector(t, "", "--config", cfg, "--snapshot", "../testdata/snapshots/win10-home.json", "--out", out, "--line", "override")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	s, _ := licensing.Unmarshal(member(t, openOnly(t, out, id), licensing.MemberName))
	// The snapshot's own line and asset stay unless told; the flag wins over the config.
	if s.Context.Line != "Override" || s.Context.Site != "Kumamoto" || s.Context.Engineer != "E-1042" || s.Context.Sources["line"] != "flag" {
		t.Errorf("context %+v", s.Context)
	}
}

// promptSettings are settings as a stick gives them: the site, its
// lines, no asset.
func promptSettings(anyLine bool) *settings {
	return &settings{ctx: licensing.Context{Site: "Nagoya", Sources: map[string]licensing.Source{"site": licensing.SourceConfig}},
		lines: []string{"L1", "L2"}, anyLine: anyLine, recipientKeys: []string{"age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"}}
}

// TestPrompt answers the questions as an engineer might: a line must be
// one of the configured ones unless any_line allows others, an asset tag
// is needed, and "n" at the check asks again.
func TestPrompt(t *testing.T) {
	tests := []struct {
		name     string
		anyLine  bool
		typed    string
		line     string // want
		asset    string
		engineer string
		err      string // want an error containing this
		screen   string // and this on the screen
	}{
		{"by number", false, "2\nTAG-1\nE-7\n\n", "L2", "TAG-1", "E-7", "", "2) L2"},
		{"by name, any case", false, "l1\nTAG-1\n\n\n", "L1", "TAG-1", "", "", "Check / 確認"},
		{"not a configured line", false, "3\nL9\n1\nTAG-1\n\n\n", "L1", "TAG-1", "", "", `"3" is not in the list`},
		{"not a configured line, ja", false, "3\n1\nTAG-1\n\n\n", "L1", "TAG-1", "", "", "「3」は一覧にありません"},
		{"any line allowed", true, "L9\nTAG-1\n\n\n", "L9", "TAG-1", "", "", ""},
		{"asset required", false, "1\n\n  \nTAG-2\n\n\n", "L1", "TAG-2", "", "", "資産番号を入力してください"},
		{"change at the check", false, "1\nTAG-1\n\nn\n\n2\nTAG-9\nE-1\n\n", "L2", "TAG-9", "E-1", "", "[TAG-1]"},
		{"input ends", false, "1\n", "", "", "", "the input ended before the asset tag was given", ""},
		// A Tab typed inside a tag read as a space on the check screen
		// and as \x09 in the importer: asked again, as the settings
		// file refuses it in a site or line name.
		{"control character in the asset", false, "1\nTAG\t1\nTAG-1\n\n\n", "L1", "TAG-1", "", "", `the asset tag holds the control character '\t'`},
		{"bidi override in the engineer", false, "1\nTAG-1\nE\u202e7\nE-7\n\n", "L1", "TAG-1", "E-7", "", `担当者に制御文字 '\u202e' が含まれています`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := promptSettings(tc.anyLine)
			var o bytes.Buffer
			err := complete(context.Background(), s, console{in: strings.NewReader(tc.typed), out: &o, err: &o, interactive: true})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("got error %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v\n%s", err, o.String())
			}
			if s.ctx.Line != tc.line || s.ctx.Asset != tc.asset || s.ctx.Engineer != tc.engineer || s.ctx.Site != "Nagoya" {
				t.Errorf("got line %q, asset %q, engineer %q; want %q, %q, %q\n%s", s.ctx.Line, s.ctx.Asset, s.ctx.Engineer, tc.line, tc.asset, tc.engineer, o.String())
			}
			if s.ctx.Sources["asset"] != licensing.SourceOperator || s.ctx.Sources["site"] != licensing.SourceConfig {
				t.Errorf("got sources %v, want the asset typed and the site from the settings", s.ctx.Sources)
			}
			if !strings.Contains(o.String(), tc.screen) {
				t.Errorf("screen lacks %q:\n%s", tc.screen, o.String())
			}
		})
	}
}

// TestInputEnds: when the input ends at a question (Ctrl-Z at the
// console), the hint names the option that gives the answer only to who
// started the collector with options.
func TestInputEnds(t *testing.T) {
	for _, tc := range []struct {
		name        string
		commandLine bool
		want        text
	}{
		{"double-click", false, text{"run ActCourier again and type the asset tag at the question", "もう一度 ActCourier を実行し、質問に資産番号を入力してください"}},
		{"command line", true, text{"pass --asset", "--asset で指定"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := promptSettings(false)
			s.commandLine = tc.commandLine
			err := complete(context.Background(), s, console{in: strings.NewReader("1\n"), out: io.Discard, err: io.Discard, interactive: true})
			var ee *exitError
			if !errors.As(err, &ee) || ee.code != 2 || !strings.Contains(ee.hint.en, tc.want.en) || !strings.Contains(ee.hint.ja, tc.want.ja) ||
				strings.Contains(ee.hint.en+ee.hint.ja, "--") != tc.commandLine {
				t.Fatalf("got %v (%+v), want exit 2 with the hint %q", err, ee, tc.want)
			}
		})
	}
}

// TestCheckScreen: before anything is read, the screen shows site, line,
// asset, engineer and the recipients' short keys, also with --no-prompt.
func TestCheckScreen(t *testing.T) {
	id := newKey(t)
	r := id.Recipient().String()
	code, stdout, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", r, "--out", t.TempDir(), "--asset", "TAG-5")
	if code != 0 {
		t.Fatal(stderr)
	}
	check := stdout[:strings.Index(stdout, "Result / 結果")]
	for _, want := range []string{"ActCourier collector", "Site / 拠点", "Nagoya", "Line / ライン", "L2", "Asset tag / 資産番号", "TAG-5",
		"Engineer / 担当者", "E-1042", "Encrypted for / 暗号化先", stick.Fingerprint(r)} {
		if !strings.Contains(check, want) {
			t.Errorf("check screen lacks %q:\n%s", want, check)
		}
	}
}

// blockedReader never returns: a console nobody types into.
type blockedReader struct{}

func (blockedReader) Read([]byte) (int, error) { select {} }

// TestCtrlCAtPrompt: Ctrl-C at a question ends the collector at once
// with 130; nothing is collected or written.
func TestCtrlCAtPrompt(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	var o, e bytes.Buffer
	done := make(chan int)
	go func() {
		done <- runContext(ctx, []string{"collector", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out, "--asset", ""},
			console{in: blockedReader{}, out: &o, err: &e, interactive: true})
	}()
	time.Sleep(50 * time.Millisecond) // let it reach the question
	cancel()
	wantInterrupted(t, done, out, &e, "the question")
}

// wantInterrupted waits for a run cancelled at a question (what): it
// must end at once with 130, saying so, with nothing left in out.
func wantInterrupted(t *testing.T, done <-chan int, out string, stderr *bytes.Buffer, what string) {
	t.Helper()
	select {
	case code := <-done:
		if left, _ := os.ReadDir(out); code != 130 || len(left) != 0 || !strings.Contains(stderr.String(), "中断しました") {
			t.Fatalf("got exit %d, left %v, %s; want 130, nothing left", code, left, stderr.String())
		}
	case <-time.After(2 * time.Second):
		t.Fatalf("%s did not give way to Ctrl-C", what)
	}
}

// TestCtrlCAtPassphrase: Ctrl-C at a return file's passphrase question
// ends the collector at once with 130, as at every other question: under
// Wine the console read goes on after Ctrl-C, and the engineer saw
// nothing happen until Enter, then a whole collection before the
// interrupt was told.
func TestCtrlCAtPassphrase(t *testing.T) {
	ret := writeReturnDir(t, returnItems(t, activationSnapshot, nil))
	os.Unsetenv(returnPassphraseEnv)
	id := newKey(t)
	out := t.TempDir()
	pr, pw := io.Pipe()
	defer pw.Close()
	lines := newLineReader(pr)
	var o, e bytes.Buffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	go func() {
		done <- runContext(ctx, []string{"collector", "--snapshot", activationSnapshot, "-r", id.Recipient().String(), "--out", out, "--return", ret},
			console{in: lines, out: &o, err: &e, interactive: true, secret: askSecret(lines, &o, 0)})
	}()
	pw.Write([]byte("\r\n"))          // Enter at the check; nothing more is typed
	time.Sleep(50 * time.Millisecond) // let it reach the passphrase
	cancel()
	wantInterrupted(t, done, out, &e, "the passphrase question")
}

// TestStickFull: a stick with less room than a bundle may need is found
// full before anything is read (a full FAT stick still takes the empty
// probe file), with nothing left on it; one with room collects.
func TestStickFull(t *testing.T) {
	id := newKey(t)
	tests := []struct {
		name string
		free uint64
		code int
		want string
	}{
		{"full", 0, 1, "the stick is full"},
		{"almost full", minFree - 1, 1, "USB メモリの空きが足りません"},
		{"room", minFree, 0, "Bundle / バンドル"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			old := freeSpace
			freeSpace = func(string) (uint64, error) { return tc.free, nil }
			t.Cleanup(func() { freeSpace = old })
			// The stick's bundles folder, not there yet: a stick
			// found full keeps none (an empty folder was left).
			stick := t.TempDir()
			out := filepath.Join(stick, "bundles")
			code, stdout, stderr := runCollector(t, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out)
			left, _ := os.ReadDir(stick)
			if code != tc.code || !strings.Contains(stdout+stderr, tc.want) || (code != 0 && len(left) != 0) {
				t.Fatalf("got exit %d, left %v, %s%s; want %d with %q", code, left, stdout, stderr, tc.code, tc.want)
			}
		})
	}
}

// TestOptionsOnlyFromACommandLine: started as ActCourier.cmd starts it
// on a double-click, with no options (the settings here come from the
// environment), the collector names no option in its hint, for the
// engineer can type none; with options it may.
func TestOptionsOnlyFromACommandLine(t *testing.T) {
	id := newKey(t)
	notAFolder := filepath.Join(t.TempDir(), "file")
	os.WriteFile(notAFolder, nil, 0o644)
	cfg := filepath.Join(t.TempDir(), stick.FileName)
	os.WriteFile(cfg, []byte("site = S\nlines = L1\n"), 0o644)
	for k, v := range map[string]string{"ACTCOURIER_CONFIG": cfg, "ACTCOURIER_LINE": "L1", "ACTCOURIER_ASSET": "A-1", "ACTCOURIER_NO_PROMPT": "true"} {
		t.Setenv(k, v)
	}
	tests := []struct {
		name   string
		env    map[string]string
		args   []string
		option string // named in the hint, or ""
		want   string
	}{
		{"stick not writable, double-click", map[string]string{"ACTCOURIER_RECIPIENT": id.Recipient().String(), "ACTCOURIER_OUT": filepath.Join(notAFolder, "sub")}, nil,
			"", "cannot write in the output folder"},
		{"stick not writable, command line", map[string]string{"ACTCOURIER_RECIPIENT": id.Recipient().String()}, []string{"--out", filepath.Join(notAFolder, "sub")},
			"--out", "cannot write in the output folder"},
		{"no recipient, double-click", nil, nil, "", "no recipient"},
		{"no recipient, command line", nil, []string{"--asset", "A-2"}, "--recipient", "no recipient"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, _, stderr := runCollector(t, "", tc.args...)
			hint := stderr[strings.Index(stderr, "collector: hint:")+1:]
			if code == 0 || !strings.Contains(stderr, tc.want) || strings.Contains(hint, "--") != (tc.option != "") || !strings.Contains(hint, tc.option) {
				t.Fatalf("got exit %d, %s; want %q, and the option %q in the hint", code, stderr, tc.want, tc.option)
			}
		})
	}
}

// TestSettingsUnreadable: the settings file beside the collector, which
// a double-click reads, is there but cannot be read (here a folder of its
// name beside the test binary): the hint names no option but what the
// engineer can do; with --config it points at the path given.
func TestSettingsUnreadable(t *testing.T) {
	beside := filepath.Join(exeDir(), stick.FileName)
	if err := os.Mkdir(beside, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(beside) })
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"beside the collector", nil, "copy " + stick.FileName + " from another stick of this site"},
		{"given with --config", []string{"--config", beside}, "check the --config path"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCollector(t, "", tc.args...)
			hint := stderr[strings.Index(stderr, "collector: hint:")+1:]
			if code != 2 || !strings.Contains(hint, tc.want) || strings.Contains(hint, "--") != (tc.args != nil) || !strings.Contains(hint, "対処") {
				t.Fatalf("got exit %d, %s; want 2 with %q in the hint", code, stderr, tc.want)
			}
		})
	}
}

// TestLineFlag: a line on the command line must be a configured one too.
func TestLineFlag(t *testing.T) {
	id := newKey(t)
	tests := []struct {
		name, conf, line string
		code             int
		want             string
	}{
		{"configured", "lines = L1, L2", "l2", 0, ""},
		{"not configured", "lines = L1, L2", "3", 2, `line "3" is not one of this site's lines (L1, L2)`},
		{"any line", "lines = L1, L2\nany_line = yes", "L9", 0, ""},
		{"no lines configured", "", "L9", 0, ""},
		// The settings file's lines as every value is shown: the six
		// characters \u202e not as a U+202E.
		{"a line named \\u202e", `lines = L1, LIT\u202e`, "3", 2, `line "3" is not one of this site's lines (L1, LIT\\u202e)`},
		// A real U+202E passed is refused as a control character, shown
		// escaped.
		{"in Japanese, a U+202E beside", `lines = L1, LIT\u202e`, "LIT\u202e", 2, "--line に制御文字 '\\u202e' が含まれています"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := filepath.Join(t.TempDir(), "actcourier.conf")
			os.WriteFile(cfg, []byte("recipient = "+id.Recipient().String()+"\n"+tc.conf+"\n"), 0o644)
			code, _, stderr := runCollector(t, "", "--config", cfg, "--no-prompt", "--snapshot", archetype, "--out", t.TempDir(), "--line", tc.line)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("got exit %d, %s; want %d with %q", code, stderr, tc.code, tc.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	id := newKey(t)
	r := id.Recipient().String()
	readOnly := filepath.Join(t.TempDir(), "file")
	os.WriteFile(readOnly, nil, 0o644)
	privConf := filepath.Join(t.TempDir(), "actcourier.conf")
	os.WriteFile(privConf, []byte("site = Nagoya\n"+id.String()+"\n"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no recipient", []string{"--no-prompt", "--site", "s", "--line", "l", "--asset", "a", "--snapshot", archetype, "--config", os.DevNull}, 2, "no recipient"},
		// No actcourier.conf beside the collector (the test binary): the
		// engineer is told the file is missing, not to edit it.
		{"no settings file", []string{"--no-prompt", "--site", "s", "--line", "l", "--asset", "a", "--snapshot", archetype}, 2, "no settings file " + stick.FileName},
		{"bad recipient", []string{"-r", "AGE-SECRET-KEY-1X", "--snapshot", archetype}, 2, "recipient"},
		{"missing with --no-prompt", []string{"-r", r, "--no-prompt", "--out", t.TempDir()}, 2, "site, line, asset tag not given"},
		{"not a console", []string{"-r", r, "--site", "s", "--out", t.TempDir()}, 2, "--line --asset"},
		{"output not writable", []string{"-r", r, "--no-prompt", "--snapshot", archetype, "--out", filepath.Join(readOnly, "sub")}, 1, "output folder"},
		// A wrong --snapshot is a wrong option (2), not a stick that took
		// no bundle (1): ActCourier.cmd said "it is full,
		// write-protected, pulled out or refused" of a missing file.
		{"bad snapshot", []string{"-r", r, "--no-prompt", "--snapshot", "main.go", "--out", t.TempDir()}, 2, "not a device snapshot"},
		{"snapshot missing", []string{"-r", r, "--no-prompt", "--snapshot", "nosuch.json", "--out", t.TempDir()}, 2,
			"collector: error: the snapshot file nosuch.json does not exist\n"},
		{"snapshot missing, what to do", []string{"-r", r, "--no-prompt", "--snapshot", "nosuch.json", "--out", t.TempDir()}, 2,
			"collector: hint: check the path given with --snapshot"},
		{"snapshot a folder", []string{"-r", r, "--no-prompt", "--snapshot", t.TempDir(), "--out", t.TempDir()}, 2, "collector: error: the snapshot file "},
		// The parser's "stick: bad config" reads as the USB stick: left out.
		{"bad config", []string{"--config", "main.go", "-r", r}, 2, "settings file main.go: line 1: "},
		{"private key in the settings", []string{"--config", privConf, "-r", r}, 2, "settings file " + privConf + ": a private key must never be on the stick: line 2 holds one; remove that line\n"},
		{"unknown flag", []string{"--sit", "x"}, 2, "unknown option --sit"},
		{"control character in a flag", []string{"-r", r, "--no-prompt", "--site", "s", "--line", "l", "--asset", "A\x1b[2J", "--snapshot", archetype, "--out", t.TempDir()}, 2, `--asset holds the control character '\x1b'`},
		{"argument", []string{"TAG-1"}, 2, `unexpected argument "TAG-1"`},
		{"zero timeout", []string{"-r", r, "--timeout", "0s"}, 2, "more than zero"},
		{"live on Linux", []string{"-r", r, "--no-prompt", "--site", "s", "--line", "l", "--asset", "a", "--out", t.TempDir()}, 2, "Windows"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCollector(t, "", tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, stderr %q; want %d with %q", code, stderr, tc.code, tc.want)
			}
			// Every error and hint in English and in Japanese.
			for _, p := range []string{"collector: error: ", "collector: エラー: ", "collector: hint: ", "collector: 対処: "} {
				if !strings.Contains(stderr, p) {
					t.Errorf("stderr lacks %q:\n%s", p, stderr)
				}
			}
		})
	}
}

// TestPrintError: each part of a joined error is its own pair of lines,
// in English and in Japanese, a newline within a part escaped; the hint
// and the exit code are those of the collector's error among them.
func TestPrintError(t *testing.T) {
	tests := []struct {
		name string
		err  error
		code int
		want string
	}{
		{"plain", errors.New("a\nb"), 2, "collector: error: a\\x0ab\ncollector: エラー: a\\x0ab\n"},
		{"the collector's", failure(say("A", "あ"), say("do x", "x する")), 1,
			"collector: error: A\ncollector: エラー: あ\ncollector: hint: do x\ncollector: 対処: x する\n"},
		{"joined", errors.Join(fmt.Errorf("step: %w", failure(say("A", "あ"), say("do x", "x する"))), errors.New("b\ncollector: hint: forged")), 1,
			"collector: error: A\ncollector: エラー: あ\n" +
				"collector: error: b\\x0acollector: hint: forged\ncollector: エラー: b\\x0acollector: hint: forged\n" +
				"collector: hint: do x\ncollector: 対処: x する\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if code := printError(&b, tc.err, 0); code != tc.code || b.String() != tc.want {
				t.Errorf("got exit %d, %q; want %d, %q", code, b.String(), tc.code, tc.want)
			}
		})
	}
}

// TestInterrupted: Ctrl-C before the bundle is written exits 130 and
// leaves nothing.
func TestInterrupted(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var o, e bytes.Buffer
	code := runContext(ctx, []string{"collector", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out},
		console{in: strings.NewReader(""), out: &o, err: &e})
	if left, _ := os.ReadDir(out); code != 130 || len(left) != 0 || !strings.Contains(e.String(), "interrupted") {
		t.Fatalf("exit %d, left %v, %s", code, left, e.String())
	}
}

func TestVersion(t *testing.T) {
	code, stdout, _ := runCollector(t, "", "--version")
	if code != 0 || !strings.Contains(stdout, "collector version") {
		t.Fatalf("exit %d: %s", code, stdout)
	}
}

// TestVerdictAsImporter: for every archetype, the category on the
// collector's screen is the importer's: the verdict as collected that
// `importer import` prints and stores (fleet.NewCollection), and the one
// `importer show --as-of` gives on the collection's day with the KMS
// pools of all the archetypes.
func TestVerdictAsImporter(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	files, _ := filepath.Glob("../testdata/snapshots/*.json")
	if len(files) < 13 {
		t.Fatalf("got %d archetypes, want 13 or more", len(files))
	}
	screen := map[string]string{} // bundle file → category on screen
	for _, f := range files {
		before, _ := filepath.Glob(filepath.Join(out, "*"))
		code, stdout, stderr := runCollector(t, "", "--no-prompt", "--snapshot", f, "-r", id.Recipient().String(), "--out", out)
		if code != 0 {
			t.Fatalf("%s: %s", f, stderr)
		}
		m := regexp.MustCompile(`Verdict / 判定: .* \[([a-z-]+)\]`).FindStringSubmatch(stdout)
		if m == nil {
			t.Fatalf("%s: no verdict on screen:\n%s", f, stdout)
		}
		after, _ := filepath.Glob(filepath.Join(out, "*"))
		screen[newFile(before, after)] = m[1]
	}
	cols := map[string]*fleet.Collection{}
	pools := map[string]*classify.Pool{}
	for file := range screen {
		b, err := fleet.ReadBundle(file, bundle.Limits{}, []age.Identity{id})
		if err != nil {
			t.Fatal(err)
		}
		js, _ := b.Member(licensing.MemberName)
		s, err := licensing.Unmarshal(js)
		if err != nil {
			t.Fatal(err)
		}
		if cols[file], err = fleet.NewCollection(fleet.Meta{BundleID: b.Manifest.ID}, s, js, nil, time.Now()); err != nil {
			t.Fatal(err)
		}
		if pools[s.Context.Site] == nil {
			pools[s.Context.Site] = &classify.Pool{}
		}
		pools[s.Context.Site].Add(s)
	}
	for file, c := range cols {
		at := c.Snapshot.Context.Collected
		day := time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, at.Location())
		shown := classify.Device(c.Snapshot, day, classify.Site{Pool: *pools[c.Snapshot.Context.Site]}).Category
		if got := screen[file]; got != string(c.Category) || got != string(shown) {
			t.Errorf("%s: screen says %s, importer %s as collected and %s as of %s", c.Snapshot.Context.Asset, got, c.Category, shown, day.Format("2006-01-02"))
		}
	}
}

func newFile(before, after []string) string {
	for _, a := range after {
		found := false
		for _, b := range before {
			found = found || a == b
		}
		if !found {
			return a
		}
	}
	return ""
}

// TestNothingReadsFine: a machine whose licensing product is not known
// as Windows (as under Wine) is rated urgent on screen, and its license
// is not called activated.
func TestNothingReadsFine(t *testing.T) {
	s := &licensing.Snapshot{Schema: licensing.Schema,
		Context:  licensing.Context{Site: "S", Line: "L", Asset: "A", Collected: time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)},
		OS:       licensing.OS{Caption: "Microsoft Windows 7 Professional", Version: "6.1.7601", Hostname: "PC-1"},
		Products: []licensing.Product{{Kind: licensing.KindOther, Status: licensing.StatusLicensed, StatusRaw: "1", Source: licensing.SourceWMI}}}
	data, err := licensing.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	snap := filepath.Join(t.TempDir(), "wine.json")
	os.WriteFile(snap, data, 0o644)
	code, stdout, stderr := runCollector(t, "", "--no-prompt", "--snapshot", snap, "-r", newKey(t).Recipient().String(), "--out", t.TempDir())
	if code != 0 {
		t.Fatal(stderr)
	}
	for _, want := range []string{"Verdict / 判定: URGENT / 緊急 [urgent]", "no Windows license could be read", "Run ActCourier again as administrator", "管理者として実行"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("screen lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, ": activated") {
		t.Errorf("screen calls something activated:\n%s", stdout)
	}
}

// TestWrap keeps lines within the width, breaking English at spaces and
// Japanese between characters, as Japanese is broken: never before
// closing punctuation, a small kana or ー, nor after opening punctuation.
func TestWrap(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  []string
	}{
		{"one two three", 7, []string{"one two", "three"}},
		// A katakana word stays whole; a line breaks rather after
		// hiragana before kanji or katakana, where a word often starts
		// (TestWrapJapanese).
		{"本日中に対応してください。再インストール", 12, []string{"本日中に", "対応してくだ", "さい。再", "インストール"}},
		{"Office 14 は通知モードです", 16, []string{"Office 14 は", "通知モードです"}},
		// Japanese line-breaking rules: no line starts with closing
		// punctuation (ASCII too), a small kana or ー, nor ends with
		// opening punctuation.
		{"「4」は一覧にありません", 8, []string{"「4」は", "一覧にあ", "りません"}},
		{"保存先フォルダー", 14, []string{"保存先", "フォルダー"}},
		{"メモリキャッシュ", 8, []string{"メモリ", "キャッ", "シュ"}},
		{"右クリック →「管理者として実行」)", 32, []string{"右クリック →「管理者として", "実行」)"}},
		{"中止します (何も保存しません)", 12, []string{"中止します", "(何も保存し", "ません)"}},
		// A word longer than the line (a path) is cut so that no line is
		// longer: before a backslash where one is in the second half of
		// the line, else after a hyphen or before a dot there, else at
		// the width.
		{"averyveryverylongword x", 5, []string{"avery", "veryv", "erylo", "ngwor", "d x"}},
		{`in E:\ActCourier\bundles\Nagoya-line-2 (denied)`, 20, []string{"in", `E:\ActCourier`, `\bundles\Nagoya-`, "line-2 (denied)"}},
	}
	for _, tc := range tests {
		got := fill(tc.in, tc.width, tc.width)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("fill(%q, %d): got %q, want %q", tc.in, tc.width, got, tc.want)
		}
		for _, l := range got {
			if cols(l) > tc.width {
				t.Errorf("fill(%q, %d): %q is %d columns", tc.in, tc.width, l, cols(l))
			}
		}
	}
}

// TestWrapKinsoku: no line starts with a character that Japanese
// typesetting never starts a line with, nor ends with one it never ends
// a line with (JLREQ, "Requirements for Japanese Text Layout", A.1 to
// A.11: classes cl-02 to cl-07, cl-09 to cl-11 and cl-01), where the
// line can break a character earlier: the one before goes to the next
// line with it, and the line is a column or two shorter, never longer.
// Each class as a greedy break would have it: at the start of the
// second line (a closing bracket, ー), at the end of the first (an
// opening one).
func TestWrapKinsoku(t *testing.T) {
	for _, tc := range []struct {
		class, chars string
		after        bool // a line breaks well after one (TestWrapJapanese)
	}{
		{"closing brackets (cl-02)", "）〕］｝〉》」』】｠〙〗〟’”»)]}", true},
		{"hyphens (cl-03)", "‐〜～゠–", false},
		{"dividing punctuation (cl-04)", "！？‼⁇⁈⁉!?", true},
		{"middle dots (cl-05)", "・：；:;", true},
		{"full stops (cl-06)", "。．.", true},
		{"commas (cl-07)", "、，,", true},
		{"iteration marks (cl-09)", "々〻ゝゞヽヾ", false},
		{"prolonged sound mark (cl-10)", "ー", false},
		{"small kana (cl-11)", "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ", false},
	} {
		for _, c := range tc.chars {
			// The line is full before c: c would start the next one.
			in := "かきく" + string(c) + "けこさ"
			want := []string{"かき", "く" + string(c) + "け", "こさ"}
			if tc.after && runeCols(c) == 2 {
				want = []string{"かき", "く" + string(c), "けこさ"}
			}
			checkFill(t, tc.class, in, 6, want)
		}
	}
	for _, c := range "（〔［｛〈《「『【｟〘〖〝‘“«([{" {
		// c fills the line: it would end it.
		in, want := "かきく"+string(c)+"けこ", []string{"かきく", string(c) + "けこ"}
		if runeCols(c) == 1 {
			in, want = "かきくa"+string(c)+"けこ", []string{"かきく", "a" + string(c) + "けこ"}
		}
		checkFill(t, "opening brackets (cl-01)", in, 8, want)
	}
	for _, tc := range []struct {
		name, in string
		width    int
		want     []string
	}{
		// After a space, too ("ID 」" in a value from the stick).
		{"after a space", "かき 」くけ", 5, []string{"か", "き 」", "くけ"}},
		{"after a space, full stop", "かき 。くけ", 5, []string{"か", "き 。", "くけ"}},
		// A word longer than the line is cut a character earlier.
		{"after a word cut", "ActCourier。", 10, []string{"ActCourie", "r。"}},
		{"after a word cut, closing", "ActCourier」を", 10, []string{"ActCourie", "r」を"}},
		// A run of them longer than a line breaks where it must.
		{"a run of them", "ーーーーーー", 4, []string{"ーー", "ーー", "ーー"}},
	} {
		checkFill(t, tc.name, tc.in, tc.width, tc.want)
	}
	// A number does not end a line before its counter or unit (JLREQ
	// 3.1.10, cl-27 with cl-25 and cl-26: the screen showed "残り 9" /
	// "日です"): the number goes to the next line with it, after a space
	// or none, ASCII digits or fullwidth ones.
	for _, c := range []string{"日", "年", "月", "件", "台", "個", "分", "秒", "回", "時間", "週間", "か月", "ヶ月", "カ月",
		"人", "本", "枚", "度", "倍", "桁", "行", "文字", "ページ", "バイト", "%", "％", "KiB", "MiB", "GiB", "KB", "MB", "GB", "min", "s"} {
		// Each line is full before c, or as wide as the number and c.
		checkFill(t, "a counter after a space", "かき 9 "+c, atLeast(6, cols("9 "+c)), []string{"かき", "9 " + c})
		if runeCols([]rune(c)[0]) == 2 {
			checkFill(t, "a counter", "かき9"+c, atLeast(5, cols("9"+c)), []string{"かき", "9" + c})
			checkFill(t, "a counter after fullwidth digits", "か１２"+c, atLeast(6, cols("１２"+c)), []string{"か", "１２" + c})
		}
	}
}

// atLeast is the larger of a and b (Go 1.20 has no max).
func atLeast(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// TestWrapJapanese: Japanese is broken where a reader expects a line
// to end, without a dictionary: a katakana word (メモリ) and an ASCII
// one stay whole where they fit a line; within the line's second half
// a line ends rather at a space, after 、 or 。, or after hiragana
// before kanji or katakana, where a new word often starts, than inside
// a word; not after a single hiragana that is no particle (書き|込み);
// the text's last line is not one character alone. The screen showed
// "認証済" / "み", "USB メ" / "モリ", "キーで閉" / "じます".
func TestWrapJapanese(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		width    int
		want     []string
	}{
		{"okurigana", "activated / 認証済み [Eval]", 18, []string{"activated /", "認証済み [Eval]"}},
		{"katakana word", "USB メモリを外してかまいません。", 8, []string{"USB", "メモリを", "外してか", "まいま", "せん。"}},
		{"hiragana, then kanji", "Enter キーで閉じます", 14, []string{"Enter キーで", "閉じます"}},
		{"hiragana, then katakana", "この端末の Windows と Office のライセンス認証の状態を記録します。", 39,
			[]string{"この端末の Windows と Office の", "ライセンス認証の状態を記録します。"}},
		{"a particle, then kanji", "収集プログラムの不具合です", 18, []string{"収集プログラムの", "不具合です"}},
		{"after 。", "本日中に対応してください。再インストールや部品交換はせず", 30,
			[]string{"本日中に対応してください。", "再インストールや部品交換はせず"}},
		{"after 、", "禁止スイッチがあれば解除するか、別のメモリを使う", 35,
			[]string{"禁止スイッチがあれば解除するか、", "別のメモリを使う"}},
		{"not inside a word", "誰も開けないバンドルや平文は書き込みません", 34, []string{"誰も開けないバンドルや平文は", "書き込みません"}},
		{"an ASCII word", "オプションの一覧は collector --help で確認できます", 24,
			[]string{"オプションの一覧は", "collector --help で", "確認できます"}},
		{"English / Japanese", "Press Enter to close / Enter キーで閉じます", 38,
			[]string{"Press Enter to close / Enter キーで", "閉じます"}},
		{"English / Japanese, narrow", "Records activation / この端末のライセンス認証の状態を記録します", 28,
			[]string{"Records activation / この", "端末のライセンス認証の状態を", "記録します"}},
		{"no lone last character", "管理者として実行してください", 26, []string{"管理者として実行してくだ", "さい"}},
		// Nothing to prefer: broken where the line is full.
		{"only kanji", "本部新規鍵作成依頼確認", 8, []string{"本部新規", "鍵作成依", "頼確認"}},
		{"only hiragana", "もういちどためしてください", 10, []string{"もういちど", "ためしてく", "ださい"}},
		{"a katakana word longer than a line", "インストールメディア", 8, []string{"インス", "トールメ", "ディア"}},
		// A number stays with its counter, and with 残り or 第 before
		// it: "残り 9" / "日です", "30" / "日", "2026" / "年" read as
		// two things (TestWrapKinsoku has every counter).
		{"a number and its counter", "有効期限まで残り 9 日です。期限までに", 18,
			[]string{"有効期限まで", "残り 9 日です。", "期限までに"}},
		{"残り and a number", "ライセンス認証の有効期限まで残り 30 日です。", 20,
			[]string{"ライセンス認証の", "有効期限まで", "残り 30 日です。"}},
		{"残り and a number, no space", "有効期限まで残り30日です", 16, []string{"有効期限まで", "残り30日です"}},
		{"第 and a number", "これは本日の第 2 回の収集です", 15, []string{"これは本日の", "第 2 回の", "収集です"}},
		{"a year", "期限は 2026 年 1 月 15 日です", 13, []string{"期限は", "2026 年 1 月", "15 日です"}},
		{"separators", "全部で 1,234 件です", 12, []string{"全部で", "1,234 件です"}},
		{"a count", "収集中に 12 件の読み取りに失敗しました", 14, []string{"収集中に", "12 件の読み取", "りに失敗しま", "した"}},
		{"a unit", "空きは 512 KiB です", 13, []string{"空きは", "512 KiB です"}},
		// A script's time limit in progress, English and Japanese: at
		// 46 columns "up to 2" ended a line, "min" began the next.
		{"a time limit", "slmgr.vbs /dlv all, up to 2 min / 最大 2 分", 27,
			[]string{"slmgr.vbs /dlv all, up to", "2 min / 最大 2 分"}},
		{"seconds, not a word", "up to 30 s / 30 sources", 8, []string{"up to", "30 s /", "30", "sources"}},
		// Where the number and its counter do not fit a line together,
		// they part after all.
		{"longer than a line", "123456 ページ", 8, []string{"123456", "ページ"}},
	} {
		checkFill(t, tc.name, tc.in, tc.width, tc.want)
	}
	// Beside a label, where the first line is shorter than the others:
	// a number and its counter that do not fit it together start the
	// next line, as a word does ("残り 30" beside the label, "日" below).
	for _, tc := range []struct {
		in          string
		first, rest int
		want        []string
	}{
		{"残り 30 日です", 8, 16, []string{"", "残り 30 日です"}},
		{"残り 30 日です", 8, 8, []string{"残り 30", "日です"}},
	} {
		got := fill(tc.in, tc.first, tc.rest)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("fill(%q, %d, %d): got %q, want %q", tc.in, tc.first, tc.rest, got, tc.want)
		}
		checkFilled(t, tc.in, tc.first, tc.rest, got)
	}
}

// checkFill checks fill(in, width, width) against want, that no line is
// longer than width and that every character is kept, in order.
func checkFill(t *testing.T, name, in string, width int, want []string) {
	t.Helper()
	got := fill(in, width, width)
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("%s: fill(%q, %d): got %q, want %q", name, in, width, got, want)
	}
	for _, l := range got {
		if cols(l) > width {
			t.Errorf("%s: fill(%q, %d): %q is %d columns", name, in, width, l, cols(l))
		}
	}
	if g, w := strings.Join(strings.Fields(strings.Join(got, "")), ""), strings.Join(strings.Fields(in), ""); g != w {
		t.Errorf("%s: fill(%q, %d): characters lost or moved: %q", name, in, width, got)
	}
}

// checkFilled checks the lines fill(in, first, rest) gave: the first
// within first columns, the others within rest, every character but
// the spaces kept, in order. A wide character takes two columns, so
// each width is 2 or more.
func checkFilled(t *testing.T, in string, first, rest int, got []string) {
	t.Helper()
	for i, l := range got {
		if width := map[bool]int{true: first, false: rest}[i == 0]; cols(l) > width {
			t.Fatalf("fill(%.40q…, %d, %d): line %d %.40q… is %d columns, over %d", in, first, rest, i, l, cols(l), width)
		}
	}
	if g, w := strings.Join(strings.Fields(strings.Join(got, "")), ""), strings.Join(strings.Fields(in), ""); g != w {
		t.Fatalf("fill(%.40q…, %d, %d): characters lost or moved: %.80q…", in, first, rest, got)
	}
}

// TestFillLong: a value from outside (an asset tag, a product's name, a
// path) of 64 KiB that is one word (a katakana one, a run of ー or of a
// bracket that no line may start or end with, ASCII) is wrapped in
// memory and time in proportion to it: a token grown by a character at
// a time copied all of it each time, 734 MB for 64 KiB of ア; and each
// line counted the columns of all the word left, 3 s for 256 KiB. Its
// time is BenchmarkFillLong's to show: no test is timed.
func TestFillLong(t *testing.T) {
	for _, s := range []string{"ア", "ー", "（", "）", "a", "アイ 」", "書き込み、", "１", "残り 9 日", "1,"} {
		in := strings.Repeat(s, 256<<10/len(s))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := fill(in, 30, 79)
		runtime.ReadMemStats(&after)
		checkFilled(t, in, 30, 79, got)
		if most, n := uint64(64*len(in)), after.TotalAlloc-before.TotalAlloc; n > most {
			t.Errorf("fill of 256 KiB of %q allocated %d bytes, want at most %d", s, n, most)
		}
	}
}

// BenchmarkFillLong: the time of fill over a long word, which
// TestFillLong bounds in memory only (no timed tests): run it at 64 KiB
// and 256 KiB and see the time grow four times, not sixteen.
func BenchmarkFillLong(b *testing.B) {
	for _, n := range []int{64 << 10, 256 << 10} {
		for _, s := range []string{"ア", "a", "書き込み、", "１", "残り 9 日"} {
			in := strings.Repeat(s, n/len(s))
			b.Run(fmt.Sprintf("%dKiB/%s", n>>10, s), func(b *testing.B) {
				b.SetBytes(int64(len(in)))
				for i := 0; i < b.N; i++ {
					fill(in, 30, 79)
				}
			})
		}
	}
}

// FuzzFill: whatever the text and the widths, fill ends, keeps every
// character but the spaces in order and no line is wider than its room.
func FuzzFill(f *testing.F) {
	for _, s := range []string{"USB メモリを差し込んでください。", "認証済みです（オフライン）", "ーーーー」」", "C:\\Windows\\System32\\slmgr.vbs",
		"3f9c0a1b2c3d4e5f60718293a4b5c6d7.tar.zst.age", "書き込み、読み取り。 ID 」 「キー」"} {
		f.Add(s, 20, 40)
	}
	f.Fuzz(func(t *testing.T, s string, first, rest int) {
		if first < 2 || rest < 2 || first > 200 || rest > 200 || !utf8.ValidString(s) || strings.ContainsAny(s, "\t\n\r") {
			return
		}
		checkFilled(t, s, first, rest, fill(s, first, rest))
	})
}

// TestPromptWrapped: a question is wrapped as the screen is, in both
// its languages (English at spaces, Japanese between characters, never
// before 、 nor ) ), each line within the console less one column, its
// next lines four columns in, and ends in a space on its last line,
// where the cursor waits for the answer: that space short of the last
// column, where the console would take the cursor to the next line.
// The console folded a question mid-word (at 40 columns "Enter: start,
// n: change / Enter: 開始、n: 入力し直す: " left "す: " alone at column
// 0). Not at a console (width 0) it is one line.
func TestPromptWrapped(t *testing.T) {
	for _, tc := range []struct {
		name, prompt string
		at40, at80   string
	}{
		{"check", "Enter: start, n: change / Enter: 開始、n: 入力し直す:",
			"Enter: start, n: change / Enter:\n    開始、n: 入力し直す: ", "Enter: start, n: change / Enter: 開始、n: 入力し直す: "},
		{"kept answer", "Site / 拠点 [第二工場 Nagoya 外観検査ライン Why: all fine]:",
			"Site / 拠点 [第二工場 Nagoya\n    外観検査ライン Why: all fine]: ", "Site / 拠点 [第二工場 Nagoya 外観検査ライン Why: all fine]: "},
		{"optional", "Engineer / 担当者 (Enter: none / Enter で省略):",
			"Engineer / 担当者 (Enter: none / Enter\n    で省略): ", "Engineer / 担当者 (Enter: none / Enter で省略): "},
		{"passphrase", "Passphrase / パスフレーズ (Enter: collect without it / 使わずに収集):",
			"Passphrase / パスフレーズ (Enter:\n    collect without it / 使わずに\n    収集): ", "Passphrase / パスフレーズ (Enter: collect without it / 使わずに収集): "},
		{"apply", "Apply now? y: apply, Enter: do not apply / 今すぐ適用しますか? y: 適用する、Enter: 適用しない:",
			"Apply now? y: apply, Enter: do not\n    apply / 今すぐ適用しますか? y:\n    適用する、Enter: 適用しない: ",
			"Apply now? y: apply, Enter: do not apply / 今すぐ適用しますか? y: 適用する、\n    Enter: 適用しない: "},
		{"close", "Press Enter to close / Enter キーで閉じます",
			"Press Enter to close / Enter キーで\n    閉じます ", "Press Enter to close / Enter キーで閉じます "},
	} {
		for _, width := range []int{0, 40, 80} {
			t.Run(fmt.Sprintf("%s at %d", tc.name, width), func(t *testing.T) {
				var b bytes.Buffer
				printPrompt(&b, tc.prompt, width)
				want := map[int]string{0: tc.prompt + " ", 40: tc.at40, 80: tc.at80}[width]
				if b.String() != want {
					t.Errorf("got %q, want %q", b.String(), want)
				}
				if width == 0 {
					return
				}
				lines := strings.Split(b.String(), "\n")
				for i, l := range lines {
					if n := consoleCols(l); n > width-1 {
						t.Errorf("%d columns, want at most %d: %q", n, width-1, l)
					}
					if lead := len(l) - len(strings.TrimLeft(l, " ")); i > 0 && lead != 4 {
						t.Errorf("a next line at column %d, want 4: %q", lead, l)
					}
				}
				if last := lines[len(lines)-1]; !strings.HasSuffix(last, ": ") && !strings.HasSuffix(last, "す ") {
					t.Errorf("the last line %q does not end where the answer goes", last)
				}
			})
		}
	}
}

// TestWrapFirst: a word that does not fit the first line's room (beside
// a long label, on a narrow console) but fits a line goes to the next
// line whole, not cut inside: "Windows" was shown "Wi" then "ndows",
// the verdict "URG" then "ENT".
func TestWrapFirst(t *testing.T) {
	for _, tc := range []struct {
		in          string
		first, rest int
		want        []string
	}{
		{"Windows 7 Professional", 3, 15, []string{"", "Windows 7", "Professional"}},
		{"URGENT [urgent]", 3, 18, []string{"", "URGENT [urgent]"}},
		{"OK", 3, 18, []string{"OK"}},
		// Longer than a line: cut where it starts, as before.
		{"averyveryverylongword", 3, 5, []string{"ave", "ryver", "yvery", "longw", "ord"}},
	} {
		got := fill(tc.in, tc.first, tc.rest)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") {
			t.Errorf("fill(%q, %d, %d): got %q, want %q", tc.in, tc.first, tc.rest, got, tc.want)
		}
	}
}

// TestPrintPath keeps a file name whole: after its label when both fit
// in the console less one column, else on a line of its own, never
// broken at its spaces; one longer than that line is cut before a
// backslash, each part indented, as an error's path is, not left to the
// console to fold with the rest at column 0. Sent to a file (width 0),
// it follows its label on one line.
func TestPrintPath(t *testing.T) {
	long := `E:\ActCourier\snapshots from the field\Nagoya line 2\FA-NG-L2-011 device.json`
	forged := `E:\ActCourier\snapshots\` + strings.Repeat("x", 40) + `\Verdict / 判定: OK [ok]\a.json`
	tests := []struct {
		name, path string
		width      int
		want       string
	}{
		{"fits", `E:\FA-NG-L2-011.json`, 80, "Replaying / 再生: E:\\FA-NG-L2-011.json\n"},
		{"79 columns", strings.Repeat("x", 61), 80, "Replaying / 再生: " + strings.Repeat("x", 61) + "\n"},
		{"80 columns", strings.Repeat("x", 62), 80, "Replaying / 再生:\n    " + strings.Repeat("x", 62) + "\n"},
		{"spaces", long, 90, "Replaying / 再生:\n    " + long + "\n"},
		{"spaces, 120 columns", long, 120, "Replaying / 再生: " + long + "\n"},
		// Before a backslash in the second half of the line, else after
		// a hyphen or before a dot there, else at its end (cut), as in
		// an error; four columns in, not at the two of the rows below
		// (Check), so that no folder's name can start a line that reads
		// as one of them.
		{"longer than the console", long, 40, "Replaying / 再生:\n    E:\\ActCourier\\snapshots from the fi\n    eld\\Nagoya line 2\\FA-NG-L2-\n    011 device.json\n"},
		{"a name longer than the console", `E:\snapshots\win7-office2010-retail-notification.json`, 40,
			"Replaying / 再生:\n    E:\\snapshots\\win7-office2010-\n    retail-notification.json\n"},
		{"a folder named as a verdict", forged, 80,
			"Replaying / 再生:\n    E:\\ActCourier\\snapshots\\" + strings.Repeat("x", 40) + "\\Verdict \n    / 判定: OK [ok]\\a.json\n"},
		{"a folder named as a row", `E:\` + strings.Repeat("x", 73) + `\Site / 拠点: Nagoya\a.json`, 80,
			"Replaying / 再生:\n    E:\\" + strings.Repeat("x", 72) + "\n    x\\Site / 拠点: Nagoya\\a.json\n"},
		{"a file", long + long, 0, "Replaying / 再生: " + long + long + "\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			printPath(&b, "Replaying / 再生:", tc.path, tc.width)
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if tc.width > 0 && consoleCols(l) > tc.width-1 {
					t.Errorf("%d columns, want at most %d: %q", consoleCols(l), tc.width-1, l)
				}
			}
		})
	}
}

// TestReplayOnScreen: the line that says the result is a replay is on
// stdout with the rest of the screen (a screen saved to a file says it),
// and a long file name with spaces stays whole on a line of its own on
// a console that it fits but not after its label.
func TestReplayOnScreen(t *testing.T) {
	data, err := os.ReadFile(archetype)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snapshots from the field")
	snap := filepath.Join(dir, "Nagoya line 2 FA-NG-L2-011.json")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(snap, data, 0o644)
	code, stdout, stderr := runAt(t, cols(snap)+6, "", "--no-prompt", "--snapshot", snap, "-r", newKey(t).Recipient().String(), "--out", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if strings.Contains(stderr, "Replaying") {
		t.Errorf("stderr has the replay line:\n%s", stderr)
	}
	if want := "\nReplaying / 再生:\n    " + snap + "\n"; !strings.Contains(stdout, want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
	if i, j := strings.Index(stdout, "Check / 確認"), strings.Index(stdout, "Replaying"); i < 0 || j < i || j > strings.Index(stdout, "Result / 結果") {
		t.Errorf("the replay line is not between the check and the result:\n%s", stdout)
	}
}

// TestHelp: the help tells the truth: the timeout's default, said once
// (as every flag's), no commands, the exit status.
func TestHelp(t *testing.T) {
	code, stdout, _ := runCollector(t, "", "--help")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Count(l, "default") > 1 {
			t.Errorf("help says a default twice: %q", l)
		}
	}
	// A return file that does not open is exit 2 too (docs/collector.md,
	// TestReturnTampered): the engineer with a wrong passphrase reads it.
	for _, want := range []string{"(default: the settings' timeout, else 2m)", "EXIT STATUS:", "130  interrupted", "collector [options]",
		"return file that does not open"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
	// Every flag that takes a value names it, as the importer's do: urfave
	// shows a bare "value" for a Usage without a `NAME`, which tells the
	// engineer nothing of what to type (a duration for --timeout).
	for _, want := range []string{"--site SITE", "--line LINE", "--asset ASSET", "--engineer ID", "--note NOTE", "--timeout DURATION"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("help lacks %q:\n%s", want, stdout)
		}
	}
	// A switch's "(default: false)" said nothing but noise; and the
	// replay's line says what this build does with a return file
	// (the Windows builds carry no simulation to apply it to).
	if u := strings.ReplaceAll(snapshotUsage, "`", ""); !strings.Contains(stdout, u) {
		t.Errorf("help lacks this build's --snapshot text %q:\n%s", u, stdout)
	}
	for _, bad := range []string{"COMMANDS:", "help, h", "(default: 0s)", "command [command options]", " value ", "(default: false)"} {
		if strings.Contains(stdout, bad) {
			t.Errorf("help shows %q:\n%s", bad, stdout)
		}
	}
}

// TestEnterAfterCtrlC: a question cut short by Ctrl-C leaves its line to
// the next reader, so the Enter typed at "Press Enter to close" closes
// the window (closeWindow), with the run's exit code.
func TestEnterAfterCtrlC(t *testing.T) {
	pr, pw := io.Pipe()
	lines := newLineReader(pr)
	ctx, cancel := context.WithCancel(context.Background())
	p := newPrompter(ctx, lines, io.Discard)
	done := make(chan error)
	go func() { _, err := p.readLine(); done <- err }()
	cancel()
	if err := <-done; err != errInterrupted {
		t.Fatalf("got %v, want the interrupt", err)
	}
	go pw.Write([]byte("\r\n"))
	got := make(chan int)
	go func() { got <- closeWindow(console{in: lines, out: io.Discard, err: io.Discard}, 130) }()
	select {
	case code := <-got:
		if code != 130 {
			t.Errorf("got exit %d, want 130", code)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("the Enter after Ctrl-C never reached the pause")
	}
}

// TestFaultAtClose: a panic in the console's reader while the window
// waits for Enter, after the run, is the collector's fault as at a
// question (TestFaultInGoroutine): exit 3, the trace of where it began
// and the hint, on a line of their own, then the window waits once
// more, so that the engineer can take the photo the hint asks for. It
// ended the input without a word, and the window closed.
func TestFaultAtClose(t *testing.T) {
	var b bytes.Buffer // stdout and stderr, as on the console
	lines := newLineReader(panicReader{strings.NewReader("")})
	if code := closeWindow(console{in: lines, out: &b, err: &b}, 0); code != 3 {
		t.Errorf("got exit %d, want 3", code)
	}
	screen := b.String()
	for _, want := range []string{"Enter キーで閉じます \n", "collector: error: internal fault, the collector stopped: slice bounds out of range [:5] with capacity 4\n",
		"collector: hint: this is a fault of the collector", "collector: 対処: 収集プログラムの不具合です", "  goroutine ", "panicReader.Read", "newLineReader"} {
		if !strings.Contains(screen, want) {
			t.Errorf("the screen lacks %q:\n%s", want, screen)
		}
	}
	if i := strings.Index(screen, "collector: 対処:"); i < 0 || !strings.Contains(screen[i:], "Press Enter to close") {
		t.Errorf("the window does not wait again after the fault:\n%s", screen)
	}
}

// TestDocsShowTheScreen: docs/collector.md shows the screens as the
// collector prints them now on an 80-column console (they were captured
// under Wine; recapture when these words change).
func TestDocsShowTheScreen(t *testing.T) {
	doc, err := os.ReadFile("../docs/collector.md")
	if err != nil {
		t.Fatal(err)
	}
	id := newKey(t)
	_, stdout, stderr := runAt(t, 80, "", "--no-prompt", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", t.TempDir())
	for _, l := range strings.Split(stdout+stderr, "\n") {
		// Lines that hold no path, bundle name or key of this run.
		if l == "" || strings.ContainsAny(l, `/\`) && !strings.Contains(l, " / ") || strings.Contains(l, ".tar.zst.age") ||
			strings.Contains(l, "暗号化先") || strings.Contains(l, "ActCourier collector ") || strings.Contains(l, "設定:") || strings.Contains(l, "保存先") ||
			strings.Contains(l, "Replaying") {
			continue
		}
		if !bytes.Contains(doc, []byte(l)) {
			t.Errorf("docs/collector.md lacks the screen line %q", l)
		}
	}
}

// TestScreenFits: the verdict and the bundle's folder fit an 80-column
// console, and a folder name is never broken at its spaces.
func TestScreenFits(t *testing.T) {
	for _, c := range []classify.Category{classify.OK, classify.Urgent, classify.ImageBackup, classify.VolumeLicense} {
		var b bytes.Buffer
		printVerdict(&b, categoryWords(c), c, 80)
		for _, l := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			if cols(l) > 79 {
				t.Errorf("%s: %d columns: %q", c, cols(l), l)
			}
		}
		if !regexp.MustCompile(`Verdict / 判定: .* \[` + string(c) + `\]\n`).MatchString(b.String()) {
			t.Errorf("%s: the first line lacks the code: %q", c, b.String())
		}
		if !strings.Contains(b.String(), categoryWords(c).ja) {
			t.Errorf("%s: no Japanese: %q", c, b.String())
		}
	}
	long := `E:\ActCourier bundles from the field\Nagoya line 2 and line 3\second visit`
	var b bytes.Buffer
	printFileRows(&b, [][2]string{{"Bundle / バンドル", "x.tar.zst.age"}, {"Saved in / 保存先", long}}, 80)
	want := "  Bundle / バンドル: x.tar.zst.age\n  Saved in / 保存先:\n    " + long + "\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}

// TestBundleNameWrapped: the bundle's name, which the engineer reads
// off the screen and carries back, is shown whole: after its label when
// both fit the console, else on its own line four columns in, and on a
// console narrower than the name, broken before its ".tar.zst.age", not
// mid-word ("….ta" and "r.zst.age" on a 40-column console). Its
// characters, in order, are all there.
func TestBundleNameWrapped(t *testing.T) {
	const name = "6b4ead7352ef1a84e1e1d92dc39b5759.tar.zst.age"
	const label = "  Bundle / バンドル:"
	tests := []struct {
		width int
		want  string
	}{
		{0, label + " " + name + "\n"},
		{30, label + "\n    6b4ead7352ef1a84e1e1d92dc\n    39b5759.tar.zst.age\n"},
		{40, label + "\n    6b4ead7352ef1a84e1e1d92dc39b5759\n    .tar.zst.age\n"},
		{60, label + "\n    " + name + "\n"},
		{80, label + " " + name + "\n"},
		{120, label + " " + name + "\n"},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.width), func(t *testing.T) {
			var b bytes.Buffer
			printFileRows(&b, [][2]string{{"Bundle / バンドル", name}}, tc.width)
			if b.String() != tc.want {
				t.Errorf("got %q, want %q", b.String(), tc.want)
			}
			for _, l := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
				if tc.width > 0 && consoleCols(l) > tc.width-1 {
					t.Errorf("%d columns, want at most %d: %q", consoleCols(l), tc.width-1, l)
				}
			}
		})
	}
}

// TestVerdictWrapped: on a console too narrow for the verdict on one
// line, its English words (with the code) and its Japanese ones are
// each wrapped, and no line after the first starts left of column 4:
// not at the rows' column (2), where the check's and the result's rows
// and their "Why:" start, nor at the headings' (0). On a console under
// 41 columns, too narrow to keep the words under "Verdict / 判定: "
// with room for them, they went on at column 2.
func TestVerdictWrapped(t *testing.T) {
	words := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for _, c := range []classify.Category{classify.OK, classify.Urgent, classify.ImageBackup, classify.VolumeLicense} {
		cw := categoryWords(c)
		for width := 20; width <= 80; width++ {
			t.Run(fmt.Sprintf("%s at %d", c, width), func(t *testing.T) {
				var b bytes.Buffer
				printVerdict(&b, cw, c, width)
				lines := strings.Split(strings.Trim(b.String(), "\n"), "\n")
				if !strings.HasPrefix(lines[0], "Verdict / 判定:") {
					t.Errorf("the first line is %q", lines[0])
				}
				for _, l := range lines {
					if n := consoleCols(l); n > width-1 {
						t.Errorf("%d columns, want at most %d: %q", n, width-1, l)
					}
				}
				for _, l := range lines[1:] {
					if lead := len(l) - len(strings.TrimLeft(l, " ")); lead < 4 {
						t.Errorf("a line of the verdict at column %d, want 4 or more: %q\n%s", lead, l, b.String())
					}
				}
				got := words(b.String())
				if !strings.HasPrefix(got, words("Verdict / 判定: "+cw.en)) || !strings.Contains(got, "["+string(c)+"]") || !strings.Contains(got, words(cw.ja)) {
					t.Errorf("words lost:\n%s", b.String())
				}
			})
		}
	}
}

// TestProgressWrapped: a progress line's next lines stand under its
// text, or on a narrow console at column 4, never at the column the
// progress lines start (2): a script's command names an Office folder of
// the machine, which may hold "  Running / 実行:". Under Wine at 40 and
// 60 columns "ハードウェア・ディスク" and "分" went on at column 2.
func TestProgressWrapped(t *testing.T) {
	office := `ospp.vbs /dstatus (C:\Program Files\Microsoft Office\Running / 実行: format.vbs, up to 2 min\Office14)`
	for _, st := range []collect.Step{{Part: collect.StepSystem}, {Part: collect.StepLicenses},
		{Part: collect.StepScript, Command: "slmgr.vbs /dlv all", Limit: 2 * time.Minute},
		{Part: collect.StepScript, Command: office, Limit: 90 * time.Second}} {
		for _, width := range []int{40, 60, 80} {
			t.Run(fmt.Sprintf("%s %s at %d", st.Part, st.Command, width), func(t *testing.T) {
				var b bytes.Buffer
				progress(&b, width)(st)
				lines := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
				if !regexp.MustCompile(`^  (Reading / 読み取り|Running / 実行): `).MatchString(lines[0]) {
					t.Errorf("the first line is %q", lines[0])
				}
				for _, l := range lines[1:] {
					if lead := len(l) - len(strings.TrimLeft(l, " ")); lead < 4 {
						t.Errorf("a next line at column %d, want 4 or more: %q\n%s", lead, l, b.String())
					}
				}
				for _, l := range lines {
					if n := consoleCols(l); n > width-1 {
						t.Errorf("%d columns, want at most %d: %q", n, width-1, l)
					}
				}
			})
		}
	}
}

// TestSummaryWrapped: the result and the verdict are wrapped to the
// console's width less one column, as errors are, not to 79 columns
// whatever the console; Japanese is broken as Japanese is (never
// before 。 or 」, nor after 「); a value from the machine (a device or
// product name holding "Verdict / 判定:" or "  Why:") goes on under
// itself and cannot start a line that reads as the collector's own; the
// bundle's folder is cut before a backslash. Sent to a file (width 0),
// each row is one line.
func TestSummaryWrapped(t *testing.T) {
	data, err := os.ReadFile(archetype)
	if err != nil {
		t.Fatal(err)
	}
	english, err := licensing.Unmarshal(data)
	if err != nil {
		t.Fatal(err)
	}
	japanese, _ := licensing.Unmarshal(data)
	japanese.OS.Hostname = "第二製造ライン「外観検査」用の検査装置、予備機 Verdict / 判定: OK / 問題なし [ok]"
	japanese.Products = append(japanese.Products, licensing.Product{Kind: licensing.KindOther, Name: "  Why:    all fine, nothing to do", Status: licensing.StatusLicensed})
	japanese.Errors = append(japanese.Errors, licensing.SourceError{})
	bundleName := `E:\ActCourier 第二工場\bundles from the field\Nagoya line 2 and line 3\second visit\0123456789abcdef0123456789abcdef.tar.zst.age`
	screen := func(s *licensing.Snapshot, width int) string {
		var b bytes.Buffer
		printSummary(&b, s, bundleName, width)
		return b.String()
	}
	nonEmpty := func(s string) []string {
		var lines []string
		for _, l := range strings.Split(s, "\n") {
			if l != "" {
				lines = append(lines, l)
			}
		}
		return lines
	}
	for _, snap := range []struct {
		name string
		s    *licensing.Snapshot
	}{{"English device", english}, {"Japanese device", japanese}} {
		one := nonEmpty(screen(snap.s, 0))
		for _, l := range one {
			if !regexp.MustCompile(`^(Result / 結果:|Verdict / 判定: URGENT|  (Device / 端末|Windows|Office|Other / その他|Note / 注記|Why|理由|Do now|今すぐ|Bundle / バンドル|Saved in / 保存先):)`).MatchString(l) {
				t.Errorf("%s in a file: %q is not a row of its own", snap.name, l)
			}
		}
		lines := map[int]int{}
		for _, width := range []int{40, 80, 120} {
			t.Run(fmt.Sprintf("%s at %d", snap.name, width), func(t *testing.T) {
				got := screen(snap.s, width)
				all := nonEmpty(got)
				lines[width] = len(all)
				// The lines at the screen's own columns (0 and 2) are
				// the rows, in order, each the start of its one line.
				var heads []string
				for _, l := range all {
					if n := consoleCols(l); n > width-1 {
						t.Errorf("%d columns, want at most %d: %q", n, width-1, l)
					}
					if lead := len(l) - len(strings.TrimLeft(l, " ")); lead <= 2 {
						heads = append(heads, l)
						continue
					}
					next := strings.TrimLeft(l, " ")
					if r, _ := utf8.DecodeRuneInString(next); strings.ContainsRune("、。」）ー", r) {
						t.Errorf("a line starts with %q: %q", r, l)
					}
				}
				for _, l := range all {
					if r, _ := utf8.DecodeLastRuneInString(l); strings.ContainsRune("「（", r) {
						t.Errorf("a line ends with %q: %q", r, l)
					}
				}
				if len(heads) != len(one) {
					t.Fatalf("%d lines at the screen's own columns, want %d:\n%s", len(heads), len(one), got)
				}
				for i, h := range heads {
					if !strings.HasPrefix(strings.Join(strings.Fields(one[i]), " "), strings.Join(strings.Fields(h), " ")) {
						t.Errorf("line %q, want the start of %q", h, one[i])
					}
				}
				if g, w := strings.Join(strings.Fields(got), ""), strings.Join(strings.Fields(strings.Join(one, "\n")), ""); g != w {
					t.Errorf("wrapped, the words differ:\n%s\nwant\n%s", g, w)
				}
			})
		}
		// The width is used: a wider console takes fewer lines.
		if !(lines[40] > lines[80] && lines[80] > lines[120]) {
			t.Errorf("%s: %d, %d, %d lines at 40, 80, 120 columns; want fewer on a wider console", snap.name, lines[40], lines[80], lines[120])
		}
	}
	// The Japanese device name broken as Japanese is, under itself.
	want := "  Device / 端末:  第二製造ライン「外観検査」用の検査装置、予備機 Verdict /\n" +
		"                  判定: OK / 問題なし [ok] (Microsoft Windows 7 Professional\n"
	if got := screen(japanese, 80); !strings.Contains(got, want) {
		t.Errorf("got\n%s\nwant it to hold\n%s", got, want)
	}
}

// TestCheckWrapped: on the check screen, where the engineer reads the
// site, line and asset tag before anything is read, a name that does
// not fit beside its label but fits a line goes below it whole, four
// columns in: at 40 columns the line 外観検査ライン read "Line / ライン:
// 外観検査" with "ライン" below, as if a second value, and the site
// "Nagoya" with "第二工場" below. One longer than a line is wrapped
// as any row; on a wide console each stays beside its label.
func TestCheckWrapped(t *testing.T) {
	s := &settings{recipientKeys: []string{"age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq"}}
	s.ctx.Site, s.ctx.Line, s.ctx.Asset = "Nagoya 第二工場", "外観検査ライン", "NG-L2-011"
	s.ctx.Note = "after the power cut on line 2, the second visit of the week"
	fp := stick.Fingerprint(s.recipientKeys[0])
	for _, tc := range []struct {
		width int
		want  string
	}{
		{40, "Check / 確認:\n" +
			"  Site / 拠点:\n    Nagoya 第二工場\n" +
			"  Line / ライン:\n    外観検査ライン\n" +
			"  Asset tag / 資産番号:     NG-L2-011\n" +
			"  Engineer / 担当者:\n    (none / なし)\n" +
			"  Note / メモ:              after the\n    power cut on line 2, the second\n    visit of the week\n" +
			"  Encrypted for / 暗号化先:\n    " + fp + "\n\n"},
		{80, "Check / 確認:\n" +
			"  Site / 拠点:              Nagoya 第二工場\n" +
			"  Line / ライン:            外観検査ライン\n" +
			"  Asset tag / 資産番号:     NG-L2-011\n" +
			"  Engineer / 担当者:        (none / なし)\n" +
			"  Note / メモ:              after the power cut on line 2, the second visit of\n" +
			"                            the week\n" +
			"  Encrypted for / 暗号化先: " + fp + "\n\n"},
	} {
		var b bytes.Buffer
		printContext(&b, s, tc.width)
		if b.String() != tc.want {
			t.Errorf("at %d columns: got\n%s\nwant\n%s", tc.width, b.String(), tc.want)
		}
	}
}

// panicWriter panics when written to: a fault of the collector's own.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("index out of range [3] with length 3") }

// TestFault: a panic is the collector's fault, not a setting: exit 3,
// not Go's 2 (which ActCourier.cmd reads as "do what the hint says"),
// with its trace, the value escaped, and a hint to tell central staff;
// nothing is written.
func TestFault(t *testing.T) {
	id := newKey(t)
	out := t.TempDir()
	var e bytes.Buffer
	code := runContext(context.Background(), []string{"collector", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out, "--asset", "A-1"},
		console{in: strings.NewReader(""), out: panicWriter{}, err: &e})
	if left, _ := os.ReadDir(out); code != 3 || len(left) != 0 {
		t.Fatalf("got exit %d, left %v; want 3, nothing", code, left)
	}
	for _, want := range []string{"collector: error: internal fault, the collector stopped: index out of range [3] with length 3\n",
		"collector: 対処: 収集プログラムの不具合です", "  goroutine ", "panicWriter.Write"} {
		if !strings.Contains(e.String(), want) {
			t.Errorf("stderr lacks %q:\n%s", want, e.String())
		}
	}
}

// faultTrace is the trace of a panic of the Windows 7 collector under
// Wine (Go 1.20.14, -trimpath), as debug.Stack gave it.
const faultTrace = `goroutine 1 [running]:
runtime/debug.Stack()
	runtime/debug/stack.go:24 +0x65
main.runContext.func1()
	github.com/actcourier/actcourier/collector/main.go:122 +0x45
panic({0x6b4700, 0xc000292018})
	runtime/panic.go:884 +0x213
main.printSummary({0x75c200, 0xc000366810}, 0xc00033c600, {0xc00031c780, 0x4d}, 0x6ccb15?)
	github.com/actcourier/actcourier/collector/screen.go:181 +0xb4b
main.collectAction(0xc000328d80, {{0x75c380, 0xc000366780}, {0x75c200, 0xc000366810}, {0x75c200, 0xc000366840}, 0x1, 0x28, 0x28, ...})
	github.com/actcourier/actcourier/collector/main.go:397 +0x6a5
github.com/urfave/cli/v2.(*App).RunContext(0xc000166e00, {0x75d590?, 0xc000328a80}, {0xc000052000, 0x8, 0x8})
	github.com/urfave/cli/v2@v2.27.7/app.go:333 +0x63a
main.main()
	github.com/actcourier/actcourier/collector/main.go:52 +0x178
`

// TestFaultWrapped: the trace of exit 3, which the engineer photographs
// for central staff, is wrapped to the console like the rest of the
// screen: no line longer than the console less one, which would fold it
// mid-path with the rest at column 0; every character of it is there; a
// file's line stands under its function, its tab shown as that indent,
// not as \x09; and a line's next lines stand further in than any line
// of the trace starts. In a file (width 0) each line of it stays one.
func TestFaultWrapped(t *testing.T) {
	trace := strings.Split(strings.TrimSpace(faultTrace), "\n")
	nonSpace := func(s string) string { return strings.Join(strings.Fields(s), "") }
	for _, width := range []int{0, 40, 60, 80, 120} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			var b bytes.Buffer
			if code := printFault(&b, "boom", []byte(faultTrace), width); code != 3 {
				t.Errorf("exit %d, want 3", code)
			}
			out, _, _ := strings.Cut(b.String(), "collector: error: ")
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if strings.Contains(out, `\x09`) {
				t.Errorf("a tab shown as \\x09:\n%s", out)
			}
			if got, want := nonSpace(out), nonSpace(faultTrace); got != want {
				t.Errorf("characters lost or added:\ngot  %s\nwant %s", got, want)
			}
			starts := 0
			for _, l := range lines {
				if width > 0 && consoleCols(l) > width-1 {
					t.Errorf("%d columns, want at most %d: %q", consoleCols(l), width-1, l)
				}
				switch lead := len(l) - len(strings.TrimLeft(l, " ")); lead {
				case 2, 4:
					starts++
				default:
					if lead < 6 {
						t.Errorf("a line of the trace at column %d: %q", lead, l)
					}
				}
			}
			if starts != len(trace) {
				t.Errorf("%d lines start at column 2 or 4, want one per line of the trace (%d):\n%s", starts, len(trace), out)
			}
			if width > 0 {
				return
			}
			for _, l := range trace {
				want := "  " + l + "\n"
				if file := strings.TrimPrefix(l, "\t"); file != l {
					want = "    " + file + "\n"
				}
				if !strings.Contains(out, want) {
					t.Errorf("in a file, %q is not one line:\n%s", want, out)
				}
			}
		})
	}
}

// panicReader gives what r holds, then panics: a fault in the goroutine
// that reads the console for the questions (lineReader), injected by
// the test as the console's input.
type panicReader struct{ r io.Reader }

func (p panicReader) Read(b []byte) (int, error) {
	if n, err := p.r.Read(b); err != io.EOF {
		return n, err
	}
	panic("slice bounds out of range [:5] with capacity 4")
}

// TestFaultInGoroutine: a panic in a goroutine other than main is the
// collector's fault too: handed to main, exit 3 with the trace of where
// it began and the hint, as TestFault for main; not Go's exit 2, which
// ended the whole program (and this test binary) from that goroutine,
// past every recover. At the check question and at a return file's
// passphrase, both read by the console's goroutine.
func TestFaultInGoroutine(t *testing.T) {
	id := newKey(t)
	retDir := t.TempDir()
	os.WriteFile(filepath.Join(retDir, "x"+activation.ReturnExt), []byte("not opened"), 0o644)
	for _, tc := range []struct {
		name, typed string
		args        []string
		asked       string // the question the reader panicked at
	}{
		{"at the check", "", nil, "Enter: start"},
		{"at the passphrase", "\n", []string{"--return", retDir}, "Passphrase / パスフレーズ"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			var o, e bytes.Buffer
			lines := newLineReader(panicReader{strings.NewReader(tc.typed)})
			args := append([]string{"collector", "--snapshot", archetype, "-r", id.Recipient().String(), "--out", out}, tc.args...)
			code := runContext(context.Background(), args,
				console{in: lines, out: &o, err: &e, interactive: true, secret: askSecret(lines, &o, 0)})
			if left, _ := os.ReadDir(out); code != 3 || len(left) != 0 {
				t.Fatalf("got exit %d, left %v; want 3, nothing:\n%s", code, left, e.String())
			}
			if screen := strings.TrimSpace(o.String()); !strings.HasPrefix(screen[strings.LastIndex(screen, "\n")+1:], tc.asked) {
				t.Errorf("the screen ends elsewhere than at %q:\n%s", tc.asked, o.String())
			}
			for _, want := range []string{"collector: error: internal fault, the collector stopped: slice bounds out of range [:5] with capacity 4\n",
				"collector: hint: this is a fault of the collector", "collector: 対処: 収集プログラムの不具合です", "  goroutine ", "panicReader.Read", "newLineReader"} {
				if !strings.Contains(e.String(), want) {
					t.Errorf("stderr lacks %q:\n%s", want, e.String())
				}
			}
		})
	}
}

// TestGoroutinesCaught: every goroutine the collector starts, in any of
// its packages, runs its work in caught, which hands a panic to main
// (goroutinePanic); a goroutine that does not would end the program
// with Go's exit 2 on a panic, read by ActCourier.cmd as a wrong
// setting. (collector/collect cannot call caught: a goroutine there
// returns its panic to its caller, and this test is then to be taught
// how.)
func TestGoroutinesCaught(t *testing.T) {
	dirs, _ := filepath.Glob("*")
	dirs = append([]string{"."}, dirs...)
	n := 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(gotoken.NewFileSet(), f, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(node ast.Node) bool {
				g, ok := node.(*ast.GoStmt)
				if !ok {
					return true
				}
				n++
				found := false
				ast.Inspect(g.Call, func(node ast.Node) bool {
					if c, ok := node.(*ast.CallExpr); ok {
						if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "caught" {
							found = true
						}
					}
					return !found
				})
				if !found {
					t.Errorf("%s: a goroutine that does not run its work in caught", f)
				}
				return true
			})
		}
	}
	if n == 0 {
		t.Fatal("no go statement found: the collector's console reader starts one")
	}
}

// TestPrivateKeyOnStick: a settings file holding the site's private key
// is not a typo to correct in Notepad: the key opens every bundle of the
// site and is spent. The engineer is told to stop using the stick and
// hand it in, in both languages, and nothing is collected.
func TestPrivateKeyOnStick(t *testing.T) {
	id := newKey(t)
	conf := filepath.Join(t.TempDir(), "actcourier.conf")
	os.WriteFile(conf, []byte("recipient = "+id.Recipient().String()+"\n"+id.String()+"\n"), 0o644)
	out := t.TempDir()
	code, _, stderr := runCollector(t, "", "--config", conf, "--no-prompt", "--snapshot", archetype, "--asset", "A-1", "--out", out)
	for _, want := range []string{"collector: hint: stop using this stick and hand it to central staff", "collector: 対処: この USB メモリの使用をやめ"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if strings.Contains(stderr, "Notepad") || strings.Contains(stderr, "stick: a private key") {
		t.Errorf("told to correct the file, or the parser's prefix:\n%s", stderr)
	}
	if left, _ := os.ReadDir(out); code != 2 || len(left) != 0 {
		t.Errorf("exit %d, left %v; want 2, nothing", code, left)
	}
}

// TestFoldersBesideSettings: the settings' relative output, the default
// bundles and return folders are beside the settings file read, the
// stick's: a collector run from elsewhere (copied to the machine, or a
// replay on Linux) with --config E:\actcourier.conf wrote its bundle
// beside itself, on the machine, and the stick carried nothing back.
// With no settings file read (--recipient only) they are beside the
// collector.
func TestFoldersBesideSettings(t *testing.T) {
	id := newKey(t)
	for _, tc := range []struct {
		name, output, want string
	}{
		{"default bundles", "", "bundles"},
		{"the settings' output", "output = collected\n", "collected"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stickDir := t.TempDir()
			conf := filepath.Join(stickDir, stick.FileName)
			os.WriteFile(conf, []byte("recipient = "+id.Recipient().String()+"\n"+tc.output), 0o644)
			code, _, stderr := runCollector(t, "", "--config", conf, "--no-prompt", "--snapshot", archetype, "--line", "L1", "--asset", "A-1")
			t.Cleanup(func() { os.RemoveAll(filepath.Join(exeDir(), tc.want)) })
			if code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			openOnly(t, filepath.Join(stickDir, tc.want), id)
			if _, err := os.Stat(filepath.Join(exeDir(), tc.want)); err == nil {
				t.Errorf("a folder %s beside the collector too", tc.want)
			}
		})
	}
	// The return folder is the stick's too (return files come on it).
	for _, tc := range []struct{ cfgPath, want string }{
		{filepath.Join("E", stick.FileName), "E"},
		{"", exeDir()},
	} {
		if got := stickFolder(tc.cfgPath); got != tc.want {
			t.Errorf("stickFolder(%q) = %q, want %q", tc.cfgPath, got, tc.want)
		}
	}
}
