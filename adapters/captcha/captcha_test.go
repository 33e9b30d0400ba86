package captcha_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authd/authd/adapters/captcha"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// fakeSiteverify answers like Turnstile, hCaptcha and reCAPTCHA: it checks
// the secret, the token and the client IP; "v3:<score>" tokens answer with
// a score as reCAPTCHA v3 does.
func fakeSiteverify(t *testing.T, status int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
			t.Errorf("request %s %s", r.Method, r.Header.Get("Content-Type"))
		}
		if status != 200 {
			w.WriteHeader(status)
			return
		}
		_ = r.ParseForm()
		out := map[string]any{"success": false}
		switch {
		case r.Form.Get("secret") != "s3cret":
			out["error-codes"] = []string{"invalid-input-secret"}
		case r.Form.Get("remoteip") != "203.0.113.9":
			out["error-codes"] = []string{"bad-ip"}
		case r.Form.Get("response") == "good":
			out["success"] = true
		case strings.HasPrefix(r.Form.Get("response"), "v3:"):
			out["success"] = true
			out["score"] = json.Number(strings.TrimPrefix(r.Form.Get("response"), "v3:"))
		default:
			out["error-codes"] = []string{"invalid-input-response"}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSiteverify(t *testing.T) {
	srv := fakeSiteverify(t, 200)
	for _, provider := range []string{captcha.Turnstile, captcha.HCaptcha, captcha.ReCAPTCHA} {
		t.Run(provider, func(t *testing.T) {
			for _, tt := range []struct {
				secret, token string
				want          error
			}{
				{"s3cret", "good", nil},
				{"s3cret", "bad", domain.ErrCaptchaFailed},
				{"s3cret", "", domain.ErrCaptchaFailed},
				{"s3cret", "v3:0.9", nil},
				{"s3cret", "v3:0.3", domain.ErrCaptchaFailed}, // under the 0.5 threshold
				{"wrong", "good", domain.ErrUnavailable},      // our secret is wrong: an outage, not the client's fault
			} {
				c, err := captcha.New(captcha.Config{Provider: provider, Secret: tt.secret, SiteKey: "site", VerifyURL: srv.URL, MinScore: 0.5})
				if err != nil {
					t.Fatal(err)
				}
				if c.Provider() != provider || c.SiteKey() != "site" {
					t.Fatalf("Provider/SiteKey = %s/%s", c.Provider(), c.SiteKey())
				}
				err = c.Verify(t.Context(), ports.CaptchaAnswer{Token: tt.token, IP: "203.0.113.9"})
				if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
					t.Errorf("secret %s token %q: %v, want %v", tt.secret, tt.token, err, tt.want)
				}
			}
		})
	}
}

func TestSiteverifyOutage(t *testing.T) {
	srv := fakeSiteverify(t, 503)
	c, _ := captcha.New(captcha.Config{Provider: captcha.Turnstile, Secret: "s3cret", SiteKey: "site", VerifyURL: srv.URL})
	if err := c.Verify(t.Context(), ports.CaptchaAnswer{Token: "good", IP: "203.0.113.9"}); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("503 from the provider: %v, want ErrUnavailable", err)
	}
	srv.Close()
	if err := c.Verify(t.Context(), ports.CaptchaAnswer{Token: "good"}); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("provider unreachable: %v, want ErrUnavailable", err)
	}
}

// fakeTencent answers DescribeCaptchaResult as Tencent Cloud does, after
// checking the call is TC3-signed with our SecretId and carries our app.
func fakeTencent(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "TC3-HMAC-SHA256 Credential=AKIDtest/") || r.Header.Get("X-TC-Action") != "DescribeCaptchaResult" ||
			r.Header.Get("X-TC-Version") != "2019-07-22" {
			t.Errorf("unsigned or wrong call: %q %q", auth, r.Header.Get("X-TC-Action"))
		}
		body, _ := io.ReadAll(r.Body)
		var in struct {
			CaptchaType  int
			Ticket       string
			Randstr      string
			UserIp       string
			CaptchaAppId uint64
			AppSecretKey string
		}
		_ = json.Unmarshal(body, &in)
		code, msg := int64(7), "ticket invalid"
		switch {
		case in.AppSecretKey != "appsecret" || in.CaptchaAppId != 190000001:
			code, msg = 100, "appsecretkey-ticket mismatch"
		case in.Ticket == "good" && in.Randstr == "rs" && in.CaptchaType == 9 && in.UserIp == "203.0.113.9":
			code, msg = 1, "OK"
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"Response": map[string]any{
			"CaptchaCode": code, "CaptchaMsg": msg, "EvilLevel": 0, "RequestId": "req-1"}})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestTencent(t *testing.T) {
	srv := fakeTencent(t)
	newC := func(secret string) ports.Captcha {
		c, err := captcha.New(captcha.Config{Provider: captcha.Tencent, Secret: secret, SiteKey: "190000001", VerifyURL: srv.URL,
			TencentSecretID: "AKIDtest", TencentSecretKey: "key"})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, tt := range []struct {
		secret, ticket, randstr string
		want                    error
	}{
		{"appsecret", "good", "rs", nil},
		{"appsecret", "bad", "rs", domain.ErrCaptchaFailed},
		{"appsecret", "good", "", domain.ErrCaptchaFailed},
		{"wrong", "good", "rs", domain.ErrUnavailable},
	} {
		err := newC(tt.secret).Verify(t.Context(), ports.CaptchaAnswer{Token: tt.ticket, Randstr: tt.randstr, IP: "203.0.113.9"})
		if !errors.Is(err, tt.want) && !(tt.want == nil && err == nil) {
			t.Errorf("%+v: %v, want %v", tt, err, tt.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tt := range []struct {
		cfg captcha.Config
		key string
	}{
		{captcha.Config{Provider: "geetest", Secret: "s", SiteKey: "k"}, "AUTHD_CAPTCHA_PROVIDER"},
		{captcha.Config{Provider: "turnstile", SiteKey: "k"}, "AUTHD_CAPTCHA_SECRET"},
		{captcha.Config{Provider: "turnstile", Secret: "s"}, "AUTHD_CAPTCHA_SITE_KEY"},
		{captcha.Config{Provider: "turnstile", Secret: "s", SiteKey: "k", VerifyURL: "ftp://x"}, "AUTHD_CAPTCHA_VERIFY_URL"},
		{captcha.Config{Provider: "recaptcha", Secret: "s", SiteKey: "k", MinScore: 2}, "AUTHD_CAPTCHA_MIN_SCORE"},
		{captcha.Config{Provider: "tencent", Secret: "s", SiteKey: "1"}, "AUTHD_CAPTCHA_TENCENT_SECRET_ID"},
	} {
		var ce *domain.ConfigError
		if err := tt.cfg.Validate(); !errors.As(err, &ce) || ce.Key != tt.key {
			t.Errorf("%+v: %v, want an error naming %s", tt.cfg, err, tt.key)
		}
	}
	if c, err := captcha.New(captcha.Config{}); err != nil || c != nil {
		t.Errorf("no provider: %v, %v; want nil, nil", c, err)
	}
}
