package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/actcourier/actcourier/pkg/fleet"
)

// PostgreSQL is the store of several sites and importers (docs/importer.md,
// "Choosing a store"). It runs the same statements as SQLite, rewritten
// by pgRewrite, on a schema of the same meaning (pgMigrations): text
// times compared as text, text columns in the "C" collation so that they
// sort and fold case byte for byte as SQLite's do, whatever the
// database's own collation. Reports from either are byte-identical.
//
// Writers serialize on one transaction-scoped advisory lock (writeLock),
// taken first in each write transaction at READ COMMITTED, as SQLite's
// BEGIN IMMEDIATE serializes them on a file: see importBatch and
// docs/importer.md for why.

// isPostgres reports whether dsn names a PostgreSQL database rather than
// a SQLite file.
func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// connKeyword is the start of a connection string in libpq's key=value
// form, which pgx reads but Open does not.
var connKeyword = regexp.MustCompile(`(?i)^\s*(host|hostaddr|port|dbname|user|password|passfile|sslmode|service|connect_timeout)\s*=`)

// notAFile reports why dsn, which is no postgres:// URL, is not a SQLite
// file's path either but a mistyped connection string, or "": opened as a
// path it would make a new, empty fleet in a file of that name, and be
// printed, with any password it holds.
func notAFile(dsn string) string {
	lower := strings.ToLower(dsn)
	switch {
	case strings.HasPrefix(lower, "postgres:") || strings.HasPrefix(lower, "postgresql:"):
		return "a PostgreSQL URL begins with postgres:// or postgresql://, in lower case"
	case strings.Contains(dsn, "://"):
		return "a URL, but not a postgres:// one: the fleet is in a SQLite file or a PostgreSQL database"
	case connKeyword.MatchString(dsn):
		return "a connection string in the key=value form: write it as a URL, postgres://USER@HOST/DATABASE?sslmode=verify-full (docs/importer.md)"
	}
	return ""
}

// Name is dsn as it may be printed: a PostgreSQL URL without its
// password (in the user information, or a password or sslpassword
// parameter, both of which pgx reads), a path as it is.
func Name(dsn string) string {
	if !isPostgres(dsn) {
		if notAFile(dsn) != "" {
			return "(a connection string, not shown: it may hold a password)"
		}
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "postgres://…" // unparsable: print nothing of it
	}
	if u.RawQuery != "" {
		params := strings.Split(u.RawQuery, "&")
		for i, p := range params {
			raw, _, _ := strings.Cut(p, "=")
			// A key that does not decode may be anything: hidden too.
			if k, err := url.QueryUnescape(raw); err != nil || strings.EqualFold(k, "password") || strings.EqualFold(k, "sslpassword") {
				params[i] = raw + "=xxxxx"
			}
		}
		u.RawQuery = strings.Join(params, "&")
	}
	return u.Redacted()
}

// parseError is the text of pgx.ParseConfig's error for dsn without the
// URL it quotes (pgx hides a password in the user information only, not
// in the query): the database is named by Name.
func parseError(err error) string {
	msg := err.Error()
	const head = "cannot parse `"
	if i := strings.Index(msg, head); i >= 0 {
		if j := strings.Index(msg[i+len(head):], "`: "); j >= 0 {
			return msg[:i] + msg[i+len(head)+j+len("`: "):]
		}
	}
	return "not a PostgreSQL URL pgx can read"
}

// writeLock is the advisory lock key of the fleet's writers, in the
// fleet's database (advisory locks are per database).
const writeLock int64 = 0x61637463_6f757269 // "actcouri"

var postgresDialect = &dialect{
	name:       "PostgreSQL",
	migrations: pgMigrations,
	rewrite:    pgRewrite,
	txOptions:  &sql.TxOptions{Isolation: sql.LevelReadCommitted},
	lock:       fmt.Sprintf("SELECT pg_advisory_xact_lock(%d)", writeLock),
	retryable:  pgRetryable,
	version:    pgVersion,
	setVersion: func(tx *sql.Tx, v int) error {
		_, err := tx.Exec(fmt.Sprintf(`CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
			DELETE FROM schema_version; INSERT INTO schema_version VALUES (%d)`, v))
		return err
	},
}

