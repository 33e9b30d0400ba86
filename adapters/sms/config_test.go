package sms_test

import (
	"errors"
	"testing"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/domain"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  sms.Config
		key  string
	}{
		{"default is console", sms.Config{}, ""},
		{"unknown provider", sms.Config{Providers: []string{"nexmo"}}, "AUTHD_SMS_PROVIDERS"},
		{"twilio validated", sms.Config{Providers: []string{"twilio"}}, "AUTHD_SMS_TWILIO_ACCOUNT_SID"},
		{"http validated", sms.Config{Routes: "*=console,http"}, "AUTHD_SMS_HTTP_URL"},
		{"listed twice", sms.Config{Providers: []string{"console", "console"}}, "AUTHD_SMS_PROVIDERS"},
		{"listed vendor validated", sms.Config{Providers: []string{"tencent"}}, "AUTHD_SMS_TENCENT_SECRET_ID"},
		{"aliyun validated", sms.Config{Providers: []string{"console", "aliyun"}}, "AUTHD_SMS_ALIYUN_ACCESS_KEY_ID"},
		{"unlisted vendor ignored", sms.Config{Providers: []string{"console"}, Tencent: tencent.Config{Endpoint: "ftp://x"}}, ""},
		{"budget", sms.Config{Budget: -1}, "AUTHD_SMS_BUDGET"},
		{"breaker failures", sms.Config{BreakerFailures: -1}, "AUTHD_SMS_BREAKER_FAILURES"},
		{"breaker cooldown", sms.Config{BreakerCooldown: -1}, "AUTHD_SMS_BREAKER_COOLDOWN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.cfg.Validate()
			var ce *domain.ConfigError
			switch {
			case tt.key == "" && err != nil:
				t.Errorf("Validate: %v", err)
			case tt.key != "" && (!errors.As(err, &ce) || ce.Key != tt.key):
				t.Errorf("Validate = %v, want key %s", err, tt.key)
			}
		})
	}
}
