package main

import (
	"fmt"
	"io"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/terminal"
)

func devicesCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "devices",
		Usage: "list the fleet: one line per device, its latest collection and verdict",
		Description: "With --as-of, the fleet as it was that day: each device's latest collection made on or\n" +
			"before it, and no device first collected later.\n\n" + cmdline.ExitStatus("0 the list was printed",
			"2 usage or configuration error: no database, a bad --category or --as-of, a --site or --line that selects no device"),
		Flags: []cli.Flag{
			cmdline.DBFlag(defaultDB), cmdline.SiteFlag(), cmdline.LineFlag(),
			&cli.StringFlag{Name: "category", Usage: "only `CATEGORY`: urgent, image-backup, volume-license or ok (the verdict as of --as-of)"},
			cmdline.AsOfFlag(), cmdline.LangFlag(),
		},
		Action: func(c *cli.Context) error {
			cat, err := classify.ParseCategory(c.String("category"))
			if err != nil {
				// Said once, with the name meant when it is near one
				// (Urgent, as the reports write it).
				names := make([]string, len(classify.Categories))
				for i, k := range classify.Categories {
					names[i] = string(k)
				}
				hint := "use urgent, image-backup, volume-license or ok"
				if s := cmdline.Closest(c.String("category"), names); s != "" {
					hint = fmt.Sprintf("did you mean %q? %s", s, hint)
				}
				return usage(terminal.Message("devices: unknown --category "+strconv.Quote(c.String("category"))), hint)
			}
			db, lang, asOf, until, err := openAsOf(c)
			if err != nil {
				return err
			}
			defer db.Close()
			if err := checkFilter(c.Context, db, filterOf(c, until), asOf); err != nil {
				return err
			}
			table := report.NewTable(stdout, lang)
			err = fleet.Verdicts(c.Context, db, filterOf(c, until), cat, asOf, func(d fleet.Classified) error {
				rd := d.ReportDevice()
				table.Add(&rd)
				return nil
			})
			if err != nil {
				return err
			}
			_, err = table.Close(asOf, !until.IsZero())
			return err
		},
	}
}

func showCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show one device: its verdict, products and every collection",
		ArgsUsage: "DEVICE (any asset tag or host name it has had, ID from 'devices', device key or bundle ID)",
		Description: "Each collection is listed at its own time, in the time zone of the machine. With --as-of,\n" +
			"the device as it was that day.\n\n" + cmdline.ExitStatus("0 the device was shown",
			"2 usage or configuration error, no such device, or several (give the ID)"),
		Flags: []cli.Flag{cmdline.DBFlag(defaultDB), cmdline.AsOfFlag(), cmdline.LangFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usage("show: name one device", "importer devices lists them")
			}
			db, lang, asOf, until, err := openAsOf(c)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := fleet.Lookup(c.Context, db, c.Args().First(), asOf, until)
			if err != nil {
				return explain(err)
			}
			rd := p.ReportDevice()
			return report.WriteDevice(stdout, &rd, p.Collections(), p.Later, lang)
		},
	}
}
