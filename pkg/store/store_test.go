package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
	"github.com/actcourier/actcourier/pkg/pgtest"
)

var ctx = context.Background()

// pg is the PostgreSQL server of these tests, started by the first that
// needs it.
var pg pgtest.Lazy

func TestMain(m *testing.M) {
	code := m.Run()
	pg.Stop()
	os.Exit(code)
}

// eachStore runs fn against a new empty database of each store: a SQLite
// file and a PostgreSQL database (skipped, saying why, where the server
// is not installed).
func eachStore(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, filepath.Join(t.TempDir(), "fleet.db")) })
	t.Run("postgres", func(t *testing.T) { fn(t, pg.DB(t)) })
}

// openNew opens dsn (a new database) and closes it when t ends.
func openNew(t *testing.T, dsn string) *DB {
	t.Helper()
	db, err := Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func coll(id, uuid, serial, asset string, at time.Time) *fleet.Collection {
	s := &licensing.Snapshot{Schema: licensing.Schema, Context: licensing.Context{Site: "S", Line: "L", Asset: asset, Collected: at},
		Hardware: licensing.Hardware{UUID: uuid, Serial: serial}, OS: licensing.OS{Hostname: "H-" + asset},
		Products: []licensing.Product{{Kind: licensing.KindWindows, Name: "Windows(R), Professional edition", Channel: licensing.ChannelMAK, Status: licensing.StatusLicensed}}}
	c, err := fleet.NewCollection(fleet.Meta{BundleID: id, SHA256: "sum-" + id, Size: 10, FileName: id + ".tar.zst.age",
		Origin: fleet.OriginBundle, Generator: "test"}, s, nil, []fleet.Raw{{Member: "raw/x.txt", Data: []byte("x")}}, at.Add(time.Hour))
	if err != nil {
		panic(err)
	}
	return c
}

// collAt is coll at a site of its own.
func collAt(id, uuid, site, asset string, at time.Time) *fleet.Collection {
	c := coll(id, uuid, "", asset, at)
	s := *c.Snapshot
	s.Context.Site = site
	c, err := fleet.NewCollection(c.Meta, &s, nil, c.Raw, at.Add(time.Hour))
	if err != nil {
		panic(err)
	}
	return c
}

// importOne stores one collection in its own transaction.
func importOne(db *DB, c *fleet.Collection) (fleet.Stored, error) {
	res, errs, err := db.ImportBatch(ctx, []*fleet.Collection{c})
	if err != nil {
		return fleet.Stored{}, err
	}
	return res[0], errs[0]
}

func TestImport(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		if _, err := importOne(db, coll("b2", "UUID-1", "SER1", "A1", t0.Add(time.Hour))); err != nil {
			t.Fatal(err)
		}
		// An older collection of the same device arrives later: history, not latest.
		if r, err := importOne(db, coll("b1", "uuid-1", "ser1", "A1-old", t0)); err != nil || r.NewDevice {
			t.Fatalf("%+v %v", r, err)
		}
		if _, err := importOne(db, coll("b1", "uuid-1", "ser1", "A1-old", t0)); !errors.Is(err, fleet.ErrDuplicate) {
			t.Fatalf("duplicate: %v", err)
		}
		c := coll("b1", "x", "y", "z", t0)
		c.SHA256 = "other"
		if _, err := importOne(db, c); !errors.Is(err, fleet.ErrConflict) {
			t.Fatalf("conflict: %v", err)
		}
		var latest []fleet.Device
		db.Latest(ctx, fleet.Filter{}, true, func(d fleet.Device) error { latest = append(latest, d); return nil })
		if len(latest) != 1 || latest[0].BundleID != "b2" || latest[0].Collections != 2 || latest[0].Asset != "A1" {
			t.Fatalf("latest %+v", latest)
		}
		h, _ := db.History(ctx, latest[0].ID)
		if len(h) != 2 || h[0].BundleID != "b2" || h[1].BundleID != "b1" {
			t.Fatalf("history %+v", h)
		}
		// The asset tag and host name of an earlier collection find the
		// device too.
		for _, ref := range []string{"A1", "h-a1", latest[0].Key, fmt.Sprint(latest[0].ID), "b1", "a1-old", "H-A1-OLD"} {
			if got, err := db.Find(ctx, ref); err != nil || len(got) != 1 {
				t.Errorf("Find(%q) = %v, %v", ref, got, err)
			}
		}
		if _, err := db.Find(ctx, "nothing"); !errors.Is(err, fleet.ErrNotFound) {
			t.Errorf("Find: %v", err)
		}
		if raw, _ := db.RawFor(ctx, []int64{latest[0].CollectionID}, 1<<20); len(raw[latest[0].CollectionID]) != 1 || string(raw[latest[0].CollectionID][0].Data) != "x" {
			t.Errorf("raw %+v", raw)
		}
		if s, err := db.Check(ctx); s != "ok" || err != nil {
			t.Errorf("integrity %q %v", s, err)
		}
	})
}

// TestNotText: a reference or filter that is not UTF-8 text, or holds a
// NUL, matches nothing in either store (PostgreSQL refused it as an
// error, SQLite found nothing).
func TestNotText(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		if _, err := importOne(db, coll("b1", "U1", "S1", "A1", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))); err != nil {
			t.Fatal(err)
		}
		for _, ref := range []string{"a1\xff", "a1\x00"} {
			if _, err := db.Find(ctx, ref); !errors.Is(err, fleet.ErrNotFound) {
				t.Errorf("Find(%q): %v, want not found", ref, err)
			}
			n := 0
			for _, f := range []fleet.Filter{{Site: ref}, {Site: "S", Line: ref}} {
				if err := db.Latest(ctx, f, false, func(fleet.Device) error { n++; return nil }); err != nil || n != 0 {
					t.Errorf("Latest(%+v): %d devices, %v", f, n, err)
				}
			}
		}
	})
}

// TestFindPrefersLatest: a tag another device has now names that device,
// not the one that had it before.
func TestFindPrefersLatest(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		importOne(db, coll("b1", "UUID-1", "S1", "TAG-7", t0))
		importOne(db, coll("b2", "UUID-1", "S1", "TAG-8", t0.Add(time.Hour)))
		importOne(db, coll("b3", "UUID-2", "S2", "TAG-7", t0.Add(2*time.Hour)))
		got, err := db.Find(ctx, "tag-7")
		if err != nil || len(got) != 1 || got[0].BundleID != "b3" {
			t.Fatalf("Find(tag-7) = %+v, %v; want the device whose latest tag it is", got, err)
		}
	})
}

// TestLatestTie pins what docs/security.md says of a collection that
// claims the very second of a device's latest (both in whole seconds):
// imported after it, it is the latest, in both stores and as of any later
// time, and its host name, which differs, is flagged; one that claims an
// earlier second is not. (A fraction of a second does not count:
// TestLatestWithinSecond.)
func TestLatestTie(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		importOne(db, coll("genuine", "UUID-1", "S1", "A", t0))
		importOne(db, coll("same-second", "UUID-1", "S1", "B", t0))
		importOne(db, coll("earlier", "UUID-1", "S1", "C", t0.Add(-time.Second)))
		for _, until := range []time.Time{{}, t0.Add(time.Second)} {
			var got []string
			err := db.Latest(ctx, fleet.Filter{Until: until}, false, func(d fleet.Device) error {
				got = append(got, fmt.Sprintf("%s/%d/%v", d.BundleID, d.Collections, len(d.Hostnames) > 1))
				return nil
			})
			if want := "[same-second/3/true]"; err != nil || fmt.Sprint(got) != want {
				t.Errorf("until %v: got %v, %v; want %s", until, got, err, want)
			}
		}
	})
}

// TestLatestWithinSecond: of two collections of one device within one
// second, one with a fraction (a text import's file time; a bundle's
// time has none), the one imported later is the latest, whichever time
// it claims, in both stores, as of now and of the next second, and it
// comes first in the device's history. Stored as RFC3339Nano text, which
// drops a fraction's trailing zeros, "…:00Z" sorted after "…:00.5Z" and
// ".5Z" after ".55Z": the order of import did not decide.
func TestLatestWithinSecond(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	tests := []struct {
		name          string
		first, second time.Duration // after t0, in import order
	}{
		{"whole then half", 0, 500 * ms},
		{"half then whole", 500 * ms, 0},
		{".5 then .55", 500 * ms, 550 * ms},
		{".55 then .5", 550 * ms, 500 * ms},
		{".1 then .100000001", 100 * ms, 100*ms + 1},
	}
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		devices := map[string]int64{}
		for i, tc := range tests {
			id := strconv.Itoa(i)
			for n, at := range []time.Duration{tc.first, tc.second} {
				r, err := importOne(db, coll(fmt.Sprint(id, "-", n+1), "UUID-"+id, "S", "A"+id, t0.Add(at)))
				if err != nil {
					t.Fatal(err)
				}
				devices[id] = r.DeviceID
			}
		}
		for _, until := range []time.Time{{}, t0.Add(time.Second)} {
			got := map[string]string{}
			err := db.Latest(ctx, fleet.Filter{Until: until}, false, func(d fleet.Device) error {
				got[strings.TrimPrefix(d.Asset, "A")] = d.BundleID
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			for i, tc := range tests {
				if want := fmt.Sprint(i, "-2"); got[strconv.Itoa(i)] != want {
					t.Errorf("%s, until %v: latest %s, want %s", tc.name, until, got[strconv.Itoa(i)], want)
				}
			}
		}
		for i, tc := range tests {
			h, err := db.History(ctx, devices[strconv.Itoa(i)])
			if err != nil || len(h) != 2 {
				t.Fatalf("%s: history %d collections, %v", tc.name, len(h), err)
			}
			if want := fmt.Sprint(i, "-2"); h[0].BundleID != want || !h[0].CollectedAt.Equal(t0) {
				t.Errorf("%s: history begins with %s at %v, want %s at %v (whole seconds)", tc.name, h[0].BundleID, h[0].CollectedAt, want, t0)
			}
		}
		if s, err := db.Check(ctx); s != "ok" || err != nil {
			t.Errorf("Check: %s, %v", s, err)
		}
	})
}

