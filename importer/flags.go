package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/store"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// defaultDB is the database file when --db is not given.
const defaultDB = "actcourier.db"

// importMemory is the soft memory limit of an import's Go heap (bytes).
// With GC percent 800 the heap grows to nine times what is live, and
// what is live grows as the fleet does: a larger database makes the
// writer slower, so fuller batches wait for it (3 to 7 MiB live from the
// first bundle of 40,000 to the last). 64 MiB holds the heap where
// 10,000 bundles leave it anyway: three alternated runs each gave 79 to
// 80 MiB of RSS for 10,000 bundles and 82 to 83 for 40,000, where 384
// MiB let 40,000 reach 96 to 106, at no cost in CPU time. Bundles at the
// limits (16 MiB of members each; workers and the writer hold a few at a
// time, docs/security.md) go over it and the collector runs more often:
// 200 bundles with 12 MiB of raw output each took 24 to 25 s and 256 to
// 260 MiB instead of 22 to 23 s and 433 to 437 MiB.
const importMemory = 64 << 20

// reportMemory is the soft memory limit of a report (bytes): workers hold
// a few lines at a time, whatever the fleet's size.
const reportMemory = 384 << 20

// filterOf is --site and --line, with the collections before until.
func filterOf(c *cli.Context, until time.Time) fleet.Filter {
	return fleet.Filter{Site: c.String("site"), Line: c.String("line"), Until: until}
}

// errStop ends a walk of the fleet early.
var errStop = errors.New("stop")

// checkFilter refuses a --site or --line that selects no device (as of
// until): a name mistyped, in another case or for a date before the site
// was collected would otherwise give an empty report, which an auditor
// could take for a site with nothing to do. The hint names the sites the
// fleet has (by the store's exact match), the closest first
// (cmdline.Closest). asOf is the
// date the user gave (f.Until is the end of that day).
func checkFilter(ctx context.Context, db fleet.Store, f fleet.Filter, asOf time.Time) error {
	if f.Site == "" && f.Line == "" {
		return nil
	}
	found := false
	one := f
	one.Limit = 1
	err := db.Latest(ctx, one, false, func(fleet.Device) error { found = true; return errStop })
	if found {
		return nil
	}
	if err != nil {
		return err
	}
	what := "site " + strconv.Quote(f.Site)
	switch {
	case f.Site == "":
		what = "line " + strconv.Quote(f.Line)
	case f.Line != "":
		what += ", line " + strconv.Quote(f.Line)
	}
	when := ""
	if !f.Until.IsZero() {
		when = " as of " + asOf.Format("2006-01-02")
	}
	pools, err := db.Pools(ctx, f.Until)
	if err != nil {
		return err
	}
	sites := make([]string, 0, len(pools))
	for s := range pools {
		sites = append(sites, s)
	}
	sort.Strings(sites)
	if f.Site != "" {
		// The site the user most likely meant (another case, a typo)
		// first, as an unknown command or flag is answered.
		closestFirst(f.Site, sites)
	}
	later := ""
	if !f.Until.IsZero() {
		later = "; a site or line collected later needs a later --as-of"
	}
	if _, ok := pools[f.Site]; ok && f.Line != "" {
		// The site is right and the line is not: name the site's lines,
		// not the sites.
		return lineHint(ctx, db, f, what+when, later)
	}
	hint := "the fleet has no device" + when + "; import bundles" + later
	if len(sites) > 0 {
		more := ""
		if len(sites) > mostNames {
			sites, more = sites[:mostNames], fmt.Sprintf(" and %d more", len(sites)-mostNames)
		}
		for i, s := range sites {
			sites[i] = strconv.Quote(s)
		}
		hint = "names are matched exactly; sites" + when + ": " + terminal.Message(strings.Join(sites, ", ")) + more +
			" (importer devices --site SITE lists a site's lines)" + later
	}
	return usage(terminal.Message("no device in "+what+when), hint)
}

// closestFirst moves the name closest to s (cmdline.Closest), if any,
// to the front of names, keeping the others' order.
func closestFirst(s string, names []string) {
	c := cmdline.Closest(s, names)
	if c == "" {
		return
	}
	for i, n := range names {
		if n == c {
			copy(names[1:i+1], names[:i])
			names[0] = c
			return
		}
	}
}

// mostNames is how many sites or lines a hint names.
const mostNames = 20

