package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

func TestRequestCodeRefusesBadInput(t *testing.T) {
	tests := []struct {
		name, phone, purpose string
		wantErr              error
	}{
		{"unknown purpose", phoneA, "signup", domain.ErrInvalidRequest},
		{"initial_password is not requestable", phoneA, "initial_password", domain.ErrInvalidRequest},
		{"purpose in upper case", phoneA, "LOGIN", domain.ErrInvalidRequest},
		{"empty phone", "", "login", domain.ErrInvalidPhone},
		{"not a number", "alice", "login", domain.ErrInvalidPhone},
		{"too short", "12345", "login", domain.ErrInvalidPhone},
		{"region not allowed", phoneUS, "login", domain.ErrRegionNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: tt.phone, Purpose: tt.purpose, Client: f.client()})
			checkErr(t, err, tt.wantErr)
			if len(f.codes.Issued) != 0 || len(f.sms.Sent()) != 0 {
				t.Fatalf("a refused request issued %d codes and sent %d SMS", len(f.codes.Issued), len(f.sms.Sent()))
			}
		})
	}
}

func TestRequestCodeSendsACodeThatVerifies(t *testing.T) {
	tests := []struct {
		name, phone, purpose string
		registered           bool
		wantPurpose          domain.Purpose
	}{
		{"default purpose is login", phoneA, "", false, domain.PurposeLogin},
		{"login, national number with separators", "137 1111-2222", "login", false, domain.PurposeLogin},
		{"login, registered phone", phoneA, "login", true, domain.PurposeLogin},
		{"reset_password, registered phone", phoneA, "reset_password", true, domain.PurposeResetPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.registered {
				f.seedUser(t, domain.User{ID: "u1", Username: "alice", Phone: phoneA}, "old-secret-1")
			}
			res, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: tt.phone, Purpose: tt.purpose, Client: f.client()})
			checkErr(t, err, nil)
			f.settle(t)
			want := app.RequestCodeResult{Phone: domain.Phone{E164: phoneA, Region: "CN"}, Purpose: tt.wantPurpose, Policy: f.cfg.Code}
			if res != want {
				t.Fatalf("result = %+v, want %+v", res, want)
			}
			sent := f.sms.Sent()
			if len(sent) != 1 {
				t.Fatalf("sent %d SMS, want 1", len(sent))
			}
			msg := sent[0]
			if msg.Phone.E164 != phoneA || msg.Purpose != tt.wantPurpose || msg.TTL != f.cfg.Code.TTL || msg.ID == "" {
				t.Fatalf("SMS = %+v", msg)
			}
			if len(msg.Code) != f.cfg.Code.Length || !isDigits(msg.Code) {
				t.Fatalf("code %q is not %d digits", msg.Code, f.cfg.Code.Length)
			}
			if len(f.codes.Issued) != 1 || bytes.Contains(f.codes.Issued[0].Digest, []byte(msg.Code)) {
				t.Fatalf("store must keep one digest, never the code: %+v", f.codes.Issued)
			}
			if k := f.codes.Issued[0].Key; k != (ports.CodeKey{Phone: phoneA, Purpose: tt.wantPurpose}) {
				t.Fatalf("issued under key %+v", k)
			}
			switch tt.wantPurpose {
			case domain.PurposeLogin:
				_, err = f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: msg.Code, Client: f.client()})
			case domain.PurposeResetPassword:
				err = f.resetPassword.Handle(t.Context(), app.ResetPasswordInput{Phone: phoneA, Code: msg.Code, NewPassword: "brand-new-secret-7", Client: f.client()})
			}
			checkErr(t, err, nil)
		})
	}
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func TestRequestCodeCooldown(t *testing.T) {
	f := newFixture(t)
	f.seedUser(t, domain.User{ID: "u1", Username: "alice", Phone: phoneA}, "")
	ask := func(purpose string) error {
		_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneA, Purpose: purpose, Client: f.client()})
		return err
	}
	checkErr(t, ask("login"), nil)
	if rl := rateLimited(t, ask("login"), "resend_cooldown"); rl.RetryAfter != time.Minute {
		t.Fatalf("RetryAfter = %s, want 1m", rl.RetryAfter)
	}
	// The cooldown is per phone and purpose.
	checkErr(t, ask("reset_password"), nil)

	f.clock.Advance(20 * time.Second)
	if rl := rateLimited(t, ask("login"), "resend_cooldown"); rl.RetryAfter != 40*time.Second {
		t.Fatalf("RetryAfter = %s, want 40s", rl.RetryAfter)
	}
	f.clock.Advance(40 * time.Second)
	checkErr(t, ask("login"), nil)
	f.settle(t)
	if n := len(f.sms.Sent()); n != 3 {
		t.Fatalf("sent %d SMS, want 3", n)
	}
}

