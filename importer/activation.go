package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/pkg/cmdline"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/store"
	"github.com/actcourier/actcourier/pkg/terminal"
	"github.com/actcourier/actcourier/pkg/version"
	"github.com/actcourier/actcourier/pkg/worklist"
)

// activationCommand is the activation return path (docs/activation.md):
// Installation IDs out, Confirmation IDs in, return files to the sticks.
func activationCommand(stdout, stderr io.Writer) *cli.Command {
	// What the exit codes mean differs per command: worklist refuses no
	// input, so it never exits 1.
	usageErr, stopped := "2 usage or configuration error: nothing written", interruptedAtPrompt
	worklistExit := "\n\n" + cmdline.ExitStatus("0 written", usageErr, "130 interrupted (Ctrl-C)")
	cidsExit := "\n\n" + cmdline.ExitStatus("0 done", "1 done in part: each refused file, row or CID is named on stderr; the others are in", usageErr,
		"130 interrupted (Ctrl-C): what was stored is whole; run it again to go on")
	stickExit := "\n\n" + cmdline.ExitStatus("0 written", "1 done in part: each product left out of the return file is named on stderr; the others are in it",
		usageErr, stopped)
	return &cli.Command{Name: "activation", Usage: "offline activation: the IIDs that need a Confirmation ID, CIDs in, return files out",
		UsageText:   "importer activation command [command options]",
		Description: "The round, in order: worklist, cids, stick (docs/activation.md). Each command's --help ends with\nwhat its exit codes mean for it.",
		Subcommands: []*cli.Command{{Name: "worklist", Usage: "write the IIDs that need a CID: " + fleet.WorklistXLSX + " (to fill in with Excel), " + fleet.WorklistCSV + " (for ActivationWs or a text editor) and a page to print",
			Description: "Per site (--site) or for the fleet. A product whose IID has a CID on file needs no new request; sent,\napplied and failed requests are listed too." + worklistExit,
			Flags:       []cli.Flag{cmdline.DBFlag(defaultDB), cmdline.SiteFlag(), cmdline.LineFlag(), &cli.StringFlag{Name: "out", Aliases: []string{"o"}, Usage: "output `DIR` (required)"}},
			Before:      cmdline.Require("out"), Action: func(c *cli.Context) error { return runWorklist(c, stdout) },
		}, {Name: "cids", Usage: "import Confirmation IDs: ActivationWs's records.csv, or the worklist (.xlsx or .csv) with ConfirmationId filled in", ArgsUsage: "FILE...",
			Description: "A CID is 48 digits (spaces or dashes allowed), matched by IID. Every IID/CID pair is kept with who\n" +
				"imported it and when: the archive that makes local reactivation possible. A CID that replaces the\n" +
				"one on file for its IID is told on stderr, with the device and what became of the old one. Refused\n" +
				"and named (exit 1): a CID for an IID whose machine applied another (unless --replace-applied),\n" +
				"different CIDs for one IID in one import, a CID imported before and replaced since (unless\n" +
				"--restore: it is put back on file, recorded with --by and the time; 'activation history' lists it),\n" +
				"and a row hidden in the workbook (a row or column hidden, filtered out or under a merged cell, or\n" +
				"a cell formatted to show nothing, as ;;; or white on white, a font under 6 points, a run of rich\n" +
				"text so, or a conditional format that could make it so; a number format that shows other than\n" +
				"the cell holds, as \"123456-\"@; an IID or CID cell holding a formula, whose value saved Excel\n" +
				"shows only until it computes the formula again (copy the column, Paste Special > Values), an\n" +
				"error or a date: a CID nobody reviewing saw), unless its pair is the one on file. A conditional\n" +
				"format that cannot hold for a CID typed (errors or zero values painted white, a text rule whose\n" +
				"text the CID lacks) is no matter. A --db that is not there is refused (exit 2) unless --new-db." + cidsExit,
			Flags: []cli.Flag{cmdline.DBFlag(defaultDB), cmdline.ByFlag(),
				&cli.BoolFlag{Name: "replace-applied", Usage: "let a CID replace one that its machine applied (kept in the archive all the same)"},
				&cli.BoolFlag{Name: "restore", Usage: "put back on file a CID of the archive that another replaced since (the file's other rows are imported as usual)"},
				&cli.BoolFlag{Name: "new-db", Usage: "when --db is not there, create it for these CIDs (an ActivationWs archive kept before any device is imported)"}},
			Action: func(c *cli.Context) error {
				// The files first: a command that will refuse creates no
				// database.
				if c.NArg() == 0 {
					return usage("activation cids: no file given", "name records.csv, or the worklist (.xlsx or .csv) with CIDs filled in")
				}
				db, err := openCIDs(c.String("db"), c.Bool("new-db"), c.Args().Slice(), stderr)
				if err != nil {
					return err
				}
				defer db.Close()
				sum, err := fleet.ImportCIDs(c.Context, db, c.Args().Slice(), fleet.CIDOptions{By: cmdline.By(c), Now: time.Now(),
					ReplaceApplied: c.Bool("replace-applied"), Restore: c.Bool("restore")})
				if err != nil && c.Context.Err() == nil {
					return usage(store.Name(c.String("db"))+": "+err.Error(), store.Hint(err))
				} else if err != nil {
					return err
				}
				return sum.Print(stdout, stderr, errPartial)
			},
		}, historyCommand(stdout, stderr), {Name: "stick", Usage: "write a return file of the CIDs waiting (and keys to install) onto a stick", ArgsUsage: "DIR (the stick)",
			Description: "Writes DIR/return/ID.return.age, encrypted to a passphrase: asked twice, or --passphrase-file, or\nACTCOURIER_RETURN_PASSPHRASE, never a flag. Tell it to the engineer apart from the stick. --key-file\n(lines windows = KEY, office = KEY) installs a key first on each --device, for a second visit." + stickExit,
			Flags: []cli.Flag{cmdline.DBFlag(defaultDB), cmdline.SiteFlag(), cmdline.LineFlag(), cmdline.ByFlag(), &cli.StringSliceFlag{Name: "device", Usage: "only this `DEVICE` (repeatable; as show takes it)"},
				&cli.StringFlag{Name: "key-file", Usage: "product keys to install first, `FILE`"},
				&cli.StringFlag{Name: "passphrase-file", Usage: "`FILE` whose first line is the passphrase", EnvVars: []string{"ACTCOURIER_RETURN_PASSPHRASE_FILE"}}},
			Action: func(c *cli.Context) error { return runReturn(c, stdout, stderr) },
		}}}
}

