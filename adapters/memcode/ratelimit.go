package memcode

import (
	"context"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Take implements ports.RateLimiter with a fixed window that starts at the
// key's first event. One key has one limit: a key reused with another Limit
// shares its count.
func (s *Store) Take(_ context.Context, key string, l ports.Limit, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.sweep(now)
	k := counterKey{kind: "rl", name: key}
	if err := s.limited(k, l, now); err != nil {
		return err
	}
	s.add(k, l.Window, now)
	return nil
}

// Check implements ports.RateLimiter.
func (s *Store) Check(_ context.Context, key string, l ports.Limit, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.limited(counterKey{kind: "rl", name: key}, l, now)
}

// Reset implements ports.RateLimiter.
func (s *Store) Reset(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.counters, counterKey{kind: "rl", name: key})
	return nil
}

// limited reports whether k used its budget. The caller holds mu.
func (s *Store) limited(k counterKey, l ports.Limit, now time.Time) error {
	c := s.count(k, now)
	switch {
	case c != nil && c.n >= l.Max:
		return &domain.RateLimitedError{Limit: l.Name, RetryAfter: c.expires.Sub(now)}
	case c == nil && l.Max <= 0:
		return &domain.RateLimitedError{Limit: l.Name, RetryAfter: l.Window}
	}
	return nil
}
