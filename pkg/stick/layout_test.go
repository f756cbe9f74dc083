package stick

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/text/encoding/japanese"

	"github.com/actcourier/actcourier/pkg/sjis"
)

// TestLauncher: the launcher on a stick says how the collector ended, in
// words, for every exit code the collector has (and when it is missing
// or ends otherwise); in English on every console, in Japanese on a
// Japanese one. It is Shift_JIS with CRLF, and every byte a non-Japanese
// console would misread sits after the jump that only code page 932
// takes.
func TestLauncher(t *testing.T) {
	dir := t.TempDir()
	c := &Config{Recipients: []string{r1}, Site: "Nagoya", Lines: []string{"L1"}}
	if _, err := Prepare(dir, c, nil, false); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(filepath.Join(dir, "ActCourier.cmd"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Count(raw, []byte("\n")) != bytes.Count(raw, []byte("\r\n")) {
		t.Error("launcher lines do not all end in CRLF")
	}
	text, ok := sjis.Decode(raw)
	src, _ := files.ReadFile("files/ActCourier.cmd")
	if !ok || strings.ReplaceAll(text, "\r\n", "\n") != string(src) {
		t.Fatal("launcher is not the embedded file in Shift_JIS")
	}
	want, _ := japanese.ShiftJIS.NewEncoder().Bytes(src)
	if !bytes.Equal(bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), want) {
		t.Error("launcher's Shift_JIS differs from x/text's")
	}
	ja := strings.Index(text, "\r\n:ja\r\n")
	if ja < 0 || strings.IndexFunc(text[:ja], func(r rune) bool { return r > 0x7e }) >= 0 {
		t.Error("non-ASCII text before the Japanese section")
	}
	// info: the collector's help or version, exit 0, nothing collected.
	for _, code := range []string{"0", "1", "2", "130", "9009", "info"} {
		for _, say := range []string{`if "%RC%"=="` + code + `" echo Result: `, `if "%RC%"=="` + code + `" echo 結果: `} {
			if !strings.Contains(text, say) {
				t.Errorf("launcher lacks %q", say)
			}
		}
	}
	for _, want := range []string{"if not defined KNOWN echo Result: ", "if not defined KNOWN echo 結果: ", `if "%CP%"=="932" goto ja`, "exit /b %CODE%"} {
		if !strings.Contains(text, want) {
			t.Errorf("launcher lacks %q", want)
		}
	}
	for _, l := range strings.Split(text, "\r\n") {
		_, said, ok := strings.Cut(l, " echo ")
		if !ok {
			continue
		}
		// Every line it shows fits a 40-column console, less its last
		// column (where a full line leaves an empty one below): the
		// console folds a longer one mid-word. An exit code that no
		// case names (%RC%) may take 11 columns (-2147483648).
		n := 0
		for _, r := range strings.ReplaceAll(said, "%RC%", "-2147483648") {
			n++
			if r >= 0x1100 {
				n++
			}
		}
		if n > 39 {
			t.Errorf("%d columns, want at most 39: %s", n, said)
		}
		// Wine's cmd.exe takes a "(" in what an if's echo says for a
		// block, and runs what follows its ")" as a command, whichever
		// way the if goes: every run on a Japanese console ended in
		// "... を内部または外部コマンド ... として認識できません".
		if strings.ContainsAny(said, "()") {
			t.Errorf("a parenthesis in what it says: %s", said)
		}
	}
	// cmd.exe must never see \, | or ^ as the second byte of a Japanese
	// character: the launcher avoids such characters.
	for i := 0; i < len(raw); i++ {
		if raw[i] >= 0x81 && raw[i] <= 0xFC && raw[i] != 0xA0 && !(raw[i] >= 0xA1 && raw[i] <= 0xDF) {
			if next := raw[i+1]; next == '\\' || next == '|' || next == '^' {
				t.Errorf("Japanese character % X has a %q byte", raw[i:i+2], next)
			}
			i++
		}
	}
}

// TestGuide: the guide on the stick names every exit code the launcher
// knows, says what to do when the screen says NOT activated, and what to
// do with the stick afterwards, in both languages.
func TestGuide(t *testing.T) {
	guide, err := files.ReadFile("files/README-ja-en.txt")
	if err != nil {
		t.Fatal(err)
	}
	g := string(guide)
	for _, want := range []string{"0 ", "1 ", "2 ", "130", "9009", "NOT activated", "未認証", "URGENT", "緊急",
		"After the round", "巡回の後", "Ctrl-C", "any_line", "管理者として実行", "Run as administrator"} {
		if !strings.Contains(g, want) {
			t.Errorf("guide lacks %q", want)
		}
	}
	for _, stale := range []string{"asked for site"} {
		if strings.Contains(g, stale) {
			t.Errorf("guide still says %q", stale)
		}
	}
}

// TestPrepareTempSymlink: a stick holder leaves a symbolic link under the
// temporary names Prepare once used. Preparing the stick again must not
// write through it to a file of the central workstation (here the site's
// identity file), nor truncate that file.
func TestPrepareTempSymlink(t *testing.T) {
	stickDir, home := t.TempDir(), t.TempDir()
	victim := filepath.Join(home, "site-key.txt")
	secret := []byte("AGE-SECRET-KEY-1...\n")
	if err := os.WriteFile(victim, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{FileName, "ActCourier.cmd", "README-ja-en.txt"} {
		if err := os.Symlink(victim, filepath.Join(stickDir, "."+name+".tmp")); err != nil {
			t.Skip(err)
		}
	}
	c := &Config{Recipients: []string{r1}, Site: "Nagoya", Lines: []string{"L1"}}
	Prepare(stickDir, c, nil, false) // its error, if any, does not matter
	if got, _ := os.ReadFile(victim); !bytes.Equal(got, secret) {
		t.Fatalf("Prepare wrote through a link on the stick into %s: now %q", victim, got)
	}
}

// TestPrepareOverLink: a link left under a file's own name counts as a
// file (refused without --force) and, with --force, is replaced, never
// written through.
func TestPrepareOverLink(t *testing.T) {
	if runtime.GOOS == "windows" {
		// Under Wine a link to a Linux path is no file to a Windows
		// program; on Windows, making one needs an administrator.
		t.Skip("a symbolic link as Unix file systems have them")
	}
	stickDir, home := t.TempDir(), t.TempDir()
	victim := filepath.Join(home, "site-key.txt")
	secret := []byte("AGE-SECRET-KEY-1...\n")
	if err := os.WriteFile(victim, secret, 0o600); err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(stickDir, FileName)
	if err := os.Symlink(victim, conf); err != nil {
		t.Skip(err)
	}
	c := &Config{Recipients: []string{r1}, Site: "Nagoya", Lines: []string{"L1"}}
	if _, err := Prepare(stickDir, c, nil, false); !errors.Is(err, ErrExists) {
		t.Errorf("without force: %v, want ErrExists", err)
	}
	if _, err := Prepare(stickDir, c, nil, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(victim); !bytes.Equal(got, secret) {
		t.Errorf("Prepare wrote through %s into %s: now %q", conf, victim, got)
	}
	if fi, err := os.Lstat(conf); err != nil || !fi.Mode().IsRegular() {
		t.Errorf("%s after --force: %v %v", conf, fi.Mode(), err)
	}
}

// TestWriteAtomic: a return file or the stick's settings are the
// user's alone (0600), and no temporary file is left.
func TestWriteAtomic(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no such mode bits")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "atomic")
	if err := WriteAtomic(name, func(f *os.File) error { _, err := f.WriteString("x"); return err }); err != nil {
		t.Fatal(err)
	}
	if got, err := os.Stat(name); err != nil || got.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, %v; want 0600", got.Mode().Perm(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the folder, want 1: no temporary file left", len(entries))
	}
}

// TestPrepareModes: the files of a stick get the mode any new file of
// the user gets (0666 less the umask, as os.Create gives: 0644 under the
// usual umask), not 0600: nothing on a stick is secret (the site's
// public key, the settings, the launcher, the guide, the collector
// builds; the private key never goes on it), and a stick prepared in a
// folder that another account copies out (a share) was unreadable to
// it. No x bit: Windows runs a program without one.
func TestPrepareModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows has no such mode bits")
	}
	dir := t.TempDir()
	probe, err := os.Create(filepath.Join(t.TempDir(), "probe"))
	if err != nil {
		t.Fatal(err)
	}
	probe.Close()
	fi, err := os.Stat(probe.Name())
	if err != nil {
		t.Fatal(err)
	}
	want := fi.Mode().Perm()
	c := &Config{Recipients: []string{r1}, Site: "Nagoya", Lines: []string{"L1"}}
	builds := map[string][]byte{Builds[0]: []byte("MZ386"), Builds[1]: []byte("MZamd64")}
	written, err := Prepare(dir, c, builds, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 5 {
		t.Errorf("got %d files written, want 5: %v", len(written), written)
	}
	for _, name := range written {
		fi, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s: got mode %v, want %v as os.Create gives", filepath.Base(name), got, want)
		}
	}
}

