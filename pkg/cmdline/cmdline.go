// Package cmdline holds what ActCourier's two programs do the same way on
// their command lines, over urfave/cli v2 (STYLE.md §5): flags after
// arguments, an EXIT STATUS block in each command's help, a suggestion
// for a mistyped command or flag, and required flags checked before any
// help is printed, so that the error is what the user sees.
package cmdline

import (
	"fmt"
	"os/user"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"
)

// UsageError is a mistake the user can fix (a flag, an argument, a file
// named wrong) with what to do about it. The programs print it as
// "error: …" then "hint: …" and exit 2.
type UsageError struct{ Msg, Advice string }

func (e *UsageError) Error() string { return e.Msg }

// Hint is what to do about the error.
func (e *UsageError) Hint() string { return e.Advice }

// Apply gives an app of commands the conventions: no urfave help command
// (Help reads the word help instead), NoCommand for a missing or mistyped
// command, FlagError for a mistyped flag of the app or any command.
//
// urfave's help command is hidden on every command, not only the app:
// it would list itself with an alias "h" that Closest then suggests for
// a short typo, answer an unknown topic with "No help topic" and exit 3,
// and a command's Before runs before it, so "importer report help" was
// refused for a missing --out instead of showing the help.
func Apply(app *cli.App) {
	app.HideHelpCommand, app.Action, app.OnUsageError = true, NoCommand, FlagError
	var apply func([]*cli.Command)
	apply = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			cmd.HideHelpCommand = true
			if cmd.OnUsageError == nil { // a command's own handler wraps FlagError
				cmd.OnUsageError = FlagError
			}
			if len(cmd.Subcommands) > 0 && cmd.Action == nil {
				cmd.Action = noSubcommand
			}
			apply(cmd.Subcommands)
		}
	}
	apply(app.Commands)
}

// Help turns the word help into the help flag: "importer help",
// "importer help CMD [SUB]", "importer CMD help [SUB]" and
// "importer CMD [SUB] help" become "importer [CMD [SUB]] --help", so that
// they print what --help prints, on stdout, and exit 0. A command the app
// does not have is left without --help, for NoCommand or noSubcommand to
// name it with the closest one. Help is the word right after the program
// or a command, so "importer import ./help" imports a folder named help.
// Call it on the arguments before Interspersed.
func Help(app *cli.App, args []string) []string {
	sub := func(cmd *cli.Command, name string) *cli.Command {
		if cmd == nil {
			return app.Command(name)
		}
		return cmd.Command(name)
	}
	var cmd *cli.Command
	n := 1
	for ; n < len(args) && args[n] != "help"; n++ {
		if cmd = sub(cmd, args[n]); cmd == nil {
			return args // no help word among the commands
		}
	}
	if n >= len(args) {
		return args
	}
	out := append([]string(nil), args[:n]...)
	for _, w := range args[n+1:] {
		if strings.HasPrefix(w, "-") || cmd != nil && len(cmd.Subcommands) == 0 {
			break // flags, or a command's arguments: the help ignores them
		}
		if w == "help" {
			continue
		}
		if cmd = sub(cmd, w); cmd == nil {
			return append(out, w)
		}
		out = append(out, w)
	}
	return append(out, "--help")
}

// NoCommand is the Action of an app whose work is in its commands:
// without arguments it writes the help to stderr (ErrWriter), since the
// user forgot the command, and returns a UsageError; an unknown command
// is a UsageError that names the closest command.
func NoCommand(c *cli.Context) error {
	if c.NArg() == 0 {
		tpl := c.App.CustomAppHelpTemplate
		if tpl == "" {
			tpl = cli.AppHelpTemplate
		}
		cli.HelpPrinter(c.App.ErrWriter, tpl, c.App)
		return &UsageError{"no command given", "name one of the commands above; " + c.App.Name + " help COMMAND shows what it does and its flags"}
	}
	hint := c.App.Name + " --help lists the commands"
	if s := Closest(c.Args().First(), commandNames(c.App)); s != "" {
		hint = fmt.Sprintf("did you mean %q? %s", s, hint)
	} else if c.Args().First() == "version" && hasFlag(c.App.Flags, "version") {
		// git and go answer the word; ours is the flag, and says so.
		hint = "the version is " + c.App.Name + " --version; " + hint
	}
	return &UsageError{fmt.Sprintf("unknown command %q", c.Args().First()), hint}
}

// hasFlag reports whether flags hold one named name.
func hasFlag(flags []cli.Flag, name string) bool {
	for _, f := range flags {
		for _, n := range f.Names() {
			if n == name {
				return true
			}
		}
	}
	return false
}

