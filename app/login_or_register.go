package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// LoginInput is a phone + code login.
type LoginInput struct {
	Phone  string
	Code   string
	Client Client
}

// LoginOrRegister logs a phone in with a one-time code, registering it on first use.
type LoginOrRegister struct {
	cfg       Config
	phones    ports.PhoneParser
	logins    ports.Logins
	users     ports.Users
	codes     ports.Codes
	limiter   ports.RateLimiter
	sessions  *Sessions
	passwords ports.Passwords
	sms       ports.SMS
	ids       ports.IDs
	clock     ports.Clock
	log       *slog.Logger
}

// NewLoginOrRegister builds the use case.
func NewLoginOrRegister(cfg Config, phones ports.PhoneParser, logins ports.Logins, users ports.Users, codes ports.Codes,
	limiter ports.RateLimiter, sessions *Sessions, passwords ports.Passwords, sms ports.SMS,
	ids ports.IDs, clock ports.Clock, log *slog.Logger) *LoginOrRegister {
	return &LoginOrRegister{cfg: cfg, phones: phones, logins: logins, users: users, codes: codes, limiter: limiter,
		sessions: sessions, passwords: passwords, sms: sms, ids: ids, clock: clock, log: log}
}

// Handle verifies the code and returns a session for the phone's user,
// creating the user if the phone is new.
func (uc *LoginOrRegister) Handle(ctx context.Context, in LoginInput) (Session, error) {
	if in.Code == "" {
		return Session{}, fmt.Errorf("code is required: %w", domain.ErrInvalidRequest)
	}
	phone, err := uc.phones.Parse(in.Phone)
	if err != nil {
		return Session{}, err
	}
	if err := verifyCode(ctx, uc.cfg, uc.codes, uc.limiter, uc.clock, phone, domain.PurposeLogin, in.Code, in.Client); err != nil {
		return Session{}, err
	}
	// The user (found or created), its last login and the session's first
	// refresh token are one write: one database round trip per login.
	now := uc.clock.Now()
	tok, first, err := uc.sessions.open(in.Client, now)
	if err != nil {
		return Session{}, err
	}
	u, created, err := uc.startLogin(ctx, phone, first, now)
	if err != nil {
		return Session{}, err
	}
	if u.Disabled {
		return Session{}, domain.ErrAccountDisabled
	}
	if created && uc.cfg.SendInitialPassword {
		if u, err = uc.sendInitialPassword(ctx, u, phone); err != nil {
			return Session{}, err
		}
	}
	s, err := uc.sessions.finish(ctx, u, first.FamilyID, tok, now)
	s.Created = created
	return s, err
}

// startLogin retries on the (astronomically rare) generated-username clash.
func (uc *LoginOrRegister) startLogin(ctx context.Context, phone domain.Phone, first domain.RefreshToken, now time.Time) (domain.User, bool, error) {
	for range 3 {
		cand := domain.User{ID: uc.ids.NewID(), Username: domain.GenerateUsername(), Phone: phone.E164, CreatedAt: now}
		u, created, err := uc.logins.StartPhoneLogin(ctx, cand, first, now)
		if errors.Is(err, domain.ErrUsernameTaken) {
			continue
		}
		if err != nil {
			return domain.User{}, false, fmt.Errorf("start phone login: %w", err)
		}
		return u, created, nil
	}
	return domain.User{}, false, fmt.Errorf("start phone login: %w", domain.ErrUsernameTaken)
}

// sendInitialPassword is the opt-in seed behaviour: a random password set at
// registration and texted to the phone. It is stored first and taken back if
// the text cannot be delivered, so the account never holds a password that
// nobody was told.
func (uc *LoginOrRegister) sendInitialPassword(ctx context.Context, u domain.User, phone domain.Phone) (domain.User, error) {
	pw := domain.GenerateInitialPassword()
	hash, err := uc.passwords.Hash(ctx, pw)
	if err != nil {
		return u, fmt.Errorf("hash initial password: %w", err)
	}
	if err := uc.users.SetPasswordHash(ctx, u.ID, hash, uc.clock.Now()); err != nil {
		return u, fmt.Errorf("store initial password: %w", err)
	}
	msg := ports.SMSMessage{ID: uc.ids.NewID(), Phone: phone, Purpose: domain.PurposeInitialPassword, Code: pw}
	if _, err := uc.sms.Send(ctx, msg); err != nil {
		uc.log.WarnContext(ctx, "initial password not delivered; account stays passwordless", "err", err)
		if err := uc.users.SetPasswordHash(context.WithoutCancel(ctx), u.ID, "", uc.clock.Now()); err != nil {
			return u, fmt.Errorf("take back undelivered initial password: %w", err)
		}
		return u, nil
	}
	u.PasswordHash = hash
	return u, nil
}

// verifyCode checks the per-IP failure budget, then the code; a wrong code
// counts against the client's IP.
func verifyCode(ctx context.Context, cfg Config, codes ports.Codes, limiter ports.RateLimiter, clock ports.Clock,
	phone domain.Phone, purpose domain.Purpose, code string, client Client) error {
	now := clock.Now()
	ipKey := client.limitKey("ip_login")
	if err := limiter.Check(ctx, ipKey, cfg.ipLoginLimit(), now); err != nil {
		return err
	}
	err := domain.ErrInvalidCode
	if wellFormedCode(code, cfg.Code.Length) {
		key := ports.CodeKey{Phone: phone.E164, Purpose: purpose}
		err = codes.Verify(ctx, key, codeDigest(cfg.CodeSecret, key, code), cfg.Code.MaxAttempts, now)
	}
	if errors.Is(err, domain.ErrInvalidCode) {
		if lerr := limiter.Take(ctx, ipKey, cfg.ipLoginLimit(), now); lerr != nil && !isRateLimited(lerr) {
			return lerr
		}
		return err
	}
	if err != nil {
		return fmt.Errorf("verify code: %w", err)
	}
	return nil
}

func isRateLimited(err error) bool {
	var rl *domain.RateLimitedError
	return errors.As(err, &rl)
}