// openCIDs opens --db for activation cids. A SQLite file that is not
// there is refused unless newDB: cids run in the wrong folder, or with
// a mistyped --db, kept the CIDs in a new empty database "for later",
// exit 0, and the fleet's own database never got them. With newDB it
// is created by the first CIDs there are to store (cidsDB), not before,
// and said so on stderr.
func openCIDs(dsn string, newDB bool, files []string, stderr io.Writer) (fleet.ActivationStore, error) {
	missing, err := store.Missing(dsn)
	if err != nil {
		return nil, usage(err.Error(), store.Hint(err))
	}
	if !missing && newDB {
		return openStore(dsn)
	}
	if !missing {
		// Opened as the commands that read the fleet open it, then
		// checked for writing as Open checks: a PostgreSQL database is
		// never missing, but it may hold no fleet (a mistyped name of
		// another database of the server), and Open gave it the
		// fleet's tables for these CIDs, exit 0.
		if err := store.CheckWritable(dsn); err != nil {
			return nil, usage(err.Error(), store.Hint(err))
		}
		db, err := store.OpenExisting(dsn)
		var nf *store.NoFleetError
		if errors.As(err, &nf) && !errors.Is(err, store.ErrNoDatabase) {
			return nil, usage("activation cids: "+err.Error(),
				"give the fleet's database with --db or ACTCOURIER_DB; to start a fleet in this database with these CIDs "+
					"(an ActivationWs archive kept before any device is imported), add --new-db")
		}
		if err == nil {
			if err = db.Writable(context.Background()); err != nil {
				db.Close()
			}
		}
		if err != nil {
			return nil, usage(err.Error(), store.Hint(err))
		}
		return db, nil
	}
	if !newDB {
		return nil, usage("activation cids: no fleet database "+terminal.Inline(absName(dsn)),
			"run it in the folder of the fleet's database, or give it with --db or ACTCOURIER_DB; to start a new database with these CIDs "+
				"(an ActivationWs archive kept before any device is imported), add --new-db")
	}
	if err := noFolder(dsn); err != nil {
		return nil, err
	}
	// A new database only for files that are there.
	for _, f := range files {
		if _, err := os.Stat(f); err != nil {
			if inner := errors.Unwrap(err); inner != nil {
				err = inner // the file is named once
			}
			return nil, usage(fmt.Sprintf("activation cids: %s: %v (no database was created)", terminal.Inline(f), err),
				"name records.csv, or the worklist (.xlsx or .csv) with CIDs filled in")
		}
	}
	return &cidsDB{dsn: dsn, stderr: stderr}, nil
}

