package bunstore

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/driver/pgdriver"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.AdminKeys = (*Store)(nil)

type adminKeyRow struct {
	bun.BaseModel `bun:"table:admin_keys,alias:ak"`

	ID        string    `bun:"id,pk"`
	Name      string    `bun:"name,notnull"`
	KeyHash   []byte    `bun:"key_hash,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
	RevokedAt time.Time `bun:"revoked_at,nullzero"`
}

func (r adminKeyRow) domain() domain.AdminKey {
	return domain.AdminKey{ID: r.ID, Name: r.Name, Hash: r.KeyHash, CreatedAt: ts(r.CreatedAt), RevokedAt: ts(r.RevokedAt)}
}

// CreateAdminKey inserts the key; the partial unique index on live names
// turns a second live key of one name into ErrAdminKeyNameTaken.
func (s *Store) CreateAdminKey(ctx context.Context, k domain.AdminKey) error {
	row := adminKeyRow{ID: k.ID, Name: k.Name, KeyHash: k.Hash, CreatedAt: ts(k.CreatedAt), RevokedAt: ts(k.RevokedAt)}
	_, err := s.db.NewInsert().Model(&row).Exec(ctx)
	if isUniqueViolation(err) {
		return domain.ErrAdminKeyNameTaken
	}
	return translate(err)
}

// AdminKeyByID returns the key or ErrNotFound.
func (s *Store) AdminKeyByID(ctx context.Context, id string) (domain.AdminKey, error) {
	var row adminKeyRow
	if err := s.db.NewSelect().Model(&row).Where("id = ?", id).Limit(1).Scan(ctx); err != nil {
		return domain.AdminKey{}, translate(err)
	}
	return row.domain(), nil
}

// ListAdminKeys returns every key, oldest first.
func (s *Store) ListAdminKeys(ctx context.Context) ([]domain.AdminKey, error) {
	var rows []adminKeyRow
	if err := s.db.NewSelect().Model(&rows).OrderExpr("created_at, id").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	out := make([]domain.AdminKey, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, nil
}

// RevokeAdminKey revokes the live key of this name.
func (s *Store) RevokeAdminKey(ctx context.Context, name string, now time.Time) error {
	res, err := s.db.NewUpdate().Model((*adminKeyRow)(nil)).Set("revoked_at = ?", ts(now)).
		Where("name = ?", name).Where("revoked_at IS NULL").Exec(ctx)
	if err != nil {
		return translate(err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return domain.ErrNotFound
	}
	return nil
}

// isUniqueViolation reports a unique-constraint error on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pgErr pgdriver.Error
	if errors.As(err, &pgErr) {
		return pgErr.Field('C') == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}
