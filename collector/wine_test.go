package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
)

// wineEnv is the environment of a Wine run of arch (win64, win32) that
// keeps everything inside dir: the prefix, the wineserver's socket folder
// (Wine makes a wine-XXXXXX folder in TMPDIR), and anything written under
// HOME or the XDG folders (menus, desktop files). The wineserver is
// stopped when the test ends, before dir is removed.
func wineEnv(t *testing.T, dir, arch string) []string {
	t.Helper()
	env := append(os.Environ(), "WINEPREFIX="+filepath.Join(dir, "prefix"), "WINEARCH="+arch, "TMPDIR="+filepath.Join(dir, "tmp"),
		"HOME="+filepath.Join(dir, "home"), "XDG_CONFIG_HOME="+filepath.Join(dir, "home", ".config"),
		"XDG_DATA_HOME="+filepath.Join(dir, "home", ".local", "share"), "XDG_CACHE_HOME="+filepath.Join(dir, "home", ".cache"),
		"WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml=;winemenubuilder.exe=d")
	for _, d := range []string{"tmp", "home"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() {
		kill := exec.Command("wineserver", "-k")
		kill.Env = env
		kill.Run()
		// Wine made its server folder in our TMPDIR, not in the system's.
		if found, _ := filepath.Glob(filepath.Join(dir, "tmp", "wine-*")); len(found) == 0 {
			t.Error("no wine-* folder in the test's TMPDIR: Wine wrote it elsewhere")
		}
	})
	return env
}

