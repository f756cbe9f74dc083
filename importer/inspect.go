package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/report"
)

func inspectCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "decrypt bundles, check every member and show their manifests",
		ArgsUsage: "BUNDLE...",
		Description: "Checks each bundle completely (decryption, sizes, SHA-256 of every member) and\n" +
			"prints its manifest. Nothing is imported or written.\n\n" + cmdline.ExitStatus("0 every bundle opened and checked",
			"1 some did not: each is named on stderr with why", "2 usage error, or no identity"),
		Flags: []cli.Flag{identityFlag(), &cli.BoolFlag{Name: "json", Usage: "print manifests as JSON lines"}},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usage("inspect: no bundle given", "name one or more .tar.zst.age files")
			}
			ids, err := loadIdentities(c.StringSlice("identity"))
			if err != nil {
				return err
			}
			failed := 0
			for _, p := range c.Args().Slice() {
				b, err := fleet.ReadBundle(p, bundle.Limits{}, ids)
				if err != nil {
					failed++
					_, hint := fleet.Explain(err)
					fmt.Fprintf(stderr, "importer: error: %s: %v\nimporter: hint: %s\n", p, err, hint)
					continue
				}
				if err := report.WriteManifest(stdout, p, b, c.Bool("json")); err != nil {
					return err
				}
			}
			if failed > 0 {
				return errPartial
			}
			return nil
		},
	}
}