// TestUntil: with Until, the fleet is what it was then: each device's
// latest collection before it, its collections counted up to it, and
// devices first collected later left out.
func TestUntil(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		importOne(db, coll("b1", "UUID-1", "S1", "A-old", t0))
		importOne(db, coll("b2", "UUID-1", "S1", "A-new", t0.Add(48*time.Hour)))
		importOne(db, coll("b3", "UUID-2", "S2", "B", t0.Add(72*time.Hour+500*time.Millisecond)))
		tests := []struct {
			name  string
			until time.Time
			want  string // bundle/collections of each device, in order
			pool  int    // Windows clients in site S
		}{
			{"all", time.Time{}, "b2/2 b3/1", 2},
			{"between", t0.Add(24 * time.Hour), "b1/1", 1},
			{"at the second of b3", t0.Add(72 * time.Hour), "b2/2", 1},
			{"after b3 within its second", t0.Add(72*time.Hour + 700*time.Millisecond), "b2/2", 1},
			{"just after b3", t0.Add(72*time.Hour + time.Second), "b2/2 b3/1", 2},
			{"before all", t0, "", 0},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				var got []string
				err := db.Latest(ctx, fleet.Filter{Until: tc.until}, false, func(d fleet.Device) error {
					got = append(got, fmt.Sprintf("%s/%d", d.BundleID, d.Collections))
					return nil
				})
				if err != nil || fmt.Sprint(got) != fmt.Sprint(strings.Fields(tc.want)) {
					t.Errorf("got %v, %v; want %s", got, err, tc.want)
				}
				pools, err := db.Pools(ctx, tc.until)
				if err != nil || pools["S"].Client != tc.pool {
					t.Errorf("got pools %+v, %v; want %d clients", pools, err, tc.pool)
				}
			})
		}
	})
}

// TestLeftOut: the devices a fleet as it was leaves out, first
// collected at or after Until, are counted per site and line of their
// latest collection, with f's site and line, in both stores; an Until
// after every collection leaves nothing out and says so.
func TestLeftOut(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		at := func(c *fleet.Collection, site, line string) *fleet.Collection {
			c.Snapshot.Context.Site, c.Snapshot.Context.Line = site, line
			return c
		}
		for _, c := range []*fleet.Collection{
			at(coll("b1", "UUID-1", "S1", "A1", t0), "S", "L1"),
			at(coll("b2", "UUID-1", "S1", "A1", t0.Add(48*time.Hour)), "S", "L2"), // moved: left out of none
			at(coll("b3", "UUID-2", "S2", "A2", t0.Add(24*time.Hour)), "S", "L1"),
			at(coll("b4", "UUID-3", "S3", "A3", t0.Add(30*time.Hour)), "S", "L1"),
			at(coll("b5", "UUID-4", "S4", "A4", t0.Add(72*time.Hour)), "T", "L1"),
		} {
			if _, err := importOne(db, c); err != nil {
				t.Fatal(err)
			}
		}
		for _, tc := range []struct {
			name string
			f    fleet.Filter
			past bool
			want string
		}{
			{"as it is", fleet.Filter{}, false, ""},
			{"after all", fleet.Filter{Until: t0.Add(73 * time.Hour)}, false, ""},
			{"before all", fleet.Filter{Until: t0}, true, "S/L1:2 S/L2:1 T/L1:1"},
			{"between", fleet.Filter{Until: t0.Add(25 * time.Hour)}, true, "S/L1:1 T/L1:1"},
			{"site", fleet.Filter{Until: t0.Add(25 * time.Hour), Site: "T"}, true, "T/L1:1"},
			{"line", fleet.Filter{Until: t0, Site: "S", Line: "L2", Limit: 1}, true, "S/L2:1"},
			{"none left out", fleet.Filter{Until: t0.Add(31 * time.Hour), Site: "S"}, true, ""},
			{"no such site", fleet.Filter{Until: t0, Site: "\xff"}, true, ""},
		} {
			var got []string
			past, err := db.LeftOut(ctx, tc.f, func(site, line string, n int) error {
				got = append(got, fmt.Sprintf("%s/%s:%d", site, line, n))
				return nil
			})
			if err != nil || past != tc.past || strings.Join(got, " ") != tc.want {
				t.Errorf("%s: got %v %q, %v; want %v %q", tc.name, past, got, err, tc.past, tc.want)
			}
		}
	})
}

// TestLimit: with a Limit, Latest reads at most that many devices, the
// first in its order, in both stores, as of now and of a day.
func TestLimit(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		for i, id := range []string{"b1", "b2", "b3"} {
			importOne(db, coll(id, "UUID-"+id, "S-"+id, "A"+strconv.Itoa(i), t0))
		}
		for _, tc := range []struct {
			f    fleet.Filter
			want string
		}{
			{fleet.Filter{}, "b1 b2 b3"},
			{fleet.Filter{Limit: 1}, "b1"},
			{fleet.Filter{Limit: 2, Until: t0.Add(time.Hour)}, "b1 b2"},
			{fleet.Filter{Limit: 5, Site: "S"}, "b1 b2 b3"},
		} {
			var got []string
			err := db.Latest(ctx, tc.f, false, func(d fleet.Device) error { got = append(got, d.BundleID); return nil })
			if err != nil || strings.Join(got, " ") != tc.want {
				t.Errorf("Latest(%+v): %v, %v; want %s", tc.f, got, err, tc.want)
			}
		}
	})
}

// TestOpenExisting: the commands that only read refuse a missing
// database and never create one.
func TestOpenExisting(t *testing.T) {
	path := filepath.Join(t.TempDir(), "none.db")
	if _, err := OpenExisting(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("got %v, want fs.ErrNotExist", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("OpenExisting created %s", path)
	}
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = OpenExisting(path); err != nil {
		t.Fatal(err)
	}
	db.Close()
}

// TestMissing: only a SQLite file that is not there is missing; a
// mistyped connection string is Open's error, and a PostgreSQL URL is
// never missing (Open never creates a database there).
func TestMissing(t *testing.T) {
	dir := t.TempDir()
	there := filepath.Join(dir, "there.db")
	os.WriteFile(there, nil, 0o600)
	tests := []struct {
		name, dsn string
		missing   bool
		err       bool
	}{
		{"new file", filepath.Join(dir, "new.db"), true, false},
		{"file there", there, false, false},
		{"folder", dir, false, false},
		{"postgres", "postgres://u@localhost/fleet", false, false},
		{"mysql URL", "mysql://u@localhost/fleet", false, true},
		{"key=value", "host=localhost dbname=fleet", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			missing, err := Missing(tc.dsn)
			if missing != tc.missing || (err != nil) != tc.err {
				t.Errorf("got %v, %v; want %v, error %v", missing, err, tc.missing, tc.err)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "new.db")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Missing created the file: %v", err)
	}
}

func TestNewerSchema(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db, err := Open(dsn)
		if err != nil {
			t.Fatal(err)
		}
		set := "PRAGMA user_version = 99"
		if db.dialect == postgresDialect {
			set = "UPDATE schema_version SET version = 99"
		}
		if _, err := db.db.Exec(set); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if _, err := Open(dsn); !errors.Is(err, fleet.ErrNewerSchema) {
			t.Fatalf("got %v, want ErrNewerSchema", err)
		}
	})
}

// TestOpenExistingPostgres: on PostgreSQL, the commands that only read
// refuse a database that does not exist or holds no fleet, and create
// nothing in it.
func TestOpenExistingPostgres(t *testing.T) {
	dsn := pg.DB(t)
	missing := strings.Replace(dsn, "/fleet", "/nosuch", 1)
	for _, d := range []string{missing, dsn} {
		if _, err := OpenExisting(d); !errors.Is(err, fs.ErrNotExist) {
			t.Fatalf("OpenExisting(%s): got %v, want fs.ErrNotExist", Name(d), err)
		}
	}
	// Open does not create a PostgreSQL database either: its
	// administrator does. So no command's hint sends the user to import
	// first (an import would be refused the same way): each says to
	// create it, and the message says what is missing, the database.
	for name, open := range map[string]func(string) (*DB, error){"Open": Open, "OpenExisting": OpenExisting} {
		db, err := open(missing)
		if err == nil {
			db.Close()
			t.Fatalf("%s created the database %s", name, Name(missing))
		}
		if !errors.Is(err, ErrNoDatabase) || !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("%s(%s): got %v, want ErrNoDatabase and fs.ErrNotExist", name, Name(missing), err)
		}
		if hint := Hint(err); !strings.Contains(hint, "Setting up PostgreSQL") || strings.Contains(hint, "import bundles first") {
			t.Errorf("%s(%s): hint %q, want one that says to create the database", name, Name(missing), hint)
		}
		if strings.Contains(err.Error(), "file does not exist") {
			t.Errorf("%s(%s): %q speaks of a file", name, Name(missing), err)
		}
	}
	if _, err := OpenExisting(dsn); errors.Is(err, ErrNoDatabase) || !strings.Contains(Hint(err), "import bundles first") {
		t.Errorf("OpenExisting of a database without a fleet: got %v, hint %q, want to import first", err, Hint(err))
	}
	db := openNew(t, dsn)
	var tables int
	if err := db.db.QueryRow("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'").Scan(&tables); err != nil || tables < 4 {
		t.Fatalf("%d tables after Open, %v", tables, err)
	}
	if db, err := OpenExisting(dsn); err != nil {
		t.Fatal(err)
	} else {
		db.Close()
	}
}

