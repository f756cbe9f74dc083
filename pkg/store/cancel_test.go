package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestCancelledQueries: queries whose context ends as they start leave
// nothing behind, and a context's end still stops a query (driver.go).
// Without sqliteConnector, modernc.org/sqlite v1.33.1 loses some of
// these queries' statements: later queries on their connections fail
// with "interrupted", and the database stays open after Close. The race
// needs two threads running at once (it is not seen with GOMAXPROCS=1);
// TestQueryContexts checks the connector without one.
func TestCancelledQueries(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fleet.db")
	db, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// A query of many columns: naming them is most of the time between
	// the first step and the end of the query, where an ending context
	// lost the statement.
	cols := make([]string, 400)
	for i := range cols {
		cols[i] = "1 AS c" + strings.Repeat("x", i%7) + string(rune('a'+i%26))
	}
	q := "SELECT " + strings.Join(cols, ", ")
	// Every other query by a prepared statement, as the import's writer
	// runs its lookups.
	ps, err := db.db.Prepare(q)
	if err != nil {
		t.Fatal(err)
	}
	defer ps.Close()
	rnd := rand.New(rand.NewSource(1))
	failed := 0
	for i := 0; i < 400; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		delay := time.Duration(rnd.Intn(400)) * time.Microsecond
		go func() { time.Sleep(delay); cancel() }()
		query := db.db.QueryContext
		if i%2 == 1 {
			query = func(ctx context.Context, _ string, _ ...interface{}) (*sql.Rows, error) { return ps.QueryContext(ctx) }
		}
		rows, err := query(ctx, q)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Close()
		}
		if err != nil && !errors.Is(err, context.Canceled) {
			if failed++; failed <= 3 {
				t.Errorf("query %d: %v", i, err)
			}
		}
		cancel()
	}
	if failed > 0 {
		t.Errorf("%d of 400 queries failed otherwise than cancelled", failed)
	}

	// A context that has ended stops a query before it starts, and one
	// that ends while rows are read stops the reading.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := db.db.QueryContext(ctx, "SELECT 1"); !errors.Is(err, context.Canceled) {
		t.Errorf("a query with an ended context: %v", err)
	}
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	rows, err := db.db.QueryContext(ctx, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT i FROM n")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		if n++; n == 100 {
			cancel()
		}
		if n > 1e6 {
			t.Fatal("reading went on after the context ended")
		}
	}
	if err := rows.Err(); !errors.Is(err, context.Canceled) {
		t.Errorf("rows read after the context ended: %v", err)
	}
	rows.Close()

	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// Closed means closed: no file of the database is open.
	if runtime.GOOS == "windows" {
		if err := os.Remove(path); err != nil {
			t.Errorf("the database file is still open after Close: %v", err)
		}
		return
	}
	fds, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skipf("cannot list open files: %v", err)
	}
	for _, fd := range fds {
		if target, err := os.Readlink(filepath.Join("/proc/self/fd", fd.Name())); err == nil && strings.HasPrefix(target, path) {
			t.Errorf("%s is still open after Close", target)
		}
	}
}

// TestQueryContexts: the driver's queries get a context that never ends,
// by a connection and by a prepared statement, with the caller's values;
// a caller's context that has ended starts no query. Statements run by
// Exec keep the caller's context.
func TestQueryContexts(t *testing.T) {
	type key struct{}
	fc := &fakeConn{}
	c := sqliteConn{fc}
	ctx, cancel := context.WithCancel(context.WithValue(context.Background(), key{}, "v"))
	defer cancel()
	st, err := c.PrepareContext(ctx, "SELECT 1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.QueryContext(ctx, "SELECT 1", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.(driver.StmtQueryContext).QueryContext(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := st.(driver.StmtExecContext).ExecContext(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ExecContext(ctx, "DELETE FROM t", nil); err != nil {
		t.Fatal(err)
	}
	want := []string{"conn query: never ends", "stmt query: never ends", "stmt exec: ends", "conn exec: ends"}
	if strings.Join(fc.seen, "; ") != strings.Join(want, "; ") {
		t.Errorf("the driver saw %q, want %q", fc.seen, want)
	}
	for i, got := range fc.ctxs {
		if got.Value(key{}) != "v" {
			t.Errorf("%s: the caller's values are lost", fc.seen[i])
		}
	}
	cancel()
	fc.seen = nil
	if _, err := c.QueryContext(ctx, "SELECT 1", nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a connection's query with an ended context: %v", err)
	}
	if _, err := st.(driver.StmtQueryContext).QueryContext(ctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("a statement's query with an ended context: %v", err)
	}
	if len(fc.seen) > 0 {
		t.Errorf("queries with an ended context reached the driver: %q", fc.seen)
	}
}

// fakeConn records the contexts a driver's connection and statements get.
type fakeConn struct {
	seen []string
	ctxs []context.Context
}

func (f *fakeConn) note(what string, ctx context.Context) {
	ends := "ends"
	if ctx.Done() == nil {
		ends = "never ends"
	}
	f.seen = append(f.seen, what+": "+ends)
	f.ctxs = append(f.ctxs, ctx)
}

func (f *fakeConn) Prepare(string) (driver.Stmt, error) { return &fakeStmt{f}, nil }
func (f *fakeConn) Close() error                        { return nil }
func (f *fakeConn) Begin() (driver.Tx, error)           { return nil, errors.New("no") }
func (f *fakeConn) BeginTx(context.Context, driver.TxOptions) (driver.Tx, error) {
	return nil, errors.New("no")
}
func (f *fakeConn) PrepareContext(context.Context, string) (driver.Stmt, error) {
	return &fakeStmt{f}, nil
}
func (f *fakeConn) ExecContext(ctx context.Context, _ string, _ []driver.NamedValue) (driver.Result, error) {
	f.note("conn exec", ctx)
	return driver.RowsAffected(0), nil
}
func (f *fakeConn) QueryContext(ctx context.Context, _ string, _ []driver.NamedValue) (driver.Rows, error) {
	f.note("conn query", ctx)
	return nil, nil
}
func (f *fakeConn) Ping(context.Context) error { return nil }

type fakeStmt struct{ c *fakeConn }

func (s *fakeStmt) Close() error                               { return nil }
func (s *fakeStmt) NumInput() int                              { return 0 }
func (s *fakeStmt) Exec([]driver.Value) (driver.Result, error) { return nil, errors.New("no") }
func (s *fakeStmt) Query([]driver.Value) (driver.Rows, error)  { return nil, errors.New("no") }
func (s *fakeStmt) ExecContext(ctx context.Context, _ []driver.NamedValue) (driver.Result, error) {
	s.c.note("stmt exec", ctx)
	return driver.RowsAffected(0), nil
}
func (s *fakeStmt) QueryContext(ctx context.Context, _ []driver.NamedValue) (driver.Rows, error) {
	s.c.note("stmt query", ctx)
	return nil, nil
}
