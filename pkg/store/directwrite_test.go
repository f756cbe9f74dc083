package store

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
)

// writerBatches are batches that go through every path of importBatch:
// new and known devices, one device twice in a batch, a bundle twice in
// a batch, one stored before, a conflict, trust warnings, KMS hosts, raw
// outputs empty, binary and several, hostile text (NUL, invalid UTF-8,
// quotes), and a batch of more than two insertChunks.
func writerBatches() [][]*fleet.Collection {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	first := []*fleet.Collection{
		coll("b1", "U1", "S1", "A1", t0),
		coll("b2", "U2", "S2", "A2", t0.Add(time.Hour)),
	}
	hostile := coll("b3", "U3", "S3", "A3", t0)
	hostile.Snapshot.OS.Hostname = "h\x00st\xff'\"; DROP TABLE devices; --"
	hostile.Snapshot.Context.Engineer = "日本語"
	hostile.Hardware = "maker\x1fmodel\x1e"
	hostile.Warnings = []string{fleet.WarnFuture}
	hostile.Pool = classify.Pool{Client: 2, Server: 1, Office: 3, Hosts: []classify.KMSHost{{Name: "kms.example", Windows: 2}}}
	hostile.Raw = []fleet.Raw{{Member: "raw/empty.txt", Data: []byte{}}, {Member: "raw/bin", Data: []byte{0, 1, 2, 255}},
		{Member: "raw/text.txt", Data: []byte(strings.Repeat("Software licensing service\r\n", 200))}}
	conflict := coll("b1", "U1", "S1", "A1", t0)
	conflict.SHA256 = "different"
	second := []*fleet.Collection{
		coll("b4", "U1", "S1", "A1-new", t0.Add(2*time.Hour)), // a known device
		coll("b5", "U4", "S4", "A4", t0.Add(time.Hour)),
		coll("b6", "U4", "S4", "A4-older", t0),          // the same device again, older
		coll("b5", "U4", "S4", "A4", t0.Add(time.Hour)), // the same bundle again
		coll("b2", "U2", "S2", "A2", t0.Add(time.Hour)), // stored before
		conflict,
		hostile,
	}
	var large []*fleet.Collection
	for i := 0; i < 2*insertChunk+5; i++ {
		dev := fmt.Sprint("L", i%50)
		large = append(large, coll(fmt.Sprintf("l%03d", i), dev, dev, fmt.Sprint("LA", i), t0.Add(time.Duration(i)*time.Minute)))
	}
	return [][]*fleet.Collection{first, second, large, {conflict}}
}

// dumpTables is every row of the tables importBatch writes, each value
// as the store quotes it (SQLite's quote, so that its type shows: 1, '1',
// X'01', NULL; PostgreSQL's quote_nullable, whose columns have one type),
// in key order, the import times masked.
func dumpTables(t *testing.T, db *DB) []string {
	t.Helper()
	columns, quote := "SELECT name FROM pragma_table_info(?) ORDER BY cid", "quote("
	if db.dialect == postgresDialect {
		columns, quote = "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position", "quote_nullable("
	}
	var out []string
	for _, tb := range []struct{ name, order string }{{"devices", "id"}, {"collections", "id"}, {"raw", "collection_id, member"}} {
		rows, err := db.db.QueryContext(ctx, db.q(columns), tb.name)
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				t.Fatal(err)
			}
			if c == "imported_at" || c == "first_seen" {
				c = "length(" + c + ")"
			}
			cols = append(cols, quote+c+")")
		}
		rows.Close()
		if len(cols) == 0 {
			t.Fatalf("no columns of %s", tb.name)
		}
		rows, err = db.db.QueryContext(ctx, "SELECT '"+tb.name+": ' || "+strings.Join(cols, " || ' ' || ")+" FROM "+tb.name+" ORDER BY "+tb.order)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var r string
			if err := rows.Scan(&r); err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		rows.Close()
	}
	return out
}

