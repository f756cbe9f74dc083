package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"time"
)

// sqliteConnector opens SQLite connections whose queries never see their
// context end.
//
// modernc.org/sqlite v1.33.1 loses the rows of a query whose context ends
// between its first step and its return: they are never finalized. The
// lost statement keeps its connection open after Close (on Windows the
// database file cannot then be removed or moved until the process exits),
// holds a read snapshot that keeps the log from being checkpointed, and
// keeps the interrupt that ended it pending: the connection's next
// queries fail with "interrupted". A report that fails or is cancelled
// ends the context of queries just starting. v1.41.0 closes the rows, but
// its go.mod says go 1.24, which would raise this module's go line, and
// the collector is built with Go 1.20; every release whose go.mod allows
// go 1.20 has the leak.
//
// So a query's driver gets a context that never ends. database/sql still
// watches the caller's context: a query whose context has ended does not
// start, and the rows of one whose context ends are closed with its error
// (rows read to their end before that are whole). What is lost is
// interrupting a query inside its first step, where some of ours do all
// their work: PRAGMA integrity_check and the consistency count of Check
// (check, migrate), Counts, the KMS pools, and the sort of a report as of
// an earlier date. Ctrl-C waits for them (Check takes about a second per
// 100,000 devices). Statements run by Exec, and BEGIN, still get the
// caller's context; they lose nothing when interrupted (modernc commits
// without one). TestCancelledQueries shows the lost statements without
// this, when the machine runs two threads at once; TestQueryContexts
// checks what each path gives the driver.
//
// sql.Conn.Raw gets the wrapper, not modernc's connection: modernc's
// helpers that need its connection (Limit, backups, Serialize) would not
// work through it. The store uses none.
type sqliteConnector struct {
	dsn string
	drv driver.Driver
}

// openSQLite is sql.Open("sqlite", dsn), its queries run by
// sqliteConnector: the driver is the one modernc.org/sqlite registers,
// with what is registered on it.
func openSQLite(dsn string) (*sql.DB, error) {
	reg, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	drv := reg.Driver()
	reg.Close()
	return sql.OpenDB(sqliteConnector{dsn: dsn, drv: drv}), nil
}

func (c sqliteConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	dc, ok := conn.(sqliteDriverConn)
	if !ok {
		conn.Close()
		return nil, fmt.Errorf("store: the SQLite driver's connection (%T) lacks BeginTx, PrepareContext, ExecContext, QueryContext or Ping", conn)
	}
	return sqliteConn{dc}, nil
}

func (c sqliteConnector) Driver() driver.Driver { return c.drv }

// sqliteDriverConn is what database/sql uses of a modernc.org/sqlite
// connection.
type sqliteDriverConn interface {
	driver.Conn
	driver.ConnBeginTx
	driver.ConnPrepareContext
	driver.ExecerContext
	driver.QueryerContext
	driver.Pinger
}

// sqliteConn is a connection whose queries run with a context that never
// ends (sqliteConnector).
type sqliteConn struct{ sqliteDriverConn }

func (c sqliteConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.sqliteDriverConn.QueryContext(unending{ctx}, query, args)
}

func (c sqliteConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := c.sqliteDriverConn.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	ds, ok := s.(sqliteDriverStmt)
	if !ok {
		s.Close()
		return nil, fmt.Errorf("store: the SQLite driver's statement (%T) lacks ExecContext or QueryContext", s)
	}
	return sqliteStmt{ds}, nil
}

func (c sqliteConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

// sqliteDriverStmt is what database/sql uses of a modernc.org/sqlite
// prepared statement.
type sqliteDriverStmt interface {
	driver.Stmt
	driver.StmtExecContext
	driver.StmtQueryContext
}

// sqliteStmt is a prepared statement whose queries run with a context
// that never ends (sqliteConnector).
type sqliteStmt struct{ sqliteDriverStmt }

func (s sqliteStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return s.sqliteDriverStmt.QueryContext(unending{ctx}, args)
}

// unending is a context's values without its end: context.WithoutCancel,
// which is newer than the module's go line.
type unending struct{ context.Context }

func (unending) Deadline() (time.Time, bool) { return time.Time{}, false }
func (unending) Done() <-chan struct{}       { return nil }
func (unending) Err() error                  { return nil }
