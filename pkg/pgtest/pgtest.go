// Package pgtest starts a throwaway PostgreSQL server for tests and
// benchmarks: initdb into a temporary folder, a server that listens on a
// Unix socket in that folder only (no TCP port, so parallel runs never
// collide), databases made on demand, and everything removed by Stop.
// It needs the server binaries of Debian's postgresql package (initdb,
// postgres, found on PATH or under /usr/lib/postgresql/*/bin); without
// them Start returns ErrNoServer and a test skips, saying why.
//
// PostgreSQL refuses to run as root, and CI runs as root: then the
// server runs as the postgres user the package creates (else as nobody),
// and the folder is handed to that user.
package pgtest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrNoServer means no PostgreSQL server can be started here: its
// binaries are not installed, or this system cannot run them. Tests
// against PostgreSQL skip, saying which.
var ErrNoServer = errors.New("pgtest: no PostgreSQL server to test against, the tests against PostgreSQL are skipped")

// Options configure a server.
type Options struct {
	// Durable keeps fsync and synchronous commit on, as a production
	// server has them (the benchmark); tests turn them off for speed,
	// which changes nothing they check.
	Durable bool
}

// Server is a running throwaway PostgreSQL server.
type Server struct {
	dir  string // holds data/, the socket and the log
	bin  string // the folder of initdb and postgres
	opts Options
	as   *user.User // who runs the server, when we are root

	mu   sync.Mutex
	proc *exec.Cmd
	done chan struct{} // closed when the server process has ended
	n    int           // databases made
}

// Start initializes a cluster in a new temporary folder and starts its
// server. It returns ErrNoServer when the binaries are missing.
func Start(opts Options) (*Server, error) {
	if runtime.GOOS == "windows" {
		// The tests also run as Windows programs under Wine, where the
		// Linux server binaries are visible on drive Z: but cannot start.
		return nil, fmt.Errorf("%w: a Windows program (under Wine) cannot start the server's Linux binaries", ErrNoServer)
	}
	bin, err := findBin()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "actcourier-pg-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir, bin: bin, opts: opts}
	if os.Geteuid() == 0 {
		if s.as, err = serverUser(); err == nil {
			err = chown(dir, s.as)
		}
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	// C.UTF-8 for the cluster; each test database gets a linguistic
	// (ICU) default collation where the server has ICU, as a DBA's
	// database would, so that a test proves the store does not depend
	// on it (CreateDB).
	initdb := s.command(filepath.Join(bin, "initdb"), "-D", s.data(), "-U", "postgres", "--auth=trust", "-E", "UTF8",
		"--locale=C.UTF-8", "--no-sync")
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	if err := s.start(); err != nil {
		// A server that runs but does not answer is stopped before its
		// folder goes: nothing else could stop it.
		s.stop(context.Background())
		os.RemoveAll(dir)
		return nil, err
	}
	return s, nil
}

// findBin returns the folder of initdb and postgres: PATH first, then
// Debian's versioned folders, newest first.
func findBin() (string, error) {
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := exec.LookPath("postgres"); err == nil {
			if real, err := filepath.EvalSymlinks(p); err == nil {
				return filepath.Dir(real), nil
			}
			return filepath.Dir(p), nil
		}
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return version(dirs[i]) > version(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "postgres")); err == nil {
			if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
				return d, nil
			}
		}
	}
	return "", fmt.Errorf("%w: its binaries (initdb, postgres) are not installed: install Debian's postgresql package (make deps does)", ErrNoServer)
}

func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

// serverUser is who runs the server when we are root: the postgres user
// that Debian's package creates, else nobody.
func serverUser() (*user.User, error) {
	for _, name := range []string{"postgres", "nobody"} {
		if u, err := user.Lookup(name); err == nil {
			return u, nil
		}
	}
	return nil, errors.New("pgtest: running as root and there is no postgres or nobody user to run the server as")
}

func chown(dir string, u *user.User) error {
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return os.Chown(dir, uid, gid)
}

func (s *Server) data() string { return filepath.Join(s.dir, "data") }

