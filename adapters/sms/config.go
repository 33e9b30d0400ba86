package sms

import (
	"fmt"
	"time"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/adapters/sms/httphook"
	"github.com/authd/authd/adapters/sms/smstext"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/adapters/sms/twilio"
	"github.com/authd/authd/domain"
)

// Provider names accepted in Config.Providers.
const (
	ProviderConsole = console.ProviderName
	ProviderTencent = tencent.ProviderName
	ProviderAliyun  = aliyun.ProviderName
	ProviderTwilio  = twilio.ProviderName
	ProviderHTTP    = httphook.ProviderName
)

// Defaults applied through WithDefaults.
const (
	DefaultBudget          = 5 * time.Second
	DefaultBreakerFailures = 5
	DefaultBreakerCooldown = 30 * time.Second
)

// Config selects and configures the SMS vendors.
type Config struct {
	// Providers is the ordered failover list (AUTHD_SMS_PROVIDERS, default
	// console), the one route for every region when Routes is empty.
	Providers []string
	// Routes is a failover list per destination region (AUTHD_SMS_ROUTES,
	// see ParseRoutes); empty means Providers for every region.
	Routes string
	// AllowedRegions is AUTHD_SMS_ALLOWED_REGIONS: routes must stay inside
	// it and cover it. Empty skips that check.
	AllowedRegions string
	// Budget bounds one Send across all vendors (AUTHD_SMS_BUDGET, default 5s).
	Budget time.Duration
	// BreakerFailures consecutive provider failures open a vendor's circuit
	// (AUTHD_SMS_BREAKER_FAILURES, default 5).
	BreakerFailures int
	// BreakerCooldown is how long an open circuit skips the vendor before
	// one probe goes through (AUTHD_SMS_BREAKER_COOLDOWN, default 30s).
	BreakerCooldown time.Duration

	Tencent tencent.Config  // AUTHD_SMS_TENCENT_*
	Aliyun  aliyun.Config   // AUTHD_SMS_ALIYUN_*
	Twilio  twilio.Config   // AUTHD_SMS_TWILIO_*
	HTTP    httphook.Config // AUTHD_SMS_HTTP_*
	Console console.Config
	// Text renders free-text messages (twilio, http, console).
	Text smstext.Config
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

// Validate checks the routes and the configuration of every vendor they
// name; vendors no route names are not checked.
func (c Config) Validate() error {
	c = c.WithDefaults()
	key := "AUTHD_SMS_PROVIDERS"
	if c.Routes != "" {
		key = "AUTHD_SMS_ROUTES"
	}
	routes, err := c.routes()
	if err != nil {
		return err
	}
	checked := map[string]bool{}
	for _, r := range routes {
		seen := map[string]bool{}
		for _, name := range r.Providers {
			if seen[name] {
				return &domain.ConfigError{Key: key, Msg: fmt.Sprintf("%q listed twice", name)}
			}
			seen[name] = true
			if checked[name] {
				continue
			}
			checked[name] = true
			// A vendor's own error names its missing variable.
			if err := c.validateProvider(name); err != nil {
				return err
			}
		}
	}
	if err := checkRegions(routes, c.AllowedRegions); err != nil {
		return err
	}
	if err := (smstext.Config{AndroidAppHash: c.Text.AndroidAppHash}).Validate(); err != nil {
		return &domain.ConfigError{Key: "AUTHD_SMS_ANDROID_APP_HASH", Msg: err.Error()}
	}
	if err := (smstext.Config{WebOTPDomain: c.Text.WebOTPDomain}).Validate(); err != nil {
		return &domain.ConfigError{Key: "AUTHD_SMS_WEBOTP_DOMAIN", Msg: err.Error()}
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

// validateProvider checks one named vendor's own settings.
func (c Config) validateProvider(name string) error {
	key := "AUTHD_SMS_PROVIDERS"
	if c.Routes != "" {
		key = "AUTHD_SMS_ROUTES"
	}
	switch name {
	case ProviderConsole:
		return c.Console.Validate()
	case ProviderTencent:
		return c.Tencent.Validate()
	case ProviderAliyun:
		return c.Aliyun.Validate()
	case ProviderTwilio:
		return c.Twilio.Validate()
	case ProviderHTTP:
		return c.HTTP.Validate()
	}
	return &domain.ConfigError{Key: key,
		Msg: fmt.Sprintf("unknown provider %q (want %s)", name, knownProviders)}
}

// knownProviders are the names routes may use.
const knownProviders = "console, tencent, aliyun, twilio or http"
