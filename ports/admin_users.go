package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// UserQuery is an operator's search: a user whose phone is Phone exactly,
// or whose username or email starts with Prefix (case-insensitive). Both
// empty lists everyone.
type UserQuery struct {
	Phone  string // E.164
	Prefix string
}

// UserChange is what an operator's change does to one user, written in one
// transaction: the user's new state, the events reporting it and, when
// EndSessions is set, the end of every session of the user.
type UserChange struct {
	User        domain.User
	Events      []domain.Event
	EndSessions bool
}

// AdminUsers is the operator's side of the user repository. Every change
// commits with its events or not at all. Errors: domain.ErrNotFound,
// domain.ErrPhoneTaken / ErrUsernameTaken / ErrEmailTaken, and errors
// matching domain.ErrUnavailable.
type AdminUsers interface {
	// SearchUsers returns at most limit users matching q, newest first,
	// after cursor (the id of the previous page's last user; empty for the
	// first page). next is empty on the last page. Users created while
	// paging sort before the first page, never inside a later one.
	SearchUsers(ctx context.Context, q UserQuery, cursor string, limit int) (us []domain.User, next string, err error)
	// CreateUser stores u and evs together.
	CreateUser(ctx context.Context, u domain.User, evs []domain.Event) error
	// ChangeUser loads the user, locked against concurrent changes, passes
	// it to change and stores the result: username, phone, email, icon,
	// disabled and updated_at of UserChange.User, its events and, with
	// EndSessions, the revocation of every refresh token of the user. An
	// error from change aborts the whole change.
	ChangeUser(ctx context.Context, id string, change func(domain.User) (UserChange, error)) (domain.User, error)
}

// UserSessions lists and ends a user's login sessions for an operator.
// NOTE for the merge: the "accounts" work owns sessions; bind its adapter
// here when it lands (bunstore's interim one reads refresh-token families).
type UserSessions interface {
	// ListUserSessions returns the user's active sessions, newest first.
	ListUserSessions(ctx context.Context, userID string, now time.Time) ([]domain.UserSession, error)
	// EndUserSessions ends every session of the user and stores ev with it.
	EndUserSessions(ctx context.Context, userID string, ev domain.Event, now time.Time) error
}

// AccountDeletion deletes an account as DELETE /v1/me does: its sessions
// end, the user row and its personal data go, ev (user.deleted) is stored in
// the same transaction. A missing user is domain.ErrNotFound.
// NOTE for the merge: bind the "accounts" implementation when it lands.
type AccountDeletion interface {
	DeleteAccount(ctx context.Context, userID string, ev domain.Event, now time.Time) error
}

// SessionStatus tells whether a login session (an access token's sid) is
// still active, for introspection.
// NOTE for the merge: bind the "accounts" ended-session check when it lands.
type SessionStatus interface {
	SessionActive(ctx context.Context, userID, sessionID string, now time.Time) (bool, error)
}

// SMSAttemptFilter narrows the send log; zero fields match everything.
type SMSAttemptFilter struct {
	Phone string // E.164
	Since time.Time
}

// SMSAttempts reads the send log for operators.
type SMSAttempts interface {
	// ListSMSAttempts pages the attempts newest first, like SearchUsers.
	ListSMSAttempts(ctx context.Context, f SMSAttemptFilter, cursor string, limit int) ([]SMSAttemptRecord, string, error)
}

// SMSAttemptRecord is one logged send attempt with its receipt.
type SMSAttemptRecord struct {
	SendAttempt
	ReceiptAt   time.Time
	ReceiptCode string
}