// openPostgres opens the fleet in the PostgreSQL database of dsn and
// brings its schema up to date. A database that does not exist is a
// *NoFleetError with ErrNoDatabase; with existing, so is one that holds
// no fleet (errNoFleet), and nothing is created.
func openPostgres(dsn string, existing bool) (*DB, error) {
	name := Name(dsn)
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("database %s: %s", name, parseError(err)) // its text quotes the URL: not wrapped
	}
	if cfg.RuntimeParams["application_name"] == "" {
		cfg.RuntimeParams["application_name"] = "actcourier importer"
	}
	// A writer waits for another as long as SQLite's would (busyWait),
	// then says so rather than hang behind a stuck session.
	if cfg.RuntimeParams["lock_timeout"] == "" {
		cfg.RuntimeParams["lock_timeout"] = fmt.Sprint(busyWait.Milliseconds())
	}
	// No JIT compilation: the server compiled the import's UPDATE of
	// the devices' latest collections whenever a batch's estimated cost
	// passed jit_above_cost (auto_explain: 8 of the bench's batches of
	// 10,000 bundles, 20 to 100 ms each, a third of a second of the
	// serial writer's time, for a statement that then runs in a few
	// milliseconds). The URL may ask for it.
	if cfg.RuntimeParams["jit"] == "" {
		cfg.RuntimeParams["jit"] = "off"
	}
	db := stdlib.OpenDB(*cfg)
	d := &DB{db: db, dialect: postgresDialect, name: name}
	if err := d.checkServer(existing); err != nil {
		db.Close()
		if errors.Is(err, ErrNoDatabase) || errors.Is(err, errNoFleet) {
			return nil, &NoFleetError{Name: name, Err: err}
		}
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	if err := retryBusy(context.Background(), d, d.migrate); err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", name, err)
	}
	if !existing {
		if err := d.Writable(context.Background()); err != nil {
			db.Close()
			return nil, err
		}
	}
	return d, nil
}

// Writable returns an error wrapping fleet.ErrReadOnly when the role may
// not insert into each of the fleet's tables (the auditors' role of
// docs/importer.md), naming those; nil for a role that may, and on
// SQLite, whose file CheckWritable checks. Open checks it, so that a
// command that writes says so before it reads anything or asks for a
// passphrase, where the first write would have failed after all that
// (an import: after decrypting every bundle).
func (d *DB) Writable(ctx context.Context) error {
	if d.dialect != postgresDialect {
		return nil
	}
	rows, err := d.db.QueryContext(ctx, `SELECT c.relname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT has_table_privilege(c.oid, 'INSERT') ORDER BY c.relname`)
	if err != nil {
		return fmt.Errorf("database %s: %w", d.name, serverError(err))
	}
	defer rows.Close()
	var denied []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return fmt.Errorf("database %s: %w", d.name, serverError(err))
		}
		denied = append(denied, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("database %s: %w", d.name, serverError(err))
	}
	if len(denied) > 0 {
		return fmt.Errorf("database %s: %w: this role may not write %s", d.name, fleet.ErrReadOnly, plainList(denied))
	}
	return nil
}

