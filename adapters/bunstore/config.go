package bunstore

import (
	"strings"

	"github.com/authd/authd/domain"
)

// Config selects and sizes the database.
type Config struct {
	// DatabaseURL is AUTHD_DATABASE_URL: "sqlite:PATH" (the directory is
	// created) or "postgres://user@host:port/db?sslmode=disable".
	DatabaseURL string
	// MaxOpenConns is AUTHD_DATABASE_MAX_OPEN_CONNS: the pool size; 0 picks
	// a default per dialect (SQLite 1, Postgres 20).
	MaxOpenConns int
}

// Dialect names the database kind a URL selects.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// Dialect reports which database the URL selects ("" when it is invalid).
func (c Config) Dialect() Dialect {
	switch {
	case strings.HasPrefix(c.DatabaseURL, "sqlite:"):
		return SQLite
	case strings.HasPrefix(c.DatabaseURL, "postgres://"), strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		return Postgres
	}
	return ""
}

// sqlitePath is the file path of a "sqlite:PATH" URL.
func (c Config) sqlitePath() string {
	return strings.TrimPrefix(c.DatabaseURL, "sqlite:")
}

// Validate checks the URL scheme and the pool size.
func (c Config) Validate() error {
	switch c.Dialect() {
	case SQLite:
		if p := c.sqlitePath(); p == "" || strings.ContainsAny(p, "?#") {
			return &domain.ConfigError{Key: "AUTHD_DATABASE_URL", Msg: `want "sqlite:PATH" with a file path without '?' or '#'`}
		}
	case Postgres:
		// The 2-connection minimum: Migrate holds one connection for the
		// advisory lock while the migrations run on another.
		if c.MaxOpenConns == 1 {
			return &domain.ConfigError{Key: "AUTHD_DATABASE_MAX_OPEN_CONNS", Msg: "must be at least 2 on Postgres"}
		}
	default:
		return &domain.ConfigError{Key: "AUTHD_DATABASE_URL", Msg: `unknown scheme: want "sqlite:PATH" or "postgres://..."`}
	}
	if c.MaxOpenConns < 0 {
		return &domain.ConfigError{Key: "AUTHD_DATABASE_MAX_OPEN_CONNS", Msg: "must not be negative"}
	}
	return nil
}
