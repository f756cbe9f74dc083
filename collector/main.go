// Command collector runs from a USB stick on a disconnected Windows machine
// and writes one encrypted bundle of its activation state to the stick.
//
// It must build with Go 1.20 for windows/386 and windows/amd64, the last Go
// that runs on Windows 7 SP1.
//
// Everything the engineer reads is in English and Japanese: the banner,
// the questions, the check before collecting, progress, the result with
// the verdict the importer will give, errors and what to do about them.
//
// Exit codes: 0 the bundle was written; 1 it could not be written (stick
// full, read-only or pulled); 2 usage or settings error (no recipient,
// missing site/line/asset with --no-prompt, a line not in the settings,
// bad config file, a --snapshot file missing or unreadable); 3 an internal fault (a bug: the
// collector stopped on a panic); 130 interrupted (Ctrl-C), at a question
// or while collecting, nothing left behind.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/version"
)

func main() {
	// One reader of the console for the questions and the pause at the
	// end, so that an answer cut short by Ctrl-C does not swallow the
	// Enter that closes the window.
	in := newLineReader(os.Stdin)
	con := console{in: in, out: os.Stdout, err: os.Stderr, interactive: isTerminal(os.Stdin),
		outWidth: consoleWidth(os.Stdout), width: consoleWidth(os.Stderr)}
	con.secret = askSecret(in, con.out, con.outWidth)
	code := run(os.Args, con)
	if ownConsole() {
		code = closeWindow(con, code)
	}
	os.Exit(code)
}

// console is where the collector talks to the engineer: the real console,
// or buffers in tests.
type console struct {
	in          io.Reader
	out, err    io.Writer
	interactive bool // a person types into in, so missing answers are asked for
	// outWidth and width are the columns of the consoles out and err
	// show (consoleWidth), which the screen and the errors are wrapped
	// to; 0 when one is not a console (a file, a pipe, a test's
	// buffer): one line each.
	outWidth, width int
	// secret asks for a passphrase without echo (a return file's); it
	// gives way to Ctrl-C when ctx ends.
	secret func(ctx context.Context, prompt string) (string, error)
}

func run(args []string, con console) int {
	// Ctrl-C stops the collection (running scripts are killed) and nothing
	// is written; once writing has begun it finishes, which takes a moment,
	// so no half-written file is left on the stick.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return runContext(ctx, args, con)
}

// exitStatus is the EXIT STATUS block of the collector's --help: each
// code and what it means.
var exitStatus = [...]struct{ code, what string }{
	{"0", "the bundle was written; its name and the verdict are shown"},
	{"1", "it could not be written (stick missing, full or write-protected); nothing was left behind"},
	{"2", "a setting, an option or an answer is wrong: no recipient, bad settings file, a line not in the settings' lines, " +
		"site/line/asset missing with --no-prompt or the input ended before an answer, a --snapshot file missing or unreadable, " +
		"no --snapshot on a system other than Windows; a return file that does not open (wrong passphrase, damaged, newer), " +
		"or --apply without its passphrase: nothing collected or applied"},
	{"3", "an internal fault (a bug in the collector): tell central staff what the screen shows"},
	{"130", "interrupted (Ctrl-C), at a question or while collecting; nothing was left behind"},
}

// helpText is the collector's --help (it has options, no commands) for
// a console of width columns, wrapped as the rest of the screen
// (printMessage; 0: a file, one line each): each option on a line of its
// own and what it does below it, eight columns in. urfave's layout put
// what each does beside the longest option, from column 64: on an
// 80-column console every line ran past the edge and was folded mid-word.
func helpText(app *cli.App, width int) string {
	var b strings.Builder
	b.WriteString("NAME:\n")
	printMessage(&b, "   ", app.Name+" - "+app.Usage, width)
	b.WriteString("\nUSAGE:\n")
	for _, l := range strings.Split(app.UsageText, "\n") {
		printMessage(&b, "   ", l, width)
	}
	b.WriteString("\nVERSION:\n")
	printMessage(&b, "   ", app.Version, width)
	b.WriteString("\nOPTIONS:\n")
	for _, f := range app.VisibleFlags() {
		names, usage, _ := strings.Cut(f.String(), "\t")
		// urfave repeats a repeatable option's names in brackets, on
		// a narrow console onto a line that reads as another option's;
		// its usage says "(repeatable)".
		if i := strings.Index(names, " [ "); i > 0 && strings.HasSuffix(names, " ]") {
			names = names[:i]
		}
		printMessage(&b, "   ", names, width)
		printMessage(&b, "        ", usage, width)
	}
	b.WriteString("\nEXIT STATUS:\n")
	for _, e := range exitStatus {
		printMessage(&b, fmt.Sprintf("   %-5s", e.code), e.what, width)
	}
	return b.String()
}

