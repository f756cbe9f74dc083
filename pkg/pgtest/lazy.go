package pgtest

import (
	"errors"
	"os"
	"sync"
	"testing"
)

// Lazy is the server of one test binary, started by its first test that
// needs it: a package's tests that never touch PostgreSQL start none.
// TestMain calls Stop after m.Run.
type Lazy struct {
	once sync.Once
	srv  *Server
	err  error
}

// Required reports whether a missing server must fail the tests rather
// than skip them: ACTCOURIER_TEST_DB=postgres asks for PostgreSQL (make
// test does, after installing it).
func Required() bool { return os.Getenv("ACTCOURIER_TEST_DB") == "postgres" }

// Server returns the running server, starting it on the first call. With
// no server binaries installed, t is skipped with ErrNoServer's reason
// (failed when Required); a server that does not start fails t.
func (l *Lazy) Server(t testing.TB) *Server {
	t.Helper()
	l.once.Do(func() { l.srv, l.err = Start(Options{}) })
	switch {
	case errors.Is(l.err, ErrNoServer) && !Required():
		t.Skip(l.err.Error())
	case l.err != nil:
		t.Fatal(l.err)
	}
	return l.srv
}

// DB makes a new empty database on the server and returns its DSN, for
// the server's superuser.
func (l *Lazy) DB(t testing.TB) string {
	t.Helper()
	s := l.Server(t)
	name, err := s.CreateDB()
	if err != nil {
		t.Fatal(err)
	}
	return s.DSN(name, "postgres")
}

// Stop stops the server, if one was started.
func (l *Lazy) Stop() {
	if l.srv != nil {
		l.srv.Stop()
	}
}
