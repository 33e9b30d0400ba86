package test

import (
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// TestFaultRedisDownEndedSessions: an instance that has checked (and
// cached) a live session must not keep trusting that answer once Redis is
// gone, since a session ended meanwhile would go unnoticed: /v1/me fails
// closed with 503, and works again once Redis is back.
func TestFaultRedisDownEndedSessions(t *testing.T) {
	t.Parallel()
	redis := services.StartRedis(t)
	dbURL := services.Postgres(t)
	migrate(t, dbURL)
	inst := harness.Start(t, harness.Options{FastPasswords: true, Env: map[string]string{
		"AUTHD_DATABASE_URL":            dbURL,
		"AUTHD_DATABASE_MAX_OPEN_CONNS": "4",
		"AUTHD_REDIS_URL":               redis.URL(),
		"AUTHD_CODE_SECRET":             "fault-test-code-secret-0123456789",
	}})
	c := inst.Client(t)
	s := login(t, inst, c, newPhone())
	for range 3 {
		if r := c.Get("/v1/me", bearer(s)); r.Status != 200 {
			t.Fatalf("me: %d %s", r.Status, r.Raw)
		}
	}
	redis.Stop()
	faultPoll(t, 5*time.Second, "me fails closed without Redis", func() (bool, string) {
		r := c.Get("/v1/me", bearer(s))
		switch r.Status {
		case 503:
			wantProblem(t, r, 503, "unavailable")
			return true, ""
		case 200:
			return false, string(r.Raw) // the break is still being noticed
		}
		t.Fatalf("me without Redis: %d %s", r.Status, r.Raw)
		return false, ""
	})
	redis.Start()
	faultPoll(t, 10*time.Second, "me after Redis came back", func() (bool, string) {
		r := c.Get("/v1/me", bearer(s))
		return r.Status == 200, string(r.Raw)
	})
}
