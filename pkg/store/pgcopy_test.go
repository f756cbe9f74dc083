package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
)

// copyBatches are writerBatches with PostgreSQL's hostile text: what
// every store holds (UTF-8 without NUL), but what COPY's text format
// would read otherwise (a backslash, "\N", "\.", tabs, line ends) and
// every other control character; raw outputs empty, of every byte, and
// larger than pgx's 64 KiB of COPY data at a time, many of them.
func copyBatches() [][]*fleet.Collection {
	batches := writerBatches()
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var controls, bytes []byte
	for b := 1; b < 0x20; b++ {
		controls = append(controls, byte(b))
	}
	for b := 0; b < 256; b++ {
		bytes = append(bytes, byte(b))
	}
	large := make([]byte, 3<<20)
	rand.New(rand.NewSource(1)).Read(large)
	hostile := coll("p1", "P1", "P1", `\N`, t0)
	hostile.Snapshot.OS.Hostname = "h\x01st\x7f'\"; DROP TABLE devices; --\\N\t\n\r\\.\u0080\u009f\ufffd\U0001F600"
	hostile.Snapshot.Context.Engineer = string(controls) + "\x7f\\"
	hostile.Snapshot.Context.Site, hostile.Snapshot.Context.Line = "", "  "
	hostile.FileName, hostile.Generator = `\.`, "\\\\N\r\n"
	hostile.Hardware = "maker\x1fmodel\x1e"
	hostile.Warnings = []string{fleet.WarnFuture, fleet.WarnOld}
	hostile.Pool = classify.Pool{Client: 2, Server: 1, Office: 3, Hosts: []classify.KMSHost{{Name: "kms\t\\N", Windows: 2}}}
	hostile.Raw = []fleet.Raw{{Member: "raw/empty.txt", Data: []byte{}}, {Member: "raw/bytes", Data: bytes},
		{Member: "raw/large.bin", Data: large}, {Member: "raw/\\N\t.txt", Data: []byte(`\N`)}}
	many := coll("p2", "P2", "P2", "A-many", t0.Add(time.Hour))
	for i := 0; i < 40; i++ {
		many.Raw = append(many.Raw, fleet.Raw{Member: fmt.Sprintf("raw/%02d.bin", i), Data: large[i<<16 : (i+1)<<16+i]})
	}
	return append(batches, []*fleet.Collection{hostile, many, coll("p3", "P1", "P1", "A-again", t0.Add(time.Minute))})
}

// validText is batches less its collections with text PostgreSQL refuses
// (TestCopyFails).
func validText(batches [][]*fleet.Collection) [][]*fleet.Collection {
	var out [][]*fleet.Collection
	for _, b := range batches {
		var keep []*fleet.Collection
		for _, c := range b {
			if isText(c.Snapshot.OS.Hostname) {
				keep = append(keep, c)
			}
		}
		out = append(out, keep)
	}
	return out
}

// TestCopySameRows: on PostgreSQL, a batch's rows stored with COPY are
// those of the multi-row INSERTs, value for value and with the same IDs
// and results: hostile text, empty, binary and large raw outputs, known
// and new devices, duplicates and conflicts.
func TestCopySameRows(t *testing.T) {
	viaInsert, viaCopy := openNew(t, pg.DB(t)), openNew(t, pg.DB(t))
	for i, batch := range validText(copyBatches()) {
		wres, werrs, err := viaInsert.importSQL(ctx, batch, false)
		if err != nil {
			t.Fatalf("batch %d with INSERT: %v", i, err)
		}
		res, errs, err := viaCopy.ImportBatch(ctx, batch)
		if err != nil {
			t.Fatalf("batch %d: %v", i, err)
		}
		for j := range batch {
			if res[j] != wres[j] || (errs[j] == nil) != (werrs[j] == nil) || (errs[j] != nil && !errors.Is(errs[j], werrs[j])) {
				t.Errorf("batch %d, collection %d: %+v %v, with INSERT %+v %v", i, j, res[j], errs[j], wres[j], werrs[j])
			}
		}
	}
	sameDump(t, dumpTables(t, viaCopy), dumpTables(t, viaInsert), "with INSERT", 250)
	if s, err := viaCopy.Check(ctx); s != "ok" || err != nil {
		t.Fatalf("check: %s %v", s, err)
	}
}

