package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/terminal"
)

// Bundles are the files an import reads: named files as they are, and
// the *.tar.zst.age files under named folders, each once. Dot-files (a
// collector's temporary file from a pulled stick) are skipped. They are
// walked again when imported rather than held as a list, so that an
// import of any number of bundles keeps none of their names in memory.
type Bundles struct {
	roots []string // the named paths, none inside another named folder
	// Count is how many files there were when they were found: what a
	// progress bar counts to. Files added since are imported too.
	Count int
}

// FindBundles finds the bundle files under paths and counts them. A
// named path that is not there is an error naming it. The folders a
// system keeps at a volume's root are not walked (systemFolder). A
// folder that cannot be read (a folder of another user) is not
// counted: the import names it as a rejected input and imports the
// others (feed), unless no bundle was found at all, when the first such
// folder's error is FindBundles' own.
func FindBundles(paths []string) (*Bundles, error) {
	b := &Bundles{}
	dirs := map[string]bool{}
	var named []string
	seen := map[string]bool{}
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return nil, err
		}
		if seen[abs] {
			continue
		}
		seen[abs] = true
		named = append(named, p)
		if fi.IsDir() {
			dirs[abs] = true
		}
	}
	// A folder or bundle file inside another named folder is walked
	// with it: drop it. (A named file the walk would skip stays.)
	for _, p := range named {
		abs, _ := filepath.Abs(p)
		if !insideAny(abs, dirs) || !dirs[abs] && !walked(filepath.Base(p)) {
			b.roots = append(b.roots, p)
		}
	}
	var unreadable error
	b.walk(func(string, opener) error { b.Count++; return nil }, func(_ string, err error) error {
		if unreadable == nil {
			unreadable = terminal.ShownPath(err)
		}
		return nil
	})
	if b.Count == 0 && unreadable != nil {
		return nil, unreadable
	}
	return b, nil
}

// insideAny reports whether abs is strictly inside one of dirs. (A root,
// / or S:\, is its own parent, and inside nothing.)
func insideAny(abs string, dirs map[string]bool) bool {
	for d, child := filepath.Dir(abs), abs; d != child; d, child = filepath.Dir(d), d {
		if dirs[d] {
			return true
		}
	}
	return false
}

// Walk calls fn with each bundle file, in the order of the named paths
// and, under a folder, in the order the file system lists them. An error
// reading a folder, or from fn, ends the walk with it.
func (b *Bundles) Walk(fn func(path string) error) error {
	return b.walk(func(path string, _ opener) error { return fn(path) }, func(_ string, err error) error { return terminal.ShownPath(err) })
}

// opener opens a bundle file to read: openFile or openListed.
type opener func(path string) (io.ReadCloser, error)

// walk is Walk, and gives fn how to open each file: a file named itself
// as it is (openFile: a pipe the user names, importer import <(…), is
// read), one found in a folder only if it is a regular file still
// (openListed): the listing said it was, but a stick's file may have
// become a named pipe or a device since, whose open or read would wait
// for ever. A path that cannot be read ends the walk with the system's
// error, which names it; when unreadable is not nil, it goes to
// unreadable instead, and the walk goes on unless that returns an error.
func (b *Bundles) walk(fn func(path string, open opener) error, unreadable func(path string, err error) error) error {
	if unreadable == nil {
		unreadable = func(_ string, err error) error { return err }
	}
	for _, root := range b.roots {
		fi, err := os.Stat(root)
		if err != nil {
			if err := unreadable(root, err); err != nil {
				return err
			}
			continue
		}
		if !fi.IsDir() {
			if err := fn(root, openFile); err != nil {
				return err
			}
			continue
		}
		if err := walkDir(root, func(path string) error { return fn(path, openListed) }, unreadable); err != nil {
			return err
		}
	}
	return nil
}

// dirChunk is how many entries of a folder are read at a time: a stick's
// bundles folder may hold tens of thousands, and none is held longer.
const dirChunk = 256

