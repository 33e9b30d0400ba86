package app

import (
	"context"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// SetPasswordInput sets a first password or changes the current one.
type SetPasswordInput struct {
	UserID          string
	SessionID       string // the caller's refresh token family, kept logged in
	CurrentPassword string
	NewPassword     string
}

// SetPassword sets or changes the signed-in user's password.
type SetPassword struct {
	cfg       Config
	limiter   ports.RateLimiter
	users     ports.Users
	passwords *Passwords
	clock     ports.Clock
}

// NewSetPassword builds the use case.
func NewSetPassword(cfg Config, limiter ports.RateLimiter, users ports.Users, passwords *Passwords, clock ports.Clock) *SetPassword {
	return &SetPassword{cfg: cfg, limiter: limiter, users: users, passwords: passwords, clock: clock}
}

// Handle requires the current password when the account has one, then
// replaces it and logs out every other session of the user.
func (uc *SetPassword) Handle(ctx context.Context, in SetPasswordInput) error {
	if in.NewPassword == "" {
		return fmt.Errorf("new_password is required: %w", domain.ErrInvalidRequest)
	}
	u, err := activeUser(ctx, uc.users, in.UserID)
	if err != nil {
		return err
	}
	if u.HasPassword() {
		if err := uc.checkCurrent(ctx, u, in.CurrentPassword); err != nil {
			return err
		}
	}
	if err := uc.passwords.check(in.NewPassword, u); err != nil {
		return err
	}
	return uc.passwords.replace(ctx, u, in.NewPassword, in.SessionID)
}

// checkCurrent verifies the current password under the same failure budget
// as password logins, so a stolen access token is no password oracle. The
// budget is taken before the hash (parallel guesses cannot all pass a
// check) and given back on success.
func (uc *SetPassword) checkCurrent(ctx context.Context, u domain.User, current string) error {
	key, lim, now := "set_password:"+u.ID, uc.cfg.loginFailureLimit(), uc.clock.Now()
	if err := uc.limiter.Take(ctx, key, lim, now); err != nil {
		return err
	}
	ok := false
	if current != "" {
		var err error
		if ok, err = uc.passwords.verify(ctx, u.PasswordHash, current); err != nil {
			return err
		}
	}
	if !ok {
		return domain.ErrInvalidCredentials
	}
	return uc.limiter.Reset(ctx, key)
}
