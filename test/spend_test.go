package test

import (
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/harness"
)

// TestSpendCapOverHTTP: with a daily cap worth two texts, the third send
// is 503 sms_budget_exhausted with Retry-After to the next UTC midnight
// and nothing is sent; a failed send gives its reservation back; the
// metrics dashboards use show the spend and the cap's use; a new day has
// a new budget. On every backend.
func TestSpendCapOverHTTP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := portstest.NewClock(time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC))
		inst := start(t, b, harness.Options{Clock: clock, Env: map[string]string{
			"AUTHD_SMS_PRICES":            "fake:CN=0.05;tencent:CN=0.04,*=0.35",
			"AUTHD_SMS_PRICE_CURRENCY":    "CNY",
			"AUTHD_SMS_SPEND_LIMIT_DAILY": "0.10",
			"AUTHD_SMS_GUARD":             "off", // this test is about money, not pumping
		}})
		c := inst.Client(t)
		send := func(phone string) harness.Response {
			return c.Post("/v1/sms/codes", map[string]any{"phone": phone})
		}

		// A failed send holds nothing: the budget is intact afterwards.
		inst.SMS.Err = errDeliveryFailed
		wantProblem(t, send("+8613900000001"), 502, "sms_delivery_failed")
		inst.SMS.Err = nil

		for _, p := range []string{"+8613900000002", "+8613900000003"} {
			if r := send(p); r.Status != 202 {
				t.Fatalf("send to %s within the budget: %d %s", p, r.Status, r.Raw)
			}
		}
		sent := len(inst.SMS.Sent())
		r := send("+8613900000004")
		wantProblem(t, r, 503, "sms_budget_exhausted")
		if got, want := r.Header.Get("Retry-After"), "57600"; got != want { // 08:00 to midnight UTC
			t.Fatalf("Retry-After = %q, want %q", got, want)
		}
		if len(inst.SMS.Sent()) != sent {
			t.Fatal("a send past the cap reached the vendor")
		}
		wantVendorMetric(t, inst.AdminClient(t), `authd_sms_spend_total{currency="CNY"}`, 0.1)
		wantVendorMetric(t, inst.AdminClient(t), `authd_sms_spend_limit_ratio{period="daily"}`, 1)

		// The refused request took no cooldown: the next day it goes
		// through at once.
		clock.Advance(16 * time.Hour)
		if r := send("+8613900000004"); r.Status != 202 {
			t.Fatalf("send on a new day: %d %s", r.Status, r.Raw)
		}
	})
}

// TestSpendConfigErrors: a cap without prices, or a malformed table,
// stops the start instead of capping nothing.
func TestSpendConfigErrors(t *testing.T) {
	for _, env := range []map[string]string{
		{"AUTHD_SMS_SPEND_LIMIT_DAILY": "10"},
		{"AUTHD_SMS_PRICES": "tencent:CN"},
		{"AUTHD_SMS_PRICES": "tencent:CN=-1"},
		{"AUTHD_SMS_PRICES": "tencent:CN=0.04", "AUTHD_SMS_SPEND_LIMIT_MONTHLY": "lots"},
	} {
		inst, err := harness.StartE(t.TempDir(), harness.Options{Env: env})
		if err == nil {
			inst.Stop()
		}
		if err == nil || !strings.Contains(err.Error(), "AUTHD_SMS_") {
			t.Errorf("%v: start error = %v, want a config error naming the setting", env, err)
		}
	}
}
