// Command collector runs from a USB stick on a disconnected Windows machine
// and writes one encrypted bundle of its activation state to the stick.
//
// It must build with Go 1.20 for windows/386 and windows/amd64, the last Go
// that runs on Windows 7 SP1.
//
// Exit codes: 0 the bundle was written; 1 it could not be written (stick
// full, read-only or pulled; snapshot unreadable); 2 usage or settings
// error (no recipient, missing site/line/asset with --no-prompt, bad
// config file); 130 interrupted (Ctrl-C) before the bundle was written,
// nothing left behind.
package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"filippo.io/age"
	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/collector/collect"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/version"
)

func main() {
	con := console{in: os.Stdin, out: os.Stdout, err: os.Stderr, interactive: isTerminal(os.Stdin)}
	code := run(os.Args, con)
	pauseIfOwnConsole(os.Stdin, os.Stdout)
	os.Exit(code)
}

// console is where the collector talks to the engineer: the real console,
// or buffers in tests.
type console struct {
	in          io.Reader
	out, err    io.Writer
	interactive bool // a person types into in, so missing answers are asked for
}

// exitError carries an exit code and, optionally, what to do about it.
type exitError struct {
	code int
	msg  string
	hint string
}

func (e *exitError) Error() string { return e.msg }

func usage(hint, format string, a ...interface{}) error {
	return &exitError{code: 2, msg: fmt.Sprintf(format, a...), hint: hint}
}

func failure(hint, format string, a ...interface{}) error {
	return &exitError{code: 1, msg: fmt.Sprintf(format, a...), hint: hint}
}

func run(args []string, con console) int {
	// Ctrl-C stops the collection (running scripts are killed) and nothing
	// is written; once writing has begun it finishes, which takes a moment,
	// so no half-written file is left on the stick.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return runContext(ctx, args, con)
}

func runContext(ctx context.Context, args []string, con console) int {
	// What the collector prints comes from this machine and from the
	// stick's settings: it reaches the console only escaped.
	con.out, con.err = terminal.NewWriter(con.out), terminal.NewWriter(con.err)
	app := &cli.App{
		Name:      "collector",
		Usage:     "record this machine's Windows and Office activation state into an encrypted bundle",
		Version:   fmt.Sprintf("%s (%s/%s, %s)", version.String(), runtime.GOOS, runtime.GOARCH, runtime.Version()),
		Writer:    con.out,
		ErrWriter: con.err,
		// Exit codes are decided here, not inside urfave (STYLE.md §5).
		ExitErrHandler: func(*cli.Context, error) {},
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "config", Usage: "settings file (default: " + stick.FileName + " beside the collector)", EnvVars: []string{"ACTCOURIER_CONFIG"}},
			&cli.StringSliceFlag{Name: "recipient", Aliases: []string{"r"}, Usage: "age public key that may open the bundle (repeatable)", EnvVars: []string{"ACTCOURIER_RECIPIENT"}},
			&cli.StringFlag{Name: "site", Usage: "factory site", EnvVars: []string{"ACTCOURIER_SITE"}},
			&cli.StringFlag{Name: "line", Usage: "production line", EnvVars: []string{"ACTCOURIER_LINE"}},
			&cli.StringFlag{Name: "asset", Usage: "asset tag of this machine", EnvVars: []string{"ACTCOURIER_ASSET"}},
			&cli.StringFlag{Name: "engineer", Usage: "your engineer ID", EnvVars: []string{"ACTCOURIER_ENGINEER"}},
			&cli.StringFlag{Name: "note", Usage: "free note stored with the collection", EnvVars: []string{"ACTCOURIER_NOTE"}},
			&cli.StringFlag{Name: "out", Usage: "output folder (default: bundles beside the collector)", EnvVars: []string{"ACTCOURIER_OUT"}},
			&cli.DurationFlag{Name: "timeout", Usage: "time limit for each slmgr/ospp run", EnvVars: []string{"ACTCOURIER_TIMEOUT"}},
			&cli.BoolFlag{Name: "no-prompt", Usage: "never ask; fail when site, line or asset is missing", EnvVars: []string{"ACTCOURIER_NO_PROMPT"}},
			&cli.StringFlag{Name: "snapshot", Usage: "replay a stored device snapshot (JSON) instead of reading this machine"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usage("run collector --help", "unexpected argument %q", c.Args().First())
			}
			return collectAction(c, con)
		},
	}
	err := app.RunContext(ctx, args)
	if err == nil {
		return 0
	}
	var ee *exitError
	if errors.As(err, &ee) {
		fmt.Fprintf(con.err, "collector: error: %s\n", ee.msg)
		if ee.hint != "" {
			fmt.Fprintf(con.err, "collector: hint: %s\n", ee.hint)
		}
		return ee.code
	}
	fmt.Fprintf(con.err, "collector: error: %v\n", err)
	return 2
}

