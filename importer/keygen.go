package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/urfave/cli/v2"
)

func keygenCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "keygen",
		Usage: "write a new site identity and print its recipient for the collector's settings",
		Description: "Writes an age identity (the private key that opens bundles) to --out with mode 0600;\n" +
			"it never overwrites a file. Keep it on the workstation, never on a stick. The printed\n" +
			"recipient (age1…) goes into actcourier.conf on the sticks (importer stick does that).\n" +
			"With --passphrase the file is encrypted with a passphrase (asked twice, or taken from\n" +
			passphraseEnv + ").\n\n" + exitHelp,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "identity `FILE` to create", Required: true},
			&cli.BoolFlag{Name: "passphrase", Aliases: []string{"p"}, Usage: "protect the identity with a passphrase"},
		},
		Action: func(c *cli.Context) error {
			return runKeygen(c.String("out"), c.Bool("passphrase"), stdout, stderr)
		},
	}
}

func runKeygen(out string, withPass bool, stdout, stderr io.Writer) error {
	id, err := age.GenerateX25519Identity()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	fmt.Fprintf(&buf, "# created: %s\n# public key: %s\n%s\n", time.Now().Format(time.RFC3339), id.Recipient(), id)
	data := buf.Bytes()
	if withPass {
		pass, err := readPassphrase("New passphrase: ")
		if err != nil {
			return &usageError{"keygen --passphrase: " + err.Error(), "run it in a terminal, or set " + passphraseEnv}
		}
		if _, set := os.LookupEnv(passphraseEnv); !set {
			again, err := readPassphrase("Repeat passphrase: ")
			if err != nil || again != pass {
				return &usageError{"keygen: the passphrases differ", "run keygen again"}
			}
		}
		if pass == "" {
			return &usageError{"keygen: empty passphrase", "choose a passphrase, or leave out --passphrase"}
		}
		rc, err := age.NewScryptRecipient(pass)
		if err != nil {
			return err
		}
		var enc bytes.Buffer
		aw := armor.NewWriter(&enc)
		w, err := age.Encrypt(aw, rc)
		if err != nil {
			return err
		}
		w.Write(data)
		if err := w.Close(); err != nil {
			return err
		}
		if err := aw.Close(); err != nil {
			return err
		}
		data = enc.Bytes()
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return &usageError{fmt.Sprintf("keygen: %s already exists; not overwriting an identity", out), "choose another --out; an overwritten identity can never open its bundles again"}
	}
	if err != nil {
		return &usageError{"keygen: " + err.Error(), "check the --out folder"}
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(out)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(out)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(out)
		return err
	}
	fmt.Fprintf(stderr, "importer: wrote identity %s (keep it here, never on a stick)\n", out)
	fmt.Fprintln(stdout, id.Recipient().String())
	return nil
}
