package bunstore

import (
	"context"
	"strings"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/migrate"
)

// schemaStep is one versioned migration: portable DDL in which {ts} and
// {bytes} stand for the dialect's timestamp and binary types. Statements use
// IF NOT EXISTS so a step interrupted before it was recorded can run again.
type schemaStep struct {
	name    string // version, sorted as a string
	comment string
	ddl     []string
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
				return m.DB().RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
					for _, q := range step.ddl {
						if _, err := tx.ExecContext(ctx, types.Replace(q)); err != nil {
							return err
						}
					}
					return nil
				})
			},
		})
	}
	return ms
}

func (s *Store) migrator() *migrate.Migrator {
	return migrate.NewMigrator(s.db, s.migrations(), migrate.WithMarkAppliedOnSuccess(true))
}
