package fleet_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"filippo.io/age"

	"github.com/actcourier/actcourier/bundle"
	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/pgtest"
	"github.com/actcourier/actcourier/pkg/report"
	"github.com/actcourier/actcourier/pkg/slmgr"
	"github.com/actcourier/actcourier/pkg/store"
	"github.com/actcourier/actcourier/pkg/terminal"
)

var ctx = context.Background()

// filesOf is every file b walks, which must succeed.
func filesOf(t *testing.T, b *fleet.Bundles) []string {
	t.Helper()
	var files []string
	if err := b.Walk(func(p string) error { files = append(files, p); return nil }); err != nil {
		t.Fatal(err)
	}
	return files
}

// bundlesOf is FindBundles of paths, which must succeed.
func bundlesOf(t *testing.T, paths []string) *fleet.Bundles {
	t.Helper()
	b, err := fleet.FindBundles(paths)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var asOf = time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)

// archetypes writes one bundle per device archetype into dir, as
// `collector --snapshot` does.
func archetypes(t *testing.T, dir string, r age.Recipient) []string {
	t.Helper()
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) < 12 {
		t.Fatalf("%d archetypes", len(files))
	}
	var out []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(data)
		if err != nil {
			t.Fatal(err)
		}
		members := []bundle.Member{{Name: licensing.MemberName, Data: data}}
		for _, raw := range s.Raw {
			if b, err := os.ReadFile(filepath.Join(strings.TrimSuffix(f, ".json")+".raw", raw.Member)); err == nil {
				members = append(members, bundle.Member{Name: raw.Member, Data: b})
			}
		}
		p, _, err := bundle.WriteFile(dir, bundle.Header{Generator: "test", CreatedAt: s.Context.Collected}, members, r)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