// TestDirectWriterSameRows: the direct writer stores the same rows, of
// the same types, and gives the same results as importBatch through
// database/sql.
func TestDirectWriterSameRows(t *testing.T) {
	viaDriver := openNew(t, filepath.Join(t.TempDir(), "driver.db"))
	viaDirect := openNew(t, filepath.Join(t.TempDir(), "direct.db"))
	for i, batch := range writerBatches() {
		wres, werrs, err := viaDriver.importDriver(ctx, batch)
		if err != nil {
			t.Fatalf("batch %d through database/sql: %v", i, err)
		}
		res, errs, err := viaDirect.ImportBatch(ctx, batch)
		if err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		if viaDirect.w == nil {
			t.Fatal("the batch did not go through the direct writer")
		}
		for j := range batch {
			if res[j] != wres[j] || (errs[j] == nil) != (werrs[j] == nil) || (errs[j] != nil && !errors.Is(errs[j], werrs[j])) {
				t.Errorf("batch %d, collection %d: %+v %v, through database/sql %+v %v", i, j, res[j], errs[j], wres[j], werrs[j])
			}
		}
	}
	sameDump(t, dumpTables(t, viaDirect), dumpTables(t, viaDriver), "through database/sql", 200)
	if s, err := viaDirect.Check(ctx); s != "ok" || err != nil {
		t.Fatalf("check: %s %v", s, err)
	}
}

// sameDump fails t at the first row of got (dumpTables) that is not
// want's, the rows stored another way, which must be at least least.
func sameDump(t *testing.T, got, want []string, way string, least int) {
	t.Helper()
	if len(want) < least {
		t.Fatalf("%d rows %s: the batches stored less than they should", len(want), way)
	}
	for i := 0; i < len(want) || i < len(got); i++ {
		var w, g string
		if i < len(want) {
			w = want[i]
		}
		if i < len(got) {
			g = got[i]
		}
		if g != w {
			at := 0 // where they differ, shown from a little before
			for at < len(g) && at < len(w) && g[at] == w[at] {
				at++
			}
			if at -= 100; at < 0 {
				at = 0
			}
			from := func(s string) string {
				if at > len(s) {
					return ""
				}
				return s[at:]
			}
			t.Fatalf("row %d, from byte %d:\n%.300s\n%s:\n%.300s", i, at, from(g), way, from(w))
		}
	}
}

// counts is what db holds: devices, collections, raw outputs.
func counts(t *testing.T, db *DB) string {
	t.Helper()
	d, c, r, err := db.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("devices %d collections %d raw %d", d, c, r)
}

// inTransaction reports whether the direct writer's connection has a
// transaction open.
func inTransaction(db *DB) bool {
	return db.w != nil && sqlite3.Xsqlite3_get_autocommit(db.w.c.tls, db.w.c.db) == 0
}

// fleetOfOne is a new fleet in a temporary folder that holds one
// collection, b0, collected at at.
func fleetOfOne(t *testing.T, at time.Time) *DB {
	t.Helper()
	db := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	if _, err := importOne(db, coll("b0", "U0", "S0", "A0", at)); err != nil {
		t.Fatal(err)
	}
	return db
}

