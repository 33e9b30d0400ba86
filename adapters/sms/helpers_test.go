package sms_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// scripted is a vendor sender that answers from a script.
type scripted struct {
	name string
	mu   sync.Mutex
	err  error         // nil: success
	hang time.Duration // wait this long (or until ctx ends) before answering
	n    int
	code []string
}

func (s *scripted) set(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
}

func (s *scripted) calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s *scripted) Send(ctx context.Context, msg ports.SMSMessage) (ports.SMSResult, error) {
	s.mu.Lock()
	s.n++
	s.code = append(s.code, msg.Code)
	err, hang := s.err, s.hang
	s.mu.Unlock()
	if hang > 0 {
		select {
		case <-time.After(hang):
		case <-ctx.Done():
			return ports.SMSResult{}, &ports.SendError{Provider: s.name, VendorCode: "Timeout", Err: ctx.Err()}
		}
	}
	if err != nil {
		return ports.SMSResult{}, err
	}
	return ports.SMSResult{Provider: s.name, MessageID: s.name + "-id"}, nil
}

func providerFailed(name string) error {
	return &ports.SendError{Provider: name, VendorCode: "InternalError", Kind: ports.SendProviderFailed}
}

// memLog is an in-memory ports.SMSLog.
type memLog struct {
	mu       sync.Mutex
	attempts []ports.SendAttempt
	receipts []ports.DeliveryReceipt
	fail     error
}

func (l *memLog) Record(_ context.Context, a ports.SendAttempt) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return l.fail
	}
	l.attempts = append(l.attempts, a)
	return nil
}

func (l *memLog) ApplyReceipt(_ context.Context, r ports.DeliveryReceipt) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.fail != nil {
		return false, l.fail
	}
	for _, a := range l.attempts {
		if a.Provider == r.Provider && (a.VendorMessageID == r.VendorMessageID || a.MessageID == r.MessageID) {
			l.receipts = append(l.receipts, r)
			return true, nil
		}
	}
	return false, nil
}

func (l *memLog) all() []ports.SendAttempt {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ports.SendAttempt(nil), l.attempts...)
}

// fakeClock is the breakers' clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func testMessage() ports.SMSMessage {
	return ports.SMSMessage{
		ID: "msg-1", Phone: domain.Phone{E164: "+8613711112222", Region: "CN"},
		Purpose: domain.PurposeLogin, Code: "654321", TTL: 5 * time.Minute,
	}
}

// metricValue reads one counter or gauge sample from reg.
func metricValue(t *testing.T, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	next:
		for _, m := range f.GetMetric() {
			for _, lp := range m.GetLabel() {
				if v, ok := labels[lp.GetName()]; ok && v != lp.GetValue() {
					continue next
				}
			}
			if m.GetCounter() != nil {
				return m.GetCounter().GetValue()
			}
			return m.GetGauge().GetValue()
		}
	}
	return 0
}

var errLogDown = errors.New("log store down")
