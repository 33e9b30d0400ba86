package memcode_test

import (
	"errors"
	"testing"
	"time"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestCodesContract(t *testing.T) {
	portstest.TestCodes(t, func(*testing.T) ports.Codes { return memcode.New() })
}

func TestRateLimiterContract(t *testing.T) {
	portstest.TestRateLimiter(t, func(*testing.T) ports.RateLimiter { return memcode.New() })
}

// TestFollowsCallerClock checks that expiry follows the now passed in, not
// the wall clock, so use cases can be tested with a fake clock.
func TestFollowsCallerClock(t *testing.T) {
	s := memcode.New()
	key := ports.CodeKey{Phone: "+8613711112222", Purpose: domain.PurposeLogin}
	p := domain.DefaultCodePolicy()
	t0 := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.Issue(t.Context(), ports.IssueCode{Key: key, Digest: []byte("d1"), Policy: p, Now: t0}); err != nil {
		t.Fatal(err)
	}
	if err := s.Verify(t.Context(), key, []byte("d1"), 5, t0.Add(p.TTL)); !errors.Is(err, domain.ErrInvalidCode) {
		t.Fatalf("Verify at expiry: got %v, want ErrInvalidCode", err)
	}
	// The cooldown ended by the caller's clock, the hourly window did not.
	for i := range p.HourlyLimit - 1 {
		now := t0.Add(time.Duration(i+1) * p.ResendAfter)
		if err := s.Issue(t.Context(), ports.IssueCode{Key: key, Digest: []byte("d"), Policy: p, Now: now}); err != nil {
			t.Fatalf("Issue %d: %v", i+2, err)
		}
	}
	late := t0.Add(10 * p.ResendAfter)
	err := s.Issue(t.Context(), ports.IssueCode{Key: key, Digest: []byte("d"), Policy: p, Now: late})
	var rl *domain.RateLimitedError
	if ok := errors.As(err, &rl); !ok || rl.Limit != "phone_hourly" || rl.RetryAfter != time.Hour-10*p.ResendAfter {
		t.Fatalf("Issue past the hourly cap: got %v", err)
	}
	if err := s.Issue(t.Context(), ports.IssueCode{Key: key, Digest: []byte("d"), Policy: p, Now: t0.Add(time.Hour)}); err != nil {
		t.Fatalf("Issue after the hour: %v", err)
	}
}

func BenchmarkCodes(b *testing.B) {
	portstest.BenchmarkCodes(b, memcode.New())
}

// TestModule checks that one Store serves both ports.
func TestModule(t *testing.T) {
	var codes ports.Codes
	var limiter ports.RateLimiter
	app := fx.New(memcode.Module(), fx.Populate(&codes, &limiter), fx.NopLogger)
	if err := app.Err(); err != nil {
		t.Fatal(err)
	}
	if codes.(*memcode.Store) != limiter.(*memcode.Store) {
		t.Fatal("Codes and RateLimiter are different stores")
	}
}
