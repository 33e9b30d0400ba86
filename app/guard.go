package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"strings"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// Captcha requirements (AUTHD_CAPTCHA_REQUIRE).
const (
	CaptchaOnRisk = "on_risk" // only sends the guard finds suspicious
	CaptchaAlways = "always"
	CaptchaNever  = "never"
)

// GuardConfig tunes the abuse guard.
type GuardConfig struct {
	Mode   domain.GuardMode
	Policy domain.GuardPolicy
	// Grace is how old a code must be before it can count as never
	// entered: real users take 5 to 60 seconds to type one.
	Grace time.Duration
	// Allowlists: sends from these client networks, to these regions or
	// to numbers matching these patterns are neither judged nor counted.
	AllowCIDRs   []netip.Prefix
	AllowRegions map[string]bool
	AllowNumbers []string // E.164 numbers; a trailing * matches a prefix
	// CaptchaRequire is on_risk, always or never; it matters only with a
	// captcha provider configured.
	CaptchaRequire string
}

// DefaultGuardGrace is two minutes: past the time nearly every real user
// needs to read and enter a code (the simulation's legitimate users take
// 5-60 s), well inside the code's lifetime.
const DefaultGuardGrace = 2 * time.Minute

// CaptchaInput is the request's captcha member.
type CaptchaInput struct {
	Token   string
	Randstr string
}

// SMSGuard is the abuse guard in front of every code send: allowlists,
// captcha and the adaptive rules of domain.GuardPolicy over counters
// shared by every instance.
type SMSGuard struct {
	cfg      GuardConfig
	counters ports.GuardCounters
	captcha  ports.Captcha // nil: no provider configured
	reporter ports.GuardReporter
	log      *slog.Logger
}

// NewSMSGuard builds the guard; captcha may be nil.
func NewSMSGuard(cfg GuardConfig, counters ports.GuardCounters, captcha ports.Captcha, reporter ports.GuardReporter, log *slog.Logger) *SMSGuard {
	if cfg.Grace <= 0 {
		cfg.Grace = DefaultGuardGrace
	}
	return &SMSGuard{cfg: cfg, counters: counters, captcha: captcha, reporter: reporter, log: log}
}

// admission is a send the guard let through, to be counted once it is made.
type admission struct {
	subject ports.GuardSubject
	count   bool
}

// admit judges one send before anything is counted or sent. It returns
// *domain.SMSBlockedError, *domain.CaptchaRequiredError or
// domain.ErrCaptchaFailed when the send may not go out.
func (g *SMSGuard) admit(ctx context.Context, phone domain.Phone, client Client, answer CaptchaInput, now time.Time) (admission, error) {
	if g == nil {
		return admission{}, nil
	}
	subj := ports.GuardSubject{Country: phone.Region, Prefix: domain.NumberPrefix(phone.E164), IP: strings.TrimPrefix(client.limitKey(""), ":")}
	if g.captchaAlways() {
		if err := g.solve(ctx, answer, client); err != nil {
			return admission{}, err
		}
	}
	if g.cfg.Mode == domain.GuardOff || g.allowed(phone, client) {
		return admission{}, nil
	}
	stats, err := g.counters.Stats(ctx, subj, g.cfg.Grace, now)
	if err != nil {
		return admission{}, fmt.Errorf("guard stats: %w", err)
	}
	v := g.cfg.Policy.Evaluate(stats)
	g.report(ctx, phone, subj, v, now)
	if g.cfg.Mode == domain.GuardObserve {
		return admission{subject: subj, count: true}, nil
	}
	switch v.Action {
	case domain.GuardBlock:
		return admission{}, &domain.SMSBlockedError{RetryAfter: v.RetryAfter}
	case domain.GuardChallenge:
		if g.captcha != nil && g.cfg.CaptchaRequire == CaptchaOnRisk {
			if err := g.solve(ctx, answer, client); errors.Is(err, domain.ErrUnavailable) {
				// The provider is down: a suspicious send gets the
				// guard's own answer, a short block (docs/abuse.md).
				g.log.WarnContext(ctx, "captcha provider unavailable; risky send refused", "err", err)
				return admission{}, &domain.SMSBlockedError{RetryAfter: time.Minute}
			} else if err != nil {
				return admission{}, err
			}
		}
	}
	return admission{subject: subj, count: true}, nil
}

// WithGuard puts the abuse guard in front of the sends and returns uc.
func (uc *RequestCode) WithGuard(g *SMSGuard) *RequestCode {
	uc.guard = g
	return uc
}

// captchaAlways reports whether every send needs a captcha.
func (g *SMSGuard) captchaAlways() bool {
	return g.captcha != nil && g.cfg.CaptchaRequire == CaptchaAlways
}

// solve asks for a captcha when the request has none, and checks it
// otherwise.
func (g *SMSGuard) solve(ctx context.Context, answer CaptchaInput, client Client) error {
	if answer.Token == "" {
		return &domain.CaptchaRequiredError{Provider: g.captcha.Provider(), SiteKey: g.captcha.SiteKey()}
	}
	return g.captcha.Verify(ctx, ports.CaptchaAnswer{Token: answer.Token, Randstr: answer.Randstr, IP: client.IP})
}

// sent counts an admitted send just before the vendor is called, so that
// parallel requests see it as soon as possible.
func (g *SMSGuard) sent(ctx context.Context, phone domain.Phone, a admission, now time.Time) error {
	if g == nil || !a.count {
		return nil
	}
	if err := g.counters.RecordSend(ctx, phone.E164, a.subject, now); err != nil {
		return fmt.Errorf("guard count: %w", err)
	}
	return nil
}

// allowed reports whether an allowlist exempts the send.
func (g *SMSGuard) allowed(phone domain.Phone, client Client) bool {
	if g.cfg.AllowRegions[phone.Region] {
		return true
	}
	for _, p := range g.cfg.AllowNumbers {
		if p == phone.E164 || (strings.HasSuffix(p, "*") && strings.HasPrefix(phone.E164, p[:len(p)-1])) {
			return true
		}
	}
	if ip, err := netip.ParseAddr(client.IP); err == nil {
		for _, c := range g.cfg.AllowCIDRs {
			if c.Contains(ip.Unmap()) {
				return true
			}
		}
	}
	return false
}

func (g *SMSGuard) report(ctx context.Context, phone domain.Phone, s ports.GuardSubject, v domain.GuardVerdict, now time.Time) {
	if g.reporter == nil {
		return
	}
	g.reporter.Report(ctx, domain.GuardDecision{At: now, Phone: phone.E164, Country: s.Country, Prefix: s.Prefix,
		IP: s.IP, Action: v.Action, Rule: v.Rule, Mode: g.cfg.Mode})
}

// Codes wraps the code store so that every consumed code (login, reset,
// and whatever verifies a code later) is reported to the guard as entered.
// A failure to count is logged, never returned: the user did verify.
func (g *SMSGuard) Codes(c ports.Codes) ports.Codes { return &guardedCodes{Codes: c, guard: g} }

type guardedCodes struct {
	ports.Codes
	guard *SMSGuard
}

func (c *guardedCodes) Verify(ctx context.Context, key ports.CodeKey, digest []byte, maxAttempts int, now time.Time) error {
	if err := c.Codes.Verify(ctx, key, digest, maxAttempts, now); err != nil {
		return err
	}
	if c.guard.cfg.Mode != domain.GuardOff {
		if err := c.guard.counters.RecordVerified(context.WithoutCancel(ctx), key.Phone, now); err != nil {
			c.guard.log.WarnContext(ctx, "guard: verified code not counted", "err", err)
		}
	}
	return nil
}
