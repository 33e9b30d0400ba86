package portstest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestCodes is the contract every ports.Codes must pass. newStore returns a
// store whose state no other test sees (a fresh map, or a Redis key prefix
// of its own). Subtests run in parallel, each on its own phone numbers, and
// take time from the wall clock: expiry is real time in Redis, so the few
// expiry checks sleep about a second.
func TestCodes(t *testing.T, newStore func(t *testing.T) ports.Codes) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.Codes)
	}{
		{"IssueThenVerify", codesIssueThenVerify},
		{"SingleUse", codesSingleUse},
		{"UnknownCode", codesUnknown},
		{"WrongDigestBurnsAtMaxAttempts", codesBurn},
		{"AttemptsBelowMaxKeepCode", codesAttemptsBelowMax},
		{"ConcurrentVerifyOneWins", codesConcurrentVerify},
		{"Expiry", codesExpiry},
		{"NewCodeReplacesOld", codesReplace},
		{"ResendCooldown", codesCooldown},
		{"CooldownEnds", codesCooldownEnds},
		{"HourlyCap", codesHourlyCap},
		{"DailyCap", codesDailyCap},
		{"LimitStoresNothing", codesLimitStoresNothing},
		{"PurposesSeparate", codesPurposes},
		{"PhonesSeparate", codesPhones},
		{"CancelRestores", codesCancel},
		{"CancelWrongDigest", codesCancelWrongDigest},
		{"CancelTwice", codesCancelTwice},
		{"WithdrawKeepsCounters", codesWithdraw},
		{"HourlyCapSlides", func(t *testing.T, s ports.Codes) { codesCapSlides(t, s, "phone_hourly") }},
		{"DailyCapSlides", func(t *testing.T, s ports.Codes) { codesCapSlides(t, s, "phone_daily") }},
		{"CancelGivesBackItsOwnSend", codesCancelOwnSend},
		{"CancelCooldownKeepsCapUsage", codesCancelCooldownOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newStore(t))
		})
	}
}

// codesPolicy is loose enough that only the limit under test bites.
func codesPolicy() domain.CodePolicy {
	return domain.CodePolicy{Length: 6, TTL: time.Minute, ResendAfter: 0,
		MaxAttempts: 3, HourlyLimit: 100, DailyLimit: 100}
}

// codesPhone returns a random mainland mobile number, so runs against a
// shared server never meet old keys.
func codesPhone(t testing.TB) string {
	n, err := rand.Int(rand.Reader, big.NewInt(1e8))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("+86137%08d", n)
}

// codesDigest returns 32 random bytes, NULs and high bytes included, the way
// an HMAC looks.
func codesDigest(t testing.TB) []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func codesKey(t testing.TB) ports.CodeKey {
	return ports.CodeKey{Phone: codesPhone(t), Purpose: domain.PurposeLogin}
}

// codesIssue issues digest for key with p and fails the test on error.
func codesIssue(t testing.TB, s ports.Codes, key ports.CodeKey, digest []byte, p domain.CodePolicy) {
	t.Helper()
	if err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: digest, Policy: p, Now: time.Now()}); err != nil {
		t.Fatalf("Issue: %v", err)
	}
}

func codesVerify(s ports.Codes, key ports.CodeKey, digest []byte, maxAttempts int) error {
	return s.Verify(context.Background(), key, digest, maxAttempts, time.Now())
}

// codesWantInvalid fails unless err is domain.ErrInvalidCode.
func codesWantInvalid(t testing.TB, err error) {
	t.Helper()
	if !errors.Is(err, domain.ErrInvalidCode) {
		t.Fatalf("got %v, want ErrInvalidCode", err)
	}
}

// codesWantLimited fails unless err is a RateLimitedError for limit whose
// wait is positive and at most max.
func codesWantLimited(t testing.TB, err error, limit string, max time.Duration) {
	t.Helper()
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) {
		t.Fatalf("got %v, want *domain.RateLimitedError(%s)", err, limit)
	}
	if rl.Limit != limit {
		t.Fatalf("limit %q, want %q", rl.Limit, limit)
	}
	if rl.RetryAfter <= 0 || rl.RetryAfter > max {
		t.Fatalf("RetryAfter %v, want in (0, %v]", rl.RetryAfter, max)
	}
}

func codesIssueThenVerify(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	codesIssue(t, s, key, d, codesPolicy())
	if err := codesVerify(s, key, d, 3); err != nil {
		t.Fatalf("Verify right digest: %v", err)
	}
}

