package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
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

// Sessions issues token pairs: an access token and an opaque refresh token
// stored only as its SHA-256 hash. It is shared by every login use case.
type Sessions struct {
	tokens  ports.Tokens
	refresh ports.RefreshTokens
	ids     ports.IDs
	clock   ports.Clock
	ttl     time.Duration
	retry   retryRule
}

// NewSessions builds the session issuer.
func NewSessions(cfg Config, tokens ports.Tokens, refresh ports.RefreshTokens, ids ports.IDs, clock ports.Clock) *Sessions {
	return &Sessions{tokens: tokens, refresh: refresh, ids: ids, clock: clock, ttl: cfg.RefreshTTL,
		retry: newRetryRule(cfg)}
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

// open makes the first refresh token of a new session (a new family); the
// caller stores it.
func (s *Sessions) open(client Client, now time.Time) (string, domain.RefreshToken, error) {
	tok, hash, err := newRefreshToken()
	if err != nil {
		return "", domain.RefreshToken{}, err
	}
	return tok, domain.RefreshToken{ID: s.ids.NewID(), FamilyID: s.ids.NewID(), Hash: hash,
		CreatedAt: now, ExpiresAt: now.Add(s.ttl), UserAgent: client.UserAgent, IP: client.IP}, nil
}

// Start opens a new login session for u.
func (s *Sessions) Start(ctx context.Context, u domain.User, client Client) (Session, error) {
	now := s.clock.Now()
	tok, rt, err := s.open(client, now)
	if err != nil {
		return Session{}, err
	}
	rt.UserID = u.ID
	if err := s.refresh.Create(ctx, rt); err != nil {
		return Session{}, fmt.Errorf("store refresh token: %w", err)
	}
	return s.finish(ctx, u, rt.FamilyID, tok, now)
}

func (s *Sessions) finish(ctx context.Context, u domain.User, family, tok string, now time.Time) (Session, error) {
	at, err := s.tokens.IssueAccess(ctx, u.ID, family, now)
	if err != nil {
		return Session{}, fmt.Errorf("issue access token: %w", err)
	}
	return Session{Access: at, RefreshToken: tok, RefreshTTL: s.ttl, User: u}, nil
}
