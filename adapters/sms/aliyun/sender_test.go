package aliyun_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/aliyun"
	"github.com/authd/authd/adapters/sms/internal/smsvendortest"
	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func newSender(t *testing.T, cfg aliyun.Config) *aliyun.Sender {
	t.Helper()
	s, err := aliyun.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func message(purpose domain.Purpose, e164 string) ports.SMSMessage {
	return ports.SMSMessage{
		ID: "msg-0001", Phone: domain.Phone{E164: e164, Region: "CN"},
		Purpose: purpose, Code: "123456", TTL: 5 * time.Minute,
	}
}

func TestSendDeliversEachPurpose(t *testing.T) {
	fake := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	s := newSender(t, fake.Config())
	tests := []struct {
		purpose       domain.Purpose
		e164, phone   string
		template, key string
		sign          string
	}{
		{domain.PurposeLogin, "+8613711112222", "13711112222", "SMS_100001", "code", "authd"},
		{domain.PurposeResetPassword, "+8613711112222", "13711112222", "SMS_100002", "code", "authd"},
		{domain.PurposeInitialPassword, "+8613711112222", "13711112222", "SMS_100003", "password", "authd"},
		// Outside the mainland: the international template and signature.
		{domain.PurposeLogin, "+85251234567", "85251234567", "SMS_200001", "code", "authd intl"},
		{domain.PurposeResetPassword, "+85251234567", "85251234567", "SMS_200002", "code", "authd intl"},
	}
	for _, tt := range tests {
		t.Run(string(tt.purpose)+tt.e164, func(t *testing.T) {
			res, err := s.Send(context.Background(), message(tt.purpose, tt.e164))
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if res.Provider != "aliyun" || res.MessageID == "" {
				t.Errorf("result = %+v", res)
			}
			got, _ := fake.Last()
			if got.Template != tt.template || got.Code != "123456" || got.Phone != tt.phone ||
				got.Ref != "msg-0001" || got.SignName != tt.sign {
				t.Errorf("vendor got %+v", got)
			}
		})
	}
}

func TestSendClassifiesVendorCodes(t *testing.T) {
	fake := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	s := newSender(t, fake.Config())
	tests := []struct {
		mode  smstest.Mode
		code  string
		kind  ports.SendErrorKind
		retry time.Duration
	}{
		{smstest.NumberError("isv.MOBILE_NUMBER_ILLEGAL"), "isv.MOBILE_NUMBER_ILLEGAL", ports.SendInvalidNumber, 0},
		{smstest.NumberError("isv.BUSINESS_LIMIT_CONTROL"), "isv.BUSINESS_LIMIT_CONTROL", ports.SendNumberLimited, time.Minute},
		{smstest.NumberError("isv.DAY_LIMIT_CONTROL"), "isv.DAY_LIMIT_CONTROL", ports.SendNumberRejected, 0},
		{smstest.NumberError("isv.MONTH_LIMIT_CONTROL"), "isv.MONTH_LIMIT_CONTROL", ports.SendNumberRejected, 0},
		{smstest.NumberError("isv.AMOUNT_NOT_ENOUGH"), "isv.AMOUNT_NOT_ENOUGH", ports.SendProviderFailed, 0},
		{smstest.NumberError("isv.OUT_OF_SERVICE"), "isv.OUT_OF_SERVICE", ports.SendProviderFailed, 0},
		{smstest.NumberError("isv.SMS_TEMPLATE_ILLEGAL"), "isv.SMS_TEMPLATE_ILLEGAL", ports.SendProviderFailed, 0},
		{smstest.NumberError("isp.SYSTEM_ERROR"), "isp.SYSTEM_ERROR", ports.SendProviderFailed, 0},
		{smstest.CallError("Throttling.User", 400), "Throttling.User", ports.SendProviderFailed, 0},
		{smstest.CallError("InternalError", 500), "InternalError", ports.SendProviderFailed, 0},
		{smstest.CallError("ServiceUnavailable", 503), "ServiceUnavailable", ports.SendProviderFailed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			fake.SetMode(tt.mode)
			_, err := s.Send(context.Background(), message(domain.PurposeLogin, "+8613711112222"))
			se, ok := ports.AsSendError(err)
			if !ok {
				t.Fatalf("err = %v, want *SendError", err)
			}
			if se.VendorCode != tt.code || se.Kind != tt.kind || se.RetryAfter != tt.retry || se.Provider != "aliyun" {
				t.Errorf("got %+v", se)
			}
			assertRedacted(t, err, fake.Config())
		})
	}
}

func TestSendFailuresOfTheProvider(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*smstest.Aliyun, *aliyun.Config)
		code  string
	}{
		{"http 500", func(f *smstest.Aliyun, _ *aliyun.Config) { f.SetMode(smstest.Status(500)) }, ""},
		{"wrong secret", func(_ *smstest.Aliyun, c *aliyun.Config) { c.AccessKeySecret = "wrong-secret" }, "SignatureDoesNotMatch"},
		{"unknown key id", func(_ *smstest.Aliyun, c *aliyun.Config) { c.AccessKeyID = "LTAIother" }, "InvalidAccessKeyId.NotFound"},
		{"wrong sign name", func(_ *smstest.Aliyun, c *aliyun.Config) { c.SignName = "other" }, "isv.SMS_SIGNATURE_ILLEGAL"},
		{"vendor gone", func(f *smstest.Aliyun, _ *aliyun.Config) { f.Close() }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
			cfg := fake.Config()
			tt.setup(fake, &cfg)
			_, err := newSender(t, cfg).Send(context.Background(), message(domain.PurposeLogin, "+8613711112222"))
			se, ok := ports.AsSendError(err)
			if !ok || se.Kind != ports.SendProviderFailed || !errors.Is(err, domain.ErrSMSDeliveryFailed) {
				t.Fatalf("err = %v, want provider failure", err)
			}
			if tt.code != "" && se.VendorCode != tt.code {
				t.Errorf("vendor code = %q, want %q", se.VendorCode, tt.code)
			}
			assertRedacted(t, err, cfg)
		})
	}
}

func TestTimeoutIsRespectedAndRedacted(t *testing.T) {
	fake := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	cfg := fake.Config()
	cfg.Timeout = 300 * time.Millisecond
	s := newSender(t, cfg)
	fake.SetMode(smstest.Hang)
	err := smsvendortest.TimesOut(t, sendLogin(s))
	assertRedacted(t, err, cfg)
}

func TestCallerContextCancelsTheCall(t *testing.T) {
	fake := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	s := newSender(t, fake.Config())
	fake.SetMode(smstest.Hang)
	smsvendortest.StopsAtCallerDeadline(t, sendLogin(s))
}

// TestConcurrentSends must stay clean under -race: the SDK client is not
// safe for concurrent use.
func TestConcurrentSends(t *testing.T) {
	fake := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	s := newSender(t, fake.Config())
	smsvendortest.SendsConcurrently(t, sendLogin(s), func() int { return len(fake.Messages()) })
}

// sendLogin sends a login code to a mainland number through s.
func sendLogin(s *aliyun.Sender) smsvendortest.Send {
	return func(ctx context.Context) error {
		_, err := s.Send(ctx, message(domain.PurposeLogin, "+8613711112222"))
		return err
	}
}

func assertRedacted(t *testing.T, err error, cfg aliyun.Config) {
	t.Helper()
	text := err.Error()
	for _, secret := range []string{cfg.AccessKeyID, cfg.AccessKeySecret, "13711112222", "123456", "Signature="} {
		if strings.Contains(text, secret) {
			t.Errorf("error text leaks %q: %s", secret, text)
		}
	}
}