// TestUnderWine builds the Windows 7 collectors (Go 1.20.14) and runs a
// real live collection under Wine, whose WMI reports Windows 7
// Professional 6.1.7601: the 64-bit build on a 64-bit prefix, the 32-bit
// build on a 64-bit prefix (WoW64) and on a 32-bit one. Each prefix holds
// a Japanese slmgr.ini in the native System32 (a 32-bit collector reaches
// it only through Sysnative) and ospp.vbs in both Program Files trees and
// in folders named by both registry views. The test opens the bundle and
// checks the facts Wine gives, what it lacks (recorded as missing), the
// slmgr.ini copied and every ospp.vbs found. Wine's licensing product has
// no application ID: the screen must rate the machine as the importer
// does, not call it fine. On the 64-bit prefix, ActCourier.cmd on a
// prepared stick then says in words how the collector ended.
//
// The 32-bit cases need Debian's wine32 (i386), which .ci/deps.sh tries to
// install, and a kernel that runs 32-bit programs; without either they are
// skipped, saying why (make test lists the skip in its summary).
func TestUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Wine run")
	}
	wine, err := exec.LookPath("wine")
	if err != nil {
		t.Fatal("wine is not installed: run `make deps` (apt-get install wine64)")
	}
	tests := []struct {
		name     string
		goarch   string
		winearch string
		ospp     []string // folders whose ospp.vbs the collector must run
	}{
		{"amd64 on 64-bit Windows", "amd64", "win64",
			[]string{`C:\Program Files\Microsoft Office\Office14`, `C:\Program Files (x86)\Microsoft Office\Office15`, `C:\Office64\Office16`, `C:\Office32\Office16`}},
		{"386 on 64-bit Windows (WoW64)", "386", "win64",
			[]string{`C:\Program Files\Microsoft Office\Office14`, `C:\Program Files (x86)\Microsoft Office\Office15`, `C:\Office64\Office16`, `C:\Office32\Office16`}},
		{"386 on 32-bit Windows", "386", "win32",
			[]string{`C:\Program Files\Microsoft Office\Office14`, `C:\Office32\Office16`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.goarch == "386" || tc.winearch == "win32" {
				if reason := noWine32(t); reason != "" {
					t.Skip("SKIPPED, NOT RUN: the 32-bit collector under Wine: " + reason)
				}
			}
			dir := t.TempDir()
			exe := filepath.Join(dir, "collector.exe")
			// Built as make build ships it (Makefile COLLECTOR_TAGS), so
			// the program proven under Wine is the one on the stick.
			build := exec.Command("go", "build", "-trimpath", "-tags", "urfave_cli_no_docs", "-gcflags=all=-l", "-o", exe, ".")
			build.Env = append(os.Environ(), "GOTOOLCHAIN=go1.20.14", "GOOS=windows", "GOARCH="+tc.goarch, "CGO_ENABLED=0")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("building with Go 1.20.14: %v\n%s", err, out)
			}
			env := wineEnv(t, dir, tc.winearch)
			prefix := newPrefix(t, wine, env, filepath.Join(dir, "prefix"), tc.winearch)

			id := newKey(t)
			out := filepath.Join(dir, "stick", "bundles")
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			var stdout, stderr bytes.Buffer
			if _, err := wineRun(t, func() *exec.Cmd {
				os.RemoveAll(out)
				stdout.Reset()
				stderr.Reset()
				cmd := exec.CommandContext(ctx, wine, exe, "--no-prompt", "-r", id.Recipient().String(),
					"--site", "WineSite", "--line", "W1", "--asset", "WINE-1", "--out", winPath(out), "--timeout", "60s")
				cmd.Env = env
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				return cmd
			}); err != nil {
				t.Fatalf("collector under wine: %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			for _, want := range []string{"Microsoft Windows 7 Professional", "Verdict / 判定: URGENT / 緊急 [urgent]", "no Windows license could be read"} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("summary lacks %q:\n%s", want, stdout.String())
				}
			}
			if strings.Contains(stdout.String(), ": activated") {
				t.Errorf("the screen calls something activated:\n%s", stdout.String())
			}
			if !strings.Contains(stderr.String(), "Running / 実行: slmgr.vbs /dlv all, up to 1 min / 最大 1 分") {
				t.Errorf("no progress with the time limit:\n%s", stderr.String())
			}
			b := openOnly(t, out, id)
			s, err := licensing.Unmarshal(member(t, b, licensing.MemberName))
			if err != nil {
				t.Fatal(err)
			}
			if s.OS.Caption != "Microsoft Windows 7 Professional" || s.OS.Version != "6.1.7601" || s.OS.Source != licensing.SourceWMI {
				t.Errorf("OS %+v", s.OS)
			}
			if s.Context.Site != "WineSite" || s.Context.Collected.IsZero() {
				t.Errorf("context %+v", s.Context)
			}
			// Wine's SoftwareLicensingProduct has LicenseStatus (1) and little else.
			found := false
			for _, p := range s.Products {
				if p.Source == licensing.SourceWMI && p.StatusRaw == "1" && p.Status == licensing.StatusLicensed {
					found = true
				}
			}
			if !found {
				t.Errorf("no SoftwareLicensingProduct license status from WMI: %+v", s.Products)
			}
			missing := strings.Join(s.Missing, " ")
			for _, m := range []string{"SoftwareLicensingProduct.PartialProductKey", "SoftwareLicensingService", "Win32_EncryptableVolume"} {
				if !strings.Contains(missing, m) {
					t.Errorf("%s not recorded as missing: %s", m, missing)
				}
			}
			// Wine's cscript runs no slmgr.vbs: recorded, not fatal.
			if len(s.Raw) < 2 || s.Raw[0].Error == "" {
				t.Errorf("raw %+v", s.Raw)
			}
			// The native System32 (Sysnative for the 32-bit build on 64-bit).
			if got, _ := b.Member("slmgr/0411/slmgr.ini"); !bytes.Equal(got, prefix.slmgrINI) {
				t.Errorf("slmgr/0411/slmgr.ini: got %q, want the one in the native System32", got)
			}
			var ran []string
			for _, r := range s.Raw {
				if strings.HasPrefix(r.Command, "ospp.vbs") {
					ran = append(ran, strings.ToLower(r.Command))
				}
			}
			for _, d := range tc.ospp {
				want := strings.ToLower("ospp.vbs /dstatus (" + d + ")")
				if !contains(ran, want) {
					t.Errorf("ospp.vbs in %s not run; ran %q", d, ran)
				}
			}
			if tc.goarch == "amd64" {
				t.Run("launcher", func(t *testing.T) { testLauncher(t, wine, exe, env, id.Recipient().String()) })
			}
			t.Run("return file", func(t *testing.T) { testReturnUnderWine(t, wine, exe, env, id.Recipient().String()) })
		})
	}
}

