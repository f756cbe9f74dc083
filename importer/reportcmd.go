package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/importer/store"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
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
	var cur []report.Device
	curSite, curLine := "", ""
	flush := func() error {
		if len(cur) == 0 {
			return nil
		}
		err := w.Line(curSite, curLine, cur)
		cur = cur[:0]
		return err
	}
	n := 0
	pools, err := classifyFleet(ctx, db, f, opt.AsOf, func(d store.Device, s *licensing.Snapshot, v classify.Verdict) error {
		if d.Site != curSite || d.Line != curLine {
			if err := flush(); err != nil {
				return err
			}
			curSite, curLine = d.Site, d.Line
		}
		rd := report.Device{Key: d.Key, Site: d.Site, Line: d.Line, Asset: d.Asset, Hostname: d.Hostname,
			CollectedAt: s.Context.Collected, Engineer: d.Engineer, Collector: s.Context.Collector, BundleID: d.BundleID,
			SHA256: d.SHA256, Source: d.Source, Collections: d.Collections, Snapshot: s, Verdict: v}
		raws, err := db.Raw(ctx, d.CollectionID)
		if err != nil {
			return err
		}
		cmds := map[string]string{}
		for _, r := range s.Raw {
			cmds[r.Member] = r.Command
		}
		for _, r := range raws {
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
		cur = append(cur, rd)
		n++
		return nil
	})
	if err == nil {
		err = flush()
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
	fmt.Fprintf(stdout, "%d devices as of %s: %d files in %s (open %s/index.html)\n", n, opt.AsOf.Format("2006-01-02"), len(files), out, out)
	return nil
}
