package portstest

import (
	"errors"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// TestSpendCounter is the contract every ports.SpendCounter must pass.
// Subtests run in parallel, each on a day of its own (the counters follow
// the caller's clock, and a store has one set of counters).
func TestSpendCounter(t *testing.T, newCounter func(t *testing.T) ports.SpendCounter) {
	tests := []struct {
		name string
		run  func(t *testing.T, s ports.SpendCounter, day time.Time)
	}{
		{"ReserveCounts", spendReserveCounts},
		{"DailyCap", spendDailyCap},
		{"MonthlyCap", spendMonthlyCap},
		{"ReleaseGivesBack", spendRelease},
		{"NoLimits", spendNoLimits},
		{"ZeroCapRefusesAll", spendZeroCap},
		{"PeriodsRoll", spendPeriodsRoll},
		{"ConcurrentReservesNeverPassTheCap", spendConcurrent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.run(t, newCounter(t), spendDayOfOwn())
		})
	}
}

// spendDayOfOwn is noon of a random day in a random far-future month, so
// parallel subtests (and earlier runs on a shared Redis) never meet.
func spendDayOfOwn() time.Time {
	return time.Date(2100+rand.IntN(5000), time.Month(1+rand.IntN(12)), 1+rand.IntN(27), 12, 0, 0, 0, time.UTC)
}

var noLimits = domain.SpendLimits{Daily: domain.NoSpendLimit, Monthly: domain.NoSpendLimit}

func reserve(t *testing.T, s ports.SpendCounter, amount domain.Money, lim domain.SpendLimits, now time.Time) (domain.SpendTotals, error) {
	t.Helper()
	tot, err := s.Reserve(t.Context(), amount, lim, now)
	var be *domain.BudgetExhaustedError
	if err != nil && !errors.As(err, &be) {
		t.Fatalf("Reserve: %v", err)
	}
	return tot, err
}

func totals(t *testing.T, s ports.SpendCounter, now time.Time) domain.SpendTotals {
	t.Helper()
	tot, err := s.Totals(t.Context(), now)
	if err != nil {
		t.Fatalf("Totals: %v", err)
	}
	return tot
}

func spendReserveCounts(t *testing.T, s ports.SpendCounter, now time.Time) {
	if got := totals(t, s, now); got != (domain.SpendTotals{}) {
		t.Fatalf("fresh totals = %+v, want zero", got)
	}
	for i := 1; i <= 3; i++ {
		tot, err := reserve(t, s, 45_000, noLimits, now)
		if err != nil {
			t.Fatalf("reserve %d: %v", i, err)
		}
		want := domain.Money(i * 45_000)
		if tot.Day != want || tot.Month != want {
			t.Fatalf("after %d reservations totals = %+v, want %d each", i, tot, want)
		}
	}
}

func spendDailyCap(t *testing.T, s ports.SpendCounter, now time.Time) {
	lim := domain.SpendLimits{Daily: 100, Monthly: domain.NoSpendLimit}
	if _, err := reserve(t, s, 60, lim, now); err != nil {
		t.Fatalf("first: %v", err)
	}
	if _, err := reserve(t, s, 40, lim, now); err != nil {
		t.Fatalf("up to the cap exactly: %v", err)
	}
	tot, err := reserve(t, s, 1, lim, now)
	var be *domain.BudgetExhaustedError
	if !errors.As(err, &be) || be.Period != domain.SpendDaily {
		t.Fatalf("past the cap: err = %v, want daily BudgetExhaustedError", err)
	}
	if want := 12 * time.Hour; be.RetryAfter != want {
		t.Fatalf("RetryAfter = %v, want %v (to UTC midnight)", be.RetryAfter, want)
	}
	if tot.Day != 100 || totals(t, s, now).Day != 100 {
		t.Fatalf("a refused reservation must add nothing: %+v", tot)
	}
}

