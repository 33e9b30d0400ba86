package domain

import "time"

// Session is one login session (a device): the refresh-token family its
// tokens rotate in, and the "sid" claim of its access tokens.
type Session struct {
	ID         string
	UserID     string
	CreatedAt  time.Time
	LastUsedAt time.Time // the last login or refresh
	ExpiresAt  time.Time // when its live refresh token expires
	UserAgent  string
	IP         string
	EndedAt    time.Time // zero while active
	EndReason  string
}

// Why a session ended (stored with it, and the "reason" of session.ended).
const (
	EndLogout          = "logout"
	EndUser            = "ended_by_user" // DELETE /v1/me/sessions...
	EndPasswordChanged = "password_changed"
	EndRefreshReuse    = "refresh_reuse"
	EndDisabled        = "disabled"
	EndRevoked         = "revoked"
)
