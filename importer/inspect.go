package main

import (
	"io"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
)

func inspectCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "decrypt bundles, check every member and show their manifests",
		ArgsUsage: "PATH...",
		Description: "Checks each bundle completely (decryption, sizes, SHA-256 of every member) and\n" +
			"prints its manifest. A folder (a whole stick) is searched for *.tar.zst.age files\n" +
			"as import searches it. Nothing is imported or written.\n\n" + cmdline.ExitStatus("0 every bundle opened and checked",
			"1 some did not: each is named on stderr with why", "2 usage error, or no identity", interruptedAtPrompt),
		Flags: []cli.Flag{cmdline.IdentityFlag(), &cli.BoolFlag{Name: "json", Usage: "print manifests as JSON lines"}},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usage("inspect: no bundle given", "name one or more .tar.zst.age files, or a folder such as the stick")
			}
			ids, err := loadIdentities(c.Context, c.StringSlice("identity"))
			if err != nil {
				return err
			}
			if failed, err := fleet.Inspect(stdout, stderr, c.Args().Slice(), ids, c.Bool("json")); err != nil || failed == 0 {
				return err
			}
			return errPartial
		},
	}
}
