package main

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/store"
)

// defaultDB is the database file when --db is not given.
const defaultDB = "actcourier.db"

// importMemory is the soft memory limit of an import (bytes): workers
// and the writer hold a few bundles of at most 16 MiB each at a time
// (docs/reliability.md).
const importMemory = 384 << 20

// reportMemory is the soft memory limit of a report (bytes): workers hold
// a few lines at a time, whatever the fleet's size.
const reportMemory = 384 << 20

// filterOf is --site and --line, with the collections before until.
func filterOf(c *cli.Context, until time.Time) fleet.Filter {
	return fleet.Filter{Site: c.String("site"), Line: c.String("line"), Until: until}
}

func parseLang(s string) (classify.Lang, error) {
	l, err := classify.ParseLang(s)
	if err != nil {
		return "", usage(fmt.Sprintf("--lang %q", s), "use --lang en or --lang ja")
	}
	return l, nil
}

func openStore(path string) (*store.DB, error) {
	db, err := store.Open(path)
	if err != nil {
		return nil, usage(err.Error(), "check --db (default "+defaultDB+" in the current folder); a database written by a newer importer needs that importer")
	}
	return db, nil
}

// openAsOf reads --as-of and opens --db, which must exist, for the
// commands that read the fleet: they never create a database.
func openAsOf(c *cli.Context) (db *store.DB, at, until time.Time, err error) {
	if at, until, err = fleet.AsOf(c.String("as-of"), time.Now(), time.Local); err != nil {
		return nil, at, until, usage(fmt.Sprintf("--as-of %q is not a date", c.String("as-of")), "write it as YYYY-MM-DD, e.g. 2026-12-01")
	}
	if db, err = store.OpenExisting(c.String("db")); errors.Is(err, fs.ErrNotExist) {
		return nil, at, until, usage(fmt.Sprintf("no fleet database %s", c.String("db")),
			"import bundles first (importer import -i KEY --db "+c.String("db")+" STICK), or give the database with --db or ACTCOURIER_DB")
	} else if err != nil {
		return nil, at, until, usage(err.Error(), "check --db; a database written by a newer importer needs that importer")
	}
	return db, at, until, nil
}
