package store

import (
	"context"
	"fmt"
	"time"

	"github.com/actcourier/actcourier/pkg/activation"
	"github.com/actcourier/actcourier/pkg/fleet"
)

// The activation return path (fleet.ActivationStore), on either store. Its
// tables are plain SQL: text, integers, a primary key; PostgreSQL's form
// of the migration is pgActivationSchema. Writes take the fleet's write
// lock (begin), as imports do.

var _ fleet.ActivationStore = (*DB)(nil)

// activationSchema is migration 5: the archive of IID/CID pairs (one row
// per pair, with who imported it and when: what makes local reactivation
// possible), the items of the return files written (never a product
// key: its last five characters), and an index to find the proofs among
// the raw members.
const activationSchema = `CREATE TABLE confirmation_ids (
		installation_id TEXT NOT NULL,
		confirmation_id TEXT NOT NULL,
		extended_pid TEXT NOT NULL,
		host TEXT NOT NULL,
		device_key TEXT NOT NULL,
		source TEXT NOT NULL,
		file_name TEXT NOT NULL,
		file_row INTEGER NOT NULL,
		obtained_at TEXT NOT NULL,
		imported_at TEXT NOT NULL,
		imported_by TEXT NOT NULL,
		PRIMARY KEY (installation_id, confirmation_id)
	);
	CREATE TABLE return_items (
		item_id TEXT PRIMARY KEY,
		return_id TEXT NOT NULL,
		device_key TEXT NOT NULL,
		activation_id TEXT NOT NULL,
		installation_id TEXT NOT NULL,
		confirmation_id TEXT NOT NULL,
		key_partial TEXT NOT NULL,
		written_at TEXT NOT NULL,
		written_by TEXT NOT NULL,
		file_name TEXT NOT NULL
	);
	CREATE INDEX return_items_device ON return_items(device_key);
	CREATE INDEX raw_member ON raw(member);`

// restoresSchema is migration 8: each time a CID of the archive was put
// back on file (fleet.CIDRestore), with who did it, when, and the file
// and row that named it. A pair's own row in confirmation_ids keeps its
// first import; the CID on file for an IID is the one of its latest
// event, an import or a restore.
const restoresSchema = `CREATE TABLE cid_restores (
		installation_id TEXT NOT NULL,
		confirmation_id TEXT NOT NULL,
		restored_at TEXT NOT NULL,
		restored_by TEXT NOT NULL,
		file_name TEXT NOT NULL,
		file_row INTEGER NOT NULL,
		PRIMARY KEY (installation_id, restored_at, confirmation_id)
	);`

// storedTime formats t as the store keeps times; zero is "".
func storedTime(t time.Time) string {
	// A time parseStored could not read back (a year outside 1 to 9999
	// in UTC) is stored as unknown: one such row would fail every read.
	if y := t.UTC().Year(); t.IsZero() || y < 1 || y > 9999 {
		return ""
	}
	return t.UTC().Format(timeFormat)
}

func parseStored(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return parseTime(s)
}

// AddCIDs stores IID/CID pairs in one transaction, each pair once
// (fleet.ActivationStore).
func (d *DB) AddCIDs(ctx context.Context, cids []fleet.CIDRecord) (added int, err error) {
	err = retryBusy(ctx, d, func() error {
		added = 0
		tx, err := d.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, c := range cids {
			res, err := tx.ExecContext(ctx, d.q(`INSERT INTO confirmation_ids (installation_id, confirmation_id, extended_pid, host, device_key,
				source, file_name, file_row, obtained_at, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
				ON CONFLICT (installation_id, confirmation_id) DO NOTHING`),
				c.IID, c.CID, c.ExtendedPID, c.Host, c.DeviceKey, c.Source, c.File, c.Row, storedTime(c.Obtained), storedTime(c.Imported), c.By)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n > 0 {
				added++
			}
		}
		return tx.Commit()
	})
	return added, serverError(err)
}

