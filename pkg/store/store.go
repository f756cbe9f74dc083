// Package store keeps the fleet in a database: an embedded SQLite file
// (pure Go, modernc.org/sqlite), the default, or a PostgreSQL server
// (pure Go, github.com/jackc/pgx/v5) for several sites and importers.
// Open picks one by the name it is given: a postgres:// URL or a path.
// Every collection of every device is kept as history, the latest one per
// device driving reports. *DB implements fleet.Store, the same way on
// either: one set of statements, written in SQLite's SQL and rewritten
// for PostgreSQL (dialect), on schemas of the same meaning, so that the
// reports of the same bundles are byte-identical.
//
// Each batch of collections is stored in one transaction: a crash or a
// kill leaves either all of it or nothing, and a rerun imports what is
// missing. The schema version is the number of migrations applied (PRAGMA
// user_version in SQLite, the table schema_version in PostgreSQL); Open
// migrates an older database and refuses a newer one with
// fleet.ErrNewerSchema.
//
// Several processes may use one database: writers wait for each other
// (SQLite's file lock, PostgreSQL's advisory lock). SQLite's "busy"
// answers are told apart by their result codes and PostgreSQL's errors by
// their SQLSTATE, never by their text; those a transaction may simply be
// run again after are retried for as long as the busy timeout would wait.
package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode/utf8"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/actcourier/actcourier/pkg/classify"
	"github.com/actcourier/actcourier/pkg/fleet"
	"github.com/actcourier/actcourier/pkg/licensing"
)

// DB is an open fleet database.
type DB struct {
	db      *sql.DB
	dialect *dialect
	name    string // as it may be printed (Name)
	// stmts holds the statements of the import's writer through
	// database/sql (sqlTx: PostgreSQL's), prepared once: the writer runs
	// the same few shapes for every batch (insertChunk rows at a time,
	// lookups of at most chunkSize keys). modernc.org/sqlite prepares a
	// *sql.Stmt anew on every execution all the same, one reason why a
	// SQLite fleet's batches go through directWriter.
	stmts sync.Map // SQL text -> *sql.Stmt
	mode  string   // a SQLite fleet's: "rwc", "rw" or "ro" (open)
	// w is a SQLite fleet's writer (importDirect), opened by the first
	// batch; wmu lets one batch at a time use it, and Close close it.
	wmu    sync.Mutex
	w      *directWriter
	closed bool
}

var _ fleet.Store = (*DB)(nil)

var (
	// ErrServerGone means the connection to the PostgreSQL server broke
	// or could not be made (the server stopped, restarted or cannot be
	// reached). What was committed is whole; run the command again once
	// the server is back.
	ErrServerGone = errors.New("store: the database server could not be reached, or the connection to it was lost")
	// ErrLocked means a writer waited longer than the busy timeout for
	// another one.
	ErrLocked = errors.New("store: another importer held the fleet's write lock too long")
	// ErrSetup means a PostgreSQL database is not set up as the fleet
	// needs it (its encoding; docs/importer.md).
	ErrSetup = errors.New("store: the database is not set up for a fleet")
	// ErrFolderReadOnly means SQLite could not make the files it keeps
	// beside the database (-wal, -shm), which it needs even to read one
	// in WAL mode: this user may not write in the database's folder.
	// Neither the file nor its fleet is at fault.
	ErrFolderReadOnly = errors.New("store: this user may not write in the database's folder, where SQLite keeps its -wal and -shm files even to read")
	// ErrFileReadOnly means this user may not write a SQLite database
	// file (its mode, a read-only attribute, a read-only medium): Open
	// and CheckWritable say so before anything is read or written, where
	// SQLite would open the file read-only and fail at the first write.
	ErrFileReadOnly = errors.New("store: this user may not write the database file")
	// ErrNoDatabase means the PostgreSQL server has no database of the
	// name given: no command creates one, its administrator does
	// (docs/importer.md, "Setting up PostgreSQL"). Open and OpenExisting
	// return it in a *NoFleetError, so that it is also fs.ErrNotExist.
	ErrNoDatabase = errors.New("store: the PostgreSQL database does not exist")
)

// busyWait is how long a writer waits for another one: SQLite's busy
// timeout, and the retries of answers that come back busy at once.
const busyWait = 30 * time.Second

// Stored times are UTC text of one fixed width per column, so that both
// stores' SQL, which compares them as text, orders them as times. Before
// schema 7 they were RFC3339Nano, which drops a fraction's trailing
// zeros: within a second "…:00Z" sorted after "…:00.5Z", and ".5Z" after
// ".55Z" (migration 7 rewrote them). Only years 1 to 9999 reach the
// store, so the year has four digits: every stored snapshot passes
// licensing.Unmarshal's bounds (fleet.NewCollection), which make any
// other collection time unknown (zero, stored as year 1); imports take
// the clock's time; storedTime stores any other activation time as
// unknown ("").
const (
	// collectedFormat is a collection's time (collected_at): whole
	// seconds, the fraction cut off. A device's latest collection is its
	// newest collected_at and, of several in one second, the one imported
	// last (the highest id: latestCollection). A collector's created_at
	// has whole seconds (bundle/SPEC.md); only a text import's file time
	// or a forged bundle has a fraction, which is no reason to order one
	// second's collections otherwise than whole seconds are.
	collectedFormat = "2006-01-02T15:04:05Z"
	// timeFormat is every other stored time (imported_at, first_seen and
	// the activation tables'): nanoseconds, always nine digits. The
	// archive of CIDs is read in import order and return items in the
	// order written, both by their times as text, and the activation path
	// compares a CID's import time with a proof's to the nanosecond: cut
	// to seconds, two imports within a second would order by file name.
	timeFormat = "2006-01-02T15:04:05.000000000Z"
)

// parseTime reads a stored time: RFC3339Nano reads both formats, and
// the times every version before schema 7 stored.
func parseTime(s string) (time.Time, error) { return time.Parse(time.RFC3339Nano, s) }

// NoFleetError is OpenExisting's error for a database that does not
// exist, or holds no fleet (Err says which, when the name does not), and
// Open's for a PostgreSQL database that does not exist (ErrNoDatabase),
// which it does not create. It wraps fs.ErrNotExist and Err.
type NoFleetError struct {
	Name string // as it may be printed
	Err  error  // nil for a SQLite file that is not there
}

func (e *NoFleetError) Error() string {
	if e.Err == nil {
		return "no fleet database " + e.Name
	}
	return "no fleet database " + e.Name + ": " + e.Err.Error()
}

func (e *NoFleetError) Unwrap() []error {
	if e.Err == nil {
		return []error{fs.ErrNotExist}
	}
	return []error{fs.ErrNotExist, e.Err}
}

// Open opens the fleet database named by dsn and brings its schema up to
// date: a PostgreSQL database (a postgres:// or postgresql:// URL, in
// pgx's form: sslmode and the other libpq settings, and the PG*
// environment variables) or a SQLite file, created when missing. A
// PostgreSQL database itself is never created: its administrator does
// (docs/importer.md).
func Open(dsn string) (*DB, error) {
	if isPostgres(dsn) {
		return openPostgres(dsn, false)
	}
	if why := notAFile(dsn); why != "" {
		return nil, fmt.Errorf("database %s: %s", Name(dsn), why)
	}
	if err := CheckWritable(dsn); err != nil {
		return nil, err
	}
	return open(dsn, "rwc")
}