// TestCollectorNamedOnce: the stick's Japanese words (its guide, the
// settings file Marshal writes) call the collector 収集プログラム, as its
// screens and ActCourier.cmd do: an engineer who reads コレクター on
// the guide's first line and 収集プログラム on the screen may take them
// for two programs.
func TestCollectorNamedOnce(t *testing.T) {
	guide, err := files.ReadFile("files/README-ja-en.txt")
	if err != nil {
		t.Fatal(err)
	}
	conf, err := Marshal(&Config{Recipients: []string{"age1awy0gu05eesf4hn8g42mg9sgxk0fncsdcwxnxh7rufdk3pj9du2ssx579u"}, Site: "Nagoya", Lines: []string{"L1"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]string{"README-ja-en.txt": string(guide), FileName: string(conf)} {
		for _, l := range strings.Split(s, "\n") {
			if strings.Contains(l, "コレクター") {
				t.Errorf("%s: got %q, want 収集プログラム for the collector", name, strings.TrimSpace(l))
			}
		}
		if !strings.Contains(s, "収集プログラム") {
			t.Errorf("%s: got no 収集プログラム, want the collector named so", name)
		}
	}
}

// TestGuideSpacing: the guide's Japanese puts a half-width space only
// around ASCII words and between the katakana words of one term
// (プロダクト キー), as Microsoft's Japanese does; one after a kanji or
// kana word before another reads as a stray gap.
func TestGuideSpacing(t *testing.T) {
	guide, err := files.ReadFile("files/README-ja-en.txt")
	if err != nil {
		t.Fatal(err)
	}
	stray := regexp.MustCompile(`[\p{Hiragana}\p{Han}、。] [\p{Hiragana}\p{Katakana}\p{Han}「]`)
	for i, l := range strings.Split(string(guide), "\n") {
		if m := stray.FindString(l); m != "" {
			t.Errorf("line %d: got %q in %q, want no space between Japanese words", i+1, m, l)
		}
	}
}
