// Package store keeps the fleet in an embedded SQLite database (pure Go,
// modernc.org/sqlite): every collection of every device as history, the
// latest one per device driving reports.
//
// Each bundle is stored inside one transaction (ImportBatch puts several
// in one): a crash or a kill leaves either all of it or nothing, and a
// rerun imports what is missing. The
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
	// KMSPool says whether the device counts towards its site's KMS
	// pool as a Windows client, a Windows server and an Office machine
	// (classify.PoolOf), so reports sum pools without reading snapshots.
	KMSPool [3]int
	Raw     []Raw
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

// maxParams keeps every statement under SQLite's limit of host
// parameters (32766 since 3.32).
const maxParams = 30000

// execRows runs "INSERT … VALUES" for rows of cols values each, as few
// statements as the parameter limit allows: the driver prepares every
// statement anew, so fewer statements is faster.
func execRows(ctx context.Context, tx *sql.Tx, head string, cols int, args []interface{}) error {
	per := maxParams / cols
	for len(args) > 0 {
		n := len(args) / cols
		if n > per {
			n = per
		}
		if _, err := tx.ExecContext(ctx, head+values(n, cols), args[:n*cols]...); err != nil {
			return err
		}
		args = args[n*cols:]
	}
	return nil
}

// lookup runs "SELECT k, v FROM … WHERE k IN (…)" for keys in chunks and
// returns k → v.
func lookup(ctx context.Context, tx *sql.Tx, query string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	for len(keys) > 0 {
		n := len(keys)
		if n > 500 {
			n = 500
		}
		args := make([]interface{}, n)
		for i, k := range keys[:n] {
			args[i] = k
		}
		rows, err := tx.QueryContext(ctx, query+"("+strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+")", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, err
			}
			out[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		keys = keys[n:]
	}
	return out, nil
}

// importBatch stores a batch with a fixed number of statements, whatever
// its size: one lookup of bundle IDs, one of device keys, then one
// multi-row insert per table. IDs are assigned here, safely: the
// transaction holds SQLite's write lock from its first statement
// (BEGIN IMMEDIATE).
func (d *DB) importBatch(ctx context.Context, cs []*Collection) ([]Result, []error, error) {
	res := make([]Result, len(cs))
	errs := make([]error, len(cs))
	tx, err := d.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, err
	}
	defer tx.Rollback()

	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.BundleID
	}
	stored, err := lookup(ctx, tx, "SELECT bundle_id, sha256 FROM collections WHERE bundle_id IN ", ids)
	if err != nil {
		return nil, nil, err
	}
	var keep []int // collections to store
	for i, c := range cs {
		sum, seen := stored[c.BundleID]
		switch {
		case seen && sum == c.SHA256:
			errs[i] = ErrDuplicate
		case seen:
			errs[i] = ErrConflict
		default:
			stored[c.BundleID] = c.SHA256 // a second copy in this batch is a duplicate
			keep = append(keep, i)
			res[i].DeviceKey = DeviceKey(c.Snapshot)
		}
	}
	if len(keep) == 0 {
		return res, errs, tx.Commit()
	}

	keys := make([]string, 0, len(keep))
	for _, i := range keep {
		keys = append(keys, res[i].DeviceKey)
	}
	known, err := lookup(ctx, tx, "SELECT key, CAST(id AS TEXT) FROM devices WHERE key IN ", keys)
	if err != nil {
		return nil, nil, err
	}
	var nextDevice, nextCollection int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce((SELECT max(id) FROM devices), 0), coalesce((SELECT max(id) FROM collections), 0)").
		Scan(&nextDevice, &nextCollection); err != nil {
		return nil, nil, err
	}
	now := time.Now().UTC().Format(time.RFC3339Nano)
	deviceIDs := map[string]int64{}
	var newDevices, collections, raws []interface{}
	touched := map[int64]bool{}
	for _, i := range keep {
		c, r := cs[i], &res[i]
		if id, ok := deviceIDs[r.DeviceKey]; ok {
			r.DeviceID = id
		} else if v, ok := known[r.DeviceKey]; ok {
			fmt.Sscan(v, &r.DeviceID)
		} else {
			nextDevice++
			r.DeviceID, r.NewDevice = nextDevice, true
			newDevices = append(newDevices, r.DeviceID, r.DeviceKey, now)
		}
		deviceIDs[r.DeviceKey] = r.DeviceID
		touched[r.DeviceID] = true
		nextCollection++
		r.CollectionID = nextCollection
		s := c.Snapshot
		collections = append(collections, r.CollectionID, r.DeviceID, c.BundleID, c.SHA256, c.Size, c.FileName, c.Source, c.Generator,
			s.Context.Collected.UTC().Format(time.RFC3339Nano), now, s.Context.Site, s.Context.Line, s.Context.Asset, s.OS.Hostname,
			s.Context.Engineer, c.Category, c.KMSPool[0], c.KMSPool[1], c.KMSPool[2], string(c.JSON))
		for _, raw := range c.Raw {
			raws = append(raws, r.CollectionID, raw.Member, raw.Data)
		}
	}
	for _, ins := range []struct {
		head string
		cols int
		args []interface{}
	}{
		{"INSERT OR FAIL INTO devices (id, key, first_seen) VALUES ", 3, newDevices},
		{`INSERT OR FAIL INTO collections (id, device_id, bundle_id, sha256, size, file_name, source, generator, collected_at, imported_at,
			site, line, asset, hostname, engineer, category, kms_client, kms_server, kms_office, snapshot) VALUES `, 20, collections},
		{"INSERT OR FAIL INTO raw (collection_id, member, data) VALUES ", 3, raws},
	} {
		if err := execRows(ctx, tx, ins.head, ins.cols, ins.args); err != nil {
			return nil, nil, err
		}
	}
	// The latest collection drives reports: the newest collected_at wins,
	// whatever order the bundles arrive in.
	var dev []interface{}
	for id := range touched {
		dev = append(dev, id)
	}
	for len(dev) > 0 {
		n := len(dev)
		if n > 500 {
			n = 500
		}
		if _, err := tx.ExecContext(ctx, `UPDATE devices SET latest_id = (SELECT id FROM collections c
			WHERE c.device_id = devices.id ORDER BY collected_at DESC, id DESC LIMIT 1)
			WHERE id IN (`+strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+")", dev[:n]...); err != nil {
			return nil, nil, err
		}
		dev = dev[n:]
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, err
	}
	return res, errs, nil
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
	out, err := d.devices(ctx, q, ref)
	if err != nil {
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
	return d.devices(ctx, q, deviceID)
}