// CheckWritable returns an error wrapping ErrFileReadOnly when dsn names
// a SQLite file that is there and that this user may not write; nil for
// any other dsn (a file not there yet, a PostgreSQL database, whose
// role's rights show at the first write). Open checks it; a command that
// reads the fleet with OpenExisting, then writes it, checks it first.
func CheckWritable(dsn string) error {
	if isPostgres(dsn) || notAFile(dsn) != "" {
		return nil
	}
	// Opened for writing, not written: the mode, a read-only attribute
	// on Windows and a read-only mount all refuse here.
	f, err := os.OpenFile(dsn, os.O_WRONLY, 0)
	if err == nil {
		return f.Close()
	}
	if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the file is named once
		}
		return fmt.Errorf("database %s: %w (%v)", dsn, ErrFileReadOnly, err)
	}
	return nil
}

// Missing reports whether dsn names a SQLite file that is not there,
// which Open would create. Its error is Open's for a dsn that is no
// SQLite path nor postgres:// URL (a mistyped connection string). A
// PostgreSQL database is never missing here: Open never creates one.
func Missing(dsn string) (bool, error) {
	if isPostgres(dsn) {
		return false, nil
	}
	if why := notAFile(dsn); why != "" {
		return false, fmt.Errorf("database %s: %s", Name(dsn), why)
	}
	_, err := os.Stat(dsn)
	return errors.Is(err, fs.ErrNotExist), nil
}

// OpenExisting opens the database dsn names, as Open does, but never
// creates one: a missing file, or a PostgreSQL database that does not
// exist or holds no fleet, is a *NoFleetError (fs.ErrNotExist). The
// commands that only read the fleet use it.
func OpenExisting(dsn string) (*DB, error) {
	if isPostgres(dsn) {
		return openPostgres(dsn, true)
	}
	if why := notAFile(dsn); why != "" {
		return nil, fmt.Errorf("database %s: %s", Name(dsn), why)
	}
	path := dsn
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, &NoFleetError{Name: path}
	} else if err != nil {
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	// mode=rw: SQLite itself refuses to create the file should it vanish
	// in between.
	return open(path, "rw")
}

func open(path, mode string) (*DB, error) {
	pinAllocator()
	// A new database gets pages of 16 KiB rather than 4: SQLite writes
	// each page of its log in two system calls, and a collection (its
	// snapshot, some KiB) then mostly fits one page (import 8 % faster).
	// The page size of an existing database stays as it is.
	q := fmt.Sprintf("_pragma=page_size(16384)&_pragma=busy_timeout(%d)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate&mode=%s",
		busyWait.Milliseconds(), mode)
	// The path goes into a URI: escape what a URI would read otherwise.
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	db, err := openSQLite("file:" + esc + "?" + q)
	if err != nil {
		return nil, err
	}
	d := &DB{db: db, dialect: sqliteDialect, name: path, mode: mode}
	// Two importers starting on a new database race to switch it to WAL,
	// which SQLite answers with SQLITE_BUSY at once, without waiting for
	// the busy timeout.
	if err := retryBusy(context.Background(), d, d.migrate); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return d, nil
}

// busy reports whether err is SQLite's SQLITE_BUSY or SQLITE_LOCKED, with
// any extended code, from the driver or a direct connection.
func busy(err error) bool {
	switch sqliteCode(err) & 0xff {
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return true
	}
	return false
}

// readOnly reports whether SQLite refused to write a read-only file
// (SQLITE_READONLY and its extended codes).
func readOnly(err error) bool { return sqliteCode(err)&0xff == sqlite3.SQLITE_READONLY }

// folderReadOnly reports whether SQLite could not make its -wal or -shm
// file beside the database (SQLITE_READONLY_DIRECTORY, or
// SQLITE_READONLY_CANTINIT for a -shm it could not set up).
func folderReadOnly(err error) bool {
	code := sqliteCode(err)
	return code == sqlite3.SQLITE_READONLY_DIRECTORY || code == sqlite3.SQLITE_READONLY_CANTINIT
}

// sqliteCode is the (extended) result code of a SQLite error err wraps,
// from the driver or a direct connection, or 0 (SQLITE_OK) for any
// other error.
func sqliteCode(err error) int {
	var e *sqlite.Error
	var de *errDirect
	switch {
	case errors.As(err, &e):
		return e.Code()
	case errors.As(err, &de):
		return de.code
	}
	return 0
}

// retryBusy runs fn until it succeeds, fails otherwise than busy (by
// d's dialect), ctx ends or busyWait passes, backing off from 10 ms to
// 1 s. fn must leave nothing behind when it fails (a rolled back
// transaction).
func retryBusy(ctx context.Context, d *DB, fn func() error) error {
	deadline := time.Now().Add(busyWait)
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		err := fn()
		if err == nil || !d.dialect.retryable(err) || time.Now().After(deadline) {
			return err
		}
		if wait > time.Second {
			wait = time.Second
		}
		select {
		case <-time.After(wait):
		case <-ctx.Done():
			return err
		}
	}
}

// Close closes the database.
func (d *DB) Close() error {
	d.wmu.Lock()
	var err error
	if d.w != nil {
		err = d.w.Close()
		d.w = nil
	}
	d.closed = true
	d.wmu.Unlock()
	if cerr := d.db.Close(); cerr != nil {
		err = cerr
	}
	return err
}

// Name is the database as it may be printed: the path, or the
// PostgreSQL URL without its password.
func (d *DB) Name() string { return d.name }

// stmt returns query prepared once for the database, bound to tx.
func (d *DB) stmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	if s, ok := d.stmts.Load(query); ok {
		return tx.StmtContext(ctx, s.(*sql.Stmt)), nil
	}
	s, err := d.db.PrepareContext(ctx, d.q(query))
	if err != nil {
		return nil, err
	}
	if old, loaded := d.stmts.LoadOrStore(query, s); loaded {
		s.Close()
		s = old.(*sql.Stmt)
	}
	return tx.StmtContext(ctx, s), nil
}

