package test

import (
	"context"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/domain"
	"github.com/authd/authd/test/harness"
)

// quickCodes lets a test ask for several codes per phone without waiting.
var quickCodes = map[string]string{"AUTHD_CODE_RESEND_AFTER": "0s", "AUTHD_CODE_HOURLY_LIMIT": "50", "AUTHD_CODE_DAILY_LIMIT": "50"}

// postReset calls POST /v1/password/reset.
func postReset(c *harness.Client, phone, code, newPassword string) harness.Response {
	return c.Post("/v1/password/reset", map[string]string{"phone": phone, "code": code, "new_password": newPassword})
}

func TestResetPassword(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: quickCodes})
		c := inst.Client(t)

		// A phone nobody registered gets the same answer and no SMS.
		stranger := newPhone()
		unknown := c.Post("/v1/sms/codes", map[string]string{"phone": stranger, "purpose": "reset_password"})
		if unknown.Status != http.StatusAccepted {
			t.Fatalf("reset code for an unregistered phone: %d %s", unknown.Status, unknown.Raw)
		}
		if m, ok := inst.SMS.Last(e164(stranger)); ok {
			t.Fatalf("SMS sent to an unregistered phone: %+v", m)
		}
		wantProblem(t, postReset(c, stranger, "123456", pwSecond), http.StatusUnauthorized, "invalid_code")

		phone := newPhone()
		first := login(t, inst, c, phone)
		setFirstPassword(t, c, first, pwFirst)
		second := postPasswordLogin(c, phone, pwFirst)
		wantSession(t, second, first.User()["id"].(string), first)

		known := c.Post("/v1/sms/codes", map[string]string{"phone": phone, "purpose": "reset_password"})
		if known.Status != http.StatusAccepted {
			t.Fatalf("reset code: %d %s", known.Status, known.Raw)
		}
		if known.Str("phone") != e164(phone) || unknown.Str("phone") != e164(stranger) {
			t.Errorf("phones %q and %q, want E.164", known.Str("phone"), unknown.Str("phone"))
		}
		k, u := maps.Clone(known.JSON), maps.Clone(unknown.JSON)
		delete(k, "phone")
		delete(u, "phone")
		if !maps.Equal(k, u) || k["purpose"] != "reset_password" {
			t.Errorf("registered phone's answer %s differs from an unregistered one's %s", known.Raw, unknown.Raw)
		}
		inst.Settle(t)
		msg, ok := inst.SMS.Last(e164(phone))
		if !ok || msg.Purpose != domain.PurposeResetPassword {
			t.Fatalf("want a reset_password SMS, got %+v (sent %v)", msg, ok)
		}
		resetCode := msg.Code

		// A login code is not a reset code.
		loginCode := requestCode(t, inst, c, phone, "login")
		for loginCode == resetCode {
			loginCode = requestCode(t, inst, c, phone, "login")
		}
		wantProblem(t, postReset(c, phone, loginCode, pwSecond), http.StatusUnauthorized, "invalid_code")

		// A refused password does not use up the code.
		r := postReset(c, phone, resetCode, "password123")
		wantProblem(t, r, http.StatusBadRequest, "weak_password")
		if r.Str("detail") == "" {
			t.Errorf("weak_password without a reason: %s", r.Raw)
		}
		wantProblem(t, postReset(c, phone, resetCode, "short"), http.StatusBadRequest, "weak_password")
		wantProblem(t, postReset(c, phone, "", pwSecond), http.StatusBadRequest, "invalid_request")
		wantProblem(t, c.Post("/v1/password/reset", `{"phone":`), http.StatusBadRequest, "invalid_request")

		if r := postReset(c, e164(phone), resetCode, pwSecond); r.Status != http.StatusNoContent {
			t.Fatalf("reset: %d %s", r.Status, r.Raw)
		}
		wantProblem(t, postReset(c, phone, resetCode, pwThird), http.StatusUnauthorized, "invalid_code")

		wantProblem(t, postPasswordLogin(c, phone, pwFirst), http.StatusUnauthorized, "invalid_credentials")
		third := postPasswordLogin(c, phone, pwSecond)
		wantSession(t, third, first.User()["id"].(string), first)
		for name, s := range map[string]harness.Response{"SMS session": first, "password session": second} {
			if r := postRefresh(c, s); r.Status != http.StatusUnauthorized || r.Code() != "invalid_token" {
				t.Errorf("%s refresh after reset: %d %s, want 401 invalid_token", name, r.Status, r.Raw)
			}
		}
		// The login code presented to reset is still good for logging in.
		if r := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": loginCode}); r.Status != http.StatusOK {
			t.Errorf("login code after the reset: %d %s", r.Status, r.Raw)
		}
	})
}

