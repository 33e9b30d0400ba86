package test

import (
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// A refresh whose answer is lost, then a database cut, then the client's
// retries: the session survives (before retry-safe rotation the retry was
// reuse and revoked the whole session).
func TestFaultDatabaseCutThenRefreshRetry(t *testing.T) {
	t.Parallel()
	dbURL := services.Postgres(t)
	migrate(t, dbURL)
	u, err := url.Parse(dbURL)
	if err != nil {
		t.Fatal(err)
	}
	host := u.Host
	if _, _, err := net.SplitHostPort(host); err != nil {
		host = net.JoinHostPort(host, "5432")
	}
	proxy := services.StartTCPProxy(t, host)
	u.Host = proxy.Addr
	inst := harness.Start(t, harness.Options{FastPasswords: true, Env: map[string]string{
		"AUTHD_DATABASE_URL":            u.String(),
		"AUTHD_DATABASE_MAX_OPEN_CONNS": "4",
		"AUTHD_REDIS_URL":               services.Redis(t),
		"AUTHD_REDIS_KEY_PREFIX":        "authdfault" + miRandHex(6),
		"AUTHD_CODE_SECRET":             "fault-test-code-secret-0123456789",
	}})
	c := inst.Client(t)
	s := login(t, inst, c, newPhone())
	rt := s.Str("refresh_token")
	lost := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt})
	if lost.Status != 200 {
		t.Fatalf("refresh: %d %s", lost.Status, lost.Raw)
	}
	// The client never saw that answer; the database goes away as it retries.
	proxy.Stop()
	faultWantUnavailable(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt}))
	proxy.Start()
	var retry harness.Response
	faultPoll(t, 8*time.Second, "refresh retry after the cut", func() (bool, string) {
		retry = c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt})
		switch retry.Status {
		case 200:
			return true, ""
		case 503:
			return false, string(retry.Raw)
		}
		t.Fatalf("refresh retry: %d %s", retry.Status, retry.Raw)
		return false, ""
	})
	if retry.Str("refresh_token") != lost.Str("refresh_token") {
		t.Fatalf("the retry got another refresh token than the lost answer")
	}
	if me := c.Get("/v1/me", bearer(retry)); me.Status != 200 {
		t.Fatalf("session after the retry: %d %s", me.Status, me.Raw)
	}
	if r := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": retry.Str("refresh_token")}); r.Status != 200 {
		t.Fatalf("next refresh: %d %s", r.Status, r.Raw)
	}
}