// TestDirectWriterRollback: a batch whose row fails after others of it
// were written (a raw output of no bytes at all, NULL in a NOT NULL
// column, in the last statements of the batch) leaves nothing of the
// batch, as through database/sql, and the writer stores the next batch.
func TestDirectWriterRollback(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	db := fleetOfOne(t, t0)
	before := counts(t, db)
	var batch []*fleet.Collection
	for i := 1; i <= 2*insertChunk; i++ {
		batch = append(batch, coll(fmt.Sprint("b", i), fmt.Sprint("U", i%40), "S", fmt.Sprint("A", i), t0.Add(time.Duration(i)*time.Hour)))
	}
	batch[insertChunk+3].Raw = append(batch[insertChunk+3].Raw, fleet.Raw{Member: "raw/nil.txt"})
	for _, way := range []struct {
		name string
		fn   func(context.Context, []*fleet.Collection) ([]fleet.Stored, []error, error)
	}{{"database/sql", db.importDriver}, {"direct", db.importDirect}} {
		if _, _, err := way.fn(ctx, batch); err == nil || !strings.Contains(err.Error(), "NOT NULL constraint failed: raw.data") {
			t.Fatalf("%s: %v, want the NOT NULL constraint's error", way.name, err)
		}
		if got := counts(t, db); got != before {
			t.Fatalf("%s: after the failed batch %s, want %s", way.name, got, before)
		}
	}
	if inTransaction(db) {
		t.Fatal("the failed batch left its transaction open")
	}
	batch[insertChunk+3].Raw = batch[insertChunk+3].Raw[:1]
	if _, _, err := db.ImportBatch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if got, want := counts(t, db), "devices 41 collections 65 raw 65"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

// TestDirectWriterOrphans: a row the writer's transaction adds without
// its parent (a collection of no device, a raw output of no collection)
// fails the transaction at its commit, which stores nothing of it, as
// the foreign keys do through database/sql; the writer then stores the
// next batch.
func TestDirectWriterOrphans(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	db := fleetOfOne(t, t0)
	before := counts(t, db)
	for _, tc := range []struct {
		name, insert string
	}{
		{"collection of no device", `INSERT INTO collections SELECT id + 1, device_id + 1, 'orphan', sha256, size, file_name, source, generator,
			collected_at, imported_at, site, line, asset, hostname, engineer, category, kms_client, kms_server, kms_office, snapshot, warnings,
			time_ok, hardware, kms_hosts FROM collections`},
		{"raw output of no collection", `INSERT INTO raw (collection_id, member, data) SELECT max(id) + 1, 'raw/orphan.txt', x'00' FROM collections`},
		{"raw output of a collection of another fleet", `INSERT INTO raw (collection_id, member, data) VALUES (-1, 'raw/orphan.txt', x'00')`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, way := range []struct {
				name string
				tx   func() (batchTx, func() error)
			}{
				{"database/sql", func() (batchTx, func() error) {
					tx, err := db.db.BeginTx(ctx, nil)
					if err != nil {
						t.Fatal(err)
					}
					return sqlTx{d: db, tx: tx}, tx.Rollback
				}},
				{"direct", func() (batchTx, func() error) {
					if err := db.w.begin(ctx); err != nil {
						t.Fatal(err)
					}
					return db.w, db.w.rollback
				}},
			} {
				tx, rollback := way.tx()
				err := tx.exec(ctx, tc.insert, nil)
				if err == nil {
					err = tx.commit()
				}
				rollback()
				if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY constraint failed") {
					t.Errorf("%s: %v, want the foreign key's error", way.name, err)
				}
				if got := counts(t, db); got != before {
					t.Fatalf("%s: after the orphan %s, want %s", way.name, got, before)
				}
			}
			if inTransaction(db) {
				t.Fatal("the failed transaction is still open")
			}
		})
	}
	if _, _, err := db.ImportBatch(ctx, []*fleet.Collection{coll("b1", "U1", "S1", "A1", t0)}); err != nil {
		t.Fatal(err)
	}
	if got, want := counts(t, db), "devices 2 collections 2 raw 2"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

// endsAfter is a context that ends after n checks of Err: a batch
// interrupted between any two of its statements.
type endsAfter struct {
	context.Context
	n *int
}

func (c endsAfter) Err() error {
	if *c.n <= 0 {
		return context.Canceled
	}
	*c.n--
	return nil
}

// TestDirectWriterInterrupted: a batch whose context ends between any
// two of its statements stores nothing and leaves no transaction open;
// let run to its end, it stores everything.
func TestDirectWriterInterrupted(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	db := fleetOfOne(t, t0)
	before := counts(t, db)
	var batch []*fleet.Collection
	for i := 1; i <= insertChunk+5; i++ {
		batch = append(batch, coll(fmt.Sprint("b", i), fmt.Sprint("U", i%20), "S", fmt.Sprint("A", i), t0.Add(time.Duration(i)*time.Hour)))
	}
	for checks := 0; ; checks++ {
		n := checks
		_, _, err := db.importDirect(endsAfter{ctx, &n}, batch)
		if inTransaction(db) {
			t.Fatalf("after %d checks: the transaction is still open", checks)
		}
		if err == nil {
			if checks < 10 {
				t.Fatalf("the batch was stored after %d checks of its context: it should check between its statements", checks)
			}
			break
		}
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("after %d checks: %v", checks, err)
		}
		if got := counts(t, db); got != before {
			t.Fatalf("interrupted after %d checks: %s, want %s", checks, got, before)
		}
	}
	if got, want := counts(t, db), "devices 21 collections 38 raw 38"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

