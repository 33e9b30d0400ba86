package memcode

import (
	"context"
	"sync"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.SpendCounter = (*Spend)(nil)

// Spend keeps the SMS spend counters in memory (one instance only).
// Periods are keyed by name and the map keeps only the ones in use, so it
// stays a handful of entries however long the process runs.
type Spend struct {
	mu      sync.Mutex
	periods map[string]domain.Money // "d"+day or "m"+month
}

// NewSpend returns empty counters.
func NewSpend() *Spend { return &Spend{periods: map[string]domain.Money{}} }

func spendKeys(t time.Time) (string, string) {
	return "d" + domain.SpendDay(t), "m" + domain.SpendMonth(t)
}

// Reserve implements ports.SpendCounter.
func (s *Spend) Reserve(_ context.Context, amount domain.Money, lim domain.SpendLimits, now time.Time) (domain.SpendTotals, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, m := spendKeys(now)
	tot := domain.SpendTotals{Day: s.periods[d], Month: s.periods[m]}
	if lim.Daily >= 0 && tot.Day+amount > lim.Daily {
		return tot, domain.BudgetExhausted(domain.SpendDaily, now)
	}
	if lim.Monthly >= 0 && tot.Month+amount > lim.Monthly {
		return tot, domain.BudgetExhausted(domain.SpendMonthly, now)
	}
	s.add(now, amount)
	return domain.SpendTotals{Day: s.periods[d], Month: s.periods[m]}, nil
}

// Add implements ports.SpendCounter.
func (s *Spend) Add(_ context.Context, delta domain.Money, at time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add(at, delta)
	return nil
}

// Totals implements ports.SpendCounter.
func (s *Spend) Totals(_ context.Context, now time.Time) (domain.SpendTotals, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, m := spendKeys(now)
	return domain.SpendTotals{Day: s.periods[d], Month: s.periods[m]}, nil
}

// add counts delta in at's periods and forgets periods long past, as the
// Redis keys expire. The caller holds mu.
func (s *Spend) add(at time.Time, delta domain.Money) {
	d, m := spendKeys(at)
	s.periods[d] += delta
	s.periods[m] += delta
	if len(s.periods) > 8 {
		keep := map[string]bool{}
		for _, t := range []time.Time{at, at.AddDate(0, 0, -1), at.AddDate(0, -1, 0)} {
			kd, km := spendKeys(t)
			keep[kd], keep[km] = true, true
		}
		for k := range s.periods {
			if !keep[k] {
				delete(s.periods, k)
			}
		}
	}
}
