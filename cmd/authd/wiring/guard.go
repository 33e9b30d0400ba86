package wiring

import (
	"log/slog"
	"net/netip"
	"strconv"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/captcha"
	"github.com/authd/authd/adapters/guardreport"
	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// guardModule wires the abuse guard: its counters beside the code store,
// the captcha provider, the reporter, and the guard itself in front of
// RequestCode and around the code store (to hear of consumed codes).
func guardModule(s Settings) (fx.Option, error) {
	cfg, err := GuardConfig(s)
	if err != nil {
		return nil, err
	}
	capCfg, err := CaptchaConfig(s)
	if err != nil {
		return nil, err
	}
	counters := fx.Provide(fx.Annotate(memcode.NewGuard, fx.As(new(ports.GuardCounters))))
	if s.RedisURL != "" {
		counters = fx.Provide(fx.Annotate(rediscode.NewGuard, fx.As(new(ports.GuardCounters))))
	}
	// fx.Options, not fx.Module: a module's decorators would reach only
	// its own scope, and the HTTP server must get the decorated use case.
	return fx.Options(
		counters,
		fx.Provide(
			func() (ports.Captcha, error) { return captcha.New(capCfg) },
			func(st *bunstore.Store) ports.GuardDecisions { return st },
			func(reg prometheus.Registerer, d ports.GuardDecisions, log *slog.Logger) (ports.GuardReporter, error) {
				return guardreport.New(reg, d, log)
			},
			func(c ports.GuardCounters, cp ports.Captcha, r ports.GuardReporter, log *slog.Logger) *app.SMSGuard {
				return app.NewSMSGuard(cfg, c, cp, r, log)
			},
		),
		// One decorator for both the guard and the spend cap (spendModule):
		// fx takes one decoration of a type per scope.
		fx.Decorate(func(p requestCodeDefences) *app.RequestCode { return p.RC.WithGuard(p.Guard).WithSpend(p.Spend) }),
	), nil
}

// requestCodeDefences is what stands in front of RequestCode's sends.
type requestCodeDefences struct {
	fx.In
	RC    *app.RequestCode
	Guard *app.SMSGuard
	Spend *app.SMSSpend `optional:"true"` // nil without AUTHD_SMS_PRICES
}

// guardCodes gives the use cases a code store that reports consumed codes
// to the guard. It decorates inside the use cases' module so that tests
// may still decorate ports.Codes at the root (fx allows one decoration of
// a type per scope).
var guardCodes = fx.Decorate(func(c ports.Codes, g *app.SMSGuard) ports.Codes { return g.Codes(c) })

// GuardConfig maps AUTHD_SMS_GUARD*.
func GuardConfig(s Settings) (app.GuardConfig, error) {
	mode, err := domain.ParseGuardMode(s.SMSGuard)
	if err != nil {
		return app.GuardConfig{}, err
	}
	cfg := app.GuardConfig{Mode: mode, Policy: domain.DefaultGuardPolicy(), Grace: s.SMSGuardGrace,
		AllowRegions: map[string]bool{}, CaptchaRequire: s.CaptchaRequire}
	if s.SMSGuardGrace <= 0 {
		return cfg, &domain.ConfigError{Key: "AUTHD_SMS_GUARD_GRACE", Msg: "must be positive"}
	}
	for _, c := range s.SMSGuardAllowCIDRs {
		p, err := netip.ParsePrefix(strings.TrimSpace(c))
		if err != nil {
			return cfg, &domain.ConfigError{Key: "AUTHD_SMS_GUARD_ALLOW_CIDRS", Msg: err.Error()}
		}
		cfg.AllowCIDRs = append(cfg.AllowCIDRs, p.Masked())
	}
	for _, r := range s.SMSGuardAllowRegions {
		r = strings.ToUpper(strings.TrimSpace(r))
		if len(r) != 2 {
			return cfg, &domain.ConfigError{Key: "AUTHD_SMS_GUARD_ALLOW_REGIONS", Msg: "want ISO regions such as CN, got " + strconv.Quote(r)}
		}
		cfg.AllowRegions[r] = true
	}
	for _, n := range s.SMSGuardAllowNumbers {
		n = strings.TrimSpace(n)
		if len(n) < 2 || n[0] != '+' || strings.Trim(strings.TrimSuffix(n[1:], "*"), "0123456789") != "" {
			return cfg, &domain.ConfigError{Key: "AUTHD_SMS_GUARD_ALLOW_NUMBERS", Msg: "want E.164 numbers, a trailing * for a prefix; got " + strconv.Quote(n)}
		}
		cfg.AllowNumbers = append(cfg.AllowNumbers, n)
	}
	switch s.CaptchaRequire {
	case app.CaptchaOnRisk, app.CaptchaAlways, app.CaptchaNever:
	default:
		return cfg, &domain.ConfigError{Key: "AUTHD_CAPTCHA_REQUIRE", Msg: "want on_risk, always or never, got " + strconv.Quote(s.CaptchaRequire)}
	}
	return cfg, nil
}

// CaptchaConfig maps AUTHD_CAPTCHA_*; Tencent Captcha signs with the
// Tencent SMS credentials unless it has its own.
func CaptchaConfig(s Settings) (captcha.Config, error) {
	cfg := captcha.Config{Provider: s.CaptchaProvider, Secret: s.CaptchaSecret, SiteKey: s.CaptchaSiteKey,
		VerifyURL: s.CaptchaVerifyURL, TencentSecretID: s.CaptchaTencentID, TencentSecretKey: s.CaptchaTencentKey}
	if cfg.TencentSecretID == "" && cfg.TencentSecretKey == "" {
		cfg.TencentSecretID, cfg.TencentSecretKey = s.TencentSecretID, s.TencentSecretKey
	}
	score, err := strconv.ParseFloat(s.CaptchaMinScore, 64)
	if err != nil {
		return cfg, &domain.ConfigError{Key: "AUTHD_CAPTCHA_MIN_SCORE", Msg: "want a number between 0 and 1"}
	}
	cfg.MinScore = score
	return cfg, cfg.Validate()
}
