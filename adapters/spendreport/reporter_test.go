package spendreport_test

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/spendreport"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestWarnsOncePerPeriodAt80Percent: the ratio follows every send, the
// warning comes once when a cap is 80% used, and again in the next period.
func TestWarnsOncePerPeriodAt80Percent(t *testing.T) {
	reg := prometheus.NewRegistry()
	var logs bytes.Buffer
	r, err := spendreport.New(reg, slog.New(slog.NewTextHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	lim := domain.SpendLimits{Daily: 100, Monthly: domain.NoSpendLimit}
	day := time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC)
	for _, step := range []struct {
		at     time.Time
		total  domain.Money
		warns  int
		gauges float64
	}{
		{day, 50, 0, 0.5},
		{day, 80, 1, 0.8},
		{day, 95, 1, 0.95},
		{day.AddDate(0, 0, 1), 85, 2, 0.85},
	} {
		r.Spent(t.Context(), ports.SpendReport{Currency: "CNY", Cost: 10, Totals: domain.SpendTotals{Day: step.total}, Limits: lim, At: step.at})
		if got := strings.Count(logs.String(), "80%"); got != step.warns {
			t.Fatalf("at %d: %d warnings, want %d\n%s", step.total, got, step.warns, logs.String())
		}
		if got := sample(t, reg, "authd_sms_spend_limit_ratio"); got != step.gauges {
			t.Fatalf("ratio = %v, want %v", got, step.gauges)
		}
	}
	if got := sample(t, reg, "authd_sms_spend_total"); got != 4*10/float64(domain.MoneyUnit) {
		t.Fatalf("authd_sms_spend_total = %v", got)
	}
}

// sample reads the one sample of a metric family.
func sample(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name && len(mf.GetMetric()) == 1 {
			m := mf.GetMetric()[0]
			if m.GetGauge() != nil {
				return m.GetGauge().GetValue()
			}
			return m.GetCounter().GetValue()
		}
	}
	t.Fatalf("no single sample of %s", name)
	return 0
}
