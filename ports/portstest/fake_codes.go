package portstest

import (
	"bytes"
	"context"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Codes is an in-memory ports.Codes with a resend cooldown and attempt
// counting but no hourly or daily caps; tests of the real stores use the
// contract suite. Err, when set, fails every call.
type Codes struct {
	mu       sync.Mutex
	codes    map[ports.CodeKey]fakeCode
	cooldown map[ports.CodeKey]time.Time
	Issued   []ports.IssueCode
	Canceled []ports.CodeKey
	Err      error
}

type fakeCode struct {
	digest   []byte
	expires  time.Time
	attempts int
}

var _ ports.Codes = (*Codes)(nil)

// NewCodes returns an empty code store.
func NewCodes() *Codes {
	return &Codes{codes: map[ports.CodeKey]fakeCode{}, cooldown: map[ports.CodeKey]time.Time{}}
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
	if bytes.Equal(c.codes[key].digest, digest) {
		delete(c.codes, key)
	}
	delete(c.cooldown, key)
	c.Canceled = append(c.Canceled, key)
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
