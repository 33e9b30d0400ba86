package app_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
)

// fakeCaptcha accepts the token "good"; Down makes the provider unreachable.
type fakeCaptcha struct {
	Down  bool
	calls int
}

func (c *fakeCaptcha) Provider() string { return "turnstile" }
func (c *fakeCaptcha) SiteKey() string  { return "site-key" }
func (c *fakeCaptcha) Verify(_ context.Context, a ports.CaptchaAnswer) error {
	c.calls++
	switch {
	case c.Down:
		return domain.Unavailable("captcha", errors.New("provider down"))
	case a.Token != "good":
		return domain.ErrCaptchaFailed
	}
	return nil
}

// decisions records what the guard reports.
type decisions struct {
	mu  sync.Mutex
	all []domain.GuardDecision
}

func (d *decisions) Report(_ context.Context, x domain.GuardDecision) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.all = append(d.all, x)
}

// guarded is a fixture whose RequestCode has a guard with the default
// policy on memory counters.
func guarded(t *testing.T, cfg app.GuardConfig, captcha ports.Captcha) (*fixture, *app.SMSGuard, *decisions) {
	t.Helper()
	f := newFixture(t, func(c *app.Config) { c.IPCodeLimit = 1000 })
	if cfg.Mode == "" {
		cfg.Mode = domain.GuardEnforce
	}
	if cfg.Policy == (domain.GuardPolicy{}) {
		cfg.Policy = domain.DefaultGuardPolicy()
	}
	rep := &decisions{}
	var c ports.Captcha
	if captcha != nil {
		c = captcha
	}
	g := app.NewSMSGuard(cfg, memcode.NewGuard(), c, rep, slog.New(slog.DiscardHandler))
	f.requestCode.WithGuard(g)
	return f, g, rep
}

// pump sends codes to n numbers of one prefix (+86137000 0xxx), each from
// its own IP, and lets the grace period pass.
func pump(t *testing.T, f *fixture, n int) {
	t.Helper()
	for i := range n {
		if _, err := f.request(fmt.Sprintf("+861370000%04d", i), app.CaptchaInput{}); err != nil {
			t.Fatalf("pump send %d: %v", i, err)
		}
	}
	f.clock.Advance(3 * time.Minute)
}

func (f *fixture) request(phone string, c app.CaptchaInput) (app.RequestCodeResult, error) {
	return f.requestCode.Handle(context.Background(), app.RequestCodeInput{Phone: phone, Client: f.client(), Captcha: c})
}

func TestGuardBlocksAPumpedPrefix(t *testing.T) {
	f, _, rep := guarded(t, app.GuardConfig{}, nil)
	pump(t, f, 8)
	sent := len(f.sms.Sent())
	_, err := f.request("+8613700009999", app.CaptchaInput{})
	var blocked *domain.SMSBlockedError
	if !errors.As(err, &blocked) || blocked.RetryAfter <= 0 {
		t.Fatalf("9th send to the prefix: %v, want SMSBlockedError with a RetryAfter", err)
	}
	if len(f.sms.Sent()) != sent {
		t.Fatal("a blocked send reached the vendor")
	}
	last := rep.all[len(rep.all)-1]
	if last.Action != domain.GuardBlock || last.Rule != "prefix_hour" || last.Prefix != "+861370000" || last.Country != "CN" {
		t.Fatalf("decision %+v", last)
	}
	// Another prefix of the same country is not affected.
	if _, err := f.request("+8613811112222", app.CaptchaInput{}); err != nil {
		t.Fatalf("other prefix: %v", err)
	}
}

func TestGuardModesAndAllowlists(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  app.GuardConfig
	}{
		{"observe", app.GuardConfig{Mode: domain.GuardObserve}},
		{"off", app.GuardConfig{Mode: domain.GuardOff}},
		{"allowed region", app.GuardConfig{AllowRegions: map[string]bool{"CN": true}}},
		{"allowed number pattern", app.GuardConfig{AllowNumbers: []string{"+861370000*"}}},
		{"allowed client network", app.GuardConfig{AllowCIDRs: []netip.Prefix{netip.MustParsePrefix("198.51.100.0/24")}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _, rep := guarded(t, tt.cfg, nil)
			pump(t, f, 12)
			if _, err := f.request("+8613700009999", app.CaptchaInput{}); err != nil {
				t.Fatalf("send: %v", err)
			}
			if tt.name == "observe" {
				if last := rep.all[len(rep.all)-1]; last.Action != domain.GuardBlock || last.Mode != domain.GuardObserve {
					t.Fatalf("observe mode records %+v, want the block it did not enforce", last)
				}
			}
		})
	}
}

