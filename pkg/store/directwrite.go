package store

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"
	"unsafe"

	sqlite3 "modernc.org/sqlite/lib"

	"github.com/actcourier/actcourier/pkg/fleet"
)

// directWriter is the import's writer on a SQLite fleet: a connection of
// its own (directConn), used straight through SQLite's library, that runs
// importBatch's statements (batchTx) with each statement prepared once
// and kept.
//
// Why: through database/sql, modernc.org/sqlite v1.33.1 prepares every
// statement anew on every execution, even a prepared *sql.Stmt, and
// copies every text and blob argument into C memory with a malloc (and
// a free) of its own. In CPU profiles of the bench's import (10,000
// bundles, about 3 s of CPU) the writer took 0.84 to 1.07 s, of which
// preparing was 0.06 to 0.14 s and binding 0.13 to 0.21 s; this way it
// takes 0.64 to 0.66 s, and the whole import about 0.3 s of CPU less
// (docs/performance.md, the eleventh round). Here a statement is
// prepared the first time its text is run and reset after each use, and
// the text and blobs of one execution are copied, one after the other,
// into one buffer of C memory kept for the next (bind), which SQLite
// reads in place (SQLITE_STATIC): Go's memory is never handed to SQLite,
// since the collector may move or free it while SQLite holds the
// pointer.
//
// The foreign keys are checked once a transaction, before its COMMIT
// (checkParents), not by SQLite row by row. With SQLite's immediate
// checks, a row's check may fail after other rows of its statement were
// written, so SQLite kept a statement journal for every multi-row
// insert; with 16 KiB pages the journal outgrew its memory and went to
// a temporary file: for the bench's 10,000 bundles, 11,000 pages
// (180 MB) written to files and thrown away, 30,000 of the import's
// 43,000 writes. Deferring SQLite's own checks to COMMIT (PRAGMA
// defer_foreign_keys, set anew in every transaction) would spare the
// journal too, but every such pragma expires all the prepared statements
// of its connection, and each batch then prepared its statements again,
// which cost as much as the journal (measured). So this connection has
// them off, and checkParents finds, in one query, any collection or raw
// output the transaction added without its device or collection: the
// rows SQLite's checks refuse (TestDirectWriterOrphans), with their
// error, and the transaction stores nothing.
//
// It is opened the first time a batch is stored (DB.importDirect) with
// the settings the driver's connection string gives the store's other
// connections, synchronous NORMAL, but foreign keys off (checkParents
// checks them) and a short busy
// timeout (writerBusyWait); the page size and WAL are the file's own since
// Open migrated it. A fleet opened read-only ("ro", a test's) gets a
// read-only writer, so that an import is refused as through the driver
// (fleet.ErrReadOnly). One batch at a time uses it (DB.wmu), so it needs
// no mutex of SQLite's (SQLITE_OPEN_NOMUTEX). DB.Close finalizes its
// statements and closes it.
type directWriter struct {
	c     *directConn
	stmts map[string]*writerStmt // SQL text -> prepared statement, at most writerStmts
	uses  uint64                 // statements run
	buf   uintptr                // C memory (sqlite3_malloc64) the text and blob arguments of one execution are copied into
	size  int                    // of buf, bytes
	// lastCollection and lastRaw are the rowids of the last collection
	// and the last raw output when the transaction began (begin): the
	// rows it adds come after them (checkParents).
	lastCollection, lastRaw int64
}

// writerStmt is a statement the writer keeps, and when it was last run
// (directWriter.uses).
type writerStmt struct {
	st   uintptr
	used uint64
}

// writerStmts is how many statements the writer keeps; the least
// recently run one is finalized to make room. importBatch's lookups and
// its update take one statement text for each number of keys up to 500
// (and its inserts one for each number of rows up to insertChunk), so
// that an import whose batches come in every size up to 256 would keep
// 869 statements and 22 MB (a statement with a long IN list takes tens
// of KiB); a batch runs about ten, most of them the same in every batch
// (BEGIN, COMMIT, the inserts of a full insertChunk).
const writerStmts = 64

// Sizes of the writer's argument buffer, in bytes: what it starts with,
// and the most it keeps after an execution (one with more, a batch of
// large raw outputs, gets a buffer of its own size, freed when it is
// done, so that a long import holds no more than this).
const (
	writerBuf     = 64 << 10
	writerBufKeep = 1 << 20
)

// writerBusyWait is how long the writer waits for another writer's
// lock before retryBusy takes over, which checks the import's context
// between its tries.
const writerBusyWait = 200 * time.Millisecond

