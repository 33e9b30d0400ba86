package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// RefreshSession rotates a refresh token for a new token pair.
type RefreshSession struct {
	logins   ports.Logins
	refresh  ports.RefreshTokens
	sessions *Sessions
	ids      ports.IDs
	clock    ports.Clock
}

// NewRefreshSession builds the use case.
func NewRefreshSession(logins ports.Logins, refresh ports.RefreshTokens, sessions *Sessions, ids ports.IDs, clock ports.Clock) *RefreshSession {
	return &RefreshSession{logins: logins, refresh: refresh, sessions: sessions, ids: ids, clock: clock}
}

// Handle retires the presented token and returns the next pair in its
// family. A retired token presented again revokes the whole family: either
// the client or a thief holds a stolen copy, and we cannot tell which.
func (uc *RefreshSession) Handle(ctx context.Context, token string, client Client) (Session, error) {
	if token == "" {
		return Session{}, fmt.Errorf("refresh_token is required: %w", domain.ErrInvalidRequest)
	}
	// The successor is derived from the presented token, so a retry of a
	// rotation whose answer was lost names the same successor.
	tok, hash := uc.sessions.retry.successor(token)
	now := uc.clock.Now()
	next := domain.RefreshToken{ID: uc.ids.NewID(), Hash: hash, CreatedAt: now,
		ExpiresAt: now.Add(uc.sessions.ttl), UserAgent: client.UserAgent, IP: client.IP}
	old, u, err := uc.logins.Refresh(ctx, hashRefreshToken(token), next, now, uc.sessions.retry.interval)
	if errors.Is(err, domain.ErrNotFound) {
		return Session{}, domain.ErrInvalidToken // the user is gone
	}
	if err != nil {
		return Session{}, fmt.Errorf("refresh: %w", err)
	}
	if u.Disabled {
		if err := uc.refresh.RevokeFamily(ctx, old.FamilyID, now); err != nil {
			return Session{}, err
		}
		return Session{}, domain.ErrAccountDisabled
	}
	return uc.sessions.finish(ctx, u, old.FamilyID, tok, now)
}
