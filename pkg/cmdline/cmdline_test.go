package cmdline

import (
	"errors"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

func TestClosest(t *testing.T) {
	names := []string{"keygen", "import", "import-text", "report", "devices", "show", "stick", "inspect"}
	tests := []struct{ typed, want string }{
		{"improt", "import"},
		{"imprt", "import"},
		{"IMPORT", "import"},
		{"devcies", "devices"},
		{"shwo", "show"},
		{"reprot", "report"},
		{"xyz", ""},
		{"backup", ""},
	}
	for _, tc := range tests {
		if got := Closest(tc.typed, names); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.typed, got, tc.want)
		}
	}
}

func TestUnknownFlag(t *testing.T) {
	flags := []cli.Flag{&cli.StringFlag{Name: "site"}, &cli.StringFlag{Name: "identity", Aliases: []string{"i"}}}
	tests := []struct {
		err            string
		typed, closest string
	}{
		{"flag provided but not defined: -sit", "sit", "--site"},
		{"flag provided but not defined: --identiy", "identiy", "--identity"},
		{"flag provided but not defined: -x", "x", "-i"},
		{"flag provided but not defined: -zzzzz", "zzzzz", ""},
		{"invalid value", "", ""},
	}
	for _, tc := range tests {
		typed, closest := UnknownFlag(errors.New(tc.err), flags)
		if typed != tc.typed || closest != tc.closest {
			t.Errorf("UnknownFlag(%q) = %q, %q; want %q, %q", tc.err, typed, closest, tc.typed, tc.closest)
		}
	}
}

