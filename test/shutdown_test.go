package test

import (
	"context"
	"testing"
	"time"

	"github.com/authd/authd/ports"
	"github.com/authd/authd/test/harness"
)

// slowSMS holds each send until released, to keep a request in flight.
type slowSMS struct {
	ports.SMS
	started chan struct{}
	release chan struct{}
}

func (s slowSMS) Send(ctx context.Context, m ports.SMSMessage) (ports.SMSResult, error) {
	s.started <- struct{}{}
	<-s.release
	return s.SMS.Send(ctx, m)
}

// Stopping the server (what SIGTERM does through fx) lets in-flight
// requests finish before it exits.
func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	slow := slowSMS{started: make(chan struct{}, 1), release: make(chan struct{})}
	inst := start(t, embedded, harness.Options{WrapSMS: func(s ports.SMS) ports.SMS { slow.SMS = s; return slow }})
	c := inst.Client(t)
	done := make(chan harness.Response, 1)
	go func() { done <- c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()}) }()
	<-slow.started

	stopped := make(chan struct{})
	go func() { inst.Stop(); close(stopped) }()
	select {
	case <-stopped:
		t.Fatal("server stopped with a request in flight")
	case <-time.After(300 * time.Millisecond):
	}
	close(slow.release)
	if r := <-done; r.Status != 202 {
		t.Fatalf("in-flight request: %d %s", r.Status, r.Raw)
	}
	<-stopped
}
