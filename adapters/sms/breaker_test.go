package sms_test

import (
	"context"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/sms"
)

func TestBreakerOpensAndClosesAfterAProbe(t *testing.T) {
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	primary := &scripted{name: "primary", err: providerFailed("primary")}
	backup := &scripted{name: "backup"}
	reg := prometheus.NewRegistry()
	f, err := sms.NewFailover([]sms.Named{{Name: "primary", Sender: primary}, {Name: "backup", Sender: backup}},
		sms.Options{BreakerFailures: 3, BreakerCooldown: 30 * time.Second, Now: clock.now, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	send := func() string {
		t.Helper()
		res, err := f.Send(context.Background(), testMessage())
		if err != nil {
			t.Fatalf("Send: %v", err)
		}
		return res.Provider
	}
	state := func() float64 {
		return metricValue(t, reg, "authd_sms_breaker_state", map[string]string{"provider": "primary"})
	}

	for range 3 {
		send()
	}
	if primary.calls() != 3 || state() != 1 {
		t.Fatalf("after 3 failures: primary calls %d, state %v; want 3 calls and open", primary.calls(), state())
	}
	if got := send(); got != "backup" || primary.calls() != 3 {
		t.Errorf("open circuit: went to %s, primary calls %d; want primary skipped", got, primary.calls())
	}

	clock.advance(31 * time.Second)
	if send(); primary.calls() != 4 || state() != 1 {
		t.Errorf("failed probe: primary calls %d, state %v; want 4 and open again", primary.calls(), state())
	}
	if send(); primary.calls() != 4 {
		t.Errorf("reopened circuit let a call through")
	}

	clock.advance(31 * time.Second)
	primary.set(nil)
	if got := send(); got != "primary" || state() != 0 {
		t.Errorf("successful probe: went to %s, state %v; want primary and closed", got, state())
	}
	if got := send(); got != "primary" {
		t.Errorf("closed circuit: went to %s", got)
	}
	if v := metricValue(t, reg, "authd_sms_failovers_total", map[string]string{"from": "primary"}); v != 4 {
		t.Errorf("failovers from primary = %v, want 4", v)
	}
}

func TestEveryCircuitOpenFailsFast(t *testing.T) {
	clock := &fakeClock{t: time.Now()}
	only := &scripted{name: "only", err: providerFailed("only")}
	f, err := sms.NewFailover([]sms.Named{{Name: "only", Sender: only}},
		sms.Options{BreakerFailures: 1, Now: clock.now})
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Send(context.Background(), testMessage())
	_, err = f.Send(context.Background(), testMessage())
	if err == nil || only.calls() != 1 {
		t.Errorf("err = %v, calls = %d; want a fast failure without a call", err, only.calls())
	}
}

func TestCallerCancelDoesNotTripTheBreaker(t *testing.T) {
	slow := &scripted{name: "slow", hang: time.Minute}
	f, err := sms.NewFailover([]sms.Named{{Name: "slow", Sender: slow}}, sms.Options{BreakerFailures: 1})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		_, _ = f.Send(ctx, testMessage())
		cancel()
	}
	if slow.calls() != 2 {
		t.Errorf("calls = %d, want 2: a caller leaving says nothing about the vendor", slow.calls())
	}
}
