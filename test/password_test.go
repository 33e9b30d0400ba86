package test

import (
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/authd/authd/test/harness"
)

// Passwords zxcvbn rates safely unguessable, none derived from a phone.
const (
	pwFirst  = "Vq7!rT2#mK9@xL4p"
	pwSecond = "granite*Velvet58%monsoon"
	pwThird  = "Zt4&hW8^oJ1~cN6s"
	// pwLongest is 128 characters, the longest accepted.
	pwLongest = "PtYgj-mU~h%Bel31iEl?2h^pC~h_~YgCf@rL1s=p_N@xn~_yVm?i^hA#-2O7~6UMFxFk_M+#R5Kjp&1vRt!1fj@_ORS#~6ilI8ihN_5KXSc7Tvo#hBKqFYY#kv5Z?Jr3"
)

// putMePassword calls PUT /v1/me/password for session s; an empty current
// password is left out of the body.
func putMePassword(c *harness.Client, s harness.Response, newPassword, current string) harness.Response {
	body := map[string]string{"new_password": newPassword}
	if current != "" {
		body["current_password"] = current
	}
	return c.Do(http.MethodPut, "/v1/me/password", body, bearer(s))
}

// setFirstPassword sets session s's first password, failing t unless 204.
func setFirstPassword(t *testing.T, c *harness.Client, s harness.Response, password string) {
	t.Helper()
	if r := putMePassword(c, s, password, ""); r.Status != http.StatusNoContent {
		t.Fatalf("set first password: %d %s", r.Status, r.Raw)
	}
}

// postPasswordLogin calls POST /v1/sessions/password.
func postPasswordLogin(c *harness.Client, login, password string) harness.Response {
	return c.Post("/v1/sessions/password", map[string]string{"login": login, "password": password})
}

// postRefresh calls POST /v1/tokens/refresh with session s's refresh token.
func postRefresh(c *harness.Client, s harness.Response) harness.Response {
	return c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")})
}

// getMe returns GET /v1/me for session s, failing t unless 200.
func getMe(t *testing.T, c *harness.Client, s harness.Response) map[string]any {
	t.Helper()
	r := c.Get("/v1/me", bearer(s))
	if r.Status != http.StatusOK {
		t.Fatalf("GET /v1/me: %d %s", r.Status, r.Raw)
	}
	return r.JSON
}

// wantSession asserts a 200 session body for user id with created false,
// shaped like the SMS login's sms body.
func wantSession(t *testing.T, r harness.Response, userID string, sms harness.Response) {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("want 200 session, got %d %s", r.Status, r.Raw)
	}
	if got, want := slices.Sorted(maps.Keys(r.JSON)), slices.Sorted(maps.Keys(sms.JSON)); !slices.Equal(got, want) {
		t.Errorf("session members %v, SMS login has %v", got, want)
	}
	if got, want := slices.Sorted(maps.Keys(r.User())), slices.Sorted(maps.Keys(sms.User())); !slices.Equal(got, want) {
		t.Errorf("user members %v, SMS login has %v", got, want)
	}
	if r.Str("access_token") == "" || r.Str("refresh_token") == "" || r.Str("token_type") != "Bearer" {
		t.Errorf("tokens missing: %s", r.Raw)
	}
	if r.JSON["expires_in"] != sms.JSON["expires_in"] || r.JSON["refresh_expires_in"] != sms.JSON["refresh_expires_in"] {
		t.Errorf("lifetimes %v/%v, SMS login gave %v/%v", r.JSON["expires_in"], r.JSON["refresh_expires_in"],
			sms.JSON["expires_in"], sms.JSON["refresh_expires_in"])
	}
	if created, ok := r.JSON["created"].(bool); !ok || created {
		t.Errorf("created = %v, want false", r.JSON["created"])
	}
	if r.User()["id"] != userID {
		t.Errorf("user id %v, want %s", r.User()["id"], userID)
	}
}

// withoutRequestID is a problem body without its per-request member.
func withoutRequestID(r harness.Response) map[string]any {
	m := maps.Clone(r.JSON)
	delete(m, "request_id")
	return m
}

