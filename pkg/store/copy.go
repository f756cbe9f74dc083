package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/actcourier/actcourier/pkg/fleet"
)

var (
	// ErrOtherFleet means Copy's destination already holds rows that are
	// not the source's (another fleet, or imports made there): nothing
	// was copied. Copy into an empty database, or into an earlier copy of
	// the same source.
	ErrOtherFleet = errors.New("store: the destination holds another fleet")
	// ErrSameFleet means Migrate was given one database as both source
	// and destination.
	ErrSameFleet = errors.New("store: --from and --to name the same database")
	// ErrCopyMismatch means that after copying, a table of the destination
	// does not hold exactly the source's rows (counted and checksummed).
	ErrCopyMismatch = errors.New("store: the copy does not match its source")
)

// copyTable is a table Copy moves: its key, the columns that name a row
// (a destination row with the key of a source row must agree on them),
// and whether a row of the destination is brought up to date when the
// source's changed since an earlier copy (a device's latest collection
// and aggregates do; a collection and its raw outputs never change).
type copyTable struct {
	name   string
	key    []string
	ident  []string
	update bool
}

// copyTables are every table of the fleet, parents first. A new table
// belongs here too (and in both stores' migrations).
var copyTables = []copyTable{
	{name: "devices", key: []string{"id"}, ident: []string{"key"}, update: true},
	{name: "collections", key: []string{"id"}, ident: []string{"bundle_id", "sha256"}},
	{name: "raw", key: []string{"collection_id", "member"}},
	{name: "confirmation_ids", key: []string{"installation_id", "confirmation_id"}},
	{name: "return_items", key: []string{"item_id"}, ident: []string{"return_id"}},
	{name: "cid_restores", key: []string{"installation_id", "restored_at", "confirmation_id"}},
}

// Copied is what Copy did with one table.
type Copied struct {
	Table   string
	Rows    int    // in the source, and, verified, in the destination
	Written int    // rows this run wrote: the others were there already
	SHA256  string // of every row in key order, the same in both (hex)
}

// copyBatchBytes bounds the rows held and written at once (bytes): raw
// outputs may be megabytes each.
const (
	copyBatchRows  = 256
	copyBatchBytes = 32 << 20
)

// Copy copies every row of src into dst, keeping IDs, and then verifies
// that each table of dst holds exactly src's rows: the same count and the
// same SHA-256 over every column of every row in key order. It is safe to
// run again: rows already there are left (a device is brought up to date),
// so a rerun after an interruption, or after more imports into src,
// completes the copy. A dst holding rows that are not src's is refused
// with ErrOtherFleet before anything is written; a copy that does not
// verify is ErrCopyMismatch. Each batch is one transaction of dst under
// its write lock. progress, when not nil, hears each table's rows written
// so far.
func Copy(ctx context.Context, dst, src *DB, progress func(table string, written, rows int)) ([]Copied, error) {
	var out []Copied
	for _, t := range copyTables {
		if err := checkIdent(ctx, dst, src, t); err != nil {
			return nil, err
		}
	}
	for _, t := range copyTables {
		cols, err := columns(ctx, src, dst, t.name)
		if err != nil {
			return nil, err
		}
		c, err := copyRows(ctx, dst, src, t, cols, progress)
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", t.name, err)
		}
		out = append(out, c)
	}
	for i, t := range copyTables {
		cols, _ := columns(ctx, src, dst, t.name)
		n, sum, err := checksum(ctx, src, t, cols)
		if err != nil {
			return nil, fmt.Errorf("checksum %s of %s: %w", t.name, src.name, err)
		}
		m, dsum, err := checksum(ctx, dst, t, cols)
		if err != nil {
			return nil, fmt.Errorf("checksum %s of %s: %w", t.name, dst.name, err)
		}
		if n != m || sum != dsum {
			return nil, fmt.Errorf("%w: table %s: %d rows, SHA-256 %s in the source; %d rows, SHA-256 %s in the destination",
				ErrCopyMismatch, t.name, n, sum[:12], m, dsum[:12])
		}
		out[i].Rows, out[i].SHA256 = n, sum
	}
	if s, err := dst.Check(ctx); err != nil || s != "ok" {
		return nil, fmt.Errorf("%w: %s %v", ErrCopyMismatch, s, err)
	}
	return out, nil
}