// walkDir calls fn with the bundle files under dir, reading each folder a
// chunk at a time, in the order the file system lists them (not sorted:
// filepath.WalkDir would hold a whole folder's names to sort them).
// Links are not followed below dir: a link is listed as one (its entry's
// type, as lstat tells it), neither a folder nor a regular file, and
// left out. A file is given to fn when it was a regular file when
// listed: open it with openListed, which tells what it is now. A
// folder that cannot be read goes to unreadable with the system's error.
func walkDir(dir string, fn func(string) error, unreadable func(string, error) error) error {
	f, err := os.Open(dir)
	if err != nil {
		return unreadable(dir, err)
	}
	defer f.Close()
	for {
		entries, err := f.ReadDir(dirChunk)
		for _, e := range entries {
			path := filepath.Join(dir, e.Name())
			switch {
			case e.IsDir() && systemFolder(e.Name()):
				continue
			case e.IsDir():
				err := walkDir(path, fn, unreadable)
				if err != nil {
					return err
				}
			case e.Type().IsRegular() && walked(e.Name()):
				if err := fn(path); err != nil {
					return err
				}
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return unreadable(dir, err)
		}
	}
}

// unnamed is err without the name of path when it is the system's error
// on that path (*fs.PathError): an outcome, an inspect error and a
// summary name the file first, and its error said it again ("x.age:
// open x.age: permission denied"). The file's error alone is kept, as
// it says what happened (ErrGone, ErrLink, ErrNotFile, the errno). The
// name may be shown already, as terminal.ShownPath shows it.
func unnamed(path string, err error) error {
	if pe, ok := err.(*fs.PathError); ok && (pe.Path == path || pe.Path == terminal.Inline(path)) {
		return pe.Err
	}
	return err
}

// listedOpenError is the error of an open of path, a file found in a
// folder, that failed with err (the system's, or ErrNotFile): ErrLink
// when path is a symbolic link now, ErrGone (with err) when it is not
// there any more, else err. It costs an lstat only when the open failed.
func listedOpenError(path string, err error) error {
	if fi, lerr := os.Lstat(path); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return ErrLink
	}
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%w: %w", ErrGone, err)
	}
	return err
}

// systemFolder reports whether a folder under a path given is one a
// system keeps at a volume's root: System Volume Information, which
// Windows lets no user read (an NTFS stick imported whole named it as a
// rejected input at every run), and the recycle bins of Windows and
// macOS, whose bundles were thrown away. They are not walked; named
// themselves, they are.
func systemFolder(name string) bool {
	switch strings.ToLower(name) {
	case "system volume information", "$recycle.bin", "recycler", ".trashes":
		return true
	}
	return false
}

// walked reports whether a file of this name in a named folder is a
// bundle to import.
func walked(name string) bool {
	return strings.HasSuffix(name, bundle.Ext) && !strings.HasPrefix(name, ".")
}

// bundleFile is a bundle file to import, and how to open it (walk).
type bundleFile struct {
	path string
	open opener
}

// testHookListed, when not nil, is called with each bundle file after it
// was listed and before it is opened: a test changes the file there.
var testHookListed func(path string)

