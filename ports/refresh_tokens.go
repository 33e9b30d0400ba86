package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// RefreshTokens stores refresh tokens by hash. Errors match
// domain.ErrUnavailable when the database cannot be reached.
type RefreshTokens interface {
	// Create stores a new token.
	Create(ctx context.Context, t domain.RefreshToken) error
	// Rotate atomically retires the live token with hash oldHash and stores
	// next in its family (next.FamilyID and next.UserID are filled in from
	// the old token), returning the stored old token. Exactly one of several
	// concurrent rotations of one token succeeds.
	// A token that is already rotated or revoked is reuse: the whole family
	// is revoked, its session ended, and the presented token (with its
	// FamilyID) returned with domain.ErrInvalidToken. An unknown or expired
	// token is domain.ErrInvalidToken.
	Rotate(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time) (domain.RefreshToken, error)
	// Get returns the token with this hash, live or not, or domain.ErrNotFound.
	Get(ctx context.Context, hash []byte) (domain.RefreshToken, error)
	// RevokeFamily revokes every token of the family and ends its session.
	RevokeFamily(ctx context.Context, familyID string, now time.Time) error
	// RevokeUser revokes every token of the user except those of keepFamily
	// (empty: all of them) and ends their sessions.
	RevokeUser(ctx context.Context, userID, keepFamily string, now time.Time) error
}
