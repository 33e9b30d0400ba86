package portstest

import (
	"context"
	"crypto/rand"
	"errors"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestRateLimiter is the contract every ports.RateLimiter must pass.
// newLimiter returns a limiter whose counters no other test sees. Subtests
// run in parallel on keys of their own and use the wall clock; the window
// check sleeps about a second.
func TestRateLimiter(t *testing.T, newLimiter func(t *testing.T) ports.RateLimiter) {
	tests := []struct {
		name string
		run  func(t *testing.T, l ports.RateLimiter)
	}{
		{"TakeUpToMax", rlTakeUpToMax},
		{"CheckDoesNotCount", rlCheckDoesNotCount},
		{"CheckAtLimit", rlCheckAtLimit},
		{"RefusedTakeDoesNotExtend", rlRefusedTakeDoesNotCount},
		{"Reset", rlReset},
		{"KeysSeparate", rlKeysSeparate},
		{"WindowEnds", rlWindowEnds},
		{"ResetUnknownKey", rlResetUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newLimiter(t))
		})
	}
}

// rlKey returns a fresh key with characters callers really use (IPs,
// colons) and a brace, which must not break Redis hash tags.
func rlKey() string {
	return "ip:203.0.113.7:{" + rand.Text()[:10]
}

func rlLimit() ports.Limit { return ports.Limit{Name: "ip_code", Max: 3, Window: time.Minute} }

func rlTake(t testing.TB, l ports.RateLimiter, key string, lim ports.Limit) {
	t.Helper()
	if err := l.Take(context.Background(), key, lim, time.Now()); err != nil {
		t.Fatalf("Take: %v", err)
	}
}

// rlWantLimited fails unless err is a RateLimitedError named for lim with a
// wait in (0, lim.Window].
func rlWantLimited(t testing.TB, err error, lim ports.Limit) {
	t.Helper()
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("got %v, want *domain.RateLimitedError", err)
	}
	if rl.Limit != lim.Name || rl.RetryAfter <= 0 || rl.RetryAfter > lim.Window {
		t.Fatalf("got (%q, %v), want (%q, in (0, %v])", rl.Limit, rl.RetryAfter, lim.Name, lim.Window)
	}
}

func rlTakeUpToMax(t *testing.T, l ports.RateLimiter) {
	key, lim := rlKey(), rlLimit()
	for range lim.Max {
		rlTake(t, l, key, lim)
	}
	rlWantLimited(t, l.Take(context.Background(), key, lim, time.Now()), lim)
}

func rlCheckDoesNotCount(t *testing.T, l ports.RateLimiter) {
	key, lim := rlKey(), rlLimit()
	for range lim.Max + 2 {
		if err := l.Check(context.Background(), key, lim, time.Now()); err != nil {
			t.Fatalf("Check on an unused key: %v", err)
		}
	}
	for range lim.Max {
		rlTake(t, l, key, lim)
	}
}

func rlCheckAtLimit(t *testing.T, l ports.RateLimiter) {
	key, lim := rlKey(), rlLimit()
	for range lim.Max - 1 {
		rlTake(t, l, key, lim)
	}
	if err := l.Check(context.Background(), key, lim, time.Now()); err != nil {
		t.Fatalf("Check below the limit: %v", err)
	}
	rlTake(t, l, key, lim)
	rlWantLimited(t, l.Check(context.Background(), key, lim, time.Now()), lim)
}

// rlRefusedTakeDoesNotCount: refused Takes count nothing, so a Reset-free
// key is still exactly at its limit (not beyond it) and the window is not
// pushed out by hammering.
func rlRefusedTakeDoesNotCount(t *testing.T, l ports.RateLimiter) {
	key := rlKey()
	lim := ports.Limit{Name: "login_failure", Max: 1, Window: time.Second}
	rlTake(t, l, key, lim)
	deadline := time.Now().Add(900 * time.Millisecond)
	for time.Now().Before(deadline) {
		rlWantLimited(t, l.Take(context.Background(), key, lim, time.Now()), lim)
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	rlTake(t, l, key, lim)
}

func rlReset(t *testing.T, l ports.RateLimiter) {
	key, lim := rlKey(), rlLimit()
	for range lim.Max {
		rlTake(t, l, key, lim)
	}
	if err := l.Reset(context.Background(), key); err != nil {
		t.Fatalf("Reset: %v", err)
	}
	for range lim.Max {
		rlTake(t, l, key, lim)
	}
}

func rlKeysSeparate(t *testing.T, l ports.RateLimiter) {
	a, b, lim := rlKey(), rlKey(), rlLimit()
	for range lim.Max {
		rlTake(t, l, a, lim)
	}
	rlTake(t, l, b, lim)
	if err := l.Check(context.Background(), b, lim, time.Now()); err != nil {
		t.Fatalf("Check b after a hit its limit: %v", err)
	}
}

func rlWindowEnds(t *testing.T, l ports.RateLimiter) {
	key := rlKey()
	lim := ports.Limit{Name: "ip_login", Max: 2, Window: time.Second}
	rlTake(t, l, key, lim)
	rlTake(t, l, key, lim)
	rlWantLimited(t, l.Take(context.Background(), key, lim, time.Now()), lim)
	time.Sleep(1100 * time.Millisecond)
	rlTake(t, l, key, lim)
	rlTake(t, l, key, lim)
}

func rlResetUnknown(t *testing.T, l ports.RateLimiter) {
	if err := l.Reset(context.Background(), rlKey()); err != nil {
		t.Fatalf("Reset of an unused key: %v", err)
	}
}
