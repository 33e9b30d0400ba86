package ports

import (
	"context"
	"errors"
	"time"
)

// ErrSigningKeyTaken is an AddSigningKey whose generation or id is already
// stored: another instance or operator got there first.
var ErrSigningKeyTaken = errors.New("signing key generation or id already taken")

// SigningKey is one access-token signing key as every instance shares it.
// The store keeps bytes: the private key arrives already encrypted by the
// token adapter, so a database dump alone signs nothing.
type SigningKey struct {
	// ID is the key id ("kid"), unique.
	ID string
	// Generation orders the keys: 1 for the first, one more per rotation.
	// It is unique, which is what makes two concurrent first starts (or
	// rotations) agree on one key instead of each signing with its own.
	Generation int64
	// Algorithm is the JWS "alg" the key signs with, e.g. "EdDSA".
	Algorithm string
	// PublicKey is the raw public key, published as a JWK.
	PublicKey []byte
	// SealedPrivateKey is the encrypted private key.
	SealedPrivateKey []byte
	// CreatedAt is when the key was made and published.
	CreatedAt time.Time
	// ActiveFrom is when instances start signing with it; until then it is
	// only published, so that every verifier knows it before it is used.
	ActiveFrom time.Time
}

// SigningKeys stores the signing keys. Errors match domain.ErrUnavailable
// when the store cannot be reached.
type SigningKeys interface {
	// ListSigningKeys returns every stored key, lowest generation first.
	ListSigningKeys(ctx context.Context) ([]SigningKey, error)
	// AddSigningKey stores k. It fails with ErrSigningKeyTaken when k's
	// generation or id is already taken, and stores nothing then.
	AddSigningKey(ctx context.Context, k SigningKey) error
	// DeleteSigningKey removes the key with this id; removing a key that is
	// not there is not an error (several instances prune at once).
	DeleteSigningKey(ctx context.Context, id string) error
}
