package test

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwa"
	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jws"
	"github.com/lestrrat-go/jwx/v2/jwt"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/cmd/authd/wiring"
	"github.com/authd/authd/ports"
	"github.com/authd/authd/ports/portstest"
	"github.com/authd/authd/test/harness"
)

// instanceKey reads the signing key the embedded instance keeps in its
// database, opened with the key-encryption key derived from its code secret.
func instanceKey(t *testing.T, inst *harness.Instance) ed25519.PrivateKey {
	t.Helper()
	settings, err := wiring.LoadSettings("", []string{"AUTHD_DATA_DIR=" + inst.DataDir})
	if err != nil {
		t.Fatal(err)
	}
	keys := storedKeys(t, wiring.StoreConfig(settings).DatabaseURL)
	if len(keys) != 1 {
		t.Fatalf("%d stored signing keys, want 1", len(keys))
	}
	rot, err := wiring.JWTRotation(settings)
	if err != nil {
		t.Fatal(err)
	}
	return openKey(t, rot.Secret, keys[0])
}

// storedKeys lists the signing keys in the database at dbURL.
func storedKeys(t *testing.T, dbURL string) []ports.SigningKey {
	t.Helper()
	st, err := bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: dbURL}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	keys, err := st.ListSigningKeys(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// openKey decrypts a stored key as authd does.
func openKey(t *testing.T, secret []byte, k ports.SigningKey) ed25519.PrivateKey {
	t.Helper()
	sealer, err := jwttokens.NewSealer(secret)
	if err != nil {
		t.Fatal(err)
	}
	seed, err := sealer.Open(k.ID, k.SealedPrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	return ed25519.NewKeyFromSeed(seed)
}

func TestAccessTokensVerifyWithJWKSAlone(t *testing.T) {
	inst := start(t, embedded, harness.Options{})
	c := inst.Client(t)
	s := login(t, inst, c, newPhone())
	r := c.Get("/.well-known/jwks.json")
	set, err := jwk.Parse(r.Raw)
	if r.Status != 200 || err != nil || set.Len() != 1 {
		t.Fatalf("jwks: %d %v %s", r.Status, err, r.Raw)
	}
	tok, err := jwt.Parse([]byte(s.Str("access_token")), jwt.WithKeySet(set), jwt.WithAudience("authd"), jwt.WithIssuer("authd"))
	if err != nil {
		t.Fatalf("verify with JWKS: %v", err)
	}
	if tok.Subject() != s.User()["id"] || tok.JwtID() == "" || tok.Expiration().Sub(tok.IssuedAt()) != 15*time.Minute {
		t.Fatalf("claims: sub %q jti %q", tok.Subject(), tok.JwtID())
	}
	msg, err := jws.Parse([]byte(s.Str("access_token")))
	if err != nil {
		t.Fatal(err)
	}
	h := msg.Signatures()[0].ProtectedHeaders()
	if h.Algorithm() != jwa.EdDSA || h.Type() != "at+jwt" || h.KeyID() == "" {
		t.Fatalf("header: alg %s typ %s kid %q", h.Algorithm(), h.Type(), h.KeyID())
	}
}

func TestRefusedAccessTokens(t *testing.T) {
	clock := portstest.NewClock(time.Now().UTC())
	inst := start(t, embedded, harness.Options{Clock: clock})
	c := inst.Client(t)
	s := login(t, inst, c, newPhone())
	good := s.Str("access_token")
	key := instanceKey(t, inst)
	sub, _ := s.User()["id"].(string)

	sign := func(aud string, exp time.Time) string {
		tok, _ := jwt.NewBuilder().Issuer("authd").Audience([]string{aud}).Subject(sub).IssuedAt(clock.Now()).
			Expiration(exp).JwtID("x").Claim("sid", "s").Build()
		hdr := jws.NewHeaders()
		_ = hdr.Set("typ", "at+jwt")
		kid := mustKID(t, key)
		_ = hdr.Set("kid", kid)
		b, err := jwt.Sign(tok, jwt.WithKey(jwa.EdDSA, key, jws.WithProtectedHeaders(hdr)))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	parts := strings.Split(good, ".")
	none := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"at+jwt"}`)) + "." + parts[1] + "."
	tampered := parts[0] + "." + parts[1] + "." + flipB64(parts[2])
	// A forged claim set under the genuine signature.
	var claims map[string]any
	raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
	_ = json.Unmarshal(raw, &claims)
	claims["sub"] = "someone-else"
	forged, _ := json.Marshal(claims)
	swapped := parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]

	tests := map[string]string{
		"missing":        "",
		"malformed":      "Authorization: Bearer not-a-jwt",
		"basic scheme":   "Authorization: Basic " + good,
		"alg none":       "Authorization: Bearer " + none,
		"tampered":       "Authorization: Bearer " + tampered,
		"claims swapped": "Authorization: Bearer " + swapped,
		"wrong audience": "Authorization: Bearer " + sign("someone-else", clock.Now().Add(time.Minute)),
		"expired":        "Authorization: Bearer " + sign("authd", clock.Now().Add(-time.Minute)),
	}
	if r := c.Get("/v1/me", "Authorization: Bearer "+sign("authd", clock.Now().Add(time.Minute))); r.Status != 200 {
		t.Fatalf("control: a well-formed token signed by the key is accepted: %d %s", r.Status, r.Raw)
	}
	for name, header := range tests {
		var r harness.Response
		if header == "" {
			r = c.Get("/v1/me")
		} else {
			r = c.Get("/v1/me", header)
		}
		wantProblem(t, r, 401, "invalid_token")
		if r.Header.Get("WWW-Authenticate") != `Bearer error="invalid_token"` {
			t.Errorf("%s: WWW-Authenticate %q", name, r.Header.Get("WWW-Authenticate"))
		}
	}
	// The genuine token expires with the clock.
	clock.Advance(16 * time.Minute)
	wantProblem(t, c.Get("/v1/me", "Authorization: Bearer "+good), 401, "invalid_token")
}

func mustKID(t *testing.T, key ed25519.PrivateKey) string {
	t.Helper()
	k, err := jwk.FromRaw(key.Public())
	if err != nil {
		t.Fatal(err)
	}
	tp, err := k.Thumbprint(cryptoSHA256)
	if err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(tp)
}

func flipB64(s string) string {
	b := []byte(s)
	if b[0] == 'A' {
		b[0] = 'B'
	} else {
		b[0] = 'A'
	}
	return string(b)
}

func TestRefreshRotationAndReuseDetection(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		// No retry window: a second presentation is reuse at once (the
		// window has its own test).
		inst := start(t, b, harness.Options{Env: map[string]string{"AUTHD_JWT_REFRESH_REUSE_INTERVAL": "0s"}})
		c := inst.Client(t)
		s := login(t, inst, c, newPhone())
		rt1 := s.Str("refresh_token")
		r := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt1})
		rt2 := r.Str("refresh_token")
		if r.Status != 200 || rt2 == "" || rt2 == rt1 || r.Str("access_token") == "" || r.JSON["created"] != false {
			t.Fatalf("rotate: %d %s", r.Status, r.Raw)
		}
		if me := c.Get("/v1/me", bearer(r)); me.Status != 200 {
			t.Fatalf("new access token: %d", me.Status)
		}
		other := login2(t, inst, c, s) // another session of the same user
		// rt1 again is reuse: refused, and the whole family dies with it,
		// its access tokens included.
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt1}), 401, "invalid_token")
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt2}), 401, "invalid_token")
		wantProblem(t, c.Get("/v1/me", bearer(r)), 401, "invalid_token")
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": "never-issued"}), 401, "invalid_token")
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{}), 400, "invalid_request")
		// Another session of the same user is untouched.
		if r := c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": other}); r.Status != 200 {
			t.Fatalf("other session: %d %s", r.Status, r.Raw)
		}
	})
}

// login2 opens a second session for the user of s through a password.
func login2(t *testing.T, inst *harness.Instance, c *harness.Client, s harness.Response) string {
	t.Helper()
	if r := c.Do("PUT", "/v1/me/password", map[string]string{"new_password": "plover-quartz-81-tundra"}, bearer(s)); r.Status != 204 {
		t.Fatalf("set password: %d %s", r.Status, r.Raw)
	}
	r := c.Post("/v1/sessions/password", map[string]string{"login": s.User()["phone"].(string), "password": "plover-quartz-81-tundra"})
	if r.Status != 200 {
		t.Fatalf("password login: %d %s", r.Status, r.Raw)
	}
	return r.Str("refresh_token")
}

func TestLogout(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		s := login(t, inst, c, newPhone())
		rt := s.Str("refresh_token")
		if r := c.Post("/v1/sessions/logout", map[string]string{"refresh_token": rt}); r.Status != 204 || len(r.Raw) != 0 {
			t.Fatalf("logout: %d %s", r.Status, r.Raw)
		}
		wantProblem(t, c.Post("/v1/tokens/refresh", map[string]string{"refresh_token": rt}), 401, "invalid_token")
		if r := c.Post("/v1/sessions/logout", map[string]string{"refresh_token": rt}); r.Status != 204 {
			t.Fatalf("second logout is idempotent: %d %s", r.Status, r.Raw)
		}
		wantProblem(t, c.Post("/v1/sessions/logout", map[string]string{"refresh_token": "unknown"}), 401, "invalid_token")
	})
}

func TestRestartKeepsUsersAndTokens(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"AUTHD_DATA_DIR": dir}
	first := start(t, embedded, harness.Options{Env: env})
	c := first.Client(t)
	s := login(t, first, c, newPhone())
	first.Stop()

	second := start(t, embedded, harness.Options{Env: env})
	c2 := second.Client(t)
	me := c2.Get("/v1/me", bearer(s))
	if me.Status != 200 || me.Str("id") != s.User()["id"] {
		t.Fatalf("access token after restart: %d %s", me.Status, me.Raw)
	}
	if r := c2.Post("/v1/tokens/refresh", map[string]string{"refresh_token": s.Str("refresh_token")}); r.Status != 200 {
		t.Fatalf("refresh after restart: %d %s", r.Status, r.Raw)
	}
}

func TestOperationalEndpoints(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		login(t, inst, c, newPhone())
		if r := c.Get("/healthz"); r.Status != 200 || r.Str("status") != "ok" {
			t.Fatalf("healthz: %d %s", r.Status, r.Raw)
		}
		r := c.Get("/readyz")
		checks, _ := r.JSON["checks"].(map[string]any)
		if r.Status != 200 || checks["database"] != "ok" {
			t.Fatalf("readyz: %d %s", r.Status, r.Raw)
		}
		if b.name == "postgres+redis" && checks["redis"] != "ok" {
			t.Fatalf("readyz does not check redis: %s", r.Raw)
		}
		if r := c.Get("/metrics"); r.Status != 404 {
			t.Errorf("/metrics on the public listener: %d, want 404 (it lives on the admin listener)", r.Status)
		}
		admin := inst.AdminClient(t)
		for _, probe := range []string{"/healthz", "/readyz"} {
			if r := admin.Get(probe); r.Status != 200 || r.Header.Get("X-Request-ID") == "" {
				t.Errorf("admin %s: %d %s", probe, r.Status, r.Raw)
			}
		}
		m := admin.Get("/metrics")
		body := string(m.Raw)
		for _, want := range []string{
			`authd_http_requests_total{method="POST",route="/v1/sessions/sms",status="201"} 1`,
			`authd_http_request_duration_seconds_count{method="POST",route="/v1/sms/codes",status="202"} 1`,
			`authd_codes_requested_total{outcome="sent",purpose="login"} 1`,
			`authd_logins_total{method="sms",outcome="created"} 1`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s in\n%s", want, grepLines(body, "authd_http_requests_total"))
			}
		}
		o := c.Get("/openapi.json")
		if o.Status != 200 || !strings.HasPrefix(o.Str("openapi"), "3.") {
			t.Fatalf("openapi: %d", o.Status)
		}
	})
}
