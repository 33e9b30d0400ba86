package test

import (
	"net/http"
	"testing"

	"go.uber.org/fx"

	"github.com/authd/authd/app"
	"github.com/authd/authd/test/harness"
)

// TestAdminAPIOnTheAdminListener: the admin API is served by authd serve's
// admin listener (and only there), behind admin keys.
func TestAdminAPIOnTheAdminListener(t *testing.T) {
	var keys *app.AdminKeys
	inst := harness.Start(t, harness.Options{FastPasswords: true, Extra: []fx.Option{fx.Populate(&keys)}})
	admin, public := inst.AdminClient(t), inst.Client(t)

	if r := admin.Get("/admin/v1/users"); r.Status != http.StatusUnauthorized || r.Code() != "invalid_token" {
		t.Fatalf("no key: %d %s, want 401 invalid_token", r.Status, r.Raw)
	}
	if r := admin.Get("/admin/v1/openapi.json"); r.Status != http.StatusOK {
		t.Fatalf("admin openapi: %d", r.Status)
	}
	key, _, err := keys.Create(t.Context(), "ops")
	if err != nil {
		t.Fatalf("create key: %v", err)
	}
	phone := newPhone()
	s := login(t, inst, public, phone)
	r := admin.Get("/admin/v1/users?query="+phone, "Authorization: Bearer "+key)
	if r.Status != http.StatusOK || r.Header.Get("Cache-Control") != "no-store" {
		t.Fatalf("search: %d %s (Cache-Control %q)", r.Status, r.Raw, r.Header.Get("Cache-Control"))
	}
	if users, _ := r.JSON["users"].([]any); len(users) != 1 {
		t.Fatalf("search %s: %s, want one user", phone, r.Raw)
	}
	// An operator disabling the user ends its sessions at once: authd's own
	// endpoints refuse the access token it still holds.
	id := s.JSON["user"].(map[string]any)["id"].(string)
	if r := admin.Do(http.MethodPatch, "/admin/v1/users/"+id, map[string]any{"disabled": true},
		"Authorization: Bearer "+key); r.Status != http.StatusOK {
		t.Fatalf("disable: %d %s", r.Status, r.Raw)
	}
	wantProblem(t, public.Get("/v1/me", bearer(s)), http.StatusUnauthorized, "invalid_token")
	if r := public.Get("/admin/v1/users", "Authorization: Bearer "+key); r.Status != http.StatusNotFound {
		t.Fatalf("public listener /admin/v1/users: %d, want 404", r.Status)
	}
}
