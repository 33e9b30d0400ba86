package bunstore

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/domain"
)

// Create stores a new refresh token.
func (s *Store) Create(ctx context.Context, t domain.RefreshToken) error {
	row := tokenToRow(t)
	_, err := s.db.NewInsert().Model(&row).Exec(ctx)
	return translate(err)
}

// Get returns the token with this hash, live or not, or domain.ErrNotFound.
func (s *Store) Get(ctx context.Context, hash []byte) (domain.RefreshToken, error) {
	var row refreshTokenRow
	if err := s.db.NewSelect().Model(&row).Where("rt.token_hash = ?", hash).Limit(1).Scan(ctx); err != nil {
		return domain.RefreshToken{}, translate(err)
	}
	return row.domain(), nil
}

// Rotate retires the old token and stores next in one transaction. The
// retirement is a conditional UPDATE (rotated_at and revoked_at still NULL),
// so of concurrent rotations exactly one changes the row; the others, like
// any reuse of a retired token, revoke the family and get ErrInvalidToken.
func (s *Store) Rotate(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time) (domain.RefreshToken, error) {
	return s.rotate(ctx, oldHash, next, now, 0)
}

// rotate is Rotate where a rotation less than reuse ago whose successor
// (next.Hash) is live is answered again instead of being reuse.
func (s *Store) rotate(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time, reuse time.Duration) (domain.RefreshToken, error) {
	now = ts(now)
	var old refreshTokenRow
	reused := false
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&old).Where("rt.token_hash = ?", oldHash).Limit(1).Scan(ctx); err != nil {
			return err
		}
		if retry, err := isRetry(ctx, tx, old, next.Hash, now, reuse); err != nil || retry {
			return err
		}
		if !old.RotatedAt.IsZero() || !old.RevokedAt.IsZero() {
			reused = true
			return revokeFamily(ctx, tx, old.FamilyID, domain.EndRefreshReuse, now)
		}
		// A live token in a family with a revoked token: a revoke raced the
		// refresh that issued it. The family is dead; finish revoking it.
		if dead, err := tx.NewSelect().Model((*refreshTokenRow)(nil)).
			Where("family_id = ?", old.FamilyID).Where("revoked_at IS NOT NULL").Exists(ctx); err != nil || dead {
			if err == nil {
				reused = true
				err = revokeFamily(ctx, tx, old.FamilyID, domain.EndRefreshReuse, now)
			}
			return err
		}
		if !now.Before(old.ExpiresAt) {
			return domain.ErrInvalidToken
		}
		res, err := tx.NewUpdate().Model((*refreshTokenRow)(nil)).Set("rotated_at = ?", now).
			Where("id = ?", old.ID).Where("rotated_at IS NULL").Where("revoked_at IS NULL").Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err := tx.NewSelect().Model(&old).Where("rt.id = ?", old.ID).Scan(ctx); err != nil {
				return err
			}
			if retry, err := isRetry(ctx, tx, old, next.Hash, now, reuse); err != nil || retry {
				return err // a concurrent rotation to the same successor
			}
			reused = true // lost the race to a concurrent rotation
			return revokeFamily(ctx, tx, old.FamilyID, domain.EndRefreshReuse, now)
		}
		next.UserID, next.FamilyID = old.UserID, old.FamilyID
		row := tokenToRow(next)
		if _, err = tx.NewInsert().Model(&row).Exec(ctx); err != nil {
			return err
		}
		_, err = tx.NewUpdate().Model((*sessionRow)(nil)).Set("last_used_at = ?", now).
			Set("expires_at = ?", ts(next.ExpiresAt)).Where("id = ?", old.FamilyID).Exec(ctx)
		return err
	})
	switch err = translate(err); {
	case err == nil && reused:
		return old.domain(), domain.ErrInvalidToken // the family says which session ended
	case errors.Is(err, domain.ErrNotFound):
		return domain.RefreshToken{}, domain.ErrInvalidToken
	case err != nil:
		return domain.RefreshToken{}, err
	}
	if old.RotatedAt.IsZero() {
		old.RotatedAt = now
	}
	return old.domain(), nil
}

// isRetry reports whether presenting old again is a retry of its rotation:
// rotated less than reuse ago, not revoked, and its successor (the token
// with nextHash, in the same family) live. A family with any revoked token
// is dead to retries as to refreshes.
func isRetry(ctx context.Context, db bun.IDB, old refreshTokenRow, nextHash []byte, now time.Time, reuse time.Duration) (bool, error) {
	if reuse <= 0 || old.RotatedAt.IsZero() || !old.RevokedAt.IsZero() || !now.Before(old.RotatedAt.Add(reuse)) {
		return false, nil
	}
	live, err := db.NewSelect().Model((*refreshTokenRow)(nil)).
		Where("token_hash = ?", nextHash).Where("family_id = ?", old.FamilyID).
		Where("rotated_at IS NULL").Where("revoked_at IS NULL").Where("expires_at > ?", now).Exists(ctx)
	if err != nil || !live {
		return false, err
	}
	dead, err := db.NewSelect().Model((*refreshTokenRow)(nil)).
		Where("family_id = ?", old.FamilyID).Where("revoked_at IS NOT NULL").Exists(ctx)
	return err == nil && !dead, err
}

// RevokeFamily revokes every live token of the family and ends its session.
func (s *Store) RevokeFamily(ctx context.Context, familyID string, now time.Time) error {
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return revokeFamily(ctx, tx, familyID, domain.EndLogout, ts(now))
	})
	return translate(err)
}

// revokeFamily revokes the family's tokens, then ends its session: the
// order a refresh locks them in.
func revokeFamily(ctx context.Context, db bun.IDB, familyID, reason string, now time.Time) error {
	if err := revokeFamilyTokens(ctx, db, familyID, now); err != nil {
		return err
	}
	_, err := db.NewUpdate().Model((*sessionRow)(nil)).Set("ended_at = ?", now).Set("end_reason = ?", reason).
		Where("id = ?", familyID).Where("ended_at IS NULL").Exec(ctx)
	return err
}

func revokeFamilyTokens(ctx context.Context, db bun.IDB, familyID string, now time.Time) error {
	return revokeUntilDone(ctx, func() *bun.UpdateQuery {
		return db.NewUpdate().Model((*refreshTokenRow)(nil)).Set("revoked_at = ?", now).
			Where("family_id = ?", familyID).Where("revoked_at IS NULL")
	})
}

// revokeUntilDone runs a revoking UPDATE until it changes nothing. On
// Postgres an UPDATE sees the rows of its snapshot: a refresh that held the
// old token's row lock inserts the successor after the revoke started, and
// the revoke that waited for that lock never sees it. Each further pass
// takes a new snapshot; a pass that revokes nothing shows no refresh was in
// flight. On SQLite (one writer) the first pass is already complete.
func revokeUntilDone(ctx context.Context, q func() *bun.UpdateQuery) error {
	for range 10 {
		res, err := q().Exec(ctx)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
	}
	return nil // ten rounds of concurrent refreshes: each was revoked in turn
}

// RevokeUser revokes every live token of the user outside keepFamily and
// ends their sessions.
func (s *Store) RevokeUser(ctx context.Context, userID, keepFamily string, now time.Time) error {
	_, err := s.EndSessions(ctx, userID, keepFamily, domain.EndRevoked, now)
	return err
}
