package main

import (
	"fmt"
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

func openStore(dsn string) (*store.DB, error) {
	db, err := store.Open(dsn)
	if err != nil {
		return nil, usage(err.Error(), store.Hint(err))
	}
	return db, nil
}

// openAsOf reads --lang (English for a command without it) and --as-of
// and opens --db, which must exist, for the commands that read the
// fleet: they never create a database.
func openAsOf(c *cli.Context) (db *store.DB, lang classify.Lang, at, until time.Time, err error) {
	if lang = classify.English; c.String("lang") != "" {
		if lang, err = classify.ParseLang(c.String("lang")); err != nil {
			return nil, lang, at, until, usage(fmt.Sprintf("--lang %q", c.String("lang")), "use --lang en or --lang ja")
		}
	}
	if at, until, err = fleet.AsOf(c.String("as-of"), time.Now(), time.Local); err != nil {
		return nil, lang, at, until, usage(fmt.Sprintf("--as-of %q is not a date", c.String("as-of")), "write it as YYYY-MM-DD, e.g. 2026-12-01")
	}
	if db, err = store.OpenExisting(c.String("db")); err != nil {
		return nil, lang, at, until, usage(err.Error(), store.Hint(err))
	}
	return db, lang, at, until, nil
}
