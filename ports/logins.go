package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// Logins writes the database side of a login or a refresh as one atomic
// step, so each costs the database one round trip (on this kind of machine
// a round trip to Postgres costs more than the SQL in it). Errors match
// domain.ErrUnavailable when the database cannot be reached.
type Logins interface {
	// StartPhoneLogin finds the user with candidate.Phone, or creates it from
	// candidate (ID, Username, Phone, CreatedAt), records now as its last
	// login and, unless the user is disabled, stores first as the session's
	// first refresh token (first.UserID is filled in). Concurrent calls for
	// one phone return the same user and created is true for exactly one. A
	// generated username that collides returns domain.ErrUsernameTaken.
	StartPhoneLogin(ctx context.Context, candidate domain.User, first domain.RefreshToken, now time.Time) (u domain.User, created bool, err error)
	// Refresh is RefreshTokens.Rotate that also returns the token's user.
	Refresh(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time) (domain.RefreshToken, domain.User, error)
}