// columns are the columns of a table, in src's order; both stores must
// have the same (the same schema version).
func columns(ctx context.Context, src, dst *DB, table string) ([]string, error) {
	list := func(d *DB) ([]string, error) {
		rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1=0")
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		return rows.Columns()
	}
	a, err := list(src)
	if err != nil {
		return nil, err
	}
	b, err := list(dst)
	if err != nil {
		return nil, err
	}
	as, bs := append([]string{}, a...), append([]string{}, b...)
	sort.Strings(as)
	sort.Strings(bs)
	if strings.Join(as, ",") != strings.Join(bs, ",") {
		return nil, fmt.Errorf("table %s has columns %v in %s and %v in %s: run the same importer on both", table, a, src.name, b, dst.name)
	}
	return a, nil
}

// checkIdent refuses a dst that holds a row of t whose key src does not
// have, or has for another row (ident).
func checkIdent(ctx context.Context, dst, src *DB, t copyTable) error {
	cols := append(append([]string{}, t.key...), t.ident...)
	q := "SELECT " + strings.Join(cols, ", ") + " FROM " + t.name + " ORDER BY " + strings.Join(t.key, ", ")
	drows, err := dst.db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer drows.Close()
	if !drows.Next() {
		return drows.Err() // an empty table: nothing to check
	}
	srows, err := src.db.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer srows.Close()
	d, s := make([]string, len(cols)), make([]string, len(cols))
	scan := func(r *sql.Rows, v []string) error {
		ptrs := make([]interface{}, len(v))
		for i := range v {
			ptrs[i] = &v[i]
		}
		return r.Scan(ptrs...)
	}
	more := srows.Next()
	for {
		if err := scan(drows, d); err != nil {
			return err
		}
		// Keys compare as the stores order them: numbers as numbers,
		// text byte for byte.
		for more {
			if err := scan(srows, s); err != nil {
				return err
			}
			if keyLess(t.key, s[:len(t.key)], d[:len(t.key)]) {
				more = srows.Next()
				continue
			}
			break
		}
		if !more || strings.Join(s, "\x00") != strings.Join(d, "\x00") {
			return fmt.Errorf("%w: table %s of %s has a row %q that %s does not have: copy into an empty database, or into an earlier copy of the same fleet",
				ErrOtherFleet, t.name, dst.name, d, src.name)
		}
		if !drows.Next() {
			return drows.Err()
		}
	}
}

// intKeys are the key columns of copyTables that are integers; the
// others are text.
var intKeys = map[string]bool{"id": true, "collection_id": true}

// keyLess orders keys of the columns key as ORDER BY does: integer
// columns as numbers, text byte for byte (a text key that reads as a
// number, such as an IID, too).
func keyLess(key, a, b []string) bool {
	for i := range a {
		if a[i] == b[i] {
			continue
		}
		if intKeys[key[i]] {
			x, errx := strconv.ParseInt(a[i], 10, 64)
			y, erry := strconv.ParseInt(b[i], 10, 64)
			if errx == nil && erry == nil {
				return x < y
			}
		}
		return a[i] < b[i]
	}
	return false
}