// TestName: a PostgreSQL URL is printed without its password.
func TestName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"fleet.db", "fleet.db"},
		{"postgres://importer:s3cret@db.example:5432/fleet?sslmode=verify-full", "postgres://importer:xxxxx@db.example:5432/fleet?sslmode=verify-full"},
		{"postgresql://db.example/fleet", "postgresql://db.example/fleet"},
		// pgx takes the password from the query too.
		{"postgres://importer@db.example/fleet?password=s3cret&sslmode=verify-full", "postgres://importer@db.example/fleet?password=xxxxx&sslmode=verify-full"},
		{"postgres://importer@db.example/fleet?sslpassword=s3cret&PASSWORD=s3cret", "postgres://importer@db.example/fleet?sslpassword=xxxxx&PASSWORD=xxxxx"},
	}
	for _, tc := range tests {
		if got := Name(tc.in); got != tc.want {
			t.Errorf("Name(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestNotAFile: a connection string that is not a postgres:// URL (the
// key=value form, a scheme in capitals) is refused, without printing it,
// rather than opened as a new SQLite file of that name.
func TestNotAFile(t *testing.T) {
	dir := t.TempDir()
	for _, dsn := range []string{"host=db.example user=importer password=s3cret dbname=fleet", "Postgres://importer:s3cret@db.example/fleet",
		"postgres:/importer:s3cret@db.example/fleet", "mysql://importer:s3cret@db.example/fleet"} {
		for name, open := range map[string]func(string) (*DB, error){"Open": Open, "OpenExisting": OpenExisting} {
			db, err := open(filepath.Join(dir, dsn))
			if err == nil {
				db.Close()
			}
			db, err = open(dsn)
			if err == nil {
				db.Close()
				os.Remove(dsn)
				t.Errorf("%s opened %q as a file", name, Name(dsn))
			} else if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("%s: %v", name, err)
			}
		}
	}
}

// TestParseErrorHidesPassword: a URL pgx cannot parse is named without
// its password, wherever the URL holds it.
func TestParseErrorHidesPassword(t *testing.T) {
	for _, dsn := range []string{
		"postgres://importer@db.example/fleet?password=s3cret&sslmode=bogus",
		"postgres://importer:s3cret@db.example/fleet?sslmode=bogus",
		"postgres://importer@db.example/fleet?connect_timeout=x&password=s3cret",
	} {
		_, err := Open(dsn)
		if err == nil || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("Open(%q): %v", Name(dsn), err)
		}
	}
}

// TestRewrite: statements written for SQLite, as PostgreSQL reads them.
func TestRewrite(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"placeholders in order", "SELECT a FROM t WHERE b = ? AND c IN (?, ?)", "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)"},
		{"numbered placeholders", "WHERE lower(k) = ?2 OR id = ?1", "WHERE lower(k) = $2 OR id = $1"},
		{"a question mark in quotes stays", "SELECT '?' FROM t WHERE a = ?", "SELECT '?' FROM t WHERE a = $1"},
		{"insert", "INSERT OR FAIL INTO raw (a) VALUES (?)", "INSERT INTO raw (a) VALUES ($1)"},
		{"join order", "collections c CROSS JOIN devices d ON d.latest_id = c.id", "collections c JOIN devices d ON d.latest_id = c.id"},
		{"lists", "group_concat(h, char(31) ORDER BY h) || char(30)", "string_agg(h, chr(31) ORDER BY h) || chr(30)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := pgRewrite(tc.in); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestMigrationsInStep: version n is the same schema on both stores, so
// the PostgreSQL form of each migration must be there.
func TestMigrationsInStep(t *testing.T) {
	if len(pgMigrations) != len(migrations) {
		t.Fatalf("%d SQLite migrations, %d PostgreSQL ones: write the PostgreSQL form of each in pgschema.go", len(migrations), len(pgMigrations))
	}
}

// TestServerError: PostgreSQL's errors are told by their SQLSTATE, never
// by their text; SQLite's by their result code.
func TestServerError(t *testing.T) {
	tests := []struct {
		name      string
		err       error
		want      error // nil: returned as it is
		retryable bool
	}{
		{"serialization failure", &pgconn.PgError{Code: "40001"}, nil, true},
		{"deadlock", &pgconn.PgError{Code: "40P01"}, nil, true},
		{"admin shutdown", &pgconn.PgError{Code: "57P01", Message: "terminating connection due to administrator command"}, ErrServerGone, false},
		{"connection failure", &pgconn.PgError{Code: "08006"}, ErrServerGone, false},
		{"lock timeout", &pgconn.PgError{Code: "55P03"}, ErrLocked, false},
		{"unique violation", &pgconn.PgError{Code: "23505"}, nil, false},
		{"insufficient privilege", &pgconn.PgError{Code: "42501"}, fleet.ErrReadOnly, false},
		{"connection cut", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), ErrServerGone, false},
		{"text alone means nothing", errors.New("terminating connection due to administrator command (SQLSTATE 57P01)"), nil, false},
		{"cancelled", context.Canceled, nil, false},
		// SQLite's busy, once retryBusy gave up: as PostgreSQL's lock
		// timeout.
		{"SQLite busy", &errDirect{code: sqlite3.SQLITE_BUSY}, ErrLocked, false},
		{"SQLite busy, extended", fmt.Errorf("x: %w", &errDirect{code: sqlite3.SQLITE_BUSY_SNAPSHOT}), ErrLocked, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := serverError(tc.err)
			if tc.want != nil && !errors.Is(got, tc.want) || tc.want == nil && got != tc.err {
				t.Errorf("serverError(%v) = %v, want %v", tc.err, got, tc.want)
			}
			if !errors.Is(got, tc.err) {
				t.Errorf("serverError(%v) lost the error", tc.err)
			}
			if r := pgRetryable(tc.err); r != tc.retryable {
				t.Errorf("pgRetryable(%v) = %v, want %v", tc.err, r, tc.retryable)
			}
		})
	}
}

// TestManyWriters: eight writers, each with its own connection as an
// importer on another machine has, store overlapping batches in which
// the same devices recur with collections of different times, all at
// once: each bundle is stored once, and every device's latest collection
// and count are those of all its collections (no update lost).
func TestManyWriters(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		openNew(t, dsn) // create the schema once
		const writers, bundles, devices = 8, 400, 40
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		stored := make(chan int, writers)
		for w := 0; w < writers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				db, err := Open(dsn)
				if err != nil {
					errs <- err
					return
				}
				defer db.Close()
				n := 0
				// Each writer goes through all bundles from its own
				// starting point, in batches of 16.
				for i := 0; i < bundles; i += 16 {
					var batch []*fleet.Collection
					for j := i; j < i+16 && j < bundles; j++ {
						k := (j + w*bundles/writers) % bundles
						dev := fmt.Sprint("U", k%devices)
						batch = append(batch, coll(fmt.Sprintf("b%04d", k), dev, dev, fmt.Sprint("A", k), t0.Add(time.Duration(k*7919%bundles)*time.Minute)))
					}
					_, berrs, err := db.ImportBatch(ctx, batch)
					if err != nil {
						errs <- err
						return
					}
					for _, e := range berrs {
						if e == nil {
							n++
						} else if !errors.Is(e, fleet.ErrDuplicate) {
							errs <- e
							return
						}
					}
				}
				stored <- n
			}(w)
		}
		wg.Wait()
		close(errs)
		close(stored)
		for err := range errs {
			t.Fatal(err)
		}
		total := 0
		for n := range stored {
			total += n
		}
		db := openNew(t, dsn)
		d, c, _, _ := db.Counts(ctx)
		if total != bundles || d != devices || c != bundles {
			t.Fatalf("stored %d between them, %d devices, %d collections; want %d, %d, %d", total, d, c, bundles, devices, bundles)
		}
		if s, err := db.Check(ctx); s != "ok" || err != nil {
			t.Fatalf("check: %s %v", s, err)
		}
	})
}

