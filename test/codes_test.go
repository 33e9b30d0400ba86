package test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
)

func TestRequestCodeAndLoginOrRegister(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		phone := newPhone()

		r := c.Post("/v1/sms/codes", map[string]string{"phone": phone})
		if r.Status != 202 || r.Str("phone") != e164(phone) || r.Str("purpose") != "login" ||
			r.JSON["expires_in"] != 300.0 || r.JSON["resend_after"] != 60.0 {
			t.Fatalf("request code: %d %s", r.Status, r.Raw)
		}
		msg, ok := inst.SMS.Last(e164(phone))
		if !ok || len(msg.Code) != 6 || msg.Purpose != "login" {
			t.Fatalf("sms: %+v %v", msg, ok)
		}

		s := c.Post("/v1/sessions/sms", map[string]string{"phone": "+86 " + phone[:3] + "-" + phone[3:], "code": msg.Code})
		if s.Status != 201 || s.JSON["created"] != true || s.Str("token_type") != "Bearer" ||
			s.JSON["expires_in"] != 900.0 || s.JSON["refresh_expires_in"] != 2592000.0 ||
			s.Str("access_token") == "" || len(s.Str("refresh_token")) < 43 {
			t.Fatalf("first login: %d %s", s.Status, s.Raw)
		}
		u := s.User()
		name, _ := u["username"].(string)
		if u["phone"] != e164(phone) || u["has_password"] != false || u["email"] != nil || u["icon"] != nil ||
			strings.ContainsAny(name, "@") || strings.Trim(name, "0123456789+") == "" || u["id"] == "" {
			t.Fatalf("user: %v", u)
		}
		if _, err := time.Parse(time.RFC3339, u["created_at"].(string)); err != nil {
			t.Errorf("created_at: %v", err)
		}
		// The code was used: the same code again is refused.
		again := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": msg.Code})
		wantProblem(t, again, 401, "invalid_code")

		me := c.Get("/v1/me", bearer(s))
		if me.Status != 200 || me.Str("id") != u["id"] || me.Str("phone") != e164(phone) {
			t.Fatalf("me: %d %s", me.Status, me.Raw)
		}
	})
}

func TestReturningUserLogsInWithCreatedFalse(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_CODE_RESEND_AFTER": "1s"}})
		c := inst.Client(t)
		phone := newPhone()
		first := login(t, inst, c, phone)
		time.Sleep(1100 * time.Millisecond) // the resend cooldown
		second := login(t, inst, c, phone)
		if second.Status != 200 || second.JSON["created"] != false || second.User()["id"] != first.User()["id"] {
			t.Fatalf("returning login: %d %s", second.Status, second.Raw)
		}
	})
}

func TestRequestCodeRejectsBadInput(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		tests := []struct {
			name   string
			body   any
			status int
			code   string
		}{
			{"malformed JSON", `{"phone": `, 400, "invalid_request"},
			{"wrong type", `{"phone": 13800138000}`, 400, "invalid_request"},
			{"empty body", "", 400, "invalid_request"},
			{"bad purpose", map[string]string{"phone": newPhone(), "purpose": "admin"}, 400, "invalid_request"},
			{"not a number", map[string]string{"phone": "hello"}, 400, "invalid_phone"},
			{"too short", map[string]string{"phone": "12345"}, 400, "invalid_phone"},
			{"empty phone", map[string]string{"phone": ""}, 400, "invalid_phone"},
			{"region not allowed", map[string]string{"phone": "+1 415 555 2671"}, 403, "region_not_allowed"},
		}
		for _, tt := range tests {
			r := c.Post("/v1/sms/codes", tt.body)
			if r.Status != tt.status || r.Code() != tt.code {
				t.Errorf("%s: got %d %s, want %d %s", tt.name, r.Status, r.Raw, tt.status, tt.code)
			}
		}
		if n := len(inst.SMS.Sent()); n != 0 {
			t.Errorf("%d SMS sent for bad requests", n)
		}
		// Unknown members are ignored.
		r := c.Post("/v1/sms/codes", map[string]any{"phone": newPhone(), "extra": []int{1}})
		if r.Status != 202 {
			t.Errorf("unknown member: %d %s", r.Status, r.Raw)
		}
	})
}

func TestWrongExpiredAndBurnedCodes(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_CODE_TTL": "1s", "AUTHD_CODE_MAX_ATTEMPTS": "3"}})
		c := inst.Client(t)

		never := c.Post("/v1/sessions/sms", map[string]string{"phone": newPhone(), "code": "123456"})
		wantProblem(t, never, 401, "invalid_code")

		burned := newPhone()
		code := requestCode(t, inst, c, burned, "")
		wrong := flip(code)
		for range 3 {
			wantProblem(t, c.Post("/v1/sessions/sms", map[string]string{"phone": burned, "code": wrong}), 401, "invalid_code")
		}
		// Burned after max attempts: even the right code is refused, alike.
		r := c.Post("/v1/sessions/sms", map[string]string{"phone": burned, "code": code})
		wantProblem(t, r, 401, "invalid_code")
		if r.Str("detail") != never.Str("detail") {
			t.Errorf("burned and never-issued differ: %q vs %q", r.Str("detail"), never.Str("detail"))
		}

		expired := newPhone()
		code = requestCode(t, inst, c, expired, "")
		time.Sleep(1500 * time.Millisecond)
		wantProblem(t, c.Post("/v1/sessions/sms", map[string]string{"phone": expired, "code": code}), 401, "invalid_code")

		malformed := c.Post("/v1/sessions/sms", map[string]string{"phone": newPhone(), "code": "12ab56"})
		wantProblem(t, malformed, 401, "invalid_code")
		missing := c.Post("/v1/sessions/sms", map[string]string{"phone": newPhone()})
		wantProblem(t, missing, 400, "invalid_request")
	})
}

