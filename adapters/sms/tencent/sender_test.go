package tencent_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/internal/smsvendortest"
	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/adapters/sms/tencent"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func newSender(t *testing.T, cfg tencent.Config) *tencent.Sender {
	t.Helper()
	s, err := tencent.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

func message(purpose domain.Purpose) ports.SMSMessage {
	return ports.SMSMessage{
		ID: "msg-0001", Phone: domain.Phone{E164: "+8613711112222", Region: "CN"},
		Purpose: purpose, Code: "123456", TTL: 5 * time.Minute,
	}
}

// sendLogin sends a login code through s.
func sendLogin(s *tencent.Sender) smsvendortest.Send {
	return func(ctx context.Context) error {
		_, err := s.Send(ctx, message(domain.PurposeLogin))
		return err
	}
}

func TestSendDeliversEachPurpose(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	s := newSender(t, fake.Config())
	tests := []struct {
		purpose  domain.Purpose
		template string
		params   []string
	}{
		{domain.PurposeLogin, "100001", []string{"123456", "5"}},
		{domain.PurposeResetPassword, "100002", []string{"123456", "5"}},
		{domain.PurposeInitialPassword, "100003", []string{"123456"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.purpose), func(t *testing.T) {
			res, err := s.Send(context.Background(), message(tt.purpose))
			if err != nil {
				t.Fatalf("Send: %v", err)
			}
			if res.Provider != "tencent" || res.MessageID == "" {
				t.Errorf("result = %+v", res)
			}
			got, _ := fake.Last()
			if got.Template != tt.template || strings.Join(got.Params, ",") != strings.Join(tt.params, ",") ||
				got.Phone != "+8613711112222" || got.Ref != "msg-0001" || got.SignName != "authd" || got.SDKAppID != "1400000001" {
				t.Errorf("vendor got %+v", got)
			}
		})
	}
}

func TestSendClassifiesVendorCodes(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	s := newSender(t, fake.Config())
	tests := []struct {
		code  string
		kind  ports.SendErrorKind
		retry time.Duration
	}{
		{"InvalidParameterValue.IncorrectPhoneNumber", ports.SendInvalidNumber, 0},
		{"FailedOperation.PhoneNumberInBlacklist", ports.SendNumberRejected, 0},
		{"LimitExceeded.PhoneNumberDailyLimit", ports.SendNumberRejected, 0},
		{"LimitExceeded.PhoneNumberSameContentDailyLimit", ports.SendNumberRejected, 0},
		{"LimitExceeded.PhoneNumberThirtySecondLimit", ports.SendNumberLimited, 30 * time.Second},
		{"LimitExceeded.PhoneNumberOneHourLimit", ports.SendNumberLimited, time.Hour},
		{"LimitExceeded.AppDailyLimit", ports.SendProviderFailed, 0},
		{"FailedOperation.InsufficientBalanceInSmsPackage", ports.SendProviderFailed, 0},
		{"FailedOperation.SignatureIncorrectOrUnapproved", ports.SendProviderFailed, 0},
		{"UnauthorizedOperation.ServiceSuspendDueToArrears", ports.SendProviderFailed, 0},
		{"RequestLimitExceeded", ports.SendProviderFailed, 0},
		{"InternalError.Timeout", ports.SendProviderFailed, 0},
	}
	for _, tt := range tests {
		for _, where := range []string{"per-number", "whole-call"} {
			t.Run(where+"/"+tt.code, func(t *testing.T) {
				mode := smstest.NumberError(tt.code)
				if where == "whole-call" {
					mode = smstest.CallError(tt.code, 0)
				}
				fake.SetMode(mode)
				_, err := s.Send(context.Background(), message(domain.PurposeLogin))
				se, ok := ports.AsSendError(err)
				if !ok {
					t.Fatalf("err = %v, want *SendError", err)
				}
				if se.VendorCode != tt.code || se.Kind != tt.kind || se.RetryAfter != tt.retry || se.Provider != "tencent" {
					t.Errorf("got %+v", se)
				}
				if strings.Contains(err.Error(), "13711112222") || strings.Contains(err.Error(), "123456") {
					t.Errorf("error text leaks the number or code: %v", err)
				}
			})
		}
	}
}

func TestSendMapsDomainErrors(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	s := newSender(t, fake.Config())
	fake.SetMode(smstest.NumberError("InvalidParameterValue.IncorrectPhoneNumber"))
	if _, err := s.Send(context.Background(), message(domain.PurposeLogin)); !errors.Is(err, domain.ErrInvalidPhone) {
		t.Errorf("bad number: %v, want ErrInvalidPhone", err)
	}
	fake.SetMode(smstest.NumberError("LimitExceeded.PhoneNumberThirtySecondLimit"))
	_, err := s.Send(context.Background(), message(domain.PurposeLogin))
	var rl *domain.RateLimitedError
	if !errors.As(err, &rl) || rl.RetryAfter != 30*time.Second {
		t.Errorf("limited: %v, want RateLimitedError 30s", err)
	}
}

