// Command importer runs on a connected workstation: it decrypts and checks
// bundles from the field, keeps the fleet in a database, classifies every
// device and writes per-site, per-line reports. Each subcommand is a thin
// adapter from flags to package fleet (docs/architecture.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/version"
)

// Exit codes, as documented in README.md and in --help.
const (
	exitOK      = 0
	exitPartial = 1 // done in part: some inputs rejected, each named
	exitUsage   = 2
	exitStopped = 130 // interrupted by Ctrl-C
)

// errPartial: the command finished, rejected inputs and named each one.
var errPartial = errors.New("some inputs were rejected")

// exitHelp is the EXIT STATUS of the importer as a whole; each command's
// help says what the codes mean for it.
var exitHelp = cmdline.ExitStatus("0 done", "1 done in part: each rejected input is named on stderr, or the database failed part way", "2 usage or configuration error",
	"130 interrupted (Ctrl-C): what was stored is whole; run it again to go on")

// interruptedAtPrompt is the 130 of a command whose only wait for the
// user is a passphrase prompt (an identity's, a return file's).
const interruptedAtPrompt = "130 interrupted (Ctrl-C) at the passphrase prompt: nothing was written"

func main() {
	// ACTCOURIER_CPUPROFILE=FILE writes a CPU profile of the run, for
	// performance work (go tool pprof).
	// ACTCOURIER_MEMPROFILE=FILE writes what the run allocated, where.
	if p := os.Getenv("ACTCOURIER_CPUPROFILE"); p != "" {
		if f, err := os.Create(p); err == nil && pprof.StartCPUProfile(f) == nil {
			code := run(os.Args, os.Stdout, os.Stderr)
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(memProfile(code))
		}
	}
	os.Exit(memProfile(run(os.Args, os.Stdout, os.Stderr)))
}

