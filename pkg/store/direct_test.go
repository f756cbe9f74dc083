package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// TestDirectScan holds directRows.Scan to database/sql's Rows.Scan: for
// every kind of stored value and every destination the store scans into,
// the same value, or an error from both.
func TestDirectScan(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db := openNew(t, path)
	values := []string{"NULL", "42", "-5", "0", "9223372036854775807", "-9223372036854775808", "'text'", "''", "'17'", "' 17'",
		"'1e3'", "'99999999999999999999'", "2.5", "3.0", "1e20", "x'414243'", "x'3132'", "x''", "'日本語'", "'a' || char(0) || 'b'"}
	dests := []func() interface{}{
		func() interface{} { return new(string) },
		func() interface{} { return new(int64) },
		func() interface{} { return new(int) },
	}
	c, err := openDirect(path, false)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for _, v := range values {
		q := "SELECT " + v
		for _, mk := range dests {
			want, got := mk(), mk()
			werr := db.db.QueryRowContext(ctx, q).Scan(want)
			var gerr error
			rows := 0
			if err := c.query(ctx, q, nil, func(r *directRows) error {
				rows++
				gerr = r.Scan(got)
				return nil
			}); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if rows != 1 {
				t.Fatalf("%s: %d rows", q, rows)
			}
			switch {
			case (werr == nil) != (gerr == nil):
				t.Errorf("%s into %T: error %v, database/sql's %v", v, want, gerr, werr)
			case werr == nil && !reflect.DeepEqual(got, want):
				t.Errorf("%s into %T: %#v, database/sql's %#v", v, want, reflect.ValueOf(got).Elem(), reflect.ValueOf(want).Elem())
			}
		}
	}
	if err := c.query(ctx, "SELECT 1, 2", nil, func(r *directRows) error { return r.Scan(new(int)) }); err == nil {
		t.Error("two columns scanned into one destination")
	}
	if err := c.query(ctx, "SELECT 1", nil, func(r *directRows) error { return r.Scan(new(float64)) }); err == nil {
		t.Error("a destination the store does not use was filled")
	}
	if err := c.query(ctx, "SELECT ?", nil, func(*directRows) error { return nil }); err == nil {
		t.Error("a parameter without an argument ran")
	}
	var e *errDirect
	if err := c.query(ctx, "SELECT x FROM nowhere", nil, func(*directRows) error { return nil }); !errors.As(err, &e) || e.msg != "no such table: nowhere" {
		t.Errorf("a bad query: %v, want SQLite's message", err)
	}
}

// latestAll is what Latest gives, read by way (latestDirect or
// latestDriver).
func latestAll(t *testing.T, db *DB, f fleet.Filter, withJSON bool,
	way func(*DB, context.Context, string, []interface{}, bool, func(fleet.Device) error) error) []fleet.Device {
	t.Helper()
	q, args, err := db.latestQuery(ctx, f, withJSON)
	if err != nil {
		t.Fatal(err)
	}
	var ds []fleet.Device
	if err := way(db, ctx, q, args, withJSON, func(d fleet.Device) error { ds = append(ds, d); return nil }); err != nil {
		t.Fatal(err)
	}
	return ds
}

