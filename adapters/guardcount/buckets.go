// Package guardcount is the bucket layout the abuse guard's counters share
// on every store (memory, Redis, Redis Cluster): one hash per subject whose
// fields are per-minute and per-hour send and verify counts, per-day verify
// counts (countries) and the countries an IP reached (IPs). Sliding
// windows are sums over buckets, so the memory and Redis stores agree.
package guardcount

import (
	"strconv"
	"strings"
	"time"

	"github.com/authd/authd/domain"
)

// How far back buckets are kept: an hour of minutes, a day of hours, and
// two weeks of days plus today for a country's learned volume.
const (
	Minutes     = 60
	Hours       = 24
	LearnedDays = 14
)

// TTLs of the subject hashes: a day (and a bit) for prefixes and IPs, the
// learned volume's two weeks for countries.
const (
	SubjectTTL = 25 * time.Hour
	CountryTTL = (LearnedDays + 1) * 24 * time.Hour
	SendTTL    = 25 * time.Hour // how long a send waits for its verify
)

// Clock positions of t.
func minute(t time.Time) int64 { return t.Unix() / 60 }
func hour(t time.Time) int64   { return t.Unix() / 3600 }
func day(t time.Time) int64    { return t.Unix() / 86400 }

// MinuteSent names the field counting the sends of t's minute.
func MinuteSent(t time.Time) string { return "m" + itoa(minute(t)) + ":s" }

// MinuteVerified names the field counting the verified sends of t's minute.
func MinuteVerified(t time.Time) string { return "m" + itoa(minute(t)) + ":v" }

// HourSent names the field counting the sends of t's hour.
func HourSent(t time.Time) string { return "h" + itoa(hour(t)) + ":s" }

// HourVerified names the field counting the verified sends of t's hour.
func HourVerified(t time.Time) string { return "h" + itoa(hour(t)) + ":v" }

// DayVerified names a country's field counting the codes verified on t's day.
func DayVerified(t time.Time) string { return "d" + itoa(day(t)) + ":v" }

// Country names an IP's field holding the hour it last sent to country cc.
func Country(cc string) string { return "c:" + cc }

// CountryStamp is the value a country field holds: the hour of the send.
func CountryStamp(t time.Time) int64 { return hour(t) }

// Bounds are the oldest minute, hour and day still kept at now; older
// buckets (and countries last seen before the oldest hour) are dropped.
type Bounds struct{ Minute, Hour, Day int64 }

// BoundsAt returns the bounds at now.
func BoundsAt(now time.Time) Bounds {
	return Bounds{Minute: minute(now) - Minutes + 1, Hour: hour(now) - Hours + 1, Day: day(now) - LearnedDays}
}

// Stale reports whether field (with its value) has slid out at b.
func (b Bounds) Stale(field string, value int64) bool {
	if strings.HasPrefix(field, "c:") {
		return value < b.Hour
	}
	n, ok := position(field)
	if !ok {
		return true
	}
	switch field[0] {
	case 'm':
		return n < b.Minute
	case 'h':
		return n < b.Hour
	case 'd':
		return n < b.Day
	}
	return true
}

// CreditVerified lists the fields a verify at now credits for a send made
// at sent: the send's own minute and hour buckets while they are kept.
func CreditVerified(sent, now time.Time) []string {
	b := BoundsAt(now)
	var fields []string
	if minute(sent) >= b.Minute {
		fields = append(fields, MinuteVerified(sent))
	}
	if hour(sent) >= b.Hour {
		fields = append(fields, HourVerified(sent))
	}
	return fields
}

// Summarize reads one subject's hash at now into its windows. Sends in a
// minute that began less than grace ago are pending, not unverified.
func Summarize(fields map[string]int64, grace time.Duration, now time.Time) domain.GuardCounts {
	b := BoundsAt(now)
	young := minute(now.Add(-grace))
	var c domain.GuardCounts
	for f, sent := range fields {
		n, ok := position(f)
		if !ok || !strings.HasSuffix(f, ":s") {
			continue
		}
		open := max(sent-fields[f[:len(f)-1]+"v"], 0)
		switch f[0] {
		case 'm':
			if n < b.Minute {
				continue
			}
			c.Hour.Sent += int(sent)
			if n >= young {
				c.Hour.Pending += int(open)
			} else {
				c.Hour.Unverified += int(open)
			}
		case 'h':
			if n < b.Hour {
				continue
			}
			c.Day.Sent += int(sent)
			c.Day.Unverified += int(open)
		}
	}
	c.Day.Pending = c.Hour.Pending
	c.Day.Unverified = max(c.Day.Unverified-c.Hour.Pending, 0)
	return c
}

// Learned is the most verified codes of one day over the kept days.
func Learned(fields map[string]int64, now time.Time) int {
	b := BoundsAt(now)
	best := int64(0)
	for f, v := range fields {
		if n, ok := position(f); ok && f[0] == 'd' && n >= b.Day {
			best = max(best, v)
		}
	}
	return int(best)
}

// Countries counts the countries an IP reached in the last day, plus cc
// when it is not among them.
func Countries(fields map[string]int64, cc string, now time.Time) int {
	b := BoundsAt(now)
	n := 0
	seen := false
	for f, v := range fields {
		if strings.HasPrefix(f, "c:") && v >= b.Hour {
			n++
			seen = seen || f == Country(cc)
		}
	}
	if !seen {
		n++
	}
	return n
}

// position reads the bucket number of "m123:s", "h45:v", "d6:v".
func position(f string) (int64, bool) {
	i := strings.IndexByte(f, ':')
	if len(f) < 3 || i < 2 || !strings.ContainsRune("mhd", rune(f[0])) {
		return 0, false
	}
	n, err := strconv.ParseInt(f[1:i], 10, 64)
	return n, err == nil
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Send is what a store remembers of one send until it is verified.
type Send struct {
	Subject [3]string // country, prefix, IP
	At      time.Time
}

// Encode renders s as one string value (Redis keeps it under the phone).
func (s Send) Encode() string {
	return strings.Join(append(s.Subject[:], itoa(s.At.UnixMilli())), "|")
}

// DecodeSend reads what Encode wrote.
func DecodeSend(v string) (Send, bool) {
	parts := strings.Split(v, "|")
	if len(parts) != 4 {
		return Send{}, false
	}
	ms, err := strconv.ParseInt(parts[3], 10, 64)
	if err != nil {
		return Send{}, false
	}
	return Send{Subject: [3]string{parts[0], parts[1], parts[2]}, At: time.UnixMilli(ms)}, true
}
