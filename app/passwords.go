package app

import (
	"context"
	"fmt"
	"unicode/utf8"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Passwords is what the password use cases share: the rules for a new
// password, hashing and verifying, and storing one.
type Passwords struct {
	hasher   ports.Passwords
	strength ports.PasswordStrength
	users    ports.Users
	logins   ports.Logins
	ended    ports.EndedSessions
	clock    ports.Clock
}

// NewPasswords builds the shared password steps.
func NewPasswords(hasher ports.Passwords, strength ports.PasswordStrength, users ports.Users,
	logins ports.Logins, ended ports.EndedSessions, clock ports.Clock) *Passwords {
	return &Passwords{hasher: hasher, strength: strength, users: users, logins: logins, ended: ended, clock: clock}
}

// check applies the rules to a new password for u.
func (p *Passwords) check(plain string, u domain.User) error {
	return passwordRules(p.strength, plain, u)
}

// passwordRules: 8 to 128 characters, compared exactly as sent (no
// truncation, no composition rules), and not guessable by a strength
// estimator that also knows the user's own details. The admin API's
// create applies the same rules.
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

// verify reports whether plain matches hash (an empty hash costs the same
// and reports false).
func (p *Passwords) verify(ctx context.Context, hash, plain string) (bool, error) {
	ok, err := p.hasher.Verify(ctx, hash, plain)
	if err != nil {
		return false, fmt.Errorf("verify password: %w", err)
	}
	return ok, nil
}

// replace hashes and stores the new password and, in the same write,
// revokes every refresh token of the user except keepFamily's, ending
// those sessions' access tokens too: whoever knew the old password must
// not stay logged in elsewhere.
func (p *Passwords) replace(ctx context.Context, u domain.User, plain, keepFamily string) error {
	hash, err := p.hasher.Hash(ctx, plain)
	if err != nil {
		return fmt.Errorf("hash password: %w", err)
	}
	now := p.clock.Now()
	ended, err := p.logins.ReplacePassword(ctx, u.ID, hash, keepFamily, now)
	if err != nil {
		return fmt.Errorf("store password: %w", err)
	}
	return markEnded(ctx, p.ended, ended, now)
}

// set stores a password (hash "" removes it) without touching sessions:
// for a brand-new account, which has no other session.
func (p *Passwords) set(ctx context.Context, u domain.User, hash string) error {
	return p.users.SetPasswordHash(ctx, u.ID, hash, p.clock.Now())
}

// hash hashes a password.
func (p *Passwords) hash(ctx context.Context, plain string) (string, error) {
	return p.hasher.Hash(ctx, plain)
}