// memProfile writes the allocation profile ACTCOURIER_MEMPROFILE asks
// for, and returns code.
func memProfile(code int) int {
	if p := os.Getenv("ACTCOURIER_MEMPROFILE"); p != "" {
		runtime.GC() // the profile is as of the last collection
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	return code
}

// run runs the importer; what it prints is escaped by terminal.Writer.
func run(args []string, stdout, stderr io.Writer) int {
	stdout, stderr = terminal.NewWriter(stdout), terminal.NewWriter(stderr)
	// -v is import's --verbose; the version is --version alone
	// (urfave's version flag, which takes -v too, is hidden).
	app := &cli.App{
		Name:                   "importer",
		Usage:                  "import ActCourier bundles and report on the fleet",
		Version:                version.String(),
		HideVersion:            true,
		Flags:                  []cli.Flag{&cli.BoolFlag{Name: "version", Usage: "print the version (-v is import's --verbose)"}},
		Writer:                 stdout,
		ErrWriter:              stderr,
		ExitErrHandler:         func(*cli.Context, error) {},
		UseShortOptionHandling: true,
		CustomAppHelpTemplate:  cli.AppHelpTemplate + "\n" + exitHelp,
		Commands: []*cli.Command{
			keygenCommand(stdout, stderr),
			importCommand(stdout, stderr),
			importTextCommand(stdout, stderr),
			reportCommand(stdout),
			devicesCommand(stdout),
			showCommand(stdout),
			stickCommand(stdout),
			activationCommand(stdout, stderr),
			inspectCommand(stdout, stderr),
			migrateCommand(stdout),
		},
	}
	// Ctrl-C cancels the context: an import stops after the batch it is
	// storing, a report after the lines it is writing; a second Ctrl-C
	// ends the program at once (interruptible).
	ctx, stop := interruptible()
	defer stop()
	cmdline.Apply(app)
	noCommand := app.Action
	app.Action = func(c *cli.Context) error {
		if c.Bool("version") {
			_, err := fmt.Fprintf(stdout, "importer version %s\n", version.String())
			return err
		}
		return noCommand(c)
	}
	if err := flagsFirst(app, args); err != nil {
		return exit(ctx, stderr, err)
	}
	return exit(ctx, stderr, app.RunContext(ctx, cmdline.Interspersed(app, cmdline.Help(app, args))))
}

// flagsFirst refuses a flag given before the command that is not the
// importer's own (--help, --version), where the user meant another:
// "importer -v import E:\" meant import's --verbose (urfave's version
// flag took -v: it printed the version, imported nothing and exited 0),
// and so does "importer -v" alone, or meant --version; a flag of the
// command named goes after it, with its value ("importer -i key.txt
// import E:\", "importer --site S activation stick E:\": the command is
// the first word after the flags that names one, a word before it being
// a flag's value); --version takes no command. Any other flag is left
// to urfave, which names it with the closest.
func flagsFirst(app *cli.App, args []string) error {
	has := func(flags []cli.Flag, name string) bool {
		for _, f := range flags {
			for _, fn := range f.Names() {
				if fn == name {
					return true
				}
			}
		}
		return false
	}
	isFlag := func(a string) bool { return len(a) > 1 && a[0] == '-' && a != "--" }
	// name is a flag's name: "-i" and "--db=x" are i and db; "---v"
	// is none (urfave's "bad flag syntax").
	name := func(a string) string {
		n, _, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if strings.HasPrefix(n, "-") {
			return ""
		}
		return n
	}
	// takesValue reports whether the word after a may be a's value:
	// a flag of a command's, whose value is not given with "=".
	takesValue := func(a string) bool {
		return isFlag(a) && !strings.Contains(a, "=") && !has(app.Flags, name(a)) && name(a) != "help" && name(a) != "h"
	}
	n := 1
	for ; n < len(args); n++ {
		if a := args[n]; !isFlag(a) && (a == "--" || app.Command(a) != nil || !takesValue(args[n-1])) {
			break // the command, or an argument, or a command the importer has not
		}
	}
	var cmd *cli.Command
	var path []*cli.Command // cmd and the subcommands named after it
	if n < len(args) {
		if cmd = app.Command(args[n]); cmd != nil {
			path = append(path, cmd)
			for k := n + 1; k < len(args) && cmd.Command(args[k]) != nil; k++ {
				cmd = cmd.Command(args[k])
				path = append(path, cmd)
			}
		}
	}
	cmdName := func() string {
		names := make([]string, len(path))
		for i, c := range path {
			names[i] = c.Name
		}
		return strings.Join(names, " ")
	}
	// shorts reports whether a, as "-vq", is short flags of flags
	// (UseShortOptionHandling).
	shorts := func(flags []cli.Flag, a string) bool {
		if len(a) < 3 || a[1] == '-' || strings.Contains(a, "=") {
			return false
		}
		for _, c := range a[1:] {
			if !has(flags, string(c)) {
				return false
			}
		}
		return true
	}
	ofPath := func(a string) bool {
		for _, c := range path {
			if has(c.Flags, name(a)) || shorts(c.Flags, a) {
				return true
			}
		}
		return false
	}
	for _, a := range args[1:n] {
		if !isFlag(a) {
			continue // a flag's value
		}
		_, value, hasValue := strings.Cut(a, "=")
		on, err := strconv.ParseBool(value) // as urfave reads a boolean flag's value
		switch name := name(a); {
		case name == "version" && hasValue && err == nil && !on:
			// --version=false asks for no version
		case name == "version" && n < len(args):
			return usage("--version takes no command", "importer --version prints the version")
		case has(app.Flags, name) || name == "help" || name == "h":
		case ofPath(a):
			return usage(fmt.Sprintf("%s is a flag of %s, given before it: a command's flags go after its name", a, cmdName()),
				fmt.Sprintf("importer %s %s ...", cmdName(), a))
		case name == "v":
			return usage("-v is no flag of importer itself: its version is --version, and -v is import's --verbose",
				"importer --version prints the version; importer import -v PATH... names each bundle for another key")
		}
	}
	return nil
}

// exit is the exit code of a command that returned err, whose context
// was ctx, after telling stderr what the command itself did not: a
// command that rejected inputs named each one, but errPartial wrapped
// or joined with another error carries more than that, which is printed.
func exit(ctx context.Context, stderr io.Writer, err error) int {
	switch {
	case err == nil:
		return exitOK
	case err == errPartial:
		return exitPartial
	case errors.Is(err, errPartial):
		printError(stderr, err)
		return exitPartial
	case ctx.Err() != nil && errors.Is(err, fleet.ErrInterrupted):
		return exitStopped // the import told it, with what was stored
	case ctx.Err() != nil && errors.Is(err, context.Canceled):
		fmt.Fprintln(stderr, "importer: interrupted")
		return exitStopped
	}
	printError(stderr, err)
	return exitUsage
}

// printError writes err and its hint, each on one line: their text may
// quote a file name, a bundle's field or a database's value, which the
// error escaped as it was made (terminal.Inline, %q) but which may still
// hold a newline or a tab where an error of the system or a library named
// it raw (a path given with -i). terminal.Message escapes those, and no
// backslash, so that nothing already escaped is escaped twice. A joined
// error (a report that failed, then failed to remove its files) prints
// each of its parts on a line of its own (terminal.Parts); the hint is
// the whole error's.
func printError(stderr io.Writer, err error) {
	for _, part := range terminal.Parts(err) {
		fmt.Fprintf(stderr, "importer: error: %s\n", terminal.Message(part.Error()))
	}
	var hint interface{ Hint() string }
	if errors.As(err, &hint) {
		fmt.Fprintf(stderr, "importer: hint: %s\n", terminal.Message(hint.Hint()))
	}
}

// usage is a configuration or usage mistake, with what to do about it:
// exit 2.
func usage(msg, hint string) error { return &cmdline.UsageError{Msg: msg, Advice: hint} }

// interruptible is a context that the first Ctrl-C (SIGINT, or the
// console's Ctrl-C on Windows) ends. From then on the program no longer
// handles Ctrl-C, so a second one ends it at once, as it would any
// program: what a query does in its first step cannot be interrupted
// (check's pass over the whole file, pkg/store/driver.go), and a user
// who does not want to wait for it must not be held. Every store keeps
// each batch whole whatever ends the program. The handler is removed
// before the context ends, so that no Ctrl-C after the end is lost.
func interruptible() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		select {
		case <-sig:
		case <-ctx.Done():
		}
		signal.Stop(sig) // Ctrl-C's default action is back
		cancel()
	}()
	return ctx, cancel
}