// flip returns a different code of the same length.
func flip(code string) string {
	d := (code[0]-'0'+1)%10 + '0'
	return string(d) + code[1:]
}

func TestConcurrentVerifiesExactlyOneWins(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		phone := newPhone()
		code := requestCode(t, inst, c, phone, "")
		var wg sync.WaitGroup
		statuses := make([]int, 16)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = inst.Client(t).Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code}).Status
			}()
		}
		wg.Wait()
		wins := 0
		for _, s := range statuses {
			switch s {
			case 200, 201:
				wins++
			case 401:
			default:
				t.Errorf("unexpected status %d", s)
			}
		}
		if wins != 1 {
			t.Fatalf("%d of 16 concurrent verifies won, want exactly 1 (%v)", wins, statuses)
		}
	})
}

func TestResendCooldownAndCaps(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_CODE_RESEND_AFTER": "30s"}})
		c := inst.Client(t)
		phone := newPhone()
		requestCode(t, inst, c, phone, "")
		r := c.Post("/v1/sms/codes", map[string]string{"phone": phone})
		wantProblem(t, r, 429, "rate_limited")
		ra, err := strconv.Atoi(r.Header.Get("Retry-After"))
		if err != nil || ra < 1 || ra > 30 || r.JSON["retry_after"] != float64(ra) {
			t.Fatalf("Retry-After %q, retry_after %v", r.Header.Get("Retry-After"), r.JSON["retry_after"])
		}
		// The cooldown is per purpose: a reset code may still be asked for.
		if r := c.Post("/v1/sms/codes", map[string]string{"phone": phone, "purpose": "reset_password"}); r.Status != 202 {
			t.Fatalf("reset after login code: %d %s", r.Status, r.Raw)
		}
	})
}

func TestPerIPCodeLimitIgnoresUntrustedForwardedFor(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_IP_CODE_LIMIT": "2"}})
		c := inst.Client(t)
		for i := range 2 {
			r := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()}, "X-Forwarded-For: 203.0.113."+strconv.Itoa(i))
			if r.Status != 202 {
				t.Fatalf("send %d: %d %s", i, r.Status, r.Raw)
			}
		}
		// A new forged address does not buy a new budget: the peer is not a trusted proxy.
		r := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()}, "X-Forwarded-For: 198.51.100.7")
		wantProblem(t, r, 429, "rate_limited")
	})
}

func TestTrustedProxyForwardedForIsBelieved(t *testing.T) {
	inst := start(t, embedded, harness.Options{Env: map[string]string{
		"AUTHD_IP_CODE_LIMIT": "1", "AUTHD_TRUSTED_PROXIES": "127.0.0.1/32,::1/128"}})
	c := inst.Client(t)
	for i := range 3 {
		// The client (left of our proxy's entry) differs each time; the
		// rightmost untrusted hop is the client.
		r := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()},
			"X-Forwarded-For: 10.9.9.9, 203.0.113."+strconv.Itoa(i))
		if r.Status != 202 {
			t.Fatalf("client %d through a trusted proxy: %d %s", i, r.Status, r.Raw)
		}
	}
	r := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()}, "X-Forwarded-For: 203.0.113.0")
	wantProblem(t, r, 429, "rate_limited")
}

func TestSMSFailureLeavesNoCodeAndNoCooldown(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		phone := newPhone()
		inst.SMS.Err = errDeliveryFailed
		r := c.Post("/v1/sms/codes", map[string]string{"phone": phone})
		wantProblem(t, r, 502, "sms_delivery_failed")
		if len(inst.SMS.Failed) != 1 {
			t.Fatalf("want one failed send, got %d", len(inst.SMS.Failed))
		}
		undelivered := inst.SMS.Failed[0].Code
		inst.SMS.Err = nil
		// No cooldown was consumed: an immediate retry is sent.
		code := requestCode(t, inst, c, phone, "")
		if undelivered != code {
			// The undelivered code is not usable.
			wantProblem(t, c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": undelivered}), 401, "invalid_code")
		}
		if r := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code}); r.Status != 201 {
			t.Fatalf("login with the delivered code: %d %s", r.Status, r.Raw)
		}
	})
}

func TestRequestIDAndBodyLimit(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	c := inst.Client(t)
	r := c.Get("/healthz", "X-Request-ID: abc-123")
	if r.Status != 200 || r.Header.Get("X-Request-ID") != "abc-123" {
		t.Fatalf("echo: %d %q", r.Status, r.Header.Get("X-Request-ID"))
	}
	if r := c.Get("/healthz"); len(r.Header.Get("X-Request-ID")) < 16 {
		t.Fatalf("generated id %q", r.Header.Get("X-Request-ID"))
	}
	big := `{"phone":"` + strings.Repeat("1", 70<<10) + `"}`
	wantProblem(t, c.Post("/v1/sms/codes", big), 413, "request_too_large")
	// A compressed body could inflate past the limit: refused unread.
	wantProblem(t, c.Post("/v1/sms/codes", "\x1f\x8b\x08\x00", "Content-Encoding: gzip"), 415, "unsupported_media_type")
	wantProblem(t, c.Get("/v1/nothing-here"), 404, "not_found")
	wantProblem(t, c.Do(http.MethodDelete, "/v1/sms/codes", nil), 405, "method_not_allowed")
}
