// Package captcha verifies captcha answers with the provider the operator
// chose: Cloudflare Turnstile, hCaptcha, Google reCAPTCHA (v2, and v3 with
// a score threshold) or Tencent Captcha (usable inside mainland China).
package captcha

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authd/authd/domain"
	"github.com/authd/authd/ports"
)

// The providers.
const (
	Turnstile = "turnstile"
	HCaptcha  = "hcaptcha"
	ReCAPTCHA = "recaptcha"
	Tencent   = "tencent"
)

// defaultURLs are the providers' documented verify endpoints.
var defaultURLs = map[string]string{
	Turnstile: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
	HCaptcha:  "https://api.hcaptcha.com/siteverify",
	ReCAPTCHA: "https://www.google.com/recaptcha/api/siteverify",
	Tencent:   "https://captcha.tencentcloudapi.com",
}

// Config is AUTHD_CAPTCHA_*.
type Config struct {
	Provider  string // empty: no captcha
	Secret    string // the provider's secret key (Tencent: AppSecretKey)
	SiteKey   string // the widget's public key (Tencent: CaptchaAppId)
	VerifyURL string // override of the verify endpoint, for tests
	// MinScore is the least reCAPTCHA v3 score accepted (v2 answers have
	// no score and are accepted on success alone).
	MinScore float64
	// TencentSecretID and TencentSecretKey are the Tencent Cloud API
	// credentials that sign the DescribeCaptchaResult call.
	TencentSecretID, TencentSecretKey string
	Timeout                           time.Duration
}

// Validate names the key at fault.
func (c Config) Validate() error {
	if c.Provider == "" {
		return nil
	}
	if _, ok := defaultURLs[c.Provider]; !ok {
		return &domain.ConfigError{Key: "AUTHD_CAPTCHA_PROVIDER", Msg: fmt.Sprintf("want turnstile, hcaptcha, recaptcha or tencent, got %q", c.Provider)}
	}
	if c.Secret == "" {
		return &domain.ConfigError{Key: "AUTHD_CAPTCHA_SECRET", Msg: "required with a captcha provider"}
	}
	if c.SiteKey == "" {
		return &domain.ConfigError{Key: "AUTHD_CAPTCHA_SITE_KEY", Msg: "required with a captcha provider"}
	}
	if c.VerifyURL != "" {
		if u, err := url.Parse(c.VerifyURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return &domain.ConfigError{Key: "AUTHD_CAPTCHA_VERIFY_URL", Msg: "want an http(s) URL"}
		}
	}
	if c.MinScore < 0 || c.MinScore > 1 {
		return &domain.ConfigError{Key: "AUTHD_CAPTCHA_MIN_SCORE", Msg: "want a score between 0 and 1"}
	}
	if c.Provider == Tencent && (c.TencentSecretID == "" || c.TencentSecretKey == "") {
		return &domain.ConfigError{Key: "AUTHD_CAPTCHA_TENCENT_SECRET_ID", Msg: "Tencent Captcha needs API credentials (or AUTHD_SMS_TENCENT_SECRET_ID/_KEY)"}
	}
	return nil
}

// New returns the configured provider, or nil when there is none.
func New(cfg Config) (ports.Captcha, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Provider == "" {
		return nil, nil
	}
	if cfg.VerifyURL == "" {
		cfg.VerifyURL = defaultURLs[cfg.Provider]
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.Provider == Tencent {
		return newTencent(cfg)
	}
	return &siteverify{cfg: cfg, client: &http.Client{Timeout: cfg.Timeout}}, nil
}

// siteverify is the protocol Turnstile, hCaptcha and reCAPTCHA share: a
// form POST of secret, response and remoteip answered by
// {"success": bool, "score": float, "error-codes": [...]}.
type siteverify struct {
	cfg    Config
	client *http.Client
}

func (s *siteverify) Provider() string { return s.cfg.Provider }
func (s *siteverify) SiteKey() string  { return s.cfg.SiteKey }

// Verify implements ports.Captcha.
func (s *siteverify) Verify(ctx context.Context, a ports.CaptchaAnswer) error {
	if len(a.Token) > 4096 {
		return domain.ErrCaptchaFailed // no provider issues tokens this long
	}
	form := url.Values{"secret": {s.cfg.Secret}, "response": {a.Token}}
	if a.IP != "" {
		form.Set("remoteip", a.IP)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.VerifyURL, strings.NewReader(form.Encode()))
	if err != nil {
		return domain.Unavailable("captcha", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return domain.Unavailable("captcha", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return domain.Unavailable("captcha", fmt.Errorf("verify answered %s", resp.Status))
	}
	var out struct {
		Success bool     `json:"success"`
		Score   *float64 `json:"score"`
		Errors  []string `json:"error-codes"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&out); err != nil {
		return domain.Unavailable("captcha", fmt.Errorf("verify answer: %w", err))
	}
	if !out.Success {
		if providerFault(out.Errors) {
			return domain.Unavailable("captcha", errors.New("provider refused our request: "+strings.Join(out.Errors, ",")))
		}
		return domain.ErrCaptchaFailed
	}
	if out.Score != nil && *out.Score < s.cfg.MinScore {
		return domain.ErrCaptchaFailed
	}
	return nil
}

// providerFault tells our own misconfiguration (a wrong secret) or the
// provider's trouble from a bad answer: the first is an outage, not the
// client's failure.
func providerFault(codes []string) bool {
	for _, c := range codes {
		switch c {
		case "missing-input-secret", "invalid-input-secret", "internal-error", "sitekey-secret-mismatch":
			return true
		}
	}
	return false
}