func codesSingleUse(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	codesIssue(t, s, key, d, codesPolicy())
	if err := codesVerify(s, key, d, 3); err != nil {
		t.Fatalf("first Verify: %v", err)
	}
	codesWantInvalid(t, codesVerify(s, key, d, 3))
}

func codesUnknown(t *testing.T, s ports.Codes) {
	codesWantInvalid(t, codesVerify(s, codesKey(t), codesDigest(t), 3))
}

func codesBurn(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	codesIssue(t, s, key, d, codesPolicy())
	for i := range 3 {
		if err := codesVerify(s, key, codesDigest(t), 3); !errors.Is(err, domain.ErrInvalidCode) {
			t.Fatalf("wrong digest %d: got %v, want ErrInvalidCode", i+1, err)
		}
	}
	// Burned: even the right digest fails now.
	codesWantInvalid(t, codesVerify(s, key, d, 3))
}

func codesAttemptsBelowMax(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	codesIssue(t, s, key, d, codesPolicy())
	for range 2 {
		codesWantInvalid(t, codesVerify(s, key, codesDigest(t), 3))
	}
	if err := codesVerify(s, key, d, 3); err != nil {
		t.Fatalf("right digest after 2 of 3 wrong tries: %v", err)
	}
}

func codesConcurrentVerify(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	codesIssue(t, s, key, d, codesPolicy())
	const n = 16
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = codesVerify(s, key, d, 3) })
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, domain.ErrInvalidCode):
			t.Fatalf("Verify: %v", err)
		}
	}
	if ok != 1 {
		t.Fatalf("%d of %d concurrent verifies succeeded, want exactly 1", ok, n)
	}
}

func codesExpiry(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.TTL = time.Second
	codesIssue(t, s, key, d, p)
	time.Sleep(1100 * time.Millisecond)
	codesWantInvalid(t, codesVerify(s, key, d, 3))
}

func codesReplace(t *testing.T, s ports.Codes) {
	key, old, fresh := codesKey(t), codesDigest(t), codesDigest(t)
	codesIssue(t, s, key, old, codesPolicy())
	codesIssue(t, s, key, fresh, codesPolicy())
	codesWantInvalid(t, codesVerify(s, key, old, 3))
	if err := codesVerify(s, key, fresh, 3); err != nil {
		t.Fatalf("Verify newest code: %v", err)
	}
}

func codesCooldown(t *testing.T, s ports.Codes) {
	key := codesKey(t)
	p := codesPolicy()
	p.ResendAfter = 30 * time.Second
	codesIssue(t, s, key, codesDigest(t), p)
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "resend_cooldown", p.ResendAfter)
}

func codesCooldownEnds(t *testing.T, s ports.Codes) {
	key := codesKey(t)
	p := codesPolicy()
	p.ResendAfter = time.Second
	codesIssue(t, s, key, codesDigest(t), p)
	time.Sleep(1100 * time.Millisecond)
	codesIssue(t, s, key, codesDigest(t), p)
}

func codesHourlyCap(t *testing.T, s ports.Codes) {
	key := codesKey(t)
	p := codesPolicy()
	p.HourlyLimit = 2
	for range 2 {
		codesIssue(t, s, key, codesDigest(t), p)
	}
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", time.Hour)
	// The cap is per phone: another purpose of the same phone is capped too.
	key.Purpose = domain.PurposeResetPassword
	err = s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", time.Hour)
}

func codesDailyCap(t *testing.T, s ports.Codes) {
	key := codesKey(t)
	p := codesPolicy()
	p.DailyLimit = 2
	for range 2 {
		codesIssue(t, s, key, codesDigest(t), p)
	}
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_daily", 24*time.Hour)
}

func codesLimitStoresNothing(t *testing.T, s ports.Codes) {
	key, first, refused := codesKey(t), codesDigest(t), codesDigest(t)
	p := codesPolicy()
	p.ResendAfter = time.Minute
	codesIssue(t, s, key, first, p)
	if err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: refused, Policy: p, Now: time.Now()}); err == nil {
		t.Fatal("second Issue inside the cooldown succeeded")
	}
	codesWantInvalid(t, codesVerify(s, key, refused, 3))
	if err := codesVerify(s, key, first, 3); err != nil {
		t.Fatalf("first code after a refused Issue: %v", err)
	}
}

