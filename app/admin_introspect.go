package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Introspection is an RFC 7662 answer; only Active is set when inactive.
type Introspection struct {
	Active    bool
	TokenType string // "access_token" or "refresh_token"
	Subject   string
	SessionID string
	IssuedAt  time.Time
	ExpiresAt time.Time
	Issuer    string
	Audience  string
}

// IntrospectConfig names the issuer and audience access tokens carry.
type IntrospectConfig struct {
	Issuer   string
	Audience string
}

// Introspect tells a resource server whether a token is active: an access
// token whose signature and claims verify, unexpired, whose session has not
// ended and whose user is enabled; or a refresh token that is the live
// token of its session.
type Introspect struct {
	cfg      IntrospectConfig
	tokens   ports.Tokens
	refresh  ports.RefreshTokens
	users    ports.Users
	sessions ports.SessionStatus
	clock    ports.Clock
}

// NewIntrospect builds the use case.
func NewIntrospect(cfg IntrospectConfig, tokens ports.Tokens, refresh ports.RefreshTokens, users ports.Users,
	sessions ports.SessionStatus, clock ports.Clock) *Introspect {
	return &Introspect{cfg: cfg, tokens: tokens, refresh: refresh, users: users, sessions: sessions, clock: clock}
}

// maxIntrospectedToken bounds the work one request can ask for.
const maxIntrospectedToken = 4096

// Handle introspects token. Only infrastructure failures are errors; every
// kind of bad token is {active: false}.
func (uc *Introspect) Handle(ctx context.Context, token string) (Introspection, error) {
	if token == "" || len(token) > maxIntrospectedToken {
		return Introspection{}, nil
	}
	now := uc.clock.Now()
	if strings.Count(token, ".") == 2 {
		return uc.access(ctx, token, now)
	}
	return uc.refreshToken(ctx, token, now)
}

func (uc *Introspect) access(ctx context.Context, token string, now time.Time) (Introspection, error) {
	cl, err := uc.tokens.VerifyAccess(ctx, token, now)
	if err != nil {
		return Introspection{}, nil //nolint:nilerr // a bad token is an answer, not a failure
	}
	ok, err := uc.live(ctx, cl.Subject, cl.SessionID, now)
	if !ok || err != nil {
		return Introspection{}, err
	}
	return Introspection{Active: true, TokenType: "access_token", Subject: cl.Subject, SessionID: cl.SessionID,
		IssuedAt: cl.IssuedAt, ExpiresAt: cl.ExpiresAt, Issuer: uc.cfg.Issuer, Audience: uc.cfg.Audience}, nil
}

func (uc *Introspect) refreshToken(ctx context.Context, token string, now time.Time) (Introspection, error) {
	t, err := uc.refresh.Get(ctx, hashRefreshToken(token))
	if errors.Is(err, domain.ErrNotFound) {
		return Introspection{}, nil
	}
	if err != nil {
		return Introspection{}, fmt.Errorf("load refresh token: %w", err)
	}
	if !t.RotatedAt.IsZero() || !t.RevokedAt.IsZero() || !now.Before(t.ExpiresAt) {
		return Introspection{}, nil
	}
	ok, err := uc.live(ctx, t.UserID, t.FamilyID, now)
	if !ok || err != nil {
		return Introspection{}, err
	}
	return Introspection{Active: true, TokenType: "refresh_token", Subject: t.UserID, SessionID: t.FamilyID,
		IssuedAt: t.CreatedAt, ExpiresAt: t.ExpiresAt, Issuer: uc.cfg.Issuer}, nil
}

// live: the user exists and is enabled, and the session has not ended.
func (uc *Introspect) live(ctx context.Context, userID, sessionID string, now time.Time) (bool, error) {
	u, err := uc.users.ByID(ctx, userID)
	if errors.Is(err, domain.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load user: %w", err)
	}
	if u.Disabled || sessionID == "" {
		return false, nil
	}
	ok, err := uc.sessions.SessionActive(ctx, userID, sessionID, now)
	if err != nil {
		return false, fmt.Errorf("session status: %w", err)
	}
	return ok, nil
}
