package main

import (
	"io"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/store"
)

// migrateCommand moves a fleet between databases (store.Migrate).
func migrateCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{Name: "migrate", Usage: "move a fleet into another database (a SQLite file into PostgreSQL, or back), verified",
		Description: "Copies every device, collection and raw output, keeping their IDs, then checks that each table of --to\nholds exactly " +
			"the rows of --from (counts and SHA-256). Safe to run again: what was copied is kept, the rest copied.\n--to must be empty " +
			"or an earlier copy of --from.\n\n" + cmdline.ExitStatus("0 moved and verified", "2 usage or configuration error: a database "+
			"that does not open, --to holds another fleet, or the copy does not verify", "130 interrupted (Ctrl-C): what was copied is whole; run it again to go on"),
		Flags: []cli.Flag{&cli.StringFlag{Name: "from", Usage: "the fleet to move: a SQLite `FILE` or a postgres:// URL (required)"},
			&cli.StringFlag{Name: "to", Usage: "where to: a postgres:// `URL` or a SQLite file (required)"}}, Before: cmdline.Require("from", "to"),
		Action: func(c *cli.Context) error {
			if err := noFolder(c.String("to")); err != nil {
				return err
			}
			err := store.Migrate(c.Context, c.String("from"), c.String("to"), stdout)
			if err != nil && c.Context.Err() == nil {
				return usage(err.Error(), store.Hint(err))
			}
			return err
		},
	}
}
