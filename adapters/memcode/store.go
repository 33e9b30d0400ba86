package memcode

import (
	"sync"
	"time"

	"github.com/authd/authd/ports"
)

// sweepEvery is how often, by the callers' clock, a write scans the whole
// map for expired entries.
const sweepEvery = time.Minute

// The per-phone send windows, mirroring the vendors' hourly and daily caps.
const (
	hourWindow = time.Hour
	dayWindow  = 24 * time.Hour
)

var (
	_ ports.Codes       = (*Store)(nil)
	_ ports.RateLimiter = (*Store)(nil)
)

// Store keeps codes, cooldowns and counters in memory. The zero value is not
// usable; call New.
type Store struct {
	mu        sync.Mutex
	codes     map[ports.CodeKey]*code
	cooldowns map[ports.CodeKey]time.Time // cooldown end per phone and purpose
	counters  map[counterKey]*counter
	nextSweep time.Time
}

// code is one stored digest and its wrong attempts so far.
type code struct {
	digest   string
	attempts int
	expires  time.Time
}

// counterKey separates the phone send windows from rate limiter keys, which
// are free-form strings chosen by the caller.
type counterKey struct {
	kind string // "hour", "day" (per phone) or "rl" (RateLimiter key)
	name string
}

// counter is a fixed window that starts at its first event.
type counter struct {
	n       int
	expires time.Time
}

// New returns an empty store.
func New() *Store {
	return &Store{
		codes:     map[ports.CodeKey]*code{},
		cooldowns: map[ports.CodeKey]time.Time{},
		counters:  map[counterKey]*counter{},
	}
}

// count returns the live counter for k, or nil if it is absent or expired.
// The caller holds mu.
func (s *Store) count(k counterKey, now time.Time) *counter {
	c, ok := s.counters[k]
	if !ok {
		return nil
	}
	if !now.Before(c.expires) {
		delete(s.counters, k)
		return nil
	}
	return c
}

// add counts one event in k's window, starting the window if needed. The
// caller holds mu.
func (s *Store) add(k counterKey, window time.Duration, now time.Time) {
	if c := s.count(k, now); c != nil {
		c.n++
		return
	}
	s.counters[k] = &counter{n: 1, expires: now.Add(window)}
}

// sweep drops every expired entry, at most once per sweepEvery. The caller
// holds mu.
func (s *Store) sweep(now time.Time) {
	if now.Before(s.nextSweep) {
		return
	}
	s.nextSweep = now.Add(sweepEvery)
	for k, c := range s.codes {
		if !now.Before(c.expires) {
			delete(s.codes, k)
		}
	}
	for k, until := range s.cooldowns {
		if !now.Before(until) {
			delete(s.cooldowns, k)
		}
	}
	for k, c := range s.counters {
		if !now.Before(c.expires) {
			delete(s.counters, k)
		}
	}
}