// TestDirectWriterBusy: while another connection holds the write lock,
// the direct writer's batch fails with SQLITE_BUSY, which busy knows,
// leaving no transaction open; retryBusy runs it again once the lock is
// free. With the store's busy timeout the writer would wait for the lock
// itself: here it does not wait, to meet the lock at once.
func TestDirectWriterBusy(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	db := fleetOfOne(t, t0)
	sqlite3.Xsqlite3_busy_timeout(db.w.c.tls, db.w.c.db, 0)
	conn := holdLock(t, db)
	batch := []*fleet.Collection{coll("b1", "U1", "S1", "A1", t0)}
	calls := 0
	err := retryBusy(ctx, db, func() error {
		calls++
		_, _, err := db.importDirect(ctx, batch)
		if calls == 1 {
			if !busy(err) {
				t.Fatalf("with the lock held elsewhere: busy(%v) = false", err)
			}
			if inTransaction(db) {
				t.Fatal("the busy batch left a transaction open")
			}
			if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
				t.Fatal(err)
			}
		}
		return err
	})
	if err != nil || calls != 2 {
		t.Fatalf("retryBusy: %v after %d calls, want success after 2", err, calls)
	}
	if got, want := counts(t, db), "devices 2 collections 2 raw 2"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
	if busy(errors.New("database is locked (5)")) || busy(&errDirect{code: sqlite3.SQLITE_CONSTRAINT_UNIQUE}) ||
		!busy(&errDirect{code: sqlite3.SQLITE_LOCKED_SHAREDCACHE}) || !readOnly(fmt.Errorf("x: %w", &errDirect{code: sqlite3.SQLITE_READONLY_DBMOVED})) {
		t.Error("busy or readOnly mistook a result code")
	}
}