// settings are the merged config file, environment and flags.
type settings struct {
	recipients []age.Recipient
	ctx        licensing.Context
	lines      []string
	out        string
	timeout    time.Duration
	noPrompt   bool
	snapshot   string
}

// exeDir is the folder of the running collector: the stick.
func exeDir() string {
	exe, err := os.Executable()
	if err != nil {
		return "."
	}
	return filepath.Dir(exe)
}

func loadSettings(c *cli.Context) (*settings, error) {
	cfgPath := c.String("config")
	explicit := cfgPath != ""
	if !explicit {
		cfgPath = filepath.Join(exeDir(), stick.FileName)
	}
	cfg := &stick.Config{}
	data, err := os.ReadFile(cfgPath)
	switch {
	case err == nil:
		if cfg, err = stick.Parse(data); err != nil {
			return nil, usage("correct the file, or ask central staff for a new stick", "settings file %s: %v", cfgPath, err)
		}
	case explicit || !errors.Is(err, os.ErrNotExist):
		return nil, usage("check the --config path", "cannot read settings file: %v", err)
	}
	s := &settings{noPrompt: c.Bool("no-prompt"), snapshot: c.String("snapshot"), lines: cfg.Lines}
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

	recips := cfg.Recipients
	if c.IsSet("recipient") {
		recips = c.StringSlice("recipient")
	}
	for _, r := range recips {
		rc, err := age.ParseX25519Recipient(strings.TrimSpace(r))
		if err != nil {
			return nil, usage("use the age1… public key that `importer keygen` printed", "recipient %q: %v", r, err)
		}
		s.recipients = append(s.recipients, rc)
	}
	if len(s.recipients) == 0 {
		return nil, usage("put a recipient line in "+stick.FileName+" (importer stick writes one) or pass --recipient age1…",
			"no recipient: the collector never writes a bundle that nobody can open, nor plaintext")
	}

	s.out = c.String("out")
	if s.out == "" {
		s.out = cfg.Output
	}
	if s.out == "" {
		s.out = "bundles"
	}
	if !filepath.IsAbs(s.out) && !c.IsSet("out") {
		s.out = filepath.Join(exeDir(), s.out)
	}
	s.timeout = cfg.Timeout
	if c.IsSet("timeout") {
		s.timeout = c.Duration("timeout")
	}
	return s, nil
}

func collectAction(c *cli.Context, con console) error {
	s, err := loadSettings(c)
	if err != nil {
		return err
	}
	var replay *licensing.Snapshot
	var replayMembers []bundle.Member
	if s.snapshot != "" {
		if replay, replayMembers, err = loadSnapshot(s.snapshot); err != nil {
			return err
		}
		// A replay keeps the context it was stored with; only flags
		// override it, not the settings file's defaults.
		keep := func(key string, dst *string, v string) {
			if v != "" && s.ctx.Sources[key] != licensing.SourceFlag {
				*dst = v
				delete(s.ctx.Sources, key)
			}
		}
		keep("site", &s.ctx.Site, replay.Context.Site)
		keep("line", &s.ctx.Line, replay.Context.Line)
		keep("asset", &s.ctx.Asset, replay.Context.Asset)
		keep("engineer", &s.ctx.Engineer, replay.Context.Engineer)
		keep("note", &s.ctx.Note, replay.Context.Note)
	}
	if err := askMissing(s, con); err != nil {
		return err
	}
	// Find out now, not after a minute of collection, that the stick
	// cannot take the bundle.
	if err := checkWritable(s.out); err != nil {
		return failure("check that the stick is in, not full and not write-protected, or pass --out", "output folder %s: %v", s.out, err)
	}

	s.ctx.Collector = "actcourier-collector " + version.String()
	if built := version.Built(); !built.IsZero() {
		s.ctx.CollectorBuilt = &built
	}
	var res *collect.Result
	if replay != nil {
		res, err = replayResult(replay, replayMembers, s.ctx)
	} else {
		res, err = live(c.Context, s)
	}
	if err != nil {
		return err
	}
	if c.Context.Err() != nil {
		return &exitError{code: 130, msg: "interrupted: nothing was written", hint: "run the collector again"}
	}
	hdr := bundle.Header{CreatedAt: time.Now(), Generator: s.ctx.Collector}
	hdr.TimeZone, _ = hdr.CreatedAt.Zone()
	path, _, err := bundle.WriteFile(s.out, hdr, res.Members, s.recipients...)
	if err != nil {
		return failure("free space or use another stick, then run the collector again; nothing was left behind",
			"writing the bundle to %s: %v", s.out, err)
	}
	printSummary(con.out, res.Snapshot, path)
	return nil
}

