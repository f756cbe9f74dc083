package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
)

var ctx = context.Background()

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

// importOne stores one collection in its own transaction.
func importOne(db *DB, c *fleet.Collection) (fleet.Stored, error) {
	res, errs, err := db.ImportBatch(ctx, []*fleet.Collection{c})
	if err != nil {
		return fleet.Stored{}, err
	}
	return res[0], errs[0]
}

func TestImport(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
}

// TestFindPrefersLatest: a tag another device has now names that device,
// not the one that had it before.
func TestFindPrefersLatest(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	importOne(db, coll("b1", "UUID-1", "S1", "TAG-7", t0))
	importOne(db, coll("b2", "UUID-1", "S1", "TAG-8", t0.Add(time.Hour)))
	importOne(db, coll("b3", "UUID-2", "S2", "TAG-7", t0.Add(2*time.Hour)))
	got, err := db.Find(ctx, "tag-7")
	if err != nil || len(got) != 1 || got[0].BundleID != "b3" {
		t.Fatalf("Find(tag-7) = %+v, %v; want the device whose latest tag it is", got, err)
	}
}

// TestUntil: with Until, the fleet is what it was then: each device's
// latest collection before it, its collections counted up to it, and
// devices first collected later left out.
func TestUntil(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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

func TestNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.db.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := Open(path); !errors.Is(err, fleet.ErrNewerSchema) {
		t.Fatalf("err = %v", err)
	}
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
	db, err := Open(filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
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
}

// TestProductsView: the products view gives one row per product of a
// stored snapshot.
func TestProductsView(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := coll("b", "U", "S", "A", time.Unix(0, 0))
	c.Snapshot.Products[0].PartialKey = "3V66T"
	c.JSON, _ = licensing.Marshal(c.Snapshot) // the key is part of the snapshot the view reads
	if _, err := importOne(db, c); err != nil {
		t.Fatal(err)
	}
	var kind, name, channel, status, key string
	var seq int
	err = db.db.QueryRow("SELECT seq, kind, name, channel, license_status, partial_key FROM products").Scan(&seq, &kind, &name, &channel, &status, &key)
	if err != nil || seq != 0 || kind != "windows" || channel != "Volume:MAK" || status != "licensed" || key != "3V66T" {
		t.Fatalf("products view: %v %d %s %s %s %s %s", err, seq, kind, name, channel, status, key)
	}
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
	conn, err := db.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		t.Fatal(err)
	}
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
	if err := retryBusy(ctx, func() error { calls++; return errors.New("other") }); err == nil || calls != 1 {
		t.Errorf("retryBusy on another error: %v after %d calls", err, calls)
	}
	calls = 0
	if err := retryBusy(ctx, func() error {
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
		DROP TABLE confirmation_ids; DROP TABLE return_items; DROP INDEX raw_member; PRAGMA user_version = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if db, err = Open(path); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	check("migrated")
}