func runContext(ctx context.Context, args []string, con console) (code int) {
	// What the collector prints comes from this machine and from the
	// stick's settings: it reaches the console only escaped.
	con.out, con.err = terminal.NewWriter(con.out), terminal.NewWriter(con.err)
	// A panic would end the program with Go's exit code 2, which
	// ActCourier.cmd reads as "a setting was wrong: do what the hint
	// says", over a trace and no hint. It is a fault of ours: say so,
	// with what central staff need to find it (printFault). A panic of
	// another goroutine comes here handed over (goroutinePanic), with
	// the trace of where it began.
	defer func() {
		if r := recover(); r != nil {
			stack := debug.Stack()
			if p, ok := r.(*goroutinePanic); ok {
				r, stack = p.value, p.stack
			}
			code = printFault(con.err, r, stack, con.width)
		}
	}()
	app := &cli.App{
		Name:      "collector",
		Usage:     "record this machine's Windows and Office activation state into an encrypted bundle",
		UsageText: "collector [options]\n(on a stick, ActCourier.cmd starts the build that fits this Windows)",
		Version:   fmt.Sprintf("%s (%s/%s, %s)", version.String(), runtime.GOOS, runtime.GOARCH, runtime.Version()),
		// The version is --version alone (checkArgs): urfave's version
		// flag, hidden, took -v too, which an engineer types for
		// "verbose", and printed the version and exited 0 without
		// collecting, which ActCourier.cmd reads as saved.
		HideVersion: true,
		Writer:      con.out,
		ErrWriter:   con.err,
		// Exit codes are decided here, not inside urfave (STYLE.md §5).
		ExitErrHandler:  func(*cli.Context, error) {},
		HideHelpCommand: true,
		// The help is written by helpText when urfave prints it, after
		// it added its help flag to the options.
		CustomAppHelpTemplate: `{{call (index .Metadata "help")}}`,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return usage(say("%v", "コマンドラインの誤り: %v", err), say("collector --help lists the options", "オプションの一覧は collector --help で確認できます"))
		},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Usage: "settings `FILE` (default: " + stick.FileName + " beside the collector)", EnvVars: []string{"ACTCOURIER_CONFIG"}},
			&cli.StringSliceFlag{Name: "recipient", Aliases: []string{"r"}, Usage: "age public key `age1…` that may open the bundle (repeatable)", EnvVars: []string{"ACTCOURIER_RECIPIENT"}},
			&cli.StringFlag{Name: "site", Usage: "factory `SITE` (default: the settings' site)", EnvVars: []string{"ACTCOURIER_SITE"}},
			&cli.StringFlag{Name: "line", Usage: "production `LINE`, one of the settings' lines (unless any_line = yes)", EnvVars: []string{"ACTCOURIER_LINE"}},
			&cli.StringFlag{Name: "asset", Usage: "`ASSET` tag of this machine", EnvVars: []string{"ACTCOURIER_ASSET"}},
			&cli.StringFlag{Name: "engineer", Usage: "your engineer `ID` (default: the settings' engineer)", EnvVars: []string{"ACTCOURIER_ENGINEER"}},
			&cli.StringFlag{Name: "note", Usage: "free `NOTE` stored with the collection", EnvVars: []string{"ACTCOURIER_NOTE"}},
			&cli.StringFlag{Name: "out", Usage: "output `DIR` (default: the settings' output, else bundles; beside the settings file, the stick)", EnvVars: []string{"ACTCOURIER_OUT"}},
			// The default is said once, by urfave from DefaultText: a
			// "(default: …)" in Usage too would print two.
			&cli.DurationFlag{Name: "timeout", Value: 2 * time.Minute, Usage: "time limit for each slmgr/ospp run, a `DURATION` such as 90s or 5m",
				DefaultText: "the settings' timeout, else 2m", EnvVars: []string{"ACTCOURIER_TIMEOUT"}},
			&cli.BoolFlag{Name: "no-prompt", DisableDefaultText: true, Usage: "never ask; fail when site, line or asset is missing", EnvVars: []string{"ACTCOURIER_NO_PROMPT"}},
			&cli.StringFlag{Name: "snapshot", Usage: snapshotUsage},
			&cli.StringFlag{Name: "return", Usage: "`DIR` of return files from central staff, *" + activation.ReturnExt + " (default: " + activation.ReturnDir + " beside the settings file)",
				EnvVars: []string{"ACTCOURIER_RETURN"}},
			&cli.BoolFlag{Name: "apply", DisableDefaultText: true, Usage: "apply this machine's items of the return file without asking (the passphrase in " + returnPassphraseEnv + ")",
				EnvVars: []string{"ACTCOURIER_APPLY"}},
			&cli.BoolFlag{Name: "version", DisableDefaultText: true, Usage: "print the version, and collect nothing"},
		},
		Action: func(c *cli.Context) error {
			if c.Bool("version") {
				// Wrapped as the rest of the screen, not folded mid-word
				// by a narrow console.
				printMessage(c.App.Writer, "", c.App.Name+" version "+c.App.Version, con.outWidth)
				return nil
			}
			if c.NArg() > 0 {
				return usage(say("unexpected argument %q", "不要な引数「%s」があります", c.Args().First()),
					say("give values with their options, e.g. --asset %s; collector --help lists them", "値はオプションとともに指定してください (例: --asset %s)。一覧は collector --help", c.Args().First()))
			}
			return collectAction(c, con)
		},
	}
	app.Metadata = map[string]interface{}{"help": func() string { return helpText(app, con.outWidth) }}
	err := checkArgs(app.Flags, args)
	if err == nil {
		err = app.RunContext(ctx, args)
	}
	if err == nil {
		return 0
	}
	return printError(con.err, err, con.width)
}

