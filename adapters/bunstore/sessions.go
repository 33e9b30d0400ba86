package bunstore

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.Sessions = (*Store)(nil)

// startSessionPG stores the first refresh token and opens its session in
// ONE statement (a password login costs one round trip, as before).
const startSessionPG = `
WITH tok AS (
	INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, user_agent, ip)
	VALUES (?0, ?1, ?2, ?3, ?4, ?5, ?6, ?7)
)
INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
VALUES (?2, ?1, ?4, ?4, ?5, ?6, ?7)`

// StartSession implements ports.Logins.
func (s *Store) StartSession(ctx context.Context, first domain.RefreshToken) error {
	if s.dialect == Postgres {
		_, err := s.db.ExecContext(ctx, startSessionPG, first.ID, first.UserID, first.FamilyID, first.Hash,
			ts(first.CreatedAt), ts(first.ExpiresAt), first.UserAgent, first.IP)
		return translate(err)
	}
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		row, sess := tokenToRow(first), sessionOf(first)
		if _, err := tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		_, err := tx.NewInsert().Model(&sess).Exec(ctx)
		return err
	})
	return translate(err)
}

// ListSessions implements ports.Sessions.
func (s *Store) ListSessions(ctx context.Context, userID string, now time.Time) ([]domain.Session, error) {
	var rows []sessionRow
	err := s.db.NewSelect().Model(&rows).Where("user_id = ?", userID).Where("ended_at IS NULL").
		Where("expires_at > ?", ts(now)).OrderExpr("created_at DESC, id DESC").Limit(1000).Scan(ctx)
	if err != nil {
		return nil, translate(err)
	}
	out := make([]domain.Session, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// EndSession implements ports.Sessions.
func (s *Store) EndSession(ctx context.Context, userID, sessionID, reason string, now time.Time) (bool, error) {
	now = ts(now)
	ended := false
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// Tokens before the session row, the order a refresh locks them in
		// (else the two deadlock on Postgres); so check ownership first.
		active, err := tx.NewSelect().Model((*sessionRow)(nil)).Where("id = ?", sessionID).
			Where("user_id = ?", userID).Where("ended_at IS NULL").Where("expires_at > ?", now).Exists(ctx)
		if err != nil || !active {
			return err
		}
		if err := revokeFamilyTokens(ctx, tx, sessionID, now); err != nil {
			return err
		}
		res, err := tx.NewUpdate().Model((*sessionRow)(nil)).Set("ended_at = ?", now).Set("end_reason = ?", reason).
			Where("id = ?", sessionID).Where("ended_at IS NULL").Exec(ctx)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		ended = n == 1 // else a concurrent end won
		return err
	})
	return ended, translate(err)
}

// EndSessions implements ports.Sessions.
func (s *Store) EndSessions(ctx context.Context, userID, keep, reason string, now time.Time) ([]string, error) {
	var ids []string
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var err error
		ids, err = revokeUser(ctx, tx, userID, keep, reason, ts(now))
		return err
	})
	return ids, translate(err)
}

// endSessions ends the user's active sessions but keep and returns their ids.
func endSessions(ctx context.Context, db bun.IDB, userID, keep, reason string, now time.Time) ([]string, error) {
	var ids []string
	q := db.NewUpdate().Model((*sessionRow)(nil)).Set("ended_at = ?", now).Set("end_reason = ?", reason).
		Where("user_id = ?", userID).Where("ended_at IS NULL").Returning("id")
	if keep != "" {
		q.Where("id <> ?", keep)
	}
	if _, err := q.Exec(ctx, &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

// revokeUser revokes the user's tokens outside keep and ends their
// sessions: tokens first, the order a refresh locks them in (the opposite
// order deadlocks with a refresh on Postgres).
func revokeUser(ctx context.Context, db bun.IDB, userID, keep, reason string, now time.Time) ([]string, error) {
	err := revokeUntilDone(ctx, func() *bun.UpdateQuery {
		q := db.NewUpdate().Model((*refreshTokenRow)(nil)).Set("revoked_at = ?", now).
			Where("user_id = ?", userID).Where("revoked_at IS NULL")
		if keep != "" {
			q.Where("family_id <> ?", keep)
		}
		return q
	})
	if err != nil {
		return nil, err
	}
	return endSessions(ctx, db, userID, keep, reason, now)
}
