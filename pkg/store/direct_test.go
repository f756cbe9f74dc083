package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
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
		func() interface{} { return new([]byte) },
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
	// Arguments: text and integers, bound as database/sql binds them.
	for _, arg := range []interface{}{"", "x'1", "日本語", int64(-9223372036854775808), int64(42), 0, -1} {
		var want, got string
		if err := db.db.QueryRowContext(ctx, "SELECT typeof(?1) || ':' || ?1", arg).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if err := c.query(ctx, "SELECT typeof(?1) || ':' || ?1", []interface{}{arg}, func(r *directRows) error { return r.Scan(&got) }); err != nil {
			t.Fatalf("argument %#v: %v", arg, err)
		}
		if got != want {
			t.Errorf("argument %#v: got %q, want %q", arg, got, want)
		}
	}
	if err := c.query(ctx, "SELECT ?", []interface{}{2.5}, func(*directRows) error { return nil }); err == nil {
		t.Error("an argument of a type the store does not bind ran")
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
	var snaps []*licensing.Snapshot
	for i := 0; i < 40; i++ {
		at := t0.Add(time.Duration(i) * time.Hour)
		if i%5 == 0 {
			at = at.AddDate(5, 0, 0) // in the future: stored with a warning
		}
		s := &licensing.Snapshot{Schema: licensing.Schema, Context: licensing.Context{Site: []string{"Nagoya", "名古屋", "S'x\"<"}[i%3],
			Line: []string{"L1", "L 2"}[i%2], Asset: fmt.Sprintf("A%02d", i%25), Collected: at},
			Hardware: licensing.Hardware{UUID: fmt.Sprintf("U%02d", i%25), Model: fmt.Sprint(i % 2)}, OS: licensing.OS{Hostname: fmt.Sprintf("host-%d", i%7)},
			Products: []licensing.Product{{Kind: licensing.KindWindows, Name: "Windows(R), Professional edition", Channel: licensing.ChannelMAK, Status: licensing.StatusLicensed}}}
		snaps = append(snaps, s)
	}
	importSnapshots(t, db, snaps, t0.Add(48*time.Hour))
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

// TestRawDirect: RawFor on SQLite (through its own connection) gives
// what the same queries give through database/sql: every member of every
// collection asked for, in member order, cut to maxBytes (in bytes, NUL
// and bytes that are not UTF-8 included) with its whole size; nothing
// for IDs that name no collection; more IDs than one statement takes.
func TestRawDirect(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db := openNew(t, path)
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	datas := [][]byte{{}, []byte("x"), []byte("abc\x00\xff\xfe日本語"), bytes.Repeat([]byte("0123456789"), 1000)}
	var cs []*fleet.Collection
	const n = chunkSize + 40 // two statements
	for i := 0; i < n; i++ {
		c := coll(fmt.Sprintf("b%04d", i), fmt.Sprintf("U%04d", i), "", fmt.Sprint(i), t0.Add(time.Duration(i)*time.Minute))
		c.Raw = nil
		for m := 0; m < i%4; m++ {
			// Members stored in reverse name order, read in name order.
			c.Raw = append(c.Raw, fleet.Raw{Member: fmt.Sprintf("raw/%d.txt", 3-m), Data: datas[(i+m)%len(datas)]})
		}
		cs = append(cs, c)
	}
	stored, errs, err := db.ImportBatch(ctx, cs)
	if err != nil {
		t.Fatal(err)
	} else if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, s := range stored {
		ids = append(ids, s.CollectionID)
	}
	missing := []int64{-1, 0, ids[len(ids)-1] + 1000}
	for _, tc := range []struct {
		name string
		ids  []int64
		max  int
	}{
		{"all", ids, 1 << 20},
		{"all, cut to 5 bytes", ids, 5},
		{"cut to 0 bytes", ids[:20], 0},
		{"cut below 0", ids[:20], -3},
		{"missing IDs", missing, 100},
		{"missing and present, repeated", append(append(append([]int64{}, missing...), ids[3], ids[7], ids[3]), ids[:9]...), 4},
		{"none", nil, 100},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.rawDirect(ctx, tc.ids, tc.max)
			if err != nil {
				t.Fatal(err)
			}
			want, err := db.rawDriver(ctx, tc.ids, tc.max)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("direct and database/sql differ\n%v\n%v", got, want)
			}
			if _, ok := got[0]; ok {
				t.Error("raw members for collection 0")
			}
		})
	}

	// What the lines get, checked on its own: every member, cut.
	got, err := db.RawFor(ctx, ids, 5)
	if err != nil {
		t.Fatal(err)
	}
	members := 0
	for i, id := range ids {
		rs := got[id]
		if len(rs) != i%4 {
			t.Fatalf("collection %d: %d members, want %d", id, len(rs), i%4)
		}
		for j, r := range rs {
			m := i%4 - 1 - j // in name order
			whole := datas[(i+m)%len(datas)]
			cut := whole
			if len(cut) > 5 {
				cut = cut[:5]
			}
			if r.Member != fmt.Sprintf("raw/%d.txt", 3-m) || r.Size != int64(len(whole)) || !bytes.Equal(r.Data, cut) {
				t.Errorf("collection %d: got %s %q of %d bytes, want raw/%d.txt %q of %d", id, r.Member, r.Data, r.Size, 3-m, cut, len(whole))
			}
			members++
		}
	}
	if members == 0 || len(got) != n*3/4 {
		t.Errorf("%d collections with %d members", len(got), members)
	}

	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := db.RawFor(cctx, ids, 5); !errors.Is(err, context.Canceled) {
		t.Errorf("a context ended: %v", err)
	}
	db.Close()
	if _, err := os.Stat(path + "-wal"); err == nil {
		t.Error("a connection left open after Close")
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

// BenchmarkRawFor reads the raw output of every device of a
// 20,000-device fleet (one of 300 bytes each, as a collection of
// Windows alone has) 500 devices at a time, as a report's lines do:
// through a connection of its own for each call (direct) and through
// database/sql (driver).
func BenchmarkRawFor(b *testing.B) {
	db, err := Open(filepath.Join(b.TempDir(), "fleet.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	const n, line = 20000, 500
	raw := bytes.Repeat([]byte("slmgr /dlv "), 30)[:300]
	var ids []int64
	cs := make([]*fleet.Collection, 0, 256)
	for i := 0; i < n; i++ {
		c := coll(fmt.Sprintf("b%08d", i), fmt.Sprintf("U%08d", i), "", fmt.Sprint(i), time.Unix(int64(i), 0))
		c.Raw = []fleet.Raw{{Member: "raw/slmgr-dlv.txt", Data: raw}}
		cs = append(cs, c)
		if len(cs) == cap(cs) || i == n-1 {
			stored, _, err := db.ImportBatch(ctx, cs)
			if err != nil {
				b.Fatal(err)
			}
			for _, s := range stored {
				ids = append(ids, s.CollectionID)
			}
			cs = cs[:0]
		}
	}
	for _, way := range []struct {
		name string
		fn   func(*DB, context.Context, []int64, int) (map[int64][]fleet.Raw, error)
	}{{"direct", (*DB).rawDirect}, {"driver", (*DB).rawDriver}} {
		b.Run(way.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				for lo := 0; lo < n; lo += line {
					if got, err := way.fn(db, ctx, ids[lo:lo+line], 64<<10); err != nil || len(got) != line {
						b.Fatal(len(got), err)
					}
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

// TestLines: Lines names each line Latest reads devices of, once, in
// Latest's order, for every filter: devices that moved leave their old
// line, and with Until the fleet is as it was then.
func TestLines(t *testing.T) {
	eachStore(t, func(t *testing.T, dsn string) {
		db := openNew(t, dsn)
		t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
		var snaps []*licensing.Snapshot
		for i := 0; i < 40; i++ {
			// Devices U00..U24; those collected twice moved site (i%3)
			// or line (i%4).
			s := &licensing.Snapshot{Schema: licensing.Schema, Context: licensing.Context{Site: []string{"Nagoya", "名古屋", "S'x\"<"}[i%3],
				Line: []string{"L1", "L 2", "l1", "Z"}[i%4], Asset: fmt.Sprintf("A%02d", i%25), Collected: t0.Add(time.Duration(i) * time.Hour)},
				Hardware: licensing.Hardware{UUID: fmt.Sprintf("U%02d", i%25)}, OS: licensing.OS{Hostname: "h"}}
			snaps = append(snaps, s)
		}
		importSnapshots(t, db, snaps, t0.Add(48*time.Hour))
		for _, f := range []fleet.Filter{{}, {Site: "名古屋"}, {Site: "Nagoya", Line: "L 2"}, {Line: "L1"}, {Until: t0.Add(20 * time.Hour)},
			{Until: t0.Add(30 * time.Hour), Site: "S'x\"<"}, {Site: "none"}, {Site: "\xff"}} {
			var want []string
			if err := db.Latest(ctx, f, false, func(d fleet.Device) error {
				if l := d.Site + "/" + d.Line; len(want) == 0 || want[len(want)-1] != l {
					want = append(want, l)
				}
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			var got []string
			if err := db.Lines(ctx, f, func(site, line string) error { got = append(got, site+"/"+line); return nil }); err != nil {
				t.Fatal(err)
			}
			if f.Site == "" && len(want) < 3 {
				t.Fatalf("%+v: lines %q: too few to tell", f, want)
			}
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%+v: got %q, want %q", f, got, want)
			}
		}
	})
}

// importSnapshots stores a collection of each snapshot, as bundles b00,
// b01, … of size their index, received at.
func importSnapshots(t *testing.T, db *DB, snaps []*licensing.Snapshot, at time.Time) {
	t.Helper()
	var cs []*fleet.Collection
	for i, s := range snaps {
		c, err := fleet.NewCollection(fleet.Meta{BundleID: fmt.Sprintf("b%02d", i), SHA256: "sum", Size: int64(i), FileName: "f",
			Origin: fleet.OriginBundle, Generator: "test"}, s, nil, nil, at)
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
}
