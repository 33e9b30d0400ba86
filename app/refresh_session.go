package app

import (
	"context"
	"fmt"

	"github.com/authd/authd/domain"
)

// RefreshSession rotates a refresh token for a new token pair.
type RefreshSession struct {
	sessions *Sessions
}

// NewRefreshSession builds the use case.
func NewRefreshSession(sessions *Sessions) *RefreshSession {
	return &RefreshSession{sessions: sessions}
}

// Handle rotates the presented token (see Sessions.Rotate).
func (uc *RefreshSession) Handle(ctx context.Context, token string, client Client) (Session, error) {
	if token == "" {
		return Session{}, fmt.Errorf("refresh_token is required: %w", domain.ErrInvalidRequest)
	}
	return uc.sessions.Rotate(ctx, token, client)
}
