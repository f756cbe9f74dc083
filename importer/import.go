package main

import (
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/version"
)

func importCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "decrypt, check, classify and store bundles (files or folders, e.g. a whole stick)",
		ArgsUsage: "PATH...",
		Description: "Folders are searched recursively for *" + bundle.Ext + " files; a file named on the\n" +
			"command line is tried whatever its name. Each bundle is stored whole or not at all; one\n" +
			"already imported is reported and changes nothing. Source files are never modified. Bundles\n" +
			"for another key are counted in one line; --verbose (-v) names each: after the command's name,\n" +
			"importer import -v PATH... (the importer's version is importer --version). When every bundle\n" +
			"found is for another key, nothing was imported: one error says which keys were tried and which\n" +
			"the stick's actcourier.conf gives (exit 2).\n\n" + cmdline.ExitStatus("0 every bundle was imported, or already was",
			"1 done in part: each rejected bundle is named on stderr (so are bundles for another key where others opened), or the database failed part way (what was stored is whole)",
			"2 usage or configuration error: no identity, no bundle found, every bundle found for another key (nothing imported), or the database does not open",
			"130 interrupted (Ctrl-C): what was stored is whole; run it again to go on"),
		Flags: []cli.Flag{
			cmdline.IdentityFlag(), cmdline.DBFlag(defaultDB),
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Usage: "`N` bundles decrypted at once", DefaultText: "one more than the cores"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no line per bundle; the summary and rejections only"},
			&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "name each bundle for another key too"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usage("import: no path given", "name bundle files or folders, e.g. the stick's bundles folder")
			}
			ids, err := loadIdentities(c.Context, c.StringSlice("identity"))
			if err != nil {
				return err
			}
			files, err := fleet.FindBundles(c.Args().Slice())
			if err != nil {
				return usage("import: "+err.Error(), "check the path and that the folder is readable")
			}
			if files.Count == 0 {
				return usage("import: no bundle found under "+strings.Join(c.Args().Slice(), ", "), "bundles end in "+bundle.Ext+", in the folder the collector's screen named after \"Saved in / 保存先\" "+
					"(bundles on the stick, unless --out or the settings' output named another): name the stick, that folder or the bundles; none is there until a collection ends with its Bundle / バンドル line")
			}
			db, err := openToImport(c.String("db"))
			if err != nil {
				return err
			}
			defer db.Close()
			// An import allocates much and keeps little: collecting garbage
			// eight times less often makes it a third faster; the soft limit
			// (importMemory) keeps the heap flat however many bundles come.
			defer debug.SetGCPercent(debug.SetGCPercent(800))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemory))
			bar := terminal.NewProgress(stdout, stderr, files.Count, c.Bool("quiet"))
			sum, err := fleet.Import(c.Context, db, files, fleet.ImportOptions{Identities: ids, Jobs: c.Int("jobs")}, func(o fleet.Outcome) {
				if !o.Rejected() && !bar.ShowsLines() {
					// Quiet, or a bar on the terminal: no line to build, on
					// the goroutine that stores the bundles.
					bar.Step("")
					return
				}
				line, note := o.Line(c.Bool("verbose"))
				bar.Line(stderr, line, note)
			})
			bar.Finish()
			if err := db.openFailed(); err != nil {
				return err
			}
			return sum.Finish(stdout, stderr, db.name(c.String("db")), c.Bool("verbose"), c.Context.Err() != nil, err, errPartial)
		},
	}
}

func importTextCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "import-text",
		Usage:     "bring in devices from saved slmgr /dlv, /dli, /xpr or ospp /dstatus text",
		ArgsUsage: "FILE...",
		Description: "For machines where no executable may run. Each FILE is one device's saved output, in any\n" +
			"supported language and encoding (UTF-8, UTF-16, Shift_JIS…). For a language other than\n" +
			"English give that machine's slmgr.ini with --strings. Without --asset, each file's name is\n" +
			"its asset tag. The same text imported twice changes nothing.\n\n" + cmdline.ExitStatus("0 every file was imported, or already was",
			"1 done in part: each rejected file is named on stderr", "2 usage or configuration error",
			"130 interrupted (Ctrl-C): each file stored is whole; run it again to go on"),
		Flags: []cli.Flag{
			cmdline.DBFlag(defaultDB),
			&cli.StringFlag{Name: "site", Usage: "`SITE` of the devices (required)"},
			&cli.StringFlag{Name: "line", Usage: "`LINE` of the devices (required)"},
			&cli.StringFlag{Name: "asset", Usage: "`ASSET` tag (default: the file name)"},
			&cli.StringFlag{Name: "engineer", Usage: "`ID` of who saved the text"},
			&cli.StringSliceFlag{Name: "strings", Usage: "slmgr.ini `FILE` of the machine's language (repeatable)"},
			&cli.StringFlag{Name: "collected", Usage: "`TIME` the text was saved, YYYY-MM-DD[THH:MM] (default: the file's time)"},
			&cli.StringFlag{Name: "codepage", Usage: "the text's code page `CP`, e.g. 936, 932, 1252 (default: detected)"},
		},
		Before: cmdline.Require("site", "line"),
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return usage("import-text: no file given", "name the saved slmgr or ospp text files")
			}
			opts, err := fleet.NewTextOptions(licensing.Context{Site: c.String("site"), Line: c.String("line"), Asset: c.String("asset"),
				Engineer: c.String("engineer")}, c.String("codepage"), c.StringSlice("strings"), c.String("collected"), "importer import-text "+version.String())
			if err != nil {
				return explain(err)
			}
			db, err := openToImport(c.String("db"))
			if err != nil {
				return err
			}
			defer db.Close()
			sum, err := fleet.ImportText(c.Context, db, c.Args().Slice(), opts, func(o fleet.TextOutcome) {
				if o.Err == nil || errors.Is(o.Err, fleet.ErrDuplicate) {
					fmt.Fprintln(stdout, terminal.Message(o.String())) // a file name of its own line
				}
			})
			if err := db.openFailed(); err != nil {
				return err
			}
			return sum.Finish(stdout, stderr, db.name(c.String("db")), c.Bool("verbose"), c.Context.Err() != nil, err, errPartial)
		},
	}
}
