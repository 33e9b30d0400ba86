package wiring

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

func TestLoadSettingsDefaults(t *testing.T) {
	s, err := LoadSettings("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if s.HTTPAddr != ":8080" || s.CodeTTL != 5*time.Minute || s.CodeLength != 6 || !s.ExposePhoneLookup ||
		len(s.SMSProviders) != 1 || s.SMSProviders[0] != "console" || s.JWTRefreshTTL != 720*time.Hour {
		t.Fatalf("defaults not applied: %+v", s)
	}
}

func TestLoadSettingsFileThenEnv(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authd.yaml")
	yaml := "http_addr: \":9000\"\ncode_ttl: 2m\nsms_providers: [tencent, aliyun]\nexpose_phone_lookup: false\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSettings(path, []string{"AUTHD_HTTP_ADDR=:9100", "UNRELATED=x"})
	if err != nil {
		t.Fatal(err)
	}
	if s.HTTPAddr != ":9100" {
		t.Errorf("environment must win over the file: got %q", s.HTTPAddr)
	}
	if s.CodeTTL != 2*time.Minute || s.ExposePhoneLookup || strings.Join(s.SMSProviders, ",") != "tencent,aliyun" {
		t.Errorf("file values not applied: %+v", s)
	}
}

func TestLoadSettingsErrorsNameTheKey(t *testing.T) {
	tests := []struct {
		env  string
		want string
	}{
		{"AUTHD_CODE_TTL=soon", "AUTHD_CODE_TTL"},
		{"AUTHD_CODE_LENGTH=six", "AUTHD_CODE_LENGTH"},
		{"AUTHD_EXPOSE_PHONE_LOOKUP=maybe", "AUTHD_EXPOSE_PHONE_LOOKUP"},
		{"AUTHD_CODE_RESEND_AFTER=-1s", "AUTHD_CODE_RESEND_AFTER"},
	}
	for _, tt := range tests {
		_, err := LoadSettings("", []string{tt.env})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error %v does not name %s", tt.env, err, tt.want)
		}
	}
}

func TestLoadSettingsUnknownFileKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "authd.yaml")
	if err := os.WriteFile(path, []byte("http_adr: \":1\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSettings(path, nil); err == nil || !strings.Contains(err.Error(), "http_adr") {
		t.Fatalf("want an error naming the unknown key, got %v", err)
	}
}

func TestModulesRejectInvalidValues(t *testing.T) {
	tests := []struct {
		name string
		env  []string
		key  string
	}{
		{"code length", []string{"AUTHD_CODE_LENGTH=3"}, "AUTHD_CODE_"},
		{"regions", []string{"AUTHD_SMS_ALLOWED_REGIONS=CN,XX"}, "AUTHD_SMS_ALLOWED_REGIONS"},
		{"ip limit", []string{"AUTHD_IP_CODE_LIMIT=0"}, "AUTHD_IP_CODE_LIMIT"},
		{"short secret", []string{"AUTHD_CODE_SECRET=short"}, "AUTHD_CODE_SECRET"},
		{"proxies", []string{"AUTHD_TRUSTED_PROXIES=not-a-cidr"}, "AUTHD_TRUSTED_PROXIES"},
		{"database", []string{"AUTHD_DATABASE_URL=mysql://x"}, "AUTHD_DATABASE_URL"},
		{"provider", []string{"AUTHD_SMS_PROVIDERS=carrier-pigeon"}, "AUTHD_SMS_PROVIDERS"},
		{"tencent keys", []string{"AUTHD_SMS_PROVIDERS=tencent"}, "AUTHD_SMS_TENCENT_"},
		{"initial password template", []string{"AUTHD_SMS_PROVIDERS=console,aliyun", "AUTHD_REGISTRATION_SEND_INITIAL_PASSWORD=true"}, "AUTHD_SMS_ALIYUN_TEMPLATE_INITIAL_PASSWORD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := append([]string{"AUTHD_DATA_DIR=" + t.TempDir()}, tt.env...)
			s, err := LoadSettings("", env)
			if err == nil {
				_, err = Modules(s, os.Stdout)
			}
			var ce *domain.ConfigError
			if !errors.As(err, &ce) || !strings.HasPrefix(ce.Key, tt.key) {
				t.Fatalf("want a ConfigError for %s, got %v", tt.key, err)
			}
		})
	}
}

func TestDescribeMasksSecrets(t *testing.T) {
	s, err := LoadSettings("", []string{"AUTHD_SMS_TENCENT_SECRET_KEY=hunter2hunter2"})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(s.Describe(), "\n")
	if strings.Contains(out, "hunter2") || !strings.Contains(out, "AUTHD_SMS_TENCENT_SECRET_KEY=****") {
		t.Fatalf("secret not masked:\n%s", out)
	}
}

func TestCodeSecretIsKeptAcrossStarts(t *testing.T) {
	s := Settings{DataDir: t.TempDir()}
	a, err := codeSecret(s)
	if err != nil {
		t.Fatal(err)
	}
	b, err := codeSecret(s)
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 32 || string(a) != string(b) {
		t.Fatalf("secret not kept: %x vs %x", a, b)
	}
}

func TestLoadSettingsRefusesUnknownVariables(t *testing.T) {
	if _, err := LoadSettings("", []string{"AUTHD_REDIS_ULR=redis://x"}); err == nil || !strings.Contains(err.Error(), "AUTHD_REDIS_ULR") {
		t.Fatalf("want an error naming the misspelt variable, got %v", err)
	}
	if _, err := LoadSettings("", []string{"AUTHD_CONFIG=", "AUTHD_TEST_REQUIRE_SERVICES=1", "HOME=/root"}); err != nil {
		t.Fatalf("variables that are not settings: %v", err)
	}
}

func TestDescribeMasksURLPasswords(t *testing.T) {
	s, err := LoadSettings("", []string{"AUTHD_DATABASE_URL=postgres://authd:s3cr@t:x@db.internal:5432/authd?sslmode=require",
		"AUTHD_REDIS_URL=redis://:redispw@10.0.0.1:6379,10.0.0.2:6379"})
	if err != nil {
		t.Fatal(err)
	}
	out := strings.Join(s.Describe(), "\n")
	for _, leak := range []string{"s3cr", "redispw"} {
		if strings.Contains(out, leak) {
			t.Fatalf("password %q printed:\n%s", leak, out)
		}
	}
	for _, want := range []string{"AUTHD_DATABASE_URL=postgres://authd:****@db.internal:5432/authd?sslmode=require",
		"AUTHD_REDIS_URL=redis://:****@10.0.0.1:6379,10.0.0.2:6379"} {
		if !strings.Contains(out, want) {
			t.Fatalf("want %q in:\n%s", want, out)
		}
	}
}