// wantRateLimited asserts 429 rate_limited with Retry-After equal to the
// body's retry_after, both positive whole seconds.
func wantRateLimited(t *testing.T, r harness.Response) {
	t.Helper()
	wantProblem(t, r, http.StatusTooManyRequests, "rate_limited")
	body, ok := r.JSON["retry_after"].(float64)
	header, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if !ok || err != nil || body <= 0 || float64(header) != body {
		t.Errorf("Retry-After %q, retry_after %v: want the same positive whole seconds", r.Header.Get("Retry-After"), r.JSON["retry_after"])
	}
}

func TestSetAndChangePassword(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		s := login(t, inst, c, newPhone())
		if hp := getMe(t, c, s)["has_password"]; hp != false {
			t.Fatalf("has_password %v before setting one", hp)
		}

		for name, pw := range map[string]string{
			"common":    "password123",
			"digits":    "12345678",
			"too short": "aB3$xY9",
			"too long":  pwLongest + "z",
		} {
			r := putMePassword(c, s, pw, "")
			wantProblem(t, r, http.StatusBadRequest, "weak_password")
			if r.Str("detail") == "" {
				t.Errorf("%s: weak_password without a reason: %s", name, r.Raw)
			}
		}
		wantProblem(t, c.Do(http.MethodPut, "/v1/me/password", map[string]string{}, bearer(s)), http.StatusBadRequest, "invalid_request")
		wantProblem(t, c.Do(http.MethodPut, "/v1/me/password", `{"new_password":`, bearer(s)), http.StatusBadRequest, "invalid_request")
		wantProblem(t, c.Do(http.MethodPut, "/v1/me/password", map[string]any{"new_password": 12345678}, bearer(s)), http.StatusBadRequest, "invalid_request")
		if hp := getMe(t, c, s)["has_password"]; hp != false {
			t.Fatalf("has_password %v after refused passwords", hp)
		}

		long := pwLongest
		if r := putMePassword(c, s, long, ""); r.Status != http.StatusNoContent {
			t.Fatalf("first password of 128 characters: %d %s", r.Status, r.Raw)
		}
		if hp := getMe(t, c, s)["has_password"]; hp != true {
			t.Fatalf("has_password %v after setting one", hp)
		}

		wantProblem(t, putMePassword(c, s, pwSecond, ""), http.StatusUnauthorized, "invalid_credentials")
		wantProblem(t, putMePassword(c, s, pwSecond, pwFirst), http.StatusUnauthorized, "invalid_credentials")
		wantProblem(t, putMePassword(c, s, pwSecond, long[:127]), http.StatusUnauthorized, "invalid_credentials")
		wantProblem(t, putMePassword(c, s, "12345678", long), http.StatusBadRequest, "weak_password")
		if r := putMePassword(c, s, pwSecond, long); r.Status != http.StatusNoContent {
			t.Fatalf("change with the right current password: %d %s", r.Status, r.Raw)
		}

		phone := s.User()["phone"].(string)
		wantProblem(t, postPasswordLogin(c, phone, long), http.StatusUnauthorized, "invalid_credentials")
		wantSession(t, postPasswordLogin(c, phone, pwSecond), s.User()["id"].(string), s)
	})
}

