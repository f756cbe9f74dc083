// Package store keeps the fleet in an embedded SQLite database (pure Go,
// modernc.org/sqlite): every collection of every device as history, the
// latest one per device driving reports.
//
// Each bundle is imported in one transaction: a crash or a kill leaves
// either all of it or nothing, and a rerun imports what is missing. The
// schema is versioned with PRAGMA user_version; Open migrates an older
// database and refuses a newer one.
//
// Device identity (also in docs/importer.md): a device is its hardware,
// the SMBIOS UUID and the BIOS serial number, when at least one of them is
// real; placeholders that OEMs ship ("To be filled by O.E.M.", all zeros,
// "Default string", …) do not count. A device with neither falls back to
// its site, line, asset tag and host name.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/actcourier/actcourier/pkg/licensing"
)

// SchemaVersion is the database schema this package writes.
const SchemaVersion = 1

var (
	// ErrDuplicate means the bundle (same ID and hash) is already in the
	// database; nothing was changed.
	ErrDuplicate = errors.New("already imported")
	// ErrConflict means a bundle with the same ID but other contents is
	// already in the database.
	ErrConflict = errors.New("a different bundle with the same ID is already imported")
	// ErrNewerSchema means a newer importer wrote the database.
	ErrNewerSchema = errors.New("the database was written by a newer importer")
	// ErrNotFound means no device matched.
	ErrNotFound = errors.New("no such device")
)

// DB is an open fleet database.
type DB struct {
	db *sql.DB
}

// Open opens or creates the database at path and brings its schema up to
// date. Several processes may use one database: writers wait for each
// other (busy timeout) instead of failing.
func Open(path string) (*DB, error) {
	q := url.Values{}
	for _, p := range []string{"busy_timeout(30000)", "journal_mode(WAL)", "foreign_keys(1)", "synchronous(NORMAL)"} {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", "immediate")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, err
	}
	d := &DB{db: db}
	// Two importers starting on a new database race to switch it to WAL,
	// which SQLite answers with SQLITE_BUSY at once, without waiting for
	// the busy timeout: retry for as long as the busy timeout would wait.
	deadline := time.Now().Add(30 * time.Second)
	for wait := 20 * time.Millisecond; ; wait *= 2 {
		err = d.migrate()
		if err == nil || !busy(err) || time.Now().After(deadline) {
			break
		}
		if wait > time.Second {
			wait = time.Second
		}
		time.Sleep(wait)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("database %s: %w", path, err)
	}
	return d, nil
}

// busy reports whether err is SQLite's "database is locked".
func busy(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "SQLITE_BUSY") || strings.Contains(s, "database is locked")
}

