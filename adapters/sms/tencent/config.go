package tencent

import (
	"net/url"
	"strings"
	"time"

	"github.com/authd/authd/domain"
)

// Defaults applied by Validate's callers through WithDefaults.
const (
	DefaultRegion   = "ap-guangzhou"
	DefaultEndpoint = "sms.tencentcloudapi.com"
	DefaultTimeout  = 3 * time.Second
)

// Config configures the Tencent sender. Each field names its variable.
type Config struct {
	SecretID  string // AUTHD_SMS_TENCENT_SECRET_ID
	SecretKey string // AUTHD_SMS_TENCENT_SECRET_KEY
	SDKAppID  string // AUTHD_SMS_TENCENT_SDK_APP_ID
	SignName  string // AUTHD_SMS_TENCENT_SIGN_NAME
	Region    string // AUTHD_SMS_TENCENT_REGION, default ap-guangzhou
	// Endpoint is host[:port], or a URL whose http:// scheme points the SDK
	// at a local fake (AUTHD_SMS_TENCENT_ENDPOINT).
	Endpoint                string
	TemplateLogin           string        // AUTHD_SMS_TENCENT_TEMPLATE_LOGIN
	TemplateResetPassword   string        // AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD
	TemplateInitialPassword string        // AUTHD_SMS_TENCENT_TEMPLATE_INITIAL_PASSWORD, optional
	Timeout                 time.Duration // AUTHD_SMS_TENCENT_TIMEOUT, default 3s
}

// WithDefaults fills the optional fields left empty.
func (c Config) WithDefaults() Config {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.Endpoint == "" {
		c.Endpoint = DefaultEndpoint
	}
	if c.Timeout == 0 {
		c.Timeout = DefaultTimeout
	}
	return c
}

// Validate names the first missing or malformed variable.
func (c Config) Validate() error {
	c = c.WithDefaults()
	required := []struct{ key, val string }{
		{"AUTHD_SMS_TENCENT_SECRET_ID", c.SecretID},
		{"AUTHD_SMS_TENCENT_SECRET_KEY", c.SecretKey},
		{"AUTHD_SMS_TENCENT_SDK_APP_ID", c.SDKAppID},
		{"AUTHD_SMS_TENCENT_SIGN_NAME", c.SignName},
		{"AUTHD_SMS_TENCENT_TEMPLATE_LOGIN", c.TemplateLogin},
		{"AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD", c.TemplateResetPassword},
	}
	for _, r := range required {
		if strings.TrimSpace(r.val) == "" {
			return &domain.ConfigError{Key: r.key, Msg: "required when tencent is in AUTHD_SMS_PROVIDERS"}
		}
	}
	if c.Timeout < 0 {
		return &domain.ConfigError{Key: "AUTHD_SMS_TENCENT_TIMEOUT", Msg: "must be positive"}
	}
	if _, _, err := splitEndpoint(c.Endpoint); err != nil {
		return &domain.ConfigError{Key: "AUTHD_SMS_TENCENT_ENDPOINT", Msg: err.Error()}
	}
	return nil
}

type endpointError string

func (e endpointError) Error() string { return string(e) }

// splitEndpoint turns the configured endpoint into the SDK's scheme ("HTTP"
// or "HTTPS") and host[:port]: the SDK builds scheme://host/ itself.
func splitEndpoint(ep string) (scheme, host string, err error) {
	if !strings.Contains(ep, "://") {
		if ep == "" || strings.ContainsAny(ep, "/?# ") {
			return "", "", endpointError("want host[:port] or an http(s) URL")
		}
		return "HTTPS", ep, nil
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", "", endpointError("want host[:port] or an http(s) URL without a path")
	}
	switch u.Scheme {
	case "https":
		return "HTTPS", u.Host, nil
	case "http":
		return "HTTP", u.Host, nil
	}
	return "", "", endpointError("scheme must be http or https")
}
