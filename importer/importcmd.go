package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"sync"

	"filippo.io/age"
	"github.com/urfave/cli/v2"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/importer/store"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// defaultDB is the database file when --db is not given.
const defaultDB = "actcourier.db"

func dbFlag() cli.Flag {
	return &cli.StringFlag{Name: "db", Value: defaultDB, Usage: "fleet database `FILE`", EnvVars: []string{"ACTCOURIER_DB"}}
}

func importCommand(stdout, stderr io.Writer) *cli.Command {
	return &cli.Command{
		Name:      "import",
		Usage:     "decrypt, check, classify and store bundles (files or folders, e.g. a whole stick)",
		ArgsUsage: "PATH...",
		Description: "Folders are searched recursively for *" + bundle.Ext + " files; a file named on the\n" +
			"command line is tried whatever its name. Each bundle is stored whole or not at all; one\n" +
			"already imported is reported and changes nothing. Source files are never modified.\n\n" + exitHelp,
		Flags: []cli.Flag{
			&cli.StringSliceFlag{Name: "identity", Aliases: []string{"i"}, Usage: "age identity `FILE` (repeatable)", EnvVars: []string{"ACTCOURIER_IDENTITY"}},
			dbFlag(),
			// One more worker than cores: the writer goroutine waits on the
			// disk now and then, and a spare worker keeps the cores busy.
			&cli.IntFlag{Name: "jobs", Aliases: []string{"j"}, Value: runtime.GOMAXPROCS(0) + 1, Usage: "bundles decrypted at once"},
			&cli.BoolFlag{Name: "quiet", Aliases: []string{"q"}, Usage: "no progress bar and no line per bundle; the summary and rejections only"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() == 0 {
				return &usageError{"import: no path given", "name bundle files or folders, e.g. the stick's bundles folder"}
			}
			ids, err := loadIdentities(c.StringSlice("identity"))
			if err != nil {
				return err
			}
			return runImport(c.Context, c.String("db"), ids, c.Args().Slice(), c.Int("jobs"), c.Bool("quiet"), stdout, stderr)
		},
	}
}

// findBundles lists the files to import: named files as they are, and the
// *.tar.zst.age files under named folders. Dot-files (a collector's
// temporary file from a pulled stick) are skipped.
func findBundles(paths []string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(p string) {
		if abs, err := filepath.Abs(p); err == nil && !seen[abs] {
			seen[abs] = true
			files = append(files, p)
		}
	}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, &usageError{fmt.Sprintf("import: %v", err), "check the path"}
		}
		if !fi.IsDir() {
			add(p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && strings.HasSuffix(d.Name(), bundle.Ext) && !strings.HasPrefix(d.Name(), ".") {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, &usageError{fmt.Sprintf("import: %v", err), "check that the folder is readable"}
		}
	}
	return files, nil
}

// opened is a bundle checked and classified by a worker, ready to store.
type opened struct {
	file string
	c    *store.Collection
	err  error
}

// loadBundle reads, decrypts, checks and classifies one bundle file.
func loadBundle(path string, ids []age.Identity) (*store.Collection, error) {
	b, err := openBundleFile(path, ids)
	if err != nil {
		return nil, err
	}
	js, ok := b.Member(licensing.MemberName)
	if !ok {
		return nil, fmt.Errorf("%w: no %s in the bundle", errNoSnapshot, licensing.MemberName)
	}
	s, err := licensing.Unmarshal(js)
	if err != nil {
		return nil, err
	}
	c := &store.Collection{BundleID: b.Manifest.ID, SHA256: b.SHA256, Size: b.Size, FileName: filepath.Base(path),
		Source: "bundle", Generator: b.Manifest.Generator, Snapshot: s, JSON: js}
	c.Category = string(classify.Device(s, s.Context.Collected, classify.Site{}).Category)
	c.KMSPool = poolFlags(s)
	for _, m := range b.Members {
		if m.Name != licensing.MemberName {
			c.Raw = append(c.Raw, store.Raw{Member: m.Name, Data: m.Data})
		}
	}
	return c, nil
}

var errNoSnapshot = errors.New("not a device bundle")

// poolFlags is the device's share of its site's KMS pool, as stored.
func poolFlags(s *licensing.Snapshot) [3]int {
	p := classify.PoolOf(s)
	return [3]int{p.Client, p.Server, p.Office}
}

// batches groups what arrives on in: while the writer is busy storing one
// batch, the next one gathers, up to max. When the writer keeps up,
// batches are of one; when bundles arrive faster, they grow.
func batches(in <-chan opened, max int) <-chan []opened {
	out := make(chan []opened)
	go func() {
		defer close(out)
		var pending []opened
		for in != nil || len(pending) > 0 {
			recv, send := in, out
			if len(pending) >= max {
				recv = nil
			}
			if len(pending) == 0 {
				send = nil
			}
			select {
			case o, ok := <-recv:
				if !ok {
					in = nil
					continue
				}
				pending = append(pending, o)
			case send <- pending:
				pending = nil
			}
		}
	}()
	return out
}

// importStats counts what an import did.
type importStats struct {
	imported, duplicates, rejected int
	newDevices                     int
	byCategory                     map[string]int
}

func runImport(ctx context.Context, dbPath string, ids []age.Identity, paths []string, jobs int, quiet bool, stdout, stderr io.Writer) error {
	files, err := findBundles(paths)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return &usageError{"import: no bundle found under " + strings.Join(paths, ", "), "bundles end in " + bundle.Ext + "; point at the stick's bundles folder"}
	}
	db, err := store.Open(dbPath)
	if err != nil {
		return &usageError{err.Error(), "check --db; a database written by a newer importer needs that importer"}
	}
	defer db.Close()
	if jobs < 1 {
		jobs = 1
	}
	// An import allocates much and keeps little (one bundle per worker,
	// one batch in the writer): collecting garbage eight times less often
	// makes it about a third faster for a few tens of MiB.
	defer debug.SetGCPercent(debug.SetGCPercent(800))
	// Workers decrypt and classify on all cores; one writer stores, since
	// SQLite has one writer at a time anyway.
	work := make(chan string)
	done := make(chan opened, jobs)
	var wg sync.WaitGroup
	for i := 0; i < jobs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				c, err := loadBundle(f, ids)
				done <- opened{file: f, c: c, err: err}
			}
		}()
	}
	go func() {
		defer close(work)
		for _, f := range files {
			select {
			case work <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() { wg.Wait(); close(done) }()

	bar := newProgress(stdout, stderr, len(files), quiet)
	st := importStats{byCategory: map[string]int{}}
	type rejection struct {
		file string
		err  error
	}
	var rejected []rejection
	reject := func(file string, err error) {
		st.rejected++
		rejected = append(rejected, rejection{file, err})
		bar.step("")
		bar.note(stderr, fmt.Sprintf("importer: rejected %s: %v", file, err))
	}
	for batch := range batches(done, 256) {
		// Bundles that opened are stored together, one transaction for
		// the batch; the rest are rejected.
		var good []opened
		var cs []*store.Collection
		for _, o := range batch {
			if o.err != nil {
				reject(o.file, o.err)
				continue
			}
			good = append(good, o)
			cs = append(cs, o.c)
		}
		if len(cs) == 0 {
			continue
		}
		if ctx.Err() != nil {
			continue // interrupted: store nothing more, drain the workers
		}
		res, errs, err := db.ImportBatch(ctx, cs)
		if err != nil && ctx.Err() != nil {
			continue
		}
		if err != nil {
			// The database itself failed (disk full, interrupted): stop.
			// The batch rolled back; a rerun goes on from here.
			bar.finish()
			return fmt.Errorf("storing bundles in %s: %w", dbPath, err)
		}
		for i, o := range good {
			switch {
			case errs[i] == nil:
				st.imported++
				st.byCategory[o.c.Category]++
				if res[i].NewDevice {
					st.newDevices++
				}
				bar.step(fmt.Sprintf("imported %s: %s, %s/%s, %s", o.file, o.c.Category, o.c.Snapshot.Context.Site, o.c.Snapshot.Context.Line, res[i].DeviceKey))
			case errors.Is(errs[i], store.ErrDuplicate):
				st.duplicates++
				bar.step(fmt.Sprintf("already imported %s (bundle %s): nothing changed", o.file, o.c.BundleID))
			default:
				reject(o.file, fmt.Errorf("bundle %s: %w", o.c.BundleID, errs[i]))
			}
		}
	}
	bar.finish()
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "importer: interrupted: %d bundles imported into %s before the stop, each whole; run the same import again to go on\n",
			st.imported, dbPath)
		return ctx.Err()
	}
	fmt.Fprintf(stdout, "imported %d, already imported %d, rejected %d (%d new devices) into %s\n",
		st.imported, st.duplicates, st.rejected, st.newDevices, dbPath)
	if st.imported > 0 {
		var parts []string
		for _, c := range classify.Categories {
			if n := st.byCategory[string(c)]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", c, n))
			}
		}
		fmt.Fprintf(stdout, "as collected: %s\n", strings.Join(parts, ", "))
	}
	if len(rejected) > 0 {
		sort.Slice(rejected, func(i, j int) bool { return rejected[i].file < rejected[j].file })
		fmt.Fprintf(stderr, "\n%d bundles were rejected; the files were not changed:\n", len(rejected))
		for _, r := range rejected {
			fmt.Fprintf(stderr, "  %s\n    reason: %s\n    what to do: %s\n", r.file, reasonWord(r.err), importHint(r.err))
		}
		return errPartial
	}
	return nil
}

// reasonWord names why a bundle was rejected, in the words the README uses.
func reasonWord(err error) string {
	switch {
	case errors.Is(err, bundle.ErrWrongKey):
		return "wrong key (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrTampered):
		return "truncated or tampered (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrNotBundle), errors.Is(err, errNoSnapshot), errors.Is(err, licensing.ErrNotSnapshot):
		return "not a bundle (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrUnsupportedVersion), errors.Is(err, licensing.ErrUnsupportedSchema):
		return "unsupported version (" + err.Error() + ")"
	case errors.Is(err, bundle.ErrTooLarge):
		return "oversize (" + err.Error() + ")"
	case errors.Is(err, store.ErrConflict):
		return "conflict (" + err.Error() + ")"
	}
	return err.Error()
}

func importHint(err error) string {
	switch {
	case errors.Is(err, licensing.ErrUnsupportedSchema):
		return "a newer collector wrote it: update the importer"
	case errors.Is(err, errNoSnapshot), errors.Is(err, licensing.ErrNotSnapshot):
		return "this bundle holds no device snapshot; leave it out"
	case errors.Is(err, store.ErrConflict):
		return "two different files carry one bundle ID: keep both files and report them to the ActCourier maintainers"
	}
	return bundleHint(err)
}