// migrations are the schema, one step per version: version n is the
// first n applied.
var migrations = []string{
	// 1: the first schema.
	`CREATE TABLE devices (
		id INTEGER PRIMARY KEY,
		key TEXT NOT NULL UNIQUE,
		first_seen TEXT NOT NULL,
		latest_id INTEGER
	);
	CREATE TABLE collections (
		id INTEGER PRIMARY KEY,
		device_id INTEGER NOT NULL REFERENCES devices(id),
		bundle_id TEXT NOT NULL UNIQUE,
		sha256 TEXT NOT NULL,
		size INTEGER NOT NULL,
		file_name TEXT NOT NULL,
		source TEXT NOT NULL,
		generator TEXT NOT NULL,
		collected_at TEXT NOT NULL,
		imported_at TEXT NOT NULL,
		site TEXT NOT NULL,
		line TEXT NOT NULL,
		asset TEXT NOT NULL,
		hostname TEXT NOT NULL,
		engineer TEXT NOT NULL,
		category TEXT NOT NULL,
		kms_client INTEGER NOT NULL DEFAULT 0,
		kms_server INTEGER NOT NULL DEFAULT 0,
		kms_office INTEGER NOT NULL DEFAULT 0,
		snapshot TEXT NOT NULL
	);
	CREATE INDEX collections_device ON collections(device_id, collected_at);
	-- products is a view over the stored snapshots: the same columns as a
	-- table, for SQL users, at no cost to imports.
	CREATE VIEW products AS
		SELECT c.id AS collection_id, p.key AS seq, p.value->>'kind' AS kind, p.value->>'name' AS name,
			p.value->>'channel' AS channel, p.value->>'license_status' AS license_status,
			p.value->>'grace_minutes' AS grace_minutes, coalesce(p.value->>'partial_key', '') AS partial_key,
			coalesce(p.value->>'status_reason', 0) AS status_reason, p.value->>'source' AS source
		FROM collections c, json_each(c.snapshot, '$.products') p;
	CREATE TABLE raw (
		collection_id INTEGER NOT NULL REFERENCES collections(id),
		member TEXT NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (collection_id, member)
	);`,
	// 2: trust. warnings holds a collection's trust warnings
	// (fleet.WarnFuture, fleet.WarnOld), space-separated; time_ok is 0
	// when one of them is about its time, and such a collection is a
	// device's latest only when it has no other. hardware is maker and
	// model, to tell one hardware ID collected as two machines.
	`ALTER TABLE collections ADD COLUMN warnings TEXT NOT NULL DEFAULT '';
	ALTER TABLE collections ADD COLUMN time_ok INTEGER NOT NULL DEFAULT 1;
	ALTER TABLE collections ADD COLUMN hardware TEXT NOT NULL DEFAULT '';
	DROP INDEX collections_device;
	CREATE INDEX collections_device ON collections(device_id, time_ok, collected_at);`,
	// 3: the KMS hosts a collection's clients name (classify.PoolOf), as
	// JSON; NULL until computed, which Open does for older rows
	// (backfillHosts).
	`ALTER TABLE collections ADD COLUMN kms_hosts TEXT;`,
	// 4: what reports read of a device's whole history, kept with the
	// device when a batch touches it, so that reading the fleet needs no
	// subquery per device: how many collections, how many with a suspect
	// time, and the host names and models seen when there is more than
	// one of either (deviceAggregates).
	`ALTER TABLE devices ADD COLUMN collections INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE devices ADD COLUMN suspect INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE devices ADD COLUMN identities TEXT NOT NULL DEFAULT '';
	UPDATE devices SET ` + deviceAggregates + `;
	-- Reading the fleet in site, line, asset order walks this index and
	-- finds each device by its latest collection: no sort of the rows,
	-- whose snapshots are large.
	CREATE INDEX collections_place ON collections(site, line, asset);
	CREATE INDEX devices_latest ON devices(latest_id);`,
	// 5: the activation return path (activation.go).
	activationSchema,
	// 6: the identity lists made again where there is one, now that a
	// separator inside a host name or model no longer splits it
	// (identityList): a list stored before could hold entries a forged
	// bundle added.
	`UPDATE devices SET ` + identitiesAggregate + ` WHERE identities != '';`,
	// 7: every stored time in its fixed-width format (collectedFormat,
	// timeFormat).
	fixedTimes,
	// 8: the CIDs put back on file (activation.go).
	restoresSchema,
}

// latestCollection is the ID of a device's latest collection, the one
// reports read (devices.latest_id): the newest time wins, whatever order
// the bundles arrive in; a collection whose time is suspect (a forged
// future date) never wins over one whose is not; of one second, the one
// imported last.
const latestCollection = `(SELECT c.id FROM collections c WHERE c.device_id = devices.id
	ORDER BY c.time_ok DESC, c.collected_at DESC, c.id DESC LIMIT 1)`

// fixedTimes is migration 7, the same SQL on both stores: it rewrites the
// RFC3339Nano text of earlier versions. A collection time with a
// fraction is cut to the second, as imports now store it, and each
// device that had one gets its latest collection again (its aggregates
// do not depend on the order of times); every other time gets nine
// digits of fraction, the same instant (one pass over the collections,
// once). The rewrite touches only text of
// the shape RFC3339Nano gives a UTC time of years 1 to 9999 (the 20th
// character a "." or the "Z"), so an unknown time ("") stays as it is.
var fixedTimes = `UPDATE devices SET latest_id = NULL WHERE id IN (SELECT device_id FROM collections WHERE substr(collected_at, 20, 1) = '.');
	UPDATE collections SET collected_at = substr(collected_at, 1, 19) || 'Z' WHERE substr(collected_at, 20, 1) = '.';
	UPDATE devices SET latest_id = ` + latestCollection + ` WHERE latest_id IS NULL;
	UPDATE collections SET ` + nanos("imported_at") + `;
	UPDATE devices SET ` + nanos("first_seen") + `;
	UPDATE confirmation_ids SET ` + nanos("imported_at") + `;
	UPDATE confirmation_ids SET ` + nanos("obtained_at") + `;
	UPDATE return_items SET ` + nanos("written_at") + `;`

// nanos is "col = …" in timeFormat, and the condition of the rows whose
// col is RFC3339Nano text of another width: the fraction's digits, if
// any, padded with zeros to nine.
func nanos(col string) string {
	return col + ` = substr(` + col + `, 1, 19) || '.' || substr(CASE WHEN substr(` + col + `, 20, 1) = '.'
		THEN substr(` + col + `, 21, length(` + col + `) - 21) ELSE '' END || '000000000', 1, 9) || 'Z'
		WHERE length(` + col + `) <> 30 AND substr(` + col + `, 20, 1) IN ('.', 'Z')`
}

// identityList joins the values h of a device's identity, each with the
// two separators in it made U+FFFD: a forged host name can then add no
// entry to the list.
const identityList = "group_concat(replace(replace(h, char(30), char(65533)), char(31), char(65533)), char(31) ORDER BY h)"

// deviceAggregates sets a device's aggregates (schema 4) from its
// collections. The host names and models come joined by the unit
// separator, the two lists by the record separator, only when there is
// more than one of either (fleet.WarnIdentity).
//
// Each list is in byte order (SQLite's BINARY, PostgreSQL's "C"), so that
// both stores list them alike.
const deviceAggregates = `collections = (SELECT count(*) FROM collections x WHERE x.device_id = devices.id),
	suspect = (SELECT count(*) FROM collections x WHERE x.device_id = devices.id AND x.time_ok = 0), ` + identitiesAggregate

// identitiesAggregate is the identity lists' part of deviceAggregates.
const identitiesAggregate = `identities = (SELECT CASE WHEN count(DISTINCT x.hostname) > 1 OR count(DISTINCT x.hardware) > 1 THEN
		(SELECT ` + identityList + ` FROM (SELECT DISTINCT hostname AS h FROM collections y WHERE y.device_id = devices.id) AS hs) || char(30) ||
		(SELECT ` + identityList + ` FROM (SELECT DISTINCT hardware AS h FROM collections y WHERE y.device_id = devices.id) AS hs)
		ELSE '' END FROM collections x WHERE x.device_id = devices.id)`

func (d *DB) migrate() error {
	ctx := context.Background()
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return serverError(err)
	}
	defer conn.Close()
	// BEGIN IMMEDIATE (SQLite's _txlock), or PostgreSQL's advisory lock,
	// serializes two importers migrating a new database at once. A
	// database already up to date is only read: a role that may only
	// read the fleet opens it too.
	if v, err := d.dialect.version(conn); err == nil && v == len(d.dialect.migrations) {
		return nil
	}
	tx, err := conn.BeginTx(ctx, d.dialect.txOptions)
	if err != nil {
		return serverError(err)
	}
	defer tx.Rollback()
	if d.dialect.lock != "" {
		if _, err := tx.ExecContext(ctx, d.dialect.lock); err != nil {
			return serverError(err)
		}
	}
	v, err := d.dialect.version(tx)
	if errors.Is(err, errNoFleet) {
		v, err = 0, nil // a new PostgreSQL database
	}
	if err != nil {
		return serverError(err)
	}
	migrations := d.dialect.migrations
	if v > len(migrations) {
		return fmt.Errorf("%w (schema %d, this importer knows %d): update the importer", fleet.ErrNewerSchema, v, len(migrations))
	}
	from := v
	for ; v < len(migrations); v++ {
		if _, err := tx.Exec(migrations[v]); err != nil {
			return fmt.Errorf("migrating to schema %d: %w", v+1, serverError(err))
		}
	}
	if from > 0 && from < 3 {
		if err := d.backfillHosts(ctx, tx); err != nil {
			return fmt.Errorf("migrating to schema 3: %w", err)
		}
	}
	if err := d.dialect.setVersion(tx, v); err != nil {
		return err
	}
	return serverError(tx.Commit())
}

