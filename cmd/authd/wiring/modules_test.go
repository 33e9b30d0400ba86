package wiring

import (
	"io"
	"strings"
	"testing"

	"go.uber.org/fx"
)

// Every configuration variant wires a complete graph: a missing provider
// or a port bound twice fails here, without starting anything.
func TestModulesValidateForEveryVariant(t *testing.T) {
	vendors := []string{
		"AUTHD_SMS_TENCENT_SECRET_ID=id", "AUTHD_SMS_TENCENT_SECRET_KEY=key", "AUTHD_SMS_TENCENT_SDK_APP_ID=1400000000",
		"AUTHD_SMS_TENCENT_SIGN_NAME=sig", "AUTHD_SMS_TENCENT_TEMPLATE_LOGIN=1", "AUTHD_SMS_TENCENT_TEMPLATE_RESET_PASSWORD=2",
		"AUTHD_SMS_ALIYUN_ACCESS_KEY_ID=id", "AUTHD_SMS_ALIYUN_ACCESS_KEY_SECRET=secret", "AUTHD_SMS_ALIYUN_SIGN_NAME=sig",
		"AUTHD_SMS_ALIYUN_TEMPLATE_LOGIN=SMS_1", "AUTHD_SMS_ALIYUN_TEMPLATE_RESET_PASSWORD=SMS_2",
	}
	variants := map[string][]string{
		"embedded":       nil,
		"postgres+redis": {"AUTHD_DATABASE_URL=postgres://authd@127.0.0.1:5432/authd?sslmode=disable", "AUTHD_REDIS_URL=redis://127.0.0.1:6379/0", "AUTHD_CODE_SECRET=0123456789abcdef0123"},
		"redis cluster":  {"AUTHD_REDIS_URL=127.0.0.1:7000,127.0.0.1:7001,127.0.0.1:7002"},
		"vendors":        append([]string{"AUTHD_SMS_PROVIDERS=tencent,aliyun"}, vendors...),
		"pprof":          {"AUTHD_PPROF_ADDR=127.0.0.1:0"},
		"routes": append([]string{"AUTHD_SMS_ROUTES=CN=tencent,aliyun;HK,MO=aliyun;*=console",
			"AUTHD_SMS_ALLOWED_REGIONS=*"}, vendors...),
	}
	for name, env := range variants {
		t.Run(name, func(t *testing.T) {
			s, err := LoadSettings("", append([]string{"AUTHD_DATA_DIR=" + t.TempDir()}, env...))
			if err != nil {
				t.Fatal(err)
			}
			opts, err := Modules(s, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if err := fx.ValidateApp(opts); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// A route the allowlist forbids, or naming a vendor without its keys,
// stops the start with the key named.
func TestModulesRefuseBadRoutes(t *testing.T) {
	for env, key := range map[string]string{
		"AUTHD_SMS_ROUTES=CN=console;US=console": "AUTHD_SMS_ROUTES",
		"AUTHD_SMS_ROUTES=CN=console,tencent":    "AUTHD_SMS_TENCENT_SECRET_ID",
		"AUTHD_SMS_ROUTES=CN=console,nexmo":      "AUTHD_SMS_ROUTES",
	} {
		s, err := LoadSettings("", []string{"AUTHD_DATA_DIR=" + t.TempDir(), env})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Modules(s, io.Discard)
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("%s: err = %v, want %s named", env, err, key)
		}
	}
}
