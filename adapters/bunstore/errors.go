package bunstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/authd/authd/domain"
)

// translate maps driver errors to domain errors: unique violations by index
// name, missing rows, and every sign of an unreachable database.
func translate(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return domain.ErrNotFound
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return translatePostgres(pgErr, err)
	}
	msg := err.Error()
	if strings.Contains(msg, "UNIQUE constraint failed") {
		return uniqueViolation(msg, err)
	}
	if unavailable(err) {
		return domain.Unavailable("database", err)
	}
	return err
}

func translatePostgres(pgErr pgdriver.Error, err error) error {
	code := pgErr.Field('C')
	switch {
	case code == "23505":
		return uniqueViolation(pgErr.Field('n'), err)
	case strings.HasPrefix(code, "08"), // connection exceptions
		code == "57P01", code == "57P02", code == "57P03", // shutdown, crash, starting up
		strings.HasPrefix(code, "53"),    // insufficient resources: connections, disk, memory
		code == "25006",                  // read-only transaction: a failover or a replica
		code == "57014",                  // statement timeout or cancel
		code == "40001", code == "40P01", // serialization failure, deadlock: retry
		code == "55P03", // lock not available
		pgErr.Field('V') == "FATAL", pgErr.Field('V') == "PANIC":
		return domain.Unavailable("database", err)
	}
	return err
}

// uniqueViolation picks the sentinel from the index name (Postgres) or the
// error message (SQLite names the index or the column).
func uniqueViolation(name string, err error) error {
	switch {
	case strings.Contains(name, "username"):
		return domain.ErrUsernameTaken
	case strings.Contains(name, "email"):
		return domain.ErrEmailTaken
	case strings.Contains(name, "phone"):
		return domain.ErrPhoneTaken
	}
	return err
}

// sqliteCoder is the error of modernc.org/sqlite (behind sqliteshim).
type sqliteCoder interface{ Code() int }

func unavailable(err error) bool {
	var netErr net.Error
	var sqliteErr sqliteCoder
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.Is(err, sql.ErrConnDone),
		errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET),
		errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.As(err, &netErr):
		return true
	case errors.As(err, &sqliteErr):
		// SQLITE_BUSY (5) and SQLITE_LOCKED (6) after busy_timeout: the
		// database is held by someone else, retrying later may work.
		c := sqliteErr.Code() & 0xff
		return c == 5 || c == 6
	}
	return false
}