func TestRequestCodePerIPCap(t *testing.T) {
	f := newFixture(t)
	ip := app.Client{IP: "203.0.113.9"}
	phones := []string{"+8613700000001", "+8613700000002", "+8613700000003", "+8613700000004"}
	for _, p := range phones[:f.cfg.IPCodeLimit] {
		_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: p, Client: ip})
		checkErr(t, err, nil)
	}
	_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phones[3], Client: ip})
	if rl := rateLimited(t, err, "ip_code"); rl.RetryAfter > time.Hour {
		t.Fatalf("RetryAfter = %s, want at most the 1h window", rl.RetryAfter)
	}
	if _, ok := f.sms.Last(phones[3]); ok {
		t.Fatal("a code was sent past the per-IP cap")
	}
	_, err = f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phones[3], Client: f.client()})
	checkErr(t, err, nil)
}

// A reset code goes only to a registered phone, but the answer and the
// cooldown must not tell the two apart.
func TestRequestCodeResetToUnregisteredPhone(t *testing.T) {
	f := newFixture(t)
	f.seedUser(t, domain.User{ID: "u1", Username: "bob", Phone: phoneB}, "")
	ask := func(phone string) (app.RequestCodeResult, error) {
		return f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phone, Purpose: "reset_password", Client: f.client()})
	}
	unreg, err := ask(phoneA)
	checkErr(t, err, nil)
	reg, err := ask(phoneB)
	checkErr(t, err, nil)
	f.settle(t)
	if unreg.Purpose != reg.Purpose || unreg.Policy != reg.Policy || unreg.Phone.E164 != phoneA {
		t.Fatalf("answers differ: unregistered %+v, registered %+v", unreg, reg)
	}
	if _, ok := f.sms.Last(phoneA); ok {
		t.Fatal("a reset code was texted to an unregistered phone")
	}
	if _, ok := f.sms.Last(phoneB); !ok {
		t.Fatal("no reset code texted to the registered phone")
	}
	_, errUnreg := ask(phoneA)
	_, errReg := ask(phoneB)
	a, b := rateLimited(t, errUnreg, "resend_cooldown"), rateLimited(t, errReg, "resend_cooldown")
	if a.RetryAfter != b.RetryAfter {
		t.Fatalf("cooldowns differ: %s vs %s", a.RetryAfter, b.RetryAfter)
	}
}

func TestRequestCodeDeliveryFailure(t *testing.T) {
	tests := []struct {
		name        string
		sendErr     error
		wantErr     error // nil: want a *domain.RateLimitedError
		notDelivery bool  // the error must not read as a failed delivery
	}{
		{"unclassified error", errors.New("connection reset"), domain.ErrSMSDeliveryFailed, false},
		{"every provider failed", domain.ErrSMSDeliveryFailed, domain.ErrSMSDeliveryFailed, false},
		{"provider failed", &ports.SendError{Provider: "tencent", VendorCode: "FailedOperation", Kind: ports.SendProviderFailed},
			domain.ErrSMSDeliveryFailed, false},
		{"number rejected", &ports.SendError{Provider: "aliyun", VendorCode: "isv.BLACK_KEY_CONTROL_LIMIT", Kind: ports.SendNumberRejected},
			domain.ErrSMSDeliveryFailed, false},
		{"invalid number", &ports.SendError{Provider: "aliyun", VendorCode: "isv.MOBILE_NUMBER_ILLEGAL", Kind: ports.SendInvalidNumber},
			domain.ErrInvalidPhone, true},
		{"vendor number limit", &ports.SendError{Provider: "aliyun", VendorCode: "isv.BUSINESS_LIMIT_CONTROL",
			Kind: ports.SendNumberLimited, RetryAfter: 30 * time.Second}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.sms.Err = tt.sendErr
			_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneA, Client: f.client()})
			if tt.wantErr == nil {
				rateLimited(t, err, "vendor_number")
			} else {
				checkErr(t, err, tt.wantErr)
			}
			if tt.notDelivery && errors.Is(err, domain.ErrSMSDeliveryFailed) {
				t.Fatalf("error %v also reads as sms_delivery_failed", err)
			}
			key := ports.CodeKey{Phone: phoneA, Purpose: domain.PurposeLogin}
			if len(f.codes.Canceled) != 1 || f.codes.Canceled[0] != key {
				t.Fatalf("canceled = %+v, want [%+v]", f.codes.Canceled, key)
			}
			if len(f.sms.Failed) != 1 {
				t.Fatalf("failed sends = %d, want 1", len(f.sms.Failed))
			}
			// The undelivered code is gone ...
			_, err = f.login.Handle(t.Context(), app.LoginInput{Phone: phoneA, Code: f.sms.Failed[0].Code, Client: f.client()})
			checkErr(t, err, domain.ErrInvalidCode)
			// ... and the cooldown was given back: the client may retry at once.
			f.sms.Err = nil
			f.sendCode(t, phoneA, domain.PurposeLogin)
		})
	}
}