// pg is the PostgreSQL server of these tests when they run against it.
var pg pgtest.Lazy

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// newStore is a new fleet database: a SQLite file, or with
// ACTCOURIER_TEST_DB=postgres (make test's run against PostgreSQL) a
// database on the tests' server.
func newStore(t *testing.T) *store.DB {
	t.Helper()
	dsn := filepath.Join(t.TempDir(), "fleet.db")
	if pgtest.Required() {
		dsn = pg.DB(t)
	}
	db, err := store.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func key(t *testing.T) *age.X25519Identity {
	t.Helper()
	id, err := age.GenerateX25519Identity()
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestImport: archetypes, a bundle for another key and a file that is not
// a bundle: the good ones are stored, each bad one rejected with its
// sentinel, every file reported once; a second run changes nothing.
func TestImport(t *testing.T) {
	id, other := key(t), key(t)
	dir := t.TempDir()
	files := archetypes(t, dir, id.Recipient())
	alien := archetypes(t, t.TempDir(), other.Recipient())[0]
	junk := filepath.Join(dir, "junk"+bundle.Ext)
	os.WriteFile(junk, []byte("not a bundle"), 0o644)
	found, err := fleet.FindBundles([]string{dir, alien})
	if err != nil || found.Count != len(files)+2 {
		t.Fatalf("FindBundles: %v, %v; want %d files", found, err, len(files)+2)
	}
	db := newStore(t)
	seen := map[string]int{}
	sum, err := fleet.Import(ctx, db, found, fleet.ImportOptions{Identities: []age.Identity{id}, Jobs: 3}, func(o fleet.Outcome) { seen[o.File]++ })
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != len(files) || sum.NewDevices != len(files) || len(sum.Rejected) != 2 || len(seen) != found.Count {
		t.Fatalf("summary %+v, %d files reported; want %d imported, 2 rejected", sum, len(seen), len(files))
	}
	for _, r := range sum.Rejected {
		want := map[string]error{alien: bundle.ErrWrongKey, junk: bundle.ErrNotBundle}[r.File]
		if !errors.Is(r.Err, want) {
			t.Errorf("%s: %v, want %v", r.File, r.Err, want)
		}
	}
	if sum.ByCategory[classify.Urgent] != 2 || sum.ByCategory[classify.OK] != 4 {
		t.Errorf("categories as collected %v", sum.ByCategory)
	}
	again, err := fleet.Import(ctx, db, bundlesOf(t, files), fleet.ImportOptions{Identities: []age.Identity{id}}, nil)
	if err != nil || again.Imported != 0 || again.Duplicates != len(files) {
		t.Fatalf("rerun %+v, %v", again, err)
	}
}

// failing is a store whose writes fail, as a full disk does.
type failing struct {
	fleet.Store
	calls int
}

var errDisk = errors.New("disk full")

func (f *failing) ImportBatch(context.Context, []*fleet.Collection) ([]fleet.Stored, []error, error) {
	f.calls++
	return nil, nil, errDisk
}

func TestImportStoreFails(t *testing.T) {
	id := key(t)
	files := archetypes(t, t.TempDir(), id.Recipient())
	st := &failing{Store: newStore(t)}
	sum, err := fleet.Import(ctx, st, bundlesOf(t, files), fleet.ImportOptions{Identities: []age.Identity{id}, Jobs: 1}, nil)
	if !errors.Is(err, errDisk) || sum.Imported != 0 || st.calls != 1 {
		t.Fatalf("err %v, summary %+v, %d writes; want the store's error after one write", err, sum, st.calls)
	}
}

func TestImportCancelled(t *testing.T) {
	id := key(t)
	files := archetypes(t, t.TempDir(), id.Recipient())
	c, cancel := context.WithCancel(ctx)
	cancel()
	sum, err := fleet.Import(c, newStore(t), bundlesOf(t, files), fleet.ImportOptions{Identities: []age.Identity{id}}, nil)
	if !errors.Is(err, context.Canceled) || sum.Imported != 0 {
		t.Fatalf("err %v, summary %+v", err, sum)
	}
}

func TestImportText(t *testing.T) {
	db := newStore(t)
	sample := "../slmgr/testdata/samples/slmgr/win10-pro-oemdm-dli-checkmk.txt"
	junk := filepath.Join(t.TempDir(), "junk.txt")
	os.WriteFile(junk, []byte("hello\n"), 0o644)
	opts := fleet.TextOptions{Context: licensing.Context{Site: "S", Line: "L"}, Collected: asOf, Generator: "test"}
	var outs []fleet.TextOutcome
	sum, err := fleet.ImportText(ctx, db, []string{sample, junk, sample}, opts, func(o fleet.TextOutcome) { outs = append(outs, o) })
	if err != nil || sum.Imported != 1 || sum.Duplicates != 1 || len(sum.Rejected) != 1 || len(outs) != 3 {
		t.Fatalf("summary %+v, %v", sum, err)
	}
	if c := outs[0].Collection; c.Origin != fleet.OriginText || c.Snapshot.Context.Asset != "win10-pro-oemdm-dli-checkmk" || outs[0].Parsed == nil {
		t.Errorf("collection %+v", c.Meta)
	}
}

func TestVerdictsAndLookup(t *testing.T) {
	id := key(t)
	db := newStore(t)
	if _, err := fleet.Import(ctx, db, bundlesOf(t, archetypes(t, t.TempDir(), id.Recipient())), fleet.ImportOptions{Identities: []age.Identity{id}}, nil); err != nil {
		t.Fatal(err)
	}
	var urgent []string
	err := fleet.Verdicts(ctx, db, fleet.Filter{Site: "Nagoya"}, classify.Urgent, asOf, func(c fleet.Classified) error {
		urgent = append(urgent, c.Asset)
		return nil
	})
	if err != nil || strings.Join(urgent, " ") != "NG-L2-011 NG-L3-INS2" {
		t.Fatalf("urgent in Nagoya: %v, %v", urgent, err)
	}
	p, err := fleet.Lookup(ctx, db, "ng-l2-011", asOf, time.Time{})
	if err != nil || p.Asset != "NG-L2-011" || p.Verdict.Category != classify.Urgent || len(p.History) != 1 {
		t.Fatalf("lookup: %+v, %v", p, err)
	}
	if _, err := fleet.Lookup(ctx, db, "nothing", asOf, time.Time{}); !errors.Is(err, fleet.ErrNotFound) {
		t.Errorf("lookup of nothing: %v", err)
	}
	// The archetypes were collected on 2026-11-02: as of the day before,
	// the fleet is empty, and the device not yet known.
	at, until, _ := fleet.AsOf("2026-11-01", time.Now(), time.UTC)
	n := 0
	fleet.Verdicts(ctx, db, fleet.Filter{Until: until}, "", at, func(fleet.Classified) error { n++; return nil })
	if n != 0 {
		t.Errorf("got %d devices as of 2026-11-01, want none", n)
	}
	if _, err := fleet.Lookup(ctx, db, "ng-l2-011", at, until); !errors.Is(err, fleet.ErrNotFound) || !strings.Contains(err.Error(), "first collected on 2026-11-02") {
		t.Errorf("lookup as of 2026-11-01: got %v, want not found, first collected on 2026-11-02", err)
	}
}

func TestAsOf(t *testing.T) {
	now := time.Date(2026, 11, 25, 13, 0, 0, 0, time.UTC)
	jst := time.FixedZone("JST", 9*3600)
	tests := []struct {
		in        string
		at, until string
		err       error
	}{
		{"", "2026-11-25T13:00:00Z", "0001-01-01T00:00:00Z", nil},
		{"2026-11-02", "2026-11-02T00:00:00+09:00", "2026-11-03T00:00:00+09:00", nil},
		{" 2026-11-02 ", "2026-11-02T00:00:00+09:00", "2026-11-03T00:00:00+09:00", nil},
		{"2026-13-01", "", "", fleet.ErrDate},
		{"yesterday", "", "", fleet.ErrDate},
	}
	for _, tc := range tests {
		at, until, err := fleet.AsOf(tc.in, now, jst)
		if tc.err != nil {
			if !errors.Is(err, tc.err) {
				t.Errorf("AsOf(%q): got %v, want %v", tc.in, err, tc.err)
			}
			continue
		}
		if got := at.Format(time.RFC3339) + " " + until.Format(time.RFC3339); err != nil || got != tc.at+" "+tc.until {
			t.Errorf("AsOf(%q): got %s, %v; want %s %s", tc.in, got, err, tc.at, tc.until)
		}
	}
}

// broken is a store whose raw outputs cannot be read.
type broken struct{ fleet.Store }

func (broken) RawFor(context.Context, []int64, int) (map[int64][]fleet.Raw, error) {
	return nil, errDisk
}

// noPools is a store whose KMS pools cannot be read; the report reads
// them beside its first lines.
type noPools struct{ fleet.Store }

func (noPools) Pools(context.Context, time.Time) (map[string]classify.Pool, error) {
	return nil, errDisk
}

// noActivation is a store whose activation requests cannot be read.
type noActivation struct{ fleet.ActivationStore }

func (noActivation) CIDs(context.Context) ([]fleet.CIDRecord, error) { return nil, errDisk }

// slowPools is a store whose KMS pools come only when the report is
// cancelled.
type slowPools struct{ fleet.Store }

func (slowPools) Pools(ctx context.Context, _ time.Time) (map[string]classify.Pool, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// interrupted is a store whose KMS pools cannot be read, and whose
// reader, once the report is cancelled, fails as pgx does when it
// interrupts a query: not with context.Canceled.
type interrupted struct{ fleet.Store }

func (interrupted) Pools(context.Context, time.Time) (map[string]classify.Pool, error) {
	return nil, errDisk
}

func (interrupted) Latest(ctx context.Context, _ fleet.Filter, _ bool, _ func(fleet.Device) error) error {
	<-ctx.Done()
	return errors.New("write failed: write unix @->/tmp/.s.PGSQL.5432: i/o timeout")
}

// failsLater is a store whose raw outputs can be read for the first
// lines only: a report from it fails after some of its line pages are
// written.
type failsLater struct {
	fleet.Store
	calls *atomic.Int32
}

func (s failsLater) RawFor(ctx context.Context, ids []int64, max int) (map[int64][]fleet.Raw, error) {
	if s.calls.Add(1) > 3 {
		return nil, errDisk
	}
	return s.Store.RawFor(ctx, ids, max)
}

// folderOf is every file under dir, by its path relative to dir, with
// its bytes.
func folderOf(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestReport(t *testing.T) {
	id := key(t)
	db := newStore(t)
	if _, err := fleet.Import(ctx, db, bundlesOf(t, archetypes(t, t.TempDir(), id.Recipient())), fleet.ImportOptions{Identities: []age.Identity{id}}, nil); err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	w, err := fleet.Report(ctx, db, out, fleet.Filter{}, report.Options{Lang: classify.Japanese, AsOf: asOf})
	if err != nil || w.Devices != 13 || len(w.Files) != 28 {
		t.Fatalf("report: %d devices, %d files, %v", w.Devices, len(w.Files), err)
	}
	// A report that fails part way leaves no half-written fleet file.
	for _, st := range []fleet.Store{broken{db}, noPools{db}, noPools{newStore(t)}, noActivation{db}, interrupted{db}} {
		failed := t.TempDir()
		if _, err := fleet.Report(ctx, st, failed, fleet.Filter{}, report.Options{AsOf: asOf}); !errors.Is(err, errDisk) {
			t.Fatalf("report from %T: %v", st, err)
		}
		for _, name := range []string{"devices.csv", "products.csv", "devices.json", "index.html"} {
			if _, err := os.Stat(filepath.Join(failed, name)); err == nil {
				t.Errorf("%s written by a failed report from %T", name, st)
			}
		}
		if left, _ := filepath.Glob(filepath.Join(failed, ".report-*")); len(left) > 0 {
			t.Errorf("temporary files left by %T: %v", st, left)
		}
	}
	// A report that fails after some of its line pages were written
	// leaves the folder as it was: no page of it, none linking a
	// workbook it never wrote, and the earlier report whole (Japanese,
	// where this one is in English).
	before := folderOf(t, out)
	if _, err := fleet.Report(ctx, failsLater{db, new(atomic.Int32)}, out, fleet.Filter{}, report.Options{AsOf: asOf}); !errors.Is(err, errDisk) {
		t.Fatalf("report from a store that fails later: %v", err)
	}
	after := folderOf(t, out)
	for name, b := range before {
		if after[name] != b {
			t.Errorf("%s changed by a failed report", name)
		}
	}
	for name := range after {
		if _, ok := before[name]; !ok {
			t.Errorf("%s written by a failed report", name)
		}
	}
	{
		fresh := t.TempDir()
		if _, err := fleet.Report(ctx, failsLater{db, new(atomic.Int32)}, fresh, fleet.Filter{}, report.Options{AsOf: asOf}); !errors.Is(err, errDisk) {
			t.Fatalf("report from a store that fails later: %v", err)
		}
		for name := range folderOf(t, fresh) {
			t.Errorf("%s left by a failed report in an empty folder", name)
		}
	}
	// A report cancelled while the pools are still being read stops, and
	// says why.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := fleet.Report(cctx, slowPools{db}, t.TempDir(), fleet.Filter{}, report.Options{AsOf: asOf})
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled report: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("a report cancelled while reading the pools did not stop")
	}
	// The failed and cancelled reports left the store as it was: the
	// same report again is whole (a query cancelled as it started used to
	// leave its connection failing every later query, store/driver.go).
	if w, err := fleet.Report(ctx, db, t.TempDir(), fleet.Filter{}, report.Options{Lang: classify.Japanese, AsOf: asOf}); err != nil || w.Devices != 13 || len(w.Files) != 28 {
		t.Fatalf("report after the failed ones: %d devices, %d files, %v", w.Devices, len(w.Files), err)
	}
}

// noDevices is a store whose devices must not be read: Latest fails the
// test.
type noDevices struct {
	fleet.Store
	t *testing.T
}

func (s noDevices) Latest(context.Context, fleet.Filter, bool, func(fleet.Device) error) error {
	s.t.Error("the report read the devices of a folder it refuses")
	return errDisk
}

// TestReportRefusedFirst: a report into a folder that holds a file of a
// name it would write that no report wrote is refused before a device
// is read, so before any line is rendered, and writes nothing; the
// names are those of the lines the store holds, as the whole report
// would have found them.
func TestReportRefusedFirst(t *testing.T) {
	id := key(t)
	db := newStore(t)
	if _, err := fleet.Import(ctx, db, bundlesOf(t, archetypes(t, t.TempDir(), id.Recipient())), fleet.ImportOptions{Identities: []age.Identity{id}}, nil); err != nil {
		t.Fatal(err)
	}
	ref := t.TempDir()
	w, err := fleet.Report(ctx, db, ref, fleet.Filter{}, report.Options{AsOf: asOf})
	if err != nil {
		t.Fatal(err)
	}
	var line string // a line's CSV, relative to the folder
	for _, f := range w.Files {
		if rel, _ := filepath.Rel(ref, f); strings.HasSuffix(rel, ".products.csv") {
			line = filepath.ToSlash(strings.TrimSuffix(rel, ".products.csv") + ".csv")
			break
		}
	}
	if line == "" {
		t.Fatalf("no line CSV among %q", w.Files)
	}
	for _, mine := range [][]string{{"index.html"}, {line}, {line, "devices.json"}} {
		t.Run(strings.Join(mine, ","), func(t *testing.T) {
			out := t.TempDir()
			for _, f := range mine {
				p := filepath.Join(out, filepath.FromSlash(f))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte("an auditor's notes"), 0o644)
			}
			before := folderOf(t, out)
			_, err := fleet.Report(ctx, noDevices{db, t}, out, fleet.Filter{}, report.Options{AsOf: asOf})
			var nerr *report.NotOursError
			if !errors.As(err, &nerr) {
				t.Fatalf("got %v, want ErrNotOurs", err)
			}
			sort.Strings(mine)
			if strings.Join(nerr.Files, " ") != strings.Join(mine, " ") {
				t.Errorf("names %q, want %q", nerr.Files, mine)
			}
			if after := folderOf(t, out); !reflect.DeepEqual(after, before) {
				t.Errorf("a refused report changed the folder: %q", after)
			}
		})
	}
}

func TestDeviceKey(t *testing.T) {
	tests := []struct{ uuid, serial, want string }{
		{"4c4c4544-0042", "7XK2Q1S", "hw:4C4C4544-0042/7XK2Q1S"},
		{"03000200-0400-0500-0006-000700080009", "To be filled by O.E.M.", "loc:s/l/a/host"},
		{"00000000-0000-0000-0000-000000000000", "ABC", "hw:/ABC"},
		{"FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF", "0", "loc:s/l/a/host"},
		{"", "Default string", "loc:s/l/a/host"},
	}
	for _, tc := range tests {
		s := &licensing.Snapshot{Context: licensing.Context{Site: "S", Line: "L", Asset: "A"}, OS: licensing.OS{Hostname: "HOST"},
			Hardware: licensing.Hardware{UUID: tc.uuid, Serial: tc.serial}}
		if got := fleet.DeviceKey(s); got != tc.want {
			t.Errorf("DeviceKey(%q, %q) = %q, want %q", tc.uuid, tc.serial, got, tc.want)
		}
	}
}

// TestFinishStoreFailed: an import whose store failed part way ends with
// partial and says what to do, which depends on why it failed, on one
// line each: the error may quote what a server or a system said, raw.
func TestFinishStoreFailed(t *testing.T) {
	partial := errors.New("partial")
	forged := "\nimporter: hint: FORGED"
	tests := []struct {
		name, db string
		err      error
		hint     string
	}{
		{"server gone", "fleet.db", store.ErrServerGone, "once the database works again, run the same import"},
		{"read-only user", "fleet.db", fmt.Errorf("storing bundles: %w", fleet.ErrReadOnly), "use a database user that may write the fleet"},
		{"a newline in the error", "fleet.db", fmt.Errorf("storing bundles: %w", errors.New("disk I/O error"+forged)), "once the database works again"},
		{"a newline in the database's name", "fleet" + forged + ".db", store.ErrServerGone, "once the database works again"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr strings.Builder
			sum := fleet.Summary{ByCategory: map[classify.Category]int{}}
			if err := sum.Finish(&stdout, &stderr, tc.db, false, false, tc.err, partial); err != partial {
				t.Fatalf("Finish = %v, want partial", err)
			}
			if !strings.Contains(stderr.String(), tc.hint) || !strings.Contains(stderr.String(), terminal.Inline(tc.db)) {
				t.Errorf("stderr %q, want the database and %q", stderr.String(), tc.hint)
			}
			lines := strings.Split(strings.TrimSuffix(stderr.String(), "\n"), "\n")
			if len(lines) != 2 || !strings.HasPrefix(lines[0], "importer: error: ") || !strings.HasPrefix(lines[1], "importer: hint: ") || !strings.Contains(lines[1], tc.hint) {
				t.Errorf("got %q, want an error line and a hint line", lines)
			}
		})
	}
}

// TestFindBundles: each file once however the paths overlap (a folder and
// a folder or bundle inside it, a path named twice); dot-files and other
// names skipped in folders, a named file kept as it is.
func TestFindBundles(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "bundles")
	os.Mkdir(sub, 0o755)
	for _, name := range []string{"a" + bundle.Ext, "b" + bundle.Ext, ".tmp" + bundle.Ext, "notes.txt"} {
		os.WriteFile(filepath.Join(sub, name), []byte("x"), 0o644)
	}
	os.WriteFile(filepath.Join(dir, "c"+bundle.Ext), []byte("x"), 0o644)
	a, notes := filepath.Join(sub, "a"+bundle.Ext), filepath.Join(sub, "notes.txt")
	tests := []struct {
		name  string
		paths []string
		want  []string // relative to dir
	}{
		{"a folder", []string{dir}, []string{"bundles/a" + bundle.Ext, "bundles/b" + bundle.Ext, "c" + bundle.Ext}},
		{"a folder and one inside", []string{sub, dir}, []string{"bundles/a" + bundle.Ext, "bundles/b" + bundle.Ext, "c" + bundle.Ext}},
		{"a folder and a bundle in it", []string{a, sub}, []string{"bundles/a" + bundle.Ext, "bundles/b" + bundle.Ext}},
		{"twice", []string{sub, sub + string(filepath.Separator) + "."}, []string{"bundles/a" + bundle.Ext, "bundles/b" + bundle.Ext}},
		{"a named file of another name", []string{sub, notes}, []string{"bundles/a" + bundle.Ext, "bundles/b" + bundle.Ext, "bundles/notes.txt"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := bundlesOf(t, tc.paths)
			files := filesOf(t, b)
			var got []string
			for _, f := range files {
				abs, _ := filepath.Abs(f)
				rel, _ := filepath.Rel(dir, abs)
				got = append(got, filepath.ToSlash(rel))
			}
			sort.Strings(got)
			if strings.Join(got, " ") != strings.Join(tc.want, " ") || b.Count != len(tc.want) {
				t.Errorf("files %v (count %d), want %v", got, b.Count, tc.want)
			}
		})
	}
	if _, err := fleet.FindBundles([]string{filepath.Join(dir, "missing")}); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing path: %v", err)
	}
	// A folder of more files than are read at a time: each once.
	big := filepath.Join(t.TempDir(), "big")
	os.Mkdir(big, 0o755)
	for i := 0; i < 1000; i++ {
		os.WriteFile(filepath.Join(big, fmt.Sprintf("%04d%s", i, bundle.Ext)), []byte("x"), 0o644)
	}
	files := filesOf(t, bundlesOf(t, []string{big}))
	once := map[string]bool{}
	for _, f := range files {
		once[f] = true
	}
	if len(files) != 1000 || len(once) != 1000 {
		t.Errorf("a folder of 1000 bundles: %d files, %d distinct", len(files), len(once))
	}
}