// openWriter opens a writer on the SQLite fleet at path, read-only when
// readOnly.
func openWriter(path string, readOnly bool) (*directWriter, error) {
	c, err := openDirect(path, readOnly)
	if err != nil {
		return nil, err
	}
	// The writer waits for another writer's lock writerBusyWait at a
	// time inside SQLite; retryBusy tries again until busyWait, and
	// stops as soon as the import's context ends: SQLite's busy wait
	// cannot be interrupted, so waiting all of busyWait in it held up
	// Ctrl-C for as long.
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, int32(writerBusyWait.Milliseconds()))
	w := &directWriter{c: c, stmts: map[string]*writerStmt{}}
	if err := w.alloc(writerBuf); err != nil {
		w.Close()
		return nil, err
	}
	// As the driver's connection string sets them (open), but the
	// foreign keys, which checkParents checks.
	for _, q := range []string{"PRAGMA foreign_keys = 0", "PRAGMA synchronous = NORMAL"} {
		if err := w.exec(context.Background(), q, nil); err != nil {
			w.Close()
			return nil, err
		}
	}
	return w, nil
}

// Close finalizes the writer's statements, frees its buffer and closes
// its connection. A statement of the connection left unfinalized (a bug
// of the writer's) is an error, after it is finalized and the connection
// closed all the same: SQLite would otherwise keep the connection, and
// its file open, until the statement was finalized, which on Windows
// keeps anyone from deleting or moving the fleet's file.
func (w *directWriter) Close() error {
	tls := w.c.tls
	for q, s := range w.stmts {
		sqlite3.Xsqlite3_finalize(tls, s.st)
		delete(w.stmts, q)
	}
	if w.buf != 0 {
		sqlite3.Xsqlite3_free(tls, w.buf)
		w.buf, w.size = 0, 0
	}
	var err error
	if n := w.open(); n > 0 {
		err = fmt.Errorf("store: %d statements of the writer were not finalized", n)
		for st := sqlite3.Xsqlite3_next_stmt(tls, w.c.db, 0); st != 0; st = sqlite3.Xsqlite3_next_stmt(tls, w.c.db, 0) {
			sqlite3.Xsqlite3_finalize(tls, st)
		}
	}
	if cerr := w.c.Close(); cerr != nil {
		err = cerr
	}
	return err
}

// open is how many statements of the writer's connection are not
// finalized.
func (w *directWriter) open() int {
	n := 0
	for st := sqlite3.Xsqlite3_next_stmt(w.c.tls, w.c.db, 0); st != 0; st = sqlite3.Xsqlite3_next_stmt(w.c.tls, w.c.db, st) {
		n++
	}
	return n
}

// alloc replaces the argument buffer with one of n bytes.
func (w *directWriter) alloc(n int) error {
	tls := w.c.tls
	if w.buf != 0 {
		sqlite3.Xsqlite3_free(tls, w.buf)
		w.buf, w.size = 0, 0
	}
	p := sqlite3.Xsqlite3_malloc64(tls, uint64(n))
	if p == 0 {
		return fmt.Errorf("store: out of memory for %d bytes of arguments", n)
	}
	w.buf, w.size = p, n
	return nil
}

// begin starts a write transaction that holds the fleet's write lock
// from its start, as the driver's connections do (_txlock=immediate),
// and notes where the rows it adds will begin (checkParents). On an
// error no transaction is left open.
func (w *directWriter) begin(ctx context.Context) error {
	if err := w.exec(ctx, "BEGIN IMMEDIATE", nil); err != nil {
		return err
	}
	err := w.query(ctx, "SELECT coalesce((SELECT max(id) FROM collections), 0), coalesce((SELECT max(rowid) FROM raw), 0)", nil,
		func(r scanner) error { return r.Scan(&w.lastCollection, &w.lastRaw) })
	if err != nil {
		if rerr := w.rollback(); rerr != nil {
			return rerr
		}
		return err
	}
	return nil
}

