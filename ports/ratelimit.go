package ports

import (
	"context"
	"time"
)

// Limit is a budget of Max events per Window for one key.
type Limit struct {
	Name   string // which limit, reported in domain.RateLimitedError
	Max    int
	Window time.Duration
}

// RateLimiter counts events per key in fixed windows. Counters are shared by
// every instance using the same store. Failures match domain.ErrUnavailable.
type RateLimiter interface {
	// Take counts one event and returns *domain.RateLimitedError (counting
	// nothing) if the key already used its budget.
	Take(ctx context.Context, key string, l Limit, now time.Time) error
	// Check returns *domain.RateLimitedError if the key's budget is used,
	// without counting anything.
	Check(ctx context.Context, key string, l Limit, now time.Time) error
	// Reset forgets the key's count (e.g. failures after a success).
	Reset(ctx context.Context, key string) error
}
