package memcode

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Issue implements ports.Codes: cooldown, hourly cap and daily cap are
// checked, then the digest is stored and the send logged, under one lock.
// The caps count the sends in the sliding window ending now, so no rolling
// hour or day ever holds more than the cap.
func (s *Store) Issue(_ context.Context, in ports.IssueCode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := in.Now
	s.sweep(now)

	if until, ok := s.cooldowns[in.Key]; ok && now.Before(until) {
		return &domain.RateLimitedError{Limit: "resend_cooldown", RetryAfter: until.Sub(now)}
	}
	hourW, dayW := in.Policy.Windows()
	log := s.sends[in.Key.Phone]
	if log == nil {
		log = &sendLog{}
		s.sends[in.Key.Phone] = log
	}
	log.keep = max(hourW, dayW)
	log.trim(now)
	caps := []struct {
		limit  string
		cap    int
		window time.Duration
	}{{"phone_hourly", in.Policy.HourlyLimit, hourW}, {"phone_daily", in.Policy.DailyLimit, dayW}}
	for _, c := range caps {
		at := log.within(c.window, now)
		if len(at) < c.cap {
			continue
		}
		// Enough of the oldest sends must age out to leave room for one.
		wait := c.window
		if c.cap > 0 {
			wait = at[len(at)-c.cap].Add(c.window).Sub(now)
		}
		return &domain.RateLimitedError{Limit: c.limit, RetryAfter: max(wait, time.Millisecond)}
	}

	s.nextSend++
	s.codes[in.Key] = &code{digest: string(in.Digest), expires: now.Add(in.Policy.TTL), send: s.nextSend}
	if in.Policy.ResendAfter > 0 {
		s.cooldowns[in.Key] = now.Add(in.Policy.ResendAfter)
	}
	log.sends = append(log.sends, send{id: s.nextSend, at: now})
	return nil
}

// Cancel implements ports.Codes. It acts only while the code still has this
// digest, so a repeated Cancel cannot give a send back twice, and it gives
// back the send this code's Issue logged, never another.
func (s *Store) Cancel(_ context.Context, key ports.CodeKey, digest []byte, scope ports.CancelScope, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[key]
	if !ok || !now.Before(c.expires) || !equal(c.digest, digest) {
		return nil
	}
	delete(s.codes, key)
	delete(s.cooldowns, key)
	if log := s.sends[key.Phone]; log != nil && scope == ports.CancelSend {
		log.remove(c.send)
	}
	return nil
}

// Withdraw implements ports.Codes: the code goes, the counters stay.
func (s *Store) Withdraw(_ context.Context, key ports.CodeKey, digest []byte, _ time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c, ok := s.codes[key]; ok && equal(c.digest, digest) {
		delete(s.codes, key)
	}
	return nil
}

// Verify implements ports.Codes: a match deletes the code, a mismatch counts
// an attempt and burns the code at maxAttempts.
func (s *Store) Verify(_ context.Context, key ports.CodeKey, digest []byte, maxAttempts int, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[key]
	if !ok {
		return domain.ErrInvalidCode
	}
	if !now.Before(c.expires) {
		delete(s.codes, key)
		return domain.ErrInvalidCode
	}
	if equal(c.digest, digest) {
		delete(s.codes, key)
		return nil
	}
	c.attempts++
	if c.attempts >= maxAttempts {
		delete(s.codes, key)
	}
	return domain.ErrInvalidCode
}

// equal compares digests in constant time.
func equal(stored string, digest []byte) bool {
	return subtle.ConstantTimeCompare([]byte(stored), digest) == 1
}
