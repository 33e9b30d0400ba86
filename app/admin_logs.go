package app

import (
	"context"
	"fmt"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// AdminLogs reads the security-event log and the SMS send log.
type AdminLogs struct {
	events   ports.Events
	attempts ports.SMSAttempts
	phones   ports.PhoneParser
}

// NewAdminLogs builds the use case.
func NewAdminLogs(events ports.Events, attempts ports.SMSAttempts, phones ports.PhoneParser) *AdminLogs {
	return &AdminLogs{events: events, attempts: attempts, phones: phones}
}

// Events lists security events, newest first.
func (uc *AdminLogs) Events(ctx context.Context, f ports.EventFilter, cursor string, limit int) ([]domain.Event, string, error) {
	if !domain.IsPlainText(f.UserID) || len(f.UserID) > 64 || !domain.IsPlainText(string(f.Type)) || len(f.Type) > 64 {
		return nil, "", fmt.Errorf("user_id and type must be short plain text: %w", domain.ErrInvalidRequest)
	}
	return uc.events.ListEvents(ctx, f, cursor, pageLimit(limit))
}

// SMSAttempts lists send attempts, newest first; phone is in any accepted
// form.
func (uc *AdminLogs) SMSAttempts(ctx context.Context, phone string, since time.Time, cursor string, limit int) ([]ports.SMSAttemptRecord, string, error) {
	f := ports.SMSAttemptFilter{Since: since}
	if phone != "" {
		p, err := uc.phones.Parse(phone)
		if err != nil {
			return nil, "", err
		}
		f.Phone = p.E164
	}
	return uc.attempts.ListSMSAttempts(ctx, f, cursor, pageLimit(limit))
}
