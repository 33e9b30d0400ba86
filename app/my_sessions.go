package app

import (
	"context"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// MySessions lists and ends the signed-in user's own sessions (devices).
type MySessions struct {
	sessions ports.Sessions
	ended    ports.EndedSessions
	clock    ports.Clock
}

// NewMySessions builds the use case.
func NewMySessions(sessions ports.Sessions, ended ports.EndedSessions, clock ports.Clock) *MySessions {
	return &MySessions{sessions: sessions, ended: ended, clock: clock}
}

// List returns the user's active sessions, newest first.
func (uc *MySessions) List(ctx context.Context, userID string) ([]domain.Session, error) {
	ss, err := uc.sessions.ListSessions(ctx, userID, uc.clock.Now())
	if err != nil {
		return nil, fmt.Errorf("list sessions: %w", err)
	}
	return ss, nil
}

// End ends one active session of the user; any other id (another user's,
// ended, expired or unknown) is domain.ErrNotFound, alike.
func (uc *MySessions) End(ctx context.Context, userID, sessionID string) error {
	if sessionID == "" {
		return domain.ErrNotFound
	}
	now := uc.clock.Now()
	ended, err := uc.sessions.EndSession(ctx, userID, sessionID, domain.EndUser, now)
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	if !ended {
		return domain.ErrNotFound
	}
	return markEnded(ctx, uc.ended, []string{sessionID}, now)
}

// EndAll ends every session of the user, the caller's included.
func (uc *MySessions) EndAll(ctx context.Context, userID string) error {
	now := uc.clock.Now()
	ids, err := uc.sessions.EndSessions(ctx, userID, "", domain.EndUser, now)
	if err != nil {
		return fmt.Errorf("end sessions: %w", err)
	}
	return markEnded(ctx, uc.ended, ids, now)
}
