package aliyun

import (
	"cmp"
	"time"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
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
	TemplateLogin           string // AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN
	TemplateResetPassword   string // AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD
	TemplateInitialPassword string // AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD, optional
	// International scope (numbers outside the mainland, HK/MO/TW
	// included): Aliyun approves these templates and signatures apart.
	IntlSignName              string        // AUTHD_SMS_ALIYUN_INTL_SIGN_NAME; empty: SignName
	IntlTemplateLogin         string        // AUTHD_SMS_ALIYUN_INTL_TEMPLATE_LOGIN; empty: no international login codes
	IntlTemplateResetPassword string        // AUTHD_SMS_ALIYUN_INTL_TEMPLATE_RESET_PASSWORD
	Timeout                   time.Duration // AUTHD_SMS_ALIYUN_TIMEOUT, default 3s
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
			smsvendor.Field{Key: "AUTHD_SMS_ALIYUN_ACCESS_KEY_ID", Value: c.AccessKeyID},
			smsvendor.Field{Key: "AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET", Value: c.AccessKeySecret},
			smsvendor.Field{Key: "AUTHD_SMS_ALIYUN_SIGN_NAME", Value: c.SignName},
			smsvendor.Field{Key: "AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN", Value: c.TemplateLogin},
			smsvendor.Field{Key: "AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD", Value: c.TemplateResetPassword},
		),
		smsvendor.CheckTimeout("AUTHD_SMS_ALIYUN_TIMEOUT", c.Timeout),
		checkRegion(c.Region),
		smsvendor.CheckEndpoint("AUTHD_SMS_ALIYUN_ENDPOINT", c.Endpoint),
	)
}

// checkRegion refuses the characters the SDK would refuse at call time, so
// the mistake shows at start.
func checkRegion(region string) error {
	for _, r := range region {
		if !(r == '-' || r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return &domain.ConfigError{Key: "AUTHD_SMS_ALIYUN_REGION", Msg: "letters, digits, - and _ only"}
		}
	}
	return nil
}
