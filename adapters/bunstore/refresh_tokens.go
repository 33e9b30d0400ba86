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
	now = ts(now)
	var old refreshTokenRow
	reused := false
	err := s.db.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := tx.NewSelect().Model(&old).Where("rt.token_hash = ?", oldHash).Limit(1).Scan(ctx); err != nil {
			return err
		}
		if !old.RotatedAt.IsZero() || !old.RevokedAt.IsZero() {
			reused = true
			return revokeFamily(ctx, tx, old.FamilyID, now)
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
			reused = true // lost the race to a concurrent rotation
			return revokeFamily(ctx, tx, old.FamilyID, now)
		}
		next.UserID, next.FamilyID = old.UserID, old.FamilyID
		row := tokenToRow(next)
		_, err = tx.NewInsert().Model(&row).Exec(ctx)
		return err
	})
	switch err = translate(err); {
	case errors.Is(err, domain.ErrNotFound), err == nil && reused:
		return domain.RefreshToken{}, domain.ErrInvalidToken
	case err != nil:
		return domain.RefreshToken{}, err
	}
	old.RotatedAt = now
	return old.domain(), nil
}

// RevokeFamily revokes every live token of the family.
func (s *Store) RevokeFamily(ctx context.Context, familyID string, now time.Time) error {
	return translate(revokeFamily(ctx, s.db, familyID, ts(now)))
}

func revokeFamily(ctx context.Context, db bun.IDB, familyID string, now time.Time) error {
	_, err := db.NewUpdate().Model((*refreshTokenRow)(nil)).Set("revoked_at = ?", now).
		Where("family_id = ?", familyID).Where("revoked_at IS NULL").Exec(ctx)
	return err
}

// RevokeUser revokes every live token of the user outside keepFamily.
func (s *Store) RevokeUser(ctx context.Context, userID, keepFamily string, now time.Time) error {
	q := s.db.NewUpdate().Model((*refreshTokenRow)(nil)).Set("revoked_at = ?", ts(now)).
		Where("user_id = ?", userID).Where("revoked_at IS NULL")
	if keepFamily != "" {
		q.Where("family_id <> ?", keepFamily)
	}
	_, err := q.Exec(ctx)
	return translate(err)
}