// settings are the merged config file, environment and flags.
type settings struct {
	cfgPath       string // the settings file read; "" when none
	recipients    []age.Recipient
	recipientKeys []string // the recipients as given, age1…
	ctx           licensing.Context
	lines         []string
	anyLine       bool
	out           string
	timeout       time.Duration
	noPrompt      bool
	snapshot      string
	returnDir     string // the folder of return files
	apply         bool   // apply without asking
	// commandLine: the collector was started with options, so a hint
	// may name one. ActCourier.cmd double-clicked passes none, and the
	// engineer there can type none.
	commandLine bool
}

// exeDir is the folder of the running collector: the stick.
func exeDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "."
	}
	return filepath.Dir(exe)
}

// stickFolder is the folder the settings' relative output and the
// default bundles and return folders are in: the stick's, where the
// settings file read (cfgPath) is; beside the collector when none was
// read. A double-click reads the file beside the collector, the same
// folder; a collector run from elsewhere with --config E:\actcourier.conf
// (copied to the machine, or a replay on Linux) wrote its bundles beside
// itself, and the stick carried nothing back.
func stickFolder(cfgPath string) string {
	if cfgPath == "" {
		return exeDir()
	}
	return filepath.Dir(cfgPath)
}

// readConfig reads the settings file: --config, else the one beside the
// collector, which may be absent.
func readConfig(c *cli.Context) (*stick.Config, string, error) {
	cfgPath := c.String("config")
	explicit := cfgPath != ""
	if !explicit {
		cfgPath = filepath.Join(exeDir(), stick.FileName)
	}
	data, err := os.ReadFile(cfgPath)
	switch {
	case err == nil:
		cfg, err := stick.Parse(data)
		if err != nil {
			// "stick: bad config" names the parser's package, which
			// the engineer would read as the USB stick: the file is
			// named instead.
			why := strings.TrimPrefix(strings.TrimPrefix(err.Error(), stick.ErrSyntax.Error()+": "), "stick: ")
			if errors.Is(err, stick.ErrPrivateKey) {
				// Whoever holds the stick can open every bundle of the
				// site: the key is spent, not the file wrong.
				return nil, "", usage(say("settings file %s: %s", "設定ファイル %s に秘密鍵が書かれています: %s", cfgPath, why),
					say("stop using this stick and hand it to central staff: it carries the site's private key, which opens every bundle, so they must make a new key; collect nothing with it",
						"この USB メモリの使用をやめ、本部に渡してください。すべてのバンドルを開ける拠点の秘密鍵が入っているため、本部で新しい鍵を作る必要があります。このまま収集しないでください"))
			}
			return nil, "", usage(say("settings file %s: %s", "設定ファイル %s に誤りがあります: %s", cfgPath, why),
				say("correct the file in Notepad, or ask central staff for a new stick", "メモ帳で修正するか、本部に新しい USB メモリを依頼してください"))
		}
		return cfg, cfgPath, nil
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, "", settingsUnreadable(err, explicit)
	}
	return &stick.Config{}, "", nil
}