// feed sends each bundle file to work until ctx ends, then closes work.
// A folder that cannot be read any more is one rejected input, sent to
// done (which is closed only once the workers end, after work is).
func (b *Bundles) feed(ctx context.Context, work chan<- bundleFile, done chan<- Outcome) {
	defer close(work)
	b.walk(func(path string, open opener) error {
		if testHookListed != nil {
			testHookListed(path)
		}
		select {
		case work <- bundleFile{path, open}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}, func(path string, err error) error {
		// The outcome names the folder; a name in the system's error
		// that is not its own is the stick's, in an error printed as it
		// is (terminal.ShownPath).
		select {
		case done <- Outcome{File: path, Err: terminal.ShownPath(unnamed(path, err))}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

// openBundle reads, decrypts and checks one bundle file completely and
// makes its collection. Errors are bundle's sentinels, ErrNoSnapshot,
// licensing's for a snapshot that does not decode, or the file's
// (ErrNotFile for one found in a folder that is not a file any more).
func openBundle(f bundleFile, lim bundle.Limits, ids []age.Identity, now time.Time) (*Collection, error) {
	b, err := readBundle(f.path, f.open, lim, ids)
	if err != nil {
		return nil, err
	}
	js, ok := b.Member(licensing.MemberName)
	if !ok {
		return nil, fmt.Errorf("%w: no %s in the bundle", ErrNoSnapshot, licensing.MemberName)
	}
	s, err := licensing.Unmarshal(js)
	if err != nil {
		return nil, err
	}
	// The outcomes of a return file are read when requests are listed:
	// a malformed one rejects its bundle now, so that none is stored.
	if proof, ok := b.Member(activation.ProofMember); ok {
		if _, err := activation.UnmarshalProof(proof); err != nil {
			return nil, fmt.Errorf("%s: %w", activation.ProofMember, err)
		}
	}
	var raw []Raw
	for _, m := range b.Members {
		if m.Name != licensing.MemberName {
			raw = append(raw, Raw{Member: m.Name, Data: m.Data})
		}
	}
	meta := Meta{BundleID: b.Manifest.ID, SHA256: b.SHA256, Size: b.Size, FileName: filepath.Base(f.path),
		Origin: OriginBundle, Generator: b.Manifest.Generator}
	return NewCollection(meta, s, js, raw, now)
}

// ReadBundle opens a bundle file with bundle.Open. An empty file is
// bundle.ErrEmpty (and bundle.ErrNotBundle): what to do about it is to
// copy it again, not to leave it out as a file of another kind. The
// file is read whatever it is: a pipe the caller names is read too. A
// file that does not open, or fails to read once open, is the system's
// error without the file's name (fs.ErrNotExist, fs.ErrPermission, an
// errno such as EIO…): the caller names it.
func ReadBundle(path string, lim bundle.Limits, ids []age.Identity) (*bundle.Bundle, error) {
	return readBundle(path, openFile, lim, ids)
}

// readBundle is ReadBundle with the file opened by open.
func readBundle(path string, open opener, lim bundle.Limits, ids []age.Identity) (*bundle.Bundle, error) {
	f, err := open(path)
	if err != nil {
		// Named once, by the caller; any other name in the error is
		// the stick's, in an error printed as it is.
		return nil, terminal.ShownPath(unnamed(path, err))
	}
	defer f.Close()
	return bundle.Open(unnamedReader{f, path}, lim, ids...)
}

// unnamedReader reads the file path through r, its errors without the
// file's name (unnamed): a read that fails after the open, as EIO from
// a stick pulled, is named once by the caller too, not "x.age: bundle:
// read: read x.age: input/output error".
type unnamedReader struct {
	r    io.Reader
	path string
}

func (u unnamedReader) Read(p []byte) (int, error) {
	n, err := u.r.Read(p)
	if err != nil && err != io.EOF {
		err = terminal.ShownPath(unnamed(u.path, err))
	}
	return n, err
}

// Inspect opens each bundle file completely (ReadBundle) and writes its
// manifest (report.WriteManifest, as JSON lines when asJSON) to stdout. A
// folder, a whole stick say, stands for the bundle files under it, found
// as an import finds them. Each file that does not open, each folder that
// cannot be read or holds no bundle, is named on stderr with why and what
// to do, and counted in failed. err is a failure to write.
func Inspect(stdout, stderr io.Writer, paths []string, ids []age.Identity, asJSON bool) (failed int, err error) {
	bad := func(p, msg, hint string) {
		failed++
		fmt.Fprintf(stderr, "importer: error: %s: %s\nimporter: hint: %s\n", terminal.Inline(p), terminal.Message(msg), hint)
	}
	one := func(p string, open opener) error {
		b, err := readBundle(p, open, bundle.Limits{}, ids)
		if err != nil {
			_, hint := Explain(err)
			bad(p, err.Error(), hint)
			return nil
		}
		return report.WriteManifest(stdout, p, b, asJSON)
	}
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.IsDir() {
			if err := one(p, openFile); err != nil {
				return failed, err
			}
			continue
		}
		found, unreadable := 0, false
		err := walkDir(p, func(f string) error { found++; return one(f, openListed) }, func(dir string, err error) error {
			unreadable = true
			err = terminal.ShownPath(unnamed(dir, err))
			_, hint := Explain(err)
			bad(dir, err.Error(), hint)
			return nil
		})
		if err != nil {
			return failed, err
		}
		if found == 0 && !unreadable {
			bad(p, "no bundle in this folder", "bundles end in "+bundle.Ext+"; point at the stick or its bundles folder")
		}
	}
	return failed, nil
}

// ImportOptions control an import.
type ImportOptions struct {
	Identities []age.Identity // the site's keys; several during a key rotation
	// Jobs is how many bundles are decrypted at once; below 1, one more
	// than the cores: the writer waits on the disk now and then, and a
	// spare worker keeps the cores busy.
	Jobs   int
	Limits bundle.Limits
	// Now is the import time that collection times are checked against;
	// zero means the clock.
	Now time.Time
}

// Outcome is what became of one input file.
type Outcome struct {
	File       string
	Collection *Collection // nil when it did not open
	Stored     Stored      // when imported
	// Err is nil when the collection was imported, wraps ErrDuplicate
	// when it already was, and otherwise says why it was rejected.
	Err error
}

// Summary counts what an import did.
type Summary struct {
	Imported, Duplicates, NewDevices int
	ByCategory                       map[classify.Category]int // imported, as collected
	Rejected                         []Outcome                 // sorted by file
	// foreign is set when every bundle found was for another key
	// (allForeign): Finish returns it.
	foreign *ForeignError
}

func (s *Summary) add(o Outcome) {
	switch {
	case o.Err == nil:
		s.Imported++
		s.ByCategory[o.Collection.Category]++
		if o.Stored.NewDevice {
			s.NewDevices++
		}
	case o.Rejected():
		s.Rejected = append(s.Rejected, o)
	default:
		s.Duplicates++
	}
}

// Rejected reports whether the input was rejected: neither imported nor
// found already imported.
func (o Outcome) Rejected() bool { return o.Err != nil && !errors.Is(o.Err, ErrDuplicate) }

// Bounds of one batch: its collections and their bytes (snapshots and raw
// outputs), and how long its first waits for company. With the workers'
// bundles in hand, an import holds at most about three times
// maxBatchBytes (the batch being stored, one waiting, one filling) plus
// (jobs+1) bundles at their limit, whatever the number of bundles
// (docs/reliability.md).
const (
	maxBatch      = 256
	maxBatchBytes = 32 << 20
	flushAfter    = 100 * time.Millisecond
)

// Import decrypts, checks and classifies the bundle files on all cores
// and stores them, and calls progress (when not nil) with each file's
// outcome, from one goroutine. A bundle that fails a check is rejected
// and the others go on. The returned error is the store's (the batch in
// hand was rolled back: a rerun goes on from there) or ctx's when it was
// cancelled (what was stored is whole); the summary counts what was done
// until then. A folder that cannot be read any more (a stick pulled) is
// rejected as one input, and the rest goes on.
func Import(ctx context.Context, st Store, files *Bundles, opts ImportOptions, progress func(Outcome)) (Summary, error) {
	jobs := opts.Jobs
	if jobs < 1 {
		jobs = runtime.GOMAXPROCS(0) + 1
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	// stop ends the feeding of files when the store fails, so the workers
	// finish soon; the caller's ctx ends it too.
	feed, stop := context.WithCancel(ctx)
	defer stop()
	work := make(chan bundleFile)
	done := make(chan Outcome, jobs)
	var wg sync.WaitGroup
	for i := 0; i < jobs; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				c, err := openBundle(f, opts.Limits, opts.Identities, now)
				done <- Outcome{File: f.path, Collection: c, Err: err}
			}
		}()
	}
	go files.feed(feed, work, done)
	go func() { wg.Wait(); close(done) }()

	sum := Summary{ByCategory: map[classify.Category]int{}}
	report := func(o Outcome) {
		sum.add(o)
		if progress != nil {
			progress(o)
		}
	}
	var failed error
	for batch := range batches(done, maxBatch, maxBatchBytes, flushAfter) {
		if failed != nil || ctx.Err() != nil {
			continue // store nothing more; drain the workers
		}
		if failed = storeBatch(ctx, st, batch, report); failed != nil {
			stop()
		}
	}
	sort.Slice(sum.Rejected, func(i, j int) bool { return sum.Rejected[i].File < sum.Rejected[j].File })
	if err := ctx.Err(); err != nil {
		return sum, err
	}
	if failed == nil && sum.allForeign() {
		sum.foreign = files.foreign(len(sum.Rejected), opts.Identities)
	}
	return sum, failed
}

// storeBatch stores the bundles of a batch that opened, in one
// transaction, and reports every outcome once it is known.
func storeBatch(ctx context.Context, st Store, batch []Outcome, report func(Outcome)) error {
	var good []Outcome
	var cs []*Collection
	for _, o := range batch {
		if o.Err != nil {
			report(o)
			continue
		}
		good = append(good, o)
		cs = append(cs, o.Collection)
	}
	if len(cs) == 0 {
		return nil
	}
	res, errs, err := st.ImportBatch(ctx, cs)
	if err != nil {
		if ctx.Err() != nil {
			return nil // interrupted: Import returns ctx's error
		}
		return fmt.Errorf("storing bundles: %w", err)
	}
	for i, o := range good {
		o.Stored, o.Err = res[i], errs[i]
		if o.Err != nil && !errors.Is(o.Err, ErrDuplicate) {
			o.Err = fmt.Errorf("bundle %s: %w", o.Collection.BundleID, o.Err)
		}
		report(o)
	}
	return nil
}

// batches groups what arrives on in into batches for the writer. A batch
// goes out when it holds max collections or maxBytes, when flushAfter has
// passed since its first one arrived, or when in closes: bundles that
// arrive fast share a transaction (a transaction's fixed cost dominates
// the writer's), and one from a slow stick is stored within flushAfter.
//
// One full batch may wait for the writer while it stores another, and a
// third fills meanwhile: with none waiting, the workers stopped as soon
// as the next batch was full, and stood idle while the writer's commit
// waited for the disk (alternated runs of the bench's 10,000 bundles:
// 1.58 to 1.81 s instead of 1.76 to 2.14, a batch's memory more).
func batches(in <-chan Outcome, max int, maxBytes int64, flushAfter time.Duration) <-chan []Outcome {
	out := make(chan []Outcome, 1)
	go func() {
		defer close(out)
		var pending []Outcome
		var bytes int64
		var due <-chan time.Time // fires flushAfter after the batch's first
		ready := false
		for in != nil || len(pending) > 0 {
			recv, send := in, out
			if len(pending) >= max || bytes >= maxBytes {
				recv, ready = nil, true
			}
			if !ready && in != nil {
				send = nil
			}
			select {
			case o, ok := <-recv:
				if !ok {
					in = nil
					continue
				}
				if len(pending) == 0 {
					due = time.After(flushAfter)
				}
				pending = append(pending, o)
				bytes += o.Collection.size()
			case <-due:
				ready, due = true, nil
			case send <- pending:
				pending, bytes, ready, due = nil, 0, false, nil
			}
		}
	}()
	return out
}

// String is the outcome as one line of a log: what was imported, found
// already imported, or rejected and why. The file's name, the stick's,
// and the site, line and device key it names, the bundle's, are shown as
// every listing shows them (terminal.Inline): a name holding the six
// characters \u202e does not read as one holding U+202E, which Message,
// the program's own lines, would leave alike. The error escaped what it
// names as it was made.
func (o Outcome) String() string {
	in := terminal.Inline
	switch {
	case o.Err == nil:
		s := o.Collection.Snapshot.Context
		return fmt.Sprintf("imported %s: %s, %s/%s, %s", in(o.File), o.Collection.Category, in(s.Site), in(s.Line), in(o.Collection.DeviceKey))
	case errors.Is(o.Err, ErrDuplicate):
		return fmt.Sprintf("already imported %s: nothing changed", in(o.File))
	}
	return fmt.Sprintf("rejected %s: %v", in(o.File), o.Err)
}

// Line is the outcome as a progress line: note is true for a rejected
// input, which goes to stderr as "importer: …" ("" for a bundle for
// another key unless verbose: the summary counts those), false for one
// imported or already imported.
func (o Outcome) Line(verbose bool) (line string, note bool) {
	// One line: site, line and key come from the bundle, the file name
	// from the stick.
	switch {
	case !o.Rejected():
		return terminal.Message(o.String()), false
	case verbose || !errors.Is(o.Err, bundle.ErrWrongKey):
		return "importer: " + terminal.Message(o.String()), true
	}
	return "", true
}

// Print writes the summary of an import into db on stdout and the
// rejected inputs, each with what to do about it, on stderr. Bundles for
// another key are summed up in one line (a wrong key rejects them all
// at once) and listed one by one only when verbose.
func (s Summary) Print(stdout, stderr io.Writer, db string, verbose bool) error {
	fmt.Fprintf(stdout, "imported %d, already imported %d, rejected %d (%s) into %s\n",
		s.Imported, s.Duplicates, len(s.Rejected), report.Count(s.NewDevices, "new device"), terminal.Inline(db))
	if s.Imported > 0 {
		var parts []string
		for _, c := range classify.Categories {
			if n := s.ByCategory[c]; n > 0 {
				parts = append(parts, fmt.Sprintf("%s %d", c, n))
			}
		}
		fmt.Fprintf(stdout, "as collected: %s\n", strings.Join(parts, ", "))
	}
	var listed []Outcome
	wrongKey := 0
	for _, r := range s.Rejected {
		if errors.Is(r.Err, bundle.ErrWrongKey) {
			wrongKey++
			if !verbose {
				continue
			}
		}
		listed = append(listed, r)
	}
	if wrongKey > 0 {
		fmt.Fprintf(stderr, "importer: %s %s for another key: was this the right site's key?\n", report.Count(wrongKey, "bundle"), be(wrongKey, "is", "are"))
		_, hint := Explain(bundle.ErrWrongKey)
		if !verbose {
			hint += "; --verbose lists them"
		}
		fmt.Fprintf(stderr, "importer: hint: %s\n", hint)
	}
	if len(listed) == 0 {
		return nil
	}
	fmt.Fprintf(stderr, "\n%s %s rejected; the files were not changed:\n", report.Count(len(listed), "input"), be(len(listed), "was", "were"))
	for _, r := range listed {
		// A file name from the stick, and an error that may quote what
		// the bundle holds (its manifest's version), each on its line.
		why, hint := Explain(r.Err)
		if _, err := fmt.Fprintf(stderr, "  %s\n    error: %s\n    hint: %s\n", terminal.Inline(r.File), terminal.Message(why), hint); err != nil {
			return err
		}
	}
	return nil
}

// Finish prints what an import into db did and returns the error to end
// with: partial when it rejected inputs, or when the store failed part
// way (err: a database server restarted, a full disk), which it prints
// with what to do (what was stored is whole; a rerun goes on); after an
// interruption, which it tells, err as ErrInterrupted. When every bundle
// found was for another key it prints nothing and returns a
// *ForeignError, a configuration error for the caller to print: the
// identity given was the wrong one. Where some bundles opened (imported,
// or already imported: a rerun must end as the first run did), the
// others for another key are rejected inputs as any, and partial.
func (s Summary) Finish(stdout, stderr io.Writer, db string, verbose, interrupted bool, err, partial error) error {
	if interrupted {
		fmt.Fprintf(stderr, "importer: interrupted: %s imported into %s before the stop, each whole; run the same import again to go on\n", report.Count(s.Imported, "bundle"), terminal.Inline(db))
		if err == nil {
			return nil // every bundle was in before the stop took effect
		}
		return fmt.Errorf("%w: %w", ErrInterrupted, err)
	}
	if s.foreign != nil && err == nil {
		e := *s.foreign
		e.DB = db
		return &e
	}
	perr := s.Print(stdout, stderr, db, verbose)
	if err != nil {
		hint := "what was stored is whole; once the database works again, run the same import to go on"
		if errors.Is(err, ErrReadOnly) {
			_, hint = Explain(err)
		}
		// The store's error may quote what a server or the system said
		// raw (a path, a newline): one line, as every error is.
		fmt.Fprintf(stderr, "importer: error: %s: %s\nimporter: hint: %s\n", terminal.Inline(db), terminal.Message(err.Error()), hint)
		return partial
	}
	if perr == nil && len(s.Rejected) > 0 {
		return partial
	}
	return perr
}

// size is what a collection holds in memory, in bytes; 0 for none.
func (c *Collection) size() int64 {
	if c == nil {
		return 0
	}
	n := int64(len(c.JSON))
	for _, r := range c.Raw {
		n += int64(len(r.Data))
	}
	return n
}

// be picks the verb for n things: one or many.
func be(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
