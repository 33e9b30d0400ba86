package wiring

import (
	"log/slog"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/memcode"
	"github.com/authd/authd/adapters/rediscode"
	"github.com/authd/authd/adapters/spendreport"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// spendModule wires the SMS spend cap: its counter beside the code store
// (shared by every instance on Redis) and the reporter; guardModule's
// decorator puts the cap in front of RequestCode's sends. Without a price table it wires nothing; the
// prices also go to the send log.
func spendModule(s Settings) (fx.Option, domain.SMSPrices, error) {
	cfg, err := SpendConfig(s)
	if err != nil || cfg.Prices.Empty() {
		return fx.Options(), cfg.Prices, err
	}
	counter := fx.Provide(fx.Annotate(memcode.NewSpend, fx.As(new(ports.SpendCounter))))
	if s.RedisURL != "" {
		counter = fx.Provide(fx.Annotate(rediscode.NewSpend, fx.As(new(ports.SpendCounter))))
	}
	// fx.Options, not fx.Module: see guardModule.
	return fx.Options(
		counter,
		fx.Provide(
			func(reg prometheus.Registerer, log *slog.Logger) (ports.SpendReporter, error) {
				return spendreport.New(reg, log)
			},
			func(c ports.SpendCounter, r ports.SpendReporter, log *slog.Logger) *app.SMSSpend {
				return app.NewSMSSpend(cfg, c, r, log)
			},
		),
	), cfg.Prices, nil
}

// SpendConfig maps AUTHD_SMS_PRICES, AUTHD_SMS_PRICE_CURRENCY and
// AUTHD_SMS_SPEND_LIMIT_*. A cap without prices would never be reached,
// so it is a configuration error rather than a silent no-op.
func SpendConfig(s Settings) (app.SpendConfig, error) {
	cur := strings.ToUpper(strings.TrimSpace(s.SMSPriceCurrency))
	if cur == "" {
		cur = "CNY"
	}
	prices, err := domain.ParseSMSPrices(s.SMSPrices, cur)
	if err != nil {
		return app.SpendConfig{}, &domain.ConfigError{Key: "AUTHD_SMS_PRICES", Msg: err.Error()}
	}
	cfg := app.SpendConfig{Prices: prices, Limits: domain.SpendLimits{Daily: domain.NoSpendLimit, Monthly: domain.NoSpendLimit}}
	for _, l := range []struct {
		key, val string
		dst      *domain.Money
	}{
		{"AUTHD_SMS_SPEND_LIMIT_DAILY", s.SMSSpendLimitDaily, &cfg.Limits.Daily},
		{"AUTHD_SMS_SPEND_LIMIT_MONTHLY", s.SMSSpendLimitMonthly, &cfg.Limits.Monthly},
	} {
		if strings.TrimSpace(l.val) == "" {
			continue
		}
		m, err := domain.ParseMoney(l.val)
		if err != nil {
			return cfg, &domain.ConfigError{Key: l.key, Msg: err.Error()}
		}
		if prices.Empty() {
			return cfg, &domain.ConfigError{Key: l.key, Msg: "a spend cap needs AUTHD_SMS_PRICES"}
		}
		*l.dst = m
	}
	return cfg, nil
}
