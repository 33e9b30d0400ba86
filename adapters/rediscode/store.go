package rediscode

import (
	"context"
	"strconv"
	"time"

	"github.com/redis/rueidis"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var (
	_ ports.Codes       = (*Store)(nil)
	_ ports.RateLimiter = (*Store)(nil)
	_ ports.HealthCheck = (*Store)(nil)
)

// Store is the Redis code store, rate limiter and Redis health check.
type Store struct {
	client rueidis.Client
	prefix string
}

// New connects to Redis. A server that cannot be reached is reported as
// domain.ErrUnavailable; once connected, rueidis reconnects by itself after
// an outage, so later calls work again without a restart.
func New(cfg Config) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	opt, err := cfg.clientOption()
	if err != nil {
		return nil, err
	}
	// No client-side caching: codes and counters change on every request
	// and must always be read fresh from the server (tracking would only
	// add invalidation traffic). Auto-pipelining stays on, its default.
	opt.DisableCache = true
	client, err := rueidis.NewClient(opt)
	if err != nil {
		return nil, domain.Unavailable("redis", err)
	}
	return &Store{client: client, prefix: cfg.prefix()}, nil
}

// Close closes the connections.
func (s *Store) Close() { s.client.Close() }

// Name implements ports.HealthCheck.
func (s *Store) Name() string { return "redis" }

// Ping implements ports.HealthCheck. On a cluster it checks every current
// master through the slot map (see pingCluster), not whichever node a
// keyless PING would reach.
func (s *Store) Ping(ctx context.Context) error {
	if s.client.Mode() == rueidis.ClientModeCluster {
		if err := s.pingCluster(ctx); err != nil {
			return domain.Unavailable("redis", err)
		}
		return nil
	}
	if err := s.client.Do(ctx, s.client.B().Ping().Build()).Error(); err != nil {
		return domain.Unavailable("redis", err)
	}
	return nil
}

// run executes one script and returns its integer reply (or array of
// integers). Every failure, from refused connections and timeouts to
// CLUSTERDOWN, reports Redis as unavailable.
func (s *Store) run(ctx context.Context, script *rueidis.Lua, keys []string, args ...string) (rueidis.RedisMessage, error) {
	msg, err := script.Exec(ctx, s.client, keys, args).ToMessage()
	if err != nil {
		return msg, domain.Unavailable("redis", err)
	}
	return msg, nil
}

// ms renders d as whole milliseconds, at least 1, for PEXPIRE and SET PX.
func ms(d time.Duration) string {
	return strconv.FormatInt(max(d.Milliseconds(), 1), 10)
}
