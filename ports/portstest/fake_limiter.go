package portstest

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Limiter is an in-memory fixed-window ports.RateLimiter.
type Limiter struct {
	mu     sync.Mutex
	counts map[string]window
	Err    error
}

type window struct {
	n   int
	end time.Time
}

var _ ports.RateLimiter = (*Limiter)(nil)

// NewLimiter returns a limiter with no counts.
func NewLimiter() *Limiter { return &Limiter{counts: map[string]window{}} }

func (l *Limiter) current(key string, now time.Time) window {
	w := l.counts[key]
	if !now.Before(w.end) {
		w = window{}
	}
	return w
}

// Take implements ports.RateLimiter.
func (l *Limiter) Take(_ context.Context, key string, lim ports.Limit, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.Err != nil {
		return l.Err
	}
	w := l.current(key, now)
	if w.n >= lim.Max {
		return &domain.RateLimitedError{Limit: lim.Name, RetryAfter: w.end.Sub(now)}
	}
	if w.n == 0 {
		w.end = now.Add(lim.Window)
	}
	w.n++
	l.counts[key] = w
	return nil
}

// Check implements ports.RateLimiter.
func (l *Limiter) Check(_ context.Context, key string, lim ports.Limit, now time.Time) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.Err != nil {
		return l.Err
	}
	if w := l.current(key, now); w.n >= lim.Max {
		return &domain.RateLimitedError{Limit: lim.Name, RetryAfter: w.end.Sub(now)}
	}
	return nil
}

// Reset implements ports.RateLimiter.
func (l *Limiter) Reset(_ context.Context, key string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.Err != nil {
		return l.Err
	}
	delete(l.counts, key)
	return nil
}