// TestLeastPrivilege: the roles and database of docs/importer.md
// ("Setting up PostgreSQL"), made as written there: the importers' role
// creates the schema on its first open and imports; the auditors' role
// opens and reads the fleet, and cannot import.
func TestLeastPrivilege(t *testing.T) {
	srv := pg.Server(t)
	for _, q := range []string{"DROP DATABASE IF EXISTS actcourier", "DROP ROLE IF EXISTS actcourier_import", "DROP ROLE IF EXISTS actcourier_read",
		"CREATE ROLE actcourier_import LOGIN", "CREATE ROLE actcourier_read LOGIN",
		"CREATE DATABASE actcourier OWNER actcourier_import ENCODING 'UTF8' TEMPLATE template0"} {
		if err := srv.Exec("postgres", q); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.Exec("actcourier", `REVOKE ALL ON SCHEMA public FROM PUBLIC;
		GRANT CREATE, USAGE ON SCHEMA public TO actcourier_import;
		GRANT USAGE ON SCHEMA public TO actcourier_read;
		ALTER DEFAULT PRIVILEGES FOR ROLE actcourier_import IN SCHEMA public GRANT SELECT ON TABLES TO actcourier_read;`); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenExisting(srv.DSN("actcourier", "actcourier_read")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("the auditors opened a database without a fleet: %v", err)
	}
	db := openNew(t, srv.DSN("actcourier", "actcourier_import"))
	if _, err := importOne(db, coll("b1", "U1", "S1", "A1", time.Unix(0, 0))); err != nil {
		t.Fatal(err)
	}
	// Open is for the commands that write: the auditors' role is told
	// at once, naming the tables, not at the first write.
	if db, err := Open(srv.DSN("actcourier", "actcourier_read")); !errors.Is(err, fleet.ErrReadOnly) || !strings.Contains(fmt.Sprint(err), "this role may not write cid_restores, collections") {
		if err == nil {
			db.Close()
		}
		t.Fatalf("the auditors opened the fleet to write: %v, want fleet.ErrReadOnly naming the tables", err)
	}
	ro, err := OpenExisting(srv.DSN("actcourier", "actcourier_read"))
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	if err := ro.Writable(ctx); !errors.Is(err, fleet.ErrReadOnly) {
		t.Errorf("Writable as auditor: %v, want fleet.ErrReadOnly", err)
	}
	if err := db.Writable(ctx); err != nil {
		t.Errorf("Writable as importer: %v", err)
	}
	if got, err := ro.Find(ctx, "a1"); err != nil || len(got) != 1 {
		t.Fatalf("Find as auditor: %v, %v", got, err)
	}
	var n int
	if err := ro.db.QueryRow("SELECT count(*) FROM products").Scan(&n); err != nil || n != 1 {
		t.Fatalf("the products view as auditor: %d rows, %v", n, err)
	}
	if _, _, err := ro.ImportBatch(ctx, []*fleet.Collection{coll("b2", "U2", "S2", "A2", time.Unix(0, 0))}); !errors.Is(err, fleet.ErrReadOnly) {
		t.Fatalf("the auditor's import: %v, want fleet.ErrReadOnly", err)
	}
	if _, err := ro.AddCIDs(ctx, []fleet.CIDRecord{{IID: "1", CID: "2"}}); !errors.Is(err, fleet.ErrReadOnly) {
		t.Errorf("the auditor's CIDs: %v, want fleet.ErrReadOnly", err)
	}
	if err := ro.AddReturnItems(ctx, []fleet.ReturnItem{{ItemID: "i1"}}); !errors.Is(err, fleet.ErrReadOnly) {
		t.Errorf("the auditor's return items: %v, want fleet.ErrReadOnly", err)
	}
}

// TestReadOnlyFile: a SQLite fleet opened read-only refuses an import
// with fleet.ErrReadOnly, so that the importer can say what to do.
func TestReadOnlyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db := openNew(t, path)
	if _, err := importOne(db, coll("b1", "U1", "S1", "A1", time.Unix(0, 0))); err != nil {
		t.Fatal(err)
	}
	db.Close()
	ro, err := open(path, "ro")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	_, _, err = ro.ImportBatch(ctx, []*fleet.Collection{coll("b2", "U2", "S2", "A2", time.Unix(0, 0))})
	if !errors.Is(err, fleet.ErrReadOnly) {
		t.Fatalf("import into a read-only file: %v, want fleet.ErrReadOnly", err)
	}
	if h := Hint(err); !strings.Contains(h, "may write") {
		t.Errorf("hint %q", h)
	}
}

// TestCopy: a fleet moves from SQLite to PostgreSQL and back, keeping
// IDs, verified by counts and checksums; a rerun writes nothing, a rerun
// after more imports copies them, and a destination with another fleet
// is refused before anything is written.
func TestCopy(t *testing.T) {
	src := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var batch []*fleet.Collection
	for i := 0; i < 300; i++ {
		dev := fmt.Sprint("U", i%120)
		c := coll(fmt.Sprintf("b%04d", i), dev, dev, fmt.Sprint("A", i), t0.Add(time.Duration(i)*time.Hour))
		c.Raw = append(c.Raw, fleet.Raw{Member: "raw/bin", Data: []byte{0, 1, 2, 255}})
		batch = append(batch, c)
	}
	if _, _, err := src.ImportBatch(ctx, batch[:250]); err != nil {
		t.Fatal(err)
	}
	// The activation archive moves too.
	if _, err := src.AddCIDs(ctx, []fleet.CIDRecord{{IID: "1", CID: "2", File: "records.csv", Row: 1, Imported: t0, By: "staff"},
		{IID: "3", CID: "4", File: "records.csv", Row: 2, Imported: t0, By: "staff"}}); err != nil {
		t.Fatal(err)
	}
	if err := src.AddReturnItems(ctx, []fleet.ReturnItem{{ItemID: "i1", ReturnID: "r1", DeviceKey: "hw:U0/U0", IID: "1", CID: "2", Written: t0}}); err != nil {
		t.Fatal(err)
	}
	// And the CIDs put back on file.
	if err := src.RestoreCIDs(ctx, []fleet.CIDRestore{{IID: "3", CID: "4", File: "records.csv", Row: 2, Restored: t0.Add(time.Hour), By: "lead"}}); err != nil {
		t.Fatal(err)
	}
	dsn := pg.DB(t)
	dst := openNew(t, dsn)
	got, err := Copy(ctx, dst, src, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := "devices 120/120 collections 250/250 raw 500/500 confirmation_ids 2/2 return_items 1/1 cid_restores 1/1"
	if s := copied(got); s != want {
		t.Fatalf("copied %s, want %s", s, want)
	}
	// Again: nothing to write.
	if got, err = Copy(ctx, dst, src, nil); err != nil || copied(got) != "devices 120/0 collections 250/0 raw 500/0 confirmation_ids 2/0 return_items 1/0 cid_restores 1/0" {
		t.Fatalf("rerun: %s, %v", copied(got), err)
	}
	// More imports into the source, then the copy again: the new rows,
	// and the devices whose latest collection changed.
	if _, _, err := src.ImportBatch(ctx, batch[250:]); err != nil {
		t.Fatal(err)
	}
	if got, err = Copy(ctx, dst, src, nil); err != nil || copied(got) != "devices 120/50 collections 300/50 raw 600/100 confirmation_ids 2/0 return_items 1/0 cid_restores 1/0" {
		t.Fatalf("after more imports: %s, %v", copied(got), err)
	}
	var a, b []string
	src.Latest(ctx, fleet.Filter{}, true, func(d fleet.Device) error { a = append(a, fmt.Sprint(d)); return nil })
	dst.Latest(ctx, fleet.Filter{}, true, func(d fleet.Device) error { b = append(b, fmt.Sprint(d)); return nil })
	if strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Error("the fleet read from the copy differs from the source's")
	}
	// And back into a new SQLite file.
	back := openNew(t, filepath.Join(t.TempDir(), "back.db"))
	if got, err = Copy(ctx, back, dst, nil); err != nil || copied(got) != "devices 120/120 collections 300/300 raw 600/600 confirmation_ids 2/2 return_items 1/1 cid_restores 1/1" {
		t.Fatalf("back: %s, %v", copied(got), err)
	}
	// Another fleet in the destination: refused, nothing written.
	other := openNew(t, pg.DB(t))
	if _, err := importOne(other, coll("zzz", "U9", "S9", "X", t0)); err != nil {
		t.Fatal(err)
	}
	if _, err := Copy(ctx, other, src, nil); !errors.Is(err, ErrOtherFleet) {
		t.Fatalf("into another fleet: got %v, want ErrOtherFleet", err)
	}
	if _, c, _, _ := other.Counts(ctx); c != 1 {
		t.Errorf("the refused copy wrote: %d collections", c)
	}
}

// TestCopyOtherFleetQuoted: a copy into another fleet names the row it
// found there quoted: a device's key holds its site, line and asset
// when the bundle gave no hardware ID, and raw their newlines would
// start lines of the error's own.
func TestCopyOtherFleetQuoted(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	src := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	if _, err := importOne(src, coll("b1", "U1", "S1", "A1", t0)); err != nil {
		t.Fatal(err)
	}
	other := openNew(t, filepath.Join(t.TempDir(), "other.db"))
	c := coll("b2", "", "", "A2\u202e\nimporter: hint: x", t0)
	if _, err := importOne(other, c); err != nil {
		t.Fatal(err)
	}
	_, err := Copy(ctx, other, src, nil)
	if want := fmt.Sprintf("%q", c.DeviceKey); !errors.Is(err, ErrOtherFleet) || !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "\n\u202e") {
		t.Errorf("got %v, want ErrOtherFleet naming %s", err, want)
	}
}

// TestCopyEmptyRaw: an empty raw output (a command that printed nothing)
// moves from SQLite, which reads it back as a nil []byte, into
// PostgreSQL, whose column is NOT NULL, and back, and verifies.
func TestCopyEmptyRaw(t *testing.T) {
	src := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	c := coll("b1", "U1", "S1", "A1", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	c.Raw = append(c.Raw, fleet.Raw{Member: "raw/empty.txt", Data: []byte{}})
	if _, err := importOne(src, c); err != nil {
		t.Fatal(err)
	}
	dst := openNew(t, pg.DB(t))
	if got, err := Copy(ctx, dst, src, nil); err != nil || copied(got) != "devices 1/1 collections 1/1 raw 2/2 confirmation_ids 0/0 return_items 0/0 cid_restores 0/0" {
		t.Fatalf("into PostgreSQL: %s, %v", copied(got), err)
	}
	back := openNew(t, filepath.Join(t.TempDir(), "back.db"))
	if got, err := Copy(ctx, back, dst, nil); err != nil || copied(got) != "devices 1/1 collections 1/1 raw 2/2 confirmation_ids 0/0 return_items 0/0 cid_restores 0/0" {
		t.Fatalf("back: %s, %v", copied(got), err)
	}
}

// TestCopyTextKeys: text keys that read as numbers ("9", "10": IIDs may
// be short) are in text order in both stores, and a rerun into the copy
// is not taken for another fleet.
func TestCopyTextKeys(t *testing.T) {
	src := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if _, err := src.AddCIDs(ctx, []fleet.CIDRecord{{IID: "9", CID: "2", File: "records.csv", Row: 1, Imported: t0, By: "staff"},
		{IID: "10", CID: "4", File: "records.csv", Row: 2, Imported: t0, By: "staff"}}); err != nil {
		t.Fatal(err)
	}
	if err := src.AddReturnItems(ctx, []fleet.ReturnItem{{ItemID: "9", ReturnID: "r1", Written: t0}, {ItemID: "10", ReturnID: "r1", Written: t0}}); err != nil {
		t.Fatal(err)
	}
	eachStore(t, func(t *testing.T, dsn string) {
		dst := openNew(t, dsn)
		for run := 1; run <= 2; run++ {
			if _, err := Copy(ctx, dst, src, nil); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
		}
	})
}

func copied(cs []Copied) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %d/%d", c.Table, c.Rows, c.Written))
	}
	return strings.Join(parts, " ")
}

