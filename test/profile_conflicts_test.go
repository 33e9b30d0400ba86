package test

import (
	"testing"

	"github.com/authd/authd/test/harness"
)

// PATCH /v1/me conflicts are an existence oracle: after 10 in an hour the
// user gets 429 rate_limited with Retry-After, for a free name too.
func TestProfileConflictsThrottled(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	c := inst.Client(t)
	owner := login(t, inst, c, newPhone())
	if r := c.Do("PATCH", "/v1/me", map[string]string{"username": "taken_name"}, bearer(owner)); r.Status != 200 {
		t.Fatalf("set username: %d %s", r.Status, r.Raw)
	}
	prober := login(t, inst, c, newPhone())
	for i := range 10 {
		r := c.Do("PATCH", "/v1/me", map[string]string{"username": "TAKEN_name"}, bearer(prober))
		if r.Status != 409 || r.Code() != "username_taken" {
			t.Fatalf("probe %d: %d %s", i, r.Status, r.Raw)
		}
	}
	for _, name := range []string{"taken_name", "free_name"} {
		r := c.Do("PATCH", "/v1/me", map[string]string{"username": name}, bearer(prober))
		wantProblem(t, r, 429, "rate_limited")
		if r.Header.Get("Retry-After") == "" {
			t.Errorf("429 without Retry-After")
		}
	}
}
