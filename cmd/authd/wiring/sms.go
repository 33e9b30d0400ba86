package wiring

import (
	"io"

	"go.uber.org/fx"

	"github.com/authd/authd/adapters/httpapi"
	"github.com/authd/authd/adapters/phonenum"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/adapters/sms/tencent"
)

// SMSConfig maps the AUTHD_SMS_* settings; the console provider writes its
// code lines to stdout, beside the server's own log.
func SMSConfig(s Settings, stdout io.Writer) sms.Config {
	return sms.Config{
		Providers:       s.SMSProviders,
		Budget:          s.SMSBudget,
		BreakerFailures: s.SMSBreakerFails,
		BreakerCooldown: s.SMSBreakerCooldown,
		Console:         console.Config{Writer: stdout, Outbox: outbox(s)},
		Tencent: tencent.Config{
			SecretID: s.TencentSecretID, SecretKey: s.TencentSecretKey, SDKAppID: s.TencentSDKAppID,
			SignName: s.TencentSignName, Region: s.TencentRegion, Endpoint: s.TencentEndpoint,
			TemplateLogin: s.TencentTemplateLogin, TemplateResetPassword: s.TencentTemplateReset,
			TemplateInitialPassword: s.TencentTemplateInitial, Timeout: s.TencentTimeout,
		},
		Aliyun: aliyun.Config{
			AccessKeyID: s.AliyunAccessKeyID, AccessKeySecret: s.AliyunAccessKeySecret,
			SignName: s.AliyunSignName, Region: s.AliyunRegion, Endpoint: s.AliyunEndpoint,
			TemplateLogin: s.AliyunTemplateLogin, TemplateResetPassword: s.AliyunTemplateReset,
			TemplateInitialPassword: s.AliyunTemplateInitial, Timeout: s.AliyunTimeout,
		},
	}
}

// outbox keeps the console provider's recent messages for the admin
// listener's /console/messages, only while the console provider is
// configured: with real vendors alone there is nothing to catch.
func outbox(s Settings) *console.Outbox {
	for _, p := range s.SMSProviders {
		if p == "console" {
			parser, err := phonenum.New(phonenum.Config{DefaultRegion: s.SMSDefaultRegion})
			normalize := func(raw string) (string, bool) {
				if err != nil {
					return raw, true // the region is refused elsewhere, at start
				}
				p, perr := parser.Parse(raw)
				return p.E164, perr == nil
			}
			return console.NewOutbox(console.DefaultOutboxSize, normalize)
		}
	}
	return nil
}

// consoleOutbox hands the console provider's outbox to the admin listener.
func consoleOutbox(cfg sms.Config) fx.Option {
	o := cfg.Console.Outbox
	if o == nil {
		return fx.Options()
	}
	return fx.Provide(func() httpapi.ConsoleMessages { return consoleMessages{o} })
}

// consoleMessages adapts the outbox to the shape the admin listener serves.
type consoleMessages struct{ o *console.Outbox }

func (c consoleMessages) Recent(phone string) []httpapi.ConsoleMessage {
	msgs := c.o.Recent(phone)
	out := make([]httpapi.ConsoleMessage, len(msgs))
	for i, m := range msgs {
		out[i] = httpapi.ConsoleMessage{Phone: m.Phone, Purpose: m.Purpose, Code: m.Code,
			MessageID: m.MessageID, SentAt: m.SentAt, ExpiresAt: m.ExpiresAt}
	}
	return out
}