// TestTwoWriters: two processes' worth of handles write at once; both
// finish and nothing is lost or doubled.
func TestTwoWriters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			db, err := Open(path)
			if err != nil {
				errs <- err
				return
			}
			defer db.Close()
			for i := 0; i < 100; i++ {
				// Both writers import the same 100 bundles.
				id := fmt.Sprintf("b%03d", i)
				if _, err := importOne(db, coll(id, "U"+id, "S"+id, id, time.Unix(int64(i), 0))); err != nil && !errors.Is(err, fleet.ErrDuplicate) {
					errs <- err
					return
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	db, _ := Open(path)
	defer db.Close()
	if d, c, r, _ := db.Counts(ctx); d != 100 || c != 100 || r != 100 {
		t.Fatalf("devices %d collections %d raw %d", d, c, r)
	}
}

// TestImportBatch: duplicates inside a batch and against the database, a
// conflict, and one device twice in a batch with its latest collection
// chosen by time, not by order.
func TestImportBatch(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		if _, err := importOne(db, coll("old", "U9", "S9", "X", t0)); err != nil {
			t.Fatal(err)
		}
		conflict := coll("old", "U9", "S9", "X", t0)
		conflict.SHA256 = "different"
		batch := []*fleet.Collection{
			coll("new2", "U1", "S1", "A", t0.Add(2*time.Hour)),
			coll("new1", "U1", "S1", "A-older", t0.Add(time.Hour)), // same device, older
			coll("new2", "U1", "S1", "A", t0.Add(2*time.Hour)),     // the same bundle again
			coll("old", "U9", "S9", "X", t0),                       // already stored
			conflict,
			coll("other", "U2", "S2", "B", t0),
		}
		res, errs, err := db.ImportBatch(ctx, batch)
		if err != nil {
			t.Fatal(err)
		}
		want := []error{nil, nil, fleet.ErrDuplicate, fleet.ErrDuplicate, fleet.ErrConflict, nil}
		for i := range want {
			if !errors.Is(errs[i], want[i]) || (want[i] == nil && errs[i] != nil) {
				t.Errorf("collection %d: %v, want %v", i, errs[i], want[i])
			}
		}
		if !res[0].NewDevice || res[1].NewDevice || res[0].DeviceID != res[1].DeviceID || res[5].DeviceID == res[0].DeviceID {
			t.Errorf("results %+v", res)
		}
		var got []fleet.Device
		db.Latest(ctx, fleet.Filter{}, false, func(d fleet.Device) error { got = append(got, d); return nil })
		if len(got) != 3 {
			t.Fatalf("%d devices", len(got))
		}
		for _, d := range got {
			if d.ID == res[0].DeviceID && (d.BundleID != "new2" || d.Collections != 2) {
				t.Errorf("latest of the device: %+v", d)
			}
		}
		if d, c, r, _ := db.Counts(ctx); d != 3 || c != 4 || r != 4 {
			t.Errorf("counts %d %d %d", d, c, r)
		}
	})
}

// TestBatchAggregates: what a batch stores of each device (its latest
// collection, how many it has, how many with a suspect time, its
// identities) is what SQL computes from its collections, for a device
// new with one collection, new with several in one batch, and known
// before; a suspect time and a second host name among them.
func TestBatchAggregates(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		suspect := func(c *fleet.Collection) *fleet.Collection {
			c.Warnings = append(c.Warnings, fleet.WarnFuture)
			return c
		}
		for i, batch := range [][]*fleet.Collection{
			{coll("a1", "UA", "SA", "A", t0), suspect(coll("b1", "UB", "SB", "B", t0))},
			{
				coll("c1", "UC", "SC", "C", t0.Add(time.Hour)),
				coll("c2", "UC", "SC", "C-renamed", t0), // older, another host name
				suspect(coll("d1", "UD", "SD", "D", t0.Add(2*time.Hour))),
				coll("d2", "UD", "SD", "D", t0), // older, but its time is not suspect
				coll("a2", "UA", "SA", "A", t0.Add(time.Hour)),
				coll("e1", "UE", "SE", "E", t0),
			},
			{coll("e2", "UE", "SE", "E-renamed", t0.Add(-time.Hour)), suspect(coll("f1", "UF", "SF", "F", t0))},
		} {
			if _, _, err := db.ImportBatch(ctx, batch); err != nil {
				t.Fatal(err)
			}
			stored := aggregatesOf(t, db)
			tx, err := db.db.Begin()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.Exec(db.q("UPDATE devices SET latest_id = " + latestCollection + ", " + deviceAggregates)); err != nil {
				t.Fatal(err)
			}
			if err := tx.Commit(); err != nil {
				t.Fatal(err)
			}
			if computed := aggregatesOf(t, db); stored != computed {
				t.Errorf("after batch %d, stored:\n%s\nfrom the collections:\n%s", i+1, stored, computed)
			}
		}
	})
}

// aggregatesOf lists every device with its latest collection and
// aggregates, one line each.
func aggregatesOf(t *testing.T, db *DB) string {
	t.Helper()
	rows, err := db.db.Query(db.q(`SELECT d.key, coalesce(c.bundle_id, '-'), d.collections, d.suspect, d.identities
		FROM devices d LEFT JOIN collections c ON c.id = d.latest_id ORDER BY d.key`))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var key, latest, identities string
		var n, suspect int64
		if err := rows.Scan(&key, &latest, &n, &suspect, &identities); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s latest %s, %d collections, %d suspect, identities %q\n", key, latest, n, suspect, identities)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestProductsView: the products view gives one row per product of a
// stored snapshot.
func TestProductsView(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		c := coll("b", "U", "S", "A", time.Unix(0, 0))
		c.Snapshot.Products[0].PartialKey = "3V66T"
		c.JSON, _ = licensing.Marshal(c.Snapshot) // the key is part of the snapshot the view reads
		if _, err := importOne(db, c); err != nil {
			t.Fatal(err)
		}
		var kind, name, channel, status, key string
		var seq int
		var status_reason, grace int64
		err := db.db.QueryRow("SELECT seq, kind, name, channel, license_status, partial_key, status_reason, coalesce(grace_minutes, -1) FROM products").Scan(&seq, &kind, &name, &channel, &status, &key, &status_reason, &grace)
		if err != nil || seq != 0 || kind != "windows" || channel != "Volume:MAK" || status != "licensed" || key != "3V66T" {
			t.Fatalf("products view: %v %d %s %s %s %s %s", err, seq, kind, name, channel, status, key)
		}
	})
}

// holdLock takes db's write lock on a connection of its own, in a
// transaction the caller rolls back; the connection is closed when the
// test ends.
func holdLock(t *testing.T, db *DB) *sql.Conn {
	t.Helper()
	conn, err := db.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
	return conn
}

// TestBusy: SQLite's "database is locked" is told by its result code, and
// other errors are not mistaken for it.
func TestBusy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	conn := holdLock(t, db)
	defer conn.ExecContext(ctx, "ROLLBACK")
	// A second handle that does not wait meets the lock at once.
	other, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	_, locked := other.Exec("INSERT INTO devices (key, first_seen) VALUES ('k', 'now')")
	if !busy(locked) {
		t.Fatalf("busy(%v) = false", locked)
	}
	_, err = other.Exec("SELECT nothing FROM nowhere")
	if err == nil || busy(err) || busy(errors.New("database is locked")) {
		t.Fatalf("busy(%v) = true", err)
	}
	// retryBusy gives up at once on other errors and retries while busy.
	calls := 0
	if err := retryBusy(ctx, db, func() error { calls++; return errors.New("other") }); err == nil || calls != 1 {
		t.Errorf("retryBusy on another error: %v after %d calls", err, calls)
	}
	calls = 0
	if err := retryBusy(ctx, db, func() error {
		if calls++; calls < 3 {
			return locked
		}
		return nil
	}); err != nil || calls != 3 {
		t.Errorf("retryBusy: %v after %d calls, want success after 3", err, calls)
	}
}

