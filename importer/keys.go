package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
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
			"2 usage error, --out exists or cannot be written, or the passphrases differ: nothing was written"),
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "identity `FILE` to create (required)"},
			&cli.BoolFlag{Name: "passphrase", Aliases: []string{"p"}, Usage: "protect the identity with a passphrase"},
		},
		Before: cmdline.Require("out"),
		Action: func(c *cli.Context) error {
			pass := ""
			if c.Bool("passphrase") {
				_, fromEnv := os.LookupEnv(passphraseEnv)
				var err error
				if pass, err = sitekey.NewPassphrase(askPassphrase, !fromEnv); err != nil {
					return usage("keygen --passphrase: "+err.Error(), "run it in a terminal and type the same passphrase twice, or set "+passphraseEnv)
				}
			}
			id, data, err := sitekey.Generate(pass, time.Now())
			if err != nil {
				return err
			}
			out := c.String("out")
			if err := sitekey.WriteNew(out, data); errors.Is(err, sitekey.ErrExists) {
				return usage(fmt.Sprintf("keygen: %s already exists; not overwriting an identity", out), "choose another --out; an overwritten identity can never open its bundles again")
			} else if err != nil {
				return usage("keygen: "+err.Error(), "check the --out folder")
			}
			fmt.Fprintf(stderr, "importer: wrote identity %s (keep it here, never on a stick); its recipient's fingerprint is %s\n", out, stick.Fingerprint(id.Recipient().String()))
			fmt.Fprintln(stdout, id.Recipient().String())
			return nil
		},
	}
}

// askPassphrase takes the passphrase from ACTCOURIER_PASSPHRASE, else
// asks on the terminal without echo.
func askPassphrase(prompt string) (string, error) {
	if p, ok := os.LookupEnv(passphraseEnv); ok {
		return p, nil
	}
	return terminal.Passphrase(prompt)
}

// loadIdentities reads every age identity from the given files (several
// during a key rotation); a passphrase-protected file is asked for.
func loadIdentities(paths []string) ([]age.Identity, error) {
	ids, err := sitekey.Load(paths, askPassphrase)
	switch {
	case errors.Is(err, sitekey.ErrNoIdentity):
		return nil, usage(err.Error(), "pass the site's identity file with -i or ACTCOURIER_IDENTITY")
	case errors.Is(err, sitekey.ErrPassphrase):
		return nil, usage(err.Error(), "type the passphrase again, or set "+passphraseEnv+" for scripts")
	case errors.Is(err, sitekey.ErrNotIdentity):
		return nil, usage(err.Error(), "pass a file written by 'importer keygen' or age-keygen")
	case err != nil:
		return nil, usage("open identity: "+err.Error(), "check the path of the identity file; a protected one needs its passphrase at a terminal or in "+passphraseEnv)
	}
	return ids, nil
}
