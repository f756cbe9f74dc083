package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/stick"
	"github.com/actcourier/actcourier/pkg/terminal"
)

func stickCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "stick",
		Usage:     "prepare a USB stick for a field engineer: collectors, settings, launcher, guide",
		ArgsUsage: "DIR (the stick, or a folder on it)",
		Description: "Copies the Windows 7 collector builds (32- and 64-bit) from the release folder, writes\n" +
			stick.FileName + " with the recipient(s) and site defaults, ActCourier.cmd (picks the build\n" +
			"that fits the machine) and a one-page guide in Japanese and English. Never an identity:\n" +
			"give public keys (age1…) only.\n\n" + cmdline.ExitStatus("0 the stick was prepared",
			"2 usage error, no collector builds, a file already there (--force replaces it), or the stick is not writable"),
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "recipient", Aliases: []string{"r"}, Usage: "age public key `age1…` (required, repeatable; keygen prints it)"},
			&cli.StringFlag{Name: "site", Usage: "default `SITE`"},
			&cli.StringFlag{Name: "lines", Usage: "the site's lines, comma-separated (`A,B,C`)"},
			&cli.StringFlag{Name: "engineer", Usage: "default engineer `ID`"},
			&cli.StringFlag{Name: "dist", Usage: "release `DIR` holding the collector builds (default: beside the importer, then ./dist)"},
			&cli.BoolFlag{Name: "force", Usage: "replace files a previous run wrote"},
		},
		Before: cmdline.Require("recipient"),
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usage("stick: name the stick folder", "e.g. importer stick E:\\ -r age1… --site Nagoya")
			}
			cfg, err := stick.NewConfig(c.StringSlice("recipient"), c.String("site"), c.String("lines"), c.String("engineer"))
			var builds map[string][]byte
			if err == nil {
				builds, err = stick.ReadBuilds(c.String("dist"))
			}
			var written []string
			if err == nil {
				written, err = stick.Prepare(c.Args().First(), cfg, builds, c.Bool("force"))
			}
			for _, f := range written {
				fmt.Fprintf(stdout, "wrote %s\n", f)
			}
			var exists *stick.ExistsError
			if errors.As(err, &exists) {
				// The file first, as every error names it (keygen's
				// too), not in brackets after the package's words.
				_, hint := fleet.Explain(err)
				return usage(terminal.Inline(exists.Name)+": already on the stick", hint)
			}
			if err != nil {
				return explain(err)
			}
			// Quoted, as the site is: a line name may hold a space.
			lines := "any line"
			if len(cfg.Lines) > 0 {
				q := make([]string, len(cfg.Lines))
				for i, l := range cfg.Lines {
					q[i] = strconv.Quote(l)
				}
				lines = "lines " + strings.Join(q, ", ")
			}
			fmt.Fprintf(stdout, "stick ready: site %q, %s, bundles readable by %s; no private key on it\n", cfg.Site, lines, strings.Join(cfg.Fingerprints(), ", "))
			return nil
		},
	}
}
