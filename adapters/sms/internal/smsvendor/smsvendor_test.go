package smsvendor_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"
	"time"

	"github.com/authd/authd/adapters/sms/internal/smsvendor"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestClassifyLooksUpTheTable(t *testing.T) {
	table := smsvendor.Verdicts{
		"bad":     {Kind: ports.SendInvalidNumber},
		"limited": {Kind: ports.SendNumberLimited, RetryAfter: time.Minute},
	}
	tests := []struct {
		code, message string
		kind          ports.SendErrorKind
		retry         time.Duration
	}{
		{"bad", "no such number", ports.SendInvalidNumber, 0},
		{"limited", "", ports.SendNumberLimited, time.Minute},
		{"other", "balance", ports.SendProviderFailed, 0},
	}
	for _, tt := range tests {
		se := smsvendor.Classify("v", tt.code, tt.message, table)
		if se.Provider != "v" || se.VendorCode != tt.code || se.Kind != tt.kind || se.RetryAfter != tt.retry {
			t.Errorf("Classify(%q) = %+v", tt.code, se)
		}
		if (se.Err == nil) != (tt.message == "") || se.Err != nil && se.Err.Error() != tt.message {
			t.Errorf("Classify(%q).Err = %v, want %q", tt.code, se.Err, tt.message)
		}
	}
}

func TestNoTemplateIsAProviderFailure(t *testing.T) {
	se := smsvendor.NoTemplate("v", domain.PurposeLogin)
	if se.Provider != "v" || se.VendorCode != smsvendor.CodeNoTemplate || se.Kind != ports.SendProviderFailed ||
		se.Err.Error() != `no v template for purpose "login"` {
		t.Errorf("NoTemplate = %+v (%v)", se, se.Err)
	}
}

type netTimeout struct{}

func (netTimeout) Error() string { return "i/o timeout" }
func (netTimeout) Timeout() bool { return true }

func TestIsTimeout(t *testing.T) {
	tests := []struct {
		err  error
		want bool
	}{
		{context.DeadlineExceeded, true},
		{fmt.Errorf("call: %w", context.DeadlineExceeded), true},
		{&net.OpError{Op: "read", Err: netTimeout{}}, true},
		{context.Canceled, false},
		{errors.New("refused"), false},
	}
	for _, tt := range tests {
		if got := smsvendor.IsTimeout(tt.err); got != tt.want {
			t.Errorf("IsTimeout(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestTimeoutIsRedactedAndMatchesDeadline(t *testing.T) {
	se := smsvendor.Timeout("v", "V.Timeout")
	if se.Provider != "v" || se.VendorCode != "V.Timeout" || se.Kind != ports.SendProviderFailed {
		t.Errorf("Timeout = %+v", se)
	}
	if !errors.Is(se, context.DeadlineExceeded) || se.Err.Error() != "v: no answer in time" {
		t.Errorf("Timeout error = %v, want the short text matching context.DeadlineExceeded", se.Err)
	}
}

func TestRedactor(t *testing.T) {
	redact := smsvendor.Redactor("secret-key", "+8613711112222", "123456", "abc", "")
	got := redact("sig secret-key for +8613711112222 code 123456 abc")
	if want := "sig [redacted] for [redacted] code [redacted] abc"; got != want {
		t.Errorf("redact = %q, want %q", got, want)
	}
}

func TestParseEndpoint(t *testing.T) {
	tests := []struct {
		in           string
		scheme, host string
		err          string
	}{
		{"sms.example.com", "https", "sms.example.com", ""},
		{"sms.example.com:8443", "https", "sms.example.com:8443", ""},
		{"http://127.0.0.1:9000", "http", "127.0.0.1:9000", ""},
		{"HTTPS://sms.example.com/", "https", "sms.example.com", ""},
		{"", "", "", "want host[:port] or an http(s) URL"},
		{"sms.example.com/api", "", "", "want host[:port] or an http(s) URL"},
		{"http://x/api", "", "", "want host[:port] or an http(s) URL without a path"},
		{"http://x?a=b", "", "", "want host[:port] or an http(s) URL without a path"},
		{"ftp://x", "", "", "scheme must be http or https"},
	}
	for _, tt := range tests {
		ep, err := smsvendor.ParseEndpoint(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("ParseEndpoint(%q) = %+v, %v, want error %q", tt.in, ep, err, tt.err)
			}
			continue
		}
		if err != nil || ep.Scheme != tt.scheme || ep.Host != tt.host {
			t.Errorf("ParseEndpoint(%q) = %+v, %v", tt.in, ep, err)
		}
	}
}

func TestConfigChecksNameTheKey(t *testing.T) {
	var ce *domain.ConfigError
	err := smsvendor.Required("v", smsvendor.Field{Key: "A", Value: "a"}, smsvendor.Field{Key: "B", Value: " "}, smsvendor.Field{Key: "C"})
	if !errors.As(err, &ce) || ce.Key != "B" || ce.Msg != "required when v is in AUTHD_SMS_PROVIDERS or AUTHD_SMS_ROUTES" {
		t.Errorf("Required = %v, want B", err)
	}
	if err := smsvendor.CheckTimeout("T", -1); !errors.As(err, &ce) || ce.Key != "T" {
		t.Errorf("CheckTimeout(-1) = %v", err)
	}
	if err := smsvendor.CheckTimeout("T", 0); err != nil {
		t.Errorf("CheckTimeout(0) = %v", err)
	}
	if err := smsvendor.CheckEndpoint("E", "ftp://x"); !errors.As(err, &ce) || ce.Key != "E" || ce.Msg != "scheme must be http or https" {
		t.Errorf("CheckEndpoint = %v", err)
	}
	first, second := errors.New("first"), errors.New("second")
	if err := smsvendor.First(nil, first, second); !errors.Is(err, first) {
		t.Errorf("First = %v, want first", err)
	}
	if err := smsvendor.First(nil, nil); err != nil {
		t.Errorf("First(nil, nil) = %v", err)
	}
}
