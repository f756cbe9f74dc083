package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/importer/store"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

func devicesCommand(stdout io.Writer) *cli.Command {
	return &cli.Command{
		Name:  "devices",
		Usage: "list the fleet: one line per device, its latest collection and verdict",
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "site", Usage: "only this site"},
			&cli.StringFlag{Name: "line", Usage: "only this line"},
			&cli.StringFlag{Name: "category", Usage: "only urgent, image-backup, volume-license or ok"},
			asOfFlag(),
		},
		Action: func(c *cli.Context) error {
			cat := c.String("category")
			if cat != "" && classify.Category(cat).Rank() == len(classify.Categories) {
				return &usageError{fmt.Sprintf("--category %q", cat), "use urgent, image-backup, volume-license or ok"}
			}
			asOf, err := parseAsOf(c.String("as-of"))
			if err != nil {
				return err
			}
			db, err := openDB(c.String("db"))
			if err != nil {
				return err
			}
			defer db.Close()
			tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "SITE\tLINE\tASSET\tHOST\tCATEGORY\tWINDOWS\tCOLLECTED\tID")
			n := 0
			_, err = classifyFleet(c.Context, db, store.Filter{Site: c.String("site"), Line: c.String("line"), Category: cat}, asOf,
				func(d store.Device, s *licensing.Snapshot, v classify.Verdict) error {
					win := "-"
					if p := s.PrimaryWindows(); p != nil {
						win = fmt.Sprintf("%s %s", p.Channel, p.Status)
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", d.Site, d.Line, d.Asset, d.Hostname, v.Category, win,
						s.Context.Collected.Format("2006-01-02"), d.ID)
					n++
					return nil
				})
			tw.Flush()
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
		Flags:     []cli.Flag{dbFlag(), asOfFlag(), &cli.StringFlag{Name: "lang", Value: "en", Usage: "en or ja"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return &usageError{"show: name one device", "importer devices lists them"}
			}
			asOf, err := parseAsOf(c.String("as-of"))
			if err != nil {
				return err
			}
			db, err := openDB(c.String("db"))
			if err != nil {
				return err
			}
			defer db.Close()
			return runShow(c.Context, db, c.Args().First(), asOf, c.String("lang"), stdout)
		},
	}
}

func runShow(ctx context.Context, db *store.DB, ref string, asOf time.Time, lang string, w io.Writer) error {
	found, err := db.Find(ctx, ref)
	if err != nil {
		return &usageError{err.Error(), "importer devices lists the fleet; give an asset tag, host name or ID"}
	}
	if len(found) > 1 {
		var ids []string
		for _, d := range found {
			ids = append(ids, fmt.Sprintf("%d (%s/%s %s)", d.ID, d.Site, d.Line, d.Asset))
		}
		return &usageError{fmt.Sprintf("show: %q matches %d devices: %s", ref, len(found), strings.Join(ids, ", ")), "give the ID"}
	}
	d := found[0]
	snap, err := d.Snapshot()
	if err != nil {
		return fmt.Errorf("device %d (bundle %s): stored snapshot unreadable: %w", d.ID, d.BundleID, err)
	}
	pools, err := sitePools(ctx, db)
	if err != nil {
		return err
	}
	verdict := classify.Device(snap, asOf, classify.Site{Pool: pools[d.Site]})
	fmt.Fprintf(w, "Device %d  %s\n", d.ID, d.Key)
	fmt.Fprintf(w, "  site %s, line %s, asset %s, host %s\n", d.Site, d.Line, d.Asset, d.Hostname)
	fmt.Fprintf(w, "  %s %s, %s %s, serial %s\n", snap.OS.Caption, snap.OS.Version, snap.Hardware.Manufacturer, snap.Hardware.Model, snap.Hardware.Serial)
	fmt.Fprintf(w, "\nVerdict as of %s: %s\n", asOf.Format("2006-01-02"), verdict.Category)
	for _, r := range verdict.Reasons {
		fmt.Fprintf(w, "  - [%s] %s\n", r.Code, r.Text(lang))
	}
	for _, r := range verdict.Flags {
		fmt.Fprintf(w, "  ! [%s] %s\n", r.Code, r.Text(lang))
	}
	fmt.Fprintln(w, "\nProducts:")
	for _, p := range snap.Products {
		grace := "-"
		if p.GraceMinutes != nil {
			grace = fmt.Sprint(*p.GraceMinutes)
		}
		fmt.Fprintf(w, "  %-7s %s | %s | %s | grace %s min | key %s | %s\n", p.Kind, p.Name, p.Channel, p.Status, grace, p.PartialKey, p.Source)
	}
	hist, err := db.History(ctx, d.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nHistory (%d collections, newest first):\n", len(hist))
	for _, h := range hist {
		fmt.Fprintf(w, "  %s  %-14s bundle %s  by %s  %s  sha256 %s…\n", h.CollectedAt.Local().Format("2006-01-02 15:04"), h.Category,
			h.BundleID, h.Engineer, h.Source, h.SHA256[:16])
	}
	return nil
}