// backfillHosts computes kms_hosts for collections stored before schema
// 3, from their snapshots: once, when the database is migrated.
func (d *DB) backfillHosts(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, "SELECT id, snapshot FROM collections WHERE kms_hosts IS NULL")
	if err != nil {
		return err
	}
	hosts := map[int64]string{}
	for rows.Next() {
		var id int64
		var js []byte
		if err := rows.Scan(&id, &js); err != nil {
			rows.Close()
			return err
		}
		s, err := licensing.Unmarshal(js)
		if err != nil {
			hosts[id] = "[]" // unreadable: reports say so when they read it
			continue
		}
		hosts[id] = hostsJSON(classify.PoolOf(s))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, h := range hosts {
		if _, err := tx.ExecContext(ctx, d.q("UPDATE collections SET kms_hosts = ? WHERE id = ?"), h, id); err != nil {
			return err
		}
	}
	return nil
}

// hostsJSON is the stored form of a pool share's KMS hosts.
func hostsJSON(p classify.Pool) string {
	if len(p.Hosts) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(p.Hosts) // plain structs: cannot fail
	return string(b)
}

// ImportBatch stores collections in one transaction (fleet.Store). A
// duplicate or conflicting collection is found before anything of it is
// written and leaves the others stored. Batching saves the
// per-transaction cost when bundles arrive faster than one commit each.
func (d *DB) ImportBatch(ctx context.Context, cs []*fleet.Collection) (res []fleet.Stored, errs []error, err error) {
	// The busy timeout covers waiting for another writer; a new
	// connection's setup can still meet SQLITE_BUSY at once. The
	// transaction rolled back, so trying again is safe.
	err = retryBusy(ctx, d, func() error {
		var err error
		if d.dialect == sqliteDialect {
			res, errs, err = d.importDirect(ctx, cs)
		} else {
			res, errs, err = d.importDriver(ctx, cs)
		}
		return err
	})
	return res, errs, serverError(err)
}

// batchTx is a write transaction importBatch stores a batch through:
// database/sql's (sqlTx: PostgreSQL, and SQLite in the tests that hold
// the direct writer to it) or SQLite's library's (directWriter). Its
// statements are importBatch's SQL, in SQLite's dialect; each is
// prepared once.
type batchTx interface {
	// query runs q with args and calls fn for each row.
	query(ctx context.Context, q string, args []interface{}, fn func(row scanner) error) error
	// exec runs q with args.
	exec(ctx context.Context, q string, args []interface{}) error
	// insert stores rows into table, each of len(cols) values, in the
	// order of cols: all of them, or none and an error.
	insert(ctx context.Context, table string, cols []string, rows []interface{}) error
	// arrays reports whether a list of keys goes as one array parameter
	// rather than one parameter per key (oneOf).
	arrays() bool
	commit() error
}

// scanner is a row of a batchTx's query: *sql.Rows, *directRows.
type scanner interface {
	Scan(dest ...interface{}) error
}

// sqlTx is a batchTx of database/sql, its statements prepared once for
// the database (DB.stmt). Its rows go in with multi-row INSERTs
// (execRows) and its keys one parameter each or, when conn is set
// (PostgreSQL), with COPY on conn, the connection tx is open on
// (copyIn), and as arrays (oneOf).
type sqlTx struct {
	d    *DB
	tx   *sql.Tx
	conn *sql.Conn
}