// Close closes the database.
func (d *DB) Close() error { return d.db.Close() }

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
		snapshot TEXT NOT NULL
	);
	CREATE INDEX collections_device ON collections(device_id, collected_at);
	CREATE TABLE products (
		collection_id INTEGER NOT NULL REFERENCES collections(id),
		seq INTEGER NOT NULL,
		kind TEXT NOT NULL,
		name TEXT NOT NULL,
		channel TEXT NOT NULL,
		license_status TEXT NOT NULL,
		grace_minutes INTEGER,
		partial_key TEXT NOT NULL,
		status_reason INTEGER NOT NULL,
		source TEXT NOT NULL,
		PRIMARY KEY (collection_id, seq)
	);
	CREATE TABLE raw (
		collection_id INTEGER NOT NULL REFERENCES collections(id),
		member TEXT NOT NULL,
		data BLOB NOT NULL,
		PRIMARY KEY (collection_id, member)
	);`,
}

func (d *DB) migrate() error {
	ctx := context.Background()
	conn, err := d.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	// BEGIN IMMEDIATE (the _txlock) serializes two importers migrating a
	// new database at once.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRow("PRAGMA user_version").Scan(&v); err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("%w (schema %d, this importer knows %d): update the importer", ErrNewerSchema, v, len(migrations))
	}
	for ; v < len(migrations); v++ {
		if _, err := tx.Exec(migrations[v]); err != nil {
			return fmt.Errorf("migrating to schema %d: %w", v+1, err)
		}
	}
	if _, err := tx.Exec(fmt.Sprintf("PRAGMA user_version = %d", v)); err != nil {
		return err
	}
	return tx.Commit()
}

// Collection is one import: a bundle (or a saved text) and what it holds.
type Collection struct {
	BundleID  string
	SHA256    string
	Size      int64
	FileName  string // base name only
	Source    string // "bundle" or "text"
	Generator string
	Snapshot  *licensing.Snapshot
	JSON      []byte // the snapshot as stored (device.json)
	Category  string // as of the collection time
	Raw       []Raw
}

// Raw is a raw output or copied file kept beside a collection.
type Raw struct {
	Member string
	Data   []byte
}

// Result says what Import did.
type Result struct {
	DeviceKey    string
	DeviceID     int64
	CollectionID int64
	NewDevice    bool
}

// Import stores c in one transaction. It returns ErrDuplicate, changing
// nothing, when the same bundle is already stored, and ErrConflict when
// another bundle with the same ID is.
func (d *DB) Import(ctx context.Context, c *Collection) (Result, error) {
	res, errs, err := d.ImportBatch(ctx, []*Collection{c})
	if err != nil {
		return Result{}, err
	}
	return res[0], errs[0]
}

// ImportBatch stores several collections in one transaction. A duplicate
// or conflicting collection (errs[i] is ErrDuplicate or ErrConflict) is
// found before anything of it is written and leaves the others stored.
// Any other failure rolls the whole batch back and is returned as err:
// every collection is stored whole or not at all, and a crash loses at
// most the batch, never part of a bundle. Batching saves the
// per-transaction cost when bundles arrive faster than one commit each.
func (d *DB) ImportBatch(ctx context.Context, cs []*Collection) (res []Result, errs []error, err error) {
	// The busy timeout covers waiting for another writer; a new
	// connection's setup can still meet SQLITE_BUSY at once. The
	// transaction rolled back, so trying again is safe.
	deadline := time.Now().Add(30 * time.Second)
	for wait := 10 * time.Millisecond; ; wait *= 2 {
		res, errs, err = d.importBatch(ctx, cs)
		if err == nil || !busy(err) || time.Now().After(deadline) || ctx.Err() != nil {
			return res, errs, err
		}
		if wait > time.Second {
			wait = time.Second
		}
		time.Sleep(wait)
	}
}

// statements of an import, prepared once per batch.
type importStmts struct {
	bundle, device, newDevice, collection, latest *sql.Stmt
}

func prepare(ctx context.Context, tx *sql.Tx) (*importStmts, error) {
	var st importStmts
	for _, p := range []struct {
		dst **sql.Stmt
		q   string
	}{
		{&st.bundle, "SELECT sha256 FROM collections WHERE bundle_id = ?"},
		{&st.device, "SELECT id FROM devices WHERE key = ?"},
		{&st.newDevice, "INSERT INTO devices (key, first_seen) VALUES (?, ?)"},
		{&st.collection, `INSERT INTO collections (device_id, bundle_id, sha256, size, file_name, source, generator,
			collected_at, imported_at, site, line, asset, hostname, engineer, category, snapshot)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		// The latest collection drives reports: the newest collected_at
		// wins, whatever order the bundles arrive in.
		{&st.latest, `UPDATE devices SET latest_id = (
			SELECT id FROM collections WHERE device_id = ?1 ORDER BY collected_at DESC, id DESC LIMIT 1) WHERE id = ?1`},
	} {
		s, err := tx.PrepareContext(ctx, p.q)
		if err != nil {
			return nil, err
		}
		*p.dst = s
	}
	return &st, nil
}