// testLauncher prepares a stick and runs ActCourier.cmd under Wine's
// cmd.exe: its last words say how the collector ended, and it ends with
// the collector's exit code.
func testLauncher(t *testing.T, wine, exe string, env []string, recipient string) {
	data, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "E")
	cfg, err := stick.NewConfig([]string{recipient}, "WineSite", "L1,L2", "E-9")
	if err != nil {
		t.Fatal(err)
	}
	builds := map[string][]byte{stick.Builds[0]: data, stick.Builds[1]: data}
	if _, err := stick.Prepare(dir, cfg, builds, false); err != nil {
		t.Fatal(err)
	}
	snap, _ := filepath.Abs(archetype)
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"saved", []string{"--no-prompt", "--snapshot", winPath(snap), "--line", "L2"}, 0, "Result: saved [exit code 0].\r\nThe bundle is on this stick.\r\n"},
		// What cmd.exe says of exit 1 once held a parenthesis, which
		// Wine's cmd.exe took for a block: its last words were lost.
		// The output folder is under a file: the stick refuses it.
		{"not saved", []string{"--no-prompt", "--snapshot", winPath(snap), "--line", "L2", "--out", winPath(filepath.Join(dir, "ActCourier.cmd", "bundles"))}, 1,
			"Result: NOT saved [exit code 1].\r\nThe stick took no bundle: it is full,\r\nwrite-protected, pulled out or refused.\r\nDo what the hint above says.\r\n"},
		{"wrong line", []string{"--no-prompt", "--line", "L9", "--asset", "A-1"}, 2, "Result: NOT saved [exit code 2].\r\nA setting, an option or an answer\r\nwas wrong.\r\n"},
		// A --snapshot file that is not there: the launcher blamed the
		// stick (exit 1, "it is full, write-protected, pulled out or
		// refused"); the collector names the file and the launcher
		// points to its hint.
		{"snapshot missing", []string{"--no-prompt", "--snapshot", winPath(snap + ".missing"), "--line", "L2"}, 2,
			"collector: error: the snapshot file " + winPath(snap+".missing") + " does not"},
		{"snapshot missing, the launcher", []string{"--no-prompt", "--snapshot", winPath(snap + ".missing"), "--line", "L2"}, 2,
			"Result: NOT saved [exit code 2].\r\nA setting, an option or an answer\r\nwas wrong.\r\nDo what the hint above says,\r\n"},
		// The version or the help, which collect nothing, exit 0: the
		// launcher said "Result: saved [exit code 0]. The bundle is on
		// this stick." under them.
		{"version", []string{"--version"}, 0, "collector version "},
		{"version, the launcher", []string{"--version"}, 0, "\r\nResult: not collected [exit code 0].\r\nThe collector only showed its help\r\nor version; nothing was saved.\r\n"},
		{"help", []string{"--line", "L2", "--help"}, 0, "EXIT STATUS:"},
		{"help, the launcher", []string{"--line", "L2", "-h"}, 0, "\r\nResult: not collected [exit code 0].\r\nThe collector only showed its help\r\nor version; nothing was saved.\r\n"},
		// Go's flags take two dashes before a letter too: --h is the
		// help, which the launcher called saved.
		{"help as --h, the launcher", []string{"--h"}, 0, "\r\nResult: not collected [exit code 0].\r\n"},
		{"a mistake before help", []string{"-v", "--help"}, 2, "Result: NOT saved [exit code 2].\r\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var o bytes.Buffer
			cmd, _ := wineRun(t, func() *exec.Cmd {
				o.Reset()
				cmd := exec.Command(wine, append([]string{"cmd", "/c", winPath(filepath.Join(dir, "ActCourier.cmd"))}, tc.args...)...)
				cmd.Env, cmd.Stdin = env, strings.NewReader("\r\n")
				cmd.Stdout, cmd.Stderr = &o, &o
				return cmd
			})
			if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(o.String(), tc.want) {
				t.Errorf("got exit %d (%s), want %d with %q:\n%s", code, cmd.ProcessState, tc.code, tc.want, o.String())
			}
			// "saved" only of a bundle written.
			if saved := strings.Contains(o.String(), "Result: saved"); saved != (tc.name == "saved") {
				t.Errorf("the launcher says \"Result: saved\": %v, want %v:\n%s", saved, tc.name == "saved", o.String())
			}
		})
	}
}

