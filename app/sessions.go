package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Session is what a successful login or refresh returns to the client.
type Session struct {
	Access       ports.AccessToken
	RefreshToken string
	RefreshTTL   time.Duration
	User         domain.User
	Created      bool // the login registered the user
}

// Sessions opens and rotates login sessions end to end: it makes the
// refresh token (opaque, stored only as its SHA-256 hash), writes it
// through the storage port and issues the access token. Every login use
// case shares it.
type Sessions struct {
	tokens  ports.Tokens
	refresh ports.RefreshTokens
	logins  ports.Logins
	ended   ports.EndedSessions
	ids     ports.IDs
	clock   ports.Clock
	ttl     time.Duration
	retry   retryRule
}

// NewSessions builds the session issuer.
func NewSessions(cfg Config, tokens ports.Tokens, refresh ports.RefreshTokens, logins ports.Logins,
	ended ports.EndedSessions, ids ports.IDs, clock ports.Clock) *Sessions {
	return &Sessions{tokens: tokens, refresh: refresh, logins: logins, ended: ended, ids: ids, clock: clock, ttl: cfg.RefreshTTL,
		retry: newRetryRule(cfg)}
}

// markEnded makes authd refuse the access tokens of sessions the database
// just ended. It runs after the database write: the ids come from it, and a
// session must not be refused while its end could still roll back.
func markEnded(ctx context.Context, ended ports.EndedSessions, ids []string, now time.Time) error {
	if len(ids) == 0 {
		return nil
	}
	if err := ended.MarkEnded(ctx, ids, now); err != nil {
		return fmt.Errorf("mark sessions ended: %w", err)
	}
	return nil
}

// newRefreshToken returns 256 random bits, base64url, and their hash.
func newRefreshToken() (string, []byte, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", nil, err
	}
	tok := base64.RawURLEncoding.EncodeToString(b[:])
	return tok, hashRefreshToken(tok), nil
}

func hashRefreshToken(tok string) []byte {
	h := sha256.Sum256([]byte(tok))
	return h[:]
}

// next makes a refresh token for the client; the family is left to the
// caller (a new one for a new session, the old one's on rotation).
func (s *Sessions) next(client Client, now time.Time) (string, domain.RefreshToken, error) {
	tok, hash, err := newRefreshToken()
	if err != nil {
		return "", domain.RefreshToken{}, err
	}
	return tok, domain.RefreshToken{ID: s.ids.NewID(), Hash: hash,
		CreatedAt: now, ExpiresAt: now.Add(s.ttl), UserAgent: client.UserAgent, IP: client.IP}, nil
}

// Start opens a new login session for u, an already authenticated user.
func (s *Sessions) Start(ctx context.Context, u domain.User, client Client) (Session, error) {
	now := s.clock.Now()
	tok, rt, err := s.next(client, now)
	if err != nil {
		return Session{}, err
	}
	rt.FamilyID, rt.UserID = s.ids.NewID(), u.ID
	if err := s.logins.StartSession(ctx, rt); err != nil {
		return Session{}, fmt.Errorf("start session: %w", err)
	}
	return s.issue(ctx, u, rt.FamilyID, tok, now)
}

// StartPhone opens a session for the phone's user, creating the user if
// the phone is new. The user (found or created), its last login and the
// session's first refresh token are one write: one database round trip
// per login. A disabled user gets domain.ErrAccountDisabled and no session.
func (s *Sessions) StartPhone(ctx context.Context, phone domain.Phone, client Client) (Session, error) {
	now := s.clock.Now()
	tok, first, err := s.next(client, now)
	if err != nil {
		return Session{}, err
	}
	first.FamilyID = s.ids.NewID()
	u, created, err := s.startPhoneLogin(ctx, phone, first, now)
	if err != nil {
		return Session{}, err
	}
	if u.Disabled {
		return Session{}, domain.ErrAccountDisabled
	}
	sess, err := s.issue(ctx, u, first.FamilyID, tok, now)
	sess.Created = created
	return sess, err
}

// startPhoneLogin retries on the (astronomically rare) generated-username clash.
func (s *Sessions) startPhoneLogin(ctx context.Context, phone domain.Phone, first domain.RefreshToken, now time.Time) (domain.User, bool, error) {
	for range 3 {
		cand := domain.User{ID: s.ids.NewID(), Username: domain.GenerateUsername(), Phone: phone.E164, CreatedAt: now}
		u, created, err := s.logins.StartPhoneLogin(ctx, cand, first, now)
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

// Rotate retires the presented refresh token and returns the next pair in
// its family. A retired token presented again revokes the whole family:
// either the client or a thief holds a stolen copy, and we cannot tell
// which; unless it comes within the retry interval of its rotation, when
// it gets the same successor again (see retryRule).
func (s *Sessions) Rotate(ctx context.Context, token string, client Client) (Session, error) {
	now := s.clock.Now()
	// The successor is derived from the presented token, so a retry of a
	// rotation whose answer was lost names the same successor.
	tok, hash := s.retry.successor(token)
	next := domain.RefreshToken{ID: s.ids.NewID(), Hash: hash, CreatedAt: now,
		ExpiresAt: now.Add(s.ttl), UserAgent: client.UserAgent, IP: client.IP}
	old, u, err := s.logins.Refresh(ctx, hashRefreshToken(token), next, now, s.retry.interval)
	if errors.Is(err, domain.ErrNotFound) {
		return Session{}, domain.ErrInvalidToken // the user is gone
	}
	if errors.Is(err, domain.ErrInvalidToken) && old.FamilyID != "" {
		// Reuse: the store ended the session; its access tokens end too.
		if err := markEnded(ctx, s.ended, []string{old.FamilyID}, now); err != nil {
			return Session{}, err
		}
		return Session{}, domain.ErrInvalidToken
	}
	if err != nil {
		return Session{}, fmt.Errorf("refresh: %w", err)
	}
	if u.Disabled {
		if err := s.refresh.RevokeFamily(ctx, old.FamilyID, now); err != nil {
			return Session{}, err
		}
		if err := markEnded(ctx, s.ended, []string{old.FamilyID}, now); err != nil {
			return Session{}, err
		}
		return Session{}, domain.ErrAccountDisabled
	}
	return s.issue(ctx, u, old.FamilyID, tok, now)
}

// issue signs the access token of a stored session.
func (s *Sessions) issue(ctx context.Context, u domain.User, family, tok string, now time.Time) (Session, error) {
	at, err := s.tokens.IssueAccess(ctx, u.ID, family, now)
	if err != nil {
		return Session{}, fmt.Errorf("issue access token: %w", err)
	}
	return Session{Access: at, RefreshToken: tok, RefreshTTL: s.ttl, User: u}, nil
}
