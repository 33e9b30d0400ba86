package domain

import "time"

// EventType names a security event. The names are also the webhook event
// types (API.md "Webhooks"), so a receiver and the user's activity list
// speak of a change in the same words.
type EventType string

// Security event types. Details carry what changed, never a code, password,
// token or hash.
const (
	EventUserCreated     EventType = "user.created"
	EventUserUpdated     EventType = "user.updated" // details: "fields" changed
	EventUserDeleted     EventType = "user.deleted"
	EventUserDisabled    EventType = "user.disabled"
	EventUserEnabled     EventType = "user.enabled"
	EventSessionCreated  EventType = "session.created"  // details: "method" (sms, password), "session_id"
	EventSessionEnded    EventType = "session.ended"    // details: "session_id" or "all", "reason"
	EventLoginFailed     EventType = "login.failed"     // details: "method"
	EventPasswordChanged EventType = "password.changed" // details: "how" (set, change, reset)
	EventPhoneChanged    EventType = "phone.changed"
	EventRefreshReuse    EventType = "refresh.reuse_detected" // details: "session_id"
	EventSMSBlocked      EventType = "sms.blocked"            // no user; details: "country"
	EventSMSUndelivered  EventType = "sms.undelivered"
)

// Event is one security-relevant change. It is written in the same database
// transaction as the change it reports, so the user's activity list, the
// admin API and the webhook outbox never miss a committed change nor report
// a rolled-back one.
type Event struct {
	ID        string // UUID v7: ordered by creation, the pagination cursor
	Type      EventType
	UserID    string // empty for events about no account (sms.blocked)
	At        time.Time
	IP        string
	UserAgent string
	// Actor is who made the change: "" for the user (or the system acting
	// for them), "admin:NAME" for an admin key.
	Actor   string
	Details map[string]any
}
