package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// Users is the user repository. Lookups by username and email are
// case-insensitive. Errors: domain.ErrNotFound for a missing user,
// domain.ErrUsernameTaken / ErrEmailTaken for unique violations, and errors
// matching domain.ErrUnavailable when the database cannot be reached.
type Users interface {
	// FindOrCreateByPhone returns the user with candidate.Phone, creating
	// candidate (ID, Username, Phone, CreatedAt and optionally PasswordHash)
	// if there is none. Concurrent calls for one phone return the same user;
	// created reports which call made it. A generated username that collides
	// returns domain.ErrUsernameTaken so the caller can retry with another.
	FindOrCreateByPhone(ctx context.Context, candidate domain.User) (u domain.User, created bool, err error)
	ByID(ctx context.Context, id string) (domain.User, error)
	ByPhone(ctx context.Context, e164 string) (domain.User, error)
	ByUsername(ctx context.Context, username string) (domain.User, error)
	ByEmail(ctx context.Context, email string) (domain.User, error)
	// UpdateProfile applies patch and returns the updated user.
	UpdateProfile(ctx context.Context, id string, patch domain.ProfilePatch, now time.Time) (domain.User, error)
	// SetPasswordHash replaces the password hash.
	SetPasswordHash(ctx context.Context, id string, hash string, now time.Time) error
	// SetDisabled disables or enables an account.
	SetDisabled(ctx context.Context, id string, disabled bool, now time.Time) error
	// TouchLogin records a successful login.
	TouchLogin(ctx context.Context, id string, at time.Time) error
}
