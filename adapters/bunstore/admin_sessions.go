package bunstore

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Interim implementations of the session ports the admin API needs, read
// from refresh-token families (a family is a login session: its id is the
// access tokens' sid). The "accounts" work brings session records; when it
// lands, bind its adapters to ports.UserSessions, ports.AccountDeletion and
// ports.SessionStatus instead.
var (
	_ ports.UserSessions    = (*Store)(nil)
	_ ports.AccountDeletion = (*Store)(nil)
	_ ports.SessionStatus   = (*Store)(nil)
	_ ports.SMSAttempts     = (*Store)(nil)
)

// revokeUserTokens revokes every live refresh token of the user with db
// (the caller's transaction), repeating as RevokeUser does.
func revokeUserTokens(ctx context.Context, db bun.IDB, userID string, now time.Time) error {
	return translate(revokeUntilDone(ctx, func() *bun.UpdateQuery {
		return db.NewUpdate().Model((*refreshTokenRow)(nil)).Set("revoked_at = ?", ts(now)).
			Where("user_id = ?", userID).Where("revoked_at IS NULL")
	}))
}

// liveTokens selects the user's live tokens (of one family if given) in
// families without a revoked token (such a family is dead to refresh).
func (s *Store) liveTokens(userID, familyID string, now time.Time) *bun.SelectQuery {
	q := s.db.NewSelect().Model((*refreshTokenRow)(nil)).
		Where("rt.user_id = ?", userID).Where("rt.rotated_at IS NULL").Where("rt.revoked_at IS NULL").
		Where("rt.expires_at > ?", ts(now)).
		Where("NOT EXISTS (SELECT 1 FROM refresh_tokens r2 WHERE r2.family_id = rt.family_id AND r2.revoked_at IS NOT NULL)")
	if familyID != "" {
		q = q.Where("rt.family_id = ?", familyID)
	}
	return q
}

// ListUserSessions returns one entry per live family, newest first: the
// live token's creation is the session's last use (each refresh makes one).
func (s *Store) ListUserSessions(ctx context.Context, userID string, now time.Time) ([]domain.UserSession, error) {
	var rows []refreshTokenRow
	if err := s.liveTokens(userID, "", now).Model(&rows).OrderExpr("rt.family_id DESC").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.UserSession, 0, len(rows))
	for _, r := range rows {
		var first refreshTokenRow
		err := s.db.NewSelect().Model(&first).Where("family_id = ?", r.FamilyID).OrderExpr("created_at, id").Limit(1).Scan(ctx)
		if err != nil {
			return nil, translate(err)
		}
		out = append(out, domain.UserSession{ID: r.FamilyID, CreatedAt: ts(first.CreatedAt), LastUsedAt: ts(r.CreatedAt),
			UserAgent: r.UserAgent, IP: r.IP})
	}
	return out, nil
}

// EndUserSessions revokes every token of the user and stores ev with it.
func (s *Store) EndUserSessions(ctx context.Context, userID string, ev domain.Event, now time.Time) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := revokeUserTokens(ctx, tx, userID, now); err != nil {
			return err
		}
		return insertEvents(ctx, tx, []domain.Event{ev})
	})
}

// SessionActive reports whether the session's family still holds a live token.
func (s *Store) SessionActive(ctx context.Context, userID, sessionID string, now time.Time) (bool, error) {
	n, err := s.liveTokens(userID, sessionID, now).Count(ctx)
	if err != nil {
		return false, translate(err)
	}
	return n > 0, nil
}

// DeleteAccount deletes the user (its refresh tokens go by cascade), blanks
// the IP and user agent of its past events, and stores ev, in one
// transaction.
func (s *Store) DeleteAccount(ctx context.Context, userID string, ev domain.Event, _ time.Time) error {
	return s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		res, err := tx.NewDelete().Model((*userRow)(nil)).Where("id = ?", userID).Exec(ctx)
		if err != nil {
			return translate(err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 0 {
			return domain.ErrNotFound
		}
		// Explicit, in case foreign keys are off on an old SQLite file.
		if _, err := tx.NewDelete().Model((*refreshTokenRow)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
			return translate(err)
		}
		if _, err := tx.NewUpdate().Model((*eventRow)(nil)).Set("ip = ''").Set("user_agent = ''").
			Where("user_id = ?", userID).Exec(ctx); err != nil {
			return translate(err)
		}
		return insertEvents(ctx, tx, []domain.Event{ev})
	})
}

// ListSMSAttempts pages the send log newest first by id (time-ordered).
func (s *Store) ListSMSAttempts(ctx context.Context, f ports.SMSAttemptFilter, cursor string, limit int) ([]ports.SMSAttemptRecord, string, error) {
	if limit <= 0 {
		return nil, "", nil
	}
	var rows []smsAttemptRow
	q := s.db.NewSelect().Model(&rows).OrderExpr("sa.id DESC").Limit(int64(limit + 1))
	if f.Phone != "" {
		q = q.Where("sa.phone = ?", f.Phone)
	}
	if !f.Since.IsZero() {
		q = q.Where("sa.created_at >= ?", ts(f.Since))
	}
	if cursor != "" {
		q = q.Where("sa.id < ?", cursor)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, "", translate(err)
	}
	rows, next := lastPage(rows, limit, func(r smsAttemptRow) string { return r.ID })
	out := make([]ports.SMSAttemptRecord, len(rows))
	for i, r := range rows {
		out[i] = ports.SMSAttemptRecord{SendAttempt: ports.SendAttempt{ID: r.ID, MessageID: r.MessageID,
			Provider: r.Provider, VendorMessageID: r.VendorMessageID, Phone: r.Phone, Purpose: r.Purpose,
			Status: r.Status, VendorCode: r.VendorCode, Latency: time.Duration(r.LatencyMS) * time.Millisecond,
			CreatedAt: ts(r.CreatedAt)}, ReceiptAt: ts(r.ReceiptAt), ReceiptCode: r.ReceiptCode}
	}
	return out, next, nil
}