// TestPoolHosts: the KMS hosts clients name reach Pools, merged by name,
// also for collections stored before schema 3 (computed when Open
// migrates).
func TestPoolHosts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		c := coll(fmt.Sprint("k", i), fmt.Sprint("U", i), fmt.Sprint("S", i), fmt.Sprint("A", i), t0)
		p := &c.Snapshot.Products[0]
		p.Channel, p.GraceMinutes, p.KMS = licensing.ChannelGVLK, new(int), &licensing.KMS{DiscoveredHost: "KMS01.example"}
		*p.GraceMinutes = 100000
		c.Pool = classify.PoolOf(c.Snapshot)
		if c.JSON, err = licensing.Marshal(c.Snapshot); err != nil {
			t.Fatal(err)
		}
		if _, err := importOne(db, c); err != nil {
			t.Fatal(err)
		}
	}
	check := func(when string) {
		pools, err := db.Pools(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if h := pools["S"].Hosts; len(h) != 1 || h[0].Name != "kms01.example" || h[0].Windows != 3 {
			t.Errorf("%s: hosts %+v", when, h)
		}
	}
	check("imported")
	// As an importer of schema 2 left it.
	if _, err := db.db.Exec(`ALTER TABLE collections DROP COLUMN kms_hosts; ALTER TABLE devices DROP COLUMN collections;
		ALTER TABLE devices DROP COLUMN suspect; ALTER TABLE devices DROP COLUMN identities;
		DROP INDEX collections_place; DROP INDEX devices_latest;
		DROP TABLE confirmation_ids; DROP TABLE return_items; DROP INDEX raw_member; DROP TABLE cid_restores; PRAGMA user_version = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check("migrated")
}

// TestPoolHostsDamaged: a stored KMS host list that does not read fails
// the pools with the site named quoted: a site's name comes from a
// bundle, and raw its newline would start a line of the error's own.
func TestPoolHostsDamaged(t *testing.T) {
	db := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	if _, err := importOne(db, coll("b1", "U1", "S1", "A1", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))); err != nil {
		t.Fatal(err)
	}
	site := "Nagoya\u202e\nimporter: hint: x"
	if _, err := db.db.Exec(`UPDATE collections SET site = ?, kms_hosts = '"not a list"'`, site); err != nil {
		t.Fatal(err)
	}
	_, err := db.Pools(ctx, time.Time{})
	if want := fmt.Sprintf("site %q: stored KMS hosts", site); err == nil || !strings.Contains(err.Error(), want) || strings.ContainsAny(err.Error(), "\n\u202e") {
		t.Errorf("got %v, want an error holding %s", err, want)
	}
}

// TestOpenRace: importers starting at once on a new database migrate it
// once between them (the write lock), and all open it.
func TestOpenRace(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		var wg sync.WaitGroup
		errs := make(chan error, 6)
		for i := 0; i < 6; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				db, err := Open(dsn)
				if err == nil {
					db.Close()
				}
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
	})
}

// TestMigrateSame: one database as both --from and --to, however it is
// written, is refused before anything is opened for writing.
func TestMigrateSame(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fleet.db")
	db := openNew(t, path)
	db.Close()
	dsn := pg.DB(t)
	tests := []struct{ from, to string }{
		{path, path},
		{path, filepath.Join(dir, ".", "fleet.db")},
		{dsn, dsn},
		{dsn, dsn + "&application_name=other"},
	}
	for _, tc := range tests {
		err := Migrate(ctx, tc.from, tc.to, io.Discard)
		if !errors.Is(err, ErrSameFleet) {
			t.Errorf("Migrate(%s, %s) = %v, want ErrSameFleet", Name(tc.from), Name(tc.to), err)
		}
	}
}

// TestProductsViewHostile: forged snapshots (a NUL escape in a product's
// name, products that are null, a key in capitals) are stored so that the
// products view still reads every collection on both stores, and shows
// what the reports read.
func TestProductsViewHostile(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	snaps := []string{
		`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A1","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U1"},"products":[{"kind":"windows","name":"Win\u0000dows","license_status":"licensed"}]}`,
		`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A2","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U2"},"products":null}`,
		`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A3","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U3"},"PRODUCTS":[{"kind":"office","name":"Office","license_status":"licensed"}]}`,
		// Keys the decoder reads as "products" that are neither it nor
		// it in other case: with a long s (ſ, which Go's JSON folds to
		// s), with an escaped letter, and an escaped one after the
		// plain one (the decoder reads the last).
		`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A4","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U4"},"productſ":[{"kind":"office","name":"Visio","license_status":"licensed"}]}`,
		`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A5","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U5"},"\u0070roducts":[{"kind":"office","name":"Project","license_status":"licensed"}]}`,
		`{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A6","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U6"},"products":[{"kind":"office","name":"Plain","license_status":"licensed"}],"produc\u0074s":[{"kind":"office","name":"Escaped","license_status":"licensed"}]}`,
	}
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		var cs []*fleet.Collection
		want := []string{"Win\ufffddows"} // the NUL read as U+FFFD
		for i, js := range snaps {
			s, err := licensing.Unmarshal([]byte(js))
			if err != nil {
				t.Fatal(err)
			}
			if i > 1 {
				for _, p := range s.Products {
					want = append(want, p.Name) // what the reports read
				}
			}
			c, err := fleet.NewCollection(fleet.Meta{BundleID: fmt.Sprint("h", i), SHA256: fmt.Sprint("sum", i), Size: 10, FileName: "f",
				Origin: fleet.OriginBundle, Generator: "test"}, s, []byte(js), nil, at.Add(time.Hour))
			if err != nil {
				t.Fatal(err)
			}
			cs = append(cs, c)
		}
		if _, errs, err := db.ImportBatch(ctx, cs); err != nil || errors.Join(errs...) != nil {
			t.Fatalf("import: %v %v", errs, err)
		}
		rows, err := db.db.Query("SELECT name FROM products ORDER BY collection_id, seq")
		if err != nil {
			t.Fatalf("the products view: %v", err)
		}
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			names = append(names, n)
		}
		if err := rows.Err(); err != nil || strings.Join(names, "|") != strings.Join(want, "|") {
			t.Errorf("products %q, %v; want %q: the NUL read as U+FFFD, and the products the decoder read", names, err, want)
		}
	})
}

// importForged stores two collections of one device (hardware ID
// "UUID-"+asset): a genuine one at t0, whose host name is "H-"+asset, and
// an hour later one whose host name is host, as a forged bundle may say.
func importForged(t *testing.T, db *DB, asset, host string, t0 time.Time) {
	t.Helper()
	if _, err := importOne(db, coll(asset+"-1", "UUID-"+asset, "SER", asset, t0)); err != nil {
		t.Fatal(err)
	}
	forged := coll(asset+"-2", "UUID-"+asset, "SER", asset, t0.Add(time.Hour))
	forged.Snapshot.OS.Hostname = host
	if _, err := importOne(db, forged); err != nil {
		t.Fatal(err)
	}
}

// TestIdentitySeparators: a host name holding the separators of the
// stored identity lists adds no entry to them (a forged bundle could
// otherwise list machines that were never collected).
func TestIdentitySeparators(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		importForged(t, db, "A7", "X\x1fY\x1eZ", t0)
		for _, until := range []time.Time{{}, t0.Add(24 * time.Hour), t0.Add(90 * time.Minute)} {
			var got []fleet.Device
			if err := db.Latest(ctx, fleet.Filter{Until: until}, false, func(d fleet.Device) error { got = append(got, d); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(got) != 1 || strings.Join(got[0].Hostnames, "|") != "H-A7|X\ufffdY\ufffdZ" || len(got[0].Hardware) != 1 {
				t.Errorf("until %v: %+v", until, got)
			}
		}
	})
}

// TestPageSize: a new SQLite database has pages of 16 KiB (fewer writes
// to its log).
func TestPageSize(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db := openNew(t, path)
	var size int
	if err := db.db.QueryRow("PRAGMA page_size").Scan(&size); err != nil || size != 16384 {
		t.Fatalf("page size %d, %v", size, err)
	}
}

