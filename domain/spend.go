package domain

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Money is an amount in millionths of the price table's currency: the
// spend counters add and compare integers atomically (Redis INCRBY), and a
// float would drift over millions of sends.
type Money int64

// MoneyUnit is one whole unit of the currency.
const MoneyUnit Money = 1_000_000

// ParseMoney reads a decimal amount such as "0.045".
func ParseMoney(s string) (Money, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) || f > 1e12 {
		return 0, fmt.Errorf("want a non-negative amount such as 0.045, got %q", s)
	}
	return Money(math.Round(f * float64(MoneyUnit))), nil
}

// Float is the amount in whole units, for logs, metrics and the send log.
func (m Money) Float() float64 { return float64(m) / float64(MoneyUnit) }

// SMSPrices is the operator's price table: per provider, the price of one
// billing unit (one SMS segment) per destination region, "*" for the rest.
type SMSPrices struct {
	Currency string
	byVendor map[string]map[string]Money
}

// ParseSMSPrices reads "tencent:CN=0.045,*=0.35;aliyun:CN=0.045". An empty
// table prices nothing (spend is then neither recorded nor capped).
func ParseSMSPrices(s, currency string) (SMSPrices, error) {
	p := SMSPrices{Currency: currency, byVendor: map[string]map[string]Money{}}
	for _, vendor := range strings.Split(s, ";") {
		vendor = strings.TrimSpace(vendor)
		if vendor == "" {
			continue
		}
		name, list, ok := strings.Cut(vendor, ":")
		name = strings.ToLower(strings.TrimSpace(name))
		if !ok || name == "" {
			return p, fmt.Errorf("want provider:REGION=price,..., got %q", vendor)
		}
		prices := map[string]Money{}
		for _, e := range strings.Split(list, ",") {
			region, price, ok := strings.Cut(strings.TrimSpace(e), "=")
			region = strings.ToUpper(strings.TrimSpace(region))
			if !ok || (region != "*" && len(region) != 2) {
				return p, fmt.Errorf("%s: want REGION=price (REGION an ISO code or *), got %q", name, e)
			}
			m, err := ParseMoney(price)
			if err != nil {
				return p, fmt.Errorf("%s %s: %w", name, region, err)
			}
			prices[region] = m
		}
		p.byVendor[name] = prices
	}
	return p, nil
}

// Empty reports whether the table prices nothing.
func (p SMSPrices) Empty() bool { return len(p.byVendor) == 0 }

// Price is one billing unit at provider to region; ok is false when the
// table has no price for it.
func (p SMSPrices) Price(provider, region string) (Money, bool) {
	prices, ok := p.byVendor[provider]
	if !ok {
		return 0, false
	}
	if m, ok := prices[region]; ok {
		return m, true
	}
	m, ok := prices["*"]
	return m, ok
}

// Expected is what one message to region may cost: the dearest provider's
// price, since failover may reach any of them. A reservation that is too
// high is corrected once the send says what it cost.
func (p SMSPrices) Expected(region string) Money {
	var most Money
	for _, v := range p.Providers() {
		if m, ok := p.Price(v, region); ok && m > most {
			most = m
		}
	}
	return most
}

// Providers lists the priced providers, sorted.
func (p SMSPrices) Providers() []string {
	out := make([]string, 0, len(p.byVendor))
	for v := range p.byVendor {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// NoSpendLimit is a cap that is not set.
const NoSpendLimit Money = -1

// SpendLimits are the daily and monthly caps (NoSpendLimit: none).
type SpendLimits struct {
	Daily   Money
	Monthly Money
}

// Spend periods, as BudgetExhaustedError.Period and metric labels.
const (
	SpendDaily   = "daily"
	SpendMonthly = "monthly"
)

// SpendTotals are what the periods of a moment have spent so far.
type SpendTotals struct {
	Day   Money
	Month Money
}

// SpendDay names the UTC day that contains t; counters are kept under it.
func SpendDay(t time.Time) string { return t.UTC().Format("20060102") }

// SpendMonth names the UTC month that contains t.
func SpendMonth(t time.Time) string { return t.UTC().Format("200601") }

// NextSpendPeriod is when the period containing t ends (UTC midnight, or
// the first of next month): the Retry-After of a refused send.
func NextSpendPeriod(period string, t time.Time) time.Time {
	t = t.UTC()
	if period == SpendMonthly {
		return time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
	}
	return time.Date(t.Year(), t.Month(), t.Day()+1, 0, 0, 0, 0, time.UTC)
}

// BudgetExhausted is the refusal for period at now.
func BudgetExhausted(period string, now time.Time) *BudgetExhaustedError {
	return &BudgetExhaustedError{Period: period, RetryAfter: NextSpendPeriod(period, now).Sub(now)}
}