// lineHint refuses a --line that the --site, which has devices, does not
// have: the hint names the site's lines (as of f.Until), the closest to
// --line first.
func lineHint(ctx context.Context, db fleet.Store, f fleet.Filter, what, later string) error {
	var lines []string
	more := false
	site := fleet.Filter{Site: f.Site, Until: f.Until}
	err := db.Latest(ctx, site, false, func(d fleet.Device) error {
		if n := len(lines); n > 0 && lines[n-1] == d.Line {
			return nil
		}
		if len(lines) == mostNames {
			more = true
			return errStop
		}
		lines = append(lines, d.Line)
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return err
	}
	closestFirst(f.Line, lines)
	for i, l := range lines {
		lines[i] = strconv.Quote(l)
	}
	list := strings.Join(lines, ", ")
	if more {
		list += " and more (importer devices --site SITE lists them)"
	}
	return usage(terminal.Message("no device in "+what),
		"names are matched exactly; lines of site "+terminal.Message(strconv.Quote(f.Site))+": "+terminal.Message(list)+later)
}

// importDB is the fleet database of import and import-text. One that is
// not there yet is created by the first batch there is to store, not
// before: a run that stores nothing (every bundle for another key, every
// text unreadable) leaves no empty database in the folder, and none that
// was there is ever removed, so another importer that creates and fills
// it meanwhile loses nothing. Only ImportBatch and Close are called.
type importDB struct {
	fleet.Store        // nil until the first batch opens it
	dsn         string // to open at the first batch
	err         error  // why it did not open then
}

// openToImport opens --db for an import: at once a database that is
// there (a PostgreSQL database always is: Open never creates one, it
// puts the fleet's tables in), else when there is something to store.
// What would refuse a new file whatever is stored (a --db that is no
// path or postgres:// URL, a folder that does not exist) is refused at
// once, as usage errors.
func openToImport(dsn string) (*importDB, error) {
	missing, err := store.Missing(dsn)
	if err != nil {
		return nil, usage(err.Error(), store.Hint(err))
	}
	if !missing {
		db, err := openStore(dsn)
		if err != nil {
			return nil, err
		}
		return &importDB{Store: db}, nil
	}
	if err := noFolder(dsn); err != nil {
		return nil, err
	}
	return &importDB{dsn: dsn}, nil
}

// noFolder refuses a new SQLite database in a folder that is not there,
// which SQLite reports as "unable to open database file: out of memory".
// A database that is there, or a dsn Open will refuse anyway, passes.
func noFolder(dsn string) error {
	if missing, err := store.Missing(dsn); err != nil || !missing {
		return nil
	}
	if fi, err := os.Stat(filepath.Dir(dsn)); err != nil || !fi.IsDir() {
		return usage(fmt.Sprintf("database %s: no folder %s to create it in", dsn, filepath.Dir(dsn)),
			"create the folder first, or give --db a file in a folder that exists")
	}
	return nil
}

// ImportBatch opens (so creates) the database at the first batch, then
// stores it there.
func (d *importDB) ImportBatch(ctx context.Context, cs []*fleet.Collection) ([]fleet.Stored, []error, error) {
	if d.err != nil {
		return nil, nil, d.err
	}
	if d.Store == nil {
		db, err := store.Open(d.dsn)
		if err != nil {
			d.err = err
			return nil, nil, err
		}
		d.Store = db
	}
	return d.Store.ImportBatch(ctx, cs)
}

// Close closes the database, if it was opened.
func (d *importDB) Close() error {
	if d.Store == nil {
		return nil
	}
	return d.Store.Close()
}

// name is the database as the summary names it: a new one that nothing
// was stored into was not created, and the summary says so rather than
// send the user to look for a file that is not there.
func (d *importDB) name(dsn string) string {
	if d.Store == nil && d.err == nil {
		return store.Name(dsn) + " (no database was created: nothing to store)"
	}
	return store.Name(dsn)
}

// openFailed is the usage error (exit 2, as when a database that is there
// does not open) for a new database that did not open at the first batch,
// or nil.
func (d *importDB) openFailed() error {
	if d.err == nil {
		return nil
	}
	return usage(d.err.Error(), store.Hint(d.err))
}

// openStore opens the database dsn, creating a SQLite file that is not
// there (in a folder that is).
func openStore(dsn string) (*store.DB, error) {
	if err := noFolder(dsn); err != nil {
		return nil, err
	}
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
