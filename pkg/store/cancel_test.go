package store

import (
	"context"
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
// with "interrupted", and the database stays open after Close.
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
	rnd := rand.New(rand.NewSource(1))
	failed := 0
	for i := 0; i < 400; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		delay := time.Duration(rnd.Intn(400)) * time.Microsecond
		go func() { time.Sleep(delay); cancel() }()
		rows, err := db.db.QueryContext(ctx, q)
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