// settingsUnreadable is the error for a settings file that is there but
// cannot be read. One given with --config (or ACTCOURIER_CONFIG) may have
// its path wrong; the one beside the collector, which a double-click
// reads, is the stick's own: it or the stick is damaged, and the
// engineer there can give no option.
func settingsUnreadable(err error, explicit bool) error {
	msg := say("cannot read the settings file: %v", "設定ファイルを読めません: %v", err)
	if explicit {
		return usage(msg, say("check the --config path", "--config のパスを確認してください"))
	}
	return usage(msg, say("check that the stick is plugged in and run ActCourier again; if it fails again, copy %s from another stick of this site, or ask central staff for a new stick",
		"USB メモリが挿さっていることを確かめて、もう一度 ActCourier を実行してください。再び失敗したら、この拠点の別の USB メモリから %s をコピーするか、本部に新しい USB メモリを依頼してください", stick.FileName))
}

func loadSettings(c *cli.Context) (*settings, error) {
	cfg, cfgPath, err := readConfig(c)
	if err != nil {
		return nil, err
	}
	s := &settings{cfgPath: cfgPath, noPrompt: c.Bool("no-prompt"), snapshot: c.String("snapshot"), lines: cfg.Lines, anyLine: cfg.AnyLine,
		returnDir: c.String("return"), apply: c.Bool("apply"), commandLine: c.NumFlags() > 0}
	if s.returnDir == "" {
		s.returnDir = filepath.Join(stickFolder(cfgPath), activation.ReturnDir)
	}
	s.ctx.Sources = map[string]licensing.Source{}
	pick := func(key, flag, fromConfig string, dst *string) {
		switch {
		case c.IsSet(flag):
			*dst, s.ctx.Sources[key] = strings.TrimSpace(c.String(flag)), licensing.SourceFlag
		case fromConfig != "":
			*dst, s.ctx.Sources[key] = fromConfig, licensing.SourceConfig
		}
	}
	pick("site", "site", cfg.Site, &s.ctx.Site)
	pick("line", "line", "", &s.ctx.Line)
	pick("asset", "asset", "", &s.ctx.Asset)
	pick("engineer", "engineer", cfg.Engineer, &s.ctx.Engineer)
	pick("note", "note", "", &s.ctx.Note)
	for _, f := range []string{"site", "line", "asset", "engineer"} {
		if r, ok := controlIn(*s.field(f)); ok && s.ctx.Sources[f] == licensing.SourceFlag {
			return nil, usage(say("--%s holds the control character %q", "--%s に制御文字 %q が含まれています", f, r),
				say("pass it again without it", "制御文字を除いて指定し直してください"))
		}
	}

	s.recipientKeys = cfg.Recipients
	if c.IsSet("recipient") {
		s.recipientKeys = c.StringSlice("recipient")
	}
	for _, r := range s.recipientKeys {
		rc, err := age.ParseX25519Recipient(strings.TrimSpace(r))
		if err != nil {
			return nil, usage(say("recipient %q: %v", "受信者「%s」が正しくありません: %v", r, err),
				say("use the age1… public key that `importer keygen` printed", "`importer keygen` が表示した age1… の公開鍵を使ってください"))
		}
		s.recipients = append(s.recipients, rc)
	}
	if len(s.recipients) == 0 && cfgPath == "" {
		// A stick without its settings file: the engineer can neither
		// edit a file that is not there nor know the key to put in it.
		return nil, usage(say("no settings file %s beside the collector (%s): it says who can open the bundles",
			"収集プログラムと同じフォルダー (%[2]s) に設定ファイル %[1]s がありません。バンドルを開ける人 (受信者) はこのファイルで決まります", stick.FileName, exeDir()),
			say("ask central staff for a new stick (importer stick writes %s), or copy the file back from another stick of this site",
				"本部に新しい USB メモリを依頼するか (importer stick が %s を作ります)、この拠点の別の USB メモリからファイルをコピーしてください", stick.FileName))
	}
	if len(s.recipients) == 0 {
		// The engineer at the machine has no key to write in: the
		// file comes right from central staff or from another stick.
		hint := say("ask central staff for a new stick (importer stick writes its recipient line), or copy %s from another stick of this site",
			"本部に新しい USB メモリを依頼するか (importer stick が recipient の行を書きます)、この拠点の別の USB メモリから %s をコピーしてください", stick.FileName)
		if s.commandLine {
			hint.en += "; or pass --recipient age1…"
			hint.ja += "。または --recipient age1… を指定してください"
		}
		return nil, usage(say("no recipient in %s: the collector never writes a bundle that nobody can open, nor plaintext",
			"%s に受信者 (recipient) がありません。誰も開けないバンドルや平文は書き込みません", cfgPath), hint)
	}

	s.out = c.String("out")
	if s.out == "" {
		s.out = cfg.Output
	}
	if s.out == "" {
		s.out = "bundles"
	}
	if !filepath.IsAbs(s.out) && !c.IsSet("out") {
		s.out = filepath.Join(stickFolder(cfgPath), s.out)
	}
	s.timeout = c.Duration("timeout")
	if !c.IsSet("timeout") && cfg.Timeout > 0 {
		s.timeout = cfg.Timeout
	}
	if s.timeout <= 0 {
		return nil, usage(say("--timeout %s: the time limit must be more than zero", "--timeout %s: 制限時間は 0 より長くしてください", s.timeout),
			say("leave it out for 2 minutes, or give e.g. --timeout 5m", "省略すると 2 分です。例: --timeout 5m"))
	}
	return s, nil
}

