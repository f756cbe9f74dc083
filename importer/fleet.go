package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/importer/store"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// sitePools reads every site's KMS pool: the pool flags stored with the
// latest collection of each device, summed (classify.PoolOf at import).
func sitePools(ctx context.Context, db *store.DB) (map[string]classify.Pool, error) {
	sums, err := db.Pools(ctx)
	if err != nil {
		return nil, err
	}
	pools := map[string]classify.Pool{}
	for site, p := range sums {
		pools[site] = classify.Pool{Client: p[0], Server: p[1], Office: p[2]}
	}
	return pools, nil
}

// classifyFleet classifies the latest collection of every device that f
// selects, as of asOf, and calls fn with each in site, line order. A KMS
// route depends on the whole site, so pools are counted over every site's
// devices, whatever f.Line says. f.Category filters on the verdict as of
// asOf, not on the stored one.
func classifyFleet(ctx context.Context, db *store.DB, f store.Filter, asOf time.Time,
	fn func(d store.Device, s *licensing.Snapshot, v classify.Verdict) error) (map[string]classify.Pool, error) {
	pools, err := sitePools(ctx, db)
	if err != nil {
		return nil, err
	}
	want := classify.Category(f.Category)
	f.Category = ""
	err = db.Latest(ctx, f, true, func(d store.Device) error {
		s, err := d.Snapshot()
		if err != nil {
			return fmt.Errorf("device %s (bundle %s): stored snapshot unreadable: %w", d.Key, d.BundleID, err)
		}
		v := classify.Device(s, asOf, classify.Site{Pool: pools[d.Site]})
		if want != "" && v.Category != want {
			return nil
		}
		return fn(d, s, v)
	})
	return pools, err
}

// asOfFlag is --as-of: the date verdicts are taken at.
func asOfFlag() cli.Flag {
	return &cli.StringFlag{Name: "as-of", Usage: "classify as of `DATE` (YYYY-MM-DD; default today)", EnvVars: []string{"ACTCOURIER_AS_OF"}}
}

// parseAsOf reads --as-of: a date means the start of that day in the
// local time zone.
func parseAsOf(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := time.ParseInLocation("2006-01-02", strings.TrimSpace(s), time.Local)
	if err != nil {
		return time.Time{}, &usageError{fmt.Sprintf("--as-of %q is not a date", s), "write it as YYYY-MM-DD, e.g. 2026-12-01"}
	}
	return t, nil
}

func openDB(path string) (*store.DB, error) {
	db, err := store.Open(path)
	if err != nil {
		return nil, &usageError{err.Error(), "check --db (default " + defaultDB + " in the current folder)"}
	}
	return db, nil
}
