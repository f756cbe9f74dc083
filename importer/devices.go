package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/report"
)

func devicesCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "devices",
		Usage: "list the fleet: one line per device, its latest collection and verdict",
		Flags: []cli.Flag{
			dbFlag(), siteFlag(), lineFlag(),
			&cli.StringFlag{Name: "category", Usage: "only urgent, image-backup, volume-license or ok (the verdict as of --as-of)"},
			asOfFlag(),
		},
		Action: func(c *cli.Context) error {
			cat, err := classify.ParseCategory(c.String("category"))
			if err != nil {
				return &usageError{err.Error(), "use urgent, image-backup, volume-license or ok"}
			}
			db, asOf, err := openAsOf(c)
			if err != nil {
				return err
			}
			defer db.Close()
			table := report.NewTable(stdout)
			err = fleet.Verdicts(c.Context, db, filterOf(c), cat, asOf, func(d fleet.Classified) error {
				rd := d.ReportDevice()
				table.Add(&rd)
				return nil
			})
			n, terr := table.Close()
			if err == nil {
				err = terr
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "%d devices as of %s\n", n, asOf.Format("2006-01-02"))
			return nil
		},
	}
}

func showCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "show",
		Usage:     "show one device: its verdict, products and every collection",
		ArgsUsage: "DEVICE (asset tag, host name, ID from 'devices', device key or bundle ID)",
		Flags:     []cli.Flag{dbFlag(), asOfFlag(), langFlag()},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{"show: name one device", "importer devices lists them"}
			}
			lang, err := parseLang(c.String("lang"))
			if err != nil {
				return err
			}
			db, asOf, err := openAsOf(c)
			if err != nil {
				return err
			}
			defer db.Close()
			p, err := fleet.Lookup(c.Context, db, c.Args().First(), asOf)
			switch {
			case errors.Is(err, fleet.ErrAmbiguous):
				return &usageError{"show: " + err.Error(), "give the ID"}
			case errors.Is(err, fleet.ErrNotFound):
				return &usageError{err.Error(), "importer devices lists the fleet; give an asset tag, host name or ID"}
			case err != nil:
				return err
			}
			rd := p.ReportDevice()
			return report.WriteDevice(stdout, &rd, p.Collections(), lang)
		},
	}
}
