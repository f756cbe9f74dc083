package store

import (
	"context"
	"database/sql"
	"strconv"
	"sync"
)

// dialect is what differs between the two stores. The statements are
// written once, in SQLite's SQL; rewrite turns each into the other's
// (pgRewrite) before it is prepared, once per statement text.
type dialect struct {
	name       string
	migrations []string
	rewrite    func(string) string // nil: run as written
	// txOptions and lock make a write transaction: lock, when set, is
	// its first statement and serializes the fleet's writers.
	txOptions *sql.TxOptions
	lock      string
	// retryable reports whether a transaction that failed with err may
	// simply be run again (it was rolled back).
	retryable func(error) bool
	// version and setVersion read and write the number of migrations
	// applied.
	version    func(q querier) (int, error)
	setVersion func(tx *sql.Tx, v int) error
}

var sqliteDialect = &dialect{
	name:       "SQLite",
	migrations: migrations,
	txOptions:  nil, // BEGIN IMMEDIATE (the _txlock of the connection string) takes the write lock
	retryable:  busy,
	version: func(q querier) (int, error) {
		var v int
		err := q.QueryRowContext(context.Background(), "PRAGMA user_version").Scan(&v)
		return v, err
	},
	setVersion: func(tx *sql.Tx, v int) error {
		_, err := tx.Exec("PRAGMA user_version = " + strconv.Itoa(v))
		return err
	},
}

// querier is what reads: a *sql.DB, *sql.Conn or *sql.Tx.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...interface{}) *sql.Row
}

// rewritten caches the statements of the PostgreSQL dialect.
var rewritten sync.Map // SQLite text -> PostgreSQL text

// q returns query in the store's SQL.
func (d *DB) q(query string) string {
	if d.dialect.rewrite == nil {
		return query
	}
	if s, ok := rewritten.Load(query); ok {
		return s.(string)
	}
	s := d.dialect.rewrite(query)
	rewritten.Store(query, s)
	return s
}

// begin starts a write transaction: at once the only writer of the
// fleet.
func (d *DB) begin(ctx context.Context) (*sql.Tx, error) { return d.beginOn(ctx, d.db) }

// beginOn is begin on b: the database's pool, or a connection the caller
// holds (*sql.Conn).
func (d *DB) beginOn(ctx context.Context, b interface {
	BeginTx(context.Context, *sql.TxOptions) (*sql.Tx, error)
}) (*sql.Tx, error) {
	tx, err := b.BeginTx(ctx, d.dialect.txOptions)
	if err != nil || d.dialect.lock == "" {
		return tx, err
	}
	if _, err := tx.ExecContext(ctx, d.dialect.lock); err != nil {
		tx.Rollback()
		return nil, err
	}
	return tx, nil
}
