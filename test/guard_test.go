package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/harness"
)

// fakeTurnstile is a siteverify server that accepts the token "good" with
// the secret "captcha-secret" and counts its calls.
func fakeTurnstile(t *testing.T) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		ok := r.Form.Get("secret") == "captcha-secret" && r.Form.Get("response") == "good"
		_ = json.NewEncoder(w).Encode(map[string]any{"success": ok})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// pumpNumber is the i-th number of one 10,000-number range, texted from
// its own IP through the trusted proxy.
func pumpNumber(i int) string { return fmt.Sprintf("+861391230%04d", i) }

func sendFrom(c *harness.Client, phone string, ip int, captcha map[string]string) harness.Response {
	body := map[string]any{"phone": phone}
	if captcha != nil {
		body["captcha"] = captcha
	}
	return c.Post("/v1/sms/codes", body, "X-Forwarded-For: 203.0."+strconv.Itoa(ip/250)+"."+strconv.Itoa(ip%250+1))
}

// TestGuardOverHTTP: a pumped range is first challenged (428 with the
// widget's provider and site key; a bad token 403, a good one 202), then
// blocked (429 sms_blocked with Retry-After and a detail naming no rule),
// on every backend.
func TestGuardOverHTTP(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		clock := portstest.NewClock(time.Date(2030, 1, 1, 8, 0, 0, 0, time.UTC))
		verify := fakeTurnstile(t)
		inst := start(t, b, harness.Options{Clock: clock, Env: map[string]string{
			"AUTHD_TRUSTED_PROXIES": "127.0.0.1/32,::1/128", "AUTHD_CAPTCHA_PROVIDER": "turnstile",
			"AUTHD_CAPTCHA_SECRET": "captcha-secret", "AUTHD_CAPTCHA_SITE_KEY": "0x4AAAsite",
			"AUTHD_CAPTCHA_VERIFY_URL": verify.URL,
		}})
		c := inst.Client(t)
		for i := range 4 {
			if r := sendFrom(c, pumpNumber(i), i, nil); r.Status != 202 {
				t.Fatalf("send %d: %d %s", i, r.Status, r.Raw)
			}
		}
		clock.Advance(3 * time.Minute) // the codes are old enough to count as never entered
		r := sendFrom(c, pumpNumber(10), 10, nil)
		wantProblem(t, r, 428, "captcha_required")
		if r.Str("captcha_provider") != "turnstile" || r.Str("captcha_site_key") != "0x4AAAsite" {
			t.Fatalf("428 without the widget's members: %s", r.Raw)
		}
		wantProblem(t, sendFrom(c, pumpNumber(10), 10, map[string]string{"token": "forged"}), 403, "captcha_failed")
		if r := sendFrom(c, pumpNumber(10), 10, map[string]string{"token": "good"}); r.Status != 202 {
			t.Fatalf("send with a good captcha: %d %s", r.Status, r.Raw)
		}
		for i := 11; i < 15; i++ {
			sendFrom(c, pumpNumber(i), i, map[string]string{"token": "good"})
		}
		clock.Advance(3 * time.Minute)
		sent := len(inst.SMS.Sent())
		r = sendFrom(c, pumpNumber(20), 20, map[string]string{"token": "good"})
		wantProblem(t, r, 429, "sms_blocked")
		if r.Header.Get("Retry-After") == "" || r.JSON["retry_after"] == nil || r.Str("detail") != "sending to this number is not possible right now" {
			t.Fatalf("429 sms_blocked: %v %s", r.Header, r.Raw)
		}
		if len(inst.SMS.Sent()) != sent {
			t.Fatal("a blocked send reached the vendor")
		}
		// A number elsewhere in the country is still served.
		if r := sendFrom(c, "+8613512345678", 99, nil); r.Status != 202 {
			t.Fatalf("another range: %d %s", r.Status, r.Raw)
		}
	})
}

// TestScreenedNumbers: premium-rate, toll-free and VoIP numbers are 400
// invalid_phone before anything is counted or sent.
func TestScreenedNumbers(t *testing.T) {
	inst := start(t, embedded, harness.Options{Env: map[string]string{"AUTHD_SMS_ALLOWED_REGIONS": "*"}})
	c := inst.Client(t)
	for _, phone := range []string{"+19005550123", "+18005550199", "+445612345678", "+861065529988"} {
		wantProblem(t, c.Post("/v1/sms/codes", map[string]string{"phone": phone}), 400, "invalid_phone")
	}
	if n := len(inst.SMS.Sent()); n != 0 {
		t.Fatalf("%d texts sent to screened numbers", n)
	}
}
