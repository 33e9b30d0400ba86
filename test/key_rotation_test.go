package test

import (
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lestrrat-go/jwx/v2/jwk"
	"github.com/lestrrat-go/jwx/v2/jwt"

	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/test/harness"
)

// tokenKid is the "kid" header of a compact JWS.
func tokenKid(t *testing.T, token string) string {
	t.Helper()
	encoded, _, _ := strings.Cut(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(encoded)
	var h struct {
		Kid string `json:"kid"`
	}
	if err != nil || json.Unmarshal(raw, &h) != nil || h.Kid == "" {
		t.Fatalf("no kid in %q", token)
	}
	return h.Kid
}

// publishedKids are the key ids of an instance's JWKS, sorted.
func publishedKids(t *testing.T, c *harness.Client) []string {
	t.Helper()
	r := c.Get("/.well-known/jwks.json")
	set, err := jwk.Parse(r.Raw)
	if r.Status != 200 || err != nil {
		t.Fatalf("jwks: %d %v %s", r.Status, err, r.Raw)
	}
	var kids []string
	for i := range set.Len() {
		k, _ := set.Key(i)
		kids = append(kids, k.KeyID())
	}
	slices.Sort(kids)
	return kids
}

// TestKeyRotationAcrossInstances: two instances on one Postgres with the
// keys in the database. A key rotated (as `authd keys rotate` does) is
// published by both before either signs with it, signs at B within 60 s
// (here within the activation delay of a 200ms poll), and tokens of the old
// and the new key verify at both instances and with the JWKS alone.
func TestKeyRotationAcrossInstances(t *testing.T) {
	t.Parallel()
	const encKey = "rotation-test-key-encryption-key-0123"
	const poll = 200 * time.Millisecond
	p := startMIPair(t, map[string]string{
		"AUTHD_JWT_KEY_FILE":           "", // the database keys, not startMIPair's file
		"AUTHD_JWT_KEY_ENCRYPTION_KEY": encKey,
		"AUTHD_JWT_KEY_POLL_INTERVAL":  poll.String(),
	})
	ip := miIP()
	ca, cb := miClient(t, p.a, ip), miClient(t, p.b, ip)
	s := login(t, p.a, ca, newPhone())
	oldToken := s.Str("access_token")
	oldKid := tokenKid(t, oldToken)
	if ka, kb := publishedKids(t, ca), publishedKids(t, cb); !slices.Equal(ka, []string{oldKid}) || !slices.Equal(kb, ka) {
		t.Fatalf("JWKS before rotation: A %v, B %v, signing kid %s", ka, kb, oldKid)
	}

	// Rotate at "A": the same calls as `authd keys rotate` on A's settings.
	st, err := bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: p.dbURL}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sealer, err := jwttokens.NewSealer([]byte(encKey))
	if err != nil {
		t.Fatal(err)
	}
	rotatedAt := time.Now()
	newKey, err := jwttokens.Rotate(t.Context(), st, sealer, rotatedAt, jwttokens.ActivationDelay(poll))
	if err != nil {
		t.Fatal(err)
	}

	// Both publish it within a few polls, well before it signs.
	both := []string{oldKid, newKey.ID}
	slices.Sort(both)
	for !slices.Equal(publishedKids(t, ca), both) || !slices.Equal(publishedKids(t, cb), both) {
		if time.Now().After(newKey.ActiveFrom) {
			t.Fatalf("new key %s not published at both instances before its activation", newKey.ID)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// B signs with it within 60 s; until its activation B keeps the old one.
	refresh := s.Str("refresh_token")
	var newToken string
	for {
		r := cb.Post("/v1/tokens/refresh", map[string]string{"refresh_token": refresh})
		if r.Status != 200 {
			t.Fatalf("refresh at B: %d %s", r.Status, r.Raw)
		}
		refresh = r.Str("refresh_token")
		kid := tokenKid(t, r.Str("access_token"))
		if kid == newKey.ID {
			newToken = r.Str("access_token")
			break
		}
		if kid != oldKid {
			t.Fatalf("B signs with unknown kid %s", kid)
		}
		if time.Since(rotatedAt) > 60*time.Second {
			t.Fatal("B still signs with the old key 60 s after the rotation")
		}
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(rotatedAt)
	if early := time.Until(newKey.ActiveFrom); early > time.Second {
		t.Fatalf("B signed with the new key %v before its activation", early)
	}
	t.Logf("new key signing at B %v after the rotation (activation delay %v)", took.Round(time.Millisecond), jwttokens.ActivationDelay(poll))
	// A signs with it too.
	if r := ca.Post("/v1/tokens/refresh", map[string]string{"refresh_token": refresh}); r.Status != 200 ||
		tokenKid(t, r.Str("access_token")) != newKey.ID {
		t.Fatalf("refresh at A after activation: %d %s", r.Status, r.Raw)
	}

	// Tokens of both keys verify at both instances...
	for _, c := range []*harness.Client{ca, cb} {
		for _, tok := range []string{oldToken, newToken} {
			if me := c.Get("/v1/me", "Authorization: Bearer "+tok); me.Status != 200 {
				t.Fatalf("/v1/me with a token of kid %s: %d %s", tokenKid(t, tok), me.Status, me.Raw)
			}
		}
	}
	// ...and with the JWKS alone, which still publishes the old key.
	for _, c := range []*harness.Client{ca, cb} {
		set, err := jwk.Parse(c.Get("/.well-known/jwks.json").Raw)
		if err != nil || set.Len() != 2 {
			t.Fatalf("JWKS after activation: %v %d keys", err, set.Len())
		}
		for _, tok := range []string{oldToken, newToken} {
			if _, err := jwt.Parse([]byte(tok), jwt.WithKeySet(set), jwt.WithAudience("authd"), jwt.WithIssuer("authd")); err != nil {
				t.Fatalf("token of kid %s with the JWKS alone: %v", tokenKid(t, tok), err)
			}
		}
	}
}

// TestUpgradeKeepsTheDataDirKey: an embedded instance that (as earlier
// versions did) kept its key under the data dir signs with that same key
// after the upgrade, so tokens issued before it stay valid.
func TestUpgradeKeepsTheDataDirKey(t *testing.T) {
	t.Parallel()
	dataDir := filepath.Join(t.TempDir(), "data")
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		t.Fatal(err)
	}
	pem, err := jwttokens.GenerateKeyPEM()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dataDir, "jwt-ed25519.pem"), pem, 0o600); err != nil {
		t.Fatal(err)
	}
	// A token the old version signed with it.
	before, err := jwttokens.New(jwttokens.Config{DataDir: dataDir}, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	inst := start(t, embedded, harness.Options{Env: map[string]string{"AUTHD_DATA_DIR": dataDir}})
	c := inst.Client(t)
	s := login(t, inst, c, newPhone())
	if kid := tokenKid(t, s.Str("access_token")); kid != before.KeyID() {
		t.Fatalf("signs with %s, want the data dir key %s", kid, before.KeyID())
	}
	userID, _ := s.User()["id"].(string)
	claims, err := jwt.ParseString(s.Str("access_token"), jwt.WithVerify(false))
	if err != nil {
		t.Fatal(err)
	}
	sid, _ := claims.PrivateClaims()["sid"].(string)
	old, err := before.IssueAccess(t.Context(), userID, sid, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if me := c.Get("/v1/me", "Authorization: Bearer "+old.Token); me.Status != 200 || me.Str("id") != userID {
		t.Fatalf("pre-upgrade token: %d %s", me.Status, me.Raw)
	}
}
