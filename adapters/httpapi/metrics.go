package httpapi

import (
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the HTTP-level Prometheus series.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	logins   *prometheus.CounterVec
	codes    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	labels := []string{"method", "route", "status"}
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, labels),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "authd_http_request_duration_seconds", Help: "HTTP request latency by method, route and status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
		}, labels),
		logins: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_logins_total", Help: "Logins by method (sms, password, refresh) and outcome (success, created, or the problem code).",
		}, []string{"method", "outcome"}),
		codes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "authd_codes_requested_total", Help: "One-time code requests by purpose and outcome (sent, or the problem code).",
		}, []string{"purpose", "outcome"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.latency, m.logins, m.codes} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// outcome labels a result: "success" or the problem code of err.
func outcome(err error, success string) string {
	if err == nil {
		return success
	}
	return toProblem(err).Code
}

func (s *Server) metricsHandler() fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.Gatherer, promhttp.HandlerOpts{}))
}
