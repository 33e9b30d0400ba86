package app_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

// A reset text that fails after the answer must leave the limits exactly as
// for an unknown phone: giving the cooldown back told the two apart (202
// for the registered phone's next request, 429 for the unknown one's).
func TestRequestCodeResetFailureLooksLikeUnknownPhone(t *testing.T) {
	f := newFixture(t)
	f.seedUser(t, domain.User{ID: "u1", Username: "bob", Phone: phoneB}, "")
	f.sms.Err = &ports.SendError{Provider: "fake", VendorCode: "isv.BUSINESS_LIMIT_CONTROL", Kind: ports.SendNumberLimited}
	unknown := "+8613766665555"
	answers := map[string][]string{}
	for range 2 {
		for _, p := range []string{phoneB, unknown} {
			_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: p, Purpose: "reset_password", Client: f.client()})
			f.settle(t)
			answers[p] = append(answers[p], outcomeOf(err))
		}
	}
	if a, b := answers[phoneB], answers[unknown]; a[0] != b[0] || a[1] != b[1] || a[1] != "rate_limited" {
		t.Fatalf("registered %v, unknown %v: want the same answers (accepted, then rate_limited)", a, b)
	}
}

func outcomeOf(err error) string {
	var rl *domain.RateLimitedError
	switch {
	case err == nil:
		return "accepted"
	case errors.As(err, &rl):
		return "rate_limited"
	}
	return err.Error()
}

// issueThenFail is a code store whose Issue runs and then reports a
// timeout, as a store that answered too late does.
type issueThenFail struct{ *portstest.Codes }

func (s issueThenFail) Issue(ctx context.Context, in ports.IssueCode) error {
	if err := s.Codes.Issue(ctx, in); err != nil {
		return err
	}
	return domain.Unavailable("codes", context.DeadlineExceeded)
}

// A store error after Issue ran withdraws its effects: the retry after the
// 503 is not refused by a cooldown for a code that was never sent.
func TestRequestCodeIssueErrorWithdrawsTheSend(t *testing.T) {
	f := newFixture(t)
	rc := app.NewRequestCode(f.cfg, portstest.Phones{}, f.store, issueThenFail{f.codes}, f.limiter, f.sms,
		&portstest.IDs{}, f.clock, slog.New(slog.DiscardHandler))
	_, err := rc.Handle(t.Context(), app.RequestCodeInput{Phone: phoneB, Client: f.client()})
	checkErr(t, err, domain.ErrUnavailable)
	if len(f.sms.Sent()) != 0 {
		t.Fatal("a code was texted after the store failed")
	}
	f.sendCode(t, phoneB, domain.PurposeLogin) // no cooldown, no cap spent
}

// The per-IP budget counts codes issued: a client polling through its
// cooldown does not use it up for everyone behind the same address.
func TestRequestCodeIPBudgetCountsIssuedCodes(t *testing.T) {
	f := newFixture(t)
	ip := app.Client{IP: "203.0.113.50"}
	_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneB, Client: ip})
	checkErr(t, err, nil)
	for range 5 { // polling during the cooldown: refused, and not counted
		_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneB, Client: ip})
		rateLimited(t, err, "resend_cooldown")
	}
	f.clock.Advance(2 * time.Minute)
	phones := []string{"+8613700000011", "+8613700000012"}
	for _, p := range phones[:f.cfg.IPCodeLimit-1] {
		_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: p, Client: ip})
		checkErr(t, err, nil)
	}
	_, err = f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: "+8613700000013", Client: ip})
	rateLimited(t, err, "ip_code")
}