// checkParents returns SQLite's error for a failed foreign key when a
// collection the transaction added has no device, or a raw output it
// added has no collection: what SQLite's own checks of the schema's
// foreign keys (collections.device_id, raw.collection_id) refuse.
//
// The rows a transaction added are those after the last ones when it
// began: SQLite gives a row without a rowid the one after the largest
// (until the largest possible, 2^63-1), importBatch gives a collection
// the ID after the largest, and no row of either table is ever deleted,
// so that none is added below the last.
func (w *directWriter) checkParents() error {
	var orphans int64
	err := w.query(context.Background(), `SELECT
		(SELECT count(*) FROM collections c WHERE c.id > ?1 AND NOT EXISTS (SELECT 1 FROM devices d WHERE d.id = c.device_id)) +
		(SELECT count(*) FROM raw r WHERE r.rowid > ?2 AND NOT EXISTS (SELECT 1 FROM collections c WHERE c.id = r.collection_id))`,
		[]interface{}{w.lastCollection, w.lastRaw}, func(r scanner) error { return r.Scan(&orphans) })
	if err != nil {
		return err
	}
	if orphans > 0 {
		return &errDirect{code: sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY, msg: "FOREIGN KEY constraint failed"}
	}
	return nil
}

// rollback ends the transaction, if one is still open: SQLite ends it
// itself after some errors (a full disk, out of memory).
func (w *directWriter) rollback() error {
	if sqlite3.Xsqlite3_get_autocommit(w.c.tls, w.c.db) != 0 {
		return nil
	}
	return w.exec(context.Background(), "ROLLBACK", nil)
}

// commit checks the foreign keys of the rows the transaction added
// (checkParents) and commits it. On an error the transaction is left
// open, for the caller to roll back.
func (w *directWriter) commit() error {
	if err := w.checkParents(); err != nil {
		return err
	}
	return w.exec(context.Background(), "COMMIT", nil)
}

func (w *directWriter) exec(ctx context.Context, q string, args []interface{}) error {
	return w.run(ctx, q, args, nil)
}

func (w *directWriter) insert(ctx context.Context, table string, cols []string, rows []interface{}) error {
	return execRows(ctx, w, table, cols, rows)
}

func (w *directWriter) arrays() bool { return false }

func (w *directWriter) query(ctx context.Context, q string, args []interface{}, fn func(scanner) error) error {
	return w.run(ctx, q, args, fn)
}

// run runs q with args and calls fn, if not nil, for each row, until the
// rows end, fn returns an error or ctx ends (checked before the
// statement and between rows). The statement is left reset, its
// arguments cleared.
func (w *directWriter) run(ctx context.Context, q string, args []interface{}, fn func(scanner) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st, err := w.prepare(q)
	if err != nil {
		return err
	}
	tls := w.c.tls
	defer func() {
		// Reset returns the last step's error again: already returned.
		sqlite3.Xsqlite3_reset(tls, st)
		sqlite3.Xsqlite3_clear_bindings(tls, st)
		if w.size > writerBufKeep {
			w.alloc(writerBuf) // on failure the next bind allocates again
		}
	}()
	if err := w.bind(st, args); err != nil {
		return err
	}
	r := &directRows{c: w.c, st: st}
	for {
		switch rc := sqlite3.Xsqlite3_step(tls, st); rc {
		case sqlite3.SQLITE_ROW:
			if fn != nil {
				if err := fn(r); err != nil {
					return err
				}
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		case sqlite3.SQLITE_DONE:
			return nil
		default:
			return w.c.err(rc)
		}
	}
}

// prepare returns q's statement, prepared the first time, or again if
// it was finalized to make room.
func (w *directWriter) prepare(q string) (uintptr, error) {
	w.uses++
	if s, ok := w.stmts[q]; ok {
		s.used = w.uses
		return s.st, nil
	}
	tls := w.c.tls
	if len(w.stmts) >= writerStmts {
		var oldest string
		for q, s := range w.stmts {
			if oldest == "" || s.used < w.stmts[oldest].used {
				oldest = q
			}
		}
		sqlite3.Xsqlite3_finalize(tls, w.stmts[oldest].st)
		delete(w.stmts, oldest)
	}
	cq := sqlite3.Xsqlite3_malloc64(tls, uint64(len(q))+1)
	if cq == 0 {
		return 0, errors.New("store: out of memory for a statement")
	}
	defer sqlite3.Xsqlite3_free(tls, cq)
	b := unsafe.Slice((*byte)(cmem(cq)), len(q)+1)
	copy(b, q)
	b[len(q)] = 0
	pp := tls.Alloc(2 * int(unsafe.Sizeof(uintptr(0)))) // the statement and the text after it
	defer tls.Free(2 * int(unsafe.Sizeof(uintptr(0))))
	pst, ptail := pp, pp+unsafe.Sizeof(uintptr(0))
	// PERSISTENT: kept for the life of the writer, so SQLite takes its
	// memory from the heap, not from the connection's small lookaside.
	if rc := sqlite3.Xsqlite3_prepare_v3(tls, w.c.db, cq, int32(len(q)+1), sqlite3.SQLITE_PREPARE_PERSISTENT, pst, ptail); rc != sqlite3.SQLITE_OK {
		return 0, w.c.err(rc)
	}
	st := *(*uintptr)(cmem(pst))
	if st == 0 {
		return 0, fmt.Errorf("store: no statement in %.40q", q)
	}
	if rest := int(*(*uintptr)(cmem(ptail)) - cq); rest < len(q) && !blank(q[rest:]) {
		sqlite3.Xsqlite3_finalize(tls, st)
		return 0, fmt.Errorf("store: more than one statement in %.40q", q)
	}
	w.stmts[q] = &writerStmt{st: st, used: w.uses}
	return st, nil
}

// blank reports whether s is only white space, as SQLite skips it.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r', '\f':
		default:
			return false
		}
	}
	return true
}

