package tencent_test

import (
	"testing"

	"github.com/authd/authd/adapters/sms/internal/smsvendortest"
	"github.com/authd/authd/adapters/sms/tencent"
)

func TestConfigValidateNamesTheKey(t *testing.T) {
	valid := tencent.Config{SecretID: "id", SecretKey: "key", SDKAppID: "1400", SignName: "s",
		TemplateLogin: "1", TemplateResetPassword: "2"}
	tests := []struct {
		name   string
		change func(*tencent.Config)
		key    string
	}{
		{"valid", func(*tencent.Config) {}, ""},
		{"host endpoint", func(c *tencent.Config) { c.Endpoint = "sms.example.com:8443" }, ""},
		{"http test endpoint", func(c *tencent.Config) { c.Endpoint = "http://127.0.0.1:9000" }, ""},
		{"secret id", func(c *tencent.Config) { c.SecretID = "" }, "AUTHD_SMS_TENCENT_SECRET_ID"},
		{"secret key", func(c *tencent.Config) { c.SecretKey = "" }, "AUTHD_SMS_TENCENT_SECRET_KEY"},
		{"app id", func(c *tencent.Config) { c.SDKAppID = "" }, "AUTHD_SMS_TENCENT_SDK_APP_ID"},
		{"sign name", func(c *tencent.Config) { c.SignName = " " }, "AUTHD_SMS_TENCENT_SIGN_NAME"},
		{"login template", func(c *tencent.Config) { c.TemplateLogin = "" }, "AUTHD_SMS_TENCENT_TEMPLATE_LOGIN"},
		{"reset template", func(c *tencent.Config) { c.TemplateResetPassword = "" }, "AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD"},
		{"endpoint scheme", func(c *tencent.Config) { c.Endpoint = "ftp://x" }, "AUTHD_SMS_TENCENT_ENDPOINT"},
		{"endpoint path", func(c *tencent.Config) { c.Endpoint = "http://x/api" }, "AUTHD_SMS_TENCENT_ENDPOINT"},
		{"timeout", func(c *tencent.Config) { c.Timeout = -1 }, "AUTHD_SMS_TENCENT_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.change(&c)
			smsvendortest.WantConfigKey(t, c.Validate(), tt.key)
		})
	}
}
