package test

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/uptrace/bun/driver/pgdriver"
	"go.uber.org/fx"

	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/harness"
	"github.com/authd/authd/test/services"
)

// miPair is two authd instances acting as one service: one Postgres
// database, one Redis key space, one JWT signing key, one code secret and
// one fake SMS gateway (so a code sent through A can be read by the test and
// typed in at B).
type miPair struct {
	a, b  *harness.Instance
	sms   *portstest.SMS
	dbURL string
}

// startMIPair starts the pair. Both trust X-Forwarded-For from loopback so
// each subtest can act as a client IP of its own and the per-IP limits of
// one subtest never touch another.
func startMIPair(t *testing.T, env map[string]string, extra ...fx.Option) *miPair {
	t.Helper()
	dbURL := services.Postgres(t)
	redisURL := services.Redis(t)
	migrate(t, dbURL)

	pem, err := jwttokens.GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "jwt.pem")
	if err := os.WriteFile(keyFile, pem, 0o600); err != nil {
		t.Fatal(err)
	}
	shared := map[string]string{
		"AUTHD_DATABASE_URL":            dbURL,
		"AUTHD_DATABASE_MAX_OPEN_CONNS": "8",
		"AUTHD_REDIS_URL":               redisURL,
		"AUTHD_REDIS_KEY_PREFIX":        "authdmi" + miRandHex(6),
		"AUTHD_CODE_SECRET":             "multi-instance-code-secret-" + miRandHex(8),
		"AUTHD_JWT_KEY_FILE":            keyFile,
		"AUTHD_TRUSTED_PROXIES":         "127.0.0.1/32",
		// Dozens of subtests share this pair and newPhone's one range of
		// numbers without entering most codes: the abuse guard would rightly
		// call that a burst. Its own suite is guard_test.go.
		"AUTHD_SMS_GUARD_ALLOW_NUMBERS": "+861380013*",
	}
	for k, v := range env {
		shared[k] = v
	}
	p := &miPair{sms: &portstest.SMS{}, dbURL: dbURL}
	opts := harness.Options{Env: shared, SMS: p.sms, FastPasswords: true, Extra: extra}
	p.a = harness.Start(t, opts)
	p.b = harness.Start(t, opts)
	if p.a.URL == p.b.URL {
		t.Fatal("both instances on one address")
	}
	return p
}

func miRandHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var miIPSeq struct {
	sync.Mutex
	n int
}

// miIP hands out distinct documentation addresses for X-Forwarded-For.
func miIP() string {
	miIPSeq.Lock()
	defer miIPSeq.Unlock()
	miIPSeq.n++
	return fmt.Sprintf("198.18.%d.%d", miIPSeq.n/250, miIPSeq.n%250+1)
}

// miClient is a client of inst that presents itself as client IP ip.
func miClient(t *testing.T, inst *harness.Instance, ip string) *harness.Client {
	c := inst.Client(t)
	c.Header.Set("X-Forwarded-For", ip)
	return c
}

// miUserCount counts the users with this E.164 phone, straight from the
// database.
func miUserCount(t *testing.T, dbURL, phone string) int {
	t.Helper()
	db := sql.OpenDB(pgdriver.NewConnector(pgdriver.WithDSN(dbURL)))
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var n int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE phone = $1", phone).Scan(&n); err != nil {
		t.Fatalf("count users: %v", err)
	}
	return n
}

// miResult is one answer of a raw request made from a goroutine, where the
// harness client (which calls t.Fatal) must not be used.
type miResult struct {
	status int
	body   map[string]any
	raw    []byte
	err    error
}

var miHTTP = &http.Client{Timeout: 30 * time.Second}

