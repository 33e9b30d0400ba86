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
	users     ports.Users
	refresh   ports.RefreshTokens
	passwords ports.Passwords
	strength  ports.PasswordStrength
	clock     ports.Clock
}

// NewSetPassword builds the use case.
func NewSetPassword(users ports.Users, refresh ports.RefreshTokens, passwords ports.Passwords,
	strength ports.PasswordStrength, clock ports.Clock) *SetPassword {
	return &SetPassword{users: users, refresh: refresh, passwords: passwords, strength: strength, clock: clock}
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
		if in.CurrentPassword == "" {
			return domain.ErrInvalidCredentials
		}
		ok, err := uc.passwords.Verify(ctx, u.PasswordHash, in.CurrentPassword)
		if err != nil {
			return fmt.Errorf("verify password: %w", err)
		}
		if !ok {
			return domain.ErrInvalidCredentials
		}
	}
	if err := passwordRules(uc.strength, in.NewPassword, u); err != nil {
		return err
	}
	return replacePassword(ctx, uc.users, uc.refresh, uc.passwords, uc.clock, u, in.NewPassword, in.SessionID)
}
