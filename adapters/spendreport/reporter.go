// Package spendreport makes SMS spend visible: authd_sms_spend_total
// {currency} counts what was spent, authd_sms_spend_limit_ratio{period}
// is the period's spend over its cap (a dashboard uses these names), and
// a warning is logged once per period when a cap is 80% used.
package spendreport

import (
	"context"
	"log/slog"
	"sync"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.SpendReporter = (*Reporter)(nil)

// WarnRatio is the share of a cap past which operators are warned.
const WarnRatio = 0.8

// Reporter implements ports.SpendReporter.
type Reporter struct {
	total *prometheus.CounterVec
	ratio *prometheus.GaugeVec
	log   *slog.Logger

	mu     sync.Mutex
	warned map[string]string // period -> the period name warned about
}

// New registers the metrics.
func New(reg prometheus.Registerer, log *slog.Logger) (*Reporter, error) {
	r := &Reporter{
		total: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_sms_spend_total",
			Help: "SMS spend by this instance, in the price table's currency (AUTHD_SMS_PRICES).",
		}, []string{"currency"}),
		ratio: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "authd_sms_spend_limit_ratio",
			Help: "The period's SMS spend (every instance) over its cap, as of this instance's last send.",
		}, []string{"period"}),
		log:    log,
		warned: map[string]string{},
	}
	for _, c := range []prometheus.Collector{r.total, r.ratio} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Spent implements ports.SpendReporter.
func (r *Reporter) Spent(ctx context.Context, s ports.SpendReport) {
	r.total.WithLabelValues(s.Currency).Add(s.Cost.Float())
	for _, p := range []struct {
		period, name string
		spent, limit domain.Money
	}{
		{domain.SpendDaily, domain.SpendDay(s.At), s.Totals.Day, s.Limits.Daily},
		{domain.SpendMonthly, domain.SpendMonth(s.At), s.Totals.Month, s.Limits.Monthly},
	} {
		if p.limit <= 0 {
			continue
		}
		ratio := float64(p.spent) / float64(p.limit)
		r.ratio.WithLabelValues(p.period).Set(ratio)
		if ratio >= WarnRatio && r.firstWarning(p.period, p.name) {
			r.log.WarnContext(ctx, "sms spend past 80% of its cap", "period", p.period,
				"spent", p.spent.Float(), "limit", p.limit.Float(), "currency", s.Currency)
		}
	}
}

// firstWarning reports whether this period has not been warned about yet.
func (r *Reporter) firstWarning(period, name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.warned[period] == name {
		return false
	}
	r.warned[period] = name
	return true
}