// CIDs returns every stored pair in import order (fleet.ActivationStore).
func (d *DB) CIDs(ctx context.Context) ([]fleet.CIDRecord, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT installation_id, confirmation_id, extended_pid, host, device_key, source, file_name,
		file_row, obtained_at, imported_at, imported_by FROM confirmation_ids ORDER BY imported_at, file_name, file_row, installation_id, confirmation_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fleet.CIDRecord
	for rows.Next() {
		var c fleet.CIDRecord
		var obtained, imported string
		if err := rows.Scan(&c.IID, &c.CID, &c.ExtendedPID, &c.Host, &c.DeviceKey, &c.Source, &c.File, &c.Row, &obtained, &imported, &c.By); err != nil {
			return nil, err
		}
		if c.Obtained, err = parseStored(obtained); err == nil {
			c.Imported, err = parseStored(imported)
		}
		if err != nil {
			return nil, fmt.Errorf("confirmation ID of %s: stored time: %w", c.IID, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// RestoreCIDs records pairs of the archive put back on file, in one
// transaction (fleet.ActivationStore). A restore of a pair the archive
// does not hold is refused (fleet.ErrNotArchived) and none is stored.
func (d *DB) RestoreCIDs(ctx context.Context, restores []fleet.CIDRestore) error {
	return serverError(retryBusy(ctx, d, func() error {
		tx, err := d.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, r := range restores {
			// Checked here, in the transaction that stores it: a pair
			// that is not in the archive would put on file a CID nobody
			// imported.
			var n int
			if err := tx.QueryRowContext(ctx, d.q(`SELECT count(*) FROM confirmation_ids WHERE installation_id = ? AND confirmation_id = ?`),
				r.IID, r.CID).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%w: IID %s", fleet.ErrNotArchived, r.IID)
			}
			if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO cid_restores (installation_id, confirmation_id, restored_at, restored_by, file_name, file_row)
				VALUES (?, ?, ?, ?, ?, ?)`), r.IID, r.CID, storedTime(r.Restored), r.By, r.File, r.Row); err != nil {
				return err
			}
		}
		return tx.Commit()
	}))
}

// CIDRestores returns every restore, oldest first (fleet.ActivationStore).
func (d *DB) CIDRestores(ctx context.Context) ([]fleet.CIDRestore, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT installation_id, confirmation_id, restored_at, restored_by, file_name, file_row
		FROM cid_restores ORDER BY restored_at, installation_id, confirmation_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fleet.CIDRestore
	for rows.Next() {
		var r fleet.CIDRestore
		var restored string
		if err := rows.Scan(&r.IID, &r.CID, &restored, &r.By, &r.File, &r.Row); err != nil {
			return nil, err
		}
		if r.Restored, err = parseStored(restored); err != nil {
			return nil, fmt.Errorf("confirmation ID of %s restored: stored time: %w", r.IID, err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddReturnItems records a return file's items in one transaction
// (fleet.ActivationStore).
func (d *DB) AddReturnItems(ctx context.Context, items []fleet.ReturnItem) error {
	return serverError(retryBusy(ctx, d, func() error {
		tx, err := d.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for _, it := range items {
			if _, err := tx.ExecContext(ctx, d.q(`INSERT INTO return_items (item_id, return_id, device_key, activation_id, installation_id,
				confirmation_id, key_partial, written_at, written_by, file_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
				it.ItemID, it.ReturnID, it.DeviceKey, it.ActivationID, it.IID, it.CID, it.KeyPartial, storedTime(it.Written), it.By, it.File); err != nil {
				return err
			}
		}
		return tx.Commit()
	}))
}

// ReturnItems returns every item written, oldest first
// (fleet.ActivationStore).
func (d *DB) ReturnItems(ctx context.Context) ([]fleet.ReturnItem, error) {
	rows, err := d.db.QueryContext(ctx, `SELECT item_id, return_id, device_key, activation_id, installation_id, confirmation_id,
		key_partial, written_at, written_by, file_name FROM return_items ORDER BY written_at, item_id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fleet.ReturnItem
	for rows.Next() {
		var it fleet.ReturnItem
		var written string
		if err := rows.Scan(&it.ItemID, &it.ReturnID, &it.DeviceKey, &it.ActivationID, &it.IID, &it.CID, &it.KeyPartial, &written, &it.By, &it.File); err != nil {
			return nil, err
		}
		if it.Written, err = parseStored(written); err != nil {
			return nil, fmt.Errorf("return item %s: stored time: %w", it.ItemID, err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// Proofs returns the stored activation.ProofMember of every collection
// that has one (fleet.ActivationStore).
func (d *DB) Proofs(ctx context.Context) ([]fleet.Proof, error) {
	rows, err := d.db.QueryContext(ctx, d.q(`SELECT dv.key, c.id, c.collected_at, c.imported_at, r.data FROM raw r
		JOIN collections c ON c.id = r.collection_id JOIN devices dv ON dv.id = c.device_id
		WHERE r.member = ? ORDER BY c.imported_at, c.id`), activation.ProofMember)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []fleet.Proof
	for rows.Next() {
		var p fleet.Proof
		var collected, imported string
		if err := rows.Scan(&p.DeviceKey, &p.CollectionID, &collected, &imported, &p.Data); err != nil {
			return nil, err
		}
		if p.Collected, err = parseStored(collected); err == nil {
			p.Imported, err = parseStored(imported)
		}
		if err != nil {
			return nil, fmt.Errorf("collection %d: stored time: %w", p.CollectionID, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}