func TestGuardCaptchaOnRisk(t *testing.T) {
	captcha := &fakeCaptcha{}
	f, _, _ := guarded(t, app.GuardConfig{CaptchaRequire: app.CaptchaOnRisk}, captcha)
	if _, err := f.request("+8613911112222", app.CaptchaInput{}); err != nil || captcha.calls != 0 {
		t.Fatalf("a clean send: err %v, captcha calls %d; want no captcha", err, captcha.calls)
	}
	pump(t, f, 4) // half the prefix threshold: risky, not blockable
	_, err := f.request("+8613700009999", app.CaptchaInput{})
	var need *domain.CaptchaRequiredError
	if !errors.As(err, &need) || need.Provider != "turnstile" || need.SiteKey != "site-key" {
		t.Fatalf("risky send without captcha: %v, want CaptchaRequiredError", err)
	}
	checkErr(t, func() error { _, err := f.request("+8613700009999", app.CaptchaInput{Token: "bad"}); return err }(), domain.ErrCaptchaFailed)
	if _, err := f.request("+8613700009999", app.CaptchaInput{Token: "good"}); err != nil {
		t.Fatalf("risky send with a good captcha: %v", err)
	}
	captcha.Down = true
	f.clock.Advance(time.Minute)
	var blocked *domain.SMSBlockedError
	if _, err := f.request("+8613700009998", app.CaptchaInput{Token: "good"}); !errors.As(err, &blocked) {
		t.Fatalf("risky send while the provider is down: %v, want SMSBlockedError (fail closed)", err)
	}
	if _, err := f.request("+8613911113333", app.CaptchaInput{}); err != nil {
		t.Fatalf("clean send while the provider is down: %v", err)
	}
}

func TestGuardCaptchaAlwaysAndNever(t *testing.T) {
	f, _, _ := guarded(t, app.GuardConfig{CaptchaRequire: app.CaptchaAlways}, &fakeCaptcha{})
	var need *domain.CaptchaRequiredError
	if _, err := f.request("+8613911112222", app.CaptchaInput{}); !errors.As(err, &need) {
		t.Fatalf("always, no captcha: %v", err)
	}
	if _, err := f.request("+8613911112222", app.CaptchaInput{Token: "good"}); err != nil {
		t.Fatalf("always, good captcha: %v", err)
	}
	f, _, _ = guarded(t, app.GuardConfig{CaptchaRequire: app.CaptchaNever}, &fakeCaptcha{})
	pump(t, f, 4)
	if _, err := f.request("+8613700009999", app.CaptchaInput{}); err != nil {
		t.Fatalf("never, risky send: %v", err)
	}
}

// TestGuardVerifiedCodesAreNotFailures: codes entered through the guarded
// code store never add up to a block.
func TestGuardVerifiedCodesAreNotFailures(t *testing.T) {
	f, g, _ := guarded(t, app.GuardConfig{}, nil)
	ids := &portstest.IDs{}
	sessions := app.NewSessions(f.cfg, f.tokens, f.store, f.store, f.ended, ids, f.clock)
	verifier := app.NewCodeVerifier(f.cfg, g.Codes(f.codes), f.limiter, f.clock)
	passwords := app.NewPasswords(f.passwords, portstest.Strength{}, f.store, f.store, f.ended, f.clock)
	login := app.NewLoginOrRegister(portstest.Phones{}, verifier, sessions,
		app.NewInitialPassword(f.cfg, passwords, f.sms, ids, slog.New(slog.DiscardHandler)))
	for i := range 30 {
		phone := fmt.Sprintf("+861370000%04d", i)
		if _, err := f.request(phone, app.CaptchaInput{}); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
		msg, _ := f.sms.Last(phone)
		if _, err := login.Handle(t.Context(), app.LoginInput{Phone: phone, Code: msg.Code, Client: f.client()}); err != nil {
			t.Fatalf("login %d: %v", i, err)
		}
		f.clock.Advance(time.Minute)
	}
}