// noSubcommand is the Action of a command whose work is in its
// subcommands, as NoCommand is the app's.
func noSubcommand(c *cli.Context) error {
	if c.NArg() == 0 {
		tpl := c.Command.CustomHelpTemplate
		if tpl == "" {
			tpl = cli.SubcommandHelpTemplate
		}
		cli.HelpPrinter(c.App.ErrWriter, tpl, c.Command)
		return &UsageError{c.Command.Name + ": no subcommand given", "name one of the commands above; " + c.Command.HelpName + " help SUBCOMMAND shows what it does and its flags"}
	}
	var names []string
	for _, sub := range c.Command.Subcommands {
		names = append(names, sub.Names()...)
	}
	hint := c.Command.HelpName + " --help lists them"
	if s := Closest(c.Args().First(), names); s != "" {
		hint = fmt.Sprintf("did you mean %q? %s", s, hint)
	}
	return &UsageError{fmt.Sprintf("unknown subcommand %q of %s", c.Args().First(), c.Command.Name), hint}
}

// FlagError is an OnUsageError handler: a flag the command does not
// know, or a bad value, as a UsageError naming the closest flag.
//
// The message names the flag as it is typed (--name, -n) and the command
// it was given to: Go's flag package, under urfave, names every flag with
// one dash ("flag provided but not defined: -verbos" for --verbos).
func FlagError(c *cli.Context, err error, _ bool) error {
	hint := c.Command.HelpName + " --help lists its flags"
	msg := err.Error()
	if typed, s := UnknownFlag(err, c.Command.Flags); typed != "" {
		msg = fmt.Sprintf("%s has no flag %s", c.Command.HelpName, dashed(typed))
		switch {
		case s != "":
			hint = "did you mean " + s + "? " + hint
		case typed == "version":
			hint = "the version is " + c.App.Name + " --version, given alone; " + hint
		}
	} else if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		msg = dashed(strings.TrimLeft(name, "-")) + " needs a value"
	} else if before, after, ok := cutFlag(msg); ok && strings.HasPrefix(msg, "invalid ") {
		msg = before + " for " + dashed(strings.TrimLeft(after, "-"))
	}
	return &UsageError{msg, hint}
}

// cutFlag cuts a flag package's error at the flag it names, after the
// value it quotes (which may hold " for flag -" itself): "invalid value
// "abc" for flag -jobs: …", and for a switch "invalid boolean value
// "maybe" for -verbose: …". before ends with the quoted value.
func cutFlag(msg string) (before, after string, ok bool) {
	for _, p := range []string{"invalid value ", "invalid boolean value "} {
		rest, ok := strings.CutPrefix(msg, p)
		if !ok {
			continue
		}
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return msg, "", false
		}
		for _, sep := range []string{" for flag -", " for -"} {
			if after, ok := strings.CutPrefix(rest[len(q):], sep); ok {
				return p + q, after, true
			}
		}
	}
	return msg, "", false
}

// dashed is a flag's name as it is typed: -n for one letter, else --name;
// a rest after the name (": parse error") is kept.
func dashed(name string) string {
	n, rest, _ := strings.Cut(name, ":")
	if rest != "" {
		rest = ":" + rest
	}
	if len([]rune(n)) == 1 {
		return "-" + n + rest
	}
	return "--" + n + rest
}

// Require is the Before of a command whose flags names must be set: see
// Required.
func Require(names ...string) cli.BeforeFunc {
	return func(c *cli.Context) error { return Required(c, names...) }
}