// absName is a SQLite database's path made absolute, so that one in
// the wrong folder is seen to be; dsn as it is when that fails.
func absName(dsn string) string {
	if abs, err := filepath.Abs(dsn); err == nil {
		return abs
	}
	return dsn
}

// cidsDB is a fleet database that is not there yet, for activation
// cids --new-db: it reads as an empty fleet, and the first CIDs to
// store create it (then stderr says where, and that it holds no
// device). A run that stores nothing (every file refused, every CID
// refused) leaves no database behind. Only the methods ImportCIDs
// calls are served before it is opened.
type cidsDB struct {
	fleet.ActivationStore // nil until AddCIDs opens it
	dsn                   string
	stderr                io.Writer
}

func (d *cidsDB) open() error {
	if d.ActivationStore != nil {
		return nil
	}
	db, err := store.Open(d.dsn)
	if err != nil {
		return err
	}
	d.ActivationStore = db
	name := terminal.Inline(absName(d.dsn))
	fmt.Fprintf(d.stderr, "importer: warning: created a new fleet database %s: it holds no device, only these CIDs, kept for when their devices are imported\n"+
		"importer: hint: if you meant the fleet's database, delete %s and run this again in its folder, or with --db or ACTCOURIER_DB\n", name, name)
	return nil
}

// Latest calls fn for no device before the database is created.
func (d *cidsDB) Latest(ctx context.Context, f fleet.Filter, withJSON bool, fn func(fleet.Device) error) error {
	if d.ActivationStore == nil {
		return nil
	}
	return d.ActivationStore.Latest(ctx, f, withJSON, fn)
}

// AddCIDs creates the database for the first pairs to store.
func (d *cidsDB) AddCIDs(ctx context.Context, cids []fleet.CIDRecord) (int, error) {
	if len(cids) == 0 && d.ActivationStore == nil {
		return 0, nil
	}
	if err := d.open(); err != nil {
		return 0, err
	}
	return d.ActivationStore.AddCIDs(ctx, cids)
}

// RestoreCIDs creates the database as AddCIDs does (an empty archive
// has nothing to restore: the store refuses them).
func (d *cidsDB) RestoreCIDs(ctx context.Context, restores []fleet.CIDRestore) error {
	if len(restores) == 0 && d.ActivationStore == nil {
		return nil
	}
	if err := d.open(); err != nil {
		return err
	}
	return d.ActivationStore.RestoreCIDs(ctx, restores)
}

// CIDs, CIDRestores, ReturnItems and Proofs are none before the
// database is created.
func (d *cidsDB) CIDs(ctx context.Context) ([]fleet.CIDRecord, error) {
	if d.ActivationStore == nil {
		return nil, nil
	}
	return d.ActivationStore.CIDs(ctx)
}

func (d *cidsDB) CIDRestores(ctx context.Context) ([]fleet.CIDRestore, error) {
	if d.ActivationStore == nil {
		return nil, nil
	}
	return d.ActivationStore.CIDRestores(ctx)
}

func (d *cidsDB) ReturnItems(ctx context.Context) ([]fleet.ReturnItem, error) {
	if d.ActivationStore == nil {
		return nil, nil
	}
	return d.ActivationStore.ReturnItems(ctx)
}

func (d *cidsDB) Proofs(ctx context.Context) ([]fleet.Proof, error) {
	if d.ActivationStore == nil {
		return nil, nil
	}
	return d.ActivationStore.Proofs(ctx)
}

// Close closes the database, if it was created.
func (d *cidsDB) Close() error {
	if d.ActivationStore == nil {
		return nil
	}
	return d.ActivationStore.Close()
}

