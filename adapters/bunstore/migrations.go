package bunstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// schemaStep is one versioned migration: portable DDL in which {ts} and
// {bytes} stand for the dialect's timestamp and binary types. Statements use
// IF NOT EXISTS so a step interrupted before it was recorded can run again.
//
// ddl runs in one transaction. indexes are built after it commits, each on
// its own outside any transaction: on Postgres with CREATE INDEX
// CONCURRENTLY (which refuses to run in a transaction), so building an
// index on a large live table does not block its writers. Every index added
// from migration 20261201000003 on goes there, not in ddl. A concurrent
// build that failed leaves an invalid index behind, which IF NOT EXISTS
// would keep; it is dropped and built again when the step reruns.
type schemaStep struct {
	name    string // version, sorted as a string
	comment string
	ddl     []string
	// data runs in ddl's transaction after it: Go code that fills what
	// SQL cannot compute the same on both databases (a backfill).
	data    func(ctx context.Context, tx bun.Tx, d Dialect) error
	indexes []schemaIndex
	// dropIndexes go after indexes are built (the new ones replace them),
	// outside any transaction and CONCURRENTLY on Postgres.
	dropIndexes []string
}

// schemaIndex is one index built outside the transaction: CREATE [UNIQUE]
// INDEX name def, where def is "ON table (columns) [WHERE ...]".
type schemaIndex struct {
	name   string
	unique bool
	def    string
}

