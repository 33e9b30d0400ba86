package sms_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/sms"
	"github.com/authd/authd/adapters/sms/console"
	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/ports"
)

func infra() fx.Option {
	return fx.Options(
		fx.Supply(slog.New(slog.DiscardHandler)),
		fx.Provide(func() prometheus.Registerer { return prometheus.NewRegistry() }),
		fx.NopLogger,
	)
}

func TestModuleValidatesForEachConfiguration(t *testing.T) {
	tc := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	al := smstest.NewAliyun(t, smstest.DefaultAliyunAccount())
	for _, providers := range [][]string{nil, {"tencent"}, {"aliyun"}, {"tencent", "aliyun", "console"}} {
		cfg := sms.Config{Providers: providers, Tencent: tc.Config(), Aliyun: al.Config()}
		if err := fx.ValidateApp(infra(), sms.Module(cfg), fx.Invoke(func(ports.SMS, *sms.Router, *sms.Receipts) {})); err != nil {
			t.Errorf("%v: %v", providers, err)
		}
	}
}

func TestModuleSendsThroughTheConfiguredProvider(t *testing.T) {
	var out bytes.Buffer
	var sender ports.SMS
	app := fx.New(infra(), sms.Module(sms.Config{Console: console.Config{Writer: &out}}), fx.Populate(&sender))
	if err := app.Start(context.Background()); err != nil {
		t.Fatalf("start: %v", err)
	}
	res, err := sender.Send(context.Background(), testMessage())
	if err != nil || res.Provider != "console" {
		t.Errorf("Send = %+v, %v", res, err)
	}
	if !strings.Contains(out.String(), `"code":"654321"`) {
		t.Errorf("console output = %q", out.String())
	}
	if err := app.Stop(context.Background()); err != nil {
		t.Errorf("stop: %v", err)
	}
}

func TestModuleRefusesInvalidConfiguration(t *testing.T) {
	app := fx.New(infra(), sms.Module(sms.Config{Providers: []string{"tencent"}}), fx.Invoke(func(ports.SMS) {}))
	if err := app.Err(); err == nil || !strings.Contains(err.Error(), "AUTHD_SMS_TENCENT_SECRET_ID") {
		t.Errorf("err = %v, want the missing key named", err)
	}
}

func TestModuleUsesTheSendLogWhenProvided(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	for _, tt := range []struct {
		providers []string
		want      int
	}{
		{[]string{"tencent"}, 1},
		{[]string{"console"}, 0}, // development output, not a vendor attempt
	} {
		log := &memLog{}
		var sender ports.SMS
		app := fx.New(infra(), sms.Module(sms.Config{Providers: tt.providers, Tencent: fake.Config(),
			Console: console.Config{Writer: &bytes.Buffer{}}}),
			fx.Supply(fx.Annotate(log, fx.As(new(ports.SMSLog)))), fx.Populate(&sender))
		if err := app.Err(); err != nil {
			t.Fatal(err)
		}
		if _, err := sender.Send(context.Background(), testMessage()); err != nil {
			t.Fatal(err)
		}
		if len(log.all()) != tt.want {
			t.Errorf("%v: send log has %d attempts, want %d", tt.providers, len(log.all()), tt.want)
		}
	}
}