func collectAction(c *cli.Context, con console) (err error) {
	s, err := loadSettings(c)
	if err != nil {
		return err
	}
	printBanner(con.out, s, con.outWidth)
	replay, replayMembers, err := s.replayed()
	if err != nil {
		return err
	}
	if replay == nil && runtime.GOOS != "windows" && con.interactive && !s.noPrompt {
		// Before the questions: a Linux or macOS build (replays, the
		// demo) run at a console without --snapshot asked them and
		// showed the check screen, then said it cannot collect here.
		// Run with its answers given, it says so after the errors of
		// those, as on Windows.
		return liveUnsupported()
	}
	if err := complete(c.Context, s, con); err != nil {
		return err
	}
	// Find out now, not after a minute of collection, that the stick
	// cannot take the bundle.
	made, err := checkWritable(s.out)
	defer func() {
		// Nothing saved, nothing left: the bundles folder this run
		// made goes again (a stick found full kept an empty one).
		if err != nil {
			unmake(made)
		}
	}()
	if err != nil {
		return stickFault(s.out, err, false, s.commandLine)
	}
	// A full FAT stick still takes the empty probe: ask for the room.
	if free, err := freeSpace(s.out); err == nil && free < minFree {
		return failure(say("the stick is full: %s has %d KiB free, a bundle may need up to %d KiB",
			"USB メモリの空きが足りません: %s の空きは %d KiB です (バンドルには最大 %d KiB 必要です)", s.out, free>>10, minFree>>10),
			say("use another stick, or delete files that are not bundles from this one; nothing was read or written",
				"別の USB メモリを使うか、この USB メモリからバンドル以外のファイルを削除してください。何も読み取り・保存していません"))
	}

	s.ctx.Collector = "actcourier-collector " + version.String()
	if built := version.Built(); !built.IsZero() {
		s.ctx.CollectorBuilt = &built
	}
	// A return file is opened before anything is read: a wrong
	// passphrase stops here, with nothing collected or applied.
	rets, err := openReturns(c.Context, s, con)
	if err != nil {
		return err
	}
	src, err := newSource(c.Context, s, con, replay, replayMembers)
	if err != nil {
		return err
	}
	defer src.close()
	res, err := src.collect()
	if err == nil && len(rets) > 0 {
		res, err = activate(c.Context, s, con, rets, res, src.machine, src.collect)
	}
	if err != nil {
		return err
	}
	if c.Context.Err() != nil {
		return errInterrupted
	}
	hdr := bundle.Header{CreatedAt: time.Now(), Generator: s.ctx.Collector}
	hdr.TimeZone, _ = hdr.CreatedAt.Zone()
	path, _, err := bundle.WriteFile(s.out, hdr, res.Members, s.recipients...)
	if err != nil {
		return stickFault(s.out, err, true, s.commandLine)
	}
	printSummary(con.out, res.Snapshot, path, con.outWidth)
	return nil
}

