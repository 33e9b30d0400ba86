package sms

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/ports"
)

// metrics are the SMS counters, registered on the injected registerer.
type metrics struct {
	sends     *prometheus.CounterVec
	failures  *prometheus.CounterVec
	failovers *prometheus.CounterVec
	breaker   *prometheus.GaugeVec
	latency   *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_sms_sends_total", Help: "SMS send attempts by provider and outcome.",
		}, []string{"provider", "outcome"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_sms_send_failures_total", Help: "Failed SMS send attempts by provider and vendor code.",
		}, []string{"provider", "vendor_code"}),
		failovers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_sms_failovers_total", Help: "Messages passed on to the next provider, by the provider that failed.",
		}, []string{"from"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "authd_sms_breaker_state", Help: "Circuit breaker state per route and provider: 0 closed, 1 open, 2 half-open.",
		}, []string{"route", "provider"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "authd_sms_send_duration_seconds", Help: "SMS send attempt latency by provider.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2, 3, 5},
		}, []string{"provider"}),
	}
	for _, c := range []prometheus.Collector{m.sends, m.failures, m.failovers, m.breaker, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// outcomeLabel names a send result for the sends counter.
func outcomeLabel(se *ports.SendError) string {
	if se == nil {
		return "sent"
	}
	switch se.Kind {
	case ports.SendInvalidNumber:
		return "invalid_number"
	case ports.SendNumberRejected:
		return "number_rejected"
	case ports.SendNumberLimited:
		return "number_limited"
	}
	return "provider_failed"
}
