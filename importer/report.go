package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/version"
)

func reportCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "write per-site, per-line reports (HTML, CSV, JSON, XLSX) of the latest collection of every device",
		Description: "Writes into --out: index.html (fleet), devices.csv, products.csv and devices.json (every device),\n" +
			"and per site a folder with index.html, SITE.xlsx and, per line, LINE.html, LINE.csv,\n" +
			"LINE.products.csv and LINE.json. Verdicts are taken as of --as-of (default today): grace\n" +
			"periods are projected from the collection time.\n\n" + exitHelp,
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output `DIR`", Required: true},
			&cli.StringFlag{Name: "format", Value: "html,csv,json,xlsx", Usage: "comma-separated: html, csv, json, xlsx"},
			langFlag(), siteFlag(), lineFlag(), asOfFlag(),
		},
		Action: func(c *cli.Context) error {
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			db, asOf, err := openAsOf(c)
			if err != nil {
				return err
			}
			defer db.Close()
			opt := report.Options{Lang: lang, AsOf: asOf, Formats: strings.Split(c.String("format"), ","),
				Generator: "ActCourier importer " + version.String()}
			// Reports allocate much and keep little: collect garbage less
			// often.
			defer debug.SetGCPercent(debug.SetGCPercent(400))
			out := c.String("out")
			w, err := fleet.Report(c.Context, db, out, filterOf(c), opt)
			if errors.Is(err, report.ErrFormat) {
				return &usageError{err.Error(), "use --format with html, csv, json or xlsx"}
			}
			if err != nil {
				return fmt.Errorf("report into %s: %w", out, err)
			}
			fmt.Fprintf(stdout, "%d devices as of %s: %d files in %s (open %s)\n", w.Devices, asOf.Format("2006-01-02"), len(w.Files), out,
				filepath.Join(out, "index.html"))
			return nil
		},
	}
}