func codesPurposes(t *testing.T, s ports.Codes) {
	login, d := codesKey(t), codesDigest(t)
	reset := ports.CodeKey{Phone: login.Phone, Purpose: domain.PurposeResetPassword}
	p := codesPolicy()
	p.ResendAfter = time.Minute
	codesIssue(t, s, login, d, p)
	codesWantInvalid(t, codesVerify(s, reset, d, 3))
	// The cooldown is per purpose too.
	codesIssue(t, s, reset, codesDigest(t), p)
	if err := codesVerify(s, login, d, 3); err != nil {
		t.Fatalf("login code after a reset code was issued: %v", err)
	}
}

func codesPhones(t *testing.T, s ports.Codes) {
	a, b, d := codesKey(t), codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.ResendAfter, p.HourlyLimit = time.Minute, 1
	codesIssue(t, s, a, d, p)
	codesWantInvalid(t, codesVerify(s, b, d, 3))
	codesIssue(t, s, b, codesDigest(t), p) // a's cooldown and cap do not bite b
	if err := codesVerify(s, a, d, 3); err != nil {
		t.Fatalf("Verify a: %v", err)
	}
}

func codesCancel(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.ResendAfter, p.HourlyLimit, p.DailyLimit = time.Minute, 1, 1
	codesIssue(t, s, key, d, p)
	if err := s.Cancel(context.Background(), key, d, ports.CancelSend, time.Now()); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	codesWantInvalid(t, codesVerify(s, key, d, 3))
	// Cooldown cleared and both caps given back: the next Issue goes through.
	next := codesDigest(t)
	codesIssue(t, s, key, next, p)
	if err := codesVerify(s, key, next, 3); err != nil {
		t.Fatalf("Verify after Cancel and re-Issue: %v", err)
	}
}

func codesCancelWrongDigest(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.ResendAfter = time.Minute
	codesIssue(t, s, key, d, p)
	if err := s.Cancel(context.Background(), key, codesDigest(t), ports.CancelSend, time.Now()); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "resend_cooldown", p.ResendAfter)
	if err := codesVerify(s, key, d, 3); err != nil {
		t.Fatalf("code after Cancel with another digest: %v", err)
	}
}

func codesCancelTwice(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.HourlyLimit = 2
	codesIssue(t, s, key, codesDigest(t), p)
	codesIssue(t, s, key, d, p)
	for range 2 {
		if err := s.Cancel(context.Background(), key, d, ports.CancelSend, time.Now()); err != nil {
			t.Fatalf("Cancel: %v", err)
		}
	}
	// One send given back, not two: one more Issue fits, the next does not.
	codesIssue(t, s, key, codesDigest(t), p)
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", time.Hour)
}

