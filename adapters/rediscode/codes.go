package rediscode

import (
	"context"
	"strconv"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// issueLimits names the limits issueScript reports, by its reply code.
var issueLimits = map[int64]string{1: "resend_cooldown", 2: "phone_hourly", 3: "phone_daily"}

// codeKeys returns the code, cooldown and sends keys of one slot, all under
// the phone's hash tag. (The "hour" and "day" counters of the fixed windows
// before are no longer read; they expire on their own.)
func (s *Store) codeKeys(k ports.CodeKey) []string {
	base := s.prefix + ":{" + k.Phone + "}:"
	return []string{base + "code:" + string(k.Purpose), base + "cooldown:" + string(k.Purpose),
		base + "sends"}
}

// Issue implements ports.Codes in one script. Cooldown and windows run on
// Redis time; in.Now is not used.
func (s *Store) Issue(ctx context.Context, in ports.IssueCode) error {
	p := in.Policy
	cooldown := "0"
	if p.ResendAfter > 0 {
		cooldown = ms(p.ResendAfter)
	}
	hour, day := p.Windows()
	msg, err := s.run(ctx, issueScript, s.codeKeys(in.Key), string(in.Digest), ms(p.TTL), cooldown,
		strconv.Itoa(p.HourlyLimit), strconv.Itoa(p.DailyLimit), ms(hour), ms(day))
	if err != nil {
		return err
	}
	reply, err := msg.AsIntSlice()
	if err != nil || len(reply) != 2 {
		return domain.Unavailable("redis", unexpected(msg))
	}
	if reply[0] == 0 {
		return nil
	}
	return &domain.RateLimitedError{Limit: issueLimits[reply[0]], RetryAfter: time.Duration(reply[1]) * time.Millisecond}
}

// Cancel implements ports.Codes in one script; it acts only while the code
// still has this digest.
func (s *Store) Cancel(ctx context.Context, key ports.CodeKey, digest []byte, scope ports.CancelScope, _ time.Time) error {
	giveSend := "0"
	if scope == ports.CancelSend {
		giveSend = "1"
	}
	_, err := s.run(ctx, cancelScript, s.codeKeys(key), string(digest), giveSend)
	return err
}

// Withdraw implements ports.Codes in one script: the code goes (while it
// has this digest), the cooldown and the windows stay.
func (s *Store) Withdraw(ctx context.Context, key ports.CodeKey, digest []byte, _ time.Time) error {
	_, err := s.run(ctx, withdrawScript, s.codeKeys(key)[:1], string(digest))
	return err
}

// Verify implements ports.Codes in one script. Expiry is the key's TTL.
func (s *Store) Verify(ctx context.Context, key ports.CodeKey, digest []byte, maxAttempts int, _ time.Time) error {
	msg, err := s.run(ctx, verifyScript, s.codeKeys(key)[:1], string(digest), strconv.Itoa(maxAttempts))
	if err != nil {
		return err
	}
	ok, err := msg.AsInt64()
	if err != nil {
		return domain.Unavailable("redis", unexpected(msg))
	}
	if ok != 1 {
		return domain.ErrInvalidCode
	}
	return nil
}