// TestMigrateIdentities: migration 6 makes again the identity lists that
// a schema 5 importer stored split at a forged separator.
func TestMigrateIdentities(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		importForged(t, db, "A8", "X\x1fY", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		// As schema 5 stored it: the forged name split in two.
		tx, err := db.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(db.q("UPDATE devices SET identities = 'H-A8' || char(31) || 'X' || char(31) || 'Y' || char(30) || 'M'")); err != nil {
			t.Fatal(err)
		}
		// Migration 8's table is not there yet either.
		if _, err := tx.Exec("DROP TABLE cid_restores"); err != nil {
			t.Fatal(err)
		}
		if err := db.dialect.setVersion(tx, 5); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		db.Close()
		db = openNew(t, dsn)
		var got []fleet.Device
		if err := db.Latest(ctx, fleet.Filter{}, false, func(d fleet.Device) error { got = append(got, d); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || strings.Join(got[0].Hostnames, "|") != "H-A8|X\ufffdY" || len(got[0].Hardware) != 1 {
			t.Errorf("%+v", got)
		}
	})
}

// TestMigrateTimes: migration 7 rewrites the RFC3339Nano text a schema 6
// importer stored, in both stores: collection times with a fraction are
// cut to the second, as imports store them now, and the devices they
// belong to get their latest collection again (of one second, the one
// imported last; schema 6 chose by the text, "…:00Z" over "…:00.5Z" and
// ".5Z" over ".55Z"); the other times get nine digits, the same instant,
// so that the archive's import order is their text order. The migrated
// fleet then moves to the other store, verified.
func TestMigrateTimes(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	ms := time.Millisecond
	cols := []struct {
		id, device string
		at         time.Duration // after t0
		want       string        // collected_at once migrated
	}{
		{"a1", "A", 0, "2026-11-01T10:00:00Z"},
		{"a2", "A", 500 * ms, "2026-11-01T10:00:00Z"},
		{"b1", "B", 500 * ms, "2026-11-01T10:00:00Z"},
		{"b2", "B", 550 * ms, "2026-11-01T10:00:00Z"},
		{"c1", "C", 2 * time.Second, "2026-11-01T10:00:02Z"},
		{"c2", "C", 1250 * ms, "2026-11-01T10:00:01Z"},
	}
	old := func(d time.Duration) string { return t0.Add(d).Format(time.RFC3339Nano) }
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		for _, c := range cols {
			if _, err := importOne(db, coll(c.id, "UUID-"+c.device, "S", c.device, t0.Add(c.at))); err != nil {
				t.Fatal(err)
			}
		}
		cids := []fleet.CIDRecord{
			{IID: "1", CID: "second", File: "a.csv", Row: 1, Imported: t0.Add(550 * ms)},
			{IID: "1", CID: "first", File: "b.csv", Row: 1, Imported: t0.Add(500 * ms), Obtained: t0.Add(250 * ms)},
		}
		if _, err := db.AddCIDs(ctx, cids); err != nil {
			t.Fatal(err)
		}
		err := db.AddReturnItems(ctx, []fleet.ReturnItem{{ItemID: "i-a", ReturnID: "second", Written: t0.Add(550 * ms)},
			{ItemID: "i-b", ReturnID: "first", Written: t0.Add(500 * ms)}})
		if err != nil {
			t.Fatal(err)
		}
		// As schema 6 stored them: RFC3339Nano text, and each device's
		// latest collection chosen by that text.
		tx, err := db.db.Begin()
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []struct {
			q    string
			args []interface{}
		}{
			{"UPDATE collections SET collected_at = ?, imported_at = ? WHERE bundle_id = 'a1'", []interface{}{old(0), old(time.Hour)}},
			{"UPDATE collections SET collected_at = ?, imported_at = ? WHERE bundle_id = 'a2'", []interface{}{old(500 * ms), old(time.Hour + 500*ms)}},
			{"UPDATE collections SET collected_at = ?, imported_at = ? WHERE bundle_id = 'b1'", []interface{}{old(500 * ms), old(time.Hour + 1)}},
			{"UPDATE collections SET collected_at = ?, imported_at = ? WHERE bundle_id = 'b2'", []interface{}{old(550 * ms), old(time.Hour + 550*ms)}},
			{"UPDATE collections SET collected_at = ?, imported_at = ? WHERE bundle_id = 'c1'", []interface{}{old(2 * time.Second), old(time.Hour)}},
			{"UPDATE collections SET collected_at = ?, imported_at = ? WHERE bundle_id = 'c2'", []interface{}{old(1250 * ms), old(time.Hour)}},
			{"UPDATE devices SET first_seen = ?", []interface{}{old(time.Hour + 100*ms)}},
			{"UPDATE devices SET latest_id = " + latestCollection, nil},
			{"UPDATE confirmation_ids SET imported_at = ? WHERE confirmation_id = 'second'", []interface{}{old(550 * ms)}},
			{"UPDATE confirmation_ids SET imported_at = ?, obtained_at = ? WHERE confirmation_id = 'first'", []interface{}{old(500 * ms), old(250 * ms)}},
			{"UPDATE return_items SET written_at = ? WHERE item_id = 'i-a'", []interface{}{old(550 * ms)}},
			{"UPDATE return_items SET written_at = ? WHERE item_id = 'i-b'", []interface{}{old(500 * ms)}},
		} {
			if _, err := tx.Exec(db.q(u.q), u.args...); err != nil {
				t.Fatalf("%s: %v", u.q, err)
			}
		}
		// Migration 8's table is not there yet either.
		if _, err := tx.Exec("DROP TABLE cid_restores"); err != nil {
			t.Fatal(err)
		}
		if err := db.dialect.setVersion(tx, 6); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		latest := func(db *DB) string {
			var got []string
			if err := db.Latest(ctx, fleet.Filter{}, false, func(d fleet.Device) error { got = append(got, d.BundleID); return nil }); err != nil {
				t.Fatal(err)
			}
			return strings.Join(got, " ")
		}
		if got, want := latest(db), "a1 b1 c1"; got != want {
			t.Fatalf("as schema 6 stored it: latest %s, want %s", got, want)
		}
		db.Close()

		db = openNew(t, dsn)
		if v, err := db.dialect.version(db.db); err != nil || v != len(migrations) {
			t.Fatalf("schema %d, %v; want %d", v, err, len(migrations))
		}
		if got, want := latest(db), "a2 b2 c1"; got != want {
			t.Errorf("migrated: latest %s, want %s", got, want)
		}
		if s, err := db.Check(ctx); s != "ok" || err != nil {
			t.Errorf("Check: %s, %v", s, err)
		}
		rows, err := db.db.Query("SELECT bundle_id, collected_at, imported_at FROM collections ORDER BY id")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		wantImported := []time.Duration{time.Hour, time.Hour + 500*ms, time.Hour + 1, time.Hour + 550*ms, time.Hour, time.Hour}
		for i := 0; rows.Next(); i++ {
			var id, collected, imported string
			if err := rows.Scan(&id, &collected, &imported); err != nil {
				t.Fatal(err)
			}
			if collected != cols[i].want {
				t.Errorf("%s: collected_at %s, want %s", id, collected, cols[i].want)
			}
			if want := t0.Add(wantImported[i]).Format(timeFormat); imported != want {
				t.Errorf("%s: imported_at %s, want %s", id, imported, want)
			}
		}
		var firstSeen string
		if err := db.db.QueryRow("SELECT min(first_seen) || max(first_seen) FROM devices").Scan(&firstSeen); err != nil {
			t.Fatal(err)
		}
		if want := strings.Repeat("2026-11-01T11:00:00.100000000Z", 2); firstSeen != want {
			t.Errorf("first_seen %s, want %s", firstSeen, want)
		}
		got, err := db.CIDs(ctx)
		if err != nil || len(got) != 2 {
			t.Fatalf("CIDs %+v, %v", got, err)
		}
		if got[0].CID != "first" || !got[0].Imported.Equal(cids[1].Imported) || !got[0].Obtained.Equal(cids[1].Obtained) ||
			got[1].CID != "second" || !got[1].Imported.Equal(cids[0].Imported) || !got[1].Obtained.IsZero() {
			t.Errorf("CIDs %+v, want first then second, their times as imported", got)
		}
		var obtained string
		if err := db.db.QueryRow("SELECT obtained_at FROM confirmation_ids WHERE confirmation_id = 'second'").Scan(&obtained); err != nil || obtained != "" {
			t.Errorf("an unknown time: obtained_at %q, %v; want \"\"", obtained, err)
		}
		items, err := db.ReturnItems(ctx)
		if err != nil || len(items) != 2 || items[0].ReturnID != "first" || !items[0].Written.Equal(t0.Add(500*ms)) || !items[1].Written.Equal(t0.Add(550*ms)) {
			t.Errorf("return items %+v, %v; want first then second, their times as written", items, err)
		}
		other := filepath.Join(t.TempDir(), "other.db")
		if !isPostgres(dsn) {
			other = pg.DB(t)
		}
		if _, err := Copy(ctx, openNew(t, other), db, nil); err != nil {
			t.Errorf("copy of the migrated fleet: %v", err)
		}
	})
}

// TestNULInBoundsNote: a NUL in an out-of-range value (here "class") is
// quoted in the note that says so; NewCollection re-marshals a snapshot
// with a \u0000 escape, and the note must not write it back: on
// PostgreSQL the products view would fail for the whole fleet.
func TestNULInBoundsNote(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	js := `{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A1","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U1"},"products":[{"kind":"windows","name":"Windows","license_status":"licensed","class":"\u0000"}]}`
	c := fromJSON(t, "n1", js, at.Add(time.Hour))
	if strings.Contains(string(c.JSON), `\u0000`) {
		t.Errorf("stored snapshot still holds a NUL escape: %s", c.JSON)
	}
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		if _, err := importOne(db, c); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.db.QueryRow("SELECT count(*) FROM products").Scan(&n); err != nil || n != 1 {
			t.Errorf("products view: %d rows, %v", n, err)
		}
	})
}

