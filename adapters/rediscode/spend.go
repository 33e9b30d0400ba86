package rediscode

import (
	"context"
	"time"

	"github.com/redis/rueidis"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

var _ ports.SpendCounter = (*Spend)(nil)

// Spend keeps the SMS spend counters in Redis: one integer per UTC day and
// per month, both under the hash tag {spend} so that one script reserves
// against both caps atomically, on one Cluster slot.
type Spend struct {
	client rueidis.Client
	prefix string
}

// NewSpend shares s's connections.
func NewSpend(s *Store) *Spend { return &Spend{client: s.client, prefix: s.prefix} }

// Keys live past their period (a release may come a little after the
// period ends, and operators may want yesterday's total).
const (
	spendDayTTL   = 3 * 24 * time.Hour
	spendMonthTTL = 62 * 24 * time.Hour
)

func (s *Spend) keys(t time.Time) []string {
	return []string{s.prefix + ":{spend}:d:" + domain.SpendDay(t), s.prefix + ":{spend}:m:" + domain.SpendMonth(t)}
}

// Reserve implements ports.SpendCounter.
func (s *Spend) Reserve(ctx context.Context, amount domain.Money, lim domain.SpendLimits, now time.Time) (domain.SpendTotals, error) {
	r, err := spendReserveScript.Exec(ctx, s.client, s.keys(now), []string{itoa(int64(amount)),
		itoa(int64(lim.Daily)), itoa(int64(lim.Monthly)), ms(spendDayTTL), ms(spendMonthTTL)}).AsIntSlice()
	if err != nil || len(r) != 3 {
		return domain.SpendTotals{}, domain.Unavailable("redis", err)
	}
	tot := domain.SpendTotals{Day: domain.Money(r[1]), Month: domain.Money(r[2])}
	switch r[0] {
	case 1:
		return tot, domain.BudgetExhausted(domain.SpendDaily, now)
	case 2:
		return tot, domain.BudgetExhausted(domain.SpendMonthly, now)
	}
	return tot, nil
}

// Add implements ports.SpendCounter.
func (s *Spend) Add(ctx context.Context, delta domain.Money, at time.Time) error {
	err := spendAddScript.Exec(ctx, s.client, s.keys(at), []string{itoa(int64(delta)), ms(spendDayTTL), ms(spendMonthTTL)}).Error()
	if err != nil {
		return domain.Unavailable("redis", err)
	}
	return nil
}

// Totals implements ports.SpendCounter; a script, not MGET, for the reason
// Guard.Stats gives (rueidis would retry a read while Redis is down).
func (s *Spend) Totals(ctx context.Context, now time.Time) (domain.SpendTotals, error) {
	r, err := spendReadScript.Exec(ctx, s.client, s.keys(now), nil).AsIntSlice()
	if err != nil || len(r) != 2 {
		return domain.SpendTotals{}, domain.Unavailable("redis", err)
	}
	return domain.SpendTotals{Day: domain.Money(r[0]), Month: domain.Money(r[1])}, nil
}

// spendReserveScript: KEYS day, month; ARGV amount, daily limit, monthly
// limit (negative: none), day ttl ms, month ttl ms. Replies {refused (0
// none, 1 daily, 2 monthly), day total, month total}.
var spendReserveScript = rueidis.NewLuaScript(`
local d = tonumber(redis.call('GET', KEYS[1]) or '0')
local m = tonumber(redis.call('GET', KEYS[2]) or '0')
local a, dl, ml = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if dl >= 0 and d + a > dl then return {1, d, m} end
if ml >= 0 and m + a > ml then return {2, d, m} end
d = redis.call('INCRBY', KEYS[1], a)
m = redis.call('INCRBY', KEYS[2], a)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return {0, d, m}
`)

// spendAddScript: KEYS day, month; ARGV delta, day ttl ms, month ttl ms.
var spendAddScript = rueidis.NewLuaScript(`
redis.call('INCRBY', KEYS[1], ARGV[1])
redis.call('INCRBY', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 0
`)

// spendReadScript: KEYS day, month. Replies both totals.
var spendReadScript = rueidis.NewLuaScript(`
return {tonumber(redis.call('GET', KEYS[1]) or '0'), tonumber(redis.call('GET', KEYS[2]) or '0')}
`)
