package test

import (
	"testing"

	"github.com/authd/authd/test/harness"
)

// A refresh whose answer was lost is retried by the client: within the
// reuse interval it gets the same new refresh token (and a fresh access
// token) instead of losing the session to reuse detection.
func TestRefreshRetryKeepsTheSession(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		s := login(t, inst, c, newPhone())
		rt1 := s.Str("refresh_token")
		first := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt1})
		if first.Status != 200 {
			t.Fatalf("refresh: %d %s", first.Status, first.Raw)
		}
		retry := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt1})
		if retry.Status != 200 || retry.Str("refresh_token") != first.Str("refresh_token") {
			t.Fatalf("retry: %d %s; want 200 with the first answer's refresh token", retry.Status, retry.Raw)
		}
		if me := c.Get("/v1/me", bearer(retry)); me.Status != 200 {
			t.Fatalf("the retry's access token: %d %s", me.Status, me.Raw)
		}
		rt2 := first.Str("refresh_token")
		third := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt2})
		if third.Status != 200 || third.Str("refresh_token") == rt2 {
			t.Fatalf("refresh of the successor: %d %s", third.Status, third.Raw)
		}
		// rt1 again once its successor was used is reuse: the family dies.
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt1}), 401, "invalid_token")
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": third.Str("refresh_token")}), 401, "invalid_token")
	})
}