func codesWithdraw(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.ResendAfter, p.HourlyLimit = time.Minute, 1
	codesIssue(t, s, key, d, p)
	if err := s.Withdraw(context.Background(), key, codesDigest(t), time.Now()); err != nil {
		t.Fatalf("Withdraw another digest: %v", err)
	}
	if err := s.Withdraw(context.Background(), key, d, time.Now()); err != nil {
		t.Fatalf("Withdraw: %v", err)
	}
	codesWantInvalid(t, codesVerify(s, key, d, 3))
	// The cooldown and the cap stay spent, as for a code never sent.
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "resend_cooldown", p.ResendAfter)
	other := ports.CodeKey{Phone: key.Phone, Purpose: domain.PurposeResetPassword}
	if other.Purpose == key.Purpose {
		other.Purpose = domain.PurposeLogin
	}
	err = s.Issue(context.Background(), ports.IssueCode{Key: other, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", time.Hour)
}

// codesSlideWindow is the cap window the sliding tests use in place of an
// hour or a day: long enough for a loaded machine to stay inside its
// margins, short enough to watch it slide.
const codesSlideWindow = 3 * time.Second

// codesCapSlides checks that a cap counts a sliding window: one send, then
// four more half a window later, fill a cap of 5; when the first send ages
// out exactly one more fits, not a whole new window's worth. A fixed window
// that starts at the first send and resets whole would let 5 more through,
// 9 sends within one window.
func codesCapSlides(t *testing.T, s ports.Codes, limit string) {
	key := codesKey(t)
	p := codesPolicy()
	if limit == "phone_hourly" {
		p.HourlyLimit, p.HourWindow = 5, codesSlideWindow
	} else {
		p.DailyLimit, p.DayWindow = 5, codesSlideWindow
	}
	issue := func() error {
		return s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	}
	start := time.Now()
	codesIssue(t, s, key, codesDigest(t), p)
	time.Sleep(codesSlideWindow / 2)
	for range 4 {
		codesIssue(t, s, key, codesDigest(t), p)
	}
	codesWantLimited(t, issue(), limit, codesSlideWindow)
	// The first send ages out; the four later ones are still in the window
	// for another half window, less the margin.
	time.Sleep(time.Until(start.Add(codesSlideWindow + 300*time.Millisecond)))
	var sent int
	var refused error
	for range 5 {
		if err := issue(); err != nil {
			refused = err
			break
		}
		sent++
	}
	if sent != 1 {
		t.Fatalf("%d sends fit once the oldest aged out, want exactly 1 (5 sends per rolling window at most)", sent)
	}
	// The next room comes when the four later sends age out, well within
	// half a window.
	codesWantLimited(t, refused, limit, codesSlideWindow/2)
}

// codesCancelOwnSend checks that Cancel gives back the send its Issue
// counted, not another one: with a cap of 2, send A, and half a window later
// send B and cancel it. One send fits again (C); once A ages out one more
// fits (D). Had Cancel taken back A (the oldest) instead, B would still fill
// the window with C and D would be refused.
func codesCancelOwnSend(t *testing.T, s ports.Codes) {
	login := codesKey(t)
	reset := ports.CodeKey{Phone: login.Phone, Purpose: domain.PurposeResetPassword}
	p := codesPolicy()
	p.HourlyLimit, p.HourWindow = 2, codesSlideWindow
	start := time.Now()
	codesIssue(t, s, login, codesDigest(t), p) // A
	time.Sleep(codesSlideWindow / 2)
	b := codesDigest(t)
	codesIssue(t, s, reset, b, p)
	if err := s.Cancel(context.Background(), reset, b, ports.CancelSend, time.Now()); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	codesIssue(t, s, reset, codesDigest(t), p) // C
	err := s.Issue(context.Background(), ports.IssueCode{Key: login, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", codesSlideWindow)
	time.Sleep(time.Until(start.Add(codesSlideWindow + 300*time.Millisecond)))
	codesIssue(t, s, login, codesDigest(t), p) // D: A aged out, B was given back
	err = s.Issue(context.Background(), ports.IssueCode{Key: login, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", codesSlideWindow/2)
}

// codesCancelCooldownOnly checks CancelCooldown, for a send a vendor may
// have delivered: the code goes and the cooldown is cleared, but the send
// still counts against the caps.
func codesCancelCooldownOnly(t *testing.T, s ports.Codes) {
	key, d := codesKey(t), codesDigest(t)
	p := codesPolicy()
	p.ResendAfter, p.HourlyLimit = time.Minute, 1
	codesIssue(t, s, key, d, p)
	if err := s.Cancel(context.Background(), key, d, ports.CancelCooldown, time.Now()); err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	codesWantInvalid(t, codesVerify(s, key, d, 3))
	// The cooldown is checked first: a cap refusal shows it was cleared.
	err := s.Issue(context.Background(), ports.IssueCode{Key: key, Digest: codesDigest(t), Policy: p, Now: time.Now()})
	codesWantLimited(t, err, "phone_hourly", time.Hour)
}

// BenchmarkCodes measures one Issue and one Verify against s, each on fresh
// phone numbers so that no limit bites.
func BenchmarkCodes(b *testing.B, s ports.Codes) {
	ctx := context.Background()
	p := codesPolicy()
	p.HourlyLimit, p.DailyLimit = 1<<30, 1<<30
	b.Run("Issue", func(b *testing.B) {
		key, d := codesKey(b), codesDigest(b)
		for b.Loop() {
			if err := s.Issue(ctx, ports.IssueCode{Key: key, Digest: d, Policy: p, Now: time.Now()}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Verify", func(b *testing.B) {
		key, d := codesKey(b), codesDigest(b)
		codesIssue(b, s, key, d, p)
		wrong := codesDigest(b)
		for b.Loop() {
			// A wrong digest with a huge budget: the code stays, so every
			// iteration runs the full compare-and-count path.
			if err := s.Verify(ctx, key, wrong, 1<<30, time.Now()); !errors.Is(err, domain.ErrInvalidCode) {
				b.Fatal(err)
			}
		}
	})
}