// TestCollectedYearOutOfRange: a collection time is stored as UTC text; one
// in year 0000 or 9999 as written but not in UTC ("0000-01-01T00:00:00+01:00",
// "9999-12-31T23:59:59-01:00") would be stored as "-0001-…" or "10000-…",
// which cannot be read back, and listing the fleet (reports, devices,
// show) would fail as a whole.
func TestCollectedYearOutOfRange(t *testing.T) {
	for _, at := range []string{"0000-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"} {
		js := `{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A1","collected_at":"` + at + `"},"hardware":{"uuid":"U1"},"products":[{"kind":"windows","name":"Windows","license_status":"licensed"}]}`
		c := fromJSON(t, "y1", js, time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
		eachStore(t, func(t *testing.T, dsn string) {
			db := openNew(t, dsn)
			if _, err := importOne(db, c); err != nil {
				t.Fatal(err)
			}
			err := db.Latest(ctx, fleet.Filter{}, false, func(fleet.Device) error { return nil })
			if err != nil {
				t.Errorf("collected_at %s: listing the fleet fails: %v", at, err)
			}
		})
	}
}

// TestIdentityFlagBounded: every forged collection of one hardware ID
// with another host name of a KiB adds that name to the device's identity
// flag, which is in every report row of the device: the flag names ten,
// cut, and counts the rest.
func TestIdentityFlagBounded(t *testing.T) {
	db := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	const n = 200
	var batch []*fleet.Collection
	for i := 0; i < n; i++ {
		c := coll(fmt.Sprintf("f%d", i), "UUID-X", "SER", "A", t0.Add(time.Duration(i)*time.Minute))
		c.Snapshot.OS.Hostname = fmt.Sprintf("%04d", i) + strings.Repeat("h", licensing.MaxString-4)
		c.JSON, _ = licensing.Marshal(c.Snapshot)
		batch = append(batch, c)
	}
	if _, errs, err := db.ImportBatch(ctx, batch); err != nil || errs[0] != nil {
		t.Fatal(err, errs[0])
	}
	var flags []classify.Reason
	err := fleet.Verdicts(ctx, db, fleet.Filter{}, "", t0.Add(48*time.Hour), func(c fleet.Classified) error {
		for _, f := range c.Verdict.Flags {
			if f.Code == fleet.WarnIdentity {
				flags = append(flags, f)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(flags) != 1 {
		t.Fatalf("%d identity flags, want 1", len(flags))
	}
	f := flags[0]
	if len(f.English) > 2048 || len(f.Japanese) > 2048 || !strings.Contains(f.English, "and 191 more") || !strings.Contains(f.Japanese, "ほか 191 件") {
		t.Errorf("identity flag of %d and %d bytes: %.300s", len(f.English), len(f.Japanese), f.English)
	}
}

// TestSurrogateEscapeInProducts: a forged snapshot may write a string
// as a lone UTF-16 surrogate escape. Go reads it as U+FFFD; stored as
// written, PostgreSQL's json ->> would refuse to unescape it, and the
// products view would fail for the whole fleet.
func TestSurrogateEscapeInProducts(t *testing.T) {
	at := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	js := `{"schema":"actcourier-device/1","context":{"site":"S","line":"L","asset":"A1","collected_at":"2026-11-01T00:00:00Z"},"hardware":{"uuid":"U1"},"products":[{"kind":"windows","name":"Win\ud800dows","license_status":"licensed"}]}`
	c := fromJSON(t, "s1", js, at.Add(time.Hour))
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		if _, err := importOne(db, c); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := db.db.QueryRow("SELECT count(*) FROM products WHERE name <> ''").Scan(&n); err != nil || n != 1 {
			t.Errorf("products view: %d rows, %v", n, err)
		}
	})
}

// fromJSON makes the collection of a snapshot given as JSON text, stored
// as given, imported at now.
func fromJSON(t *testing.T, id, js string, now time.Time) *fleet.Collection {
	t.Helper()
	s, err := licensing.Unmarshal([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	c, err := fleet.NewCollection(fleet.Meta{BundleID: id, SHA256: "sum", Size: 10, FileName: "f", Origin: fleet.OriginBundle, Generator: "test"},
		s, []byte(js), nil, now)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestPostgresSessionSettings: the store's sessions on PostgreSQL have
// JIT compilation off, unless the URL asks for it (the server compiled
// the import's UPDATE of the devices' latest collections, 20 to 100 ms
// a batch, for a statement that runs in milliseconds); the lock
// timeout is busyWait, likewise.
func TestPostgresSessionSettings(t *testing.T) {
	dsn := pg.DB(t)
	tests := []struct{ dsn, jit, lock string }{
		{dsn, "off", fmt.Sprintf("%ds", busyWait/time.Second)},
		{dsn + "&jit=on&lock_timeout=5s", "on", "5s"},
	}
	for _, tc := range tests {
		db, err := Open(tc.dsn)
		if err != nil {
			t.Fatal(err)
		}
		var jit, lock string
		if err := db.db.QueryRowContext(ctx, "SELECT current_setting('jit'), current_setting('lock_timeout')").Scan(&jit, &lock); err != nil {
			t.Fatal(err)
		}
		db.Close()
		if jit != tc.jit || lock != tc.lock {
			t.Errorf("%s: jit %s, lock_timeout %s; want %s, %s", Name(tc.dsn), jit, lock, tc.jit, tc.lock)
		}
	}
}

// TestLatestUntilOrder: the fleet as of a date, read with the
// snapshots (sortedUntil on SQLite: the IDs sorted, the rest read
// after), comes in place order (site, line, asset, device key), though
// the devices were stored in another and their collections now lie in
// yet another; it is the fleet read without the snapshots (sorted
// whole), each device with the snapshot of its latest collection then,
// for a site and for a limit too. Without its LIMIT, SQLite dropped the
// sorted subquery's ORDER BY and gave the devices in ID order.
func TestLatestUntilOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
		until := t0.Add(3 * time.Hour)
		var cs []*fleet.Collection
		for i := 0; i < 60; i++ {
			asset := fmt.Sprintf("A%02d", i*37%60)
			then := collAt(fmt.Sprint("then-", i), fmt.Sprint("UUID-", i), []string{"S2", "S1", "S3"}[i%3], asset, t0.Add(time.Duration(i)*time.Minute))
			// Now elsewhere, in another order.
			now := coll(fmt.Sprint("now-", i), fmt.Sprint("UUID-", i), "", fmt.Sprintf("B%02d", 59-i), until.Add(time.Hour))
			cs = append(cs, then, now)
		}
		if _, errs, err := db.ImportBatch(ctx, cs); err != nil {
			t.Fatal(err)
		} else if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		read := func(f fleet.Filter, withJSON bool) []fleet.Device {
			var got []fleet.Device
			if err := db.Latest(ctx, f, withJSON, func(d fleet.Device) error { got = append(got, d); return nil }); err != nil {
				t.Fatal(err)
			}
			return got
		}
		for _, f := range []fleet.Filter{{Until: until}, {Until: until, Site: "S1"}, {Until: until, Limit: 7}} {
			got, want := read(f, true), read(f, false)
			if len(got) == 0 || len(got) != len(want) {
				t.Fatalf("%+v: %d devices with snapshots, %d without", f, len(got), len(want))
			}
			inOrder := sort.SliceIsSorted(got, func(i, j int) bool {
				a, b := got[i], got[j]
				return a.Site+"\x00"+a.Line+"\x00"+a.Asset+"\x00"+a.Key < b.Site+"\x00"+b.Line+"\x00"+b.Asset+"\x00"+b.Key
			})
			if !inOrder || f.Limit > 0 && got[0].Site != "S1" {
				t.Errorf("%+v: devices not in place order:\n%s", f, places(got))
			}
			for i := range got {
				snap := got[i].JSON
				got[i].JSON = ""
				if !strings.HasPrefix(got[i].BundleID, "then-") || !strings.Contains(snap, `"`+got[i].Asset+`"`) {
					t.Errorf("%+v: device %s: bundle %s, snapshot %.80s; want its collection before the date", f, got[i].Key, got[i].BundleID, snap)
				}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v: with snapshots\n%s\nwithout\n%s", f, places(got), places(want))
			}
		}
	})
}

// places lists the devices' sites, lines, assets and keys, a line each.
func places(ds []fleet.Device) string {
	var b strings.Builder
	for _, d := range ds {
		fmt.Fprintf(&b, "  %s %s %s %s\n", d.Site, d.Line, d.Asset, d.Key)
	}
	return b.String()
}

// TestUntilAggregates pins the rules of the fleet as it was at a time:
// of each device's collections before it, the latest is the newest whose
// time is not suspect (one whose is wins only when all are), of one
// second the one imported last; its collections and suspect times are
// counted, and its host names and models listed, among those only. A
// fleet that holds only the collections made before that time, read as
// it is, is the oracle.
func TestUntilAggregates(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 10, 0, 0, 0, time.UTC)
	type c struct {
		at      time.Duration // after t0
		suspect bool
		host    string // "" is H-asset
		model   string
	}
	devices := []struct {
		asset string
		colls []c // in import order
	}{
		{"tie", []c{{at: 0}, {at: 0, host: "H-tie-2"}}},
		{"suspect-later", []c{{at: 0}, {at: 2 * time.Hour, suspect: true, host: "H-forged"}}},
		{"only-suspect", []c{{at: 0, suspect: true}, {at: time.Hour, suspect: true, model: "M2"}}},
		{"renamed-after", []c{{at: 0}, {at: 5 * time.Hour, host: "H-new"}}},
		{"first-after", []c{{at: 5 * time.Hour}}},
		{"suspect-after", []c{{at: 0}, {at: 4 * time.Hour, suspect: true}}},
		{"models", []c{{at: 0, model: "M1"}, {at: time.Hour, model: "M2"}, {at: 2 * time.Hour, model: "M1"}, {at: 5 * time.Hour, model: "M3"}}},
	}
	until := t0.Add(3 * time.Hour)
	// device: bundle/collections/suspect/host names/models as of until
	want := []string{
		"models: models-2/3/0/[H-models]/[M1 M2]",
		"only-suspect: only-suspect-1/2/2/[H-only-suspect]/[M1 M2]",
		"renamed-after: renamed-after-0/1/0/[]/[]",
		"suspect-after: suspect-after-0/1/0/[]/[]",
		"suspect-later: suspect-later-0/2/1/[H-forged H-suspect-later]/[M1]",
		"tie: tie-1/2/0/[H-tie H-tie-2]/[M1]",
	}
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		oracle := openNew(t, filepath.Join(t.TempDir(), "oracle.db"))
		for _, d := range devices {
			for i, cc := range d.colls {
				col := coll(fmt.Sprint(d.asset, "-", i), "UUID-"+d.asset, "S", d.asset, t0.Add(cc.at))
				if cc.suspect {
					col.Warnings = append(col.Warnings, fleet.WarnFuture)
				}
				if cc.host != "" {
					col.Snapshot.OS.Hostname = cc.host
				}
				col.Hardware = "M1"
				if cc.model != "" {
					col.Hardware = cc.model
				}
				for _, into := range []*DB{db, oracle} {
					if into == oracle && !t0.Add(cc.at).Before(until) {
						continue
					}
					if _, err := importOne(into, col); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
		read := func(db *DB, until time.Time) []string {
			var got []string
			err := db.Latest(ctx, fleet.Filter{Until: until}, false, func(d fleet.Device) error {
				got = append(got, fmt.Sprintf("%s: %s/%d/%d/%v/%v", d.Asset, d.BundleID, d.Collections, d.SuspectTimes, d.Hostnames, d.Hardware))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			sort.Strings(got)
			return got
		}
		if got := read(db, until); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("as of %v:\n%s\nwant:\n%s", until, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
		if got, now := read(db, until), read(oracle, time.Time{}); strings.Join(got, "\n") != strings.Join(now, "\n") {
			t.Errorf("as of %v:\n%s\na fleet of the collections before it, as it is:\n%s", until, strings.Join(got, "\n"), strings.Join(now, "\n"))
		}
	})
}
