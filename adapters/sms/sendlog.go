package sms

import (
	"context"
	"log/slog"
	"time"

	"github.com/authd/authd/ports"
)

// logTimeout bounds a send log write, which runs even after the send's
// budget is spent.
const logTimeout = 2 * time.Second

// sendLog records attempts in the optional ports.SMSLog and names messages
// and attempts with the injected ports.IDs.
type sendLog struct {
	log    ports.SMSLog // nil: nothing is recorded
	ids    ports.IDs
	logger *slog.Logger
}

func (l *sendLog) newID() string { return l.ids.NewID() }

// record writes an attempt to the send log. A log failure is logged and
// never fails the send.
func (l *sendLog) record(ctx context.Context, a ports.SendAttempt) {
	if l.log == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), logTimeout)
	defer cancel()
	if err := l.log.Record(ctx, a); err != nil {
		l.logger.WarnContext(ctx, "sms send log: record failed", "message_id", a.MessageID, "provider", a.Provider, "err", err)
	}
}
