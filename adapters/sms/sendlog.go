package sms

import (
	"context"
	"time"

	"github.com/google/uuid"

	"github.com/authd/authd/ports"
)

// logTimeout bounds a send log write, which runs even after the send's
// budget is spent.
const logTimeout = 2 * time.Second

// record writes an attempt to the send log. A log failure is logged and
// never fails the send.
func (f *Failover) record(ctx context.Context, a ports.SendAttempt) {
	if f.log == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logTimeout)
	defer cancel()
	if err := f.log.Record(ctx, a); err != nil {
		f.logger.WarnContext(ctx, "sms send log: record failed", "message_id", a.MessageID, "provider", a.Provider, "err", err)
	}
}

// newID makes a time-ordered id for messages and attempts.
func newID() string {
	id, err := uuid.NewV7()
	if err != nil {
		return uuid.NewString()
	}
	return id.String()
}
