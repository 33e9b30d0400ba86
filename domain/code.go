package domain

import (
	"crypto/rand"
	"math/big"
	"time"
)

// CodePolicy is how one-time codes are made and limited.
type CodePolicy struct {
	Length      int           // digits, 4..10
	TTL         time.Duration // lifetime of a code
	ResendAfter time.Duration // cooldown per phone and purpose
	MaxAttempts int           // wrong tries before the code is burned
	HourlyLimit int           // sends per phone per hour
	DailyLimit  int           // sends per phone per day
	// HourWindow and DayWindow are the lengths of the sliding windows the
	// two caps count in; zero means an hour and a day. Only tests set them,
	// to watch a window slide in seconds.
	HourWindow time.Duration
	DayWindow  time.Duration
}

// Windows returns the hourly and daily cap windows, defaults applied.
func (p CodePolicy) Windows() (hour, day time.Duration) {
	hour, day = p.HourWindow, p.DayWindow
	if hour <= 0 {
		hour = time.Hour
	}
	if day <= 0 {
		day = 24 * time.Hour
	}
	return hour, day
}

// DefaultCodePolicy mirrors the vendors' own per-number limits (Aliyun: 1 per
// minute, 5 per hour, 10 per day), so we never pay for a send they refuse.
func DefaultCodePolicy() CodePolicy {
	return CodePolicy{Length: 6, TTL: 5 * time.Minute, ResendAfter: 60 * time.Second,
		MaxAttempts: 5, HourlyLimit: 5, DailyLimit: 10}
}

// Validate checks the policy's bounds.
func (p CodePolicy) Validate() error {
	switch {
	case p.Length < 4 || p.Length > 10:
		return errorf("code length must be 4..10, got %d", p.Length)
	case p.TTL <= 0:
		return errorf("code ttl must be positive")
	case p.ResendAfter < 0:
		return errorf("resend cooldown must not be negative")
	case p.MaxAttempts < 1:
		return errorf("max attempts must be at least 1")
	case p.HourlyLimit < 1 || p.DailyLimit < 1:
		return errorf("hourly and daily limits must be at least 1")
	}
	return nil
}

// NewCode returns length uniformly random decimal digits from crypto/rand.
func NewCode(length int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(length)), nil)
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	s := n.String()
	for len(s) < length {
		s = "0" + s
	}
	return s, nil
}
