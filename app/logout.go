package app

import (
	"context"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Logout revokes the login session a refresh token belongs to.
type Logout struct {
	refresh ports.RefreshTokens
	ended   ports.EndedSessions
	clock   ports.Clock
}

// NewLogout builds the use case.
func NewLogout(refresh ports.RefreshTokens, ended ports.EndedSessions, clock ports.Clock) *Logout {
	return &Logout{refresh: refresh, ended: ended, clock: clock}
}

// Handle revokes every token of the family and ends the session's access
// tokens. Logging out twice is fine; an
// unknown token is domain.ErrInvalidToken.
func (uc *Logout) Handle(ctx context.Context, token string) error {
	if token == "" {
		return fmt.Errorf("refresh_token is required: %w", domain.ErrInvalidRequest)
	}
	t, err := uc.refresh.Get(ctx, hashRefreshToken(token))
	if errors.Is(err, domain.ErrNotFound) {
		return domain.ErrInvalidToken
	}
	if err != nil {
		return fmt.Errorf("find refresh token: %w", err)
	}
	now := uc.clock.Now()
	if err := uc.refresh.RevokeFamily(ctx, t.FamilyID, now); err != nil {
		return err
	}
	return markEnded(ctx, uc.ended, []string{t.FamilyID}, now)
}