func miPost(url string, body any, ip string) miResult {
	raw, err := json.Marshal(body)
	if err != nil {
		return miResult{err: err}
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	if err != nil {
		return miResult{err: err}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", ip)
	resp, err := miHTTP.Do(req)
	if err != nil {
		return miResult{err: err}
	}
	defer resp.Body.Close()
	out := miResult{status: resp.StatusCode}
	if out.raw, err = io.ReadAll(resp.Body); err != nil {
		out.err = err
		return out
	}
	if err := json.Unmarshal(out.raw, &out.body); err != nil {
		out.err = fmt.Errorf("body is not JSON: %w: %s", err, out.raw)
	}
	return out
}

func (r miResult) userID() string {
	u, _ := r.body["user"].(map[string]any)
	id, _ := u["id"].(string)
	return id
}

// miWantRateLimited asserts a 429 with Retry-After in (0, max] seconds and
// the same number as retry_after in the body.
func miWantRateLimited(t *testing.T, r harness.Response, max int) {
	t.Helper()
	wantProblem(t, r, 429, "rate_limited")
	secs, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || secs <= 0 || secs > max {
		t.Fatalf("Retry-After %q, want whole seconds in (0, %d]", r.Header.Get("Retry-After"), max)
	}
	if r.JSON["retry_after"] != float64(secs) {
		t.Fatalf("retry_after %v, Retry-After %d", r.JSON["retry_after"], secs)
	}
}

// TestMultiInstance runs two instances on one database and one Redis and
// checks that they behave as one service: codes, limits, refresh token
// families and access tokens cross between them.
func TestMultiInstance(t *testing.T) {
	t.Parallel()
	p := startMIPair(t, map[string]string{
		"AUTHD_IP_CODE_LIMIT":       "2",
		"AUTHD_LOGIN_FAILURE_LIMIT": "3",
		// Reuse detection across instances, without the retry window.
		"AUTHD_JWT_REFRESH_REUSE_INTERVAL": "0s",
	})

	t.Run("CodeFromAWorksAtB", func(t *testing.T) {
		t.Parallel()
		ip := miIP()
		ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)
		phone := newPhone()
		code := requestCode(t, p.a, ca, phone, "")
		s := cb.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code})
		if s.Status != 201 || s.JSON["created"] != true || s.Str("access_token") == "" {
			t.Fatalf("login at B with A's code: %d %s", s.Status, s.Raw)
		}
		// Single use holds across instances.
		wantProblem(t, ca.Post("/v1/sessions/sms", map[string]string{"phone": phone, "code": code}), 401, "invalid_code")
		// The user B created is the one A sees.
		ex := ca.Get("/v1/users/exists?phone=" + phone)
		if ex.Status != 200 || ex.JSON["exists"] != true {
			t.Fatalf("exists at A: %d %s", ex.Status, ex.Raw)
		}
	})

	t.Run("ResendCooldownCrossesInstances", func(t *testing.T) {
		t.Parallel()
		ip := miIP()
		ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)
		phone := newPhone()
		requestCode(t, p.a, ca, phone, "")
		miWantRateLimited(t, cb.Post("/v1/sms/codes", map[string]string{"phone": phone}), 60)
		if n := miCountTo(p.sms, e164(phone)); n != 1 {
			t.Fatalf("%d codes sent to the phone, want 1: B sent one during A's cooldown", n)
		}
		// The cooldown is the phone's, not the client's: another client IP
		// asking A again is refused too. (A fresh IP, because refused
		// requests count against the per-IP budget of 2 as well.)
		miWantRateLimited(t, miClient(t, p.a, miIP()).Post("/v1/sms/codes", map[string]string{"phone": phone}), 60)
	})

	t.Run("PerIPCodeLimitCrossesInstances", func(t *testing.T) {
		t.Parallel()
		ip := miIP()
		ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)
		requestCode(t, p.a, ca, newPhone(), "")
		requestCode(t, p.a, ca, newPhone(), "")
		third := newPhone()
		miWantRateLimited(t, cb.Post("/v1/sms/codes", map[string]string{"phone": third}), 3600)
		if n := miCountTo(p.sms, e164(third)); n != 0 {
			t.Fatalf("%d codes sent past the per-IP limit", n)
		}
		// Another client IP is not affected.
		requestCode(t, p.b, miClient(t, p.b, miIP()), third, "")
	})

	t.Run("PasswordFailureLimitCrossesInstances", func(t *testing.T) {
		t.Parallel()
		ip := miIP()
		ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)
		phone := newPhone()
		s := login(t, p.a, ca, phone)
		const password = "plum-Ostrich-74-quietly-Harbor"
		if r := ca.Do(http.MethodPut, "/v1/me/password", map[string]string{"new_password": password}, bearer(s)); r.Status != 204 {
			t.Fatalf("set password: %d %s", r.Status, r.Raw)
		}
		// The password works at B before any failure.
		if r := cb.Post("/v1/sessions/password", map[string]string{"login": phone, "password": password}); r.Status != 200 {
			t.Fatalf("password login at B: %d %s", r.Status, r.Raw)
		}
		for i := range 3 {
			r := ca.Post("/v1/sessions/password", map[string]string{"login": phone, "password": "wrong-" + strconv.Itoa(i)})
			wantProblem(t, r, 401, "invalid_credentials")
		}
		// Three failures at A lock the login at B, even with the right password.
		miWantRateLimited(t, cb.Post("/v1/sessions/password", map[string]string{"login": e164(phone), "password": password}), 15*60)
		miWantRateLimited(t, ca.Post("/v1/sessions/password", map[string]string{"login": phone, "password": password}), 15*60)
	})

	t.Run("TokensCrossInstances", func(t *testing.T) {
		t.Parallel()
		ip := miIP()
		ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)
		s := login(t, p.a, ca, newPhone())
		userID := s.User()["id"]

		// An access token signed by A is accepted by B.
		me := cb.Get("/v1/me", bearer(s))
		if me.Status != 200 || me.Str("id") != userID {
			t.Fatalf("B's /v1/me with A's access token: %d %s", me.Status, me.Raw)
		}
		jwksA, jwksB := ca.Get("/.well-known/jwks.json"), cb.Get("/.well-known/jwks.json")
		if jwksA.Status != 200 || !bytes.Equal(jwksA.Raw, jwksB.Raw) {
			t.Fatalf("JWKS differ: A %s, B %s", jwksA.Raw, jwksB.Raw)
		}

		// A's refresh token rotates at B.
		next := cb.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")})
		if next.Status != 200 || next.Str("refresh_token") == "" || next.Str("refresh_token") == s.Str("refresh_token") ||
			next.User()["id"] != userID {
			t.Fatalf("refresh at B: %d %s", next.Status, next.Raw)
		}
		if me := ca.Get("/v1/me", bearer(next)); me.Status != 200 || me.Str("id") != userID {
			t.Fatalf("A's /v1/me with B's access token: %d %s", me.Status, me.Raw)
		}
		// The retired token presented at A is reuse...
		wantProblem(t, ca.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")}), 401, "invalid_token")
		// ...which revoked the family: B's fresh token is dead too, at either instance.
		wantProblem(t, cb.Post("/v1/tokens/refresh", map[string]string{"refresh_token": next.Str("refresh_token")}), 401, "invalid_token")
		wantProblem(t, ca.Post("/v1/tokens/refresh", map[string]string{"refresh_token": next.Str("refresh_token")}), 401, "invalid_token")
	})

	t.Run("ConcurrentSameCodeOneWins", func(t *testing.T) {
		t.Parallel()
		ip := miIP()
		phone := newPhone()
		code := requestCode(t, p.a, miClient(t, p.a, ip), phone, "")
		const n = 50
		res := make([]miResult, n)
		var wg sync.WaitGroup
		for i := range n {
			inst := []*harness.Instance{p.a, p.b}[i%2]
			wg.Go(func() {
				res[i] = miPost(inst.URL+"/v1/sessions/sms", map[string]string{"phone": phone, "code": code}, ip)
			})
		}
		wg.Wait()
		won := 0
		for i, r := range res {
			switch {
			case r.err != nil:
				t.Fatalf("login %d: %v", i, r.err)
			case r.status == 201 && r.body["created"] == true:
				won++
			case r.status == 401 && r.body["code"] == "invalid_code":
			default:
				t.Fatalf("login %d: %d %s", i, r.status, r.raw)
			}
		}
		if won != 1 {
			t.Fatalf("%d of %d concurrent logins with one code succeeded, want exactly 1", won, n)
		}
		if c := miUserCount(t, p.dbURL, e164(phone)); c != 1 {
			t.Fatalf("%d users for the phone, want 1", c)
		}
	})

	t.Run("ConcurrentFirstLoginsManyPhones", func(t *testing.T) {
		t.Parallel()
		const n = 50
		phones, ips, codes := make([]string, n), make([]string, n), make([]string, n)
		for i := range n {
			phones[i], ips[i] = newPhone(), miIP()
		}
		// Request the codes concurrently too, half through each instance;
		// each phone has an IP of its own because the per-IP limit is 2.
		reqs := make([]miResult, n)
		var wg sync.WaitGroup
		for i := range n {
			inst := []*harness.Instance{p.a, p.b}[i%2]
			wg.Go(func() { reqs[i] = miPost(inst.URL+"/v1/sms/codes", map[string]string{"phone": phones[i]}, ips[i]) })
		}
		wg.Wait()
		for i, r := range reqs {
			if r.err != nil || r.status != 202 {
				t.Fatalf("request code %d: %v %d %s", i, r.err, r.status, r.raw)
			}
			m, ok := p.sms.Last(e164(phones[i]))
			if !ok {
				t.Fatalf("no code sent to %s", phones[i])
			}
			codes[i] = m.Code
		}
		// Log in through the other instance than the one that sent the code.
		logins := make([]miResult, n)
		for i := range n {
			inst := []*harness.Instance{p.b, p.a}[i%2]
			wg.Go(func() {
				logins[i] = miPost(inst.URL+"/v1/sessions/sms", map[string]string{"phone": phones[i], "code": codes[i]}, ips[i])
			})
		}
		wg.Wait()
		ids := map[string]bool{}
		for i, r := range logins {
			if r.err != nil || r.status != 201 || r.body["created"] != true || r.userID() == "" {
				t.Fatalf("first login %d: %v %d %s", i, r.err, r.status, r.raw)
			}
			ids[r.userID()] = true
		}
		if len(ids) != n {
			t.Fatalf("%d distinct users for %d phones", len(ids), n)
		}
	})
}

