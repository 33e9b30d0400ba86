package sms_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// vendors starts both fakes and a Router whose one route is tencent then aliyun.
func vendors(t *testing.T, budget time.Duration) (*smstest.Tencent, *smstest.Aliyun, *sms.Router, *memLog) {
	t.Helper()
	tc := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	al := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	log := &memLog{}
	f, err := sms.Build(sms.Config{
		Providers: []string{"tencent", "aliyun"}, Budget: budget,
		Tencent: tc.Config(), Aliyun: al.Config(),
	}, sms.Options{Log: log, Registerer: prometheus.NewRegistry()})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	t.Cleanup(f.Close)
	return tc, al, f, log
}

func TestFailoverOnVendorFailures(t *testing.T) {
	tests := []struct {
		name string
		mode smstest.Mode
	}{
		{"http 500", smstest.Status(500)},
		{"balance", smstest.NumberError("FailedOperation.InsufficientBalanceInSmsPackage")},
		{"throttled", smstest.CallError("RequestLimitExceeded", 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tc, al, f, log := vendors(t, 5*time.Second)
			tc.SetMode(tt.mode)
			res, err := f.Send(context.Background(), testMessage())
			if err != nil || res.Provider != "aliyun" {
				t.Fatalf("Send = %+v, %v; want success through aliyun", res, err)
			}
			first, _ := tc.Last()
			second, _ := al.Last()
			if first.Code != "654321" || second.Code != "654321" || second.Ref != "msg-1" {
				t.Errorf("same code to both: tencent %+v, aliyun %+v", first, second)
			}
			attempts := log.all()
			if len(attempts) != 2 || attempts[0].Provider != "tencent" || attempts[0].Status != ports.SendStatusFailed ||
				attempts[1].Provider != "aliyun" || attempts[1].Status != ports.SendStatusSent ||
				attempts[1].VendorMessageID != res.MessageID || attempts[0].MessageID != "msg-1" || attempts[1].MessageID != "msg-1" {
				t.Errorf("send log = %+v", attempts)
			}
			if attempts[0].ID == attempts[1].ID || attempts[0].ID == "" {
				t.Errorf("attempt ids not unique: %q %q", attempts[0].ID, attempts[1].ID)
			}
		})
	}
}

func TestFailoverOnHangWithinBudget(t *testing.T) {
	tc, _, f, log := vendors(t, time.Second)
	tc.SetMode(smstest.Hang) // the tencent config allows 2s: the budget must cut it
	start := time.Now()
	res, err := f.Send(context.Background(), testMessage())
	elapsed := time.Since(start)
	if err != nil || res.Provider != "aliyun" {
		t.Fatalf("Send = %+v, %v; want success through aliyun", res, err)
	}
	if elapsed > 1200*time.Millisecond {
		t.Errorf("took %v with a 1s budget", elapsed)
	}
	if a := log.all(); len(a) != 2 || a[0].VendorCode == "" || a[0].Latency < 400*time.Millisecond {
		t.Errorf("send log = %+v, want a timed-out tencent attempt with its latency", a)
	}
}

func TestBudgetBoundsASingleHungVendor(t *testing.T) {
	tc, al, f, _ := vendors(t, 600*time.Millisecond)
	tc.SetMode(smstest.Hang)
	al.SetMode(smstest.Hang)
	start := time.Now()
	_, err := f.Send(context.Background(), testMessage())
	if !errors.Is(err, domain.ErrSMSDeliveryFailed) {
		t.Errorf("err = %v, want ErrSMSDeliveryFailed", err)
	}
	if elapsed := time.Since(start); elapsed > 900*time.Millisecond {
		t.Errorf("took %v with a 600ms budget", elapsed)
	}
}

func TestNoFailoverOnTheNumber(t *testing.T) {
	tests := []struct {
		code    string
		check   func(error) bool
		wantErr string
	}{
		{"InvalidParameterValue.IncorrectPhoneNumber", func(err error) bool { return errors.Is(err, domain.ErrInvalidPhone) }, "ErrInvalidPhone"},
		{"FailedOperation.PhoneNumberInBlacklist", func(err error) bool {
			se, ok := ports.AsSendError(err)
			return ok && se.Kind == ports.SendNumberRejected && errors.Is(err, domain.ErrSMSDeliveryFailed)
		}, "rejected"},
		{"LimitExceeded.PhoneNumberThirtySecondLimit", func(err error) bool {
			var rl *domain.RateLimitedError
			return errors.As(err, &rl) && rl.RetryAfter == 30*time.Second
		}, "RateLimitedError"},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			tc, al, f, log := vendors(t, 5*time.Second)
			tc.SetMode(smstest.NumberError(tt.code))
			_, err := f.Send(context.Background(), testMessage())
			if !tt.check(err) {
				t.Errorf("err = %v, want %s", err, tt.wantErr)
			}
			if al.Requests() != 0 {
				t.Errorf("failed over to aliyun (%d requests)", al.Requests())
			}
			if a := log.all(); len(a) != 1 || a[0].VendorCode != tt.code {
				t.Errorf("send log = %+v", a)
			}
		})
	}
}

func TestAllVendorsFail(t *testing.T) {
	tc, al, f, log := vendors(t, 5*time.Second)
	tc.SetMode(smstest.Status(500))
	al.SetMode(smstest.CallError("InternalError", 500))
	_, err := f.Send(context.Background(), testMessage())
	if !errors.Is(err, domain.ErrSMSDeliveryFailed) || errors.Is(err, domain.ErrInvalidPhone) {
		t.Errorf("err = %v, want ErrSMSDeliveryFailed", err)
	}
	if n := len(log.all()); n != 2 {
		t.Errorf("logged %d attempts, want 2", n)
	}
}

func TestVendorGoneFailsOver(t *testing.T) {
	tc, _, f, _ := vendors(t, 5*time.Second)
	tc.Close()
	if res, err := f.Send(context.Background(), testMessage()); err != nil || res.Provider != "aliyun" {
		t.Errorf("Send = %+v, %v; want success through aliyun", res, err)
	}
}

func TestSendLogFailureDoesNotFailTheSend(t *testing.T) {
	primary := &scripted{name: "a"}
	log := &memLog{fail: errLogDown}
	f, err := sms.NewFailover([]sms.Named{{Name: "a", Sender: primary}}, sms.Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Send(context.Background(), testMessage()); err != nil {
		t.Errorf("Send: %v", err)
	}
}

func TestMessageIDIsAssignedWhenMissing(t *testing.T) {
	log := &memLog{}
	f, err := sms.NewFailover([]sms.Named{{Name: "a", Sender: &scripted{name: "a"}}}, sms.Options{Log: log})
	if err != nil {
		t.Fatal(err)
	}
	msg := testMessage()
	msg.ID = ""
	if _, err := f.Send(context.Background(), msg); err != nil {
		t.Fatal(err)
	}
	if a := log.all(); len(a) != 1 || a[0].MessageID == "" {
		t.Errorf("send log = %+v, want a message id", a)
	}
}
