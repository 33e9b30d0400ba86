package portstest

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Codes is an in-memory ports.Codes that passes the TestCodes contract, with
// the calls recorded for assertions. Err, when set, fails every call.
type Codes struct {
	mu        sync.Mutex
	codes     map[ports.CodeKey]fakeCode
	cooldown  map[ports.CodeKey]time.Time
	sends     map[string][]time.Time // per phone, for the hourly and daily caps
	Issued    []ports.IssueCode
	Canceled  []ports.CodeKey
	Withdrawn []ports.CodeKey // keys whose code Withdraw deleted
	Err       error
}

type fakeCode struct {
	digest   []byte
	expires  time.Time
	attempts int
}

var _ ports.Codes = (*Codes)(nil)

// NewCodes returns an empty code store.
func NewCodes() *Codes {
	return &Codes{codes: map[ports.CodeKey]fakeCode{}, cooldown: map[ports.CodeKey]time.Time{}, sends: map[string][]time.Time{}}
}

// Issue implements ports.Codes.
func (c *Codes) Issue(_ context.Context, in ports.IssueCode) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Err != nil {
		return c.Err
	}
	if until, ok := c.cooldown[in.Key]; ok && in.Now.Before(until) {
		return &domain.RateLimitedError{Limit: "resend_cooldown", RetryAfter: until.Sub(in.Now)}
	}
	for _, cap := range []struct {
		name   string
		max    int
		window time.Duration
	}{{"phone_hourly", in.Policy.HourlyLimit, time.Hour}, {"phone_daily", in.Policy.DailyLimit, 24 * time.Hour}} {
		var n int
		var oldest time.Time
		for _, at := range c.sends[in.Key.Phone] {
			if in.Now.Sub(at) < cap.window {
				if n == 0 {
					oldest = at
				}
				n++
			}
		}
		if n >= cap.max {
			return &domain.RateLimitedError{Limit: cap.name, RetryAfter: oldest.Add(cap.window).Sub(in.Now)}
		}
	}
	c.sends[in.Key.Phone] = append(c.sends[in.Key.Phone], in.Now)
	c.codes[in.Key] = fakeCode{digest: in.Digest, expires: in.Now.Add(in.Policy.TTL)}
	c.cooldown[in.Key] = in.Now.Add(in.Policy.ResendAfter)
	c.Issued = append(c.Issued, in)
	return nil
}

// Cancel implements ports.Codes.
func (c *Codes) Cancel(_ context.Context, key ports.CodeKey, digest []byte, _ time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Err != nil {
		return c.Err
	}
	code, ok := c.codes[key]
	if !ok || !bytes.Equal(code.digest, digest) {
		return nil // only the send that stored this digest can be given back
	}
	delete(c.codes, key)
	delete(c.cooldown, key)
	if sends := c.sends[key.Phone]; len(sends) > 0 {
		c.sends[key.Phone] = sends[:len(sends)-1]
	}
	c.Canceled = append(c.Canceled, key)
	return nil
}

// Withdraw implements ports.Codes.
func (c *Codes) Withdraw(_ context.Context, key ports.CodeKey, digest []byte, _ time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Err != nil {
		return c.Err
	}
	if code, ok := c.codes[key]; ok && bytes.Equal(code.digest, digest) {
		delete(c.codes, key)
		c.Withdrawn = append(c.Withdrawn, key)
	}
	return nil
}

// Verify implements ports.Codes.
func (c *Codes) Verify(_ context.Context, key ports.CodeKey, digest []byte, maxAttempts int, now time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.Err != nil {
		return c.Err
	}
	code, ok := c.codes[key]
	if !ok || !now.Before(code.expires) {
		return domain.ErrInvalidCode
	}
	if bytes.Equal(code.digest, digest) {
		delete(c.codes, key)
		return nil
	}
	code.attempts++
	if code.attempts >= maxAttempts {
		delete(c.codes, key)
	} else {
		c.codes[key] = code
	}
	return domain.ErrInvalidCode
}