// TestCopyUsed: on PostgreSQL a batch stores each table's new rows with
// one COPY, whatever their number; the statements are seen by a trigger
// of each table.
func TestCopyUsed(t *testing.T) {
	db := openNew(t, pg.DB(t))
	if _, err := db.db.ExecContext(ctx, `CREATE TABLE seen (tbl TEXT, query TEXT);
		CREATE FUNCTION note() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN INSERT INTO seen VALUES (TG_TABLE_NAME, current_query()); RETURN NULL; END $$;
		CREATE TRIGGER note AFTER INSERT ON devices FOR EACH STATEMENT EXECUTE FUNCTION note();
		CREATE TRIGGER note AFTER INSERT ON collections FOR EACH STATEMENT EXECUTE FUNCTION note();
		CREATE TRIGGER note AFTER INSERT ON raw FOR EACH STATEMENT EXECUTE FUNCTION note();`); err != nil {
		t.Fatal(err)
	}
	batches := validText(copyBatches())
	for _, batch := range batches {
		if _, _, err := db.ImportBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := db.db.QueryContext(ctx, "SELECT tbl, query FROM seen")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	statements := map[string]int{}
	for rows.Next() {
		var tbl, q string
		if err := rows.Scan(&tbl, &q); err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(strings.ToLower(q), "copy ") {
			t.Errorf("%s: %.80s, want a COPY", tbl, q)
		}
		statements[tbl]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Every batch but the last, all of whose collections are stored
	// already, has new devices, collections and raw outputs.
	n := len(batches) - 1
	if got, want := fmt.Sprint(statements), fmt.Sprintf("map[collections:%d devices:%d raw:%d]", n, n, n); got != want {
		t.Errorf("statements per table %s, want %s", got, want)
	}
}

// TestCopyFails: on PostgreSQL a batch that the server refuses with COPY
// is refused as with INSERT, with the same SQLSTATE, and leaves nothing
// of it stored, also when its first tables were written already; the
// next batch is stored.
func TestCopyFails(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		spoil func(c *fleet.Collection)
		code  string
	}{
		{"a host name not UTF-8", func(c *fleet.Collection) { c.Snapshot.OS.Hostname = "h\xffst" }, "22021"},
		{"a NUL in an engineer's name", func(c *fleet.Collection) { c.Snapshot.Context.Engineer = "a\x00b" }, "22021"},
		{"a raw output's name not UTF-8", func(c *fleet.Collection) { c.Raw = append(c.Raw, fleet.Raw{Member: "raw/\xfe", Data: []byte("x")}) }, "22021"},
		{"no raw output at all (NULL)", func(c *fleet.Collection) { c.Raw = append(c.Raw, fleet.Raw{Member: "raw/nil.txt"}) }, "23502"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, before := primedPG(t)
			var batch []*fleet.Collection
			for i := 1; i <= 2*insertChunk; i++ {
				batch = append(batch, coll(fmt.Sprint("b", i), fmt.Sprint("U", i%40), "S", fmt.Sprint("A", i), t0.Add(time.Duration(i)*time.Hour)))
			}
			spoiled := *batch[insertChunk+3]
			tc.spoil(&spoiled)
			batch[insertChunk+3] = &spoiled
			_, _, ierr := db.importSQL(ctx, batch, false)
			_, _, err := db.ImportBatch(ctx, batch)
			if pgCode(ierr) != tc.code || pgCode(err) != tc.code {
				t.Fatalf("with COPY: %v; with INSERT: %v; want SQLSTATE %s from both", err, ierr, tc.code)
			}
			if errors.Is(err, ErrServerGone) || errors.Is(err, ErrLocked) || errors.Is(err, fleet.ErrReadOnly) {
				t.Errorf("%v is no failure of the batch's own", err)
			}
			if got := counts(t, db); got != before {
				t.Fatalf("after the failed batch %s, want %s", got, before)
			}
			batch[insertChunk+3] = coll("b-instead", "U0", "S0", "A0", t0) // b0's device
			if _, _, err := db.ImportBatch(ctx, batch); err != nil {
				t.Fatal(err)
			}
			if got, want := counts(t, db), "devices 40 collections 65 raw 65"; got != want {
				t.Fatalf("%s, want %s", got, want)
			}
		})
	}
}

