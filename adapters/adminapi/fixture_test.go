package adminapi

import (
	"crypto/sha256"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/adapters/argon2hash"
	"github.com/authd/authd/adapters/bunstore"
	"github.com/authd/authd/adapters/jwttokens"
	"github.com/authd/authd/adapters/phonenum"
	"github.com/authd/authd/adapters/strength"
	"github.com/authd/authd/adapters/system"
	"github.com/authd/authd/app"
	"github.com/authd/authd/domain"
	"github.com/gofiber/fiber/v2"
)

// fixture is the admin API on a fresh SQLite database with real adapters,
// and one admin key named "ops".
type fixture struct {
	t      *testing.T
	app    *fiber.App
	store  *bunstore.Store
	tokens *jwttokens.Tokens
	keys   *app.AdminKeys
	key    string
}

// must stops the test set-up on an error (a panic fails the test).
func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	st := must(bunstore.Open(t.Context(), bunstore.Config{DatabaseURL: "sqlite:" + filepath.Join(dir, "authd.db")}, nil))
	t.Cleanup(func() { st.Close() })
	if err := st.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	phones := must(phonenum.New(phonenum.Config{DefaultRegion: "CN"}))
	hasher := must(argon2hash.New(argon2hash.Config{}))
	checker := must(strength.New(strength.Config{}))
	tokens := must(jwttokens.New(jwttokens.Config{DataDir: dir}, slog.New(slog.DiscardHandler)))
	ids, clock := system.NewIDs(), system.NewClock()
	keys := app.NewAdminKeys(st, ids, clock)
	api := New(Deps{
		Keys: keys,
		Users: app.NewAdminUsers(app.AdminUsersDeps{Users: st, Admin: st, Sessions: st, Deletion: st, Phones: phones,
			Passwords: hasher, Strength: checker, IDs: ids, Clock: clock}),
		Logs:       app.NewAdminLogs(st, st, phones),
		Introspect: app.NewIntrospect(app.IntrospectConfig{Issuer: "authd", Audience: "authd"}, tokens, st, st, st, clock),
	})
	key, _, err := keys.Create(t.Context(), "ops")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, app: api.App(), store: st, tokens: tokens, keys: keys, key: key}
}

// response is an answer with its body decoded as JSON (when it is JSON).
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

func (r response) code() string { s, _ := r.body["code"].(string); return s }

// do sends a request with the fixture's key; headers may override it.
func (f *fixture) do(method, path, body string, headers ...string) response {
	f.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+f.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] == "" {
			req.Header.Del(headers[i])
		} else {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	resp, err := f.app.Test(req, -1)
	if err != nil {
		f.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	r := response{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

func (f *fixture) want(r response, status int, code string) {
	f.t.Helper()
	if r.status != status || (code != "" && r.code() != code) {
		f.t.Fatalf("status %d code %q, want %d %q; body %s", r.status, r.code(), status, code, r.raw)
	}
}

// createUser makes a user through the API and returns its id.
func (f *fixture) createUser(body string) string {
	f.t.Helper()
	r := f.do("POST", "/admin/v1/users", body)
	f.want(r, 201, "")
	return r.body["id"].(string)
}

// login stores a session (refresh-token family) for the user and returns
// an access token of it and the refresh token.
func (f *fixture) login(userID, family string) (access, refresh string) {
	f.t.Helper()
	now := time.Now().UTC()
	refresh = "refresh-" + family
	sum := sha256.Sum256([]byte(refresh))
	err := f.store.Create(f.t.Context(), domain.RefreshToken{ID: family + "-t", UserID: userID, FamilyID: family,
		Hash: sum[:], CreatedAt: now, ExpiresAt: now.Add(time.Hour), UserAgent: "app/1", IP: "203.0.113.9"})
	if err != nil {
		f.t.Fatal(err)
	}
	at, err := f.tokens.IssueAccess(f.t.Context(), userID, family, now)
	if err != nil {
		f.t.Fatal(err)
	}
	return at.Token, refresh
}

func list(r response, member string) []map[string]any {
	items, _ := r.body[member].([]any)
	out := make([]map[string]any, len(items))
	for i, it := range items {
		out[i], _ = it.(map[string]any)
	}
	return out
}

func hashOf(tok string) []byte {
	sum := sha256.Sum256([]byte(tok))
	return sum[:]
}
