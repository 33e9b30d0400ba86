package app

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// SpendConfig prices sends and caps their cost (AUTHD_SMS_PRICES,
// AUTHD_SMS_SPEND_LIMIT_*).
type SpendConfig struct {
	Prices domain.SMSPrices
	Limits domain.SpendLimits
}

// SMSSpend reserves each send's expected cost against the daily and
// monthly caps before the vendor is called, gives it back when nothing
// was sent, and corrects it to what the send cost.
type SMSSpend struct {
	cfg      SpendConfig
	counter  ports.SpendCounter
	reporter ports.SpendReporter // nil: not reported
	log      *slog.Logger
}

// NewSMSSpend builds the spend cap; reporter may be nil.
func NewSMSSpend(cfg SpendConfig, counter ports.SpendCounter, reporter ports.SpendReporter, log *slog.Logger) *SMSSpend {
	return &SMSSpend{cfg: cfg, counter: counter, reporter: reporter, log: log}
}

// WithSpend caps the sends' cost and returns uc.
func (uc *RequestCode) WithSpend(s *SMSSpend) *RequestCode {
	uc.spend = s
	return uc
}

// reservation is an amount held against the caps of the periods of at.
type reservation struct {
	amount domain.Money
	at     time.Time
	totals domain.SpendTotals
	held   bool
}

// reserve holds the expected cost of one text to phone. Past a cap it
// returns *domain.BudgetExhaustedError.
func (s *SMSSpend) reserve(ctx context.Context, phone domain.Phone, now time.Time) (reservation, error) {
	if s == nil {
		return reservation{}, nil
	}
	amount := s.cfg.Prices.Expected(phone.Region)
	tot, err := s.counter.Reserve(ctx, amount, s.cfg.Limits, now)
	if err != nil {
		return reservation{}, fmt.Errorf("sms spend: %w", err)
	}
	return reservation{amount: amount, at: now, totals: tot, held: true}, nil
}

// release gives a reservation back: nothing was sent. It has a context of
// its own, as the request's may be the one that ran out.
func (s *SMSSpend) release(ctx context.Context, r reservation) {
	if s == nil || !r.held || r.amount == 0 {
		return
	}
	if err := s.counter.Add(context.WithoutCancel(ctx), -r.amount, r.at); err != nil {
		s.log.ErrorContext(ctx, "sms spend: reservation not released", "err", err)
	}
}

// settle replaces the reservation by what the send cost, when the send
// log priced it (a long text is several billing units, and the provider
// that sent it may be cheaper than the dearest one reserved for).
func (s *SMSSpend) settle(ctx context.Context, r reservation, res ports.SMSResult) {
	if s == nil || !r.held {
		return
	}
	cost := r.amount
	if res.Priced {
		cost = res.Cost
	}
	if d := cost - r.amount; d != 0 {
		if err := s.counter.Add(context.WithoutCancel(ctx), d, r.at); err != nil {
			s.log.WarnContext(ctx, "sms spend: cost not corrected", "err", err)
		}
		r.totals.Day += d
		r.totals.Month += d
	}
	if s.reporter != nil {
		s.reporter.Spent(ctx, ports.SpendReport{Currency: s.cfg.Prices.Currency, Cost: cost,
			Totals: r.totals, Limits: s.cfg.Limits, At: r.at})
	}
}