// TestCopyCancelled: a batch whose context ends while its COPY waits for
// the server (another session's row holds the key it writes) ends soon
// after, with the context's error, not ErrServerGone, both when the
// server has all its rows and when it stopped reading them (a batch
// larger than the socket's buffers); nothing of it is stored, and the
// batch is stored once the other session is gone.
func TestCopyCancelled(t *testing.T) {
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	pad := make([]byte, 16<<10)
	for i := range pad {
		pad[i] = 'a' + byte(rand.Intn(26))
	}
	for _, tc := range []struct {
		name     string
		n        int    // collections in the batch
		snapshot []byte // each collection's stored snapshot, when not nil
	}{
		{"all sent", 16, nil},
		// The server inserts the rows of a binary COPY 1,000 at a time
		// (PostgreSQL 15's multi-insert buffer, which counts no bytes
		// of the binary format), and waits at the first of them: the
		// next rows it does not read are more than the socket holds.
		{"while sending", 1200, []byte(fmt.Sprintf(`{"pad": %q}`, pad))},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db, before := primedPG(t)
			var batch []*fleet.Collection
			for i := 1; i <= tc.n; i++ {
				c := coll(fmt.Sprint("b", i), fmt.Sprint("U", i%16), "S", fmt.Sprint("A", i), t0)
				if tc.snapshot != nil {
					c.JSON = tc.snapshot
				}
				batch = append(batch, c)
			}
			// Another session, not an importer, writes the collection ID
			// the batch will take, and keeps its transaction open: the
			// batch's COPY into collections waits for it.
			other, err := db.db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Rollback()
			if _, err := other.ExecContext(ctx, `INSERT INTO devices (id, key, first_seen) VALUES (1000, 'other', '');
				INSERT INTO collections (id, device_id, bundle_id, sha256, size, file_name, source, generator, collected_at, imported_at,
					site, line, asset, hostname, engineer, category, snapshot) SELECT 2, 1000, 'other', '', 0, '', '', '', '', '', '', '', '', '', '', '', ''`); err != nil {
				t.Fatal(err)
			}
			cctx, cancel := context.WithCancel(ctx)
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, _, err := db.ImportBatch(cctx, batch)
				done <- err
			}()
			waitForCopy(t, db, done)
			cancel()
			select {
			case err = <-done:
			case <-time.After(busyWait / 3):
				t.Fatalf("the import still waits %v after it was cancelled", busyWait/3)
			}
			if !errors.Is(err, context.Canceled) || errors.Is(err, ErrServerGone) {
				t.Fatalf("cancelled in its COPY: %v, want context.Canceled (not ErrServerGone)", err)
			}
			if err := other.Rollback(); err != nil {
				t.Fatal(err)
			}
			if got := counts(t, db); got != before {
				t.Fatalf("after the cancelled batch %s, want %s", got, before)
			}
			if _, _, err := db.ImportBatch(ctx, batch); err != nil {
				t.Fatal(err)
			}
			if got, want := counts(t, db), fmt.Sprintf("devices 17 collections %d raw %d", tc.n+1, tc.n+1); got != want {
				t.Fatalf("%s, want %s", got, want)
			}
		})
	}
}

// waitForCopy returns once a COPY of db's database waits for a lock, and
// fails t if the import ends (done) or 20 s pass first.
func waitForCopy(t *testing.T, db *DB, done chan error) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); {
		var n int
		if err := db.db.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND lower(query) LIKE 'copy %'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
		select {
		case err := <-done:
			t.Fatalf("the import ended before it waited in its COPY: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Fatal("no COPY waited for the other session's row within 20 s")
}

// TestBulkStatements: on PostgreSQL a batch runs the same statement texts
// whatever its size (its keys as arrays, its rows with COPY), so that each
// is prepared and planned once, not once for each size of batch.
func TestBulkStatements(t *testing.T) {
	db := openNew(t, pg.DB(t))
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	statements := func() (n int) {
		db.stmts.Range(func(_, _ interface{}) bool { n++; return true })
		return n
	}
	// The known device is known from the first batch measured on: a
	// batch of new devices alone updates none (importBatch).
	if _, _, err := db.ImportBatch(ctx, []*fleet.Collection{coll("0", "U0-0", "S", "A", t0)}); err != nil {
		t.Fatal(err)
	}
	var first int
	for size := 1; size <= 12; size++ {
		var batch []*fleet.Collection
		for i := 0; i < size; i++ {
			id := fmt.Sprint(size, "-", i)
			batch = append(batch, coll(id, "U"+id, "S", "A"+id, t0), coll(id+"-again", "U0-0", "S", "A", t0)) // new devices, and a known one
		}
		if _, _, err := db.ImportBatch(ctx, batch); err != nil {
			t.Fatal(err)
		}
		if size == 1 {
			first = statements()
		}
	}
	if n := statements(); n != first {
		t.Errorf("%d statements after batches of 1 to 12 collections, %d after the first", n, first)
	}
	if s, err := db.Check(ctx); s != "ok" || err != nil {
		t.Fatalf("check: %s %v", s, err)
	}
}

// primedPG opens a new PostgreSQL fleet holding one device, so that a
// batch after it has a device known before, and returns its counts.
func primedPG(t *testing.T) (*DB, string) {
	t.Helper()
	db := openNew(t, pg.DB(t))
	t0 := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // as the tests' own
	if _, err := importOne(db, coll("b0", "U0", "S0", "A0", t0)); err != nil {
		t.Fatal(err)
	}
	return db, counts(t, db)
}
