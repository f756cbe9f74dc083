package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/importer/store"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/slmgr"
)

func reportCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "write per-site, per-line reports (HTML, CSV, JSON) of the latest collection of every device",
		Description: "Writes into --out: index.html (fleet), devices.csv and devices.json (every device), and per\n" +
			"site a folder with index.html and, per line, LINE.html, LINE.csv and LINE.json. Verdicts are\n" +
			"taken as of --as-of (default today): grace periods are projected from the collection time.\n\n" + exitHelp,
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output `DIR`", Required: true},
			&cli.StringFlag{Name: "format", Value: "html,csv,json", Usage: "comma-separated: html, csv, json"},
			&cli.StringFlag{Name: "lang", Value: "en", Usage: "report language: en or ja", EnvVars: []string{"ACTCOURIER_LANG"}},
			&cli.StringFlag{Name: "site", Usage: "only this site"},
			&cli.StringFlag{Name: "line", Usage: "only this line"},
			asOfFlag(),
		},
		Action: func(c *cli.Context) error {
			lang := c.String("lang")
			if lang != "en" && lang != "ja" {
				return &usageError{fmt.Sprintf("--lang %q", lang), "use --lang en or --lang ja"}
			}
			asOf, err := parseAsOf(c.String("as-of"))
			if err != nil {
				return err
			}
			opt := report.Options{Lang: lang, AsOf: asOf, Formats: strings.Split(c.String("format"), ","),
				Generator: "ActCourier importer " + programVersion()}
			return runReport(c.Context, c.String("db"), c.String("out"), store.Filter{Site: c.String("site"), Line: c.String("line")}, opt, stdout)
		},
	}
}

// runReport reads the fleet in site, line order and hands each line to a
// pool of workers that classify its devices and write its files; lines
// are committed to the site and fleet files in order. Only a few lines are
// in memory at once, whatever the size of the fleet.
func runReport(ctx context.Context, dbPath, out string, f store.Filter, opt report.Options, stdout io.Writer) error {
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	w, err := report.NewWriter(out, opt)
	if err != nil {
		return &usageError{err.Error(), "check --out and --format"}
	}
	pools, err := sitePools(ctx, db)
	if err != nil {
		return err
	}
	// Reports allocate much and keep little: collect garbage less often.
	defer debug.SetGCPercent(debug.SetGCPercent(400))

	type job struct {
		l    *report.LineReport
		rows []store.Device
		done chan error
	}
	workers := runtime.GOMAXPROCS(0)
	jobs := make(chan *job)
	order := make(chan *job, 2*workers)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				j.done <- renderLine(ctx, db, w, j.l, j.rows, pools, opt.AsOf)
			}
		}()
	}
	// The committer: lines in the order they were read.
	committed := make(chan error, 1)
	n := 0
	go func() {
		var first error
		for j := range order {
			err := <-j.done
			if err == nil && first == nil {
				err = w.Commit(j.l)
			}
			if err != nil && first == nil {
				first = err
				cancel()
			} else if err == nil {
				n += len(j.rows)
			}
		}
		committed <- first
	}()
	var cur []store.Device
	dispatch := func() {
		if len(cur) == 0 {
			return
		}
		j := &job{l: w.Begin(cur[0].Site, cur[0].Line), rows: cur, done: make(chan error, 1)}
		cur = nil
		order <- j
		select {
		case jobs <- j:
		case <-ctx.Done():
			j.done <- ctx.Err()
		}
	}
	err = db.Latest(ctx, f, true, func(d store.Device) error {
		if len(cur) > 0 && (d.Site != cur[0].Site || d.Line != cur[0].Line) {
			dispatch()
		}
		cur = append(cur, d)
		return ctx.Err()
	})
	if err == nil {
		dispatch()
	}
	close(jobs)
	wg.Wait()
	close(order)
	if cerr := <-committed; err == nil || errors.Is(err, context.Canceled) {
		if cerr != nil {
			err = cerr
		}
	}
	for site, p := range pools {
		w.SetPool(site, p)
	}
	files, cerr := w.Close()
	if err != nil {
		return err
	}
	if cerr != nil {
		return cerr
	}
	fmt.Fprintf(stdout, "%d devices as of %s: %d files in %s (open %s)\n", n, opt.AsOf.Format("2006-01-02"), len(files), out,
		filepath.Join(out, "index.html"))
	return nil
}

// renderLine classifies one line's devices and writes its files.
func renderLine(ctx context.Context, db *store.DB, w *report.Writer, l *report.LineReport, rows []store.Device,
	pools map[string]classify.Pool, asOf time.Time) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	ids := make([]int64, len(rows))
	for i, d := range rows {
		ids[i] = d.CollectionID
	}
	raws, err := db.RawFor(ctx, ids)
	if err != nil {
		return err
	}
	devs := make([]report.Device, 0, len(rows))
	for _, d := range rows {
		s, err := d.Snapshot()
		if err != nil {
			return fmt.Errorf("device %s (bundle %s): stored snapshot unreadable: %w", d.Key, d.BundleID, err)
		}
		rd := report.Device{Key: d.Key, Site: d.Site, Line: d.Line, Asset: d.Asset, Hostname: d.Hostname,
			CollectedAt: s.Context.Collected, Engineer: d.Engineer, Collector: s.Context.Collector, BundleID: d.BundleID,
			SHA256: d.SHA256, Source: d.Source, Collections: d.Collections, Snapshot: s,
			Verdict: classify.Device(s, asOf, classify.Site{Pool: pools[d.Site]})}
		cmds := map[string]string{}
		for _, r := range s.Raw {
			cmds[r.Member] = r.Command
		}
		for _, r := range raws[d.CollectionID] {
			if !strings.HasPrefix(r.Member, "raw/") {
				continue // slmgr.ini copies are not evidence to show
			}
			text, _ := slmgr.Decode(r.Data)
			cmd := cmds[r.Member]
			if cmd == "" {
				cmd = r.Member
			}
			rd.Raw = append(rd.Raw, report.Raw{Name: r.Member, Command: cmd, Text: text})
		}
		devs = append(devs, rd)
	}
	return w.Render(l, devs)
}
