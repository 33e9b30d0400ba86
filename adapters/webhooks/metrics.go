package webhooks

import "github.com/prometheus/client_golang/prometheus"

// metrics: delivered and failed count this instance's attempts; pending,
// dead and the oldest pending age are the shared outbox's.
type metrics struct {
	delivered prometheus.Counter
	failed    prometheus.Counter
	pending   prometheus.Gauge
	dead      prometheus.Gauge
	oldestAge prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		delivered: prometheus.NewCounter(prometheus.CounterOpts{Name: "authd_webhook_delivered_total",
			Help: "Events every receiver accepted (by this instance)."}),
		failed: prometheus.NewCounter(prometheus.CounterOpts{Name: "authd_webhook_failed_total",
			Help: "Delivery attempts that some receiver refused or did not answer (by this instance)."}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{Name: "authd_webhook_pending_events",
			Help: "Events waiting for delivery."}),
		dead: prometheus.NewGauge(prometheus.GaugeOpts{Name: "authd_webhook_dead_events",
			Help: "Events given up after the retry window (authd webhooks replay)."}),
		oldestAge: prometheus.NewGauge(prometheus.GaugeOpts{Name: "authd_webhook_oldest_pending_age_seconds",
			Help: "Age of the oldest pending event; 0 when none."}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.delivered, m.failed, m.pending, m.dead, m.oldestAge} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