// devices runs a query of deviceCols and the snapshot and reads all rows.
func (d *DB) devices(ctx context.Context, q string, args ...interface{}) ([]Device, error) {
	rows, err := d.db.QueryContext(ctx, q, args...)
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

// Pools sums, per site, the KMS pool flags of every device's latest
// collection: client, server, office.
func (d *DB) Pools(ctx context.Context) (map[string][3]int, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT c.site, sum(c.kms_client), sum(c.kms_server), sum(c.kms_office)
		FROM devices d JOIN collections c ON c.id = d.latest_id GROUP BY c.site`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][3]int{}
	for rows.Next() {
		var site string
		var p [3]int
		if err := rows.Scan(&site, &p[0], &p[1], &p[2]); err != nil {
			return nil, err
		}
		out[site] = p
	}
	return out, rows.Err()
}

// RawFor returns the raw members of several collections at once, by
// collection ID.
func (d *DB) RawFor(ctx context.Context, ids []int64) (map[int64][]Raw, error) {
	out := map[int64][]Raw{}
	for len(ids) > 0 {
		n := len(ids)
		if n > 500 {
			n = 500
		}
		args := make([]interface{}, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		rows, err := d.db.QueryContext(ctx, "SELECT collection_id, member, data FROM raw WHERE collection_id IN ("+
			strings.TrimSuffix(strings.Repeat("?, ", n), ", ")+") ORDER BY collection_id, member", args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var id int64
			var r Raw
			if err := rows.Scan(&id, &r.Member, &r.Data); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		ids = ids[n:]
	}
	return out, nil
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