func live(ctx context.Context, s *settings) (*collect.Result, error) {
	src, closeSrc, err := collect.Live(s.timeout)
	if errors.Is(err, collect.ErrLiveUnsupported) {
		return nil, usage("run it on the Windows machine, or replay a stored collection with --snapshot FILE", "%v", err)
	}
	defer closeSrc()
	res, err := collect.Collect(ctx, src, s.ctx)
	if err != nil {
		return nil, failure("", "collection: %v", err)
	}
	return res, nil
}

// checkWritable creates the folder and a probe file in it, and removes
// the probe.
func checkWritable(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, ".probe-*.tmp")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// askMissing asks for site, line and asset when they are missing and a
// person is at the console; otherwise it fails naming what is missing.
func askMissing(s *settings, con console) error {
	var missing []string
	if s.ctx.Site == "" {
		missing = append(missing, "site")
	}
	if s.ctx.Line == "" {
		missing = append(missing, "line")
	}
	if s.ctx.Asset == "" {
		missing = append(missing, "asset")
	}
	if len(missing) == 0 {
		return nil
	}
	if s.noPrompt || !con.interactive {
		return usage("pass "+flagList(missing)+", or run the collector from a console to be asked",
			"%s not given", strings.Join(missing, ", "))
	}
	in, stdout := bufio.NewReader(con.in), con.out
	ask := func(label string, options []string) (string, error) {
		for {
			if len(options) > 0 {
				fmt.Fprintf(stdout, "%s / %s:\n", label, jaLabel[label])
				for i, o := range options {
					fmt.Fprintf(stdout, "  %d) %s\n", i+1, o)
				}
				fmt.Fprint(stdout, "number or name / 番号または名前: ")
			} else {
				fmt.Fprintf(stdout, "%s / %s: ", label, jaLabel[label])
			}
			line, err := in.ReadString('\n')
			v := strings.TrimSpace(line)
			if v != "" {
				for i, o := range options {
					if v == fmt.Sprint(i+1) {
						v = o
					}
				}
				return v, nil
			}
			if err != nil {
				return "", usage("pass "+flagList(missing), "no %s given", label)
			}
		}
	}
	var err error
	for _, m := range missing {
		var dst *string
		var opts []string
		switch m {
		case "site":
			dst = &s.ctx.Site
		case "line":
			dst, opts = &s.ctx.Line, s.lines
		case "asset":
			dst = &s.ctx.Asset
		}
		if *dst, err = ask(m, opts); err != nil {
			return err
		}
		s.ctx.Sources[m] = licensing.SourceOperator
	}
	return nil
}

var jaLabel = map[string]string{"site": "拠点", "line": "ライン", "asset": "資産番号"}

func flagList(names []string) string {
	var f []string
	for _, n := range names {
		f = append(f, "--"+n)
	}
	return strings.Join(f, " ")
}

// isTerminal reports whether f is a console a person types into.
func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// loadSnapshot reads a stored snapshot and the raw outputs kept beside it
// in a folder of the same name ending in .raw.
func loadSnapshot(name string) (*licensing.Snapshot, []bundle.Member, error) {
	data, err := os.ReadFile(name)
	if err != nil {
		return nil, nil, failure("check the --snapshot path", "snapshot: %v", err)
	}
	s, err := licensing.Unmarshal(data)
	if err != nil {
		return nil, nil, failure("give a device snapshot (device.json from a bundle, or testdata/snapshots/*.json)", "snapshot %s: %v", name, err)
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
		return nil, failure("", "snapshot: %v", err)
	}
	return &collect.Result{Snapshot: s, Members: append([]bundle.Member{{Name: licensing.MemberName, Data: data}}, raw...)}, nil
}