// liveUnsupported is the error of a live collection asked of a build
// for another system than Windows (collect.ErrLiveUnsupported).
func liveUnsupported() error {
	return usage(say(collect.ErrLiveUnsupported.Error(), "この OS では収集できません: 収集は Windows でのみ動作します"),
		say("run it on the Windows machine, or replay a stored collection with --snapshot FILE",
			"Windows の端末で実行するか、--snapshot FILE で保存済みの収集を再生してください"))
}

// replayed loads --snapshot, when given, and keeps its context.
func (s *settings) replayed() (*licensing.Snapshot, []bundle.Member, error) {
	if s.snapshot == "" {
		return nil, nil, nil
	}
	replay, members, err := loadSnapshot(s.snapshot)
	if err == nil {
		s.keepReplayed(replay.Context)
	}
	return replay, members, err
}

// keepReplayed keeps the context a replayed snapshot was stored with;
// only flags override it, not the settings file's defaults.
func (s *settings) keepReplayed(c licensing.Context) {
	for _, f := range [...]struct {
		key string
		dst *string
		v   string
	}{{"site", &s.ctx.Site, c.Site}, {"line", &s.ctx.Line, c.Line}, {"asset", &s.ctx.Asset, c.Asset},
		{"engineer", &s.ctx.Engineer, c.Engineer}, {"note", &s.ctx.Note, c.Note}} {
		if f.v != "" && s.ctx.Sources[f.key] != licensing.SourceFlag {
			*f.dst = f.v
			delete(s.ctx.Sources, f.key)
		}
	}
}

// source is where a run reads the machine, and what applies a return
// file to it: live WMI, or a replayed snapshot and its simulation.
type source struct {
	collect func() (*collect.Result, error)
	machine activation.Machine
	close   func()
}

func newSource(ctx context.Context, s *settings, con console, replay *licensing.Snapshot, raw []bundle.Member) (*source, error) {
	if replay != nil {
		// On stdout with the rest of the screen, not as progress on
		// stderr: a screen saved to a file must say that its result is
		// a stored collection, not this machine.
		printPath(con.out, "Replaying / 再生:", s.snapshot, con.outWidth)
		m, snapshot := simulate(replay)
		return &source{collect: func() (*collect.Result, error) { return replayResult(snapshot(), raw, s.ctx) },
			machine: m, close: func() {}}, nil
	}
	src, closeSrc, err := collect.Live(s.timeout)
	if errors.Is(err, collect.ErrLiveUnsupported) {
		return nil, liveUnsupported()
	}
	src.Progress = progress(con.err, con.width)
	// The same connection collects, applies and collects again: COM
	// is bound to this goroutine's thread.
	return &source{collect: func() (*collect.Result, error) { return collectLive(ctx, src, s.ctx, con) },
		machine: collect.NewMachine(src.WMI, src.Methods), close: closeSrc}, nil
}

// collectLive reads this machine through src, saying so first. Ctrl-C
// (ctx ended) stops it at once: errInterrupted, exit 130.
func collectLive(ctx context.Context, src collect.Sources, c licensing.Context, con console) (*collect.Result, error) {
	printMessage(con.err, "", "Collecting. Ctrl-C stops without saving anything.", con.width)
	printMessage(con.err, "", "収集中です。Ctrl-C で中止します (何も保存しません)。", con.width)
	res, err := collect.Collect(ctx, src, c)
	if ctx.Err() != nil {
		return nil, errInterrupted
	}
	if err != nil {
		return nil, failure(say("collection: %v", "収集に失敗しました: %v", err),
			say("run the collector again; if it fails again, tell central staff", "もう一度実行してください。再び失敗したら本部に連絡してください"))
	}
	return res, nil
}