// start runs the server as a child process and waits until it accepts
// connections.
func (s *Server) start() error {
	args := []string{"-D", s.data(), "-k", s.dir, "-c", "listen_addresses=", "-c", "max_connections=200",
		"-c", "shared_buffers=128MB", "-c", "log_min_messages=warning"}
	if !s.opts.Durable {
		args = append(args, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off")
	}
	log, err := os.OpenFile(filepath.Join(s.dir, "server.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := s.command(filepath.Join(s.bin, "postgres"), args...)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("pgtest: start the server: %w", err)
	}
	// done is closed, not sent to, so that every wait sees the end: a
	// start that saw the server end, then Stop, used to wait for ever.
	done := make(chan struct{})
	var waitErr error
	go func() { waitErr = cmd.Wait(); log.Close(); close(done) }()
	s.mu.Lock()
	s.proc, s.done = cmd, done
	s.mu.Unlock()
	// The socket appears when the server accepts connections.
	sock := filepath.Join(s.dir, ".s.PGSQL.5432")
	for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case <-done:
			out, _ := os.ReadFile(filepath.Join(s.dir, "server.log"))
			return fmt.Errorf("pgtest: the server stopped at start: %v\n%s", waitErr, out)
		default:
		}
		if _, err := os.Stat(sock); err == nil {
			if out, err := s.psql("postgres", "SELECT 1"); err == nil {
				return nil
			} else if !strings.Contains(out, "starting up") {
				return fmt.Errorf("pgtest: %v\n%s", err, out)
			}
		}
	}
	s.kill()
	return errors.New("pgtest: the server did not start within 60 s")
}

// psql runs one SQL command in database db as the superuser.
func (s *Server) psql(db, sql string) (string, error) {
	cmd := exec.Command(filepath.Join(s.bin, "psql"), "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", s.dir, "-U", "postgres", "-d", db, "-c", sql)
	cmd.Env = append(os.Environ(), "PGCONNECT_TIMEOUT=10")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// Exec runs one SQL command in database db as the superuser (CREATE ROLE,
// GRANT and the like, which a test sets up as a DBA would).
func (s *Server) Exec(db, sql string) error {
	if out, err := s.psql(db, sql); err != nil {
		return fmt.Errorf("pgtest: %s: %v\n%s", sql, err, out)
	}
	return nil
}

// DSN is the connection string of database db as user, over the socket.
func (s *Server) DSN(db, user string) string {
	return fmt.Sprintf("postgres://%s@/%s?host=%s&sslmode=disable", user, db, s.dir)
}

// CreateDB makes a new empty database and returns its name. Its default
// collation is ICU's en-US where the server has ICU, as a production
// database often has a linguistic one.
func (s *Server) CreateDB() (string, error) {
	s.mu.Lock()
	s.n++
	name := fmt.Sprintf("fleet%d", s.n)
	s.mu.Unlock()
	err := s.Exec("postgres", "CREATE DATABASE "+name+" TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'")
	if err != nil {
		err = s.Exec("postgres", "CREATE DATABASE "+name+" TEMPLATE template0")
	}
	return name, err
}

// Down stops the server as an administrator's fast shutdown does: the
// sessions are ended with SQLSTATE 57P01, and connections are refused
// until Up. The data stays.
func (s *Server) Down(ctx context.Context) error { return s.stop(ctx) }

// Up starts the server again after Down.
func (s *Server) Up() error { return s.start() }

// Stop stops the server and removes its folder.
func (s *Server) Stop() error {
	err := s.stop(context.Background())
	if rmErr := os.RemoveAll(s.dir); err == nil {
		err = rmErr
	}
	return err
}

// stop sends the fast-shutdown signal and waits for the server to end;
// after 30 s, or when ctx ends, it kills it.
func (s *Server) stop(ctx context.Context) error {
	s.mu.Lock()
	proc, done := s.proc, s.done
	s.mu.Unlock()
	if proc == nil {
		return nil
	}
	signalFast(proc)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		s.kill()
		<-done
	case <-ctx.Done():
		s.kill()
		<-done
	}
	s.mu.Lock()
	s.proc = nil
	s.mu.Unlock()
	return nil
}

func (s *Server) kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.proc != nil && s.proc.Process != nil {
		s.proc.Process.Kill()
	}
}

// command runs name as the server's user.
func (s *Server) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	cmd.Dir = s.dir
	endWithUs(cmd)
	if s.as != nil {
		asUser(cmd, s.as)
	}
	return cmd
}
