package webhooks

import (
	"encoding/base64"
	"net/url"
	"strings"
	"time"

	"github.com/authd/authd/domain"
)

// Config tunes the dispatcher. Zero durations take the defaults.
type Config struct {
	URLs         []string      // AUTHD_WEBHOOK_URLS
	Secret       string        // AUTHD_WEBHOOK_SECRET: whsec_ + base64
	Timeout      time.Duration // per request; 10s
	RetryFor     time.Duration // retry window from the event; 24h
	RetryBase    time.Duration // first backoff, doubled per attempt up to RetryMax; 5s
	RetryMax     time.Duration // longest backoff; 1h
	PollInterval time.Duration // wait when nothing is due; 1s
	Batch        int           // events leased per claim; 32
}

// withDefaults fills the zero values.
func (c Config) withDefaults() Config {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Timeout, 10*time.Second)
	def(&c.RetryFor, 24*time.Hour)
	def(&c.RetryBase, 5*time.Second)
	def(&c.RetryMax, time.Hour)
	def(&c.PollInterval, time.Second)
	if c.Batch <= 0 {
		c.Batch = 32
	}
	return c
}

// Enabled reports whether any receiver is configured.
func (c Config) Enabled() bool { return len(c.URLs) > 0 }

// Validate checks the receivers and the secret.
func (c Config) Validate() error {
	for _, raw := range c.URLs {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &domain.ConfigError{Key: "AUTHD_WEBHOOK_URLS", Msg: "want absolute http(s) URLs, got " + raw}
		}
	}
	if !c.Enabled() {
		return nil
	}
	key, err := secretKey(c.Secret)
	if err != nil || len(key) < 24 {
		return &domain.ConfigError{Key: "AUTHD_WEBHOOK_SECRET", Msg: "required with AUTHD_WEBHOOK_URLS: whsec_ followed by base64 of at least 24 bytes"}
	}
	return nil
}

// secretKey decodes a Standard Webhooks secret.
func secretKey(secret string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
}
