package main

import (
	"fmt"
	"strings"
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

func dbFlag() cli.Flag {
	return &cli.StringFlag{Name: "db", Value: defaultDB, Usage: "fleet database `FILE`", EnvVars: []string{"ACTCOURIER_DB"}}
}

func identityFlag() cli.Flag {
	return &cli.StringSliceFlag{Name: "identity", Aliases: []string{"i"}, Usage: "age identity `FILE` (repeatable)", EnvVars: []string{"ACTCOURIER_IDENTITY"}}
}

func siteFlag() cli.Flag { return &cli.StringFlag{Name: "site", Usage: "only this site"} }
func lineFlag() cli.Flag { return &cli.StringFlag{Name: "line", Usage: "only this line"} }

func filterOf(c *cli.Context) fleet.Filter {
	return fleet.Filter{Site: c.String("site"), Line: c.String("line")}
}

func langFlag() cli.Flag {
	return &cli.StringFlag{Name: "lang", Value: string(classify.English), Usage: "language: en or ja", EnvVars: []string{"ACTCOURIER_LANG"}}
}

func parseLang(s string) (classify.Lang, error) {
	l, err := classify.ParseLang(s)
	if err != nil {
		return "", &usageError{fmt.Sprintf("--lang %q", s), "use --lang en or --lang ja"}
	}
	return l, nil
}

// asOfFlag is --as-of: the date verdicts are taken at, the start of that
// day in the local time zone.
func asOfFlag() cli.Flag {
	return &cli.StringFlag{Name: "as-of", Usage: "classify as of `DATE` (YYYY-MM-DD; default today)", EnvVars: []string{"ACTCOURIER_AS_OF"}}
}

func openStore(path string) (*store.DB, error) {
	db, err := store.Open(path)
	if err != nil {
		return nil, &usageError{err.Error(), "check --db (default " + defaultDB + " in the current folder); a database written by a newer importer needs that importer"}
	}
	return db, nil
}

// openAsOf reads --as-of and opens --db, for the commands that read the
// fleet.
func openAsOf(c *cli.Context) (*store.DB, time.Time, error) {
	asOf := time.Now()
	if s := strings.TrimSpace(c.String("as-of")); s != "" {
		var err error
		if asOf, err = time.ParseInLocation("2006-01-02", s, time.Local); err != nil {
			return nil, asOf, &usageError{fmt.Sprintf("--as-of %q is not a date", s), "write it as YYYY-MM-DD, e.g. 2026-12-01"}
		}
	}
	db, err := openStore(c.String("db"))
	return db, asOf, err
}