// miAlwaysValid is a code store whose Verify accepts anything. It exists
// only for TestMultiInstanceConcurrentFirstLoginOnePhone: a real code is
// single use (of concurrent verifies exactly one succeeds, which
// ConcurrentSameCodeOneWins checks), and the store keeps only the newest
// code per phone under a resend cooldown, so no client can hold fifty
// valid codes for one phone at once. To race fifty first logins for one
// phone into user creation, the code check has to be taken out of the way;
// everything after it (FindOrCreateByPhone on the shared database, token
// issue) is the production path. Issue and Cancel still go to Redis.
type miAlwaysValid struct{ ports.Codes }

func (miAlwaysValid) Verify(context.Context, ports.CodeKey, []byte, int, time.Time) error { return nil }

// TestMultiInstanceConcurrentFirstLoginOnePhone fires fifty concurrent
// first logins for one new phone, half at each instance: exactly one
// creates the user (201, created true), the other 49 log that same user in
// (200, created false), and nothing fails.
func TestMultiInstanceConcurrentFirstLoginOnePhone(t *testing.T) {
	t.Parallel()
	p := startMIPair(t, nil, fx.Decorate(func(c ports.Codes) ports.Codes { return miAlwaysValid{c} }))
	phone, ip := newPhone(), miIP()
	const n = 50
	res := make([]miResult, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		inst := []*harness.Instance{p.a, p.b}[i%2]
		wg.Go(func() {
			<-start
			res[i] = miPost(inst.URL+"/v1/sessions/sms", map[string]string{"phone": phone, "code": "000000"}, ip)
		})
	}
	close(start)
	wg.Wait()
	created, userID := 0, ""
	for i, r := range res {
		if r.err != nil {
			t.Fatalf("login %d: %v", i, r.err)
		}
		switch {
		case r.status == 201 && r.body["created"] == true:
			created++
		case r.status == 200 && r.body["created"] == false:
		default:
			t.Fatalf("login %d: %d %s", i, r.status, r.raw)
		}
		if r.body["access_token"] == "" || r.body["refresh_token"] == "" {
			t.Fatalf("login %d without tokens: %s", i, r.raw)
		}
		if userID == "" {
			userID = r.userID()
		}
		if r.userID() == "" || r.userID() != userID {
			t.Fatalf("login %d is user %q, another was %q", i, r.userID(), userID)
		}
	}
	if created != 1 {
		t.Fatalf("%d of %d concurrent first logins created the user, want exactly 1", created, n)
	}
	if c := miUserCount(t, p.dbURL, e164(phone)); c != 1 {
		t.Fatalf("%d users for the phone, want 1", c)
	}
}

// miCountTo counts the codes the fake gateway delivered to one E.164 phone.
func miCountTo(sms *portstest.SMS, phone string) int {
	n := 0
	for _, m := range sms.Sent() {
		if m.Phone.E164 == phone {
			n++
		}
	}
	return n
}
