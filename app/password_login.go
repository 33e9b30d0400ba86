package app

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// PasswordLoginInput is a username, email or phone with a password.
type PasswordLoginInput struct {
	Login    string
	Password string
	Client   Client
}

// PasswordLogin logs a user in with a password.
type PasswordLogin struct {
	cfg       Config
	phones    ports.PhoneParser
	users     ports.Users
	passwords ports.Passwords
	limiter   ports.RateLimiter
	sessions  *Sessions
	clock     ports.Clock
}

// NewPasswordLogin builds the use case.
func NewPasswordLogin(cfg Config, phones ports.PhoneParser, users ports.Users, passwords ports.Passwords,
	limiter ports.RateLimiter, sessions *Sessions, clock ports.Clock) *PasswordLogin {
	return &PasswordLogin{cfg: cfg, phones: phones, users: users, passwords: passwords,
		limiter: limiter, sessions: sessions, clock: clock}
}

// maxLoginLength is longer than any email (254), username (32) or phone.
const maxLoginLength = 254

// Handle checks the password. Unknown login, wrong password and an account
// without a password are one error and cost one hash each, so neither the
// answer nor its timing tells them apart.
func (uc *PasswordLogin) Handle(ctx context.Context, in PasswordLoginInput) (Session, error) {
	login := strings.TrimSpace(in.Login)
	if login == "" || in.Password == "" {
		return Session{}, fmt.Errorf("login and password are required: %w", domain.ErrInvalidRequest)
	}
	now := uc.clock.Now()
	// No account has a longer name, or one with control characters or
	// invalid UTF-8 (which the databases refuse): skip the query, keep the
	// cost of the hash below, and bound the limiter key.
	tooLong := len(login) > maxLoginLength
	unusable := tooLong || !domain.IsPlainText(login)
	if tooLong {
		login = login[:maxLoginLength]
	}
	ipKey, loginKey := in.Client.limitKey("ip_login"), uc.loginKey(login)
	if err := uc.limiter.Check(ctx, ipKey, uc.cfg.ipLoginLimit(), now); err != nil {
		return Session{}, err
	}
	// The per-login budget is taken before the hash, not after a failure:
	// checking first and counting later would let parallel guesses all
	// pass the check. A success gives the budget back (Reset below).
	if err := uc.limiter.Take(ctx, loginKey, uc.cfg.loginFailureLimit(), now); err != nil {
		return Session{}, err
	}
	var u domain.User
	var err error
	if !unusable {
		u, err = uc.lookup(ctx, login)
	}
	if err != nil && !errors.Is(err, domain.ErrNotFound) {
		return Session{}, fmt.Errorf("look up login: %w", err)
	}
	// With no user, u.PasswordHash is empty and Verify hashes against a dummy.
	ok, err := uc.passwords.Verify(ctx, u.PasswordHash, in.Password)
	if err != nil {
		return Session{}, fmt.Errorf("verify password: %w", err)
	}
	if !ok || u.ID == "" {
		// The per-IP budget counts failures only, so it is taken here; a
		// burst of parallel guesses can overshoot it by the burst's size,
		// but never the per-login budget above.
		if err := uc.limiter.Take(ctx, ipKey, uc.cfg.ipLoginLimit(), now); err != nil && !isRateLimited(err) {
			return Session{}, err
		}
		return Session{}, domain.ErrInvalidCredentials
	}
	if u.Disabled {
		return Session{}, domain.ErrAccountDisabled
	}
	if err := uc.limiter.Reset(ctx, loginKey); err != nil {
		return Session{}, err
	}
	if err := uc.users.TouchLogin(ctx, u.ID, now); err != nil {
		return Session{}, fmt.Errorf("record login: %w", err)
	}
	u.LastLoginAt = now
	return uc.sessions.Start(ctx, u, in.Client)
}

// loginKey names the per-login failure budget after the account the login
// resolves to, not its spelling: a phone typed as E.164, national or with
// separators shares one budget, as does an email or username in any case.
func (uc *PasswordLogin) loginKey(login string) string {
	if !strings.Contains(login, "@") {
		if p, err := uc.phones.Parse(login); err == nil {
			return "login:" + p.E164
		}
	}
	return "login:" + strings.ToLower(login)
}

// lookup resolves a login: a phone number by phone, anything with '@' by
// email, the rest by username (usernames are never all digits, so a phone
// cannot shadow one).
func (uc *PasswordLogin) lookup(ctx context.Context, login string) (domain.User, error) {
	if strings.Contains(login, "@") {
		return uc.users.ByEmail(ctx, login)
	}
	if p, err := uc.phones.Parse(login); err == nil {
		return uc.users.ByPhone(ctx, p.E164)
	}
	return uc.users.ByUsername(ctx, login)
}