func (d *DB) importBatch(ctx context.Context, cs []*Collection) ([]Result, []error, error) {
	res := make([]Result, len(cs))
	errs := make([]error, len(cs))
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()
	st, err := prepare(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	for i, c := range cs {
		res[i], errs[i] = importOne(ctx, tx, st, c, now)
		if errs[i] != nil && !errors.Is(errs[i], ErrDuplicate) && !errors.Is(errs[i], ErrConflict) {
			// Part of this collection may be written: drop the batch.
			return nil, nil, errs[i]
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, err
	}
	return res, errs, nil
}

func importOne(ctx context.Context, tx *sql.Tx, st *importStmts, c *Collection, now string) (Result, error) {
	var res Result
	var sum string
	switch err := st.bundle.QueryRowContext(ctx, c.BundleID).Scan(&sum); {
	case err == nil && sum == c.SHA256:
		return res, ErrDuplicate
	case err == nil:
		return res, ErrConflict
	case !errors.Is(err, sql.ErrNoRows):
		return res, err
	}
	s := c.Snapshot
	res.DeviceKey = DeviceKey(s)
	err := st.device.QueryRowContext(ctx, res.DeviceKey).Scan(&res.DeviceID)
	if errors.Is(err, sql.ErrNoRows) {
		r, err := st.newDevice.ExecContext(ctx, res.DeviceKey, now)
		if err != nil {
			return res, err
		}
		res.DeviceID, _ = r.LastInsertId()
		res.NewDevice = true
	} else if err != nil {
		return res, err
	}
	collected := s.Context.Collected.UTC().Format(time.RFC3339Nano)
	r, err := st.collection.ExecContext(ctx, res.DeviceID, c.BundleID, c.SHA256, c.Size, c.FileName, c.Source, c.Generator,
		collected, now, s.Context.Site, s.Context.Line, s.Context.Asset, s.OS.Hostname, s.Context.Engineer, c.Category, string(c.JSON))
	if err != nil {
		return res, err
	}
	res.CollectionID, _ = r.LastInsertId()
	// One statement for all products and one for all raw members: the
	// driver prepares every statement anew, so fewer statements is faster.
	if n := len(s.Products); n > 0 {
		args := make([]interface{}, 0, 10*n)
		for i, p := range s.Products {
			var grace interface{}
			if p.GraceMinutes != nil {
				grace = *p.GraceMinutes
			}
			args = append(args, res.CollectionID, i, string(p.Kind), p.Name, string(p.Channel), string(p.Status),
				grace, p.PartialKey, int64(p.StatusReason), string(p.Source))
		}
		q := `INSERT INTO products (collection_id, seq, kind, name, channel, license_status, grace_minutes, partial_key,
			status_reason, source) VALUES ` + values(n, 10)
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return res, err
		}
	}
	if n := len(c.Raw); n > 0 {
		args := make([]interface{}, 0, 3*n)
		for _, raw := range c.Raw {
			args = append(args, res.CollectionID, raw.Member, raw.Data)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO raw (collection_id, member, data) VALUES "+values(n, 3), args...); err != nil {
			return res, err
		}
	}
	if _, err := st.latest.ExecContext(ctx, res.DeviceID); err != nil {
		return res, err
	}
	return res, nil
}

// values returns "(?, ?), (?, ?)" for rows of cols placeholders.
func values(rows, cols int) string {
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", cols), ", ") + ")"
	return strings.TrimSuffix(strings.Repeat(row+", ", rows), ", ")
}

// junkIDs are placeholders firmware ships instead of a real UUID or serial.
var junkIDs = []string{"", "0", "00000000-0000-0000-0000-000000000000", "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF",
	"03000200-0400-0500-0006-000700080009", "TO BE FILLED BY O.E.M.", "DEFAULT STRING", "SYSTEM SERIAL NUMBER",
	"NONE", "N/A", "NOT APPLICABLE", "NOT SPECIFIED", "INVALID", "123456789", "0123456789", "CHASSIS SERIAL NUMBER"}

func realID(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	for _, j := range junkIDs {
		if u == j {
			return ""
		}
	}
	if strings.Trim(u, "0-") == "" || strings.Trim(u, "F-") == "" {
		return ""
	}
	return u
}

// DeviceKey identifies the device of a snapshot: "hw:UUID/SERIAL" when
// the hardware has a real UUID or serial, else "loc:site/line/asset/host"
// (lower case).
func DeviceKey(s *licensing.Snapshot) string {
	uuid, serial := realID(s.Hardware.UUID), realID(s.Hardware.Serial)
	if uuid != "" || serial != "" {
		return "hw:" + uuid + "/" + serial
	}
	parts := []string{s.Context.Site, s.Context.Line, s.Context.Asset, s.OS.Hostname}
	for i, p := range parts {
		parts[i] = strings.ToLower(strings.TrimSpace(p))
	}
	return "loc:" + strings.Join(parts, "/")
}

// Device is the latest collection of one device.
type Device struct {
	ID           int64
	Key          string
	CollectionID int64
	BundleID     string
	SHA256       string
	FileName     string
	Source       string
	Generator    string
	CollectedAt  time.Time
	ImportedAt   time.Time
	Site, Line   string
	Asset        string
	Hostname     string
	Engineer     string
	Category     string // as of the collection
	Collections  int    // how many collections the device has
	JSON         []byte
}

// Snapshot decodes the stored snapshot.
func (d *Device) Snapshot() (*licensing.Snapshot, error) { return licensing.Unmarshal(d.JSON) }

// Filter selects devices; empty fields match all.
type Filter struct {
	Site, Line, Category string
}