// TestImportFolderGone: a folder that vanishes between finding and
// importing (a stick pulled) is one rejected input; the other folders'
// bundles are imported.
func TestImportFolderGone(t *testing.T) {
	id := key(t)
	gone, kept := t.TempDir(), t.TempDir()
	archetypes(t, gone, id.Recipient())
	files := archetypes(t, kept, id.Recipient())
	found := bundlesOf(t, []string{gone, kept})
	if err := os.RemoveAll(gone); err != nil {
		t.Fatal(err)
	}
	sum, err := fleet.Import(ctx, newStore(t), found, fleet.ImportOptions{Identities: []age.Identity{id}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != len(files) || len(sum.Rejected) != 1 || sum.Rejected[0].File != gone || !errors.Is(sum.Rejected[0].Err, fs.ErrNotExist) {
		t.Fatalf("summary %+v", sum)
	}
}

// TestNewCollectionKeepsGenuineText: a collector's snapshot is stored
// byte for byte as the bundle carries it; only a forged one that would
// break the products view is stored as it was read.
func TestNewCollectionKeepsGenuineText(t *testing.T) {
	files, _ := filepath.Glob("../../testdata/snapshots/*.json")
	if len(files) == 0 {
		t.Fatal("no snapshots in testdata/snapshots")
	}
	for _, f := range append(files, "nul", "null") {
		js, err := os.ReadFile(f)
		switch f {
		case "nul":
			js, err = []byte(`{"schema":"actcourier-device/1","products":[{"kind":"windows","name":"a\u0000b"}]}`), nil
		case "null":
			js, err = []byte(`{"schema":"actcourier-device/1","products":null}`), nil
		}
		if err != nil {
			t.Fatal(err)
		}
		s, err := licensing.Unmarshal(js)
		if err != nil {
			t.Fatal(f, err)
		}
		c, err := fleet.NewCollection(fleet.Meta{BundleID: "b", SHA256: "s", Origin: fleet.OriginBundle}, s, js, nil, asOf)
		if err != nil {
			t.Fatal(f, err)
		}
		if kept := string(c.JSON) == string(js); kept != (f != "nul" && f != "null") {
			t.Errorf("%s: stored as carried %v", f, kept)
		}
	}
}

// TestSummaryOneLine: what the import prints of an input stays on its
// lines, whatever its file name or the error it met quotes, and so does
// the database's name, interrupted or not.
func TestSummaryOneLine(t *testing.T) {
	fake := "\nimporter: error: FAKE"
	o := fleet.Outcome{File: "b" + fake + ".tar.zst.age", Err: fmt.Errorf("%w: version 1%s", bundle.ErrUnsupportedVersion, fake)}
	s := fleet.Summary{Rejected: []fleet.Outcome{o}}
	var out, errOut bytes.Buffer
	s.Print(&out, &errOut, "fleet"+fake+".db", true)
	s.Finish(&out, &errOut, "fleet"+fake+".db", true, true, context.Canceled, nil)
	line, _ := o.Line(true)
	for _, l := range strings.Split(out.String()+errOut.String()+line+"\n", "\n") {
		if strings.HasPrefix(l, "importer: error: FAKE") {
			t.Errorf("a line of its own: %q\n%s", l, errOut.String())
		}
	}
}

// TestReadStringsBounded: an slmgr.ini is read up to MaxTextSize, as a
// text is: a larger file (a real one is under 100 KiB), or a device such
// as /dev/zero given to --strings, is refused rather than read whole.
func TestReadStringsBounded(t *testing.T) {
	big := filepath.Join(t.TempDir(), "slmgr.ini")
	line := "L_MsgProductName=\"Name: \"\r\n"
	if err := os.WriteFile(big, []byte(strings.Repeat(line, fleet.MaxTextSize/len(line)+1)), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := fleet.ReadStrings([]string{big})
	if !errors.Is(err, fleet.ErrStrings) || !errors.Is(err, fleet.ErrTooLarge) {
		t.Fatalf("got %v, want ErrStrings and ErrTooLarge", err)
	}
	// The hint is about the slmgr.ini, not about saving a text again.
	_, hint := fleet.Explain(err)
	if _, want := fleet.Explain(fleet.ErrStrings); hint != want {
		t.Errorf("got hint %q, want %q", hint, want)
	}
}

// TestOutcomeShown: the site, line and asset an import's progress line
// names come from the bundle or the text: one that holds the six
// characters \u202e is not shown as one that holds U+202E, nor one that
// holds a newline as one that holds \x0a, as in every other listing
// (terminal.Inline). Before, the two read the same.
func TestOutcomeShown(t *testing.T) {
	line := func(site, ln, asset string) string {
		s := &licensing.Snapshot{Context: licensing.Context{Site: site, Line: ln, Asset: asset}}
		c := &fleet.Collection{DeviceKey: "k1", Snapshot: s, Category: classify.OK}
		l, _ := fleet.Outcome{File: `E:\bundles\x.tar.zst.age`, Collection: c}.Line(false)
		text := fleet.TextOutcome{Outcome: fleet.Outcome{File: `E:\texts\a.txt`, Collection: c}, Parsed: &slmgr.Result{}}
		return l + "\n" + terminal.Message(text.String())
	}
	for _, tc := range []struct{ real, forged string }{
		{"Na\u202egoya", `Na\u202egoya`},
		{"L\n1", `L\x0a1`},
		{"NG\u3164L1", `NG\u3164L1`},
	} {
		for _, f := range []func(string) string{
			func(s string) string { return line(s, "L1", "A1") },
			func(s string) string { return line("Nagoya", s, "A1") },
			func(s string) string { return line("Nagoya", "L1", s) },
		} {
			if real, forged := f(tc.real), f(tc.forged); real == forged {
				t.Errorf("%q and %q are both shown as\n%s", tc.real, tc.forged, real)
			}
		}
	}
	// A Windows path stays as it is.
	if l := line("Nagoya", "L1", "A1"); !strings.Contains(l, `E:\bundles\x.tar.zst.age`) {
		t.Errorf("the file name is not shown as it is: %s", l)
	}
}

// TestOutcomeRejected: an input is rejected unless it was imported or
// found already imported, and only a rejected one is a note of Line.
func TestOutcomeRejected(t *testing.T) {
	c := &fleet.Collection{DeviceKey: "k1", Snapshot: &licensing.Snapshot{}, Category: classify.OK}
	for _, tc := range []struct {
		name string
		o    fleet.Outcome
		want bool
	}{
		{"imported", fleet.Outcome{File: "a", Collection: c}, false},
		{"already imported", fleet.Outcome{File: "a", Collection: c, Err: fleet.ErrDuplicate}, false},
		{"already imported, wrapped", fleet.Outcome{File: "a", Collection: c, Err: fmt.Errorf("bundle x: %w", fleet.ErrDuplicate)}, false},
		{"another copy stored", fleet.Outcome{File: "a", Collection: c, Err: fleet.ErrConflict}, true},
		{"wrong key", fleet.Outcome{File: "a", Err: bundle.ErrWrongKey}, true},
		{"tampered", fleet.Outcome{File: "a", Err: fmt.Errorf("%w: age", bundle.ErrTampered)}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.o.Rejected(); got != tc.want {
				t.Errorf("Rejected() = %v, want %v", got, tc.want)
			}
			if _, note := tc.o.Line(true); note != tc.want {
				t.Errorf("Line's note = %v, want %v", note, tc.want)
			}
		})
	}
}

// TestAmbiguousShown: the devices an ambiguous reference matches are
// named on one line, each site, line and asset as every listing shows it
// (terminal.Inline): importer show REF prints the error as it is, and
// a forged bundle's site "x\nimporter: hint: …" printed a line of its
// own there before.
func TestAmbiguousShown(t *testing.T) {
	e := &fleet.AmbiguousError{Ref: "NG-L1-001", Devices: []fleet.Device{
		{ID: 1, Site: "Nagoya", Line: "L1", Asset: "NG-L1-001"},
		{ID: 2, Site: "x\nimporter: hint: FAKE", Line: "L\t1", Asset: `NG-\u202eL1-001`},
		{ID: 3, Site: "x", Line: "L1", Asset: "NG-\u202eL1-001"},
	}}
	got := e.Error()
	want := `"NG-L1-001" matches 3 devices: 1 (Nagoya/L1 NG-L1-001), 2 (x\x0aimporter: hint: FAKE/L\x091 NG-\\u202eL1-001), 3 (x/L1 NG-\u202eL1-001)`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