// TestImportCancelWhileLocked: an import waiting for another writer's
// lock (another importer, an activation being recorded) ends soon after
// its context does: Ctrl-C is not held up by the busy timeout, which
// waited out all of busyWait inside SQLite. Nothing is stored.
func TestImportCancelWhileLocked(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	db := fleetOfOne(t, t0)
	conn := holdLock(t, db)
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, _, err := db.ImportBatch(cctx, []*fleet.Collection{coll("b1", "U1", "S1", "A1", t0)})
		done <- err
	}()
	time.Sleep(300 * time.Millisecond) // waiting for the lock by now
	cancel()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("stored while another writer held the lock")
		}
	case <-time.After(busyWait / 3):
		t.Fatalf("the import still waits for the lock %v after it was cancelled", busyWait/3)
	}
	if _, err := conn.ExecContext(ctx, "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if got, want := counts(t, db), "devices 1 collections 1 raw 1"; got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}

// TestDirectWriterSettings: the writer's connection has the settings the
// driver's connection string gives the store's others, but a shorter
// busy timeout and the foreign keys off (checkParents checks them:
// TestDirectWriterOrphans).
func TestDirectWriterSettings(t *testing.T) {
	db := fleetOfOne(t, time.Unix(0, 0))
	// But for its busy timeout (TestImportCancelWhileLocked).
	var timeout int
	if err := db.w.query(ctx, "PRAGMA busy_timeout", nil, func(r scanner) error { return r.Scan(&timeout) }); err != nil {
		t.Fatal(err)
	}
	if want := int(writerBusyWait.Milliseconds()); timeout != want {
		t.Errorf("PRAGMA busy_timeout: %d, want %d", timeout, want)
	}
	for _, p := range []string{"foreign_keys", "synchronous", "journal_mode", "page_size"} {
		var driver, got string
		if err := db.db.QueryRowContext(ctx, "PRAGMA "+p).Scan(&driver); err != nil {
			t.Fatal(err)
		}
		if err := db.w.query(ctx, "PRAGMA "+p, nil, func(r scanner) error { return r.Scan(&got) }); err != nil {
			t.Fatal(err)
		}
		want := driver
		if p == "foreign_keys" {
			if driver != "1" {
				t.Errorf("PRAGMA foreign_keys: %s on the driver's connections, want 1", driver)
			}
			want = "0"
		}
		if got != want {
			t.Errorf("PRAGMA %s: %s, want %s (the driver's connections %s)", p, got, want, driver)
		}
	}
}

// TestDirectWriterClose: Close finalizes every statement the writer
// kept (SQLite lists none left on its connection) and closes it; a
// statement left unfinalized is an error; the fleet's other
// connections are closed too, and a batch after Close is refused.
func TestDirectWriterClose(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.ImportBatch(ctx, writerBatches()[0]); err != nil {
		t.Fatal(err)
	}
	w := db.w
	if n := w.open(); n < 5 || n != len(w.stmts) {
		t.Fatalf("%d statements open, %d kept", n, len(w.stmts))
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if db.w != nil || len(w.stmts) != 0 || w.buf != 0 || w.c.db != 0 {
		t.Fatalf("after Close: writer %p, %d statements, buffer %#x, connection %#x", db.w, len(w.stmts), w.buf, w.c.db)
	}
	if _, _, err := db.ImportBatch(ctx, writerBatches()[1]); err == nil {
		t.Fatal("a batch was stored after Close")
	}

	// A statement the writer forgot: Close says so.
	w, err = openWriter(path, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.prepare("SELECT 1"); err != nil {
		t.Fatal(err)
	}
	delete(w.stmts, "SELECT 1")
	before := openFiles(t, path)
	if err := w.Close(); err == nil || !strings.Contains(err.Error(), "1 statements") {
		t.Fatalf("Close with a statement left: %v", err)
	}
	// and closes the file all the same (a statement left made SQLite
	// keep the connection open: on Windows, the test's folder could not
	// be removed).
	if n := openFiles(t, path); before >= 0 && (before == 0 || n != 0) {
		t.Fatalf("%s open %d times before Close, %d times after", path, before, n)
	}
}

// openFiles counts this process's open descriptors of path (Linux's
// /proc/self/fd), or is -1 where they cannot be counted: on Windows the
// removal of the test's folder at its end fails all the same if the
// file is still open.
func openFiles(t *testing.T, path string) int {
	t.Helper()
	if runtime.GOOS != "linux" {
		return -1
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatalf("counting open files: %v", err)
	}
	n := 0
	for _, fd := range fds {
		if target, err := os.Readlink("/proc/self/fd/" + fd.Name()); err == nil && target == path {
			n++
		}
	}
	return n
}

// TestDirectWriterKeepsFewStatements: batches of every size up to 256
// keep at most writerStmts statements, the ones run last, and a
// statement finalized to make room is prepared again when it is run.
func TestDirectWriterKeepsFewStatements(t *testing.T) {
	db := openNew(t, filepath.Join(t.TempDir(), "fleet.db"))
	k := 0
	for n := 1; n <= 100; n++ {
		var batch []*fleet.Collection
		for i := 0; i < n; i++ {
			k++
			batch = append(batch, coll(fmt.Sprint("b", k), fmt.Sprint("U", k), "S", "A", time.Unix(int64(k), 0)))
		}
		if _, _, err := db.ImportBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if len(db.w.stmts) > writerStmts || db.w.open() != len(db.w.stmts) {
			t.Fatalf("after a batch of %d: %d statements kept, %d open", n, len(db.w.stmts), db.w.open())
		}
	}
	if _, ok := db.w.stmts["BEGIN IMMEDIATE"]; !ok {
		t.Error("BEGIN, run for every batch, was finalized")
	}
	if _, _, err := db.ImportBatch(ctx, []*fleet.Collection{coll("last", "U1", "S", "A", time.Unix(0, 0))}); err != nil {
		t.Fatal(err)
	}
	if got, want := counts(t, db), fmt.Sprintf("devices %d collections %d raw %d", k, k+1, k+1); got != want {
		t.Fatalf("%s, want %s", got, want)
	}
}
