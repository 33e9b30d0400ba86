package memcode

import (
	"sort"
	"sync"
	"time"

	"github.com/authd/authd/ports"
)

// sweepEvery is how often, by the callers' clock, a write scans the whole
// map for expired entries.
const sweepEvery = time.Minute

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
	sends     map[string]*sendLog         // per phone, for the hourly and daily caps
	counters  map[counterKey]*counter
	nextSweep time.Time
	nextSend  uint64 // the id of the next send, so Cancel finds its own
}

// code is one stored digest and its wrong attempts so far.
type code struct {
	digest   string
	attempts int
	expires  time.Time
	send     uint64 // the id of the send this Issue counted
}

// sendLog is one phone's sends within the longest cap window: the caps are
// sliding windows, so every send is kept with its time until it ages out.
type sendLog struct {
	sends []send
	keep  time.Duration // the longest window, from the latest Issue's policy
}

// send is one counted send.
type send struct {
	id uint64
	at time.Time
}

// within returns the times of the sends in the window (now-window, now],
// oldest first.
func (l *sendLog) within(window time.Duration, now time.Time) []time.Time {
	var at []time.Time
	for _, s := range l.sends {
		if now.Sub(s.at) < window {
			at = append(at, s.at)
		}
	}
	sort.Slice(at, func(i, j int) bool { return at[i].Before(at[j]) })
	return at
}

// trim drops the sends older than keep.
func (l *sendLog) trim(now time.Time) {
	kept := l.sends[:0]
	for _, s := range l.sends {
		if now.Sub(s.at) < l.keep {
			kept = append(kept, s)
		}
	}
	l.sends = kept
}

// remove drops the send with this id, if it is still there.
func (l *sendLog) remove(id uint64) {
	for i, s := range l.sends {
		if s.id == id {
			l.sends = append(l.sends[:i], l.sends[i+1:]...)
			return
		}
	}
}

// counterKey names a rate limiter window; keys are free-form strings chosen
// by the caller.
type counterKey struct {
	kind string // "rl" (RateLimiter key)
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
		sends:     map[string]*sendLog{},
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
	for phone, l := range s.sends {
		if l.trim(now); len(l.sends) == 0 {
			delete(s.sends, phone)
		}
	}
}
