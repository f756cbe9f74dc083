package main

import (
	"errors"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/store"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// migrateCommand moves a fleet between databases (store.Migrate).
func migrateCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{Name: "migrate", Usage: "move a fleet into another database (a SQLite file into PostgreSQL, or back), verified",
		Description: "Copies every device, collection and raw output, keeping their IDs, then checks that each table of --to\nholds exactly " +
			"the rows of --from (counts and SHA-256). Safe to run again: what was copied is kept, the rest copied.\n--to must be empty " +
			"or an earlier copy of --from.\n\n" + cmdline.ExitStatus("0 moved and verified", "2 usage or configuration error: a database "+
			"that does not open, --to holds another fleet, or the copy does not verify", "130 interrupted (Ctrl-C): what was copied is whole; run it again to go on"),
		Flags: []cli.Flag{&cli.StringFlag{Name: "from", Usage: "the fleet to move: a SQLite `FILE` or a postgres:// URL (required)"},
			&cli.StringFlag{Name: "to", Usage: "where to: a postgres:// `URL` or a SQLite file (required)"}},
		Before: migrateUsage, OnUsageError: migrateFlagError,
		Action: func(c *cli.Context) error {
			if err := noFolder(c.String("to")); err != nil {
				return err
			}
			err := store.Migrate(c.Context, c.String("from"), c.String("to"), stdout)
			if err != nil && c.Context.Err() == nil {
				return usage(err.Error(), migrateHint(err))
			}
			return err
		},
	}
}

// migrateExample is what migrate's usage errors show to do.
const migrateExample = "give the fleet to move with --from and where to with --to, e.g. importer migrate --from actcourier.db --to postgres://…"

// migrateUsage refuses what migrate does not take before anything is
// opened: an argument (the fleet named without --from), a --from or --to
// missing or empty.
func migrateUsage(c *cli.Context) error {
	if c.Args().Present() {
		return usage("migrate: "+terminal.Inline(c.Args().First())+": migrate takes no arguments, the fleet to move is --from", migrateExample)
	}
	if err := cmdline.Required(c, "from", "to"); err != nil {
		return usage(err.Error(), migrateExample)
	}
	for _, name := range []string{"from", "to"} {
		if c.String(name) == "" {
			return usage("migrate: --"+name+" is empty", migrateExample)
		}
	}
	return nil
}

// migrateFlagError is cmdline.FlagError, but for --db, which every other
// command takes for the fleet: migrate's is --from.
func migrateFlagError(c *cli.Context, err error, sub bool) error {
	if typed, _ := cmdline.UnknownFlag(err, c.Command.Flags); typed == "db" {
		return usage("migrate: there is no --db here: the fleet to move is --from", migrateExample)
	}
	return cmdline.FlagError(c, err, sub)
}

// migrateHint is store.Hint in migrate's words: its databases are --from
// and --to, and only --from must hold a fleet already.
func migrateHint(err error) string {
	var nf *store.NoFleetError
	if errors.As(err, &nf) {
		return "give --from the fleet to move: a SQLite file that exists, or a postgres:// URL of a database that holds one"
	}
	return store.HintFor(err, "--from or --to")
}
