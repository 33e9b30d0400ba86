package domain

import (
	"errors"
	"fmt"
	"time"
)

// GuardMode is AUTHD_SMS_GUARD: what the adaptive pumping guard does with
// its verdicts.
type GuardMode string

// The guard's modes.
const (
	GuardEnforce GuardMode = "enforce" // refuse and challenge
	GuardObserve GuardMode = "observe" // record every verdict, refuse nothing
	GuardOff     GuardMode = "off"     // count nothing, decide nothing
)

// ParseGuardMode reads AUTHD_SMS_GUARD; empty is enforce.
func ParseGuardMode(s string) (GuardMode, error) {
	switch GuardMode(s) {
	case "", GuardEnforce:
		return GuardEnforce, nil
	case GuardObserve, GuardOff:
		return GuardMode(s), nil
	}
	return "", &ConfigError{Key: "AUTHD_SMS_GUARD", Msg: fmt.Sprintf("want enforce, observe or off, got %q", s)}
}

// GuardWindow counts one subject's codes over one sliding window. Sent
// counts every send; Unverified only sends older than the grace period
// whose code was never entered (a code a few seconds old has simply not
// been typed yet); Pending the younger ones not entered yet.
type GuardWindow struct {
	Sent       int
	Unverified int
	Pending    int
}

// GuardCounts are one subject's hourly and daily windows.
type GuardCounts struct {
	Hour, Day GuardWindow
}

// GuardStats is what the guard knows about a send before it is made: the
// counts of its destination country, its number prefix and its client IP,
// the country's learned normal volume, and how many countries the IP sent
// to today, this send's included.
type GuardStats struct {
	Country, Prefix, IP GuardCounts
	// CountryNormal is the rolling maximum of the country's daily verified
	// codes over the last two weeks: how much real traffic it has had.
	CountryNormal int
	IPCountries   int
}

// GuardAction is a verdict's outcome.
type GuardAction string

// The verdicts, mildest first.
const (
	GuardAllow     GuardAction = "allow"
	GuardChallenge GuardAction = "challenge" // send only after a captcha
	GuardBlock     GuardAction = "block"
)

// GuardVerdict is the guard's answer for one send: which rule decided
// (empty for allow) and, for a block, when to try again.
type GuardVerdict struct {
	Action     GuardAction
	Rule       string
	RetryAfter time.Duration
}

// GuardPolicy holds the thresholds. A subject is blocked when its
// unverified codes reach both a count threshold and a share of its sends:
// pumping never enters a code, real users mostly do, so the share is what
// tells them apart and the count keeps small samples from deciding.
type GuardPolicy struct {
	// Floors: unverified codes per hour and per day a subject may have
	// whatever its history (they keep a new install usable).
	CountryHour, CountryDay int
	PrefixHour, PrefixDay   int
	IPHour, IPDay           int
	// NormalShare raises the country thresholds with its learned normal
	// volume: a country with N verified codes on its best recent day may
	// have NormalShare*N unverified ones a day (and a quarter of that an
	// hour) before it is blocked.
	NormalShare float64
	// BlockRatio is the least unverified share of a subject's sends that
	// may block it.
	BlockRatio float64
	// ChallengeAt is the fraction of a block threshold at which a send is
	// challenged with a captcha instead.
	ChallengeAt float64
	// PrefixBurst is the most codes to one prefix per hour not entered
	// (pending or unverified): sends younger than the grace period are not
	// yet unverified, so a fast attack on one range is caught by its speed.
	PrefixBurst int
	// IPCountries is the most destination countries one IP may reach a day.
	IPCountries int
}

// DefaultGuardPolicy is documented, with the simulation behind it, in
// docs/abuse.md.
func DefaultGuardPolicy() GuardPolicy {
	return GuardPolicy{
		CountryHour: 30, CountryDay: 100,
		PrefixHour: 8, PrefixDay: 20,
		IPHour: 10, IPDay: 20,
		NormalShare: 0.5, BlockRatio: 0.6, ChallengeAt: 0.5,
		PrefixBurst: 40, IPCountries: 3,
	}
}

// Validate refuses thresholds that would block everything or nothing.
func (p GuardPolicy) Validate() error {
	for _, n := range []int{p.CountryHour, p.CountryDay, p.PrefixHour, p.PrefixDay, p.IPHour, p.IPDay, p.PrefixBurst, p.IPCountries} {
		if n < 1 {
			return errors.New("guard thresholds must be at least 1")
		}
	}
	if p.BlockRatio <= 0 || p.BlockRatio > 1 || p.ChallengeAt <= 0 || p.ChallengeAt > 1 || p.NormalShare < 0 {
		return errors.New("guard ratios must be in (0, 1]")
	}
	return nil
}

// How long a blocked client is told to wait, by the window that blocked:
// long enough for part of the window to slide out.
const (
	guardHourRetry = 15 * time.Minute
	guardDayRetry  = 2 * time.Hour
)