// bind binds args to st's parameters, in order, as modernc's driver binds
// the values database/sql gives it: integers (int, int64) and booleans as
// integers, a string as text, a []byte as a blob (an empty one as an
// empty blob, a nil one as NULL, as the driver does on Linux), nil as
// NULL. Text and blobs are copied into the writer's buffer and bound in
// place (SQLITE_STATIC: the buffer is neither changed nor freed until run
// has cleared the bindings).
func (w *directWriter) bind(st uintptr, args []interface{}) error {
	tls := w.c.tls
	if n := int(sqlite3.Xsqlite3_bind_parameter_count(tls, st)); n != len(args) {
		return fmt.Errorf("store: %d arguments for %d parameters", len(args), n)
	}
	size := 0
	for _, a := range args {
		var n int
		switch a := a.(type) {
		case string:
			n = len(a)
		case []byte:
			n = len(a)
		}
		if n > math.MaxInt32 || size > math.MaxInt-n {
			return fmt.Errorf("store: an argument of %d bytes", n)
		}
		size += n
	}
	if size > w.size || w.buf == 0 {
		n := writerBuf
		if size > n {
			n = size
		}
		if err := w.alloc(n); err != nil {
			return err
		}
	}
	// There is always a buffer, so an empty text or blob is bound to a
	// pointer, which SQLite takes as empty; a NULL pointer would be NULL.
	at := 0
	for i, a := range args {
		col := int32(i + 1)
		var rc int32
		switch a := a.(type) {
		case nil:
			rc = sqlite3.Xsqlite3_bind_null(tls, st, col)
		case int64:
			rc = sqlite3.Xsqlite3_bind_int64(tls, st, col, a)
		case int:
			rc = sqlite3.Xsqlite3_bind_int64(tls, st, col, int64(a))
		case bool:
			v := int64(0)
			if a {
				v = 1
			}
			rc = sqlite3.Xsqlite3_bind_int64(tls, st, col, v)
		case string:
			p := w.buf + uintptr(at)
			at += copy(unsafe.Slice((*byte)(cmem(w.buf)), w.size)[at:], a)
			rc = sqlite3.Xsqlite3_bind_text(tls, st, col, p, int32(len(a)), 0)
		case []byte:
			if a == nil {
				rc = sqlite3.Xsqlite3_bind_null(tls, st, col)
				break
			}
			p := w.buf + uintptr(at)
			at += copy(unsafe.Slice((*byte)(cmem(w.buf)), w.size)[at:], a)
			rc = sqlite3.Xsqlite3_bind_blob(tls, st, col, p, int32(len(a)), 0)
		default:
			return fmt.Errorf("store: cannot bind %T", a)
		}
		if rc != sqlite3.SQLITE_OK {
			return w.c.err(rc)
		}
	}
	return nil
}

// importDirect is importBatch through the fleet's direct writer, opened
// the first time. A writer whose transaction could not be rolled back is
// closed (which rolls it back) and opened again for the next batch.
func (d *DB) importDirect(ctx context.Context, cs []*fleet.Collection) (res []fleet.Stored, errs []error, err error) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	if d.closed {
		return nil, nil, errors.New("store: the database is closed")
	}
	if d.w == nil {
		w, err := openWriter(d.name, d.mode == "ro")
		if err != nil {
			return nil, nil, fmt.Errorf("database %s: %w", d.name, err)
		}
		d.w = w
	}
	w := d.w
	if err := w.begin(ctx); err != nil {
		return nil, nil, err
	}
	defer func() {
		if rerr := w.rollback(); rerr != nil {
			w.Close()
			d.w = nil
		}
	}()
	return importBatch(ctx, w, cs)
}