func (t sqlTx) query(ctx context.Context, q string, args []interface{}, fn func(scanner) error) error {
	st, err := t.d.stmt(ctx, t.tx, q)
	if err != nil {
		return err
	}
	rows, err := st.QueryContext(ctx, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (t sqlTx) exec(ctx context.Context, q string, args []interface{}) error {
	st, err := t.d.stmt(ctx, t.tx, q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

func (t sqlTx) insert(ctx context.Context, table string, cols []string, rows []interface{}) error {
	if t.conn != nil {
		return copyIn(ctx, t.conn, table, cols, rows)
	}
	return execRows(ctx, t, table, cols, rows)
}

func (t sqlTx) arrays() bool { return t.conn != nil }

func (t sqlTx) commit() error { return t.tx.Commit() }

// importDriver is importBatch through database/sql: on PostgreSQL, its
// rows stored with COPY (copyIn) and its keys sent as arrays (oneOf).
func (d *DB) importDriver(ctx context.Context, cs []*fleet.Collection) ([]fleet.Stored, []error, error) {
	return d.importSQL(ctx, cs, d.dialect == postgresDialect)
}

// importSQL is importBatch through database/sql, in a transaction on a
// connection of its own, its rows stored with COPY and its keys sent as
// arrays when bulk (PostgreSQL only), else with multi-row INSERTs and
// a parameter per key: the tests compare the two.
func (d *DB) importSQL(ctx context.Context, cs []*fleet.Collection, bulk bool) ([]fleet.Stored, []error, error) {
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	tx, err := d.beginOn(ctx, conn)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback() // before conn.Close, which waits for the transaction to end
	t := sqlTx{d: d, tx: tx}
	if bulk {
		t.conn = conn
	}
	return importBatch(ctx, t, cs)
}

// chunkSize is how many keys one "IN (…)" lookup takes.
const chunkSize = 500

// chunks calls fn with consecutive ranges [lo, hi) of n items, at most
// size long.
func chunks(n, size int, fn func(lo, hi int) error) error {
	for lo := 0; lo < n; lo += size {
		hi := lo + size
		if hi > n {
			hi = n
		}
		if err := fn(lo, hi); err != nil {
			return err
		}
	}
	return nil
}

// marks returns "?, ?, ?" for n parameters.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }

// values returns "(?, ?), (?, ?)" for rows of cols parameters.
func values(rows, cols int) string {
	return strings.TrimSuffix(strings.Repeat("("+marks(cols)+"), ", rows), ", ")
}

func anys[T any](xs []T) []interface{} {
	out := make([]interface{}, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// oneOf is the condition that column col is one of keys, and its
// arguments: one parameter per key ("col IN (?, …)"), or when
// tx.arrays() one array of them ("col = ANY(?)", PostgreSQL's). The
// array's statement is the same text for any number of keys, prepared
// once a connection. With lists, each size of batch had statements of
// its own, parsed and planned anew: with COPY the importer's batches
// come in many sizes (the bench's 10,000 bundles: some 25 sizes from 141
// to 256), and three statements for each size up to 256 could overflow
// pgx's cache of 512 statements a connection. What it saves is small:
// the server's parse and bind of the lookups and the update took 0.08 to
// 0.14 s per 10,000 bundles with lists, 0.04 to 0.06 s with arrays
// (log_min_duration_statement, two runs each, a loaded machine); their
// execution took as long either way.
func oneOf[T any](tx batchTx, col string, keys []T) (string, []interface{}) {
	if tx.arrays() {
		return col + " = ANY(?)", []interface{}{keys}
	}
	return col + " IN (" + marks(len(keys)) + ")", anys(keys)
}

// lookup runs "SELECT k, v FROM … WHERE " + oneOf(k, keys) for keys,
// in chunks, and returns k → v.
func lookup[V any](ctx context.Context, tx batchTx, query, k string, keys []string) (map[string]V, error) {
	out := map[string]V{}
	err := chunks(len(keys), chunkSize, func(lo, hi int) error {
		cond, args := oneOf(tx, k, keys[lo:hi])
		return tx.query(ctx, query+cond, args, func(row scanner) error {
			var k string
			var v V
			if err := row.Scan(&k, &v); err != nil {
				return err
			}
			out[k] = v
			return nil
		})
	})
	return out, err
}

// insertChunk is how many rows one INSERT statement takes: few enough
// shapes to prepare each once, enough rows to make a statement worth it.
const insertChunk = 32

// execRows runs "INSERT … VALUES" into table for rows of len(cols)
// values each, insertChunk rows a statement.
func execRows(ctx context.Context, tx batchTx, table string, cols []string, args []interface{}) error {
	head, n := "INSERT OR FAIL INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ", len(cols)
	return chunks(len(args)/n, insertChunk, func(lo, hi int) error {
		return tx.exec(ctx, head+values(hi-lo, n), args[lo*n:hi*n])
	})
}

// The columns importBatch stores a new row's values in, in order.
var (
	deviceInsert     = []string{"id", "key", "first_seen", "latest_id", "collections", "suspect"}
	collectionInsert = []string{"id", "device_id", "bundle_id", "sha256", "size", "file_name", "source", "generator", "collected_at", "imported_at",
		"site", "line", "asset", "hostname", "engineer", "category", "kms_client", "kms_server", "kms_office", "snapshot", "warnings", "time_ok", "hardware", "kms_hosts"}
	rawInsert = []string{"collection_id", "member", "data"}
)

// importBatch stores a batch with a fixed number of statements, whatever
// its size: one lookup of bundle IDs, one of device keys, then the new
// rows of each table (batchTx.insert: multi-row INSERTs, or PostgreSQL's
// COPY) and the update of the devices, through tx, which it commits; the
// caller rolls tx back when it returns an error. IDs are assigned here, safely:
// the transaction holds the fleet's write lock from its first statement
// (SQLite's BEGIN IMMEDIATE, PostgreSQL's advisory lock, begin).
//
// On PostgreSQL the transaction runs at READ COMMITTED: each statement
// sees what was committed before it started, so the statements after the
// lock see every batch of the writer before, and computing a device's
// latest collection from all of its collections loses no update. Under
// REPEATABLE READ the snapshot would be taken by the lock's own statement,
// before the wait, and miss the batch waited for; SERIALIZABLE without
// the lock would abort and retry whole batches whenever two importers
// touch one device or one page of an index, which several sites
// importing at once do all the time.
func importBatch(ctx context.Context, tx batchTx, cs []*fleet.Collection) ([]fleet.Stored, []error, error) {
	res := make([]fleet.Stored, len(cs))
	errs := make([]error, len(cs))
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.BundleID
	}
	stored, err := lookup[string](ctx, tx, "SELECT bundle_id, sha256 FROM collections WHERE ", "bundle_id", ids)
	if err != nil {
		return nil, nil, err
	}
	var keep []int // collections to store
	var keys []string
	for i, c := range cs {
		sum, seen := stored[c.BundleID]
		switch {
		case seen && sum == c.SHA256:
			errs[i] = fleet.ErrDuplicate
		case seen:
			errs[i] = fleet.ErrConflict
		default:
			stored[c.BundleID] = c.SHA256 // a second copy in this batch is a duplicate
			keep = append(keep, i)
			keys = append(keys, c.DeviceKey)
		}
	}
	if len(keep) == 0 {
		return res, errs, tx.commit()
	}
	known, err := lookup[int64](ctx, tx, "SELECT key, id FROM devices WHERE ", "key", keys)
	if err != nil {
		return nil, nil, err
	}
	var nextDevice, nextCollection int64
	if err := tx.query(ctx, "SELECT coalesce((SELECT max(id) FROM devices), 0), coalesce((SELECT max(id) FROM collections), 0)", nil,
		func(row scanner) error { return row.Scan(&nextDevice, &nextCollection) }); err != nil {
		return nil, nil, err
	}
	now := time.Now().UTC().Format(timeFormat)
	var newDevices, collections, raws []interface{}
	// A device new in this batch gets its aggregates in its insert:
	// with one collection, that one is its latest, and its identities
	// are none (deviceAggregates). Only the others, touched, are updated
	// from their collections; on a new fleet that update was a fifth of
	// the writer's work.
	type fresh struct {
		key                    string
		latest, count, suspect int64
	}
	var created []int64 // in order of creation
	news := map[int64]*fresh{}
	var touched []int64
	for _, i := range keep {
		c, r := cs[i], &res[i]
		if id, ok := known[c.DeviceKey]; ok {
			r.DeviceID = id
		} else {
			nextDevice++
			r.DeviceID, r.NewDevice = nextDevice, true
			known[c.DeviceKey] = r.DeviceID
			created = append(created, r.DeviceID)
			news[r.DeviceID] = &fresh{key: c.DeviceKey}
		}
		nextCollection++
		r.CollectionID = nextCollection
		ctx := c.Snapshot.Context
		timeOK := 1
		if fleet.HasTimeWarning(c.Warnings) {
			timeOK = 0
		}
		if f := news[r.DeviceID]; f != nil {
			f.latest, f.count, f.suspect = r.CollectionID, f.count+1, f.suspect+int64(1-timeOK)
			if f.count == 2 { // which is latest, and its identities, are SQL's to say
				touched = append(touched, r.DeviceID)
			}
		} else {
			touched = append(touched, r.DeviceID)
		}
		collections = append(collections, r.CollectionID, r.DeviceID, c.BundleID, c.SHA256, c.Size, c.FileName, string(c.Origin), c.Generator,
			ctx.Collected.UTC().Format(collectedFormat), now, ctx.Site, ctx.Line, ctx.Asset, c.Snapshot.OS.Hostname,
			ctx.Engineer, string(c.Category), c.Pool.Client, c.Pool.Server, c.Pool.Office, string(c.JSON),
			strings.Join(c.Warnings, " "), timeOK, c.Hardware, hostsJSON(c.Pool))
		for _, raw := range c.Raw {
			raws = append(raws, r.CollectionID, raw.Member, raw.Data)
		}
	}
	for _, id := range created {
		f := news[id]
		newDevices = append(newDevices, id, f.key, now, f.latest, f.count, f.suspect)
	}
	for _, ins := range []struct {
		table string
		cols  []string
		rows  []interface{}
	}{
		{"devices", deviceInsert, newDevices},
		{"collections", collectionInsert, collections},
		{"raw", rawInsert, raws},
	} {
		if err := tx.insert(ctx, ins.table, ins.cols, ins.rows); err != nil {
			return nil, nil, err
		}
	}
	// The latest collection drives reports (latestCollection).
	err = chunks(len(touched), chunkSize, func(lo, hi int) error {
		cond, args := oneOf(tx, "id", touched[lo:hi])
		return tx.exec(ctx, `UPDATE devices SET latest_id = `+latestCollection+`, `+deviceAggregates+`
			WHERE `+cond, args)
	})
	if err != nil {
		return nil, nil, err
	}
	if err := tx.commit(); err != nil {
		return nil, nil, err
	}
	return res, errs, nil
}

// deviceCols are the columns scanDevice reads: the device's aggregates
// as kept (schema 4).
const deviceCols = `d.id, d.key, c.id, c.bundle_id, c.sha256, c.size, c.file_name, c.source, c.generator, c.collected_at, c.imported_at,
	c.site, c.line, c.asset, c.hostname, c.engineer, c.category, c.warnings, d.collections, d.suspect, d.identities`

// deviceColsUntil are deviceCols with the aggregates of the collections
// before until only: the fleet as it was then. The counts are
// latestUntil's (a). The identity lists are made again only for a device
// that has them now: fewer collections have no more host names or models
// than all of its, and making them for every device was half the CPU of
// these aggregates (1.0 of 2.0 s for 100,000 devices on SQLite, with a
// third of them listing two names). Their parameters are until, three
// times.
var deviceColsUntil = strings.NewReplacer(
	"d.collections", "a.collections",
	"d.suspect", "a.suspect",
	"d.identities", `CASE WHEN d.identities = '' THEN '' ELSE (SELECT CASE WHEN count(DISTINCT x.hostname) > 1 OR count(DISTINCT x.hardware) > 1 THEN
		(SELECT `+identityList+` FROM (SELECT DISTINCT hostname AS h FROM collections y WHERE y.device_id = d.id AND `+before("y")+`) AS hs) || char(30) ||
		(SELECT `+identityList+` FROM (SELECT DISTINCT hardware AS h FROM collections y WHERE y.device_id = d.id AND `+before("y")+`) AS hs)
		ELSE '' END FROM collections x WHERE x.device_id = d.id AND `+before("x")+`) END`,
).Replace(deviceCols)

// deviceScanner reads rows of deviceCols (and the snapshot, withJSON)
// into devices. One serves all the rows of a query: the destinations
// Scan needs are made once, not for every device of a fleet.
type deviceScanner struct {
	dv                                                          fleet.Device
	origin, category, collected, imported, warnings, identities string
	dest                                                        []interface{}
}

func newDeviceScanner(withJSON bool) *deviceScanner {
	s := &deviceScanner{}
	dv := &s.dv
	s.dest = []interface{}{&dv.ID, &dv.Key, &dv.CollectionID, &dv.BundleID, &dv.SHA256, &dv.Size, &dv.FileName, &s.origin, &dv.Generator,
		&s.collected, &s.imported, &dv.Site, &dv.Line, &dv.Asset, &dv.Hostname, &dv.Engineer, &s.category, &s.warnings, &dv.Collections,
		&dv.SuspectTimes, &s.identities}
	if withJSON {
		s.dest = append(s.dest, &dv.JSON)
	}
	return s
}

func (s *deviceScanner) scan(sc interface{ Scan(...interface{}) error }) (fleet.Device, error) {
	s.dv = fleet.Device{}
	if err := sc.Scan(s.dest...); err != nil {
		return fleet.Device{}, err
	}
	dv := s.dv
	dv.Origin, dv.Category, dv.Warnings = fleet.Origin(s.origin), classify.Category(s.category), strings.Fields(s.warnings)
	if hosts, hw, ok := strings.Cut(s.identities, "\x1e"); ok {
		dv.Hostnames, dv.Hardware = strings.Split(hosts, "\x1f"), strings.Split(hw, "\x1f")
	}
	var err error
	if dv.CollectedAt, err = parseTime(s.collected); err != nil {
		return dv, fmt.Errorf("device %q: stored collection time: %w", dv.Key, err)
	}
	if dv.ImportedAt, err = parseTime(s.imported); err != nil {
		return dv, fmt.Errorf("device %q: stored import time: %w", dv.Key, err)
	}
	return dv, nil
}

// Latest calls fn with the latest collection of every device that f
// selects, before f.Until when it is set (fleet.Store). It streams: a fleet of any size is read one
// device at a time.
func (d *DB) Latest(ctx context.Context, f fleet.Filter, withJSON bool, fn func(fleet.Device) error) error {
	if !isText(f.Site) || !isText(f.Line) {
		return nil // no stored site or line is
	}
	q, args, err := d.latestQuery(ctx, f, withJSON)
	if err != nil {
		return err
	}
	if d.dialect == sqliteDialect {
		return d.latestDirect(ctx, q, args, withJSON, fn)
	}
	return d.latestDriver(ctx, q, args, withJSON, fn)
}

// latestQuery is Latest's query and its arguments.
func (d *DB) latestQuery(ctx context.Context, f fleet.Filter, withJSON bool) (string, []interface{}, error) {
	until, err := d.until(ctx, f.Until)
	if err != nil {
		return "", nil, err
	}
	cols, args := deviceCols, []interface{}(nil)
	if !until.IsZero() {
		// The aggregates, too, stop at Until; their parameters come
		// first, and are the same.
		cols = deviceColsUntil
		t := until.UTC().Format(collectedFormat)
		args = []interface{}{t, t, t}
	}
	if withJSON && !until.IsZero() && d.dialect == sqliteDialect {
		q, more := sortedUntil(until, f)
		return q, append(args, more...), nil
	}
	if withJSON {
		cols += ", c.snapshot"
	}
	q, args := latestFrom(cols, until, args, f)
	q += " ORDER BY c.site, c.line, c.asset, d.key"
	if f.Limit > 0 {
		q += " LIMIT " + strconv.Itoa(f.Limit)
	}
	return q, args, nil
}

// sortedUntil is Latest's query with snapshots of the fleet as of until
// on SQLite, with the parameters of its FROM clause and f's (those of
// deviceColsUntil, which come first, are the caller's). It sorts the
// devices' IDs, counts and latest collection's ID in place order first,
// and reads the columns and snapshots of each device after: SQLite's
// sorter copies every column of a row it sorts, and the snapshots,
// 170 MB for 100,000 devices, made the sort 1.1 to 1.3 s of the query's
// 3.4 to 3.8 s of CPU. Sorting the IDs, then looking up each device and
// collection again by rowid: 2.07 to 3.11 s against 2.50 to 3.68 (10
// pairs alternated, medians 2.83 and 3.17; docs/performance.md, the
// twenty-first round).
//
// The sorted subquery is the outer loop (CROSS JOIN) and SQLite reads it
// as a co-routine, in its order. Its LIMIT, -1 for none, keeps that
// order: since 3.41 SQLite drops the ORDER BY of a subquery that is one
// term of a join and has no LIMIT, as SQL lets it (TestLatestUntilOrder).
// PostgreSQL gives no such order to a join's rows: it sorts the rows
// whole (latestFrom).
func sortedUntil(until time.Time, f fleet.Filter) (string, []interface{}) {
	from, args := latestUntil(until)
	inner, args := placeIn("SELECT a.device_id, a.collections, a.suspect, a.latest_id FROM "+from+" WHERE 1=1", args, f)
	limit := "-1"
	if f.Limit > 0 {
		limit = strconv.Itoa(f.Limit)
	}
	inner += " ORDER BY c.site, c.line, c.asset, d.key LIMIT " + limit
	return "SELECT " + deviceColsUntil + ", c.snapshot FROM (" + inner + ") a " +
		"CROSS JOIN devices d ON d.id = a.device_id CROSS JOIN collections c ON c.id = a.latest_id", args
}

// latestFrom selects cols of the latest collections before until (all
// when it is zero) that f selects, with args (the parameters of cols)
// and those of the FROM clause and f's after them.
func latestFrom(cols string, until time.Time, args []interface{}, f fleet.Filter) (string, []interface{}) {
	// The whole fleet as it is: walk collections in site, line, asset
	// order (index collections_place; CROSS JOIN keeps SQLite from
	// choosing another order) and keep the latest of each device, so
	// that the rows, each with its large snapshot, are never sorted.
	from := "collections c CROSS JOIN devices d ON d.latest_id = c.id"
	if !until.IsZero() {
		var more []interface{}
		from, more = latestUntil(until)
		args = append(args, more...)
	}
	return placeIn("SELECT "+cols+" FROM "+from+" WHERE 1=1", args, f)
}

// placeIn adds to q, a query on collections c, f's site and line, and
// their parameters to args.
func placeIn(q string, args []interface{}, f fleet.Filter) (string, []interface{}) {
	if f.Site != "" {
		q += " AND c.site = ?"
		args = append(args, f.Site)
	}
	if f.Line != "" {
		q += " AND c.line = ?"
		args = append(args, f.Line)
	}
	return q, args
}

// Lines calls fn with the site and line of every line that holds a
// device f selects (its latest collection before f.Until, when set), in
// the order Latest reads them (fleet.Store). f.Limit is not applied.
// Only the index is read: 0.08 s for 100,000 devices on SQLite.
func (d *DB) Lines(ctx context.Context, f fleet.Filter, fn func(site, line string) error) error {
	if !isText(f.Site) || !isText(f.Line) {
		return nil // no stored site or line is
	}
	until, err := d.until(ctx, f.Until)
	if err != nil {
		return err
	}
	q, args := latestFrom("DISTINCT c.site, c.line", until, nil, f)
	rows, err := d.db.QueryContext(ctx, d.q(q+" ORDER BY c.site, c.line"), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var site, line string
		if err := rows.Scan(&site, &line); err != nil {
			return err
		}
		if err := fn(site, line); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LeftOut counts, per site and line of their latest collection, the
// devices f selects that have no collection before f.Until: the fleet
// as it was then leaves them out (fleet.Store). With f.Until zero or
// after every collection it reports false and reads no device: that
// fleet is the fleet as it is, and a report of it pays one max() query.
// Otherwise one count, each device by one step in the index
// collections_device.
func (d *DB) LeftOut(ctx context.Context, f fleet.Filter, fn func(site, line string, n int) error) (bool, error) {
	until, err := d.until(ctx, f.Until)
	if err != nil || until.IsZero() {
		return false, err
	}
	if !isText(f.Site) || !isText(f.Line) {
		return true, nil // no stored site or line is
	}
	q, args := placeIn(`SELECT c.site, c.line, count(*) FROM devices d JOIN collections c ON c.id = d.latest_id
		WHERE NOT EXISTS (SELECT 1 FROM collections x WHERE x.device_id = d.id AND `+before("x")+`)`,
		[]interface{}{until.UTC().Format(collectedFormat)}, f)
	rows, err := d.db.QueryContext(ctx, d.q(q+" GROUP BY c.site, c.line ORDER BY c.site, c.line"), args...)
	if err != nil {
		return true, err
	}
	defer rows.Close()
	for rows.Next() {
		var site, line string
		var n int
		if err := rows.Scan(&site, &line, &n); err != nil {
			return true, err
		}
		if err := fn(site, line, n); err != nil {
			return true, err
		}
	}
	return true, rows.Err()
}

// latestDriver runs Latest's query through database/sql: on PostgreSQL,
// and in the tests that hold latestDirect to it.
func (d *DB) latestDriver(ctx context.Context, q string, args []interface{}, withJSON bool, fn func(fleet.Device) error) error {
	rows, err := d.db.QueryContext(ctx, d.q(q), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	sc := newDeviceScanner(withJSON)
	for rows.Next() {
		dv, err := sc.scan(rows)
		if err != nil {
			return err
		}
		if err := fn(dv); err != nil {
			return err
		}
	}
	return rows.Err()
}

// latestDirect runs Latest's query on a SQLite fleet through a
// connection of its own (directConn: about twice as fast as the driver
// for a whole fleet).
func (d *DB) latestDirect(ctx context.Context, q string, args []interface{}, withJSON bool, fn func(fleet.Device) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c, err := openDirect(d.name, false)
	if err != nil {
		return fmt.Errorf("database %s: %w", d.name, err)
	}
	defer c.Close()
	sc := newDeviceScanner(withJSON)
	return c.query(ctx, q, args, func(r *directRows) error {
		dv, err := sc.scan(r)
		if err != nil {
			return err
		}
		return fn(dv)
	})
}

// until returns t, or zero when no collection is as late as t: then the
// fleet as it was at t is the fleet as it is, and it is read from what
// each device keeps (a report as of today, the usual case).
func (d *DB) until(ctx context.Context, t time.Time) (time.Time, error) {
	if t.IsZero() {
		return t, nil
	}
	var last sql.NullString
	if err := d.db.QueryRowContext(ctx, "SELECT max(collected_at) FROM collections").Scan(&last); err != nil {
		return t, err
	}
	if !last.Valid || last.String < t.UTC().Format(collectedFormat) {
		return time.Time{}, nil
	}
	return t, nil
}

// latestUntil is the FROM clause of each device d and its latest
// collection c before until, by the same rule as devices.latest_id (a
// suspect time never wins), with a: the device's collections before
// until (a.collections), and how many of them have a suspect time
// (a.suspect). Its parameters are until, twice.
//
// One pass over the index collections_device groups the collections by
// device; each group's latest is then a subquery, one backward step in
// that index. A device with no collection before until has no group, and
// is left out. The groups, not devices, lead the join: PostgreSQL, given
// the subquery as the join condition (c.id = (SELECT …)), hashed every
// collection with its snapshot and ran the subquery twice per device.
// On 100,000 devices and 226,000 collections (docs/performance.md, the
// twentieth round), Latest's query with deviceColsUntil took 2.5 to 2.9
// s of CPU on SQLite where a subquery per device for the join and for
// each count took 3.4 to 3.7 s, and 4.2 to 4.6 s on PostgreSQL against
// 7.6 s. Reading the rows in the order of collections_place, as the
// fleet as it is is read, so that they are not sorted, was no faster on
// SQLite (2.5 to 3.6 s, the latest of each device kept through an IN
// list): the sort is 0.8 s, and the walk finds every collection, not
// only the latest. A window function (row_number() partitioned by
// device) chose the same collections and was slower, the round before:
// devices --as-of 9.4 s against 8.1 s of CPU on SQLite, no clear gain on
// PostgreSQL.
func latestUntil(until time.Time) (string, []interface{}) {
	t := until.UTC().Format(collectedFormat)
	return `(SELECT x.device_id, count(*) AS collections, sum(CASE WHEN x.time_ok = 0 THEN 1 ELSE 0 END) AS suspect,
			(SELECT y.id FROM collections y WHERE y.device_id = x.device_id AND ` + before("y") + `
				ORDER BY y.time_ok DESC, y.collected_at DESC, y.id DESC LIMIT 1) AS latest_id
		FROM collections x WHERE ` + before("x") + ` GROUP BY x.device_id) a
		CROSS JOIN devices d ON d.id = a.device_id CROSS JOIN collections c ON c.id = a.latest_id`, []interface{}{t, t}
}

// before is the condition "collected before the parameter" on the
// collections aliased t. The parameter is a time in collectedFormat, as
// stored: whole seconds, so a collection within that second is not
// before it.
func before(t string) string { return t + ".collected_at < ?" }

// Find returns the devices whose key, asset tag, host name, device ID or
// bundle ID is ref, case-insensitive (fleet.Store). When no device's
// latest collection has ref as its asset tag or host name, the devices
// that had it in an earlier collection are returned.
//
// Case is folded in ASCII only, as SQLite's lower() and PostgreSQL's in
// the "C" collation do: ref is folded here (lowerASCII), so that the
// database's collation never applies to it.
func (d *DB) Find(ctx context.Context, ref string) ([]fleet.Device, error) {
	if !isText(ref) {
		return nil, fmt.Errorf("%w: %q", fleet.ErrNotFound, ref) // no stored name is
	}
	q := "SELECT " + deviceCols + `, c.snapshot FROM devices d JOIN collections c ON c.id = d.latest_id
		WHERE lower(d.key) = ?2 OR lower(c.asset) = ?2 OR lower(c.hostname) = ?2 OR CAST(d.id AS TEXT) = ?1
		OR d.id IN (SELECT device_id FROM collections WHERE bundle_id = ?2)
		ORDER BY d.id`
	out, err := d.devices(ctx, q, ref, lowerASCII(ref))
	if err == nil && len(out) == 0 {
		out, err = d.findEarlier(ctx, ref)
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %q", fleet.ErrNotFound, ref)
	}
	return out, nil
}

// findEarlier returns the devices that had ref as asset tag or host name
// in any collection, with their latest collection.
func (d *DB) findEarlier(ctx context.Context, ref string) ([]fleet.Device, error) {
	q := "SELECT " + deviceCols + `, c.snapshot FROM devices d JOIN collections c ON c.id = d.latest_id
		WHERE d.id IN (SELECT device_id FROM collections WHERE lower(asset) = ?1 OR lower(hostname) = ?1)
		ORDER BY d.id`
	return d.devices(ctx, q, lowerASCII(ref))
}

// isText reports whether s is UTF-8 without NUL, as every stored name
// is: PostgreSQL refuses any other as a parameter, where SQLite would
// find nothing.
func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }

// lowerASCII folds A-Z to a-z and leaves every other byte.
func lowerASCII(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// History returns every collection of a device, newest first
// (fleet.Store).
func (d *DB) History(ctx context.Context, deviceID int64) ([]fleet.Device, error) {
	q := "SELECT " + deviceCols + `, c.snapshot FROM collections c JOIN devices d ON d.id = c.device_id
		WHERE d.id = ? ORDER BY c.collected_at DESC, c.id DESC`
	return d.devices(ctx, q, deviceID)
}

// devices runs a query of deviceCols and the snapshot and reads all rows.
func (d *DB) devices(ctx context.Context, q string, args ...interface{}) ([]fleet.Device, error) {
	rows, err := d.db.QueryContext(ctx, d.q(q), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fleet.Device
	sc := newDeviceScanner(true)
	for rows.Next() {
		dv, err := sc.scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, dv)
	}
	return out, rows.Err()
}

// Pools sums, per site, the pool shares stored with every device's latest
// collection before until, or latest of all when until is zero, KMS hosts
// merged by name (fleet.Store).
func (d *DB) Pools(ctx context.Context, until time.Time) (map[string]classify.Pool, error) {
	// Until after every collection is the fleet as it is, by the index.
	until, err := d.until(ctx, until)
	if err != nil {
		return nil, err
	}
	from, args := "devices d JOIN collections c ON c.id = d.latest_id", []interface{}(nil)
	if !until.IsZero() {
		from, args = latestUntil(until)
	}
	rows, err := d.db.QueryContext(ctx, d.q(`SELECT c.site, sum(c.kms_client), sum(c.kms_server), sum(c.kms_office),
		json_group_array(json(coalesce(c.kms_hosts, '[]'))) FILTER (WHERE c.kms_hosts NOT IN ('', '[]'))
		FROM `+from+` GROUP BY c.site`), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]classify.Pool{}
	for rows.Next() {
		var site string
		var hosts sql.NullString // PostgreSQL's json_agg of no rows is NULL
		var p classify.Pool
		if err := rows.Scan(&site, &p.Client, &p.Server, &p.Office, &hosts); err != nil {
			return nil, err
		}
		var shares [][]classify.KMSHost
		if !hosts.Valid {
			hosts.String = "[]"
		}
		if err := json.Unmarshal([]byte(hosts.String), &shares); err != nil {
			return nil, fmt.Errorf("site %q: stored KMS hosts: %w", site, err)
		}
		for _, h := range shares {
			p.Merge(classify.Pool{Hosts: h})
		}
		out[site] = p
	}
	return out, rows.Err()
}

// RawFor returns the raw members of several collections at once, by
// collection ID, each cut to maxBytes (fleet.Store). On SQLite they are
// read through a connection of its own (rawDirect), as Latest's are:
// every line of a report asks for its devices'.
func (d *DB) RawFor(ctx context.Context, ids []int64, maxBytes int) (map[int64][]fleet.Raw, error) {
	if d.dialect == sqliteDialect {
		return d.rawDirect(ctx, ids, maxBytes)
	}
	return d.rawDriver(ctx, ids, maxBytes)
}

// rawQuery is RawFor's query for n collections, and its arguments.
func rawQuery(ids []int64, maxBytes int) (string, []interface{}) {
	return "SELECT collection_id, member, substr(data, 1, ?), length(data) FROM raw WHERE collection_id IN (" +
		marks(len(ids)) + ") ORDER BY collection_id, member", append([]interface{}{maxBytes}, anys(ids)...)
}

// scanRaw reads a row of rawQuery into out.
func scanRaw(sc interface{ Scan(...interface{}) error }, out map[int64][]fleet.Raw) error {
	var id int64
	var r fleet.Raw
	if err := sc.Scan(&id, &r.Member, &r.Data, &r.Size); err != nil {
		return err
	}
	out[id] = append(out[id], r)
	return nil
}

// rawDriver runs RawFor's queries through database/sql: on PostgreSQL,
// and in the tests that hold rawDirect to it.
func (d *DB) rawDriver(ctx context.Context, ids []int64, maxBytes int) (map[int64][]fleet.Raw, error) {
	out := map[int64][]fleet.Raw{}
	err := chunks(len(ids), chunkSize, func(lo, hi int) error {
		q, args := rawQuery(ids[lo:hi], maxBytes)
		rows, err := d.db.QueryContext(ctx, d.q(q), args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scanRaw(rows, out); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	return out, err
}

// rawDirect runs RawFor's queries on a SQLite fleet through a connection
// of its own (directConn), opened for the call: the lines' workers each
// read their own at once.
func (d *DB) rawDirect(ctx context.Context, ids []int64, maxBytes int) (map[int64][]fleet.Raw, error) {
	out := map[int64][]fleet.Raw{}
	if len(ids) == 0 {
		return out, nil // as the driver: no query
	}
	if err := ctx.Err(); err != nil {
		return out, err
	}
	c, err := openDirect(d.name, false)
	if err != nil {
		return out, fmt.Errorf("database %s: %w", d.name, err)
	}
	defer c.Close()
	err = chunks(len(ids), chunkSize, func(lo, hi int) error {
		q, args := rawQuery(ids[lo:hi], maxBytes)
		return c.query(ctx, q, args, func(r *directRows) error { return scanRaw(r, out) })
	})
	return out, err
}

// Counts returns how many devices, collections and raw members are stored.
func (d *DB) Counts(ctx context.Context) (devices, collections, raw int, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM devices), (SELECT count(*) FROM collections),
		(SELECT count(*) FROM raw)`).Scan(&devices, &collections, &raw)
	return
}

// Check checks the database and returns "ok", or what is wrong: SQLite's
// integrity_check, then on either store that every device's latest
// collection and aggregates are what its collections make them (a lost
// update of a device would show here).
func (d *DB) Check(ctx context.Context) (string, error) {
	if d.dialect == sqliteDialect {
		var s string
		if err := d.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s); err != nil || s != "ok" {
			return s, err
		}
	}
	var bad int
	var key sql.NullString
	err := d.db.QueryRowContext(ctx, d.q(`SELECT count(*), min(key) FROM devices
		WHERE latest_id IS NULL OR latest_id <> `+latestCollection+`
		OR collections <> (SELECT count(*) FROM collections c WHERE c.device_id = devices.id)`)).Scan(&bad, &key)
	if err != nil {
		return "", err
	}
	if bad == 0 {
		return "ok", nil
	}
	return fmt.Sprintf("%d devices whose latest collection or count is not that of their collections (the first: %s)", bad, key.String), nil
}
