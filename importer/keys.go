package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/sitekey"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// passphraseEnv names the environment variable that scripts use to give
// the passphrase of protected identity files.
const passphraseEnv = "ACTCOURIER_PASSPHRASE"

func keygenCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "keygen",
		Usage: "write a new site identity and print its recipient for the collector's settings",
		Description: "Writes an age identity (the private key that opens bundles) to --out with mode 0600;\n" +
			"it never overwrites a file. Keep it on the workstation, never on a stick. The printed\n" +
			"recipient (age1…) goes into actcourier.conf on the sticks (importer stick does that).\n" +
			"With --passphrase the file is encrypted with a passphrase (asked twice, or taken from\n" +
			passphraseEnv + ").\n\n" + cmdline.ExitStatus("0 the identity was written and its recipient printed",
			"2 usage error, --out exists or cannot be written, or the passphrases differ: nothing was written", interruptedAtPrompt),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "identity `FILE` to create (required)"},
			&cli.BoolFlag{Name: "passphrase", Aliases: []string{"p"}, Usage: "protect the identity with a passphrase"},
		},
		Before: cmdline.Require("out"),
		Action: func(c *cli.Context) error {
			pass, out := "", c.String("out")
			if c.Bool("passphrase") {
				_, fromEnv := os.LookupEnv(passphraseEnv)
				var err error
				if pass, err = sitekey.NewPassphrase(askPassphrase(c.Context), !fromEnv); err != nil {
					return explain(err)
				}
			}
			id, err := sitekey.Create(out, pass, time.Now())
			if errors.Is(err, sitekey.ErrExists) {
				// The file first, as every error names it, not in
				// brackets after the package's own words.
				_, hint := fleet.Explain(err)
				return usage(terminal.Inline(out)+": already exists, not overwriting an identity", hint)
			}
			if err != nil {
				return explain(err)
			}
			fmt.Fprintf(stderr, "importer: wrote identity %s (keep it here, never on a stick); its recipient's fingerprint is %s\n", out, stick.Fingerprint(id.Recipient().String()))
			fmt.Fprintln(stdout, id.Recipient().String())
			return nil
		},
	}
}

// askPassphrase takes the passphrase from ACTCOURIER_PASSPHRASE, else
// asks on the terminal without echo; Ctrl-C ends the prompt.
func askPassphrase(ctx context.Context) func(prompt string) (string, error) {
	return fromScript(terminal.PassphraseFrom(ctx, passphraseEnv), "type it at a terminal, or set "+passphraseEnv+" in a script")
}

// fromScript is ask, whose terminal.ErrNoTerminal (stdin is no terminal:
// a script, a pipe, a scheduled task) becomes a *noTerminalError that
// tells how a script gives this command the passphrase: how.
func fromScript(ask func(prompt string) (string, error), how string) func(prompt string) (string, error) {
	return func(prompt string) (string, error) {
		p, err := ask(prompt)
		if errors.Is(err, terminal.ErrNoTerminal) {
			err = &noTerminalError{hint: how}
		}
		return p, err
	}
}

// noTerminalError is a passphrase asked for where nobody can type it,
// with how to give it instead (explain prints it as the hint); it is
// terminal.ErrNoTerminal for errors.Is.
type noTerminalError struct{ hint string }

func (e *noTerminalError) Error() string { return "no terminal to ask for the passphrase" }
func (e *noTerminalError) Unwrap() error { return terminal.ErrNoTerminal }

// loadIdentities reads every age identity from the given files (several
// during a key rotation); a passphrase-protected file is asked for.
func loadIdentities(ctx context.Context, paths []string) ([]age.Identity, error) {
	ids, err := sitekey.Load(paths, askPassphrase(ctx))
	if err != nil {
		return nil, explain(err)
	}
	return ids, nil
}