// plainList is at most three names, then how many more.
func plainList(names []string) string {
	if len(names) <= 3 {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more tables", strings.Join(names[:3], ", "), len(names)-3)
}

// checkServer connects, and refuses a database whose encoding is not
// UTF-8 (what SQLite stores) and, when existing, one without a fleet.
func (d *DB) checkServer(existing bool) error {
	ctx := context.Background()
	var enc string
	if err := d.db.QueryRowContext(ctx, "SHOW server_encoding").Scan(&enc); err != nil {
		if pgCode(err) == "3D000" { // invalid_catalog_name: no such database
			return ErrNoDatabase
		}
		return serverError(err)
	}
	if enc != "UTF8" {
		return fmt.Errorf("%w: the database's encoding is %s; create it with ENCODING 'UTF8' (docs/importer.md)", ErrSetup, enc)
	}
	if existing {
		if _, err := pgVersion(d.db); errors.Is(err, errNoFleet) {
			return err
		} else if err != nil {
			return serverError(err)
		}
	}
	return nil
}

// errNoFleet means a PostgreSQL database has no schema_version table:
// no importer has opened it yet. OpenExisting returns it in a
// *NoFleetError (fs.ErrNotExist).
var errNoFleet = errors.New("no importer has stored a fleet in this database")

// pgVersion is the number of migrations applied, or errNoFleet before
// the first. It only reads, and so fails no transaction it runs in.
func pgVersion(q querier) (int, error) {
	ctx := context.Background()
	var exists bool
	// pg_class read as a table, with the statement's snapshot: after
	// waiting for the lock of another importer that made the schema, this
	// sees it. (to_regclass reads the session's catalog cache, which
	// waiting for an advisory lock does not refresh.)
	if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
		WHERE c.relname = 'schema_version' AND n.nspname = current_schema())`).Scan(&exists); err != nil {
		return 0, err
	}
	if !exists {
		return 0, errNoFleet
	}
	var v int
	err := q.QueryRowContext(ctx, "SELECT version FROM schema_version").Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return v, err
}

// pgCode is the SQLSTATE of a PostgreSQL error, "" for any other.
func pgCode(err error) string {
	var e *pgconn.PgError
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// pgRetryable reports whether err is a serialization failure or a
// deadlock (SQLSTATE 40001, 40P01), after which a transaction may be run
// again. With writers serialized on writeLock neither should happen; a
// session of another program that writes the fleet's tables could cause
// one.
func pgRetryable(err error) bool {
	switch pgCode(err) {
	case "40001", "40P01":
		return true
	}
	return false
}

// serverError wraps an error that means the server went away, that a
// writer waited too long for another (ErrLocked, from either store),
// that the store may not be written (fleet.ErrReadOnly, from either
// store), or that SQLite may not make its files beside the database
// (ErrFolderReadOnly), in the sentinels.
func serverError(err error) error {
	code := pgCode(err)
	switch {
	case err == nil:
		return nil
	case folderReadOnly(err):
		return fmt.Errorf("%w: %w", ErrFolderReadOnly, err)
	case readOnly(err):
		return fmt.Errorf("%w: %w", fleet.ErrReadOnly, err)
	case code == "55P03", busy(err): // lock_not_available: lock_timeout passed; SQLite's busy once retryBusy gave up
		return fmt.Errorf("%w: %w", ErrLocked, err)
	case code == "42501" || code == "25006": // insufficient_privilege, read_only_sql_transaction
		return fmt.Errorf("%w: %w", fleet.ErrReadOnly, err)
	case strings.HasPrefix(code, "08"), code == "57P01", code == "57P02", code == "57P03":
		// connection_exception, admin_shutdown, crash_shutdown, cannot_connect_now
		return fmt.Errorf("%w: %w", ErrServerGone, err)
	case code != "":
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	// No answer from the server: the connection broke, or never was.
	var ne net.Error
	var ce *pgconn.ConnectError
	if errors.As(err, &ne) || errors.As(err, &ce) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || pgconn.SafeToRetry(err) {
		return fmt.Errorf("%w: %w", ErrServerGone, err)
	}
	return err
}

// copyIn stores rows, each of len(cols) values, into table with COPY
// (pgx's CopyFrom, in binary) on conn, inside the transaction open on it:
// importBatch's new rows on PostgreSQL. The server parses no statement
// text and plans nothing per row: auto_explain put the multi-row INSERTs
// of the bench's 10,000 bundles at about 1 s of the server's time
// (collections 0.65 s, raw 0.34 s). The values are those the INSERTs
// bind, encoded by the same pgx types for the same columns: a text with
// a byte that is not UTF-8 or a NUL is refused by the server as a bound
// one is (SQLSTATE 22021), a nil []byte is NULL, and a failure fails the
// transaction. pgx reads a row of rows at a time as it sends them.
//
// database/sql gives no COPY: conn.Raw lends pgx's own connection,
// which runs the transaction database/sql began on it. A COPY outside a
// transaction would commit part of a batch, so copyIn refuses to run on
// a connection that is not inside one.
func copyIn(ctx context.Context, conn *sql.Conn, table string, cols []string, rows []interface{}) error {
	n := len(cols)
	if len(rows) == 0 {
		return nil
	}
	err := conn.Raw(func(dc interface{}) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("store: COPY needs pgx's connection, not %T", dc)
		}
		c := sc.Conn()
		if s := c.PgConn().TxStatus(); s != 'T' {
			return fmt.Errorf("store: COPY into %s outside a transaction (status %q)", table, s)
		}
		_, err := c.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(len(rows)/n, func(i int) ([]interface{}, error) {
			return rows[i*n : (i+1)*n], nil
		}))
		return err
	})
	// Interrupted while it still sends rows the server has not read (it
	// waits for a lock), pgx v5.6.0 returns the error of the socket it
	// closed, not the context's (TestCopyCancelled): an import stopped by
	// its context says so, as one stopped in any other statement does,
	// rather than that the server went away (ErrServerGone).
	if err != nil && ctx.Err() != nil && !errors.Is(err, ctx.Err()) {
		return fmt.Errorf("%w: %w", ctx.Err(), err)
	}
	return err
}
