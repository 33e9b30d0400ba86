package wiring

import (
	"io"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/adapters/sms/httphook"
	"github.com/authd/authd/adapters/sms/smstext"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/adapters/sms/twilio"
	"github.com/authd/authd/domain"
)

// SMSConfig maps the AUTHD_SMS_* settings; the console provider writes its
// code lines to stdout, beside the server's own log.
func SMSConfig(s Settings, stdout io.Writer) (sms.Config, error) {
	texts, err := smstext.Parse(s.SMSTexts)
	if err != nil {
		return sms.Config{}, &domain.ConfigError{Key: "AUTHD_SMS_TEXTS", Msg: err.Error()}
	}
	locales, err := smstext.ParseRegionLocales(s.SMSRegionLocales)
	if err != nil {
		return sms.Config{}, &domain.ConfigError{Key: "AUTHD_SMS_REGION_LOCALES", Msg: err.Error()}
	}
	return sms.Config{
		Text: smstext.Config{Texts: texts, RegionLocales: locales, WebOTPDomain: s.SMSWebOTPDomain,
			AndroidAppHash: s.SMSAndroidAppHash},
		Providers:       s.SMSProviders,
		Routes:          s.SMSRoutes,
		AllowedRegions:  s.SMSAllowedRegions,
		Budget:          s.SMSBudget,
		BreakerFailures: s.SMSBreakerFails,
		BreakerCooldown: s.SMSBreakerCooldown,
		Console:         console.Config{Writer: stdout},
		Tencent: tencent.Config{
			SecretID: s.TencentSecretID, SecretKey: s.TencentSecretKey, SDKAppID: s.TencentSDKAppID,
			SignName: s.TencentSignName, Region: s.TencentRegion, Endpoint: s.TencentEndpoint,
			TemplateLogin: s.TencentTemplateLogin, TemplateResetPassword: s.TencentTemplateReset,
			TemplateInitialPassword: s.TencentTemplateInitial, Timeout: s.TencentTimeout,
			IntlSignName: s.TencentIntlSignName, IntlTemplateLogin: s.TencentIntlTemplLogin,
			IntlTemplateResetPassword: s.TencentIntlTemplReset,
		},
		Twilio: twilio.Config{
			AccountSID: s.TwilioAccountSID, AuthToken: s.TwilioAuthToken, MessagingServiceSID: s.TwilioMessagingServiceSID,
			From: s.TwilioFrom, StatusCallback: s.TwilioStatusCallback, BaseURL: s.TwilioBaseURL, Timeout: s.TwilioTimeout,
		},
		HTTP: httphook.Config{URL: s.HTTPSMSURL, Secret: s.HTTPSMSSecret, Timeout: s.HTTPSMSTimeout},
		Aliyun: aliyun.Config{
			AccessKeyID: s.AliyunAccessKeyID, AccessKeySecret: s.AliyunAccessKeySecret,
			SignName: s.AliyunSignName, Region: s.AliyunRegion, Endpoint: s.AliyunEndpoint,
			TemplateLogin: s.AliyunTemplateLogin, TemplateResetPassword: s.AliyunTemplateReset,
			TemplateInitialPassword: s.AliyunTemplateInitial, Timeout: s.AliyunTimeout,
			IntlSignName: s.AliyunIntlSignName, IntlTemplateLogin: s.AliyunIntlTemplLogin,
			IntlTemplateResetPassword: s.AliyunIntlTemplReset,
		},
	}, nil
}