// TestRequestCodeAmbiguousFailureKeepsCapUsage: a send no vendor took is
// given back whole, while one a vendor may have delivered (it timed out)
// gives back only the cooldown: the retry is allowed at once by the cooldown
// but still meets the hourly cap, as the vendor's own limit would.
func TestRequestCodeAmbiguousFailureKeepsCapUsage(t *testing.T) {
	timeout := &ports.SendError{Provider: "tencent", VendorCode: "authd.Timeout", Kind: ports.SendProviderFailed,
		Err: context.DeadlineExceeded}
	tests := []struct {
		name      string
		sendErr   error
		wantScope ports.CancelScope
	}{
		{"vendor refused", &ports.SendError{Provider: "aliyun", VendorCode: "isv.BLACK_KEY_CONTROL_LIMIT",
			Kind: ports.SendNumberRejected}, ports.CancelSend},
		{"provider failed", &ports.SendError{Provider: "tencent", VendorCode: "FailedOperation",
			Kind: ports.SendProviderFailed}, ports.CancelSend},
		{"circuits open", fmt.Errorf("%w: every provider's circuit is open", domain.ErrSMSDeliveryFailed), ports.CancelSend},
		{"vendor timed out", timeout, ports.CancelCooldown},
		{"timeout after a failover", fmt.Errorf("%w: %w", domain.ErrSMSDeliveryFailed,
			errors.Join(&ports.SendError{Provider: "aliyun", VendorCode: "isp.SYSTEM_ERROR", Kind: ports.SendProviderFailed}, timeout)),
			ports.CancelCooldown},
		{"request left", fmt.Errorf("%w: %w", domain.ErrSMSDeliveryFailed, context.Canceled), ports.CancelCooldown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, func(c *app.Config) { c.Code.HourlyLimit = 1 })
			f.sms.Err = tt.sendErr
			_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneA, Client: f.client()})
			checkErr(t, err, domain.ErrSMSDeliveryFailed)
			if len(f.codes.Scopes) != 1 || f.codes.Scopes[0] != tt.wantScope {
				t.Fatalf("cancel scopes %v, want [%v]", f.codes.Scopes, tt.wantScope)
			}
			f.sms.Err = nil
			_, err = f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneA, Client: f.client()})
			if tt.wantScope == ports.CancelSend {
				checkErr(t, err, nil)
				return
			}
			rateLimited(t, err, "phone_hourly")
		})
	}
}

func TestRequestCodeDependencyDown(t *testing.T) {
	tests := []struct {
		name    string
		purpose string
		breaks  func(*fixture)
	}{
		{"code store", "login", func(f *fixture) { f.codes.Err = portstest.ErrDown }},
		{"rate limiter", "login", func(f *fixture) { f.limiter.Err = portstest.ErrDown }},
		{"user store on reset", "reset_password", func(f *fixture) { f.store.Err = portstest.ErrDown }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tt.breaks(f)
			_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneA, Purpose: tt.purpose, Client: f.client()})
			checkErr(t, err, domain.ErrUnavailable)
			if n := len(f.sms.Sent()) + len(f.sms.Failed); n != 0 {
				t.Fatalf("%d SMS attempted with a dependency down", n)
			}
		})
	}
}

// An IPv6 client holds a /64: new addresses in it share one budget.
func TestRequestCodeIPv6BudgetIsPerSlash64(t *testing.T) {
	f := newFixture(t)
	phones := []string{"+8613700000001", "+8613700000002", "+8613700000003", "+8613700000004", "+8613700000005"}
	for i := range testConfig().IPCodeLimit {
		ip := fmt.Sprintf("2001:db8:1:2::%x", i+1)
		_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phones[i], Client: app.Client{IP: ip}})
		checkErr(t, err, nil)
	}
	_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phones[3], Client: app.Client{IP: "2001:db8:1:2:ffff::9"}})
	rateLimited(t, err, "ip_code")
	_, err = f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phones[4], Client: app.Client{IP: "2001:db8:1:3::1"}})
	checkErr(t, err, nil)
}

// A reset answer does not wait for (or report) the vendor: an undelivered
// reset text is still 202, and its code is withdrawn.
func TestRequestCodeResetDeliveryFailureIsSilent(t *testing.T) {
	f := newFixture(t)
	f.seedUser(t, domain.User{ID: "u1", Username: "bob", Phone: phoneB}, "")
	f.sms.Err = &ports.SendError{Provider: "fake", VendorCode: "InternalError", Kind: ports.SendProviderFailed}
	_, err := f.requestCode.Handle(t.Context(), app.RequestCodeInput{Phone: phoneB, Purpose: "reset_password", Client: f.client()})
	checkErr(t, err, nil)
	f.settle(t)
	if len(f.sms.Failed) != 1 || len(f.codes.Withdrawn) != 1 || len(f.codes.Canceled) != 0 {
		t.Fatalf("failed sends %d, withdrawn %d, cancelled %d; want 1, 1, 0",
			len(f.sms.Failed), len(f.codes.Withdrawn), len(f.codes.Canceled))
	}
}
