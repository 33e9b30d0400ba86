package sms

import (
	"sync"
	"time"
)

// Breaker states, also the values of the breaker state gauge.
const (
	breakerClosed   = 0
	breakerOpen     = 1
	breakerHalfOpen = 2
)

// outcome is what an attempt tells the breaker.
type outcome int

const (
	outcomeSuccess outcome = iota // the vendor answered, even with a refusal about the number
	outcomeFailure                // a provider failure: outage, timeout, configuration
	outcomeNeutral                // the caller gave up: says nothing about the vendor
)

// breaker is one vendor's circuit: after threshold consecutive failures it
// opens for cooldown, then lets one probe through; the probe's success
// closes it, its failure opens it again.
type breaker struct {
	threshold int
	cooldown  time.Duration
	now       func() time.Time

	mu        sync.Mutex
	state     int
	failures  int
	openUntil time.Time
}

func newBreaker(threshold int, cooldown time.Duration, now func() time.Time) *breaker {
	return &breaker{threshold: threshold, cooldown: cooldown, now: now}
}

// allow reports whether an attempt may go to the vendor now. When the
// cooldown is over it admits exactly one probe.
func (b *breaker) allow() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch b.state {
	case breakerClosed:
		return true
	case breakerOpen:
		if b.now().Before(b.openUntil) {
			return false
		}
		b.state = breakerHalfOpen
		return true
	}
	return false // half-open: a probe is already out
}

// skipped reports, without admitting anything, whether allow would refuse.
func (b *breaker) skipped() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state == breakerHalfOpen || b.state == breakerOpen && b.now().Before(b.openUntil)
}

// done records an admitted attempt's outcome and returns the new state.
func (b *breaker) done(o outcome) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch o {
	case outcomeSuccess:
		b.state, b.failures = breakerClosed, 0
	case outcomeFailure:
		b.failures++
		if b.state == breakerHalfOpen || b.failures >= b.threshold {
			b.state, b.openUntil = breakerOpen, b.now().Add(b.cooldown)
		}
	case outcomeNeutral:
		if b.state == breakerHalfOpen {
			// Give the probe back: the cooldown is over, the next call probes.
			b.state = breakerOpen
		}
	}
	return b.state
}