const deviceCols = `d.id, d.key, c.id, c.bundle_id, c.sha256, c.file_name, c.source, c.generator, c.collected_at, c.imported_at,
	c.site, c.line, c.asset, c.hostname, c.engineer, c.category,
	(SELECT count(*) FROM collections x WHERE x.device_id = d.id)`

func scanDevice(sc interface{ Scan(...interface{}) error }, withJSON bool) (Device, error) {
	var dv Device
	var collected, imported string
	dest := []interface{}{&dv.ID, &dv.Key, &dv.CollectionID, &dv.BundleID, &dv.SHA256, &dv.FileName, &dv.Source, &dv.Generator,
		&collected, &imported, &dv.Site, &dv.Line, &dv.Asset, &dv.Hostname, &dv.Engineer, &dv.Category, &dv.Collections}
	if withJSON {
		dest = append(dest, &dv.JSON)
	}
	if err := sc.Scan(dest...); err != nil {
		return dv, err
	}
	dv.CollectedAt, _ = time.Parse(time.RFC3339Nano, collected)
	dv.ImportedAt, _ = time.Parse(time.RFC3339Nano, imported)
	return dv, nil
}

// Latest calls fn with the latest collection of every device that f
// selects, ordered by site, line, asset. It streams: a fleet of any size
// is read one device at a time.
func (d *DB) Latest(ctx context.Context, f Filter, withJSON bool, fn func(Device) error) error {
	cols := deviceCols
	if withJSON {
		cols += ", c.snapshot"
	}
	q := "SELECT " + cols + " FROM devices d JOIN collections c ON c.id = d.latest_id WHERE 1=1"
	var args []interface{}
	if f.Site != "" {
		q += " AND c.site = ?"
		args = append(args, f.Site)
	}
	if f.Line != "" {
		q += " AND c.line = ?"
		args = append(args, f.Line)
	}
	if f.Category != "" {
		q += " AND c.category = ?"
		args = append(args, f.Category)
	}
	q += " ORDER BY c.site, c.line, c.asset, d.key"
	rows, err := d.db.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		dv, err := scanDevice(rows, withJSON)
		if err != nil {
			return err
		}
		if err := fn(dv); err != nil {
			return err
		}
	}
	return rows.Err()
}

// Find returns the devices whose key, asset tag, host name, device ID or
// bundle ID is ref (case-insensitive).
func (d *DB) Find(ctx context.Context, ref string) ([]Device, error) {
	q := "SELECT " + deviceCols + `, c.snapshot FROM devices d JOIN collections c ON c.id = d.latest_id
		WHERE lower(d.key) = lower(?1) OR lower(c.asset) = lower(?1) OR lower(c.hostname) = lower(?1) OR CAST(d.id AS TEXT) = ?1
		OR d.id IN (SELECT device_id FROM collections WHERE bundle_id = lower(?1))
		ORDER BY d.id`
	rows, err := d.db.QueryContext(ctx, q, ref)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		dv, err := scanDevice(rows, true)
		if err != nil {
			return nil, err
		}
		out = append(out, dv)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, ref)
	}
	return out, nil
}

// History returns every collection of a device, newest first.
func (d *DB) History(ctx context.Context, deviceID int64) ([]Device, error) {
	q := "SELECT " + deviceCols + `, c.snapshot FROM collections c JOIN devices d ON d.id = c.device_id
		WHERE d.id = ? ORDER BY c.collected_at DESC, c.id DESC`
	rows, err := d.db.QueryContext(ctx, q, deviceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		dv, err := scanDevice(rows, true)
		if err != nil {
			return nil, err
		}
		out = append(out, dv)
	}
	return out, rows.Err()
}

// Raw returns the raw members kept with a collection.
func (d *DB) Raw(ctx context.Context, collectionID int64) ([]Raw, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT member, data FROM raw WHERE collection_id = ? ORDER BY member", collectionID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Raw
	for rows.Next() {
		var r Raw
		if err := rows.Scan(&r.Member, &r.Data); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Counts returns how many devices, collections and raw members are stored.
func (d *DB) Counts(ctx context.Context) (devices, collections, raw int, err error) {
	err = d.db.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM devices), (SELECT count(*) FROM collections),
		(SELECT count(*) FROM raw)`).Scan(&devices, &collections, &raw)
	return
}

// Check runs PRAGMA integrity_check and returns its answer ("ok").
func (d *DB) Check(ctx context.Context) (string, error) {
	var s string
	err := d.db.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s)
	return s, err
}
