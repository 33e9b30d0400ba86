package bunstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
)

// ErrSchemaBehind is returned by CheckSchema when migrations are pending.
var ErrSchemaBehind = errors.New(`database schema is behind: run "authd migrate"`)

// migrationLockKey is the Postgres advisory lock key serialising Migrate
// across processes ("authd" in ASCII).
const migrationLockKey = 0x6175746864

// Migrate applies every pending migration; it is a no-op when none is
// pending. On Postgres it holds an advisory lock, so several instances
// starting at once migrate one after the other.
func (s *Store) Migrate(ctx context.Context) error {
	unlock, err := s.lockMigrations(ctx)
	if err != nil {
		return translate(err)
	}
	defer unlock()
	m := s.migrator()
	if err := m.Init(ctx); err != nil {
		return fmt.Errorf("migrate: init: %w", translate(err))
	}
	group, err := m.Migrate(ctx)
	if err != nil {
		return fmt.Errorf("migrate: %w", translate(err))
	}
	if !group.IsZero() {
		s.logger.InfoContext(ctx, "database migrated", "dialect", string(s.dialect), "migrations", group.Migrations.String())
	}
	return nil
}

// lockMigrations takes the advisory lock on a dedicated connection (the
// lock belongs to the session) and returns its release.
func (s *Store) lockMigrations(ctx context.Context) (func(), error) {
	if s.dialect != Postgres {
		return func() {}, nil
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	// Poll pg_try_advisory_lock rather than wait in pg_advisory_lock: a
	// waiting statement holds a snapshot, and CREATE INDEX CONCURRENTLY in
	// the lock holder's migration waits for every snapshot to end, so the
	// two would wait for each other.
	for {
		var locked bool
		err := conn.QueryRowContext(ctx, "SELECT pg_try_advisory_lock(?)", migrationLockKey).Scan(&locked)
		if err == nil && locked {
			break
		}
		if err == nil {
			select {
			case <-ctx.Done():
				err = ctx.Err()
			case <-time.After(100 * time.Millisecond):
				continue
			}
		}
		_ = conn.Close()
		return nil, err
	}
	return func() {
		// Unlock even when ctx is done; closing the connection would
		// release the lock too, but it goes back to the pool.
		_, _ = conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock(?)", migrationLockKey)
		_ = conn.Close()
	}, nil
}

// CheckSchema returns ErrSchemaBehind when migrations are pending (or the
// database was never migrated). It writes nothing.
func (s *Store) CheckSchema(ctx context.Context) error {
	ms, err := s.migrator().MigrationsWithStatus(ctx)
	if err != nil {
		if missingTable(err) {
			return ErrSchemaBehind
		}
		return fmt.Errorf("check schema: %w", translate(err))
	}
	if n := len(ms.Unapplied()); n > 0 {
		return fmt.Errorf("%w (%d pending)", ErrSchemaBehind, n)
	}
	return nil
}

func missingTable(err error) bool {
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "42P01" // undefined_table
	}
	return strings.Contains(err.Error(), "no such table")
}
