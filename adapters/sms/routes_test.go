package sms_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

func TestParseRoutes(t *testing.T) {
	got, err := sms.ParseRoutes(" CN=tencent,aliyun; hk,MO,TW = Aliyun ;*=console;")
	if err != nil {
		t.Fatal(err)
	}
	want := []sms.Route{
		{Regions: []string{"CN"}, Providers: []string{"tencent", "aliyun"}},
		{Regions: []string{"HK", "MO", "TW"}, Providers: []string{"aliyun"}},
		{Regions: []string{"*"}, Providers: []string{"console"}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseRoutes = %+v, want %+v", got, want)
	}
	for _, bad := range []string{"", ";", "CN", "CN=", "CN=tencent,", "CHN=tencent", "C1=tencent",
		"CN=tencent;CN=aliyun", "CN,*=tencent", "CN=tencent,tencent", "*=a;*=b"} {
		var ce *domain.ConfigError
		if _, err := sms.ParseRoutes(bad); !errors.As(err, &ce) || ce.Key != "AUTHD_SMS_ROUTES" {
			t.Errorf("ParseRoutes(%q) = %v, want an AUTHD_SMS_ROUTES error", bad, err)
		}
	}
}

func TestConfigValidateRoutes(t *testing.T) {
	tests := []struct {
		name    string
		routes  string
		allowed string
		key     string
	}{
		{"routes without allowlist", "CN=console;*=console", "", ""},
		{"every allowed region routed", "CN=console;HK,MO=console", "CN,HK,MO", ""},
		{"star covers the rest", "CN=console;*=console", "*", ""},
		{"unknown provider", "CN=nexmo", "", "AUTHD_SMS_ROUTES"},
		{"unconfigured provider names its key", "CN=console;*=tencent", "", "AUTHD_SMS_TENCENT_SECRET_ID"},
		{"region the allowlist forbids", "CN=console;US=console", "CN", "AUTHD_SMS_ROUTES"},
		{"allowed region without a route", "CN=console", "CN,HK", "AUTHD_SMS_ROUTES"},
		{"allow all without a star route", "CN=console", "*", "AUTHD_SMS_ROUTES"},
		{"bad allowlist", "CN=console", "XX1", "AUTHD_SMS_ALLOWED_REGIONS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sms.Config{Routes: tt.routes, AllowedRegions: tt.allowed}.Validate()
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

// TestRoutesFailOverInsideTheirRouteOnly: CN and HK both use tencent then
// aliyun; tencent failing opens its breaker on the CN route only, and the
// HK route still tries tencent first.
func TestRoutesFailOverInsideTheirRouteOnly(t *testing.T) {
	tc := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	al := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	log := &memLog{}
	reg := prometheus.NewRegistry()
	r, err := sms.Build(sms.Config{
		Routes: "CN=tencent,aliyun;HK=tencent,aliyun;*=console", AllowedRegions: "*", BreakerFailures: 1,
		Tencent: tc.Config(), Aliyun: al.Config(),
	}, sms.Options{Log: log, Registerer: reg})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	for region, want := range map[string]string{"CN": "CN", "HK": "HK", "US": "*", "cn": "CN"} {
		if got := r.RouteName(region); got != want {
			t.Errorf("RouteName(%s) = %q, want %q", region, got, want)
		}
	}
	cn := ports.SMSMessage{Phone: domain.Phone{E164: "+8613711112222", Region: "CN"}, Purpose: domain.PurposeLogin, Code: "123456", TTL: 300e9}
	hk := ports.SMSMessage{Phone: domain.Phone{E164: "+85251234567", Region: "HK"}, Purpose: domain.PurposeLogin, Code: "123456", TTL: 300e9}
	us := ports.SMSMessage{Phone: domain.Phone{E164: "+12025550123", Region: "US"}, Purpose: domain.PurposeLogin, Code: "123456", TTL: 300e9}

	tc.SetMode(smstest.CallError("InternalError.Timeout", 0))
	res, err := r.Send(context.Background(), cn)
	if err != nil || res.Provider != "aliyun" {
		t.Fatalf("CN send = %+v, %v; want aliyun after tencent failed", res, err)
	}
	if v := metricValue(t, reg, "authd_sms_breaker_state", map[string]string{"route": "CN", "provider": "tencent"}); v != 1 {
		t.Errorf("CN tencent breaker = %v, want open", v)
	}
	tc.SetMode(smstest.OK)
	if res, err := r.Send(context.Background(), hk); err != nil || res.Provider != "tencent" {
		t.Errorf("HK send = %+v, %v; want tencent: its breaker on the HK route is closed", res, err)
	}
	if res, err := r.Send(context.Background(), cn); err != nil || res.Provider != "aliyun" {
		t.Errorf("CN send = %+v, %v; want aliyun while tencent's CN breaker is open", res, err)
	}
	if res, err := r.Send(context.Background(), us); err != nil || res.Provider != "console" {
		t.Errorf("US send = %+v, %v; want the * route", res, err)
	}
	if got := len(log.all()); got != 4 { // the console's are not vendor attempts
		t.Errorf("send log has %d attempts, want 4", got)
	}
}

func TestRouterWithoutRouteForRegion(t *testing.T) {
	r, err := sms.Build(sms.Config{Routes: "CN=console"}, sms.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.Send(context.Background(), ports.SMSMessage{Phone: domain.Phone{E164: "+12025550123", Region: "US"}})
	if !errors.Is(err, domain.ErrSMSDeliveryFailed) {
		t.Errorf("err = %v, want ErrSMSDeliveryFailed", err)
	}
}
