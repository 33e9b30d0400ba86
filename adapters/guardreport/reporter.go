// Package guardreport makes the abuse guard's verdicts visible: every one
// is counted in authd_sms_guard_decisions_total{decision,rule,country}
// (a dashboard uses these names), and every verdict other than allow is
// logged and, with a store, kept as a decision record.
package guardreport

import (
	"context"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.GuardReporter = (*Reporter)(nil)

// Reporter implements ports.GuardReporter.
type Reporter struct {
	decisions *prometheus.CounterVec
	store     ports.GuardDecisions // nil: no records
	log       *slog.Logger
}

// New registers the metric; store may be nil.
func New(reg prometheus.Registerer, store ports.GuardDecisions, log *slog.Logger) (*Reporter, error) {
	c := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "authd_sms_guard_decisions_total",
		Help: "Abuse guard verdicts by decision (allow, challenge, block), rule (empty for allow) and destination country.",
	}, []string{"decision", "rule", "country"})
	if err := reg.Register(c); err != nil {
		return nil, err
	}
	return &Reporter{decisions: c, store: store, log: log}, nil
}

// Report implements ports.GuardReporter. A record that cannot be stored is
// logged: the verdict stands either way.
func (r *Reporter) Report(ctx context.Context, d domain.GuardDecision) {
	r.decisions.WithLabelValues(string(d.Action), d.Rule, d.Country).Inc()
	if d.Action == domain.GuardAllow {
		return
	}
	r.log.WarnContext(ctx, "sms guard", "decision", d.Action, "rule", d.Rule, "mode", d.Mode,
		"country", d.Country, "prefix", d.Prefix, "ip", d.IP)
	if r.store == nil {
		return
	}
	if err := r.store.RecordDecision(context.WithoutCancel(ctx), d); err != nil {
		r.log.ErrorContext(ctx, "sms guard: decision not recorded", "err", err)
	}
}
