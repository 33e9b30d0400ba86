package app

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// passwordRules checks a new password: 8 to 128 characters, compared
// exactly as sent (no truncation, no composition rules), and not guessable
// by a strength estimator that also knows the user's own details.
func passwordRules(strength ports.PasswordStrength, plain string, u domain.User) error {
	n := utf8.RuneCountInString(plain)
	if !utf8.ValidString(plain) {
		return &domain.WeakPasswordError{Reason: "password must be valid UTF-8"}
	}
	if n < domain.MinPasswordLength {
		return &domain.WeakPasswordError{Reason: fmt.Sprintf("password must be at least %d characters", domain.MinPasswordLength)}
	}
	if n > domain.MaxPasswordLength {
		return &domain.WeakPasswordError{Reason: fmt.Sprintf("password must be at most %d characters", domain.MaxPasswordLength)}
	}
	return strength.Check(plain, []string{u.Username, u.Email, u.Phone})
}

// replacePassword hashes and stores the new password, then revokes every
// refresh token of the user except keepFamily's: whoever knew the old
// password must not stay logged in elsewhere.
func replacePassword(ctx context.Context, users ports.Users, refresh ports.RefreshTokens, passwords ports.Passwords,
	clock ports.Clock, u domain.User, plain, keepFamily string) error {
	hash, err := passwords.Hash(ctx, plain)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	now := clock.Now()
	if err := users.SetPasswordHash(ctx, u.ID, hash, now); err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	if err := refresh.RevokeUser(ctx, u.ID, keepFamily, now); err != nil {
		return fmt.Errorf("revoke other sessions: %w", err)
	}
	return nil
}
