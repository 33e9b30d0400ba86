package twilio_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/adapters/sms/twilio"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func message() ports.SMSMessage {
	return ports.SMSMessage{ID: "msg-1", Phone: domain.Phone{E164: "+12025550123", Region: "US"},
		Purpose: domain.PurposeLogin, Code: "123456", TTL: 5 * time.Minute}
}

func TestSendThroughTheSDK(t *testing.T) {
	fake := smstest.NewTwilio(t, smstest.DefaultTwilioAccount())
	s, err := twilio.New(fake.Config())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	res, err := s.Send(context.Background(), message())
	if err != nil || res.Provider != "twilio" || !strings.HasPrefix(res.MessageID, "SM") {
		t.Fatalf("Send = %+v, %v", res, err)
	}
	m, _ := fake.Last()
	if m.Phone != "+12025550123" || m.Template != "Your login code is 123456. It expires in 5 minutes." {
		t.Errorf("fake got %+v", m)
	}
}

func TestSendErrorsAreClassified(t *testing.T) {
	acct := smstest.DefaultTwilioAccount()
	tests := []struct {
		name string
		mode smstest.Mode
		cfg  func(*twilio.Config)
		kind ports.SendErrorKind
		code string
	}{
		{"wrong token", smstest.OK, func(c *twilio.Config) { c.AuthToken = "ffffffffffffffffffffffffffffffff" }, ports.SendProviderFailed, "20003"},
		{"invalid number", smstest.NumberError("21211"), nil, ports.SendInvalidNumber, "21211"},
		{"unsubscribed", smstest.NumberError("21610"), nil, ports.SendNumberRejected, "21610"},
		{"throttled", smstest.CallError("20429", 429), nil, ports.SendProviderFailed, "20429"},
		{"hang", smstest.Hang, func(c *twilio.Config) { c.Timeout = 200 * time.Millisecond }, ports.SendProviderFailed, "twilio.Timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := smstest.NewTwilio(t, acct)
			fake.SetMode(tt.mode)
			cfg := fake.Config()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			s, err := twilio.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Send(context.Background(), message())
			se, ok := ports.AsSendError(err)
			if !ok || se.Kind != tt.kind || se.VendorCode != tt.code {
				t.Fatalf("err = %v, want kind %d code %s", err, tt.kind, tt.code)
			}
			if strings.Contains(err.Error(), cfg.AuthToken) {
				t.Errorf("error leaks the auth token: %v", err)
			}
		})
	}
}

func TestParseReceipts(t *testing.T) {
	got, err := twilio.ParseReceipts([]byte("MessageSid=SM1&MessageStatus=undelivered&ErrorCode=30003&To=%2B12025550123"))
	if err != nil || len(got) != 1 || got[0].VendorMessageID != "SM1" || got[0].Delivered || got[0].VendorCode != "30003" {
		t.Errorf("ParseReceipts = %+v, %v", got, err)
	}
	got, err = twilio.ParseReceipts([]byte("MessageSid=SM1&MessageStatus=sent"))
	if err != nil || len(got) != 0 {
		t.Errorf("intermediate status = %+v, %v; want no receipt", got, err)
	}
	if _, err := twilio.ParseReceipts([]byte("MessageStatus=delivered")); err == nil {
		t.Error("a callback without MessageSid was accepted")
	}
}

// The example from Twilio's webhook security docs.
func TestValidSignature(t *testing.T) {
	const token = "12345"
	const u = "https://mycompany.com/myapp.php?foo=1&bar=2"
	body := []byte("CallSid=CA1234567890ABCDE&Caller=%2B12349013030&Digits=1234&From=%2B12349013030&To=%2B18005551212")
	if !twilio.ValidSignature(token, u, body, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=") {
		t.Error("the documented signature was refused")
	}
	if twilio.ValidSignature(token, u, body, "AAAATR6DLpKmkAf8muzZqo1nDgQ=") {
		t.Error("a wrong signature was accepted")
	}
}
