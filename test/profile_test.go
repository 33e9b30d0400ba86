package test

import (
	"maps"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/authd/authd/test/harness"
)

var (
	uuidPattern     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{3,32}$`)
	allDigits       = regexp.MustCompile(`^[0-9]+$`)
)

// patchMe calls PATCH /v1/me for session s.
func patchMe(c *harness.Client, s harness.Response, body any) harness.Response {
	return c.Do(http.MethodPatch, "/v1/me", body, bearer(s))
}

// wantPatched asserts a 200 PATCH answer and returns the user.
func wantPatched(t *testing.T, r harness.Response) map[string]any {
	t.Helper()
	if r.Status != http.StatusOK {
		t.Fatalf("PATCH /v1/me: %d %s", r.Status, r.Raw)
	}
	return r.JSON
}

func TestUserObject(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		phone := newPhone()
		before := time.Now()
		s := login(t, inst, c, phone)
		if s.Status != http.StatusCreated || s.JSON["created"] != true {
			t.Fatalf("first SMS login: %d, created %v", s.Status, s.JSON["created"])
		}
		u := s.User()
		keys := []string{"created_at", "email", "has_password", "icon", "id", "phone", "username"}
		if got := slices.Sorted(maps.Keys(u)); !slices.Equal(got, keys) {
			t.Errorf("user members %v, want %v", got, keys)
		}
		if id, _ := u["id"].(string); !uuidPattern.MatchString(id) {
			t.Errorf("id %q is not a UUID", u["id"])
		}
		name, _ := u["username"].(string)
		if !usernamePattern.MatchString(name) || allDigits.MatchString(name) || strings.Contains(name, "@") {
			t.Errorf("generated username %q looks like a phone or email, or breaks the username rules", name)
		}
		if u["phone"] != e164(phone) {
			t.Errorf("phone %v, want %s", u["phone"], e164(phone))
		}
		if u["email"] != nil || u["icon"] != nil || u["has_password"] != false {
			t.Errorf("new user email %v, icon %v, has_password %v; want null, null, false", u["email"], u["icon"], u["has_password"])
		}
		created, err := time.Parse(time.RFC3339, u["created_at"].(string))
		if err != nil || !strings.HasSuffix(u["created_at"].(string), "Z") {
			t.Errorf("created_at %q is not RFC 3339 UTC: %v", u["created_at"], err)
		} else if created.Before(before.Add(-time.Minute)) || created.After(time.Now().Add(time.Minute)) {
			t.Errorf("created_at %v, want about now", created)
		}
		if me := getMe(t, c, s); !maps.Equal(me, u) {
			t.Errorf("GET /v1/me %v differs from the login's user %v", me, u)
		}

		// A second user's generated name differs.
		if other := login(t, inst, c, newPhone()).User()["username"]; other == name {
			t.Errorf("two users got the username %q", name)
		}
	})
}

func TestUpdateProfile(t *testing.T) {
	t.Parallel()
	forEachBackend(t, func(t *testing.T, b backend) {
		t.Parallel()
		inst := start(t, b, harness.Options{})
		c := inst.Client(t)
		alice := login(t, inst, c, newPhone())
		bob := login(t, inst, c, newPhone())

		t.Run("username", func(t *testing.T) {
			u := wantPatched(t, patchMe(c, alice, map[string]string{"username": "Alice_1.x-y"}))
			if u["username"] != "Alice_1.x-y" || u["id"] != alice.User()["id"] || u["phone"] != alice.User()["phone"] {
				t.Errorf("updated user %v", u)
			}
			if me := getMe(t, c, alice); !maps.Equal(me, u) {
				t.Errorf("GET /v1/me %v, PATCH answered %v", me, u)
			}
			for _, bad := range []string{"ab", "12345", "has space", strings.Repeat("a", 33), "a@b", "", "ünïcode", "semi;colon"} {
				wantProblem(t, patchMe(c, bob, map[string]string{"username": bad}), http.StatusBadRequest, "invalid_username")
			}
			wantPatched(t, patchMe(c, bob, map[string]string{"username": "abc"}))
			wantPatched(t, patchMe(c, bob, map[string]string{"username": strings.Repeat("b", 32)}))
			for _, taken := range []string{"Alice_1.x-y", "alice_1.x-y", "ALICE_1.X-Y"} {
				wantProblem(t, patchMe(c, bob, map[string]string{"username": taken}), http.StatusConflict, "username_taken")
			}
			// Renaming oneself in another case is not a conflict.
			if u := wantPatched(t, patchMe(c, alice, map[string]string{"username": "alice_1.X-Y"})); u["username"] != "alice_1.X-Y" {
				t.Errorf("username %v after changing its case", u["username"])
			}
			if me := getMe(t, c, bob); me["username"] != strings.Repeat("b", 32) {
				t.Errorf("refused changes altered bob: %v", me)
			}
		})

		t.Run("email", func(t *testing.T) {
			u := wantPatched(t, patchMe(c, alice, map[string]string{"email": "Alice@Example.com"}))
			if u["email"] != "Alice@Example.com" {
				t.Errorf("email %v, want Alice@Example.com", u["email"])
			}
			for _, bad := range []string{"not-an-email", "a@", "@example.com", "a@b", "Alice <a@example.com>", "a b@example.com", ""} {
				wantProblem(t, patchMe(c, bob, map[string]string{"email": bad}), http.StatusBadRequest, "invalid_email")
			}
			for _, taken := range []string{"Alice@Example.com", "alice@example.com", "ALICE@EXAMPLE.COM"} {
				wantProblem(t, patchMe(c, bob, map[string]string{"email": taken}), http.StatusConflict, "email_taken")
			}
			if u := wantPatched(t, patchMe(c, alice, map[string]any{"email": nil})); u["email"] != nil {
				t.Errorf("email %v after removing it", u["email"])
			}
			if me := getMe(t, c, alice); me["email"] != nil {
				t.Errorf("GET /v1/me email %v after removing it", me["email"])
			}
			// The removed address is free again.
			if u := wantPatched(t, patchMe(c, bob, map[string]string{"email": "alice@example.com"})); u["email"] != "alice@example.com" {
				t.Errorf("email %v, want alice@example.com", u["email"])
			}
		})

		t.Run("icon", func(t *testing.T) {
			icon := "https://cdn.example.com/avatars/alice.png?size=128"
			u := wantPatched(t, patchMe(c, alice, map[string]string{"icon": icon}))
			if u["icon"] != icon {
				t.Errorf("icon %v, want %s", u["icon"], icon)
			}
			for _, bad := range []string{"javascript:alert(1)", "data:image/png;base64,AAAA", "/relative.png", "https://" + strings.Repeat("a", 2048) + ".png"} {
				wantProblem(t, patchMe(c, alice, map[string]string{"icon": bad}), http.StatusBadRequest, "invalid_request")
			}
			if me := getMe(t, c, alice); me["icon"] != icon {
				t.Errorf("refused icons changed it to %v", me["icon"])
			}
		})

		t.Run("several at once", func(t *testing.T) {
			u := wantPatched(t, patchMe(c, alice, map[string]string{"username": "alice_two", "email": "a2@example.org"}))
			if u["username"] != "alice_two" || u["email"] != "a2@example.org" {
				t.Errorf("updated user %v", u)
			}
			// One bad field refuses the whole change.
			wantProblem(t, patchMe(c, alice, map[string]string{"username": "alice_three", "email": "nope"}), http.StatusBadRequest, "invalid_email")
			if me := getMe(t, c, alice); me["username"] != "alice_two" {
				t.Errorf("username %v after a refused change", me["username"])
			}
			if u := wantPatched(t, patchMe(c, alice, map[string]string{})); u["username"] != "alice_two" {
				t.Errorf("empty PATCH changed the user: %v", u)
			}
		})

		t.Run("malformed", func(t *testing.T) {
			for name, body := range map[string]any{
				"username number": map[string]any{"username": 5},
				"username null":   map[string]any{"username": nil},
				"email bool":      map[string]any{"email": true},
				"icon array":      map[string]any{"icon": []string{"https://example.com/a.png"}},
				"not JSON":        `{"username": "x"`,
				"array":           `["username"]`,
			} {
				t.Run(name, func(t *testing.T) {
					wantProblem(t, patchMe(c, alice, body), http.StatusBadRequest, "invalid_request")
				})
			}
		})

		t.Run("no token", func(t *testing.T) {
			for name, headers := range map[string][]string{
				"missing":   nil,
				"garbage":   {"Authorization: Bearer not-a-token"},
				"refresh":   {"Authorization: Bearer " + alice.Str("refresh_token")},
				"no scheme": {"Authorization: " + alice.Str("access_token")},
			} {
				t.Run(name, func(t *testing.T) {
					r := c.Do(http.MethodPatch, "/v1/me", map[string]string{"username": "intruder"}, headers...)
					wantProblem(t, r, http.StatusUnauthorized, "invalid_token")
					if got := r.Header.Get("WWW-Authenticate"); got != `Bearer error="invalid_token"` {
						t.Errorf("WWW-Authenticate %q", got)
					}
				})
			}
		})
	})
}