func TestSendFailuresOfTheProvider(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*smstest.Tencent, *tencent.Config)
		code  string
	}{
		{"http 500", func(f *smstest.Tencent, _ *tencent.Config) { f.SetMode(smstest.Status(500)) }, ""},
		{"wrong secret", func(_ *smstest.Tencent, c *tencent.Config) { c.SecretKey = "wrong" }, "AuthFailure.SignatureFailure"},
		{"unknown secret id", func(_ *smstest.Tencent, c *tencent.Config) { c.SecretID = "AKIDother" }, "AuthFailure.SecretIdNotFound"},
		{"wrong app id", func(_ *smstest.Tencent, c *tencent.Config) { c.SDKAppID = "1400999999" }, "UnauthorizedOperation.SmsSdkAppIdVerifyFail"},
		{"wrong template", func(_ *smstest.Tencent, c *tencent.Config) { c.TemplateLogin = "999" }, "FailedOperation.TemplateIncorrectOrUnapproved"},
		{"vendor gone", func(f *smstest.Tencent, _ *tencent.Config) { f.Close() }, "ClientError.NetworkError"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
			cfg := fake.Config()
			tt.setup(fake, &cfg)
			_, err := newSender(t, cfg).Send(context.Background(), message(domain.PurposeLogin))
			se, ok := ports.AsSendError(err)
			if !ok || se.Kind != ports.SendProviderFailed || !errors.Is(err, domain.ErrSMSDeliveryFailed) {
				t.Fatalf("err = %v, want provider failure", err)
			}
			if tt.code != "" && se.VendorCode != tt.code {
				t.Errorf("vendor code = %q, want %q", se.VendorCode, tt.code)
			}
			if strings.Contains(err.Error(), cfg.SecretKey) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
}

func TestSendRespectsTimeout(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	cfg := fake.Config()
	cfg.Timeout = 300 * time.Millisecond
	s := newSender(t, cfg)
	fake.SetMode(smstest.Hang)
	smsvendortest.TimesOut(t, sendLogin(s))
}

func TestSendHonoursCallerContext(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	s := newSender(t, fake.Config())
	fake.SetMode(smstest.Hang)
	smsvendortest.StopsAtCallerDeadline(t, sendLogin(s))
}

func TestConcurrentSends(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	s := newSender(t, fake.Config())
	smsvendortest.SendsConcurrently(t, sendLogin(s), func() int { return len(fake.Messages()) })
}

func TestMissingTemplateIsAProviderFailure(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	cfg := fake.Config()
	cfg.TemplateInitialPassword = ""
	_, err := newSender(t, cfg).Send(context.Background(), message(domain.PurposeInitialPassword))
	if se, ok := ports.AsSendError(err); !ok || se.Kind != ports.SendProviderFailed {
		t.Errorf("err = %v, want provider failure so failover tries the next vendor", err)
	}
	if fake.Requests() != 0 {
		t.Errorf("vendor was called %d times", fake.Requests())
	}
}

// Outside the mainland only international templates are accepted, and the
// mainland signature is not sent.
func TestSendUsesInternationalTemplatesOutsideTheMainland(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	s, err := tencent.New(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	for purpose, want := range map[domain.Purpose]string{domain.PurposeLogin: "200001", domain.PurposeResetPassword: "200002"} {
		msg := ports.SMSMessage{ID: "msg-1", Phone: domain.Phone{E164: "+85251234567", Region: "HK"},
			Purpose: purpose, Code: "123456", TTL: 5 * time.Minute}
		if _, err := s.Send(context.Background(), msg); err != nil {
			t.Fatalf("%s: %v", purpose, err)
		}
		got, _ := fake.Last()
		if got.Template != want || got.SignName != "" || got.Phone != "+85251234567" {
			t.Errorf("%s: vendor got %+v", purpose, got)
		}
	}
	cfg := fake.Config()
	cfg.IntlTemplateLogin = ""
	s2, err := tencent.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s2.Close)
	_, err = s2.Send(context.Background(), ports.SMSMessage{ID: "m", Phone: domain.Phone{E164: "+85251234567", Region: "HK"},
		Purpose: domain.PurposeLogin, Code: "123456", TTL: time.Minute})
	if se, ok := ports.AsSendError(err); !ok || se.Kind != ports.SendProviderFailed {
		t.Errorf("no international template: err = %v, want a provider failure (fail over)", err)
	}
}
