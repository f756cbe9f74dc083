package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/version"
)

// outHint is what to do when --out cannot be written.
const outHint = "give --out a folder this user may write"

// fileInTheWay is the usage error for an --out that could not be made
// because it, or a folder above it, is a file (a LINE.csv given for the
// report's folder): the system's "mkdir x: not a directory" says neither
// which file is in the way nor what to do. It is nil when no file is.
func fileInTheWay(out string) error {
	for p := out; ; {
		fi, err := os.Stat(p)
		if err == nil {
			if fi.IsDir() {
				return nil
			}
			msg := fmt.Sprintf("--out %s is a file, not a folder", terminal.Inline(p))
			if p != out {
				msg = fmt.Sprintf("--out %s: %s is a file, not a folder", terminal.Inline(out), terminal.Inline(p))
			}
			return usage(msg,
				"give --out a folder: one that is missing is made, and one that is there keeps files of other names")
		}
		parent := filepath.Dir(p)
		if parent == p {
			return nil
		}
		p = parent
	}
}

func reportCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "report",
		Usage: "write per-site, per-line reports (HTML, CSV, JSON, XLSX) of the latest collection of every device",
		Description: "Writes into --out: index.html (fleet), devices.csv, products.csv and devices.json (every device),\n" +
			"and per site a folder with index.html, SITE.xlsx and, per line, LINE.html, LINE.csv,\n" +
			"LINE.products.csv and LINE.json. Verdicts are taken as of --as-of (default today): grace\n" +
			"periods are projected from the collection time, and only the collections made on or before\n" +
			"that day count. Before a later collection, that is the fleet as it was then: every page,\n" +
			"JSON file and workbook says so, with how many devices first collected later it leaves out.\n\n" + cmdline.ExitStatus("0 the reports were written",
			"2 usage or configuration error (no database, bad --format or --as-of, a --site or --line that selects no device, "+
				"a file in --out of a name it writes that no report wrote), or a report could not be written: nothing written",
			"130 interrupted (Ctrl-C): the folder is left as it was, with no file of this report"),
		Flags: []cli.Flag{
			cmdline.DBFlag(defaultDB),
			&cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output `DIR` (required)"},
			&cli.StringFlag{Name: "format", Value: "html,csv,json,xlsx", Usage: "comma-separated `LIST` of html, csv, json, xlsx"},
			cmdline.LangFlag(), cmdline.SiteFlag(), cmdline.LineFlag(), cmdline.AsOfFlag(),
		},
		Before: cmdline.Require("out"),
		Action: func(c *cli.Context) error {
			db, lang, asOf, until, err := openAsOf(c)
			if err != nil {
				return err
			}
			defer db.Close()
			opt := report.Options{Lang: lang, AsOf: asOf, Formats: strings.Split(c.String("format"), ","),
				Generator: "ActCourier importer " + version.String(), Site: c.String("site"), Line: c.String("line")}
			// Reports allocate much and keep little: collect garbage less
			// often, within a soft limit that holds whatever the fleet's size.
			defer debug.SetGCPercent(debug.SetGCPercent(800))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(reportMemory))
			out := c.String("out")
			if err := checkFilter(c.Context, db, filterOf(c, until), asOf); err != nil {
				return err
			}
			w, err := fleet.Report(c.Context, db, out, filterOf(c, until), opt)
			if errors.Is(err, report.ErrFormat) {
				return usage(err.Error(), "use --format with html, csv, json or xlsx")
			}
			if errors.Is(err, report.ErrBusy) {
				return usage(fmt.Sprintf("report into %s: %v", out, err),
					"wait for that report to finish and run this one again, or write this one into another folder (--out)")
			}
			if errors.Is(err, report.ErrNotOurs) {
				return usage(fmt.Sprintf("report into %s: %v", out, err),
					"move those files out of the folder (a report folder holds one report), or write the report into another folder (--out)")
			}
			if errors.Is(err, fs.ErrPermission) {
				return usage(fmt.Sprintf("report into %s: %v", out, err), outHint)
			}
			if err != nil {
				if inTheWay := fileInTheWay(out); inTheWay != nil {
					return inTheWay
				}
				return fmt.Errorf("report into %s: %w", out, err)
			}
			// A report of the fleet as it was says so, as its pages do:
			// its counts are not the fleet's today.
			past := ""
			if w.Past {
				past = fmt.Sprintf(", the fleet as it was then (%s first collected later left out)", report.Count(w.LeftOut, "device"))
			}
			fmt.Fprintf(stdout, "%s as of %s%s: %s in %s (open %s)\n", report.Count(w.Devices, "device"), asOf.Format("2006-01-02"), past,
				report.Count(len(w.Files), "file"), out, filepath.Join(out, "index.html"))
			if len(w.Removed) > 0 {
				fmt.Fprintf(stdout, "removed %s an earlier report had written in %s for what this one does not cover (sites, lines or formats)\n",
					report.Count(len(w.Removed), "file"), out)
			}
			return nil
		},
	}
}
