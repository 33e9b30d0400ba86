package memcode

import (
	"context"
	"crypto/subtle"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Issue implements ports.Codes: cooldown, hourly cap and daily cap are
// checked, then the digest is stored and the send counted, under one lock.
func (s *Store) Issue(_ context.Context, in ports.IssueCode) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := in.Now
	s.sweep(now)

	if until, ok := s.cooldowns[in.Key]; ok && now.Before(until) {
		return &domain.RateLimitedError{Limit: "resend_cooldown", RetryAfter: until.Sub(now)}
	}
	hour, day := phoneCounters(in.Key.Phone)
	if c := s.count(hour, now); c != nil && c.n >= in.Policy.HourlyLimit {
		return &domain.RateLimitedError{Limit: "phone_hourly", RetryAfter: c.expires.Sub(now)}
	}
	if c := s.count(day, now); c != nil && c.n >= in.Policy.DailyLimit {
		return &domain.RateLimitedError{Limit: "phone_daily", RetryAfter: c.expires.Sub(now)}
	}

	s.codes[in.Key] = &code{digest: string(in.Digest), expires: now.Add(in.Policy.TTL)}
	if in.Policy.ResendAfter > 0 {
		s.cooldowns[in.Key] = now.Add(in.Policy.ResendAfter)
	}
	s.add(hour, hourWindow, now)
	s.add(day, dayWindow, now)
	return nil
}

// Cancel implements ports.Codes. It acts only while the code still has this
// digest, so a repeated Cancel cannot give a send back twice.
func (s *Store) Cancel(_ context.Context, key ports.CodeKey, digest []byte, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.codes[key]
	if !ok || !now.Before(c.expires) || !equal(c.digest, digest) {
		return nil
	}
	delete(s.codes, key)
	delete(s.cooldowns, key)
	hour, day := phoneCounters(key.Phone)
	for _, k := range []counterKey{hour, day} {
		if n := s.count(k, now); n != nil && n.n > 0 {
			n.n--
		}
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

// phoneCounters names the phone's hourly and daily send windows, shared by
// all purposes.
func phoneCounters(phone string) (hour, day counterKey) {
	return counterKey{kind: "hour", name: phone}, counterKey{kind: "day", name: phone}
}

// equal compares digests in constant time.
func equal(stored string, digest []byte) bool {
	return subtle.ConstantTimeCompare([]byte(stored), digest) == 1
}
