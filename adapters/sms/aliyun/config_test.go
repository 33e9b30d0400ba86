package aliyun_test

import (
	"testing"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/internal/smsvendortest"
)

func TestConfigValidateNamesTheKey(t *testing.T) {
	valid := aliyun.Config{AccessKeyID: "id", AccessKeySecret: "secret", SignName: "s",
		TemplateLogin: "SMS_1", TemplateResetPassword: "SMS_2"}
	tests := []struct {
		name   string
		change func(*aliyun.Config)
		key    string
	}{
		{"valid", func(*aliyun.Config) {}, ""},
		{"http test endpoint", func(c *aliyun.Config) { c.Endpoint = "http://127.0.0.1:9000" }, ""},
		{"key id", func(c *aliyun.Config) { c.AccessKeyID = "" }, "AUTHD_SMS_ALIYUN_ACCESS_KEY_ID"},
		{"key secret", func(c *aliyun.Config) { c.AccessKeySecret = "" }, "AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET"},
		{"sign name", func(c *aliyun.Config) { c.SignName = "" }, "AUTHD_SMS_ALIYUN_SIGN_NAME"},
		{"login template", func(c *aliyun.Config) { c.TemplateLogin = "" }, "AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN"},
		{"reset template", func(c *aliyun.Config) { c.TemplateResetPassword = "" }, "AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD"},
		{"region", func(c *aliyun.Config) { c.Region = "cn hangzhou" }, "AUTHD_SMS_ALIYUN_REGION"},
		{"endpoint", func(c *aliyun.Config) { c.Endpoint = "gopher://x" }, "AUTHD_SMS_ALIYUN_ENDPOINT"},
		{"timeout", func(c *aliyun.Config) { c.Timeout = -1 }, "AUTHD_SMS_ALIYUN_TIMEOUT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid
			tt.change(&c)
			smsvendortest.WantConfigKey(t, c.Validate(), tt.key)
		})
	}
}
