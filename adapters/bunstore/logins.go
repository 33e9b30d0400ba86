package bunstore

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.Logins = (*Store)(nil)

// userColumns is the column list the login statements return, in the order
// scanUser reads it.
const userColumns = `id, username, phone, email, password_hash, icon, disabled, created_at, updated_at, last_login_at`

// startPhoneLoginPG finds or creates the user, records the login and stores
// the first refresh token in ONE statement. Data-modifying CTEs share one
// snapshot: when a concurrent transaction inserts the phone after our
// snapshot, ON CONFLICT waits for it and does nothing, and the UPDATE cannot
// see the new row either, so no row comes back; the caller then runs the
// statement again, and the second snapshot sees the committed user.
const startPhoneLoginPG = `
WITH ins AS (
	INSERT INTO users (id, username, phone, icon, disabled, created_at, updated_at, last_login_at)
	VALUES (?0, ?1, ?2, '', false, ?3, ?3, ?4)
	ON CONFLICT (phone) DO NOTHING
	RETURNING ` + userColumns + `, true AS created
), old AS (
	UPDATE users SET last_login_at = ?4
	WHERE phone = ?2 AND NOT EXISTS (SELECT 1 FROM ins)
	RETURNING ` + userColumns + `, false AS created
), u AS (
	SELECT * FROM ins UNION ALL SELECT * FROM old
), tok AS (
	INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, user_agent, ip)
	SELECT ?5, u.id, ?6, ?7, ?4, ?8, ?9, ?10 FROM u WHERE NOT u.disabled
), sess AS (
	INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
	SELECT ?6, u.id, ?4, ?4, ?8, ?9, ?10 FROM u WHERE NOT u.disabled
)
SELECT * FROM u`

// StartPhoneLogin implements ports.Logins.
func (s *Store) StartPhoneLogin(ctx context.Context, c domain.User, first domain.RefreshToken, now time.Time) (domain.User, bool, error) {
	if s.dialect == SQLite {
		return s.startPhoneLoginSQLite(ctx, c, first, now)
	}
	now = ts(now)
	for range 3 {
		row := s.db.QueryRowContext(ctx, startPhoneLoginPG,
			c.ID, c.Username, c.Phone, ts(c.CreatedAt), now,
			first.ID, first.FamilyID, first.Hash, ts(first.ExpiresAt), first.UserAgent, first.IP)
		u, created, err := scanUser(row)
		if errors.Is(err, sql.ErrNoRows) {
			continue // lost the insert race inside our snapshot: see above
		}
		if err != nil {
			return domain.User{}, false, translate(err)
		}
		return u, created, nil
	}
	return domain.User{}, false, domain.Unavailable("database", errors.New("phone login kept racing"))
}

// scanUser reads userColumns and the created flag.
func scanUser(row *sql.Row) (domain.User, bool, error) {
	var (
		r           userRow
		email, hash sql.NullString
		lastLogin   sql.NullTime
		created     bool
	)
	err := row.Scan(&r.ID, &r.Username, &r.Phone, &email, &hash, &r.Icon, &r.Disabled,
		&r.CreatedAt, &r.UpdatedAt, &lastLogin, &created)
	if err != nil {
		return domain.User{}, false, err
	}
	r.Email, r.PasswordHash, r.LastLoginAt = email.String, hash.String, lastLogin.Time
	return r.domain(), created, nil
}

// refreshPG retires a live token, stores its successor and reads the user
// in ONE statement. Of concurrent rotations of one token the row lock lets
// exactly one UPDATE match; the rest get no row and take the slow path. A
// family with any revoked token is dead: a revoke that raced an earlier
// refresh of the family (and so missed the token that refresh inserted)
// still stops the next one.
const refreshPG = `
WITH old AS (
	UPDATE refresh_tokens SET rotated_at = ?1
	WHERE token_hash = ?0 AND rotated_at IS NULL AND revoked_at IS NULL AND expires_at > ?1
	AND NOT EXISTS (SELECT 1 FROM refresh_tokens r
		WHERE r.family_id = refresh_tokens.family_id AND r.revoked_at IS NOT NULL)
	RETURNING id, user_id, family_id, created_at, expires_at, user_agent, ip
), ins AS (
	INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, user_agent, ip)
	SELECT ?2, user_id, family_id, ?3, ?1, ?4, ?5, ?6 FROM old
), sess AS (
	UPDATE sessions SET last_used_at = ?1, expires_at = ?4 WHERE id IN (SELECT family_id FROM old)
)
SELECT old.id, old.family_id, old.created_at, old.expires_at, old.user_agent, old.ip,
	u.id, u.username, u.phone, u.email, u.password_hash, u.icon, u.disabled, u.created_at, u.updated_at, u.last_login_at
FROM old JOIN users u ON u.id = old.user_id`