func TestPasswordLogin(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		phone := newPhone()
		s := login(t, inst, c, phone)
		uid := s.User()["id"].(string)
		setFirstPassword(t, c, s, pwFirst)
		username := getMe(t, c, s)["username"].(string)
		r := c.Do(http.MethodPatch, "/v1/me", map[string]string{"email": "Alice.Pw@Example.com"}, bearer(s))
		if r.Status != http.StatusOK {
			t.Fatalf("set email: %d %s", r.Status, r.Raw)
		}
		email := r.Str("email")

		for name, login := range map[string]string{
			"national":          phone,
			"E.164":             e164(phone),
			"separators":        "+86 " + phone[:3] + "-" + phone[3:7] + " " + phone[7:],
			"username":          username,
			"username, upper":   strings.ToUpper(username),
			"username, swapped": swapCase(username),
			"email":             email,
			"email, upper":      strings.ToUpper(email),
			"email, lower":      strings.ToLower(email),
		} {
			t.Run(name, func(t *testing.T) {
				wantSession(t, postPasswordLogin(c, login, pwFirst), uid, s)
			})
		}

		// An SMS-registered user without a password.
		smsOnly := newPhone()
		login(t, inst, c, smsOnly)

		wrong := postPasswordLogin(c, phone, pwSecond)
		wantProblem(t, wrong, http.StatusUnauthorized, "invalid_credentials")
		for name, r := range map[string]harness.Response{
			"unknown username": postPasswordLogin(c, "nobody_here", pwFirst),
			"unknown email":    postPasswordLogin(c, "nobody@example.com", pwFirst),
			"unknown phone":    postPasswordLogin(c, newPhone(), pwFirst),
			"no password":      postPasswordLogin(c, smsOnly, pwFirst),
			"wrong, by email":  postPasswordLogin(c, email, pwSecond),
		} {
			wantProblem(t, r, http.StatusUnauthorized, "invalid_credentials")
			if got, want := withoutRequestID(r), withoutRequestID(wrong); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: body %v differs from a wrong password's %v", name, got, want)
			}
		}

		for name, body := range map[string]any{
			"no login":         map[string]string{"password": pwFirst},
			"no password":      map[string]string{"login": phone},
			"empty":            map[string]string{},
			"blank login":      map[string]string{"login": "  ", "password": pwFirst},
			"malformed":        `{"login": "` + phone + `", "password":`,
			"not an object":    `["` + phone + `"]`,
			"login not string": map[string]any{"login": 13800130000, "password": pwFirst},
		} {
			t.Run(name, func(t *testing.T) {
				wantProblem(t, c.Post("/v1/sessions/password", body), http.StatusBadRequest, "invalid_request")
			})
		}
	})
}

// swapCase flips the case of every letter.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

func TestPasswordLoginFailureLimit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_LOGIN_FAILURE_LIMIT": "3"}})
		c := inst.Client(t)
		phone := newPhone()
		s := login(t, inst, c, phone)
		setFirstPassword(t, c, s, pwFirst)

		// Spellings of one phone share one budget.
		for _, l := range []string{phone, e164(phone), "+86 " + phone} {
			wantProblem(t, postPasswordLogin(c, l, pwSecond), http.StatusUnauthorized, "invalid_credentials")
		}
		// The fourth attempt is refused even with the right password.
		wantRateLimited(t, postPasswordLogin(c, phone, pwFirst))
		wantRateLimited(t, postPasswordLogin(c, e164(phone), pwFirst))

		// Other logins keep their own budget.
		wantProblem(t, postPasswordLogin(c, "someone_else", pwSecond), http.StatusUnauthorized, "invalid_credentials")
		other := newPhone()
		otherSession := login(t, inst, c, other)
		setFirstPassword(t, c, otherSession, pwThird)
		wantSession(t, postPasswordLogin(c, other, pwThird), otherSession.User()["id"].(string), s)
	})
}

func TestPasswordLoginIPLimit(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_IP_LOGIN_LIMIT": "3"}})
		c := inst.Client(t)
		phone := newPhone()
		setFirstPassword(t, c, login(t, inst, c, phone), pwFirst)

		for _, l := range []string{"first_user", "second@example.com", newPhone()} {
			wantProblem(t, postPasswordLogin(c, l, pwSecond), http.StatusUnauthorized, "invalid_credentials")
		}
		wantRateLimited(t, postPasswordLogin(c, "fourth_user", pwSecond))
		// The client's address is blocked, right password or not.
		wantRateLimited(t, postPasswordLogin(c, phone, pwFirst))
	})
}

func TestChangePasswordRevokesOtherSessions(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		phone := newPhone()
		a := login(t, inst, c, phone)
		setFirstPassword(t, c, a, pwFirst)
		other := postPasswordLogin(c, phone, pwFirst)
		wantSession(t, other, a.User()["id"].(string), a)

		if r := putMePassword(c, a, pwSecond, pwFirst); r.Status != http.StatusNoContent {
			t.Fatalf("change password: %d %s", r.Status, r.Raw)
		}
		wantProblem(t, postRefresh(c, other), http.StatusUnauthorized, "invalid_token")
		r := postRefresh(c, a)
		if r.Status != http.StatusOK || r.Str("refresh_token") == "" {
			t.Fatalf("refresh of the session that changed the password: %d %s", r.Status, r.Raw)
		}
		getMe(t, c, r)
	})
}
