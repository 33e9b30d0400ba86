package test

import (
	"net/http"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
)

// miWantRefusedWithin polls GET /v1/me at c until the token is refused and
// fails when that takes longer than limit.
func miWantRefusedWithin(t *testing.T, c *harness.Client, s harness.Response, limit time.Duration) time.Duration {
	t.Helper()
	began := time.Now()
	for {
		r := c.Get("/v1/me", bearer(s))
		if r.Status == 401 {
			wantProblem(t, r, 401, "invalid_token")
			return time.Since(began)
		}
		if r.Status != 200 {
			t.Fatalf("GET /v1/me: %d %s", r.Status, r.Raw)
		}
		if time.Since(began) > limit {
			t.Fatalf("the access token still worked %v after its session ended", limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A session ended at one instance refuses its access token at the other
// within a second, even when the other had just accepted (and cached) it.
func TestMultiInstanceEndedSessions(t *testing.T) {
	t.Parallel()
	p := startMIPair(t, nil)
	ip := miIP()
	ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)

	cases := []struct {
		name string
		end  func(t *testing.T, s harness.Response)
	}{
		{"logout", func(t *testing.T, s harness.Response) {
			if r := ca.Post("/v1/sessions/logout", map[string]string{"refresh_token": s.Str("refresh_token")}); r.Status != 204 {
				t.Fatalf("logout: %d %s", r.Status, r.Raw)
			}
		}},
		{"delete session", func(t *testing.T, s harness.Response) {
			if r := ca.Do(http.MethodDelete, "/v1/me/sessions", nil, bearer(s)); r.Status != 204 {
				t.Fatalf("end sessions: %d %s", r.Status, r.Raw)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := login(t, p.a, ca, newPhone())
			for range 3 { // B accepts it, and would remember that
				if r := cb.Get("/v1/me", bearer(s)); r.Status != 200 {
					t.Fatalf("B before the end: %d %s", r.Status, r.Raw)
				}
			}
			tc.end(t, s)
			took := miWantRefusedWithin(t, cb, s, time.Second)
			t.Logf("refused at B after %v", took)
		})
	}
}