func TestUserExists(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		t.Run("lookup", func(t *testing.T) {
			t.Parallel()
			inst := start(t, b, harness.Options{})
			c := inst.Client(t)
			phone := newPhone()
			login(t, inst, c, phone)
			stranger := newPhone()
			for _, tc := range []struct {
				query, phone string
				exists       bool
			}{
				{phone, e164(phone), true},
				{e164(phone), e164(phone), true},
				{"+86 " + phone[:3] + "-" + phone[3:], e164(phone), true},
				{stranger, e164(stranger), false},
				{e164(stranger), e164(stranger), false},
			} {
				r := c.Get("/v1/users/exists?phone=" + url.QueryEscape(tc.query))
				want := map[string]any{"phone": tc.phone, "exists": tc.exists}
				if r.Status != http.StatusOK || !maps.Equal(r.JSON, want) {
					t.Errorf("exists?phone=%s: %d %s, want %v", tc.query, r.Status, r.Raw, want)
				}
			}
			wantProblem(t, c.Get("/v1/users/exists?phone=12"), http.StatusBadRequest, "invalid_phone")
			wantProblem(t, c.Get("/v1/users/exists?phone=not-a-phone"), http.StatusBadRequest, "invalid_phone")
			wantProblem(t, c.Get("/v1/users/exists"), http.StatusBadRequest, "invalid_request")
			wantProblem(t, c.Get("/v1/users/exists?phone="), http.StatusBadRequest, "invalid_request")
		})
		t.Run("switched off", func(t *testing.T) {
			t.Parallel()
			inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_EXPOSE_PHONE_LOOKUP": "false"}})
			c := inst.Client(t)
			wantProblem(t, c.Get("/v1/users/exists?phone="+newPhone()), http.StatusNotFound, "not_found")
		})
		t.Run("rate limited", func(t *testing.T) {
			t.Parallel()
			inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_PHONE_LOOKUP_LIMIT": "2"}})
			c := inst.Client(t)
			for i := 0; i < 2; i++ {
				if r := c.Get("/v1/users/exists?phone=" + newPhone()); r.Status != http.StatusOK {
					t.Fatalf("lookup %d: %d %s", i+1, r.Status, r.Raw)
				}
			}
			wantRateLimited(t, c.Get("/v1/users/exists?phone="+newPhone()))
		})
	})
}

// startWithStore starts an instance on b and opens its database the way
// `authd users` does.
func startWithStore(t *testing.T, b backend, extra map[string]string) (*harness.Instance, *bunstore.Store) {
	t.Helper()
	env := b.env(t)
	for k, v := range extra {
		env[k] = v
	}
	inst := harness.Start(t, harness.Options{Env: env, FastPasswords: true})
	dbURL := env["AUTHD_DATABASE_URL"]
	if dbURL == "" {
		dbURL = "sqlite:" + filepath.Join(inst.DataDir, "authd.db")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	st, err := bunstore.Open(ctx, bunstore.Config{DatabaseURL: dbURL}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	if err := st.CheckSchema(ctx); err != nil {
		t.Fatal(err)
	}
	return inst, st
}

func TestDisabledAccount(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst, st := startWithStore(t, b, quickCodes)
		c := inst.Client(t)
		phone := newPhone()
		first := login(t, inst, c, phone)
		uid := first.User()["id"].(string)
		setFirstPassword(t, c, first, pwFirst)
		second := postPasswordLogin(c, phone, pwFirst)
		wantSession(t, second, uid, first)

		ctx := context.Background()
		// As `authd users disable` does.
		now := time.Now().UTC()
		if err := st.SetDisabled(ctx, uid, true, now); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeUser(ctx, uid, "", now); err != nil {
			t.Fatal(err)
		}

		code := requestCode(t, inst, c, phone, "")
		wantProblem(t, c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code}), http.StatusForbidden, "account_disabled")
		wantProblem(t, postPasswordLogin(c, phone, pwFirst), http.StatusForbidden, "account_disabled")
		for name, s := range map[string]harness.Response{"SMS session": first, "password session": second} {
			r := postRefresh(c, s)
			if !(r.Status == http.StatusUnauthorized && r.Code() == "invalid_token") &&
				!(r.Status == http.StatusForbidden && r.Code() == "account_disabled") {
				t.Errorf("%s refresh of a disabled account: %d %s", name, r.Status, r.Raw)
			}
		}
		// The refreshes above found the sessions revoked: they ended, and
		// their access tokens with them (API.md Tokens).
		wantProblem(t, c.Get("/v1/me", bearer(first)), http.StatusUnauthorized, "invalid_token")
		wantProblem(t, c.Do(http.MethodPatch, "/v1/me", map[string]string{"username": "disabled_user"}, bearer(first)),
			http.StatusUnauthorized, "invalid_token")
		wantProblem(t, putMePassword(c, first, pwSecond, pwFirst), http.StatusUnauthorized, "invalid_token")

		if err := st.SetDisabled(ctx, uid, false, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}
		code = requestCode(t, inst, c, phone, "")
		again := c.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code})
		if again.Status != http.StatusOK || again.User()["id"] != uid {
			t.Fatalf("SMS login after enabling: %d %s", again.Status, again.Raw)
		}
		wantSession(t, postPasswordLogin(c, phone, pwFirst), uid, first)
		if me := getMe(t, c, again); me["id"] != uid {
			t.Errorf("GET /v1/me after enabling: %v", me)
		}
		// Enabling does not bring back the revoked sessions.
		wantProblem(t, postRefresh(c, second), http.StatusUnauthorized, "invalid_token")
	})
}