// Required returns a UsageError when a flag among names is not set.
// Commands check their required flags with it instead of urfave's
// Required, which prints the whole help before the error.
func Required(c *cli.Context, names ...string) error {
	var missing []string
	for _, n := range names {
		if !c.IsSet(n) {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return &UsageError{fmt.Sprintf("%s: %s required", c.Command.Name, strings.Join(missing, " and ")),
		c.Command.HelpName + " --help shows the flags"}
}

// Interspersed moves a subcommand's flags before its arguments, so that
// "importer stick E:\ --recipient age1…" works as the README writes it,
// also a subcommand's of a command ("importer activation stick E:\ --site S"):
// urfave/cli v2 stops reading flags at the first argument. Everything
// after "--" stays an argument.
func Interspersed(app *cli.App, args []string) []string {
	var cmd *cli.Command
	if len(args) > 1 {
		cmd = app.Command(args[1])
	}
	n := 2 // the program, its command and subcommands come first
	for cmd != nil && n < len(args) && cmd.Command(args[n]) != nil {
		cmd, n = cmd.Command(args[n]), n+1
	}
	if cmd == nil {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	flags, rest := append([]string(nil), args[:n]...), []string{"--"}
	for i := n; i < len(args); i++ {
		switch a := args[i]; {
		case a == "--":
			rest, i = append(rest, args[i+1:]...), len(args)
		case len(a) < 2 || a[0] != '-':
			rest = append(rest, a)
		default:
			flags = append(flags, a)
			if n := strings.TrimLeft(a, "-"); !strings.Contains(n, "=") && takesValue[n] && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
		}
	}
	if len(rest) == 1 || hasHelp(flags[n:]) {
		// urfave takes an argument after --help for a command to show
		// the help of ("No help topic for 'x.age'"): the help of this
		// command ignores them.
		return flags
	}
	return append(flags, rest...)
}

// hasHelp reports whether flags ask for the help.
func hasHelp(flags []string) bool {
	for _, f := range flags {
		if f == "-h" || f == "--help" || f == "-help" {
			return true
		}
	}
	return false
}

// ExitStatus is the EXIT STATUS block of a command's help: one line per
// code, "0  the identity was written", as the command means it.
func ExitStatus(lines ...string) string {
	var b strings.Builder
	b.WriteString("EXIT STATUS:\n")
	for _, l := range lines {
		code, what, _ := strings.Cut(l, " ")
		b.WriteString("   " + code + strings.Repeat(" ", 5-len(code)) + strings.TrimSpace(what) + "\n")
	}
	return b.String()
}

// Closest returns the name in names nearest to typed, when it is near
// enough to be a typing mistake (at most two letters off, or a letter
// pair swapped); "" otherwise.
func Closest(typed string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := distance(strings.ToLower(typed), strings.ToLower(n)); d < bestDist {
			best, bestDist = n, d
		}
	}
	return best
}

// commandNames lists the names and aliases of the app's visible
// commands.
func commandNames(app *cli.App) []string {
	var names []string
	for _, c := range app.VisibleCommands() {
		names = append(names, c.Names()...)
	}
	return names
}

// UnknownFlag returns the flag a parse error names as not defined
// ("sit" for "flag provided but not defined: -sit") and the closest of
// flags to it as it would be typed ("--site"), or "" for either.
func UnknownFlag(err error, flags []cli.Flag) (typed, closest string) {
	typed, ok := strings.CutPrefix(err.Error(), "flag provided but not defined: -")
	if !ok {
		return "", ""
	}
	typed = strings.TrimLeft(typed, "-")
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	if c := Closest(typed, names); len(c) == 1 {
		closest = "-" + c
	} else if c != "" {
		closest = "--" + c
	}
	return typed, closest
}

// distance is the optimal string alignment distance of a and b: the
// edits (insert, delete, replace, swap two neighbours) from one to the
// other.
func distance(a, b string) int {
	x, y := []rune(a), []rune(b)
	d := make([][]int, len(x)+1)
	for i := range d {
		d[i] = make([]int, len(y)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(x); i++ {
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d[i][j] = least(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d[i][j] = least(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(x)][len(y)]
}

func least(n ...int) int {
	m := n[0]
	for _, v := range n[1:] {
		if v < m {
			m = v
		}
	}
	return m
}

// The flags the importer's commands share, with the environment variables
// that set them (README.md lists them).

// DBFlag is --db, the fleet database, def when not given: a SQLite file,
// or a postgres:// URL (pkg/store picks the store by it).
func DBFlag(def string) cli.Flag {
	return &cli.StringFlag{Name: "db", Value: def, Usage: "fleet database: a SQLite `FILE`, or a postgres:// URL", EnvVars: []string{"ACTCOURIER_DB"}}
}

// IdentityFlag is -i/--identity, the site's age identity files.
func IdentityFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "identity", Aliases: []string{"i"}, Usage: "age identity `FILE` (repeatable)", EnvVars: []string{"ACTCOURIER_IDENTITY"}}
}

// SiteFlag is --site, LineFlag --line: only the devices there.
func SiteFlag() cli.Flag { return &cli.StringFlag{Name: "site", Usage: "only this `SITE`"} }
func LineFlag() cli.Flag { return &cli.StringFlag{Name: "line", Usage: "only this `LINE`"} }

// LangFlag is --lang, en (the default) or ja.
func LangFlag() cli.Flag {
	return &cli.StringFlag{Name: "lang", Value: "en", Usage: "language `LANG`: en or ja", EnvVars: []string{"ACTCOURIER_LANG"}}
}

// AsOfFlag is --as-of: the date verdicts are taken at, counting the
// collections made up to that day.
func AsOfFlag() cli.Flag {
	return &cli.StringFlag{Name: "as-of", Usage: "the fleet as of `DATE` (YYYY-MM-DD; default today): verdicts at its start, " +
		"from each device's latest collection made on or before it", EnvVars: []string{"ACTCOURIER_AS_OF"}}
}

// ByFlag is --by: who runs a command, kept with what it stores or
// writes.
func ByFlag() cli.Flag {
	return &cli.StringFlag{Name: "by", Usage: "`NAME` of who does it, kept with what is imported or written (default: your user name)", EnvVars: []string{"ACTCOURIER_BY"}}
}

// By is --by, else the name of the user running the program.
func By(c *cli.Context) string {
	if u, err := user.Current(); c.String("by") == "" && err == nil {
		return u.Username
	}
	return c.String("by")
}
