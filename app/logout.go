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
	clock   ports.Clock
}

// NewLogout builds the use case.
func NewLogout(refresh ports.RefreshTokens, clock ports.Clock) *Logout {
	return &Logout{refresh: refresh, clock: clock}
}

// Handle revokes every token of the family. Logging out twice is fine; an
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
	return uc.refresh.RevokeFamily(ctx, t.FamilyID, uc.clock.Now())
}
