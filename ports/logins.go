package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// Logins writes the database side of a login, a refresh or a password
// change as one atomic step, so each costs the database one round trip (on this kind of machine
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
	// StartSession stores first, the first refresh token of a new session,
	// and opens the session (id first.FamilyID) in one step.
	StartSession(ctx context.Context, first domain.RefreshToken) error
	// Refresh is RefreshTokens.Rotate that also returns the token's user
	// and moves the session's last use and expiry. On reuse it returns the
	// presented token (its FamilyID is the session that just ended) with
	// domain.ErrInvalidToken. It differs from Rotate in one way:
	// a token rotated less than reuse ago, in a family
	// nothing revoked, whose successor (the token with next.Hash) is still
	// live, is a retry of that rotation (its answer was lost, or two tabs
	// refreshed at once), not reuse: Refresh returns the old token and its
	// user as the first rotation did and stores nothing. The caller derives
	// next from the presented token, so a retry names the same successor.
	Refresh(ctx context.Context, oldHash []byte, next domain.RefreshToken, now time.Time, reuse time.Duration) (domain.RefreshToken, domain.User, error)
	// ReplacePassword stores hash as the user's password and revokes every
	// refresh token of the user outside keepFamily (empty: all of them),
	// ending their sessions, both or neither: a password reset must never
	// leave the sessions of whoever knew the old password alive. It returns
	// the ids of the sessions it ended. An unknown user is domain.ErrNotFound.
	ReplacePassword(ctx context.Context, userID, hash, keepFamily string, now time.Time) (ended []string, err error)
}
