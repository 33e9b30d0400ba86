package rediscode

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/redis/rueidis"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// limitKey is the counter of one rate-limit key. One key has one limit: the
// Limit's name is not part of the key, so that Reset can forget it.
func (s *Store) limitKey(key string) []string {
	return []string{s.prefix + ":{rl:" + key + "}:n"}
}

// Take implements ports.RateLimiter in one script; the window is the key's
// TTL on Redis time, starting at its first event.
func (s *Store) Take(ctx context.Context, key string, l ports.Limit, _ time.Time) error {
	return s.limit(ctx, takeScript, key, l)
}

// Check implements ports.RateLimiter in one script.
func (s *Store) Check(ctx context.Context, key string, l ports.Limit, _ time.Time) error {
	return s.limit(ctx, checkScript, key, l)
}

// Reset implements ports.RateLimiter.
func (s *Store) Reset(ctx context.Context, key string) error {
	if err := s.client.Do(ctx, s.client.B().Del().Key(s.limitKey(key)...).Build()).Error(); err != nil {
		return domain.Unavailable("redis", err)
	}
	return nil
}

func (s *Store) limit(ctx context.Context, script *rueidis.Lua, key string, l ports.Limit) error {
	msg, err := s.run(ctx, script, s.limitKey(key), strconv.Itoa(l.Max), ms(l.Window))
	if err != nil {
		return err
	}
	wait, err := msg.AsInt64()
	if err != nil {
		return domain.Unavailable("redis", unexpected(msg))
	}
	if wait > 0 {
		return &domain.RateLimitedError{Limit: l.Name, RetryAfter: time.Duration(wait) * time.Millisecond}
	}
	return nil
}

// unexpected describes a script reply of the wrong shape (a bug, or a key
// of another type under our prefix).
func unexpected(msg rueidis.RedisMessage) error {
	return errors.New("unexpected script reply: " + msg.String())
}
