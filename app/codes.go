package app

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// CodeVerifier checks one-time codes for the use cases that take them
// (LoginOrRegister, ResetPassword) under the per-IP failure budget.
type CodeVerifier struct {
	cfg     Config
	codes   ports.Codes
	limiter ports.RateLimiter
	clock   ports.Clock
}

// NewCodeVerifier builds the verifier.
func NewCodeVerifier(cfg Config, codes ports.Codes, limiter ports.RateLimiter, clock ports.Clock) *CodeVerifier {
	return &CodeVerifier{cfg: cfg, codes: codes, limiter: limiter, clock: clock}
}

// Verify checks the per-IP failure budget, then the code; a wrong code
// counts against the client's IP.
func (v *CodeVerifier) Verify(ctx context.Context, phone domain.Phone, purpose domain.Purpose, code string, client Client) error {
	now := v.clock.Now()
	ipKey := client.limitKey("ip_login")
	if err := v.limiter.Check(ctx, ipKey, v.cfg.ipLoginLimit(), now); err != nil {
		return err
	}
	err := domain.ErrInvalidCode
	if wellFormedCode(code, v.cfg.Code.Length) {
		key := ports.CodeKey{Phone: phone.E164, Purpose: purpose}
		err = v.codes.Verify(ctx, key, codeDigest(v.cfg.CodeSecret, key, code), v.cfg.Code.MaxAttempts, now)
	}
	if errors.Is(err, domain.ErrInvalidCode) {
		if lerr := v.limiter.Take(ctx, ipKey, v.cfg.ipLoginLimit(), now); lerr != nil && !isRateLimited(lerr) {
			return lerr
		}
		return err
	}
	if err != nil {
		return fmt.Errorf("verify code: %w", err)
	}
	return nil
}

func isRateLimited(err error) bool {
	var rl *domain.RateLimitedError
	return errors.As(err, &rl)
}

// codeDigest is what the store keeps instead of the code: an HMAC over phone,
// purpose and code under the server secret, so a leaked store reveals no
// code and a code for one phone or purpose never matches another.
func codeDigest(secret []byte, key ports.CodeKey, code string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(key.Phone))
	m.Write([]byte{0})
	m.Write([]byte(key.Purpose))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return m.Sum(nil)
}

// wellFormedCode reports whether s is exactly n ASCII digits; anything else
// cannot be a code we issued, so it is refused without touching the store.
func wellFormedCode(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
