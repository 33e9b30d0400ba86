package jwttokens

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/domain"
)

var (
	b64 = base64.RawURLEncoding
	t0  = time.Date(2030, 1, 2, 3, 4, 5, 678_000_000, time.UTC)
)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

func newTestTokens(t testing.TB, cfg Config) *Tokens {
	t.Helper()
	if cfg.DataDir == "" && cfg.KeyFile == "" {
		cfg.DataDir = t.TempDir()
	}
	tok, err := New(cfg, discard())
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// forge signs arbitrary header and claims by hand, independent of jwx.
func forge(priv ed25519.PrivateKey, hdr, claims map[string]any) string {
	h, _ := json.Marshal(hdr)
	c, _ := json.Marshal(claims)
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	return input + "." + b64.EncodeToString(ed25519.Sign(priv, []byte(input)))
}

func goodClaims(now time.Time) map[string]any {
	return map[string]any{"iss": "authd", "aud": []string{"authd"}, "sub": "user-1",
		"iat": now.Unix(), "exp": now.Add(15 * time.Minute).Unix(), "jti": "j1", "sid": "fam-1"}
}

func TestIssueAndVerify(t *testing.T) {
	ctx := context.Background()
	tk := newTestTokens(t, Config{})
	at, err := tk.IssueAccess(ctx, "user-1", "fam-1", t0)
	if err != nil {
		t.Fatal(err)
	}
	iat := t0.Truncate(time.Second)
	if at.TTL != 15*time.Minute || !at.ExpiresAt.Equal(iat.Add(15*time.Minute)) {
		t.Fatalf("TTL %v, ExpiresAt %v", at.TTL, at.ExpiresAt)
	}
	claims, err := tk.VerifyAccess(ctx, at.Token, t0.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	if claims.Subject != "user-1" || claims.SessionID != "fam-1" || claims.ID == "" ||
		!claims.IssuedAt.Equal(iat) || !claims.ExpiresAt.Equal(at.ExpiresAt) {
		t.Fatalf("claims = %+v", claims)
	}
	other, _ := tk.IssueAccess(ctx, "user-1", "fam-1", t0)
	if c2, _ := tk.VerifyAccess(ctx, other.Token, t0); c2.ID == claims.ID {
		t.Fatal("two tokens share a jti")
	}
	if _, err := tk.IssueAccess(ctx, "", "fam-1", t0); err == nil {
		t.Fatal("issued a token without a subject")
	}
}

func TestWireFormat(t *testing.T) {
	tk := newTestTokens(t, Config{Issuer: "https://auth.example", Audience: "api", AccessTTL: time.Hour})
	at, _ := tk.IssueAccess(context.Background(), "u", "s", t0)
	parts := strings.Split(at.Token, ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %s", at.Token)
	}
	var hdr map[string]any
	var claims map[string]any
	hb, _ := b64.DecodeString(parts[0])
	cb, _ := b64.DecodeString(parts[1])
	if json.Unmarshal(hb, &hdr) != nil || json.Unmarshal(cb, &claims) != nil {
		t.Fatalf("undecodable token %s", at.Token)
	}
	pub := tk.fixedKey().Public().(ed25519.PublicKey)
	// RFC 7638: SHA-256 over the required members in lexicographic order.
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + b64.EncodeToString(pub) + `"}`))
	wantHdr := map[string]any{"alg": "EdDSA", "typ": "at+jwt", "kid": b64.EncodeToString(sum[:])}
	for k, v := range wantHdr {
		if hdr[k] != v {
			t.Errorf("header %s = %v, want %v", k, hdr[k], v)
		}
	}
	want := map[string]any{"iss": "https://auth.example", "sub": "u", "sid": "s",
		"iat": float64(t0.Unix()), "exp": float64(t0.Unix() + 3600)}
	for k, v := range want {
		if claims[k] != v {
			t.Errorf("claim %s = %v, want %v", k, claims[k], v)
		}
	}
	if aud, _ := json.Marshal(claims["aud"]); string(aud) != `["api"]` && string(aud) != `"api"` {
		t.Errorf("aud = %s", aud)
	}
	if jti, _ := claims["jti"].(string); jti == "" {
		t.Error("no jti")
	}
}

func TestVerifyRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	tk := newTestTokens(t, Config{DataDir: dir})
	priv, kid := tk.fixedKey(), tk.KeyID()
	pub := priv.Public().(ed25519.PublicKey)
	good, _ := tk.IssueAccess(ctx, "user-1", "fam-1", t0)
	parts := strings.Split(good.Token, ".")
	hdr := map[string]any{"alg": "EdDSA", "typ": "at+jwt", "kid": kid}
	with := func(m map[string]any, k string, v any) map[string]any {
		c := map[string]any{}
		for kk, vv := range m {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	claims := goodClaims(t0)
	if _, err := tk.VerifyAccess(ctx, forge(priv, hdr, claims), t0); err != nil {
		t.Fatalf("the forger's baseline must verify: %v", err)
	}
	otherKey := newTestTokens(t, Config{})
	foreign, _ := otherKey.IssueAccess(ctx, "user-1", "fam-1", t0)
	otherIss := newTestTokens(t, Config{DataDir: dir, Issuer: "someone-else"})
	wrongIss, _ := otherIss.IssueAccess(ctx, "user-1", "fam-1", t0)
	otherAud := newTestTokens(t, Config{DataDir: dir, Audience: "other-api"})
	wrongAud, _ := otherAud.IssueAccess(ctx, "user-1", "fam-1", t0)

	// HS256 keyed with the public key: the classic algorithm confusion.
	hsInput := b64.EncodeToString(mustJSON(with(hdr, "alg", "HS256"))) + "." + b64.EncodeToString(mustJSON(claims))
	mac := hmac.New(sha256.New, pub)
	_, _ = mac.Write([]byte(hsInput))
	hs256 := hsInput + "." + b64.EncodeToString(mac.Sum(nil))
	none := b64.EncodeToString(mustJSON(with(hdr, "alg", "none"))) + "." + b64.EncodeToString(mustJSON(claims)) + "."

	flipped := []byte(parts[2])
	flipped[5] ^= 1
	_, otherPriv, _ := ed25519.GenerateKey(nil)

	for name, tt := range map[string]struct {
		token string
		now   time.Time
	}{
		"tampered signature":  {parts[0] + "." + parts[1] + "." + string(flipped), t0},
		"tampered claims":     {parts[0] + "." + b64.EncodeToString(mustJSON(with(claims, "sub", "admin"))) + "." + parts[2], t0},
		"alg none":            {none, t0},
		"alg HS256":           {hs256, t0},
		"alg ES256 header":    {forge(priv, with(hdr, "alg", "ES256"), claims), t0},
		"typ JWT":             {forge(priv, with(hdr, "typ", "JWT"), claims), t0},
		"no typ":              {forge(priv, with(hdr, "typ", nil), claims), t0},
		"crit header":         {forge(priv, with(hdr, "crit", []string{"exp"}), claims), t0},
		"unknown kid":         {foreign.Token, t0},
		"no kid":              {forge(priv, with(hdr, "kid", nil), claims), t0},
		"our kid, other key":  {forge(otherPriv, hdr, claims), t0},
		"wrong issuer":        {wrongIss.Token, t0},
		"wrong audience":      {wrongAud.Token, t0},
		"expired":             {good.Token, t0.Add(15*time.Minute + time.Minute)},
		"issued in future":    {good.Token, t0.Add(-time.Minute)},
		"not yet valid":       {forge(priv, hdr, with(claims, "nbf", t0.Add(time.Hour).Unix())), t0},
		"no exp":              {forge(priv, hdr, with(claims, "exp", nil)), t0},
		"no sub":              {forge(priv, hdr, with(claims, "sub", nil)), t0},
		"no jti":              {forge(priv, hdr, with(claims, "jti", nil)), t0},
		"no sid":              {forge(priv, hdr, with(claims, "sid", nil)), t0},
		"empty sid":           {forge(priv, hdr, with(claims, "sid", "")), t0},
		"numeric sid":         {forge(priv, hdr, with(claims, "sid", 7)), t0},
		"empty":               {"", t0},
		"one part":            {"abc", t0},
		"two parts":           {parts[0] + "." + parts[1], t0},
		"four parts":          {good.Token + ".x", t0},
		"bad base64 header":   {"!!!." + parts[1] + "." + parts[2], t0},
		"header not JSON":     {b64.EncodeToString([]byte("hi")) + "." + parts[1] + "." + parts[2], t0},
		"claims not JSON":     {forgeRaw(priv, hdr, []byte("nope")), t0},
		"JSON serialization":  {`{"payload":"` + parts[1] + `","protected":"` + parts[0] + `","signature":"` + parts[2] + `"}`, t0},
		"huge":                {parts[0] + "." + strings.Repeat("A", 5000) + "." + parts[2], t0},
		"whitespace appended": {good.Token + " x", t0},
	} {
		if c, err := tk.VerifyAccess(ctx, tt.token, tt.now); !errors.Is(err, domain.ErrInvalidToken) {
			t.Errorf("%s: VerifyAccess = %+v, %v; want ErrInvalidToken", name, c, err)
		}
	}
	// Within the skew, expiry still holds; a clear margin past it does not.
	if _, err := tk.VerifyAccess(ctx, good.Token, t0.Add(15*time.Minute-time.Second)); err != nil {
		t.Errorf("just before exp: %v", err)
	}
}

func forgeRaw(priv ed25519.PrivateKey, hdr map[string]any, payload []byte) string {
	input := b64.EncodeToString(mustJSON(hdr)) + "." + b64.EncodeToString(payload)
	return input + "." + b64.EncodeToString(ed25519.Sign(priv, []byte(input)))
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func BenchmarkSign(b *testing.B) {
	tk := newTestTokens(b, Config{})
	ctx := context.Background()
	for b.Loop() {
		if _, err := tk.IssueAccess(ctx, "0190b6c8-8f3e-7c4a-9d2e-1f2a3b4c5d6e", "0190b6c8-8f3e-7c4a-9d2e-aaaaaaaaaaaa", t0); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify is a token's first use: signature and claims checked.
func BenchmarkVerify(b *testing.B) {
	tk := newTestTokens(b, Config{})
	tk.keys.Load().verified = newVerifiedCache(1) // three tokens in turn always miss two generations of one
	ctx := context.Background()
	var tokens [3]string
	for i := range tokens {
		at, _ := tk.IssueAccess(ctx, "0190b6c8-8f3e-7c4a-9d2e-1f2a3b4c5d6e", "0190b6c8-8f3e-7c4a-9d2e-aaaaaaaaaaaa", t0.Add(time.Duration(i)*time.Second))
		tokens[i] = at.Token
	}
	i := 0
	for b.Loop() {
		if _, err := tk.VerifyAccess(ctx, tokens[i%3], t0.Add(5*time.Second)); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkVerifyAgain is every later use of the same token: a cache hit.
func BenchmarkVerifyAgain(b *testing.B) {
	tk := newTestTokens(b, Config{})
	ctx := context.Background()
	at, _ := tk.IssueAccess(ctx, "0190b6c8-8f3e-7c4a-9d2e-1f2a3b4c5d6e", "0190b6c8-8f3e-7c4a-9d2e-aaaaaaaaaaaa", t0)
	for b.Loop() {
		if _, err := tk.VerifyAccess(ctx, at.Token, t0); err != nil {
			b.Fatal(err)
		}
	}
}

// fixedKey is the private key of Tokens built with one fixed key.
func (t *Tokens) fixedKey() ed25519.PrivateKey { return t.keys.Load().signers[0].priv }