// wineRun runs the command newCmd makes, and once more, with a new one,
// when a signal ended it: under load, Wine has killed (SIGKILL) a Go
// 1.20 Windows program as it exited, after it had done all its work and
// printed its whole screen (three times in make test, once in make bench; a
// Windows program has no signal to end by). newCmd starts each run
// afresh: it empties the buffers and the folders a run fills. A second
// kill is returned as it is, and fails the caller's checks.
func wineRun(t *testing.T, newCmd func() *exec.Cmd) (*exec.Cmd, error) {
	t.Helper()
	cmd := newCmd()
	err := cmd.Run()
	if killedBySignal(cmd) {
		t.Logf("Wine ended the program by a signal (%s); running it once more", cmd.ProcessState)
		cmd = newCmd()
		err = cmd.Run()
	}
	return cmd, err
}

// killedBySignal reports whether the command ran and a signal ended it.
func killedBySignal(cmd *exec.Cmd) bool {
	if cmd.ProcessState == nil {
		return false
	}
	ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled()
}

// winPath is a Linux path as Wine's Z: drive names it.
func winPath(p string) string { return "Z:" + strings.ReplaceAll(p, "/", `\`) }

func contains(list []string, s string) bool {
	for _, l := range list {
		if l == s {
			return true
		}
	}
	return false
}

// noWine32 says why this machine cannot run 32-bit Windows programs under
// Wine, or "" if it can.
func noWine32(t *testing.T) string {
	t.Helper()
	var why []string
	// Wine's 32-bit loader is a 32-bit Linux program: try one of ours.
	dir := t.TempDir()
	probe := filepath.Join(dir, "probe")
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("go", "build", "-o", probe, "main.go")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOOS=linux", "GOARCH=386", "CGO_ENABLED=0", "GO111MODULE=off", "GOFLAGS=")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building a 386 probe: %v\n%s", err, out)
	}
	if err := exec.Command(probe).Run(); errors.Is(err, syscall.ENOEXEC) {
		why = append(why, "this kernel does not run 32-bit programs (its 32-bit emulation is off: boot option ia32_emulation)")
	}
	// Debian's wine32 package installs the 32-bit loader here.
	if _, err := os.Stat("/usr/lib/wine/wine"); err != nil {
		why = append(why, "wine32 is not installed (Debian's wine32:i386: .ci/deps.sh tries to install it and says why it could not; docs/reliability.md)")
	}
	return strings.Join(why, "; and ")
}

type winePrefix struct {
	slmgrINI []byte
}

// newPrefix makes a Wine prefix of arch (win64, win32) and puts in it what
// the collector looks for: a Japanese slmgr.ini in the native System32,
// ospp.vbs in both Program Files trees, and Office InstallRoot keys in
// both registry views, each naming a folder with an ospp.vbs.
func newPrefix(t *testing.T, wine string, env []string, dir, arch string) winePrefix {
	t.Helper()
	var out bytes.Buffer
	wineIn := func(args ...string) error {
		_, err := wineRun(t, func() *exec.Cmd {
			out.Reset()
			cmd := exec.Command(wine, args...)
			cmd.Env, cmd.Stdout, cmd.Stderr = env, &out, &out
			return cmd
		})
		return err
	}
	run := func(args ...string) {
		t.Helper()
		if err := wineIn(args...); err != nil {
			t.Fatalf("wine %s: %v\n%s", strings.Join(args, " "), err, out.String())
		}
	}
	boot := func() error { return wineIn("wineboot", "-i") }
	// Wine 8 now and then fails to make a prefix ("failed to open
	// C:\windows\syswow64\rundll32.exe: c0000135", exit 1, once in a
	// full make test; the same test passed right after): a new prefix,
	// once more, after its wineserver is gone.
	if err := boot(); err != nil {
		t.Logf("wine wineboot -i: %v; a new prefix once more:\n%s", err, out.String())
		kill := exec.Command("wineserver", "-k")
		kill.Env = env
		kill.Run()
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := boot(); err != nil {
			t.Fatalf("wine wineboot -i: %v\n%s", err, out.String())
		}
	}
	c := filepath.Join(dir, "drive_c")
	p := winePrefix{slmgrINI: []byte("[Strings]\r\nL_MsgLicenseStatusLicensed_1=\"ライセンスされています\"\r\n")}
	write := func(name string, data []byte) {
		t.Helper()
		f := filepath.Join(c, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	vbs := []byte("WScript.Echo \"not Office\"\r\n")
	write("windows/system32/slmgr/0411/slmgr.ini", p.slmgrINI)
	write("Program Files/Microsoft Office/Office14/ospp.vbs", vbs)
	write("Office32/Office16/ospp.vbs", vbs)
	key := `HKLM\Software\Microsoft\Office\16.0\Common\InstallRoot`
	if arch == "win64" {
		write("Program Files (x86)/Microsoft Office/Office15/ospp.vbs", vbs)
		write("Office64/Office16/ospp.vbs", vbs)
		run("reg", "add", key, "/v", "Path", "/d", `C:\Office64\Office16\`, "/f", "/reg:64")
		run("reg", "add", key, "/v", "Path", "/d", `C:\Office32\Office16\`, "/f", "/reg:32")
	} else {
		run("reg", "add", key, "/v", "Path", "/d", `C:\Office32\Office16\`, "/f")
	}
	return p
}

// TestWMIMethodsUnderWine proves the COM plumbing that applying a return
// file uses (winwmi.Exec: SWbemServices.Get, Methods_.Item(…).InParameters,
// SpawnInstance_ where there is one, puts, ExecMethod_, ReturnValue and
// out-parameters, and a COM error's HRESULT) under Wine, with the WMI
// methods Wine implements: StdRegProv's CreateKey, SetStringValue and
// GetStringValue. Wine has no licensing methods, so
// DepositOfflineConfirmationId itself is proven against a fake with its
// documented semantics (collect's simulation). The Windows test program
// is winwmi's own test, built with Go 1.20.14 and run in a prefix inside
// the test's folder.
func TestWMIMethodsUnderWine(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no Wine run")
	}
	wine, err := exec.LookPath("wine")
	if err != nil {
		t.Fatal("wine is not installed: run `make deps` (apt-get install wine64)")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "winwmi.test.exe")
	build := exec.Command("go", "test", "-c", "-o", exe, "./winwmi")
	build.Env = append(os.Environ(), "GOTOOLCHAIN=go1.20.14", "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building winwmi's test with Go 1.20.14: %v\n%s", err, out)
	}
	env := wineEnv(t, dir, "win64")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// Wine once killed this run after its test had passed, as it has the
	// collector's own (wineRun): a run a signal ends is run once more.
	var out bytes.Buffer
	_, err = wineRun(t, func() *exec.Cmd {
		out.Reset()
		cmd := exec.CommandContext(ctx, wine, exe, "-test.run", "^TestExec$", "-test.v")
		cmd.Env = append(env, "ACTCOURIER_WMI_EXEC=1")
		cmd.Stdout, cmd.Stderr = &out, &out
		return cmd
	})
	if err != nil || !strings.Contains(out.String(), "--- PASS: TestExec") {
		t.Fatalf("winwmi's TestExec under Wine: %v\n%s", err, out.String())
	}
	t.Logf("%s", out.String())
}

// testReturnUnderWine puts a return file for another machine on the
// stick: the Windows build opens it (age's scrypt, 128 MiB, in a Go 1.20
// Windows program), finds nothing for Wine's machine and collects as
// usual; with a wrong passphrase it stops with exit 2 and writes nothing.
func testReturnUnderWine(t *testing.T, wine, exe string, env []string, recipient string) {
	dir := t.TempDir()
	r := returnItems(t, activationSnapshot, nil)
	var b bytes.Buffer
	if err := activation.WriteReturn(&b, r, passphrase, activation.DefaultWorkFactor); err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "return"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "return", r.ID+activation.ReturnExt), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, pass string
		code       int
		want       string
	}{
		{"another machine's", passphrase, 0, "The return file holds nothing for this machine"},
		{"wrong passphrase", "not it at all", 2, "the passphrase does not open it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(dir, tc.name)
			var o bytes.Buffer
			cmd, _ := wineRun(t, func() *exec.Cmd {
				os.RemoveAll(out)
				o.Reset()
				cmd := exec.Command(wine, exe, "--no-prompt", "--apply", "-r", recipient, "--site", "WineSite", "--line", "W1", "--asset", "WINE-2",
					"--out", winPath(out), "--return", winPath(filepath.Join(dir, "return")), "--timeout", "60s")
				cmd.Env = append(env, returnPassphraseEnv+"="+tc.pass)
				cmd.Stdout, cmd.Stderr = &o, &o
				return cmd
			})
			screen := strings.Join(strings.Fields(o.String()), " ")
			if code := cmd.ProcessState.ExitCode(); code != tc.code || !strings.Contains(screen, tc.want) {
				t.Fatalf("exit %d (%s), want %d with %q:\n%s", code, cmd.ProcessState, tc.code, tc.want, o.String())
			}
			files, _ := filepath.Glob(filepath.Join(out, "*"+bundle.Ext))
			if (len(files) == 1) != (tc.code == 0) {
				t.Errorf("%d bundles written", len(files))
			}
		})
	}
}

// TestWineRunOnceMore: a run a signal ended is run once more, with a
// command made anew; a second such end is returned as it is.
func TestWineRunOnceMore(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh to stand in for Wine")
	}
	for _, tc := range []struct {
		name    string
		scripts []string // the runs' sh scripts, in order
		runs    int
		killed  bool
		code    int
	}{
		{"exits", []string{"exit 3"}, 1, false, 3},
		{"killed, then exits", []string{"kill -9 $$", "exit 0"}, 2, false, 0},
		{"killed twice", []string{"kill -9 $$", "kill -9 $$", "exit 0"}, 2, true, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			n := 0
			cmd, err := wineRun(t, func() *exec.Cmd {
				n++
				return exec.Command("sh", "-c", tc.scripts[n-1])
			})
			if n != tc.runs || killedBySignal(cmd) != tc.killed || cmd.ProcessState.ExitCode() != tc.code || (err == nil) != (tc.code == 0) {
				t.Errorf("%d runs, killed %v, exit %d, err %v; want %d runs, killed %v, exit %d",
					n, killedBySignal(cmd), cmd.ProcessState.ExitCode(), err, tc.runs, tc.killed, tc.code)
			}
		})
	}
}
