package smsvendor

import (
	"errors"
	"net/url"
	"strings"
	"time"

	"github.com/authd/authd/domain"
)

// Field is one required configuration variable and its value.
type Field struct{ Key, Value string }

// Required names the first field left blank; provider is the name that put
// the vendor in AUTHD_SMS_PROVIDERS.
func Required(provider string, fields ...Field) error {
	for _, f := range fields {
		if strings.TrimSpace(f.Value) == "" {
			return &domain.ConfigError{Key: f.Key, Msg: "required when " + provider + " is in AUTHD_SMS_PROVIDERS or AUTHD_SMS_ROUTES"}
		}
	}
	return nil
}

// CheckTimeout refuses a negative timeout under key; zero means the default.
func CheckTimeout(key string, d time.Duration) error {
	if d < 0 {
		return &domain.ConfigError{Key: key, Msg: "must be positive"}
	}
	return nil
}

// CheckEndpoint refuses an endpoint ParseEndpoint cannot read, under key.
func CheckEndpoint(key, endpoint string) error {
	if _, err := ParseEndpoint(endpoint); err != nil {
		return &domain.ConfigError{Key: key, Msg: err.Error()}
	}
	return nil
}

// First returns the first error that is not nil, so a Validate can list
// its checks in the order it reports them.
func First(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Endpoint is where a sender sends its requests.
type Endpoint struct {
	Scheme string // "https" or "http", lower case
	Host   string // host[:port]
}

// ParseEndpoint reads a configured endpoint: a bare host[:port] is reached
// over https (the SDKs' own defaults differ), and an http(s) URL without a
// path names the scheme too, so an http:// one points the SDK at a local
// fake.
func ParseEndpoint(ep string) (Endpoint, error) {
	if !strings.Contains(ep, "://") {
		if ep == "" || strings.ContainsAny(ep, "/?# ") {
			return Endpoint{}, errors.New("want host[:port] or an http(s) URL")
		}
		return Endpoint{Scheme: "https", Host: ep}, nil
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return Endpoint{}, errors.New("want host[:port] or an http(s) URL without a path")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return Endpoint{}, errors.New("scheme must be http or https")
	}
	return Endpoint{Scheme: u.Scheme, Host: u.Host}, nil
}
