package store

import (
	"context"
	"fmt"
	"strconv"
	"unsafe"

	"modernc.org/libc"
	sqlite3 "modernc.org/sqlite/lib"
)

// directConn is a connection of its own to a SQLite fleet, used straight
// through SQLite's library for the queries a report runs for every
// device (Latest, which reads the whole fleet, and RawFor, which every
// line's worker runs for its devices' raw outputs), not through
// database/sql and modernc.org/sqlite's driver.
//
// Why: the driver opens every connection in SQLite's serialized mode
// (SQLITE_OPEN_FULLMUTEX is fixed in it), so every column read takes the
// connection's mutex, and modernc's mutexes go through a global lock; it
// also looks up and upper-cases each column's declared type for every row,
// and database/sql converts every value once more on Scan. Reading the
// latest collections of 100,000 devices (22 columns, 170 MB of snapshots)
// took 1.4 to 2.0 s that way and takes 0.6 to 0.8 s here
// (`go test -bench Latest ./pkg/store`), on the report's one reader,
// which feeds the lines to every core. A connection used by one goroutine
// at a time, as this one is, needs no mutex (SQLITE_OPEN_NOMUTEX).
//
// It opens the file as the store's own connections do (read-write, never
// created, the same busy timeout) and only reads. Its rows are scanned by
// the same code as database/sql's (deviceScanner), with database/sql's
// conversions for the types the store scans into (directRows.Scan).
type directConn struct {
	tls *libc.TLS
	db  uintptr
}

// openDirect opens path, read-only when readOnly. The caller closes the
// connection.
func openDirect(path string, readOnly bool) (*directConn, error) {
	c := &directConn{tls: libc.NewTLS()}
	name, err := libc.CString(path)
	if err != nil {
		c.tls.Close()
		return nil, err
	}
	pdb := c.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	flags := int32(sqlite3.SQLITE_OPEN_READWRITE | sqlite3.SQLITE_OPEN_NOMUTEX)
	if readOnly {
		flags = sqlite3.SQLITE_OPEN_READONLY | sqlite3.SQLITE_OPEN_NOMUTEX
	}
	rc := sqlite3.Xsqlite3_open_v2(c.tls, name, pdb, flags, 0)
	c.db = *(*uintptr)(cmem(pdb))
	// Given back now, not deferred: Close below closes the TLS, which
	// must hold nothing allocated by then (libc's TLS.Close on Windows
	// and macOS frees its stack only when all of it was freed before,
	// in reverse order; it then leaked a page per failed open).
	c.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	libc.Xfree(c.tls, name)
	if rc != sqlite3.SQLITE_OK {
		err := c.err(rc)
		c.Close()
		return nil, err
	}
	sqlite3.Xsqlite3_extended_result_codes(c.tls, c.db, 1)
	sqlite3.Xsqlite3_busy_timeout(c.tls, c.db, int32(busyWait.Milliseconds()))
	return c, nil
}

// Close closes the connection and frees its memory.
func (c *directConn) Close() error {
	var err error
	if c.db != 0 {
		if rc := sqlite3.Xsqlite3_close_v2(c.tls, c.db); rc != sqlite3.SQLITE_OK {
			err = c.err(rc)
		}
		c.db = 0
	}
	c.tls.Close()
	return err
}

// errDirect is an error SQLite's library returned: its message and its
// (extended) result code, as modernc's driver words them.
type errDirect struct {
	code int
	msg  string
}

func (e *errDirect) Error() string { return fmt.Sprintf("%s (%d)", e.msg, e.code) }

func (c *directConn) err(rc int32) error {
	msg := libc.GoString(sqlite3.Xsqlite3_errstr(c.tls, rc))
	if c.db != 0 {
		msg = libc.GoString(sqlite3.Xsqlite3_errmsg(c.tls, c.db))
	}
	return &errDirect{code: int(rc), msg: msg}
}

// query runs q with its arguments (string, int64 or int) and calls fn for
// every row, until the rows end, fn returns an error or ctx ends (checked
// between rows).
func (c *directConn) query(ctx context.Context, q string, args []interface{}, fn func(*directRows) error) error {
	cq, err := libc.CString(q)
	if err != nil {
		return err
	}
	defer libc.Xfree(c.tls, cq)
	pst := c.tls.Alloc(int(unsafe.Sizeof(uintptr(0))))
	defer c.tls.Free(int(unsafe.Sizeof(uintptr(0))))
	if rc := sqlite3.Xsqlite3_prepare_v2(c.tls, c.db, cq, -1, pst, 0); rc != sqlite3.SQLITE_OK {
		return c.err(rc)
	}
	r := &directRows{c: c, st: *(*uintptr)(cmem(pst))}
	defer sqlite3.Xsqlite3_finalize(c.tls, r.st)
	if n := int(sqlite3.Xsqlite3_bind_parameter_count(c.tls, r.st)); n != len(args) {
		return fmt.Errorf("store: %d arguments for %d parameters", len(args), n)
	}
	for i, a := range args {
		if err := r.bind(int32(i+1), a); err != nil {
			return err
		}
	}
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch rc := sqlite3.Xsqlite3_step(c.tls, r.st); rc {
		case sqlite3.SQLITE_ROW:
			if err := fn(r); err != nil {
				return err
			}
		case sqlite3.SQLITE_DONE:
			return nil
		default:
			return c.err(rc)
		}
	}
}