func TestInterspersed(t *testing.T) {
	app := &cli.App{Commands: []*cli.Command{{Name: "stick", Flags: []cli.Flag{
		&cli.StringSliceFlag{Name: "recipient", Aliases: []string{"r"}}, &cli.BoolFlag{Name: "force"}}},
		{Name: "activation", Subcommands: []*cli.Command{{Name: "stick", Flags: []cli.Flag{&cli.StringFlag{Name: "site"}}}}}}}
	tests := []struct{ in, want string }{
		{"importer activation stick E: --site S", "importer activation stick --site S -- E:"},
		{"importer activation E: --site S", "importer activation --site -- E: S"}, // no such subcommand: activation refuses --site
		{"importer stick E: -r age1x --force", "importer stick -r age1x --force -- E:"},
		{"importer stick --force E: -- -odd", "importer stick --force -- E: -odd"},
		{"importer stick -r=age1x", "importer stick -r=age1x"},
		{"importer other E: -r x", "importer other E: -r x"},
		{"importer stick E: --help", "importer stick --help"}, // not urfave's "No help topic for 'E:'"
	}
	for _, tc := range tests {
		if got := strings.Join(Interspersed(app, strings.Fields(tc.in)), " "); got != tc.want {
			t.Errorf("Interspersed(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestHelp: the word help is the help flag, wherever a user puts it
// among the commands.
func TestHelp(t *testing.T) {
	app := &cli.App{Commands: []*cli.Command{{Name: "import"},
		{Name: "activation", Subcommands: []*cli.Command{{Name: "stick"}}}}}
	tests := []struct{ in, want string }{
		{"importer help", "importer --help"},
		{"importer help import", "importer import --help"},
		{"importer help import x.age --db y", "importer import --help"},
		{"importer import help", "importer import --help"},
		{"importer import help -q", "importer import --help"},
		{"importer help activation stick", "importer activation stick --help"},
		{"importer activation help stick", "importer activation stick --help"},
		{"importer activation stick help", "importer activation stick --help"},
		{"importer help help", "importer --help"},
		{"importer help improt", "importer improt"},                   // NoCommand names it
		{"importer help activation stik", "importer activation stik"}, // noSubcommand names it
		{"importer import ./help", "importer import ./help"},          // a folder named help
		{"importer import x.age help", "importer import x.age help"},  // arguments, not help
		{"importer improt help", "importer improt help"},              // not a command
		{"importer", "importer"},
	}
	for _, tc := range tests {
		if got := strings.Join(Help(app, strings.Fields(tc.in)), " "); got != tc.want {
			t.Errorf("Help(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestExitStatus(t *testing.T) {
	got := ExitStatus("0 done", "130 interrupted")
	want := "EXIT STATUS:\n   0    done\n   130  interrupted\n"
	if got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestUnknownSubcommand: a mistyped subcommand is a usage error naming
// the closest one, not urfave's "No help topic".
func TestUnknownSubcommand(t *testing.T) {
	app := &cli.App{Name: "importer", Commands: []*cli.Command{{Name: "activation",
		Subcommands: []*cli.Command{{Name: "stick", Action: func(*cli.Context) error { return nil }}}}}}
	Apply(app)
	err := app.Run([]string{"importer", "activation", "stik"})
	var ue *UsageError
	if !errors.As(err, &ue) || !strings.Contains(ue.Msg, `unknown subcommand "stik"`) || !strings.Contains(ue.Advice, `did you mean "stick"?`) {
		t.Errorf("got %v", err)
	}
}

// TestUnknownCommand: a mistyped command names the closest one; the
// word version, to an app whose version is its --version flag, says so
// (it was "unknown command" with the command list only).
func TestUnknownCommand(t *testing.T) {
	for _, tc := range []struct {
		name      string
		versioned bool // the app has a --version flag
		arg       string
		msg, hint string
	}{
		{"a typo", true, "improt", `unknown command "improt"`, `did you mean "import"? importer --help lists the commands`},
		{"version", true, "version", `unknown command "version"`, "the version is importer --version; importer --help lists the commands"},
		{"version, no such flag", false, "version", `unknown command "version"`, "importer --help lists the commands"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			app := &cli.App{Name: "importer", Commands: []*cli.Command{{Name: "import", Action: func(*cli.Context) error { return nil }}}}
			if tc.versioned {
				app.Flags = []cli.Flag{&cli.BoolFlag{Name: "version"}}
			}
			Apply(app)
			err := app.Run([]string{"importer", tc.arg})
			var ue *UsageError
			if !errors.As(err, &ue) || ue.Msg != tc.msg || ue.Advice != tc.hint {
				t.Errorf("got %v (hint %q), want %q (hint %q)", err, hintOf(err), tc.msg, tc.hint)
			}
		})
	}
}

func hintOf(err error) string {
	var ue *UsageError
	if errors.As(err, &ue) {
		return ue.Advice
	}
	return ""
}

// TestFlagError: a flag mistyped, or given a value it does not take, is
// named as it is typed (--name, -n), with the command it was given to;
// Go's flag package names every flag with one dash ("flag provided but
// not defined: -verbos" for --verbos). --version given to a command says
// where it goes.
func TestFlagError(t *testing.T) {
	newApp := func() *cli.App {
		app := &cli.App{Name: "importer", Flags: []cli.Flag{&cli.BoolFlag{Name: "version"}}, Commands: []*cli.Command{{Name: "import",
			Flags: []cli.Flag{&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}}, &cli.IntFlag{Name: "jobs", Aliases: []string{"j"}},
				&cli.StringFlag{Name: "db"}},
			Action: func(*cli.Context) error { return nil }}}}
		Apply(app)
		app.ExitErrHandler = func(*cli.Context, error) {}
		return app
	}
	tests := []struct{ args, msg, hint string }{
		{"importer import --verbos E", "importer import has no flag --verbos", "did you mean --verbose? importer import --help lists its flags"},
		{"importer import -x E", "importer import has no flag -x", "did you mean -v? importer import --help lists its flags"},
		{"importer --dbb x import", "importer has no flag --dbb", "importer --help lists its flags"},
		{"importer import --version E", "importer import has no flag --version", "the version is importer --version, given alone; importer import --help lists its flags"},
		{"importer import --jobs abc E", `invalid value "abc" for --jobs: parse error`, "importer import --help lists its flags"},
		{"importer import --db", "--db needs a value", "importer import --help lists its flags"},
		// Go's words for a switch differ: "for -verbose", not "for flag -".
		{"importer import --verbose=maybe E", `invalid boolean value "maybe" for --verbose: parse error`, "importer import --help lists its flags"},
		{"importer import --jobs=x_for_flag_-y E", `invalid value "x for flag -y" for --jobs: parse error`, "importer import --help lists its flags"},
		{"importer import -v=maybe E", `invalid boolean value "maybe" for -v: parse error`, "importer import --help lists its flags"},
	}
	for _, tc := range tests {
		t.Run(tc.args, func(t *testing.T) {
			// "_" is a space inside a word of args.
			args := strings.Fields(tc.args)
			for i := range args {
				args[i] = strings.ReplaceAll(args[i], "_", " ")
			}
			err := newApp().Run(args)
			var u *UsageError
			if !errors.As(err, &u) {
				t.Fatalf("got %v, want a UsageError", err)
			}
			if u.Msg != tc.msg || u.Advice != tc.hint {
				t.Errorf("got %q, hint %q; want %q, hint %q", u.Msg, u.Advice, tc.msg, tc.hint)
			}
		})
	}
}