func runWorklist(c *cli.Context, stdout io.Writer) error {
	db, _, _, _, err := openAsOf(c)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkFilter(c.Context, db, filterOf(c, time.Time{}), time.Time{}); err != nil {
		return err
	}
	opt := worklist.PageOptions{Title: c.String("site") + " " + c.String("line"), Generated: time.Now(), Generator: "ActCourier importer " + version.String()}
	rows, err := fleet.WriteWorklist(c.Context, db, c.String("out"), filterOf(c, time.Time{}), opt)
	if errors.Is(err, fs.ErrPermission) {
		return usage(err.Error(), outHint)
	}
	if err != nil {
		if inTheWay := fileInTheWay(c.String("out")); inTheWay != nil {
			return inTheWay
		}
		return explain(err)
	}
	_, err = fmt.Fprintf(stdout, "%s, in %s (%s)\n", fleet.CountStates(rows), c.String("out"), worklistNext(rows, c.String("out")))
	return err
}

// worklistNext is what to do with the worklist written into out: fill in
// the CIDs where a row needs one. Where none does, saying "fill in the
// CIDs" sent staff to a workbook with nothing to fill in, when the CIDs
// on file wait for a return file instead.
func worklistNext(rows []worklist.Row, out string) string {
	n := map[worklist.State]int{}
	for _, r := range rows {
		n[r.State]++
	}
	switch {
	case n[worklist.NeedsCID] > 0:
		return fmt.Sprintf("fill in the CIDs in %s, print %s", filepath.Join(out, fleet.WorklistXLSX), filepath.Join(out, fleet.WorklistPage))
	case n[worklist.CIDOnFile] > 0:
		return "no CID to fill in; importer activation stick writes the CIDs on file into a return file for the engineer"
	}
	return "no CID to fill in"
}

// historyCommand lists the archive's events per IID (fleet.CIDHistory):
// who imported each CID and who put which back on file.
func historyCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{Name: "history", Usage: "list every CID imported and put back on file, per IID: who, when, from which file and row, and which is on file",
		ArgsUsage: "[IID...]",
		Description: "An IID may be given by its last digits, as warnings name it (…123456). One line per event, oldest\nfirst per IID; the last of an IID is the CID on file, marked \"on file\"." +
			"\n\n" + cmdline.ExitStatus("0 listed, or no CID is on file yet (said in one line)",
			"1 done in part: each IID given that has no CID on file is named on stderr; the others are listed",
			"2 usage or configuration error: no database, an IID given that is not digits, or no IID given has a CID on file"),
		Flags:  []cli.Flag{cmdline.DBFlag(defaultDB)},
		Action: func(c *cli.Context) error { return runHistory(c, stdout, stderr) },
	}
}

// trailing are the spaces a line ends in.
var trailing = regexp.MustCompile(`(?m) +$`)

// historyHint is what to do about an IID given that has no CID on file.
const historyHint = "give an IID, or its last digits; without one, every IID is listed"

