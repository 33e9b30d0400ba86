package portstest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{t: t} }

// Now implements ports.Clock.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// IDs hands out sequential ids ("id-1", "id-2", ...).
type IDs struct{ n atomic.Int64 }

// NewID implements ports.IDs.
func (i *IDs) NewID() string { return fmt.Sprintf("id-%d", i.n.Add(1)) }

// Passwords "hashes" by prefixing, so tests run fast. Err fails Hash.
type Passwords struct {
	Err      error
	Verified atomic.Int64 // Verify calls, dummy ones included
}

// Hash implements ports.Passwords.
func (p *Passwords) Hash(_ context.Context, plain string) (string, error) {
	if p.Err != nil {
		return "", p.Err
	}
	return "fake$" + plain, nil
}

// Verify implements ports.Passwords.
func (p *Passwords) Verify(_ context.Context, hash, plain string) (bool, error) {
	p.Verified.Add(1)
	return hash != "" && hash == "fake$"+plain, nil
}

// Strength refuses passwords containing "password" or any user input.
type Strength struct{}

// Check implements ports.PasswordStrength.
func (Strength) Check(plain string, inputs []string) error {
	lower := strings.ToLower(plain)
	if strings.Contains(lower, "password") {
		return &domain.WeakPasswordError{Reason: "a very common password"}
	}
	for _, in := range inputs {
		if in != "" && strings.Contains(lower, strings.ToLower(in)) {
			return &domain.WeakPasswordError{Reason: "contains your user details"}
		}
	}
	return nil
}

// Phones parses "+<digits>" and 11-digit national numbers starting with 1
// as Chinese mobiles; "+1..." is US. Enough for use-case tests.
type Phones struct{}

// Parse implements ports.PhoneParser.
func (Phones) Parse(raw string) (domain.Phone, error) {
	s := strings.NewReplacer(" ", "", "-", "", "(", "", ")", "").Replace(raw)
	if len(s) == 11 && s[0] == '1' {
		s = "+86" + s
	}
	if len(s) < 8 || s[0] != '+' || strings.Trim(s[1:], "0123456789") != "" {
		return domain.Phone{}, domain.ErrInvalidPhone
	}
	region := "CN"
	if strings.HasPrefix(s, "+1") {
		region = "US"
	}
	return domain.Phone{E164: s, Region: region}, nil
}

// Tokens issues "access:<user>:<session>" strings; Err fails IssueAccess.
type Tokens struct {
	TTL time.Duration
	Err error
}

// IssueAccess implements ports.Tokens.
func (t *Tokens) IssueAccess(_ context.Context, userID, sessionID string, now time.Time) (ports.AccessToken, error) {
	if t.Err != nil {
		return ports.AccessToken{}, t.Err
	}
	ttl := t.TTL
	if ttl == 0 {
		ttl = 15 * time.Minute
	}
	return ports.AccessToken{Token: "access:" + userID + ":" + sessionID, ExpiresAt: now.Add(ttl), TTL: ttl}, nil
}

// VerifyAccess implements ports.Tokens.
func (t *Tokens) VerifyAccess(_ context.Context, token string, now time.Time) (domain.AccessClaims, error) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 || parts[0] != "access" {
		return domain.AccessClaims{}, domain.ErrInvalidToken
	}
	return domain.AccessClaims{Subject: parts[1], SessionID: parts[2], IssuedAt: now, ExpiresAt: now.Add(time.Minute)}, nil
}

// ErrDown stands for an unreachable dependency in tests.
var ErrDown = domain.Unavailable("fake", errors.New("connection refused"))

var (
	_ ports.Clock            = (*Clock)(nil)
	_ ports.IDs              = (*IDs)(nil)
	_ ports.Passwords        = (*Passwords)(nil)
	_ ports.PasswordStrength = Strength{}
	_ ports.PhoneParser      = Phones{}
	_ ports.Tokens           = (*Tokens)(nil)
)
