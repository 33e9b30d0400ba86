package test

import (
	"strings"
	"testing"

	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// The production form of AUTHD_REDIS_URL for a cluster (comma-separated
// nodes, as the README shows) carries the whole login flow: the code and
// limit scripts each touch one hash slot.
func TestLoginFlowOnRedisCluster(t *testing.T) {
	t.Parallel()
	nodes := services.RedisCluster(t)
	dbURL := services.Postgres(t)
	migrate(t, dbURL)
	inst := harness.Start(t, harness.Options{FastPasswords: true, Env: map[string]string{
		"AUTHD_DATABASE_URL":  dbURL,
		"AUTHD_REDIS_URL":     "redis://" + strings.Join(nodes, ","),
		"AUTHD_CODE_SECRET":   "cluster-test-secret-0123456789",
		"AUTHD_IP_CODE_LIMIT": "4",
	}})
	c := inst.Client(t)
	phones := []string{newPhone(), newPhone(), newPhone()}
	for _, p := range phones {
		s := login(t, inst, c, p)
		if s.Status != 201 {
			t.Fatalf("first login on the cluster: %d %s", s.Status, s.Raw)
		}
	}
	// Per-phone cooldown and per-IP cap live in the cluster too.
	cooldown := c.Post("/v1/sms/codes", map[string]string{"phone": phones[0]})
	wantProblem(t, cooldown, 429, "rate_limited")
	// The refused request did not spend the per-IP budget (codes issued).
	if r := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()}); r.Status != 202 {
		t.Fatalf("fourth code: %d %s", r.Status, r.Raw)
	}
	ipCap := c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()})
	wantProblem(t, ipCap, 429, "rate_limited")
	if !strings.Contains(cooldown.Str("detail"), "resend_cooldown") || !strings.Contains(ipCap.Str("detail"), "ip_code") {
		t.Fatalf("want the cooldown, then the per-IP cap: %q, %q", cooldown.Str("detail"), ipCap.Str("detail"))
	}
	r := c.Get("/readyz")
	if checks, _ := r.JSON["checks"].(map[string]any); r.Status != 200 || checks["redis"] != "ok" {
		t.Fatalf("readyz on the cluster: %d %s", r.Status, r.Raw)
	}
}