// copyRows streams src's rows of t into dst, a batch a transaction.
func copyRows(ctx context.Context, dst, src *DB, t copyTable, cols []string, progress func(string, int, int)) (Copied, error) {
	c := Copied{Table: t.name}
	var total int
	if err := src.db.QueryRowContext(ctx, "SELECT count(*) FROM "+t.name).Scan(&total); err != nil {
		return c, err
	}
	rows, err := src.db.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.name+" ORDER BY "+strings.Join(t.key, ", "))
	if err != nil {
		return c, err
	}
	defer rows.Close()
	head, tail := upsert(t, cols)
	var batch []interface{}
	var bytes, seen int
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n, err := dst.writeRows(ctx, head, tail, len(cols), batch)
		if err != nil {
			return err
		}
		c.Written += n
		batch, bytes = batch[:0], 0
		if progress != nil {
			progress(t.name, seen, total)
		}
		return nil
	}
	for rows.Next() {
		vals := make([]interface{}, len(cols))
		ptrs := make([]interface{}, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return c, err
		}
		for i, v := range vals {
			switch v := v.(type) {
			case []byte:
				if v == nil {
					// SQLite reads an empty BLOB as a nil []byte, which
					// pgx would write as NULL: it is empty bytes.
					vals[i] = []byte{}
				}
				bytes += len(v)
			case string:
				bytes += len(v)
			}
		}
		batch = append(batch, vals...)
		seen++
		if len(batch)/len(cols) >= copyBatchRows || bytes >= copyBatchBytes {
			if err := flush(); err != nil {
				return c, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return c, err
	}
	return c, flush()
}

// upsert is the INSERT of t's rows into the destination: its head, and
// its tail after the VALUES.
func upsert(t copyTable, cols []string) (head, tail string) {
	head = "INSERT INTO " + t.name + " (" + strings.Join(cols, ", ") + ") VALUES "
	tail = " ON CONFLICT (" + strings.Join(t.key, ", ") + ") DO NOTHING"
	if t.update {
		var set []string
		for _, c := range cols {
			if !contains(t.key, c) {
				set = append(set, c+" = excluded."+c)
			}
		}
		// Only rows that differ are written: a rerun over an unchanged
		// source writes nothing.
		var differ []string
		for _, c := range cols {
			if !contains(t.key, c) {
				differ = append(differ, t.name+"."+c+" IS DISTINCT FROM excluded."+c)
			}
		}
		// A row with the key of a source row but another identity (an
		// import into the destination during the copy) is never
		// overwritten: the verification reports the mismatch.
		var same []string
		for _, c := range t.ident {
			same = append(same, t.name+"."+c+" = excluded."+c)
		}
		tail = " ON CONFLICT (" + strings.Join(t.key, ", ") + ") DO UPDATE SET " + strings.Join(set, ", ") +
			" WHERE " + strings.Join(append(same, "("+strings.Join(differ, " OR ")+")"), " AND ")
	}
	return head, tail
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// writeRows writes rows of cols values in one transaction under the
// write lock, insertChunk rows a statement, and returns how many rows it
// wrote.
func (d *DB) writeRows(ctx context.Context, head, tail string, cols int, args []interface{}) (int, error) {
	var written int
	err := retryBusy(ctx, d, func() error {
		written = 0
		tx, err := d.begin(ctx)
		if err != nil {
			return err
		}
		defer tx.Rollback()
		err = chunks(len(args)/cols, insertChunk, func(lo, hi int) error {
			st, err := d.stmt(ctx, tx, head+values(hi-lo, cols)+tail)
			if err != nil {
				return err
			}
			r, err := st.ExecContext(ctx, args[lo*cols:hi*cols]...)
			if err != nil {
				return err
			}
			n, _ := r.RowsAffected()
			written += int(n)
			return nil
		})
		if err != nil {
			return err
		}
		return tx.Commit()
	})
	return written, serverError(err)
}

// checksum counts t's rows and hashes every column of every row, in key
// order, in a form that does not depend on the store: each value is
// tagged with its kind (null, integer, real, text or bytes alike) and
// text carries its length.
func checksum(ctx context.Context, d *DB, t copyTable, cols []string) (int, string, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+t.name+" ORDER BY "+strings.Join(t.key, ", "))
	if err != nil {
		return 0, "", err
	}
	defer rows.Close()
	h := sha256.New()
	vals := make([]interface{}, len(cols))
	ptrs := make([]interface{}, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return 0, "", err
		}
		for _, v := range vals {
			writeValue(h, v)
		}
		h.Write([]byte{'\n'})
		n++
	}
	return n, hex.EncodeToString(h.Sum(nil)), rows.Err()
}

func writeValue(h hash.Hash, v interface{}) {
	switch v := v.(type) {
	case nil:
		h.Write([]byte("n;"))
	case int64:
		fmt.Fprintf(h, "i%d;", v)
	case float64:
		fmt.Fprintf(h, "f%s;", strconv.FormatFloat(v, 'g', -1, 64))
	case bool:
		fmt.Fprintf(h, "b%t;", v)
	case string:
		fmt.Fprintf(h, "s%d:%s;", len(v), v)
	case []byte:
		fmt.Fprintf(h, "s%d:%s;", len(v), v)
	case time.Time:
		fmt.Fprintf(h, "t%s;", v.UTC().Format(time.RFC3339Nano))
	default:
		fmt.Fprintf(h, "?%v;", v)
	}
}