// guardRule is one threshold on one subject's window.
type guardRule struct {
	name      string
	w         GuardWindow
	threshold int
	retry     time.Duration
}

// Evaluate applies the rules to s: the strictest verdict wins, a block
// over a challenge. It is pure: the same stats always give the same answer.
func (p GuardPolicy) Evaluate(s GuardStats) GuardVerdict {
	learned := int(p.NormalShare * float64(s.CountryNormal))
	rules := []guardRule{
		{"prefix_hour", s.Prefix.Hour, p.PrefixHour, guardHourRetry},
		{"prefix_day", s.Prefix.Day, p.PrefixDay, guardDayRetry},
		{"ip_hour", s.IP.Hour, p.IPHour, guardHourRetry},
		{"ip_day", s.IP.Day, p.IPDay, guardDayRetry},
		{"country_hour", s.Country.Hour, max(p.CountryHour, learned/4), guardHourRetry},
		{"country_day", s.Country.Day, max(p.CountryDay, learned), guardDayRetry},
	}
	best := GuardVerdict{Action: GuardAllow}
	for _, r := range rules {
		if !p.poorRatio(r.w) {
			continue
		}
		switch {
		case r.w.Unverified >= r.threshold:
			return GuardVerdict{Action: GuardBlock, Rule: r.name, RetryAfter: r.retry}
		case best.Action == GuardAllow && float64(r.w.Unverified) >= p.ChallengeAt*float64(r.threshold):
			best = GuardVerdict{Action: GuardChallenge, Rule: r.name}
		}
	}
	if s.IPCountries > p.IPCountries {
		return GuardVerdict{Action: GuardBlock, Rule: "ip_countries", RetryAfter: guardDayRetry}
	}
	open := s.Prefix.Hour.Unverified + s.Prefix.Hour.Pending
	if open >= p.PrefixBurst {
		return GuardVerdict{Action: GuardBlock, Rule: "prefix_burst", RetryAfter: guardHourRetry}
	}
	if best.Action == GuardAllow && float64(open) >= p.ChallengeAt*float64(p.PrefixBurst) {
		best = GuardVerdict{Action: GuardChallenge, Rule: "prefix_burst"}
	}
	return best
}

// poorRatio reports whether at least BlockRatio of the window's sends
// (those old enough to judge) went unentered.
func (p GuardPolicy) poorRatio(w GuardWindow) bool {
	return w.Unverified > 0 && float64(w.Unverified) >= p.BlockRatio*float64(max(w.Sent, w.Unverified))
}

// GuardDecision is one verdict as recorded for operators: what was asked,
// what the guard said and in which mode.
type GuardDecision struct {
	At      time.Time
	Phone   string // E.164
	Country string
	Prefix  string
	IP      string
	Action  GuardAction
	Rule    string
	Mode    GuardMode
}

// ErrSMSBlocked is a send the abuse guard refused. Its message, and the
// client's, never names the rule: that would teach an attacker the limits.
var ErrSMSBlocked = errors.New("sending to this number is not possible right now")

// SMSBlockedError carries when to try again.
type SMSBlockedError struct{ RetryAfter time.Duration }

func (e *SMSBlockedError) Error() string { return ErrSMSBlocked.Error() }

// Is makes errors.Is(err, ErrSMSBlocked) true.
func (e *SMSBlockedError) Is(target error) bool { return target == ErrSMSBlocked }

// RetryAfterSeconds rounds the wait up to whole seconds, at least one.
func (e *SMSBlockedError) RetryAfterSeconds() int {
	return (&RateLimitedError{RetryAfter: e.RetryAfter}).RetryAfterSeconds()
}

// prefixHidden is how many trailing digits a number prefix drops: a range of
// 10,000 numbers, the block size carriers assign and pumping works through
// (Twilio's and others' prefix rules use the same width).
const prefixHidden = 4

// NumberPrefix is the E.164 number without its last four digits.
func NumberPrefix(e164 string) string {
	if len(e164) <= prefixHidden+2 {
		return e164
	}
	return e164[:len(e164)-prefixHidden]
}

// ErrCaptchaFailed is a captcha answer the provider did not accept.
var ErrCaptchaFailed = errors.New("captcha verification failed")

// CaptchaRequiredError asks the client to solve a captcha and send again;
// it names the provider and the widget's site key.
type CaptchaRequiredError struct {
	Provider string
	SiteKey  string
}

func (e *CaptchaRequiredError) Error() string { return "captcha required" }

// BudgetExhaustedError is a send refused because the operator's SMS spend
// cap for the period is reached; RetryAfter runs to the next period.
type BudgetExhaustedError struct {
	Period     string // "daily" or "monthly"
	RetryAfter time.Duration
}

func (e *BudgetExhaustedError) Error() string {
	return "the SMS budget for this period is used up"
}

// RetryAfterSeconds rounds the wait up to whole seconds, at least one.
func (e *BudgetExhaustedError) RetryAfterSeconds() int {
	return (&RateLimitedError{RetryAfter: e.RetryAfter}).RetryAfterSeconds()
}