// minFree is the room (bytes) a stick must have before anything is
// read: a bundle is a few KiB, one with the raw output of many Office
// folders and a return file's outcomes some tens of KiB.
const minFree = 256 << 10

// freeSpace is the room left on the volume of a folder: diskFree, but
// for tests that play a full stick.
var freeSpace = diskFree

// checkWritable creates the folder and a probe file in it, and removes
// the probe. made are the folders it created, the deepest first, for
// unmake.
func checkWritable(dir string) (made []string, err error) {
	for d := filepath.Clean(dir); ; {
		if _, err := os.Lstat(d); !errors.Is(err, fs.ErrNotExist) {
			break
		}
		made = append(made, d)
		up := filepath.Dir(d)
		if up == d {
			break
		}
		d = up
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return made, err
	}
	f, err := os.CreateTemp(dir, ".probe-*.tmp")
	if err != nil {
		return made, err
	}
	name := f.Name()
	f.Close()
	return made, os.Remove(name)
}

// unmake removes the folders checkWritable made, as long as they are
// empty: a folder something was written to stays.
func unmake(made []string) {
	for _, d := range made {
		if os.Remove(d) != nil {
			return
		}
	}
}

// isTerminal reports whether f is a console a person types into.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// loadSnapshot reads a stored snapshot and the raw outputs kept beside it
// in a folder of the same name ending in .raw. A file that is missing,
// unreadable or no snapshot is a wrong option (usage, exit 2), named
// with what to do: as exit 1, ActCourier.cmd said the stick was full,
// write-protected, pulled out or refused.
func loadSnapshot(name string) (*licensing.Snapshot, []bundle.Member, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		hint := say("check the path given with --snapshot: a device snapshot (device.json from a bundle, or testdata/snapshots/*.json); nothing was read or written",
			"--snapshot に指定したパスを確認してください (端末のスナップショット: バンドルの device.json、または testdata/snapshots/*.json)。何も読み取り・保存していません")
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil, usage(say("the snapshot file %s does not exist", "スナップショットのファイル %s がありません", terminal.Inline(name)), hint)
		}
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the name is said once, escaped
		}
		return nil, nil, usage(say("the snapshot file %s cannot be read: %v", "スナップショットのファイル %s を読めません: %v", terminal.Inline(name), err), hint)
	}
	s, err := licensing.Unmarshal(data)
	if err != nil {
		return nil, nil, usage(say("snapshot %s: %v", "スナップショット %s を読めません: %v", terminal.Inline(name), err),
			say("give a device snapshot (device.json from a bundle, or testdata/snapshots/*.json)",
				"端末のスナップショット (バンドルの device.json、または testdata/snapshots/*.json) を指定してください"))
	}
	var members []bundle.Member
	rawDir := strings.TrimSuffix(name, filepath.Ext(name)) + ".raw"
	for _, r := range s.Raw {
		b, err := os.ReadFile(filepath.Join(rawDir, filepath.FromSlash(r.Member)))
		if err == nil {
			members = append(members, bundle.Member{Name: r.Member, Data: b})
		}
	}
	return s, members, nil
}

func replayResult(s *licensing.Snapshot, raw []bundle.Member, ctx licensing.Context) (*collect.Result, error) {
	// A replay is the stored collection again: its times are the stored
	// ones, not this run's.
	ctx.Collected, ctx.TimeZone, ctx.CollectorBuilt = s.Context.Collected, s.Context.TimeZone, s.Context.CollectorBuilt
	ctx.Collector += " (replay)"
	s.Context = ctx
	data, err := licensing.Marshal(s)
	if err != nil {
		return nil, failure(say("snapshot: %v", "スナップショット: %v", err), say("tell the ActCourier maintainers", "ActCourier の保守担当に連絡してください"))
	}
	return &collect.Result{Snapshot: s, Members: append([]bundle.Member{{Name: licensing.MemberName, Data: data}}, raw...)}, nil
}
