package bunstore

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/authd/authd/ports"
)

var _ ports.SigningKeys = (*Store)(nil)

type signingKeyRow struct {
	bun.BaseModel `bun:"table:signing_keys,alias:sk"`

	ID               string    `bun:"id,pk"`
	Generation       int64     `bun:"generation,notnull"`
	Algorithm        string    `bun:"algorithm,notnull"`
	PublicKey        []byte    `bun:"public_key,notnull"`
	SealedPrivateKey []byte    `bun:"sealed_private_key,notnull"`
	CreatedAt        time.Time `bun:"created_at,notnull"`
	ActiveFrom       time.Time `bun:"active_from,notnull"`
}

// ListSigningKeys implements ports.SigningKeys.
func (s *Store) ListSigningKeys(ctx context.Context) ([]ports.SigningKey, error) {
	var rows []signingKeyRow
	if err := s.db.NewSelect().Model(&rows).Order("generation ASC").Scan(ctx); err != nil {
		return nil, translate(err)
	}
	keys := make([]ports.SigningKey, len(rows))
	for i, r := range rows {
		keys[i] = ports.SigningKey{ID: r.ID, Generation: r.Generation, Algorithm: r.Algorithm,
			PublicKey: r.PublicKey, SealedPrivateKey: r.SealedPrivateKey,
			CreatedAt: r.CreatedAt.UTC(), ActiveFrom: r.ActiveFrom.UTC()}
	}
	return keys, nil
}

// AddSigningKey implements ports.SigningKeys. ON CONFLICT DO NOTHING (on
// either unique column) turns a lost race into "no row inserted" instead of
// an error that would abort a transaction.
func (s *Store) AddSigningKey(ctx context.Context, k ports.SigningKey) error {
	row := signingKeyRow{ID: k.ID, Generation: k.Generation, Algorithm: k.Algorithm,
		PublicKey: k.PublicKey, SealedPrivateKey: k.SealedPrivateKey,
		CreatedAt: ts(k.CreatedAt), ActiveFrom: ts(k.ActiveFrom)}
	res, err := s.db.NewInsert().Model(&row).On("CONFLICT DO NOTHING").Exec(ctx)
	if err != nil {
		return translate(err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return translate(err)
	}
	if n == 0 {
		return ports.ErrSigningKeyTaken
	}
	return nil
}

// DeleteSigningKey implements ports.SigningKeys.
func (s *Store) DeleteSigningKey(ctx context.Context, id string) error {
	_, err := s.db.NewDelete().Model((*signingKeyRow)(nil)).Where("id = ?", id).Exec(ctx)
	return translate(err)
}
