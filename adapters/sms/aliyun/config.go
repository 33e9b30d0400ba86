package aliyun

import (
	"net/url"
	"strings"
	"time"

	"github.com/authd/authd/domain"
)

// Defaults applied through WithDefaults.
const (
	DefaultRegion   = "cn-hangzhou"
	DefaultEndpoint = "dysmsapi.aliyuncs.com"
	DefaultTimeout  = 3 * time.Second
)

// Config configures the Aliyun sender. Each field names its variable.
type Config struct {
	AccessKeyID     string // AUTHD_SMS_ALIYUN_ACCESS_KEY_ID
	AccessKeySecret string // AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET
	SignName        string // AUTHD_SMS_ALIYUN_SIGN_NAME
	Region          string // AUTHD_SMS_ALIYUN_REGION, default cn-hangzhou
	// Endpoint is a host[:port] reached over https, or a URL whose http://
	// scheme points the SDK at a local fake (AUTHD_SMS_ALIYUN_ENDPOINT).
	Endpoint                string
	TemplateLogin           string        // AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN
	TemplateResetPassword   string        // AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD
	TemplateInitialPassword string        // AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD, optional
	Timeout                 time.Duration // AUTHD_SMS_ALIYUN_TIMEOUT, default 3s
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
		{"AUTHD_SMS_ALIYUN_ACCESS_KEY_ID", c.AccessKeyID},
		{"AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET", c.AccessKeySecret},
		{"AUTHD_SMS_ALIYUN_SIGN_NAME", c.SignName},
		{"AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN", c.TemplateLogin},
		{"AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD", c.TemplateResetPassword},
	}
	for _, r := range required {
		if strings.TrimSpace(r.val) == "" {
			return &domain.ConfigError{Key: r.key, Msg: "required when aliyun is in AUTHD_SMS_PROVIDERS"}
		}
	}
	if c.Timeout < 0 {
		return &domain.ConfigError{Key: "AUTHD_SMS_ALIYUN_TIMEOUT", Msg: "must be positive"}
	}
	for _, r := range c.Region {
		// The SDK refuses other characters at call time; say so at start.
		if !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return &domain.ConfigError{Key: "AUTHD_SMS_ALIYUN_REGION", Msg: "letters, digits, - and _ only"}
		}
	}
	if _, _, err := splitEndpoint(c.Endpoint); err != nil {
		return &domain.ConfigError{Key: "AUTHD_SMS_ALIYUN_ENDPOINT", Msg: err.Error()}
	}
	return nil
}

type endpointError string

func (e endpointError) Error() string { return string(e) }

// splitEndpoint returns the request scheme and host[:port]. A bare host
// means https: the SDK's own default is plain http.
func splitEndpoint(ep string) (scheme, host string, err error) {
	if !strings.Contains(ep, "://") {
		if ep == "" || strings.ContainsAny(ep, "/?# ") {
			return "", "", endpointError("want host[:port] or an http(s) URL")
		}
		return "https", ep, nil
	}
	u, err := url.Parse(ep)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", "", endpointError("want host[:port] or an http(s) URL without a path")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", "", endpointError("scheme must be http or https")
	}
	return u.Scheme, u.Host, nil
}
