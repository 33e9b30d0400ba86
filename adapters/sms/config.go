package sms

import (
	"fmt"
	"time"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/domain"
)

// Provider names accepted in Config.Providers.
const (
	ProviderConsole = console.ProviderName
	ProviderTencent = tencent.ProviderName
	ProviderAliyun  = aliyun.ProviderName
)

// Defaults applied through WithDefaults.
const (
	DefaultBudget          = 5 * time.Second
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 30 * time.Second
)

// Config selects and configures the SMS vendors.
type Config struct {
	// Providers is the ordered failover list (AUTHD_SMS_PROVIDERS, default console).
	Providers []string
	// Budget bounds one Send across all vendors (AUTHD_SMS_BUDGET, default 5s).
	Budget time.Duration
	// BreakerFailures consecutive provider failures open a vendor's circuit
	// (AUTHD_SMS_BREAKER_FAILURES, default 5).
	BreakerFailures int
	// BreakerCooldown is how long an open circuit skips the vendor before
	// one probe goes through (AUTHD_SMS_BREAKER_COOLDOWN, default 30s).
	BreakerCooldown time.Duration

	Tencent tencent.Config // AUTHD_SMS_TENCENT_*
	Aliyun  aliyun.Config  // AUTHD_SMS_ALIYUN_*
	Console console.Config
	// Prices turns each attempt's billing units into its cost in the send
	// log (AUTHD_SMS_PRICES); empty prices nothing.
	Prices domain.SMSPrices
}

// WithDefaults fills the optional fields left empty.
func (c Config) WithDefaults() Config {
	if len(c.Providers) == 0 {
		c.Providers = []string{ProviderConsole}
	}
	if c.Budget == 0 {
		c.Budget = DefaultBudget
	}
	if c.BreakerFailures == 0 {
		c.BreakerFailures = DefaultBreakerFailures
	}
	if c.BreakerCooldown == 0 {
		c.BreakerCooldown = DefaultBreakerCooldown
	}
	return c
}

// Validate checks the provider list and the configuration of every vendor
// in it; vendors not listed are not checked.
func (c Config) Validate() error {
	c = c.WithDefaults()
	seen := map[string]bool{}
	for _, name := range c.Providers {
		if seen[name] {
			return &domain.ConfigError{Key: "AUTHD_SMS_PROVIDERS", Msg: fmt.Sprintf("%q listed twice", name)}
		}
		seen[name] = true
		var err error
		switch name {
		case ProviderConsole:
			err = c.Console.Validate()
		case ProviderTencent:
			err = c.Tencent.Validate()
		case ProviderAliyun:
			err = c.Aliyun.Validate()
		default:
			return &domain.ConfigError{Key: "AUTHD_SMS_PROVIDERS",
				Msg: fmt.Sprintf("unknown provider %q (want console, tencent or aliyun)", name)}
		}
		if err != nil {
			return err
		}
	}
	switch {
	case c.Budget < 0:
		return &domain.ConfigError{Key: "AUTHD_SMS_BUDGET", Msg: "must be positive"}
	case c.BreakerFailures < 0:
		return &domain.ConfigError{Key: "AUTHD_SMS_BREAKER_FAILURES", Msg: "must be positive"}
	case c.BreakerCooldown < 0:
		return &domain.ConfigError{Key: "AUTHD_SMS_BREAKER_COOLDOWN", Msg: "must be positive"}
	}
	return nil
}