func runHistory(c *cli.Context, stdout, stderr io.Writer) error {
	// An IID, or its last digits, is digits: "" or "…" alone would end
	// every IID and list them all as if asked for.
	for _, a := range c.Args().Slice() {
		if d := strings.TrimPrefix(a, "…"); d == "" || strings.Trim(d, "0123456789") != "" {
			return usage(fmt.Sprintf("activation history: %q is not an IID", a), historyHint)
		}
	}
	db, _, _, _, err := openAsOf(c)
	if err != nil {
		return err
	}
	defer db.Close()
	events, err := fleet.CIDHistory(c.Context, db, c.Args().Slice()...)
	if err != nil {
		return explain(err)
	}
	// Nothing is said as worklist says it (exit 0) for the fleet, as
	// show does for a device (exit 2) for IIDs asked for, and as cids
	// names a refused row (exit 1) for some of them.
	without := fleet.WithoutCID(events, c.Args().Slice())
	none := "no CID on file for IID " + terminal.Inline(strings.Join(without, ", "))
	switch {
	case len(events) == 0 && c.NArg() > 0:
		return usage("activation history: "+none, historyHint)
	case len(events) == 0:
		_, err := fmt.Fprintln(stdout, "no CID on file yet: importer activation cids FILE imports them (ActivationWs's records.csv, or the worklist with CIDs filled in)")
		return err
	}
	// Aligned in a buffer, then each line without the spaces it ends
	// in (trailing): a tabwriter pads every cell a tab ends, the head's
	// FROM (no head over "on file") and an earlier event's too.
	var table bytes.Buffer
	tw := tabwriter.NewWriter(&table, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "IID\tWHEN\tWHAT\tCID\tBY\tFROM\t")
	for _, e := range events {
		what, on := "imported", ""
		if e.Restored {
			what = "restored"
		}
		if e.OnFile {
			on = "on file"
		}
		// The workstation's clock, its zone named as the worklist's page
		// names it: a bare time read as UTC, or as another office's, put
		// an import hours off when set beside ActivationWs's CreatedAtUtc.
		when := "unknown"
		if !e.At.IsZero() {
			when = e.At.Local().Format("2006-01-02 15:04:05 MST")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s row %d\t%s\n", e.IID, when, what, e.CID, terminal.Inline(e.By), terminal.Inline(e.File), e.Row, on)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if _, err := stdout.Write(trailing.ReplaceAll(table.Bytes(), nil)); err != nil {
		return err
	}
	if len(without) > 0 {
		fmt.Fprintf(stderr, "importer: error: activation history: %s\nimporter: hint: %s\n", none, historyHint)
		return errPartial
	}
	return nil
}

func runReturn(c *cli.Context, stdout, stderr io.Writer) error {
	db, _, _, _, err := openAsOf(c)
	if err != nil || c.NArg() != 1 {
		return firstOf(err, usage("activation stick: name the stick folder", `e.g. importer activation stick E:\ --site Nagoya`))
	}
	defer db.Close()
	// Before the passphrase is asked for: a fleet that cannot record
	// the items would have the file removed from the stick again.
	if err := store.CheckWritable(c.String("db")); err != nil {
		return usage(err.Error(), store.Hint(err))
	}
	if err := db.Writable(c.Context); err != nil { // a PostgreSQL role's
		return usage(err.Error(), store.Hint(err))
	}
	if err := checkFilter(c.Context, db, filterOf(c, time.Time{}), time.Time{}); err != nil {
		return err
	}
	opts, err := fleet.NewReturnOptions(c.String("key-file"), c.String("passphrase-file"), fromScript(func(prompt string) (string, error) {
		return terminal.Passphrase(c.Context, prompt)
	}, "type it at a terminal, or give it with --passphrase-file FILE or "+fleet.ReturnPassphraseEnv+" in a script"))
	var sum fleet.ReturnSummary
	if err == nil {
		opts.Filter, opts.Devices, opts.By, opts.Now = filterOf(c, time.Time{}), c.StringSlice("device"), cmdline.By(c), time.Now()
		opts.Generator = "ActCourier importer " + version.String()
		sum, err = fleet.WriteReturn(c.Context, db, c.Args().First(), opts)
	}
	// Items a return file cannot hold are left out, each named, with a
	// hint for each kind.
	full, invalid := false, false
	for _, s := range sum.Skipped {
		fmt.Fprintf(stderr, "importer: error: left out of the return file: %s\n", terminal.Message(s.String()))
		full = full || s.Full()
		invalid = invalid || !s.Full()
	}
	if invalid {
		fmt.Fprintln(stderr, "importer: hint: a return file cannot hold what is stored for these (read from slmgr text only, without WMI, there is no licensing class; or a forged bundle): collect them again with WMI working, or enter the CID at the machine (slmgr /atp CID)")
	}
	if full {
		fmt.Fprintln(stderr, "importer: hint: the return file is full: write one per line (--line), then the rest")
	}
	if err != nil {
		return explain(err)
	}
	if _, err = fmt.Fprintf(stdout, "wrote %s: %s for %s (%d install a key); tell the engineer the passphrase apart from the stick\n", sum.File,
		report.Count(sum.Items, "item"), report.Count(sum.Devices, "device"), sum.WithKey); err != nil {
		return err
	}
	if len(sum.Skipped) > 0 {
		return errPartial
	}
	return nil
}

// explain is err with what fleet.Explain says to do about it, or, for
// a passphrase nobody could type, how this command takes it instead.
func explain(err error) error {
	if errors.Is(err, context.Canceled) {
		return err // Ctrl-C, at a passphrase prompt: run says so
	}
	var nt *noTerminalError
	if errors.As(err, &nt) {
		return usage(err.Error(), nt.hint)
	}
	why, hint := fleet.Explain(err)
	return usage(why, hint)
}

func firstOf(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}