// Refresh implements ports.Logins.
func (s *Store) Refresh(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time, reuse time.Duration) (domain.RefreshToken, domain.User, error) {
	if s.dialect == Postgres {
		now = ts(now)
		row := s.db.QueryRowContext(ctx, refreshPG,
			oldHash, now, next.ID, next.Hash, ts(next.ExpiresAt), next.UserAgent, next.IP)
		old, u, err := scanRefresh(row, oldHash, now)
		if err == nil {
			return old, u, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return domain.RefreshToken{}, domain.User{}, translate(err)
		}
		// Unknown, expired, retired or revoked: Rotate tells which, and
		// revokes the family on reuse.
	}
	old, err := s.rotate(ctx, oldHash, next, now, reuse)
	if err != nil {
		return old, domain.User{}, err
	}
	u, err := s.ByID(ctx, old.UserID)
	return old, u, err
}

func scanRefresh(row *sql.Row, hash []byte, now time.Time) (domain.RefreshToken, domain.User, error) {
	var (
		t         refreshTokenRow
		r         userRow
		email, pw sql.NullString
		lastLogin sql.NullTime
	)
	err := row.Scan(&t.ID, &t.FamilyID, &t.CreatedAt, &t.ExpiresAt, &t.UserAgent, &t.IP,
		&r.ID, &r.Username, &r.Phone, &email, &pw, &r.Icon, &r.Disabled, &r.CreatedAt, &r.UpdatedAt, &lastLogin)
	if err != nil {
		return domain.RefreshToken{}, domain.User{}, err
	}
	r.Email, r.PasswordHash, r.LastLoginAt = email.String, pw.String, lastLogin.Time
	t.UserID, t.TokenHash, t.RotatedAt = r.ID, hash, now
	return t.domain(), r.domain(), nil
}

// replacePasswordPG sets the password and revokes the other sessions in ONE
// statement; the count says whether the user exists.
const replacePasswordPG = `
WITH u AS (
	UPDATE users SET password_hash = NULLIF(?1, ''), updated_at = ?3 WHERE id = ?0
	RETURNING id
), r AS (
	UPDATE refresh_tokens SET revoked_at = ?3
	WHERE user_id IN (SELECT id FROM u) AND revoked_at IS NULL AND (?2 = '' OR family_id <> ?2)
	RETURNING 1
), s AS (
	UPDATE sessions SET ended_at = ?3, end_reason = ?4
	WHERE user_id IN (SELECT id FROM u) AND ended_at IS NULL AND (?2 = '' OR id <> ?2)
	RETURNING id
)
SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM r), (SELECT coalesce(string_agg(id, ','), '') FROM s)`

// ReplacePassword implements ports.Logins.
func (s *Store) ReplacePassword(ctx context.Context, userID, hash, keepFamily string, now time.Time) ([]string, error) {
	now = ts(now)
	if s.dialect == Postgres {
		var users, revoked int
		var ended string
		err := s.db.QueryRowContext(ctx, replacePasswordPG, userID, hash, keepFamily, now, domain.EndPasswordChanged).
			Scan(&users, &revoked, &ended)
		if err != nil {
			return nil, translate(err)
		}
		if users == 0 {
			return nil, domain.ErrNotFound
		}
		ids := strings.FieldsFunc(ended, func(r rune) bool { return r == ',' })
		if revoked == 0 {
			return ids, nil
		}
		// The password and the sessions the statement saw changed together.
		// A refresh that held a token's row lock may have stored a successor
		// the statement's snapshot missed: its family is dead already (a
		// revoked token is in it), and these passes revoke the successor too.
		more, err := s.EndSessions(ctx, userID, keepFamily, domain.EndPasswordChanged, now)
		return append(ids, more...), err
	}
	var ids []string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*userRow)(nil)).Where("id = ?", userID).Set("updated_at = ?", now)
		if hash == "" {
			q.Set("password_hash = NULL")
		} else {
			q.Set("password_hash = ?", hash)
		}
		res, err := q.Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return domain.ErrNotFound
		}
		ids, err = revokeUser(ctx, tx, userID, keepFamily, domain.EndPasswordChanged, now)
		return err
	})
	return ids, translate(err)
}
