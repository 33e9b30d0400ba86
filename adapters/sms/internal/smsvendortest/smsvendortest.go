// Package smsvendortest holds the test helpers the vendor senders' tests
// share: the check of a Config.Validate table case and the checks every
// sender must pass on timeouts, the caller's context and concurrent sends.
package smsvendortest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// WantConfigKey checks what a Config's Validate returned: no error when
// key is "", else a *domain.ConfigError naming key.
func WantConfigKey(t *testing.T, err error, key string) {
	t.Helper()
	var ce *domain.ConfigError
	switch {
	case key == "" && err != nil:
		t.Errorf("Validate: %v", err)
	case key != "" && (!errors.As(err, &ce) || ce.Key != key):
		t.Errorf("Validate = %v, want key %s", err, key)
	}
}

// Send is one send through the sender under test.
type Send func(context.Context) error

// TimesOut checks a send to a hanging vendor through a sender whose timeout
// is well under a second: it gives up within 2s, as a provider failure that
// still matches context.DeadlineExceeded. It returns the error for the
// caller's own checks.
func TimesOut(t *testing.T, send Send) error {
	t.Helper()
	start := time.Now()
	err := send(context.Background())
	if elapsed := time.Since(start); elapsed > 2*time.Second {
		t.Errorf("took %v with a 300ms timeout", elapsed)
	}
	if se, ok := ports.AsSendError(err); !ok || se.Kind != ports.SendProviderFailed || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v, want a timeout provider failure", err)
	}
	return err
}

// StopsAtCallerDeadline checks that a send to a hanging vendor fails soon
// after the caller's own 200ms deadline, well before the sender's timeout.
func StopsAtCallerDeadline(t *testing.T, send Send) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := send(ctx); err == nil {
		t.Fatal("want an error")
	}
	if elapsed := time.Since(start); elapsed > time.Second {
		t.Errorf("took %v after the caller's 200ms deadline", elapsed)
	}
}

// SendsConcurrently runs 16 sends at once (run it under -race); each must
// succeed, and delivered, asked afterwards, must count 16 messages.
func SendsConcurrently(t *testing.T, send Send, delivered func() int) {
	t.Helper()
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			if err := send(context.Background()); err != nil {
				t.Errorf("Send: %v", err)
			}
		})
	}
	wg.Wait()
	if n := delivered(); n != 16 {
		t.Errorf("vendor got %d messages, want 16", n)
	}
}