var schemaSteps = []schemaStep{{
	name:    "20250101000001",
	comment: "users_refresh_tokens_sms_attempts",
	ddl: []string{
		`CREATE TABLE IF NOT EXISTS users (
			id text PRIMARY KEY,
			username text NOT NULL,
			phone text NOT NULL,
			email text,
			password_hash text,
			icon text NOT NULL DEFAULT '',
			disabled boolean NOT NULL DEFAULT false,
			created_at {ts} NOT NULL,
			updated_at {ts} NOT NULL,
			last_login_at {ts})`,
		// Index names carry the column name: translate relies on it.
		`CREATE UNIQUE INDEX IF NOT EXISTS users_phone_key ON users (phone)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS users_username_lower_key ON users (lower(username))`,
		`CREATE UNIQUE INDEX IF NOT EXISTS users_email_lower_key ON users (lower(email))`,
		`CREATE TABLE IF NOT EXISTS refresh_tokens (
			id text PRIMARY KEY,
			user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			family_id text NOT NULL,
			token_hash {bytes} NOT NULL,
			created_at {ts} NOT NULL,
			expires_at {ts} NOT NULL,
			rotated_at {ts},
			revoked_at {ts},
			user_agent text NOT NULL DEFAULT '',
			ip text NOT NULL DEFAULT '')`,
		`CREATE UNIQUE INDEX IF NOT EXISTS refresh_tokens_token_hash_key ON refresh_tokens (token_hash)`,
		`CREATE INDEX IF NOT EXISTS refresh_tokens_user_id_idx ON refresh_tokens (user_id)`,
		`CREATE INDEX IF NOT EXISTS refresh_tokens_family_id_idx ON refresh_tokens (family_id)`,
		`CREATE TABLE IF NOT EXISTS sms_attempts (
			id text PRIMARY KEY,
			message_id text NOT NULL,
			provider text NOT NULL,
			vendor_message_id text NOT NULL DEFAULT '',
			phone text NOT NULL,
			purpose text NOT NULL,
			status text NOT NULL,
			vendor_code text NOT NULL DEFAULT '',
			latency_ms bigint NOT NULL DEFAULT 0,
			created_at {ts} NOT NULL,
			receipt_at {ts},
			receipt_code text NOT NULL DEFAULT '')`,
		`CREATE INDEX IF NOT EXISTS sms_attempts_vendor_idx ON sms_attempts (provider, vendor_message_id)`,
		`CREATE INDEX IF NOT EXISTS sms_attempts_message_id_idx ON sms_attempts (message_id)`,
	},
}, {
	name:    "20250101000002",
	comment: "refresh_tokens_revoked_family",
	// A refresh checks that no token of its family is revoked (so a revoke
	// racing a refresh cannot leave the refresh's new token alive); this
	// keeps that check to the few revoked rows.
	ddl: []string{
		`CREATE INDEX IF NOT EXISTS refresh_tokens_revoked_family_idx ON refresh_tokens (family_id) WHERE revoked_at IS NOT NULL`,
	},
}, {
	name:    "20261201000003",
	comment: "refresh_tokens_prune_users_email_key",
	// The pruner (prune.go) deletes expired and long-revoked tokens; the
	// first two indexes keep its scans to the rows it deletes. The revoked
	// index is partial: live tokens, the bulk of the table, are not in it.
	// email_key (domain.EmailKey, computed in Go) replaces lower(email) as
	// the email's identity: lower() folds only ASCII on SQLite.
	data: addEmailKeys,
	indexes: []schemaIndex{
		{name: "refresh_tokens_expires_at_idx", def: "ON refresh_tokens (expires_at)"},
		{name: "refresh_tokens_revoked_at_idx", def: "ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL"},
		{name: "users_email_key_key", unique: true, def: "ON users (email_key)"},
	},
	dropIndexes: []string{"users_email_lower_key"},
}, {
	name:    "20261201000004",
	comment: "guard_decisions",
	// The abuse guard's decisions other than allow, for operators
	// (authd guard status); id orders them, at bounds the queries.
	ddl: []string{
		`CREATE TABLE IF NOT EXISTS guard_decisions (
			id text PRIMARY KEY,
			at {ts} NOT NULL,
			phone text NOT NULL,
			country text NOT NULL,
			prefix text NOT NULL,
			ip text NOT NULL,
			action text NOT NULL,
			rule text NOT NULL,
			mode text NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS guard_decisions_at_idx ON guard_decisions (at)`,
	},
}, {
	name:    "20261201000005",
	comment: "signing_keys",
	// Access-token signing keys shared by every instance (the private half
	// encrypted by the token adapter). The unique generation is what lets
	// concurrent first starts and rotations agree on one order.
	ddl: []string{
		`CREATE TABLE IF NOT EXISTS signing_keys (
			id text PRIMARY KEY,
			generation bigint NOT NULL,
			algorithm text NOT NULL,
			public_key {bytes} NOT NULL,
			sealed_private_key {bytes} NOT NULL,
			created_at {ts} NOT NULL,
			active_from {ts} NOT NULL)`,
		`CREATE UNIQUE INDEX IF NOT EXISTS signing_keys_generation_key ON signing_keys (generation)`,
	},
}, {
	name:    "20261201000006",
	comment: "security_events",
	// The security-event log, also the webhook outbox. No foreign key to
	// users: a deleted user's events stay, keeping only the user id.
	ddl: []string{
		`CREATE TABLE IF NOT EXISTS security_events (
			id text PRIMARY KEY,
			user_id text NOT NULL DEFAULT '',
			type text NOT NULL,
			at {ts} NOT NULL,
			ip text NOT NULL DEFAULT '',
			user_agent text NOT NULL DEFAULT '',
			actor text NOT NULL DEFAULT '',
			details text NOT NULL DEFAULT '{}')`,
		`CREATE INDEX IF NOT EXISTS security_events_user_idx ON security_events (user_id, id)`,
		`CREATE INDEX IF NOT EXISTS security_events_at_idx ON security_events (at)`,
	},
}, {
	name:    "20261201000007",
	comment: "sessions",
	// A session (a refresh-token family) as a record: what GET
	// /v1/me/sessions lists. Families alive at the upgrade get a row, so
	// sessions opened before it can be listed and ended too.
	ddl: []string{
		`CREATE TABLE IF NOT EXISTS sessions (
			id text PRIMARY KEY,
			user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
			created_at {ts} NOT NULL,
			last_used_at {ts} NOT NULL,
			expires_at {ts} NOT NULL,
			user_agent text NOT NULL DEFAULT '',
			ip text NOT NULL DEFAULT '',
			ended_at {ts},
			end_reason text NOT NULL DEFAULT '')`,
		`CREATE INDEX IF NOT EXISTS sessions_user_idx ON sessions (user_id, created_at)`,
		`INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
			SELECT family_id, min(user_id), min(created_at), max(created_at), max(expires_at), max(user_agent), max(ip)
			FROM refresh_tokens WHERE revoked_at IS NULL GROUP BY family_id
			ON CONFLICT (id) DO NOTHING`,
	},
}, {
	name:    "20261201000008",
	comment: "admin_keys_webhook_delivery",
	// Admin keys (a live name is unique; revoked keys stay listed), and the
	// webhook delivery state of each security event: the events table is
	// the outbox, so the state lives on its rows. Leases let several
	// instances share the work without delivering an event twice.
	ddl: []string{
		`CREATE TABLE IF NOT EXISTS admin_keys (
			id text PRIMARY KEY,
			name text NOT NULL,
			key_hash {bytes} NOT NULL,
			created_at {ts} NOT NULL,
			revoked_at {ts})`,
		`CREATE UNIQUE INDEX IF NOT EXISTS admin_keys_live_name_key ON admin_keys (name) WHERE revoked_at IS NULL`,
		`ALTER TABLE security_events ADD COLUMN webhook_status text NOT NULL DEFAULT 'pending'`,
		`ALTER TABLE security_events ADD COLUMN webhook_attempts integer NOT NULL DEFAULT 0`,
		`ALTER TABLE security_events ADD COLUMN webhook_next_at {ts}`,
		`ALTER TABLE security_events ADD COLUMN webhook_lease_until {ts}`,
		`ALTER TABLE security_events ADD COLUMN webhook_lease_owner text NOT NULL DEFAULT ''`,
		`ALTER TABLE security_events ADD COLUMN webhook_done text NOT NULL DEFAULT ''`,
		`ALTER TABLE security_events ADD COLUMN webhook_error text NOT NULL DEFAULT ''`,
		`ALTER TABLE security_events ADD COLUMN webhook_retry_from {ts}`,
		`CREATE INDEX IF NOT EXISTS security_events_webhook_pending_idx ON security_events (id) WHERE webhook_status = 'pending'`,
	},
}, {
	name:    "20261201000009",
	comment: "sms_attempts_cost",
	// Each attempt's price by the operator's table (AUTHD_SMS_PRICES, in
	// its currency), so that spend can be audited from the send log.
	// SQLite has no ADD COLUMN IF NOT EXISTS: {addcol} is the dialect's
	// best, and the step's transaction keeps a failed run from half-applying.
	ddl: []string{
		`ALTER TABLE sms_attempts {addcol} cost double precision NOT NULL DEFAULT 0`,
	},
}}