// TestLatestDirect: Latest on SQLite (through its own connection) gives
// what the same query gives through database/sql, for every filter, and
// stops where its caller or context says.
func TestLatestDirect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db := openNew(t, path)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var cs []*fleet.Collection
	for i := 0; i < 40; i++ {
		at := t0.Add(time.Duration(i) * time.Hour)
		if i%5 == 0 {
			at = at.AddDate(5, 0, 0) // in the future: stored with a warning
		}
		s := &licensing.Snapshot{Schema: licensing.Schema, Context: licensing.Context{Site: []string{"Nagoya", "名古屋", "S'x\"<"}[i%3],
			Line: []string{"L1", "L 2"}[i%2], Asset: fmt.Sprintf("A%02d", i%25), Collected: at},
			Hardware: licensing.Hardware{UUID: fmt.Sprintf("U%02d", i%25), Model: fmt.Sprint(i % 2)}, OS: licensing.OS{Hostname: fmt.Sprintf("host-%d", i%7)},
			Products: []licensing.Product{{Kind: licensing.KindWindows, Name: "Windows(R), Professional edition", Channel: licensing.ChannelMAK, Status: licensing.StatusLicensed}}}
		c, err := fleet.NewCollection(fleet.Meta{BundleID: fmt.Sprintf("b%02d", i), SHA256: "sum", Size: int64(i), FileName: "f",
			Origin: fleet.OriginBundle, Generator: "test"}, s, nil, nil, t0.Add(48*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	if _, errs, err := db.ImportBatch(ctx, cs); err != nil {
		t.Fatal(err)
	} else if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	direct, driver := (*DB).latestDirect, (*DB).latestDriver
	for _, f := range []fleet.Filter{{}, {Site: "名古屋"}, {Site: "Nagoya", Line: "L 2"}, {Line: "L1"}, {Until: t0.Add(20 * time.Hour)},
		{Until: t0.Add(20 * time.Hour), Site: "S'x\"<"}, {Limit: 3}, {Site: "none"}} {
		for _, withJSON := range []bool{false, true} {
			got, want := latestAll(t, db, f, withJSON, direct), latestAll(t, db, f, withJSON, driver)
			if f.Site != "none" && len(want) == 0 {
				t.Fatalf("%+v: no devices", f)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("%+v, JSON %v: direct and database/sql differ\n%+v\n%+v", f, withJSON, got, want)
			}
		}
	}

	stop := errors.New("stop")
	n := 0
	if err := db.Latest(ctx, fleet.Filter{}, true, func(fleet.Device) error { n++; return stop }); err != stop || n != 1 {
		t.Errorf("a caller's error: %v after %d devices", err, n)
	}
	cctx, cancel := context.WithCancel(ctx)
	n = 0
	err := db.Latest(cctx, fleet.Filter{}, true, func(fleet.Device) error { n++; cancel(); return nil })
	if !errors.Is(err, context.Canceled) || n != 1 {
		t.Errorf("a context ended: %v after %d devices", err, n)
	}
	if err := db.Latest(cctx, fleet.Filter{}, true, func(fleet.Device) error { t.Error("a device after the context ended"); return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("a context ended before: %v", err)
	}
	// Every connection is closed: on Windows the file cannot be removed
	// while one is open.
	db.Close()
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			t.Errorf("after Close: %v", err)
		}
	}
}

// BenchmarkLatest reads the latest collection of every device of a
// 20,000-device fleet with its snapshot, as a report does: through the
// store's own connection (direct) and through database/sql (driver).
func BenchmarkLatest(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "fleet.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n = 20000
	cs := make([]*fleet.Collection, 0, 256)
	for i := 0; i < n; i++ {
		cs = append(cs, coll(fmt.Sprintf("b%08d", i), fmt.Sprintf("U%08d", i), "", fmt.Sprint(i), time.Unix(int64(i), 0)))
		if len(cs) == cap(cs) || i == n-1 {
			if _, _, err := db.ImportBatch(ctx, cs); err != nil {
				b.Fatal(err)
			}
			cs = cs[:0]
		}
	}
	q, args, err := db.latestQuery(ctx, fleet.Filter{}, true)
	if err != nil {
		b.Fatal(err)
	}
	for _, way := range []struct {
		name string
		fn   func(*DB, context.Context, string, []interface{}, bool, func(fleet.Device) error) error
	}{{"direct", (*DB).latestDirect}, {"driver", (*DB).latestDriver}} {
		b.Run(way.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				got := 0
				if err := way.fn(db, ctx, q, args, true, func(fleet.Device) error { got++; return nil }); err != nil || got != n {
					b.Fatal(got, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/device")
		})
	}
}

// TestDirectOpenFails: a file that does not open is SQLite's error, and
// the connection's memory is given back in the order it was taken (run
// with GOARCH=386 -tags libc.memgrind, where libc checks that order: a
// TLS closed with its stack in use panics).
func TestDirectOpenFails(t *testing.T) {
	for _, path := range []string{filepath.Join(t.TempDir(), "missing.db"), filepath.Join(t.TempDir(), "no", "such", "folder.db")} {
		c, err := openDirect(path, false)
		var e *errDirect
		if !errors.As(err, &e) || c != nil {
			t.Fatalf("%s: got %v, %v; want SQLite's error", path, c, err)
		}
		if e.code&0xff != 14 { // SQLITE_CANTOPEN
			t.Errorf("%s: code %d, want SQLITE_CANTOPEN", path, e.code)
		}
	}
}
