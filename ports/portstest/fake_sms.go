package portstest

import (
	"context"
	"sync"

	"github.com/authd/authd/ports"
)

// SMS records messages instead of sending them. Err, when set, is returned
// by Send (after recording the attempt in Failed).
type SMS struct {
	mu     sync.Mutex
	sent   []ports.SMSMessage
	Failed []ports.SMSMessage
	Err    error
}

var _ ports.SMS = (*SMS)(nil)

// Send implements ports.SMS.
func (s *SMS) Send(_ context.Context, m ports.SMSMessage) (ports.SMSResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.Err != nil {
		s.Failed = append(s.Failed, m)
		return ports.SMSResult{}, s.Err
	}
	s.sent = append(s.sent, m)
	return ports.SMSResult{Provider: "fake", MessageID: m.ID}, nil
}

// Sent returns a copy of the delivered messages.
func (s *SMS) Sent() []ports.SMSMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ports.SMSMessage(nil), s.sent...)
}

// Last returns the last delivered message to phone, if any.
func (s *SMS) Last(phone string) (ports.SMSMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.sent) - 1; i >= 0; i-- {
		if s.sent[i].Phone.E164 == phone {
			return s.sent[i], true
		}
	}
	return ports.SMSMessage{}, false
}