// migrations builds Bun's migration set for the dialect. Each step runs in
// one transaction (DDL is transactional on both databases) and is recorded
// only when it succeeded.
func (s *Store) migrations() *migrate.Migrations {
	types := strings.NewReplacer("{ts}", "timestamptz", "{bytes}", "bytea", "{addcol}", "ADD COLUMN IF NOT EXISTS")
	if s.dialect == SQLite {
		types = strings.NewReplacer("{ts}", "TIMESTAMP", "{bytes}", "BLOB", "{addcol}", "ADD COLUMN")
	}
	ms := migrate.NewMigrations()
	for _, step := range schemaSteps {
		ms.Add(migrate.Migration{
			Name:    step.name,
			Comment: step.comment,
			Up: func(ctx context.Context, m *migrate.Migrator, _ *migrate.Migration) error {
				err := m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					for _, q := range step.ddl {
						if _, err := tx.ExecContext(ctx, types.Replace(q)); err != nil {
							return err
						}
					}
					if step.data != nil {
						return step.data(ctx, tx, s.dialect)
					}
					return nil
				})
				if err != nil {
					return err
				}
				for _, ix := range step.indexes {
					if err := s.buildIndex(ctx, m.DB(), ix); err != nil {
						return fmt.Errorf("index %s: %w", ix.name, err)
					}
				}
				for _, name := range step.dropIndexes {
					drop := "DROP INDEX IF EXISTS "
					if s.dialect == Postgres {
						drop = "DROP INDEX CONCURRENTLY IF EXISTS "
					}
					if _, err := m.DB().ExecContext(ctx, drop+name); err != nil {
						return fmt.Errorf("drop index %s: %w", name, err)
					}
				}
				return nil
			},
		})
	}
	return ms
}

// buildIndex creates the index outside any transaction, CONCURRENTLY on
// Postgres after dropping an invalid leftover of an earlier failed build.
func (s *Store) buildIndex(ctx context.Context, db *bun.DB, ix schemaIndex) error {
	create := "CREATE INDEX "
	if ix.unique {
		create = "CREATE UNIQUE INDEX "
	}
	if s.dialect != Postgres {
		_, err := db.ExecContext(ctx, create+"IF NOT EXISTS "+ix.name+" "+ix.def)
		return err
	}
	invalid, err := db.NewSelect().TableExpr("pg_index AS i").Join("JOIN pg_class AS c ON c.oid = i.indexrelid").
		Where("c.relname = ?", ix.name).Where("NOT i.indisvalid").Exists(ctx)
	if err != nil {
		return err
	}
	if invalid {
		if _, err := db.ExecContext(ctx, "DROP INDEX CONCURRENTLY IF EXISTS "+ix.name); err != nil {
			return err
		}
	}
	_, err = db.ExecContext(ctx, create+"CONCURRENTLY IF NOT EXISTS "+ix.name+" "+ix.def)
	return err
}

func (s *Store) migrator() *migrate.Migrator {
	return migrate.NewMigrator(s.db, s.migrations(), migrate.WithMarkAppliedOnSuccess(true))
}
