package tencent

import (
	"cmp"
	"time"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
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
	TemplateLogin           string // AUTHD_SMS_TENCENT_TEMPLATE_LOGIN
	TemplateResetPassword   string // AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD
	TemplateInitialPassword string // AUTHD_SMS_TENCENT_TEMPLATE_INITIAL_PASSWORD, optional
	// International/HK-MO-TW scope: only international templates may be
	// sent outside the mainland; the signature is optional there.
	IntlSignName              string        // AUTHD_SMS_TENCENT_INTL_SIGN_NAME; empty: none sent
	IntlTemplateLogin         string        // AUTHD_SMS_TENCENT_INTL_TEMPLATE_LOGIN; empty: no international login codes
	IntlTemplateResetPassword string        // AUTHD_SMS_TENCENT_INTL_TEMPLATE_RESET_PASSWORD
	Timeout                   time.Duration // AUTHD_SMS_TENCENT_TIMEOUT, default 3s
}

// WithDefaults fills the optional fields left empty.
func (c Config) WithDefaults() Config {
	c.Region = cmp.Or(c.Region, DefaultRegion)
	c.Endpoint = cmp.Or(c.Endpoint, DefaultEndpoint)
	c.Timeout = cmp.Or(c.Timeout, DefaultTimeout)
	return c
}

// Validate names the first missing or malformed variable.
func (c Config) Validate() error {
	c = c.WithDefaults()
	return smsvendor.First(
		smsvendor.Required(ProviderName,
			smsvendor.Field{Key: "AUTHD_SMS_TENCENT_SECRET_ID", Value: c.SecretID},
			smsvendor.Field{Key: "AUTHD_SMS_TENCENT_SECRET_KEY", Value: c.SecretKey},
			smsvendor.Field{Key: "AUTHD_SMS_TENCENT_SDK_APP_ID", Value: c.SDKAppID},
			smsvendor.Field{Key: "AUTHD_SMS_TENCENT_SIGN_NAME", Value: c.SignName},
			smsvendor.Field{Key: "AUTHD_SMS_TENCENT_TEMPLATE_LOGIN", Value: c.TemplateLogin},
			smsvendor.Field{Key: "AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD", Value: c.TemplateResetPassword},
		),
		smsvendor.CheckTimeout("AUTHD_SMS_TENCENT_TIMEOUT", c.Timeout),
		smsvendor.CheckEndpoint("AUTHD_SMS_TENCENT_ENDPOINT", c.Endpoint),
	)
}