// directRows is the current row of a directConn query.
type directRows struct {
	c  *directConn
	st uintptr
}

// bind binds a to parameter i (from 1).
func (r *directRows) bind(i int32, a interface{}) error {
	var rc int32
	switch a := a.(type) {
	case string:
		ca, err := libc.CString(a)
		if err != nil {
			return err
		}
		// SQLITE_TRANSIENT (-1): SQLite copies the text now.
		rc = sqlite3.Xsqlite3_bind_text(r.c.tls, r.st, i, ca, int32(len(a)), ^uintptr(0))
		libc.Xfree(r.c.tls, ca)
	case int64:
		rc = sqlite3.Xsqlite3_bind_int64(r.c.tls, r.st, i, a)
	case int:
		rc = sqlite3.Xsqlite3_bind_int64(r.c.tls, r.st, i, int64(a))
	default:
		return fmt.Errorf("store: argument %d is %T, not text or an integer", i, a)
	}
	if rc != sqlite3.SQLITE_OK {
		return r.c.err(rc)
	}
	return nil
}

// Scan copies the row's columns into dest, as database/sql's Rows.Scan
// does for the destinations the store uses (*string, *[]byte, *int64,
// *int): a NULL is an error (nil for *[]byte), a number read as text is
// its decimal form, text read as a number must be one. TestDirectScan
// holds it to database/sql.
func (r *directRows) Scan(dest ...interface{}) error {
	tls, st := r.c.tls, r.st
	if n := int(sqlite3.Xsqlite3_column_count(tls, st)); n != len(dest) {
		return fmt.Errorf("sql: expected %d destination arguments in Scan, not %d", n, len(dest))
	}
	for i, d := range dest {
		col := int32(i)
		typ := sqlite3.Xsqlite3_column_type(tls, st, col)
		if b, ok := d.(*[]byte); ok {
			*b = r.bytes(col, typ)
			continue
		}
		if typ == sqlite3.SQLITE_NULL {
			return fmt.Errorf("sql: Scan error on column index %d, name %q: converting NULL to %T is unsupported", i, r.name(col), d)
		}
		switch d := d.(type) {
		case *string:
			*d = r.text(col, typ)
		case *int64:
			v, err := r.int(col, typ, 64)
			if err != nil {
				return err
			}
			*d = v
		case *int:
			v, err := r.int(col, typ, strconv.IntSize)
			if err != nil {
				return err
			}
			*d = int(v)
		default:
			return fmt.Errorf("store: cannot scan column %d into %T", i, d)
		}
	}
	return nil
}

// text is column col as text: a copy, since SQLite reuses its memory at
// the next step.
func (r *directRows) text(col, typ int32) string {
	if typ == sqlite3.SQLITE_FLOAT {
		// database/sql's form of a float64, not SQLite's ("3", not "3.0").
		return strconv.FormatFloat(sqlite3.Xsqlite3_column_double(r.c.tls, r.st, col), 'g', -1, 64)
	}
	p := sqlite3.Xsqlite3_column_text(r.c.tls, r.st, col)
	n := sqlite3.Xsqlite3_column_bytes(r.c.tls, r.st, col)
	if p == 0 || n <= 0 {
		return ""
	}
	return string(unsafe.Slice((*byte)(cmem(p)), n))
}

// bytes is column col as bytes, as database/sql gives them: a copy; nil
// for NULL and for an empty blob, empty (not nil) for empty text.
func (r *directRows) bytes(col, typ int32) []byte {
	switch typ {
	case sqlite3.SQLITE_NULL:
		return nil
	case sqlite3.SQLITE_BLOB:
		p := sqlite3.Xsqlite3_column_blob(r.c.tls, r.st, col)
		n := sqlite3.Xsqlite3_column_bytes(r.c.tls, r.st, col)
		if p == 0 || n <= 0 {
			return nil
		}
		return append([]byte(nil), unsafe.Slice((*byte)(cmem(p)), n)...)
	}
	return []byte(r.text(col, typ))
}

// cmem is the address p of C memory (SQLite's, or libc's allocations,
// never on Go's heap, which the collector could move) as a pointer. Reading p's
// bits as a pointer, rather than converting it, keeps vet's check of
// uintptr conversions, which is right for Go's memory, quiet.
func cmem(p uintptr) unsafe.Pointer { return *(*unsafe.Pointer)(unsafe.Pointer(&p)) }

func (r *directRows) int(col, typ int32, bits int) (int64, error) {
	if typ == sqlite3.SQLITE_INTEGER {
		v := sqlite3.Xsqlite3_column_int64(r.c.tls, r.st, col)
		if bits < 64 && (v < -1<<(bits-1) || v >= 1<<(bits-1)) {
			return 0, fmt.Errorf("sql: Scan error on column index %d, name %q: value %d out of range", col, r.name(col), v)
		}
		return v, nil
	}
	s := r.text(col, typ)
	v, err := strconv.ParseInt(s, 10, bits)
	if err != nil {
		return 0, fmt.Errorf("sql: Scan error on column index %d, name %q: converting driver.Value type string (%q) to a int: %w", col, r.name(col), s, err)
	}
	return v, nil
}

func (r *directRows) name(col int32) string {
	return libc.GoString(sqlite3.Xsqlite3_column_name(r.c.tls, r.st, col))
}
