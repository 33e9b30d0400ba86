package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// adminKeyPrefix marks admin keys so that a leaked one is recognisable
// (secret scanners, logs) and never confused with a user's token.
const adminKeyPrefix = "authd_admin_"

// AdminKeys makes, lists, revokes and checks admin API keys. A key is
// adminKeyPrefix + id + "." + secret: the id finds the row, and the
// secret's SHA-256 is compared with the stored one in constant time.
type AdminKeys struct {
	keys  ports.AdminKeys
	ids   ports.IDs
	clock ports.Clock
}

// NewAdminKeys builds the use case.
func NewAdminKeys(keys ports.AdminKeys, ids ports.IDs, clock ports.Clock) *AdminKeys {
	return &AdminKeys{keys: keys, ids: ids, clock: clock}
}

// Create makes a key named name and returns it in clear, the only time it
// is ever available.
func (uc *AdminKeys) Create(ctx context.Context, name string) (string, domain.AdminKey, error) {
	if err := domain.ValidateAdminKeyName(name); err != nil {
		return "", domain.AdminKey{}, fmt.Errorf("name must be 1 to 64 of A-Z a-z 0-9 _ . -: %w", err)
	}
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", domain.AdminKey{}, err
	}
	secret := base64.RawURLEncoding.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(secret))
	k := domain.AdminKey{ID: uc.ids.NewID(), Name: name, Hash: sum[:], CreatedAt: uc.clock.Now()}
	if err := uc.keys.CreateAdminKey(ctx, k); err != nil {
		return "", domain.AdminKey{}, fmt.Errorf("store admin key: %w", err)
	}
	return adminKeyPrefix + k.ID + "." + secret, k, nil
}

// List returns every key, revoked ones included.
func (uc *AdminKeys) List(ctx context.Context) ([]domain.AdminKey, error) {
	return uc.keys.ListAdminKeys(ctx)
}

// Revoke revokes the live key named name (domain.ErrNotFound: none).
func (uc *AdminKeys) Revoke(ctx context.Context, name string) error {
	return uc.keys.RevokeAdminKey(ctx, name, uc.clock.Now())
}

// dummyKeyHash is compared against when the key id is unknown, so an
// unknown id and a wrong secret cost the same.
var dummyKeyHash = make([]byte, sha256.Size)

// Authenticate returns the live key that token is. Anything else (missing,
// malformed, unknown, wrong secret, revoked) is domain.ErrInvalidToken.
func (uc *AdminKeys) Authenticate(ctx context.Context, token string) (domain.AdminKey, error) {
	rest, ok := strings.CutPrefix(token, adminKeyPrefix)
	id, secret, ok2 := strings.Cut(rest, ".")
	if !ok || !ok2 || id == "" || secret == "" || len(token) > 256 || !domain.IsPlainText(id) {
		return domain.AdminKey{}, domain.ErrInvalidToken
	}
	k, err := uc.keys.AdminKeyByID(ctx, id)
	want := k.Hash
	switch {
	case errors.Is(err, domain.ErrNotFound):
		want = dummyKeyHash
	case err != nil:
		return domain.AdminKey{}, fmt.Errorf("load admin key: %w", err)
	}
	sum := sha256.Sum256([]byte(secret))
	if subtle.ConstantTimeCompare(sum[:], want) != 1 || err != nil || !k.Live() {
		return domain.AdminKey{}, domain.ErrInvalidToken
	}
	return k, nil
}
