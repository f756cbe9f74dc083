package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/licensing"
)

var ctx = context.Background()

func coll(id, uuid, serial, asset string, at time.Time) *Collection {
	s := &licensing.Snapshot{Context: licensing.Context{Site: "S", Line: "L", Asset: asset, Collected: at},
		Hardware: licensing.Hardware{UUID: uuid, Serial: serial}, OS: licensing.OS{Hostname: "H-" + asset},
		Products: []licensing.Product{{Kind: licensing.KindWindows, Name: "Windows(R), Professional edition", Channel: licensing.ChannelMAK, Status: licensing.StatusLicensed}}}
	js, _ := licensing.Marshal(s)
	return &Collection{BundleID: id, SHA256: "sum-" + id, Size: 10, FileName: id + ".tar.zst.age", Source: "bundle",
		Generator: "test", Snapshot: s, JSON: js, Category: "ok", Raw: []Raw{{Member: "raw/x.txt", Data: []byte("x")}}}
}

func TestImport(t *testing.T) {
	db, err := Open(filepath.Join(t.TempDir(), "fleet.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	if _, err := db.Import(ctx, coll("b2", "UUID-1", "SER1", "A1", t0.Add(time.Hour))); err != nil {
		t.Fatal(err)
	}
	// An older collection of the same device arrives later: history, not latest.
	if r, err := db.Import(ctx, coll("b1", "uuid-1", "ser1", "A1-old", t0)); err != nil || r.NewDevice {
		t.Fatalf("%+v %v", r, err)
	}
	if _, err := db.Import(ctx, coll("b1", "uuid-1", "ser1", "A1-old", t0)); !errors.Is(err, ErrDuplicate) {
		t.Fatalf("duplicate: %v", err)
	}
	c := coll("b1", "x", "y", "z", t0)
	c.SHA256 = "other"
	if _, err := db.Import(ctx, c); !errors.Is(err, ErrConflict) {
		t.Fatalf("conflict: %v", err)
	}
	var latest []Device
	db.Latest(ctx, Filter{}, true, func(d Device) error { latest = append(latest, d); return nil })
	if len(latest) != 1 || latest[0].BundleID != "b2" || latest[0].Collections != 2 || latest[0].Asset != "A1" {
		t.Fatalf("latest %+v", latest)
	}
	h, _ := db.History(ctx, latest[0].ID)
	if len(h) != 2 || h[0].BundleID != "b2" || h[1].BundleID != "b1" {
		t.Fatalf("history %+v", h)
	}
	for _, ref := range []string{"A1", "h-a1", latest[0].Key, fmt.Sprint(latest[0].ID), "b1"} {
		if got, err := db.Find(ctx, ref); err != nil || len(got) != 1 {
			t.Errorf("Find(%q) = %v, %v", ref, got, err)
		}
	}
	if _, err := db.Find(ctx, "nothing"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Find: %v", err)
	}
	if raw, _ := db.RawFor(ctx, []int64{latest[0].CollectionID}); len(raw[latest[0].CollectionID]) != 1 || string(raw[latest[0].CollectionID][0].Data) != "x" {
		t.Errorf("raw %+v", raw)
	}
	if s, err := db.Check(ctx); s != "ok" || err != nil {
		t.Errorf("integrity %q %v", s, err)
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
		if got := DeviceKey(s); got != tc.want {
			t.Errorf("DeviceKey(%q, %q) = %q, want %q", tc.uuid, tc.serial, got, tc.want)
		}
	}
}

func TestNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	db.db.Exec("PRAGMA user_version = 99")
	db.Close()
	if _, err := Open(path); !errors.Is(err, ErrNewerSchema) {
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
				if _, err := db.Import(ctx, coll(id, "U"+id, "S"+id, id, time.Unix(int64(i), 0))); err != nil && !errors.Is(err, ErrDuplicate) {
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
	_ = sql.ErrNoRows
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
	if _, err := db.Import(ctx, coll("old", "U9", "S9", "X", t0)); err != nil {
		t.Fatal(err)
	}
	conflict := coll("old", "U9", "S9", "X", t0)
	conflict.SHA256 = "different"
	batch := []*Collection{
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
	want := []error{nil, nil, ErrDuplicate, ErrDuplicate, ErrConflict, nil}
	for i := range want {
		if !errors.Is(errs[i], want[i]) || (want[i] == nil && errs[i] != nil) {
			t.Errorf("collection %d: %v, want %v", i, errs[i], want[i])
		}
	}
	if !res[0].NewDevice || res[1].NewDevice || res[0].DeviceID != res[1].DeviceID || res[5].DeviceID == res[0].DeviceID {
		t.Errorf("results %+v", res)
	}
	var got []Device
	db.Latest(ctx, Filter{}, false, func(d Device) error { got = append(got, d); return nil })
	if len(got) != 3 {
		t.Fatalf("%d devices", len(got))
	}
	for _, d := range got {
		if d.Key == res[0].DeviceKey && (d.BundleID != "new2" || d.Collections != 2) {
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
	c.JSON, _ = licensing.Marshal(c.Snapshot)
	if _, err := db.Import(ctx, c); err != nil {
		t.Fatal(err)
	}
	var kind, name, channel, status, key string
	var seq int
	err = db.db.QueryRow("SELECT seq, kind, name, channel, license_status, partial_key FROM products").Scan(&seq, &kind, &name, &channel, &status, &key)
	if err != nil || seq != 0 || kind != "windows" || channel != "Volume:MAK" || status != "licensed" || key != "3V66T" {
		t.Fatalf("products view: %v %d %s %s %s %s %s", err, seq, kind, name, channel, status, key)
	}
}