// Migrate moves the fleet of the database from names into the one to
// names (Copy), opening from as the commands that read do (it must
// exist: else an error wrapping fs.ErrNotExist) and to as an import does,
// and writes to w each table's rows, the rows written now and the
// checksum, then one line saying the move is verified.
func Migrate(ctx context.Context, from, to string, w io.Writer) error {
	if same(from, to) {
		return fmt.Errorf("migrate %s into %s: %w", Name(from), Name(to), ErrSameFleet)
	}
	src, err := OpenExisting(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := Open(to)
	if err != nil {
		return err
	}
	defer dst.Close()
	copied, err := Copy(ctx, dst, src, nil)
	if err != nil {
		return fmt.Errorf("migrate %s into %s: %w", src.name, dst.name, err)
	}
	for _, t := range copied {
		fmt.Fprintf(w, "%-16s %9d rows, %9d written now, SHA-256 %s\n", t.Table, t.Rows, t.Written, t.SHA256)
	}
	_, err = fmt.Fprintf(w, "moved %s into %s: every table holds the same rows in both\n", src.name, dst.name)
	return err
}

// same reports whether two names are one database: the same file, or
// the same database of the same PostgreSQL server.
func same(a, b string) bool {
	if isPostgres(a) != isPostgres(b) {
		return false
	}
	if !isPostgres(a) {
		fa, errA := os.Stat(a)
		fb, errB := os.Stat(b)
		return errA == nil && errB == nil && os.SameFile(fa, fb)
	}
	ca, errA := pgx.ParseConfig(a)
	cb, errB := pgx.ParseConfig(b)
	return errA == nil && errB == nil && ca.Host == cb.Host && ca.Port == cb.Port && ca.Database == cb.Database
}

// Hint says what to do about an error of Open, OpenExisting, Copy or
// Migrate, for a person at the importer's command line (its --db).
func Hint(err error) string { return HintFor(err, "--db") }

// HintFor is Hint for a command whose databases are named by flag
// ("--from or --to" for migrate, which takes no --db): a hint that sends
// the user to an option the command does not have is no help.
func HintFor(err error, flag string) string {
	switch {
	case errors.Is(err, fleet.ErrNewerSchema):
		return "a newer importer wrote this database: use that importer, or a newer one"
	case errors.Is(err, ErrSameFleet):
		return "give --to the database to move the fleet into, another than --from"
	case errors.Is(err, ErrOtherFleet), errors.Is(err, ErrCopyMismatch):
		return "migrate into an empty database (docs/importer.md, \"Moving a fleet\")"
	case errors.Is(err, ErrServerGone):
		return "check that the PostgreSQL server runs and that " + flag + " names it rightly (host, port, user, sslmode: docs/importer.md); what was stored is whole"
	case errors.Is(err, ErrLocked):
		return "another importer held the fleet too long; run this again"
	case errors.Is(err, ErrFileReadOnly):
		return "give this user write permission on the file (its owner can: chmod u+w FILE; on Windows, clear its Read-only attribute), or copy it to a file you may write and give that with " + flag
	case errors.Is(err, ErrFolderReadOnly):
		return "run it as a user who may write in that folder, or copy the database, while no import runs, into a folder you may write and give the copy with " + flag
	case errors.Is(err, fleet.ErrReadOnly):
		_, hint := fleet.Explain(err)
		return hint
	case errors.Is(err, ErrNoDatabase):
		return "create the database first, as docs/importer.md says (\"Setting up PostgreSQL\"): no command of the importer creates one; or check the database's name in the URL"
	case errors.Is(err, ErrSetup):
		return "set the database up as docs/importer.md says (\"Setting up PostgreSQL\")"
	}
	var nf *NoFleetError
	if errors.As(err, &nf) {
		return "import bundles first (importer import -i KEY --db " + nf.Name + " STICK), or give the database with --db or ACTCOURIER_DB"
	}
	if flag != "--db" {
		return "check " + flag + " (a SQLite file, or a postgres:// URL: docs/importer.md)"
	}
	return "check --db (a file, default actcourier.db in the current folder, or a postgres:// URL: docs/importer.md)"
}
