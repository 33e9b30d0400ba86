package test

import (
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// faultPoll calls try every 100 ms until it reports done or limit passes.
// try may fail the test itself on answers that are wrong even mid-outage.
func faultPoll(t *testing.T, limit time.Duration, what string, try func() (done bool, last string)) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for {
		done, last := try()
		if done {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: not recovered after %v; last answer: %s", what, limit, last)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// faultWantUnavailable asserts 503 unavailable and that no token leaked.
func faultWantUnavailable(t *testing.T, r harness.Response) {
	t.Helper()
	wantProblem(t, r, 503, "unavailable")
	if r.Str("access_token") != "" || r.Str("refresh_token") != "" {
		t.Fatalf("503 carries a token: %s", r.Raw)
	}
}

// faultWantReadyz asserts /readyz's status and the state of each check.
func faultWantReadyz(t *testing.T, r harness.Response, status int, checks map[string]string) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("readyz: %d %s, want %d", r.Status, r.Raw, status)
	}
	got, _ := r.JSON["checks"].(map[string]any)
	for name, want := range checks {
		if got[name] != want {
			t.Fatalf("readyz checks.%s = %v, want %q: %s", name, got[name], want, r.Raw)
		}
	}
}

// TestFaultRedisDown stops the instance's Redis mid-run: everything that
// needs the code store or the rate limiter answers 503 (never a 500, never
// a code sent or a token issued without the store), /readyz names Redis,
// and once Redis is back on the same port the instance recovers without a
// restart.
func TestFaultRedisDown(t *testing.T) {
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
	faultWantReadyz(t, c.Get("/readyz"), 200, map[string]string{"redis": "ok", "database": "ok"})

	pending := newPhone()
	code := requestCode(t, inst, c, pending, "")
	sent := len(inst.SMS.Sent())

	redis.Stop()
	t0 := time.Now()
	faultWantUnavailable(t, c.Post("/v1/sms/codes", map[string]string{"phone": newPhone()}))
	if n := len(inst.SMS.Sent()); n != sent {
		t.Fatalf("%d SMS sent while the code store was down", n-sent)
	}
	faultWantUnavailable(t, c.Post("/v1/sessions/sms", map[string]string{"phone": pending, "code": code}))
	faultWantUnavailable(t, c.Post("/v1/sessions/password", map[string]string{"login": "someone", "password": "whatever-it-is"}))
	r := c.Get("/readyz")
	wantProblem(t, r, 503, "unavailable")
	faultWantReadyz(t, r, 503, map[string]string{"redis": "down", "database": "ok"})
	if d := time.Since(t0); d > 10*time.Second {
		t.Errorf("answers during the outage took %v: they should fail fast", d)
	}
	// What does not need Redis keeps working.
	if r := c.Get("/healthz"); r.Status != 200 {
		t.Fatalf("healthz: %d %s", r.Status, r.Raw)
	}

	redis.Start() // same port, empty: the pending code is gone with the data
	fresh := newPhone()
	faultPoll(t, 10*time.Second, "request code after Redis came back", func() (bool, string) {
		r := c.Post("/v1/sms/codes", map[string]string{"phone": fresh})
		switch r.Status {
		case 202:
			return true, ""
		case 503:
			wantProblem(t, r, 503, "unavailable")
			return false, string(r.Raw)
		}
		t.Fatalf("request code while recovering: %d %s", r.Status, r.Raw)
		return false, ""
	})
	msg, ok := inst.SMS.Last(e164(fresh))
	if !ok {
		t.Fatal("no code sent after recovery")
	}
	s := c.Post("/v1/sessions/sms", map[string]string{"phone": fresh, "code": msg.Code})
	if s.Status != 201 || s.JSON["created"] != true || s.Str("access_token") == "" {
		t.Fatalf("login after recovery: %d %s", s.Status, s.Raw)
	}
	// The code requested before the outage died with Redis's data.
	wantProblem(t, c.Post("/v1/sessions/sms", map[string]string{"phone": pending, "code": code}), 401, "invalid_code")
	wantProblem(t, c.Post("/v1/sessions/password", map[string]string{"login": "someone", "password": "whatever-it-is"}), 401, "invalid_credentials")
	faultWantReadyz(t, c.Get("/readyz"), 200, map[string]string{"redis": "ok", "database": "ok"})
}

// TestFaultPostgresDown cuts the instance off from Postgres with a TCP
// proxy (listener and every pooled connection closed): logins and /v1/me
// answer 503 without issuing tokens, /readyz names the database, and after
// the proxy is back the instance recovers by itself. The phone whose login
// failed mid-outage ends up with exactly one user.
func TestFaultPostgresDown(t *testing.T) {
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
		"AUTHD_CODE_RESEND_AFTER":       "1s",
	}})
	c := inst.Client(t)
	faultWantReadyz(t, c.Get("/readyz"), 200, map[string]string{"redis": "ok", "database": "ok"})

	known := login(t, inst, c, newPhone())
	newcomer := newPhone()
	code := requestCode(t, inst, c, newcomer, "")

	proxy.Stop()
	t0 := time.Now()
	faultWantUnavailable(t, c.Post("/v1/sessions/sms", map[string]string{"phone": newcomer, "code": code}))
	faultWantUnavailable(t, c.Get("/v1/me", bearer(known)))
	faultWantUnavailable(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": known.Str("refresh_token")}))
	r := c.Get("/readyz")
	wantProblem(t, r, 503, "unavailable")
	faultWantReadyz(t, r, 503, map[string]string{"database": "down", "redis": "ok"})
	if d := time.Since(t0); d > 15*time.Second {
		t.Errorf("answers during the outage took %v: they should fail fast", d)
	}

	proxy.Start()
	faultPoll(t, 15*time.Second, "/v1/me after the database came back", func() (bool, string) {
		r := c.Get("/v1/me", bearer(known))
		switch r.Status {
		case 200:
			return true, ""
		case 503:
			wantProblem(t, r, 503, "unavailable")
			return false, string(r.Raw)
		}
		t.Fatalf("/v1/me while recovering: %d %s", r.Status, r.Raw)
		return false, ""
	})
	faultWantReadyz(t, c.Get("/readyz"), 200, map[string]string{"redis": "ok", "database": "ok"})

	// The failed login may or may not have inserted the user before the
	// connection died (here it cannot have: the insert is what failed), but
	// either way the phone now has exactly one account and logs in.
	ex := c.Get("/v1/users/exists?phone=" + newcomer)
	if ex.Status != 200 {
		t.Fatalf("exists: %d %s", ex.Status, ex.Raw)
	}
	existed := ex.JSON["exists"] == true
	// The outage consumed the code (it was verified before the insert
	// failed): ask for a new one once the 1 s cooldown is over.
	var fresh string
	faultPoll(t, 5*time.Second, "new code after the cooldown", func() (bool, string) {
		r := c.Post("/v1/sms/codes", map[string]string{"phone": newcomer})
		if r.Status == 429 {
			return false, string(r.Raw)
		}
		if r.Status != 202 {
			t.Fatalf("request code: %d %s", r.Status, r.Raw)
		}
		m, _ := inst.SMS.Last(e164(newcomer))
		fresh = m.Code
		return true, ""
	})
	s := c.Post("/v1/sessions/sms", map[string]string{"phone": newcomer, "code": fresh})
	wantStatus, wantCreated := 201, true
	if existed {
		wantStatus, wantCreated = 200, false
	}
	if s.Status != wantStatus || s.JSON["created"] != wantCreated || s.Str("access_token") == "" {
		t.Fatalf("login after recovery (user existed: %v): %d %s", existed, s.Status, s.Raw)
	}
	if ex := c.Get("/v1/users/exists?phone=" + newcomer); ex.Status != 200 || ex.JSON["exists"] != true {
		t.Fatalf("exists after login: %d %s", ex.Status, ex.Raw)
	}
	if n := miUserCount(t, dbURL, e164(newcomer)); n != 1 {
		t.Fatalf("%d users for the phone, want exactly 1", n)
	}
	// Refresh works again too.
	if r := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": known.Str("refresh_token")}); r.Status != 200 {
		t.Fatalf("refresh after recovery: %d %s", r.Status, r.Raw)
	}
}

// TestFaultRedisUnreachableAtStart: with AUTHD_REDIS_URL pointing at a port
// nobody listens on, authd refuses to start (rediscode.New cannot connect and
// the fx graph fails) with an error that names Redis, rather than starting
// and failing every request later.
func TestFaultRedisUnreachableAtStart(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	l.Close()
	t0 := time.Now()
	inst, err := harness.StartE(t.TempDir(), harness.Options{FastPasswords: true, Env: map[string]string{
		"AUTHD_REDIS_URL": "redis://" + closed + "/0",
	}})
	if err == nil {
		inst.Stop()
		t.Fatal("authd started with its Redis unreachable")
	}
	if !strings.Contains(strings.ToLower(err.Error()), "redis") {
		t.Fatalf("start error does not mention redis: %v", err)
	}
	if d := time.Since(t0); d > 15*time.Second {
		t.Errorf("refusing to start took %v", d)
	}
	t.Logf("start refused: %v", err)
}
