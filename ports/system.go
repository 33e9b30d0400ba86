package ports

import (
	"context"
	"time"
)

// Clock tells the time; tests use a fake one.
type Clock interface {
	Now() time.Time
}

// IDs makes unique, time-ordered identifiers (UUID v7).
type IDs interface {
	NewID() string
}

// HealthCheck is one dependency /readyz pings.
type HealthCheck interface {
	Name() string
	Ping(ctx context.Context) error
}
