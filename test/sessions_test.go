package test

import (
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/authd/authd/test/harness"
)

// mySessions lists the caller's sessions and returns their ids in order
// and which one is current.
func mySessions(t *testing.T, c *harness.Client, s harness.Response) (ids []string, current string) {
	t.Helper()
	r := c.Get("/v1/me/sessions", bearer(s))
	if r.Status != 200 {
		t.Fatalf("list sessions: %d %s", r.Status, r.Raw)
	}
	if cc := r.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store", cc)
	}
	list, _ := r.JSON["sessions"].([]any)
	for _, x := range list {
		m := x.(map[string]any)
		for _, k := range []string{"id", "created_at", "last_used_at", "user_agent", "ip"} {
			if _, ok := m[k].(string); !ok {
				t.Fatalf("session lacks %s: %v", k, m)
			}
		}
		ids = append(ids, m["id"].(string))
		if m["current"] == true {
			current = m["id"].(string)
		}
	}
	return ids, current
}

func TestMySessions(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		inst := start(t, b, harness.Options{Env: quickCodes})
		c := inst.Client(t)
		phone := newPhone()
		first := login(t, inst, c, phone)
		second := login(t, inst, c, phone)
		other := login(t, inst, c, newPhone())

		ids, current := mySessions(t, c, second)
		if len(ids) != 2 || current != ids[0] {
			t.Fatalf("sessions %v, current %q: want two, the caller's (newest) first", ids, current)
		}
		firstID := ids[1]
		if _, cur := mySessions(t, c, first); cur != firstID {
			t.Fatalf("the first login's current session is %q, want %q", cur, firstID)
		}
		otherIDs, _ := mySessions(t, c, other)

		// Not an active session of the caller: 404, alike.
		for _, id := range []string{otherIDs[0], "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "x", strings.Repeat("a", 65), "%00", "%FF%FE", "a;b"} {
			wantProblem(t, c.Do(http.MethodDelete, "/v1/me/sessions/"+id, nil, bearer(second)), 404, "not_found")
		}
		if r := c.Get("/v1/me", bearer(other)); r.Status != 200 {
			t.Fatalf("another user's session was touched: %d %s", r.Status, r.Raw)
		}

		// Ending one refuses its access token at once, and its refresh token.
		if r := c.Do(http.MethodDelete, "/v1/me/sessions/"+firstID, nil, bearer(second)); r.Status != 204 {
			t.Fatalf("end session: %d %s", r.Status, r.Raw)
		}
		wantProblem(t, c.Get("/v1/me", bearer(first)), 401, "invalid_token")
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": first.Str("refresh_token")}), 401, "invalid_token")
		wantProblem(t, c.Do(http.MethodDelete, "/v1/me/sessions/"+firstID, nil, bearer(second)), 404, "not_found")
		if ids, _ := mySessions(t, c, second); len(ids) != 1 || ids[0] == firstID {
			t.Fatalf("sessions after ending one: %v", ids)
		}

		// Ending all includes the caller's own.
		third := login(t, inst, c, phone)
		if r := c.Do(http.MethodDelete, "/v1/me/sessions", nil, bearer(second)); r.Status != 204 {
			t.Fatalf("end all: %d %s", r.Status, r.Raw)
		}
		for _, s := range []harness.Response{second, third} {
			wantProblem(t, c.Get("/v1/me", bearer(s)), 401, "invalid_token")
			wantProblem(t, c.Get("/v1/me/sessions", bearer(s)), 401, "invalid_token")
		}
		if r := c.Get("/v1/me", bearer(other)); r.Status != 200 {
			t.Fatalf("ending all ended another user's session: %d %s", r.Status, r.Raw)
		}

		// No token: 401 on every new endpoint.
		for _, m := range []string{http.MethodGet, http.MethodDelete} {
			wantProblem(t, c.Do(m, "/v1/me/sessions", nil), 401, "invalid_token")
		}
		wantProblem(t, c.Do(http.MethodDelete, "/v1/me/sessions/"+firstID, nil), 401, "invalid_token")
	})
}

// Every way a session ends refuses its access token at once.
func TestEndedSessionsRefuseAccessTokens(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		// No retry window: presenting a rotated token again is reuse at once.
		env := map[string]string{"AUTHD_JWT_REFRESH_REUSE_INTERVAL": "0s"}
		maps.Copy(env, quickCodes)
		inst := start(t, b, harness.Options{Env: env})
		c := inst.Client(t)
		t.Run("logout", func(t *testing.T) {
			s := login(t, inst, c, newPhone())
			if r := c.Post("/v1/sessions/logout", map[string]string{"refresh_token": s.Str("refresh_token")}); r.Status != 204 {
				t.Fatalf("logout: %d %s", r.Status, r.Raw)
			}
			wantProblem(t, c.Get("/v1/me", bearer(s)), 401, "invalid_token")
		})
		t.Run("password change ends the others", func(t *testing.T) {
			phone := newPhone()
			keep, gone := login(t, inst, c, phone), login(t, inst, c, phone)
			r := c.Do(http.MethodPut, "/v1/me/password", map[string]string{"new_password": "correct horse battery staple"}, bearer(keep))
			if r.Status != 204 {
				t.Fatalf("set password: %d %s", r.Status, r.Raw)
			}
			wantProblem(t, c.Get("/v1/me", bearer(gone)), 401, "invalid_token")
			if r := c.Get("/v1/me", bearer(keep)); r.Status != 200 {
				t.Fatalf("the caller's session ended: %d %s", r.Status, r.Raw)
			}
		})
		t.Run("password reset ends all", func(t *testing.T) {
			phone := newPhone()
			s := login(t, inst, c, phone)
			code := requestCode(t, inst, c, phone, "reset_password")
			r := c.Post("/v1/password/reset", map[string]string{"phone": phone, "code": code, "new_password": "correct horse battery staple"})
			if r.Status != 204 {
				t.Fatalf("reset: %d %s", r.Status, r.Raw)
			}
			wantProblem(t, c.Get("/v1/me", bearer(s)), 401, "invalid_token")
		})
		t.Run("refresh reuse", func(t *testing.T) {
			s := login(t, inst, c, newPhone())
			next := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")})
			if next.Status != 200 {
				t.Fatalf("refresh: %d %s", next.Status, next.Raw)
			}
			reuse := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")})
			wantProblem(t, reuse, 401, "invalid_token")
			wantProblem(t, c.Get("/v1/me", bearer(next)), 401, "invalid_token")
		})
	})
}
