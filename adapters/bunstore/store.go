package bunstore

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/driver/pgdriver"
	"github.com/uptrace/bun/driver/sqliteshim"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var (
	_ ports.Users         = (*Store)(nil)
	_ ports.RefreshTokens = (*Store)(nil)
	_ ports.SMSLog        = (*Store)(nil)
	_ ports.HealthCheck   = (*Store)(nil)
)

// Store is the database: it implements Users, RefreshTokens, SMSLog and the
// "database" health check.
type Store struct {
	db      *bun.DB
	dialect Dialect
	logger  *slog.Logger
	sqlite  sqliteStmts // the SQLite first login's prepared statements
}

// sqliteParams: WAL lets readers run beside the writer; busy_timeout makes
// a second writer (another process) wait instead of failing; _txlock=immediate
// takes the write lock at BEGIN, so a transaction never fails half-way when
// upgrading from reader to writer.
const sqliteParams = "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)" +
	"&_pragma=foreign_keys(1)&_pragma=synchronous(NORMAL)&_txlock=immediate"

// Open validates cfg and opens the pool without connecting: an unreachable
// database shows up as domain.ErrUnavailable on first use (or in Migrate and
// CheckSchema), and the pool reconnects by itself once it is back.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{dialect: cfg.Dialect(), logger: logger}
	switch s.dialect {
	case SQLite:
		path := cfg.sqlitePath()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, &domain.ConfigError{Key: "AUTHD_DATABASE_URL", Msg: "create directory: " + err.Error()}
		}
		if err := privateFile(path); err != nil {
			return nil, &domain.ConfigError{Key: "AUTHD_DATABASE_URL", Msg: err.Error()}
		}
		sqldb, err := sql.Open(sqliteshim.ShimName, "file:"+path+sqliteParams)
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// One connection: SQLite has one writer anyway, and queueing in the
		// pool is fairer and faster than writers polling the busy lock.
		sqldb.SetMaxOpenConns(max(cfg.MaxOpenConns, 1))
		s.db = bun.NewDB(sqldb, sqlitedialect.New())
	case Postgres:
		connector, err := pgConnector(cfg.DatabaseURL)
		if err != nil {
			return nil, err
		}
		sqldb := sql.OpenDB(connector)
		n := cfg.MaxOpenConns
		if n == 0 {
			n = 20
		}
		sqldb.SetMaxOpenConns(n)
		sqldb.SetMaxIdleConns(n)
		s.db = bun.NewDB(sqldb, pgdialect.New())
	}
	return s, ctx.Err()
}

// pgConnector turns pgdriver's panic on a malformed DSN into a config error.
func pgConnector(dsn string) (c *pgdriver.Connector, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &domain.ConfigError{Key: "AUTHD_DATABASE_URL", Msg: fmt.Sprint(r)}
		}
	}()
	return pgdriver.NewConnector(pgdriver.WithDSN(dsn), pgdriver.WithApplicationName("authd")), nil
}

// Dialect reports which database the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Close closes the pool.
func (s *Store) Close() error {
	s.sqlite.close()
	return s.db.Close()
}

// Name names the health check.
func (s *Store) Name() string { return "database" }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error { return translate(s.db.PingContext(ctx)) }

// privateFile creates the database file readable by its owner only, as the
// signing key and code secret are (SQLite would create it 0644 under the
// usual umask, and its -wal and -shm files copy the mode), and takes group
// and other access away from one made before.
func privateFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("create database file: %w", err)
	}
	fi, err := f.Stat()
	if err == nil && fi.Mode().Perm()&0o077 != 0 {
		err = f.Chmod(fi.Mode().Perm() &^ 0o077)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("database file: %w", err)
	}
	return nil
}
