package main

import (
	"bytes"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/sms/smstest"
	"github.com/authd/authd/domain"
)

func TestSMSTestSendThroughTheRealSDK(t *testing.T) {
	fake := smstest.NewTencent(t, smstest.DefaultTencentAccount())
	acct := smstest.DefaultTencentAccount()
	env := []string{
		"AUTHD_SMS_PROVIDERS=console", // test-send --provider picks the vendor
		"AUTHD_SMS_TENCENT_SECRET_ID=" + acct.SecretID, "AUTHD_SMS_TENCENT_SECRET_KEY=" + acct.SecretKey,
		"AUTHD_SMS_TENCENT_SDK_APP_ID=" + acct.SDKAppID, "AUTHD_SMS_TENCENT_SIGN_NAME=" + acct.SignName,
		"AUTHD_SMS_TENCENT_ENDPOINT=" + fake.URL, "AUTHD_SMS_TENCENT_TEMPLATE_LOGIN=" + acct.TemplateLogin,
		"AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD=" + acct.TemplateResetPassword,
	}
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"sms", "test-send", "--phone", "138 0013 8000", "--provider", "tencent"}, env, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errOut.String())
	}
	msg, ok := fake.Last()
	if !ok || !strings.Contains(out.String(), "sent code "+msg.Code+" to +8613800138000 via tencent") {
		t.Fatalf("fake got %+v; command printed %q", msg, out.String())
	}
}

func TestUsageAndConfigErrors(t *testing.T) {
	tests := []struct {
		args []string
		env  []string
		exit int
		want string
	}{
		{[]string{"frobnicate"}, nil, 2, "unknown command frobnicate"},
		{[]string{"users", "delete", "x"}, nil, 2, "usage: authd users"},
		{[]string{"sms", "test-send", "--phone", "nope"}, nil, 2, "--phone"},
		{[]string{"serve"}, []string{"AUTHD_CODE_TTL=soon"}, 2, "AUTHD_CODE_TTL"},
		{[]string{"sms", "test-send", "--phone", "13800138000", "--provider", "aliyun"}, nil, 1, "AUTHD_SMS_ALIYUN_"},
	}
	for _, tt := range tests {
		var out, errOut bytes.Buffer
		env := append([]string{"AUTHD_DATA_DIR=" + t.TempDir()}, tt.env...)
		if code := run(t.Context(), tt.args, env, &out, &errOut); code != tt.exit || !strings.Contains(errOut.String(), tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", tt.args, code, errOut.String(), tt.exit, tt.want)
		}
	}
}

func TestKeysGenerateAndConfig(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"keys", "generate"}, nil, &out, &errOut); code != 0 || !strings.HasPrefix(out.String(), "-----BEGIN PRIVATE KEY-----") {
		t.Fatalf("keys generate: %d %q %q", code, out.String(), errOut.String())
	}
	out.Reset()
	if code := run(t.Context(), []string{"config"}, []string{"AUTHD_CODE_SECRET=0123456789abcdef0123"}, &out, &errOut); code != 0 ||
		!strings.Contains(out.String(), "AUTHD_CODE_SECRET=****") || !strings.Contains(out.String(), "AUTHD_HTTP_ADDR=:8080") {
		t.Fatalf("config: %d %q", code, out.String())
	}
}

func TestMigrateAndUsersDisableEnable(t *testing.T) {
	dir := t.TempDir()
	env := []string{"AUTHD_DATA_DIR=" + dir}
	var out, errOut bytes.Buffer
	if code := run(t.Context(), []string{"migrate"}, env, &out, &errOut); code != 0 || !strings.Contains(out.String(), "up to date") {
		t.Fatalf("migrate: %d %q %q", code, out.String(), errOut.String())
	}
	st, err := bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: "sqlite:" + filepath.Join(dir, "authd.db")}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	u, _, err := st.FindOrCreateByPhone(t.Context(), domain.User{ID: "u1", Username: "alice", Phone: "+8613800138000", CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		args     []string
		disabled bool
	}{
		{[]string{"users", "disable", "13800138000"}, true},
		{[]string{"users", "enable", "ALICE"}, false},
	} {
		out.Reset()
		if code := run(t.Context(), step.args, env, &out, &errOut); code != 0 {
			t.Fatalf("%v: %d %q", step.args, code, errOut.String())
		}
		got, err := st.ByID(t.Context(), u.ID)
		if err != nil || got.Disabled != step.disabled {
			t.Fatalf("%v: disabled = %v (%v)", step.args, got.Disabled, err)
		}
	}
	errOut.Reset()
	if code := run(t.Context(), []string{"users", "disable", "nobody"}, env, &out, &errOut); code != 1 || !strings.Contains(errOut.String(), "not found") {
		t.Fatalf("unknown user: %d %q", code, errOut.String())
	}
}

func TestSMSTestSendRendersTheLocaleThroughTheRoute(t *testing.T) {
	tw := smstest.NewTwilio(t, smstest.DefaultTwilioAccount())
	cfg := tw.Config()
	env := []string{
		"AUTHD_SMS_ROUTES=CN=console;*=twilio", "AUTHD_SMS_ALLOWED_REGIONS=*",
		"AUTHD_SMS_TWILIO_ACCOUNT_SID=" + cfg.AccountSID, "AUTHD_SMS_TWILIO_AUTH_TOKEN=" + cfg.AuthToken,
		"AUTHD_SMS_TWILIO_MESSAGING_SERVICE_SID=" + cfg.MessagingServiceSID, "AUTHD_SMS_TWILIO_BASE_URL=" + tw.URL,
		"AUTHD_SMS_TEXTS=login.fr=Votre code est {code}.;login.en=Code {code}",
		"AUTHD_SMS_WEBOTP_DOMAIN=auth.example.com",
	}
	var out, errOut bytes.Buffer
	code := run(t.Context(), []string{"sms", "test-send", "--phone", "+14155552671", "--locale", "fr-CA"}, env, &out, &errOut)
	if code != 0 {
		t.Fatalf("exit %d: %s %s", code, out.String(), errOut.String())
	}
	msg, ok := tw.Last()
	if !ok || !strings.HasPrefix(msg.Template, "Votre code est ") ||
		!strings.HasSuffix(msg.Template, "\n\n@auth.example.com #"+msg.Template[len("Votre code est "):len("Votre code est ")+6]) {
		t.Fatalf("twilio got %q", msg.Template)
	}
	if !strings.Contains(out.String(), `route "*" for region US`) || !strings.Contains(out.String(), "via twilio") {
		t.Errorf("command printed %q", out.String())
	}
}
