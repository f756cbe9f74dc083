package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/importer/store"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/slmgr"
)

func importTextCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "import-text",
		Usage:     "bring in devices from saved slmgr /dlv, /dli, /xpr or ospp /dstatus text",
		ArgsUsage: "FILE...",
		Description: "For machines where no executable may run. Each FILE is one device's saved output, in any\n" +
			"supported language and encoding (UTF-8, UTF-16, Shift_JIS…). For a language other than\n" +
			"English give that machine's slmgr.ini with --strings. Without --asset, each file's name is\n" +
			"its asset tag. The same text imported twice changes nothing.\n\n" + exitHelp,
		Flags: []cli.Flag{
			dbFlag(),
			&cli.StringFlag{Name: "site", Usage: "site of the devices", Required: true},
			&cli.StringFlag{Name: "line", Usage: "line of the devices", Required: true},
			&cli.StringFlag{Name: "asset", Usage: "asset tag (default: the file name)"},
			&cli.StringFlag{Name: "engineer", Usage: "who saved the text"},
			&cli.StringSliceFlag{Name: "strings", Usage: "slmgr.ini `FILE` of the machine's language (repeatable)"},
			&cli.StringFlag{Name: "collected", Usage: "when the text was saved, YYYY-MM-DD[THH:MM] (default: the file's time)"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return &usageError{"import-text: no file given", "name the saved slmgr or ospp text files"}
			}
			var strs []*slmgr.Strings
			for _, p := range c.StringSlice("strings") {
				data, err := os.ReadFile(p)
				if err != nil {
					return &usageError{fmt.Sprintf("--strings: %v", err), "give the slmgr.ini from %SystemRoot%\\System32\\slmgr\\<LANGID>"}
				}
				s, err := slmgr.ParseStrings(data, filepath.Base(filepath.Dir(p)))
				if err != nil {
					return &usageError{fmt.Sprintf("--strings %s: %v", p, err), "give an slmgr.ini file"}
				}
				strs = append(strs, s)
			}
			var when time.Time
			if v := c.String("collected"); v != "" {
				var err error
				if when, err = time.ParseInLocation("2006-01-02T15:04", v, time.Local); err != nil {
					if when, err = time.ParseInLocation("2006-01-02", v, time.Local); err != nil {
						return &usageError{fmt.Sprintf("--collected %q", v), "write YYYY-MM-DD or YYYY-MM-DDTHH:MM"}
					}
				}
			}
			ctx := licensing.Context{Site: c.String("site"), Line: c.String("line"), Asset: c.String("asset"), Engineer: c.String("engineer")}
			return runImportText(c.Context, c.String("db"), ctx, strs, when, c.Args().Slice(), stdout, stderr)
		},
	}
}

func runImportText(ctx context.Context, dbPath string, base licensing.Context, strs []*slmgr.Strings, when time.Time,
	files []string, stdout, stderr io.Writer) error {
	db, err := openDB(dbPath)
	if err != nil {
		return err
	}
	defer db.Close()
	rejected := 0
	for _, f := range files {
		err := importOneText(ctx, db, base, strs, when, f, stdout)
		if errors.Is(err, store.ErrDuplicate) {
			fmt.Fprintf(stdout, "already imported %s: nothing changed\n", f)
			continue
		}
		if err != nil {
			rejected++
			fmt.Fprintf(stderr, "importer: rejected %s: %v\nimporter: hint: %s\n", f, err, textHint(err))
		}
	}
	if rejected > 0 {
		return errPartial
	}
	return nil
}

func textHint(err error) string {
	if errors.Is(err, slmgr.ErrNoProducts) {
		return "the file holds no product block: save the whole output of slmgr.vbs /dlv or ospp.vbs /dstatus; for another language pass --strings slmgr.ini"
	}
	return "check that the file is readable"
}

func importOneText(ctx context.Context, db *store.DB, base licensing.Context, strs []*slmgr.Strings, when time.Time, file string, stdout io.Writer) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	res, err := slmgr.Parse(data, slmgr.Options{Strings: strs, Source: licensing.SourceText})
	if err != nil {
		return err
	}
	c := base
	if c.Asset == "" {
		c.Asset = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
	}
	if when.IsZero() {
		if fi, err := os.Stat(file); err == nil {
			when = fi.ModTime()
		}
	}
	c.Collected, c.Collector = when, "importer import-text "+programVersion()
	c.Sources = map[string]licensing.Source{"site": "flag", "line": "flag", "asset": "flag"}
	s := &licensing.Snapshot{Schema: licensing.Schema, Context: c, Products: res.Products,
		Raw: []licensing.RawOutput{{Member: "raw/" + filepath.Base(file), Command: string(res.Format) + " text: " + filepath.Base(file)}}}
	for _, u := range res.Unread {
		s.Missing = append(s.Missing, "text:"+u)
	}
	js, err := licensing.Marshal(s)
	if err != nil {
		return err
	}
	// The same text for the same place is the same collection.
	h := sha256.Sum256([]byte(c.Site + "\x00" + c.Line + "\x00" + c.Asset + "\x00" + string(data)))
	sum := sha256.Sum256(data)
	col := &store.Collection{BundleID: "text-" + hex.EncodeToString(h[:16]), SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)),
		FileName: filepath.Base(file), Source: "text", Generator: c.Collector, Snapshot: s, JSON: js,
		Category: string(classify.Device(s, c.Collected, classify.Site{}).Category),
		KMSPool:  poolFlags(s),
		Raw:      []store.Raw{{Member: "raw/" + filepath.Base(file), Data: data}}}
	if _, err := db.Import(ctx, col); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported %s: %d products (%s, %s), %s/%s asset %s, %s\n", file, len(s.Products), res.Format, res.Encoding,
		c.Site, c.Line, c.Asset, col.Category)
	return nil
}
