package ports

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
)

// Webhook delivery states of an event.
const (
	WebhookPending   = "pending"
	WebhookDelivered = "delivered"
	WebhookDead      = "dead" // retried for the whole retry window; replayable
)

// OutboxEvent is a security event with its webhook delivery state.
type OutboxEvent struct {
	domain.Event
	Status    string
	Attempts  int
	Done      []string  // receivers (by key) that already accepted it
	RetryFrom time.Time // start of its retry window: the event's time, or its last replay
	LastError string
}

// WebhookStats is the outbox at a glance.
type WebhookStats struct {
	Pending       int
	Dead          int
	Delivered     int
	OldestPending time.Time // zero when nothing is pending
}

// WebhookOutbox is the security-event table seen as the webhook outbox:
// events are written there in the transaction of their change, and
// dispatchers (several instances may share one database) lease, deliver
// and settle them. Only webhook event types (domain.EventType.IsWebhook)
// are in it.
type WebhookOutbox interface {
	// ClaimWebhookEvents leases at most n pending events that are due at
	// now to owner until now+lease, oldest first. Per user only the oldest
	// pending event is ever claimable, so a user's events are delivered in
	// order; an event leased by another owner is not claimable until its
	// lease ends, so concurrent claims never return the same event.
	ClaimWebhookEvents(ctx context.Context, owner string, now time.Time, lease time.Duration, n int) ([]OutboxEvent, error)
	// SettleWebhookEvent records an attempt: delivered, or failed with the
	// receivers done so far, the error, and either the next try or dead.
	SettleWebhookEvent(ctx context.Context, id string, s WebhookSettlement) error
	// WebhookStats counts the outbox.
	WebhookStats(ctx context.Context) (WebhookStats, error)
	// DeadWebhookEvents lists dead events, newest first.
	DeadWebhookEvents(ctx context.Context, limit int) ([]OutboxEvent, error)
	// ReplayWebhookEvents makes the dead events with these ids (none: every
	// dead event) pending again with a new retry window from now, and says
	// how many.
	ReplayWebhookEvents(ctx context.Context, ids []string, now time.Time) (int, error)
}

// WebhookSettlement is the outcome of one delivery attempt.
type WebhookSettlement struct {
	Status string // WebhookDelivered, WebhookPending (retry at NextAt) or WebhookDead
	Done   []string
	Error  string
	NextAt time.Time
}