func spendMonthlyCap(t *testing.T, s ports.SpendCounter, now time.Time) {
	lim := domain.SpendLimits{Daily: 100, Monthly: 150}
	if _, err := reserve(t, s, 100, lim, now); err != nil {
		t.Fatalf("day one: %v", err)
	}
	// Another day of the same month: the daily cap is fresh, the monthly
	// one is not.
	other := now.AddDate(0, 0, 1)
	if other.Month() != now.Month() {
		other = now.AddDate(0, 0, -1)
	}
	if _, err := reserve(t, s, 50, lim, other); err != nil {
		t.Fatalf("day two up to the monthly cap: %v", err)
	}
	_, err := reserve(t, s, 1, lim, other)
	var be *domain.BudgetExhaustedError
	if !errors.As(err, &be) || be.Period != domain.SpendMonthly {
		t.Fatalf("err = %v, want monthly BudgetExhaustedError", err)
	}
	if want := domain.NextSpendPeriod(domain.SpendMonthly, other).Sub(other); be.RetryAfter != want {
		t.Fatalf("RetryAfter = %v, want %v", be.RetryAfter, want)
	}
}

func spendRelease(t *testing.T, s ports.SpendCounter, now time.Time) {
	lim := domain.SpendLimits{Daily: 100, Monthly: domain.NoSpendLimit}
	if _, err := reserve(t, s, 100, lim, now); err != nil {
		t.Fatal(err)
	}
	// The release comes later (a slow vendor) but goes to the
	// reservation's periods.
	if err := s.Add(t.Context(), -100, now); err != nil {
		t.Fatalf("Add: %v", err)
	}
	if got := totals(t, s, now.Add(time.Minute)); got.Day != 0 || got.Month != 0 {
		t.Fatalf("after release totals = %+v, want zero", got)
	}
	if _, err := reserve(t, s, 100, lim, now.Add(time.Minute)); err != nil {
		t.Fatalf("after release the budget is back: %v", err)
	}
}

func spendNoLimits(t *testing.T, s ports.SpendCounter, now time.Time) {
	big := 1_000_000 * domain.MoneyUnit
	for range 3 {
		if _, err := reserve(t, s, big, noLimits, now); err != nil {
			t.Fatalf("no cap must never refuse: %v", err)
		}
	}
	if got := totals(t, s, now).Month; got != 3*big {
		t.Fatalf("month = %d, want %d", got, 3*big)
	}
}

func spendZeroCap(t *testing.T, s ports.SpendCounter, now time.Time) {
	_, err := reserve(t, s, 1, domain.SpendLimits{Daily: domain.NoSpendLimit, Monthly: 0}, now)
	var be *domain.BudgetExhaustedError
	if !errors.As(err, &be) {
		t.Fatalf("a zero cap refuses every paid send, got %v", err)
	}
}

func spendPeriodsRoll(t *testing.T, s ports.SpendCounter, now time.Time) {
	lim := domain.SpendLimits{Daily: 10, Monthly: domain.NoSpendLimit}
	if _, err := reserve(t, s, 10, lim, now); err != nil {
		t.Fatal(err)
	}
	next := domain.NextSpendPeriod(domain.SpendDaily, now)
	if _, err := reserve(t, s, 10, lim, next); err != nil {
		t.Fatalf("a new day has a new budget: %v", err)
	}
	if got := totals(t, s, next).Day; got != 10 {
		t.Fatalf("new day total = %d, want 10", got)
	}
}

func spendConcurrent(t *testing.T, s ports.SpendCounter, now time.Time) {
	const workers, each, cap = 8, 20, 1000
	lim := domain.SpendLimits{Daily: cap, Monthly: domain.NoSpendLimit}
	var (
		wg sync.WaitGroup
		mu sync.Mutex
		ok int
	)
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range each {
				if _, err := s.Reserve(t.Context(), 7, lim, now); err == nil {
					mu.Lock()
					ok++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	if want := cap / 7; ok != want {
		t.Fatalf("%d reservations of 7 under a cap of %d went through, want %d", ok, cap, want)
	}
	if got := totals(t, s, now).Day; got != domain.Money(ok*7) {
		t.Fatalf("day total %d, want %d", got, ok*7)
	}
}
