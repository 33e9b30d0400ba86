package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// Sessions lists and ends login sessions. A session's row is written with
// its first refresh token (Logins.StartPhoneLogin, Logins.StartSession)
// and ending it revokes its refresh tokens in the same transaction, so the
// list never shows a session whose tokens are dead nor hides a live one.
// Errors match domain.ErrUnavailable when the database cannot be reached.
type Sessions interface {
	// ListSessions returns the user's active sessions (not ended, refresh
	// token not expired at now), newest first.
	ListSessions(ctx context.Context, userID string, now time.Time) ([]domain.Session, error)
	// EndSession ends one active session of the user; ended is false (and
	// nothing changes) when sessionID is not an active session of userID.
	EndSession(ctx context.Context, userID, sessionID, reason string, now time.Time) (ended bool, err error)
	// EndSessions ends every active session of the user except keep (empty:
	// all of them) and returns the ids it ended.
	EndSessions(ctx context.Context, userID, keep, reason string, now time.Time) ([]string, error)
}

// EndedSessions remembers which sessions ended, for as long as their access
// tokens could still verify, so that authd's own endpoints refuse those
// tokens at once. IsEnded runs on every authenticated request: it must be
// a memory lookup in the common case. Every instance sharing the store sees
// a MarkEnded within one second. Errors match domain.ErrUnavailable; a
// store that cannot tell fails closed with an error, never with false.
type EndedSessions interface {
	MarkEnded(ctx context.Context, ids []string, now time.Time) error
	IsEnded(ctx context.Context, id string, now time.Time) (bool, error)
}
